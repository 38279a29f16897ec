/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels: every EVTCHNOP and its error paths, the 2-level bits as
 * the guest sees them in shared_info/vcpu_info, VIRQs, teardown seen from
 * the remote end. Domains come from env_host's test_domain().
 */
#include "unit.h"
#include "env_host.h"
#include "errno.h"
#include "evtchn.h"
#include "xen.h"

#define WORD_BITS (sizeof(xen_ulong_t) * 8)

static struct vcpu *vc(struct domain *d, unsigned int i)
{
    return d->vcpus[i];
}

static bool pending(struct domain *d, evtchn_port_t p)
{
    return d->shared_info->evtchn_pending[p / WORD_BITS] >> (p % WORD_BITS) & 1;
}

static void set_mask(struct domain *d, evtchn_port_t p, bool on)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (p % WORD_BITS);

    if (on)
        d->shared_info->evtchn_mask[p / WORD_BITS] |= bit;
    else
        d->shared_info->evtchn_mask[p / WORD_BITS] &= ~bit;
}

static bool sel(struct vcpu *v, evtchn_port_t p)
{
    return v->vcpu_info->evtchn_pending_sel >> (p / WORD_BITS) & 1;
}

/* What the guest's upcall handler does before scanning. */
static void guest_ack(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        d->vcpus[i]->vcpu_info->evtchn_upcall_pending = 0;
        d->vcpus[i]->vcpu_info->evtchn_pending_sel = 0;
    }
    memset(d->shared_info->evtchn_pending, 0, sizeof(d->shared_info->evtchn_pending));
}

static evtchn_port_t unbound(struct domain *d, domid_t remote)
{
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = remote };

    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), 0);
    return op.port;
}

/* Connect a new port of ld to rd's fresh unbound port; returns ld's port. */
static evtchn_port_t connect(struct domain *ld, struct domain *rd, evtchn_port_t *rport)
{
    struct evtchn_bind_interdomain op = { .remote_dom = rd->domid };

    op.remote_port = unbound(rd, ld->domid);
    CHECK_EQ(evtchn_bind_interdomain(vc(ld, 0), &op), 0);
    if (rport)
        *rport = op.remote_port;
    return op.local_port;
}

static struct evtchn_status status_of(struct domain *caller, domid_t dom,
                                      evtchn_port_t port, int *rc)
{
    struct evtchn_status st = { .dom = dom, .port = port };

    *rc = evtchn_status(vc(caller, 0), &st);
    return st;
}

TEST(evtchn_alloc_unbound_reports_unbound_status)
{
    struct domain *d = test_domain(1, false, 1);
    evtchn_port_t p = unbound(d, 7);
    int rc;
    struct evtchn_status st = status_of(d, DOMID_SELF, p, &rc);

    CHECK_EQ(p, 1);                     /* port 0 is reserved */
    CHECK_EQ(rc, 0);
    CHECK_EQ(st.status, EVTCHNSTAT_unbound);
    CHECK_EQ(st.u.unbound.dom, 7);
    CHECK_EQ(st.vcpu, 0);
    CHECK_EQ(evtchn_nr_active(d), 1);
    domain_kill(d);
}

TEST(evtchn_alloc_unbound_domid_self_means_caller)
{
    struct domain *d = test_domain(3, false, 1);
    evtchn_port_t p = unbound(d, DOMID_SELF);
    int rc;

    CHECK_EQ(status_of(d, DOMID_SELF, p, &rc).u.unbound.dom, 3);
    domain_kill(d);
}

TEST(evtchn_alloc_unbound_for_other_needs_privilege)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    struct evtchn_alloc_unbound op = { .dom = 0, .remote_dom = 1 };
    int rc;

    env_host_log_clear();
    CHECK_EQ(evtchn_alloc_unbound(vc(d1, 0), &op), -XEN_EPERM);
    CHECK(env_host_log_has("d1 EVTCHNOP_alloc_unbound"));
    CHECK_EQ(evtchn_nr_active(d0), 0);

    /* The control domain may make a port in d1 for d0 (as xenstored's setup does). */
    op = (struct evtchn_alloc_unbound){ .dom = 1, .remote_dom = 0 };
    CHECK_EQ(evtchn_alloc_unbound(vc(d0, 0), &op), 0);
    CHECK_EQ(status_of(d1, DOMID_SELF, op.port, &rc).status, EVTCHNSTAT_unbound);
    CHECK_EQ(evtchn_nr_active(d1), 1);
    domain_kill(d1);
    domain_kill(d0);
}

