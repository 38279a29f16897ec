/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed hypercalls over hv.h: fill Xen's argument structs, make the call,
 * read results back. Every function returns 0 (or a count) or a negative
 * Xen errno; callers turn that into a message naming their step.
 */
#include <string.h>

#include "hvc.h"
#include "errno.h"
#include "event_channel.h"
#include "memory.h"
#include "sched.h"
#include "hvm/hvm_op.h"

static uint64_t ptr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

long hvc_domctl(struct hv *h, struct xen_domctl *op)
{
    op->interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    return hv_call(h, HVC_domctl, ptr(op), 0, 0);
}

long hvc_sysctl(struct hv *h, struct xen_sysctl *op)
{
    op->interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    return hv_call(h, HVC_sysctl, ptr(op), 0, 0);
}

static void domctl_init(struct xen_domctl *op, uint32_t cmd, uint32_t domid)
{
    memset(op, 0, sizeof(*op));
    op->cmd = cmd;
    op->domain = (domid_t)domid;
}

long hvc_create(struct hv *h, uint32_t *domid, const struct xen_domctl_createdomain *cfg)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_createdomain, *domid);
    op.u.createdomain = *cfg;
    rc = hvc_domctl(h, &op);
    if (!rc)
        *domid = op.domain;
    return rc;
}

/* getdomaininfo answers the next domain up; only an exact match counts. */
long hvc_getinfo(struct hv *h, uint32_t domid, struct xen_domctl_getdomaininfo *info)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_getdomaininfo, domid);
    rc = hvc_domctl(h, &op);
    if (rc)
        return rc;
    if (op.domain != domid)
        return -XEN_ESRCH;
    *info = op.u.getdomaininfo;
    return 0;
}

long hvc_list(struct hv *h, uint32_t first, struct xen_domctl_getdomaininfo *out,
              unsigned int max)
{
    struct xen_sysctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_getdomaininfolist;
    op.u.getdomaininfolist.first_domain = (domid_t)first;
    op.u.getdomaininfolist.max_domains = max;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, out);
    rc = hvc_sysctl(h, &op);
    return rc ? rc : (long)op.u.getdomaininfolist.num_domains;
}

long hvc_simple(struct hv *h, uint32_t cmd, uint32_t domid)
{
    struct xen_domctl op;

    domctl_init(&op, cmd, domid);
    return hvc_domctl(h, &op);
}

long hvc_max_mem(struct hv *h, uint32_t domid, uint64_t kb)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_max_mem, domid);
    op.u.max_mem.max_memkb = kb;
    return hvc_domctl(h, &op);
}

long hvc_set_handle(struct hv *h, uint32_t domid, const uint8_t uuid[16])
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_setdomainhandle, domid);
    memcpy(op.u.setdomainhandle.handle, uuid, 16);
    return hvc_domctl(h, &op);
}

long hvc_set_vcpu_context(struct hv *h, uint32_t domid, unsigned int vcpu,
                          const struct vcpu_guest_context *ctx)
{
    struct xen_domctl op;

    domctl_init(&op, XEN_DOMCTL_setvcpucontext, domid);
    op.u.vcpucontext.vcpu = vcpu;
    set_xen_guest_handle(op.u.vcpucontext.ctxt, (struct vcpu_guest_context *)ctx);
    return hvc_domctl(h, &op);
}

long hvc_vcpu_info(struct hv *h, uint32_t domid, unsigned int vcpu,
                   struct xen_domctl_getvcpuinfo *out)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_getvcpuinfo, domid);
    op.u.getvcpuinfo.vcpu = vcpu;
    rc = hvc_domctl(h, &op);
    if (!rc)
        *out = op.u.getvcpuinfo;
    return rc;
}

long hvc_sched_id(struct hv *h, uint32_t *id)
{
    struct xen_sysctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_sched_id;
    rc = hvc_sysctl(h, &op);
    if (!rc)
        *id = op.u.sched_id.sched_id;
    return rc;
}

