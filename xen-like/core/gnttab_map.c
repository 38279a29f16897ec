/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant mappings: GNTTABOP_map_grant_ref, unmap_grant_ref, unmap_and_replace,
 * the maptrack of mappings a domain holds, and their release when it dies.
 * Not here: pinning (gnttab_pin.c), the guest-physical map (mm.c).
 */
#include "gnttab_private.h"

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
                          : gnttab_pin(rd, op->ref, ld->domid, kinds, n, true, mfn);
    env_unlock(&rd->gnttab->lock);
    if (st)
        return gnttab_err(ld, "map_grant_ref", st, "d%u ref %u cannot be pinned",
                          (unsigned int)rd->domid, op->ref);
    if (!(op->flags & GNTMAP_host_map))
        return GNTST_okay;
    if (mm_map_foreign(ld, op->host_addr >> 12, *mfn, !(op->flags & GNTMAP_readonly))) {
        gnttab_unpin_locked(rd, op->ref, kinds, n);
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
    gnttab_unpin_locked(rd, op->ref, kinds, n);
}

void gnttab_map(struct vcpu *caller, struct gnttab_map_grant_ref *op)
{
    struct domain *ld = caller->domain, *rd;
    unsigned int h;
    mfn_t mfn;

    op->status = map_check_flags(ld, op);
    if (op->status)
        return;
    rd = gnttab_domain_get(op->dom);
    if (!rd) {
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_bad_domain,
                                "no domain %u", (unsigned int)op->dom);
        return;
    }
    h = mt_alloc(ld->gnttab);
    if (h == MAPTRACK_NONE) {
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_no_space,
                                "maptrack full (%u entries) or domain dying",
                                ld->gnttab->max_maptrack);
        goto out_put_granter;
    }
    op->status = map_pin_and_place(ld, rd, op, &mfn);
    if (op->status)
        goto out_free_handle;
    if (!map_commit(ld->gnttab, h, rd, op)) {     /* the handle is gone already */
        map_undo(ld, rd, op);
        op->status = gnttab_err(ld, "map_grant_ref", GNTST_general_error, "domain dying");
        goto out_put_granter;
    }
    op->handle = h;         /* the maptrack entry keeps the reference on rd */
    op->dev_bus_addr = (uint64_t)mfn << 12;
    return;

out_free_handle:
    mt_free(ld->gnttab, h);
out_put_granter:
    domain_put(rd);
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


/* Drop one mapping d holds, as a full unmap would. */
static void release_mapping(struct domain *d, struct maptrack_entry *e)
{
    enum pin_kind kinds[2];
    unsigned int n = map_kinds(e->flags, kinds);

    if ((e->flags & GNTMAP_host_map) && is_translated(d))
        mm_unmap_foreign(d, e->host_gfn);   /* gone already if mm relinquished */
    gnttab_unpin_locked(e->rd, e->ref, kinds, n);
    domain_put(e->rd);
}

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
        gnttab_unpin_locked(e.rd, e.ref, kinds, n);
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

/* ---- release on death ---- */

/* Marks d's table dead first, so no mapping can be added behind the walk. */
void gnttab_release_mappings(struct domain *d)
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

unsigned int gnttab_nr_mappings(struct domain *d)
{
    unsigned int n;

    env_lock(&d->gnttab->lock);
    n = d->gnttab->nr_mappings;
    env_unlock(&d->gnttab->lock);
    return n;
}

