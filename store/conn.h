/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connections: one per socket client or introduced domain. Byte input is
 * framed into messages, checked and dispatched; replies and watch events
 * queue for the transport. Limits on flooding and non-reading clients are
 * enforced here so every transport gets them.
 */
#ifndef STORE_CONN_H
#define STORE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include "tree.h"
#include "wire.h"

struct conn;
struct txn;
struct watch;

struct transport_ops {
    const char *name;
    void (*kick)(struct conn *c);       /* output was queued */
};

/* Per-domain limits for unprivileged connections (dom0 is exempt). */
struct quota {
    unsigned nodes;         /* nodes owned */
    unsigned entry_size;    /* bytes in one value */
    unsigned watches;       /* per connection */
    unsigned transactions;  /* open at once per connection */
    unsigned outstanding;   /* replies queued but not yet read */
    unsigned memory;        /* bytes of path + value + permissions owned */
    unsigned perms;         /* permission entries on one node */
    unsigned out_bytes;     /* queued output before the connection is dropped */
};

extern struct quota quota;

struct conn {
    struct conn *next, *prev;
    struct who who;
    uint32_t id;
    const struct transport_ops *tops;
    void *tpriv;
    int fd;                 /* socket transport; -1 otherwise */
    char *in;               /* received bytes not yet dispatched */
    uint32_t in_len, in_cap;
    struct wire_msg *out_head, *out_tail;
    uint32_t out_off;       /* bytes of out_head already sent */
    size_t out_bytes;
    unsigned out_replies;
    struct watch *watches;
    unsigned nwatches;
    struct txn *txns;
    unsigned ntxns;
    uint32_t next_txid;
    bool dead;              /* to be closed by the owner of the loop */
    const char *dead_reason;
};

void conn_init(void);
struct conn *conn_create(const struct who *w, const struct transport_ops *ops, void *tpriv);
/* Free a connection: its watches, transactions and queued output. */
void conn_destroy(struct conn *c);
/* Forget all of that and any partial input, keeping the connection. */
void conn_reset(struct conn *c);
struct conn *conn_first(void);

/* Where the transport may put up to *room received bytes. */
char *conn_in_space(struct conn *c, uint32_t *room);
/* n bytes were appended; dispatch every complete message allowed. */
void conn_in_done(struct conn *c, uint32_t n);
/* Dispatch buffered messages (after output drained). */
void conn_process(struct conn *c);
/* True while the connection is not throttled by unread replies. */
bool conn_wants_input(const struct conn *c);

/* Next bytes to send, or NULL when the queue is empty. */
const char *conn_out_peek(struct conn *c, uint32_t *len);
void conn_out_done(struct conn *c, uint32_t n);

void conn_send_event(struct conn *c, const char *path, const char *token);
/* Queue already-framed bytes (output carried over a live update). */
int conn_queue_raw(struct conn *c, const void *bytes, uint32_t len);
/* Queue a reply for a request header (used by dispatch and tests). */
void conn_reply(struct conn *c, const struct xsd_sockmsg *req, uint32_t type,
                const void *payload, uint32_t len);
void conn_kill(struct conn *c, const char *why);

/* Apply a whole message (header + payload) as if received. */
void conn_dispatch(struct conn *c, const struct xsd_sockmsg *h, const char *payload);

#endif
