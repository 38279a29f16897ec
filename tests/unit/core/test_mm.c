/* SPDX-License-Identifier: GPL-2.0-only */
/* Memory ownership: frames, the p2m, reservations, physmap ops, foreign maps. */
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "core_test.h"
#include "errno.h"
#include "gnttab.h"
#include "memory.h"
#include "mm.h"

#define GFN 0x4000

static long populate(struct vcpu *v, domid_t dom, const xen_pfn_t *gfns, unsigned int n,
                     unsigned int order, unsigned int cmd)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order, .domid = dom };
    guest_addr_t list = put_guest(v, gfns, n * sizeof(*gfns));

    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)list);
    return hc(v, __HYPERVISOR_memory_op, cmd, put_guest(v, &r, sizeof(r)), 0);
}

TEST(populate_maps_zeroed_owned_ram_and_counts_pages)
{
    struct domain *d = test_domain(1, false, 1);
    uint64_t before = mm_tot_pages(d);
    xen_pfn_t gfns[2] = { GFN, GFN + 8 };
    mfn_t mfn;
    enum mm_kind kind;
    bool w;

    CHECK_EQ(populate(d->vcpus[0], DOMID_SELF, gfns, 2, 0, XENMEM_populate_physmap), 2);
    CHECK_EQ(mm_tot_pages(d), before + 2);
    CHECK_EQ(mm_lookup(d, GFN + 8, &mfn, &kind, &w), 0);
    CHECK_EQ(kind, MM_RAM);
    CHECK(w);
    CHECK(mm_frame_owner(mfn) == d);
    CHECK_EQ(((unsigned char *)env_frame_va(mfn))[100], 0);   /* env gives junk; mm zeroes */
    CHECK_EQ(mm_lookup(d, GFN + 1, &mfn, NULL, NULL), -XEN_EINVAL);
}

TEST(populate_order_and_alignment_rules)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    xen_pfn_t g = GFN;

    CHECK_EQ(populate(v, DOMID_SELF, &g, 1, 2, XENMEM_populate_physmap), 1);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 4);
    g = GFN + 1;                                    /* misaligned extent */
    CHECK_EQ(populate(v, DOMID_SELF, &g, 1, 1, XENMEM_populate_physmap), 0);
    g = GFN;
    CHECK_EQ(populate(v, DOMID_SELF, &g, 1, MM_MAX_ORDER_DOMU + 1, XENMEM_populate_physmap), 0);
    CHECK(env_host_log_has("d1: populate: extent order 10 above the limit 9"));
    g = 1ULL << MM_GFN_BITS;
    CHECK_EQ(populate(v, DOMID_SELF, &g, 1, 0, XENMEM_populate_physmap), 0);
    CHECK(env_host_log_has("beyond the guest-physical space"));
}

TEST(populate_stops_at_max_mem)
{
    struct domain *d = test_domain(1, false, 1);
    xen_pfn_t gfns[3] = { GFN, GFN + 1, GFN + 2 };

    mm_set_max_pages(d, TEST_RAM_PAGES + 2);
    CHECK_EQ(populate(d->vcpus[0], DOMID_SELF, gfns, 3, 0, XENMEM_populate_physmap), 2);
    CHECK(env_host_log_has("d1: populate: over-allocation"));
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 2);
}

TEST(populate_out_of_host_memory_gives_back_reservation)
{
    struct domain *d = test_domain(1, false, 1);

    env_host_fail_frame_after(0);
    CHECK_EQ(mm_populate(d, GFN, 0), -XEN_ENOMEM);
    env_host_fail_frame_after(-1);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES);
    CHECK(env_host_log_has("d1: populate: out of host memory"));
}

/* An extent is one aligned block of frames (the NPT maps it with one large
 * page) and the change is reported once for all of it. */
TEST(populate_extent_is_one_aligned_block)
{
    struct domain *d = test_domain(1, false, 1);
    mfn_t first, mfn;

    env_host_p2m_clear();
    CHECK_EQ(mm_populate(d, 0x40000, 9), 0);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK_EQ(mm_lookup(d, 0x40000, &first, NULL, NULL), 0);
    CHECK_EQ(first & 511, 0);
    for (unsigned int i = 1; i < 512; i++) {
        CHECK_EQ(mm_lookup(d, 0x40000 + i, &mfn, NULL, NULL), 0);
        CHECK_EQ(mfn, first + i);
        CHECK(mm_frame_owner(mfn) == d);
    }
    CHECK_EQ(((unsigned char *)env_frame_va(first + 300))[7], 0);    /* zeroed */
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 512);
}

