/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypercall table and dispatch (access column checked here, once), and
 * the small families: sched_op, vcpu_op, set_timer_op, xen_version, hvm_op,
 * and the entry points of event_channel_op / grant_table_op. Not here:
 * memory_op (hypercall_memory.c), domctl (domctl.c), sysctl (sysctl.c), the
 * operations themselves.
 */
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "evtchn.h"
#include "gnttab.h"
#include "platform_op.h"
#include "hvm/hvm_op.h"
#include "hvm/params.h"
#include "schedule.h"
#include "sched.h"
#include "vcpu.h"
#include "version.h"

typedef long (*hypercall_fn)(struct vcpu *v, const uint64_t *args);

/* Access column + 1, so that 0 marks a number that is no hypercall. */
static const uint8_t hc_access[XEN_HYPERCALL_MAX] = {
#define X(nr, name, access) [nr] = (access) + 1,
    XEN_HYPERCALL_TABLE(X)
#undef X
};

static const char *const hc_name[XEN_HYPERCALL_MAX] = {
#define X(nr, name, access) [nr] = #name,
    XEN_HYPERCALL_TABLE(X)
#undef X
};

struct domain *hypercall_target(struct vcpu *v, domid_t domid, const char *op, int *rc)
{
    struct domain *self = v->domain, *d;

    if (domid == DOMID_SELF || domid == self->domid) {
        domain_ref(self);
        return self;
    }
    /* Xen looks the domain up first, then asks whether the caller may act. */
    d = domain_get(domid);
    if (!d) {
        env_log(LOG_WARN, "d%u: %s: no domain d%u", self->domid, op, domid);
        *rc = -XEN_ESRCH;
        return NULL;
    }
    if (!self->is_privileged) {
        env_log(LOG_WARN, "d%u: %s on d%u: not the control domain", self->domid, op, domid);
        domain_put(d);
        *rc = -XEN_EPERM;
        return NULL;
    }
    return d;
}

/* ---- sched_op ---- */

