#!/bin/sh
# Conformance: our xenstored on a private socket, driven by Debian's unmodified
# xenstore-utils (libxenstore) and by our own xs tool; misbehaving clients;
# dump + restart + restore; and, when the anchor's C xenstored is unpacked
# (../shared/anchors/xenstore/anchor.sh setup, done here when missing), the same script of
# xenstore-utils commands against both daemons with the outputs compared.
# Ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}/store
D=$B/xenstored XS=$B/xs HOSTILE=$B/xs-hostile
# The yardstick lives in shared/, beside the repository.
ANCHOR=${ANCHOR:-$(pwd)/../shared/anchors/xenstore/anchor.sh}
T=$(mktemp -d /tmp/store-conf.XXXXXX)
pass=0 fail=0 pid=

ok()   { pass=$((pass + 1)); echo "PASS $1"; }
bad()  { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }
# check NAME EXPECTED ACTUAL
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $(printf %s "$2" | head -c 300)" "got:  $(printf %s "$3" | head -c 300)"; fi; }
T5() { timeout 10 "$@"; }

start() {       # start [extra daemon args]
    rm -f "$T/sock"
    "$D" -D -s "$T/sock" -l "$T/log" "$@" & pid=$!
    i=0; while [ ! -S "$T/sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
cleanup() { stop; rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

for f in "$D" "$XS" "$HOSTILE"; do [ -x "$f" ] || { echo "missing $f"; echo "0 passed, 1 failed"; exit 1; }; done
if ! command -v xenstore-write >/dev/null; then
    echo "FAIL xenstore-utils not installed"; echo "0 passed, 1 failed"; exit 1
fi
export XENSTORED_PATH="$T/sock"
mask=$(umask); umask 0; start; umask "$mask"
check "the socket is root's alone (0600), whatever the umask" 600 "$(stat -c %a "$T/sock")"

# ---- Debian's xenstore-utils against our daemon ----
T5 xenstore-write /conf/a 1 /conf/b/c "two words" /conf/e ""
check "xenstore-write exits 0" 0 $?
check "xenstore-read values" "1
two words" "$(T5 xenstore-read /conf/a /conf/b/c)"
check "xenstore-read missing node fails" 1 "$(T5 xenstore-read /conf/none 2>/dev/null; echo $?)"
check "xenstore-exists present" 0 "$(T5 xenstore-exists /conf/b; echo $?)"
check "xenstore-exists absent" 1 "$(T5 xenstore-exists /conf/zz; echo $?)"
check "xenstore-list keeps creation order" "a
b
e" "$(T5 xenstore-list /conf)"
check "xenstore-ls tree" "a = \"1\"
b = \"\"
 c = \"two words\"
e = \"\"" "$(T5 xenstore-ls /conf)"
T5 xenstore-chmod /conf/b n0 r1 w2
T5 xenstore-chmod /conf/a r1 2>/dev/null
check "xenstore-chmod to an unknown owner is refused (as C xenstored)" 1 $?
dots() { sed 's/ [ .]*(/ (/'; }
check "xenstore-ls -p: children keep their own list" "c = \"two words\" (n0)" \
    "$(T5 xenstore-ls -p /conf/b | dots)"
check "xenstore-chmod sets the list" "b = \"\" (n0,r1,w2)" \
    "$(T5 xenstore-ls -p /conf | grep '^b ' | dots)"
T5 xenstore-chmod -r /conf/b b0 r7
check "xenstore-chmod -r reaches children" "/conf/b/c = \"two words\"  (b0,r7)" \
    "$(T5 $XS ls -R -p /conf/b)"
T5 xenstore-chmod /conf/a x1 2>/dev/null
check "xenstore-chmod bad mode refused" 1 $?
T5 xenstore-write /conf/deep/er/est v
T5 xenstore-rm /conf/deep/er/est
check "xenstore-rm removes" 1 "$(T5 xenstore-exists /conf/deep/er/est; echo $?)"
check "xenstore-rm keeps parent" 0 "$(T5 xenstore-exists /conf/deep/er; echo $?)"
T5 xenstore-write /conf/t1/t2/t3 v
T5 xenstore-rm -t /conf/t1/t2/t3
check "xenstore-rm -t drops empty parents" 1 "$(T5 xenstore-exists /conf/t1; echo $?)"
T5 xenstore-rm /conf/never/there 2>/dev/null
check "xenstore-rm of a node under a missing parent fails" 1 $?
T5 xenstore-write local-rel "r"
check "relative path lands under /local/domain/0" "r" "$(T5 xenstore-read /local/domain/0/local-rel)"
big=$(head -c 4000 /dev/zero | tr '\0' 'x')
T5 xenstore-write /conf/big "$big"
check "4000-byte value round trip" 4000 "$(T5 xenstore-read /conf/big | tr -d '\n' | wc -c)"
i=0; args=""; while [ $i -lt 1000 ]; do args="$args /conf/dir/c$i x"; i=$((i + 1)); done
T5 $XS write $args
check "xenstore-list of 1000 children (DIRECTORY_PART)" 1000 "$(T5 xenstore-list /conf/dir | wc -l)"
check "xenstore-ls of 1000 children" 1000 "$(T5 xenstore-ls /conf/dir | wc -l)"

( T5 xenstore-watch -n 3 /conf/w > "$T/watch.out" 2>&1 ) &
wpid=$!
i=0; while ! grep -q . "$T/watch.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
T5 xenstore-write /conf/w/x 1
T5 xenstore-rm /conf/w
wait $wpid
check "xenstore-watch: initial event, write, rm" "/conf/w
/conf/w/x
/conf/w" "$(cat "$T/watch.out")"

# ---- our xs tool, and both tools on each other's data ----
$XS write /xs/a 1 /xs/b/c 2
check "xs read" "1
2" "$($XS read /xs/a /xs/b/c)"
check "xs ls -R" "/xs/a = \"1\"
/xs/b = \"\"
/xs/b/c = \"2\"" "$($XS ls -R /xs)"
check "xs ls" "a
b" "$($XS ls /xs)"
check "xenstore-read sees xs data" "2" "$(T5 xenstore-read /xs/b/c)"
check "xs reads xenstore-write data" "1" "$($XS read /conf/a)"
$XS chmod /xs/a r0 b4
check "xs chmod" "/xs/a = \"1\"  (r0,b4)" "$($XS ls -R -p /xs | head -1)"
check "xs exists" "0 1" "$($XS exists /xs/a; a=$?; $XS exists /xs/q; echo "$a $?")"
$XS rm /xs/b
check "xs rm" "a" "$($XS ls /xs)"
check "xs read error names the errno" "xs: read /xs/none: ENOENT" "$($XS read /xs/none 2>&1)"
( $XS watch -n 2 /xs/w > "$T/xswatch.out" 2>&1 ) &
wpid=$!
i=0; while ! grep -q . "$T/xswatch.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
$XS write /xs/w/k v
wait $wpid
check "xs watch" "/xs/w /xs/w
/xs/w/k /xs/w" "$(cat "$T/xswatch.out")"
check "xs domain-path" "/local/domain/12" "$($XS domain-path 12)"
check "xs control check" "OK" "$($XS control check)"
$XS introduce 7 4096 3 2>/dev/null
check "introduce without a ring backend is recorded" "0" "$?"
check "xs release" "0" "$($XS release 7; echo $?)"
check "xs release of an unknown domain" "xs: release 7: ENOENT" "$($XS release 7 2>&1)"

# ---- hostile clients: answered or dropped, and nobody else notices ----
check "unknown type gets ENOSYS" "ERROR ENOSYS" "$(T5 $HOSTILE badtype)"
check "missing NUL gets EINVAL" "ERROR EINVAL" "$(T5 $HOSTILE nonul)"
T5 xenstore-read /bad//path 2>/dev/null
grep -q "domain 0: read /bad//path: EINVAL: bad path" "$T/log"
check "refusal logged with domain, operation and reason" 0 $?
check "oversized payload: connection closed" "closed" "$(T5 $HOSTILE oversize)"
grep -q "payload of 5000 bytes over 4096" "$T/log"
check "oversized payload is logged" 0 $?
T5 $HOSTILE flood 200000 > "$T/flood.out" &
fpid=$!
sleep 0.3
check "others served while a client floods" "1" "$(T5 xenstore-read /conf/a)"
wait $fpid
check "flooder finished or was held back" "flooded" "$(cat "$T/flood.out")"
$XS control quota output-buffer 65536 >/dev/null
T5 $HOSTILE noread /spam 8 > "$T/noread.out" &
npid=$!
sleep 0.3
T5 $HOSTILE spam /spam 30000 >/dev/null
wait $npid
check "client that stops reading is dropped" "dropped" "$(cat "$T/noread.out")"
grep -q "stopped reading" "$T/log"
check "drop is logged" 0 $?
check "daemon alive after hostile clients" "1" "$(T5 xenstore-read /conf/a)"
check "store consistent after hostile clients" "OK" "$($XS control check)"

# ---- crash-safe restart: dump, new process, restore ----
T5 xenstore-ls -p / > "$T/before"
$XS control dump "$T/state" >/dev/null
stop
start --restore "$T/state"
T5 xenstore-ls -p / > "$T/after"
check "restart keeps every node, value and permission" "" "$(diff "$T/before" "$T/after")"
check "restored store passes check" "OK" "$($XS control check)"
kill -USR1 "$pid" 2>/dev/null
stop
start --state "$T/state2"
T5 xenstore-write /sig/x 1
kill -USR1 "$pid"; sleep 0.3
stop
start --restore "$T/state2"
check "SIGUSR1 state dump restores" "1" "$(T5 xenstore-read /sig/x)"
stop

# ---- live update: exec a new daemon, connections and watches kept ----
start
$XS write /lu/a 1
( T5 xenstore-watch -n 2 /lu > "$T/lu.out" 2>&1 ) &
wpid=$!
i=0; while ! grep -q . "$T/lu.out" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
oldpid=$pid
check "live-update accepted" "OK" "$($XS control live-update)"
sleep 0.3
$XS write /lu/b 2
wait $wpid
check "a watcher keeps its connection and watch across live-update" "/lu
/lu/b" "$(head -2 "$T/lu.out")"
check "nodes survive live-update" "1" "$(T5 xenstore-read /lu/a)"
check "live-update keeps the pid" "$oldpid" "$(kill -0 $oldpid && echo $oldpid)"
grep -q "live-update: .* connections kept" "$T/log"
check "live-update logged" 0 $?
stop

# ---- the same xenstore-utils script against Debian's C xenstored ----
script() {
    xenstore-write /cmp/a 1 /cmp/b/c 2 /cmp/e ""; echo "w $?"
    xenstore-read /cmp/a /cmp/b/c; echo "r $?"
    xenstore-read /cmp/zz 2>&1; echo "r2 $?"
    xenstore-list /cmp; echo "l $?"
    xenstore-ls -p /cmp; echo "ls $?"
    xenstore-chmod /cmp/b r1 w2 b3 2>&1; echo "c $?"
    xenstore-chmod /cmp/b b0 r1 w2; echo "c2 $?"
    xenstore-ls -p /cmp/b; xenstore-ls -p /cmp | grep '^b '
    xenstore-exists /cmp/b/c; echo "x $?"
    xenstore-rm /cmp/b; echo "rm $?"
    xenstore-rm /cmp/nope/deeper 2>&1; echo "rm2 $?"
    xenstore-rm -t /cmp/e; echo "rmt $?"
    xenstore-list /cmp; echo "l2 $?"
    xenstore-write rel 5; xenstore-read /local/domain/0/rel; echo "rel $?"
    xenstore-read /bad//path 2>&1; echo "bad $?"
    xenstore-chmod /cmp/a q1 2>&1; echo "badperm $?"
}
if [ -x "$ANCHOR" ] && [ ! -x /tmp/xs-debs/x/usr/lib/xen-4.17/bin/xenstored ]; then
    "$ANCHOR" setup >"$T/anchor-setup.log" 2>&1
    check "Debian's C xenstored unpacked (anchor setup)" 0 "$?"
fi
if [ -x /tmp/xs-debs/x/usr/lib/xen-4.17/bin/xenstored ] && [ -x "$ANCHOR" ]; then
    start
    script > "$T/ours" 2>&1
    stop
    out=$(unset XENSTORED_PATH; XS_C_DIR="$T/c" "$ANCHOR" start-c 2>/dev/null)
    csock=$(echo "$out" | sed -n 's/^XENSTORED_PATH=\([^ ]*\).*/\1/p')
    export XENSTORED_PATH="$csock"
    script > "$T/theirs" 2>&1
    export XENSTORED_PATH="$T/sock"
    # our client library and tool against the reference daemon
    export XENSTORED_PATH="$csock"
    $XS write /ours/a 1 /ours/b/c 2
    check "xs against C xenstored: write + ls -R" "/ours/a = \"1\"
/ours/b = \"\"
/ours/b/c = \"2\"" "$($XS ls -R /ours)"
    $XS write $args >/dev/null 2>&1
    check "xs against C xenstored: 1000-child directory" 1000 "$($XS ls /conf/dir | wc -l)"
    check "xs against C xenstored: error name" "xs: read /ours/none: ENOENT" "$($XS read /ours/none 2>&1)"
    export XENSTORED_PATH="$T/sock"
    XS_C_DIR="$T/c" "$ANCHOR" stop-c 2>/dev/null
    check "same answers as Debian's C xenstored" "" "$(diff "$T/theirs" "$T/ours")"
else
    echo "SKIP comparison with C xenstored (run $ANCHOR setup)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