/* Each frame of a block is its own: one page goes back alone. */
TEST(populate_extent_frames_are_freed_one_by_one)
{
    struct domain *d = test_domain(1, false, 1);
    uint64_t frames = env_host_frames();
    xen_pfn_t g = 0x40000 + 17;

    CHECK_EQ(mm_populate(d, 0x40000, 9), 0);
    CHECK_EQ(env_host_frames(), frames + 512);
    CHECK_EQ(populate(d->vcpus[0], DOMID_SELF, &g, 1, 0, XENMEM_decrease_reservation), 1);
    CHECK_EQ(env_host_frames(), frames + 511);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 511);
}

/* No aligned block free (fragmented memory): single frames instead. */
TEST(populate_extent_without_a_block_takes_single_frames)
{
    struct domain *d = test_domain(1, false, 1);
    mfn_t mfn;

    env_host_fail_frame_after(0);                   /* the block */
    CHECK_EQ(mm_populate(d, GFN, 2), 0);
    env_host_fail_frame_after(-1);
    CHECK_EQ(mm_lookup(d, GFN + 3, &mfn, NULL, NULL), 0);
    CHECK(mm_frame_owner(mfn) == d);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 4);
}

/* Only a control domain's boot build may skip zeroing (Xen's dom0 build). */
TEST(populate_unscrubbed_is_for_control_domains_only)
{
    struct domain *u = test_domain(1, false, 1), *c = test_domain(2, true, 1);
    mfn_t mfn;

    CHECK_EQ(mm_populate_unscrubbed(u, 0x40000, 9), -XEN_EPERM);
    CHECK(env_host_log_has("d1: populate: only a control domain may get unscrubbed frames"));
    CHECK_EQ(mm_tot_pages(u), TEST_RAM_PAGES);
    CHECK_EQ(mm_populate_unscrubbed(c, 0x40000, 9), 0);
    CHECK_EQ(mm_lookup(c, 0x40000 + 5, &mfn, NULL, NULL), 0);
    CHECK(mm_frame_owner(mfn) == c);
    CHECK_EQ(((unsigned char *)env_frame_va(mfn))[9], 0xa5);     /* env's junk, untouched */
    CHECK_EQ(mm_tot_pages(c), TEST_RAM_PAGES + 512);
}

/* A failure inside a block extent (no frame-table entry for a frame) undoes
 * the extent and frees the block's frames, adopted or not. */
TEST(populate_extent_failure_frees_the_whole_block)
{
    struct domain *d = test_domain(1, false, 1);
    uint64_t frames = env_host_frames();
    mfn_t mfn;

    env_host_fail_alloc_after(0);
    CHECK_EQ(mm_populate(d, 0x40000, 9), -XEN_ENOMEM);
    env_host_fail_alloc_after(-1);
    CHECK_EQ(env_host_frames(), frames);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES);
    CHECK_EQ(mm_lookup(d, 0x40000, &mfn, NULL, NULL), -XEN_EINVAL);     /* not mapped */
}

TEST(populate_over_ram_replaces_and_frees_old_page)
{
    struct domain *d = test_domain(1, false, 1);
    uint64_t frames = env_host_frames();
    mfn_t a, b;

    CHECK_EQ(mm_populate(d, GFN, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &a, NULL, NULL), 0);
    CHECK_EQ(mm_populate(d, GFN, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &b, NULL, NULL), 0);
    CHECK_EQ(env_host_frames(), frames + 1);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES + 1);
}

TEST(decrease_reservation_frees_and_stops_at_hole)
{
    struct domain *d = test_domain(1, false, 1);
    xen_pfn_t gfns[3] = { TEST_RAM_GFN + 10, TEST_RAM_GFN + 11, GFN };

    CHECK_EQ(populate(d->vcpus[0], DOMID_SELF, gfns, 3, 0, XENMEM_decrease_reservation), 2);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES - 2);
    CHECK(env_host_log_has("d1: remove page: gfn 0x4000 is not mapped"));
}

/* Xen answers a reservation it cannot start with the start extent (here
 * 0, or the one in cmd's high bits), not an error code. */
TEST(reservation_bad_pointers_answer_the_start_extent)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    struct xen_memory_reservation r = { .nr_extents = 1, .domid = DOMID_SELF };

    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_populate_physmap, TEST_BAD_GADDR, 0), 0);
    CHECK(env_host_log_has("d1: memory_op 6: reservation at a bad guest address"));
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_decrease_reservation | (3u << 6),
                TEST_BAD_GADDR, 0), 3);
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)TEST_BAD_GADDR);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
                put_guest(v, &r, sizeof(r)), 0), 0);
}

