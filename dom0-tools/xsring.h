/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xsring_: the server side of the control domain's own xenstore ring
 * (XS_LOCAL). Moving bytes between the shared page and a byte stream; the
 * device and socket plumbing is in xsring_main.c.
 */
#ifndef DOM0_XSRING_H
#define DOM0_XSRING_H
#include <stddef.h>
#include <stdint.h>
#include "xen.h"
#include "io/xs_wire.h"

/*
 * Takes up to len request bytes the kernel produced; returns how many, or
 * -1 when the indices are corrupt (more than a ring apart).
 */
int xsring_take_req(struct xenstore_domain_interface *intf, void *buf, size_t len);
/* Gives up to len reply bytes to the kernel; returns how many fit, or -1. */
int xsring_give_rsp(struct xenstore_domain_interface *intf, const void *buf, size_t len);

#endif
