/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Node records, the path hash table, permissions and per-owner usage.
 * Nothing here knows about connections, transactions or watches.
 */
#include <errno.h>
#include <stddef.h>
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
    tree_insert(tree_alloc("/", &root_perm, 1, 0));
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

static uint32_t node_hash(const struct node *n)
{
    return path_hash(n->path, n->pathlen);
}

struct node *tree_lookup(const char *path)
{
    uint32_t len = (uint32_t)strlen(path), h = path_hash(path, len);

    for (struct node *n = buckets[h & (nbuckets - 1)]; n; n = n->hnext)
        if (n->pathlen == len && !memcmp(n->path, path, len))
            return n;
    return NULL;
}

/* Capacity of a child list is implied by its length: the next power of two. */
static uint32_t kids_cap(uint32_t len)
{
    uint32_t cap = 32;

    if (!len)
        return 0;
    while (cap < len)
        cap *= 2;
    return cap;
}

/* Room after the path: at least a heap pointer's worth. */
#define VCAP_MIN ((uint32_t)sizeof(char *))

struct node *tree_alloc(const char *path, const struct xs_perm *perms, unsigned nperms,
                        uint32_t vhint)
{
    size_t len = strlen(path);
    uint32_t vcap = vhint > VCAP_MIN ? vhint : VCAP_MIN;
    struct node *n;

    if (len > 0xffff || vcap > 0xffff)
        return NULL;
    /* header + path + NUL rounded up to 8, then the value room */
    n = calloc(1, ((offsetof(struct node, path) + len + 1 + 7) & ~(size_t)7) + vcap);
    if (!n)
        return NULL;
    memcpy(n->path, path, len + 1);
    n->pathlen = (uint16_t)len;
    n->vcap = (uint16_t)vcap;
    n->nperms = 1;
    if (tree_set_perms(n, perms, nperms)) {
        free(n);
        return NULL;
    }
    return n;
}

struct node *tree_dup(const struct node *src)
{
    struct node *n = tree_alloc(src->path, tree_perms(src), src->nperms, src->vlen);

    if (!n)
        return NULL;
    n->gen = src->gen;
    if (tree_set_value(n, tree_value(src), src->vlen))
        goto out_free_node;
    if (src->kidslen) {
        /* The capacity is implied by the length: allocate all of it. */
        n->kids = malloc(kids_cap(src->kidslen));
        if (!n->kids)
            goto out_free_node;
        memcpy(n->kids, src->kids, src->kidslen);
        n->kidslen = src->kidslen;
    }
    return n;

out_free_node:
    tree_free(n);
    return NULL;
}

static void value_free(struct node *n)
{
    if (n->vlen > n->vcap)
        free((char *)tree_value(n));
    n->vlen = 0;
}

void tree_free(struct node *n)
{
    if (!n)
        return;
    value_free(n);
    free(n->kids);
    if (n->nperms > 1)
        free(n->p.ext);
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
            uint32_t h = node_hash(n);

            next = n->hnext;
            n->hnext = b[h & (nb - 1)];
            b[h & (nb - 1)] = n;
        }
    }
    free(buckets);
    buckets = b;
    nbuckets = nb;
}

void tree_insert(struct node *n)
{
    struct node **b;

    /* Two nodes per bucket on average: chains stay short, buckets cheap. */
    if (nnodes >= 2 * nbuckets)
        tree_grow();
    b = &buckets[node_hash(n) & (nbuckets - 1)];
    n->hnext = *b;
    *b = n;
    nnodes++;
    n->gen = tree_next_gen();
    tree_account(n);
}

void tree_remove(struct node *n)
{
    struct node **pp = &buckets[node_hash(n) & (nbuckets - 1)];

    for (; *pp; pp = &(*pp)->hnext) {
        if (*pp == n) {
            *pp = n->hnext;
            nnodes--;
            tree_unaccount(n);
            return;
        }
    }
}

void tree_replace(struct node *cur, struct node *src)
{
    char *kids = cur->kids;

    tree_unaccount(cur);
    /* Same-size or smaller copies of what src holds; ENOMEM is fatal here
     * because a commit must not half-apply. */
    if (tree_set_value(cur, tree_value(src), src->vlen) ||
        tree_set_perms(cur, tree_perms(src), src->nperms))
        abort();
    cur->kids = src->kids;
    cur->kidslen = src->kidslen;
    src->kids = kids;
    cur->gen = tree_next_gen();
    tree_account(cur);
    tree_free(src);
}

int tree_set_value(struct node *n, const void *v, uint32_t len)
{
    char *tail = tree_tail(n), *heap;

    if (len <= n->vcap) {
        value_free(n);
        if (len)
            memmove(tail, v, len);
        n->vlen = len;
        return 0;
    }
    heap = malloc(len);
    if (!heap)
        return ENOMEM;
    memcpy(heap, v, len);
    value_free(n);
    memcpy(tail, &heap, sizeof(heap));
    n->vlen = len;
    return 0;
}

int tree_set_perms(struct node *n, const struct xs_perm *p, unsigned np)
{
    struct xs_perm *ext = NULL;

    if (np == 0 || np > 0xffff)
        return EINVAL;
    if (np > 1) {
        ext = malloc(np * sizeof(*ext));
        if (!ext)
            return ENOMEM;
        memcpy(ext, p, np * sizeof(*ext));  /* p may be n's own list */
    }
    if (n->nperms > 1)
        free(n->p.ext);
    if (np > 1)
        n->p.ext = ext;
    else
        n->p.one = p[0];
    n->nperms = (uint16_t)np;
    return 0;
}

int tree_add_kid(struct node *n, const char *name)
{
    uint32_t len = (uint32_t)strlen(name) + 1;

    if (n->kidslen + len > kids_cap(n->kidslen)) {
        char *k = realloc(n->kids, kids_cap(n->kidslen + len));

        if (!k)
            return ENOMEM;
        n->kids = k;
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
            /* Keep the implied capacity true: shrink along with the length. */
            if (!n->kidslen) {
                free(n->kids);
                n->kids = NULL;
            } else if (kids_cap(n->kidslen) < kids_cap(n->kidslen + len)) {
                char *k = realloc(n->kids, kids_cap(n->kidslen));

                if (k)
                    n->kids = k;
            }
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
    struct usage *u = &usage[tree_perms(n)[0].domid];

    u->nodes++;
    u->bytes += tree_node_bytes(n);
}

void tree_unaccount(const struct node *n)
{
    struct usage *u = &usage[tree_perms(n)[0].domid];

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
