/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-store state for a daemon restart: nodes with values and permissions,
 * introduced domains, and the watches of domain connections.
 */
#ifndef STORE_STATE_H
#define STORE_STATE_H

/* Write the state atomically (temp file + rename). Returns 0 or errno. */
int state_dump(const char *path);
/* Replace the store by the state in path; domains reconnect through the
 * ring backend. Returns 0, errno, or EINVAL for a damaged file. */
int state_restore(const char *path);

#endif
