/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Seeded random grant traffic between three well-behaved guests: grants
 * written and revoked the way Linux does, maps/unmaps/copies with random
 * arguments, a domain killed and re-created now and then. After each step
 * the GTF busy bits must match the live mappings exactly, each mapping must
 * show the granter's page with the right writability, and in the end
 * nothing may leak.
 */
#include "unit.h"
#include "env_host.h"
#include "errno.h"
#include "gnttab.h"
#include "mm.h"
#include "xen.h"

#define NR_DOMS     3
#define NR_REFS     24
#define NR_SLOTS    48          /* host GFNs each mapper may use */
#define HOST_BASE   0x6000ULL
#define STEPS       2500
#define MAX_MAPS    256

struct live_map {
    struct domain *mapper;
    domid_t granter;
    grant_ref_t ref;
    uint64_t gfn;
    bool readonly;
    grant_handle_t handle;
};

static uint64_t rng_state;
static struct domain *doms[NR_DOMS];
static struct live_map maps[MAX_MAPS];
static unsigned int nr_maps;

static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
    mfn_t mfn;

    CHECK_EQ(gnttab_frame_mfn(d, 0, &mfn), 0);
    return (struct grant_entry_v1 *)env_frame_va(mfn) + ref;
}

static struct domain *by_id(domid_t id)
{
    for (unsigned int i = 0; i < NR_DOMS; i++)
        if (doms[i]->domid == id)
            return doms[i];
    return NULL;
}

static bool gfn_in_use(struct domain *d, uint64_t gfn)
{
    for (unsigned int i = 0; i < nr_maps; i++)
        if (maps[i].mapper == d && maps[i].gfn == gfn)
            return true;
    return false;
}

/* A well-behaved granter: only rewrites or revokes entries not in use. */
static void guest_grant(struct domain *d)
{
    struct grant_entry_v1 *e = entry(d, rnd(NR_REFS));
    uint16_t old = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);

    if (old & (GTF_reading | GTF_writing))
        return;
    if (!__atomic_compare_exchange_n(&e->flags, &old, 0, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST) || rnd(3) == 0)
        return;                     /* revoked, or left revoked */
    e->domid = rnd(8) ? rnd(NR_DOMS) : 9;        /* 9: no such domain */
    e->frame = TEST_RAM_GFN + rnd(TEST_RAM_PAGES + 2);  /* sometimes not RAM */
    __atomic_store_n(&e->flags, GTF_permit_access | (rnd(2) ? GTF_readonly : 0),
                     __ATOMIC_SEQ_CST);
}

static void random_map(struct domain *d)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = (HOST_BASE + rnd(NR_SLOTS)) << 12,
        .flags = GNTMAP_host_map | (rnd(2) ? GNTMAP_readonly : 0),
        .ref = rnd(NR_REFS + 2), .dom = rnd(8) ? rnd(NR_DOMS) : 9,
    };
    bool busy = gfn_in_use(d, op.host_addr >> 12);

    gnttab_map(d->vcpus[0], &op);
    CHECK(op.status <= 0 && op.status >= GNTST_no_space);
    if (busy)
        CHECK(op.status != GNTST_okay);
    if (op.status != GNTST_okay || nr_maps == MAX_MAPS) {
        if (op.status == GNTST_okay) {
            struct gnttab_unmap_grant_ref u = { .host_addr = op.host_addr,
                                                .handle = op.handle };
            gnttab_unmap(d->vcpus[0], &u);
            CHECK_EQ(u.status, GNTST_okay);
        }
        return;
    }
    maps[nr_maps++] = (struct live_map){ d, op.dom, op.ref, op.host_addr >> 12,
                                         op.flags & GNTMAP_readonly, op.handle };
}

static void random_unmap(void)
{
    unsigned int i;
    struct gnttab_unmap_grant_ref u;

    if (!nr_maps)
        return;
    i = rnd(nr_maps);
    u = (struct gnttab_unmap_grant_ref){ .host_addr = maps[i].gfn << 12,
                                         .handle = maps[i].handle };
    gnttab_unmap(maps[i].mapper->vcpus[0], &u);
    CHECK_EQ(u.status, GNTST_okay);
    gnttab_unmap(maps[i].mapper->vcpus[0], &u);
    CHECK_EQ(u.status, GNTST_bad_handle);
    maps[i] = maps[--nr_maps];
}

