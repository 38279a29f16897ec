/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transactions: copy-on-access shadows of the records a transaction touches,
 * each remembering the generation it saw, and the commit that checks those
 * generations and installs the shadows. The direct (no-transaction) path of
 * the access layer is here too so request code is written once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "txn.h"
#include "watch.h"

struct shadow {
    struct shadow *hnext, *lnext;
    struct node *n;         /* NULL: absent in this transaction */
    uint64_t base_gen;      /* generation seen in the tree; 0 if it was absent */
    uint32_t hash;
    uint8_t dirty, fire;
    struct xs_perm fire_perm[1]; /* owner/default for deletion events */
    char path[];
};

static uint32_t shadow_hash(const char *s)
{
    uint32_t h = 5381;

    while (*s)
        h = h * 33 + (uint8_t)*s++;
    return h;
}

struct txn *txn_create(uint32_t id, uint16_t domid)
{
    struct txn *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->nbuckets = 64;
    t->buckets = calloc(t->nbuckets, sizeof(*t->buckets));
    if (!t->buckets) {
        free(t);
        return NULL;
    }
    t->id = id;
    t->domid = domid;
    return t;
}

void txn_destroy(struct txn *t)
{
    struct shadow *s, *next;

    if (!t)
        return;
    for (s = t->first; s; s = next) {
        next = s->lnext;
        tree_free(s->n);
        free(s);
    }
    free(t->buckets);
    free(t);
}

static void shadow_grow(struct txn *t)
{
    unsigned nb = t->nbuckets * 2;
    struct shadow **b = calloc(nb, sizeof(*b));

    if (!b)
        return;
    for (struct shadow *s = t->first; s; s = s->lnext) {
        s->hnext = b[s->hash & (nb - 1)];
        b[s->hash & (nb - 1)] = s;
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = nb;
}

static struct shadow *shadow_find(struct txn *t, const char *path)
{
    uint32_t h = shadow_hash(path);

    for (struct shadow *s = t->buckets[h & (t->nbuckets - 1)]; s; s = s->hnext)
        if (s->hash == h && !strcmp(s->path, path))
            return s;
    return NULL;
}

/* The shadow for path, copying the tree's record on first touch. */
static struct shadow *shadow_get(struct txn *t, const char *path)
{
    struct shadow *s = shadow_find(t, path);
    const struct node *cur;
    size_t len;

    if (s)
        return s;
    len = strlen(path);
    s = calloc(1, sizeof(*s) + len + 1);
    if (!s)
        goto out_nomem;
    memcpy(s->path, path, len + 1);
    s->hash = shadow_hash(path);
    cur = tree_lookup(path);
    if (cur) {
        s->n = tree_dup(cur);
        if (!s->n)
            goto out_free_shadow;
        s->base_gen = cur->gen;
    }
    if (t->count >= t->nbuckets)
        shadow_grow(t);
    s->hnext = t->buckets[s->hash & (t->nbuckets - 1)];
    t->buckets[s->hash & (t->nbuckets - 1)] = s;
    if (t->last)
        t->last->lnext = s;
    else
        t->first = s;
    t->last = s;
    t->count++;
    return s;

out_free_shadow:
    free(s);
out_nomem:
    errno = ENOMEM;
    return NULL;
}

const struct node *txn_read(struct txn *t, const char *path)
{
    struct shadow *s;

    errno = ENOENT;
    if (!t)
        return tree_lookup(path);
    s = shadow_get(t, path);
    return s ? s->n : NULL;
}

struct node *txn_edit(struct txn *t, const char *path)
{
    struct shadow *s;
    struct node *n;

    if (!t) {
        n = tree_lookup(path);
        if (n)
            tree_unaccount(n);
        return n;
    }
    s = shadow_get(t, path);
    if (!s)
        return NULL;
    s->dirty = 1;
    return s->n;
}

void txn_edited(struct txn *t, struct node *n, unsigned bytes_before)
{
    (void)bytes_before;
    if (t)
        return;
    n->gen = tree_next_gen();
    tree_account(n);
}

struct node *txn_add(struct txn *t, const char *path, const struct xs_perm *p, unsigned np,
                     uint32_t vhint)
{
    struct node *n = tree_alloc(path, p, np, vhint);
    struct shadow *s;

    if (!n) {
        errno = ENOMEM;
        return NULL;
    }
    if (!t) {
        tree_insert(n);
        return n;
    }
    s = shadow_get(t, path);
    if (!s) {
        tree_free(n);
        return NULL;
    }
    tree_free(s->n);
    s->n = n;
    s->dirty = 1;
    t->node_delta++;
    return n;
}

void txn_del(struct txn *t, const char *path)
{
    struct shadow *s;
    struct node *n;

    if (!t) {
        n = tree_lookup(path);
        if (n) {
            tree_remove(n);
            tree_free(n);
        }
        return;
    }
    s = shadow_get(t, path);
    if (!s || !s->n)
        return;
    s->fire_perm[0] = tree_perms(s->n)[0];
    tree_free(s->n);
    s->n = NULL;
    s->dirty = 1;
    t->node_delta--;
}

void txn_changed(struct txn *t, const char *path, unsigned mode,
                 const struct xs_perm *p, unsigned np)
{
    struct shadow *s;

    if (!t) {
        watch_fire(path, mode, p, np);
        return;
    }
    s = shadow_find(t, path);
    if (s && mode > s->fire)
        s->fire = (uint8_t)mode;
    if (s && !s->n && np)
        s->fire_perm[0] = p[0];
}

int32_t txn_node_delta(const struct txn *t)
{
    return t ? t->node_delta : 0;
}

static bool txn_conflicts(const struct txn *t)
{
    for (const struct shadow *s = t->first; s; s = s->lnext) {
        const struct node *cur = tree_lookup(s->path);

        if ((cur ? cur->gen : 0) != s->base_gen)
            return true;
    }
    return false;
}

static void txn_install(struct shadow *s)
{
    struct node *cur = tree_lookup(s->path);

    if (!s->n) {
        if (cur) {
            tree_remove(cur);
            tree_free(cur);
        }
    } else if (cur) {
        tree_replace(cur, s->n);
    } else {
        tree_insert(s->n);
    }
    s->n = NULL;    /* now owned by the tree (or freed) */
}

int txn_commit(struct txn *t)
{
    if (txn_conflicts(t))
        return EAGAIN;
    for (struct shadow *s = t->first; s; s = s->lnext) {
        const struct node *after;

        if (!s->dirty)
            continue;
        txn_install(s);
        if (!s->fire)
            continue;
        after = tree_lookup(s->path);
        if (after)
            watch_fire(s->path, s->fire, tree_perms(after), after->nperms);
        else
            watch_fire(s->path, s->fire, s->fire_perm, 1);
    }
    return 0;
}
