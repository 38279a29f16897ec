/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sysctl family (control domain only; the dispatch table checks that):
 * the operations core can answer, getdomaininfolist and sched_id. Not here:
 * readconsole and physinfo need the console ring and the page allocator
 * (runtime/) and answer -XEN_ENOSYS until a hook exists.
 */
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "schedule.h"
#include "sysctl.h"

/* Xen's loop: domains in id order from first_domain, up to max_domains. */
static long getdomaininfolist(struct vcpu *v, struct xen_sysctl_getdomaininfolist *l)
{
    guest_addr_t buf = GUEST_HANDLE_ADDR(l->buffer);
    struct xen_domctl_getdomaininfo info;
    unsigned int id = l->first_domain, n = 0;
    long rc = 0;

    while (n < l->max_domains && id < DOMID_FIRST_RESERVED) {
        struct domain *d = domain_get_next(id);

        if (!d)
            break;
        domain_getinfo(d, &info);
        id = d->domid + 1;
        domain_put(d);
        if (env_copy_to_guest(v, buf + n * sizeof(info), &info, sizeof(info))) {
            rc = -XEN_EFAULT;
            break;
        }
        n++;
    }
    l->num_domains = n;
    return rc;
}

long hypercall_sysctl(struct vcpu *v, const uint64_t *a)
{
    struct xen_sysctl op;
    long rc;

    if (env_copy_from_guest(v, &op, a[0], sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XEN_SYSCTL_INTERFACE_VERSION) {
        env_log(LOG_WARN, "d%u: sysctl %u: interface version mismatch", v->domain->domid, op.cmd);
        return -XEN_EACCES;
    }
    switch (op.cmd) {
    case XEN_SYSCTL_getdomaininfolist:
        rc = getdomaininfolist(v, &op.u.getdomaininfolist);
        break;
    case XEN_SYSCTL_sched_id:
        op.u.sched_id.sched_id = schedule_policy()->id;
        rc = 0;
        break;
    default:
        env_log(LOG_WARN, "d%u: sysctl %u: not implemented", v->domain->domid, op.cmd);
        return -XEN_ENOSYS;
    }
    if (env_copy_to_guest(v, a[0], &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}
