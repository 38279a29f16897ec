#!/bin/sh
# Bounded fuzz run of the store's wire parser for `make test`: a seed corpus
# of valid requests (written here), then RUNS mutated inputs (default 300000, at most SECS=60 s).
# A crash or sanitizer report fails the suite. For a long run:
#   RUNS=-1 SECS=600 tests/store/fuzz.sh
cd "$(dirname "$0")/../.." || exit 2
F=${BUILD:-build}/store/fuzz_wire
RUNS=${RUNS:-300000} SECS=${SECS:-60}
[ -x "$F" ] || { echo "missing $F"; echo "0 passed, 1 failed"; exit 1; }
C=$(mktemp -d /tmp/store-fuzz.XXXXXX)
trap 'rm -rf "$C"' EXIT
trap 'exit 130' INT TERM

# msg TYPE TX PAYLOAD(printf format): one framed request on stdout
msg() {
    len=$(printf "$3" | wc -c)
    for v in "$1" 0 "$2" "$len"; do
        printf "\\$(printf %03o $((v & 255)))\\$(printf %03o $(((v >> 8) & 255)))\\000\\000"
    done
    printf "$3"
}
# seed MODE CHUNK TYPE TX PAYLOAD: a one-request input (MODE 1 = a guest)
n=0
seed() {
    n=$((n + 1))
    { printf "\\$(printf %03o "$1")\\$(printf %03o "$2")"; msg "$3" "$4" "$5"; } > "$C/seed$n"
}
seed 0 255 11 0 '/a/b\000value'
seed 1 7 11 0 'rel/x\000v'
seed 0 255 2 0 '/a/b\000'
seed 0 255 1 0 '/\000'
seed 0 255 22 0 '/a\0000\000'
seed 0 255 14 0 '/a\000b0\000r1\000'
seed 0 255 4 0 '/a\000tok\000'
seed 0 255 6 0 '\000'
seed 0 255 7 1 'T\000'
seed 0 255 13 0 '/a\000'
seed 0 255 8 0 '5\000100\0003\000'
seed 0 255 9 0 '5\000'
seed 1 3 12 0 'd/e/f\000'
seed 0 255 0 0 'check\000'
# a session: a node with a child, then a transaction adding and removing more
n=$((n + 1))
{ printf '\000\377'; msg 11 0 '/s/k\000v'; msg 6 0 '\000'; msg 11 1 '/s/new\000x';
  msg 13 1 '/s/k\000'; msg 1 1 '/s\000'; msg 7 1 'T\000'; msg 2 0 '/s/new\000'; } > "$C/seed$n"
n=$((n + 1))
{ printf '\001\377'; msg 11 0 'h/a\000v'; msg 6 0 '\000'; msg 12 1 'h/b/c\000';
  msg 14 1 'h/b\000b1\000r0\000'; msg 7 1 'T\000'; msg 4 0 'h\000t\000'; msg 13 0 'h/b\000'; } > "$C/seed$n"
mkdir -p "$(dirname "$F")/fuzz-artifacts"
out=$("$F" -runs="$RUNS" -max_total_time="$SECS" -max_len=9000 \
      -artifact_prefix="$(dirname "$F")/fuzz-artifacts/" "$C" 2>&1)
rc=$?
echo "$out" | grep -aE '^(#[0-9]+ +DONE|Done|INFO: Running|==[0-9]+==ERROR|SUMMARY)' | head -5
if [ $rc -eq 0 ]; then
    echo "PASS fuzz_wire ($RUNS runs from $n seeds)"
    echo "1 passed, 0 failed"
else
    echo "$out" | tail -30
    echo "FAIL fuzz_wire"
    echo "0 passed, 1 failed"
fi
