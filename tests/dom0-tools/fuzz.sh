#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Bounded libFuzzer runs: the xl.cfg parser (fuzz_cfg.c) and the kernel image
# reader (fuzz_kimg.c), FUZZ_RUNS inputs each (default 200000) from the seed
# corpora. One result line per target.
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}/dom0-tools
RUNS=${FUZZ_RUNS:-200000}
T=$(mktemp -d /tmp/dom0-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0

run() {     # run TARGET CORPUS
    mkdir -p "$T/$1"
    cp "$2"/* "$T/$1"/
    if [ ! -x "$B/$1" ]; then
        echo "FAIL $1 not built"; fail=$((fail + 1)); return
    fi
    if nice "$B/$1" -runs="$RUNS" -max_len=4096 -seed=1 -rss_limit_mb=2048 \
            -artifact_prefix="$T/" "$T/$1" >"$T/$1.log" 2>&1; then
        echo "PASS $1: $RUNS runs, $(grep -o 'cov: [0-9]*' "$T/$1.log" | tail -1)"
        pass=$((pass + 1))
    else
        echo "FAIL $1"; tail -30 "$T/$1.log"; fail=$((fail + 1))
    fi
}
run fuzz_cfg tests/dom0-tools/corpus
run fuzz_kimg tests/dom0-tools/corpus-kimg
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
