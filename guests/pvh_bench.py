#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 4's benchmark (make bench, never a test).

  * Debian Linux as a PVH domU: wall seconds from "PVH domain built" to the
    guest's "Run /init" line, and the guest's own printk time of it; plain
    and under -icount shift=0,sleep=off (deterministic: 1 ns per instruction).
  * Null hypercall round trip from the hostile guest (hostile=bench): TSC
    cycles per xen_version(0), median of 5 x 2000; under icount these are
    guest instructions.
  * The same Linux booted by QEMU's PVH loader without a hypervisor
    (tests/fixtures/bench-direct.sh), as the ratio's baseline.

Needs an image whose start_hv calls svm_boot_run; prints SKIP otherwise.
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvh_system as ps  # noqa: E402

ICOUNT = ("-icount", "shift=0,sleep=off")


def linux_to_init(icount):
    r = ps.Run("bench-linux" + ("-icount" if icount else ""),
               "loglvl=info domu-exit " + ps.domu("linux", "xltest=poweroff"),
               ps.fixtures(), extra=ICOUNT if icount else ())
    ps.started(r)
    built = r.wait_for(r"\(linux\): PVH domain built", 60)
    init = r.wait_for(r"\(linux\) \[ *[0-9.]+\] Run /init", 600)
    r.wait_for(r"every boot domain has ended", 300)
    r.finish(30)
    if built is None or init is None:
        return None
    guest = float(re.search(r"\[ *([0-9.]+)\] Run /init", r.lines[init]).group(1))
    return r.stamps[init] - r.stamps[built], guest


def null_hypercall(icount):
    hostile = os.path.join(ps.BUILD, "guests", "hostile.elf")
    r = ps.Run("bench-hcall" + ("-icount" if icount else ""),
               'loglvl=info domu-exit domu="name=h,mem=32M,kernel=0,cmdline=hostile=bench"',
               [hostile], 512, extra=ICOUNT if icount else ())
    ps.started(r)
    i = r.wait_for(r"HOSTILE-BENCH null-hypercall-cycles=(\d+)", 120)
    r.finish(30)
    return int(re.search(r"cycles=(\d+)", r.lines[i]).group(1)) if i is not None else None


def main():
    try:
        plain, ic = linux_to_init(False), linux_to_init(True)
        hc, hci = null_hypercall(False), null_hypercall(True)
    except ps.Skip as e:
        print("SKIP pvh bench: %s" % e)
        return 0
    if plain:
        print("pvh linux domain-start-to-/init: wall_s=%.2f guest_s=%.2f" % plain)
    if ic:
        print("pvh linux domain-start-to-/init (icount): wall_s=%.2f guest_s=%.2f" % ic)
    if hc:
        print("pvh null hypercall round trip: %d TSC cycles" % hc)
    if hci:
        print("pvh null hypercall round trip (icount): %d guest instructions" % hci)
    out = subprocess.run([os.path.join(ps.ROOT, "tests/fixtures/bench-direct.sh")],
                         capture_output=True, text=True).stdout
    print(out.strip())
    m = re.search(r"direct-pvh icount: guest_s_to_init=([0-9.]+)", out)
    if m and ic:
        print("ratio (icount guest time to /init, hypervisor / direct): %.2f"
              % (ic[1] / float(m.group(1))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
