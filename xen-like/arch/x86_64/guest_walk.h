/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest page-table walks (gw_*, guest_walk*): a guest-virtual address to a
 * guest-physical one through the guest's own 4-level tables, with the
 * permission checks the CPU would make. Guest memory is read through a
 * callback, so the walker is host-testable. NPT (GPA -> MPA) is npt.c's.
 */
#ifndef ARCH_GUEST_WALK_H
#define ARCH_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errno.h"          /* hypercalls/: Xen's error codes */

/* The guest's paging state, as the VMCB holds it. */
struct gw_mode {
    uint64_t cr0, cr3, cr4, efer, rflags;
    unsigned int maxphyaddr;     /* guest MAXPHYADDR; 0 means 52 */
    void *ctx;
    /* Read the 8-byte entry at a guest-physical address: 0, or a negative
     * Xen errno when that GPA is not guest RAM. */
    int (*read_gpa64)(void *ctx, uint64_t gpa, uint64_t *val);
};

/* What the access is (combine). */
#define GW_WRITE     (1u << 0)
#define GW_USER      (1u << 1)   /* made at CPL 3 */
#define GW_FETCH     (1u << 2)
#define GW_IMPLICIT  (1u << 3)   /* hypervisor on the guest's behalf: SMAP
                                  * applies whatever RFLAGS.AC says */

/* x86 page-fault error code bits, for a caller that injects #PF. */
#define GW_PFEC_PRESENT  (1u << 0)
#define GW_PFEC_WRITE    (1u << 1)
#define GW_PFEC_USER     (1u << 2)
#define GW_PFEC_RSVD     (1u << 3)
#define GW_PFEC_FETCH    (1u << 4)

struct gw_fault {
    uint32_t pfec;               /* valid when the cause is a page fault */
    int level;                   /* 4 = PML4 .. 1 = PT; 0 = not a table */
    const char *why;
};

/* 0 and *gpa, or -XEN_EFAULT with *f filled. */
int guest_walk(const struct gw_mode *m, uint64_t gva, unsigned int access,
               uint64_t *gpa, struct gw_fault *f);

/* Translate every page of [gva, gva+len) first (nothing is done if any page
 * fails), then call chunk() per piece that does not cross a 4 KiB guest
 * page, in order. chunk's return value, if non-zero, stops the walk. */
typedef int (*gw_chunk_fn)(void *ctx, uint64_t gpa, size_t done, size_t n);
int guest_walk_range(const struct gw_mode *m, uint64_t gva, size_t len,
                     unsigned int access, gw_chunk_fn chunk, void *ctx,
                     struct gw_fault *f);

#endif
