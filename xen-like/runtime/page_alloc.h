/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Machine frames for the hypervisor (page_alloc.c): the buddy allocator over
 * the usable RAM of the boot memory map, safe on every CPU and in interrupt
 * context. Blocks are 2^order frames, naturally aligned, not zeroed unless
 * asked. Reach the bytes through maddr_to_virt() (paging.h).
 */
#ifndef RUNTIME_PAGE_ALLOC_H
#define RUNTIME_PAGE_ALLOC_H

#include "lib.h"

struct memmap;
/* Boot CPU, once: takes every RAM range of m (metadata space is marked
 * MEMMAP_HV in m). Ranges the hypervisor keeps must be reserved before. */
void page_alloc_init(struct memmap *m);
/* After paging_init() direct-maps all RAM: adds the RAM above 4 GiB that
 * page_alloc_init() had to leave out (the boot tables map only 4 GiB). */
void page_alloc_add_high(const struct memmap *m);

/* PADDR_INVALID when no block of that order is free. */
paddr_t page_alloc(unsigned int order);
paddr_t page_alloc_zeroed(unsigned int order);
/* 2^order contiguous, aligned frames, each freed on its own with
 * page_free(pa, 0) (a guest's 2 MiB extent); not zeroed. */
paddr_t page_alloc_split(unsigned int order);
/* Panics on a free of something not allocated (a hypervisor bug). */
void page_free(paddr_t pa, unsigned int order);

/* Convenience: one zeroed 4 KiB page as a direct-map pointer, or NULL. */
void *page_alloc_va(void);
void page_free_va(void *va);

/* Order of the allocated block starting at pa, or -1 if none starts there. */
int page_alloc_block_order(paddr_t pa);

uint64_t page_alloc_free_frames(void);
uint64_t page_alloc_total_frames(void);

#endif