TEST(evtchn_alloc_unbound_unknown_domain_is_esrch)
{
    struct domain *d0 = test_domain(0, true, 1);
    struct evtchn_alloc_unbound op = { .dom = 42, .remote_dom = 0 };

    CHECK_EQ(evtchn_alloc_unbound(vc(d0, 0), &op), -XEN_ESRCH);
    CHECK(env_host_log_has("no domain 42"));
    domain_kill(d0);
}

TEST(evtchn_port_zero_is_reserved)
{
    struct domain *d = test_domain(1, false, 1);
    int rc;

    CHECK_EQ(status_of(d, DOMID_SELF, 0, &rc).status, EVTCHNSTAT_closed);
    CHECK_EQ(rc, 0);
    CHECK_EQ(evtchn_close(d, 0), -XEN_EINVAL);
    CHECK_EQ(evtchn_send(d, 0), -XEN_EINVAL);
    domain_kill(d);
}

TEST(evtchn_port_quota_gives_enospc)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = 0 };

    /* test_domain: max_evtchn_port 1023, so ports 1..1023. */
    for (unsigned int i = 1; i < 1024; i++) {
        CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), 0);
        CHECK_EQ(op.port, i);
    }
    env_host_log_clear();
    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), -XEN_ENOSPC);
    CHECK(env_host_log_has("no free port in d1"));
    /* Closing one makes exactly that port free again. */
    CHECK_EQ(evtchn_close(d, 500), 0);
    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), 0);
    CHECK_EQ(op.port, 500);
    domain_kill(d);
}

TEST(evtchn_bucket_allocation_failure_is_enomem)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = 0 };

    for (unsigned int i = 1; i < 64; i++)
        CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), 0);
    env_host_fail_alloc_after(0);       /* port 64 needs a new bucket */
    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), -XEN_ENOMEM);
    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), 0);
    CHECK_EQ(op.port, 64);
    domain_kill(d);
}

TEST(evtchn_bind_interdomain_connects_both_ends)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    int rc;
    struct evtchn_status s1 = status_of(d1, DOMID_SELF, p1, &rc);
    struct evtchn_status s2 = status_of(d2, DOMID_SELF, p2, &rc);

    CHECK_EQ(s1.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s1.u.interdomain.dom, 2);
    CHECK_EQ(s1.u.interdomain.port, p2);
    CHECK_EQ(s2.status, EVTCHNSTAT_interdomain);
    CHECK_EQ(s2.u.interdomain.dom, 1);
    CHECK_EQ(s2.u.interdomain.port, p1);
    /* Xen raises the new local port once so no early notification is lost. */
    CHECK(pending(d2, p2));
    CHECK(!pending(d1, p1));
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_bind_interdomain_errors)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1),
                  *d3 = test_domain(3, false, 1);
    struct evtchn_bind_interdomain op = { .remote_dom = 1 };
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };

    op.remote_port = unbound(d1, 3);    /* offered to d3, not d2 */
    CHECK_EQ(evtchn_bind_interdomain(vc(d2, 0), &op), -XEN_EINVAL);
    CHECK(env_host_log_has("is not unbound for us"));
    CHECK_EQ(evtchn_bind_ipi(vc(d1, 0), &ipi), 0);
    op.remote_port = ipi.port;          /* not unbound at all */
    CHECK_EQ(evtchn_bind_interdomain(vc(d2, 0), &op), -XEN_EINVAL);
    op.remote_port = 4000;              /* beyond d1's ports */
    CHECK_EQ(evtchn_bind_interdomain(vc(d2, 0), &op), -XEN_EINVAL);
    op.remote_dom = 99;
    CHECK_EQ(evtchn_bind_interdomain(vc(d2, 0), &op), -XEN_ESRCH);
    CHECK_EQ(evtchn_nr_active(d2), 0);  /* nothing half-made */
    /* The port offered to d3 is d3's to take, once. */
    op = (struct evtchn_bind_interdomain){ .remote_dom = 1, .remote_port = 1 };
    CHECK_EQ(evtchn_bind_interdomain(vc(d3, 0), &op), 0);
    CHECK_EQ(evtchn_bind_interdomain(vc(d3, 0), &op), -XEN_EINVAL);
    domain_kill(d1);
    domain_kill(d2);
    domain_kill(d3);
}

