/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Introduced domains: their ring connection, target, and release, which
 * closes the connection (watches, transactions) and hands nodes the domain
 * owned to dom0 so a later domain reusing the id does not inherit them.
 * Also dom0's own kernel ring and the reaction to VIRQ_DOM_EXC.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "transport.h"
#include "watch.h"

struct domain {
    struct domain *next;
    uint16_t domid, target;
    uint64_t mfn;
    uint32_t port;
    int lport;
    void *page;
    struct conn *conn;
    bool shutdown;          /* @releaseDomain already fired for the shutdown */
};

static struct domain *domains;
static struct domain *local;    /* dom0's own kernel ring, if served */

/* Watches of the kernel's ring from a state file, until the ring is bound. */
struct local_watch {
    struct local_watch *next;
    uint16_t relprefix;
    char *path, *token;
};
static struct local_watch *local_watches;
/* ... and its bytes in flight (unread input, unsent output). */
static char *local_in, *local_out;
static uint32_t local_in_len, local_out_len;
static const struct ring_backend *backend;

static void ring_kick(struct conn *c);

static const struct transport_ops ring_ops = { "ring", ring_kick };

void domain_init(const struct ring_backend *b)
{
    domain_destroy_all();
    backend = b;
}

static struct domain *domain_find(uint16_t domid)
{
    for (struct domain *d = domains; d; d = d->next)
        if (d->domid == domid)
            return d;
    return NULL;
}

bool domain_is_introduced(uint16_t domid)
{
    return domid == 0 || domain_find(domid);
}

struct conn *domain_conn(uint16_t domid)
{
    struct domain *d = domain_find(domid);

    return d ? d->conn : NULL;
}

static void domain_serve(struct domain *d)
{
    if (d->conn && d->page && !d->conn->dead && ring_serve(d->conn, d->page) &&
        backend && backend->notify)
        backend->notify(d->lport);
}

static void ring_kick(struct conn *c)
{
    struct domain *d = c->tpriv;

    /* Only output: kicks come from inside dispatch, which must not recurse. */
    if (d && d->page && !c->dead && ring_flush(c, d->page) && backend && backend->notify)
        backend->notify(d->lport);
}

void domain_ring_event(int local_port)
{
    if (local && local->lport == local_port)
        domain_serve(local);
    for (struct domain *d = domains; d; d = d->next)
        if (d->lport == local_port)
            domain_serve(d);
}

void domain_ring_poll_all(void)
{
    if (local)
        domain_serve(local);
    for (struct domain *d = domains; d; d = d->next)
        domain_serve(d);
}

static void domain_free(struct domain *d);

static void local_bytes_free(void)
{
    free(local_in);
    free(local_out);
    local_in = local_out = NULL;
    local_in_len = local_out_len = 0;
}

int domain_local_bytes_later(const char *in, uint32_t inlen, const char *out,
                             uint32_t outlen)
{
    local_bytes_free();
    local_in = malloc(inlen + 1);
    local_out = malloc(outlen + 1);
    if (!local_in || !local_out) {
        local_bytes_free();
        return ENOMEM;
    }
    memcpy(local_in, in, inlen);
    memcpy(local_out, out, outlen);
    local_in_len = inlen;
    local_out_len = outlen;
    return 0;
}

static void local_watches_free(void)
{
    while (local_watches) {
        struct local_watch *lw = local_watches;

        local_watches = lw->next;
        free(lw->path);
        free(lw->token);
        free(lw);
    }
}

int domain_local_watch_later(const char *path, const char *token, uint16_t relprefix)
{
    struct local_watch *lw = calloc(1, sizeof(*lw));

    if (!lw)
        return ENOMEM;
    lw->path = strdup(path);
    lw->token = strdup(token);
    if (!lw->path || !lw->token) {
        free(lw->path);
        free(lw->token);
        free(lw);
        return ENOMEM;
    }
    lw->relprefix = relprefix;
    lw->next = local_watches;
    local_watches = lw;
    return 0;
}

/*
 * What the kernel's ring had over a restart: first the bytes in flight (a
 * half-sent message must be finished before anything else goes out), then
 * the watches, each of which fires once, as new.
 */
static void domain_local_adopt(void)
{
    struct conn *c = local->conn;
    unsigned n = 0;
    uint32_t room;

    if (local_out_len && conn_queue_raw(c, local_out, local_out_len))
        xs_log("domain 0: lost %u bytes of output to the kernel's ring", local_out_len);
    if (local_in_len) {
        char *space = conn_in_space(c, &room);

        if (local_in_len <= room) {
            memcpy(space, local_in, local_in_len);
            c->in_len = local_in_len;
        } else {
            xs_log("domain 0: lost %u bytes of input from the kernel's ring", local_in_len);
        }
    }
    local_bytes_free();

    for (struct local_watch *lw = local_watches; lw; lw = lw->next)
        n += watch_add(local->conn, lw->path, lw->token, lw->relprefix) == 0;
    if (local_watches)
        xs_log("domain 0: the kernel's ring got back %u watches", n);
    local_watches_free();
}

