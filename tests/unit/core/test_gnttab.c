/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables v1: table ops, map/unmap with the GTF busy bits and the
 * mapper's physmap, read-only enforcement, revocation, GNTTABOP_copy and
 * its checks, limits, and release on the death of mapper or granter.
 */
#include "unit.h"
#include "env_host.h"
#include "domctl.h"
#include "errno.h"
#include "gnttab.h"
#include "memory.h"
#include "mm.h"
#include "xen.h"

#define HOST_GFN    0x4000ULL       /* unpopulated in test domains */
#define BUSY        (GTF_reading | GTF_writing)

static struct vcpu *vc(struct domain *d)
{
    return d->vcpus[0];
}

/* The granter's view of its own entry ref (the table's first frames). */
static struct grant_entry_v1 *entry(struct domain *d, grant_ref_t ref)
{
    mfn_t mfn;

    CHECK_EQ(gnttab_frame_mfn(d, ref / 512, &mfn), 0);
    return (struct grant_entry_v1 *)env_frame_va(mfn) + ref % 512;
}

static void grant(struct domain *d, grant_ref_t ref, domid_t to, uint32_t gfn, uint16_t flags)
{
    struct grant_entry_v1 *e = entry(d, ref);

    e->domid = to;
    e->frame = gfn;
    e->flags = GTF_permit_access | flags;
}

/* What Linux's gnttab_end_foreign_access does: succeed only if unused. */
static bool revoke(struct domain *d, grant_ref_t ref)
{
    uint16_t *flags = &entry(d, ref)->flags, old = *flags;

    return !(old & BUSY) && __atomic_compare_exchange_n(flags, &old, 0, false,
                                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static struct gnttab_map_grant_ref map(struct domain *ld, domid_t dom, grant_ref_t ref,
                                       uint32_t flags, uint64_t gfn)
{
    struct gnttab_map_grant_ref op = {
        .host_addr = gfn << 12, .flags = flags, .ref = ref, .dom = dom,
    };

    gnttab_map(vc(ld), &op);
    return op;
}

static int16_t unmap(struct domain *ld, grant_handle_t h, uint64_t gfn)
{
    struct gnttab_unmap_grant_ref op = { .host_addr = gfn << 12, .handle = h };

    gnttab_unmap(vc(ld), &op);
    return op.status;
}

static uint8_t *page_of(struct domain *d, uint64_t gfn)
{
    return test_guest_ptr(d, gfn << 12);
}

static bool writable_at(struct domain *d, uint64_t gfn)
{
    enum mm_kind kind;
    bool w = false;
    mfn_t mfn;

    CHECK_EQ(mm_lookup(d, gfn, &mfn, &kind, &w), 0);
    CHECK_EQ(kind, MM_FOREIGN_GRANT);
    return w;
}

/* ---- table ops ---- */

TEST(gnttab_query_size_and_setup_table_grow_to_the_limit)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t list = test_guest_alloc(d, 8 * sizeof(xen_pfn_t));
    struct gnttab_query_size q = { .dom = DOMID_SELF };
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = 3 };

    gnttab_query_size(vc(d), &q);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(q.nr_frames, 1);
    CHECK_EQ(q.max_nr_frames, 4);       /* test_domain's max_grant_frames */
    gnttab_setup_table(vc(d), &s, list);
    CHECK_EQ(s.status, GNTST_okay);
    gnttab_query_size(vc(d), &q);
    CHECK_EQ(q.nr_frames, 3);
    /* Translated guest, frames not placed in its physmap yet: invalid GFNs;
     * placed ones are reported where they are. */
    CHECK_EQ(((xen_pfn_t *)test_guest_ptr(d, list))[2], (xen_pfn_t)~0ULL);
    gnttab_frame_set_gfn(d, 2, 0x5002);
    gnttab_setup_table(vc(d), &s, list);
    CHECK_EQ(((xen_pfn_t *)test_guest_ptr(d, list))[2], 0x5002);
    s.nr_frames = 5;
    gnttab_setup_table(vc(d), &s, list);
    CHECK_EQ(s.status, GNTST_general_error);
    CHECK(env_host_log_has("limited to 4 frames"));
    s.nr_frames = 2;                    /* never shrinks */
    gnttab_setup_table(vc(d), &s, TEST_BAD_GADDR);
    CHECK_EQ(s.status, GNTST_bad_virt_addr);
    gnttab_query_size(vc(d), &q);
    CHECK_EQ(q.nr_frames, 3);
    domain_kill(d);
}

