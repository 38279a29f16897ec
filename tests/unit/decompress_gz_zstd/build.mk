# tests/unit/decompress_gz_zstd: the hypervisor's gzip and Zstandard decoders
# (xen-like/runtime/gunzip.c, unzstd.c) against zlib/libzstd and the gzip/
# zstd programs, bounded libFuzzer runs of both, their benchmark, and the
# system check that bzImages with gzip and zstd payloads boot as domUs.
GZZ_DIR  := tests/unit/decompress_gz_zstd
GZZ_SRCS := xen-like/runtime/gunzip.c xen-like/runtime/unzstd.c
GZZ_INC  := -Ixen-like/runtime -Ihypercalls -Wno-missing-field-initializers
# xmalloc/xfree over malloc for the fuzzers and the bench (the unit test
# keeps its own, which counts live allocations).
GZZ_SHIM := tests/unit/decompress/env_shim.c

$(eval $(call unit_test,decompress_gz_zstd,$(GZZ_DIR)/test_gz_zstd.c $(GZZ_SRCS),$(GZZ_INC),-lz -lzstd))
$(BUILD)/unit/decompress_gz_zstd: $(GZZ_DIR)/bitw.h xen-like/runtime/decompress.h

# libFuzzer targets (clang, libclang-rt-14-dev), differential against the
# reference libraries; tests/unit/decompress_gz_zstd/fuzz.sh runs them.
GZZ_FUZZ_CC ?= clang
GZZ_FUZZ_FLAGS := -std=gnu11 -g -O1 $(HOST_WARN) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(GZZ_INC)
TOOL_TARGETS += $(BUILD)/decompress_gz_zstd/fuzz_gunzip $(BUILD)/decompress_gz_zstd/fuzz_unzstd
$(BUILD)/decompress_gz_zstd/fuzz_%: $(GZZ_DIR)/fuzz_%.c $(GZZ_SRCS) $(GZZ_SHIM) xen-like/runtime/decompress.h
	@mkdir -p $(@D)
	$(Q)$(GZZ_FUZZ_CC) $(GZZ_FUZZ_FLAGS) -o $@ $< xen-like/runtime/$*.c $(GZZ_SHIM) $(if $(filter gunzip,$*),-lz,-lzstd)
SUITES += tests/unit/decompress_gz_zstd/fuzz.sh

# `make bench`: host MB/s of gunzip/unzstd against zlib/libzstd.
TOOL_TARGETS += $(BUILD)/decompress_gz_zstd/bench
$(BUILD)/decompress_gz_zstd/bench: $(GZZ_DIR)/bench.c $(GZZ_SRCS) $(GZZ_SHIM) xen-like/runtime/decompress.h
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(GZZ_INC) -o $@ $(GZZ_DIR)/bench.c $(GZZ_SRCS) $(GZZ_SHIM) -lz -lzstd
BENCH_CMDS += $(BUILD)/decompress_gz_zstd/bench

# System check: gzip and zstd bzImages (built from the fixtures, cached in
# build/pvh_bzimage/) boot as domUs under the hypervisor in QEMU.
SUITES += guests/pvh_bzimage.py
