/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * State dump and restore. The format is ours: a magic line, then records of
 * a type byte and length-prefixed fields, then an end record with counts.
 * After a plain restart socket clients reconnect; after a live update (exec
 * with the sockets open) they keep their connection and watches. Domain
 * connections, their watches and every node survive both. Open transactions
 * do not.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "state.h"
#include "watch.h"

#define STATE_MAGIC "xen-like xenstored state 1\n"

enum {
    REC_NODE = 'N', REC_DOMAIN = 'D', REC_WATCH = 'W', REC_END = 'E',
    REC_SOCKET = 'S', REC_SOCKET_WATCH = 'X', REC_RING_BYTES = 'R',
};

struct out {
    FILE *f;
    unsigned long nodes;
};

static void put32(FILE *f, uint32_t v)
{
    fwrite(&v, sizeof(v), 1, f);
}

static void putbytes(FILE *f, const void *p, uint32_t len)
{
    put32(f, len);
    if (len)
        fwrite(p, 1, len, f);
}

static int dump_node(struct node *n, void *arg)
{
    struct out *o = arg;

    fputc(REC_NODE, o->f);
    putbytes(o->f, n->path, n->pathlen);
    putbytes(o->f, tree_value(n), n->vlen);
    put32(o->f, n->nperms);
    for (unsigned i = 0; i < n->nperms; i++) {
        put32(o->f, tree_perms(n)[i].domid);
        put32(o->f, tree_perms(n)[i].perm);
    }
    o->nodes++;
    return ferror(o->f) ? EIO : 0;
}

/* Unread input, then unsent output (from where the transport stopped). */
static void dump_bytes(FILE *f, const struct conn *c)
{
    uint32_t len = 0, n;
    const char *p;

    putbytes(f, c->in, c->in_len);
    for (struct wire_msg *m = c->out_head; m; m = m->next)
        len += m->len;
    len -= c->out_off;
    put32(f, len);
    for (struct wire_msg *m = c->out_head; m; m = m->next) {
        p = m->buf + (m == c->out_head ? c->out_off : 0);
        n = m->len - (m == c->out_head ? c->out_off : 0);
        fwrite(p, 1, n, f);
    }
}

/*
 * A ring connection's bytes taken from or not yet put on the ring: a
 * message half way through must be completed by whoever serves the ring
 * next. Written before the watches, whose restore queues events behind.
 */
static void dump_ring_bytes(FILE *f, uint16_t domid, const struct conn *c)
{
    if (!c || (!c->in_len && !c->out_head))
        return;
    fputc(REC_RING_BYTES, f);
    put32(f, domid);
    dump_bytes(f, c);
}

static void dump_ring_watches(FILE *f, uint16_t domid, const struct conn *c)
{
    for (struct watch *w = c ? c->watches : NULL; w; w = w->cnext) {
        fputc(REC_WATCH, f);
        put32(f, domid);
        put32(f, w->relprefix);
        putbytes(f, w->path, (uint32_t)strlen(w->path));
        putbytes(f, w->token, (uint32_t)strlen(w->token));
    }
}

static void dump_domain(uint16_t domid, uint64_t mfn, uint32_t port, void *arg)
{
    struct out *o = arg;
    struct conn *c = domain_conn(domid);

    fputc(REC_DOMAIN, o->f);
    put32(o->f, domid);
    put32(o->f, (uint32_t)mfn);
    put32(o->f, (uint32_t)(mfn >> 32));
    put32(o->f, port);
    put32(o->f, c ? c->who.target : DOMID_NONE);
    dump_ring_bytes(o->f, domid, c);
    dump_ring_watches(o->f, domid, c);
}

/* A socket connection: descriptor, unread input, unsent output, watches. */
static void dump_socket(FILE *f, struct conn *c)
{
    fputc(REC_SOCKET, f);
    put32(f, (uint32_t)c->fd);
    dump_bytes(f, c);
    for (struct watch *w = c->watches; w; w = w->cnext) {
        fputc(REC_SOCKET_WATCH, f);
        put32(f, (uint32_t)c->fd);
        put32(f, w->relprefix);
        putbytes(f, w->path, (uint32_t)strlen(w->path));
        putbytes(f, w->token, (uint32_t)strlen(w->token));
    }
}

static int dump(const char *path, bool sockets);

int state_dump(const char *path)
{
    return dump(path, false);
}

int state_dump_live(const char *path)
{
    return dump(path, true);
}

