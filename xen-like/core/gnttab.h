/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables, version 1: the shared entry frames a domain grants from,
 * the active (pinned) state of each entry, and the maptrack of the
 * mappings a domain holds. Not here: the guest-physical map itself (mm.c),
 * version 2, transfer.
 */
#ifndef CORE_GNTTAB_H
#define CORE_GNTTAB_H

#include "domain.h"
#include "grant_table.h"

/*
 * Locks: each domain's table lock (rank GNTTAB_LOCK_RANK) is never nested
 * with another domain's; mm_* may be called under it. gnttab_frame_mfn
 * takes it, so its callers must not hold a p2m or frame-table lock.
 */
#define GNTTAB_LOCK_RANK            30

/* Hypervisor-wide caps on the per-domain limits (Xen's defaults). */
#define GNTTAB_MAX_FRAMES           64
#define GNTTAB_MAX_MAPTRACK_FRAMES  1024
#define GNTTAB_MAPTRACK_PER_FRAME   256     /* 16-byte entries per 4 KiB */

/* The hypercall family (GNTTABOP_*): count elements at arg. */
long gnttab_op(struct vcpu *v, unsigned int cmd, guest_addr_t arg, unsigned int count);

/*
 * Domain lifecycle.
 * init: table of one frame growing to max_frames (1..GNTTAB_MAX_FRAMES),
 *   up to max_maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME mappings held by d
 *   (0..GNTTAB_MAX_MAPTRACK_FRAMES). 0, -XEN_EINVAL or -XEN_ENOMEM.
 * destroy: on domain death. Releases every mapping d holds of other
 *   domains' grants (unmapping them from d's physmap, unpinning the
 *   granter's entry and dropping the frame and domain references) and
 *   refuses new ones. d's own table stays: others may still map from it,
 *   and their references on d keep d alive until they unmap.
 * free: once the last reference to d is gone; frees the table (calls
 *   destroy first if needed). No one can hold a pin on d's entries then.
 */
int gnttab_domain_init(struct domain *d, unsigned int max_frames,
                       unsigned int max_maptrack_frames);
void gnttab_domain_destroy(struct domain *d);
void gnttab_domain_free(struct domain *d);

/*
 * The machine frame of grant-table frame idx of d, for
 * add_to_physmap(XENMAPSPACE_grant_table): grows the table up to idx + 1
 * frames like Xen. 0 or -XEN_EINVAL (beyond the limit, or out of memory).
 * gnttab_frame_set_gfn records where the frame was mapped, which
 * setup_table reports back to translated guests (~0 until set, and again
 * once mm.c reports it removed from gfn with gnttab_frame_unmapped);
 * gnttab_frame_gfn reads it back (~0 also beyond the table).
 */
int gnttab_frame_mfn(struct domain *d, unsigned int idx, mfn_t *mfn);
void gnttab_frame_set_gfn(struct domain *d, unsigned int idx, uint64_t gfn);
uint64_t gnttab_frame_gfn(struct domain *d, unsigned int idx);
void gnttab_frame_unmapped(struct domain *d, mfn_t mfn, uint64_t gfn);

/*
 * For domain builders (boot-time domains, the toolstack's seeding): write
 * entry ref of d's table as the guest would, granting gfn to grantee
 * (GNTTAB_RESERVED_CONSOLE / _XENSTORE for the reserved ones). 0, or
 * -XEN_EINVAL if ref is beyond the table's current size or the entry is in
 * use.
 */
int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t grantee,
                      uint32_t gfn, bool readonly);

/*
 * One function per operation on plain structs; per-element results go to
 * op->status (GNTST_*). Others return 0 or a negative Xen error code.
 * setup_table writes the frame list to the guest through caller.
 */
void gnttab_map(struct vcpu *caller, struct gnttab_map_grant_ref *op);
void gnttab_unmap(struct vcpu *caller, struct gnttab_unmap_grant_ref *op);
void gnttab_unmap_and_replace(struct vcpu *caller, struct gnttab_unmap_and_replace *op);
int16_t gnttab_swap_grant_ref(struct vcpu *caller, grant_ref_t a, grant_ref_t b);
void gnttab_get_status_frames(struct vcpu *caller, struct gnttab_get_status_frames *op);
void gnttab_copy(struct vcpu *caller, struct gnttab_copy *op);
void gnttab_setup_table(struct vcpu *caller, struct gnttab_setup_table *op,
                        guest_addr_t frame_list);
void gnttab_query_size(struct vcpu *caller, struct gnttab_query_size *op);
int gnttab_set_version(struct vcpu *caller, struct gnttab_set_version *op);
int gnttab_get_version(struct vcpu *caller, struct gnttab_get_version *op);

/* Mappings d currently holds (maptrack entries in use). */
unsigned int gnttab_nr_mappings(struct domain *d);

#endif