/* As in Xen, the answer is the start extent (0): nothing done. */
TEST(reservation_on_other_domain_needs_privilege)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    xen_pfn_t g = GFN;

    CHECK_EQ(populate(u->vcpus[0], 0, &g, 1, 0, XENMEM_populate_physmap), 0);
    CHECK(env_host_log_has("d1: populate_physmap on d0: not the control domain"));
    CHECK_EQ(populate(ctl->vcpus[0], 1, &g, 1, 0, XENMEM_populate_physmap), 1);
    CHECK(mm_frame_owner(0) != NULL);
    CHECK_EQ(mm_tot_pages(u), TEST_RAM_PAGES + 1);
    CHECK_EQ(populate(ctl->vcpus[0], 77, &g, 1, 0, XENMEM_populate_physmap), 0);
    CHECK(env_host_log_has("d0: populate_physmap: no domain d77"));
    CHECK_EQ(populate(u->vcpus[0], 77, &g, 1, 0, XENMEM_populate_physmap), 0);
    CHECK_EQ(mm_tot_pages(u), TEST_RAM_PAGES + 1);      /* nothing more was done */
}

TEST(current_and_maximum_reservation)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    domid_t self = DOMID_SELF, one = 1;
    struct vcpu *v = u->vcpus[0];

    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_current_reservation,
                put_guest(v, &self, 2), 0), TEST_RAM_PAGES);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_maximum_reservation,
                put_guest(v, &self, 2), 0), TEST_MAX_PAGES);
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_memory_op, XENMEM_current_reservation,
                put_guest(ctl->vcpus[0], &one, 2), 0), TEST_RAM_PAGES);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_current_reservation, TEST_BAD_GADDR, 0),
             -XEN_EFAULT);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, 63, 0, 0), -XEN_ENOSYS);
}

static long atp(struct vcpu *v, domid_t dom, unsigned int space, uint64_t idx, uint64_t gpfn,
                uint16_t size)
{
    struct xen_add_to_physmap x = { .domid = dom, .size = size, .space = space,
                                    .idx = idx, .gpfn = gpfn };

    return hc(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, put_guest(v, &x, sizeof(x)), 0);
}

TEST(add_to_physmap_shared_info_moves_single_location)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    mfn_t mfn;
    enum mm_kind kind;

    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, GFN, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &mfn, &kind, NULL), 0);
    CHECK_EQ(mfn, d->shared_info_mfn);
    CHECK_EQ(kind, MM_SHARED_INFO);
    CHECK_EQ(mm_shared_info_gfn(d), GFN);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, GFN + 1, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &mfn, NULL, NULL), -XEN_EINVAL);
    CHECK_EQ(mm_shared_info_gfn(d), GFN + 1);
    /* The guest writes through its mapping; the hypervisor sees it. */
    ((unsigned char *)test_guest_ptr(d, (GFN + 1) << 12))[0] = 0x5a;
    CHECK_EQ(((unsigned char *)d->shared_info)[0], 0x5a);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_shared_info, 1, GFN, 0), -XEN_EINVAL);
    CHECK(env_host_log_has("d1: add_to_physmap: shared_info index 1"));
}

/* Moving shared_info to ever new, far-apart gfns must not make the
 * hypervisor allocate p2m nodes without bound. */
TEST(p2m_nodes_a_guest_can_make_us_allocate_are_bounded)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    uint64_t before = env_host_allocs();
    unsigned int i;
    long rc = 0;

    for (i = 0; i < 100000 && !rc; i++)
        rc = atp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, (uint64_t)i << 27, 0);
    CHECK_EQ(rc, -XEN_ENOMEM);
    CHECK(env_host_allocs() - before <= 64 + mm_max_pages(d) / 64);
    CHECK(env_host_log_has("d1: p2m: no node for gfn"));
    /* A gfn under an existing node still works. */
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_shared_info, 0, 0, 0), 0);
}

