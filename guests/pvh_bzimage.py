#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6: the hypervisor boots bzImages whose payload is gzip or zstd,
decoded by its own gunzip.c and unzstd.c (xen-like/runtime/bzimage.c picks
the decoder by magic). The bzImages are Debian's vmlinuz with the XZ payload
replaced by `gzip -9 -n` or `zstd -22 --ultra` of the fixture vmlinux plus
the 4-byte size the kernel build appends (payload_length at 0x24C updated,
everything else kept); they are cached in build/pvh_bzimage/.

  bzimage_gzip_zstd_domus   both boot as domUs to /init and power off; the
                            hypervisor logs each decompression (format,
                            sizes: exactly the vmlinux's)
  bzimage_gzip_zstd_refused a gzip and a zstd bzImage with one payload byte
                            changed, and both with an init_size 4 KiB short of
                            the vmlinux (the decoders' -ENOSPC), are refused
                            naming the domain, the module and why

Usage: pvh_bzimage.py [substring]. Ends with "N passed, N failed".
"""
import os
import re
import struct
import subprocess
import sys

import pvh_system
from pvh_system import BUILD, FIX, Run, check, fixtures, main, started

OUT = os.path.join(BUILD, "pvh_bzimage")
DECODED = (r"d(\d+) \((\S+)\): kernel module (\d+): bzImage (\S+) payload (\d+) -> (\d+) "
           r"bytes \(bound (\d+)\) decompressed in (\d+) ms")


def write_atomic(path, data):
    tmp = "%s.tmp.%d" % (path, os.getpid())
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def payload(cmd, vmlinux, name):
    """cmd's output for vmlinux followed by its size (as the kernel build's
    size_append does); kept in OUT while newer than vmlinux."""
    path = os.path.join(OUT, name)
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(vmlinux):
        return open(path, "rb").read()
    with open(vmlinux, "rb") as f:
        data = subprocess.run(cmd, stdin=f, stdout=subprocess.PIPE, check=True).stdout
    data += struct.pack("<I", os.path.getsize(vmlinux))
    write_atomic(path, data)
    return data


def with_payload(vmlinuz, new, name, flip=None, init_size=None):
    """vmlinuz with its payload replaced by new (one byte changed at flip,
    the setup header's init_size set to init_size)."""
    data = open(vmlinuz, "rb").read()
    setup = ((data[0x1F1] or 4) + 1) * 512
    off, plen = struct.unpack_from("<II", data, 0x248)
    start = setup + off
    out = bytearray(data[:start]) + bytearray(new) + bytearray(data[start + plen:])
    struct.pack_into("<I", out, 0x24C, len(new))
    if flip is not None:
        out[start + flip] ^= 0x10
    if init_size is not None:
        struct.pack_into("<I", out, 0x260, init_size)
    path = os.path.join(OUT, name)
    write_atomic(path, bytes(out))
    return path


def decoded(r, name):
    """(format, payload, output, ms) from the hypervisor's line for name."""
    for line in r.lines:
        m = re.search(DECODED, line)
        if m and m.group(2) == name:
            return m.group(4), int(m.group(5)), int(m.group(6)), int(m.group(8))
    return None


def built(problems):
    """(vmlinux, initramfs, vmlinuz, gzip payload, zstd payload)."""
    vmlinux, initramfs = fixtures()
    os.makedirs(OUT, exist_ok=True)
    gz = payload(["gzip", "-9", "-n", "-c"], vmlinux, "vmlinux.gz")
    zst = payload(["zstd", "-q", "-22", "--ultra", "-c"], vmlinux, "vmlinux.zst")
    return vmlinux, initramfs, os.path.join(FIX, "vmlinuz"), gz, zst


def bzimage_gzip_zstd_domus(problems):
    vmlinux, initramfs, vmlinuz, gz, zst = built(problems)
    mods = [with_payload(vmlinuz, gz, "vmlinuz-gzip"),
            with_payload(vmlinuz, zst, "vmlinuz-zstd"),
            initramfs]
    append = " ".join([
        "loglvl=info domu-exit",
        'domu="name=gz,mem=256M,kernel=0,initrd=2,cmdline=console=hvc0 xltest=poweroff"',
        'domu="name=zst,mem=256M,kernel=1,initrd=2,cmdline=console=hvc0 xltest=poweroff"'])
    r = Run("bzimage_gzip_zstd_domus", append, mods)
    started(r)
    r.wait_for(r"every boot domain has ended", 300)
    status = r.finish(30)
    check(status == pvh_system.PASS_STATUS, "QEMU status %s" % status, problems)
    size = os.path.getsize(vmlinux)
    for name, fmt, pl in (("gz", "gzip", gz), ("zst", "zstd", zst)):
        d = decoded(r, name)
        check(d is not None, "no decompression line for the %s domU" % fmt, problems)
        if d:
            check(d[0] == fmt, "%s domU: format %s logged" % (fmt, d[0]), problems)
            check(d[1] == len(pl), "%s domU: payload %d bytes, built %d" % (fmt, d[1], len(pl)),
                  problems)
            check(d[2] == size, "%s domU: %d bytes out, the vmlinux has %d" % (fmt, d[2], size),
                  problems)
            print("    %s: %d -> %d bytes decompressed in %d ms (QEMU TCG)" % (fmt, d[1], d[2],
                                                                         d[3]))
        check(r.has(r"\(%s\) XLTEST-POWEROFF" % name), "the %s domU reached /init" % fmt,
              problems)
        check(r.has(r"d\d+ \(%s\): ended, shutdown code 0" % name),
              "the %s domU powered off" % fmt, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a BUG/Oops or a crash", problems)


def bzimage_gzip_zstd_refused(problems):
    vmlinux, initramfs, vmlinuz, gz, zst = built(problems)
    small = os.path.getsize(vmlinux) - 4096     # an init_size the vmlinux overruns
    mods = [with_payload(vmlinuz, gz, "vmlinuz-gzip-bad", len(gz) // 2),
            with_payload(vmlinuz, zst, "vmlinuz-zstd-bad", len(zst) // 2),
            with_payload(vmlinuz, gz, "vmlinuz-gzip-small", init_size=small),
            with_payload(vmlinuz, zst, "vmlinuz-zstd-small", init_size=small)]
    append = " ".join([
        "loglvl=info domu-exit",
        'domu="name=badgz,mem=64M,kernel=0,cmdline=x"',
        'domu="name=badzst,mem=64M,kernel=1,cmdline=x"',
        'domu="name=smallgz,mem=64M,kernel=2,cmdline=x"',
        'domu="name=smallzst,mem=64M,kernel=3,cmdline=x"'])
    r = Run("bzimage_gzip_zstd_refused", append, mods)
    started(r)
    r.wait_for(r"every boot domain has ended", 120)
    r.finish(10)
    for name, mod, why in (
            ("badgz", 0, r"bzImage payload is corrupt or truncated \(or its check fails\)"),
            ("badzst", 1, r"bzImage payload is corrupt or truncated \(or its check fails\)"),
            ("smallgz", 2, r"bzImage payload decompresses to more than .*init_size"),
            ("smallzst", 3, r"bzImage payload decompresses to more than .*init_size")):
        check(r.has(r"d\d+ \(%s\): kernel module %d: %s" % (name, mod, why)),
              "%s: domain, module and reason logged" % name, problems)
        check(r.has(r"d\d+ \(%s\): cannot start" % name), "%s refused" % name, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a BUG/Oops or a crash", problems)


CASES = [bzimage_gzip_zstd_domus, bzimage_gzip_zstd_refused]

if __name__ == "__main__":
    sys.exit(main(CASES))
