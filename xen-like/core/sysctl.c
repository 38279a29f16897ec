/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sysctl family (control domain only; the dispatch table checks that):
 * getdomaininfolist and sched_id from core; physinfo and readconsole through
 * the hooks the runtime registers (sysctl_set_host_ops), which own the page
 * allocator's figures and the console ring (-XEN_ENOSYS without them).
 */
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "schedule.h"
#include "sysctl.h"
#include "sysctl_host.h"

#define CONSOLE_CHUNK 4096

static const struct sysctl_host_ops *host_ops;

void sysctl_set_host_ops(const struct sysctl_host_ops *ops)
{
    host_ops = ops;
}

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

static long physinfo(struct xen_sysctl_physinfo *pi)
{
    if (!host_ops || !host_ops->physinfo)
        return -XEN_ENOSYS;
    memset(pi, 0, sizeof(*pi));
    host_ops->physinfo(pi);
    return 0;
}

/* Copy the console ring out in chunks; OUT count = bytes given, index moved. */
static long readconsole(struct vcpu *v, struct xen_sysctl_readconsole *rc)
{
    guest_addr_t buf = GUEST_HANDLE_ADDR(rc->buffer);
    uint32_t done = 0, want = rc->count, index = rc->index, n;
    bool from_index = rc->incremental;
    char *chunk;
    long err = 0;

    if (!host_ops || !host_ops->read_console)
        return -XEN_ENOSYS;
    chunk = env_zalloc(CONSOLE_CHUNK);
    if (!chunk)
        return -XEN_ENOMEM;
    while (done < want) {
        n = host_ops->read_console(chunk, want - done < CONSOLE_CHUNK ? want - done : CONSOLE_CHUNK,
                                   &index, from_index, false);
        if (!n)
            break;
        from_index = true;      /* later chunks go on where this one stopped */
        if (env_copy_to_guest(v, buf + done, chunk, n)) {
            err = -XEN_EFAULT;
            break;
        }
        done += n;
    }
    env_free(chunk);
    if (!err && rc->clear)
        host_ops->read_console(NULL, 0, &index, true, true);
    rc->index = index;          /* Xen returns where reading stopped, in both modes */
    rc->count = done;
    return err;
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
    case XEN_SYSCTL_physinfo:
        rc = physinfo(&op.u.physinfo);
        break;
    case XEN_SYSCTL_readconsole:
        rc = readconsole(v, &op.u.readconsole);
        break;
    default:
        rc = -XEN_ENOSYS;
    }
    if (rc == -XEN_ENOSYS) {
        env_log(LOG_WARN, "d%u: sysctl %u: not implemented", v->domain->domid, op.cmd);
        return rc;
    }
    if (env_copy_to_guest(v, a[0], &op, sizeof(op)))
        rc = -XEN_EFAULT;
    return rc;
}
