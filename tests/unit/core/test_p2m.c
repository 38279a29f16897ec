/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The p2m-change hook (env_p2m_changed: every change of a domain's
 * guest-physical map is reported, lookups and failed operations are not)
 * and memory_op continuations (Xen's start-extent encoding in cmd).
 */
#include "unit.h"
#include "core_test.h"
#include "errno.h"
#include "gnttab.h"
#include "memory.h"
#include "mm.h"

#define GFN         0x4000
#define EXTENT_SHIFT 6              /* Xen's MEMOP_EXTENT_SHIFT */
#define PREEMPT_PAGES 1024          /* hypercall_memory.c's bound per step */

static guest_addr_t reservation(struct vcpu *v, const xen_pfn_t *gfns, unsigned int n,
                                unsigned int order)
{
    struct xen_memory_reservation r = { .nr_extents = n, .extent_order = order,
                                        .domid = DOMID_SELF };

    set_xen_guest_handle(r.extent_start,
                         (xen_pfn_t *)(uintptr_t)put_guest(v, gfns, n * sizeof(*gfns)));
    return put_guest(v, &r, sizeof(r));
}

static long memop(struct vcpu *v, unsigned int cmd, guest_addr_t arg)
{
    return hc(v, __HYPERVISOR_memory_op, cmd, arg, 0);
}

static long atp(struct vcpu *v, unsigned int space, uint64_t idx, uint64_t gpfn)
{
    struct xen_add_to_physmap x = { .domid = DOMID_SELF, .space = space, .idx = idx,
                                    .gpfn = gpfn };

    return memop(v, XENMEM_add_to_physmap, put_guest(v, &x, sizeof(x)));
}

/* ---- the hook ---- */

TEST(p2m_hook_fires_for_populate_and_decrease_of_each_page)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    xen_pfn_t g = GFN;

    env_host_p2m_clear();
    CHECK_EQ(memop(v, XENMEM_populate_physmap, reservation(v, &g, 1, 2)), 1);
    CHECK_EQ(env_host_p2m_changes(), 1);        /* the extent, once */
    for (unsigned int i = 0; i < 4; i++)
        CHECK(env_host_p2m_changed(1, GFN + i));
    CHECK(!env_host_p2m_changed(1, GFN + 4));
    env_host_p2m_clear();
    CHECK_EQ(memop(v, XENMEM_decrease_reservation, reservation(v, &g, 1, 2)), 1);
    CHECK_EQ(env_host_p2m_changes(), 4);
    CHECK(env_host_p2m_changed(1, GFN + 3));
}

TEST(p2m_hook_is_silent_for_lookups_and_failures)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    domid_t self = DOMID_SELF;
    xen_pfn_t g = GFN + 1;                  /* misaligned for order 1 */
    struct gnttab_query_size q = { .dom = DOMID_SELF };

    env_host_p2m_clear();
    CHECK(memop(v, XENMEM_current_reservation, put_guest(v, &self, sizeof(self))) > 0);
    CHECK(memop(v, XENMEM_maximum_reservation, put_guest(v, &self, sizeof(self))) > 0);
    CHECK_EQ(memop(v, XENMEM_populate_physmap, reservation(v, &g, 1, 1)), 0);
    CHECK_EQ(memop(v, XENMEM_decrease_reservation, reservation(v, &g, 1, 0)), 0);
    CHECK_EQ(memop(v, XENMEM_populate_physmap, TEST_BAD_GADDR), 0);
    CHECK_EQ(atp(v, XENMAPSPACE_shared_info, 1, GFN), -XEN_EINVAL);
    mm_set_max_pages(d, mm_tot_pages(d));   /* over-allocation: nothing mapped */
    g = GFN;
    CHECK_EQ(memop(v, XENMEM_populate_physmap, reservation(v, &g, 1, 0)), 0);
    gnttab_query_size(v, &q);
    CHECK_EQ(q.status, GNTST_okay);
    CHECK_EQ(env_host_p2m_changes(), 0);
    domain_kill(d);
}

TEST(p2m_hook_fires_for_shared_info_and_grant_frames)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];

    env_host_p2m_clear();
    CHECK_EQ(atp(v, XENMAPSPACE_shared_info, 0, GFN), 0);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK_EQ(atp(v, XENMAPSPACE_shared_info, 0, GFN + 1), 0);   /* moves: old gfn goes */
    CHECK_EQ(env_host_p2m_changes(), 3);
    CHECK(env_host_p2m_changed(1, GFN));
    CHECK(env_host_p2m_changed(1, GFN + 1));
    env_host_p2m_clear();
    CHECK_EQ(atp(v, XENMAPSPACE_grant_table, 0, GFN + 8), 0);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK(env_host_p2m_changed(1, GFN + 8));
    env_host_p2m_clear();
    CHECK_EQ(atp(v, XENMAPSPACE_gmfn, TEST_RAM_GFN, GFN + 9), 0);  /* a move: two entries */
    CHECK(env_host_p2m_changed(1, TEST_RAM_GFN));
    CHECK(env_host_p2m_changed(1, GFN + 9));
}

