/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Binary buddy allocator over frame indices. Free blocks sit on one doubly
 * linked list per order, linked through the metadata array (never through
 * the frames themselves). A block's buddy is index ^ (1 << order); blocks
 * are aligned on absolute frame numbers so large pages stay possible.
 */
#include "buddy.h"
#include "lib.h"

enum { RESERVED = 0, FREE_HEAD = 1, USED_HEAD = 2, TAIL = 3 };

size_t buddy_meta_size(uint32_t nframes)
{
    return (size_t)nframes * sizeof(struct buddy_frame);
}

void buddy_init(struct buddy *b, uint64_t base, uint32_t nframes, struct buddy_frame *meta)
{
    b->base = base;
    b->nframes = nframes;
    b->nfree = 0;
    b->frames = meta;
    for (unsigned int o = 0; o <= BUDDY_MAX_ORDER; o++) {
        b->free_head[o] = BUDDY_NONE;
        b->free_count[o] = 0;
    }
    for (uint32_t i = 0; i < nframes; i++)
        meta[i] = (struct buddy_frame){ BUDDY_NONE, BUDDY_NONE, 0, RESERVED, 0 };
}

static void list_add(struct buddy *b, uint32_t i, unsigned int order)
{
    struct buddy_frame *f = &b->frames[i];

    f->order = (uint8_t)order;
    f->state = FREE_HEAD;
    f->prev = BUDDY_NONE;
    f->next = b->free_head[order];
    if (f->next != BUDDY_NONE)
        b->frames[f->next].prev = i;
    b->free_head[order] = i;
    b->free_count[order]++;
}

static void list_del(struct buddy *b, uint32_t i)
{
    struct buddy_frame *f = &b->frames[i];

    if (f->prev != BUDDY_NONE)
        b->frames[f->prev].next = f->next;
    else
        b->free_head[f->order] = f->next;
    if (f->next != BUDDY_NONE)
        b->frames[f->next].prev = f->prev;
    b->free_count[f->order]--;
    f->state = TAIL;
}

/* Frame index -> absolute frame, with overflow-free bounds. */
static bool in_range(const struct buddy *b, uint64_t frame, uint64_t count)
{
    return frame >= b->base && count <= b->nframes && frame - b->base <= b->nframes - count;
}

/* Inserts the free block [i, i + 2^order), merging with free buddies. */
static void free_block(struct buddy *b, uint32_t i, unsigned int order)
{
    b->nfree += 1ull << order;
    while (order < BUDDY_MAX_ORDER) {
        uint64_t abs = b->base + i, babs = abs ^ (1ull << order);
        uint32_t bi;

        if (!in_range(b, babs, 1ull << order))
            break;
        bi = (uint32_t)(babs - b->base);
        if (b->frames[bi].state != FREE_HEAD || b->frames[bi].order != order)
            break;
        list_del(b, bi);
        if (bi < i) {
            b->frames[i].state = TAIL;
            i = bi;
        }
        order++;
    }
    list_add(b, i, order);
}

uint64_t buddy_add_free(struct buddy *b, uint64_t first, uint64_t count)
{
    uint64_t abs;

    if (!count || !in_range(b, first, count))
        return 0;
    for (uint64_t k = 0; k < count; k++)
        if (b->frames[first - b->base + k].state != RESERVED)
            return 0;
    /* Carve into the largest aligned blocks, then merge as usual. */
    for (abs = first; abs < first + count;) {
        unsigned int order = 0;

        while (order < BUDDY_MAX_ORDER && !(abs & (1ull << order)) &&
               abs + (2ull << order) <= first + count)
            order++;
        for (uint64_t k = 1; k < (1ull << order); k++)
            b->frames[abs - b->base + k].state = TAIL;
        free_block(b, (uint32_t)(abs - b->base), order);
        abs += 1ull << order;
    }
    return count;
}

uint64_t buddy_alloc(struct buddy *b, unsigned int order)
{
    unsigned int o = order;
    uint32_t i;

    if (order > BUDDY_MAX_ORDER)
        return BUDDY_FAIL;
    while (o <= BUDDY_MAX_ORDER && b->free_head[o] == BUDDY_NONE)
        o++;
    if (o > BUDDY_MAX_ORDER)
        return BUDDY_FAIL;
    i = b->free_head[o];
    list_del(b, i);
    /* Split: keep the low half, give the high halves back. */
    while (o > order) {
        o--;
        list_add(b, i + (1u << o), o);
    }
    b->frames[i].state = USED_HEAD;
    b->frames[i].order = (uint8_t)order;
    b->nfree -= 1ull << order;
    return b->base + i;
}

int buddy_block_order(const struct buddy *b, uint64_t frame)
{
    const struct buddy_frame *f;

    if (!in_range(b, frame, 1))
        return -1;
    f = &b->frames[frame - b->base];
    return f->state == USED_HEAD ? f->order : -1;
}

int buddy_split(struct buddy *b, uint64_t first)
{
    int order = buddy_block_order(b, first);

    if (order < 0)
        return -1;
    for (uint64_t k = 0; k < (1ull << order); k++)
        b->frames[first - b->base + k] = (struct buddy_frame){ BUDDY_NONE, BUDDY_NONE, 0,
                                                               USED_HEAD, 0 };
    return 0;
}

int buddy_free(struct buddy *b, uint64_t first, unsigned int order)
{
    if (order > BUDDY_MAX_ORDER || buddy_block_order(b, first) != (int)order)
        return -1;
    b->frames[first - b->base].state = TAIL;
    free_block(b, (uint32_t)(first - b->base), order);
    return 0;
}
