# tests/fuzz: the core fuzzer (a seeded random driver under ASan+UBSan).
# A short run (4 seeds x 20k calls) is a suite; `make fuzz-core` is the long
# run: FUZZ_CALLS calls per seed x FUZZ_SEEDS seeds (default 10 million).
FUZZ_CORE      := $(BUILD)/fuzz/core-fuzz
FUZZ_CORE_SRCS := $(wildcard xen-like/core/*.c) tests/unit/core/env_host.c tests/fuzz/fuzz_core.c
FUZZ_CALLS     ?= 500000
FUZZ_SEEDS     ?= 20
UNIT_BINS      += $(FUZZ_CORE)

$(FUZZ_CORE): $(FUZZ_CORE_SRCS) $(wildcard xen-like/core/*.h tests/unit/core/*.h hypercalls/*.h hypercalls/*/*.h)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TEST_CFLAGS) -Ihypercalls -Ixen-like/core -Itests/unit/core -o $@ $(FUZZ_CORE_SRCS)

.PHONY: fuzz-core
fuzz-core: $(FUZZ_CORE)
	nice $(FUZZ_CORE) --calls $(FUZZ_CALLS) --seeds $(FUZZ_SEEDS)
