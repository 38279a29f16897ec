/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory_op family: copies reservations and physmap requests in and
 * results out, one mm_* call per page or entry. Not here: ownership and the
 * guest-physical map (mm.c). increase_reservation (unmapped pages for PV
 * guests) and the e820/PoD ops answer -XEN_ENOSYS.
 */
#include "hypercall.h"
#include "errno.h"
#include "memory.h"
#include "mm.h"

/* Xen's internal split of the memory_op command word (continuations). */
#define MEMOP_EXTENT_SHIFT 6
#define MEMOP_CMD_MASK     ((1u << MEMOP_EXTENT_SHIFT) - 1)
/* The most extents a continuation can encode in the command word (Xen's
 * UINT_MAX >> MEMOP_EXTENT_SHIFT). */
#define MEMOP_MAX_EXTENTS  (0xffffffffu >> MEMOP_EXTENT_SHIFT)
/* Pages populated or released between two offers to stop (one extent is
 * never split): bounds how long one call holds the CPU every guest shares. */
#define MEMOP_PREEMPT_PAGES 1024

/* One extent: populate it at gfn, or remove its pages from gfn on. */
static int one_extent(struct domain *d, unsigned int cmd, uint64_t gfn, unsigned int order)
{
    if (cmd == XENMEM_populate_physmap)
        return mm_populate(d, gfn, order);
    if (order > MM_MAX_ORDER_CTRL) {
        env_log(LOG_WARN, "d%u: decrease_reservation: order %u too large", d->domid, order);
        return -XEN_EINVAL;
    }
    for (uint64_t i = 0; i < (1ULL << order); i++) {
        int rc = mm_remove_gfn(d, gfn + i);

        if (rc)
            return rc;
    }
    return 0;
}

/* Offer to stop before extent i once enough pages were handled since the
 * last offer; true: a continuation from extent i is arranged. */
static bool preempt(struct vcpu *v, unsigned int cmd, uint64_t i, uint64_t *work)
{
    if (*work < MEMOP_PREEMPT_PAGES)
        return false;
    *work = 0;
    return env_hypercall_preempt(v, 0, cmd | (i << MEMOP_EXTENT_SHIFT));
}

/*
 * Returns the number of extents done, as Xen does: errors stop the loop
 * and the count so far is the answer; a request that cannot start (its
 * struct unreadable, too many extents, no such domain, not allowed)
 * answers the start extent, with a log line. Long requests stop every
 * MEMOP_PREEMPT_PAGES pages with a continuation: the guest re-executes
 * the call with the extents done so far in cmd's high bits (Xen's
 * encoding), so the final answer is what one uninterrupted call gives.
 */
static long reservation_op(struct vcpu *v, unsigned int cmd, uint64_t start, guest_addr_t arg)
{
    struct xen_memory_reservation r;
    struct domain *d;
    uint64_t i, work = 0;
    int rc = 0;

    if (env_copy_from_guest(v, &r, arg, sizeof(r))) {
        env_log(LOG_WARN, "d%u: memory_op %u: reservation at a bad guest address",
                v->domain->domid, cmd);
        return start;
    }
    /* As Xen: a count a continuation could not encode is refused, and a
     * start at or past the end is the answer itself. */
    if (r.nr_extents > MEMOP_MAX_EXTENTS) {
        env_log(LOG_WARN, "d%u: memory_op %u: %llu extents, more than a continuation "
                "can encode", v->domain->domid, cmd, (unsigned long long)r.nr_extents);
        return start;
    }
    if (start >= r.nr_extents)
        return start;
    d = hypercall_target(v, r.domid, cmd == XENMEM_populate_physmap ? "populate_physmap"
                                                                      : "decrease_reservation", &rc);
    if (!d)
        return start;           /* Xen's answer; hypercall_target logged why */
    for (i = start; i < r.nr_extents; i++) {
        xen_pfn_t gfn;

        if (preempt(v, cmd, i, &work)) {
            domain_put(d);
            return 0;           /* not the guest's: it runs the call again */
        }
        if (env_copy_from_guest(v, &gfn, GUEST_HANDLE_ADDR(r.extent_start) + i * sizeof(gfn),
                                sizeof(gfn)))
            break;
        if (one_extent(d, cmd, gfn, r.extent_order))
            break;
        work += 1ULL << (r.extent_order < 32 ? r.extent_order : 32);
    }
    domain_put(d);
    return (long)i;
}

static long reservation_query(struct vcpu *v, unsigned int cmd, guest_addr_t arg)
{
    struct domain *d;
    domid_t domid;
    long pages;
    int rc = 0;

    if (env_copy_from_guest(v, &domid, arg, sizeof(domid)))
        return -XEN_EFAULT;
    d = hypercall_target(v, domid, "memory reservation query", &rc);
    if (!d)
        return rc;
    pages = cmd == XENMEM_current_reservation ? (long)mm_tot_pages(d) : (long)mm_max_pages(d);
    domain_put(d);
    return pages;
}

