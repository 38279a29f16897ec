/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Mapping another domain's grant into this process (as libxengnttab): one
 * page by (domid, ref), writable, until unmapped. Implementations: gnt.c
 * (Linux /dev/xen/gntdev) and the host tests' fake (tests/dom0-tools).
 * Not here: who grants what (the builder seeds the reserved refs, build.c).
 */
#ifndef DOM0_GNT_H
#define DOM0_GNT_H

#include <stddef.h>
#include <stdint.h>

struct gnt;

struct gnt_ops {
    /* The page, and in *handle what unmap needs; NULL with *rc < 0 (an
     * errno, or Xen's GNTST_* status) when the grant cannot be mapped. */
    void *(*map)(struct gnt *g, uint16_t domid, uint32_t ref, uint64_t *handle, int *rc);
    void (*unmap)(struct gnt *g, void *page, uint64_t handle);
    void (*close)(struct gnt *g);
};

struct gnt {
    const struct gnt_ops *ops;
};

/* Open Linux's gntdev (path NULL: /dev/xen/gntdev); NULL with the reason
 * in why when there is none. */
struct gnt *gnt_dev_open(const char *path, char *why, size_t why_len);

#endif
