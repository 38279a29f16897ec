/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watches and their firing. Watches are indexed by path so an event costs one
 * lookup per ancestor of the changed path, not a scan of every watch; only a
 * removal scans, to reach watches below the removed node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "log.h"
#include "txn.h"
#include "watch.h"

#define WATCH_BUCKETS 4096

static struct watch *index_[WATCH_BUCKETS];
static unsigned long nwatches;

static uint32_t watch_hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

void watch_init(void)
{
    memset(index_, 0, sizeof(index_));
    nwatches = 0;
}

unsigned long watch_count(void)
{
    return nwatches;
}

static void watch_free(struct watch *w)
{
    free(w->path);
    free(w->token);
    free(w);
}

int watch_add(struct conn *c, const char *path, const char *token, uint16_t relprefix)
{
    struct watch *w;

    for (w = c->watches; w; w = w->cnext)
        if (!strcmp(w->path, path) && !strcmp(w->token, token))
            return EEXIST;
    w = calloc(1, sizeof(*w));
    if (!w)
        return ENOMEM;
    w->path = strdup(path);
    w->token = strdup(token);
    if (!w->path || !w->token) {
        watch_free(w);
        return ENOMEM;
    }
    w->conn = c;
    w->relprefix = relprefix;
    w->hash = watch_hash(path, strlen(path));
    w->hnext = index_[w->hash % WATCH_BUCKETS];
    index_[w->hash % WATCH_BUCKETS] = w;
    w->cnext = c->watches;
    c->watches = w;
    c->nwatches++;
    nwatches++;
    return 0;
}

static void watch_unindex(struct watch *w)
{
    struct watch **pp = &index_[w->hash % WATCH_BUCKETS];

    for (; *pp; pp = &(*pp)->hnext) {
        if (*pp == w) {
            *pp = w->hnext;
            nwatches--;
            return;
        }
    }
}

int watch_del(struct conn *c, const char *path, const char *token)
{
    for (struct watch **pp = &c->watches; *pp; pp = &(*pp)->cnext) {
        struct watch *w = *pp;

        if (strcmp(w->path, path) || strcmp(w->token, token))
            continue;
        *pp = w->cnext;
        c->nwatches--;
        watch_unindex(w);
        watch_free(w);
        return 0;
    }
    return ENOENT;
}

void watch_del_all(struct conn *c)
{
    struct watch *w, *next;

    for (w = c->watches; w; w = next) {
        next = w->cnext;
        watch_unindex(w);
        watch_free(w);
    }
    c->watches = NULL;
    c->nwatches = 0;
}

static void watch_deliver(struct watch *w, const char *epath,
                          const struct xs_perm *p, unsigned np)
{
    if (np && !(tree_perm_for(&w->conn->who, p, np) & PERM_READ))
        return;
    if (w->relprefix && strlen(epath) > w->relprefix)
        epath += w->relprefix;
    conn_send_event(w->conn, epath, w->token);
}

/* Watches registered on exactly the first len bytes of path. */
static void fire_on(const char *path, size_t len, const char *epath,
                    const struct xs_perm *p, unsigned np)
{
    uint32_t h = watch_hash(path, len);

    for (struct watch *w = index_[h % WATCH_BUCKETS], *next; w; w = next) {
        next = w->hnext;    /* delivery may drop a flooded connection */
        if (w->hash == h && strlen(w->path) == len && !memcmp(w->path, path, len))
            watch_deliver(w, epath, p, np);
    }
}

static bool below(const char *wpath, const char *path, size_t len)
{
    if (strncmp(wpath, path, len))
        return false;
    return len == 1 ? wpath[1] != '\0' : wpath[len] == '/';
}

/* Watches under a removed node hear about it on their own path. */
static void fire_below(const char *path, const struct xs_perm *p, unsigned np)
{
    size_t len = strlen(path);

    for (unsigned i = 0; i < WATCH_BUCKETS; i++)
        for (struct watch *w = index_[i], *next; w; w = next) {
            next = w->hnext;
            if (w->path[0] == '/' && below(w->path, path, len))
                watch_deliver(w, w->path, p, np);
        }
}

void watch_fire(const char *path, unsigned mode, const struct xs_perm *p, unsigned np)
{
    size_t len = strlen(path);

    if (!nwatches)
        return;
    fire_on(path, len, path, p, np);
    for (size_t i = len; i-- > 1;)
        if (path[i] == '/')
            fire_on(path, i, path, p, np);
    if (len > 1)
        fire_on("/", 1, path, p, np);
    if (mode == FIRE_RM)
        fire_below(path, p, np);
}

void watch_fire_special(const char *name)
{
    const struct node *n = tree_lookup(name);

    if (n)
        fire_on(name, strlen(name), name, tree_perms(n), n->nperms);
}
