/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Node request semantics on top of the access layer in txn.c: who may do
 * what, how missing parents are made and what they inherit, how a subtree
 * goes away, and the quota checks for unprivileged domains.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "node.h"

static int need(const struct who *w, const struct node *n, unsigned perm)
{
    return (tree_perm_for(w, tree_perms(n), n->nperms) & perm) == perm ? 0 : EACCES;
}

/* Nearest existing ancestor of path (path itself excluded), in t's view. */
static const struct node *existing_ancestor(struct txn *t, const char *path,
                                            char *buf, unsigned *missing)
{
    size_t len = strlen(path);
    const struct node *n = NULL;

    memcpy(buf, path, len + 1);
    *missing = 1;
    while (!n) {
        uint32_t plen = tree_parent_len(buf);

        if (!plen)
            return NULL;
        buf[plen] = '\0';
        n = txn_read(t, buf);
        if (!n && errno == ENOMEM)
            return NULL;
        if (!n)
            (*missing)++;
    }
    return n;
}

/* ENOENT for a missing node, unless the caller may not even know that. */
static int missing_errno(const struct who *w, struct txn *t, const char *path)
{
    char buf[TREE_ABS_PATH_MAX + 1];
    unsigned missing;
    const struct node *a = existing_ancestor(t, path, buf, &missing);

    if (a && need(w, a, PERM_READ))
        return EACCES;
    return ENOENT;
}

static int lookup(const struct who *w, struct txn *t, const char *path,
                  unsigned perm, const struct node **out)
{
    const struct node *n = txn_read(t, path);

    if (!n)
        return errno == ENOMEM ? ENOMEM : missing_errno(w, t, path);
    *out = n;
    return need(w, n, perm);
}

int node_read(const struct who *w, struct txn *t, const char *path,
              const struct node **out)
{
    return lookup(w, t, path, PERM_READ, out);
}

int node_get_perms(const struct who *w, struct txn *t, const char *path,
                   const struct node **out)
{
    return lookup(w, t, path, PERM_READ, out);
}

static int quota_nodes(const struct who *w, struct txn *t, const char *path, unsigned add)
{
    struct usage u;

    if (w->priv)
        return 0;
    u = tree_usage(w->domid);
    if ((int64_t)u.nodes + txn_node_delta(t) + add > quota.nodes) {
        xs_log("domain %u: create %s: EQUOTA: %u nodes owned, limit %u",
               w->domid, path, u.nodes, quota.nodes);
        return ENOSPC;
    }
    return 0;
}

static int quota_bytes(const struct who *w, const char *path, uint32_t vlen, int64_t grow)
{
    struct usage u;

    if (w->priv)
        return 0;
    if (vlen > quota.entry_size) {
        xs_log("domain %u: write %s: EQUOTA: value of %u bytes, limit %u",
               w->domid, path, vlen, quota.entry_size);
        return ENOSPC;
    }
    u = tree_usage(w->domid);
    if ((int64_t)u.bytes + grow > quota.memory) {
        xs_log("domain %u: write %s: EQUOTA: %u bytes owned, limit %u",
               w->domid, path, u.bytes, quota.memory);
        return ENOSPC;
    }
    return 0;
}

/* Add one record under an existing parent, inheriting its permissions. */
static struct node *add_child(const struct who *w, struct txn *t, const char *path,
                              uint32_t plen, uint32_t vhint)
{
    char parent[TREE_ABS_PATH_MAX + 1];
    struct node *p, *n;
    struct xs_perm *perms;
    unsigned np;

    memcpy(parent, path, plen);
    parent[plen] = '\0';
    p = txn_edit(t, parent);
    if (!p)
        return NULL;
    if (tree_add_kid(p, path + plen + (plen > 1))) {
        txn_edited(t, p, 0);
        errno = ENOMEM;
        return NULL;
    }
    txn_edited(t, p, 0);
    np = p->nperms;
    perms = malloc(np * sizeof(*perms));
    if (!perms) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(perms, tree_perms(p), np * sizeof(*perms));
    if (!w->priv)
        perms[0].domid = w->domid;  /* a domain owns what it makes */
    n = txn_add(t, path, perms, np, vhint);
    free(perms);
    return n;
}

/* Create path and any missing parents; the caller knows path is absent.
 * vhint: the value about to be stored, so it can live inside the record. */
static int create_path(const struct who *w, struct txn *t, const char *path,
                       uint32_t vhint, struct node **out)
{
    char buf[TREE_ABS_PATH_MAX + 1];
    unsigned missing;
    const struct node *a = existing_ancestor(t, path, buf, &missing);
    size_t len = strlen(path);
    int rc;

    if (!a)
        return errno == ENOMEM ? ENOMEM : ENOENT;
    rc = need(w, a, PERM_WRITE);
    if (rc)
        return rc;
    rc = quota_nodes(w, t, path, missing);
    if (rc)
        return rc;
    /* buf holds the ancestor; extend it one component at a time. */
    memcpy(buf, path, len + 1);
    for (size_t end = strlen(a->path) + (a->pathlen > 1); ; end++) {
        if (path[end] != '/' && path[end] != '\0')
            continue;
        buf[end] = '\0';
        *out = add_child(w, t, buf, tree_parent_len(buf), path[end] ? 0 : vhint);
        if (!*out)
            return ENOMEM;
        if (path[end] == '\0')
            return 0;
        buf[end] = '/';
    }
}

