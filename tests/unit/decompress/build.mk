# tests/unit/decompress/: the boot-module decompressors on the host.
#   decompress_unxz   unxz() against liblzma's streams and every error path
#   decompress_bzimage  bzimage_unpack(): XZ/gzip/zstd payloads, bounds, errors
#   fuzz.sh           a bounded libFuzzer run of unxz (differential vs liblzma)
#   bench.sh          `make bench`: MB/s of unxz vs liblzma on Debian's vmlinuz
DECOMP_INC := -Ixen-like/runtime -Ixen-like/core -Itests/unit/decompress
DECOMP_SRC := xen-like/runtime/unxz.c tests/unit/decompress/env_shim.c
DECOMP_HDR := xen-like/runtime/decompress.h tests/unit/decompress/env_shim.h

$(eval $(call unit_test,decompress_unxz,tests/unit/decompress/test_unxz.c $(DECOMP_SRC) xen-like/runtime/pvh_loader.c,$(DECOMP_INC),-llzma))

DECOMP_ALL := $(DECOMP_SRC) xen-like/runtime/gunzip.c xen-like/runtime/unzstd.c \
              xen-like/runtime/bzimage.c xen-like/runtime/pvh_loader.c
$(eval $(call unit_test,decompress_bzimage,tests/unit/decompress/test_bzimage.c $(DECOMP_ALL),$(DECOMP_INC),-llzma -lz -lzstd))

TOOL_TARGETS += $(BUILD)/decompress/fuzz_unxz $(BUILD)/decompress/bench_unxz
$(BUILD)/decompress/fuzz_unxz: tests/unit/decompress/fuzz_unxz.c $(DECOMP_SRC) $(DECOMP_HDR)
	@mkdir -p $(@D)
	$(Q)clang -std=gnu11 -g -O1 $(HOST_WARN) -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -Ihypercalls $(DECOMP_INC) -o $@ \
	    tests/unit/decompress/fuzz_unxz.c $(DECOMP_SRC) -llzma

# Plain -O2 like the hypervisor, so the figure is the decoder's own speed.
$(BUILD)/decompress/bench_unxz: tests/unit/decompress/bench_unxz.c $(DECOMP_SRC) $(DECOMP_HDR) \
                                xen-like/runtime/pvh_loader.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) -Ihypercalls $(DECOMP_INC) -o $@ \
	    tests/unit/decompress/bench_unxz.c $(DECOMP_SRC) xen-like/runtime/pvh_loader.c -llzma

SUITES += tests/unit/decompress/fuzz.sh
BENCH_CMDS += $(BUILD)/decompress/bench_unxz
