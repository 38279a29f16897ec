# tests/unit/runtime: host unit tests of the hypervisor's pure runtime parts
# (ASan + UBSan). Each binary is a suite.
RT_UNIT_CFLAGS := -Ixen-like/runtime -Ixen-like/core -fno-builtin
RT_RENAME := -include tests/unit/runtime/rename.h

$(eval $(call unit_test,runtime_cmdline,tests/unit/runtime/test_cmdline.c xen-like/runtime/cmdline.c $(BUILD)/unit/rt_string.o,$(RT_UNIT_CFLAGS) $(RT_RENAME)))
$(eval $(call unit_test,runtime_buddy,tests/unit/runtime/test_buddy.c xen-like/runtime/buddy.c,$(RT_UNIT_CFLAGS)))
$(eval $(call unit_test,runtime_timerq,tests/unit/runtime/test_timerq.c xen-like/runtime/timerq.c,$(RT_UNIT_CFLAGS)))
$(eval $(call unit_test,runtime_memmap,tests/unit/runtime/test_memmap.c xen-like/runtime/memmap.c,$(RT_UNIT_CFLAGS)))
$(eval $(call unit_test,runtime_string,tests/unit/runtime/test_string.c $(BUILD)/unit/rt_string.o,))
$(eval $(call unit_test,runtime_format,tests/unit/runtime/test_format.c xen-like/runtime/format.c $(BUILD)/unit/rt_string.o,$(RT_UNIT_CFLAGS) $(RT_RENAME) -Wno-format))

# string.c under rt_ names (rename.h), so format.c can be tested on it too.
$(BUILD)/unit/rt_string.o: xen-like/runtime/string.c tests/unit/runtime/rename.h
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TEST_CFLAGS) -Ixen-like/runtime -fno-builtin \
	    -include tests/unit/runtime/rename.h -c -o $@ $<

# Boot-time parsers of loader and firmware data, over fake machine memory.
RT_ARCH_CFLAGS := $(RT_UNIT_CFLAGS) -Ixen-like/arch/x86_64 $(RT_RENAME)
$(eval $(call unit_test,runtime_multiboot,tests/unit/runtime/test_multiboot.c xen-like/arch/x86_64/multiboot.c xen-like/runtime/memmap.c $(BUILD)/unit/rt_string.o,$(RT_ARCH_CFLAGS)))
$(eval $(call unit_test,runtime_acpi,tests/unit/runtime/test_acpi.c xen-like/arch/x86_64/acpi.c $(BUILD)/unit/rt_string.o,$(RT_ARCH_CFLAGS)))

# The small object allocator over a fake page allocator (test_xmalloc.c).
$(eval $(call unit_test,runtime_xmalloc,tests/unit/runtime/test_xmalloc.c xen-like/runtime/xmalloc.c $(BUILD)/unit/rt_string.o,$(RT_ARCH_CFLAGS) -include tests/unit/runtime/host_cpu.h))

# The console ring behind XEN_SYSCTL_readconsole.
$(eval $(call unit_test,runtime_conring,tests/unit/runtime/test_conring.c xen-like/runtime/conring.c,$(RT_UNIT_CFLAGS)))
