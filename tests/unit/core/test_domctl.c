/* SPDX-License-Identifier: GPL-2.0-only */
/* domctl: every implemented operation through the hypercall, with its errors. */
#include "unit.h"
#include "core_test.h"
#include "domctl.h"
#include "errno.h"
#include "mm.h"
#include "sched.h"
#include "schedule.h"
#include "sysctl.h"
#include "sysctl_host.h"

static struct domain *ctl;

static long domctl(struct xen_domctl *op)
{
    struct vcpu *v = ctl->vcpus[0];
    guest_addr_t a = put_guest(v, op, sizeof(*op));
    long rc = hc(v, __HYPERVISOR_domctl, a, 0, 0);

    get_guest(v, op, a, sizeof(*op));
    return rc;
}

static struct xen_domctl op_for(uint32_t cmd, domid_t dom)
{
    return (struct xen_domctl){ .cmd = cmd, .interface_version = XEN_DOMCTL_INTERFACE_VERSION,
                                .domain = dom };
}

static domid_t create(domid_t want)
{
    struct xen_domctl op = op_for(XEN_DOMCTL_createdomain, want);

    op.u.createdomain = (struct xen_domctl_createdomain){
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, .max_vcpus = 2,
        .max_evtchn_port = 127, .max_grant_frames = 2, .max_maptrack_frames = 2,
        .grant_opts = 1, .arch.emulation_flags = XEN_X86_EMU_LAPIC, .handle = { 9, 8, 7 },
    };
    if (domctl(&op))
        return DOMID_INVALID;
    return op.domain;
}

static void setup(void)
{
    ctl = test_domain(0, true, 1);
}

TEST(domctl_interface_version_and_bad_pointer)
{
    struct xen_domctl op = op_for(XEN_DOMCTL_getdomaininfo, 0);

    setup();
    op.interface_version = 0x14;
    CHECK_EQ(domctl(&op), -XEN_EACCES);
    CHECK(env_host_log_has("interface version mismatch"));
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_domctl, TEST_BAD_GADDR, 0, 0), -XEN_EFAULT);
}

TEST(domctl_createdomain_allocates_or_uses_domid)
{
    struct xen_domctl op;

    setup();
    CHECK_EQ(create(0), 1);
    CHECK_EQ(create(0), 2);
    CHECK_EQ(create(40), 40);
    CHECK_EQ(create(40), DOMID_INVALID);            /* taken: -EEXIST */
    op = op_for(XEN_DOMCTL_createdomain, 41);
    op.u.createdomain.max_vcpus = 0;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    CHECK(env_host_log_has("d41: createdomain: max_vcpus out of range"));
}

TEST(domctl_getdomaininfo_reports_state)
{
    struct xen_domctl op;
    struct domain *d;

    setup();
    CHECK_EQ(create(5), 5);
    d = domain_get(5);
    mm_set_max_pages(d, 100);
    CHECK_EQ(mm_populate(d, 0x10, 1), 0);
    domain_put(d);
    op = op_for(XEN_DOMCTL_getdomaininfo, 3);       /* the next one from 3 is 5 */
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(op.domain, 5);
    CHECK_EQ(op.u.getdomaininfo.domain, 5);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_paused);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_hvm_guest);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_hap);
    CHECK(!(op.u.getdomaininfo.flags & XEN_DOMINF_dying));
    CHECK_EQ(op.u.getdomaininfo.tot_pages, 2);
    CHECK_EQ(op.u.getdomaininfo.max_pages, 100);
    CHECK_EQ(op.u.getdomaininfo.max_vcpu_id, 1);
    CHECK_EQ(op.u.getdomaininfo.handle[0], 9);
    CHECK_EQ(op.u.getdomaininfo.arch_config.emulation_flags, XEN_X86_EMU_LAPIC);
    op = op_for(XEN_DOMCTL_getdomaininfo, 6);
    CHECK_EQ(domctl(&op), -XEN_ESRCH);
    op = op_for(XEN_DOMCTL_getdomaininfo, DOMID_SELF);
    CHECK_EQ(domctl(&op), -XEN_ESRCH);
}

