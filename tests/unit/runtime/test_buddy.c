/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the buddy allocator (runtime/buddy.c) over fake frame ranges. */
#include "unit.h"
#include "buddy.h"

static struct buddy b;
static struct buddy_frame *meta;

static void setup(uint64_t base, uint32_t n)
{
    meta = calloc(n, sizeof(*meta));
    CHECK(meta != NULL);
    CHECK_EQ(buddy_meta_size(n), n * sizeof(*meta));
    buddy_init(&b, base, n, meta);
}

TEST(buddy_starts_reserved)
{
    setup(0, 64);
    CHECK_EQ(b.nfree, 0);
    CHECK(buddy_alloc(&b, 0) == BUDDY_FAIL);
}

TEST(buddy_exhaustion_then_reuse)
{
    uint64_t got[16];
    setup(0x100, 16);
    CHECK_EQ(buddy_add_free(&b, 0x100, 16), 16);
    for (int i = 0; i < 16; i++) {
        got[i] = buddy_alloc(&b, 0);
        CHECK(got[i] != BUDDY_FAIL);
        CHECK(got[i] >= 0x100 && got[i] < 0x110);
        for (int j = 0; j < i; j++)
            CHECK(got[i] != got[j]);
    }
    CHECK(buddy_alloc(&b, 0) == BUDDY_FAIL);       /* exhausted */
    CHECK_EQ(b.nfree, 0);
    for (int i = 0; i < 16; i++)
        CHECK_EQ(buddy_free(&b, got[i], 0), 0);
    CHECK_EQ(b.nfree, 16);
    /* Everything merged back: one order-4 block is available again. */
    CHECK_EQ(buddy_alloc(&b, 4), 0x100);
    CHECK(buddy_alloc(&b, 0) == BUDDY_FAIL);
}

TEST(buddy_alignment_of_blocks)
{
    setup(3, 1000);
    CHECK_EQ(buddy_add_free(&b, 3, 1000), 1000);
    for (unsigned int order = 0; order <= 8; order++) {
        uint64_t f = buddy_alloc(&b, order);
        CHECK(f != BUDDY_FAIL);
        CHECK_EQ(f & ((1ull << order) - 1), 0);       /* absolute alignment */
        CHECK_EQ(buddy_block_order(&b, f), order);
    }
}

TEST(buddy_too_large_or_bad_order)
{
    setup(0, 8);
    buddy_add_free(&b, 0, 8);
    CHECK(buddy_alloc(&b, 4) == BUDDY_FAIL);
    CHECK(buddy_alloc(&b, BUDDY_MAX_ORDER + 1) == BUDDY_FAIL);
    CHECK_EQ(b.nfree, 8);
    CHECK_EQ(buddy_alloc(&b, 3), 0);
}

TEST(buddy_double_free_and_wrong_order_refused)
{
    uint64_t f;
    setup(0, 16);
    buddy_add_free(&b, 0, 16);
    f = buddy_alloc(&b, 2);
    CHECK_EQ(buddy_free(&b, f, 1), -1);               /* wrong order */
    CHECK_EQ(buddy_free(&b, f + 1, 0), -1);           /* tail of a block */
    CHECK_EQ(buddy_free(&b, 999, 0), -1);             /* outside */
    CHECK_EQ(buddy_free(&b, f, BUDDY_MAX_ORDER + 1), -1);
    CHECK_EQ(b.nfree, 12);
    CHECK_EQ(buddy_free(&b, f, 2), 0);
    CHECK_EQ(buddy_free(&b, f, 2), -1);               /* double free */
    CHECK_EQ(b.nfree, 16);
}

TEST(buddy_holes_never_handed_out)
{
    setup(0, 64);
    CHECK_EQ(buddy_add_free(&b, 0, 10), 10);
    CHECK_EQ(buddy_add_free(&b, 40, 24), 24);
    for (;;) {
        uint64_t f = buddy_alloc(&b, 0);
        if (f == BUDDY_FAIL)
            break;
        CHECK((f < 10) || (f >= 40 && f < 64));
    }
    CHECK_EQ(b.nfree, 0);
}

