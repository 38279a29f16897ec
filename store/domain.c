/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Introduced domains: their ring connection, target, and release, which
 * closes the connection (watches, transactions) and hands nodes the domain
 * owned to dom0 so a later domain reusing the id does not inherit them.
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
};

static struct domain *domains;
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
    for (struct domain *d = domains; d; d = d->next)
        if (d->lport == local_port)
            domain_serve(d);
}

void domain_ring_poll_all(void)
{
    for (struct domain *d = domains; d; d = d->next)
        domain_serve(d);
}

static int domain_connect(struct domain *d)
{
    struct who w = { d->domid, d->target, false };

    if (!backend || !backend->map || !backend->bind) {
        xs_log("domain %u: introduce: no ring backend on this host; "
               "known but not connected", d->domid);
        return 0;
    }
    d->page = backend->map(d->domid, d->mfn);
    if (!d->page) {
        xs_log("domain %u: introduce: cannot map ring frame %llu",
               d->domid, (unsigned long long)d->mfn);
        return EINVAL;
    }
    d->lport = backend->bind(d->domid, d->port);
    if (d->lport < 0) {
        xs_log("domain %u: introduce: cannot bind event channel %u", d->domid, d->port);
        goto out_unmap;
    }
    d->conn = conn_create(&w, &ring_ops, d);
    if (!d->conn)
        goto out_unbind;
    ((struct xenstore_domain_interface *)d->page)->server_features =
        XENSTORE_SERVER_FEATURE_ERROR;
    return 0;

out_unbind:
    if (backend->unbind)
        backend->unbind(d->lport);
out_unmap:
    if (backend->unmap)
        backend->unmap(d->page);
    d->page = NULL;
    return EINVAL;
}

int domain_introduce(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port)
{
    struct domain *d = domain_find(domid);
    int rc;

    if (domid == 0 || domid >= DOMID_FIRST_RESERVED) {
        xs_log("domain %u: introduce of domain %u: EINVAL: not a guest domid",
               w->domid, domid);
        return EINVAL;
    }
    if (d)
        return d->mfn == mfn && d->port == port ? 0 : EEXIST;
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
    d->next = domains;
    domains = d;
    watch_fire_special("@introduceDomain");
    return 0;
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

int domain_release(const struct who *w, uint16_t domid)
{
    struct domain **pp, *d;

    for (pp = &domains; *pp && (*pp)->domid != domid; pp = &(*pp)->next)
        ;
    d = *pp;
    if (!d)
        return ENOENT;
    *pp = d->next;
    domain_free(d);
    tree_walk(disown, &domid);
    xs_log("domain %u: released by domain %u", domid, w->domid);
    watch_fire_special("@releaseDomain");
    return 0;
}

int domain_resume(const struct who *w, uint16_t domid)
{
    (void)w;
    return domain_find(domid) ? 0 : ENOENT;
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