TEST(gnttab_table_ops_on_other_domains)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    struct gnttab_query_size q = { .dom = 0 };
    struct gnttab_setup_table s = { .dom = 0, .nr_frames = 1 };
    guest_addr_t list = test_guest_alloc(d0, sizeof(xen_pfn_t));

    gnttab_query_size(vc(d1), &q);
    CHECK_EQ(q.status, GNTST_permission_denied);
    gnttab_setup_table(vc(d1), &s, list);
    CHECK_EQ(s.status, GNTST_permission_denied);
    q.dom = 9;
    gnttab_query_size(vc(d0), &q);
    CHECK_EQ(q.status, GNTST_bad_domain);
    q.dom = 1;
    gnttab_query_size(vc(d0), &q);
    CHECK_EQ(q.status, GNTST_okay);
    s.dom = 1;
    gnttab_setup_table(vc(d0), &s, list);
    CHECK_EQ(s.status, GNTST_okay);
    domain_kill(d0);
    domain_kill(d1);
}

TEST(gnttab_versions)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    struct gnttab_set_version sv = { .version = 2 };
    struct gnttab_get_version gv = { .dom = DOMID_SELF };

    CHECK_EQ(gnttab_set_version(vc(d1), &sv), -XEN_ENOSYS);
    CHECK_EQ(sv.version, 1);            /* the current version is reported */
    sv.version = 3;
    CHECK_EQ(gnttab_set_version(vc(d1), &sv), -XEN_EINVAL);
    sv.version = 1;
    CHECK_EQ(gnttab_set_version(vc(d1), &sv), 0);
    CHECK_EQ(gnttab_get_version(vc(d1), &gv), 0);
    CHECK_EQ(gv.version, 1);
    gv.dom = 0;
    CHECK_EQ(gnttab_get_version(vc(d1), &gv), -XEN_EPERM);
    gv.dom = 1;
    CHECK_EQ(gnttab_get_version(vc(d0), &gv), 0);
    gv.dom = 33;
    CHECK_EQ(gnttab_get_version(vc(d0), &gv), -XEN_ESRCH);
    domain_kill(d0);
    domain_kill(d1);
}

TEST(gnttab_frames_placed_by_add_to_physmap_are_the_table)
{
    struct domain *d = test_domain(1, false, 1);
    struct grant_entry_v1 *guest_view;
    mfn_t mfn;

    /* As Linux does at boot: put frame 1 (growing the table) at a GFN. */
    CHECK_EQ(mm_add_to_physmap(d, XENMAPSPACE_grant_table, 1, 0x5001), 0);
    guest_view = (struct grant_entry_v1 *)page_of(d, 0x5001);
    CHECK(guest_view != NULL);
    guest_view[3].frame = 0x77;
    CHECK_EQ(entry(d, 512 + 3)->frame, 0x77);
    CHECK_EQ(gnttab_frame_mfn(d, 3, &mfn), 0);      /* the limit is 4 frames */
    CHECK_EQ(gnttab_frame_mfn(d, 4, &mfn), -XEN_EINVAL);
    CHECK_EQ(mm_add_to_physmap(d, XENMAPSPACE_grant_table, 4, 0x5004), -XEN_EINVAL);
    domain_kill(d);
}

TEST(gnttab_init_rejects_bad_limits)
{
    struct domain *d = test_domain(1, false, 1);
    struct gnttab_domain *saved = d->gnttab;

    CHECK_EQ(gnttab_domain_init(d, 0, 1), -XEN_EINVAL);
    CHECK_EQ(gnttab_domain_init(d, GNTTAB_MAX_FRAMES + 1, 1), -XEN_EINVAL);
    CHECK_EQ(gnttab_domain_init(d, 1, GNTTAB_MAX_MAPTRACK_FRAMES + 1), -XEN_EINVAL);
    CHECK(d->gnttab == saved);
    env_host_fail_alloc_after(1);
    CHECK_EQ(gnttab_domain_init(d, 1, 1), -XEN_ENOMEM);
    CHECK(d->gnttab == NULL);           /* the failed table is freed */
    d->gnttab = saved;
    domain_kill(d);
}

/* ---- map / unmap ---- */

