#!/bin/sh
# Bounded libFuzzer run of unxz() for `make test`: seeds are small streams
# made by Debian's xz (each check, the x86 filter, several blocks, stored
# chunks), then RUNS mutated inputs (default 250000, ~25 s; at most SECS=40 s). A
# crash, a sanitizer report or a disagreement with liblzma fails the suite.
# Long run:  RUNS=-1 SECS=600 tests/unit/decompress/fuzz.sh
cd "$(dirname "$0")/../../.." || exit 2
F=${BUILD:-build}/decompress/fuzz_unxz
RUNS=${RUNS:-250000} SECS=${SECS:-40}
[ -x "$F" ] || { echo "missing $F"; echo "0 passed, 1 failed"; exit 1; }
command -v xz >/dev/null || { echo "no xz to make seeds"; echo "0 passed, 1 failed"; exit 1; }
C=$(mktemp -d /tmp/unxz-fuzz.XXXXXX)
trap 'rm -rf "$C"' EXIT
trap 'exit 130' INT TERM

text() { i=0; while [ $i -lt "$1" ]; do echo "domain $i event channel grant $((i * 7))"; i=$((i + 1)); done; }
text 40 > "$C/t"
head -c 3000 /bin/sh > "$C/x"
head -c 700 /dev/urandom > "$C/r"
n=0
seed() { n=$((n + 1)); xz -c "$@" > "$C/seed$n"; }
seed -0 --check=none < "$C/t"
seed -6 --check=crc32 < "$C/t"
seed -9e --check=crc64 < "$C/t"
seed --x86 --lzma2=preset=6 --check=crc32 < "$C/x"
seed --block-size=300 --check=crc32 < "$C/t"
seed --check=crc32 < "$C/r"
cat "$C/r" "$C/t" > "$C/m"
seed --check=crc64 < "$C/m"
seed --lzma2=lc=0,lp=2,pb=0 < "$C/x"
seed < /dev/null
rm -f "$C/t" "$C/x" "$C/r" "$C/m"
mkdir -p "$(dirname "$F")/fuzz-artifacts"
out=$(nice "$F" -runs="$RUNS" -max_total_time="$SECS" -max_len=4096 \
      -artifact_prefix="$(dirname "$F")/fuzz-artifacts/" "$C" 2>&1)
rc=$?
echo "$out" | grep -aE '^(#[0-9]+ +DONE|Done|INFO: Running|==[0-9]+==ERROR|SUMMARY)' | head -5
if [ $rc -eq 0 ]; then
    echo "PASS fuzz_unxz ($RUNS runs from $n seeds)"
    echo "1 passed, 0 failed"
else
    echo "$out" | tail -30
    echo "FAIL fuzz_unxz"
    echo "0 passed, 1 failed"
fi
