/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Nested page tables (npt_*): building, splitting, looking up and freeing
 * the GPA -> machine tables SVM walks for a guest. All NPT accesses count
 * as user accesses, so every present entry carries U. Not here: flushing
 * (svm.c sets TLB_CONTROL) and who owns the frames (core/ p2m).
 */
#include "npt.h"

#define E_P     (1ull << 0)
#define E_RW    (1ull << 1)
#define E_US    (1ull << 2)
#define E_PS    (1ull << 7)
#define E_NX    (1ull << 63)
#define E_ADDR  0x000FFFFFFFFFF000ull
#define E_TABLE (E_P | E_RW | E_US)    /* intermediate: leaves decide */

static unsigned int idx(uint64_t gfn, int level)
{
    return (unsigned int)(gfn >> (9 * (level - 1))) & 0x1FF;
}

static uint64_t leaf_bits(unsigned int perm)
{
    return E_P | E_US | (perm & NPT_W ? E_RW : 0) |
           (perm & NPT_X ? 0 : E_NX);
}

static unsigned int perm_of(uint64_t e)
{
    return (e & E_RW ? NPT_W : 0) | (e & E_NX ? 0 : NPT_X);
}

static uint64_t new_table(struct npt *n)
{
    uint64_t ma;

    if (n->tables >= n->max_tables)
        return NPT_NO_PAGE;
    ma = n->alloc_table(n->ctx);
    if (ma != NPT_NO_PAGE)
        n->tables++;
    return ma;
}

static void free_tree(struct npt *n, uint64_t ma, int level)
{
    uint64_t *t = n->table(n->ctx, ma);
    unsigned int i;

    for (i = 0; level > 1 && i < 512; i++)
        if ((t[i] & E_P) && !(t[i] & E_PS))
            free_tree(n, t[i] & E_ADDR, level - 1);
    n->free_table(n->ctx, ma);
    n->tables--;
}

int npt_init(struct npt *n)
{
    n->tables = 0;
    n->root = new_table(n);
    return n->root == NPT_NO_PAGE ? -XEN_ENOMEM : 0;
}

void npt_destroy(struct npt *n)
{
    if (n->root != NPT_NO_PAGE)
        free_tree(n, n->root, 4);
    n->root = NPT_NO_PAGE;
}

/* Replace a 2 MiB leaf by a table of 512 equivalent 4 KiB leaves. */
static int split(struct npt *n, uint64_t *e)
{
    uint64_t ma = new_table(n), base = *e & E_ADDR & ~0x1FFFFFull;
    uint64_t bits = *e & (E_P | E_RW | E_US | E_NX);
    uint64_t *t;
    unsigned int i;

    if (ma == NPT_NO_PAGE)
        return -XEN_ENOMEM;
    t = n->table(n->ctx, ma);
    for (i = 0; i < 512; i++)
        t[i] = (base + ((uint64_t)i << 12)) | bits;
    *e = ma | E_TABLE;
    return 0;
}

/* The entry for gfn at `level` (1 or 2), creating tables on the way (and
 * splitting a 2 MiB leaf when level 1 is wanted); NULL + *rc on failure. */
static uint64_t *walk_create(struct npt *n, uint64_t gfn, int level, int *rc)
{
    uint64_t *t = n->table(n->ctx, n->root);
    int l;

    for (l = 4; l > level; l--) {
        uint64_t *e = &t[idx(gfn, l)];

        if (!(*e & E_P)) {
            uint64_t ma = new_table(n);
            if (ma == NPT_NO_PAGE) {
                *rc = -XEN_ENOMEM;
                return NULL;
            }
            *e = ma | E_TABLE;
        } else if (*e & E_PS) {
            *rc = split(n, e);
            if (*rc)
                return NULL;
        }
        t = n->table(n->ctx, *e & E_ADDR);
    }
    return &t[idx(gfn, level)];
}

int npt_map(struct npt *n, uint64_t gfn, uint64_t mfn, unsigned int order,
            unsigned int perm)
{
    int level = order == NPT_ORDER_2M ? 2 : 1, rc = 0;
    uint64_t *e, old;

    if (order != NPT_ORDER_4K && order != NPT_ORDER_2M)
        return -XEN_EINVAL;
    if (((gfn | mfn) & ((1ull << order) - 1)) || gfn >= NPT_GFN_LIMIT ||
        mfn >= NPT_MFN_LIMIT)
        return -XEN_EINVAL;
    e = walk_create(n, gfn, level, &rc);
    if (!e)
        return rc;
    old = *e;
    *e = (mfn << 12) | leaf_bits(perm) | (level == 2 ? E_PS : 0);
    if (level == 2 && (old & E_P) && !(old & E_PS))
        free_tree(n, old & E_ADDR, 1);
    return 0;
}

int npt_map_run(struct npt *n, uint64_t gfn, uint64_t mfn, uint64_t count,
                unsigned int perm)
{
    int rc = 0;

    for (uint64_t i = 0; !rc && i < count;) {
        bool big = !((gfn + i) & 511) && !((mfn + i) & 511) && count - i >= 512;

        rc = npt_map(n, gfn + i, mfn + i, big ? NPT_ORDER_2M : NPT_ORDER_4K, perm);
        i += big ? 512 : 1;
    }
    return rc;
}

/* The present leaf for gfn and its level, or NULL. */
static uint64_t *find_leaf(const struct npt *n, uint64_t gfn, int *level)
{
    uint64_t *t = n->table(n->ctx, n->root), *e;
    int l;

    if (gfn >= NPT_GFN_LIMIT)
        return NULL;
    for (l = 4; l >= 1; l--) {
        e = &t[idx(gfn, l)];
        if (!(*e & E_P))
            return NULL;
        if (l == 1 || (*e & E_PS)) {
            *level = l;
            return e;
        }
        t = n->table(n->ctx, *e & E_ADDR);
    }
    return NULL;
}

int npt_unmap(struct npt *n, uint64_t gfn)
{
    int level, rc = 0;
    uint64_t *e = find_leaf(n, gfn, &level);

    if (!e)
        return -XEN_ENOENT;
    if (level == 2) {
        e = walk_create(n, gfn, 1, &rc);
        if (!e)
            return rc;
    }
    *e = 0;
    return 0;
}

int npt_lookup(const struct npt *n, uint64_t gfn, uint64_t *mfn,
               unsigned int *perm)
{
    int level;
    uint64_t *e = find_leaf(n, gfn, &level);

    if (!e)
        return -XEN_ENOENT;
    *mfn = ((*e & E_ADDR) >> 12) + (level == 2 ? (gfn & 0x1FF) : 0);
    *perm = perm_of(*e);
    return 0;
}

void npt_decode_fault(uint64_t info, struct npt_fault *f)
{
    f->present = info & (1ull << 0);
    f->write = info & (1ull << 1);
    f->user = info & (1ull << 2);
    f->rsvd = info & (1ull << 3);
    f->fetch = info & (1ull << 4);
    f->final_gpa = info & (1ull << 32);
    f->table_walk = info & (1ull << 33);
}