TEST(evtchn_send_sets_pending_selector_upcall_and_kicks_once)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    unsigned int kicks;

    guest_ack(d1);
    kicks = env_host_kicks(vc(d1, 0));
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK(pending(d1, p1));
    CHECK(sel(vc(d1, 0), p1));
    CHECK_EQ(vc(d1, 0)->vcpu_info->evtchn_upcall_pending, 1);
    CHECK_EQ(env_host_kicks(vc(d1, 0)), kicks + 1);
    /* Still pending: the second edge merges, no second kick. */
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK_EQ(env_host_kicks(vc(d1, 0)), kicks + 1);
    /* The guest consumed the upcall but not the port: no new upcall. */
    vc(d1, 0)->vcpu_info->evtchn_upcall_pending = 0;
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK_EQ(vc(d1, 0)->vcpu_info->evtchn_upcall_pending, 0);
    /* And the other direction works too. */
    guest_ack(d2);
    CHECK_EQ(evtchn_send(d1, p1), 0);
    CHECK(pending(d2, p2));
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_masked_port_keeps_edge_until_unmask)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    unsigned int kicks;

    guest_ack(d1);
    set_mask(d1, p1, true);
    kicks = env_host_kicks(vc(d1, 0));
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK(pending(d1, p1));
    CHECK(!sel(vc(d1, 0), p1));
    CHECK_EQ(vc(d1, 0)->vcpu_info->evtchn_upcall_pending, 0);
    CHECK_EQ(env_host_kicks(vc(d1, 0)), kicks);
    CHECK_EQ(evtchn_unmask(d1, p1), 0);
    CHECK(!(d1->shared_info->evtchn_mask[p1 / WORD_BITS] >> (p1 % WORD_BITS) & 1));
    CHECK(sel(vc(d1, 0), p1));
    CHECK_EQ(vc(d1, 0)->vcpu_info->evtchn_upcall_pending, 1);
    CHECK_EQ(env_host_kicks(vc(d1, 0)), kicks + 1);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_unmask_without_pending_raises_nothing)
{
    struct domain *d = test_domain(1, false, 1);
    evtchn_port_t p = unbound(d, 0);

    guest_ack(d);
    set_mask(d, p, true);
    CHECK_EQ(evtchn_unmask(d, p), 0);
    CHECK_EQ(vc(d, 0)->vcpu_info->evtchn_upcall_pending, 0);
    CHECK(!sel(vc(d, 0), p));
    CHECK_EQ(evtchn_unmask(d, 2000), -XEN_EINVAL);
    CHECK(env_host_log_has("EVTCHNOP_unmask"));
    domain_kill(d);
}

TEST(evtchn_close_returns_remote_end_to_unbound)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    struct evtchn_bind_interdomain again = { .remote_dom = 1 };
    int rc;

    CHECK_EQ(evtchn_close(d2, p2), 0);
    CHECK_EQ(status_of(d2, DOMID_SELF, p2, &rc).status, EVTCHNSTAT_closed);
    struct evtchn_status s1 = status_of(d1, DOMID_SELF, p1, &rc);
    CHECK_EQ(s1.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s1.u.unbound.dom, 2);
    /* Sending into an unbound port is silently dropped. */
    guest_ack(d2);
    CHECK_EQ(evtchn_send(d1, p1), 0);
    CHECK(!pending(d2, p2));
    /* A closed port cannot be closed or sent on again. */
    CHECK_EQ(evtchn_close(d2, p2), -XEN_EINVAL);
    CHECK_EQ(evtchn_send(d2, p2), -XEN_EINVAL);
    /* d2 may reconnect to the same remote port. */
    again.remote_port = p1;
    CHECK_EQ(evtchn_bind_interdomain(vc(d2, 0), &again), 0);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_domain_death_unbinds_remote_end)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1;
    int rc;

    connect(d2, d1, &p1);
    domain_kill(d2);
    struct evtchn_status s1 = status_of(d1, DOMID_SELF, p1, &rc);
    CHECK_EQ(rc, 0);
    CHECK_EQ(s1.status, EVTCHNSTAT_unbound);
    CHECK_EQ(s1.u.unbound.dom, 2);
    CHECK_EQ(evtchn_send(d1, p1), 0);
    CHECK(domain_get(2) == NULL);       /* the binding's reference went too */
    domain_kill(d1);
}

