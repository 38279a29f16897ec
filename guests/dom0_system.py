#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Issue 6 test 1 and the first half of test 2: Debian's Linux as the control
domain (dom0) on dom0's initramfs (tests/fixtures/dom0-initrd.sh).

  dom0_userland     the Xen modules load, xenfs mounts, our xenstored runs
                    and serves the kernel's own ring itself (no relay);
                    Debian's xenstore-utils work on its socket and through
                    the kernel's /dev/xen/xenbus ring; our xl (privcmd:
                    sysctl/domctl) works; on two physical CPUs, platform_op:
                    the kernel syncs them (xen_cpu0, xen_cpu1 online in
                    sysfs) and passes its clock on (settime64)
  dom0_create_domu  from that dom0, `xl create` a stock Linux PVH domU; its
                    console reaches consoled's log (several ring-fulls),
                    `xl list` shows it, `xl destroy` removes it
  dom0_store_domu   xenstored serves a domU's store ring, mapped by grant
                    ref 1 (the builder seeded it): the domU's xenbus
                    comes up and it reaches its /init; its kernel's nodes
                    are under /local/domain/<id>; after `xl destroy` the
                    connection is released and the nodes are gone

Both domU cases require that the builder's grant seeding left no trace of a
refusal: no seeding warning from xl, no refused foreign map of the grant
frame, no failed grant map in the hypervisor's log.

Usage: dom0_system.py [substring]. Ends with "N passed, N failed".
"""
import re
import sys

from pvh_system import check, main, run_dom0


def dom0_userland(problems):
    # Two physical CPUs (dom0 keeps one vCPU): Linux's xen_cpu driver gives
    # CPU 0 no `online` file, so CPU 1's shows platform_op get_cpuinfo at work.
    r = run_dom0("dom0_userland", "userland", 300, problems, extra=("-smp", "2"))
    if r is None:
        return
    for m in ("xen-evtchn", "xen-privcmd", "xenfs", "xen-gntdev", "xen-gntalloc"):
        check(r.has(r"\(dom0\) DOM0-MODULE %s loaded" % m), "module %s not loaded" % m,
              problems)
    for pat, what in [
            (r"\(dom0\) DOM0-HYPERVISOR xen$", "/sys/hypervisor/type is xen"),
            (r"\(dom0\) DOM0-XENFS capabilities=control_d xsd_port=[1-9]",
             "xenfs: control_d and an XS_LOCAL store port"),
            (r"\(dom0\) DOM0-DEVXEN .*\bprivcmd\b.*\bxenbus_backend\b",
             "/dev/xen/privcmd and xenbus_backend"),
            (r"\(dom0\) DOM0-XENSTORED up", "xenstored started"),
            (r"\(dom0\) DOM0-XS-WRITE ok", "xenstore-write"),
            (r"\(dom0\) DOM0-XS-READ hello from dom0$", "xenstore-read"),
            (r'\(dom0\) DOM0-XS-LS greeting = "hello from dom0" n = "42" $', "xenstore-ls"),
            (r"\(dom0\) DOM0-XS-EXISTS ok", "xenstore-exists"),
            (r"\(dom0\) DOM0-XS-RM ok", "xenstore-rm"),
            (r"\(dom0\) DOM0-XS-LOCAL .*domain 0: serving the kernel's own ring "
             r"\(local port \d+\)", "xenstored mapped the kernel's ring and bound its port"),
            (r"\(dom0\) DOM0-XS-KERNEL-WRITE ok", "xenstore-write through the kernel's ring"),
            (r"\(dom0\) DOM0-XS-KERNEL-READ hello from dom0$",
             "xenstore-read through the kernel's ring sees a socket write"),
            (r"\(dom0\) DOM0-XS-SOCKET-SEES kernel$",
             "a write through the kernel's ring is seen on the socket"),
            (r"\(dom0\) DOM0-XL-INFO status 0", "xl info exit status"),
            (r"\(dom0\) DOM0-XL-INFO xen_version +: 4\.17\.", "xl info: version via privcmd"),
            (r"\(dom0\) DOM0-XL-INFO xen_scheduler +: credit", "xl info: scheduler"),
            (r"\(dom0\) DOM0-XL-LIST Domain-0 +0 +512 +1 +r", "xl list shows Domain-0"),
            (r"d0 \(dom0\): ended, shutdown code 0", "poweroff reported")]:
        check(r.has(pat), what, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)
    platform_op_checks(r, problems)


def platform_op_checks(r, problems):
    """dom0's kernel uses platform_op (drivers/xen/pcpu.c, arch/x86/xen/time.c)."""
    check(not r.has(r"Failed to sync pcpu info"), "xen_cpu: Failed to sync pcpu info",
          problems)
    check(r.has(r"^\(HV\) smp: 2 CPU\(s\) online"), "the hypervisor runs on 2 CPUs", problems)
    check(r.has(r"\(dom0\) DOM0-PCPU-LIST .*\bxen_cpu0 xen_cpu1 $"),
          "/sys/devices/system/xen_cpu lists xen_cpu0 and xen_cpu1", problems)
    # Linux gives CPU 0 no online file (Xen never offlines it); CPU 1 has one.
    check(r.has(r"\(dom0\) DOM0-PCPU xen_cpu1 online=1$"), "xen_cpu1/online reads 1",
          problems)
    check(not r.has(r"d0: platform_op cmd (55|48|62) "),
          "the hypervisor refused get_cpuinfo/get_cpu_version/settime64", problems)
    check(r.has(r"\(dom0\) DOM0-SETTIME status 0"), "date -s in dom0", problems)
    # The kernel passes its new clock on: 1800000000 s at about its uptime.
    check(r.has(r"d0: platform_op settime64: 18000000\d\d\.\d{9} s at system time "
                r"[1-9]\d* ns"), "dom0's clock change reached the hypervisor (settime64)",
          problems)


