# tests/system: QEMU boot tests of the hypervisor (one file per test in
# tests/system/cases/, see run.py). run-all.sh builds `all` before suites.
SUITES += tests/system/run.py
