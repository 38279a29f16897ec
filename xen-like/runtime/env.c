/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core/env.h for the hypervisor: memory (xmalloc, page allocator), frames
 * through the direct map, spinlocks with the lock-order check, the clock and
 * the console. Not here: guest copies and vCPU kicks (arch/x86_64/svm.c).
 */
#include "env.h"
#include "cpu.h"
#include "page_alloc.h"
#include "paging.h"
#include "percpu.h"
#include "printk.h"
#include "timer.h"
#include "xmalloc.h"

void *env_zalloc(size_t size)
{
    return xzalloc(size);
}

void env_free(void *p)
{
    xfree(p);
}

mfn_t env_frame_alloc(void)
{
    paddr_t pa = page_alloc(0);

    return pa == PADDR_INVALID ? MFN_INVALID : pa >> PAGE_SHIFT;
}

mfn_t env_frames_alloc(unsigned int order)
{
    paddr_t pa = page_alloc_split(order);

    return pa == PADDR_INVALID ? MFN_INVALID : pa >> PAGE_SHIFT;
}

void env_frame_free(mfn_t mfn)
{
    page_free(mfn << PAGE_SHIFT, 0);
}

void *env_frame_va(mfn_t mfn)
{
    return maddr_to_virt(mfn << PAGE_SHIFT);
}

void env_lock_init(struct env_lock *l, int order, const char *name)
{
    l->held = 0;
    l->order = order;
    l->name = name;
}

/* The locks each CPU holds, in order taken: env.h's lock order is checked
 * here as in the host tests, so an inversion panics naming both locks
 * instead of deadlocking one day on two CPUs. */
#define MAX_HELD 8
static struct {
    struct env_lock *held[MAX_HELD];
    unsigned int n;
} lock_state[NR_CPUS];

static void check_order(struct env_lock *l)
{
    unsigned int cpu = smp_processor_id();

    for (unsigned int i = 0; i < lock_state[cpu].n; i++) {
        struct env_lock *h = lock_state[cpu].held[i];
        if (h == l)
            panic("env_lock: %s taken twice on CPU%u", l->name, cpu);
        if (h->order > l->order)
            panic("env_lock: order inversion: %s (rank %d) taken while holding %s (rank %d)",
                  l->name, l->order, h->name, h->order);
    }
    if (lock_state[cpu].n == MAX_HELD)
        panic("env_lock: more than %d locks held taking %s", MAX_HELD, l->name);
}

/* Test-and-set on `held`: env_lock has no room for a ticket pair, and core
 * locks are short. Interrupts are not touched: core code never runs in
 * interrupt context. */
void env_lock(struct env_lock *l)
{
    unsigned int cpu = smp_processor_id();

    check_order(l);
    while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&l->held, __ATOMIC_RELAXED))
            cpu_relax();
    lock_state[cpu].held[lock_state[cpu].n++] = l;
}

void env_unlock(struct env_lock *l)
{
    unsigned int cpu = smp_processor_id(), n = lock_state[cpu].n, i;

    for (i = n; i > 0 && lock_state[cpu].held[i - 1] != l; i--)
        ;
    if (!i)
        panic("env_unlock: %s is not held by CPU%u", l->name ? l->name : "?", cpu);
    memmove(&lock_state[cpu].held[i - 1], &lock_state[cpu].held[i],
            (n - i) * sizeof(lock_state[cpu].held[0]));
    lock_state[cpu].n--;
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

uint64_t env_now_ns(void)
{
    return time_now_ns();
}

/* core's messages are single lines without a newline: end them here. */
void env_log(int level, const char *fmt, ...)
{
    char line[256];
    va_list ap;

    va_start(ap, fmt);
    fmt_vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    printk(level, "%s\n", line);
}
