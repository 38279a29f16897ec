/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ordered one-shot deadlines as a sorted doubly linked list: O(1) to find
 * and pop the earliest, O(n) to insert. A CPU holds few timers (its vCPUs'
 * plus a tick), so the list beats a heap in code size and in constant cost.
 */
#include "timerq.h"
#include <stddef.h>

void timerq_init(struct timerq *q)
{
    q->head = NULL;
    q->len = 0;
}

bool timerq_del(struct timerq *q, struct timerq_entry *e)
{
    if (!e->queued)
        return false;
    if (e->prev)
        e->prev->next = e->next;
    else
        q->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    e->next = e->prev = NULL;
    e->queued = false;
    q->len--;
    return true;
}

void timerq_add(struct timerq *q, struct timerq_entry *e, uint64_t deadline)
{
    struct timerq_entry *pos, *prev = NULL;

    timerq_del(q, e);
    pos = q->head;
    e->deadline = deadline;
    /* After every entry with deadline <= ours: equal deadlines stay FIFO. */
    while (pos && pos->deadline <= deadline) {
        prev = pos;
        pos = pos->next;
    }
    e->prev = prev;
    e->next = pos;
    if (prev)
        prev->next = e;
    else
        q->head = e;
    if (pos)
        pos->prev = e;
    e->queued = true;
    q->len++;
}

uint64_t timerq_next_deadline(const struct timerq *q)
{
    return q->head ? q->head->deadline : UINT64_MAX;
}

struct timerq_entry *timerq_pop_expired(struct timerq *q, uint64_t now)
{
    struct timerq_entry *e = q->head;

    if (!e || e->deadline > now)
        return NULL;
    timerq_del(q, e);
    return e;
}
