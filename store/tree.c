/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Node records, the path hash table, permissions and per-owner usage.
 * Nothing here knows about connections, transactions or watches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tree.h"

static struct node **buckets;
static unsigned long nbuckets, nnodes;
static uint64_t generation;
/* Indexed by owner domid; calloc'd so untouched pages cost nothing. */
static struct usage *usage;

static uint32_t path_hash(const char *s, uint32_t len)
{
    uint32_t h = 2166136261u;

    for (uint32_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

void tree_init(void)
{
    static const struct xs_perm root_perm = { 0, PERM_NONE };

    tree_destroy();
    nbuckets = 1024;
    buckets = calloc(nbuckets, sizeof(*buckets));
    usage = calloc(65536, sizeof(*usage));
    if (!buckets || !usage)
        abort();
    tree_insert(tree_alloc("/", &root_perm, 1));
}

void tree_destroy(void)
{
    for (unsigned long i = 0; buckets && i < nbuckets; i++) {
        struct node *n = buckets[i], *next;

        for (; n; n = next) {
            next = n->hnext;
            tree_free(n);
        }
    }
    free(buckets);
    free(usage);
    buckets = NULL;
    usage = NULL;
    nbuckets = nnodes = 0;
}

uint64_t tree_next_gen(void)
{
    return ++generation;
}

unsigned long tree_count(void)
{
    return nnodes;
}

struct node *tree_lookup(const char *path)
{
    uint32_t len = (uint32_t)strlen(path), h = path_hash(path, len);

    for (struct node *n = buckets[h & (nbuckets - 1)]; n; n = n->hnext)
        if (n->hash == h && n->pathlen == len && !memcmp(n->path, path, len))
            return n;
    return NULL;
}

struct node *tree_alloc(const char *path, const struct xs_perm *perms, unsigned nperms)
{
    size_t len = strlen(path);
    struct node *n = calloc(1, sizeof(*n) + len + 1);

    if (!n)
        return NULL;
    memcpy(n->path, path, len + 1);
    n->pathlen = (uint16_t)len;
    n->hash = path_hash(path, (uint32_t)len);
    n->perms = &n->perm0;
    n->nperms = 1;
    if (tree_set_perms(n, perms, nperms)) {
        free(n);
        return NULL;
    }
    return n;
}

struct node *tree_dup(const struct node *src)
{
    struct node *n = tree_alloc(src->path, src->perms, src->nperms);

    if (!n)
        return NULL;
    n->gen = src->gen;
    if (tree_set_value(n, src->value, src->vlen))
        goto out_free_node;
    if (src->kidslen) {
        n->kids = malloc(src->kidslen);
        if (!n->kids)
            goto out_free_node;
        memcpy(n->kids, src->kids, src->kidslen);
        n->kidslen = n->kidscap = src->kidslen;
    }
    return n;

out_free_node:
    tree_free(n);
    return NULL;
}

void tree_free(struct node *n)
{
    if (!n)
        return;
    free(n->value);
    free(n->kids);
    if (n->perms != &n->perm0)
        free(n->perms);
    free(n);
}

static void tree_grow(void)
{
    unsigned long nb = nbuckets * 2;
    struct node **b = calloc(nb, sizeof(*b));

    if (!b)
        return;     /* a longer chain is slower, not wrong */
    for (unsigned long i = 0; i < nbuckets; i++) {
        struct node *n = buckets[i], *next;

        for (; n; n = next) {
            next = n->hnext;
            n->hnext = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
        }
    }
    free(buckets);
    buckets = b;
    nbuckets = nb;
}

void tree_insert(struct node *n)
{
    struct node **b;

    if (nnodes >= nbuckets)
        tree_grow();
    b = &buckets[n->hash & (nbuckets - 1)];
    n->hnext = *b;
    *b = n;
    nnodes++;
    n->gen = tree_next_gen();
    tree_account(n);
}

void tree_remove(struct node *n)
{
    struct node **pp = &buckets[n->hash & (nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext) {
        if (*pp == n) {
            *pp = n->hnext;
            nnodes--;
            tree_unaccount(n);
            return;
        }
    }
}

static void swap_ptr(char **a, char **b)
{
    char *t = *a;

    *a = *b;
    *b = t;
}

void tree_replace(struct node *cur, struct node *src)
{
    tree_unaccount(cur);
    swap_ptr(&cur->value, &src->value);
    swap_ptr(&cur->kids, &src->kids);
    cur->vlen = src->vlen;
    cur->kidslen = src->kidslen;
    cur->kidscap = src->kidscap;
    src->kidslen = src->kidscap = 0;
    if (tree_set_perms(cur, src->perms, src->nperms))
        abort();    /* shrinking or equal-size copies only fail on ENOMEM */
    cur->gen = tree_next_gen();
    tree_account(cur);
    tree_free(src);
}

int tree_set_value(struct node *n, const void *v, uint32_t len)
{
    char *nv = NULL;

    if (len) {
        nv = malloc(len);
        if (!nv)
            return ENOMEM;
        memcpy(nv, v, len);
    }
    free(n->value);
    n->value = nv;
    n->vlen = len;
    return 0;
}

int tree_set_perms(struct node *n, const struct xs_perm *p, unsigned np)
{
    struct xs_perm *dst = &n->perm0;

    if (np == 0 || np > 0xffff)
        return EINVAL;
    if (np > 1) {
        dst = malloc(np * sizeof(*dst));
        if (!dst)
            return ENOMEM;
    }
    memmove(dst, p, np * sizeof(*dst));
    if (n->perms != &n->perm0)
        free(n->perms);
    n->perms = dst;
    n->nperms = (uint16_t)np;
    return 0;
}

int tree_add_kid(struct node *n, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1;

    if (n->kidslen + len > n->kidscap) {
        uint32_t cap = n->kidscap ? n->kidscap * 2 : 32;
        char *k;

        while (cap < n->kidslen + len)
            cap *= 2;
        k = realloc(n->kids, cap);
        if (!k)
            return ENOMEM;
        n->kids = k;
        n->kidscap = cap;
    }
    memcpy(n->kids + n->kidslen, name, len);
    n->kidslen += len;
    return 0;
}

void tree_del_kid(struct node *n, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1;

    for (uint32_t off = 0; off < n->kidslen;) {
        uint32_t klen = (uint32_t)strlen(n->kids + off) + 1;

        if (klen == len && !memcmp(n->kids + off, name, len)) {
            memmove(n->kids + off, n->kids + off + len, n->kidslen - off - len);
            n->kidslen -= len;
            return;
        }
        off += klen;
    }
}

bool tree_has_kids(const struct node *n)
{
    return n->kidslen != 0;
}

uint32_t tree_node_bytes(const struct node *n)
{
    return n->pathlen + n->vlen + n->nperms * (uint32_t)sizeof(struct xs_perm);
}

void tree_account(const struct node *n)
{
    struct usage *u = &usage[n->perms[0].domid];

    u->nodes++;
    u->bytes += tree_node_bytes(n);
}

void tree_unaccount(const struct node *n)
{
    struct usage *u = &usage[n->perms[0].domid];

    u->nodes--;
    u->bytes -= tree_node_bytes(n);
}

struct usage tree_usage(uint16_t domid)
{
    return usage[domid];
}

static bool is_me(const struct who *w, uint16_t domid)
{
    return domid == w->domid || (w->target != DOMID_NONE && domid == w->target);
}

unsigned tree_perm_for(const struct who *w, const struct xs_perm *p, unsigned np)
{
    if (w->priv || is_me(w, p[0].domid))
        return PERM_BOTH | PERM_OWNER;
    for (unsigned i = 1; i < np; i++)
        if (p[i].domid == w->domid)
            return p[i].perm;
    /* A target inherits what was granted to the domain it manages. */
    for (unsigned i = 1; i < np; i++)
        if (is_me(w, p[i].domid))
            return p[i].perm;
    return p[0].perm;
}

int tree_parse_perm(const char *s, struct xs_perm *out)
{
    static const char letters[] = "nrwb";
    const char *l = s[0] ? strchr(letters, s[0]) : NULL;
    char *end;
    unsigned long id;

    if (!l || s[1] < '0' || s[1] > '9')
        return EINVAL;
    id = strtoul(s + 1, &end, 10);
    if (*end || id > 0xffff)
        return EINVAL;
    out->perm = (uint8_t)(l - letters);
    out->domid = (uint16_t)id;
    return 0;
}

int tree_format_perm(const struct xs_perm *p, char *buf)
{
    return sprintf(buf, "%c%u", "nrwb"[p->perm & PERM_BOTH], p->domid);
}

static bool path_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '/' || c == '_' || c == '@';
}

bool tree_valid_path(const char *path)
{
    size_t len = strlen(path);

    if (path[0] != '/' || len > TREE_ABS_PATH_MAX)
        return false;
    if (len > 1 && path[len - 1] == '/')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!path_char_ok(path[i]))
            return false;
        if (path[i] == '/' && path[i + 1] == '/')
            return false;
    }
    return true;
}

uint32_t tree_parent_len(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash || (slash == path && path[1] == '\0'))
        return 0;
    return slash == path ? 1 : (uint32_t)(slash - path);
}

static int walk_from(struct node *n, int (*fn)(struct node *, void *), void *arg,
                     char *buf)
{
    int rc = fn(n, arg);
    size_t base = strlen(buf);

    for (uint32_t off = 0; !rc && off < n->kidslen;) {
        const char *kid = n->kids + off;
        struct node *k;

        off += (uint32_t)strlen(kid) + 1;
        snprintf(buf + base, 4096 - base, "%s%s", base > 1 ? "/" : "", kid);
        k = tree_lookup(buf);
        if (k)
            rc = walk_from(k, fn, arg, buf);
        buf[base] = '\0';
    }
    return rc;
}

int tree_walk(int (*fn)(struct node *n, void *arg), void *arg)
{
    char buf[4096] = "/";
    struct node *root = tree_lookup("/");

    return root ? walk_from(root, fn, arg, buf) : 0;
}
