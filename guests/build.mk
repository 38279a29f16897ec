# guests/: in-tree test guests. hostile: a freestanding PVH kernel (ELF64 with
# the PHYS32_ENTRY note) that attacks the hypercall interface; see
# guests/hostile/hostile.c. Built with the hypervisor's freestanding flags.
GUEST_DIR   := $(BUILD)/guests
HOSTILE     := $(GUEST_DIR)/hostile.elf
HOSTILE_OBJS:= $(GUEST_DIR)/hostile/head.o $(GUEST_DIR)/hostile/hostile.o
GUEST_CFLAGS:= -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -mno-red-zone \
               -mgeneral-regs-only -mcmodel=small -fno-stack-protector -nostdinc \
               -isystem $(shell $(CC) -print-file-name=include) $(HV_WARN)

HV_TARGETS += $(HOSTILE)

$(GUEST_DIR)/hostile/%.o: guests/hostile/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_DIR)/hostile/%.o: guests/hostile/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(HOSTILE): $(HOSTILE_OBJS) guests/hostile/link.ld
	$(Q)$(LD) $(HV_LDFLAGS) -no-pie -T guests/hostile/link.ld -o $@ $(HOSTILE_OBJS)

# The guest also runs under QEMU's own PVH loader (no hypervisor): boot, long
# mode, output, each hostile= path, independent of our SVM code.
SUITES += guests/hostile/qemu-direct.sh

# Issue 4's system tests: Debian Linux as PVH domUs on the hypervisor; issue
# 6's: Linux as dom0 with our userland, one file per group (guests/dom0_*.py).
SUITES += guests/pvh_system.py $(sort $(wildcard guests/dom0_*.py))
BENCH_CMDS += guests/pvh_bench.py
# Issue 6's: dom0 on xen-like beside Xen 4.17 (the anchor rig) in one run.
BENCH_CMDS += guests/bench_dom0.py