TEST(gnttab_map_writable_shares_the_page_and_sets_busy_bits)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 10, 2, TEST_RAM_GFN + 1, 0);
    page_of(d1, TEST_RAM_GFN + 1)[5] = 0xab;
    m = map(d2, 1, 10, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(entry(d1, 10)->flags, GTF_permit_access | BUSY);
    CHECK_EQ(page_of(d2, HOST_GFN)[5], 0xab);
    page_of(d2, HOST_GFN)[6] = 0xcd;
    CHECK_EQ(page_of(d1, TEST_RAM_GFN + 1)[6], 0xcd);
    CHECK(writable_at(d2, HOST_GFN));
    CHECK_EQ(gnttab_nr_mappings(d2), 1);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(entry(d1, 10)->flags, GTF_permit_access);
    CHECK(page_of(d2, HOST_GFN) == NULL);
    CHECK_EQ(gnttab_nr_mappings(d2), 0);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_readonly_map_and_readonly_grant)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 4, 2, TEST_RAM_GFN, GTF_readonly);
    m = map(d2, 1, 4, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_general_error);         /* write map of a r/o grant */
    CHECK_EQ(entry(d1, 4)->flags, GTF_permit_access | GTF_readonly);
    CHECK(page_of(d2, HOST_GFN) == NULL);
    m = map(d2, 1, 4, GNTMAP_host_map | GNTMAP_readonly, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(entry(d1, 4)->flags, GTF_permit_access | GTF_readonly | GTF_reading);
    CHECK(!writable_at(d2, HOST_GFN));
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(entry(d1, 4)->flags, GTF_permit_access | GTF_readonly);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_map_checks_the_entry)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);

    grant(d1, 1, 3, TEST_RAM_GFN, 0);                   /* for d3, not d2 */
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    CHECK(env_host_log_has("d2 GNTTABOP_map_grant_ref: d1 ref 1 cannot be pinned"));
    entry(d1, 2)->domid = 2;                            /* GTF_invalid */
    CHECK_EQ(map(d2, 1, 2, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    grant(d1, 3, 2, TEST_RAM_GFN, GTF_sub_page);        /* v2-only flag */
    CHECK_EQ(map(d2, 1, 3, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    grant(d1, 4, 2, 0x9999, 0);                         /* not RAM of d1 */
    CHECK_EQ(map(d2, 1, 4, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_page);
    CHECK_EQ(entry(d1, 4)->flags, GTF_permit_access);   /* busy bits undone */
    CHECK_EQ(map(d2, 1, 512, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_gntref);
    CHECK_EQ(map(d2, 8, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_domain);
    CHECK_EQ(map(d2, 1, 1, GNTMAP_readonly, HOST_GFN).status, GNTST_bad_gntref);
    CHECK(env_host_log_has("map nothing"));
    /* A translated mapper gets no device or PTE mappings. */
    grant(d1, 5, 2, TEST_RAM_GFN, 0);
    CHECK_EQ(map(d2, 1, 5, GNTMAP_device_map, HOST_GFN).status, GNTST_general_error);
    CHECK_EQ(map(d2, 1, 5, GNTMAP_host_map | GNTMAP_contains_pte, HOST_GFN).status,
             GNTST_general_error);
    CHECK_EQ(entry(d1, 5)->flags, GTF_permit_access);
    CHECK_EQ(gnttab_nr_mappings(d2), 0);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_map_onto_a_busy_gfn_fails_cleanly)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    grant(d1, 2, 2, TEST_RAM_GFN + 1, 0);
    m = map(d2, 1, 1, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(map(d2, 1, 2, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    CHECK_EQ(entry(d1, 2)->flags, GTF_permit_access);
    CHECK_EQ(map(d2, 1, 2, GNTMAP_host_map, 1ULL << 40).status, GNTST_general_error);
    CHECK_EQ(gnttab_nr_mappings(d2), 1);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_busy_bits_follow_the_last_mapping)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref ro, rw;

    grant(d1, 7, 2, TEST_RAM_GFN, 0);
    ro = map(d2, 1, 7, GNTMAP_host_map | GNTMAP_readonly, HOST_GFN);
    rw = map(d2, 1, 7, GNTMAP_host_map, HOST_GFN + 1);
    CHECK_EQ(ro.status, GNTST_okay);
    CHECK_EQ(rw.status, GNTST_okay);
    CHECK(ro.handle != rw.handle);
    CHECK_EQ(entry(d1, 7)->flags & BUSY, BUSY);
    CHECK_EQ(unmap(d2, rw.handle, HOST_GFN + 1), GNTST_okay);
    CHECK_EQ(entry(d1, 7)->flags & BUSY, GTF_reading);
    CHECK_EQ(unmap(d2, ro.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(entry(d1, 7)->flags & BUSY, 0);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_revocation_waits_for_unmap)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1),
                  *d3 = test_domain(3, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 9, 2, TEST_RAM_GFN, 0);
    m = map(d2, 1, 9, GNTMAP_host_map, HOST_GFN);
    CHECK(!revoke(d1, 9));
    /* A granter rewriting a mapped entry for someone else gains nothing. */
    entry(d1, 9)->domid = 3;
    CHECK_EQ(map(d3, 1, 9, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    CHECK(page_of(d3, HOST_GFN) == NULL);
    entry(d1, 9)->domid = 2;
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK(revoke(d1, 9));
    CHECK_EQ(map(d2, 1, 9, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    /* Re-granted to d3, d3 may map it now. */
    grant(d1, 9, 3, TEST_RAM_GFN, 0);
    m = map(d3, 1, 9, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(unmap(d3, m.handle, HOST_GFN), GNTST_okay);
    domain_kill(d1);
    domain_kill(d2);
    domain_kill(d3);
}

TEST(gnttab_unmap_errors)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_unmap_grant_ref u = { .host_addr = HOST_GFN << 12 };
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    m = map(d2, 1, 1, GNTMAP_host_map, HOST_GFN);
    u.handle = 100000;
    gnttab_unmap(vc(d2), &u);
    CHECK_EQ(u.status, GNTST_bad_handle);
    CHECK(env_host_log_has("handle 100000 is not a mapping"));
    CHECK_EQ(unmap(d2, m.handle + 1, HOST_GFN), GNTST_bad_handle);   /* unused */
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN + 1), GNTST_general_error); /* wrong place */
    CHECK(page_of(d2, HOST_GFN) != NULL);
    CHECK_EQ(unmap(d1, m.handle, HOST_GFN), GNTST_bad_handle);   /* d1's maptrack */
    /* host_addr 0 removes nothing (Xen): the mapping stays. */
    CHECK_EQ(unmap(d2, m.handle, 0), GNTST_okay);
    CHECK(page_of(d2, HOST_GFN) != NULL);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, BUSY);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_bad_handle);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    domain_kill(d1);
    domain_kill(d2);
}

/* Xen refuses a pin of a kind whose 8-bit count has reached 128 (bit 7 is
 * its overflow guard), so the 129th mapping of one kind fails. */
TEST(gnttab_pin_count_overflow_is_refused)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    grant_handle_t h[128];

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    for (unsigned int i = 0; i < 128; i++) {
        struct gnttab_map_grant_ref m = map(d2, 1, 1, GNTMAP_host_map | GNTMAP_readonly,
                                            HOST_GFN + i);
        CHECK_EQ(m.status, GNTST_okay);
        h[i] = m.handle;
    }
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map | GNTMAP_readonly, HOST_GFN + 128).status,
             GNTST_general_error);
    CHECK(env_host_log_has("d2 GNTTABOP_map_grant_ref"));
    /* A writable map counts separately. */
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map, HOST_GFN + 129).status, GNTST_okay);
    for (unsigned int i = 0; i < 128; i++)
        CHECK_EQ(unmap(d2, h[i], HOST_GFN + i), GNTST_okay);
    CHECK_EQ(gnttab_nr_mappings(d2), 1);
    domain_kill(d1);
    domain_kill(d2);
    CHECK(test_no_leaks());
}

TEST(gnttab_maptrack_limit_gives_no_space)
{
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, .max_vcpus = 1,
        .max_evtchn_port = 63, .max_grant_frames = 1, .max_maptrack_frames = 1,
        .grant_opts = 1, .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };
    struct domain *d1 = test_domain(1, false, 1), *d2;

    CHECK_EQ(domain_create(2, &cfg, false, &d2), 0);
    for (unsigned int r = 0; r < 257; r++)
        grant(d1, r, 2, TEST_RAM_GFN + r % TEST_RAM_PAGES, 0);
    for (unsigned int r = 0; r < GNTTAB_MAPTRACK_PER_FRAME; r++)
        CHECK_EQ(map(d2, 1, r, GNTMAP_host_map, HOST_GFN + r).status, GNTST_okay);
    CHECK_EQ(map(d2, 1, 256, GNTMAP_host_map, HOST_GFN + 256).status, GNTST_no_space);
    CHECK(env_host_log_has("maptrack full (256 entries)"));
    CHECK_EQ(entry(d1, 256)->flags, GTF_permit_access);
    domain_kill(d2);
    domain_put(d2);
    domain_kill(d1);
    CHECK(test_no_leaks());
}

/* ---- copy ---- */

static struct gnttab_copy copy_op(uint16_t flags, uint64_t src, domid_t sdom,
                                  uint64_t dst, domid_t ddom, uint16_t len)
{
    struct gnttab_copy op = { .len = len, .flags = flags };

    op.source.domid = sdom;
    op.dest.domid = ddom;
    if (flags & GNTCOPY_source_gref)
        op.source.u.ref = (grant_ref_t)src;
    else
        op.source.u.gmfn = src;
    if (flags & GNTCOPY_dest_gref)
        op.dest.u.ref = (grant_ref_t)dst;
    else
        op.dest.u.gmfn = dst;
    return op;
}

TEST(gnttab_copy_between_grants_and_own_frames)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_copy op;

    grant(d1, 1, 2, TEST_RAM_GFN, GTF_readonly);
    grant(d1, 2, 2, TEST_RAM_GFN + 1, 0);
    memcpy(page_of(d1, TEST_RAM_GFN) + 100, "granted", 8);
    /* d2 reads d1's grant into its own frame (netback rx direction). */
    op = copy_op(GNTCOPY_source_gref, 1, 1, TEST_RAM_GFN + 3, DOMID_SELF, 8);
    op.source.offset = 100;
    op.dest.offset = 4000;
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_okay);
    CHECK(!memcmp(page_of(d2, TEST_RAM_GFN + 3) + 4000, "granted", 8));
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    /* And writes into d1's writable grant. */
    memcpy(page_of(d2, TEST_RAM_GFN + 4), "reply", 6);
    op = copy_op(GNTCOPY_dest_gref, TEST_RAM_GFN + 4, DOMID_SELF, 2, 1, 6);
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_okay);
    CHECK(!memcmp(page_of(d1, TEST_RAM_GFN + 1), "reply", 6));
    CHECK_EQ(entry(d1, 2)->flags & BUSY, 0);
    /* A read-only grant is never a copy destination. */
    op = copy_op(GNTCOPY_dest_gref, TEST_RAM_GFN + 4, DOMID_SELF, 1, 1, 6);
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_general_error);
    CHECK(!memcmp(page_of(d1, TEST_RAM_GFN) + 100, "granted", 8));
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_copy_checks)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_copy op;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    grant(d1, 3, 3, TEST_RAM_GFN, 0);
    memset(page_of(d2, TEST_RAM_GFN), 0x5a, 4096);
    op = copy_op(GNTCOPY_dest_gref, TEST_RAM_GFN, DOMID_SELF, 1, 1, 100);
    op.dest.offset = 4000;                          /* 4000 + 100 > 4096 */
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_bad_copy_arg);
    CHECK_EQ(page_of(d1, TEST_RAM_GFN)[4095], 0);   /* nothing written */
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);        /* pin released */
    op = copy_op(0, TEST_RAM_GFN, 1, TEST_RAM_GFN, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);                       /* d1's frame, no grant */
    CHECK_EQ(op.status, GNTST_permission_denied);
    op = copy_op(0, TEST_RAM_GFN, 2, TEST_RAM_GFN, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);                       /* even own domid: SELF only */
    CHECK_EQ(op.status, GNTST_permission_denied);
    op = copy_op(GNTCOPY_source_gref, 1, 77, TEST_RAM_GFN, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_bad_domain);
    op = copy_op(GNTCOPY_source_gref, 600, 1, TEST_RAM_GFN, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_bad_gntref);
    op = copy_op(GNTCOPY_source_gref, 3, 1, TEST_RAM_GFN, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);                       /* granted to d3 */
    CHECK_EQ(op.status, GNTST_general_error);
    op = copy_op(GNTCOPY_source_gref, 1, 1, 0x9999, DOMID_SELF, 8);
    gnttab_copy(vc(d2), &op);                       /* no RAM at the destination */
    CHECK_EQ(op.status, GNTST_bad_page);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    CHECK(env_host_log_has("d2 GNTTABOP_copy"));
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_copy_alongside_a_mapping_keeps_its_pin)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;
    struct gnttab_copy op;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    m = map(d2, 1, 1, GNTMAP_host_map | GNTMAP_readonly, HOST_GFN);
    op = copy_op(GNTCOPY_dest_gref, TEST_RAM_GFN, DOMID_SELF, 1, 1, 16);
    gnttab_copy(vc(d2), &op);
    CHECK_EQ(op.status, GNTST_okay);
    /* The copy's write pin went; the read-only mapping's stays. */
    CHECK_EQ(entry(d1, 1)->flags & BUSY, GTF_reading);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    domain_kill(d1);
    domain_kill(d2);
}

