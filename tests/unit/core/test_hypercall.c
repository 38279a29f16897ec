/* SPDX-License-Identifier: GPL-2.0-only */
/* Dispatch (access column), sched_op, vcpu_op, xen_version, hvm_op params. */
#include "unit.h"
#include "core_test.h"
#include "domctl.h"
#include "errno.h"
#include "hvm/hvm_op.h"
#include "hvm/params.h"
#include "evtchn.h"
#include "mm.h"
#include "sched.h"
#include "schedule.h"
#include "vcpu.h"
#include "version.h"

TEST(dispatch_unknown_numbers_are_enosys)
{
    struct domain *d = test_domain(1, false, 1);

    CHECK_EQ(hc(d->vcpus[0], 11, 0, 0, 0), -XEN_ENOSYS);       /* a hole in the table */
    CHECK_EQ(hc(d->vcpus[0], 64, 0, 0, 0), -XEN_ENOSYS);
    CHECK_EQ(hc(d->vcpus[0], 0xffffffff, 0, 0, 0), -XEN_ENOSYS);
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_xenpmu_op, 0, 0, 0), -XEN_ENOSYS);
    CHECK(env_host_log_has("d1: hypercall xenpmu_op: not implemented"));
    CHECK(env_host_log_has("d1: hypercall 64: no such hypercall"));
}

TEST(dispatch_ctrl_hypercalls_need_the_control_domain)
{
    struct domain *d = test_domain(1, false, 1), *ctl = test_domain(0, true, 1);

    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_domctl, 0, 0, 0), -XEN_EPERM);
    CHECK(env_host_log_has("d1: hypercall domctl: not the control domain"));
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_sysctl, 0, 0, 0), -XEN_EPERM);
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_platform_op, 0, 0, 0), -XEN_EPERM);
    /* The control domain passes the check and reaches the handler. */
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_domctl, TEST_BAD_GADDR, 0, 0), -XEN_EFAULT);
}

TEST(dispatch_pv_hypercalls_refused_for_hvm)
{
    struct domain *d = test_domain(1, false, 1);

    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_mmu_update, 0, 0, 0), -XEN_ENOSYS);
    CHECK(env_host_log_has("d1: hypercall mmu_update: PV only"));
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_iret, 0, 0, 0), -XEN_ENOSYS);
}

TEST(xen_version_answers)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    guest_addr_t buf = test_guest_alloc(d, 1024);
    struct xen_feature_info fi = { .submap_idx = 0 };
    guest_addr_t fa = put_guest(v, &fi, sizeof(fi));

    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_version, 0, 0), 0x40011);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_extraversion, buf, 0), 0);
    CHECK_STR((char *)test_guest_ptr(d, buf), ".0-xen-like");
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_capabilities, buf, 0), 0);
    CHECK_STR((char *)test_guest_ptr(d, buf), "hvm-3.0-x86_64");
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_get_features, fa, 0), 0);
    get_guest(v, &fi, fa, sizeof(fi));
    CHECK(fi.submap & (1u << XENFEAT_auto_translated_physmap));
    CHECK(fi.submap & (1u << XENFEAT_hvm_callback_vector));
    CHECK(!(fi.submap & (1u << XENFEAT_dom0)));
    fi.submap_idx = 1;
    fa = put_guest(v, &fi, sizeof(fi));
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_get_features, fa, 0), 0);
    get_guest(v, &fi, fa, sizeof(fi));
    CHECK_EQ(fi.submap, 0);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_extraversion, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    CHECK(env_host_log_has("d1: hypercall xen_version cmd 1: bad guest address"));
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_get_features, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_compile_info, buf, 0), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_changeset, buf, 0), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_platform_parameters, buf, 0), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, 99, buf, 0), -XEN_ENOSYS);
}

TEST(xen_version_dom0_feature_and_handle)
{
    struct domain *ctl = test_domain(0, true, 1);
    struct vcpu *v = ctl->vcpus[0];
    struct xen_feature_info fi = { .submap_idx = 0 };
    guest_addr_t fa = put_guest(v, &fi, sizeof(fi)), h = test_guest_alloc(ctl, 16);

    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_get_features, fa, 0), 0);
    get_guest(v, &fi, fa, sizeof(fi));
    CHECK(fi.submap & (1u << XENFEAT_dom0));
    ctl->handle[3] = 0x77;
    CHECK_EQ(hc(v, __HYPERVISOR_xen_version, XENVER_guest_handle, h, 0), 0);
    CHECK_EQ(((unsigned char *)test_guest_ptr(ctl, h))[3], 0x77);
}

