# xen-like/core: host unit tests of the arch-free core (every core source and
# every tests/unit/core test, over the host env in tests/unit/core/env_host.c).
# The hypervisor image compiles the same sources freestanding (xen-like/build.mk).
CORE_SRCS       := $(wildcard xen-like/core/*.c)
CORE_TEST_SRCS  := $(wildcard tests/unit/core/*.c)
CORE_HDRS       := $(wildcard xen-like/core/*.h tests/unit/core/*.h)
CORE_TEST_FLAGS := -Ixen-like/core -Itests/unit/core

# Freestanding compile of every core file with the hypervisor's flags, so a
# libc include or a warning in core/ fails `make` even before the image links it.
CORE_HV_CHECK := $(BUILD)/core-freestanding.stamp
CHECK_TARGETS += $(CORE_HV_CHECK)
$(CORE_HV_CHECK): $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(Q)for f in $(CORE_SRCS); do \
	    $(CC) $(HV_CFLAGS) -Ihypercalls -Ixen-like/core -fsyntax-only $$f || exit 1; \
	done
	$(Q)touch $@

$(eval $(call unit_test,core,$(CORE_SRCS) $(CORE_TEST_SRCS),$(CORE_TEST_FLAGS)))
$(BUILD)/unit/core: $(CORE_HV_CHECK) $(CORE_HDRS) $(wildcard hypercalls/*.h hypercalls/*/*.h)