static int dump(const char *path, bool sockets)
{
    char tmp[4096];
    struct out o = { 0 };
    int rc;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return EINVAL;
    o.f = fopen(tmp, "wb");
    if (!o.f)
        return errno;
    fputs(STATE_MAGIC, o.f);
    rc = tree_walk(dump_node, &o);
    if (!rc)
        rc = dump_node(tree_lookup("@introduceDomain"), &o) ?:
             dump_node(tree_lookup("@releaseDomain"), &o);
    domain_each(dump_domain, &o);
    /* The kernel's own ring (domain 0), for when it is bound again. */
    dump_ring_bytes(o.f, 0, domain_local_conn());
    dump_ring_watches(o.f, 0, domain_local_conn());
    for (struct conn *c = conn_first(); sockets && c; c = c->next)
        if (c->fd >= 0 && !c->dead)
            dump_socket(o.f, c);
    fputc(REC_END, o.f);
    put32(o.f, (uint32_t)o.nodes);
    if (rc || fflush(o.f) || fsync(fileno(o.f)) || ferror(o.f)) {
        fclose(o.f);
        unlink(tmp);
        return rc ?: EIO;
    }
    fclose(o.f);
    if (rename(tmp, path))
        return errno;
    xs_log("state: dumped %lu nodes to %s", o.nodes, path);
    return 0;
}

/* ---- restore ---- */

static int get32(FILE *f, uint32_t *v)
{
    return fread(v, sizeof(*v), 1, f) == 1 ? 0 : EINVAL;
}

/* A length-prefixed field into a NUL-terminated malloc'd buffer. */
static int getbytes(FILE *f, char **p, uint32_t *len, uint32_t max)
{
    if (get32(f, len) || *len > max)
        return EINVAL;
    *p = malloc(*len + 1);
    if (!*p)
        return ENOMEM;
    if (*len && fread(*p, 1, *len, f) != *len) {
        free(*p);
        *p = NULL;      /* callers free what they were given */
        return EINVAL;
    }
    (*p)[*len] = '\0';
    return 0;
}

static int restore_node(FILE *f)
{
    char *path, *value = NULL;
    uint32_t plen, vlen, np;
    struct xs_perm *p = NULL;
    struct node *n, *parent;
    int rc = getbytes(f, &path, &plen, TREE_ABS_PATH_MAX);

    if (rc)
        return rc;
    rc = getbytes(f, &value, &vlen, XENSTORE_PAYLOAD_MAX) ?: get32(f, &np);
    if (rc || np == 0 || np > XENSTORE_PAYLOAD_MAX) {
        rc = rc ?: EINVAL;
        goto out_free;
    }
    p = calloc(np, sizeof(*p));
    for (uint32_t i = 0; p && i < np && !rc; i++) {
        uint32_t d, m;

        rc = get32(f, &d) ?: get32(f, &m);
        p[i].domid = (uint16_t)d;
        p[i].perm = (uint8_t)(m & PERM_BOTH);
    }
    if (!p || rc) {
        rc = rc ?: ENOMEM;
        goto out_free;
    }
    rc = EINVAL;
    if (path[0] != '@' && !tree_valid_path(path))
        goto out_free;
    n = tree_lookup(path);
    if (n) {                /* the root and the special nodes exist already */
        tree_unaccount(n);
        rc = tree_set_value(n, value, vlen) ?: tree_set_perms(n, p, np);
        tree_account(n);
        goto out_free;
    }
    /* Parents are dumped before their children. */
    {
        uint32_t pl = tree_parent_len(path);
        char saved = path[pl];

        path[pl] = '\0';
        parent = tree_lookup(path);
        path[pl] = saved;
        if (!parent)
            goto out_free;
        n = tree_alloc(path, p, np, vlen);
        if (!n || tree_set_value(n, value, vlen) ||
            tree_add_kid(parent, path + pl + (pl > 1))) {
            tree_free(n);
            rc = ENOMEM;
            goto out_free;
        }
        tree_insert(n);
        rc = 0;
    }
out_free:
    free(p);
    free(value);
    free(path);
    return rc;
}

static int restore_domain(FILE *f)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };
    uint32_t domid, lo, hi, port, target;
    int rc = get32(f, &domid) ?: get32(f, &lo) ?: get32(f, &hi) ?: get32(f, &port) ?:
             get32(f, &target);

    if (rc || domid > 0xffff)
        return EINVAL;
    rc = domain_restore(&dom0, (uint16_t)domid, ((uint64_t)hi << 32) | lo, port);
    if (!rc && target != DOMID_NONE)
        domain_set_target(&dom0, (uint16_t)domid, (uint16_t)target);
    return rc;
}

static int restore_watch(FILE *f)
{
    uint32_t domid, rel, plen, tlen;
    char *path = NULL, *token = NULL;
    struct conn *c;
    int rc = get32(f, &domid) ?: get32(f, &rel) ?:
             getbytes(f, &path, &plen, TREE_ABS_PATH_MAX);

    if (rc)
        return rc;
    rc = getbytes(f, &token, &tlen, XENSTORE_PAYLOAD_MAX);
    if (!rc) {
        c = domid && domid <= 0xffff ? domain_conn((uint16_t)domid) : NULL;
        /* A domain without a connection on this host has nowhere to keep it. */
        rc = c ? watch_add(c, path, token, (uint16_t)rel) : 0;
        if (domid == 0)
            rc = domain_local_watch_later(path, token, (uint16_t)rel);
        free(token);
    }
    free(path);
    return rc;
}

