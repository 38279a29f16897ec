/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring backend in a Linux dom0, and the only file that opens /dev/xen:
 * evtchn (bind, notify, VIRQ_DOM_EXC), gntdev (a guest's ring through its
 * reserved grant), xenbus_backend (the kernel's own ring) and privcmd (is a
 * domain still alive). What the rings carry is transport_ring.c's business.
 */
#define __XEN_TOOLS__ 1     /* sysctl.h and domctl.h: the toolstack's interface */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include "xen.h"
#include "event_channel.h"
#include "grant_table.h"
#include "domctl.h"
#include "sysctl.h"
#include "hypercall-table.h"
/* Linux's uapi for the /dev/xen devices, as Debian's libxen-dev ships it. */
#include <xen/sys/evtchn.h>
#include <xen/sys/gntdev.h>
#include <xen/sys/xenbus_dev.h>
#include "domain.h"
#include "log.h"
#include "transport.h"

#define PAGE 4096u

#define XEN_HC_ENUM(nr, name, access) XEN_HC_##name = nr,
enum { XEN_HYPERCALL_TABLE(XEN_HC_ENUM) };
#undef XEN_HC_ENUM

/* Linux's uapi privcmd.h: one hypercall with up to five arguments. */
struct xen_privcmd_call {
    uint64_t op;
    uint64_t arg[5];
};
#define XEN_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct xen_privcmd_call))
/* ... and IOCTL_PRIVCMD_MMAPBATCH_V2: foreign frames into an mmap of privcmd. */
struct xen_privcmd_batch {
    unsigned int num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};
#define XEN_PRIVCMD_MMAPBATCH_V2 _IOC(_IOC_NONE, 'P', 4, sizeof(struct xen_privcmd_batch))

/*
 * A guest ring we mapped. Through gntdev the grant stays held until the
 * UNMAP_GRANT_REF after munmap; a foreign (privcmd) mapping is only munmap.
 */
struct xen_gmap {
    struct xen_gmap *next;
    void *page;
    uint64_t index;
    bool grant;
};

static int evfd = -1, gntfd = -1, privfd = -1;
static int virq_port = -1;
static struct xen_gmap *gmaps;

/* Every local port we bound, to unmask them all after an overflow. */
static uint32_t *bound;
static size_t nbound, capbound;

static void xen_bound_add(int port)
{
    uint32_t *n;

    if (nbound == capbound) {
        n = realloc(bound, (capbound ? capbound * 2 : 16) * sizeof(*bound));
        if (!n)
            return;     /* only the overflow recovery misses it */
        bound = n;
        capbound = capbound ? capbound * 2 : 16;
    }
    bound[nbound++] = (uint32_t)port;
}

static void xen_bound_del(int port)
{
    for (size_t i = 0; i < nbound; i++) {
        if (bound[i] == (uint32_t)port) {
            bound[i] = bound[--nbound];
            return;
        }
    }
}

static int xen_open_dev(const char *path)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);

    if (fd < 0)
        xs_log("xen: cannot open %s: %s", path, strerror(errno));
    return fd;
}

/* Grant ref 1 of domid (GNTTAB_RESERVED_XENSTORE), as C xenstored 4.17. */
static void *xen_map_grant(uint16_t domid, uint64_t *index)
{
    struct ioctl_gntdev_map_grant_ref m = { .count = 1 };
    struct ioctl_gntdev_unmap_grant_ref u = { .count = 1 };
    void *p;
    int err;

    if (gntfd < 0) {
        errno = ENODEV;
        return NULL;
    }
    m.refs[0].domid = domid;
    m.refs[0].ref = GNTTAB_RESERVED_XENSTORE;
    if (ioctl(gntfd, IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0)
        return NULL;
    /* The grant is mapped (and can fail) only now. */
    p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, gntfd, (off_t)m.index);
    if (p == MAP_FAILED) {
        err = errno;
        u.index = m.index;
        ioctl(gntfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
        errno = err;
        return NULL;
    }
    *index = m.index;
    return p;
}

/* The gfn the toolstack named, mapped foreign through privcmd. */
static void *xen_map_gfn(uint16_t domid, uint64_t gfn)
{
    int ferr = 0, err;
    struct xen_privcmd_batch b = { 1, domid, 0, &gfn, &ferr };
    void *p;

    if (privfd < 0) {
        errno = ENODEV;
        return NULL;
    }
    p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, privfd, 0);
    if (p == MAP_FAILED)
        return NULL;
    b.addr = (uint64_t)(uintptr_t)p;
    if (ioctl(privfd, XEN_PRIVCMD_MMAPBATCH_V2, &b) < 0 || ferr) {
        err = ferr ? -ferr : errno;
        munmap(p, PAGE);
        errno = err;
        return NULL;
    }
    return p;
}