/* ---- domain death ---- */

TEST(gnttab_dying_mapper_releases_its_mappings)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1),
                  *d3 = test_domain(3, false, 1);

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_okay);
    domain_kill(d2);
    CHECK(domain_get(2) == NULL);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    CHECK(revoke(d1, 1));
    grant(d1, 1, 3, TEST_RAM_GFN, 0);
    CHECK_EQ(map(d3, 1, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_okay);
    domain_kill(d3);
    domain_kill(d1);
    CHECK(test_no_leaks());
}

TEST(gnttab_dying_granter_stays_until_unmapped)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN + 2, 0);
    memcpy(page_of(d1, TEST_RAM_GFN + 2), "alive", 6);
    m = map(d2, 1, 1, GNTMAP_host_map, HOST_GFN);
    domain_kill(d1);
    CHECK(domain_get(1) == NULL);                   /* dying: not found */
    CHECK(!memcmp(page_of(d2, HOST_GFN), "alive", 6));  /* but the page lives */
    CHECK_EQ(domain_count(), 2);
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map, HOST_GFN + 1).status, GNTST_bad_domain);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK_EQ(domain_count(), 1);                    /* the last reference went */
    domain_kill(d2);
    CHECK(test_no_leaks());
}

/* ---- the hypercall entry ---- */

