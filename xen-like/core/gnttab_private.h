/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the grant tables, shared by gnttab*.c only: the per-domain table,
 * active entries, maptrack entries and accessors for the shared entry words.
 * Everyone else uses gnttab.h.
 */
#ifndef CORE_GNTTAB_PRIVATE_H
#define CORE_GNTTAB_PRIVATE_H

#include "gnttab.h"
#include "domctl.h"
#include "errno.h"
#include "mm.h"
#include "xen.h"

#define GT_PAGE_SIZE       4096u
#define ENTRIES_PER_FRAME  (GT_PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GFN_INVALID        (~(uint64_t)0)
/* Xen's pin counts are 8 bits and it refuses a pin once the count of
 * that kind has bit 7 set: at most 128 pins per kind. */
#define PIN_MAX            0x80u
#define MAPTRACK_NONE      (~0u)
#define GNTTAB_CMD_MASK    0xfffu       /* Xen: low 12 bits are the op */

enum pin_kind { PIN_HOST_RO, PIN_HOST_RW, PIN_DEV_RO, PIN_DEV_RW, NR_PIN_KINDS };

/* How one grant entry is in use right now. Locks: [g] the granter's lock. */
struct active_entry {
    uint8_t pin[NR_PIN_KINDS];          /* [g] maps and copies in progress */
    domid_t domid;                      /* [g] who pinned it (while pinned) */
    mfn_t mfn;                          /* [g] one frame reference while pinned */
};

enum { MT_FREE, MT_BUSY, MT_MAPPED };

/* One mapping held by a domain. Locks: [m] the mapper's lock. */
struct maptrack_entry {
    uint8_t state;                      /* [m] MT_* */
    uint32_t flags;                     /* [m] GNTMAP_* still in place */
    grant_ref_t ref;                    /* [m] */
    struct domain *rd;                  /* [m] granter, referenced */
    uint64_t host_gfn;                  /* [m] translated host_map: where */
    uint32_t next_free;                 /* [m] */
};

struct gnttab_domain {
    struct env_lock lock;
    unsigned int max_frames;            /* [I] */
    unsigned int max_maptrack;          /* [I] entries */
    unsigned int nr_frames;             /* [g] only grows */
    bool dead;                          /* [g] destroy ran: no new mappings */
    mfn_t *frame;                       /* [g] shared entry frames */
    uint64_t *frame_gfn;                /* [g] where the guest mapped them */
    struct active_entry **active;       /* [g] one array per frame */
    struct maptrack_entry **maptrack;   /* [m] chunks */
    unsigned int maptrack_limit;        /* [m] entries allocated */
    unsigned int maptrack_free;         /* [m] free list head */
    unsigned int nr_mappings;           /* [m] */
};

#define gnttab_err(d, op, st, fmt, ...)                                   \
    (env_log(LOG_WARN, "d%u GNTTABOP_%s: " fmt " (status %d)",            \
             (unsigned int)(d)->domid, (op), ##__VA_ARGS__, (int)(st)),    \
     (st))

static inline bool is_translated(struct domain *d)
{
    return d->cdf_flags & XEN_DOMCTL_CDF_hvm;     /* PVH/HVM: auto-translated */
}


/* ---- the shared entries: flags|domid form one 32-bit word the guest
 * updates with cmpxchg too, so we only touch it atomically ---- */

static inline uint32_t *entry_word(struct gnttab_domain *gt, grant_ref_t ref)
{
    uint32_t *base = env_frame_va(gt->frame[ref / ENTRIES_PER_FRAME]);

    return base + (ref % ENTRIES_PER_FRAME) * 2;
}

static inline uint32_t entry_frame(struct gnttab_domain *gt, grant_ref_t ref)
{
    return __atomic_load_n(entry_word(gt, ref) + 1, __ATOMIC_ACQUIRE);
}

static inline struct active_entry *active_of(struct gnttab_domain *gt, grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static inline unsigned int nr_entries(struct gnttab_domain *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

static inline bool is_pinned(const struct active_entry *act)
{
    return act->pin[PIN_HOST_RO] || act->pin[PIN_HOST_RW] ||
           act->pin[PIN_DEV_RO] || act->pin[PIN_DEV_RW];
}

static inline bool has_write_pin(const struct active_entry *act)
{
    return act->pin[PIN_HOST_RW] || act->pin[PIN_DEV_RW];
}

/* A referenced domain that has a grant table, or NULL (nothing held). */
struct domain *gnttab_domain_get(domid_t domid);

/* gnttab_pin.c: pins of rd's entry ref on behalf of ldom. */
int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
                   const enum pin_kind *kinds, unsigned int nr_kinds,
                   bool mapping, mfn_t *mfn);
void gnttab_unpin(struct domain *rd, grant_ref_t ref,
                  const enum pin_kind *kinds, unsigned int nr_kinds);
void gnttab_unpin_locked(struct domain *rd, grant_ref_t ref,
                         const enum pin_kind *kinds, unsigned int nr_kinds);

/* gnttab_map.c: drop every mapping d holds and refuse new ones (death). */
void gnttab_release_mappings(struct domain *d);

#endif
