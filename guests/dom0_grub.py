#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6's real-machine path: GRUB 2 boots the hypervisor with multiboot2,
Debian's kernel and dom0's initramfs as module2 lines, from the menu entry
docs/hardware.md tells users to install (tests/fixtures/grub-dom0.cfg),
written to a GRUB rescue ISO and booted with QEMU -cdrom (BIOS, as on a PC).

  dom0_from_grub   dom0 reaches userland with its Xen drivers and our
                   xenstored, and powers off (the hypervisor reports it)

Usage: dom0_grub.py. Ends with "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile

from pvh_system import FIX, IMAGE, PASS_STATUS, ROOT, Run, check, dom0_initrd, main, started


def make_iso(kernel, initrd, mode):
    """The template with this run's paths, and GRUB's rescue ISO around it."""
    with open(os.path.join(ROOT, "tests", "fixtures", "grub-dom0.cfg")) as f:
        cfg = f.read()
    name = os.path.basename(kernel)
    for key, val in (("@KERNEL@", "/boot/" + name), ("@INITRD@", "/boot/dom0.cpio.gz"),
                     ("@DOM0_MEM@", "512M"), ("@DOM0_MODE@", mode)):
        cfg = cfg.replace(key, val)
    root = tempfile.mkdtemp()
    iso = os.path.join(FIX, "grub-dom0.iso")
    try:
        os.makedirs(os.path.join(root, "boot", "grub"))
        with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
            f.write(cfg)
        shutil.copy(IMAGE, os.path.join(root, "boot", "xen-like"))
        shutil.copy(kernel, os.path.join(root, "boot", name))
        shutil.copy(initrd, os.path.join(root, "boot", "dom0.cpio.gz"))
        rc = subprocess.call(["grub-mkrescue", "-o", iso + ".tmp", root],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if rc != 0:
            return None
        os.replace(iso + ".tmp", iso)
        return iso
    finally:
        shutil.rmtree(root)


def dom0_from_grub(problems):
    mods = dom0_initrd()
    check(mods is not None, "tests/fixtures/dom0-initrd.sh failed", problems)
    if mods is None:
        return
    iso = make_iso(mods[0], mods[1], "poweroff")
    check(iso is not None, "grub-mkrescue failed", problems)
    if iso is None:
        return
    r = Run("dom0_from_grub", None, None, cdrom=iso)
    started(r)
    r.wait_for(r"every boot domain has ended", 300)
    status = r.finish(30)
    check(status == PASS_STATUS, "QEMU status %s" % status, problems)
    for pat, what in [
            (r"memory map \(multiboot2\)", "booted through multiboot2"),
            (r"module 1: 0x[0-9a-f]+-0x[0-9a-f]+ ", "GRUB passed both module2 files"),
            (r"d0 \(dom0\): PVH domain built", "dom0 built from GRUB's modules"),
            (r"\(dom0\) DOM0-MODULE xen-privcmd loaded", "dom0's Xen drivers load"),
            (r"\(dom0\) DOM0-XENSTORED up", "xenstored runs in dom0"),
            (r"\(dom0\) DOM0-XL-LIST Domain-0 +0 ", "xl list in dom0"),
            (r"d0 \(dom0\): ended, shutdown code 0", "dom0's poweroff reported")]:
        check(r.has(pat), what, problems)


CASES = [dom0_from_grub]

if __name__ == "__main__":
    sys.exit(main(CASES))
