# store/: xenstored, the client library and the xs tool, their unit tests,
# the conformance suite (Debian's xenstore-utils against our daemon), the
# wire fuzzer and the benchmark against Debian's daemons.
STORE_CORE := store/wire.c store/tree.c store/txn.c store/watch.c store/node.c \
              store/conn.c store/domain.c store/control.c store/state.c \
              store/transport_ring.c store/log.c
STORE_HDRS := $(wildcard store/*.h)
# Our hypercalls/io/xs_wire.h first; Debian's copy only until ours lands.
STORE_INC  := -Ihypercalls -Istore $(if $(wildcard hypercalls/io/xs_wire.h),,-I/usr/include/xen)

TOOL_TARGETS += $(BUILD)/store/xenstored

$(BUILD)/store/xenstored: $(STORE_CORE) store/transport_socket.c store/main.c $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(STORE_INC) -o $@ $(STORE_CORE) store/transport_socket.c store/main.c

TOOL_TARGETS += $(BUILD)/store/xs

$(BUILD)/store/xs: store/xs_tool.c store/xs_client.c store/wire.c $(STORE_HDRS)
	@mkdir -p $(@D)
	$(Q)$(HOST_CC) $(TOOL_CFLAGS) $(STORE_INC) -o $@ store/xs_tool.c store/xs_client.c store/wire.c