TEST(domctl_pause_unpause_destroy)
{
    struct xen_domctl op;

    setup();
    CHECK_EQ(create(5), 5);
    op = op_for(XEN_DOMCTL_unpausedomain, 5);
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(domctl(&op), -XEN_EINVAL);             /* not paused any more */
    op = op_for(XEN_DOMCTL_pausedomain, 5);
    CHECK_EQ(domctl(&op), 0);
    op = op_for(XEN_DOMCTL_pausedomain, 0);
    CHECK_EQ(domctl(&op), -XEN_EINVAL);             /* not on oneself */
    CHECK(env_host_log_has("d0: domctl 3 on d0: not on the calling domain"));
    op = op_for(XEN_DOMCTL_pausedomain, 77);
    CHECK_EQ(domctl(&op), -XEN_ESRCH);
    op = op_for(XEN_DOMCTL_destroydomain, 5);
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(domain_count(), 1);                    /* nothing held it: freed */
    CHECK_EQ(domctl(&op), -XEN_ESRCH);
    op = op_for(XEN_DOMCTL_destroydomain, 0);
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    op = op_for(XEN_DOMCTL_unpausedomain, 0);      /* Xen allows it on oneself */
    CHECK_EQ(domctl(&op), -XEN_EINVAL);             /* ... and it is not paused */
    CHECK(env_host_log_has("d0: unpausedomain: not paused by the controller"));
}

TEST(domctl_dying_domain_visible_until_freed)
{
    struct xen_domctl op;
    struct domain *d;
    mfn_t mfn;

    setup();
    CHECK_EQ(create(5), 5);
    d = domain_get(5);
    mm_set_max_pages(d, 10);
    CHECK_EQ(mm_populate(d, 0x10, 0), 0);
    CHECK_EQ(mm_get_gfn(d, 0x10, true, &mfn), 0);  /* someone maps its page */
    domain_put(d);
    op = op_for(XEN_DOMCTL_destroydomain, 5);
    CHECK_EQ(domctl(&op), 0);
    op = op_for(XEN_DOMCTL_getdomaininfo, 5);
    CHECK_EQ(domctl(&op), 0);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_dying);
    op = op_for(XEN_DOMCTL_pausedomain, 5);
    CHECK_EQ(domctl(&op), 0);                       /* harmless on a dying domain, as Xen */
    op = op_for(XEN_DOMCTL_destroydomain, 5);
    CHECK_EQ(domctl(&op), 0);                       /* again: fine */
    mm_put_frame(mfn);
    op = op_for(XEN_DOMCTL_getdomaininfo, 5);
    CHECK_EQ(domctl(&op), -XEN_ESRCH);
}