struct conn *domain_local_conn(void)
{
    return local ? local->conn : NULL;
}

int domain_connect_local(void *page, int local_port)
{
    struct who w = { 0, DOMID_NONE, true };
    struct domain *d = calloc(1, sizeof(*d));

    if (!d)
        return ENOMEM;
    d->target = DOMID_NONE;
    d->page = page;
    d->lport = local_port;
    d->conn = conn_create(&w, &ring_ops, d);
    if (!d->conn) {
        free(d);
        return ENOMEM;
    }
    if (local)
        domain_free(local);
    local = d;
    domain_local_adopt();
    ((struct xenstore_domain_interface *)page)->server_features =
        XENSTORE_SERVER_FEATURE_ERROR;
    xs_log("domain 0: serving the kernel's own ring (local port %d)", local_port);
    /* The kernel may have queued requests before we came: look now. */
    domain_serve(d);
    if (backend && backend->notify)
        backend->notify(local_port);
    return 0;
}

/* The backend's errno, or EINVAL if it left none. */
static int backend_error(void)
{
    return errno ? errno : EINVAL;
}

static int domain_connect(struct domain *d)
{
    struct who w = { d->domid, d->target, false };
    int rc;

    if (!backend || !backend->map || !backend->bind) {
        xs_log("domain %u: introduce: no ring backend on this host; "
               "known but not connected", d->domid);
        return 0;
    }
    errno = 0;
    d->page = backend->map(d->domid, d->mfn);
    if (!d->page) {
        rc = backend_error();
        xs_log("domain %u: introduce: cannot map its store ring (gfn %llu): %s",
               d->domid, (unsigned long long)d->mfn, strerror(rc));
        return rc;
    }
    errno = 0;
    d->lport = backend->bind(d->domid, d->port);
    if (d->lport < 0) {
        rc = backend_error();
        xs_log("domain %u: introduce: cannot bind its event channel %u: %s",
               d->domid, d->port, strerror(rc));
        goto out_unmap;
    }
    rc = ENOMEM;
    d->conn = conn_create(&w, &ring_ops, d);
    if (!d->conn)
        goto out_unbind;
    ((struct xenstore_domain_interface *)d->page)->server_features =
        XENSTORE_SERVER_FEATURE_ERROR;
    xs_log("domain %u: introduced: ring connected (event channel %u, local port %d)",
           d->domid, d->port, d->lport);
    return 0;

out_unbind:
    if (backend->unbind)
        backend->unbind(d->lport);
    d->lport = -1;
out_unmap:
    if (backend->unmap)
        backend->unmap(d->page);
    d->page = NULL;
    return rc;
}

/*
 * As C xenstored's domain_conn_reset after every INTRODUCE: the connection
 * starts over (no watches, transactions or buffered bytes) on a ring whose
 * indices are zero.
 */
static void domain_reset(struct domain *d)
{
    struct xenstore_domain_interface *intf = d->page;

    if (d->conn)
        conn_reset(d->conn);
    if (!intf)
        return;
    intf->req_cons = intf->req_prod = 0;
    intf->rsp_cons = intf->rsp_prod = 0;
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* INTRODUCE of a known domain (C xenstored): bind its new port, start over. */
static int domain_reintroduce(struct domain *d, uint32_t port)
{
    if (backend && backend->bind && d->page) {
        if (d->lport >= 0 && backend->unbind)
            backend->unbind(d->lport);
        errno = 0;
        d->lport = backend->bind(d->domid, port);
        if (d->lport < 0)
            xs_log("domain %u: introduce again: cannot bind event channel %u: %s; "
                   "its ring is not served until the next introduce",
                   d->domid, port, strerror(backend_error()));
    }
    d->port = port;
    domain_reset(d);
    xs_log("domain %u: introduced again: event channel %u, connection reset",
           d->domid, port);
    return 0;
}

static int domain_add(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port,
                      bool restoring)
{
    struct domain *d = domain_find(domid);
    int rc;

    if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
        xs_log("domain %u: introduce of domain %u: EINVAL: not a guest domid",
               w->domid, domid);
        return EINVAL;
    }
    if (d)
        return restoring ? EEXIST : domain_reintroduce(d, port);
    d = calloc(1, sizeof(*d));
    if (!d)
        return ENOMEM;
    d->domid = domid;
    d->target = DOMID_NONE;
    d->mfn = mfn;
    d->port = port;
    d->lport = -1;
    rc = domain_connect(d);
    if (rc) {
        free(d);
        return rc;
    }
    if (!restoring)
        domain_reset(d);
    d->next = domains;
    domains = d;
    watch_fire_special("@introduceDomain");
    return 0;
}

