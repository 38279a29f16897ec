/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connections: framing of received bytes, the per-type request dispatch,
 * reply and event queues, and the limits that keep one client from hurting
 * the others (payload size, outstanding replies, unread output).
 * Request semantics are in node.c, domain.c and watch.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "control.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "txn.h"
#include "watch.h"

/* Two maximal messages: one being received while the previous waits. */
#define CONN_IN_CAP (2 * (16 + XENSTORE_PAYLOAD_MAX))
#define PRIV_OUT_THROTTLE (1024 * 1024)

struct quota quota = {
    .nodes = 1000, .entry_size = 2048, .watches = 128, .transactions = 10,
    .outstanding = 20, .memory = 2 * 1024 * 1024, .out_bytes = 8 * 1024 * 1024,
    .perms = 5,             /* C xenstored's quota-nb-perms-per-node */
};

static struct conn *conns;
static uint32_t next_conn_id = 1;
/* The connection whose request is being handled: others' output waits until
 * its reply is on its way, so the requester is never behind its own events. */
static struct conn *dispatching;
static bool others_waiting;
/* Why the current request was refused, for the log line; NULL: errno says it. */
static const char *refusal;

struct reply {
    const char *data;
    uint32_t len;
    char buf[XENSTORE_PAYLOAD_MAX + 64];
};

struct req {
    struct conn *c;
    const struct xsd_sockmsg *h;
    const char *payload;
    struct txn *t;
    const char *path;       /* first argument, for the log */
};

static const char *const type_names[] = {
    "control", "directory", "read", "get_perms", "watch", "unwatch",
    "transaction_start", "transaction_end", "introduce", "release",
    "get_domain_path", "write", "mkdir", "rm", "set_perms", "watch_event",
    "error", "is_domain_introduced", "resume", "set_target", "restrict",
    "reset_watches", "directory_part",
};

static const char *type_name(uint32_t type)
{
    return type < sizeof(type_names) / sizeof(type_names[0]) ? type_names[type] : "unknown";
}

void conn_init(void)
{
    while (conns)
        conn_destroy(conns);
}

struct conn *conn_first(void)
{
    return conns;
}

struct conn *conn_create(const struct who *w, const struct transport_ops *ops, void *tpriv)
{
    struct conn *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->in = malloc(CONN_IN_CAP);
    if (!c->in) {
        free(c);
        return NULL;
    }
    c->in_cap = CONN_IN_CAP;
    c->who = *w;
    c->tops = ops;
    c->tpriv = tpriv;
    c->fd = -1;
    c->id = next_conn_id++;
    c->next_txid = 1;
    c->next = conns;
    if (conns)
        conns->prev = c;
    conns = c;
    return c;
}

static void conn_drop_txns(struct conn *c)
{
    struct txn *t, *next;

    for (t = c->txns; t; t = next) {
        next = t->next;
        txn_destroy(t);
    }
    c->txns = NULL;
    c->ntxns = 0;
}

static void conn_drop_output(struct conn *c)
{
    struct wire_msg *m, *next;

    for (m = c->out_head; m; m = next) {
        next = m->next;
        free(m);
    }
    c->out_head = c->out_tail = NULL;
    c->out_off = 0;
    c->out_bytes = 0;
    c->out_replies = 0;
}

void conn_reset(struct conn *c)
{
    watch_del_all(c);
    conn_drop_txns(c);
    conn_drop_output(c);
    c->in_len = 0;
}

void conn_destroy(struct conn *c)
{
    watch_del_all(c);
    conn_drop_txns(c);
    conn_drop_output(c);
    if (c->prev)
        c->prev->next = c->next;
    else
        conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c->in);
    free(c);
}

void conn_kill(struct conn *c, const char *why)
{
    if (c->dead)
        return;
    c->dead = true;
    c->dead_reason = why;
    xs_log("domain %u (connection %u): disconnected: %s", c->who.domid, c->id, why);
}