TEST(sched_op_shutdown_and_shutdown_code)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    struct sched_shutdown s = { .reason = SHUTDOWN_suspend };
    struct sched_shutdown p = { .reason = SHUTDOWN_poweroff };

    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, put_guest(v, &s, sizeof(s)), 0), 0);
    CHECK(!d->is_shutting_down);
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, put_guest(v, &p, sizeof(p)), 0), 0);
    CHECK(d->is_shutting_down);
    CHECK_EQ(d->shutdown_code, SHUTDOWN_suspend);       /* the earlier code wins */
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_shutdown, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, 99, 0, 0), -XEN_ENOSYS);
}

TEST(sched_op_remote_shutdown_needs_privilege)
{
    struct domain *ctl = test_domain(0, true, 1), *d = test_domain(1, false, 1);
    struct sched_remote_shutdown r = { .domain_id = 0, .reason = SHUTDOWN_crash };

    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                put_guest(d->vcpus[0], &r, sizeof(r)), 0), -XEN_EPERM);
    CHECK(!ctl->is_shutting_down);
    r.domain_id = 1;
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                put_guest(ctl->vcpus[0], &r, sizeof(r)), 0), 0);
    CHECK(d->is_shutting_down);
    CHECK_EQ(d->shutdown_code, SHUTDOWN_crash);
    r.domain_id = 42;
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                put_guest(ctl->vcpus[0], &r, sizeof(r)), 0), -XEN_ESRCH);
    r.domain_id = DOMID_SELF;
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                put_guest(ctl->vcpus[0], &r, sizeof(r)), 0), -XEN_ESRCH);
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
                TEST_BAD_GADDR, 0), -XEN_EFAULT);
}

TEST(sched_op_block_yield_and_wake_by_event)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    uint64_t slice;

    CHECK(schedule_next(0, 0, &slice) == v);
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
    CHECK(schedule_next(0, 1000, &slice) == v);     /* alone: yields to itself */
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    CHECK(schedule_vcpu_blocked(v));
    CHECK(schedule_next(0, 2000, &slice) == NULL);
    env_vcpu_kick(v);                               /* an event arrives */
    CHECK(!schedule_vcpu_blocked(v));
    CHECK(schedule_next(0, 3000, &slice) == v);
}

TEST(sched_op_block_with_pending_event_returns_at_once)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];

    v->vcpu_info->evtchn_upcall_mask = 1;
    v->vcpu_info->evtchn_upcall_pending = 1;
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0), 0);
    CHECK(!schedule_vcpu_blocked(v));
    CHECK_EQ(v->vcpu_info->evtchn_upcall_mask, 0);  /* block enables events */
}

TEST(vcpu_op_up_down_is_up)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu *v = d->vcpus[0];

    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), 1);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), -XEN_EINVAL);
    CHECK(env_host_log_has("d1: VCPUOP_up: vCPU 1 has no context"));
    d->vcpus[1]->is_initialised = true;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1, 0), 1);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_down, 1, 0), 0);
    CHECK(!d->is_shutting_down);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 7, 0), -XEN_ENOENT);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_is_up, 1ULL << 40, 0), -XEN_ENOENT);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, 99, 0, 0), -XEN_ENOSYS);
    /* The last vCPU going down powers the domain off. */
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_down, 0, 0), 0);
    CHECK(d->is_shutting_down);
    CHECK_EQ(d->shutdown_code, SHUTDOWN_poweroff);
}

TEST(vcpu_op_register_vcpu_info)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu *v = d->vcpus[0];
    struct vcpu_register_vcpu_info r = { .mfn = TEST_RAM_GFN + 15, .offset = 64 };
    struct vcpu_info *vi;

    d->shared_info->vcpu_info[0].arch.cr2 = 0x1234;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
                put_guest(v, &r, sizeof(r))), 0);
    vi = test_guest_ptr(d, ((TEST_RAM_GFN + 15) << 12) + 64);
    CHECK(v->vcpu_info == vi);
    CHECK_EQ(vi->arch.cr2, 0x1234);                 /* old contents carried over */
    CHECK_EQ(vi->evtchn_upcall_pending, 1);
    CHECK(env_host_kicks(v) > 0);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
                put_guest(v, &r, sizeof(r))), -XEN_EINVAL);
    CHECK(env_host_log_has("already registered"));
    r.offset = 4096 - 56;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1,
                put_guest(v, &r, sizeof(r))), -XEN_EINVAL);
    r.offset = 4;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1,
                put_guest(v, &r, sizeof(r))), -XEN_EINVAL);
    CHECK(env_host_log_has("misaligned vcpu_info"));
    r.offset = 0; r.mfn = 0x9999;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1,
                put_guest(v, &r, sizeof(r))), -XEN_EINVAL);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1, TEST_BAD_GADDR),
             -XEN_EFAULT);
    /* The page stays referenced after the guest unmaps it, until death. */
    CHECK_EQ(mm_remove_gfn(d, TEST_RAM_GFN + 15), 0);
    CHECK_EQ(mm_tot_pages(d), TEST_RAM_PAGES);
    domain_kill(d);
    CHECK(test_no_leaks());
}