TEST(add_to_physmap_over_a_foreign_mapping_is_busy)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    mfn_t mfn;

    CHECK_EQ(mm_get_gfn(a, TEST_RAM_GFN, true, &mfn), 0);
    CHECK_EQ(mm_map_foreign(b, GFN, mfn, true), 0);
    mm_put_frame(mfn);
    CHECK_EQ(atp(b->vcpus[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, GFN, 0), -XEN_EBUSY);
    CHECK(env_host_log_has("d2: add_to_physmap: gfn 0x4000 already holds a foreign mapping"));
    CHECK_EQ(atp(b->vcpus[0], DOMID_SELF, XENMAPSPACE_grant_table, 0, GFN, 0), -XEN_EBUSY);
}

TEST(add_to_physmap_over_ram_frees_the_ram)
{
    struct domain *d = test_domain(1, false, 1);

    CHECK_EQ(atp(d->vcpus[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, TEST_RAM_GFN, 0), 0);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES - 1);
}

TEST(add_to_physmap_grant_frames)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    mfn_t mfn, g0;
    enum mm_kind kind;

    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, GFN, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &mfn, &kind, NULL), 0);
    CHECK_EQ(kind, MM_GRANT_FRAME);
    CHECK_EQ(gnttab_frame_mfn(d, 0, &g0), 0);
    CHECK_EQ(mfn, g0);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 3, GFN + 3, 0), 0);
    CHECK(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 4, GFN + 4, 0) < 0);   /* limit 4 */
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, XENMAPIDX_grant_table_status, GFN, 0),
             -XEN_EINVAL);
    CHECK(env_host_log_has("grant status frames need grant v2"));
}

TEST(add_to_physmap_gmfn_and_range_move_pages)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    mfn_t before, after;

    CHECK_EQ(mm_lookup(d, TEST_RAM_GFN + 15, &before, NULL, NULL), 0);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_gmfn, TEST_RAM_GFN + 15, GFN, 0), 0);
    CHECK_EQ(mm_lookup(d, GFN, &after, NULL, NULL), 0);
    CHECK_EQ(before, after);
    CHECK_EQ(mm_lookup(d, TEST_RAM_GFN + 15, &after, NULL, NULL), -XEN_EINVAL);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_gmfn_range, TEST_RAM_GFN + 12, GFN + 10, 2), 0);
    CHECK_EQ(mm_lookup(d, GFN + 11, &after, NULL, NULL), 0);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_gmfn, GFN + 100, GFN + 200, 0), -XEN_EINVAL);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_gmfn_foreign, 0, GFN, 0), -XEN_EINVAL);
    CHECK_EQ(atp(v, DOMID_SELF, 99, 0, GFN, 0), -XEN_EINVAL);
    CHECK(env_host_log_has("d1: add_to_physmap: space 99 not supported"));
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, TEST_BAD_GADDR, 0),
             -XEN_EFAULT);
}

TEST(remove_from_physmap)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    struct xen_remove_from_physmap x = { .domid = DOMID_SELF, .gpfn = TEST_RAM_GFN + 15 };

    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
                put_guest(v, &x, sizeof(x)), 0), 0);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES - 1);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
                put_guest(v, &x, sizeof(x)), 0), -XEN_EINVAL);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap, TEST_BAD_GADDR, 0),
             -XEN_EFAULT);
}

static long batch(struct vcpu *v, domid_t dom, domid_t fdom, uint16_t space,
                  const xen_ulong_t *idxs, const xen_pfn_t *gpfns, uint16_t n, guest_addr_t *errs)
{
    struct xen_add_to_physmap_batch b = { .domid = dom, .space = space, .size = n,
                                          .u.foreign_domid = fdom };

    *errs = test_guest_alloc(v->domain, n * sizeof(int));
    set_xen_guest_handle(b.idxs, (xen_ulong_t *)(uintptr_t)put_guest(v, idxs, n * sizeof(*idxs)));
    set_xen_guest_handle(b.gpfns, (xen_pfn_t *)(uintptr_t)put_guest(v, gpfns, n * sizeof(*gpfns)));
    set_xen_guest_handle(b.errs, (int *)(uintptr_t)*errs);
    return hc(v, __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch, put_guest(v, &b, sizeof(b)), 0);
}