static void conn_queue(struct conn *c, struct wire_msg *m)
{
    if (!m) {
        conn_kill(c, "out of memory queueing output");
        return;
    }
    if (c->dead) {
        free(m);
        return;
    }
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->out_bytes += m->len;
    c->out_replies += m->is_reply;
    if (c->out_bytes > quota.out_bytes) {
        conn_kill(c, "stopped reading: output queue over limit");
        return;
    }
    if (dispatching && c != dispatching) {
        others_waiting = true;
        return;
    }
    if (c->tops && c->tops->kick)
        c->tops->kick(c);
}

static void kick_others(const struct conn *requester)
{
    others_waiting = false;
    for (struct conn *c = conns; c; c = c->next)
        if (c != requester && c->out_head && !c->dead && c->tops && c->tops->kick)
            c->tops->kick(c);
}

void conn_reply(struct conn *c, const struct xsd_sockmsg *req, uint32_t type,
                const void *payload, uint32_t len)
{
    conn_queue(c, wire_build(type, req->req_id, req->tx_id, payload, len));
}

void conn_send_event(struct conn *c, const char *path, const char *token)
{
    size_t pl = strlen(path) + 1, tl = strlen(token) + 1;
    char buf[XENSTORE_PAYLOAD_MAX];

    /* Longer than a payload may be: readers (libxenstore, Linux xenbus)
     * would lose their place in the stream. */
    if (pl + tl > sizeof(buf)) {
        xs_log("domain %u: watch event for %s dropped: over %u bytes with its token",
               c->who.domid, path, XENSTORE_PAYLOAD_MAX);
        return;
    }
    memcpy(buf, path, pl);
    memcpy(buf + pl, token, tl);
    conn_queue(c, wire_build(XS_WATCH_EVENT, 0, 0, buf, (uint32_t)(pl + tl)));
}

int conn_queue_raw(struct conn *c, const void *bytes, uint32_t len)
{
    struct wire_msg *m = malloc(sizeof(*m) + len);

    if (!m)
        return ENOMEM;
    m->next = NULL;
    m->len = len;
    m->is_reply = 0;
    memcpy(m->buf, bytes, len);
    conn_queue(c, m);
    return 0;
}

const char *conn_out_peek(struct conn *c, uint32_t *len)
{
    if (!c->out_head)
        return NULL;
    *len = c->out_head->len - c->out_off;
    return c->out_head->buf + c->out_off;
}

void conn_out_done(struct conn *c, uint32_t n)
{
    struct wire_msg *m = c->out_head;

    c->out_off += n;
    c->out_bytes -= n;
    if (c->out_off < m->len)
        return;
    c->out_head = m->next;
    if (!c->out_head)
        c->out_tail = NULL;
    c->out_off = 0;
    c->out_replies -= m->is_reply;
    free(m);
}

bool conn_wants_input(const struct conn *c)
{
    if (c->dead)
        return false;
    if (c->who.priv)
        return c->out_bytes < PRIV_OUT_THROTTLE;
    return c->out_replies < quota.outstanding;
}

/* ---- argument helpers ---- */

static int refuse(const char *reason)
{
    refusal = reason;
    return EINVAL;
}

static int parse_domid(const char *s, uint16_t *out)
{
    char *end;
    unsigned long v;

    if (s[0] < '0' || s[0] > '9')
        return refuse("domid is not a decimal number");
    v = strtoul(s, &end, 10);
    if (*end || v > 0xffff)
        return refuse("domid is not a number below 65536");
    *out = (uint16_t)v;
    return 0;
}

/* Guests get XENSTORE_REL_PATH_MAX bytes beyond their home, as in Xen. */
static int rel_limit(struct conn *c, const char *path)
{
    char home[32];
    int hl = snprintf(home, sizeof(home), "/local/domain/%u/", c->who.domid);
    size_t off = strncmp(path, home, (size_t)hl) ? 0 : (size_t)hl;

    return strlen(path) > off + XENSTORE_REL_PATH_MAX ?
           refuse("path longer than 2048 bytes past the domain's home") : 0;
}

