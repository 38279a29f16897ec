# xen-like/: the hypervisor image, its ISO, and `make run`.
# Every xen-like/arch/x86_64/*.[cS] and xen-like/runtime/*.c joins the image
# (wildcards: new files need no edit here). xen-like/core/*.c is compiled
# freestanding into an archive, so only what the hypervisor calls is linked.
#
# The image is linked three times so that it can symbolise its own stack
# traces: link, list its text symbols into a table, link with the table,
# list again (now at the final addresses), link once more. Table sizes of
# the last two passes are equal, so the last layout is the one described.

HV_DIR      := $(BUILD)/xen-like
HV_INC      := -Ihypercalls -Ixen-like/core -Ixen-like/runtime -Ixen-like/arch/x86_64
HV_LDS      := xen-like/arch/x86_64/xen-like.lds
HV_VIRT_BASE_ADDR := 0xffffffff80000000
HV_IMAGE    := $(HV_DIR)/xen-like
HV_SYMS     := $(HV_DIR)/xen-like-syms
HV_ISO      := $(HV_DIR)/xen-like.iso
HV_CMDLINE  ?= loglvl=info

HV_C_SRCS   := $(wildcard xen-like/arch/x86_64/*.c xen-like/runtime/*.c)
HV_S_SRCS   := $(wildcard xen-like/arch/x86_64/*.S)
HV_CORE_SRCS:= $(wildcard xen-like/core/*.c)
HV_OBJS     := $(patsubst %.c,$(HV_DIR)/obj/%.o,$(HV_C_SRCS)) \
               $(patsubst %.S,$(HV_DIR)/obj/%.o,$(HV_S_SRCS))
HV_CORE_OBJS:= $(patsubst %.c,$(HV_DIR)/obj/%.o,$(HV_CORE_SRCS))
HV_CORE_LIB := $(HV_DIR)/core.a
HV_GENSYMS  := xen-like/arch/x86_64/gen_symtab.py

HV_TARGETS  += $(HV_IMAGE)

-include $(HV_OBJS:.o=.d) $(HV_CORE_OBJS:.o=.d)

$(HV_DIR)/obj/xen-like/core/%.o: xen-like/core/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_CFLAGS) -Ihypercalls -Ixen-like/core -MMD -MP -c -o $@ $<

$(HV_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_CFLAGS) $(HV_INC) -MMD -MP -c -o $@ $<

$(HV_DIR)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(Q)$(CC) $(HV_ASFLAGS) $(HV_INC) -MMD -MP -c -o $@ $<

$(HV_CORE_LIB): $(HV_CORE_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

HV_LINK = $(LD) $(HV_LDFLAGS) -T $(HV_LDS) -o $(1) $(HV_OBJS) $(HV_CORE_LIB) $(2)

$(HV_SYMS): $(HV_OBJS) $(HV_CORE_LIB) $(HV_LDS) $(HV_GENSYMS)
	$(Q)python3 $(HV_GENSYMS) /dev/null > $(HV_DIR)/symtab0.S
	$(Q)$(CC) $(HV_ASFLAGS) -c -o $(HV_DIR)/symtab0.o $(HV_DIR)/symtab0.S
	$(Q)$(call HV_LINK,$@.0,$(HV_DIR)/symtab0.o)
	$(Q)nm -n $@.0 | python3 $(HV_GENSYMS) - > $(HV_DIR)/symtab1.S
	$(Q)$(CC) $(HV_ASFLAGS) -c -o $(HV_DIR)/symtab1.o $(HV_DIR)/symtab1.S
	$(Q)$(call HV_LINK,$@.1,$(HV_DIR)/symtab1.o)
	$(Q)nm -n $@.1 | python3 $(HV_GENSYMS) - > $(HV_DIR)/symtab2.S
	$(Q)$(CC) $(HV_ASFLAGS) -c -o $(HV_DIR)/symtab2.o $(HV_DIR)/symtab2.S
	$(Q)$(call HV_LINK,$@,$(HV_DIR)/symtab2.o)
	$(Q)nm -n $@ | python3 $(HV_GENSYMS) - | cmp -s - $(HV_DIR)/symtab2.S || \
	    { echo "symbol table did not converge"; rm -f $@; exit 1; }
	$(Q)rm -f $@.0 $@.1

# QEMU's multiboot loader takes only 32-bit ELF: same bytes, ELF32 container,
# with virtual = physical addresses (GRUB checks the entry against p_vaddr).
$(HV_IMAGE): $(HV_SYMS) xen-like/build.mk
	$(Q)$(OBJCOPY) -O elf32-i386 --strip-all --change-section-vma '*-$(HV_VIRT_BASE_ADDR)' $< $@

# The GRUB (multiboot2) ISO; HV_CMDLINE gives the hypervisor command line.
$(HV_ISO): $(HV_IMAGE) xen-like/build.mk
	@mkdir -p $(HV_DIR)/iso/boot/grub
	$(Q)cp $(HV_IMAGE) $(HV_DIR)/iso/boot/xen-like
	$(Q)printf 'set timeout=0\nset default=0\nserial --unit=0 --speed=115200\nterminal_output serial console\nmenuentry "xen-like" {\n  multiboot2 /boot/xen-like %s\n  boot\n}\n' \
	    "$(HV_CMDLINE)" > $(HV_DIR)/iso/boot/grub/grub.cfg
	$(Q)grub-mkrescue -o $@ $(HV_DIR)/iso >$(HV_DIR)/grub-mkrescue.log 2>&1 || \
	    { cat $(HV_DIR)/grub-mkrescue.log; exit 1; }

iso: $(HV_ISO)

# The hypervisor alone (its banner, memory map, CPUs, timer ticks; Ctrl-A x
# quits). `make run` (tests/fixtures/build.mk) boots dom0 and a domU on it.
.PHONY: run-hv
run-hv: $(HV_IMAGE)
	$(QEMU) $(QEMU_FLAGS) -display none -serial mon:stdio \
	    -kernel $(HV_IMAGE) -append "$(HV_CMDLINE)"
