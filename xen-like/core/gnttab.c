/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables v1: the shared entry frames, pinning with the GTF_reading/
 * GTF_writing bits, map/unmap with maptrack, GNTTABOP_copy, the table ops
 * (setup, query, versions), per-domain limits and release on domain death.
 * Not here: the guest-physical map (mm.c), version 2, transfer.
 */
#include "gnttab.h"
#include "domctl.h"
#include "errno.h"
#include "mm.h"
#include "xen.h"

#define GT_PAGE_SIZE       4096u
#define ENTRIES_PER_FRAME  (GT_PAGE_SIZE / sizeof(struct grant_entry_v1))
#define GFN_INVALID        (~(uint64_t)0)
#define PIN_MAX            0xffu        /* per kind, as Xen's 8-bit pin fields */
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

static bool is_translated(struct domain *d)
{
    return d->cdf_flags & XEN_DOMCTL_CDF_hvm;     /* PVH/HVM: auto-translated */
}

/* ---- the shared entries: flags|domid form one 32-bit word the guest
 * updates with cmpxchg too, so we only touch it atomically ---- */

static uint32_t *entry_word(struct gnttab_domain *gt, grant_ref_t ref)
{
    uint32_t *base = env_frame_va(gt->frame[ref / ENTRIES_PER_FRAME]);

    return base + (ref % ENTRIES_PER_FRAME) * 2;
}

static uint32_t entry_frame(struct gnttab_domain *gt, grant_ref_t ref)
{
    return __atomic_load_n(entry_word(gt, ref) + 1, __ATOMIC_ACQUIRE);
}

static struct active_entry *active_of(struct gnttab_domain *gt, grant_ref_t ref)
{
    return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

static unsigned int nr_entries(struct gnttab_domain *gt)
{
    return gt->nr_frames * ENTRIES_PER_FRAME;
}

static bool is_pinned(const struct active_entry *act)
{
    return act->pin[PIN_HOST_RO] || act->pin[PIN_HOST_RW] ||
           act->pin[PIN_DEV_RO] || act->pin[PIN_DEV_RW];
}

static bool has_write_pin(const struct active_entry *act)
{
    return act->pin[PIN_HOST_RW] || act->pin[PIN_DEV_RW];
}

/*
 * Set GTF_reading (and GTF_writing unless readonly), checking on first pin
 * that the entry grants ldom access. The guest may race us; a few retries,
 * then the entry counts as unstable, as in Xen.
 */
static int16_t entry_set_busy(uint32_t *word, bool pinned, domid_t ldom,
                              bool readonly, bool mapping)
{
    uint32_t mask = GTF_type_mask | (mapping ? GTF_sub_page : 0);
    uint32_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE), new;
    unsigned int tries;

    for (tries = 0; tries < 5; tries++) {
        if (!pinned && ((old & mask) != GTF_permit_access || (old >> 16) != ldom))
            return GNTST_general_error;
        if (!readonly && (old & GTF_readonly))
            return GNTST_general_error;
        new = old | GTF_reading | (readonly ? 0 : GTF_writing);
        if (__atomic_compare_exchange_n(word, &old, new, false,
                                        __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE))
            return GNTST_okay;
    }
    return GNTST_general_error;
}

/* Clear the busy bits the remaining pins no longer justify. */
static void entry_reduce_busy(uint32_t *word, const struct active_entry *act,
                              bool readonly)
{
    uint32_t clear = is_pinned(act) ? 0 : GTF_reading;

    if (!readonly && !has_write_pin(act))
        clear |= GTF_writing;
    if (clear)
        __atomic_fetch_and(word, ~clear, __ATOMIC_SEQ_CST);
}

/* ---- pinning an entry of rd for ld (maps and copies) ---- */

/* Caller holds rd's lock. On success the entry is pinned once per kind in
 * kinds[] and *mfn is the granted frame. */
static int16_t pin_entry(struct domain *rd, grant_ref_t ref, domid_t ldom,
                         const enum pin_kind *kinds, unsigned int nr_kinds,
                         bool mapping, mfn_t *mfn)
{
    struct gnttab_domain *gt = rd->gnttab;
    struct active_entry *act;
    bool readonly = true, pinned;
    unsigned int i;
    int16_t st;

    if (ref >= nr_entries(gt))
        return GNTST_bad_gntref;
    act = active_of(gt, ref);
    pinned = is_pinned(act);
    for (i = 0; i < nr_kinds; i++) {
        if (pinned && (act->domid != ldom || act->pin[kinds[i]] == PIN_MAX))
            return GNTST_general_error;
        readonly &= kinds[i] == PIN_HOST_RO || kinds[i] == PIN_DEV_RO;
    }
    if (!pinned || (!readonly && !has_write_pin(act))) {
        st = entry_set_busy(entry_word(gt, ref), pinned, ldom, readonly, mapping);
        if (st)
            return st;
    }
    if (!pinned) {
        if (mm_get_gfn(rd, entry_frame(gt, ref), !readonly, &act->mfn)) {
            entry_reduce_busy(entry_word(gt, ref), act, readonly);
            return GNTST_bad_page;
        }
        act->domid = ldom;
    }
    for (i = 0; i < nr_kinds; i++)
        act->pin[kinds[i]]++;
    *mfn = act->mfn;
    return GNTST_okay;
}

