/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant tables v1, the table itself: its frames and their growth, the
 * table ops (setup, query, versions, swap, status frames), seeding, the
 * domain lifecycle. Maps: gnttab_map.c; copies: gnttab_copy.c; pinning:
 * gnttab_pin.c; the hypercall: gnttab_op.c. Not here: mm.c, v2, transfer.
 */
#include "gnttab_private.h"

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

/* ---- table size and version ---- */

/* Grow d's table to nr frames; caller holds the lock. Frames stay once
 * added, as Xen's. They are frame-table frames (mm.c), so a foreign mapping
 * of one (the toolstack's seeding) can outlive the table. */
static int grow_table(struct domain *d, unsigned int nr)
{
    struct gnttab_domain *gt = d->gnttab;
    struct active_entry *act;
    mfn_t mfn;

    while (gt->nr_frames < nr) {
        mfn = mm_grant_frame_alloc(d);          /* zeroed */
        if (mfn == MFN_INVALID)
            return -XEN_ENOMEM;
        act = env_zalloc(ENTRIES_PER_FRAME * sizeof(*act));
        if (!act) {
            mm_grant_frame_release(mfn);
            return -XEN_ENOMEM;
        }
        gt->frame[gt->nr_frames] = mfn;
        gt->frame_gfn[gt->nr_frames] = GFN_INVALID;
        gt->active[gt->nr_frames++] = act;
    }
    return 0;
}

struct domain *gnttab_domain_get(domid_t domid)
{
    struct domain *d = domain_get(domid);

    if (d && !d->gnttab) {
        domain_put(d);
        return NULL;
    }
    return d;
}

/* dom (DOMID_SELF allowed) for a table op; other domains need privilege.
 * A reference is taken; 0 or the GNTST_ code to report. */
static int16_t table_target(struct domain *cd, domid_t dom, const char *op,
                            struct domain **out)
{
    struct domain *d = gnttab_domain_get(dom == DOMID_SELF ? cd->domid : dom);

    if (!d)
        return gnttab_err(cd, op, GNTST_bad_domain, "no domain %u", (unsigned int)dom);
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
    if (grow_table(d, nr))
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
    if (idx < gt->max_frames && !grow_table(d, idx + 1)) {
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

uint64_t gnttab_frame_gfn(struct domain *d, unsigned int idx)
{
    struct gnttab_domain *gt = d->gnttab;
    uint64_t gfn = GFN_INVALID;

    if (!gt)
        return gfn;
    env_lock(&gt->lock);
    if (idx < gt->nr_frames)
        gfn = gt->frame_gfn[idx];
    env_unlock(&gt->lock);
    return gfn;
}

void gnttab_frame_unmapped(struct domain *d, mfn_t mfn, uint64_t gfn)
{
    struct gnttab_domain *gt = d->gnttab;

    if (!gt)
        return;
    env_lock(&gt->lock);
    for (unsigned int i = 0; i < gt->nr_frames; i++)
        if (gt->frame[i] == mfn && gt->frame_gfn[i] == gfn)
            gt->frame_gfn[i] = GFN_INVALID;
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
        grow_table(d, 1)) {
        gnttab_domain_free(d);
        return -XEN_ENOMEM;
    }
    return 0;
}

/* d's own table stays: whoever still maps from it holds a reference on d. */
void gnttab_domain_destroy(struct domain *d)
{
    gnttab_release_mappings(d);
}

void gnttab_domain_free(struct domain *d)
{
    struct gnttab_domain *gt = d->gnttab;
    unsigned int i;

    if (!gt)
        return;
    gnttab_domain_destroy(d);
    for (i = 0; i < gt->nr_frames; i++) {
        mm_grant_frame_release(gt->frame[i]);
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