TEST(evtchn_dying_domain_gets_no_new_ports)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_alloc_unbound op = { .dom = DOMID_SELF, .remote_dom = 0 };
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };

    unbound(d, 0);
    d = domain_get(1);                  /* keep it alive past the kill */
    domain_kill(d);
    CHECK_EQ(evtchn_nr_active(d), 0);   /* every port closed */
    CHECK_EQ(evtchn_alloc_unbound(vc(d, 0), &op), -XEN_EINVAL);
    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &ipi), -XEN_EINVAL);
    domain_put(d);
}

TEST(evtchn_loopback_within_one_domain)
{
    struct domain *d = test_domain(0, true, 1);
    evtchn_port_t a = unbound(d, DOMID_SELF);
    struct evtchn_bind_interdomain op = { .remote_dom = DOMID_SELF, .remote_port = a };
    int rc;

    CHECK_EQ(evtchn_bind_interdomain(vc(d, 0), &op), 0);
    CHECK(op.local_port != a);
    CHECK_EQ(status_of(d, DOMID_SELF, a, &rc).u.interdomain.port, op.local_port);
    guest_ack(d);
    CHECK_EQ(evtchn_send(d, op.local_port), 0);
    CHECK(pending(d, a));
    CHECK(!pending(d, op.local_port));
    CHECK_EQ(evtchn_close(d, a), 0);
    CHECK_EQ(status_of(d, DOMID_SELF, op.local_port, &rc).status, EVTCHNSTAT_unbound);
    domain_kill(d);
}

TEST(evtchn_bind_virq_per_vcpu_timer)
{
    struct domain *d = test_domain(1, false, 2);
    struct evtchn_bind_virq op = { .virq = VIRQ_TIMER, .vcpu = 1 };
    int rc;

    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), 0);
    struct evtchn_status st = status_of(d, DOMID_SELF, op.port, &rc);
    CHECK_EQ(st.status, EVTCHNSTAT_virq);
    CHECK_EQ(st.u.virq, VIRQ_TIMER);
    CHECK_EQ(st.vcpu, 1);
    guest_ack(d);
    evtchn_send_virq(vc(d, 0), VIRQ_TIMER);     /* vCPU 0 has none bound */
    CHECK(!pending(d, op.port));
    evtchn_send_virq(vc(d, 1), VIRQ_TIMER);
    CHECK(pending(d, op.port));
    CHECK(sel(vc(d, 1), op.port));
    CHECK(!sel(vc(d, 0), op.port));
    CHECK_EQ(vc(d, 1)->vcpu_info->evtchn_upcall_pending, 1);
    /* One timer VIRQ per vCPU. */
    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), -XEN_EEXIST);
    /* A guest cannot send on a VIRQ port, nor move a per-vCPU VIRQ. */
    CHECK_EQ(evtchn_send(d, op.port), -XEN_EINVAL);
    CHECK_EQ(evtchn_bind_vcpu(vc(d, 0), op.port, 0), -XEN_EINVAL);
    /* Closing frees the VIRQ for a new binding. */
    CHECK_EQ(evtchn_close(d, op.port), 0);
    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), 0);
    domain_kill(d);
}

TEST(evtchn_bind_virq_errors)
{
    struct domain *d = test_domain(1, false, 2);
    struct evtchn_bind_virq op = { .virq = NR_VIRQS, .vcpu = 0 };

    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), -XEN_EINVAL);
    CHECK(env_host_log_has("virq 24 out of range"));
    op = (struct evtchn_bind_virq){ .virq = VIRQ_CONSOLE, .vcpu = 1 };
    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), -XEN_EINVAL);   /* global: vCPU 0 only */
    op = (struct evtchn_bind_virq){ .virq = VIRQ_TIMER, .vcpu = 2 };
    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), -XEN_ENOENT);
    CHECK_EQ(evtchn_nr_active(d), 0);
    domain_kill(d);
}

