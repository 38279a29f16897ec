#!/bin/sh
# `make bench` for the store: the anchor's xs-bench (through Debian's
# libxenstore) against our xenstored, Debian's C xenstored and oxenstored in
# one run, then a table of medians with our ratio to the C daemon.
# ROUNDS (default 3) rounds, each running ours, C, ox in turn; in each round
# xs-bench takes the median of REPS (default 3) runs; the table shows the
# median over rounds. Rates: ratio = ours / C (above 1 is faster). Latency,
# memory, rm time: ratio = C / ours (above 1 is better).
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}/store
A=${ANCHOR_DIR:-$(pwd)/../shared/anchors/xenstore}
REPS=${REPS:-3} ROUNDS=${ROUNDS:-3}
T=$(mktemp -d /tmp/store-bench.XXXXXX)
cleanup() {
    [ -n "$ourpid" ] && kill "$ourpid" 2>/dev/null
    XS_C_DIR=$T/c "$A/anchor.sh" stop-c 2>/dev/null
    XS_OX_DIR=$T/ox "$A/anchor.sh" stop-ox 2>/dev/null
    [ -n "$oxpid" ] && kill "$oxpid" 2>/dev/null
    rm -rf "$T"
}
ourpid= oxpid=
trap cleanup EXIT
trap 'exit 130' INT TERM

gcc -O2 -Wall -o "$B/xs-bench" "$A/xs-bench.c" -lxenstore -lpthread || exit 1
[ -x /tmp/xs-debs/x/usr/lib/xen-4.17/bin/xenstored ] || "$A/anchor.sh" setup >/dev/null || exit 1

ours_start() {
    rm -f "$T/sock"
    "$B/xenstored" -D -s "$T/sock" -q & ourpid=$!
    while [ ! -S "$T/sock" ]; do sleep 0.05; done
    sock=$T/sock pid=$ourpid
}
ours_stop() { kill $ourpid; wait $ourpid 2>/dev/null; ourpid=; }
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
    oxpid=$pid
}
# stop-ox ends unshare; the daemon it exec'd is ended by its own pid
ox_stop() { XS_OX_DIR=$T/ox "$A/anchor.sh" stop-ox 2>/dev/null; kill "$oxpid" 2>/dev/null; oxpid=; sleep 0.3; }

run() {     # run NAME ROUND: rates on one daemon, then memory on a fresh one
    name=$1
    ${name}_start || { echo "# $name: could not start, skipped"; return; }
    XENSTORED_PATH=$sock nice "$B/xs-bench" -q -r "$REPS" -p "$pid" > "$T/$name.rates" 2>&1
    ${name}_stop
    ${name}_start || return
    XENSTORED_PATH=$sock nice "$B/xs-bench" -q -x -p "$pid" > "$T/$name.mem" 2>&1
    ${name}_stop
    cat "$T/$name.rates" "$T/$name.mem" | grep -v "^#" | sed "s/^/$name $2 /" >> "$T/all"
    grep -v "^#" "$T/$name.rates" "$T/$name.mem" | sed "s/^[^:]*:/# $name round $2: /"
}

# Rounds interleave the daemons so load from elsewhere hits them alike.
: > "$T/all"
r=1
while [ $r -le "$ROUNDS" ]; do
    run ours $r
    run c $r
    run ox $r
    r=$((r + 1))
done

awk '
function median(list,   n, v, i, j, t) {
    n = split(list, v, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
{
    # "name round metric value unit": the memory run comes last in a round,
    # so for the fill figures its (fresh daemon) value replaces the first.
    key = $1 SUBSEP $3
    if ($4 == "FAILED") failed[key] = 1
    last[key SUBSEP $2] = $4
    unit[$3] = $5
    seen[key] = 1
}
END {
    for (k in last) { split(k, a, SUBSEP); vals[a[1] SUBSEP a[2]] = vals[a[1] SUBSEP a[2]] " " last[k] }
    split("write_new_node write_overwrite read directory_300_children directory_1000_children " \
          "tx_start_write_commit tx_2clients_same_node tx_2clients_eagain_pct " \
          "watch_latency_median watch_latency_p99 write_fill_100k rss_after_fill rss_delta_fill " \
          "rm_subtree_100k", m, " ")
    printf "| figure | ours | C xenstored | oxenstored | ours vs C |\n|---|---|---|---|---|\n"
    for (i = 1; i in m; i++) {
        k = m[i]; lower = (k ~ /latency|rss|rm_subtree|eagain/)
        split("ours c ox", d, " ")
        for (j = 1; j <= 3; j++) {
            key = d[j] SUBSEP k
            v[j] = !(key in seen) ? "-" : (key in failed) ? "FAILED" : median(vals[key])
        }
        r = "-"
        if (v[1] + 0 > 0 && v[2] + 0 > 0 && k !~ /eagain/)
            r = sprintf("%.2fx %s", lower ? v[2] / v[1] : v[1] / v[2], lower ? "(C/ours)" : "")
        printf "| %s (%s) | %s | %s | %s | %s |\n", k, unit[k], v[1], v[2], v[3], r
    }
}' "$T/all"