/* Undo pin_entry; the last unpin drops the frame reference. */
static void unpin_entry(struct domain *rd, grant_ref_t ref,
                        const enum pin_kind *kinds, unsigned int nr_kinds)
{
    struct gnttab_domain *gt = rd->gnttab;
    struct active_entry *act = active_of(gt, ref);
    bool readonly = true;
    unsigned int i;

    for (i = 0; i < nr_kinds; i++) {
        act->pin[kinds[i]]--;
        readonly &= kinds[i] == PIN_HOST_RO || kinds[i] == PIN_DEV_RO;
    }
    entry_reduce_busy(entry_word(gt, ref), act, readonly);
    if (!is_pinned(act)) {
        mm_put_frame(act->mfn);
        act->mfn = MFN_INVALID;
    }
}

static void unpin_locked(struct domain *rd, grant_ref_t ref,
                         const enum pin_kind *kinds, unsigned int nr_kinds)
{
    env_lock(&rd->gnttab->lock);
    unpin_entry(rd, ref, kinds, nr_kinds);
    env_unlock(&rd->gnttab->lock);
}

/* The pin kinds a set of GNTMAP_* flags stands for. */
static unsigned int map_kinds(uint32_t flags, enum pin_kind kinds[2])
{
    bool ro = flags & GNTMAP_readonly;
    unsigned int n = 0;

    if (flags & GNTMAP_device_map)
        kinds[n++] = ro ? PIN_DEV_RO : PIN_DEV_RW;
    if (flags & GNTMAP_host_map)
        kinds[n++] = ro ? PIN_HOST_RO : PIN_HOST_RW;
    return n;
}

/* ---- maptrack ---- */

static struct maptrack_entry *mt_entry(struct gnttab_domain *gt, unsigned int h)
{
    return &gt->maptrack[h / GNTTAB_MAPTRACK_PER_FRAME][h % GNTTAB_MAPTRACK_PER_FRAME];
}

/* Grow by one chunk of entries; caller holds the lock. */
static bool mt_grow(struct gnttab_domain *gt)
{
    unsigned int chunk = gt->maptrack_limit / GNTTAB_MAPTRACK_PER_FRAME, i;
    struct maptrack_entry *e;

    if (gt->maptrack_limit >= gt->max_maptrack)
        return false;
    e = env_zalloc(GNTTAB_MAPTRACK_PER_FRAME * sizeof(*e));
    if (!e)
        return false;
    for (i = 0; i < GNTTAB_MAPTRACK_PER_FRAME; i++)
        e[i].next_free = i + 1 < GNTTAB_MAPTRACK_PER_FRAME
                         ? gt->maptrack_limit + i + 1 : gt->maptrack_free;
    gt->maptrack[chunk] = e;
    gt->maptrack_free = gt->maptrack_limit;
    gt->maptrack_limit += GNTTAB_MAPTRACK_PER_FRAME;
    return true;
}

/* Reserve a handle (MT_BUSY) or MAPTRACK_NONE when the limit is reached. */
static unsigned int mt_alloc(struct gnttab_domain *gt)
{
    unsigned int h = MAPTRACK_NONE;

    env_lock(&gt->lock);
    if (!gt->dead && (gt->maptrack_free != MAPTRACK_NONE || mt_grow(gt))) {
        h = gt->maptrack_free;
        gt->maptrack_free = mt_entry(gt, h)->next_free;
        mt_entry(gt, h)->state = MT_BUSY;
        gt->nr_mappings++;
    }
    env_unlock(&gt->lock);
    return h;
}

static void mt_release(struct gnttab_domain *gt, unsigned int h)
{
    struct maptrack_entry *e = mt_entry(gt, h);

    e->state = MT_FREE;
    e->flags = 0;
    e->rd = NULL;
    e->next_free = gt->maptrack_free;
    gt->maptrack_free = h;
    gt->nr_mappings--;
}

static void mt_free(struct gnttab_domain *gt, unsigned int h)
{
    env_lock(&gt->lock);
    mt_release(gt, h);
    env_unlock(&gt->lock);
}

/* ---- GNTTABOP_map_grant_ref ---- */

static int16_t map_check_flags(struct domain *ld, const struct gnttab_map_grant_ref *op)
{
    if (!(op->flags & (GNTMAP_device_map | GNTMAP_host_map)))
        return gnttab_err(ld, "map_grant_ref", GNTST_bad_gntref,
                          "flags %#x map nothing", op->flags);
    if (is_translated(ld) &&
        (op->flags & (GNTMAP_device_map | GNTMAP_application_map | GNTMAP_contains_pte)))
        return gnttab_err(ld, "map_grant_ref", GNTST_general_error,
                          "flags %#x: no device/PTE mappings for a translated guest",
                          op->flags);
    if (!is_translated(ld) && (op->flags & GNTMAP_host_map))
        return gnttab_err(ld, "map_grant_ref", GNTST_general_error,
                          "host mappings for PV guests are not supported");
    return GNTST_okay;
}