TEST(domctl_shutdown_shows_in_info)
{
    struct xen_domctl op;
    struct domain *d;

    setup();
    CHECK_EQ(create(5), 5);
    d = domain_get(5);
    domain_shutdown(d, 4);
    domain_put(d);
    op = op_for(XEN_DOMCTL_getdomaininfo, 5);
    CHECK_EQ(domctl(&op), 0);
    CHECK(op.u.getdomaininfo.flags & XEN_DOMINF_shutdown);
    CHECK_EQ((op.u.getdomaininfo.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask, 4);
}

TEST(domctl_resumedomain_undoes_shutdown)
{
    struct xen_domctl op;
    struct domain *d;

    setup();
    CHECK_EQ(create(5), 5);
    d = domain_get(5);
    d->vcpus[0]->is_initialised = d->vcpus[0]->is_up = true;
    domain_unpause_by_controller(d);
    CHECK(vcpu_may_run(d->vcpus[0]));
    domain_shutdown(d, SHUTDOWN_suspend);
    CHECK(!vcpu_may_run(d->vcpus[0]));
    op = op_for(XEN_DOMCTL_resumedomain, 5);
    CHECK_EQ(domctl(&op), 0);
    CHECK(!d->is_shutting_down);
    CHECK(vcpu_may_run(d->vcpus[0]));
    CHECK_EQ(domctl(&op), 0);                       /* not shut down: no-op */
    CHECK(vcpu_may_run(d->vcpus[0]));
    domain_shutdown(d, SHUTDOWN_crash);             /* a new reason is taken */
    CHECK_EQ(d->shutdown_code, SHUTDOWN_crash);
    op = op_for(XEN_DOMCTL_resumedomain, 0);
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    domain_put(d);
}

TEST(domctl_max_mem_in_kib)
{
    struct xen_domctl op;
    struct domain *d;

    setup();
    CHECK_EQ(create(5), 5);
    op = op_for(XEN_DOMCTL_max_mem, 5);
    op.u.max_mem.max_memkb = 8192 + 3;
    CHECK_EQ(domctl(&op), 0);
    d = domain_get(5);
    CHECK_EQ(mm_max_pages(d), 2048);
    op.u.max_mem.max_memkb = ~0ULL;
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(mm_max_pages(d), 0xffffffffULL);
    domain_put(d);
}

TEST(domctl_vcpucontext_set_get_reset)
{
    struct vcpu *v;
    struct xen_domctl op;
    struct vcpu_guest_context c = { .flags = VGCF_online };
    struct domain *d;
    guest_addr_t ga;

    setup();
    v = ctl->vcpus[0];
    CHECK_EQ(create(5), 5);
    d = domain_get(5);
    c.user_regs.rip = 0x100000;
    op = op_for(XEN_DOMCTL_setvcpucontext, 5);
    op.u.vcpucontext.vcpu = 1;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, (vcpu_guest_context_t *)(uintptr_t)
                         put_guest(v, &c, sizeof(c)));
    CHECK_EQ(domctl(&op), 0);
    CHECK(d->vcpus[1]->is_initialised);
    CHECK(d->vcpus[1]->is_up);
    memset(&c, 0, sizeof(c));
    ga = put_guest(v, &c, sizeof(c));
    op = op_for(XEN_DOMCTL_getvcpucontext, 5);
    op.u.vcpucontext.vcpu = 1;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, (vcpu_guest_context_t *)(uintptr_t)ga);
    CHECK_EQ(domctl(&op), 0);
    get_guest(v, &c, ga, sizeof(c));
    CHECK_EQ(c.user_regs.rip, 0x100000);
    CHECK(c.flags & VGCF_online);
    op.u.vcpucontext.vcpu = 2;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    CHECK(env_host_log_has("no such vCPU"));
    op.u.vcpucontext.vcpu = 1;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, (vcpu_guest_context_t *)(uintptr_t)TEST_BAD_GADDR);
    CHECK_EQ(domctl(&op), -XEN_EFAULT);
    op.cmd = XEN_DOMCTL_setvcpucontext;
    CHECK_EQ(domctl(&op), -XEN_EFAULT);
    set_xen_guest_handle(op.u.vcpucontext.ctxt, NULL);   /* reset */
    CHECK_EQ(domctl(&op), 0);
    CHECK(!d->vcpus[1]->is_initialised);
    CHECK(!d->vcpus[1]->is_up);
    op = op_for(XEN_DOMCTL_setvcpucontext, 0);
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    domain_put(d);
}

TEST(domctl_getvcpuinfo_and_max_vcpus)
{
    struct xen_domctl op;

    setup();
    op = op_for(XEN_DOMCTL_getvcpuinfo, 0);
    op.u.getvcpuinfo.vcpu = 0;
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(op.u.getvcpuinfo.online, 1);
    op.u.getvcpuinfo.vcpu = 4;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    CHECK_EQ(create(5), 5);
    op = op_for(XEN_DOMCTL_max_vcpus, 5);
    op.u.max_vcpus.max = 2;
    CHECK_EQ(domctl(&op), 0);
    op.u.max_vcpus.max = 4;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
}