int node_write(const struct who *w, struct txn *t, const char *path,
               const void *val, uint32_t len)
{
    const struct node *cur = txn_read(t, path);
    struct node *n;
    int rc;

    if (!cur && errno == ENOMEM)
        return ENOMEM;
    if (cur) {
        rc = need(w, cur, PERM_WRITE);
        if (rc)
            return rc;
    }
    rc = quota_bytes(w, path, len, (int64_t)len - (cur ? cur->vlen : 0) +
                     (cur ? 0 : (int64_t)strlen(path) + 4));
    if (rc)
        return rc;
    if (!cur) {
        rc = create_path(w, t, path, len, &n);
        if (rc)
            return rc;
    }
    n = txn_edit(t, path);
    if (!n)
        return ENOMEM;
    rc = tree_set_value(n, val, len);
    txn_edited(t, n, 0);
    if (rc)
        return rc;
    txn_changed(t, path, FIRE_TREE, tree_perms(n), n->nperms);
    return 0;
}

int node_mkdir(const struct who *w, struct txn *t, const char *path)
{
    const struct node *cur = txn_read(t, path);
    struct node *n;
    int rc;

    if (cur)
        return need(w, cur, PERM_WRITE);
    if (errno == ENOMEM)
        return ENOMEM;
    rc = quota_bytes(w, path, 0, (int64_t)strlen(path) + 4);
    if (rc)
        return rc;
    rc = create_path(w, t, path, 0, &n);
    if (rc)
        return rc;
    txn_changed(t, path, FIRE_TREE, tree_perms(n), n->nperms);
    return 0;
}

/* Remove path's descendants, then path itself (the parent is the caller's). */
static void delete_tree(struct txn *t, const char *path)
{
    const struct node *n = txn_read(t, path);
    size_t len = strlen(path);
    char *child;

    if (!n)
        return;
    child = malloc(len + 2 + n->kidslen);
    if (child) {
        for (uint32_t off = 0; off < n->kidslen;) {
            const char *kid = n->kids + off;

            off += (uint32_t)strlen(kid) + 1;
            memcpy(child, path, len);
            child[len] = '/';
            strcpy(child + len + 1, kid);
            delete_tree(t, child);
            n = txn_read(t, path);  /* a shadow may have been rehashed */
            if (!n)
                break;
        }
        free(child);
    }
    txn_del(t, path);
}

int node_rm(const struct who *w, struct txn *t, const char *path)
{
    char parent[TREE_ABS_PATH_MAX + 1];
    uint32_t plen = tree_parent_len(path);
    const struct node *n;
    struct xs_perm *saved;
    struct node *p;
    unsigned np;
    int rc;

    if (!plen)
        return EINVAL;      /* the root stays */
    memcpy(parent, path, plen);
    parent[plen] = '\0';
    n = txn_read(t, path);
    if (!n) {
        if (errno == ENOMEM)
            return ENOMEM;
        /* Removing what is not there is fine if the parent exists. */
        if (txn_read(t, parent))
            return 0;
        return missing_errno(w, t, path);
    }
    rc = need(w, n, PERM_WRITE);
    if (rc)
        return rc;
    np = n->nperms;
    saved = malloc(np * sizeof(*saved));
    if (!saved)
        return ENOMEM;
    memcpy(saved, tree_perms(n), np * sizeof(*saved));
    delete_tree(t, path);
    p = txn_edit(t, parent);
    if (p) {
        tree_del_kid(p, path + plen + (plen > 1));
        txn_edited(t, p, 0);
    }
    txn_changed(t, path, FIRE_RM, saved, np);
    free(saved);
    return 0;
}

int node_set_perms(const struct who *w, struct txn *t, const char *path,
                   const struct xs_perm *p, unsigned np)
{
    const struct node *cur = NULL;
    struct node *n;
    int rc = lookup(w, t, path, PERM_OWNER, &cur);

    if (rc)
        return rc;
    /* An owner must be a live domain, or its nodes would outlive it. */
    if (!domain_is_introduced(p[0].domid)) {
        xs_log("domain %u: set_perms %s: ENOENT: owner domain %u does not exist",
               w->domid, path, p[0].domid);
        return ENOENT;
    }
    if (!w->priv && p[0].domid != tree_perms(cur)[0].domid) {
        xs_log("domain %u: set_perms %s: EPERM: only dom0 may change the owner",
               w->domid, path);
        return EPERM;
    }
    if (!w->priv && np > quota.perms) {
        xs_log("domain %u: set_perms %s: EQUOTA: %u entries, limit %u", w->domid, path,
               np, quota.perms);
        return ENOSPC;
    }
    rc = quota_bytes(w, path, 0, ((int64_t)np - cur->nperms) * (int64_t)sizeof(struct xs_perm));
    if (rc)
        return rc;
    n = path[0] == '@' ? tree_lookup(path) : txn_edit(t, path);
    if (!n)
        return ENOMEM;
    if (path[0] == '@')
        tree_unaccount(n);
    rc = tree_set_perms(n, p, np);
    if (path[0] == '@') {
        tree_account(n);
        return rc;
    }
    txn_edited(t, n, 0);
    if (rc)
        return rc;
    txn_changed(t, path, FIRE_TREE, tree_perms(n), n->nperms);
    return 0;
}

void node_init_special(void)
{
    static const struct xs_perm none0 = { 0, PERM_NONE };
    static const char *const names[] = { "@introduceDomain", "@releaseDomain" };

    for (unsigned i = 0; i < 2; i++) {
        if (tree_lookup(names[i]))
            continue;
        struct node *n = tree_alloc(names[i], &none0, 1, 0);

        if (!n)
            abort();
        tree_insert(n);
    }
}