static void random_copy(struct domain *d)
{
    struct gnttab_copy op = { .len = rnd(600), .flags = rnd(4) };

    op.source.domid = op.flags & GNTCOPY_source_gref ? rnd(NR_DOMS) : DOMID_SELF;
    op.dest.domid = op.flags & GNTCOPY_dest_gref ? rnd(NR_DOMS) : DOMID_SELF;
    if (rnd(16) == 0)
        op.source.domid = rnd(2) ? 9 : d->domid;   /* bad domain / not SELF */
    if (op.flags & GNTCOPY_source_gref)
        op.source.u.ref = rnd(NR_REFS);
    else
        op.source.u.gmfn = TEST_RAM_GFN + rnd(TEST_RAM_PAGES);
    if (op.flags & GNTCOPY_dest_gref)
        op.dest.u.ref = rnd(NR_REFS);
    else
        op.dest.u.gmfn = TEST_RAM_GFN + rnd(TEST_RAM_PAGES);
    op.source.offset = rnd(4096);
    op.dest.offset = rnd(4096);
    gnttab_copy(d->vcpus[0], &op);
    CHECK(op.status <= 0 && op.status >= GNTST_no_space);
}

/* The busy bits of every entry are exactly what the live mappings imply. */
static void check_entries(struct domain *g)
{
    for (grant_ref_t r = 0; r < NR_REFS; r++) {
        uint16_t want = 0;

        for (unsigned int i = 0; i < nr_maps; i++)
            if (maps[i].granter == g->domid && maps[i].ref == r)
                want |= GTF_reading | (maps[i].readonly ? 0 : GTF_writing);
        CHECK_EQ(entry(g, r)->flags & (GTF_reading | GTF_writing), want);
    }
}

static void check_maps(void)
{
    for (unsigned int i = 0; i < nr_maps; i++) {
        struct live_map *m = &maps[i];
        struct grant_entry_v1 *e = entry(by_id(m->granter), m->ref);
        enum mm_kind kind;
        bool w;
        mfn_t mfn;

        CHECK_EQ(mm_lookup(m->mapper, m->gfn, &mfn, &kind, &w), 0);
        CHECK_EQ(kind, MM_FOREIGN_GRANT);
        CHECK_EQ(w, !m->readonly);
        CHECK(test_guest_ptr(m->mapper, m->gfn << 12) ==
              test_guest_ptr(by_id(m->granter), (uint64_t)e->frame << 12));
    }
    for (unsigned int d = 0; d < NR_DOMS; d++) {
        unsigned int n = 0;

        for (unsigned int i = 0; i < nr_maps; i++)
            n += maps[i].mapper == doms[d];
        CHECK_EQ(gnttab_nr_mappings(doms[d]), n);
    }
}

/* Domain 2 dies: its own mappings vanish; mappings of its grants are
 * released by their mappers first (so the model stays simple). */
static void cycle_domain_2(void)
{
    for (unsigned int i = 0; i < nr_maps;) {
        if (maps[i].granter != 2) {
            i++;
            continue;
        }
        struct gnttab_unmap_grant_ref u = { .host_addr = maps[i].gfn << 12,
                                            .handle = maps[i].handle };
        gnttab_unmap(maps[i].mapper->vcpus[0], &u);
        CHECK_EQ(u.status, GNTST_okay);
        maps[i] = maps[--nr_maps];
    }
    domain_kill(doms[2]);
    for (unsigned int i = 0; i < nr_maps;)
        if (maps[i].mapper == doms[2])
            maps[i] = maps[--nr_maps];
        else
            i++;
    doms[2] = test_domain(2, false, 1);
}

static void run(uint64_t seed)
{
    rng_state = seed;
    nr_maps = 0;
    for (unsigned int i = 0; i < NR_DOMS; i++)
        doms[i] = test_domain(i, i == 0, 1);
    for (unsigned int step = 0; step < STEPS; step++) {
        struct domain *d = doms[rnd(NR_DOMS)];

        switch (rnd(6)) {
        case 0: case 1: guest_grant(d); break;
        case 2: random_map(d); break;
        case 3: random_unmap(); break;
        case 4: random_copy(d); break;
        default:
            if (rnd(150) == 0)
                cycle_domain_2();
        }
        for (unsigned int i = 0; i < NR_DOMS; i++)
            check_entries(doms[i]);
        check_maps();
    }
    for (unsigned int i = 0; i < NR_DOMS; i++)
        domain_kill(doms[i]);
    CHECK(test_no_leaks());
}

TEST(gnttab_random_traffic_seed_1) { run(7); }
TEST(gnttab_random_traffic_seed_2) { run(0x2545f4914f6cdd1dULL); }
TEST(gnttab_random_traffic_seed_3) { run(424242); }
