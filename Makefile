# xen-like top-level build. Each component owns a build.mk fragment that adds
# its targets to the lists below; this file only ties them together.
#   make            hypervisor + host tools
#   make run        hypervisor + Debian Linux dom0 + a demo domU under QEMU
#   make run-hv     the hypervisor alone under QEMU (Ctrl-A x quits QEMU)
#   make test       every suite; ends with "N passed, N failed"
#   make bench      benchmarks (never part of test)
#   make iso        GRUB (multiboot2) ISO that boots in QEMU and on a PC
include Config.mk

.DEFAULT_GOAL := all
.PHONY: all hv tools test unit bench run iso clean setup

HV_TARGETS   :=   # hypervisor images
TOOL_TARGETS :=   # host daemons and command-line tools
UNIT_BINS    :=   # host unit-test binaries (ASan+UBSan), run by `make test`
CHECK_TARGETS:=   # build-time checks (the ABI check) that must succeed
BENCH_CMDS   :=   # shell commands run by `make bench`

# $(call unit_test,NAME,SOURCES,EXTRA_CFLAGS): a host unit-test binary built
# from SOURCES plus the in-tree runner, under the sanitizers.
define unit_test
UNIT_BINS += $(BUILD)/unit/$(1)
$(BUILD)/unit/$(1): $(2) tests/unit/unit.c tests/unit/unit.h
	@mkdir -p $$(@D)
	$(Q)$(HOST_CC) $(TEST_CFLAGS) -Itests/unit -Ihypercalls $(3) -o $$@ $(2) tests/unit/unit.c $(4)
endef

FRAGMENTS := $(sort $(wildcard */build.mk */*/build.mk */*/*/build.mk))
include $(filter-out $(BUILD)/%,$(FRAGMENTS))

all: hv tools
hv: $(HV_TARGETS)
tools: $(TOOL_TARGETS)
unit: $(UNIT_BINS)

test:
	$(Q)tests/run-all.sh

bench: all
	$(Q)set -e; $(foreach c,$(BENCH_CMDS),$(c);)

clean:
	rm -rf $(BUILD)

setup:
	$(Q)scripts/setup.sh
