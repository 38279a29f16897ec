#!/bin/sh
# A/B of two xenstored binaries on the socket path: xs-bench (built by
# tests/store/bench.sh as build/store/xs-bench) -q -r 3 against OLD, then
# NEW, ROUNDS times (default 5), printing "old|new ROUND metric value unit"
# lines and then the median of each metric per binary. Not in `make bench`.
#   tests/store/bench-ab.sh OLD-xenstored NEW-xenstored
# e.g. OLD from `git archive <commit> store hypercalls` built by hand.
[ $# -eq 2 ] || { echo "usage: $0 OLD-xenstored NEW-xenstored" >&2; exit 2; }
B=${BUILD:-build}/store
[ -x "$B/xs-bench" ] || { echo "$B/xs-bench missing: run tests/store/bench.sh once" >&2; exit 1; }
T=$(mktemp -d /tmp/store-ab.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
r=1
while [ $r -le "${ROUNDS:-5}" ]; do
    for v in old new; do
        [ $v = old ] && bin=$1 || bin=$2
        rm -f "$T/sock"
        # -D (no Xen rings) where the binary knows it: safe in a Xen dom0.
        nod=$("$bin" --help 2>&1 | grep -q no-domain-init && echo -D)
        "$bin" $nod -s "$T/sock" -q & pid=$!
        while [ ! -S "$T/sock" ]; do sleep 0.05; done
        XENSTORED_PATH=$T/sock nice "$B/xs-bench" -q -r 3 -p $pid 2>&1 | grep -v "^#" |
            sed "s/^/$v $r /" | tee -a "$T/all"
        kill $pid; wait $pid 2>/dev/null; pid=
    done
    r=$((r + 1))
done
echo "# medians (old, new)"
awk '{ v[$3 " " $1] = v[$3 " " $1] " " $4; m[$3] = 1 }
function med(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
END { for (k in m) printf "%-28s %12.1f %12.1f\n", k, med(v[k " old"]), med(v[k " new"]) }' "$T/all" | sort
