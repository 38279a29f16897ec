# dom0 benchmark body, the same on xen-like and on Xen 4.17 (guests/bench_dom0.py).
# Sourced by dom0's /init once xenstored and the console daemon run. Prints
# BENCH-* lines: system-call, unix-socket and fork costs (the anchor's
# sockpp), xenstore ops from dom0 userland (the anchor's xsbench over
# libxenstore, and a fork+exec shell loop), `xl create` to domU userland, and
# back-to-back create+destroy cycles, each timed. Times come from GNU date (gdate).
up() { cut -d' ' -f1 /proc/uptime; }
now() { gdate +%s.%N; }
since() { echo "$(now) $1" | awk '{printf "%.3f", $1 - $2}'; }
xsn=${xsn:-10000}; nrun=${nrun:-3}; ncyc=${ncyc:-5}

for r in $(seq 3); do sockpp 10000 | sed 's/^/BENCH-/'; done
for r in $(seq 3); do xsbench "$xsn" | sed 's/^/BENCH-/'; done
for r in $(seq 3); do
    t0=$(now); i=0
    while [ $i -lt 100 ]; do xenstore-write /bench/sh $i; xenstore-read /bench/sh >/dev/null; i=$((i+1)); done
    echo "BENCH-XSSHELL $(echo "$(now) $t0" | awk '{printf "%.1f", 200 / ($1 - $2)}') ops/s"
done

log=/var/log/xen/console/guest-bench.log
for r in $(seq "$nrun"); do
    rm -f $log
    t0=$(now)
    xl create /etc/xen/bench.cfg > /tmp/xl.out 2>&1; rc=$?
    echo "BENCH-XLCREATE run=$r rc=$rc returned_s=$(since $t0)"
    [ $rc -eq 0 ] || sed 's/^/BENCH-XLCREATE-ERR /' /tmp/xl.out
    ok=0
    while [ $rc -eq 0 ] && [ "$(since $t0 | cut -d. -f1)" -lt 180 ]; do
        grep -q XLTEST-INIT-UP $log 2>/dev/null && { ok=1; break; }
        usleep 20000
    done
    if [ $ok = 1 ]; then echo "BENCH-DOMU-UP run=$r create_to_userland_s=$(since $t0)"
    else echo "BENCH-DOMU-FAIL run=$r"; tail -5 $log 2>/dev/null | sed 's/^/BENCH-DOMU-LOG /'; fi
    xl destroy bench > /dev/null 2>&1
    sleep 1
done

# Each cycle timed on its own: the table takes the median, so one slow
# cycle (QEMU retranslating, a host hiccup) does not set the row.
for r in $(seq "$ncyc"); do
    t0=$(now)
    if xl create /etc/xen/bench.cfg > /tmp/xl.out 2>&1 && xl destroy bench > /dev/null 2>&1; then
        echo "BENCH-CYCLE run=$r ok=1 s=$(since $t0)"
    else
        echo "BENCH-CYCLE run=$r ok=0"; sed 's/^/BENCH-CYCLE-ERR /' /tmp/xl.out
    fi
done
echo "BENCH-DONE"
