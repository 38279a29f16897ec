/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The semantics of the node requests: permission checks, implicit parents,
 * inherited permissions, recursive removal, quotas and watch events. Paths
 * are absolute and already validated; t is NULL outside a transaction.
 * Every function returns 0 or the errno the wire reply carries.
 */
#ifndef STORE_NODE_H
#define STORE_NODE_H

#include "tree.h"
#include "txn.h"

int node_read(const struct who *w, struct txn *t, const char *path,
              const struct node **out);
int node_write(const struct who *w, struct txn *t, const char *path,
               const void *val, uint32_t len);
int node_mkdir(const struct who *w, struct txn *t, const char *path);
int node_rm(const struct who *w, struct txn *t, const char *path);
int node_get_perms(const struct who *w, struct txn *t, const char *path,
                   const struct node **out);
int node_set_perms(const struct who *w, struct txn *t, const char *path,
                   const struct xs_perm *p, unsigned np);

/* Create the special nodes @introduceDomain and @releaseDomain. */
void node_init_special(void);

#endif