TEST(evtchn_global_virq_follows_bind_vcpu)
{
    struct domain *d0 = test_domain(0, true, 2);
    struct evtchn_bind_virq op = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

    CHECK_EQ(evtchn_bind_virq(vc(d0, 0), &op), 0);
    guest_ack(d0);
    evtchn_send_global_virq(d0, VIRQ_DOM_EXC);
    CHECK(pending(d0, op.port));
    CHECK(sel(vc(d0, 0), op.port));
    CHECK_EQ(evtchn_bind_vcpu(vc(d0, 0), op.port, 1), 0);
    guest_ack(d0);
    evtchn_send_global_virq(d0, VIRQ_DOM_EXC);
    CHECK(sel(vc(d0, 1), op.port));
    CHECK(!sel(vc(d0, 0), op.port));
    /* A domain dying notifies the control domain with VIRQ_DOM_EXC. */
    guest_ack(d0);
    domain_kill(test_domain(5, false, 1));
    CHECK(pending(d0, op.port));
    CHECK_EQ(evtchn_bind_vcpu(vc(d0, 0), op.port, 2), -XEN_ENOENT);
    domain_kill(d0);
}

TEST(evtchn_virq_misuse_by_hypervisor_is_logged_not_delivered)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_bind_virq op = { .virq = VIRQ_CONSOLE, .vcpu = 0 };

    CHECK_EQ(evtchn_bind_virq(vc(d, 0), &op), 0);
    guest_ack(d);
    evtchn_send_virq(vc(d, 0), VIRQ_CONSOLE);   /* global VIRQ, per-vCPU call */
    CHECK(!pending(d, op.port));
    CHECK(env_host_log_has("is not per-vCPU"));
    evtchn_send_global_virq(d, VIRQ_TIMER);
    CHECK(env_host_log_has("is not global"));
    evtchn_send_global_virq(d, VIRQ_DEBUGGER);  /* not bound: dropped */
    CHECK(!pending(d, op.port));
    domain_kill(d);
}

TEST(evtchn_ipi_reaches_its_vcpu)
{
    struct domain *d = test_domain(1, false, 2);
    struct evtchn_bind_ipi op = { .vcpu = 1 };
    int rc;

    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &op), 0);
    CHECK_EQ(status_of(d, DOMID_SELF, op.port, &rc).status, EVTCHNSTAT_ipi);
    guest_ack(d);
    CHECK_EQ(evtchn_send(d, op.port), 0);
    CHECK(pending(d, op.port));
    CHECK(sel(vc(d, 1), op.port));
    CHECK_EQ(vc(d, 1)->vcpu_info->evtchn_upcall_pending, 1);
    CHECK_EQ(vc(d, 0)->vcpu_info->evtchn_upcall_pending, 0);
    CHECK_EQ(evtchn_bind_vcpu(vc(d, 0), op.port, 0), -XEN_EINVAL);
    op.vcpu = 5;
    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &op), -XEN_ENOENT);
    domain_kill(d);
}

TEST(evtchn_bind_vcpu_moves_interdomain_delivery)
{
    struct domain *d1 = test_domain(1, false, 2), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    int rc;

    CHECK_EQ(evtchn_bind_vcpu(vc(d1, 0), p1, 1), 0);
    CHECK_EQ(status_of(d1, DOMID_SELF, p1, &rc).vcpu, 1);
    guest_ack(d1);
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK(sel(vc(d1, 1), p1));
    CHECK(!sel(vc(d1, 0), p1));
    CHECK_EQ(evtchn_bind_vcpu(vc(d1, 0), 900, 0), -XEN_EINVAL);    /* free port */
    CHECK_EQ(evtchn_bind_vcpu(vc(d1, 0), p1, 9), -XEN_ENOENT);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_close_clears_pending_so_rebind_starts_clean)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_bind_ipi op = { .vcpu = 0 };

    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &op), 0);
    CHECK_EQ(evtchn_send(d, op.port), 0);
    CHECK(pending(d, op.port));
    CHECK_EQ(evtchn_close(d, op.port), 0);
    CHECK(!pending(d, op.port));
    domain_kill(d);
}