/* Pin, then put the frame into ld's physmap; undone on failure. */
static int16_t map_pin_and_place(struct domain *ld, struct domain *rd,
                                 const struct gnttab_map_grant_ref *op, mfn_t *mfn)
{
    enum pin_kind kinds[2];
    unsigned int n = map_kinds(op->flags, kinds);
    int16_t st;

    env_lock(&rd->gnttab->lock);
    st = rd->gnttab->dead ? GNTST_bad_domain
                          : pin_entry(rd, op->ref, ld->domid, kinds, n, true, mfn);
    env_unlock(&rd->gnttab->lock);
    if (st)
        return gnttab_err(ld, "map_grant_ref", st, "d%u ref %u cannot be pinned",
                          (unsigned int)rd->domid, op->ref);
    if (!(op->flags & GNTMAP_host_map))
        return GNTST_okay;
    if (mm_map_foreign(ld, op->host_addr >> 12, *mfn, !(op->flags & GNTMAP_readonly))) {
        unpin_locked(rd, op->ref, kinds, n);
        return gnttab_err(ld, "map_grant_ref", GNTST_general_error,
                          "cannot map d%u ref %u at gfn %#llx", (unsigned int)rd->domid,
                          op->ref, (unsigned long long)(op->host_addr >> 12));
    }
    return GNTST_okay;
}

/* Record the mapping; false if ld started dying meanwhile (its release
 * pass may be over, so the caller must undo the mapping itself). */
static bool map_commit(struct gnttab_domain *lgt, unsigned int h, struct domain *rd,
                       const struct gnttab_map_grant_ref *op)
{
    struct maptrack_entry *e;
    bool ok;

    env_lock(&lgt->lock);
    e = mt_entry(lgt, h);
    ok = !lgt->dead;
    if (!ok) {
        mt_release(lgt, h);
    } else {
        e->flags = op->flags & (GNTMAP_device_map | GNTMAP_host_map | GNTMAP_readonly);
        e->ref = op->ref;
        e->rd = rd;
        e->host_gfn = op->flags & GNTMAP_host_map ? op->host_addr >> 12 : GFN_INVALID;
        e->state = MT_MAPPED;
    }
    env_unlock(&lgt->lock);
    return ok;
}

static void map_undo(struct domain *ld, struct domain *rd,
                     const struct gnttab_map_grant_ref *op)
{
    enum pin_kind kinds[2];
    unsigned int n = map_kinds(op->flags, kinds);

    if (op->flags & GNTMAP_host_map)
        mm_unmap_foreign(ld, op->host_addr >> 12);
    unpin_locked(rd, op->ref, kinds, n);
}

void gnttab_map(struct vcpu *caller, struct gnttab_map_grant_ref *op)
{
    struct domain *ld = caller->domain, *rd;
    unsigned int h;
    mfn_t mfn;

    op->status = map_check_flags(ld, op);
    if (op->status)
        return;
    rd = domain_get(op->dom);
    if (!rd || !rd->gnttab) {
        if (rd)
            domain_put(rd);
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_bad_domain,
                                "no domain %u", (unsigned int)op->dom);
        return;
    }
    h = mt_alloc(ld->gnttab);
    if (h == MAPTRACK_NONE) {
        domain_put(rd);
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_no_space,
                                "maptrack full (%u entries) or domain dying",
                                ld->gnttab->max_maptrack);
        return;
    }
    op->status = map_pin_and_place(ld, rd, op, &mfn);
    if (!op->status && !map_commit(ld->gnttab, h, rd, op)) {
        map_undo(ld, rd, op);
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_general_error, "domain dying");
        domain_put(rd);
        return;
    }
    if (op->status) {
        mt_free(ld->gnttab, h);
        domain_put(rd);
        return;
    }
    op->handle = h;         /* the maptrack entry keeps the reference on rd */
    op->dev_bus_addr = (uint64_t)mfn << 12;
}

/* ---- GNTTABOP_unmap_grant_ref ---- */

/* Take the handle out of use (MT_BUSY) so a racing unmap fails. */
static int16_t unmap_claim(struct gnttab_domain *lgt, grant_handle_t h,
                           struct maptrack_entry *copy)
{
    struct maptrack_entry *e;
    int16_t st = GNTST_bad_handle;

    env_lock(&lgt->lock);
    if (h < lgt->maptrack_limit && (e = mt_entry(lgt, h))->state == MT_MAPPED) {
        *copy = *e;
        e->state = MT_BUSY;
        st = GNTST_okay;
    }
    env_unlock(&lgt->lock);
    return st;
}

static mfn_t active_mfn(struct domain *rd, grant_ref_t ref)
{
    mfn_t mfn;

    env_lock(&rd->gnttab->lock);
    mfn = active_of(rd->gnttab, ref)->mfn;
    env_unlock(&rd->gnttab->lock);
    return mfn;
}

/* An unmap request, as unmap_grant_ref and unmap_and_replace give it. */
struct unmap_req {
    const char *op;
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    uint64_t new_addr;
    grant_handle_t handle;
};

/* Which of the mapping's parts this request removes (GNTMAP_* bits).
 * Checked in Xen's order: bus address, then the host mapping, then the
 * device part; a failure leaves the mapping whole. */
