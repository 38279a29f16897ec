/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest page-table walker (guest_walk*): long-mode 4-level tables with
 * 2 MiB and 1 GiB pages, PCID bits masked from CR3, NX/U/W/SMEP/SMAP
 * checks; A/D bits are neither required nor set. Paging-off guests map
 * 1:1. Not here: 32-bit (PAE or not) and 5-level paging, which fail.
 */
#include "guest_walk.h"

#define CR0_PG      (1ull << 31)
#define CR0_WP      (1ull << 16)
#define CR4_PAE     (1ull << 5)
#define CR4_SMEP    (1ull << 20)
#define CR4_SMAP    (1ull << 21)
#define CR4_LA57    (1ull << 12)
#define EFER_LMA    (1ull << 10)
#define EFER_NXE    (1ull << 11)
#define RFLAGS_AC   (1ull << 18)

#define PTE_P       (1ull << 0)
#define PTE_RW      (1ull << 1)
#define PTE_US      (1ull << 2)
#define PTE_PS      (1ull << 7)
#define PTE_NX      (1ull << 63)
#define ADDR_MASK   0x000FFFFFFFFFF000ull

static int fault(struct gw_fault *f, int level, uint32_t pfec, const char *why)
{
    f->level = level;
    f->pfec = pfec;
    f->why = why;
    return -XEN_EFAULT;
}

static uint32_t access_pfec(unsigned int access)
{
    return (access & GW_WRITE ? GW_PFEC_WRITE : 0) |
           (access & GW_USER ? GW_PFEC_USER : 0) |
           (access & GW_FETCH ? GW_PFEC_FETCH : 0);
}

/* Bits that must be zero in an entry at this level (1..4), given whether it
 * maps a large page. */
static uint64_t rsvd_mask(const struct gw_mode *m, int level, bool large)
{
    unsigned int maxpa = m->maxphyaddr ? m->maxphyaddr : 52;
    uint64_t mask = ((1ull << 52) - 1) & ~((1ull << maxpa) - 1);

    if (!(m->efer & EFER_NXE))
        mask |= PTE_NX;
    if (level == 4)
        mask |= PTE_PS;
    if (large && level == 3)
        mask |= 0x3FFFE000ull;        /* 1 GiB frame bits 29:13 */
    if (large && level == 2)
        mask |= 0x1FE000ull;          /* 2 MiB frame bits 20:13 */
    return mask;
}

struct perms {
    bool w, u, nx;
};

static int check_perms(const struct gw_mode *m, const struct perms *p,
                       unsigned int access, struct gw_fault *f, int level)
{
    uint32_t pfec = access_pfec(access) | GW_PFEC_PRESENT;
    bool user = access & GW_USER;

    if (user && !p->u)
        return fault(f, level, pfec, "user access to a supervisor page");
    if ((access & GW_WRITE) && !p->w && (user || (m->cr0 & CR0_WP)))
        return fault(f, level, pfec, "write to a read-only page");
    if ((access & GW_FETCH) && p->nx)
        return fault(f, level, pfec, "fetch from a no-execute page");
    if ((access & GW_FETCH) && !user && p->u && (m->cr4 & CR4_SMEP))
        return fault(f, level, pfec, "supervisor fetch from a user page (SMEP)");
    if (!(access & GW_FETCH) && !user && p->u && (m->cr4 & CR4_SMAP) &&
        ((access & GW_IMPLICIT) || !(m->rflags & RFLAGS_AC)))
        return fault(f, level, pfec, "supervisor access to a user page (SMAP)");
    return 0;
}

static bool canonical(uint64_t gva)
{
    uint64_t top = gva >> 47;

    return top == 0 || top == 0x1FFFF;
}

static int walk_long(const struct gw_mode *m, uint64_t gva,
                     unsigned int access, uint64_t *gpa, struct gw_fault *f)
{
    struct perms p = { true, true, false };
    uint64_t table = m->cr3 & ADDR_MASK, pte = 0;
    uint32_t pfec = access_pfec(access);
    int level;

    if (!canonical(gva))
        return fault(f, 0, 0, "non-canonical address");
    for (level = 4; level >= 1; level--) {
        unsigned int shift = 12 + 9 * (level - 1);
        uint64_t idx = (gva >> shift) & 0x1FF;
        bool large;

        if (m->read_gpa64(m->ctx, table + idx * 8, &pte))
            return fault(f, level, 0, "page table is not in guest RAM");
        if (!(pte & PTE_P))
            return fault(f, level, pfec, "page not present");
        large = (level == 3 || level == 2) && (pte & PTE_PS);
        if (pte & rsvd_mask(m, level, large))
            return fault(f, level, pfec | GW_PFEC_PRESENT | GW_PFEC_RSVD,
                         "reserved bit set in a page-table entry");
        p.w = p.w && (pte & PTE_RW);
        p.u = p.u && (pte & PTE_US);
        p.nx = p.nx || ((m->efer & EFER_NXE) && (pte & PTE_NX));
        if (large || level == 1) {
            uint64_t off_mask = (1ull << shift) - 1;
            int rc = check_perms(m, &p, access, f, level);

            if (rc)
                return rc;
            *gpa = (pte & ADDR_MASK & ~off_mask) | (gva & off_mask);
            return 0;
        }
        table = pte & ADDR_MASK;
    }
    return fault(f, 1, pfec, "unreachable");
}

int guest_walk(const struct gw_mode *m, uint64_t gva, unsigned int access,
               uint64_t *gpa, struct gw_fault *f)
{
    if (!(m->cr0 & CR0_PG)) {
        /* Paging off: a linear address is at most 32 bits (no long mode
         * without paging), and maps 1:1. */
        *gpa = gva & 0xFFFFFFFFull;
        return 0;
    }
    if (!(m->efer & EFER_LMA) || !(m->cr4 & CR4_PAE))
        return fault(f, 0, 0, "32-bit guest paging is not supported");
    if (m->cr4 & CR4_LA57)
        return fault(f, 0, 0, "5-level guest paging is not supported");
    return walk_long(m, gva, access, gpa, f);
}

int guest_walk_range(const struct gw_mode *m, uint64_t gva, size_t len,
                     unsigned int access, gw_chunk_fn chunk, void *ctx,
                     struct gw_fault *f)
{
    size_t done, n;
    uint64_t gpa;
    int pass, rc;

    if (len && gva + (len - 1) < gva)
        return fault(f, 0, 0, "guest range wraps around the address space");
    for (pass = 0; pass < 2; pass++) {
        for (done = 0; done < len; done += n) {
            uint64_t va = gva + done;

            n = 0x1000 - (va & 0xFFF);
            if (n > len - done)
                n = len - done;
            rc = guest_walk(m, va, access, &gpa, f);
            if (!rc && pass == 1)
                rc = chunk(ctx, gpa, done, n);
            if (rc)
                return rc;
        }
    }
    return 0;
}