TEST(evtchn_status_of_other_domain)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1),
                  *d2 = test_domain(2, false, 1);
    evtchn_port_t p = unbound(d2, 0);
    int rc;

    status_of(d1, 2, p, &rc);
    CHECK_EQ(rc, -XEN_EPERM);
    CHECK(env_host_log_has("d1 EVTCHNOP_status"));
    CHECK_EQ(status_of(d0, 2, p, &rc).status, EVTCHNSTAT_unbound);
    CHECK_EQ(rc, 0);
    status_of(d0, 2, 3000, &rc);
    CHECK_EQ(rc, -XEN_EINVAL);
    status_of(d0, 77, 1, &rc);
    CHECK_EQ(rc, -XEN_ESRCH);
    domain_kill(d0);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_reset_closes_everything_and_needs_privilege_for_others)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1),
                  *d2 = test_domain(2, false, 1);
    evtchn_port_t p2;
    struct evtchn_bind_ipi ipi = { .vcpu = 0 };
    int rc;

    connect(d1, d2, &p2);
    CHECK_EQ(evtchn_bind_ipi(vc(d1, 0), &ipi), 0);
    CHECK_EQ(evtchn_reset(vc(d2, 0), 1), -XEN_EPERM);
    CHECK_EQ(evtchn_reset(vc(d1, 0), 55), -XEN_ESRCH);
    CHECK_EQ(evtchn_reset(vc(d1, 0), DOMID_SELF), 0);
    CHECK_EQ(evtchn_nr_active(d1), 0);
    CHECK_EQ(status_of(d2, DOMID_SELF, p2, &rc).status, EVTCHNSTAT_unbound);
    /* The control domain may reset another domain it holds paused. */
    unbound(d2, 0);
    CHECK_EQ(evtchn_reset(vc(d0, 0), 2), -XEN_EINVAL);
    CHECK(env_host_log_has("d2 is not paused by the toolstack"));
    CHECK_EQ(evtchn_nr_active(d2), 2);
    CHECK_EQ(domain_pause_by_controller(d2), 0);
    CHECK_EQ(evtchn_reset(vc(d0, 0), 2), 0);
    CHECK_EQ(evtchn_nr_active(d2), 0);
    domain_kill(d0);
    domain_kill(d1);
    domain_kill(d2);
}

/* ---- through the hypercall entry, with guest memory ---- */

TEST(evtchn_op_round_trips_through_guest_memory)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t a = test_guest_alloc(d, sizeof(struct evtchn_alloc_unbound));
    struct evtchn_alloc_unbound *g = test_guest_ptr(d, a);
    struct evtchn_send *s;

    g->dom = DOMID_SELF;
    g->remote_dom = 0;
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_alloc_unbound, a), 0);
    CHECK_EQ(g->port, 1);
    a = test_guest_alloc(d, sizeof(*s));
    s = test_guest_ptr(d, a);
    s->port = 1;
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_unmask, a), 0);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_send, a), 0);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_close, a), 0);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_close, a), -XEN_EINVAL);
    domain_kill(d);
}

TEST(evtchn_op_bad_guest_pointer_is_efault_for_every_op)
{
    static const unsigned int ops[] = {
        EVTCHNOP_bind_interdomain, EVTCHNOP_bind_virq, EVTCHNOP_bind_pirq,
        EVTCHNOP_close, EVTCHNOP_send, EVTCHNOP_status, EVTCHNOP_alloc_unbound,
        EVTCHNOP_bind_ipi, EVTCHNOP_bind_vcpu, EVTCHNOP_unmask, EVTCHNOP_reset,
    };
    struct domain *d = test_domain(1, false, 1);

    for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        CHECK_EQ(evtchn_op(vc(d, 0), ops[i], TEST_BAD_GADDR), -XEN_EFAULT);
    CHECK_EQ(evtchn_nr_active(d), 0);
    domain_kill(d);
}

