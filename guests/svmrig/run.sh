#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Runs PVH guests under the SVM rig in QEMU TCG (-cpu max: SVM, NPT, no
# nRIP) and checks what the rig's pieces are responsible for: entry, CPUID,
# MSRs, the instruction decoder, the page walker's -EFAULTs, VMMCALL and
# VMCALL-via-#UD, #NPF and triple-fault containment, and Debian's Linux up
# to its first hypercall that needs the core. Ends with "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
b=${BUILD:-build}
rig=$b/guests/svmrig.elf
qemu=${QEMU:-qemu-system-x86_64}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# case name cpu want_rc module-and-args expected-lines...
case_() {
    name=$1 cpu=$2 want=$3 mod=$4
    shift 4
    timeout 120 "$qemu" -accel tcg -cpu "$cpu" -m 768 -display none \
        -serial "file:$tmp/$name.log" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$rig" -initrd "$mod" >/dev/null 2>&1
    rc=$?
    ok=1
    [ "$rc" = "$want" ] || { echo "    $name: qemu exit $rc, want $want"; ok=0; }
    for l in "$@"; do
        grep -qF -- "$l" "$tmp/$name.log" || { echo "    $name: no line '$l'"; ok=0; }
    done
    if [ $ok = 1 ]; then
        pass=$((pass + 1)); echo "PASS $name"
    else
        fail=$((fail + 1)); echo "FAIL $name"; tail -20 "$tmp/$name.log" | sed 's/^/    | /'
    fi
}

H=$b/guests/hostile.elf
# isa-debug-exit status = code * 2 + 1: RIG_OK 0x10 -> 33, RIG_CRASHED 0x11 -> 35
case_ hostile_vmmcall max 33 "$H" \
    "HOSTILE-START hypervisor=xen insn=vmmcall" \
    "ok 1 - hypercall 64 does not exist rc=-38" \
    "ok 3 - hypercall -1 does not exist rc=-38" \
    "ok 7 - console_io write from unmapped GVA rc=-14" \
    "ok 8 - console_io write from non-canonical GVA rc=-14" \
    "ok 11 - sched_op shutdown with unmapped argument rc=-14" \
    "RIG-DOMAIN-SHUTDOWN reason=0"
case_ hostile_vmcall_via_ud max,vendor=GenuineIntel 33 "$H" \
    "HOSTILE-START hypervisor=xen insn=vmcall" \
    "ok 1 - hypercall 64 does not exist rc=-38" \
    "ok 7 - console_io write from unmapped GVA rc=-14" \
    "RIG-DOMAIN-SHUTDOWN reason=0"
case_ hostile_unmapped_gpa max 35 "$H hostile=unmapped" \
    "HOSTILE-TOUCH-UNMAPPED" "RIG-NPF gpa=100000000 write final" \
    "RIG-DOMAIN-CRASHED access to guest-physical memory that is not RAM"
case_ hostile_triple_fault max 35 "$H hostile=triple" \
    "HOSTILE-TRIPLE-FAULT" "RIG-DOMAIN-CRASHED triple fault (SHUTDOWN intercept)"

L=$b/fixtures/vmlinux
if [ -s "$L" ] || tests/fixtures/linux.sh "$b/fixtures" >/dev/null 2>&1; then
    # The rig has no shared_info: Linux stops at add_to_physmap (a BUG),
    # after the banner, our memory map and the Xen CPUID leaves.
    case_ debian_linux_to_first_core_hypercall max 33 \
        "$L earlyprintk=xen console=hvc0 loglevel=8" \
        "Linux version 6.1" \
        "BIOS-e820: [mem 0x0000000000100000-0x000000000fffffff] usable" \
        "Hypervisor detected: Xen HVM" "Xen version 4.17."
else
    echo "SKIP debian_linux_to_first_core_hypercall: fixture cannot be fetched"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
