/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AMD nested page tables (npt_*): one 4-level GPA -> machine table per HVM
 * domain with 4 KiB and 2 MiB leaves (2 MiB wherever a run of frames allows),
 * splitting a 2 MiB leaf when part of it is remapped (shared_info, grant
 * frames), and the #NPF exit decode.
 * Table pages come through callbacks (host-testable); TLB flushes are the
 * caller's (VMCB TLB_CONTROL) after any change.
 */
#ifndef ARCH_NPT_H
#define ARCH_NPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "errno.h"          /* hypercalls/: Xen's error codes */

#define NPT_R   0u              /* every mapping is readable */
#define NPT_W   (1u << 0)
#define NPT_X   (1u << 1)
#define NPT_RWX (NPT_W | NPT_X)

#define NPT_ORDER_4K 0
#define NPT_ORDER_2M 9

#define NPT_GFN_LIMIT  (1ull << 36)    /* 48-bit guest-physical addresses */
#define NPT_MFN_LIMIT  (1ull << 40)    /* 52-bit machine addresses */
#define NPT_NO_PAGE    (~0ull)

struct npt {
    uint64_t root;                     /* machine address: VMCB N_CR3 */
    unsigned long tables, max_tables;  /* table pages in use / quota */
    void *ctx;
    /* A zeroed 4 KiB page's machine address, or NPT_NO_PAGE. */
    uint64_t (*alloc_table)(void *ctx);
    void (*free_table)(void *ctx, uint64_t maddr);
    /* The hypervisor's pointer to the table at maddr. */
    uint64_t *(*table)(void *ctx, uint64_t maddr);
};

/* Set the callbacks and max_tables first. 0 or -XEN_ENOMEM. */
int npt_init(struct npt *n);
/* Frees every table, root included. */
void npt_destroy(struct npt *n);

/* Map 2^order frames (order 0 or 9, both numbers aligned) at gfn, replacing
 * whatever was there (a 2 MiB map drops a 4 KiB table under it). Returns 0,
 * -XEN_EINVAL (bad order/alignment/range) or -XEN_ENOMEM (quota or no
 * page; nothing changed). */
int npt_map(struct npt *n, uint64_t gfn, uint64_t mfn, unsigned int order,
            unsigned int perm);
/* Map count consecutive frames from mfn at consecutive gfns, each
 * 2 MiB-aligned stretch (both numbers aligned) as one 2 MiB leaf, the rest
 * as 4 KiB leaves. 0, or npt_map's error for the first leaf that failed
 * (those before it stay mapped). */
int npt_map_run(struct npt *n, uint64_t gfn, uint64_t mfn, uint64_t count,
                unsigned int perm);
/* Remove the 4 KiB mapping of gfn (splitting a 2 MiB leaf). 0,
 * -XEN_ENOENT if not mapped, -XEN_ENOMEM if a split needs a page. */
int npt_unmap(struct npt *n, uint64_t gfn);
/* 0 with the frame and NPT_* permissions, or -XEN_ENOENT. */
int npt_lookup(const struct npt *n, uint64_t gfn, uint64_t *mfn,
               unsigned int *perm);

/* #NPF EXITINFO1 (AMD APM 15.25.6). */
struct npt_fault {
    bool present, write, user, rsvd, fetch;
    bool final_gpa;     /* faulted translating the final guest-physical */
    bool table_walk;    /* faulted on a guest page-table access */
};
void npt_decode_fault(uint64_t exitinfo1, struct npt_fault *f);

#endif
