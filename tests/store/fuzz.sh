#!/bin/sh
# Bounded fuzz runs for `make test`: the store's wire parser (a seed corpus
# of valid requests written here, then RUNS mutated inputs, default 300000,
# at most SECS=60 s) and a hostile guest's shared ring (RING_RUNS, default
# 60000, at most RING_SECS=30 s). A crash or sanitizer report fails the
# suite. For a long run:
#   RUNS=-1 SECS=600 RING_RUNS=-1 RING_SECS=600 tests/store/fuzz.sh
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
# Ring seeds (fuzz_ring.c's script): op 0 LEN BYTES puts request bytes on
# the ring, 6 kicks the event channel, 7 makes dom0 fire the guest's watch,
# 5 reads every reply, 1-4 set an index to the next 4 bytes.
R=$(mktemp -d /tmp/store-fuzz-ring.XXXXXX)
trap 'rm -rf "$C" "$R"' EXIT
ring() {    # ring FILE TYPE PAYLOAD [TAIL]: one request, a kick, TAIL's ops
    len=$(msg "$2" 0 "$3" | wc -c)
    { printf "\000\$(printf %03o "$len")"; msg "$2" 0 "$3"; printf "\006$4"; } > "$R/$1"
}
ring watch 4 '/local/domain/1/w\000t\000' '\007\005\006\007\006'
ring write 11 'x\000v' '\005\006'
ring read 2 '/local/domain/1\000' '\005\006'
ring tx 6 '\000' '\005\006'
ring full 4 '/local/domain/1/w\000t\000' '\007\007\007\007\007\007\007\006\005\006'
ring badidx 2 'x\000' '\004\377\377\000\000\006'

A=$(dirname "$F")/fuzz-artifacts
mkdir -p "$A"
passed=0 failed=0
# fuzz NAME BINARY CORPUS RUNS SECS
fuzz() {
    seeds=$(ls "$3" | wc -l)
    out=$("$2" -runs="$4" -max_total_time="$5" -max_len=9000 -artifact_prefix="$A/" "$3" 2>&1)
    rc=$?
    echo "$out" | grep -aE '^(#[0-9]+ +DONE|Done|INFO: Running|==[0-9]+==ERROR|SUMMARY)' | head -5
    if [ $rc -eq 0 ]; then
        echo "PASS $1 ($4 runs from $seeds seeds)"
        passed=$((passed + 1))
    else
        echo "$out" | tail -30
        echo "FAIL $1"
        failed=$((failed + 1))
    fi
}
fuzz fuzz_wire "$F" "$C" "$RUNS" "$SECS"
FR=${BUILD:-build}/store/fuzz_ring
if [ -x "$FR" ]; then
    fuzz fuzz_ring "$FR" "$R" "${RING_RUNS:-60000}" "${RING_SECS:-30}"
else
    echo "FAIL fuzz_ring: missing $FR"
    failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
