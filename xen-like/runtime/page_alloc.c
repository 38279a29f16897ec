/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's frame allocator: one buddy allocator (buddy.c) spanning
 * all usable RAM of the boot memory map, behind one lock. Its metadata is
 * carved from RAM at boot (page_alloc_init), below 4 GiB so that the boot
 * page tables reach it.
 */
#include "page_alloc.h"
#include "buddy.h"
#include "memmap.h"
#include "paging.h"
#include "printk.h"
#include "spinlock.h"

static struct buddy buddy;
static spinlock_t lock = SPINLOCK_INIT;
static uint64_t total_frames;

/* Frees the RAM frames of m within [lo, hi) into the buddy allocator. */
static void add_ram(const struct memmap *m, uint64_t lo, uint64_t hi)
{
    for (unsigned int i = 0; i < m->n; i++) {
        uint64_t s = MAX(ALIGN_UP(m->r[i].start, PAGE_SIZE) >> PAGE_SHIFT, lo);
        uint64_t e = MIN(m->r[i].end >> PAGE_SHIFT, hi);
        if (m->r[i].type == MEMMAP_RAM && s < e)
            total_frames += buddy_add_free(&buddy, s, e - s);
    }
}

/* A RAM range above 1 MiB and below 4 GiB with `bytes` room, or 0. */
static uint64_t find_meta_space(const struct memmap *m, uint64_t bytes)
{
    for (unsigned int i = 0; i < m->n; i++) {
        uint64_t s = ALIGN_UP(MAX(m->r[i].start, MiB(1)), PAGE_SIZE);
        uint64_t e = MIN(m->r[i].end, GiB(4));
        if (m->r[i].type == MEMMAP_RAM && s < e && e - s >= bytes)
            return s;
    }
    return 0;
}

void page_alloc_init(struct memmap *m)
{
    uint64_t first = UINT64_MAX, end = 0, meta_bytes, meta_pa;

    for (unsigned int i = 0; i < m->n; i++) {
        if (m->r[i].type != MEMMAP_RAM)
            continue;
        first = MIN(first, m->r[i].start >> PAGE_SHIFT);
        end = MAX(end, m->r[i].end >> PAGE_SHIFT);
    }
    if (first >= end)
        panic("page_alloc: the memory map has no usable RAM");
    if (end - first > UINT32_MAX)
        end = first + UINT32_MAX;
    meta_bytes = ALIGN_UP(buddy_meta_size((uint32_t)(end - first)), PAGE_SIZE);
    meta_pa = find_meta_space(m, meta_bytes);
    if (!meta_pa)
        panic("page_alloc: no room below 4 GiB for %lu KiB of frame metadata",
              (unsigned long)(meta_bytes >> 10));
    memmap_reserve(m, meta_pa, meta_pa + meta_bytes, MEMMAP_HV);
    buddy_init(&buddy, first, (uint32_t)(end - first), maddr_to_virt(meta_pa));
    add_ram(m, 0, MIN(end, GiB(4) >> PAGE_SHIFT));
    pr_info("page_alloc: %lu frames (%lu MiB) free, metadata %lu KiB at %#lx\n",
            (unsigned long)total_frames, (unsigned long)(total_frames >> 8),
            (unsigned long)(meta_bytes >> 10), (unsigned long)meta_pa);
}

void page_alloc_add_high(const struct memmap *m)
{
    uint64_t flags = spin_lock_irqsave(&lock);

    add_ram(m, GiB(4) >> PAGE_SHIFT, buddy.base + buddy.nframes);
    spin_unlock_irqrestore(&lock, flags);
}

paddr_t page_alloc(unsigned int order)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t f = buddy_alloc(&buddy, order);

    spin_unlock_irqrestore(&lock, flags);
    return f == BUDDY_FAIL ? PADDR_INVALID : f << PAGE_SHIFT;
}

paddr_t page_alloc_split(unsigned int order)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t f = buddy_alloc(&buddy, order);

    if (f != BUDDY_FAIL)
        buddy_split(&buddy, f);
    spin_unlock_irqrestore(&lock, flags);
    return f == BUDDY_FAIL ? PADDR_INVALID : f << PAGE_SHIFT;
}

paddr_t page_alloc_zeroed(unsigned int order)
{
    paddr_t pa = page_alloc(order);

    if (pa != PADDR_INVALID)
        memset(maddr_to_virt(pa), 0, PAGE_SIZE << order);
    return pa;
}

void page_free(paddr_t pa, unsigned int order)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    int rc = buddy_free(&buddy, pa >> PAGE_SHIFT, order);

    spin_unlock_irqrestore(&lock, flags);
    if (rc || (pa & ~PAGE_MASK))
        panic("page_free: %#lx order %u was not allocated as such", (unsigned long)pa, order);
}

void *page_alloc_va(void)
{
    paddr_t pa = page_alloc_zeroed(0);

    return pa == PADDR_INVALID ? NULL : maddr_to_virt(pa);
}

void page_free_va(void *va)
{
    page_free(virt_to_maddr(va), 0);
}

int page_alloc_block_order(paddr_t pa)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    int order = buddy_block_order(&buddy, pa >> PAGE_SHIFT);

    spin_unlock_irqrestore(&lock, flags);
    return order;
}

uint64_t page_alloc_free_frames(void)
{
    return __atomic_load_n(&buddy.nfree, __ATOMIC_RELAXED);
}

uint64_t page_alloc_total_frames(void)
{
    return total_frames;
}
