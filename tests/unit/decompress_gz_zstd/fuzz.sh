#!/bin/sh
# Bounded libFuzzer runs of gunzip() and unzstd() for `make test`, each
# differential against zlib/libzstd (fuzz_gunzip.c, fuzz_unzstd.c), from
# seeds written here by the gzip and zstd programs. SECS each (default 15).
# A crash, a sanitizer report or a disagreement fails that target.
# For a long run: SECS=600 tests/unit/decompress_gz_zstd/fuzz.sh
cd "$(dirname "$0")/../../.." || exit 2
B=${BUILD:-build}/decompress_gz_zstd
SECS=${SECS:-15}
C=$(mktemp -d /tmp/gzzstd-fuzz.XXXXXX)
trap 'rm -rf "$C"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$C/gz" "$C/zst" "$B/fuzz-artifacts"

# Small, varied inputs: text, bytes, runs, and an empty one.
printf 'hello hello hello hello, xen-like hypervisor domain domain\n' > "$C/t1"
seq 1 400 | tr '\n' ' ' > "$C/t2"
head -c 3000 /dev/zero > "$C/t3"
awk 'BEGIN { srand(7); for (i = 0; i < 2000; i++) printf "%c", 65 + int(rand() * 6) }' > "$C/t4"
: > "$C/t5"
for f in t1 t2 t3 t4 t5; do
    for l in 1 6 9; do gzip -$l -c "$C/$f" > "$C/gz/$f-$l.gz"; done
    for l in 1 3 19; do zstd -q -$l -c "$C/$f" > "$C/zst/$f-$l.zst"; done
    zstd -q --no-check -c "$C/$f" > "$C/zst/$f-nocheck.zst"
done
cat "$C/zst/t1-1.zst" "$C/zst/t4-19.zst" > "$C/zst/two-frames.zst"

passed=0 failed=0
for t in gunzip:gz unzstd:zst; do
    name=${t%%:*} dir=$C/${t##*:}
    F=$B/fuzz_$name
    if [ ! -x "$F" ]; then
        echo "FAIL fuzz_$name (missing $F)"; failed=$((failed + 1)); continue
    fi
    out=$(nice "$F" -max_total_time="$SECS" -max_len=8192 -timeout=10 \
          -artifact_prefix="$B/fuzz-artifacts/$name-" "$dir" 2>&1)
    rc=$?
    echo "$out" | grep -aE '^(#[0-9]+ +DONE|Done|==[0-9]+==ERROR|SUMMARY)' | head -3
    if [ $rc -eq 0 ]; then
        echo "PASS fuzz_$name (${SECS}s, $(ls "$dir" | wc -l) seeds)"; passed=$((passed + 1))
    else
        echo "$out" | tail -30
        echo "FAIL fuzz_$name"; failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
