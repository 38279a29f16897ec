# dom0-tools/: the toolstack library, the xl CLI and the console daemon, their
# host unit tests (parser, builder, lifecycle and console rings against the
# real core/ as a fake hypervisor and our real xenstored), and the cfg fuzzer.
DOM0_INC   := -D__XEN_TOOLS__ -Ihypercalls -Idom0-tools -Istore
DOM0_TINC  := $(DOM0_INC) -Wno-format-truncation
DOM0_PARSE := dom0-tools/cfg.c dom0-tools/dcfg.c dom0-tools/spec.c
DOM0_HDRS  := $(wildcard dom0-tools/*.h)

$(eval $(call unit_test,dom0_cfg,tests/dom0-tools/test_cfg.c $(DOM0_PARSE),$(DOM0_TINC)))
$(BUILD)/unit/dom0_cfg: $(DOM0_HDRS)

FUZZ_CC ?= clang
TOOL_TARGETS += $(BUILD)/dom0-tools/fuzz_cfg
$(BUILD)/dom0-tools/fuzz_cfg: tests/dom0-tools/fuzz_cfg.c $(DOM0_PARSE) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(DOM0_INC) -o $@ tests/dom0-tools/fuzz_cfg.c $(DOM0_PARSE)

TOOL_TARGETS += $(BUILD)/dom0-tools/fuzz_kimg
$(BUILD)/dom0-tools/fuzz_kimg: tests/dom0-tools/fuzz_kimg.c dom0-tools/kimg.c $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(DOM0_INC) '-DKIMG_MAX_OUTPUT=(16u << 20)' -o $@ tests/dom0-tools/fuzz_kimg.c \
		dom0-tools/kimg.c $(DOM0_LIBS)

SUITES += tests/dom0-tools/fuzz.sh

# The library: everything but the programs' mains.
DOM0_LIB := $(DOM0_PARSE) dom0-tools/tk.c dom0-tools/hvc.c dom0-tools/kimg.c \
            dom0-tools/acpi.c dom0-tools/build.c dom0-tools/dstore.c dom0-tools/dom.c \
            dom0-tools/mon.c
DOM0_XS  := store/xs_client.c store/wire.c
DOM0_LIBS := -llzma -lz -lzstd
DOM0_FAKE := tests/dom0-tools/fake_hv.c tests/dom0-tools/fake_env.c $(wildcard xen-like/core/*.c)
DOM0_FAKE_INC := $(DOM0_TINC) -Ixen-like/core -Itests/dom0-tools

$(eval $(call unit_test,dom0_kimg,tests/dom0-tools/test_kimg.c dom0-tools/kimg.c,$(DOM0_FAKE_INC),$(DOM0_LIBS)))
$(eval $(call unit_test,dom0_life,tests/dom0-tools/test_life.c $(DOM0_LIB) $(DOM0_XS) $(DOM0_FAKE),$(DOM0_FAKE_INC),$(DOM0_LIBS)))
$(BUILD)/unit/dom0_kimg $(BUILD)/unit/dom0_life: $(DOM0_HDRS) tests/dom0-tools/harness.h \
	tests/dom0-tools/fake_hv.h $(BUILD)/store/xenstored
$(eval $(call unit_test,dom0_cons,tests/dom0-tools/test_cons.c dom0-tools/cons.c dom0-tools/consd.c dom0-tools/gnt.c dom0-tools/xl_console.c $(DOM0_LIB) $(DOM0_XS) $(DOM0_FAKE),$(DOM0_FAKE_INC),$(DOM0_LIBS)))
$(BUILD)/unit/dom0_cons: $(DOM0_HDRS) tests/dom0-tools/harness.h tests/dom0-tools/fake_hv.h \
	$(BUILD)/store/xenstored

# Programs: xl and consoled, over privcmd.
DOM0_XL := dom0-tools/xl_cmd.c dom0-tools/xl_json.c dom0-tools/xl_console.c dom0-tools/cons.c \
           dom0-tools/consd.c
TOOL_TARGETS += $(BUILD)/dom0-tools/xl $(BUILD)/dom0-tools/consoled
$(BUILD)/dom0-tools/xl: dom0-tools/xl.c dom0-tools/hv_privcmd.c $(DOM0_XL) $(DOM0_LIB) $(DOM0_XS) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(DOM0_INC) -o $@ dom0-tools/xl.c dom0-tools/hv_privcmd.c \
		$(DOM0_XL) $(DOM0_LIB) $(DOM0_XS) $(DOM0_LIBS) -lyajl
$(BUILD)/dom0-tools/consoled: dom0-tools/consoled.c dom0-tools/hv_privcmd.c dom0-tools/cons.c \
	dom0-tools/consd.c dom0-tools/gnt.c dom0-tools/hvc.c dom0-tools/tk.c $(DOM0_XS) $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(DOM0_INC) -o $@ dom0-tools/consoled.c dom0-tools/hv_privcmd.c \
		dom0-tools/cons.c dom0-tools/consd.c dom0-tools/gnt.c dom0-tools/hvc.c dom0-tools/tk.c \
		$(DOM0_XS)
$(eval $(call unit_test,dom0_xl,tests/dom0-tools/test_xl.c $(DOM0_XL) $(DOM0_LIB) $(DOM0_XS) $(DOM0_FAKE),$(DOM0_FAKE_INC),$(DOM0_LIBS) -lyajl))
$(BUILD)/unit/dom0_xl: $(DOM0_HDRS) tests/dom0-tools/harness.h tests/dom0-tools/fake_hv.h \
	$(BUILD)/store/xenstored

TOOL_TARGETS += $(BUILD)/dom0-tools/kimg
$(BUILD)/dom0-tools/kimg: dom0-tools/kimg_main.c dom0-tools/kimg.c $(DOM0_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(DOM0_INC) -o $@ dom0-tools/kimg_main.c dom0-tools/kimg.c $(DOM0_LIBS)

SUITES += tests/dom0-tools/tools.sh

# make bench: the host-side cycle benchmark (plain -O2, no sanitizers).
TOOL_TARGETS += $(BUILD)/dom0-tools/bench_cycle
$(BUILD)/dom0-tools/bench_cycle: tests/dom0-tools/bench_cycle.c $(DOM0_LIB) $(DOM0_XS) $(DOM0_FAKE) \
	$(DOM0_HDRS) tests/dom0-tools/harness.h
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(DOM0_FAKE_INC) -o $@ tests/dom0-tools/bench_cycle.c \
		$(DOM0_LIB) $(DOM0_XS) $(DOM0_FAKE) $(DOM0_LIBS)
BENCH_CMDS += tests/dom0-tools/bench.sh
$(eval $(call unit_test,dom0_privcmd,tests/dom0-tools/test_privcmd.c dom0-tools/hv_privcmd.c,$(DOM0_TINC)))
$(BUILD)/unit/dom0_privcmd: $(DOM0_HDRS)
