/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The round-robin policy: every runnable vCPU gets equal slices in FIFO
 * order; weights and caps are stored but ignored. An idle CPU takes work
 * from the longest other queue. Not here: queues and clocks (schedule.c).
 */
#include "schedule.h"

#define RR_SLICE_NS 10000000ULL

static unsigned int queue_len(struct sched_cpu *c)
{
    unsigned int n = 0;

    for (struct sched_unit *u = c->head; u; u = u->next)
        n++;
    return n;
}

static struct sched_unit *rr_pick(struct sched_cpu *c, uint64_t now, uint64_t *slice)
{
    struct sched_cpu *from = c;

    if (!c->head) {
        for (unsigned int i = 0; i < schedule_ncpus(); i++)
            if (queue_len(schedule_cpu(i)) > queue_len(from))
                from = schedule_cpu(i);
    }
    *slice = RR_SLICE_NS;
    return from->head;
}

static void rr_charge(struct sched_unit *u, uint64_t ran)
{
}

static void rr_woken(struct sched_unit *u)
{
}

static bool rr_preempts(struct sched_unit *u, struct sched_unit *curr)
{
    return false;
}

const struct sched_policy sched_rr = {
    .name = "rr",
    .id = SCHED_ID_RR,
    .pick = rr_pick,
    .charge = rr_charge,
    .woken = rr_woken,
    .preempts = rr_preempts,
};
