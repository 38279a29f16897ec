/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The round-robin policy: every runnable vCPU gets equal slices in one
 * global FIFO order (a CPU takes whichever queue head waited longest);
 * weights and caps are stored but ignored. Not here: queues (schedule.c).
 */
#include "schedule.h"

#define RR_SLICE_NS 10000000ULL

static struct sched_unit *rr_pick(struct sched_cpu *c, uint64_t now, uint64_t *slice)
{
    struct sched_unit *best = NULL;

    for (unsigned int i = 0; i < schedule_ncpus(); i++) {
        struct sched_unit *head = schedule_cpu(i)->head;

        if (head && (!best || head->queued_seq < best->queued_seq))
            best = head;
    }
    *slice = RR_SLICE_NS;
    return best;
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