static struct conn *socket_conn(int fd)
{
    for (struct conn *c = conn_first(); c; c = c->next)
        if (c->fd == fd)
            return c;
    return NULL;
}

/* Put a connection's saved bytes back: input to dispatch, output to send. */
static int restore_bytes(struct conn *c, const char *in, uint32_t inlen,
                          const char *out, uint32_t outlen)
{
    if (inlen > c->in_cap)
        return EINVAL;
    memcpy(c->in, in, inlen);
    c->in_len = inlen;
    return outlen ? conn_queue_raw(c, out, outlen) : 0;
}

static int restore_socket(FILE *f, state_adopt_fn adopt)
{
    uint32_t fd, inlen, outlen;
    char *in = NULL, *out = NULL;
    struct conn *c;
    int rc = get32(f, &fd) ?: getbytes(f, &in, &inlen, 64 * 1024) ?:
             getbytes(f, &out, &outlen, 64 * 1024 * 1024);

    if (rc) {
        free(in);
        return rc;
    }
    rc = EINVAL;
    if (!adopt || fd > 0x7fffffff || socket_conn((int)fd))
        goto out_free;
    c = adopt((int)fd);
    if (c)
        rc = restore_bytes(c, in, inlen, out, outlen);
out_free:
    free(in);
    free(out);
    return rc;
}

static int restore_ring_bytes(FILE *f)
{
    uint32_t domid, inlen, outlen;
    char *in = NULL, *out = NULL;
    struct conn *c;
    int rc = get32(f, &domid) ?: getbytes(f, &in, &inlen, 64 * 1024) ?:
             getbytes(f, &out, &outlen, 64 * 1024 * 1024);

    if (!rc && domid > 0xffff)
        rc = EINVAL;
    if (!rc && domid == 0) {
        rc = domain_local_bytes_later(in, inlen, out, outlen);
    } else if (!rc) {
        c = domain_conn((uint16_t)domid);
        /* A domain without a connection on this host has no ring to finish. */
        rc = c ? restore_bytes(c, in, inlen, out, outlen) : 0;
    }
    free(in);
    free(out);
    return rc;
}

static int restore_socket_watch(FILE *f)
{
    uint32_t fd, rel, plen, tlen;
    char *path = NULL, *token = NULL;
    struct conn *c;
    int rc = get32(f, &fd) ?: get32(f, &rel) ?:
             getbytes(f, &path, &plen, TREE_ABS_PATH_MAX);

    if (rc)
        return rc;
    rc = getbytes(f, &token, &tlen, XENSTORE_PAYLOAD_MAX);
    if (!rc) {
        c = fd <= 0x7fffffff ? socket_conn((int)fd) : NULL;
        rc = c ? watch_add(c, path, token, (uint16_t)rel) : EINVAL;
        free(token);
    }
    free(path);
    return rc;
}

static int restore_records(FILE *f, unsigned long *nodes, state_adopt_fn adopt)
{
    for (;;) {
        int type = fgetc(f), rc;
        uint32_t want;

        switch (type) {
        case REC_NODE:
            rc = restore_node(f);
            (*nodes)++;
            break;
        case REC_DOMAIN:
            rc = restore_domain(f);
            break;
        case REC_WATCH:
            rc = restore_watch(f);
            break;
        case REC_SOCKET:
            rc = restore_socket(f, adopt);
            break;
        case REC_SOCKET_WATCH:
            rc = restore_socket_watch(f);
            break;
        case REC_RING_BYTES:
            rc = restore_ring_bytes(f);
            break;
        case REC_END:
            return get32(f, &want) || want != *nodes ? EINVAL : 0;
        default:
            return EINVAL;
        }
        if (rc)
            return rc;
    }
}

int state_restore(const char *path, state_adopt_fn adopt)
{
    char magic[sizeof(STATE_MAGIC)];
    unsigned long nodes = 0;
    FILE *f = fopen(path, "rb");
    int rc;

    if (!f)
        return errno;
    if (!fgets(magic, sizeof(magic), f) || strcmp(magic, STATE_MAGIC)) {
        fclose(f);
        xs_log("state: %s is not a state file", path);
        return EINVAL;
    }
    domain_destroy_all();
    conn_init();
    watch_init();
    tree_init();
    node_init_special();
    rc = restore_records(f, &nodes, adopt);
    fclose(f);
    if (rc)
        xs_log("state: %s damaged after %lu nodes: %s", path, nodes, strerror(rc));
    else
        xs_log("state: restored %lu nodes from %s", nodes, path);
    return rc;
}
