# hypercalls/: the public ABI headers. Nothing is compiled here; the list
# lets other fragments depend on the headers. They are checked against
# Xen's by tests/abi (see tests/abi/build.mk).
HYPERCALL_HEADERS := $(wildcard hypercalls/*.h hypercalls/*/*.h hypercalls/*/*/*.h)
