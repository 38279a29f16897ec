/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Seeded random event-channel traffic between three domains (one of them
 * repeatedly killed and re-created), checking every fourth step that both
 * ends of every interdomain channel agree, that each VIRQ is bound at most
 * once, that the active-port count matches, and that nothing leaks.
 */
#include "unit.h"
#include "env_host.h"
#include "errno.h"
#include "evtchn.h"
#include "xen.h"

#define NR_DOMS     3
#define PORT_SPAN   140         /* ports examined: a bit beyond two buckets */
#define STEPS       2500

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static struct domain *doms[NR_DOMS];

static domid_t any_domid(void)
{
    static const domid_t ids[] = { 0, 1, 2, 3, DOMID_SELF };

    return ids[rnd(5)];
}

static bool is_xen_error(int rc)
{
    return rc == 0 || rc == -XEN_EINVAL || rc == -XEN_ESRCH || rc == -XEN_EPERM ||
           rc == -XEN_ENOSPC || rc == -XEN_ENOENT || rc == -XEN_EEXIST;
}

static int random_op(struct domain *d)
{
    struct vcpu *v = d->vcpus[rnd(d->max_vcpus)];
    evtchn_port_t port = rnd(PORT_SPAN);

    switch (rnd(10)) {
    case 0: {
        struct evtchn_alloc_unbound op = { .dom = rnd(3) ? DOMID_SELF : any_domid(),
                                           .remote_dom = any_domid() };
        return evtchn_alloc_unbound(v, &op);
    }
    case 1: {
        struct evtchn_bind_interdomain op = { .remote_dom = any_domid(),
                                              .remote_port = rnd(PORT_SPAN) };
        return evtchn_bind_interdomain(v, &op);
    }
    case 2: {
        struct evtchn_bind_virq op = { .virq = rnd(NR_VIRQS + 2), .vcpu = rnd(3) };
        return evtchn_bind_virq(v, &op);
    }
    case 3: {
        struct evtchn_bind_ipi op = { .vcpu = rnd(3) };
        return evtchn_bind_ipi(v, &op);
    }
    case 4:
        return evtchn_close(d, port);
    case 5:
        return evtchn_send(d, port);
    case 6:
        return evtchn_unmask(d, port);
    case 7:
        return evtchn_bind_vcpu(v, port, rnd(3));
    case 8:
        evtchn_send_virq(d->vcpus[0], rnd(2) ? VIRQ_TIMER : VIRQ_DEBUG);
        evtchn_send_global_virq(d, VIRQ_CONSOLE);
        return 0;
    default:
        return rnd(20) ? 0 : evtchn_reset(v, rnd(2) ? DOMID_SELF : any_domid());
    }
}

/* d0 (privileged) looks at every port of d. */
static struct evtchn_status look(struct domain *d, evtchn_port_t p, int *rc)
{
    struct evtchn_status st = { .dom = d->domid, .port = p };

    *rc = evtchn_status(doms[0]->vcpus[0], &st);
    return st;
}

static struct domain *by_id(domid_t id)
{
    for (unsigned int i = 0; i < NR_DOMS; i++)
        if (doms[i] && doms[i]->domid == id)
            return doms[i];
    return NULL;
}

static void check_domain(struct domain *d)
{
    unsigned int active = 0, virqs[NR_VIRQS * 2] = { 0 };
    int rc;

    for (evtchn_port_t p = 1; p < PORT_SPAN; p++) {
        struct evtchn_status st = look(d, p, &rc);

        if (rc) {
            CHECK_EQ(rc, -XEN_EINVAL);          /* beyond the allocated buckets */
            continue;
        }
        if (st.status == EVTCHNSTAT_closed)
            continue;
        active++;
        if (st.status == EVTCHNSTAT_virq) {
            unsigned int slot = st.u.virq * 2 + (evtchn_virq_is_global(st.u.virq) ? 0 : st.vcpu);
            CHECK_EQ(++virqs[slot], 1);
        }
        if (st.status == EVTCHNSTAT_interdomain) {
            struct domain *r = by_id(st.u.interdomain.dom);
            CHECK(r != NULL);
            struct evtchn_status back = look(r, st.u.interdomain.port, &rc);
            CHECK_EQ(rc, 0);
            CHECK_EQ(back.status, EVTCHNSTAT_interdomain);
            CHECK_EQ(back.u.interdomain.dom, d->domid);
            CHECK_EQ(back.u.interdomain.port, p);
        }
    }
    CHECK_EQ(active, evtchn_nr_active(d));
}

static void run(uint64_t seed)
{
    rng_state = seed;
    doms[0] = test_domain(0, true, 2);
    doms[1] = test_domain(1, false, 2);
    doms[2] = test_domain(2, false, 1);
    for (unsigned int step = 0; step < STEPS; step++) {
        struct domain *d = doms[rnd(NR_DOMS)];
        int rc = random_op(d);

        if (!is_xen_error(rc)) {
            fprintf(stderr, "seed %llu step %u: unexpected %d\n",
                    (unsigned long long)seed, step, rc);
            CHECK(0);
        }
        if (rnd(400) == 0) {                    /* d2 dies and comes back */
            domain_kill(doms[2]);
            doms[2] = test_domain(2, false, 1);
        }
        /* Every few steps keeps the suite fast; a break shows up soon enough. */
        for (unsigned int i = 0; step % 4 == 0 && i < NR_DOMS; i++)
            check_domain(doms[i]);
    }
    for (unsigned int i = 0; i < NR_DOMS; i++)
        check_domain(doms[i]);
    for (unsigned int i = NR_DOMS; i-- > 0;)
        domain_kill(doms[i]);
    CHECK(test_no_leaks());
}

TEST(evtchn_random_traffic_seed_1) { run(1); }
TEST(evtchn_random_traffic_seed_2) { run(0x9e3779b97f4a7c15ULL); }
TEST(evtchn_random_traffic_seed_3) { run(12345); }
