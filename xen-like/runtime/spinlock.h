/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ticket spinlocks for hypervisor code (fair under contention). The _irqsave
 * forms also disable local interrupts: use them for any lock an interrupt
 * handler can take. core/'s struct env_lock is implemented over these (env.c).
 */
#ifndef RUNTIME_SPINLOCK_H
#define RUNTIME_SPINLOCK_H

#include <stdint.h>
#include <stdbool.h>
#include "cpu.h"

typedef struct {
    volatile uint16_t owner;    /* ticket being served */
    volatile uint16_t next;     /* next ticket to hand out */
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock_init(spinlock_t *l)
{
    l->owner = 0;
    l->next = 0;
}

static inline void spin_lock(spinlock_t *l)
{
    uint16_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
        cpu_relax();
}

static inline bool spin_trylock(spinlock_t *l)
{
    uint16_t owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
    uint16_t expect = owner;
    /* Only take a ticket if it would be served immediately. */
    return __atomic_compare_exchange_n(&l->next, &expect, (uint16_t)(owner + 1), false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
    __atomic_store_n(&l->owner, (uint16_t)(l->owner + 1), __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
           __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

static inline uint64_t spin_lock_irqsave(spinlock_t *l)
{
    uint64_t flags = local_irq_save();
    spin_lock(l);
    return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *l, uint64_t flags)
{
    spin_unlock(l);
    local_irq_restore(flags);
}

#endif
