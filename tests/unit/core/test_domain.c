/* SPDX-License-Identifier: GPL-2.0-only */
/* Domains: creation checks, the domid table, references, pause, shutdown, kill. */
#include "unit.h"
#include "env_host.h"
#include "errno.h"
#include "domctl.h"
#include "sched.h"
#include "mm.h"
#include "schedule.h"

static struct xen_domctl_createdomain good_cfg(void)
{
    return (struct xen_domctl_createdomain){
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = 2, .max_evtchn_port = 63, .max_grant_frames = -1,
        .max_maptrack_frames = -1, .grant_opts = 1,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };
}

static int create(domid_t id, struct xen_domctl_createdomain cfg)
{
    struct domain *d;
    int rc = domain_create(id, &cfg, false, &d);

    if (!rc)
        domain_put(d);
    return rc;
}

TEST(domain_create_get_put_kill_frees_everything)
{
    struct domain *d, *g;
    struct xen_domctl_createdomain cfg = good_cfg();

    CHECK_EQ(domain_create(5, &cfg, false, &d), 0);
    CHECK_EQ(d->refcnt, 3);                 /* table + ours + its shared_info frame */
    CHECK_EQ(d->max_grant_frames, DOMAIN_DEFAULT_GNT_FRAMES);
    CHECK_EQ(d->max_maptrack_frames, DOMAIN_DEFAULT_MAPTRACK);
    CHECK(d->shared_info != NULL);
    CHECK(d->vcpus[0]->vcpu_info == &d->shared_info->vcpu_info[0]);
    CHECK(d->vcpus[1]->vcpu_info == &d->shared_info->vcpu_info[1]);
    g = domain_get(5);
    CHECK(g == d);
    CHECK_EQ(d->refcnt, 4);
    domain_put(g);
    domain_put(d);
    CHECK(domain_get(6) == NULL);
    CHECK_EQ(domain_kill(d), 0);
    CHECK(test_no_leaks());
    CHECK(domain_get_any(5) == NULL);
}

TEST(domain_create_rejects_bad_configs_like_xen)
{
    struct xen_domctl_createdomain c;

    c = good_cfg(); c.flags |= 1u << 20;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    CHECK(env_host_log_has("d1: createdomain: unknown CDF flags"));
    c = good_cfg(); c.max_vcpus = 0;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.max_vcpus = DOMAIN_MAX_VCPUS + 1;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.flags = XEN_DOMCTL_CDF_hap; c.arch.emulation_flags = 0;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    CHECK(env_host_log_has("HAP requested for a non-HVM guest"));
    c = good_cfg(); c.flags |= XEN_DOMCTL_CDF_iommu;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.grant_opts = 2;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.grant_opts = 0x11;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.max_grant_frames = 65;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.max_maptrack_frames = 1025;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.cpupool_id = 3;
    CHECK_EQ(create(1, c), -XEN_ESRCH);
    CHECK(env_host_log_has("d1: createdomain: no cpupool 3"));
    c = good_cfg(); c.vmtrace_size = 4096;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.arch.emulation_flags = XEN_X86_EMU_LAPIC | XEN_X86_EMU_HPET;
    CHECK_EQ(create(1, c), -XEN_EOPNOTSUPP);
    CHECK(env_host_log_has("d1: createdomain: emulator selection"));
    c = good_cfg(); c.arch.emulation_flags = 1u << 30;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    c = good_cfg(); c.flags = 0; c.arch.emulation_flags = XEN_X86_EMU_LAPIC;
    CHECK_EQ(create(1, c), -XEN_EOPNOTSUPP);
    c = good_cfg(); c.arch.misc_flags = 2;
    CHECK_EQ(create(1, c), -XEN_EINVAL);
    CHECK_EQ(create(DOMID_FIRST_RESERVED, good_cfg()), -XEN_EINVAL);
    CHECK(test_no_leaks());
}

TEST(domain_create_accepts_pv_hvm_and_full_emulation)
{
    struct xen_domctl_createdomain c = good_cfg();

    c.flags = 0; c.arch.emulation_flags = 0;
    CHECK_EQ(create(1, c), 0);
    c = good_cfg(); c.arch.emulation_flags = XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI;
    CHECK_EQ(create(2, c), 0);
    CHECK_EQ(create(2, c), -XEN_EEXIST);
    CHECK_EQ(domain_count(), 2);
}

TEST(domain_create_failure_unwinds_without_leaks)
{
    struct xen_domctl_createdomain c = good_cfg();

    for (long n = 0; n < 40; n++) {
        struct domain *d;
        int rc;

        env_host_fail_alloc_after(n);
        rc = domain_create(3, &c, false, &d);
        env_host_fail_alloc_after(-1);
        if (rc == 0) {
            domain_put(d);
            domain_kill(d);
        } else {
            CHECK_EQ(rc, -XEN_ENOMEM);
        }
        CHECK(test_no_leaks());
    }
    env_host_fail_frame_after(0);
    CHECK_EQ(create(3, c), -XEN_ENOMEM);
    env_host_fail_frame_after(-1);
    CHECK(test_no_leaks());
}