TEST(gnttab_op_batches_through_guest_memory)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    guest_addr_t a = test_guest_alloc(d2, 2 * sizeof(struct gnttab_map_grant_ref));
    struct gnttab_map_grant_ref *m = test_guest_ptr(d2, a);
    guest_addr_t b = test_guest_alloc(d2, 2 * sizeof(struct gnttab_unmap_grant_ref));
    struct gnttab_unmap_grant_ref *u = test_guest_ptr(d2, b);

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    m[0] = (struct gnttab_map_grant_ref){ .host_addr = HOST_GFN << 12,
                                          .flags = GNTMAP_host_map, .ref = 1, .dom = 1 };
    m[1] = m[0];
    m[1].ref = 2;                                   /* not granted: fails alone */
    CHECK_EQ(gnttab_op(vc(d2), GNTTABOP_map_grant_ref, a, 2), 0);
    CHECK_EQ(m[0].status, GNTST_okay);
    CHECK_EQ(m[1].status, GNTST_general_error);
    u[0] = (struct gnttab_unmap_grant_ref){ .host_addr = HOST_GFN << 12,
                                            .handle = m[0].handle };
    u[1] = u[0];
    CHECK_EQ(gnttab_op(vc(d2), GNTTABOP_unmap_grant_ref, b, 2), 0);
    CHECK_EQ(u[0].status, GNTST_okay);
    CHECK_EQ(u[1].status, GNTST_bad_handle);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_op_table_ops_through_guest_memory)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t list = test_guest_alloc(d, 2 * sizeof(xen_pfn_t));
    guest_addr_t a = test_guest_alloc(d, sizeof(struct gnttab_setup_table));
    struct gnttab_setup_table *s = test_guest_ptr(d, a);
    guest_addr_t b = test_guest_alloc(d, sizeof(struct gnttab_query_size));
    struct gnttab_query_size *q = test_guest_ptr(d, b);
    guest_addr_t c = test_guest_alloc(d, sizeof(struct gnttab_set_version));
    struct gnttab_set_version *sv = test_guest_ptr(d, c);

    s->dom = DOMID_SELF;
    s->nr_frames = 2;
    s->frame_list.p = (xen_pfn_t *)(uintptr_t)list;
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_setup_table, a, 1), 0);
    CHECK_EQ(s->status, GNTST_okay);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_setup_table, a, 2), -XEN_EINVAL);
    q->dom = DOMID_SELF;
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_query_size, b, 1), 0);
    CHECK_EQ(q->nr_frames, 2);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_query_size, b, 0), -XEN_EINVAL);
    sv->version = 2;
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_set_version, c, 1), -XEN_ENOSYS);
    CHECK_EQ(sv->version, 1);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_get_version, c, 1), 0);
    domain_kill(d);
}