def seeding_clean(r, problems):
    check(not r.has(r"seeding the grant table"), "xl reported a grant seeding problem",
          problems)
    check(not r.has(r"foreign map: d\d+ gfn 0x[0-9a-f]+ is (not RAM|neither)"),
          "the hypervisor refused dom0's map of the domU's grant frame", problems)
    check(not r.has(r"ref [01] cannot be pinned"),
          "a backend's map of grant ref 0/1 failed", problems)


def dom0_create_domu(problems):
    r = run_dom0("dom0_create_domu", "create", 420, problems)
    if r is None:
        return
    for pat, what in [
            (r"\(dom0\) DOM0-CONSOLED status 0", "consoled started"),
            (r"\(dom0\) DOM0-XL-CREATE status 0", "xl create exit status"),
            (r"\(dom0\) DOM0-XL-CREATE Started domain demo \(id=1\)", "xl create started d1"),
            (r"\(dom0\) DOM0-DOMU-CONSOLE \[ *[0-9.]+\] printk: console \[hvc0\] enabled",
             "the domU's hvc0 output reached consoled's log"),
            (r"\(dom0\) DOM0-DOMU-CONSOLE \[ *[0-9.]+\] Freeing initrd memory",
             "the domU's console kept flowing after the first ring-full"),
            (r"\(dom0\) DOM0-XL-LIST-RUNNING status 0", "xl list with the domU"),
            (r"\(dom0\) DOM0-XL-LIST-RUNNING demo +1 +160 +1 ", "xl list shows demo (160 MiB)"),
            (r"\(dom0\) DOM0-XL-DESTROY status 0", "xl destroy exit status"),
            (r"\(dom0\) DOM0-XL-LIST-AFTER Domain-0 +0 ", "xl list after destroy"),
            (r"d0 \(dom0\): ended, shutdown code 0", "dom0 poweroff reported")]:
        check(r.has(pat), what, problems)
    sizes = [int(m.group(1)) for m in (re.search(r"DOM0-DOMU-CONSOLE bytes (\d+)", l)
                                       for l in r.lines) if m]
    n = sizes[0] if sizes else 0
    check(n > 2048, "consoled logged %d bytes: not more than one ring-full" % n, problems)
    check(not r.has(r"DOM0-XL-LIST-AFTER \S+ +1 +\d+ +\d+ "),
          "d1 still listed (dying) after xl destroy", problems)
    check(r.has(r"^\(HV\) d1: freed$"), "the hypervisor freed d1", problems)
    check(not r.has(r"DOM0-CONSOLED-ERR"), "consoled reported errors", problems)
    seeding_clean(r, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)


