#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6's benchmark (make bench): xen-like with Debian's Linux as dom0
beside Xen 4.17 (Debian's packages, the anchor rig in
../shared/anchors/xen-in-qemu) with the same kernel as dom0, in the same QEMU,
in one run:

  boot     QEMU spawn -> dom0's /init (host wall) and dom0's uptime there
  xsbench  xenstore ops/s from dom0 userland: the anchor's xsbench over
           Debian's libxenstore (ours: our xenstored; Xen: C xenstored 4.17)
  xsshell  xenstore-write + xenstore-read shell loop (fork+exec per op)
  create   `xl create` returns; `xl create` -> the domU's /init
  cycles   back-to-back `xl create` + `xl destroy` of the same domU, each
           cycle timed

The domU is the same on both: Debian's vmlinuz as PVH, the test initramfs
(tests/fixtures/init), 256 MiB, 1 vCPU, no devices. The body that measures
is tests/bench/dom0-bench.sh, run unchanged in both dom0s. Xen's dom0 is PV
(the anchor's working toolstack setup); ours is PVH. Prints a table with
medians and ratios (Xen / ours for times, ours / Xen for rates: > 1 means
we are better) and keeps logs and the table in build/bench/.

Usage: bench_dom0.py [--reps N]
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pvh_system as ps  # noqa: E402

OUT = os.path.join(ps.BUILD, "bench")
ANCHOR_SRC = os.path.join(ps.ROOT, "..", "shared", "anchors", "xen-in-qemu")
ANCHOR = os.path.join(ps.BUILD, "anchor-xen")
# Both hypervisors run on the anchor's CPU model (what its PV dom0 needs),
# so the comparison is on identical virtual hardware. Under -cpu max (AMD
# family 0xF) Linux probes for a K8 GART by scanning PCI config space: 33k
# I/O exits, about 0.5 s of every boot.
BENCH_CPU = "EPYC,+svm,+npt,-smap,-smep,-rdtscp,-monitor"
XEN_ARGS = ("console=com1 com1=115200 dom0_mem=768M,max:768M dom0_max_vcpus=1 "
            "loglvl=all guest_loglvl=all")
DOMU_CFG = """name = "bench"
type = "pvh"
kernel = "%s"
ramdisk = "%s"
cmdline = "console=hvc0"
memory = 256
vcpus = 1
"""

XEN_INIT = """#!/bin/busybox sh
# Xen 4.17's dom0 for the benchmark: Debian's Xen tools as the anchor runs
# them, then the shared measuring body.
/bin/busybox --install -s
export PATH=/usr/local/bin:/bin:/sbin:/usr/bin:/usr/sbin:/usr/lib/xen-4.17/bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /run; mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp; mount -t tmpfs tmpfs /run
mkdir -p /run/xen /run/lock /var/lib/xen /var/lib/xenstored /var/log/xen/console /var/lock
ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr
K=/lib/modules/$(uname -r)/kernel
for m in xen/xen-evtchn xen/xen-privcmd xen/xenfs/xenfs xen/xen-gntdev xen/xen-gntalloc; do
    insmod $K/drivers/$m.ko
done
mount -t xenfs xenfs /proc/xen
xenstored --pid-file=/run/xen/xenstored.pid
i=0; while [ ! -f /run/xen/xenstored.pid ] && [ $i -lt 100 ]; do usleep 100000; i=$((i+1)); done
xen-init-dom0
xenconsoled --pid-file=/run/xen/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console
. /etc/bench-body.sh
reboot -f
"""

OURS_SCENARIO = """# dom0=bench (guests/bench_dom0.py): the console daemon, then the body.
export PATH=/usr/local/bin:$PATH
consoled -l /var/log/xen/console
. /etc/bench-body.sh
echo "DOM0-POWEROFF"; poweroff -f
"""


def sh(cmd, **kw):
    subprocess.check_call(cmd, shell=True, **kw)


def anchor_build():
    """Xen 4.17, its tools, the anchor's dom0 initramfs and xsbench."""
    if not os.path.isdir(ANCHOR):
        shutil.copytree(ANCHOR_SRC, ANCHOR, ignore=shutil.ignore_patterns("build", "logs"))
    sh("./run.sh build > build-anchor.log 2>&1", cwd=ANCHOR)
    return os.path.join(ANCHOR, "build")


def overlay(dst, files):
    """A newc cpio (gzip) of files {path: (bytes or host file, mode)}; the
    kernel unpacks it over the initramfs it is appended to."""
    root = tempfile.mkdtemp()
    try:
        for path, (data, mode) in files.items():
            p = os.path.join(root, path.lstrip("/"))
            os.makedirs(os.path.dirname(p), exist_ok=True)
            if isinstance(data, bytes):
                with open(p, "wb") as f:
                    f.write(data)
            else:
                shutil.copyfile(data, p)
            os.chmod(p, mode)
        sh("cd %s && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 > %s"
           % (root, dst))
    finally:
        shutil.rmtree(root)


def concat(dst, parts):
    with open(dst, "wb") as out:
        for p in parts:
            with open(p, "rb") as f:
                shutil.copyfileobj(f, out)


def qemu(name, cmd, stop, timeout):
    """Runs QEMU; returns [(host seconds since spawn, line)] up to the first
    line matching stop (plus a second) or the timeout. The log grows as the
    run goes (build/bench/NAME.log)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    lines, rx, end = [], re.compile(stop), None
    os.set_blocking(p.stdout.fileno(), False)
    buf = b""
    with open(os.path.join(OUT, name + ".log"), "w") as log:
        while time.monotonic() - t0 < timeout and (end is None or time.monotonic() < end):
            chunk = p.stdout.read()
            if not chunk:
                if p.poll() is not None:
                    break
                time.sleep(0.02)
                continue
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                lines.append((time.monotonic() - t0, line))
                log.write("%8.3f | %s\n" % lines[-1])
                if end is None and rx.search(line):
                    end = time.monotonic() + 1
            log.flush()
    if p.poll() is None:
        p.kill()
    p.wait()
    return lines


def ours_cmd(initrd, mode):
    return [ps.QEMU, "-accel", "tcg", "-cpu", BENCH_CPU, "-m", "2048", "-smp", "1",
            "-display", "none", "-serial", "stdio", "-no-reboot", "-nic", "none",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-kernel", ps.IMAGE,
            "-append", 'loglvl=info domu-exit domu="name=dom0,mem=768M,kernel=0,initrd=1,'
            'control,cmdline=console=hvc0 dom0=%s"' % mode,
            "-initrd", "%s,%s" % (os.path.join(ps.FIX, os.environ.get("DOM0_KERNEL", "vmlinuz")),
                                  initrd)]


def xen_cmd(xb, initrd, kargs):
    return [ps.QEMU, "-accel", "tcg", "-cpu", BENCH_CPU, "-m", "2048", "-smp", "1",
            "-display", "none", "-serial", "stdio", "-no-reboot", "-nic", "none",
            "-kernel", os.path.join(xb, "xen-4.17"), "-append", XEN_ARGS,
            "-initrd", "%s console=hvc0 %s,%s" % (os.path.join(xb, "vmlinuz"), kargs, initrd)]


def first(lines, pattern):
    rx = re.compile(pattern)
    for t, l in lines:
        m = rx.search(l)
        if m:
            return t, m
    return None, None


def boot_times(lines, pattern):
    t, m = first(lines, pattern)
    return (t, float(m.group(1))) if t is not None else (None, None)


def body_figures(lines):
    """The BENCH-* lines of one dom0 run, as lists of samples per figure."""
    f = {k: [] for k in ("syscall", "sock_rtt", "fork", "write", "read", "dir", "txn",
                         "xsshell", "create_ret", "create_up", "cycle")}
    for _, l in lines:
        m = re.search(r"SOCKPP syscall\(getppid\)=([\d.]+) us +unix-socket round trip=([\d.]+) "
                      r"us .* fork\+exit\+wait=([\d.]+) us", l)
        if m:
            for k, v in zip(("syscall", "sock_rtt", "fork"), m.groups()):
                f[k].append(float(v))
        m = re.search(r"XSBENCH n=\d+ write=(\d+)/s read=(\d+)/s dir=(\d+)/s "
                      r"txn\(start\+write\+commit\)=(\d+)/s", l)
        if m:
            for k, v in zip(("write", "read", "dir", "txn"), m.groups()):
                f[k].append(float(v))
        m = re.search(r"BENCH-XSSHELL ([\d.]+) ops/s", l)
        if m:
            f["xsshell"].append(float(m.group(1)))
        m = re.search(r"BENCH-XLCREATE run=\d+ rc=0 returned_s=([\d.]+)", l)
        if m:
            f["create_ret"].append(float(m.group(1)))
        m = re.search(r"BENCH-DOMU-UP run=\d+ create_to_userland_s=([\d.]+)", l)
        if m:
            f["create_up"].append(float(m.group(1)))
        m = re.search(r"BENCH-CYCLE run=\d+ ok=1 s=([\d.]+)", l)
        if m:
            f["cycle"].append(float(m.group(1)))
    return f


ROWS = [  # key, label, unit, lower is better
    ("boot_wall", "hypervisor + dom0 to dom0 /init, host wall", "s", True),
    ("boot_up", "same, dom0 uptime at /init", "s", True),
    ("syscall", "dom0 getppid() system call", "us", True),
    ("sock_rtt", "dom0 unix-socket 1-byte round trip", "us", True),
    ("fork", "dom0 fork+exit+wait", "us", True),
    ("write", "xenstore write from dom0 (xsbench, 10k)", "ops/s", False),
    ("read", "xenstore read from dom0", "ops/s", False),
    ("dir", "xenstore directory from dom0", "ops/s", False),
    ("txn", "xenstore transaction start+write+commit", "txn/s", False),
    ("xsshell", "xenstore-write+read shell loop (fork+exec)", "ops/s", False),
    ("create_ret", "xl create returns", "s", True),
    ("create_up", "xl create -> domU /init", "s", True),
    ("cycle", "xl create + xl destroy cycle", "s", True),
]


def median(xs):
    return statistics.median(xs) if xs else None


def table(ours, xen):
    out = ["| figure | xen-like | Xen 4.17 | ratio (>1: xen-like better) | n (ours/Xen) |",
           "|---|---|---|---|---|"]
    for key, label, unit, lower in ROWS:
        a, b = median(ours.get(key, [])), median(xen.get(key, []))
        ratio = "-"
        if a and b:
            ratio = "%.2fx" % (b / a if lower else a / b)
        fmt = (lambda v: "-" if v is None else ("%.3g %s" % (v, unit) if v < 100 else
                                                "%.0f %s" % (v, unit)))
        out.append("| %s | %s | %s | %s | %d/%d |" % (label, fmt(a), fmt(b), ratio,
                                                      len(ours.get(key, [])),
                                                      len(xen.get(key, []))))
    return "\n".join(out)


def main():
    reps = int(sys.argv[sys.argv.index("--reps") + 1]) if "--reps" in sys.argv else 3
    os.makedirs(OUT, exist_ok=True)
    try:
        mods = ps.dom0_initrd()
    except ps.Skip as e:
        mods = None
        print("bench_dom0: %s" % e)
    if mods is None:
        print("bench_dom0: dom0's fixtures could not be built")
        return 1
    xb = anchor_build()
    body = os.path.join(ps.ROOT, "tests", "bench", "dom0-bench.sh")
    gdate, xsbench = "/usr/bin/date", os.path.join(xb, "xsbench")
    ours_ov, xen_ov = os.path.join(OUT, "ours-overlay.cpio.gz"), os.path.join(OUT, "xen-overlay.cpio.gz")
    overlay(ours_ov, {
        "/etc/dom0/bench.sh": (OURS_SCENARIO.encode(), 0o644),
        "/etc/bench-body.sh": (body, 0o644),
        "/usr/local/bin/xsbench": (xsbench, 0o755),
        "/usr/local/bin/sockpp": (os.path.join(xb, "sockpp"), 0o755),
        "/usr/local/bin/gdate": (gdate, 0o755),
        "/etc/xen/bench.cfg": ((DOMU_CFG % ("/var/lib/xen/images/vmlinuz",
                                            "/var/lib/xen/images/initramfs.cpio.gz")).encode(),
                               0o644)})
    overlay(xen_ov, {
        "/init": (XEN_INIT.encode(), 0o755),
        "/etc/bench-body.sh": (body, 0o644),
        "/guest/initramfs.cpio.gz": (os.path.join(ps.FIX, "initramfs.cpio.gz"), 0o644),
        "/etc/xen/bench.cfg": ((DOMU_CFG % ("/guest/vmlinuz", "/guest/initramfs.cpio.gz"))
                               .encode(), 0o644)})
    ours_rd, xen_rd = os.path.join(OUT, "ours-dom0.cpio.gz"), os.path.join(OUT, "xen-dom0.cpio.gz")
    concat(ours_rd, [mods[1], ours_ov])
    concat(xen_rd, [os.path.join(xb, "dom0.cpio.gz"), xen_ov])

    ours, xen = {"boot_wall": [], "boot_up": []}, {"boot_wall": [], "boot_up": []}
    for r in range(reps):   # interleaved, so load changes hit both alike
        lines = qemu("ours-boot-%d" % r, ours_cmd(mods[1], "poweroff"),
                     r"DOM0-CHECKS-DONE|every boot domain has ended", 300)
        t, up = boot_times(lines, r"DOM0-INIT-UP \S+ uptime ([\d.]+)")
        if t is not None:
            ours["boot_wall"].append(t)
            ours["boot_up"].append(up)
        lines = qemu("xen-boot-%d" % r, xen_cmd(xb, os.path.join(xb, "dom0.cpio.gz"),
                                                "anchor=boot"), r"ANCHOR-DONE", 300)
        t, up = boot_times(lines, r"ANCHOR-DOM0-USERLAND uptime=([\d.]+)")
        if t is not None:
            xen["boot_wall"].append(t)
            xen["boot_up"].append(up)
    ours.update(body_figures(qemu("ours-body", ours_cmd(ours_rd, "bench"),
                                  r"BENCH-DONE|every boot domain has ended", 1500)))
    xen.update(body_figures(qemu("xen-body", xen_cmd(xb, xen_rd, ""), r"BENCH-DONE", 1500)))

    text = table(ours, xen)
    with open(os.path.join(OUT, "dom0-bench.txt"), "w") as f:
        f.write(text + "\n")
    print("dom0 benchmark (QEMU TCG, -cpu %s, -smp 1, -m 2048, dom0 768 MiB; medians; "
          "logs in %s)" % (BENCH_CPU, OUT))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
