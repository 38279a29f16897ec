/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test harness for the store: a fresh daemon state per test case, fake
 * connections that keep their output, and request helpers that return the
 * reply the way a client would see it.
 */
#ifndef TESTS_STORE_HARNESS_H
#define TESTS_STORE_HARNESS_H

#include <stdbool.h>
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "txn.h"
#include "watch.h"

struct reply_view {
    uint32_t type, req_id, tx_id, len;
    char data[XENSTORE_PAYLOAD_MAX + 1];
};

static const struct transport_ops fake_ops = { "fake", NULL };

static inline void store_fresh(void)
{
    xs_log_enable(0);
    conn_init();
    domain_init(NULL);
    watch_init();
    tree_init();
    node_init_special();
    /* Domains 1-9 exist (no ring here), so tests may make them owners. */
    for (uint16_t d = 1; d < 10; d++)
        domain_introduce(&(struct who){ 0, DOMID_NONE, true }, d, 0, 0);
}

static inline struct conn *fake_conn(uint16_t domid, bool priv)
{
    struct who w = { domid, DOMID_NONE, priv };

    return conn_create(&w, &fake_ops, NULL);
}

/* Pop the next queued message; false if none. */
static inline bool pop(struct conn *c, struct reply_view *r)
{
    uint32_t len;
    const char *p = conn_out_peek(c, &len);
    struct xsd_sockmsg h;

    if (!p)
        return false;
    memcpy(&h, p, sizeof(h));
    r->type = h.type;
    r->req_id = h.req_id;
    r->tx_id = h.tx_id;
    r->len = h.len;
    memcpy(r->data, p + sizeof(h), h.len);
    r->data[h.len] = '\0';
    conn_out_done(c, len);
    return true;
}

static inline void drain(struct conn *c)
{
    struct reply_view r;

    while (pop(c, &r))
        ;
}

/* Send type with a raw payload; return the reply (events before it skipped). */
static inline struct reply_view req_raw(struct conn *c, uint32_t type, uint32_t tx,
                                        const void *payload, uint32_t len)
{
    static uint32_t id = 100;
    struct xsd_sockmsg h = { type, ++id, tx, len };
    char buf[sizeof(h) + 2 * XENSTORE_PAYLOAD_MAX];
    struct reply_view r = { 0 };
    uint32_t room;
    char *space = conn_in_space(c, &room);

    memcpy(buf, &h, sizeof(h));
    memcpy(buf + sizeof(h), payload, len);
    memcpy(space, buf, sizeof(h) + len);
    conn_in_done(c, (uint32_t)sizeof(h) + len);
    while (pop(c, &r))
        if (r.type != XS_WATCH_EVENT)
            return r;
    r.type = XS_INVALID;
    return r;
}

/* Payload of NUL-separated args: "a", "b" -> "a\0b\0". */
static inline uint32_t pack(char *buf, const char *const *args, int n)
{
    uint32_t len = 0;

    for (int i = 0; i < n; i++) {
        size_t l = strlen(args[i]) + 1;

        memcpy(buf + len, args[i], l);
        len += (uint32_t)l;
    }
    return len;
}

static inline struct reply_view req(struct conn *c, uint32_t type, uint32_t tx,
                                    const char *a, const char *b)
{
    const char *args[2] = { a, b };
    char buf[2 * XENSTORE_PAYLOAD_MAX];

    return req_raw(c, type, tx, buf, pack(buf, args, b ? 2 : 1));
}

static inline struct reply_view do_write_req(struct conn *c, uint32_t tx, const char *path,
                                             const char *val)
{
    char buf[2 * XENSTORE_PAYLOAD_MAX];
    size_t pl = strlen(path) + 1, vl = strlen(val);

    memcpy(buf, path, pl);
    memcpy(buf + pl, val, vl);
    return req_raw(c, XS_WRITE, tx, buf, (uint32_t)(pl + vl));
}

static inline bool is_err(const struct reply_view *r, const char *name)
{
    return r->type == XS_ERROR && !strcmp(r->data, name);
}

static inline bool is_ok(const struct reply_view *r, uint32_t type)
{
    return r->type == type && !strcmp(r->data, "OK");
}

#endif