static long add_to_physmap_op(struct vcpu *v, guest_addr_t arg)
{
    struct xen_add_to_physmap x;
    struct domain *d;
    int rc = 0;

    if (env_copy_from_guest(v, &x, arg, sizeof(x)))
        return -XEN_EFAULT;
    if (x.space == XENMAPSPACE_gmfn_foreign) {
        env_log(LOG_WARN, "d%u: add_to_physmap: gmfn_foreign needs the batch op",
                v->domain->domid);
        return -XEN_EINVAL;
    }
    d = hypercall_target(v, x.domid, "add_to_physmap", &rc);
    if (!d)
        return rc;
    if (x.space == XENMAPSPACE_gmfn_range) {
        for (unsigned int i = 0; i < x.size && !rc; i++)
            rc = mm_add_to_physmap(d, XENMAPSPACE_gmfn, x.idx + i, x.gpfn + i);
    } else {
        rc = mm_add_to_physmap(d, x.space, x.idx, x.gpfn);
    }
    domain_put(d);
    return rc;
}

/* The control domain maps size frames of fd; errs[i] gets each result. */
static long foreign_batch(struct vcpu *v, struct domain *d, struct domain *fd,
                          const struct xen_add_to_physmap_batch *b)
{
    for (unsigned int i = 0; i < b->size; i++) {
        xen_ulong_t idx;
        xen_pfn_t gpfn;
        int err;

        if (env_copy_from_guest(v, &idx, GUEST_HANDLE_ADDR(b->idxs) + i * sizeof(idx),
                                sizeof(idx)) ||
            env_copy_from_guest(v, &gpfn, GUEST_HANDLE_ADDR(b->gpfns) + i * sizeof(gpfn),
                                sizeof(gpfn)))
            return -XEN_EFAULT;
        err = mm_map_foreign_priv(d, gpfn, fd, idx);
        if (env_copy_to_guest(v, GUEST_HANDLE_ADDR(b->errs) + i * sizeof(err), &err,
                              sizeof(err)))
            return -XEN_EFAULT;
    }
    return 0;
}

static struct domain *foreign_source(struct vcpu *v, domid_t id, int *rc)
{
    struct domain *fd;

    if (!v->domain->is_privileged || id == DOMID_SELF || id == v->domain->domid) {
        env_log(LOG_WARN, "d%u: add_to_physmap_batch: may not map d%u's memory",
                v->domain->domid, id);
        *rc = -XEN_EPERM;
        return NULL;
    }
    fd = domain_get(id);
    if (!fd) {
        env_log(LOG_WARN, "d%u: add_to_physmap_batch: no domain d%u", v->domain->domid, id);
        *rc = -XEN_ESRCH;
    }
    return fd;
}

static long add_to_physmap_batch_op(struct vcpu *v, guest_addr_t arg)
{
    struct xen_add_to_physmap_batch b;
    struct domain *d, *fd;
    int rc = 0;

    if (env_copy_from_guest(v, &b, arg, sizeof(b)))
        return -XEN_EFAULT;
    if (b.space != XENMAPSPACE_gmfn_foreign) {
        env_log(LOG_WARN, "d%u: add_to_physmap_batch: space %u not supported",
                v->domain->domid, b.space);
        return -XEN_EINVAL;
    }
    fd = foreign_source(v, b.u.foreign_domid, &rc);
    if (!fd)
        return rc;
    d = hypercall_target(v, b.domid, "add_to_physmap_batch", &rc);
    if (d) {
        rc = foreign_batch(v, d, fd, &b);
        domain_put(d);
    }
    domain_put(fd);
    return rc;
}

static long remove_from_physmap_op(struct vcpu *v, guest_addr_t arg)
{
    struct xen_remove_from_physmap x;
    struct domain *d;
    int rc = 0;

    if (env_copy_from_guest(v, &x, arg, sizeof(x)))
        return -XEN_EFAULT;
    d = hypercall_target(v, x.domid, "remove_from_physmap", &rc);
    if (!d)
        return rc;
    rc = mm_remove_gfn(d, x.gpfn);
    domain_put(d);
    return rc;
}

long hypercall_memory_op(struct vcpu *v, const uint64_t *a)
{
    unsigned int cmd = (unsigned int)a[0] & MEMOP_CMD_MASK;
    uint64_t start = a[0] >> MEMOP_EXTENT_SHIFT;

    switch (cmd) {
    case XENMEM_populate_physmap:
    case XENMEM_decrease_reservation:
        return reservation_op(v, cmd, start, a[1]);
    case XENMEM_current_reservation:
    case XENMEM_maximum_reservation:
        return reservation_query(v, cmd, a[1]);
    case XENMEM_add_to_physmap:
        return add_to_physmap_op(v, a[1]);
    case XENMEM_add_to_physmap_batch:
        return add_to_physmap_batch_op(v, a[1]);
    case XENMEM_remove_from_physmap:
        return remove_from_physmap_op(v, a[1]);
    default:
        return -XEN_ENOSYS;
    }
}