TEST(gnttab_op_bad_pointers_counts_and_commands)
{
    static const unsigned int ops[] = {
        GNTTABOP_map_grant_ref, GNTTABOP_unmap_grant_ref, GNTTABOP_copy,
        GNTTABOP_setup_table, GNTTABOP_query_size, GNTTABOP_set_version,
        GNTTABOP_get_version,
    };
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t a = test_guest_alloc(d, 64);

    for (unsigned int i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        CHECK_EQ(gnttab_op(vc(d), ops[i], TEST_BAD_GADDR, 1), -XEN_EFAULT);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_map_grant_ref, a, 0x80000000u), -XEN_EINVAL);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_map_grant_ref | (1u << 12), a, 1), -XEN_EINVAL);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_transfer, a, 1), -XEN_EOPNOTSUPP);
    CHECK_EQ(gnttab_op(vc(d), 99, a, 1), -XEN_ENOSYS);
    CHECK(env_host_log_has("op 99 not provided"));
    /* count 0 maps nothing and succeeds. */
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_map_grant_ref, TEST_BAD_GADDR, 0), 0);
    domain_kill(d);
    CHECK(test_no_leaks());
}

/* ---- the rarer ops ---- */

TEST(gnttab_unmap_and_replace_for_a_translated_guest)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_unmap_and_replace r = { .host_addr = HOST_GFN << 12, .new_addr = 0x7000 };
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    m = map(d2, 1, 1, GNTMAP_host_map, HOST_GFN);
    r.handle = m.handle;
    gnttab_unmap_and_replace(vc(d2), &r);
    CHECK_EQ(r.status, GNTST_general_error);    /* cannot move it */
    CHECK(page_of(d2, HOST_GFN) != NULL);
    r.new_addr = 0;                             /* plain unmap */
    gnttab_unmap_and_replace(vc(d2), &r);
    CHECK_EQ(r.status, GNTST_okay);
    CHECK(page_of(d2, HOST_GFN) == NULL);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    gnttab_unmap_and_replace(vc(d2), &r);
    CHECK_EQ(r.status, GNTST_bad_handle);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_swap_grant_ref_swaps_idle_entries_only)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    grant(d1, 2, 3, TEST_RAM_GFN + 1, GTF_readonly);
    CHECK_EQ(gnttab_swap_grant_ref(vc(d1), 1, 2), GNTST_okay);
    CHECK_EQ(entry(d1, 1)->domid, 3);
    CHECK_EQ(entry(d1, 1)->frame, TEST_RAM_GFN + 1);
    CHECK_EQ(entry(d1, 1)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(entry(d1, 2)->domid, 2);
    CHECK_EQ(gnttab_swap_grant_ref(vc(d1), 2, 2), GNTST_okay);
    CHECK_EQ(gnttab_swap_grant_ref(vc(d1), 2, 512), GNTST_bad_gntref);
    m = map(d2, 1, 2, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(gnttab_swap_grant_ref(vc(d1), 1, 2), GNTST_eagain);
    CHECK_EQ(entry(d1, 2)->domid, 2);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(gnttab_get_status_frames_has_none_in_version_1)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    guest_addr_t a = test_guest_alloc(d1, sizeof(struct gnttab_get_status_frames));
    struct gnttab_get_status_frames *g = test_guest_ptr(d1, a);

    g->dom = DOMID_SELF;
    g->nr_frames = 1;
    CHECK_EQ(gnttab_op(vc(d1), GNTTABOP_get_status_frames, a, 1), 0);
    CHECK_EQ(g->status, GNTST_general_error);
    g->nr_frames = 0;
    CHECK_EQ(gnttab_op(vc(d1), GNTTABOP_get_status_frames, a, 1), 0);
    CHECK_EQ(g->status, GNTST_okay);
    g->dom = 0;
    CHECK_EQ(gnttab_op(vc(d1), GNTTABOP_get_status_frames, a, 1), 0);
    CHECK_EQ(g->status, GNTST_permission_denied);
    CHECK_EQ(gnttab_op(vc(d1), GNTTABOP_get_status_frames, a, 2), -XEN_EINVAL);
    CHECK_EQ(gnttab_op(vc(d1), GNTTABOP_get_status_frames, TEST_BAD_GADDR, 1), -XEN_EFAULT);
    domain_kill(d0);
    domain_kill(d1);
}

TEST(gnttab_op_swap_and_replace_through_guest_memory)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t a = test_guest_alloc(d, sizeof(struct gnttab_swap_grant_ref));
    struct gnttab_swap_grant_ref *s = test_guest_ptr(d, a);
    guest_addr_t b = test_guest_alloc(d, sizeof(struct gnttab_unmap_and_replace));
    struct gnttab_unmap_and_replace *r = test_guest_ptr(d, b);

    grant(d, 5, 0, TEST_RAM_GFN, 0);
    s->ref_a = 5;
    s->ref_b = 6;
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_swap_grant_ref, a, 1), 0);
    CHECK_EQ(s->status, GNTST_okay);
    CHECK_EQ(entry(d, 6)->flags, GTF_permit_access);
    r->handle = 3;
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_unmap_and_replace, b, 1), 0);
    CHECK_EQ(r->status, GNTST_bad_handle);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_swap_grant_ref, TEST_BAD_GADDR, 1), -XEN_EFAULT);
    CHECK_EQ(gnttab_op(vc(d), GNTTABOP_unmap_and_replace, TEST_BAD_GADDR, 1), -XEN_EFAULT);
    domain_kill(d);
}

