/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The toolstack's one door to the hypervisor: raw hypercalls and foreign
 * mappings of another domain's frames. Implementations: hv_privcmd.c (Linux
 * /dev/xen/privcmd) and the host tests' in-process fake (tests/dom0-tools).
 * Not here: what the hypercalls mean (hvc.c).
 */
#ifndef DOM0_HV_H
#define DOM0_HV_H

#include <stddef.h>
#include <stdint.h>

struct hv;

struct hv_ops {
    /* One hypercall; the hypervisor's return value (negative Xen errno). */
    long (*hypercall)(struct hv *h, unsigned int nr, const uint64_t args[5]);
    /* Map n frames (gfns of domid) contiguously, writable; errs[i] gets each
     * frame's result. NULL (and *rc) when nothing could be mapped. */
    void *(*map_foreign)(struct hv *h, uint16_t domid, const uint64_t *gfns, unsigned int n,
                         int *errs, int *rc);
    void (*unmap_foreign)(struct hv *h, void *addr, unsigned int n);
    void (*close)(struct hv *h);
};

struct hv {
    const struct hv_ops *ops;
};

/* Open Linux's privcmd device (path NULL: /dev/xen/privcmd). NULL with a
 * reason in why (at least 128 bytes) if it cannot be used. */
struct hv *hv_privcmd_open(const char *path, char *why, size_t why_len);

static inline long hv_call(struct hv *h, unsigned int nr, uint64_t a0, uint64_t a1,
                           uint64_t a2)
{
    uint64_t a[5] = { a0, a1, a2, 0, 0 };

    return h->ops->hypercall(h, nr, a);
}

#define HV_PAGE_SIZE 4096u

#endif
