#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6 test 4: what goes wrong gets a clear error and leaves nothing
behind (tests/fixtures/dom0/errors.sh, dom0=errors).

  dom0_errors  from dom0's shell: config syntax errors, bad values, an
               unknown key, missing and non-kernel images, a ramdisk larger
               than the guest, more memory than the hypervisor has free,
               xl and xenstore clients run as a non-root user: each fails
               with its step and reason (never a bare number); afterwards
               xl list, xl info's free_memory, the store and consoled's logs
               are as before. A domU writing other domains' nodes over its
               own xenstore ring is refused (EACCES) while its own node works.
               The hypervisor's first out-of-memory create costs it 1-2 MiB
               once (not again); one is made before the baseline, its cost
               printed and bounded (4 MiB).

Usage: dom0_errors.py. Ends with "N passed, N failed".
"""
import sys

from pvh_system import check, main, run_dom0

# case -> (exit status, text its output must contain)
CREATE_ERRORS = {
    "SYNTAX": (1, "xl create: /tmp/er-SYNTAX.cfg:6: string not closed before end of line"),
    "LIST": (1, "list not closed with ']'"),
    "NOTNUM": (1, "xl create: /tmp/er-NOTNUM.cfg:6: unexpected 't' where a value should "
                  "be (strings need quotes)"),
    "QUOTEDNUM": (1, "xl create: /tmp/er-QUOTEDNUM.cfg:6: memory must be a number (no quotes)"),
    "VCPUS0": (1, "xl create: /tmp/er-VCPUS0.cfg:6: vcpus = 0 is out of range 1..128"),
    "MAXMEM": (1, "xl create: /tmp/er-MAXMEM.cfg:6: maxmem"),
    "TYPE": (1, "xl create: /tmp/er-TYPE.cfg:6: type = \"pv\" is not supported (only "
                "\"pvh\")"),
    "ACTION": (1, "xl create: /tmp/er-ACTION.cfg:6: on_crash = \"explode\" is not one of "
                  "destroy, restart"),
    "NAME": (1, "xl create: /tmp/er-NAME.cfg:6: name \"a/b\" contains '/'"),
    "NOKERNEL": (1, "xl create: /tmp/er-NOKERNEL.cfg:1: kernel is missing"),
    "UNKNOWN": (0, "/tmp/er-UNKNOWN.cfg:6: warning: unknown key 'flavour' ignored"),
    "NOFILE": (1, "xl create: /tmp/does-not-exist.cfg: cannot open: No such file or directory"),
    "MISSING": (1, "xl create: loading kernel: /nonexistent/vmlinuz: cannot open: "
                   "No such file or directory"),
    "MISSINGRD": (1, "xl create: loading ramdisk: /nonexistent/initrd: No such file or "
                     "directory"),
    "TEXTKERNEL": (1, "xl create: loading kernel: /etc/xen/demo.cfg: not an ELF or bzImage "
                      "kernel"),
    "ELFKERNEL": (1, "xl create: loading kernel: /bin/busybox: "),
    "SMALLMEM": (1, "xl create: planning guest memory: kernel needs memory up to "),
    "BIGRD": (1, "xl create: loading ramdisk: /tmp/er-big-initrd: 73400320 bytes do not fit "
                 "in the guest's 64 MiB of RAM"),
    "TOOMUCH": (1, "xl create: populating memory: "),
    "WARMUP": (1, "xl create: populating memory: "),
    "HUGE": (1, "xl create: planning guest memory: memory = 8192 MiB: this builder places "
                "all RAM below 3.75 GiB"),
    "NONROOT-XL": (1, "xl: cannot reach the hypervisor: cannot open /dev/xen/privcmd: "
                      "Permission denied"),
    "NONROOT-CREATE": (1, "xl: cannot reach the hypervisor: cannot open /dev/xen/privcmd: "
                          "Permission denied"),
}


def dom0_errors(problems):
    r = run_dom0("dom0_errors", "errors", 900, problems)
    if r is None:
        return
    for case, (status, text) in sorted(CREATE_ERRORS.items()):
        out = r.marked("DOM0-ER-" + case)
        check(("status %d" % status) in out, "%s: exit status %d wanted, output %s" %
              (case, status, out), problems)
        check(any(text in l for l in out), "%s: wanted '%s', got %s" % (case, text, out),
              problems)
        bare = [l for l in out if l.strip().lstrip("-").isdigit()]
        check(not bare, "%s: a bare number in the output: %s" % (case, bare), problems)
    # Nothing left behind by any of them.
    for what in ("LIST", "FREE", "NODES", "DOMAINS", "VMS", "LOGS"):
        before = r.marked("DOM0-ER-BEFORE-" + what)
        after = r.marked("DOM0-ER-AFTER-" + what)
        check(before and before == after, "%s before %s, after %s" % (what, before, after),
              problems)
    warm = (r.marked("DOM0-ER-WARMUP-FREE") or [""])[0].split()
    check(len(warm) == 2 and all(w.isdigit() for w in warm) and
          0 <= int(warm[0]) - int(warm[1]) <= 4,
          "the first out-of-memory create cost more than 4 MiB for good: %s" % warm, problems)
    print("    free_memory around the first out-of-memory create (MiB): %s" % " -> ".join(warm))
    free = r.marked("DOM0-ER-BEFORE-FREE")
    check(free and free[0].isdigit() and int(free[0]) > 0, "xl info free_memory: %s" % free,
          problems)
    check(not any("guest-bad" in l for l in r.marked("DOM0-ER-AFTER-LOGS")),
          "consoled made a log for a domain that never ran", problems)
    # Unprivileged xenstore clients.
    xs = r.marked("DOM0-ER-NONROOT-XS")
    check("status 0" not in xs and xs, "xenstore-write as nobody: %s" % xs, problems)
    check(r.has(r"DOM0-ER-DOM0-NAME Domain-0$"), "dom0's name node changed", problems)
    domu = r.marked("DOM0-ER-DOMU")
    for pat, what in [
            (r"DOM0-ER-DOMU-CREATE status 0", "the domU was created"),
            (r"DOM0-ER-DOMU-CONSOLE status 0", "xl console to the domU"),
            (r"DOM0-ER-DOMU XSRAW-OTHER EACCES$", "a domU wrote dom0's name node"),
            (r"DOM0-ER-DOMU XSRAW-SELFNAME EACCES$", "a domU rewrote its own (read-only) name"),
            (r"DOM0-ER-DOMU XSRAW-TOOL EACCES$", "a domU wrote under /tool"),
            (r"DOM0-ER-DOMU XSRAW-OWN OK$", "a domU could not write its own data/ node"),
            (r"DOM0-ER-DOMU-AFTER name=Domain-0 tool=absent own=yes$",
             "the store after the domU's writes"),
            (r"DOM0-ER-DOMU-DESTROY status 0", "xl destroy of the domU"),
            (r"d0 \(dom0\): ended, shutdown code 0", "dom0 poweroff reported")]:
        check(r.has(pat), "%s (domU lines: %s)" % (what, domu) if "DOMU" in pat else what,
              problems)
    check(not r.has(r"DOM0-ER-CONSOLED-ERR"), "consoled reported errors", problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)


CASES = [dom0_errors]

if __name__ == "__main__":
    sys.exit(main(CASES))