static int16_t unmap_parts(struct domain *ld, const struct maptrack_entry *e,
                           const struct unmap_req *r, uint32_t *done)
{
    bool dev = r->dev_bus_addr && (e->flags & GNTMAP_device_map);

    *done = 0;
    if (dev && r->dev_bus_addr != (uint64_t)active_mfn(e->rd, e->ref) << 12)
        return gnttab_err(ld, r->op, GNTST_bad_dev_addr,
                          "bus address %#llx is not handle %u's",
                          (unsigned long long)r->dev_bus_addr, r->handle);
    if (r->host_addr && (e->flags & GNTMAP_host_map)) {
        /* A translated guest cannot move a mapping elsewhere (Xen). */
        if (r->new_addr)
            return gnttab_err(ld, r->op, GNTST_general_error,
                              "no replacement address for a translated guest");
        if (r->host_addr >> 12 != e->host_gfn || mm_unmap_foreign(ld, e->host_gfn))
            return gnttab_err(ld, r->op, GNTST_general_error,
                              "handle %u is not mapped at %#llx", r->handle,
                              (unsigned long long)r->host_addr);
        *done |= GNTMAP_host_map;
    }
    if (dev)
        *done |= GNTMAP_device_map;
    return GNTST_okay;
}

static void release_mapping(struct domain *d, struct maptrack_entry *e);

/* Put the handle back: freed when nothing of it is left, else MT_MAPPED.
 * If ld began dying meanwhile its release pass may have skipped this busy
 * handle, so what is left is released here. True if the handle is gone. */
static bool unmap_finish(struct domain *ld, grant_handle_t h, struct maptrack_entry *e,
                         uint32_t left)
{
    struct gnttab_domain *lgt = ld->gnttab;
    bool gone = !(left & (GNTMAP_device_map | GNTMAP_host_map)), dead;

    env_lock(&lgt->lock);
    dead = lgt->dead;
    if (gone || dead) {
        mt_release(lgt, h);
    } else {
        mt_entry(lgt, h)->flags = left;
        mt_entry(lgt, h)->state = MT_MAPPED;
    }
    env_unlock(&lgt->lock);
    if (!gone && dead) {
        e->flags = left;
        release_mapping(ld, e);         /* drops the reference on e->rd */
        return false;
    }
    return gone;
}

static int16_t unmap_common(struct domain *ld, const struct unmap_req *r)
{
    struct maptrack_entry e;
    enum pin_kind kinds[2];
    uint32_t done;
    unsigned int n;
    int16_t st;

    if (unmap_claim(ld->gnttab, r->handle, &e))
        return gnttab_err(ld, r->op, GNTST_bad_handle, "handle %u is not a mapping",
                          r->handle);
    st = unmap_parts(ld, &e, r, &done);
    n = map_kinds(done | (e.flags & GNTMAP_readonly), kinds);
    if (n)
        unpin_locked(e.rd, e.ref, kinds, n);
    if (unmap_finish(ld, r->handle, &e, e.flags & ~done))
        domain_put(e.rd);
    return st;
}

void gnttab_unmap(struct vcpu *caller, struct gnttab_unmap_grant_ref *op)
{
    struct unmap_req r = { "unmap_grant_ref", op->host_addr, op->dev_bus_addr, 0,
                           op->handle };

    op->status = unmap_common(caller->domain, &r);
}

void gnttab_unmap_and_replace(struct vcpu *caller, struct gnttab_unmap_and_replace *op)
{
    struct unmap_req r = { "unmap_and_replace", op->host_addr, 0, op->new_addr,
                           op->handle };

    op->status = unmap_common(caller->domain, &r);
}

/* ---- GNTTABOP_swap_grant_ref ---- */

