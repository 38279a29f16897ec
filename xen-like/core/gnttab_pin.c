/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Grant pinning: the GTF_reading/GTF_writing handshake with the granting
 * guest and the active entry's pin counts and frame reference, shared by
 * map and copy. Not here: who may pin (gnttab_map.c, gnttab_copy.c).
 */
#include "gnttab_private.h"

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



/* Caller holds rd's lock. On success the entry is pinned once per kind in
 * kinds[] and *mfn is the granted frame. */
int16_t gnttab_pin(struct domain *rd, grant_ref_t ref, domid_t ldom,
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
void gnttab_unpin(struct domain *rd, grant_ref_t ref,
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

void gnttab_unpin_locked(struct domain *rd, grant_ref_t ref,
                         const enum pin_kind *kinds, unsigned int nr_kinds)
{
    env_lock(&rd->gnttab->lock);
    gnttab_unpin(rd, ref, kinds, nr_kinds);
    env_unlock(&rd->gnttab->lock);
}
