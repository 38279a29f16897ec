# store/: xenstored, the client library and the xs tool, their unit tests,
# the conformance suite (Debian's xenstore-utils against our daemon), the
# wire fuzzer and the benchmark against Debian's daemons.
STORE_CORE := store/wire.c store/tree.c store/txn.c store/watch.c store/node.c \
              store/conn.c store/domain.c store/control.c store/state.c \
              store/transport_ring.c store/log.c
STORE_HDRS := $(wildcard store/*.h)
# The wire ABI comes from our hypercalls/io/xs_wire.h.
STORE_INC  := -Ihypercalls -Istore

TOOL_TARGETS += $(BUILD)/store/xenstored

# transport_xen.c: the rings in a Xen dom0 (Linux's /dev/xen devices).
STORE_DAEMON := store/transport_socket.c store/transport_xen.c store/main.c
$(BUILD)/store/xenstored: $(STORE_CORE) $(STORE_DAEMON) $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(STORE_INC) -o $@ $(STORE_CORE) $(STORE_DAEMON)

TOOL_TARGETS += $(BUILD)/store/xs

$(BUILD)/store/xs: store/xs_tool.c store/xs_client.c store/wire.c $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(STORE_INC) -o $@ store/xs_tool.c store/xs_client.c store/wire.c

# Unit tests: one binary per area, all on the same core sources.
STORE_UNIT_SRC := $(STORE_CORE)
$(eval $(call unit_test,store_wire,tests/store/test_wire.c store/wire.c,$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_tree,tests/store/test_tree.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_node,tests/store/test_node.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_txn,tests/store/test_txn.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_conn,tests/store/test_conn.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_ring,tests/store/test_ring.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))
$(eval $(call unit_test,store_state,tests/store/test_state.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))

$(eval $(call unit_test,store_xen,tests/store/test_xen.c store/transport_xen.c $(STORE_UNIT_SRC),$(STORE_INC) -Wno-format-truncation))

STORE_UNITS := $(addprefix $(BUILD)/unit/store_,wire tree node txn conn ring state xen)
$(STORE_UNITS): $(STORE_HDRS) tests/store/harness.h

# The misbehaving client the conformance suite uses.
TOOL_TARGETS += $(BUILD)/store/xs-hostile
$(BUILD)/store/xs-hostile: tests/store/hostile.c
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) -o $@ $<

# libFuzzer target for the wire parser (clang, libclang-rt-14-dev).
FUZZ_CC ?= clang
TOOL_TARGETS += $(BUILD)/store/fuzz_wire
$(BUILD)/store/fuzz_wire: tests/store/fuzz_wire.c $(STORE_CORE) $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(STORE_INC) -o $@ tests/store/fuzz_wire.c $(STORE_CORE)

# ... and for a guest's shared ring (a hostile guest's page).
TOOL_TARGETS += $(BUILD)/store/fuzz_ring
$(BUILD)/store/fuzz_ring: tests/store/fuzz_ring.c $(STORE_CORE) $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		$(STORE_INC) -o $@ tests/store/fuzz_ring.c $(STORE_CORE)

SUITES += tests/store/conformance.sh tests/store/fuzz.sh
BENCH_CMDS += tests/store/bench.sh