TEST(control_domain_maps_foreign_frames_with_references)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    xen_ulong_t idxs[2] = { TEST_RAM_GFN, 0x9999 };
    xen_pfn_t gpfns[2] = { GFN, GFN + 1 };
    guest_addr_t errs;
    int err[2];
    mfn_t mfn, umfn;
    enum mm_kind kind;

    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn_foreign, idxs, gpfns, 2, &errs), 0);
    get_guest(ctl->vcpus[0], err, errs, sizeof(err));
    CHECK_EQ(err[0], 0);
    CHECK_EQ(err[1], -XEN_EINVAL);
    CHECK_EQ(mm_lookup(ctl, GFN, &mfn, &kind, NULL), 0);
    CHECK_EQ(kind, MM_FOREIGN_PRIV);
    CHECK_EQ(mm_lookup(u, TEST_RAM_GFN, &umfn, NULL, NULL), 0);
    CHECK_EQ(mfn, umfn);
    CHECK_EQ(mm_frame_refs(mfn), 2);
    /* The foreign domain dies: its frame lives on while mapped. */
    domain_kill(u);
    CHECK_EQ(domain_count(), 2);
    CHECK(mm_frame_owner(mfn) == u);
    CHECK_EQ(mm_remove_gfn(ctl, GFN), 0);
    CHECK_EQ(domain_count(), 1);
    domain_kill(ctl);
    CHECK(test_no_leaks());
}

TEST(foreign_batch_errors)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    xen_ulong_t idx = TEST_RAM_GFN;
    xen_pfn_t gpfn = GFN;
    guest_addr_t errs;

    CHECK_EQ(batch(u->vcpus[0], DOMID_SELF, 0, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             -XEN_EPERM);
    CHECK(env_host_log_has("d1: add_to_physmap_batch: may not map d0's memory"));
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 0, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             -XEN_EPERM);
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 5, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             -XEN_ESRCH);
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn, &idx, &gpfn, 1, &errs),
             -XEN_EINVAL);
    /* The control domain may not map d1's memory into another domU (found by
     * the fuzzer): the receiving domain must be privileged, as in Xen. */
    {
        struct domain *u2 = test_domain(2, false, 1);
        int err;
        mfn_t m;

        CHECK_EQ(batch(ctl->vcpus[0], 2, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs), 0);
        get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
        CHECK_EQ(err, -XEN_EPERM);
        CHECK(env_host_log_has("d2: foreign map of d1's gfn 0x100: d2 may not hold it"));
        CHECK_EQ(mm_lookup(u2, gpfn, &m, NULL, NULL), -XEN_EINVAL);
        CHECK_EQ(mm_map_foreign_priv(ctl, GFN, ctl, TEST_RAM_GFN), -XEN_EINVAL);
        CHECK(env_host_log_has("d0: foreign map: d0 is the domain itself"));
    }
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_memory_op, XENMEM_add_to_physmap_batch,
                TEST_BAD_GADDR, 0), -XEN_EFAULT);
}

TEST(gnttab_interface_get_map_unmap)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    mfn_t mfn, seen;
    enum mm_kind kind;
    bool w;

    CHECK_EQ(mm_get_gfn(a, TEST_RAM_GFN, true, &mfn), 0);
    CHECK_EQ(mm_map_foreign(b, GFN, mfn, false), 0);
    CHECK_EQ(mm_frame_refs(mfn), 3);                /* a's map, the getter, b's map */
    CHECK_EQ(mm_lookup(b, GFN, &seen, &kind, &w), 0);
    CHECK_EQ(seen, mfn);
    CHECK_EQ(kind, MM_FOREIGN_GRANT);
    CHECK(!w);
    /* Read-only: the guest's copy-to through it faults. */
    CHECK_EQ(env_copy_to_guest(b->vcpus[0], GFN << 12, "x", 1), -XEN_EFAULT);
    CHECK_EQ(mm_map_foreign(b, GFN, mfn, true), -XEN_EBUSY);
    CHECK_EQ(mm_unmap_foreign(b, GFN), 0);
    CHECK_EQ(mm_unmap_foreign(b, GFN), -XEN_EINVAL);
    CHECK_EQ(mm_unmap_foreign(b, TEST_RAM_GFN), -XEN_EINVAL);   /* RAM is no grant map */
    CHECK_EQ(mm_frame_refs(mfn), 2);
    mm_put_frame(mfn);
    CHECK_EQ(mm_map_foreign(b, GFN, 999999, true), -XEN_EINVAL);
    CHECK_EQ(mm_map_foreign(b, 1ULL << MM_GFN_BITS, mfn, true), -XEN_EINVAL);
    CHECK_EQ(mm_get_gfn(a, GFN, true, &mfn), -XEN_EINVAL);
    CHECK_EQ(mm_get_gfn(a, 1ULL << 40, true, &mfn), -XEN_EINVAL);
}

TEST(get_gfn_refuses_non_ram)
{
    struct domain *a = test_domain(1, false, 1);
    mfn_t mfn;

    CHECK_EQ(mm_add_to_physmap(a, XENMAPSPACE_shared_info, 0, GFN), 0);
    CHECK_EQ(mm_get_gfn(a, GFN, false, &mfn), -XEN_EINVAL);
}