/*
 * The grant first. A toolstack that did not seed the grant table (ours
 * does, and fails the create if it cannot) leaves the gfn, which the
 * domain's HVM_PARAM_STORE_PFN also names: map that then, and say so.
 */
static void *xen_map(uint16_t domid, uint64_t gfn)
{
    struct xen_gmap *g = calloc(1, sizeof(*g));
    int err;

    if (!g)
        return NULL;
    g->page = xen_map_grant(domid, &g->index);
    g->grant = g->page != NULL;
    if (!g->page) {
        err = errno;
        xs_log("xen: domain %u: mapping grant %u (its store ring) through gntdev "
               "failed: %s; trying gfn %llu through privcmd", domid,
               GNTTAB_RESERVED_XENSTORE, strerror(err), (unsigned long long)gfn);
        g->page = xen_map_gfn(domid, gfn);
    }
    if (!g->page) {
        err = errno;
        xs_log("xen: domain %u: mapping its store ring gfn %llu failed: %s",
               domid, (unsigned long long)gfn, strerror(err));
        free(g);
        errno = err;
        return NULL;
    }
    g->next = gmaps;
    gmaps = g;
    return g->page;
}

static void xen_unmap(void *page)
{
    struct ioctl_gntdev_unmap_grant_ref u = { .count = 1 };

    munmap(page, PAGE);
    for (struct xen_gmap **pp = &gmaps; *pp; pp = &(*pp)->next) {
        struct xen_gmap *g = *pp;

        if (g->page != page)
            continue;
        u.index = g->index;
        if (g->grant && ioctl(gntfd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u) < 0)
            xs_log("xen: releasing a ring grant failed: %s", strerror(errno));
        *pp = g->next;
        free(g);
        return;
    }
    /* Not a grant: the kernel's own ring, mapped from xenbus_backend. */
}

static int xen_bind(uint16_t domid, uint32_t remote_port)
{
    struct ioctl_evtchn_bind_interdomain b = { domid, remote_port };
    int port = ioctl(evfd, IOCTL_EVTCHN_BIND_INTERDOMAIN, &b);

    if (port >= 0)
        xen_bound_add(port);
    return port;
}

static void xen_unbind(int port)
{
    struct ioctl_evtchn_unbind u = { (unsigned int)port };

    xen_bound_del(port);
    if (ioctl(evfd, IOCTL_EVTCHN_UNBIND, &u) < 0)
        xs_log("xen: unbinding local port %d failed: %s", port, strerror(errno));
}

static void xen_notify(int port)
{
    struct ioctl_evtchn_notify n = { (unsigned int)port };

    ioctl(evfd, IOCTL_EVTCHN_NOTIFY, &n);
}

int xen_state_of(uint16_t domid, uint16_t found, uint32_t flags)
{
    /* The list starts at the first domain at or above domid. */
    if (found != domid || (flags & XEN_DOMINF_dying))
        return DOMAIN_GONE;
    return flags & XEN_DOMINF_shutdown ? DOMAIN_SHUTDOWN : DOMAIN_RUNNING;
}

/* XEN_SYSCTL_getdomaininfolist from domid: the first entry is domid or above. */
static int xen_state(uint16_t domid)
{
    struct xen_domctl_getdomaininfo info;
    struct xen_sysctl op;
    struct xen_privcmd_call call = { .op = XEN_HC_sysctl };

    if (privfd < 0)
        return -ENODEV;
    memset(&op, 0, sizeof(op));
    memset(&info, 0, sizeof(info));
    op.cmd = XEN_SYSCTL_getdomaininfolist;
    op.interface_version = XEN_SYSCTL_INTERFACE_VERSION;
    op.u.getdomaininfolist.first_domain = domid;
    op.u.getdomaininfolist.max_domains = 1;
    set_xen_guest_handle(op.u.getdomaininfolist.buffer, &info);
    call.arg[0] = (uint64_t)(uintptr_t)&op;
    if (ioctl(privfd, XEN_PRIVCMD_HYPERCALL, &call) < 0)
        return -errno;
    return xen_state_of(domid, op.u.getdomaininfolist.num_domains ? info.domain : DOMID_INVALID,
                        info.flags);
}