/* Absolute form of a request path; relative ones hang off the domain's home. */
static int canon(struct conn *c, const char *arg, bool special, char *out,
                 uint16_t *relprefix)
{
    size_t len = strlen(arg);
    int pre = 0;

    if (relprefix)
        *relprefix = 0;
    if (arg[0] == '@') {
        if (!special || len > TREE_ABS_PATH_MAX)
            return refuse("special path not allowed here");
        memcpy(out, arg, len + 1);
        return 0;
    }
    if (arg[0] != '/') {
        pre = snprintf(out, 32, "/local/domain/%u/", c->who.domid);
        if (relprefix)
            *relprefix = (uint16_t)pre;
    }
    if (pre + len > TREE_ABS_PATH_MAX)
        return refuse("path longer than 3072 bytes");
    memcpy(out + pre, arg, len + 1);
    if (!tree_valid_path(out))
        return refuse("bad path (characters, empty component or trailing /)");
    return c->who.priv ? 0 : rel_limit(c, out);
}

static int args(const struct req *r, const char **argv, int min, int max)
{
    int n = wire_split(r->payload, r->h->len, argv, max);

    return n < min ? refuse("payload is not the expected NUL-terminated strings") : 0;
}

static struct txn *txn_find(struct conn *c, uint32_t id)
{
    for (struct txn *t = c->txns; t; t = t->next)
        if (t->id == id)
            return t;
    return NULL;
}

static int ok(struct reply *rep)
{
    rep->data = "OK";
    rep->len = 3;
    return 0;
}

/* ---- handlers: fill rep or return an errno ---- */

static int do_read(struct req *r, struct reply *rep)
{
    const char *argv[1];
    char path[TREE_ABS_PATH_MAX + 64];
    const struct node *n;
    int rc = args(r, argv, 1, 1) ?: canon(r->c, argv[0], false, path, NULL);

    if (rc)
        return rc;
    rc = node_read(&r->c->who, r->t, path, &n);
    if (rc)
        return rc;
    rep->data = tree_value(n);
    rep->len = n->vlen;
    return 0;
}

static int do_write(struct req *r, struct reply *rep)
{
    char path[TREE_ABS_PATH_MAX + 64];
    const char *nul = memchr(r->payload, '\0', r->h->len);
    uint32_t plen;
    int rc;

    if (!nul)
        return refuse("no NUL after the path");
    plen = (uint32_t)(nul - r->payload) + 1;
    rc = canon(r->c, r->payload, false, path, NULL);
    if (rc)
        return rc;
    rc = node_write(&r->c->who, r->t, path, r->payload + plen, r->h->len - plen);
    return rc ?: ok(rep);
}

static int do_mkdir(struct req *r, struct reply *rep)
{
    const char *argv[1];
    char path[TREE_ABS_PATH_MAX + 64];
    int rc = args(r, argv, 1, 1) ?: canon(r->c, argv[0], false, path, NULL);

    return rc ?: node_mkdir(&r->c->who, r->t, path) ?: ok(rep);
}

static int do_rm(struct req *r, struct reply *rep)
{
    const char *argv[1];
    char path[TREE_ABS_PATH_MAX + 64];
    int rc = args(r, argv, 1, 1) ?: canon(r->c, argv[0], false, path, NULL);

    return rc ?: node_rm(&r->c->who, r->t, path) ?: ok(rep);
}

static int do_directory(struct req *r, struct reply *rep)
{
    const char *argv[1];
    char path[TREE_ABS_PATH_MAX + 64];
    const struct node *n;
    int rc = args(r, argv, 1, 1) ?: canon(r->c, argv[0], false, path, NULL);

    if (rc || (rc = node_read(&r->c->who, r->t, path, &n)))
        return rc;
    if (n->kidslen > XENSTORE_PAYLOAD_MAX)
        return E2BIG;
    rep->data = n->kids ? n->kids : "";
    rep->len = n->kidslen;
    return 0;
}