TEST(vcpu_op_register_on_running_other_vcpu_refused)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu_register_vcpu_info r = { .mfn = TEST_RAM_GFN + 15, .offset = 0 };

    d->vcpus[1]->is_initialised = d->vcpus[1]->is_up = true;
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 1,
                put_guest(d->vcpus[0], &r, sizeof(r))), -XEN_EINVAL);
    CHECK(env_host_log_has("vCPU 1 is running"));
}

static long param(struct vcpu *v, unsigned int op, domid_t dom, uint32_t idx, uint64_t *val)
{
    struct xen_hvm_param p = { .domid = dom, .index = idx, .value = *val };
    guest_addr_t a = put_guest(v, &p, sizeof(p));
    long rc = hc(v, __HYPERVISOR_hvm_op, op, a, 0);

    get_guest(v, &p, a, sizeof(p));
    *val = p.value;
    return rc;
}

TEST(hvm_params_store_and_rules)
{
    struct domain *ctl = test_domain(0, true, 1), *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0], *c = ctl->vcpus[0];
    uint64_t val = 0x11;

    CHECK_EQ(param(c, HVMOP_set_param, 1, HVM_PARAM_STORE_PFN, &val), 0);
    val = 0;
    CHECK_EQ(param(v, HVMOP_get_param, DOMID_SELF, HVM_PARAM_STORE_PFN, &val), 0);
    CHECK_EQ(val, 0x11);
    val = 5;
    CHECK_EQ(param(v, HVMOP_set_param, DOMID_SELF, HVM_PARAM_CALLBACK_IRQ, &val), 0);
    CHECK_EQ(d->hvm_params[HVM_PARAM_CALLBACK_IRQ], 5);
    CHECK_EQ(param(v, HVMOP_set_param, DOMID_SELF, HVM_PARAM_VIRIDIAN, &val), -XEN_EPERM);
    CHECK(env_host_log_has("d1: HVMOP_set_param 9 on d1: the guest may not set"));
    CHECK_EQ(param(c, HVMOP_set_param, 1, HVM_PARAM_VIRIDIAN, &val), 0);
    CHECK_EQ(param(v, HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &val), -XEN_EINVAL);
    CHECK_EQ(param(v, HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, &val), -XEN_EPERM);
    CHECK_EQ(param(c, HVMOP_get_param, 33, HVM_PARAM_STORE_PFN, &val), -XEN_ESRCH);
    CHECK_EQ(hc(v, __HYPERVISOR_hvm_op, HVMOP_get_param, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    CHECK_EQ(hc(v, __HYPERVISOR_hvm_op, 77, 0, 0), -XEN_ENOSYS);
}

TEST(hvm_params_refused_for_pv_domain)
{
    struct domain *ctl = test_domain(0, true, 1);
    struct xen_domctl_createdomain cfg = { .max_vcpus = 1, .grant_opts = 1,
                                           .max_grant_frames = 1, .max_maptrack_frames = 1 };
    struct domain *pv;
    uint64_t val = 1;

    CHECK_EQ(domain_create(3, &cfg, false, &pv), 0);
    domain_put(pv);
    CHECK_EQ(param(ctl->vcpus[0], HVMOP_set_param, 3, HVM_PARAM_STORE_PFN, &val), -XEN_EINVAL);
    CHECK(env_host_log_has("not an HVM domain"));
}

TEST(event_channel_and_grant_families_reach_ipc_code)
{
    struct domain *d = test_domain(1, false, 1);

    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_event_channel_op, 0, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    CHECK_EQ(hc(d->vcpus[0], __HYPERVISOR_grant_table_op, 0, 0, 1ULL << 33), -XEN_EINVAL);
}

TEST(vcpu_op_runstate_info_and_area)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu *v = d->vcpus[0];
    struct vcpu_runstate_info rs;
    struct vcpu_register_runstate_memory_area area;
    guest_addr_t out = test_guest_alloc(d, sizeof(rs)), shared = test_guest_alloc(d, sizeof(rs));
    uint64_t slice;

    env_host_set_now(1000);
    CHECK(schedule_next(0, 1000, &slice) == v);
    env_host_set_now(5000);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, out), 0);
    get_guest(v, &rs, out, sizeof(rs));
    CHECK_EQ(rs.state, RUNSTATE_running);
    CHECK_EQ(rs.time[RUNSTATE_running], 4000);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 1, out), 0);
    get_guest(v, &rs, out, sizeof(rs));
    CHECK_EQ(rs.state, RUNSTATE_offline);          /* vCPU 1 is down */
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0, TEST_BAD_GADDR),
             -XEN_EFAULT);
    area.addr.p = shared;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                put_guest(v, &area, sizeof(area))), 0);
    get_guest(v, &rs, shared, sizeof(rs));         /* written at once */
    CHECK_EQ(rs.time[RUNSTATE_running], 4000);
    env_host_set_now(9000);
    vcpu_runstate_to_guest(v);                     /* what the arch does on switch-in */
    get_guest(v, &rs, shared, sizeof(rs));
    CHECK_EQ(rs.time[RUNSTATE_running], 8000);
    area.addr.p = TEST_BAD_GADDR;                  /* accepted; copies fail quietly, as Xen */
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                put_guest(v, &area, sizeof(area))), 0);
    vcpu_runstate_to_guest(v);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
                TEST_BAD_GADDR), -XEN_EFAULT);
}

