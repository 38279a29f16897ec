#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""What `make run` gives a user (README, first line): the hypervisor, Debian's
Linux as dom0 and the demo domU dom0 creates (dom0=demo), driven by typing
at dom0's shell as a person would.

  make_run_demo   dom0's shell answers; `xl list` shows demo running;
                  `xl console demo` reaches the domU's shell and Ctrl-]
                  comes back; `poweroff -f` in dom0 ends the machine as
                  with Xen's hardware domain: the domU is destroyed and
                  freed, QEMU leaves

Usage: dom0_demo.py. Ends with "N passed, N failed".
"""
import sys

from pvh_system import PASS_STATUS, Run, check, dom0_initrd, domu, main, started


def typed(r, text, answer, start, problems, what):
    """Types text at a shell until answer shows (three tries): busybox ash
    asks the terminal for the cursor position (ESC[6n) at each prompt and,
    with no reply, can swallow what is typed meanwhile. Index of the answer."""
    for _ in range(3):
        r.type(text)
        i = r.wait_for(answer, 20, start)
        if i is not None:
            return i
        text = "\n" + text
    check(False, what, problems)
    return start


def make_run_demo(problems):
    mods = dom0_initrd()
    check(mods is not None, "tests/fixtures/dom0-initrd.sh failed", problems)
    if mods is None:
        return
    # As tests/fixtures/build.mk's run target, plus domu-exit to end QEMU.
    r = Run("make_run_demo", "loglvl=info domu-exit " +
            domu("dom0", "dom0=demo", "512M", ",control"), mods)
    started(r)
    i = r.wait_for(r"\(dom0\) DOM0-SHELL", 300)
    check(i is not None, "dom0 never reached its shell", problems)
    if i is None:
        r.finish(5)
        return
    check(r.has(r"\(dom0\) Started domain demo \(id=1\)"), "demo was not created", problems)
    i = typed(r, "xl list\n", r"\(dom0\) demo +1 +160 +1 ", i, problems,
              "xl list does not show demo")
    # The domU's shell needs its boot to finish: retry the probe a few times.
    r.type("xl console demo\n")
    answered = None
    for _ in range(12):
        r.type("echo DEMO-$((6*7))\n")
        answered = r.wait_for(r"\(dom0\) DEMO-42", 10, i)
        if answered is not None:
            break
    check(answered is not None, "xl console demo: the domU's shell did not answer", problems)
    r.type("\x1d")                          # Ctrl-]: back to dom0
    i = typed(r, "echo BACK-$((6*7))\n", r"\(dom0\) BACK-42", answered or i, problems,
              "Ctrl-] did not bring dom0's shell back")
    r.type("poweroff -f\n")
    r.wait_for(r"every boot domain has ended", 120, i)
    status = r.finish(30)
    check(status == PASS_STATUS, "QEMU status %s (dom0's poweroff must end the run)" % status,
          problems)
    check(r.has(r"svm: the control domain ended \(code 0\): 1 other domain\(s\) destroyed"),
          "dom0's poweroff did not destroy the domU", problems)
    check(r.has(r"^\(HV\) d1: freed$"), "the hypervisor did not free the domU", problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)


CASES = [make_run_demo]

if __name__ == "__main__":
    sys.exit(main(CASES))
