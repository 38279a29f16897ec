# tests/: the suite list. A suite is a command that prints its own results and
# ends with "N passed, N failed"; tests/run-all.sh runs them all and sums.
# Fragments append to SUITES; every unit-test binary is a suite by itself.
SUITES += $(UNIT_BINS)

.PHONY: print-suites
print-suites:
	@for s in $(SUITES); do echo "$$s"; done
