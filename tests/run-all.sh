#!/bin/sh
# Builds everything, runs every suite `make print-suites` lists, and sums their
# closing "N passed, N failed" lines. A suite that cannot build or that ends
# without that line counts as one failure. Logs land in build/test-logs/.
cd "$(dirname "$0")/.." || exit 2
LOGS=build/test-logs
mkdir -p "$LOGS"
start=$(date +%s)
total_pass=0
total_fail=0

if ! make -s -j"$(nproc)" all unit >"$LOGS/build.log" 2>&1; then
    cat "$LOGS/build.log"
    echo "BUILD FAILED (log: $LOGS/build.log)"
    total_fail=1
fi

for suite in $(make -s print-suites); do
    name=$(echo "$suite" | tr '/' '_')
    log="$LOGS/$name.log"
    echo "== $suite"
    s0=$(date +%s)
    if [ -x "$suite" ] || [ -f "$suite" ]; then
        "./$suite" >"$log" 2>&1
    else
        echo "missing suite: $suite" >"$log"
    fi
    grep -E '^(FAIL|SKIP) ' "$log" | sed 's/^/   /'
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -z "$line" ]; then
        tail -20 "$log" | sed 's/^/   | /'
        echo "   suite ended without a result line (log: $log)"
        total_fail=$((total_fail + 1))
        continue
    fi
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
    if [ "$f" -ne 0 ]; then
        grep -E '^    ' "$log" | head -40
    fi
    echo "   $line ($(( $(date +%s) - s0 )) s)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done

echo "make test took $(( $(date +%s) - start )) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
