# tests/fuzz: the core fuzzer under ASan+UBSan. fuzz_core.c is the engine;
# fuzz_main.c the seeded driver (a short run of 4 seeds x 20k calls is a
# suite; `make fuzz-core` is the long run, FUZZ_CALLS x FUZZ_SEEDS calls,
# default 10 million, full invariant walk every call); fuzz_libfuzzer.c the
# libFuzzer entry (`make fuzz-core-libfuzzer`, FUZZ_SECONDS of clang's
# coverage-guided search).
FUZZ_CORE      := $(BUILD)/fuzz/core-fuzz
FUZZ_CORE_LF   := $(BUILD)/fuzz/core-libfuzzer
FUZZ_CORE_LIB  := $(wildcard xen-like/core/*.c) tests/unit/core/env_host.c tests/fuzz/fuzz_core.c
FUZZ_CORE_DEPS := $(FUZZ_CORE_LIB) $(wildcard xen-like/core/*.h tests/unit/core/*.h tests/fuzz/*.h \
                  hypercalls/*.h hypercalls/*/*.h)
FUZZ_CORE_INC  := -Ihypercalls -Ixen-like/core -Itests/unit/core -Itests/fuzz
FUZZ_CALLS     ?= 500000
FUZZ_SEEDS     ?= 20
FUZZ_SECONDS   ?= 300
UNIT_BINS      += $(FUZZ_CORE)

$(FUZZ_CORE): $(FUZZ_CORE_DEPS) tests/fuzz/fuzz_main.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TEST_CFLAGS) $(FUZZ_CORE_INC) -o $@ $(FUZZ_CORE_LIB) tests/fuzz/fuzz_main.c

$(FUZZ_CORE_LF): $(FUZZ_CORE_DEPS) tests/fuzz/fuzz_libfuzzer.c
	@mkdir -p $(@D)
	$(Q)clang -std=gnu11 -g -O1 $(HOST_WARN) -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all $(FUZZ_CORE_INC) -o $@ $(FUZZ_CORE_LIB) tests/fuzz/fuzz_libfuzzer.c

.PHONY: fuzz-core fuzz-core-libfuzzer
fuzz-core: $(FUZZ_CORE)
	nice $(FUZZ_CORE) --calls $(FUZZ_CALLS) --seeds $(FUZZ_SEEDS)

fuzz-core-libfuzzer: $(FUZZ_CORE_LF)
	@mkdir -p $(BUILD)/fuzz/core-corpus
	nice $(FUZZ_CORE_LF) -max_total_time=$(FUZZ_SECONDS) -max_len=16384 $(BUILD)/fuzz/core-corpus
