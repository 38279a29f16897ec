/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console ring (io/console.h xencons_interface) as the dom0 side uses
 * it: drain the guest's output, feed it input. Indexes are free-running
 * 32-bit counters; a guest that corrupts them is detected, never trusted.
 * Not here: who maps the ring and where the bytes go (consd.c).
 */
#ifndef DOM0_CONS_H
#define DOM0_CONS_H

#include <stddef.h>
#include "io/console.h"

/* Bytes of guest output copied to buf (at most max), or -1 if the
 * producer index is more than a ring ahead (a corrupt ring). */
long cons_drain_out(struct xencons_interface *r, char *buf, size_t max);
/* Free bytes in the guest's input ring, or -1 for a corrupt ring. */
long cons_in_room(struct xencons_interface *r);
/* Bytes of data placed in the guest's input ring (may be fewer than len
 * when it is full), or -1 for a corrupt ring. */
long cons_feed_in(struct xencons_interface *r, const char *data, size_t len);

#endif