long hvc_physinfo(struct hv *h, struct xen_sysctl_physinfo *out)
{
    struct xen_sysctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_physinfo;
    rc = hvc_sysctl(h, &op);
    if (!rc)
        *out = op.u.physinfo;
    return rc;
}

long hvc_credit(struct hv *h, uint32_t domid, bool set, unsigned int *weight, unsigned int *cap)
{
    struct xen_domctl op;
    long rc;

    domctl_init(&op, XEN_DOMCTL_scheduler_op, domid);
    op.u.scheduler_op.sched_id = XEN_SCHEDULER_CREDIT;
    op.u.scheduler_op.cmd = set ? XEN_DOMCTL_SCHEDOP_putinfo : XEN_DOMCTL_SCHEDOP_getinfo;
    op.u.scheduler_op.u.credit.weight = (uint16_t)*weight;
    op.u.scheduler_op.u.credit.cap = (uint16_t)*cap;
    rc = hvc_domctl(h, &op);
    if (!rc && !set) {
        *weight = op.u.scheduler_op.u.credit.weight;
        *cap = op.u.scheduler_op.u.credit.cap;
    }
    return rc;
}

long hvc_populate(struct hv *h, uint32_t domid, uint64_t *gfns, unsigned long n,
                  unsigned int order)
{
    struct xen_memory_reservation r;

    memset(&r, 0, sizeof(r));
    set_xen_guest_handle(r.extent_start, (xen_pfn_t *)gfns);
    r.nr_extents = n;
    r.extent_order = order;
    r.domid = (domid_t)domid;
    return hv_call(h, HVC_memory_op, XENMEM_populate_physmap, ptr(&r), 0);
}

long hvc_add_to_physmap(struct hv *h, uint32_t domid, unsigned int space, uint64_t idx,
                        uint64_t gfn)
{
    struct xen_add_to_physmap x;

    memset(&x, 0, sizeof(x));
    x.domid = (domid_t)domid;
    x.space = space;
    x.idx = idx;
    x.gpfn = gfn;
    return hv_call(h, HVC_memory_op, XENMEM_add_to_physmap, ptr(&x), 0);
}

long hvc_remove_from_physmap(struct hv *h, uint32_t domid, uint64_t gfn)
{
    struct xen_remove_from_physmap x = { (domid_t)domid, gfn };

    return hv_call(h, HVC_memory_op, XENMEM_remove_from_physmap, ptr(&x), 0);
}

long hvc_evtchn_unbound(struct hv *h, uint32_t domid, uint32_t remote, uint32_t *port)
{
    struct evtchn_alloc_unbound a = { (domid_t)domid, (domid_t)remote, 0 };
    long rc = hv_call(h, HVC_event_channel_op, EVTCHNOP_alloc_unbound, ptr(&a), 0);

    if (!rc)
        *port = a.port;
    return rc;
}

long hvc_set_param(struct hv *h, uint32_t domid, uint32_t index, uint64_t value)
{
    struct xen_hvm_param p = { (domid_t)domid, 0, index, value };

    return hv_call(h, HVC_hvm_op, HVMOP_set_param, ptr(&p), 0);
}

long hvc_shutdown(struct hv *h, uint32_t domid, unsigned int reason)
{
    struct sched_remote_shutdown s = { (domid_t)domid, reason };

    return hv_call(h, HVC_sched_op, SCHEDOP_remote_shutdown, ptr(&s), 0);
}

long hvc_readconsole(struct hv *h, char *buf, uint32_t *len, bool clear)
{
    struct xen_sysctl op;
    long rc;

    memset(&op, 0, sizeof(op));
    op.cmd = XEN_SYSCTL_readconsole;
    op.u.readconsole.clear = clear;
    op.u.readconsole.count = *len;
    set_xen_guest_handle(op.u.readconsole.buffer, buf);
    rc = hvc_sysctl(h, &op);
    if (!rc)
        *len = op.u.readconsole.count;
    return rc;
}
