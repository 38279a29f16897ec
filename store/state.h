/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-store state for a daemon restart: nodes with values and permissions,
 * introduced domains, the watches of domain connections and, for a live
 * update by exec, the socket connections.
 */
#ifndef STORE_STATE_H
#define STORE_STATE_H

struct conn;

/* Give a restored socket connection its file descriptor back. */
typedef struct conn *(*state_adopt_fn)(int fd);

/* Write the state atomically (temp file + rename). Returns 0 or errno. */
int state_dump(const char *path);
/* The same plus socket connections (descriptor numbers, watches, unsent and
 * unread bytes), for a daemon that execs its successor with the sockets open. */
int state_dump_live(const char *path);
/* Replace the store by the state in path; domains reconnect through the
 * ring backend, socket connections through adopt (NULL: file must have none).
 * Returns 0, errno, or EINVAL for a damaged file. */
int state_restore(const char *path, state_adopt_fn adopt);

#endif
