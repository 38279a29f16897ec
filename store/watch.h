/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Watches: registration per connection, an index by watched path, and event
 * fan-out with permission filtering. Event queueing is the connection's job.
 */
#ifndef STORE_WATCH_H
#define STORE_WATCH_H

#include "tree.h"

struct conn;

struct watch {
    struct watch *hnext;    /* index chain */
    struct watch *cnext;    /* connection's list */
    struct conn *conn;
    uint32_t hash;
    uint16_t relprefix;     /* bytes to strip for a relative watch; 0 if absolute */
    char *path;             /* absolute path or @special */
    char *token;
};

void watch_init(void);
/* Register; fires the initial event. EEXIST for a duplicate, ENOMEM. */
int watch_add(struct conn *c, const char *path, const char *token, uint16_t relprefix);
/* ENOENT when no such watch. */
int watch_del(struct conn *c, const char *path, const char *token);
void watch_del_all(struct conn *c);
/* A change at path (mode FIRE_TREE or FIRE_RM from txn.h); p/np are the
 * node's permissions deciding who may see it. */
void watch_fire(const char *path, unsigned mode, const struct xs_perm *p, unsigned np);
/* Fire @introduceDomain or @releaseDomain. */
void watch_fire_special(const char *name);
unsigned long watch_count(void);

#endif
