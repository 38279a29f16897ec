/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * core/env.h for the hypervisor: memory (xmalloc, page allocator), frames
 * through the direct map, spinlocks, the clock and the console. Guest
 * memory copies and vCPU kicks need the vCPU machinery (PVH work) and are
 * not here yet.
 */
#include "env.h"
#include "cpu.h"
#include "page_alloc.h"
#include "paging.h"
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
    paddr_t pa = page_alloc_zeroed(0);

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

/* Test-and-set on `held`: env_lock has no room for a ticket pair, and core
 * locks are short. Interrupts are not touched: core code never runs in
 * interrupt context. */
void env_lock(struct env_lock *l)
{
    while (__atomic_exchange_n(&l->held, 1, __ATOMIC_ACQUIRE))
        while (__atomic_load_n(&l->held, __ATOMIC_RELAXED))
            cpu_relax();
}

void env_unlock(struct env_lock *l)
{
    __atomic_store_n(&l->held, 0, __ATOMIC_RELEASE);
}

uint64_t env_now_ns(void)
{
    return time_now_ns();
}

void env_log(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}