TEST(grant_map_into_dying_domain_refused)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    mfn_t mfn;

    CHECK_EQ(mm_get_gfn(a, TEST_RAM_GFN, true, &mfn), 0);
    domain_ref(b);
    domain_kill(b);
    CHECK_EQ(mm_map_foreign(b, GFN, mfn, true), -XEN_EINVAL);
    domain_put(b);
    mm_put_frame(mfn);
    domain_kill(a);
    CHECK(test_no_leaks());
}

static void count_entry(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind)
{
    unsigned int *n = ctx;

    n[0]++;
    if (gfn == (1ULL << MM_GFN_BITS) - 1 && kind == MM_RAM)
        n[1]++;
}

TEST(mm_walk_visits_every_entry_up_to_the_top_gfn)
{
    struct domain *d = test_domain(1, false, 1);
    unsigned int n[2] = { 0, 0 };

    CHECK_EQ(mm_populate(d, (1ULL << MM_GFN_BITS) - 1, 0), 0);
    mm_walk(d, count_entry, n);
    CHECK_EQ(n[0], TEST_RAM_PAGES + 1);
    CHECK_EQ(n[1], 1);
}

static void note_writable(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind, bool writable)
{
    int *seen = ctx;

    if (gfn == 0x4000)
        *seen = writable ? 2 : 1;
}

TEST(mm_walk_entries_reports_writability)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    int seen = 0;
    mfn_t mfn;

    CHECK_EQ(mm_get_gfn(a, TEST_RAM_GFN, false, &mfn), 0);
    CHECK_EQ(mm_map_foreign(b, 0x4000, mfn, false), 0);
    mm_put_frame(mfn);
    mm_walk_entries(b, note_writable, &seen);
    CHECK_EQ(seen, 1);
}

static void lookup_inside(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind)
{
    mfn_t m;

    mm_lookup(ctx, gfn, &m, NULL, NULL);
}

static void walk_then_lookup(void)
{
    struct domain *d = test_domain(1, false, 1);

    mm_walk(d, lookup_inside, d);
}

TEST(mm_lookup_inside_mm_walk_is_a_lock_recursion)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        close(2);
        walk_then_lookup();
        _exit(0);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status));
}

/* ---- grant-table frames foreign-mapped by the control domain (the
 * toolstack's grant seeding, as libxenguest's HVM compat seed) ---- */

#define SCRATCH (GFN + 0x80)            /* where the builder places the domU's frame */
#define DOM0_VIEW (GFN + 0x100)         /* where dom0 maps it */

/* d's grant frame idx at gfn, then mapped by ctl at DOM0_VIEW; its mfn. */
static mfn_t seed_map(struct domain *ctl, struct domain *d, unsigned int idx, uint64_t gfn)
{
    xen_ulong_t fidx = gfn;
    xen_pfn_t gpfn = DOM0_VIEW;
    guest_addr_t errs;
    int err = 1;
    mfn_t mfn = MFN_INVALID, seen = 0;
    enum mm_kind kind = 0;

    if (atp(ctl->vcpus[0], d->domid, XENMAPSPACE_grant_table, idx, gfn, 0) ||
        batch(ctl->vcpus[0], DOMID_SELF, d->domid, XENMAPSPACE_gmfn_foreign, &fidx, &gpfn, 1,
              &errs))
        return MFN_INVALID;
    get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
    if (err || mm_lookup(ctl, DOM0_VIEW, &seen, &kind, NULL) || kind != MM_FOREIGN_PRIV ||
        gnttab_frame_mfn(d, idx, &mfn) || seen != mfn)
        return MFN_INVALID;
    return mfn;
}

static uint64_t setup_gfn(struct domain *d, unsigned int idx)
{
    struct gnttab_setup_table s = { .dom = DOMID_SELF, .nr_frames = idx + 1 };
    guest_addr_t list = test_guest_alloc(d, (idx + 1) * sizeof(xen_pfn_t));

    gnttab_setup_table(d->vcpus[0], &s, list);
    if (s.status != GNTST_okay)
        return 0;
    return ((xen_pfn_t *)test_guest_ptr(d, list))[idx];
}

