# tests/abi: hypercalls/ checked against Debian's Xen headers (libxen-dev).
# One suite; its groups are listed by `tests/abi/abicheck.py` itself.
# `make abi-check` runs it alone.
SUITES        += tests/abi/abicheck.py
CHECK_TARGETS += abi-check

.PHONY: abi-check
abi-check:
	$(Q)tests/abi/abicheck.py
