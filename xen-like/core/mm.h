/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory ownership (mm): per-frame owner/type/reference count, each domain's
 * guest-physical map (gfn -> frame), reservations and max_mem, foreign maps.
 * Not here: page tables/NPT (arch/), the frame allocator itself (env.h).
 */
#ifndef CORE_MM_H
#define CORE_MM_H

#include "domain.h"

#define MM_GFN_BITS     36              /* guest-physical space: 2^48 bytes */
#define MM_MAX_ORDER_DOMU 9             /* largest extent a domU may ask for */
#define MM_MAX_ORDER_CTRL 12            /* ... and the control domain */
#define MM_FRAME_LIMIT  (1ULL << 24)    /* mfns the frame table can describe */

/* What a guest-physical entry maps. */
enum mm_kind {
    MM_RAM = 1,         /* a frame d owns (populate_physmap) */
    MM_SHARED_INFO,     /* d's shared_info page (add_to_physmap) */
    MM_GRANT_FRAME,     /* one of d's grant-table frames (add_to_physmap) */
    MM_FOREIGN_GRANT,   /* another domain's frame, through a grant (gnttab) */
    MM_FOREIGN_PRIV,    /* another domain's frame, mapped by the control domain */
};

/* Per-domain state; fields [p] are under the domain's p2m lock. */
struct mm_domain {
    struct env_lock lock;
    void *root;                 /* [p] radix tree of p2m entries */
    uint64_t tot_pages;         /* atomic: frames d owns (RAM, incl. still referenced) */
    uint64_t max_pages;         /* [p] XEN_DOMCTL_max_mem */
    uint64_t nr_nodes;          /* [p] radix nodes allocated (bounded by p2m_node_limit) */
    uint64_t shared_info_gfn;   /* [p] where shared_info is mapped, or ~0 */
    bool relinquished;          /* [p] the domain died: no new entries */
};

/* Life cycle, called by domain.c. */
int mm_domain_init(struct domain *d);          /* + d's shared_info frame */
void mm_domain_relinquish(struct domain *d);   /* on kill: drop every mapping */
void mm_domain_free(struct domain *d);         /* at the last reference */

/*
 * The interface gnttab uses (agreed with the ipc helper).
 * mm_get_gfn: take a reference on the RAM frame behind d's gfn; -XEN_EINVAL
 * if gfn is not RAM that d owns (unpopulated, foreign, shared_info, ...).
 * The reference keeps the frame (and its owner's struct domain) alive after
 * the owner unmaps it or dies; drop it with mm_put_frame.
 */
int mm_get_gfn(struct domain *d, uint64_t gfn, bool writable, mfn_t *mfn);
void mm_put_frame(mfn_t mfn);
/*
 * Map another domain's frame at d's gfn (a grant mapping). Takes its own
 * reference on mfn (the caller keeps its own). A RAM or shared page at gfn is
 * replaced (RAM freed, as Xen's p2m does); a foreign mapping there gives
 * -XEN_EBUSY. -XEN_EINVAL: gfn out of range or mfn not an allocated frame.
 */
int mm_map_foreign(struct domain *d, uint64_t gfn, mfn_t mfn, bool writable);
/* Undo mm_map_foreign: -XEN_EINVAL unless gfn holds a grant mapping. */
int mm_unmap_foreign(struct domain *d, uint64_t gfn);
/* Owner of an allocated frame (no reference taken); NULL if free/unknown,
 * or a grant-table frame whose table is gone (kept by a foreign mapping). */
struct domain *mm_frame_owner(mfn_t mfn);
unsigned int mm_frame_refs(mfn_t mfn);
int mm_frame_kind(mfn_t mfn);           /* enum mm_kind of its owner's use; 0: free */
/*
 * gnttab's frames: a zeroed frame-table frame for d's table with the table's
 * reference, which does not pin d (the table goes at d's last reference);
 * release drops it and clears the owner. A foreign mapping of the frame
 * (mm_map_foreign_priv) holds its own reference: the frame outlives the
 * table until it is unmapped, and is never reused while mapped.
 */
mfn_t mm_grant_frame_alloc(struct domain *d);
void mm_grant_frame_release(mfn_t mfn);

/* Reservations (XENMEM_*). Each returns 0 or a negative Xen error. */
int mm_populate(struct domain *d, uint64_t gfn, unsigned int order);
/* The same without zeroing the frames, for the hypervisor's own build of a
 * control domain at boot (as Xen builds dom0: MEMF_no_scrub). That domain
 * may map all memory anyway, and zeroing its RAM up front touches every
 * page long before the kernel needs it. -XEN_EPERM for any other domain. */
int mm_populate_unscrubbed(struct domain *d, uint64_t gfn, unsigned int order);
int mm_remove_gfn(struct domain *d, uint64_t gfn);    /* decrease / remove_from_physmap */
int mm_add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gfn);
/* The control domain maps fd's gfn (RAM or a grant-table frame, which Xen's
 * p2m types as RAM) at d's gfn (add_to_physmap_batch gmfn_foreign). */
int mm_map_foreign_priv(struct domain *d, uint64_t gfn, struct domain *fd, uint64_t fgfn);
void mm_set_max_pages(struct domain *d, uint64_t pages);
uint64_t mm_tot_pages(struct domain *d);
uint64_t mm_max_pages(struct domain *d);
uint64_t mm_shared_info_gfn(struct domain *d);

/*
 * Look up gfn without taking a reference: 0 and the frame/kind/writability,
 * or -XEN_EINVAL. For the guest-memory copy paths and invariant checks.
 */
int mm_lookup(struct domain *d, uint64_t gfn, mfn_t *mfn, enum mm_kind *kind, bool *writable);
/* Visit every present entry of d (under its p2m lock: fn must not call
 * anything that takes it, e.g. mm_lookup; use mm_walk_entries for writability). */
void mm_walk(struct domain *d, void (*fn)(void *ctx, uint64_t gfn, mfn_t mfn,
                                          enum mm_kind kind), void *ctx);
/* The same with each entry's writability (e.g. to build nested page tables). */
void mm_walk_entries(struct domain *d, void (*fn)(void *ctx, uint64_t gfn, mfn_t mfn,
                                                  enum mm_kind kind, bool writable), void *ctx);
/*
 * Lock-free lookup for emulating the hardware's guest-memory walk (the host
 * env's copy_to/from_guest): 0 and the frame if gfn is mapped (writable if
 * write), else -XEN_EFAULT.
 */
int mm_translate(struct domain *d, uint64_t gfn, bool write, mfn_t *mfn);
/* Frames currently in the frame table (owned by some domain). */
uint64_t mm_frames_in_use(void);
/* env_zalloc blocks the frame table keeps for good (leak accounting). */
uint64_t mm_table_allocs(void);

#endif