TEST(control_domain_foreign_maps_a_grant_frame_both_sides_see_it)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    uint32_t entry[2] = { 0u << 16 | GTF_permit_access, 0x1234 }, seen[2];
    mfn_t mfn = seed_map(ctl, u, 0, SCRATCH);

    CHECK(mfn != MFN_INVALID);
    CHECK_EQ(mm_frame_kind(mfn), MM_GRANT_FRAME);
    CHECK(mm_frame_owner(mfn) == u);
    CHECK_EQ(mm_frame_refs(mfn), 3);                /* the table, u's entry, dom0's map */
    /* dom0 writes ref 1 through its mapping; u and the grant table see it. */
    CHECK_EQ(env_copy_to_guest(ctl->vcpus[0], (DOM0_VIEW << 12) + 8, entry, sizeof(entry)), 0);
    CHECK_EQ(env_copy_from_guest(u->vcpus[0], seen, (SCRATCH << 12) + 8, sizeof(seen)), 0);
    CHECK_EQ(seen[0], entry[0]);
    CHECK_EQ(seen[1], 0x1234);
    CHECK_EQ(((uint32_t *)env_frame_va(mfn))[3], 0x1234);
    /* ... and the other way round: the guest's write reaches dom0. */
    CHECK_EQ(env_copy_to_guest(u->vcpus[0], SCRATCH << 12, "gnt", 4), 0);
    CHECK_EQ(env_copy_from_guest(ctl->vcpus[0], seen, DOM0_VIEW << 12, 4), 0);
    CHECK_EQ(memcmp(seen, "gnt", 4), 0);
    /* The builder's order: unmap, then remove the scratch gfn. */
    CHECK_EQ(mm_remove_gfn(ctl, DOM0_VIEW), 0);
    CHECK_EQ(mm_remove_gfn(u, SCRATCH), 0);
    CHECK_EQ(mm_frame_refs(mfn), 1);                /* the table's own */
    CHECK_EQ(((uint32_t *)env_frame_va(mfn))[3], 0x1234);
    domain_kill(u);
    domain_kill(ctl);
    CHECK(test_no_leaks());
}

/* The domU dies while dom0 maps its grant frame: the domain goes (grant
 * frames do not pin it), the frame stays, ownerless, until dom0 unmaps. */
TEST(grant_frame_outlives_its_dead_domain_until_unmapped)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    mfn_t mfn = seed_map(ctl, u, 1, SCRATCH), other;
    uint32_t word = 0;

    CHECK(mfn != MFN_INVALID);
    CHECK_EQ(env_copy_to_guest(ctl->vcpus[0], DOM0_VIEW << 12, "\x11\x22\x33\x44", 4), 0);
    domain_kill(u);                                 /* still in u's physmap */
    CHECK_EQ(domain_count(), 1);                    /* u is freed */
    CHECK(mm_frame_owner(mfn) == NULL);
    CHECK_EQ(mm_frame_kind(mfn), MM_GRANT_FRAME);
    CHECK_EQ(mm_frame_refs(mfn), 1);                /* dom0's map only */
    /* Not reused while mapped: a new domain's frames come from elsewhere. */
    u = test_domain(1, false, 1);
    CHECK_EQ(gnttab_frame_mfn(u, 0, &other), 0);
    CHECK(other != mfn);
    CHECK_EQ(mm_lookup(u, TEST_RAM_GFN, &other, NULL, NULL), 0);
    CHECK(other != mfn);
    CHECK_EQ(env_copy_from_guest(ctl->vcpus[0], &word, DOM0_VIEW << 12, 4), 0);
    CHECK_EQ(word, 0x44332211u);
    CHECK_EQ(mm_remove_gfn(ctl, DOM0_VIEW), 0);     /* the last reference: freed */
    CHECK_EQ(mm_frame_refs(mfn), 0);
    domain_kill(u);
    domain_kill(ctl);
    CHECK(test_no_leaks());
}

/* The control domain itself dies first: its mapping goes, the table keeps
 * the frame. */
TEST(grant_frame_mapper_dies_first)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    mfn_t mfn = seed_map(ctl, u, 0, SCRATCH);

    CHECK(mfn != MFN_INVALID);
    domain_kill(ctl);
    CHECK_EQ(mm_frame_refs(mfn), 2);                /* the table and u's entry */
    CHECK(mm_frame_owner(mfn) == u);
    domain_kill(u);
    CHECK(test_no_leaks());
}