static long sched_shutdown_op(struct vcpu *v, unsigned int cmd, guest_addr_t arg)
{
    struct sched_shutdown s;

    if (env_copy_from_guest(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (cmd == SCHEDOP_shutdown_code)
        domain_set_shutdown_code(v->domain, (uint8_t)s.reason);
    else
        domain_shutdown(v->domain, (uint8_t)s.reason);
    return 0;
}

static long sched_remote_shutdown_op(struct vcpu *v, guest_addr_t arg)
{
    struct sched_remote_shutdown s;
    struct domain *d;
    int rc = 0;

    if (env_copy_from_guest(v, &s, arg, sizeof(s)))
        return -XEN_EFAULT;
    if (s.domain_id == DOMID_SELF)
        return -XEN_ESRCH;      /* names another domain, never self by alias */
    d = hypercall_target(v, s.domain_id, "SCHEDOP_remote_shutdown", &rc);
    if (!d)
        return rc;
    domain_shutdown(d, (uint8_t)s.reason);
    domain_put(d);
    return 0;
}

#define POLL_MAX_PORTS 128      /* Xen's "fairly arbitrary limit" */

static long sched_poll_op(struct vcpu *v, guest_addr_t arg)
{
    evtchn_port_t ports[POLL_MAX_PORTS];
    struct sched_poll p;

    if (env_copy_from_guest(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    if (p.nr_ports > POLL_MAX_PORTS) {
        env_log(LOG_WARN, "d%u: SCHEDOP_poll: %u ports, more than %u", v->domain->domid,
                p.nr_ports, POLL_MAX_PORTS);
        return -XEN_EINVAL;
    }
    if (env_copy_from_guest(v, ports, GUEST_HANDLE_ADDR(p.ports), p.nr_ports * sizeof(ports[0])))
        return -XEN_EFAULT;
    return vcpu_poll(v, ports, p.nr_ports, p.timeout);
}

static long hc_sched_op(struct vcpu *v, const uint64_t *a)
{
    switch (a[0]) {
    case SCHEDOP_yield:
        schedule_yield(v);
        return 0;
    case SCHEDOP_block:
        schedule_block(v);
        return 0;
    case SCHEDOP_shutdown:
    case SCHEDOP_shutdown_code:
        return sched_shutdown_op(v, (unsigned int)a[0], a[1]);
    case SCHEDOP_remote_shutdown:
        return sched_remote_shutdown_op(v, a[1]);
    case SCHEDOP_poll:
        return sched_poll_op(v, a[1]);
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- vcpu_op ---- */

static long vcpu_register_info_op(struct vcpu *v, struct vcpu *target, guest_addr_t arg)
{
    struct vcpu_register_vcpu_info info;

    if (env_copy_from_guest(v, &info, arg, sizeof(info)))
        return -XEN_EFAULT;
    /* Only on oneself or on a vCPU that is down (Xen's rule). */
    if (target != v && vcpu_is_up(target)) {
        env_log(LOG_WARN, "d%u: VCPUOP_register_vcpu_info: vCPU %u is running",
                v->domain->domid, target->id);
        return -XEN_EINVAL;
    }
    return vcpu_register_info(target, info.mfn, info.offset);
}

static long vcpu_runstate_area_op(struct vcpu *v, struct vcpu *target, guest_addr_t arg)
{
    struct vcpu_register_runstate_memory_area area;

    if (env_copy_from_guest(v, &area, arg, sizeof(area)))
        return -XEN_EFAULT;
    vcpu_register_runstate(target, area.addr.p);
    return 0;
}

static long vcpu_get_runstate_op(struct vcpu *v, struct vcpu *target, guest_addr_t arg)
{
    struct vcpu_runstate_info rs;

    schedule_runstate(target, &rs);
    return env_copy_to_guest(v, arg, &rs, sizeof(rs)) ? -XEN_EFAULT : 0;
}

static long vcpu_singleshot_op(struct vcpu *v, struct vcpu *target, guest_addr_t arg)
{
    struct vcpu_set_singleshot_timer t;

    if (target != v)
        return -XEN_EINVAL;         /* only on oneself, as in Xen */
    if (env_copy_from_guest(v, &t, arg, sizeof(t)))
        return -XEN_EFAULT;
    return vcpu_set_singleshot(v, t.timeout_abs_ns, t.flags & VCPU_SSHOTTMR_future);
}

static long vcpu_periodic_op(struct vcpu *v, struct vcpu *target, guest_addr_t arg)
{
    struct vcpu_set_periodic_timer t;

    if (env_copy_from_guest(v, &t, arg, sizeof(t)))
        return -XEN_EFAULT;
    if (!t.period_ns)
        return -XEN_EINVAL;
    return vcpu_set_periodic(target, t.period_ns);
}

static long hc_vcpu_op(struct vcpu *v, const uint64_t *a)
{
    struct vcpu *target = a[1] < 0xffffffffULL ? domain_vcpu(v->domain, (unsigned int)a[1]) : NULL;

    if (!target)
        return -XEN_ENOENT;
    switch (a[0]) {
    case VCPUOP_up:
        return vcpu_up(target);
    case VCPUOP_down:
        return vcpu_down(target);
    case VCPUOP_is_up:
        return vcpu_is_up(target);
    case VCPUOP_register_vcpu_info:
        return vcpu_register_info_op(v, target, a[2]);
    case VCPUOP_get_runstate_info:
        return vcpu_get_runstate_op(v, target, a[2]);
    case VCPUOP_register_runstate_memory_area:
        return vcpu_runstate_area_op(v, target, a[2]);
    case VCPUOP_set_periodic_timer:
        return vcpu_periodic_op(v, target, a[2]);
    case VCPUOP_stop_periodic_timer:
        return vcpu_set_periodic(target, 0);
    case VCPUOP_set_singleshot_timer:
        return vcpu_singleshot_op(v, target, a[2]);
    case VCPUOP_stop_singleshot_timer:
        if (target != v)
            return -XEN_EINVAL;
        vcpu_stop_singleshot(v);
        return 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- xen_version ---- */

static long copy_string(struct vcpu *v, guest_addr_t arg, const char *s, size_t size)
{
    char buf[1024] = { 0 };

    memcpy(buf, s, strlen(s) + 1);
    return env_copy_to_guest(v, arg, buf, size) ? -XEN_EFAULT : 0;
}

static uint32_t features(struct domain *d)
{
    uint32_t f = 1u << XENFEAT_memory_op_vnode_supported;

    if (d->cdf_flags & XEN_DOMCTL_CDF_hvm)
        f |= (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
             (1u << XENFEAT_hvm_safe_pvclock) | (1u << XENFEAT_hvm_callback_vector) |
             (1u << XENFEAT_linux_rsdp_unrestricted);
    if (d->is_privileged)
        f |= 1u << XENFEAT_dom0;
    return f;
}

static long version_features(struct vcpu *v, guest_addr_t arg)
{
    struct xen_feature_info fi;

    if (env_copy_from_guest(v, &fi, arg, sizeof(fi)))
        return -XEN_EFAULT;
    fi.submap = fi.submap_idx == 0 ? features(v->domain) : 0;
    return env_copy_to_guest(v, arg, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

static long version_compile_info(struct vcpu *v, guest_addr_t arg)
{
    struct xen_compile_info ci = { .compiler = "gcc", .compile_by = "xen-like",
                                   .compile_domain = "xen-like", .compile_date = "" };

    return env_copy_to_guest(v, arg, &ci, sizeof(ci)) ? -XEN_EFAULT : 0;
}

static long hc_xen_version(struct vcpu *v, const uint64_t *a)
{
    struct xen_platform_parameters pp = { .virt_start = 0xffff800000000000ULL };

    switch (a[0]) {
    case XENVER_version:
        return (4 << 16) | 17;
    case XENVER_extraversion:
        return copy_string(v, a[1], ".0-xen-like", sizeof(xen_extraversion_t));
    case XENVER_compile_info:
        return version_compile_info(v, a[1]);
    case XENVER_capabilities:
        return copy_string(v, a[1], "hvm-3.0-x86_64", sizeof(xen_capabilities_info_t));
    case XENVER_changeset:
        return copy_string(v, a[1], "xen-like", sizeof(xen_changeset_info_t));
    case XENVER_platform_parameters:
        return env_copy_to_guest(v, a[1], &pp, sizeof(pp)) ? -XEN_EFAULT : 0;
    case XENVER_get_features:
        return version_features(v, a[1]);
    case XENVER_pagesize:
        return 4096;
    case XENVER_guest_handle:
        return env_copy_to_guest(v, a[1], v->domain->handle, sizeof(xen_domain_handle_t)) ?
               -XEN_EFAULT : 0;
    default:
        return -XEN_ENOSYS;
    }
}

/* ---- hvm_op: parameter storage ---- */

_Static_assert(HVM_NR_PARAMS <= DOMAIN_NR_HVM_PARAMS, "struct domain stores every HVM param");

static bool self_may_not_set(uint32_t index)
{
    return index == HVM_PARAM_VIRIDIAN || index == HVM_PARAM_IOREQ_SERVER_PFN ||
           index == HVM_PARAM_NR_IOREQ_SERVER_PAGES || index == HVM_PARAM_ALTP2M ||
           index == HVM_PARAM_MCA_CAP;
}

static int param_checks(struct vcpu *v, struct domain *d, struct xen_hvm_param *p, bool set)
{
    const char *why = NULL;
    int rc = -XEN_EINVAL;

    if (p->index >= HVM_NR_PARAMS)
        why = "no such parameter";
    else if (!(d->cdf_flags & XEN_DOMCTL_CDF_hvm))
        why = "not an HVM domain";
    else if (set && d == v->domain && self_may_not_set(p->index)) {
        why = "the guest may not set this parameter";
        rc = -XEN_EPERM;
    }
    if (!why)
        return 0;
    env_log(LOG_WARN, "d%u: HVMOP_%s_param %u on d%u: %s", v->domain->domid,
            set ? "set" : "get", p->index, d->domid, why);
    return rc;
}

static long hvm_param_op(struct vcpu *v, guest_addr_t arg, bool set)
{
    struct xen_hvm_param p;
    struct domain *d;
    int rc = 0;

    if (env_copy_from_guest(v, &p, arg, sizeof(p)))
        return -XEN_EFAULT;
    d = hypercall_target(v, p.domid, set ? "HVMOP_set_param" : "HVMOP_get_param", &rc);
    if (!d)
        return rc;
    rc = param_checks(v, d, &p, set);
    if (!rc)
        rc = domain_hvm_param(d, p.index, &p.value, set);
    if (!rc && !set && env_copy_to_guest(v, arg, &p, sizeof(p)))
        rc = -XEN_EFAULT;
    domain_put(d);
    return rc;
}

static long hc_hvm_op(struct vcpu *v, const uint64_t *a)
{
    switch (a[0]) {
    case HVMOP_set_param:
        return hvm_param_op(v, a[1], true);
    case HVMOP_get_param:
        return hvm_param_op(v, a[1], false);
    default:
        return -XEN_ENOSYS;
    }
}

static long hc_set_timer_op(struct vcpu *v, const uint64_t *a)
{
    vcpu_set_timer_op(v, (int64_t)a[0]);
    return 0;
}

/* ---- the ipc families ---- */

static long hc_event_channel_op(struct vcpu *v, const uint64_t *a)
{
    return evtchn_op(v, (unsigned int)a[0], a[1]);
}

static long hc_grant_table_op(struct vcpu *v, const uint64_t *a)
{
    if (a[2] > 0xffffffffULL)
        return -XEN_EINVAL;
    return gnttab_op(v, (unsigned int)a[0], a[1], (unsigned int)a[2]);
}

static const hypercall_fn handlers[XEN_HYPERCALL_MAX] = {
    [__HYPERVISOR_platform_op]      = platform_op,
    [__HYPERVISOR_memory_op]        = hypercall_memory_op,
    [__HYPERVISOR_xen_version]      = hc_xen_version,
    [__HYPERVISOR_set_timer_op]     = hc_set_timer_op,
    [__HYPERVISOR_grant_table_op]   = hc_grant_table_op,
    [__HYPERVISOR_vcpu_op]          = hc_vcpu_op,
    [__HYPERVISOR_sched_op]         = hc_sched_op,
    [__HYPERVISOR_event_channel_op] = hc_event_channel_op,
    [__HYPERVISOR_hvm_op]           = hc_hvm_op,
    [__HYPERVISOR_domctl]           = hypercall_domctl,
    [__HYPERVISOR_sysctl]           = hypercall_sysctl,
};

/* The generic failures get their log line here, once for every family. */
static long logged(struct vcpu *v, unsigned int nr, uint64_t cmd, long rc)
{
    if (rc == -XEN_EFAULT)
        env_log(LOG_WARN, "d%u: hypercall %s cmd %llu: bad guest address", v->domain->domid,
                hc_name[nr], (unsigned long long)cmd);
    else if (rc == -XEN_ENOSYS)
        env_log(LOG_DEBUG, "d%u: hypercall %s cmd %llu: not implemented", v->domain->domid,
                hc_name[nr], (unsigned long long)cmd);
    return rc;
}

long hypercall_dispatch(struct vcpu *v, unsigned int nr, const uint64_t args[HYPERCALL_NR_ARGS])
{
    struct domain *d = v->domain;
    unsigned int access;

    if (nr >= XEN_HYPERCALL_MAX || !hc_access[nr]) {
        env_log(LOG_DEBUG, "d%u: hypercall %u: no such hypercall", d->domid, nr);
        return -XEN_ENOSYS;
    }
    access = hc_access[nr] - 1;
    if (access == HC_PV && (d->cdf_flags & XEN_DOMCTL_CDF_hvm)) {
        env_log(LOG_WARN, "d%u: hypercall %s: PV only", d->domid, hc_name[nr]);
        return -XEN_ENOSYS;
    }
    if (access == HC_CTRL && !d->is_privileged) {
        env_log(LOG_WARN, "d%u: hypercall %s: not the control domain", d->domid, hc_name[nr]);
        return -XEN_EPERM;
    }
    if (!handlers[nr]) {
        env_log(LOG_DEBUG, "d%u: hypercall %s: not implemented", d->domid, hc_name[nr]);
        return -XEN_ENOSYS;
    }
    return logged(v, nr, args[0], handlers[nr](v, args));
}
