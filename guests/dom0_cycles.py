#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6 test 3: 20 create/destroy cycles from dom0 leave the hypervisor's
free memory, the xenstore node count and dom0's open file count where they
started (dom0 scenario tests/fixtures/dom0/cycles.sh).

  dom0_cycles   one warm-up cycle (Linux), then 20 x (xl create, the domain runs,
                xl destroy, it is gone): 18 with the in-tree guest idling
                (guests/hostile, hostile=idle), 2 with the Linux demo domU
                (grant frames, shared_info, vcpu_info, LAPIC, FPU state).
                Checked: every create succeeded and its domain ran; the
                counts before and after are equal; the hypervisor logged
                `dN: freed` for each domain, domids increasing; its own free
                page count is the same after every cycle; the SVM side freed
                each domain's state.

Usage: dom0_cycles.py [substring]. Ends with "N passed, N failed".
"""
import re
import sys

from pvh_system import check, main, run_dom0

CYCLES = 20


def counts(r, when):
    for l in r.lines:
        m = re.search(r"DOM0-CYCLES-%s free_memory=(\S+) nodes=(\d+) fds=(\d+)" % when, l)
        if m:
            return m.groups()
    return None


def dom0_cycles(problems):
    r = run_dom0("dom0_cycles", "cycles", 400, problems)
    if r is None:
        return
    created = [int(m.group(1)) for m in (re.search(
        r"\(dom0\) DOM0-CYCLE (\d+) \w+ create status 0 id=\d+ ", l) for l in r.lines) if m]
    ran = [int(m.group(1)) for m in (re.search(
        r"\(dom0\) DOM0-CYCLE (\d+) \w+ ran$", l) for l in r.lines) if m]
    want = list(range(0, CYCLES + 1))
    check(created == want, "creates that succeeded: %s" % created, problems)
    check(r.has(r"DOM0-CYCLE 0 demo ran"), "the warm-up Linux domU ran", problems)
    check(ran == want, "cycles whose domain ran: %s" % ran, problems)
    check(r.has(r"DOM0-CYCLE 7 demo ran") and r.has(r"DOM0-CYCLE 14 demo ran"),
          "the Linux demo domU ran twice", problems)
    check(not r.has(r"DOM0-CYCLE \d+ \w+ (destroy status [1-9]|still listed)"),
          "an xl destroy failed or left the domain listed", problems)
    before, after = counts(r, "BEFORE"), counts(r, "AFTER")
    check(before is not None and after is not None, "no counts printed", problems)
    if before and after:
        for i, what in ((0, "xl info free_memory (MiB)"), (1, "xenstore node count"),
                        (2, "dom0 open file count")):
            check(before[i] == after[i], "%s: %s before, %s after" % (what, before[i], after[i]),
                  problems)
        check(before[0] != "none", "xl info printed no free_memory", problems)
        if before[2] != after[2]:
            for when in ("BEFORE", "AFTER"):
                problems.append("  %s: %s" % (when, " ".join(
                    m.group(1) for m in (re.search(r"DOM0-CYCLES-%s-FDS (.*)" % when, l)
                                         for l in r.lines) if m)))
    freed = [int(m.group(1)) for m in (re.search(r"^\(HV\) d(\d+): freed$", l)
                                      for l in r.lines) if m]
    check(len(freed) == CYCLES + 1 and freed == sorted(set(freed)) and 0 not in freed,
          "the hypervisor freed %d domains (want %d, increasing domids): %s"
          % (len(freed), CYCLES + 1, freed), problems)
    svm_freed = [l for l in r.lines if re.search(r"^\(HV\) d\d+ \(d\d+\): SVM state freed: 1 vCPUs", l)]
    check(len(svm_freed) == CYCLES + 1, "SVM state freed %d times" % len(svm_freed), problems)
    # The hypervisor's own count, each time only dom0 is left: identical
    # after every cycle (the first time is before any domU existed).
    only_dom0 = [m.groups() for m in (re.search(
        r"^\(HV\) svm: 1 domains, (\d+) pages free, (\d+) heap bytes in use$", l)
        for l in r.lines) if m]
    free = [int(f) for f, _ in only_dom0]
    heap = [int(h) for _, h in only_dom0]
    check(len(free) == CYCLES + 2 and len(set(free[1:])) == 1,
          "hypervisor free pages with only dom0 left, after each cycle: %s" % free[1:], problems)
    check(len(heap) == CYCLES + 2 and len(set(heap[1:])) == 1,
          "hypervisor heap bytes with only dom0 left, after each cycle: %s" % heap[1:], problems)
    check(r.has(r"d0 \(dom0\): ended, shutdown code 0"), "dom0 poweroff reported", problems)
    # The builder's populate_physmap calls (4096 pages for each idle guest,
    # 40960 for Linux) were continued every 1024 pages by the hypervisor.
    cont = [int(m.group(1)) for m in (re.search(
        r"d0 \(dom0\): ended, .* hypercalls \((\d+) continued\)", l) for l in r.lines) if m]
    check(cont and cont[0] >= 3 * (CYCLES + 1), "dom0's continued hypercalls: %s" % cont,
          problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)


CASES = [dom0_cycles]

if __name__ == "__main__":
    sys.exit(main(CASES))
