/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host env's own guarantees the other tests rely on (lock-order checking,
 * guest-memory faults, leak accounting), and cross-subsystem behaviour:
 * VIRQ_DOM_EXC on death and shutdown, PV hypercalls from a PV domain.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "core_test.h"
#include "domctl.h"
#include "errno.h"
#include "evtchn.h"
#include "gnttab.h"
#include "mm.h"
#include "sched.h"

/* Run fn in a child; true if it aborted (SIGABRT). */
static bool aborts(void (*fn)(void))
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        close(2);               /* keep the expected message out of the log */
        fn();
        _exit(0);
    }
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static struct env_lock lo = ENV_LOCK_INIT(10, "lo"), hi = ENV_LOCK_INIT(20, "hi"),
                       peer = ENV_LOCK_INIT(20, "peer");

static void inversion(void) { env_lock(&hi); env_lock(&lo); }
static void recursion(void) { env_lock(&lo); env_lock(&lo); }
static void stray_unlock(void) { env_unlock(&hi); }
static void good_order(void)
{
    env_lock(&lo); env_lock(&hi); env_lock(&peer);
    env_unlock(&hi); env_unlock(&peer); env_unlock(&lo);
}

TEST(env_lock_checker_catches_inversion_recursion_and_stray_unlock)
{
    CHECK(aborts(inversion));
    CHECK(aborts(recursion));
    CHECK(aborts(stray_unlock));
    CHECK(!aborts(good_order));
    good_order();
    CHECK_EQ(env_host_locks_held(), 0);
}

TEST(env_guest_copy_faults_on_any_unmapped_byte)
{
    struct domain *d = test_domain(1, false, 1);
    guest_addr_t last = ((guest_addr_t)(TEST_RAM_GFN + TEST_RAM_PAGES) << 12) - 4;
    char buf[8] = "abcdefg";

    CHECK_EQ(env_copy_to_guest(d->vcpus[0], last, buf, 4), 0);
    CHECK_EQ(env_copy_to_guest(d->vcpus[0], last, buf, 5), -XEN_EFAULT);
    CHECK_EQ(env_copy_from_guest(d->vcpus[0], buf, last, 8), -XEN_EFAULT);
    CHECK_EQ(env_copy_from_guest(d->vcpus[0], buf, ~0ULL - 2, 8), -XEN_EFAULT);
    CHECK_EQ(env_copy_from_guest(d->vcpus[0], buf, last - 4, 8), 0);
}

TEST(env_leak_accounting_sees_a_leak)
{
    void *p = env_zalloc(16);

    CHECK(!test_no_leaks());
    env_free(p);
    CHECK(test_no_leaks());
}

static evtchn_port_t bind_dom_exc(struct domain *ctl)
{
    struct evtchn_bind_virq b = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

    CHECK_EQ(evtchn_bind_virq(ctl->vcpus[0], &b), 0);
    return b.port;
}

static bool port_pending(struct domain *d, evtchn_port_t p)
{
    return (d->shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

TEST(death_and_shutdown_raise_virq_dom_exc_in_dom0)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    evtchn_port_t p = bind_dom_exc(ctl);

    CHECK(!port_pending(ctl, p));
    domain_shutdown(u, SHUTDOWN_reboot);
    CHECK(port_pending(ctl, p));
    ctl->shared_info->evtchn_pending[p / 64] = 0;
    domain_kill(u);
    CHECK(port_pending(ctl, p));
}

TEST(pv_domain_reaches_pv_hypercalls_that_are_not_there)
{
    struct xen_domctl_createdomain cfg = { .max_vcpus = 1, .grant_opts = 1,
                                           .max_grant_frames = 1, .max_maptrack_frames = 1 };
    struct domain *pv;

    CHECK_EQ(domain_create(3, &cfg, false, &pv), 0);
    CHECK_EQ(hc(pv->vcpus[0], __HYPERVISOR_mmu_update, 0, 0, 0), -XEN_ENOSYS);
    CHECK(!env_host_log_has("PV only"));
    domain_put(pv);
}

TEST(hypercall_target_skips_dying_domains)
{
    struct domain *ctl = test_domain(0, true, 1), *u = test_domain(1, false, 1);
    domid_t one = 1;
    mfn_t mfn;

    CHECK_EQ(mm_get_gfn(u, TEST_RAM_GFN, false, &mfn), 0);     /* keeps u around */
    domain_kill(u);
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_memory_op, 3 /* current_reservation */,
                put_guest(ctl->vcpus[0], &one, sizeof(one)), 0), -XEN_ESRCH);
    mm_put_frame(mfn);
}