TEST(buddy_add_free_rejects_bad_ranges)
{
    setup(100, 50);
    CHECK_EQ(buddy_add_free(&b, 90, 20), 0);          /* starts below */
    CHECK_EQ(buddy_add_free(&b, 140, 20), 0);         /* ends above */
    CHECK_EQ(buddy_add_free(&b, 100, 0), 0);
    CHECK_EQ(buddy_add_free(&b, UINT64_MAX - 1, 5), 0);
    CHECK_EQ(buddy_add_free(&b, 100, 50), 50);
    CHECK_EQ(buddy_add_free(&b, 110, 1), 0);          /* already free */
    CHECK_EQ(b.nfree, 50);
}

TEST(buddy_random_stress_keeps_accounting)
{
    enum { N = 4096, SLOTS = 300 };
    uint64_t addr[SLOTS];
    unsigned int ord[SLOTS];
    unsigned char *owner = calloc(N, 1);
    unsigned int seed = 12345;

    setup(0, N);
    buddy_add_free(&b, 0, N);
    for (int i = 0; i < SLOTS; i++)
        addr[i] = BUDDY_FAIL;
    for (int step = 0; step < 20000; step++) {
        int s;
        seed = seed * 1103515245 + 12345;
        s = (seed >> 8) % SLOTS;
        if (addr[s] == BUDDY_FAIL) {
            ord[s] = (seed >> 20) % 6;
            addr[s] = buddy_alloc(&b, ord[s]);
            if (addr[s] == BUDDY_FAIL)
                continue;
            for (uint64_t k = 0; k < (1u << ord[s]); k++) {
                CHECK(!owner[addr[s] + k]);           /* no overlap */
                owner[addr[s] + k] = 1;
            }
        } else {
            for (uint64_t k = 0; k < (1u << ord[s]); k++)
                owner[addr[s] + k] = 0;
            CHECK_EQ(buddy_free(&b, addr[s], ord[s]), 0);
            addr[s] = BUDDY_FAIL;
        }
    }
    for (int i = 0; i < SLOTS; i++)
        if (addr[i] != BUDDY_FAIL)
            CHECK_EQ(buddy_free(&b, addr[i], ord[i]), 0);
    CHECK_EQ(b.nfree, N);
    CHECK_EQ(buddy_alloc(&b, 12), 0);                  /* fully merged */
    free(owner);
}

/* A split block's frames are freed one by one, in any order, and merge
 * back into the block; the block itself can no longer be freed whole. */
TEST(buddy_split_frees_frame_by_frame)
{
    uint64_t f;

    setup(0x200, 32);
    CHECK_EQ(buddy_add_free(&b, 0x200, 32), 32);
    f = buddy_alloc(&b, 3);
    CHECK(f != BUDDY_FAIL);
    CHECK_EQ(buddy_split(&b, f), 0);
    CHECK_EQ(buddy_free(&b, f, 3), -1);           /* no longer one block */
    for (int i = 7; i >= 0; i--) {
        CHECK_EQ(buddy_block_order(&b, f + i), 0);
        CHECK_EQ(buddy_free(&b, f + i, 0), 0);
    }
    CHECK_EQ(buddy_free(&b, f + 3, 0), -1);       /* double free */
    CHECK_EQ(b.nfree, 32);
    CHECK_EQ(buddy_alloc(&b, 5), 0x200);          /* all merged again */
}

TEST(buddy_split_refuses_what_is_not_an_allocated_block)
{
    uint64_t f;

    setup(0, 16);
    CHECK_EQ(buddy_add_free(&b, 0, 16), 16);
    CHECK_EQ(buddy_split(&b, 3), -1);             /* free */
    f = buddy_alloc(&b, 2);
    CHECK_EQ(buddy_split(&b, f + 1), -1);         /* inside a block */
    CHECK_EQ(buddy_split(&b, 99), -1);            /* outside the range */
    CHECK_EQ(buddy_split(&b, f), 0);
}
