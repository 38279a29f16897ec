/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The credit policy (xl sched-credit semantics): each accounting period
 * shares the CPUs among active domains by weight; a cap bounds a domain to
 * cap% of one CPU per period; woken vCPUs with credit left are boosted so
 * interactive work runs promptly. Not here: queues and clocks (schedule.c).
 */
#include "schedule.h"
#include "domctl.h"

#define CREDIT_PERIOD_NS 30000000ULL    /* accounting period, as Xen's credit */
#define CREDIT_SLICE_NS  10000000ULL    /* longest uninterrupted run */

enum { PRIO_OVER, PRIO_UNDER, PRIO_BOOST };

static uint64_t cap_budget(const struct sched_domain *sd)
{
    return sd->cap * CREDIT_PERIOD_NS / 100;
}

static struct sched_domain *dom_of(struct sched_unit *u)
{
    return u->vcpu->domain->sched;
}

static bool wants_cpu(struct sched_unit *u)
{
    return u->active || u->state == SCHED_RUNNABLE || u->state == SCHED_RUNNING;
}

static void set_prio(struct sched_unit *u)
{
    u->prio = u->credit > 0 ? PRIO_UNDER : PRIO_OVER;
}

/* Share this period's CPU time among the domains that wanted it. */
static void credit_period(uint64_t now)
{
    uint64_t total = CREDIT_PERIOD_NS * schedule_ncpus(), weights = 0;
    struct sched_unit *u;

    for (u = schedule_all_units(); u; u = u->all_next) {
        dom_of(u)->active_units = 0;
        dom_of(u)->period_used_ns = 0;
        dom_of(u)->parked = false;
    }
    for (u = schedule_all_units(); u; u = u->all_next)
        if (wants_cpu(u) && dom_of(u)->active_units++ == 0)
            weights += dom_of(u)->weight;
    for (u = schedule_all_units(); u; u = u->all_next) {
        struct sched_domain *sd = dom_of(u);
        uint64_t fair;

        if (!wants_cpu(u)) {
            u->credit = u->credit > 0 ? 0 : u->credit;   /* idle: no hoarding */
            set_prio(u);
            continue;
        }
        fair = total * sd->weight / weights;
        if (fair > sd->active_units * CREDIT_PERIOD_NS)
            fair = sd->active_units * CREDIT_PERIOD_NS;
        if (sd->cap && fair > cap_budget(sd))
            fair = cap_budget(sd);
        u->credit += fair / sd->active_units;
        if (u->credit > (int64_t)CREDIT_PERIOD_NS)
            u->credit = CREDIT_PERIOD_NS;
        if (u->credit < -(int64_t)CREDIT_PERIOD_NS)
            u->credit = -(int64_t)CREDIT_PERIOD_NS;
        u->active = u->state != SCHED_BLOCKED && u->state != SCHED_OFFLINE;
        set_prio(u);
    }
}

/* Cap budget left this period, counting slices running elsewhere now. */
static uint64_t cap_room(const struct sched_domain *sd)
{
    uint64_t spent = sd->period_used_ns + sd->committed_ns;

    return spent >= cap_budget(sd) ? 0 : cap_budget(sd) - spent;
}

static void credit_charge(struct sched_unit *u, uint64_t ran)
{
    struct sched_domain *sd = dom_of(u);

    u->credit -= (int64_t)ran;
    sd->committed_ns -= u->granted_ns;
    u->granted_ns = 0;
    sd->period_used_ns += ran;
    if (sd->cap && sd->period_used_ns >= cap_budget(sd))
        sd->parked = true;
    set_prio(u);
}

static void credit_woken(struct sched_unit *u)
{
    u->active = true;
    if (u->credit >= 0)
        u->prio = PRIO_BOOST;
}

static bool may_run_now(struct sched_unit *u)
{
    struct sched_domain *sd = dom_of(u);

    return !sd->parked && (!sd->cap || cap_room(sd));
}

static bool credit_preempts(struct sched_unit *u, struct sched_unit *curr)
{
    return may_run_now(u) && u->prio > curr->prio;
}

/* The first unit of the highest priority on a queue, skipping parked domains. */
static struct sched_unit *best_on(struct sched_cpu *c)
{
    struct sched_unit *best = NULL;

    for (struct sched_unit *u = c->head; u; u = u->next)
        if (may_run_now(u) && (!best || u->prio > best->prio))
            best = u;
    return best;
}

static struct sched_unit *credit_pick(struct sched_cpu *c, uint64_t now, uint64_t *slice)
{
    struct sched_unit *best = best_on(c);

    /* Nothing with credit here: take better work from another CPU's queue. */
    for (unsigned int i = 0; i < schedule_ncpus() && (!best || best->prio < PRIO_UNDER); i++) {
        struct sched_unit *u = best_on(schedule_cpu(i));

        if (u && (!best || u->prio > best->prio))
            best = u;
    }
    *slice = CREDIT_SLICE_NS;
    if (best && dom_of(best)->cap) {
        uint64_t room = cap_room(dom_of(best));

        *slice = room < *slice ? room : *slice;
        best->granted_ns = *slice;
        dom_of(best)->committed_ns += *slice;
    }
    return best;
}

const struct sched_policy sched_credit = {
    .name = "credit",
    .id = XEN_SCHEDULER_CREDIT,
    .period_ns = CREDIT_PERIOD_NS,
    .period = credit_period,
    .pick = credit_pick,
    .charge = credit_charge,
    .woken = credit_woken,
    .preempts = credit_preempts,
};
