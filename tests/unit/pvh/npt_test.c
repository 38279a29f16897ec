/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * npt: tables built in a fake machine-page pool; 4K and 2M mappings, the
 * entry bits SVM needs (P, U always; RW and NX from the permissions),
 * splitting, replacing, unmapping, quota exhaustion, freeing everything,
 * and the #NPF EXITINFO1 decode.
 */
#include <stdint.h>
#include "unit.h"
#include "npt.h"

#define POOL 64
static uint64_t pool[POOL][512];
static bool used[POOL];
static int live, fail_after = -1;

static uint64_t alloc_table(void *ctx)
{
    if (fail_after == 0)
        return NPT_NO_PAGE;
    if (fail_after > 0)
        fail_after--;
    for (int i = 0; i < POOL; i++)
        if (!used[i]) {
            used[i] = true;
            live++;
            memset(pool[i], 0, sizeof(pool[i]));
            return 0x10000000ull + (uint64_t)i * 4096;
        }
    return NPT_NO_PAGE;
}

static void free_table(void *ctx, uint64_t ma)
{
    int i = (int)((ma - 0x10000000ull) / 4096);

    CHECK(i >= 0 && i < POOL && used[i]);
    used[i] = false;
    live--;
}

static uint64_t *table(void *ctx, uint64_t ma)
{
    int i = (int)((ma - 0x10000000ull) / 4096);

    CHECK(i >= 0 && i < POOL && used[i] && !(ma & 0xFFF));
    return pool[i];
}

static struct npt mk(unsigned long quota)
{
    struct npt n = { .max_tables = quota, .alloc_table = alloc_table,
                     .free_table = free_table, .table = table };

    memset(used, 0, sizeof(used));
    live = 0;
    fail_after = -1;
    CHECK_EQ(npt_init(&n), 0);
    return n;
}

/* The raw leaf entry for gfn (walking by hand, as the CPU would). */
static uint64_t raw(const struct npt *n, uint64_t gfn, int *level)
{
    uint64_t e = 0, t = n->root;

    for (int l = 4; l >= 1; l--) {
        e = table(NULL, t)[(gfn >> (9 * (l - 1))) & 0x1FF];
        if (!(e & 1) || l == 1 || (e & 0x80)) {
            *level = l;
            return e;
        }
        CHECK_EQ(e & 0x7, 0x7);            /* P RW U on the way */
        CHECK_EQ(e >> 63, 0);
        t = e & 0x000FFFFFFFFFF000ull;
    }
    return e;
}

