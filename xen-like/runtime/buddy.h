/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A binary buddy allocator over a range of frame numbers (buddy.c). Pure
 * logic: it never touches the frames, only its own metadata array, so the
 * host unit tests run it over fake ranges. page_alloc.c wraps it for the
 * hypervisor (lock, direct map, boot memory map).
 */
#ifndef RUNTIME_BUDDY_H
#define RUNTIME_BUDDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BUDDY_MAX_ORDER 18        /* largest block: 2^18 frames = 1 GiB */
#define BUDDY_NONE      UINT32_MAX

struct buddy_frame {              /* metadata of one frame, 12 bytes */
    uint32_t next, prev;          /* free-list links (frame indices) */
    uint8_t order;                /* block order if head of a block */
    uint8_t state;                /* BUDDY_RESERVED / _FREE_HEAD / _USED_HEAD / _TAIL */
    uint16_t pad;
};

struct buddy {
    uint64_t base;                /* first frame number covered */
    uint32_t nframes;             /* frames covered (free or not) */
    uint64_t nfree;               /* frames currently free */
    uint32_t free_head[BUDDY_MAX_ORDER + 1];
    uint32_t free_count[BUDDY_MAX_ORDER + 1];
    struct buddy_frame *frames;   /* nframes entries, owned by the caller */
};

/* Bytes of metadata buddy_init() needs for nframes frames. */
size_t buddy_meta_size(uint32_t nframes);
/* All frames start reserved (never handed out) until buddy_add_free(). */
void buddy_init(struct buddy *b, uint64_t base, uint32_t nframes, struct buddy_frame *meta);
/* Give [first, first+count) to the allocator; returns frames added, 0 if the
 * range is outside the covered span or overlaps frames already free/used. */
uint64_t buddy_add_free(struct buddy *b, uint64_t first, uint64_t count);
/* 2^order contiguous, 2^order-aligned frames; BUDDY_NONE-as-u64 (~0) if none. */
uint64_t buddy_alloc(struct buddy *b, unsigned int order);
/* Turns the allocated block at first into 2^order allocated single frames,
 * each then freed on its own (and merging back as they come home); 0, or
 * -1 if first heads no allocated block. */
int buddy_split(struct buddy *b, uint64_t first);
/* Frees a block from buddy_alloc; returns 0, or -1 (and changes nothing) if
 * first/order do not name an allocated block (double free, wrong order). */
int buddy_free(struct buddy *b, uint64_t first, unsigned int order);
/* The order of the allocated block starting at frame, or -1. */
int buddy_block_order(const struct buddy *b, uint64_t frame);

#define BUDDY_FAIL (~(uint64_t)0)

#endif