TEST(grant_frame_foreign_map_refusals)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    struct domain *u2 = test_domain(2, false, 1);
    xen_ulong_t idx = SCRATCH;
    xen_pfn_t gpfn = DOM0_VIEW;
    guest_addr_t errs;
    int err;
    mfn_t m;

    CHECK_EQ(atp(ctl->vcpus[0], 1, XENMAPSPACE_grant_table, 0, SCRATCH, 0), 0);
    /* An unprivileged caller: the whole call is refused. */
    CHECK_EQ(batch(u2->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             -XEN_EPERM);
    CHECK(env_host_log_has("d2: add_to_physmap_batch: may not map d1's memory"));
    CHECK_EQ(mm_lookup(u2, DOM0_VIEW, &m, NULL, NULL), -XEN_EINVAL);
    /* The control domain, into an unprivileged domain: refused per entry. */
    CHECK_EQ(batch(ctl->vcpus[0], 2, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs), 0);
    get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
    CHECK_EQ(err, -XEN_EPERM);
    CHECK(env_host_log_has("d2: foreign map of d1's gfn 0x4080: d2 may not hold it"));
    /* A hole and shared_info are neither RAM nor a grant frame. */
    idx = SCRATCH + 1;
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             0);
    get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
    CHECK_EQ(err, -XEN_EINVAL);
    CHECK(env_host_log_has("d0: foreign map: d1 gfn 0x4081 is neither RAM nor a grant frame"));
    CHECK_EQ(atp(u->vcpus[0], DOMID_SELF, XENMAPSPACE_shared_info, 0, SCRATCH + 2, 0), 0);
    idx = SCRATCH + 2;
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             0);
    get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
    CHECK_EQ(err, -XEN_EINVAL);
    CHECK_EQ(mm_lookup(ctl, DOM0_VIEW, &m, NULL, NULL), -XEN_EINVAL);
    /* Removed from u's physmap: no longer mappable there. */
    CHECK_EQ(mm_remove_gfn(u, SCRATCH), 0);
    idx = SCRATCH;
    CHECK_EQ(batch(ctl->vcpus[0], DOMID_SELF, 1, XENMAPSPACE_gmfn_foreign, &idx, &gpfn, 1, &errs),
             0);
    get_guest(ctl->vcpus[0], &err, errs, sizeof(err));
    CHECK_EQ(err, -XEN_EINVAL);
    /* A grant mapping of the frame (not RAM) is still refused to gnttab. */
    CHECK_EQ(atp(u->vcpus[0], DOMID_SELF, XENMAPSPACE_grant_table, 0, SCRATCH, 0), 0);
    CHECK_EQ(mm_get_gfn(u, SCRATCH, true, &m), -XEN_EINVAL);
}

/* As Xen (the frame's M2P entry is invalidated), setup_table reports a grant
 * frame removed from the physmap as ~0, and a moved one where it now is. */
TEST(setup_table_after_grant_frame_remove_and_move)
{
    struct domain *u = test_domain(1, false, 1);
    struct vcpu *v = u->vcpus[0];
    struct xen_remove_from_physmap x = { .domid = DOMID_SELF, .gpfn = SCRATCH };
    xen_pfn_t g = SCRATCH;
    mfn_t m;

    CHECK_EQ(setup_gfn(u, 0), (uint64_t)~0ULL);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, SCRATCH, 0), 0);
    CHECK_EQ(setup_gfn(u, 0), SCRATCH);
    CHECK_EQ(hc(v, __HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
                put_guest(v, &x, sizeof(x)), 0), 0);
    CHECK_EQ(setup_gfn(u, 0), (uint64_t)~0ULL);
    /* One location: mapping it again elsewhere leaves a hole behind. */
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, SCRATCH, 0), 0);
    CHECK_EQ(atp(v, DOMID_SELF, XENMAPSPACE_grant_table, 0, SCRATCH + 1, 0), 0);
    CHECK_EQ(mm_lookup(u, SCRATCH, &m, NULL, NULL), -XEN_EINVAL);
    CHECK_EQ(setup_gfn(u, 0), SCRATCH + 1);
    CHECK_EQ(gnttab_frame_mfn(u, 0, &m), 0);
    CHECK_EQ(mm_frame_refs(m), 2);                  /* the table and one entry */
    /* Replaced by populated RAM: gone from the physmap too. */
    g = SCRATCH + 1;
    CHECK_EQ(populate(v, DOMID_SELF, &g, 1, 0, XENMEM_populate_physmap), 1);
    CHECK_EQ(setup_gfn(u, 0), (uint64_t)~0ULL);
    CHECK_EQ(mm_frame_refs(m), 1);
    domain_kill(u);
    CHECK(test_no_leaks());
}