static const struct ring_backend xen_backend_ops = {
    xen_map, xen_unmap, xen_bind, xen_unbind, xen_notify, xen_state,
};

int xen_open(void)
{
    struct ioctl_evtchn_bind_virq v = { VIRQ_DOM_EXC };

    if (access("/dev/xen/evtchn", F_OK) < 0)
        return -1;      /* not in a Xen domain: sockets only */
    evfd = xen_open_dev("/dev/xen/evtchn");
    if (evfd < 0)
        return -1;
    fcntl(evfd, F_SETFL, fcntl(evfd, F_GETFL) | O_NONBLOCK);
    gntfd = xen_open_dev("/dev/xen/gntdev");
    privfd = xen_open_dev("/dev/xen/privcmd");
    virq_port = ioctl(evfd, IOCTL_EVTCHN_BIND_VIRQ, &v);
    if (virq_port >= 0)
        xen_bound_add(virq_port);
    else
        xs_log("xen: cannot bind VIRQ_DOM_EXC: %s; dead domains are released "
               "only by the toolstack", strerror(errno));
    return evfd;
}

const struct ring_backend *xen_backend(void)
{
    return &xen_backend_ops;
}

int xen_local_ring(void)
{
    int fd, port, lport, rc;
    void *page;

    fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        rc = errno;
        xs_log("xen: /dev/xen/xenbus_backend: %s; the kernel's own ring is not served",
               strerror(rc));
        return rc;
    }
    port = ioctl(fd, IOCTL_XENBUS_BACKEND_EVTCHN);
    if (port <= 0) {
        rc = port < 0 ? errno : ENXIO;
        xs_log("xen: the kernel has no local store port (%s): not an XS_LOCAL dom0",
               strerror(rc));
        goto out_close;
    }
    page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (page == MAP_FAILED) {
        rc = errno;
        xs_log("xen: mapping the kernel's store ring: %s", strerror(rc));
        goto out_close;
    }
    /* Our own domain: a loop-back channel to the kernel's unbound port. */
    lport = xen_bind(0, (uint32_t)port);
    if (lport < 0) {
        rc = errno;
        xs_log("xen: binding the kernel's store port %d: %s", port, strerror(rc));
        goto out_unmap;
    }
    rc = domain_connect_local(page, lport);
    if (rc)
        goto out_unbind;
    close(fd);
    return 0;

out_unbind:
    xen_unbind(lport);
out_unmap:
    munmap(page, PAGE);
out_close:
    close(fd);
    return rc;
}

/*
 * Linux's queue of fired ports overflowed (reads fail with EFBIG, poll says
 * POLLERR): events were lost. Empty it, unmask every port we hold (a port
 * stays masked until written back) and look at everything once.
 */
static void xen_overflow(void)
{
    xs_log("xen: the event channel queue overflowed; serving every ring");
    if (ioctl(evfd, IOCTL_EVTCHN_RESET, NULL) < 0)
        xs_log("xen: resetting /dev/xen/evtchn: %s", strerror(errno));
    if (nbound && write(evfd, bound, nbound * sizeof(*bound)) < 0)
        xs_log("xen: unmasking event channels failed: %s", strerror(errno));
    domain_check_exceptions();
    domain_ring_poll_all();
}

void xen_events(void)
{
    uint32_t ports[64];
    ssize_t got;

    while ((got = read(evfd, ports, sizeof(ports))) > 0) {
        size_t n = (size_t)got / sizeof(ports[0]);

        /* Unmask first: an event during the work below is not lost. */
        if (write(evfd, ports, n * sizeof(ports[0])) < 0)
            xs_log("xen: unmasking event channels failed: %s", strerror(errno));
        for (size_t i = 0; i < n; i++) {
            if ((int)ports[i] == virq_port)
                domain_check_exceptions();
            else
                domain_ring_event((int)ports[i]);
        }
    }
    if (got < 0 && errno == EFBIG)
        xen_overflow();
    else if (got < 0 && errno != EAGAIN && errno != EINTR)
        xs_log("xen: reading /dev/xen/evtchn: %s", strerror(errno));
}