static bool timer_virq_pending(struct domain *d, evtchn_port_t p)
{
    return (d->shared_info->evtchn_pending[p / 64] >> (p % 64)) & 1;
}

static void clear_port(struct domain *d, evtchn_port_t p)
{
    d->shared_info->evtchn_pending[p / 64] &= ~(1ULL << (p % 64));
}

TEST(vcpu_timers_singleshot_periodic_and_set_timer_op)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu *v = d->vcpus[0];
    struct evtchn_bind_virq b = { .virq = VIRQ_TIMER, .vcpu = 0 };
    struct vcpu_set_singleshot_timer ss = { .timeout_abs_ns = 5000, .flags = VCPU_SSHOTTMR_future };
    struct vcpu_set_periodic_timer per = { .period_ns = 2000000 };

    CHECK_EQ(evtchn_bind_virq(v, &b), 0);
    env_host_set_now(1000);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                put_guest(v, &ss, sizeof(ss))), 0);
    CHECK_EQ(vcpu_timer_next(v), 5000);
    vcpu_timer_run(v, 4999);
    CHECK(!timer_virq_pending(d, b.port));
    vcpu_timer_run(v, 5000);
    CHECK(timer_virq_pending(d, b.port));
    CHECK_EQ(vcpu_timer_next(v), 0);
    clear_port(d, b.port);
    /* A deadline in the past with "future" is refused. */
    env_host_set_now(10000);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0,
                put_guest(v, &ss, sizeof(ss))), -XEN_ETIME);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 1,
                put_guest(v, &ss, sizeof(ss))), -XEN_EINVAL);       /* not oneself */
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_stop_singleshot_timer, 1, 0), -XEN_EINVAL);
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, TEST_BAD_GADDR),
             -XEN_EFAULT);
    /* Periodic: at least 1 ms; the first period is due at once, as Xen's. */
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0,
                put_guest(v, &per, sizeof(per))), 0);
    vcpu_timer_run(v, 2000000);
    CHECK(timer_virq_pending(d, b.port));
    clear_port(d, b.port);
    CHECK_EQ(vcpu_timer_next(v), 4000000);
    vcpu_timer_run(v, 3999999);
    CHECK(!timer_virq_pending(d, b.port));
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_stop_periodic_timer, 0, 0), 0);
    CHECK_EQ(vcpu_timer_next(v), 0);
    per.period_ns = 999999;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0,
                put_guest(v, &per, sizeof(per))), -XEN_EINVAL);
    CHECK(env_host_log_has("d1: VCPUOP_set_periodic_timer: vCPU 0: period 999999 ns out of range"));
    per.period_ns = 1ULL << 63;
    CHECK_EQ(hc(v, __HYPERVISOR_vcpu_op, VCPUOP_set_periodic_timer, 0,
                put_guest(v, &per, sizeof(per))), -XEN_EINVAL);
    /* set_timer_op: 0 stops; a wrapped deadline becomes now + 100 ms. */
    CHECK_EQ(hc(v, __HYPERVISOR_set_timer_op, 20000, 0, 0), 0);
    CHECK_EQ(vcpu_timer_next(v), 20000);
    CHECK_EQ(hc(v, __HYPERVISOR_set_timer_op, 0, 0, 0), 0);
    CHECK_EQ(vcpu_timer_next(v), 0);
    CHECK_EQ(hc(v, __HYPERVISOR_set_timer_op, (uint64_t)-5, 0, 0), 0);
    CHECK_EQ(vcpu_timer_next(v), 10000 + 100000000);
    CHECK_EQ(hc(v, __HYPERVISOR_set_timer_op, 10000 + (1ULL << 51), 0, 0), 0);
    CHECK_EQ(vcpu_timer_next(v), 10000 + 100000000);
}