TEST(domctl_scheduler_op_credit_params)
{
    struct xen_domctl op;

    setup();
    CHECK_EQ(create(5), 5);
    op = op_for(XEN_DOMCTL_scheduler_op, 5);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 256);
    CHECK_EQ(op.u.scheduler_op.u.credit.cap, 0);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_putinfo;
    op.u.scheduler_op.u.credit.weight = 512;
    op.u.scheduler_op.u.credit.cap = 50;
    CHECK_EQ(domctl(&op), 0);
    op.u.scheduler_op.u.credit.weight = 0;         /* 0 and ~0: keep */
    op.u.scheduler_op.u.credit.cap = 0xffff;
    CHECK_EQ(domctl(&op), 0);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    CHECK_EQ(domctl(&op), 0);
    CHECK_EQ(op.u.scheduler_op.u.credit.weight, 512);
    CHECK_EQ(op.u.scheduler_op.u.credit.cap, 50);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getvcpuinfo;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    op.u.scheduler_op.cmd = XEN_DOMCTL_SCHEDOP_getinfo;
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT2;
    CHECK_EQ(domctl(&op), -XEN_EINVAL);
    CHECK(env_host_log_has("scheduler_op for another scheduler"));
}

TEST(domctl_settimeoffset_handle_and_unknown)
{
    struct xen_domctl op;
    struct domain *d;

    setup();
    CHECK_EQ(create(5), 5);
    op = op_for(XEN_DOMCTL_settimeoffset, 5);
    op.u.settimeoffset.time_offset_seconds = -3600;
    CHECK_EQ(domctl(&op), 0);
    op = op_for(XEN_DOMCTL_setdomainhandle, 5);
    op.u.setdomainhandle.handle[15] = 0xee;
    CHECK_EQ(domctl(&op), 0);
    d = domain_get(5);
    CHECK_EQ(d->time_offset_seconds, -3600);
    CHECK_EQ(d->handle[15], 0xee);
    domain_put(d);
    op = op_for(XEN_DOMCTL_shadow_op, 5);
    CHECK_EQ(domctl(&op), -XEN_ENOSYS);
    CHECK(env_host_log_has("operation not implemented"));
}

static long sysctl(struct xen_sysctl *op)
{
    struct vcpu *v = ctl->vcpus[0];
    guest_addr_t a = put_guest(v, op, sizeof(*op));
    long rc = hc(v, __HYPERVISOR_sysctl, a, 0, 0);

    get_guest(v, op, a, sizeof(*op));
    return rc;
}

TEST(sysctl_getdomaininfolist_in_domid_order)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_getdomaininfolist,
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    struct xen_domctl_getdomaininfo info[4];
    guest_addr_t buf;

    setup();
    CHECK_EQ(create(3), 3);
    CHECK_EQ(create(7), 7);
    CHECK_EQ(create(9), 9);
    buf = test_guest_alloc(ctl, sizeof(info));
    op.u.getdomaininfolist.first_domain = 1;
    op.u.getdomaininfolist.max_domains = 2;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, (xen_domctl_getdomaininfo_t *)(uintptr_t)buf);
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 2);
    get_guest(ctl->vcpus[0], info, buf, sizeof(info));
    CHECK_EQ(info[0].domain, 3);
    CHECK_EQ(info[1].domain, 7);
    op.u.getdomaininfolist.first_domain = 0;
    op.u.getdomaininfolist.max_domains = 100;
    /* Room for one entry before unmapped memory: one copied, then -EFAULT. */
    buf = ((guest_addr_t)(TEST_RAM_GFN + TEST_RAM_PAGES) << 12) - sizeof(info[0]);
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, (xen_domctl_getdomaininfo_t *)(uintptr_t)buf);
    CHECK_EQ(sysctl(&op), -XEN_EFAULT);
    CHECK_EQ(op.u.getdomaininfolist.num_domains, 1);
    get_guest(ctl->vcpus[0], info, buf, sizeof(info[0]));
    CHECK_EQ(info[0].domain, 0);
}

TEST(sysctl_sched_id_version_and_unknown)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_sched_id,
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };

    setup();
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.sched_id.sched_id, XEN_SCHEDULER_CREDIT);
    op.cmd = XEN_SYSCTL_readconsole;
    CHECK_EQ(sysctl(&op), -XEN_ENOSYS);
    op.interface_version = 0;
    CHECK_EQ(sysctl(&op), -XEN_EACCES);
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_sysctl, TEST_BAD_GADDR, 0, 0), -XEN_EFAULT);
}