TEST(p2m_hook_fires_for_foreign_map_and_remove)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    struct vcpu *v = ctl->vcpus[0];
    xen_ulong_t idx = TEST_RAM_GFN;
    xen_pfn_t gpfn = GFN;
    struct xen_add_to_physmap_batch b = { .domid = DOMID_SELF, .space = XENMAPSPACE_gmfn_foreign,
                                          .size = 1, .u.foreign_domid = 1 };
    struct xen_remove_from_physmap r = { .domid = DOMID_SELF, .gpfn = GFN };

    set_xen_guest_handle(b.idxs, (xen_ulong_t *)(uintptr_t)put_guest(v, &idx, sizeof(idx)));
    set_xen_guest_handle(b.gpfns, (xen_pfn_t *)(uintptr_t)put_guest(v, &gpfn, sizeof(gpfn)));
    set_xen_guest_handle(b.errs, (int *)(uintptr_t)test_guest_alloc(ctl, sizeof(int)));
    env_host_p2m_clear();
    CHECK_EQ(memop(v, XENMEM_add_to_physmap_batch, put_guest(v, &b, sizeof(b))), 0);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK(env_host_p2m_changed(0, GFN));
    CHECK(!env_host_p2m_changed(1, TEST_RAM_GFN));      /* the source's map is unchanged */
    CHECK_EQ(memop(v, XENMEM_remove_from_physmap, put_guest(v, &r, sizeof(r))), 0);
    CHECK_EQ(env_host_p2m_changes(), 2);
    CHECK_EQ(memop(v, XENMEM_remove_from_physmap, put_guest(v, &r, sizeof(r))), -XEN_EINVAL);
    CHECK_EQ(env_host_p2m_changes(), 2);                /* nothing was there */
    /* The control domain's decrease on a domU reports the domU's change. */
    {
        xen_pfn_t g = TEST_RAM_GFN + 2;
        struct xen_memory_reservation res = { .nr_extents = 1, .domid = 1 };

        set_xen_guest_handle(res.extent_start,
                             (xen_pfn_t *)(uintptr_t)put_guest(v, &g, sizeof(g)));
        CHECK_EQ(memop(v, XENMEM_decrease_reservation, put_guest(v, &res, sizeof(res))), 1);
        CHECK(env_host_p2m_changed(1, TEST_RAM_GFN + 2));
    }
    domain_kill(u);
    domain_kill(ctl);
    CHECK(test_no_leaks());
}

TEST(p2m_hook_fires_for_grant_map_and_unmap_but_not_copy)
{
    struct domain *d1 = test_domain(1, false, 1), *d2 = test_domain(2, false, 1);
    struct gnttab_map_grant_ref m = { .host_addr = (uint64_t)GFN << 12, .flags = GNTMAP_host_map,
                                      .ref = 1, .dom = 1 };
    struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)GFN << 12 };
    struct gnttab_copy c = { .len = 8, .flags = GNTCOPY_source_gref };
    struct grant_entry_v1 *e;
    mfn_t mfn;

    CHECK_EQ(gnttab_frame_mfn(d1, 0, &mfn), 0);
    e = (struct grant_entry_v1 *)env_frame_va(mfn) + 1;
    e->domid = 2;
    e->frame = TEST_RAM_GFN;
    e->flags = GTF_permit_access;
    env_host_p2m_clear();
    c.source.domid = 1;
    c.source.u.ref = 1;
    c.dest.domid = DOMID_SELF;
    c.dest.u.gmfn = TEST_RAM_GFN + 1;
    gnttab_copy(d2->vcpus[0], &c);
    CHECK_EQ(c.status, GNTST_okay);
    CHECK_EQ(env_host_p2m_changes(), 0);
    gnttab_map(d2->vcpus[0], &m);
    CHECK_EQ(m.status, GNTST_okay);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK(env_host_p2m_changed(2, GFN));
    u.handle = m.handle;
    gnttab_unmap(d2->vcpus[0], &u);
    CHECK_EQ(u.status, GNTST_okay);
    CHECK_EQ(env_host_p2m_changes(), 2);
    domain_kill(d1);
    domain_kill(d2);
}

TEST(p2m_hook_reports_the_whole_map_when_a_domain_dies)
{
    struct domain *d = test_domain(1, false, 1);

    env_host_p2m_clear();
    domain_kill(d);
    CHECK_EQ(env_host_p2m_changes(), 1);
    CHECK(env_host_p2m_changed(1, 0));
    CHECK(env_host_p2m_changed(1, (1ULL << MM_GFN_BITS) - 1));
    CHECK(test_no_leaks());
}

/* ---- continuations ---- */

/* Run a memory_op the way the hypervisor does: re-execute it with the
 * argument the continuation names until it finishes; the steps taken and
 * the most pages one step added. */