/* ---- a PV (not translated) mapper ---- */

static struct domain *pv_domain(domid_t domid)
{
    struct xen_domctl_createdomain cfg = {
        .max_vcpus = 1, .max_evtchn_port = 63, .max_grant_frames = 2,
        .max_maptrack_frames = 1, .grant_opts = 1,
    };
    struct domain *d;

    CHECK_EQ(domain_create(domid, &cfg, false, &d), 0);
    return d;                           /* the caller holds a reference */
}

TEST(gnttab_pv_device_map_reports_the_bus_address)
{
    struct domain *d1 = test_domain(1, false, 1), *pv = pv_domain(5);
    struct gnttab_unmap_grant_ref u = { 0 };
    struct gnttab_map_grant_ref m;
    enum mm_kind kind;
    bool w;
    mfn_t mfn;

    grant(d1, 1, 5, TEST_RAM_GFN, 0);
    CHECK_EQ(mm_lookup(d1, TEST_RAM_GFN, &mfn, &kind, &w), 0);
    m = map(pv, 1, 1, GNTMAP_device_map, 0);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(m.dev_bus_addr, (uint64_t)mfn << 12);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, BUSY);
    CHECK_EQ(map(pv, 1, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_general_error);
    CHECK(env_host_log_has("host mappings for PV guests are not supported"));
    u.handle = m.handle;
    u.dev_bus_addr = m.dev_bus_addr + 4096;
    gnttab_unmap(vc(pv), &u);
    CHECK_EQ(u.status, GNTST_bad_dev_addr);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, BUSY);
    u.dev_bus_addr = m.dev_bus_addr;
    gnttab_unmap(vc(pv), &u);
    CHECK_EQ(u.status, GNTST_okay);
    CHECK_EQ(entry(d1, 1)->flags & BUSY, 0);
    domain_kill(pv);
    domain_put(pv);
    domain_kill(d1);
    CHECK(test_no_leaks());
}