int domain_introduce(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port)
{
    return domain_add(w, domid, mfn, port, false);
}

int domain_restore(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port)
{
    return domain_add(w, domid, mfn, port, true);
}

/* Nodes of a released domain go to dom0; grants naming it are dropped. */
static int disown(struct node *n, void *arg)
{
    uint16_t domid = *(uint16_t *)arg;
    struct xs_perm p[XENSTORE_PAYLOAD_MAX / 2];
    unsigned np = 1;
    bool changed = false;

    p[0] = tree_perms(n)[0];
    for (unsigned i = 1; i < n->nperms && np < XENSTORE_PAYLOAD_MAX / 2; i++) {
        if (tree_perms(n)[i].domid != domid) {
            p[np++] = tree_perms(n)[i];
            continue;
        }
        changed = true;
    }
    if (p[0].domid == domid) {
        p[0].domid = 0;
        changed = true;
    }
    if (changed) {
        tree_unaccount(n);
        tree_set_perms(n, p, np);
        tree_account(n);
    }
    return 0;
}

static void domain_free(struct domain *d)
{
    if (d->conn)
        conn_destroy(d->conn);
    if (d->lport >= 0 && backend && backend->unbind)
        backend->unbind(d->lport);
    if (d->page && backend && backend->unmap)
        backend->unmap(d->page);
    free(d);
}

/* Unlink d, close its ring and give its nodes to dom0 (no event yet). */
static void domain_forget(struct domain **pp)
{
    struct domain *d = *pp;
    uint16_t domid = d->domid;

    *pp = d->next;
    domain_free(d);
    tree_walk(disown, &domid);
}

/* RELEASE and RESUME name a guest: dom0 is neither (C xenstored: EINVAL). */
static int not_dom0(const struct who *w, const char *op, uint16_t domid)
{
    if (domid)
        return 0;
    xs_log("domain %u: %s of domain 0: EINVAL: not a guest", w->domid, op);
    return EINVAL;
}

int domain_release(const struct who *w, uint16_t domid)
{
    struct domain **pp;

    if (not_dom0(w, "release", domid))
        return EINVAL;

    for (pp = &domains; *pp && (*pp)->domid != domid; pp = &(*pp)->next)
        ;
    if (!*pp)
        return ENOENT;
    domain_forget(pp);
    xs_log("domain %u: released by domain %u", domid, w->domid);
    watch_fire_special("@releaseDomain");
    return 0;
}

/*
 * As C xenstored: a domain that is dying or no longer exists loses its
 * connection and is released; one that shut down stays, but watchers of
 * @releaseDomain (the toolstack's monitor) hear of it once.
 */
void domain_check_exceptions(void)
{
    struct domain **pp = &domains;
    bool fire = false;

    if (!backend || !backend->state)
        return;
    while (*pp) {
        struct domain *d = *pp;
        int st = backend->state(d->domid);

        if (st < 0) {
            xs_log("domain %u: cannot ask the hypervisor about it: %s; kept",
                   d->domid, strerror(-st));
        } else if (st == DOMAIN_GONE) {
            xs_log("domain %u: released: it is dying or gone", d->domid);
            domain_forget(pp);
            fire = true;
            continue;
        } else if (st == DOMAIN_SHUTDOWN && !d->shutdown) {
            xs_log("domain %u: shut down", d->domid);
            d->shutdown = true;
            fire = true;
        }
        pp = &d->next;
    }
    if (fire)
        watch_fire_special("@releaseDomain");
}

int domain_resume(const struct who *w, uint16_t domid)
{
    struct domain *d = domain_find(domid);

    if (not_dom0(w, "resume", domid))
        return EINVAL;
    if (!d)
        return ENOENT;
    d->shutdown = false;    /* a later shutdown is news again */
    return 0;
}

int domain_set_target(const struct who *w, uint16_t domid, uint16_t target)
{
    struct domain *d = domain_find(domid);

    (void)w;
    if (!d || !domain_is_introduced(target))
        return ENOENT;
    d->target = target;
    if (d->conn)
        d->conn->who.target = target;
    return 0;
}

void domain_destroy_all(void)
{
    local_watches_free();
    local_bytes_free();
    if (local)
        domain_free(local);
    local = NULL;
    while (domains) {
        struct domain *d = domains;

        domains = d->next;
        domain_free(d);
    }
}

void domain_each(void (*fn)(uint16_t domid, uint64_t mfn, uint32_t port, void *arg),
                 void *arg)
{
    for (struct domain *d = domains; d; d = d->next)
        fn(d->domid, d->mfn, d->port, arg);
}