static int do_directory_part(struct req *r, struct reply *rep)
{
    const char *argv[2];
    char path[TREE_ABS_PATH_MAX + 64];
    const struct node *n;
    uint32_t off, len = 0, gl;
    int rc = args(r, argv, 2, 2) ?: canon(r->c, argv[0], false, path, NULL);

    if (rc || (rc = node_read(&r->c->who, r->t, path, &n)))
        return rc;
    off = (uint32_t)strtoul(argv[1], NULL, 10);
    gl = (uint32_t)sprintf(rep->buf, "%llu", (unsigned long long)n->gen) + 1;
    /* Whole names only, and a final empty name marks the end of the list. */
    while (off < n->kidslen) {
        uint32_t k = (uint32_t)strlen(n->kids + off + len) + 1;

        if (gl + len + k + 1 > XENSTORE_PAYLOAD_MAX)
            break;
        len += k;
        if (off + len >= n->kidslen)
            break;
    }
    if (off < n->kidslen)
        memcpy(rep->buf + gl, n->kids + off, len);
    if (off >= n->kidslen || off + len >= n->kidslen)
        rep->buf[gl + len++] = '\0';
    rep->data = rep->buf;
    rep->len = gl + len;
    return 0;
}

static int do_get_perms(struct req *r, struct reply *rep)
{
    const char *argv[1];
    char path[TREE_ABS_PATH_MAX + 64];
    const struct node *n;
    int rc = args(r, argv, 1, 1) ?: canon(r->c, argv[0], true, path, NULL);

    if (rc || (rc = node_get_perms(&r->c->who, r->t, path, &n)))
        return rc;
    rep->len = 0;
    for (unsigned i = 0; i < n->nperms; i++) {
        if (rep->len + 8 > XENSTORE_PAYLOAD_MAX)
            return E2BIG;
        rep->len += (uint32_t)tree_format_perm(&tree_perms(n)[i], rep->buf + rep->len) + 1;
    }
    rep->data = rep->buf;
    return 0;
}

static int do_set_perms(struct req *r, struct reply *rep)
{
    const char *argv[XENSTORE_PAYLOAD_MAX / 2];
    char path[TREE_ABS_PATH_MAX + 64];
    struct xs_perm perms[XENSTORE_PAYLOAD_MAX / 2];
    int n = wire_split(r->payload, r->h->len, argv, XENSTORE_PAYLOAD_MAX / 2);
    int rc;

    if (n < 2)
        return refuse("needs a path and at least one permission");
    rc = canon(r->c, argv[0], true, path, NULL);
    for (int i = 1; !rc && i < n; i++)
        if (tree_parse_perm(argv[i], &perms[i - 1]))
            rc = refuse("permission is not [nrwb]<domid>");
    if (rc)
        return rc;
    return node_set_perms(&r->c->who, r->t, path, perms, (unsigned)n - 1) ?: ok(rep);
}

static int do_watch(struct req *r, struct reply *rep)
{
    const char *argv[3];
    char path[TREE_ABS_PATH_MAX + 64];
    uint16_t rel;
    int rc = args(r, argv, 2, 3) ?: canon(r->c, argv[0], true, path, &rel);

    if (rc)
        return rc;
    if (!r->c->who.priv && r->c->nwatches >= quota.watches) {
        xs_log("domain %u: watch %s: EQUOTA: %u watches, limit %u",
               r->c->who.domid, argv[0], r->c->nwatches, quota.watches);
        return ENOSPC;
    }
    rc = watch_add(r->c, path, argv[1], rel);
    if (rc)
        return rc;
    /* The reply goes first, then the watch fires once on its own path. */
    conn_reply(r->c, r->h, XS_WATCH, "OK", 3);
    conn_send_event(r->c, argv[0], argv[1]);
    rep->data = NULL;
    return 0;
}

static int do_unwatch(struct req *r, struct reply *rep)
{
    const char *argv[3];
    char path[TREE_ABS_PATH_MAX + 64];
    int rc = args(r, argv, 2, 3) ?: canon(r->c, argv[0], true, path, NULL);

    return rc ?: watch_del(r->c, path, argv[1]) ?: ok(rep);
}

static int do_txn_start(struct req *r, struct reply *rep)
{
    struct conn *c = r->c;
    struct txn *t;

    if (r->h->tx_id)
        return EBUSY;
    if (!c->who.priv && c->ntxns >= quota.transactions) {
        xs_log("domain %u: transaction_start: EQUOTA: %u open, limit %u",
               c->who.domid, c->ntxns, quota.transactions);
        return ENOSPC;
    }
    while (c->next_txid == 0 || txn_find(c, c->next_txid))
        c->next_txid++;
    t = txn_create(c->next_txid++, c->who.domid);
    if (!t)
        return ENOMEM;
    t->next = c->txns;
    c->txns = t;
    c->ntxns++;
    rep->len = (uint32_t)sprintf(rep->buf, "%u", t->id) + 1;
    rep->data = rep->buf;
    return 0;
}