TEST(evtchn_op_fifo_pirq_and_unknown)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t a = test_guest_alloc(d, 64);

    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_init_control, a), -XEN_ENOSYS);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_expand_array, a), -XEN_ENOSYS);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_set_priority, a), -XEN_ENOSYS);
    CHECK_EQ(evtchn_op(vc(d, 0), EVTCHNOP_bind_pirq, a), -XEN_EPERM);
    CHECK(env_host_log_has("EVTCHNOP_bind_pirq"));
    CHECK_EQ(evtchn_op(vc(d, 0), 99, a), -XEN_ENOSYS);
    CHECK(env_host_log_has("unknown op 99"));
    domain_kill(d);
}

TEST(evtchn_op_results_copied_back)
{
    struct domain *d1 = test_domain(1, false, 2), *d2 = test_domain(2, false, 1);
    guest_addr_t a = test_guest_alloc(d2, sizeof(struct evtchn_bind_interdomain));
    struct evtchn_bind_interdomain *bi = test_guest_ptr(d2, a);
    guest_addr_t b = test_guest_alloc(d1, sizeof(struct evtchn_status));
    struct evtchn_status *st = test_guest_ptr(d1, b);
    guest_addr_t c = test_guest_alloc(d1, sizeof(struct evtchn_bind_vcpu));
    struct evtchn_bind_vcpu *bv = test_guest_ptr(d1, c);

    bi->remote_dom = 1;
    bi->remote_port = unbound(d1, 2);
    CHECK_EQ(evtchn_op(vc(d2, 0), EVTCHNOP_bind_interdomain, a), 0);
    CHECK_EQ(bi->local_port, 1);
    bv->port = bi->remote_port;
    bv->vcpu = 1;
    CHECK_EQ(evtchn_op(vc(d1, 0), EVTCHNOP_bind_vcpu, c), 0);
    st->dom = DOMID_SELF;
    st->port = bi->remote_port;
    CHECK_EQ(evtchn_op(vc(d1, 0), EVTCHNOP_status, b), 0);
    CHECK_EQ(st->status, EVTCHNSTAT_interdomain);
    CHECK_EQ(st->vcpu, 1);
    CHECK_EQ(st->u.interdomain.dom, 2);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(evtchn_everything_freed_after_all_domains_die)
{
    struct domain *d0 = test_domain(0, true, 2), *d1 = test_domain(1, false, 2);
    struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 1 };
    struct evtchn_bind_ipi ipi = { .vcpu = 1 };

    connect(d0, d1, NULL);
    connect(d1, d0, NULL);
    for (unsigned int i = 0; i < 100; i++)      /* a second bucket */
        unbound(d1, 0);
    CHECK_EQ(evtchn_bind_virq(vc(d1, 0), &v), 0);
    CHECK_EQ(evtchn_bind_ipi(vc(d1, 0), &ipi), 0);
    domain_kill(d0);
    domain_kill(d1);
    CHECK(test_no_leaks());
}

TEST(evtchn_dying_remote_is_found_but_has_no_ports)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    struct evtchn_bind_interdomain bi = { .remote_dom = 1 };
    struct evtchn_alloc_unbound au = { .dom = 1, .remote_dom = 0 };

    bi.remote_port = unbound(d1, 0);
    d1 = domain_get(1);
    domain_kill(d1);                    /* dying, kept by our reference */
    /* As Xen: the dying domain is found, its ports are gone or refused. */
    CHECK_EQ(evtchn_bind_interdomain(vc(d0, 0), &bi), -XEN_EINVAL);
    CHECK_EQ(evtchn_alloc_unbound(vc(d0, 0), &au), -XEN_EINVAL);
    CHECK_EQ(evtchn_nr_active(d0), 0);
    domain_put(d1);
    domain_kill(d0);
    CHECK(test_no_leaks());
}

/* ---- SCHEDOP_poll support ---- */

