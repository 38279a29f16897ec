#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Boots the hostile guest under QEMU's own PVH loader, with no hypervisor:
# proves the image, its PVH note, the long-mode switch and each `hostile=`
# path, before the SVM container exists. Ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
elf=${BUILD:-build}/guests/hostile.elf
qemu=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

check() {   # name mode want_rc lines...
    name=$1 mode=$2 want=$3
    shift 3
    timeout 30 "$qemu" -accel tcg -cpu max -m 128 -display none -serial none \
        -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$elf" -append "hostile=$mode" \
        -debugcon "file:$tmp/$name.log" >/dev/null 2>&1
    rc=$?
    ok=1
    [ "$rc" = "$want" ] || { echo "    $name: qemu exit $rc, want $want"; ok=0; }
    for l in "$@"; do
        grep -qx "$l" "$tmp/$name.log" || { echo "    $name: no line '$l'"; ok=0; }
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); echo "PASS $name"
    else fail=$((fail + 1)); echo "FAIL $name"; sed 's/^/    | /' "$tmp/$name.log"; fi
}

# isa-debug-exit(0) gives status 1; a triple fault with -no-reboot gives 0.
check plain "" 1 "HOSTILE-START hypervisor=none insn=vmmcall" \
    "HOSTILE-RESULT passed=0 failed=0" "HOSTILE-END"
check unmapped unmapped 1 "HOSTILE-TOUCH-UNMAPPED" "HOSTILE-SURVIVED-UNMAPPED read=0" \
    "HOSTILE-END"
check triple triple 0 "HOSTILE-TRIPLE-FAULT"
if grep -q HOSTILE-END "$tmp/triple.log"; then
    echo "FAIL triple_stops"; fail=$((fail + 1))
else
    echo "PASS triple_stops"; pass=$((pass + 1))
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