static int do_txn_end(struct req *r, struct reply *rep)
{
    const char *argv[1];
    struct conn *c = r->c;
    struct txn **pp;
    int rc = args(r, argv, 1, 1);

    if (rc)
        return rc;
    if (strcmp(argv[0], "T") && strcmp(argv[0], "F"))
        return refuse("transaction end is neither T nor F");
    for (pp = &c->txns; *pp && *pp != r->t; pp = &(*pp)->next)
        ;
    if (!r->t || !*pp)
        return ENOENT;
    *pp = r->t->next;
    c->ntxns--;
    rc = argv[0][0] == 'T' ? txn_commit(r->t) : 0;
    txn_destroy(r->t);
    r->t = NULL;
    return rc ?: ok(rep);
}

static int priv_only(struct req *r)
{
    if (r->c->who.priv)
        return 0;
    xs_log("domain %u: %s: EACCES: only dom0 may do this",
           r->c->who.domid, type_name(r->h->type));
    return EACCES;
}

static int do_introduce(struct req *r, struct reply *rep)
{
    const char *argv[4];
    uint16_t domid;
    char *end;
    unsigned long long mfn;
    unsigned long port;
    int rc = priv_only(r) ?: args(r, argv, 3, 4) ?: parse_domid(argv[0], &domid);

    if (rc)
        return rc;
    mfn = strtoull(argv[1], &end, 10);
    if (*end || !argv[1][0])
        return refuse("frame number is not decimal");
    port = strtoul(argv[2], &end, 10);
    if (*end || !argv[2][0] || port > 0xffffffffUL)
        return refuse("event channel is not a 32-bit decimal");
    if (!port)
        return refuse("event channel 0 is never a valid port");
    return domain_introduce(&r->c->who, domid, mfn, (uint32_t)port) ?: ok(rep);
}

static int one_domid(struct req *r, uint16_t *domid)
{
    const char *argv[1];

    return args(r, argv, 1, 1) ?: parse_domid(argv[0], domid);
}

static int do_release(struct req *r, struct reply *rep)
{
    uint16_t domid;
    int rc = priv_only(r) ?: one_domid(r, &domid);

    return rc ?: domain_release(&r->c->who, domid) ?: ok(rep);
}

static int do_resume(struct req *r, struct reply *rep)
{
    uint16_t domid;
    int rc = priv_only(r) ?: one_domid(r, &domid);

    return rc ?: domain_resume(&r->c->who, domid) ?: ok(rep);
}

static int do_is_introduced(struct req *r, struct reply *rep)
{
    uint16_t domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    rep->data = domain_is_introduced(domid) ? "T" : "F";
    rep->len = 2;
    return 0;
}

static int do_get_domain_path(struct req *r, struct reply *rep)
{
    uint16_t domid;
    int rc = one_domid(r, &domid);

    if (rc)
        return rc;
    rep->len = (uint32_t)sprintf(rep->buf, "/local/domain/%u", domid) + 1;
    rep->data = rep->buf;
    return 0;
}

static int do_set_target(struct req *r, struct reply *rep)
{
    const char *argv[2];
    uint16_t domid, target;
    int rc = priv_only(r) ?: args(r, argv, 2, 2) ?: parse_domid(argv[0], &domid) ?:
             parse_domid(argv[1], &target);

    return rc ?: domain_set_target(&r->c->who, domid, target) ?: ok(rep);
}

static int do_reset_watches(struct req *r, struct reply *rep)
{
    watch_del_all(r->c);
    conn_drop_txns(r->c);
    r->t = NULL;
    return ok(rep);
}

static int do_control(struct req *r, struct reply *rep)
{
    const char *argv[8];
    int n = wire_split(r->payload, r->h->len, argv, 8);
    int rc = priv_only(r);

    if (rc)
        return rc;
    if (n < 1)
        return refuse("no command");
    rc = control_run(argv, n, rep->buf, XENSTORE_PAYLOAD_MAX, &rep->len);
    rep->data = rep->buf;
    return rc;
}

