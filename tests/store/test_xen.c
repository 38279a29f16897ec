/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * transport_xen.c's one piece of logic that needs no /dev/xen: what the
 * hypervisor's domain list says about an introduced domain (VIRQ_DOM_EXC).
 */
#define __XEN_TOOLS__ 1
#include "xen.h"
#include "domctl.h"
#include "sched.h"
#include "domain.h"
#include "transport.h"
#include "unit.h"

TEST(running_domain_is_kept)
{
    CHECK_EQ(xen_state_of(3, 3, XEN_DOMINF_running | XEN_DOMINF_hvm_guest), DOMAIN_RUNNING);
    CHECK_EQ(xen_state_of(3, 3, XEN_DOMINF_blocked | XEN_DOMINF_paused), DOMAIN_RUNNING);
}

TEST(shut_down_or_crashed_domain_is_shut_down)
{
    uint32_t crashed = XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);

    CHECK_EQ(xen_state_of(3, 3, XEN_DOMINF_shutdown), DOMAIN_SHUTDOWN);
    CHECK_EQ(xen_state_of(3, 3, crashed), DOMAIN_SHUTDOWN);
}

TEST(dying_or_missing_domain_is_gone)
{
    CHECK_EQ(xen_state_of(3, 3, XEN_DOMINF_dying), DOMAIN_GONE);
    CHECK_EQ(xen_state_of(3, 3, XEN_DOMINF_dying | XEN_DOMINF_shutdown), DOMAIN_GONE);
    /* The list started at the next domain up: 3 no longer exists. */
    CHECK_EQ(xen_state_of(3, 4, XEN_DOMINF_running), DOMAIN_GONE);
    CHECK_EQ(xen_state_of(3, DOMID_INVALID, 0), DOMAIN_GONE);
}
