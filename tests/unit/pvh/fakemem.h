/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for guest-physical memory in the PVH tests: a flat buffer
 * with the PVH hole at [0xA0000, 1 MiB) that refuses writes, as the
 * hypervisor's guest-memory helpers will.
 */
#ifndef PVH_FAKEMEM_H
#define PVH_FAKEMEM_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "pvh_loader.h"

struct fakemem {
    uint8_t *ram;
    uint64_t size;
    unsigned int writes;
};

static inline bool fakemem_is_ram(struct fakemem *m, uint64_t gpa, size_t len)
{
    if (gpa > m->size || len > m->size - gpa)
        return false;
    return gpa + len <= PVH_LOW_RAM_END || gpa >= PVH_HIGH_RAM_BASE;
}

static inline int fakemem_write(void *ctx, uint64_t gpa, const void *src,
                                size_t len)
{
    struct fakemem *m = ctx;

    if (!fakemem_is_ram(m, gpa, len))
        return -XEN_EFAULT;
    memcpy(m->ram + gpa, src, len);
    m->writes++;
    return 0;
}

static inline int fakemem_zero(void *ctx, uint64_t gpa, size_t len)
{
    struct fakemem *m = ctx;

    if (!fakemem_is_ram(m, gpa, len))
        return -XEN_EFAULT;
    memset(m->ram + gpa, 0, len);
    return 0;
}

static inline struct pvh_guest_mem fakemem_ops(struct fakemem *m, uint64_t size)
{
    struct pvh_guest_mem g = { m, fakemem_write, fakemem_zero };

    m->size = size;
    m->ram = malloc(size);
    memset(m->ram, 0xA5, size);   /* so missing zeroing shows */
    m->writes = 0;
    return g;
}

#endif