/* Whole-system path: a granter dies while its page is grant-mapped; the
 * mapper's unmap drops the last reference and frees it (lock order checked). */
TEST(granted_page_outlives_its_dead_owner_until_unmapped)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    struct gnttab_map_grant_ref map = { .host_addr = 0x4000ULL << 12, .flags = GNTMAP_host_map,
                                        .ref = 8, .dom = 1 };
    struct gnttab_unmap_grant_ref unmap = { .host_addr = 0x4000ULL << 12 };
    struct grant_entry_v1 *gt;
    guest_addr_t ma, ua;
    mfn_t frame, seen;

    CHECK_EQ(gnttab_frame_mfn(a, 0, &frame), 0);
    gt = env_frame_va(frame);
    gt[8] = (struct grant_entry_v1){ .flags = GTF_permit_access, .domid = 2,
                                     .frame = TEST_RAM_GFN + 3 };
    ma = put_guest(b->vcpus[0], &map, sizeof(map));
    CHECK_EQ(hc(b->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ma, 1), 0);
    get_guest(b->vcpus[0], &map, ma, sizeof(map));
    CHECK_EQ(map.status, GNTST_okay);
    CHECK_EQ(mm_lookup(b, 0x4000, &seen, NULL, NULL), 0);
    CHECK(mm_frame_owner(seen) == a);
    domain_kill(a);
    CHECK_EQ(domain_count(), 2);                    /* a lives on, dying */
    CHECK(mm_frame_owner(seen) == a);
    unmap.handle = map.handle;
    ua = put_guest(b->vcpus[0], &unmap, sizeof(unmap));
    CHECK_EQ(hc(b->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_unmap_grant_ref, ua, 1), 0);
    get_guest(b->vcpus[0], &unmap, ua, sizeof(unmap));
    CHECK_EQ(unmap.status, GNTST_okay);
    CHECK_EQ(domain_count(), 1);                    /* the last reference went */
    CHECK_EQ(env_host_locks_held(), 0);
    domain_kill(b);
    CHECK(test_no_leaks());
}

/* And the other way round: the mapper dies holding the mapping. */
TEST(dead_mapper_releases_its_grant_mapping)
{
    struct domain *a = test_domain(1, false, 1), *b = test_domain(2, false, 1);
    struct gnttab_map_grant_ref map = { .host_addr = 0x4000ULL << 12, .flags = GNTMAP_host_map,
                                        .ref = 9, .dom = 1 };
    struct grant_entry_v1 *gt;
    guest_addr_t ma;
    mfn_t frame, page;

    CHECK_EQ(gnttab_frame_mfn(a, 0, &frame), 0);
    gt = env_frame_va(frame);
    gt[9] = (struct grant_entry_v1){ .flags = GTF_permit_access, .domid = 2,
                                     .frame = TEST_RAM_GFN + 4 };
    ma = put_guest(b->vcpus[0], &map, sizeof(map));
    CHECK_EQ(hc(b->vcpus[0], __HYPERVISOR_grant_table_op, GNTTABOP_map_grant_ref, ma, 1), 0);
    CHECK_EQ(mm_lookup(a, TEST_RAM_GFN + 4, &page, NULL, NULL), 0);
    CHECK(mm_frame_refs(page) > 1);
    domain_kill(b);
    CHECK_EQ(domain_count(), 1);
    CHECK_EQ(mm_frame_refs(page), 1);               /* back to a's own mapping */
    CHECK_EQ(gt[9].flags & (GTF_reading | GTF_writing), 0);
    domain_kill(a);
    CHECK(test_no_leaks());
}