typedef int (*handler_fn)(struct req *r, struct reply *rep);

static const handler_fn handlers[] = {
    [XS_CONTROL] = do_control,
    [XS_DIRECTORY] = do_directory,
    [XS_READ] = do_read,
    [XS_GET_PERMS] = do_get_perms,
    [XS_WATCH] = do_watch,
    [XS_UNWATCH] = do_unwatch,
    [XS_TRANSACTION_START] = do_txn_start,
    [XS_TRANSACTION_END] = do_txn_end,
    [XS_INTRODUCE] = do_introduce,
    [XS_RELEASE] = do_release,
    [XS_GET_DOMAIN_PATH] = do_get_domain_path,
    [XS_WRITE] = do_write,
    [XS_MKDIR] = do_mkdir,
    [XS_RM] = do_rm,
    [XS_SET_PERMS] = do_set_perms,
    [XS_IS_DOMAIN_INTRODUCED] = do_is_introduced,
    [XS_RESUME] = do_resume,
    [XS_SET_TARGET] = do_set_target,
    [XS_RESET_WATCHES] = do_reset_watches,
    [XS_DIRECTORY_PART] = do_directory_part,
};

#define NR_HANDLERS (sizeof(handlers) / sizeof(handlers[0]))

/* Errors every client meets in normal use; the rest deserve a log line. */
static bool quiet_error(int err)
{
    return err == ENOENT || err == EEXIST || err == EAGAIN || err == E2BIG;
}

static int run(struct req *r, struct reply *rep)
{
    uint32_t type = r->h->type;

    if (type >= NR_HANDLERS || !handlers[type])
        return ENOSYS;
    if (r->h->tx_id && type != XS_WATCH && type != XS_UNWATCH) {
        r->t = txn_find(r->c, r->h->tx_id);
        if (!r->t)
            return ENOENT;
    }
    return handlers[type](r, rep);
}

void conn_dispatch(struct conn *c, const struct xsd_sockmsg *h, const char *payload)
{
    static struct reply rep;
    struct req r = { .c = c, .h = h, .payload = payload };
    int rc;

    rep.data = NULL;
    rep.len = 0;
    refusal = NULL;
    dispatching = c;
    rc = run(&r, &rep);
    if (!rc && rep.data && rep.len > XENSTORE_PAYLOAD_MAX)
        rc = E2BIG;
    if (rc) {
        if (!quiet_error(rc))
            xs_log("domain %u: %s %.*s: %s%s%s", c->who.domid, type_name(h->type),
                   (int)strnlen(payload, h->len < 256 ? h->len : 256), payload,
                   wire_errname(rc), refusal ? ": " : "", refusal ? refusal : "");
        conn_queue(c, wire_build_error(h->req_id, h->tx_id, rc));
    } else if (rep.data) {
        conn_reply(c, h, h->type, rep.data, rep.len);
    }
    dispatching = NULL;
    if (others_waiting)
        kick_others(c);
}

char *conn_in_space(struct conn *c, uint32_t *room)
{
    *room = c->in_cap - c->in_len;
    return c->in + c->in_len;
}

void conn_process(struct conn *c)
{
    uint32_t off = 0;

    while (conn_wants_input(c) && c->in_len - off >= WIRE_HDR_LEN) {
        struct xsd_sockmsg h;

        memcpy(&h, c->in + off, WIRE_HDR_LEN);
        if (wire_check_header(&h)) {
            xs_log("domain %u: message type %u: payload of %u bytes over %u",
                   c->who.domid, h.type, h.len, XENSTORE_PAYLOAD_MAX);
            conn_kill(c, "oversized payload");
            break;
        }
        if (c->in_len - off < WIRE_HDR_LEN + h.len)
            break;
        conn_dispatch(c, &h, c->in + off + WIRE_HDR_LEN);
        off += WIRE_HDR_LEN + h.len;
    }
    if (off) {
        memmove(c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
    }
}

void conn_in_done(struct conn *c, uint32_t n)
{
    c->in_len += n;
    conn_process(c);
}