static void fake_physinfo(struct xen_sysctl_physinfo *pi)
{
    pi->nr_cpus = 2;
    pi->total_pages = 131072;
    pi->free_pages = 65536;
}

static const char fake_log[] = "(XEN) hello\n(XEN) world\n";

static uint32_t fake_console(char *buf, uint32_t size, uint32_t *index, bool incremental,
                             bool clear)
{
    uint32_t at = incremental ? *index : 0, left = sizeof(fake_log) - 1 - at;
    uint32_t n = size < left ? size : left;

    memcpy(buf, fake_log + at, n);
    *index = at + n;
    return n;
}

static const struct sysctl_host_ops fake_ops = { fake_physinfo, fake_console };

TEST(sysctl_physinfo_and_readconsole_through_host_ops)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_physinfo,
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    guest_addr_t buf;
    char text[64] = { 0 };

    setup();
    CHECK_EQ(sysctl(&op), -XEN_ENOSYS);             /* nothing registered */
    sysctl_set_host_ops(&fake_ops);
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.physinfo.nr_cpus, 2);
    CHECK_EQ(op.u.physinfo.free_pages, 65536);
    buf = test_guest_alloc(ctl, 64);
    op = (struct xen_sysctl){ .cmd = XEN_SYSCTL_readconsole,
                              .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    op.u.readconsole.count = 12;
    set_xen_guest_handle(op.u.readconsole.buffer, (char *)(uintptr_t)buf);
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.readconsole.count, 12);
    get_guest(ctl->vcpus[0], text, buf, 12);
    CHECK_STR(text, "(XEN) hello\n");
    op.u.readconsole.incremental = 1;                /* index 12 from the last call */
    op.u.readconsole.count = 64;
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.readconsole.count, 12);
    CHECK_EQ(op.u.readconsole.index, 24);
    op.u.readconsole.index = 0;
    set_xen_guest_handle(op.u.readconsole.buffer, (char *)(uintptr_t)TEST_BAD_GADDR);
    CHECK_EQ(sysctl(&op), -XEN_EFAULT);
    sysctl_set_host_ops(NULL);
}

/* A console log longer than readconsole's internal chunk, with a clear. */
static char long_log[10000];
static uint32_t long_log_cons;

static uint32_t long_console(char *buf, uint32_t size, uint32_t *index, bool incremental,
                             bool clear)
{
    uint32_t at = incremental && *index >= long_log_cons ? *index : long_log_cons;
    uint32_t left = sizeof(long_log) - at, n = size < left ? size : left;

    if (n)
        memcpy(buf, long_log + at, n);
    *index = at + n;
    if (clear)
        long_log_cons = sizeof(long_log);
    return n;
}

static const struct sysctl_host_ops long_ops = { fake_physinfo, long_console };

TEST(sysctl_readconsole_reads_past_one_chunk_without_repeating_and_clears)
{
    struct xen_sysctl op = { .cmd = XEN_SYSCTL_readconsole,
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    static char text[sizeof(long_log)];
    guest_addr_t buf;

    setup();
    for (size_t i = 0; i < sizeof(long_log); i++)
        long_log[i] = (char)('a' + i % 23);
    sysctl_set_host_ops(&long_ops);
    buf = test_guest_alloc(ctl, sizeof(long_log));
    op.u.readconsole.count = sizeof(long_log);
    op.u.readconsole.clear = 1;
    set_xen_guest_handle(op.u.readconsole.buffer, (char *)(uintptr_t)buf);
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.readconsole.count, sizeof(long_log));
    CHECK_EQ(op.u.readconsole.index, sizeof(long_log));
    get_guest(ctl->vcpus[0], text, buf, sizeof(long_log));
    CHECK(!memcmp(text, long_log, sizeof(long_log)));
    op.u.readconsole.count = 64;                    /* cleared: nothing left */
    op.u.readconsole.clear = 0;
    CHECK_EQ(sysctl(&op), 0);
    CHECK_EQ(op.u.readconsole.count, 0);
    sysctl_set_host_ops(NULL);
}
