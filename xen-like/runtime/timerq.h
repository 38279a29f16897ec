/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An ordered queue of one-shot deadlines (timerq.c). Pure logic shared by
 * the hypervisor's per-CPU timers (timer.c) and the host tests: entries
 * expire in deadline order, equal deadlines in the order they were queued.
 */
#ifndef RUNTIME_TIMERQ_H
#define RUNTIME_TIMERQ_H

#include <stdbool.h>
#include <stdint.h>

struct timerq_entry {
    uint64_t deadline;                  /* ns, absolute */
    struct timerq_entry *next, *prev;
    bool queued;
};

struct timerq {
    struct timerq_entry *head;          /* earliest first */
    unsigned int len;
};

void timerq_init(struct timerq *q);
/* (Re)queue e at deadline; an already queued e is moved. */
void timerq_add(struct timerq *q, struct timerq_entry *e, uint64_t deadline);
/* Remove e if queued; returns whether it was. */
bool timerq_del(struct timerq *q, struct timerq_entry *e);
/* The earliest deadline, or UINT64_MAX when empty. */
uint64_t timerq_next_deadline(const struct timerq *q);
/* Dequeue and return the earliest entry whose deadline <= now, or NULL. */
struct timerq_entry *timerq_pop_expired(struct timerq *q, uint64_t now);

#endif
