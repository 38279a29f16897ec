#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6 test 2: a domU's whole life driven from dom0's shell
(tests/fixtures/dom0/lifecycle.sh, dom0=lifecycle).

  dom0_lifecycle  `xl create` a stock Linux PVH domU; `xl list` shows it;
                  `xl console` talks to its shell (a command typed through
                  a pipe, left with Ctrl-]); `xl shutdown -w` powers it off
                  (the kernel's control/shutdown watch runs /sbin/poweroff,
                  /init's trap powers off, the monitor destroys it); a new
                  `xl create`, `xl reboot` brings it back under a new domid
                  with a second boot on its console; `xl destroy` removes
                  it; /local/domain/<id> and /vm/<uuid> are gone and
                  xenstored released every domid

Usage: dom0_lifecycle.py. Ends with "N passed, N failed".
"""
import re
import sys

from pvh_system import check, main, run_dom0


def first(r, marker):
    v = r.marked(marker)
    return v[0] if v else ""


def dom0_lifecycle(problems):
    r = run_dom0("dom0_lifecycle", "lifecycle", 1500, problems)
    if r is None:
        return
    ids = [first(r, "DOM0-LC-DOMID%d" % n).split(" ")[0] for n in (1, 2, 3)]
    d1, d2, d3 = ids
    vm1 = (first(r, "DOM0-LC-DOMID1").split(" ") + ["", ""])[1]
    vm3 = (first(r, "DOM0-LC-DOMID3").split(" ") + ["", ""])[1]
    check(all(i.isdigit() for i in ids), "domids of the three domains: %s" % ids, problems)
    check(len(set(ids)) == 3, "each creation got a new domid: %s" % ids, problems)
    check(vm1.startswith("/vm/") and vm3.startswith("/vm/"), "no /vm/<uuid> path", problems)
    for pat, what in [
            # create, list, console
            (r"DOM0-LC-CONSOLED status 0", "consoled started"),
            (r"DOM0-LC-CREATE1 status 0", "first xl create"),
            (r"DOM0-LC-CREATE1 Started domain demo \(id=%s\)" % d1, "xl create named the domid"),
            (r"DOM0-LC-LIST-RUNNING demo +%s +160 +1 " % d1, "xl list shows demo (160 MiB)"),
            (r"DOM0-LC-SHELLS 1 after", "the domU reached its shell"),
            (r"DOM0-LC-CONSOLE status 0", "xl console left with Ctrl-] (status 0)"),
            (r"DOM0-LC-CONSOLE CONSOLE-42$", "a command typed through xl console answered"),
            # shutdown
            (r"DOM0-LC-SHUTDOWN status 0", "xl shutdown -w returned once the guest was down"),
            (r"DOM0-LC-SHUTDOWN Domain %s has been (shut down, reason code 0|destroyed\.)$" % d1,
             "xl shutdown -w said how the domain went"),
            (r"DOM0-LC-GUEST .*XLTEST-POWERING-OFF", "the guest's /init powered off on request"),
            (r"DOM0-LC-STORE /local/domain/%s gone" % d1, "/local/domain/<id> gone after poweroff"),
            (r"DOM0-LC-STORE %s gone" % re.escape(vm1), "/vm/<uuid> gone after poweroff"),
            # reboot
            (r"DOM0-LC-CREATE2 status 0", "second xl create"),
            (r"DOM0-LC-SHELLS 2 after", "the second domain reached its shell"),
            (r"DOM0-LC-REBOOT status 0", "xl reboot"),
            (r"DOM0-LC-GUEST .*XLTEST-REBOOTING", "the guest's /init rebooted on request"),
            (r"DOM0-LC-SHELLS 3 after", "the rebuilt domain booted again to its shell"),
            (r"DOM0-LC-STORE /local/domain/%s gone" % d2, "the rebooted domid's store entries gone"),
            (r"DOM0-LC-LIST-REBOOTED demo +%s +160 " % d3, "xl list shows the rebuilt domain"),
            # destroy
            (r"DOM0-LC-DESTROY status 0", "xl destroy"),
            (r"DOM0-LC-LIST-AFTER-DESTROY Domain-0 +0 ", "xl list after destroy"),
            (r"DOM0-LC-STORE /local/domain/%s gone" % d3, "/local/domain/<id> gone after destroy"),
            (r"DOM0-LC-STORE %s gone" % re.escape(vm3), "/vm/<uuid> gone after destroy"),
            (r"DOM0-LC-VM-LEFT \[\]", "/vm holds nothing"),
            (r"d0 \(dom0\): ended, shutdown code 0", "dom0 poweroff reported")]:
        check(r.has(pat), what, problems)
    for d in ids:
        check(r.has(r"DOM0-LC-XSLOG xenstored: domain %s: released" % d),
              "xenstored did not release d%s" % d, problems)
        check(r.has(r"^\(HV\) d%s: freed$" % d), "the hypervisor did not free d%s" % d,
              problems)
    check(not r.has(r"DOM0-LC-LIST-AFTER-DESTROY demo"), "demo listed after destroy", problems)
    check(not r.has(r"DOM0-LC-CONSOLED-ERR"), "consoled reported errors", problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)
    for m in ("DOM0-LC-CREATE-TIME", "DOM0-LC-CREATE-TO-SHELL", "DOM0-LC-SHELLS",
              "DOM0-LC-GONE", "DOM0-LC-NEW"):
        print("    %s: %s" % (m, "; ".join(r.marked(m))))


CASES = [dom0_lifecycle]

if __name__ == "__main__":
    sys.exit(main(CASES))
