/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The domctl family (control domain only; the dispatch table checks that):
 * copy struct xen_domctl in, check the interface version, call one
 * domain_/vcpu_/mm_/schedule_ function per operation, copy results out.
 * Not here: the operations themselves.
 */
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "mm.h"
#include "schedule.h"

#define PAGE_KB 4

static void domctl_fail(struct vcpu *v, const struct xen_domctl *op, const char *why)
{
    env_log(LOG_WARN, "d%u: domctl %u on d%u: %s", v->domain->domid, op->cmd, op->domain, why);
}

static long createdomain(struct vcpu *v, struct xen_domctl *op)
{
    domid_t id = op->domain;
    struct domain *d;
    int rc;

    if (id == 0 || id >= DOMID_FIRST_RESERVED) {
        if ((rc = domain_alloc_domid(&id)))
            return rc;
    }
    rc = domain_create(id, &op->u.createdomain, false, &d);
    if (rc)
        return rc;
    op->domain = id;
    domain_put(d);
    return 0;
}

/* Xen's getdomaininfo: the first domain whose id is >= the one asked for. */
static long getdomaininfo(struct xen_domctl *op)
{
    struct domain *d = op->domain < DOMID_FIRST_RESERVED ? domain_get_next(op->domain) : NULL;

    if (!d)
        return -XEN_ESRCH;
    domain_getinfo(d, &op->u.getdomaininfo);
    op->domain = d->domid;
    domain_put(d);
    return 0;
}

static struct vcpu *op_vcpu(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    struct vcpu *t = domain_vcpu(d, op->u.vcpucontext.vcpu);

    if (!t)
        domctl_fail(v, op, "no such vCPU");
    return t;
}

static long setvcpucontext(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    guest_addr_t h = GUEST_HANDLE_ADDR(op->u.vcpucontext.ctxt);
    struct vcpu_guest_context *ctx;
    struct vcpu *t = op_vcpu(v, d, op);
    long rc;

    if (!t)
        return -XEN_EINVAL;
    if (!h)
        return vcpu_set_context(t, NULL);
    ctx = env_zalloc(sizeof(*ctx));
    if (!ctx)
        return -XEN_ENOMEM;
    rc = env_copy_from_guest(v, ctx, h, sizeof(*ctx)) ? -XEN_EFAULT : 0;
    if (!rc) {
        domain_pause(d);
        rc = vcpu_set_context(t, ctx);
        domain_unpause(d);
    }
    env_free(ctx);
    return rc;
}

static long getvcpucontext(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    guest_addr_t h = GUEST_HANDLE_ADDR(op->u.vcpucontext.ctxt);
    struct vcpu_guest_context *ctx;
    struct vcpu *t = op_vcpu(v, d, op);
    long rc;

    if (!t)
        return -XEN_EINVAL;
    ctx = env_zalloc(sizeof(*ctx));
    if (!ctx)
        return -XEN_ENOMEM;
    vcpu_get_context(t, ctx);
    rc = env_copy_to_guest(v, h, ctx, sizeof(*ctx)) ? -XEN_EFAULT : 0;
    env_free(ctx);
    return rc;
}

static long getvcpuinfo(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_getvcpuinfo *info = &op->u.getvcpuinfo;
    struct vcpu *t = domain_vcpu(d, info->vcpu);

    if (!t) {
        domctl_fail(v, op, "no such vCPU");
        return -XEN_EINVAL;
    }
    info->online = t->is_up;
    info->blocked = schedule_vcpu_blocked(t);
    info->running = schedule_vcpu_running(t);
    info->cpu_time = t->sched ? t->sched->runtime_ns : 0;
    info->cpu = t->sched ? t->sched->cpu : 0;
    return 0;
}