TEST(evtchn_poll_on_one_masked_port_is_woken_by_it_only)
{
    struct domain *d = test_domain(1, false, 2);
    struct evtchn_bind_ipi a = { .vcpu = 1 }, b = { .vcpu = 1 };
    unsigned int kicks;

    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &a), 0);
    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &b), 0);
    set_mask(d, a.port, true);          /* Linux polls its masked spinlock IPI */
    set_mask(d, b.port, true);
    guest_ack(d);
    CHECK_EQ(evtchn_poll_begin(vc(d, 1), &a.port, 1), 0);
    CHECK(evtchn_poll_marked(vc(d, 1)));
    kicks = env_host_kicks(vc(d, 1));
    CHECK_EQ(evtchn_send(d, b.port), 0);            /* another port: still asleep */
    CHECK_EQ(env_host_kicks(vc(d, 1)), kicks);
    CHECK(evtchn_poll_marked(vc(d, 1)));
    CHECK_EQ(evtchn_send(d, a.port), 0);
    CHECK_EQ(env_host_kicks(vc(d, 1)), kicks + 1);
    CHECK(!evtchn_poll_marked(vc(d, 1)));
    CHECK_EQ(vc(d, 1)->vcpu_info->evtchn_upcall_pending, 0);    /* masked */
    CHECK(!evtchn_poll_end(vc(d, 1)));              /* the event cleared the mark */
    domain_kill(d);
}

TEST(evtchn_poll_returns_at_once_if_pending_and_times_out_cleanly)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_bind_ipi a = { .vcpu = 0 };
    evtchn_port_t ports[2], bad = 4000;
    unsigned int kicks;

    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &a), 0);
    ports[0] = unbound(d, 0);
    ports[1] = a.port;
    guest_ack(d);
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), &bad, 1), -XEN_EINVAL);
    CHECK(env_host_log_has("d1 SCHEDOP_poll"));
    CHECK(!evtchn_poll_end(vc(d, 0)));              /* nothing was marked */
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), ports, 2), 0);
    CHECK(evtchn_poll_end(vc(d, 0)));               /* timeout: mark still set */
    kicks = env_host_kicks(vc(d, 0));
    CHECK_EQ(evtchn_send(d, a.port), 0);            /* no poller left */
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), ports, 2), 1);
    CHECK(evtchn_poll_end(vc(d, 0)));
    /* Polling several ports: any port of the domain wakes, as in Xen. */
    guest_ack(d);
    set_mask(d, a.port, true);
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), ports, 2), 0);
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), ports, 2), 0);     /* re-begin is safe */
    kicks = env_host_kicks(vc(d, 0));
    CHECK_EQ(evtchn_send(d, a.port), 0);
    CHECK_EQ(env_host_kicks(vc(d, 0)), kicks + 1);
    CHECK(!evtchn_poll_end(vc(d, 0)));
    domain_kill(d);
}

/* Xen treats a poll of port 0 alone like a poll of every port (its
 * poll_evtchn 0 means "any"): the vCPU must stay marked and be woken. */
TEST(evtchn_poll_on_port_zero_alone_is_woken_by_any_port)
{
    struct domain *d = test_domain(1, false, 1);
    struct evtchn_bind_ipi a = { .vcpu = 0 };
    evtchn_port_t zero = 0;
    unsigned int kicks;

    CHECK_EQ(evtchn_bind_ipi(vc(d, 0), &a), 0);
    guest_ack(d);
    set_mask(d, a.port, true);
    CHECK_EQ(evtchn_poll_begin(vc(d, 0), &zero, 1), 0);
    CHECK(evtchn_poll_marked(vc(d, 0)));
    kicks = env_host_kicks(vc(d, 0));
    CHECK_EQ(evtchn_send(d, a.port), 0);
    CHECK_EQ(env_host_kicks(vc(d, 0)), kicks + 1);
    CHECK(!evtchn_poll_marked(vc(d, 0)));
    CHECK(!evtchn_poll_end(vc(d, 0)));              /* the event cleared the mark */
    domain_kill(d);
}

TEST(evtchn_poll_woken_from_another_domain)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    evtchn_port_t p1, p2 = connect(d2, d1, &p1);
    unsigned int kicks;

    guest_ack(d1);
    CHECK_EQ(evtchn_poll_begin(vc(d1, 0), &p1, 1), 0);
    kicks = env_host_kicks(vc(d1, 0));
    CHECK_EQ(evtchn_send(d2, p2), 0);
    CHECK(env_host_kicks(vc(d1, 0)) > kicks);
    CHECK(!evtchn_poll_end(vc(d1, 0)));
    domain_kill(d1);
    domain_kill(d2);
}