int16_t gnttab_swap_grant_ref(struct vcpu *caller, grant_ref_t a, grant_ref_t b)
{
    struct domain *d = caller->domain;
    struct gnttab_domain *gt = d->gnttab;
    uint64_t *ea, *eb, t;
    int16_t st = GNTST_okay;

    env_lock(&gt->lock);
    if (a >= nr_entries(gt) || b >= nr_entries(gt))
        st = GNTST_bad_gntref;
    else if (a != b && (is_pinned(active_of(gt, a)) || is_pinned(active_of(gt, b))))
        st = GNTST_eagain;          /* in use: the guest retries later */
    else if (a != b) {
        ea = (uint64_t *)entry_word(gt, a);
        eb = (uint64_t *)entry_word(gt, b);
        t = __atomic_load_n(ea, __ATOMIC_ACQUIRE);
        __atomic_store_n(ea, __atomic_load_n(eb, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
        __atomic_store_n(eb, t, __ATOMIC_RELEASE);
    }
    env_unlock(&gt->lock);
    if (st)
        return gnttab_err(d, "swap_grant_ref", st, "refs %u and %u", a, b);
    return GNTST_okay;
}

/* ---- GNTTABOP_copy ---- */

/* One side of a copy, pinned or referenced for the copy's duration. */
struct copy_side {
    struct domain *d;           /* referenced */
    bool is_gref;
    grant_ref_t ref;
    mfn_t mfn;
    enum pin_kind kind;
    bool held;                  /* pin or frame reference taken */
};

static int16_t copy_lookup(struct domain *ld, const struct gnttab_copy_ptr *p,
                           bool is_gref, struct copy_side *s)
{
    s->is_gref = is_gref;
    s->ref = p->u.ref;
    if (!is_gref && p->domid != DOMID_SELF)
        return gnttab_err(ld, "copy", GNTST_permission_denied,
                          "frame of d%u: only DOMID_SELF may copy by frame",
                          (unsigned int)p->domid);
    s->d = domain_get(p->domid == DOMID_SELF ? ld->domid : p->domid);
    if (!s->d || !s->d->gnttab)
        return gnttab_err(ld, "copy", GNTST_bad_domain, "no domain %u",
                          (unsigned int)p->domid);
    return GNTST_okay;
}

static int16_t copy_claim(struct domain *ld, const struct gnttab_copy_ptr *p,
                          struct copy_side *s)
{
    int16_t st;

    if (!s->is_gref) {
        if (mm_get_gfn(s->d, p->u.gmfn, s->kind == PIN_HOST_RW, &s->mfn))
            return gnttab_err(ld, "copy", GNTST_bad_page, "gfn %#llx is not RAM",
                              (unsigned long long)p->u.gmfn);
        s->held = true;
        return GNTST_okay;
    }
    env_lock(&s->d->gnttab->lock);
    st = s->d->gnttab->dead ? GNTST_bad_domain
                            : pin_entry(s->d, s->ref, ld->domid, &s->kind, 1, false, &s->mfn);
    env_unlock(&s->d->gnttab->lock);
    if (st)
        return gnttab_err(ld, "copy", st, "d%u ref %u cannot be pinned",
                          (unsigned int)s->d->domid, s->ref);
    s->held = true;
    return GNTST_okay;
}

static void copy_release(struct copy_side *s)
{
    if (s->held && s->is_gref)
        unpin_locked(s->d, s->ref, &s->kind, 1);
    else if (s->held)
        mm_put_frame(s->mfn);
    if (s->d)
        domain_put(s->d);
}

static int16_t copy_checked(struct domain *ld, const struct gnttab_copy *op,
                            struct copy_side *src, struct copy_side *dst)
{
    int16_t st;

    if ((st = copy_lookup(ld, &op->source, op->flags & GNTCOPY_source_gref, src)) ||
        (st = copy_lookup(ld, &op->dest, op->flags & GNTCOPY_dest_gref, dst)) ||
        (st = copy_claim(ld, &op->source, src)) ||
        (st = copy_claim(ld, &op->dest, dst)))
        return st;
    if (op->source.offset + op->len > GT_PAGE_SIZE ||
        op->dest.offset + op->len > GT_PAGE_SIZE)
        return gnttab_err(ld, "copy", GNTST_bad_copy_arg,
                          "%u bytes at %u -> %u cross a page", op->len,
                          op->source.offset, op->dest.offset);
    memmove((char *)env_frame_va(dst->mfn) + op->dest.offset,
            (char *)env_frame_va(src->mfn) + op->source.offset, op->len);
    return GNTST_okay;
}

void gnttab_copy(struct vcpu *caller, struct gnttab_copy *op)
{
    struct copy_side src = { .kind = PIN_HOST_RO }, dst = { .kind = PIN_HOST_RW };

    op->status = copy_checked(caller->domain, op, &src, &dst);
    copy_release(&dst);
    copy_release(&src);
}

/* ---- table size and version ---- */

/* Grow d's table to nr frames; caller holds the lock. Frames stay once
 * added, as Xen's. */
static int grow_table(struct gnttab_domain *gt, unsigned int nr)
{
    struct active_entry *act;
    mfn_t mfn;

    while (gt->nr_frames < nr) {
        mfn = env_frame_alloc();
        if (mfn == MFN_INVALID)
            return -XEN_ENOMEM;
        act = env_zalloc(ENTRIES_PER_FRAME * sizeof(*act));
        if (!act) {
            env_frame_free(mfn);
            return -XEN_ENOMEM;
        }
        memset(env_frame_va(mfn), 0, GT_PAGE_SIZE);
        gt->frame[gt->nr_frames] = mfn;
        gt->frame_gfn[gt->nr_frames] = GFN_INVALID;
        gt->active[gt->nr_frames++] = act;
    }
    return 0;
}

/* dom (DOMID_SELF allowed) for a table op; other domains need privilege.
 * A reference is taken; 0 or the GNTST_ code to report. */
static int16_t table_target(struct domain *cd, domid_t dom, const char *op,
                            struct domain **out)
{
    struct domain *d = domain_get(dom == DOMID_SELF ? cd->domid : dom);

    if (!d || !d->gnttab) {
        if (d)
            domain_put(d);
        return gnttab_err(cd, op, GNTST_bad_domain, "no domain %u", (unsigned int)dom);
    }
    if (d != cd && !cd->is_privileged) {
        domain_put(d);
        return gnttab_err(cd, op, GNTST_permission_denied,
                          "d%u's table needs privilege", (unsigned int)dom);
    }
    *out = d;
    return GNTST_okay;
}

/* Fill frames[] for setup_table: GFNs for translated guests, MFNs for PV. */
static int16_t setup_locked(struct domain *cd, struct domain *d, uint32_t nr,
                            uint64_t *frames)
{
    struct gnttab_domain *gt = d->gnttab;
    unsigned int i;

    if (nr > gt->max_frames)
        return gnttab_err(cd, "setup_table", GNTST_general_error,
                          "d%u is limited to %u frames, asked %u",
                          (unsigned int)d->domid, gt->max_frames, nr);
    if (grow_table(gt, nr))
        return gnttab_err(cd, "setup_table", GNTST_general_error,
                          "growing d%u to %u frames failed", (unsigned int)d->domid, nr);
    for (i = 0; i < nr; i++)
        frames[i] = is_translated(d) ? gt->frame_gfn[i] : gt->frame[i];
    return GNTST_okay;
}

void gnttab_setup_table(struct vcpu *caller, struct gnttab_setup_table *op,
                        guest_addr_t frame_list)
{
    uint64_t frames[GNTTAB_MAX_FRAMES];
    struct domain *cd = caller->domain, *d;
    uint32_t i;

    op->status = table_target(cd, op->dom, "setup_table", &d);
    if (op->status)
        return;
    env_lock(&d->gnttab->lock);
    op->status = setup_locked(cd, d, op->nr_frames, frames);
    env_unlock(&d->gnttab->lock);
    for (i = 0; !op->status && i < op->nr_frames; i++)
        if (env_copy_to_guest(caller, frame_list + i * sizeof(xen_pfn_t),
                              &frames[i], sizeof(xen_pfn_t)))
            op->status = gnttab_err(cd, "setup_table", GNTST_bad_virt_addr,
                                    "frame list at %#llx not writable",
                                    (unsigned long long)frame_list);
    domain_put(d);
}

void gnttab_query_size(struct vcpu *caller, struct gnttab_query_size *op)
{
    struct domain *d;

    op->status = table_target(caller->domain, op->dom, "query_size", &d);
    if (op->status)
        return;
    env_lock(&d->gnttab->lock);
    op->nr_frames = d->gnttab->nr_frames;
    op->max_nr_frames = d->gnttab->max_frames;
    env_unlock(&d->gnttab->lock);
    domain_put(d);
}

/* Version 1 has no status frames: any request for some fails. */
void gnttab_get_status_frames(struct vcpu *caller, struct gnttab_get_status_frames *op)
{
    struct domain *d;

    op->status = table_target(caller->domain, op->dom, "get_status_frames", &d);
    if (op->status)
        return;
    if (op->nr_frames)
        op->status = gnttab_err(caller->domain, "get_status_frames", GNTST_general_error,
                                "d%u has no status frames (version 1)",
                                (unsigned int)d->domid);
    domain_put(d);
}

int gnttab_set_version(struct vcpu *caller, struct gnttab_set_version *op)
{
    uint32_t asked = op->version;

    op->version = 1;            /* reported back whatever happens, as in Xen */
    if (asked == 1)
        return 0;
    if (asked == 2)
        return gnttab_err(caller->domain, "set_version", -XEN_ENOSYS,
                          "only version 1 is provided");
    return gnttab_err(caller->domain, "set_version", -XEN_EINVAL,
                      "no grant table version %u", asked);
}

int gnttab_get_version(struct vcpu *caller, struct gnttab_get_version *op)
{
    struct domain *cd = caller->domain;
    struct domain *d = domain_get(op->dom == DOMID_SELF ? cd->domid : op->dom);

    if (!d)
        return gnttab_err(cd, "get_version", -XEN_ESRCH, "no domain %u",
                          (unsigned int)op->dom);
    domain_put(d);
    if (d != cd && !cd->is_privileged)
        return gnttab_err(cd, "get_version", -XEN_EPERM,
                          "d%u's version needs privilege", (unsigned int)op->dom);
    op->version = 1;
    return 0;
}

int gnttab_frame_mfn(struct domain *d, unsigned int idx, mfn_t *mfn)
{
    struct gnttab_domain *gt = d->gnttab;
    int rc = -XEN_EINVAL;

    if (!gt)
        return rc;
    env_lock(&gt->lock);
    if (idx < gt->max_frames && !grow_table(gt, idx + 1)) {
        *mfn = gt->frame[idx];
        rc = 0;
    }
    env_unlock(&gt->lock);
    if (rc)
        env_log(LOG_WARN, "d%u: grant frame %u beyond the table's %u frames",
                (unsigned int)d->domid, idx, gt->max_frames);
    return rc;
}

void gnttab_frame_set_gfn(struct domain *d, unsigned int idx, uint64_t gfn)
{
    struct gnttab_domain *gt = d->gnttab;

    if (!gt)
        return;
    env_lock(&gt->lock);
    if (idx < gt->nr_frames)
        gt->frame_gfn[idx] = gfn;
    env_unlock(&gt->lock);
}

int gnttab_seed_entry(struct domain *d, grant_ref_t ref, domid_t grantee,
                      uint32_t gfn, bool readonly)
{
    struct gnttab_domain *gt = d->gnttab;
    uint32_t *word;
    int rc = -XEN_EINVAL;

    if (!gt)
        return rc;
    env_lock(&gt->lock);
    if (ref < nr_entries(gt) && !is_pinned(active_of(gt, ref))) {
        word = entry_word(gt, ref);
        /* Frame first: the guest may look at the entry as soon as it is valid. */
        __atomic_store_n(word + 1, gfn, __ATOMIC_RELEASE);
        __atomic_store_n(word, (uint32_t)grantee << 16 | GTF_permit_access |
                               (readonly ? GTF_readonly : 0), __ATOMIC_RELEASE);
        rc = 0;
    }
    env_unlock(&gt->lock);
    if (rc)
        env_log(LOG_WARN, "d%u: cannot seed grant ref %u (out of range or in use)",
                (unsigned int)d->domid, ref);
    return rc;
}

unsigned int gnttab_nr_mappings(struct domain *d)
{
    unsigned int n;

    env_lock(&d->gnttab->lock);
    n = d->gnttab->nr_mappings;
    env_unlock(&d->gnttab->lock);
    return n;
}

/* ---- domain lifecycle ---- */

int gnttab_domain_init(struct domain *d, unsigned int max_frames,
                       unsigned int max_maptrack_frames)
{
    struct gnttab_domain *gt;

    if (max_frames < 1 || max_frames > GNTTAB_MAX_FRAMES ||
        max_maptrack_frames > GNTTAB_MAX_MAPTRACK_FRAMES) {
        env_log(LOG_WARN, "d%u: bad grant table limits: %u frames, %u maptrack frames",
                (unsigned int)d->domid, max_frames, max_maptrack_frames);
        return -XEN_EINVAL;
    }
    gt = env_zalloc(sizeof(*gt));
    if (!gt)
        return -XEN_ENOMEM;
    env_lock_init(&gt->lock, GNTTAB_LOCK_RANK, "gnttab");
    gt->max_frames = max_frames;
    gt->max_maptrack = max_maptrack_frames * GNTTAB_MAPTRACK_PER_FRAME;
    gt->maptrack_free = MAPTRACK_NONE;
    gt->frame = env_zalloc(max_frames * sizeof(*gt->frame));
    gt->frame_gfn = env_zalloc(max_frames * sizeof(*gt->frame_gfn));
    gt->active = env_zalloc(max_frames * sizeof(*gt->active));
    gt->maptrack = env_zalloc((max_maptrack_frames + 1) * sizeof(*gt->maptrack));
    d->gnttab = gt;
    if (!gt->frame || !gt->frame_gfn || !gt->active || !gt->maptrack ||
        grow_table(gt, 1)) {
        gnttab_domain_free(d);
        return -XEN_ENOMEM;
    }
    return 0;
}

/* Drop one mapping d holds, as a full unmap would. */
static void release_mapping(struct domain *d, struct maptrack_entry *e)
{
    enum pin_kind kinds[2];
    unsigned int n = map_kinds(e->flags, kinds);

    if ((e->flags & GNTMAP_host_map) && is_translated(d))
        mm_unmap_foreign(d, e->host_gfn);   /* gone already if mm relinquished */
    unpin_locked(e->rd, e->ref, kinds, n);
    domain_put(e->rd);
}

void gnttab_domain_destroy(struct domain *d)
{
    struct gnttab_domain *gt = d->gnttab;
    struct maptrack_entry e;
    unsigned int h;

    if (!gt)
        return;
    env_lock(&gt->lock);
    gt->dead = true;
    for (h = 0; h < gt->maptrack_limit; h++) {
        if (mt_entry(gt, h)->state != MT_MAPPED)
            continue;
        e = *mt_entry(gt, h);
        mt_release(gt, h);
        /* Unpinning takes the granter's lock; never nest two tables. */
        env_unlock(&gt->lock);
        env_log(LOG_INFO, "d%u: dying, releases its map of d%u ref %u",
                (unsigned int)d->domid, (unsigned int)e.rd->domid, e.ref);
        release_mapping(d, &e);
        env_lock(&gt->lock);
    }
    env_unlock(&gt->lock);
}

void gnttab_domain_free(struct domain *d)
{
    struct gnttab_domain *gt = d->gnttab;
    unsigned int i;

    if (!gt)
        return;
    gnttab_domain_destroy(d);
    for (i = 0; i < gt->nr_frames; i++) {
        env_frame_free(gt->frame[i]);
        env_free(gt->active[i]);
    }
    for (i = 0; gt->maptrack && i * GNTTAB_MAPTRACK_PER_FRAME < gt->maptrack_limit; i++)
        env_free(gt->maptrack[i]);
    env_free(gt->maptrack);
    env_free(gt->active);
    env_free(gt->frame_gfn);
    env_free(gt->frame);
    env_free(gt);
    d->gnttab = NULL;
}

/* ---- the hypercall family ---- */

/* Any element a batched op reads, so one loop serves them all. */
union gnttab_elem {
    struct gnttab_map_grant_ref map;
    struct gnttab_unmap_grant_ref unmap;
    struct gnttab_unmap_and_replace replace;
    struct gnttab_copy copy;
    struct gnttab_swap_grant_ref swap;
    struct gnttab_get_status_frames status_frames;
    struct gnttab_setup_table setup;
    struct gnttab_query_size query;
};

/* How one op's elements travel: all of it is read, only [out_off,
 * out_off + out_len) is written back (most ops return just the status). */
struct gnttab_batch {
    const char *name;
    size_t size;
    size_t out_off;
    size_t out_len;
    bool single;                /* count must be 1 */
};

#define BACK_WHOLE(type)  sizeof(type), 0, sizeof(type)
#define BACK_STATUS(type) sizeof(type), offsetof(type, status), sizeof(((type *)0)->status)

static const struct gnttab_batch batches[] = {
    [GNTTABOP_map_grant_ref]     = { "map_grant_ref",
                                     BACK_WHOLE(struct gnttab_map_grant_ref), false },
    [GNTTABOP_unmap_grant_ref]   = { "unmap_grant_ref",
                                     BACK_STATUS(struct gnttab_unmap_grant_ref), false },
    [GNTTABOP_unmap_and_replace] = { "unmap_and_replace",
                                     BACK_STATUS(struct gnttab_unmap_and_replace), false },
    [GNTTABOP_copy]              = { "copy", BACK_STATUS(struct gnttab_copy), false },
    [GNTTABOP_swap_grant_ref]    = { "swap_grant_ref",
                                     BACK_STATUS(struct gnttab_swap_grant_ref), false },
    [GNTTABOP_get_status_frames] = { "get_status_frames",
                                     BACK_STATUS(struct gnttab_get_status_frames), true },
    [GNTTABOP_setup_table]       = { "setup_table",
                                     BACK_STATUS(struct gnttab_setup_table), true },
    [GNTTABOP_query_size]        = { "query_size",
                                     BACK_WHOLE(struct gnttab_query_size), true },
};

static void batch_one(struct vcpu *v, unsigned int cmd, union gnttab_elem *op)
{
    switch (cmd) {
    case GNTTABOP_map_grant_ref:
        gnttab_map(v, &op->map);
        break;
    case GNTTABOP_unmap_grant_ref:
        gnttab_unmap(v, &op->unmap);
        break;
    case GNTTABOP_unmap_and_replace:
        gnttab_unmap_and_replace(v, &op->replace);
        break;
    case GNTTABOP_copy:
        gnttab_copy(v, &op->copy);
        break;
    case GNTTABOP_swap_grant_ref:
        op->swap.status = gnttab_swap_grant_ref(v, op->swap.ref_a, op->swap.ref_b);
        break;
    case GNTTABOP_get_status_frames:
        gnttab_get_status_frames(v, &op->status_frames);
        break;
    case GNTTABOP_setup_table:
        gnttab_setup_table(v, &op->setup,
                           (guest_addr_t)(uintptr_t)op->setup.frame_list.p);
        break;
    case GNTTABOP_query_size:
        gnttab_query_size(v, &op->query);
        break;
    }
}

/* Element by element; a fault stops the batch with the earlier ones done. */
static long batch_run(struct vcpu *v, unsigned int cmd, guest_addr_t arg, unsigned int count)
{
    const struct gnttab_batch *b = &batches[cmd];
    union gnttab_elem op;
    guest_addr_t at;
    unsigned int i;

    if (b->single && count != 1)
        return gnttab_err(v->domain, b->name, -XEN_EINVAL, "count %u, not 1", count);
    for (i = 0; i < count; i++) {
        at = arg + (guest_addr_t)i * b->size;
        if (env_copy_from_guest(v, &op, at, b->size))
            return -XEN_EFAULT;
        batch_one(v, cmd, &op);
        if (env_copy_to_guest(v, at + b->out_off, (char *)&op + b->out_off, b->out_len))
            return -XEN_EFAULT;
    }
    return 0;
}

/* set_version reports the version back even when it fails (Xen). */
static long op_set_version(struct vcpu *v, guest_addr_t arg)
{
    struct gnttab_set_version op;
    long rc;

    if (env_copy_from_guest(v, &op, arg, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_set_version(v, &op);
    if (env_copy_to_guest(v, arg, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}

static long op_get_version(struct vcpu *v, guest_addr_t arg)
{
    struct gnttab_get_version op;
    long rc;

    if (env_copy_from_guest(v, &op, arg, sizeof(op)))
        return -XEN_EFAULT;
    rc = gnttab_get_version(v, &op);
    if (!rc && env_copy_to_guest(v, arg, &op, sizeof(op)))
        return -XEN_EFAULT;
    return rc;
}

long gnttab_op(struct vcpu *v, unsigned int cmd, guest_addr_t arg, unsigned int count)
{
    if ((int)count < 0)
        return gnttab_err(v->domain, "?", -XEN_EINVAL, "count %u", count);
    /* Continuation bits: only cache_flush (not provided) carries them. */
    if (cmd & ~GNTTAB_CMD_MASK)
        return gnttab_err(v->domain, "?", -XEN_EINVAL, "cmd %#x has argument bits", cmd);
    if (cmd < sizeof(batches) / sizeof(batches[0]) && batches[cmd].name)
        return batch_run(v, cmd, arg, count);
    switch (cmd) {
    case GNTTABOP_set_version:
        return op_set_version(v, arg);
    case GNTTABOP_get_version:
        return op_get_version(v, arg);
    case GNTTABOP_transfer:
        /* Xen built without grant transfer answers the same. */
        return gnttab_err(v->domain, "transfer", -XEN_EOPNOTSUPP, "not provided");
    default:
        return gnttab_err(v->domain, "?", -XEN_ENOSYS, "op %u not provided", cmd);
    }
}