static long scheduler_op(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    struct xen_domctl_scheduler_op *s = &op->u.scheduler_op;
    unsigned int weight, cap;

    if (s->sched_id != schedule_policy()->id) {
        domctl_fail(v, op, "scheduler_op for another scheduler");
        return -XEN_EINVAL;
    }
    switch (s->cmd) {
    case XEN_DOMCTL_SCHEDOP_putinfo:
        return schedule_set_params(d, s->u.credit.weight, s->u.credit.cap);
    case XEN_DOMCTL_SCHEDOP_getinfo:
        schedule_get_params(d, &weight, &cap);
        s->u.credit.weight = (uint16_t)weight;
        s->u.credit.cap = (uint16_t)cap;
        return 0;
    default:
        domctl_fail(v, op, "no per-vCPU parameters in this scheduler");
        return -XEN_EINVAL;
    }
}

/* Operations Xen refuses on the caller itself (they would pause it), plus
 * destroy: the control domain killing itself mid-hypercall is our refusal. */
static bool self_forbidden(uint32_t cmd)
{
    return cmd == XEN_DOMCTL_destroydomain || cmd == XEN_DOMCTL_pausedomain ||
           cmd == XEN_DOMCTL_setvcpucontext || cmd == XEN_DOMCTL_resumedomain ||
           cmd == XEN_DOMCTL_max_vcpus;
}

static long on_domain(struct vcpu *v, struct domain *d, struct xen_domctl *op)
{
    switch (op->cmd) {
    case XEN_DOMCTL_destroydomain:
        return domain_kill(d);
    case XEN_DOMCTL_pausedomain:
        return domain_pause_by_controller(d);
    case XEN_DOMCTL_unpausedomain:
        return domain_unpause_by_controller(d);
    case XEN_DOMCTL_resumedomain:
        domain_resume(d);
        return 0;
    case XEN_DOMCTL_max_mem: {
        uint64_t pages = op->u.max_mem.max_memkb / PAGE_KB;

        mm_set_max_pages(d, pages > 0xffffffffULL ? 0xffffffffULL : pages);
        return 0;
    }
    case XEN_DOMCTL_setvcpucontext:
        return setvcpucontext(v, d, op);
    case XEN_DOMCTL_getvcpucontext:
        return getvcpucontext(v, d, op);
    case XEN_DOMCTL_getvcpuinfo:
        return getvcpuinfo(v, d, op);
    case XEN_DOMCTL_max_vcpus:
        return domain_set_max_vcpus(d, op->u.max_vcpus.max);
    case XEN_DOMCTL_scheduler_op:
        return scheduler_op(v, d, op);
    case XEN_DOMCTL_setdomainhandle:
        domain_set_handle(d, op->u.setdomainhandle.handle);
        return 0;
    case XEN_DOMCTL_settimeoffset:
        domain_set_time_offset(d, op->u.settimeoffset.time_offset_seconds);
        return 0;
    default:
        domctl_fail(v, op, "operation not implemented");
        return -XEN_ENOSYS;
    }
}

/* Results that go back to the caller's struct. */
static bool copies_back(uint32_t cmd)
{
    return cmd == XEN_DOMCTL_createdomain || cmd == XEN_DOMCTL_getdomaininfo ||
           cmd == XEN_DOMCTL_getvcpuinfo || cmd == XEN_DOMCTL_scheduler_op;
}

static long run_op(struct vcpu *v, struct xen_domctl *op)
{
    struct domain *d;
    long rc;

    if (op->cmd == XEN_DOMCTL_createdomain)
        return createdomain(v, op);
    if (op->cmd == XEN_DOMCTL_getdomaininfo)
        return getdomaininfo(op);
    d = domain_get_any(op->domain);
    if (!d) {
        domctl_fail(v, op, "no such domain");
        return -XEN_ESRCH;
    }
    if (d == v->domain && self_forbidden(op->cmd)) {
        domctl_fail(v, op, "not on the calling domain");
        rc = -XEN_EINVAL;
    } else {
        rc = on_domain(v, d, op);
    }
    domain_put(d);
    return rc;
}

long hypercall_domctl(struct vcpu *v, const uint64_t *a)
{
    struct xen_domctl op;
    long rc;

    if (env_copy_from_guest(v, &op, a[0], sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_DOMCTL_INTERFACE_VERSION) {
        domctl_fail(v, &op, "interface version mismatch");
        return -XEN_EACCES;
    }
    rc = run_op(v, &op);
    if (!rc && copies_back(op.cmd) && env_copy_to_guest(v, a[0], &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}
