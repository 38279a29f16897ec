#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6 test 1's "as shipped": the hypervisor boots Debian's vmlinuz (a
bzImage whose payload is XZ with the x86 BCJ filter) itself, decompressing
it with its own unxz (xen-like/runtime/bzimage.c, unxz.c).

  dom0_vmlinuz_userland  vmlinuz as dom0 reaches dom0's userland: the
                         hypervisor logs the decompression (format, sizes,
                         duration; the output is exactly the fixture
                         vmlinux's size), xenstored runs, xl works, poweroff
  domu_vmlinuz_and_bad   vmlinuz as a plain domU runs to its poweroff; beside
                         it a truncated and a corrupt vmlinuz are refused
                         with a log line naming the domain, the module and
                         the reason, and nothing else breaks

Usage: dom0_vmlinuz.py [substring]. Ends with "N passed, N failed".
Prints the decode time and the time to dom0's userland (QEMU TCG).
"""
import os
import re
import struct
import sys

import pvh_system
from pvh_system import BUILD, FIX, Run, check, domu, fixtures, main, run_dom0, started

DECODED = (r"d(\d+) \((\S+)\): kernel module (\d+): bzImage XZ payload (\d+) -> (\d+) "
           r"bytes \(bound (\d+)\) decompressed in (\d+) ms")


def decoded(r, name):
    """(payload, output, bound, ms) from the hypervisor's line for name."""
    for line in r.lines:
        m = re.search(DECODED, line)
        if m and m.group(2) == name:
            return tuple(int(m.group(i)) for i in (4, 5, 6, 7))
    return None


def dom0_vmlinuz_userland(problems):
    os.environ["DOM0_KERNEL"] = "vmlinuz"
    r = run_dom0("dom0_vmlinuz_userland", "poweroff", 400, problems)
    if r is None:
        return
    d = decoded(r, "dom0")
    vmlinux = os.path.getsize(os.path.join(FIX, "vmlinux"))
    check(d is not None, "no log line about decompressing dom0's bzImage", problems)
    if d:
        check(d[1] == vmlinux, "decompressed %d bytes, the vmlinux has %d" % (d[1], vmlinux),
              problems)
        check(d[2] == d[1], "the bound was not the XZ index's size", problems)
    for pat, what in [
            (r"d0 \(dom0\): PVH domain built: 512 MiB", "dom0 built from the bzImage"),
            (r"\(dom0\) .*Linux version 6\.", "Linux started"),
            (r"\(dom0\) DOM0-HYPERVISOR xen$", "/sys/hypervisor/type is xen"),
            (r"\(dom0\) DOM0-XENSTORED up", "xenstored started"),
            (r"\(dom0\) DOM0-XS-READ hello from dom0$", "xenstore-read"),
            (r"\(dom0\) DOM0-XL-LIST Domain-0 +0 +512 +1 +r", "xl list shows Domain-0"),
            (r"d0 \(dom0\): ended, shutdown code 0", "poweroff reported")]:
        check(r.has(pat), what, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed|cannot start"), "a BUG/Oops, crash or refusal",
          problems)
    up = r.wait_for(r"\(dom0\) DOM0-XENSTORED up", 1)
    if d and up is not None:
        print("    decode %d ms in QEMU TCG; dom0 userland (xenstored up) %.1f s after QEMU start"
              % (d[3], r.stamps[up]))


def bad_copies(vmlinuz):
    """A truncated copy and one with a broken XZ index of Debian's vmlinuz."""
    out = os.path.join(BUILD, "dom0_vmlinuz")
    os.makedirs(out, exist_ok=True)
    data = bytearray(open(vmlinuz, "rb").read())
    setup = ((data[0x1F1] or 4) + 1) * 512
    off, plen = struct.unpack_from("<II", data, 0x248)
    end = setup + off + plen
    trunc, corrupt = os.path.join(out, "truncated"), os.path.join(out, "corrupt-index")
    with open(trunc, "wb") as f:
        f.write(data[:setup + off + plen // 2])
    data[end - 4 - 12 - 2] ^= 0x40         # inside the index's CRC32
    with open(corrupt, "wb") as f:
        f.write(data)
    return trunc, corrupt


def domu_vmlinuz_and_bad(problems):
    fixtures()
    vmlinuz = os.path.join(FIX, "vmlinuz")
    trunc, corrupt = bad_copies(vmlinuz)
    append = " ".join(["loglvl=info domu-exit",
                       domu("linux", "xltest=poweroff"),
                       'domu="name=trunc,mem=64M,kernel=2,cmdline=x"',
                       'domu="name=corrupt,mem=64M,kernel=3,cmdline=x"'])
    r = Run("domu_vmlinuz_and_bad", append,
            [vmlinuz, os.path.join(FIX, "initramfs.cpio.gz"), trunc, corrupt])
    started(r)
    r.wait_for(r"every boot domain has ended", 300)
    status = r.finish(30)
    check(status == pvh_system.PASS_STATUS, "QEMU status %s" % status, problems)
    check(decoded(r, "linux") is not None, "no decompression line for the domU", problems)
    for pat, what in [
            (r"d\d+ \(trunc\): kernel module 2: bzImage payload lies outside the file",
             "truncated vmlinuz: domain, module and reason logged"),
            (r"d\d+ \(trunc\): cannot start", "truncated vmlinuz refused"),
            (r"d\d+ \(corrupt\): kernel module 3: bzImage XZ payload has no valid "
             r"index/footer", "corrupt vmlinuz: domain, module and reason logged"),
            (r"d\d+ \(corrupt\): cannot start", "corrupt vmlinuz refused"),
            (r"\(linux\) XLTEST-POWEROFF", "the vmlinuz domU reached its /init"),
            (r"d\d+ \(linux\): ended, shutdown code 0", "the vmlinuz domU powered off")]:
        check(r.has(pat), what, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a BUG/Oops or a crash", problems)


CASES = [dom0_vmlinuz_userland, domu_vmlinuz_and_bad]

if __name__ == "__main__":
    sys.exit(main(CASES))
