/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transactions and the access layer every request goes through. With a NULL
 * transaction, reads and edits hit the tree directly and watch events fire
 * at once; inside a transaction they hit private copies of the records
 * touched, and commit succeeds only if none of those changed meanwhile.
 */
#ifndef STORE_TXN_H
#define STORE_TXN_H

#include "tree.h"

struct shadow;

struct txn {
    struct txn *next;
    uint32_t id;
    uint16_t domid;         /* quota owner of the connection */
    int32_t node_delta;     /* nodes created minus deleted so far */
    struct shadow **buckets;
    unsigned nbuckets, count;
    struct shadow *first, *last;
};

/* Watch firing modes for txn_changed(). */
#define FIRE_TREE  1        /* watchers of the path and of its ancestors */
#define FIRE_RM    2        /* as FIRE_TREE, plus watchers below path (removal) */

struct txn *txn_create(uint32_t id, uint16_t domid);
void txn_destroy(struct txn *t);

/* The record at path as t sees it, or NULL if absent. errno ENOMEM on failure. */
const struct node *txn_read(struct txn *t, const char *path);
/* A mutable record for an existing path; call txn_edited() after changing it. */
struct node *txn_edit(struct txn *t, const char *path);
void txn_edited(struct txn *t, struct node *n, unsigned bytes_before);
/* Add a new record (path absent in t's view); returns it mutable or NULL. */
struct node *txn_add(struct txn *t, const char *path, const struct xs_perm *p, unsigned np,
                     uint32_t vhint);
/* Remove one record (no recursion, parent untouched). */
void txn_del(struct txn *t, const char *path);
/* Note a watch event for path; fires now without a transaction. */
void txn_changed(struct txn *t, const char *path, unsigned mode,
                 const struct xs_perm *p, unsigned np);
/* Nodes the transaction would add to its owner (for quota checks). */
int32_t txn_node_delta(const struct txn *t);

/* Commit: 0, EAGAIN on conflict, ENOMEM. t is left for the caller to destroy. */
int txn_commit(struct txn *t);

#endif
