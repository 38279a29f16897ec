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

# Until the SVM container runs it, the guest is checked under QEMU's own PVH
# loader (no hypervisor): boot, long mode, output, each hostile= path.
SUITES += guests/hostile/qemu-direct.sh

# svmrig: a bare multiboot program that runs one PVH guest under SVM with
# the hypervisor's own SVM/NPT/loader pieces (guests/svmrig/rig.c says why).
RIG         := $(GUEST_DIR)/svmrig.elf
RIG_ARCH    := svm_entry.S svm_vmcb.c npt.c guest_walk.c insn_len.c \
               cpuid_policy.c msr_policy.c vlapic.c
RIG_RT      := pvh_loader.c acpi_build.c
RIG_OBJS    := $(GUEST_DIR)/svmrig/boot.o $(GUEST_DIR)/svmrig/rig.o \
               $(patsubst %,$(GUEST_DIR)/svmrig/arch/%.o,$(RIG_ARCH)) \
               $(patsubst %,$(GUEST_DIR)/svmrig/rt/%.o,$(RIG_RT))
RIG_CFLAGS  := $(GUEST_CFLAGS) -Ihypercalls -Ixen-like/arch/x86_64 -Ixen-like/runtime

HV_TARGETS += $(RIG)

$(GUEST_DIR)/svmrig/%.o: guests/svmrig/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(RIG_CFLAGS) -c -o $@ $<
$(GUEST_DIR)/svmrig/%.o: guests/svmrig/%.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(RIG_CFLAGS) -c -o $@ $<
$(GUEST_DIR)/svmrig/arch/%.o: xen-like/arch/x86_64/%
	@mkdir -p $(@D)
	$(Q)$(CC) $(RIG_CFLAGS) -c -o $@ $<
$(GUEST_DIR)/svmrig/rt/%.o: xen-like/runtime/%
	@mkdir -p $(@D)
	$(Q)$(CC) $(RIG_CFLAGS) -c -o $@ $<

# QEMU's multiboot loader wants ELF32: link as ELF64, then convert.
$(RIG): $(RIG_OBJS) guests/svmrig/link.ld
	$(Q)$(LD) $(HV_LDFLAGS) -no-pie -T guests/svmrig/link.ld -o $@.64 $(RIG_OBJS)
	$(Q)$(OBJCOPY) -O elf32-i386 $@.64 $@
SUITES += guests/svmrig/run.sh

# Issue 4's system tests: Debian Linux as PVH domUs on the hypervisor.
SUITES += guests/pvh_system.py
BENCH_CMDS += guests/pvh_bench.py
