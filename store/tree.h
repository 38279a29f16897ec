/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The node store: one self-contained record per path (value, permissions,
 * NUL-separated child names, generation) in a hash table keyed by the full
 * path, the permission model and per-owner usage counters for quotas.
 * Request semantics (implicit parents, recursion) live in node.c.
 */
#ifndef STORE_TREE_H
#define STORE_TREE_H

#include <stdbool.h>
#include <stdint.h>

#define PERM_NONE  0
#define PERM_READ  1
#define PERM_WRITE 2
#define PERM_BOTH  (PERM_READ | PERM_WRITE)
#define PERM_OWNER 4

#define DOMID_NONE 0xffffu
#define TREE_ABS_PATH_MAX 3072  /* XENSTORE_ABS_PATH_MAX */

struct xs_perm {
    uint16_t domid;
    uint8_t perm;           /* PERM_* bits */
};

/*
 * One allocation per node: this header, the path and its NUL, then (8-byte
 * aligned) vcap bytes that hold the value, or (when the value outgrew them) a pointer to
 * it on the heap. Kept small because the store's memory is mostly nodes.
 */
struct node {
    struct node *hnext;
    char *kids;             /* child names, each NUL-terminated */
    uint64_t gen;
    union {
        struct xs_perm one; /* nperms == 1, the common case */
        struct xs_perm *ext;
    } p;
    uint32_t vlen, kidslen;
    uint16_t pathlen, nperms, vcap;
    char path[];
};

static inline const struct xs_perm *tree_perms(const struct node *n)
{
    return n->nperms == 1 ? &n->p.one : n->p.ext;
}

/* Where the value room starts: after the path, 8-byte aligned so a heap
 * pointer kept there is a pointer leak checkers can see. */
static inline char *tree_tail(const struct node *n)
{
    uintptr_t end = (uintptr_t)(n->path + n->pathlen + 1);

    return (char *)((end + 7) & ~(uintptr_t)7);
}

/* The value bytes (not NUL-terminated); vlen tells how many. */
static inline const char *tree_value(const struct node *n)
{
    const char *tail = tree_tail(n);
    const char *heap;

    if (n->vlen <= n->vcap)
        return tail;
    __builtin_memcpy(&heap, tail, sizeof(heap));
    return heap;
}

/* The caller of an operation: whose permissions apply. */
struct who {
    uint16_t domid;
    uint16_t target;        /* DOMID_NONE unless SET_TARGET gave one */
    bool priv;              /* dom0: bypasses permission checks and quotas */
};

struct usage {
    uint32_t nodes;
    uint32_t bytes;
};

void tree_init(void);
void tree_destroy(void);
uint64_t tree_next_gen(void);
unsigned long tree_count(void);

struct node *tree_lookup(const char *path);
/* A record with room for a value of vhint bytes inline. */
struct node *tree_alloc(const char *path, const struct xs_perm *perms, unsigned nperms,
                        uint32_t vhint);
struct node *tree_dup(const struct node *n);
void tree_free(struct node *n);
/* Insert a record whose path is not present; accounts it to its owner. */
void tree_insert(struct node *n);
/* Unlink a record from the table (not freed); unaccounts it. */
void tree_remove(struct node *n);
/* Replace the contents of cur by those of src (src is consumed). */
void tree_replace(struct node *cur, struct node *src);

int tree_set_value(struct node *n, const void *v, uint32_t len);
int tree_set_perms(struct node *n, const struct xs_perm *p, unsigned np);
int tree_add_kid(struct node *n, const char *name);
void tree_del_kid(struct node *n, const char *name);
bool tree_has_kids(const struct node *n);

/* Accounting hooks for in-place edits of a record that is in the table. */
void tree_unaccount(const struct node *n);
void tree_account(const struct node *n);
uint32_t tree_node_bytes(const struct node *n);
struct usage tree_usage(uint16_t domid);

/* Effective PERM_* bits of who on a node's permission list. */
unsigned tree_perm_for(const struct who *w, const struct xs_perm *p, unsigned np);

/* Parse "r0" style entries; returns 0 or EINVAL. */
int tree_parse_perm(const char *s, struct xs_perm *out);
/* Format one entry into buf (>= 8 bytes); returns its length. */
int tree_format_perm(const struct xs_perm *p, char *buf);

/* Path syntax: absolute, valid characters, no empty component. */
bool tree_valid_path(const char *path);
/* Length of the parent of path ("/" for top-level); 0 for "/". */
uint32_t tree_parent_len(const char *path);

/* Visit every record, parents before children. Stops on non-zero return. */
int tree_walk(int (*fn)(struct node *n, void *arg), void *arg);

#endif
