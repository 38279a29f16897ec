#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""System tests: boot the hypervisor (and later guests) in QEMU.

Each test is one small file in tests/system/cases/NAME.case:

    # what the test shows (first comment line is printed on failure)
    boot: kernel | iso        # multiboot1 via -kernel, or a GRUB (multiboot2) ISO
    append: test=all          # hypervisor command line
    smp: 2                    # default 2
    mem: 256                  # MiB, default 256
    timeout: 30               # seconds, default 30
    exit: pass | fail | panic | <QEMU status>
    expect: text              # must appear, in this order (repeatable)
    forbid: text              # must not appear anywhere (repeatable)
    count: N text             # text appears exactly N times (repeatable)
    module: path [args]       # a multiboot module, path relative to the repository
                              # root (repeatable; kernel boot only)
    qemu: extra args          # appended to the QEMU command line

The serial log of a failed test is kept in build/test-logs/system-NAME.log.
Prints one PASS/FAIL line per test and ends with "N passed, N failed".
Usage: run.py [substring]      (runs only the cases whose name contains it)
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "tests", "system", "cases")
BUILD = os.path.join(ROOT, os.environ.get("BUILD", "build"))
IMAGE = os.environ.get("HV_IMAGE", os.path.join(BUILD, "xen-like", "xen-like"))
LOGS = os.path.join(BUILD, "test-logs")
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
# isa-debug-exit: QEMU exits with (value << 1) | 1; values from arch cpu.h.
EXIT_NAMES = {"pass": 33, "fail": 35, "panic": 37}
KEYS = {"boot", "append", "smp", "mem", "timeout", "exit", "expect", "forbid", "module", "qemu",
        "count"}


class CaseError(Exception):
    pass


def parse_case(path):
    case = {"boot": "kernel", "append": "", "smp": "2", "mem": "256", "timeout": "30",
            "exit": "pass", "expect": [], "forbid": [], "module": [], "qemu": "", "count": [],
            "about": ""}
    with open(path) as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                case["about"] = case["about"] or line[1:].strip()
                continue
            if not line.strip():
                continue
            key, sep, val = line.partition(":")
            key = key.strip()
            if not sep or key not in KEYS:
                raise CaseError("%s:%d: unknown line %r" % (path, n, line))
            val = val.strip()
            if isinstance(case[key], list):
                case[key].append(val)
            else:
                case[key] = val
    if case["boot"] not in ("kernel", "iso"):
        raise CaseError("%s: boot must be kernel or iso" % path)
    for c in case["count"]:
        n, _, text = c.partition(" ")
        if not n.isdigit() or not text:
            raise CaseError("%s: count needs 'N text', got %r" % (path, c))
    exit_val = case["exit"]
    case["exit"] = EXIT_NAMES.get(exit_val) if exit_val in EXIT_NAMES else int(exit_val)
    return case


def make_iso(name, append, workdir):
    """A GRUB rescue ISO whose only entry boots the image by multiboot2."""
    if not shutil.which("grub-mkrescue"):
        raise CaseError("grub-mkrescue not installed (scripts/setup.sh)")
    tree = os.path.join(workdir, "iso")
    os.makedirs(os.path.join(tree, "boot", "grub"))
    shutil.copy(IMAGE, os.path.join(tree, "boot", "xen-like"))
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write("set timeout=0\nset default=0\n"
                "menuentry \"xen-like\" {\n  multiboot2 /boot/xen-like %s\n  boot\n}\n" % append)
    iso = os.path.join(workdir, name + ".iso")
    r = subprocess.run(["grub-mkrescue", "-o", iso, tree], capture_output=True, text=True)
    if r.returncode:
        raise CaseError("grub-mkrescue failed: " + r.stderr.strip()[-300:])
    return iso


def qemu_command(name, case, serial_log, workdir):
    cmd = [QEMU, "-accel", "tcg", "-cpu", "max", "-m", case["mem"], "-smp", case["smp"],
           "-no-reboot", "-display", "none", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-serial", "file:" + serial_log]
    if case["boot"] == "iso":
        cmd += ["-cdrom", make_iso(name, case["append"], workdir), "-boot", "d"]
    else:
        cmd += ["-kernel", IMAGE, "-append", case["append"]]
        if case["module"]:
            mods = [m if m.startswith("/") else os.path.join(ROOT, m) for m in case["module"]]
            cmd += ["-initrd", ",".join(m.replace(",", ",,") for m in mods)]
    return cmd + shlex.split(case["qemu"])


def check(case, log, status):
    """The reason this run failed, or None."""
    if status is None:
        return "timed out after %s s" % case["timeout"]
    pos = 0
    for want in case["expect"]:
        at = log.find(want, pos)
        if at < 0:
            where = "at all" if log.find(want) < 0 else "in order"
            return "expected line not found %s: %r" % (where, want)
        pos = at + len(want)
    for bad in case["forbid"]:
        if bad in log:
            return "forbidden text present: %r" % bad
    for c in case["count"]:
        n, _, text = c.partition(" ")
        if log.count(text) != int(n):
            return "%r appears %d times, expected %s" % (text, log.count(text), n)
    if status != case["exit"]:
        return "QEMU exit status %d, expected %d" % (status, case["exit"])
    return None


def run_case(name, case):
    workdir = tempfile.mkdtemp(prefix="hv-system-")
    serial_log = os.path.join(workdir, "serial.log")
    status, qemu_out = None, ""
    t0 = time.monotonic()
    try:
        cmd = qemu_command(name, case, serial_log, workdir)
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            qemu_out, _ = p.communicate(timeout=float(case["timeout"]))
            status = p.returncode
        except subprocess.TimeoutExpired:
            p.kill()
            qemu_out, _ = p.communicate()
        log = open(serial_log, errors="replace").read() if os.path.exists(serial_log) else ""
        why = check(case, log, status)
    except CaseError as e:
        cmd, log, why = [], "", str(e)
    except OSError as e:                # QEMU (or a module) missing
        cmd, log, why = [], "", "cannot run QEMU: %s" % e
    elapsed = time.monotonic() - t0
    keep = os.path.join(LOGS, "system-%s.log" % name)
    if not why and os.path.exists(keep):
        os.remove(keep)                 # a stale log from an earlier failure
    if why:
        os.makedirs(LOGS, exist_ok=True)
        with open(keep, "w") as f:
            f.write("# %s\n# %s\n# command: %s\n# reason: %s\n" %
                    (name, case.get("about", ""), " ".join(map(shlex.quote, cmd)), why))
            f.write(log)
            if qemu_out:
                f.write("\n# QEMU output:\n" + qemu_out)
        why += " (log: %s)" % os.path.relpath(keep, ROOT)
    shutil.rmtree(workdir, ignore_errors=True)
    return why, elapsed


def main():
    filt = sys.argv[1] if len(sys.argv) > 1 else ""
    passed = failed = 0
    if not os.path.exists(IMAGE):
        print("FAIL image: %s not built (make hv)" % IMAGE)
        print("0 passed, 1 failed")
        return 1
    for fn in sorted(os.listdir(CASES)):
        if not fn.endswith(".case") or filt not in fn:
            continue
        name = fn[:-5]
        try:
            case = parse_case(os.path.join(CASES, fn))
        except (CaseError, ValueError) as e:
            print("FAIL %s: bad case file: %s" % (name, e))
            failed += 1
            continue
        why, elapsed = run_case(name, case)
        if why:
            print("FAIL %s: %s" % (name, why))
            print("    %s" % case["about"])
            failed += 1
        else:
            print("PASS %s (%.2f s)" % (name, elapsed))
            passed += 1
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