def dom0_store_domu(problems):
    r = run_dom0("dom0_store_domu", "store", 420, problems)
    if r is None:
        return
    ids = [m.group(1) for m in (re.search(r"DOM0-STORE-DOMID (\d+)", l) for l in r.lines) if m]
    check(bool(ids), "xl domid demo gave no id", problems)
    d = ids[0] if ids else "1"
    for pat, what in [
            (r"\(dom0\) DOM0-XL-CREATE status 0", "xl create exit status"),
            (r"\(dom0\) DOM0-STORE-XSLOG-BEFORE xenstored: domain %s: introduced: "
             r"ring connected" % d, "xenstored connected the domU's ring at INTRODUCE"),
            (r"\(dom0\) DOM0-STORE-DOMU-CONSOLE XLTEST-INIT-UP",
             "the domU's xenbus came up and it reached its /init"),
            (r"\(dom0\) DOM0-STORE-LS status 0", "xenstore-ls of the domU's home"),
            (r"\(dom0\) DOM0-STORE-INTRODUCED demo$", "the toolstack's name node"),
            # Written by the domU's kernel over its ring: the toolstack
            # creates these guest-owned and empty, as libxl does.
            (r"\(dom0\) DOM0-STORE-LS /local/domain/%s/control/feature-poweroff = \"1\"" % d,
             "the domU's kernel wrote control/feature-poweroff"),
            (r"\(dom0\) DOM0-STORE-LS /local/domain/%s/control/feature-reboot = \"1\"" % d,
             "the domU's kernel wrote control/feature-reboot"),
            (r"\(dom0\) DOM0-STORE-SYSRQ-1 1$",
             "a watch event reached the domU over its ring (control/sysrq: its "
             "console shows sysrq's help)"),
            (r"\(dom0\) DOM0-STORE-SYSRQ-NODE ''$",
             "the domU took the key: its write of an empty control/sysrq over "
             "dom0's 'h'"),
            (r"\(dom0\) DOM0-XL-DESTROY status 0", "xl destroy exit status"),
            (r"\(dom0\) DOM0-STORE-AFTER /local/domain/%s removed" % d,
             "/local/domain/<id> removed after destroy"),
            (r"\(dom0\) DOM0-STORE-XSLOG xenstored: domain %s: released" % d,
             "xenstored released the domain (ring unmapped, port unbound)"),
            (r"^\(HV\) d%s: freed$" % d,
             "the hypervisor freed the domU (xenstored's ring mapping let it go)"),
            (r"d0 \(dom0\): ended, shutdown code 0", "dom0 poweroff reported")]:
        check(r.has(pat), what, problems)
    check(not r.has(r"DOM0-STORE-XSLOG(-BEFORE)? .*(cannot|corrupt|disconnected)"),
          "xenstored logged a failure for the domU", problems)
    # By grant, as C xenstored: xenstored logs only the fallback to the gfn.
    check(not r.has(r"DOM0-STORE-XSLOG(-BEFORE)? .*domain %s: mapping grant 1 .*failed" % d),
          "xenstored fell back to the gfn: grant ref 1 did not map",
          problems)
    seeding_clean(r, problems)
    # INTRODUCE errors from dom0, once the initramfs carries our xs tool.
    if r.has(r"DOM0-STORE-INTRO-NODOM"):
        for pat, what in [
                (r"DOM0-STORE-INTRO-NODOM status 1 xs: introduce 77: E[A-Z]+$",
                 "INTRODUCE of a domain that does not exist fails"),
                (r"DOM0-STORE-XSLOG-ERR xenstored: domain 77: introduce: cannot map its "
                 r"store ring", "xenstored says why (domain, operation, reason)"),
                (r"DOM0-STORE-INTRO-PORT0 status 1 xs: introduce 78: EINVAL$",
                 "INTRODUCE with port 0 is EINVAL"),
                (r"DOM0-STORE-RELEASE-DOM0 status 1 xs: release 0: EINVAL$",
                 "RELEASE of domain 0 is EINVAL"),
                # A live update with the domU running: same pid, both rings
                # served by the new process, VIRQ_DOM_EXC bound again.
                (r"DOM0-STORE-LU status 0 OK$", "xs control live-update"),
                (r"DOM0-STORE-LU-PID same$", "the daemon kept its pid"),
                (r"DOM0-STORE-LU-KERNEL demo$", "the kernel's ring works after it"),
                (r"DOM0-STORE-SYSRQ-2 2$", "the domU's ring works after it"),
                (r"DOM0-STORE-XSLOG-LU xenstored: live-update: \d+ nodes, connections kept",
                 "the new process restored the state"),
                (r"DOM0-STORE-XSLOG-LU xenstored: domain 0: the kernel's ring got back "
                 r"[1-9]\d* watches", "the kernel's watches carried over")]:
            check(r.has(pat), what, problems)
    check(not r.has(r"\bBUG\b|Oops|crashed"), "a kernel BUG/Oops or a crash", problems)


CASES = [dom0_userland, dom0_create_domu, dom0_store_domu]

if __name__ == "__main__":
    sys.exit(main(CASES))