static long to_the_end(struct vcpu *v, unsigned int cmd, guest_addr_t arg,
                       unsigned int *steps, uint64_t *most)
{
    uint64_t a[HYPERCALL_NR_ARGS] = { cmd, arg };
    unsigned int which;
    uint64_t val;
    long rc;

    *steps = 0;
    *most = 0;
    for (;;) {
        uint64_t before = mm_tot_pages(v->domain);
        uint64_t after;

        rc = hypercall_dispatch(v, __HYPERVISOR_memory_op, a);
        after = mm_tot_pages(v->domain);
        if (after > before && after - before > *most)
            *most = after - before;
        if (!env_host_continuation(&which, &val))
            return rc;
        CHECK_EQ(which, 0);
        CHECK_EQ(val & ((1u << EXTENT_SHIFT) - 1), cmd);
        a[which] = val;
        ++*steps;
    }
}

static xen_pfn_t many[3000];

static struct domain *big_domain(void)
{
    struct domain *d = test_domain(1, false, 1);

    mm_set_max_pages(d, 8192);
    for (unsigned int i = 0; i < 3000; i++)
        many[i] = GFN + i;
    return d;
}

TEST(populate_of_many_extents_continues_in_bounded_steps)
{
    struct domain *d = big_domain();
    struct vcpu *v = d->vcpus[0];
    uint64_t before = mm_tot_pages(d), most;
    unsigned int steps;

    CHECK_EQ(to_the_end(v, XENMEM_populate_physmap, reservation(v, many, 3000, 0), &steps,
                        &most), 3000);
    CHECK_EQ(steps, 2);                 /* 1024 + 1024 + 952 */
    CHECK(most <= PREEMPT_PAGES);
    CHECK_EQ(mm_tot_pages(d), before + 3000);
    CHECK_EQ(to_the_end(v, XENMEM_decrease_reservation, reservation(v, many, 3000, 0), &steps,
                        &most), 3000);
    CHECK_EQ(steps, 2);
    CHECK_EQ(mm_tot_pages(d), before);
    domain_kill(d);
    CHECK(test_no_leaks());
}

TEST(continued_populate_gives_what_one_call_gives)
{
    struct domain *d = big_domain();
    struct vcpu *v = d->vcpus[0];
    uint64_t before = mm_tot_pages(d), most;
    unsigned int steps;

    env_host_preempt(false);            /* an environment that cannot re-execute */
    CHECK_EQ(memop(v, XENMEM_populate_physmap, reservation(v, many, 3000, 0)), 3000);
    CHECK_EQ(env_host_continuations(), 0);
    CHECK_EQ(mm_tot_pages(d), before + 3000);
    env_host_preempt(true);
    CHECK_EQ(to_the_end(v, XENMEM_decrease_reservation, reservation(v, many, 3000, 0), &steps,
                        &most), 3000);
    CHECK_EQ(steps, 2);
    domain_kill(d);
}

TEST(continued_populate_stops_at_a_bad_extent_as_xen)
{
    struct domain *d = big_domain();
    struct vcpu *v = d->vcpus[0];
    uint64_t before = mm_tot_pages(d), most;
    unsigned int steps;

    many[2500] = 1ULL << MM_GFN_BITS;   /* beyond the guest-physical space */
    CHECK_EQ(to_the_end(v, XENMEM_populate_physmap, reservation(v, many, 3000, 0), &steps,
                        &most), 2500);  /* the extents done, across the steps */
    CHECK_EQ(steps, 2);
    CHECK_EQ(mm_tot_pages(d), before + 2500);
    CHECK(env_host_log_has("beyond the guest-physical space"));
    domain_kill(d);
    CHECK(test_no_leaks());
}

TEST(continuation_encoding_limits_and_start_past_the_end)
{
    struct domain *d = big_domain();
    struct vcpu *v = d->vcpus[0];
    struct xen_memory_reservation r = { .nr_extents = (0xffffffffULL >> EXTENT_SHIFT) + 1,
                                        .domid = DOMID_SELF };
    uint64_t before = mm_tot_pages(d);
    guest_addr_t small = reservation(v, many, 4, 0);

    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)(uintptr_t)small);
    /* More extents than cmd's high bits can count: Xen answers start. */
    CHECK_EQ(memop(v, XENMEM_populate_physmap, put_guest(v, &r, sizeof(r))), 0);
    CHECK(env_host_log_has("more than a continuation can encode"));
    /* A start at or past nr_extents is the answer, with nothing done. */
    CHECK_EQ(memop(v, XENMEM_populate_physmap | (4u << EXTENT_SHIFT), small), 4);
    CHECK_EQ(memop(v, XENMEM_populate_physmap | (9u << EXTENT_SHIFT), small), 9);
    /* A start inside the list does only the rest. */
    CHECK_EQ(memop(v, XENMEM_populate_physmap | (2u << EXTENT_SHIFT), small), 4);
    CHECK_EQ(mm_tot_pages(d), before + 2);
    CHECK(!env_host_p2m_changed(1, GFN));
    CHECK(env_host_p2m_changed(1, GFN + 3));
    CHECK_EQ(env_host_continuations(), 0);
    domain_kill(d);
}
