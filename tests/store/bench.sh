#!/bin/sh
# `make bench` for the store: the anchor's xs-bench (through Debian's
# libxenstore) against our xenstored, Debian's C xenstored and oxenstored in
# one run, then a table of medians with our ratio to the C daemon.
# Rates: ratio = ours / C (above 1 is faster). Latency and memory:
# ratio = C / ours (above 1 is better). REPS (default 5) runs per figure.
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}/store
A=${ANCHOR_DIR:-/work/shared/anchors/xenstore}
REPS=${REPS:-5}
T=$(mktemp -d /tmp/store-bench.XXXXXX)
trap 'kill $ourpid 2>/dev/null; rm -rf "$T"' EXIT INT TERM

gcc -O2 -Wall -o "$B/xs-bench" "$A/xs-bench.c" -lxenstore -lpthread || exit 1
[ -x /tmp/xs-debs/x/usr/lib/xen-4.17/bin/xenstored ] || "$A/anchor.sh" setup >/dev/null || exit 1

ours_start() {
    rm -f "$T/sock"
    "$B/xenstored" -s "$T/sock" -q & ourpid=$!
    while [ ! -S "$T/sock" ]; do sleep 0.05; done
    sock=$T/sock pid=$ourpid
}
ours_stop() { kill $ourpid; wait $ourpid 2>/dev/null; }
c_start() {
    eval "$(unset XENSTORED_PATH; XS_C_DIR=$T/c "$A/anchor.sh" start-c | sed 's/ /;/; s/XENSTORED_PATH=/sock=/; s/PID=/pid=/')"
}
c_stop() { XS_C_DIR=$T/c "$A/anchor.sh" stop-c; sleep 0.3; }
ox_start() {
    out=$(unset XENSTORED_PATH; XS_OX_DIR=$T/ox "$A/anchor.sh" start-ox 2>/dev/null) || return 1
    eval "$(echo "$out" | sed 's/ /;/; s/XENSTORED_PATH=/sock=/; s/PID=/pid=/')"
    [ -S "$sock" ] || return 1
    # the pid file names unshare's child chain; measure the daemon itself
    pid=$(pgrep -P "$pid" -f oxenstored 2>/dev/null | head -1 || echo "$pid")
    [ -n "$pid" ] || pid=$(cat "$T/ox/oxenstored.pid" 2>/dev/null)
}
ox_stop() { XS_OX_DIR=$T/ox "$A/anchor.sh" stop-ox 2>/dev/null; sleep 0.3; }

run() {     # run NAME: rates on one daemon, then memory on a fresh one
    name=$1
    ${name}_start || { echo "# $name: could not start, skipped"; return; }
    XENSTORED_PATH=$sock nice "$B/xs-bench" -q -r "$REPS" -p "$pid" > "$T/$name.rates" 2>&1
    ${name}_stop
    ${name}_start || return
    XENSTORED_PATH=$sock nice "$B/xs-bench" -q -x -p "$pid" > "$T/$name.mem" 2>&1
    ${name}_stop
    cat "$T/$name.rates" "$T/$name.mem" | grep -v '^#' > "$T/$name"
    echo "# $name done"
}

run ours
run c
run ox

awk -v ours="$T/ours" -v c="$T/c" -v ox="$T/ox" '
function load(f, arr,   line, n, a) {
    while ((getline line < f) > 0) { n = split(line, a, " +"); arr[a[1]] = a[2]; unit[a[1]] = a[3] }
}
BEGIN {
    load(ours, O); load(c, C); load(ox, X)
    split("write_new_node write_overwrite read directory_300_children directory_1000_children " \
          "tx_start_write_commit tx_2clients_same_node tx_2clients_eagain_pct " \
          "watch_latency_median watch_latency_p99 write_fill_100k rss_after_fill rss_delta_fill " \
          "rm_subtree_100k", m, " ")
    printf "| figure | ours | C xenstored | oxenstored | ratio vs C |\n|---|---|---|---|---|\n"
    for (i = 1; i in m; i++) {
        k = m[i]; lower = (k ~ /latency|rss|rm_subtree|eagain/)
        r = "-"
        if (O[k] + 0 > 0 && C[k] + 0 > 0 && k !~ /eagain/)
            r = sprintf("%.2fx", lower ? C[k] / O[k] : O[k] / C[k])
        printf "| %s (%s) | %s | %s | %s | %s |\n", k, unit[k], \
            (k in O) ? O[k] : "-", (k in C) ? C[k] : "-", (k in X) ? X[k] : "-", r
    }
}'