TEST(gnttab_pv_setup_table_lists_machine_frames)
{
    struct domain *pv = pv_domain(5), *d0 = test_domain(0, true, 1);
    guest_addr_t list = test_guest_alloc(d0, 2 * sizeof(xen_pfn_t));
    struct gnttab_setup_table s = { .dom = 5, .nr_frames = 2 };
    mfn_t mfn;

    gnttab_setup_table(vc(d0), &s, list);       /* the toolstack asks for pv */
    CHECK_EQ(s.status, GNTST_okay);
    CHECK_EQ(gnttab_frame_mfn(pv, 1, &mfn), 0);
    CHECK_EQ(((xen_pfn_t *)test_guest_ptr(d0, list))[1], mfn);
    domain_kill(pv);
    domain_put(pv);
    domain_kill(d0);
}

TEST(gnttab_destroy_is_idempotent_and_refuses_new_work)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_copy c = copy_op(GNTCOPY_source_gref, 1, 1, TEST_RAM_GFN, DOMID_SELF, 4);
    struct gnttab_map_grant_ref m;

    grant(d1, 1, 2, TEST_RAM_GFN, 0);
    grant(d2, 1, 1, TEST_RAM_GFN, 0);
    m = map(d1, 2, 1, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    gnttab_domain_destroy(d1);          /* what domain_kill does first */
    CHECK_EQ(entry(d2, 1)->flags & BUSY, 0);        /* d1's mapping released */
    CHECK(page_of(d1, HOST_GFN) == NULL);
    CHECK_EQ(unmap(d1, m.handle, HOST_GFN), GNTST_bad_handle);
    CHECK_EQ(map(d2, 1, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_bad_domain);
    gnttab_copy(vc(d2), &c);
    CHECK_EQ(c.status, GNTST_bad_domain);
    CHECK_EQ(map(d1, 2, 1, GNTMAP_host_map, HOST_GFN).status, GNTST_no_space);
    gnttab_domain_destroy(d1);
    domain_kill(d1);
    domain_kill(d2);
    CHECK(test_no_leaks());
}

TEST(gnttab_seeded_reserved_entries_are_mappable_by_the_backend)
{
    struct domain *d0 = test_domain(0, true, 1), *d1 = test_domain(1, false, 1);
    struct gnttab_map_grant_ref m;

    CHECK_EQ(gnttab_seed_entry(d1, GNTTAB_RESERVED_XENSTORE, 0, TEST_RAM_GFN + 9, false), 0);
    CHECK_EQ(entry(d1, 1)->flags, GTF_permit_access);
    CHECK_EQ(entry(d1, 1)->domid, 0);
    CHECK_EQ(entry(d1, 1)->frame, TEST_RAM_GFN + 9);
    page_of(d1, TEST_RAM_GFN + 9)[0] = 0x42;
    m = map(d0, 1, GNTTAB_RESERVED_XENSTORE, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(page_of(d0, HOST_GFN)[0], 0x42);
    /* In use: the builder cannot change it under the mapper. */
    CHECK_EQ(gnttab_seed_entry(d1, 1, 0, TEST_RAM_GFN, true), -XEN_EINVAL);
    CHECK_EQ(gnttab_seed_entry(d1, 512, 0, TEST_RAM_GFN, true), -XEN_EINVAL);
    CHECK(env_host_log_has("cannot seed grant ref 512"));
    CHECK_EQ(gnttab_seed_entry(d1, GNTTAB_RESERVED_CONSOLE, 0, TEST_RAM_GFN, true), 0);
    CHECK_EQ(entry(d1, 0)->flags, GTF_permit_access | GTF_readonly);
    CHECK_EQ(unmap(d0, m.handle, HOST_GFN), GNTST_okay);
    domain_kill(d1);
    domain_kill(d0);
}

TEST(gnttab_a_domain_may_map_its_own_grant)
{
    struct domain *d = test_domain(1, false, 1);
    struct gnttab_map_grant_ref m;

    /* Xen allows it (a backend serving a frontend in the same domain). */
    grant(d, 3, 1, TEST_RAM_GFN + 2, 0);
    m = map(d, 1, 3, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK(page_of(d, HOST_GFN) == page_of(d, TEST_RAM_GFN + 2));
    CHECK_EQ(map(d, DOMID_SELF, 3, GNTMAP_host_map, HOST_GFN + 1).status, GNTST_bad_domain);
    /* Its own reference through the maptrack does not keep it alive. */
    domain_kill(d);
    CHECK(test_no_leaks());
}

/* remove_from_physmap of a grant mapping is refused: only the grant unmap
 * may undo it, or the maptrack entry and the granter's pin would be left. */
TEST(gnttab_mapping_cannot_be_removed_from_physmap)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m;

    grant(d1, 9, 2, TEST_RAM_GFN, 0);
    m = map(d2, 1, 9, GNTMAP_host_map, HOST_GFN);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(mm_remove_gfn(d2, HOST_GFN), -XEN_EINVAL);
    CHECK(page_of(d2, HOST_GFN) != NULL);
    CHECK_EQ(unmap(d2, m.handle, HOST_GFN), GNTST_okay);
    CHECK(revoke(d1, 9));
    domain_kill(d1);
    domain_kill(d2);
}