TEST(domid_allocation_skips_used_and_wraps)
{
    domid_t id;

    CHECK_EQ(domain_alloc_domid(&id), 0);
    CHECK_EQ(id, 1);
    CHECK_EQ(create(2, good_cfg()), 0);
    CHECK_EQ(domain_alloc_domid(&id), 0);
    CHECK_EQ(id, 3);
}

TEST(dying_domain_stays_until_last_reference)
{
    struct domain *d = test_domain(7, false, 1), *held;

    held = domain_get(7);
    CHECK_EQ(domain_kill(d), 0);
    CHECK(d->is_dying);
    CHECK(domain_get(7) == NULL);           /* live lookups skip it */
    CHECK(domain_get_any(7) == d);          /* control lookups see it */
    domain_put(d);
    CHECK_EQ(domain_kill(d), 0);            /* again: no-op, as in Xen */
    CHECK_EQ(domain_count(), 1);
    domain_put(held);
    CHECK(test_no_leaks());
}

TEST(frame_reference_keeps_dying_owner_alive)
{
    struct domain *d = test_domain(4, false, 1);
    mfn_t mfn;

    CHECK_EQ(mm_get_gfn(d, TEST_RAM_GFN, true, &mfn), 0);
    domain_kill(d);
    CHECK_EQ(domain_count(), 1);
    CHECK(mm_frame_owner(mfn) == d);
    mm_put_frame(mfn);
    CHECK(test_no_leaks());
}

TEST(controller_pause_counts_and_limits)
{
    struct domain *d = test_domain(3, false, 1);

    CHECK(!domain_is_paused(d));
    CHECK(vcpu_may_run(d->vcpus[0]));
    CHECK_EQ(domain_unpause_by_controller(d), -XEN_EINVAL);
    CHECK(env_host_log_has("d3: unpausedomain: not paused"));
    CHECK_EQ(domain_pause_by_controller(d), 0);
    CHECK_EQ(domain_pause_by_controller(d), 0);
    CHECK(domain_is_paused(d));
    CHECK(!vcpu_may_run(d->vcpus[0]));
    CHECK_EQ(domain_unpause_by_controller(d), 0);
    CHECK(!vcpu_may_run(d->vcpus[0]));
    CHECK_EQ(domain_unpause_by_controller(d), 0);
    CHECK(vcpu_may_run(d->vcpus[0]));
    for (int i = 0; i < DOMAIN_MAX_CONTROLLER_PAUSE; i++)
        CHECK_EQ(domain_pause_by_controller(d), 0);
    CHECK_EQ(domain_pause_by_controller(d), -XEN_EOVERFLOW);
}

TEST(new_domain_is_paused_until_first_unpause)
{
    struct xen_domctl_createdomain c = good_cfg();
    struct domain *d;

    CHECK_EQ(domain_create(9, &c, false, &d), 0);
    CHECK(domain_is_paused(d));
    CHECK(!d->creation_finished);
    CHECK_EQ(domain_unpause_by_controller(d), 0);
    CHECK(d->creation_finished);
    domain_put(d);
}

TEST(internal_pause_nests_with_controller_pause)
{
    struct domain *d = test_domain(3, false, 1);

    domain_pause(d);
    CHECK(!vcpu_may_run(d->vcpus[0]));
    CHECK(!domain_is_paused(d));            /* not a toolstack pause */
    domain_unpause(d);
    CHECK(vcpu_may_run(d->vcpus[0]));
    vcpu_pause(d->vcpus[0]);
    CHECK(!vcpu_may_run(d->vcpus[0]));
    vcpu_unpause(d->vcpus[0]);
    CHECK(vcpu_may_run(d->vcpus[0]));
}

TEST(shutdown_keeps_first_reason_and_stops_vcpus)
{
    struct domain *d = test_domain(3, false, 2);

    domain_shutdown(d, SHUTDOWN_crash);
    CHECK(d->is_shutting_down);
    CHECK_EQ(d->shutdown_code, SHUTDOWN_crash);
    CHECK(!vcpu_may_run(d->vcpus[0]));
    domain_shutdown(d, SHUTDOWN_reboot);
    CHECK_EQ(d->shutdown_code, SHUTDOWN_crash);
    CHECK(env_host_log_has("d3: shutdown, reason 3"));
}

TEST(max_vcpus_only_confirms_creation_value)
{
    struct domain *d = test_domain(3, false, 2);

    CHECK_EQ(domain_set_max_vcpus(d, 2), 0);
    CHECK_EQ(domain_set_max_vcpus(d, 3), -XEN_EINVAL);
    CHECK(env_host_log_has("d3: max_vcpus"));
    CHECK(domain_vcpu(d, 2) == NULL);
    CHECK(domain_vcpu(d, 1) == d->vcpus[1]);
}

TEST(get_next_walks_the_table_in_domid_order)
{
    struct domain *a = test_domain(2, false, 1), *b = test_domain(9, false, 1), *n;

    n = domain_get_next(0);
    CHECK(n == a);
    domain_put(n);
    n = domain_get_next(3);
    CHECK(n == b);
    domain_put(n);
    CHECK(domain_get_next(10) == NULL);
}
