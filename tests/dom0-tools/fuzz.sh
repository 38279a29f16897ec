#!/bin/sh
# Bounded libFuzzer run of the xl.cfg parser (tests/dom0-tools/fuzz_cfg.c):
# FUZZ_RUNS inputs (default 200000) from the seed corpus. One result line.
cd "$(dirname "$0")/../.." || exit 2
F=${BUILD:-build}/dom0-tools/fuzz_cfg
RUNS=${FUZZ_RUNS:-200000}
T=$(mktemp -d /tmp/dom0-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT
[ -x "$F" ] || { echo "FAIL fuzz_cfg not built"; echo "0 passed, 1 failed"; exit 1; }
cp tests/dom0-tools/corpus/* "$T"/
if nice "$F" -runs="$RUNS" -max_len=4096 -seed=1 -artifact_prefix="$T/" "$T" >"$T.log" 2>&1; then
    echo "PASS fuzz_cfg: $RUNS runs, $(grep -o 'cov: [0-9]*' "$T.log" | tail -1)"
    echo "1 passed, 0 failed"
else
    echo "FAIL fuzz_cfg"; tail -30 "$T.log"; echo "0 passed, 1 failed"; rm -f "$T.log"; exit 1
fi
rm -f "$T.log"
