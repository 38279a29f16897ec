/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The toolstack context every library call takes: the hypervisor door
 * (hv.h), the xenstore connection, the last error ("step: reason") and
 * where warnings go. Not here: the operations (dom.c, build.c, dstore.c).
 */
#ifndef DOM0_TK_H
#define DOM0_TK_H

#include <stdarg.h>
#include "hv.h"

struct xs_handle;

struct tk {
    struct hv *hv;
    struct xs_handle *xs;
    char err[1024];
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
};

/* Record "step: reason" as the error; returns -1. */
int tk_fail(struct tk *tk, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Put "what: " in front of the recorded error; returns -1. */
int tk_prefix(struct tk *tk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Record "step: <what the hypervisor said>" for a negative Xen errno; -1. */
int tk_hvfail(struct tk *tk, const char *step, long rc);
/* Xen's name for an error code ("EINVAL") and a short meaning. */
const char *tk_errname(long rc);
void tk_warn(struct tk *tk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