TEST(map_4k_and_2m_with_svm_bits)
{
    struct npt n = mk(16);
    uint64_t mfn;
    unsigned int perm;
    int level;

    CHECK_EQ(npt_map(&n, 0x10, 0x4321, NPT_ORDER_4K, NPT_RWX), 0);
    CHECK_EQ(raw(&n, 0x10, &level), 0x4321000ull | 0x7);
    CHECK_EQ(level, 1);
    CHECK_EQ(npt_map(&n, 0x11, 0x5000, NPT_ORDER_4K, NPT_R), 0);
    CHECK_EQ(raw(&n, 0x11, &level), 0x5000000ull | 0x5 | (1ull << 63));
    CHECK_EQ(npt_map(&n, 0x1000, 0x40000, NPT_ORDER_2M, NPT_W), 0);
    CHECK_EQ(raw(&n, 0x1000, &level), 0x40000000ull | 0x87 | (1ull << 63));
    CHECK_EQ(level, 2);
    CHECK_EQ(npt_lookup(&n, 0x1123, &mfn, &perm), 0);   /* inside the 2M */
    CHECK_EQ(mfn, 0x40123);
    CHECK_EQ(perm, NPT_W);
    CHECK_EQ(npt_lookup(&n, 0x10, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x4321);
    CHECK_EQ(perm, NPT_RWX);
    CHECK_EQ(npt_lookup(&n, 0x12, &mfn, &perm), -XEN_ENOENT);
    CHECK_EQ(npt_lookup(&n, 0x107FFF, &mfn, &perm), -XEN_ENOENT); /* > 4 GiB */
    CHECK_EQ(npt_map(&n, 0x107FFF, 0x777, NPT_ORDER_4K, NPT_W), 0);
    CHECK_EQ(npt_lookup(&n, 0x107FFF, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x777);
    npt_destroy(&n);
    CHECK_EQ(live, 0);
}

TEST(remap_inside_2m_splits_and_keeps_the_rest)
{
    struct npt n = mk(16);
    uint64_t mfn;
    unsigned int perm;
    int level;

    CHECK_EQ(npt_map(&n, 0, 0x80000, NPT_ORDER_2M, NPT_RWX), 0);
    /* shared_info at GFN 0x10, as Linux 6.1 asks. */
    CHECK_EQ(npt_map(&n, 0x10, 0x999, NPT_ORDER_4K, NPT_W), 0);
    CHECK_EQ(raw(&n, 0x10, &level) & ~0xFFFull & ~(1ull << 63), 0x999000ull);
    CHECK_EQ(level, 1);
    for (uint64_t g = 0; g < 512; g++) {
        if (g == 0x10)
            continue;
        CHECK_EQ(npt_lookup(&n, g, &mfn, &perm), 0);
        CHECK_EQ(mfn, 0x80000 + g);
        CHECK_EQ(perm, NPT_RWX);
    }
    CHECK_EQ(npt_unmap(&n, 0x11), 0);
    CHECK_EQ(npt_lookup(&n, 0x11, &mfn, &perm), -XEN_ENOENT);
    CHECK_EQ(npt_unmap(&n, 0x11), -XEN_ENOENT);
    npt_destroy(&n);
    CHECK_EQ(live, 0);
}

TEST(unmap_inside_2m_splits)
{
    struct npt n = mk(16);
    uint64_t mfn;
    unsigned int perm;

    CHECK_EQ(npt_map(&n, 0x200, 0x200, NPT_ORDER_2M, NPT_RWX), 0);
    CHECK_EQ(npt_unmap(&n, 0x3FF), 0);
    CHECK_EQ(npt_lookup(&n, 0x3FF, &mfn, &perm), -XEN_ENOENT);
    CHECK_EQ(npt_lookup(&n, 0x3FE, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x3FE);
}

TEST(map_2m_over_a_4k_table_frees_it)
{
    struct npt n = mk(16);
    uint64_t mfn;
    unsigned int perm;
    int before;

    CHECK_EQ(npt_map(&n, 0x400, 0x1, NPT_ORDER_4K, NPT_W), 0);
    before = live;
    CHECK_EQ(npt_map(&n, 0x400, 0x600, NPT_ORDER_2M, NPT_W), 0);
    CHECK_EQ(live, before - 1);
    CHECK_EQ(npt_lookup(&n, 0x401, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x601);
}

TEST(bad_arguments)
{
    struct npt n = mk(16);

    CHECK_EQ(npt_map(&n, 0x200, 0x200, 1, NPT_W), -XEN_EINVAL);       /* order */
    CHECK_EQ(npt_map(&n, 0x201, 0x200, NPT_ORDER_2M, NPT_W), -XEN_EINVAL);
    CHECK_EQ(npt_map(&n, 0x200, 0x201, NPT_ORDER_2M, NPT_W), -XEN_EINVAL);
    CHECK_EQ(npt_map(&n, NPT_GFN_LIMIT, 1, NPT_ORDER_4K, NPT_W), -XEN_EINVAL);
    CHECK_EQ(npt_map(&n, 1, NPT_MFN_LIMIT, NPT_ORDER_4K, NPT_W), -XEN_EINVAL);
    CHECK_EQ(npt_unmap(&n, NPT_GFN_LIMIT + 5), -XEN_ENOENT);
    CHECK_EQ(live, 1);                              /* nothing allocated */
}

TEST(quota_and_allocation_failure_change_nothing)
{
    struct npt n = mk(3);                           /* root + 2 */
    uint64_t mfn;
    unsigned int perm;

    CHECK_EQ(npt_map(&n, 0, 0x80000, NPT_ORDER_2M, NPT_RWX), 0);  /* PDPT, PD */
    CHECK_EQ(n.tables, 3);
    CHECK_EQ(npt_map(&n, 0x10, 0x999, NPT_ORDER_4K, NPT_W), -XEN_ENOMEM);
    CHECK_EQ(npt_lookup(&n, 0x10, &mfn, &perm), 0);             /* still 2M */
    CHECK_EQ(mfn, 0x80010);
    CHECK_EQ(npt_unmap(&n, 0x10), -XEN_ENOMEM);
    CHECK_EQ(npt_lookup(&n, 0x10, &mfn, &perm), 0);
    n.max_tables = 100;
    fail_after = 0;                                 /* allocator dry */
    CHECK_EQ(npt_map(&n, 0x10, 0x999, NPT_ORDER_4K, NPT_W), -XEN_ENOMEM);
    CHECK_EQ(npt_lookup(&n, 0x10, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x80010);
    fail_after = -1;
    CHECK_EQ(npt_map(&n, 0x10, 0x999, NPT_ORDER_4K, NPT_W), 0);
    npt_destroy(&n);
    CHECK_EQ(live, 0);
}

TEST(init_fails_without_memory)
{
    struct npt n = { .max_tables = 0, .alloc_table = alloc_table,
                     .free_table = free_table, .table = table };

    CHECK_EQ(npt_init(&n), -XEN_ENOMEM);
    n.max_tables = 4;
    fail_after = 0;
    CHECK_EQ(npt_init(&n), -XEN_ENOMEM);
}

TEST(many_mappings_then_destroy_frees_all)
{
    struct npt n = mk(POOL);

    for (uint64_t g = 0; g < 0x4000; g += 0x200)    /* 32 MiB of 2M pages */
        CHECK_EQ(npt_map(&n, g, 0x100000 + g, NPT_ORDER_2M, NPT_RWX), 0);
    for (uint64_t g = 0; g < 0x4000; g += 0x400)    /* split every other */
        CHECK_EQ(npt_map(&n, g + 7, 0x5, NPT_ORDER_4K, NPT_W), 0);
    CHECK(live > 10);
    npt_destroy(&n);
    CHECK_EQ(live, 0);
}

TEST(npf_exitinfo_decode)
{
    struct npt_fault f;

    /* What QEMU reported for a read of an unmapped GPA (emulators.md). */
    npt_decode_fault(0x100000004ull, &f);
    CHECK(f.user && f.final_gpa && !f.present && !f.write && !f.table_walk);
    npt_decode_fault((1ull << 33) | 0x7, &f);
    CHECK(f.present && f.write && f.user && f.table_walk && !f.final_gpa);
    npt_decode_fault(0x18, &f);
    CHECK(f.rsvd && f.fetch);
}

/* A run maps 2 MiB leaves exactly where gfn and frame are both aligned with
 * 512 frames left, 4 KiB leaves around them. */
TEST(map_run_uses_2m_leaves_where_aligned)
{
    struct npt n = mk(POOL);
    uint64_t mfn;
    unsigned int perm;

    /* gfn 0x1FE.. on frames 0x3FE..: 2 x 4K, 2 x 2M (0x200, 0x400), 4 x 4K */
    CHECK_EQ(npt_map_run(&n, 0x1FE, 0x3FE, 2 + 1024 + 4, NPT_RWX), 0);
    CHECK_EQ(live, 5);              /* root, L3, L2, two L1 for the edges */
    for (uint64_t g = 0x1FE; g < 0x1FE + 1030; g += 101) {
        CHECK_EQ(npt_lookup(&n, g, &mfn, &perm), 0);
        CHECK_EQ(mfn, g + 0x200);
        CHECK_EQ(perm, NPT_RWX);
    }
    CHECK_EQ(npt_lookup(&n, 0x1FE + 1030, &mfn, &perm), -XEN_ENOENT);
    /* Misaligned frames: the same gfns get 4 KiB leaves only. */
    n = mk(POOL);
    CHECK_EQ(npt_map_run(&n, 0x200, 0x401, 512, NPT_W), 0);
    CHECK_EQ(live, 4);              /* root, L3, L2, one full L1 */
    CHECK_EQ(npt_lookup(&n, 0x3FF, &mfn, &perm), 0);
    CHECK_EQ(mfn, 0x600);
    CHECK_EQ(npt_map_run(&n, 0x200, 0x401, 0, NPT_W), 0);
}

TEST(map_run_stops_at_the_first_failure)
{
    struct npt n = mk(POOL);
    uint64_t mfn;
    unsigned int perm;

    fail_after = 3;                 /* root exists; L3, L2 and one L1 fit */
    CHECK_EQ(npt_map_run(&n, 0x1FF, 0x3FF, 1 + 512 + 1, NPT_RWX), -XEN_ENOMEM);
    CHECK_EQ(npt_lookup(&n, 0x1FF, &mfn, &perm), 0);
    CHECK_EQ(npt_lookup(&n, 0x200, &mfn, &perm), 0);     /* the 2 MiB leaf */
    CHECK_EQ(npt_lookup(&n, 0x400, &mfn, &perm), -XEN_ENOENT);
}