static long poll(struct vcpu *v, const evtchn_port_t *ports, unsigned int n, uint64_t timeout)
{
    struct sched_poll p = { .nr_ports = n, .timeout = timeout };

    set_xen_guest_handle(p.ports, (evtchn_port_t *)(uintptr_t)put_guest(v, ports, n * 4));
    return hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, put_guest(v, &p, sizeof(p)), 0);
}

TEST(sched_op_poll_blocks_until_the_masked_port_is_raised)
{
    struct domain *d = test_domain(1, false, 2);
    struct vcpu *v = d->vcpus[0];
    struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
    evtchn_port_t port;

    CHECK_EQ(evtchn_alloc_unbound(v, &au), 0);
    bi.remote_port = au.port;
    CHECK_EQ(evtchn_bind_interdomain(v, &bi), 0);   /* a loop-back pair */
    port = au.port;
    d->shared_info->evtchn_mask[0] |= 1ULL << port;  /* polled ports are masked */
    /* Binding raised the new port (as Xen does): the guest handles that first. */
    d->shared_info->evtchn_pending[0] = 0;
    v->vcpu_info->evtchn_upcall_pending = 0;
    CHECK_EQ(poll(v, &port, 1, 0), 0);
    CHECK(schedule_vcpu_blocked(v));
    CHECK(v->polling);
    CHECK_EQ(evtchn_send(d, bi.local_port), 0);      /* raises port: wakes the poller */
    CHECK(!schedule_vcpu_blocked(v));
    CHECK(!v->polling);
    /* Already pending: no sleep. */
    CHECK_EQ(poll(v, &port, 1, 0), 0);
    CHECK(!schedule_vcpu_blocked(v));
}

TEST(sched_op_poll_timeout_and_errors)
{
    struct domain *d = test_domain(1, false, 1);
    struct vcpu *v = d->vcpus[0];
    evtchn_port_t ports[2] = { 5, 6 }, bad = 5000;
    struct sched_poll p = { .nr_ports = 129 };

    CHECK_EQ(poll(v, ports, 2, 7000), 0);
    CHECK(schedule_vcpu_blocked(v));
    CHECK_EQ(vcpu_timer_next(v), 7000);
    vcpu_timer_run(v, 6999);
    CHECK(schedule_vcpu_blocked(v));
    vcpu_timer_run(v, 7000);                         /* timed out */
    CHECK(!schedule_vcpu_blocked(v));
    CHECK_EQ(vcpu_timer_next(v), 0);
    CHECK_EQ(poll(v, &bad, 1, 0), -XEN_EINVAL);
    CHECK(!schedule_vcpu_blocked(v));
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, put_guest(v, &p, sizeof(p)), 0),
             -XEN_EINVAL);
    CHECK(env_host_log_has("d1: SCHEDOP_poll: 129 ports, more than 128"));
    p.nr_ports = 2;
    set_xen_guest_handle(p.ports, (evtchn_port_t *)(uintptr_t)TEST_BAD_GADDR);
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, put_guest(v, &p, sizeof(p)), 0),
             -XEN_EFAULT);
    CHECK_EQ(hc(v, __HYPERVISOR_sched_op, SCHEDOP_poll, TEST_BAD_GADDR, 0), -XEN_EFAULT);
    /* An upcall waiting to be delivered returns at once. */
    v->vcpu_info->evtchn_upcall_pending = 1;
    v->vcpu_info->evtchn_upcall_mask = 0;
    CHECK_EQ(poll(v, ports, 1, 0), 0);
    CHECK(!schedule_vcpu_blocked(v));
}
