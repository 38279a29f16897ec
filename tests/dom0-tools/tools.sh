#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# The built programs on the host: xl and consoled without a hypervisor say so
# and exit 1; xl usage errors exit 2; kimg reads Debian's shipped vmlinuz
# (XZ bzImage, when tests/fixtures/linux.sh has cached it) to exactly the
# vmlinux the fixture script extracted, with Linux's PVH entry, and the
# builder loads it into a domain of the in-process core and destroys it.
# Ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
B=${BUILD:-build}
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "PASS $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "want: $2" "got:  $3"; fi; }
T=$(mktemp -d /tmp/dom0-tools.XXXXXX)
trap 'rm -rf "$T"' EXIT

for f in xl consoled kimg bench_cycle; do
    [ -x "$B/dom0-tools/$f" ] || { echo "FAIL $f not built"; echo "0 passed, 1 failed"; exit 1; }
done

out=$(XL_PRIVCMD=$T/none "$B/dom0-tools/xl" list 2>&1); rc=$?
check "xl without privcmd exits 1" 1 "$rc"
check "xl without privcmd says why" \
    "xl: cannot reach the hypervisor: cannot open $T/none: No such file or directory (is this a Xen control domain with the privcmd driver?)" "$out"
"$B/dom0-tools/xl" >/dev/null 2>&1
check "xl without a command exits 2" 2 "$?"
"$B/dom0-tools/xl" help 2>&1 | grep -q "sched-credit   credit scheduler weight and cap"
check "xl help lists commands" 0 "$?"
out=$(XL_PRIVCMD=$T/none "$B/dom0-tools/consoled" -f -l "$T/log" -r "$T/run" 2>&1); rc=$?
check "consoled without privcmd exits 1" 1 "$rc"
case $out in "consoled: cannot open $T/none: No such file"*) ok "consoled says why";;
    *) bad "consoled says why" "got: $out";; esac
"$B/dom0-tools/consoled" -x >/dev/null 2>&1
check "consoled usage error exits 2" 2 "$?"
out=$("$B/dom0-tools/kimg" /etc/hostname 2>&1); rc=$?
check "kimg refuses a non-kernel" "1 kimg: /etc/hostname: not an ELF or bzImage kernel" "$rc $out"

F=$B/fixtures
# The kernel fixture is fetched (cached) here, so these checks never depend
# on another suite having run first.
tests/fixtures/linux.sh "$F"
check "Debian kernel fixture fetched" 0 "$?"
if [ -s "$F/vmlinuz" ] && [ -s "$F/vmlinux" ]; then
    info=$("$B/dom0-tools/kimg" -o "$T/vmlinux" "$F/vmlinuz" 2>&1)
    check "Debian vmlinuz is a bzImage with an XZ payload" "format bzImage+xz" \
        "$(echo "$info" | head -1)"
    cmp -s "$T/vmlinux" "$F/vmlinux"
    check "decompressed vmlinux equals the fixture's" 0 "$?"
    ent=$("$B/dom0-tools/kimg" "$F/vmlinux" | sed -n 's/^entry //p')
    check "PVH entry from vmlinuz equals the vmlinux note" "entry $ent" \
        "$(echo "$info" | grep '^entry')"
    out=$(BUILD=$B nice "$B/dom0-tools/bench_cycle" "$F/vmlinuz" 1 128 2>&1)
    check "Debian vmlinuz builds into a 128 MiB domain and is destroyed (in-process core)" 0 "$?"
    echo "    $out"
else
    bad "Debian kernel checks" "no vmlinuz/vmlinux in $F"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
