/* SPDX-License-Identifier: MIT */
/*
 * The client library: the libxenstore calls tools use (same names and
 * meanings), over the daemon's unix socket or Linux's /dev/xen/xenbus.
 * Failures return NULL/false with errno set from the daemon's error name.
 * Single-threaded: events that arrive while waiting for a reply are queued;
 * drain xs_check_watch() before polling xs_fileno().
 */
#ifndef XS_CLIENT_H
#define XS_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "io/xs_wire.h"

struct xs_handle;
typedef uint32_t xs_transaction_t;

#define XBT_NULL 0
#define XS_OPEN_READONLY   (1UL << 0)  /* accepted for compatibility; no effect */
#define XS_OPEN_SOCKETONLY (1UL << 1)

enum xs_perm_type {
    XS_PERM_NONE = 0,
    XS_PERM_READ = 1,
    XS_PERM_WRITE = 2,
    XS_PERM_OWNER = 8,
};

struct xs_permissions {
    unsigned int id;
    enum xs_perm_type perms;
};

/* XS_WATCH_PATH / XS_WATCH_TOKEN index what xs_read_watch() returns. */

struct xs_handle *xs_open(unsigned long flags);
void xs_close(struct xs_handle *h);
int xs_fileno(struct xs_handle *h);

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len);
bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
              const void *data, unsigned int len);
bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path);
bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path);
/* Child names; one malloc'd block (free it once). Falls back to
 * DIRECTORY_PART when the list is over the payload limit. */
char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                    unsigned int *num);
struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t,
                                          const char *path, unsigned int *num);
bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num);

bool xs_watch(struct xs_handle *h, const char *path, const char *token);
bool xs_unwatch(struct xs_handle *h, const char *path, const char *token);
/* Block for the next event: {path, token}, one malloc'd block. */
char **xs_read_watch(struct xs_handle *h, unsigned int *num);
/* A queued or already-readable event, or NULL with errno EAGAIN. */
char **xs_check_watch(struct xs_handle *h);

xs_transaction_t xs_transaction_start(struct xs_handle *h);
/* abort=false commits; false with errno EAGAIN means "retry the transaction". */
bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort);

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn);
bool xs_release_domain(struct xs_handle *h, unsigned int domid);
bool xs_resume_domain(struct xs_handle *h, unsigned int domid);
bool xs_set_target(struct xs_handle *h, unsigned int domid, unsigned int target);
char *xs_get_domain_path(struct xs_handle *h, unsigned int domid);
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid);
/* CONTROL: the reply text (malloc'd). */
char *xs_control_command(struct xs_handle *h, const char *cmd, const void *data,
                         unsigned int len);

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num, const char *s);
bool xs_perm_to_string(const struct xs_permissions *perm, char *buf, size_t len);

#endif
