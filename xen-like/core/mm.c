/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory ownership: the frame table (owner, kind, reference count of every
 * frame a domain owns) and each domain's guest-physical map, a 4-level radix
 * tree of p2m entries. Not here: the hardware view of that map (arch/ NPT),
 * the hypercall marshalling (hypercall.c), grant bookkeeping (gnttab.c).
 */
#include "mm.h"
#include "errno.h"
#include "gnttab.h"
#include "memory.h"

#define PAGE_SIZE   4096
#define RADIX_BITS  9
#define RADIX_SIZE  (1u << RADIX_BITS)
#define LEAF_BITS   9

#define P2M_PRESENT     1ULL
#define P2M_WRITABLE    2ULL
#define P2M_KIND_SHIFT  2
#define P2M_KIND_MASK   7ULL
#define GFN_INVALID     (~0ULL)

/*
 * RAM and shared_info frames hold a reference on their owner. Grant-table
 * frames do not (d's table holds them and goes only at d's last reference,
 * so a reference would be a cycle): the table clears their owner when it
 * lets go, and a foreign mapping may keep such an ownerless frame alive.
 */
struct frame_info {
    struct domain *owner;       /* atomic; see above */
    uint32_t refs;              /* atomic */
    uint8_t kind;               /* enum mm_kind of its owner's use */
};

static struct frame_info *frame_dir[MM_FRAME_LIMIT >> LEAF_BITS];
static struct env_lock frames_lock = ENV_LOCK_INIT(LOCK_RANK_FRAMES, "frames");
static uint64_t frames_in_use;
static uint64_t table_allocs;

/* ---- the frame table ---- */

static struct frame_info *frame_info(mfn_t mfn, bool alloc)
{
    struct frame_info **leaf;

    if (mfn >= MM_FRAME_LIMIT)
        return NULL;
    leaf = &frame_dir[mfn >> LEAF_BITS];
    if (!*leaf && alloc) {
        env_lock(&frames_lock);
        if (!*leaf && (*leaf = env_zalloc(sizeof(**leaf) << LEAF_BITS)))
            table_allocs++;
        env_unlock(&frames_lock);
    }
    return *leaf ? &(*leaf)[mfn & ((1u << LEAF_BITS) - 1)] : NULL;
}

/* The fresh frame mfn, owned by d with one reference and zeroed unless
 * !scrub (mm_populate_unscrubbed); or MFN_INVALID (the frame freed) when
 * its frame-table entry cannot be had. */
static mfn_t frame_adopt(struct domain *d, mfn_t mfn, enum mm_kind kind, bool scrub)
{
    struct frame_info *fi = frame_info(mfn, true);

    if (!fi) {
        env_frame_free(mfn);
        return MFN_INVALID;
    }
    if (scrub)
        memset(env_frame_va(mfn), 0, PAGE_SIZE);    /* never leak a previous owner's data */
    if (kind != MM_GRANT_FRAME)
        domain_ref(d);
    __atomic_store_n(&fi->owner, d, __ATOMIC_RELAXED);
    fi->kind = kind;
    __atomic_store_n(&fi->refs, 1, __ATOMIC_RELEASE);
    __atomic_add_fetch(&frames_in_use, 1, __ATOMIC_RELAXED);
    return mfn;
}

static mfn_t frame_alloc_for(struct domain *d, enum mm_kind kind)
{
    mfn_t mfn = env_frame_alloc();

    return mfn == MFN_INVALID ? MFN_INVALID : frame_adopt(d, mfn, kind, true);
}

static bool frame_ref(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);
    uint32_t old = fi ? __atomic_load_n(&fi->refs, __ATOMIC_RELAXED) : 0;

    while (old) {
        if (__atomic_compare_exchange_n(&fi->refs, &old, old + 1, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

void mm_put_frame(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);
    struct domain *owner;

    if (!fi || !__atomic_load_n(&fi->refs, __ATOMIC_RELAXED)) {
        env_log(LOG_ERR, "mm: put of unreferenced frame %#llx", (unsigned long long)mfn);
        return;
    }
    if (__atomic_sub_fetch(&fi->refs, 1, __ATOMIC_ACQ_REL))
        return;
    owner = __atomic_exchange_n(&fi->owner, NULL, __ATOMIC_ACQ_REL);
    if (fi->kind == MM_RAM)
        __atomic_sub_fetch(&owner->mm->tot_pages, 1, __ATOMIC_RELAXED);
    env_frame_free(mfn);
    __atomic_sub_fetch(&frames_in_use, 1, __ATOMIC_RELAXED);
    if (fi->kind != MM_GRANT_FRAME)
        domain_put(owner);
}

mfn_t mm_grant_frame_alloc(struct domain *d)
{
    return frame_alloc_for(d, MM_GRANT_FRAME);
}

void mm_grant_frame_release(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);

    if (!fi || fi->kind != MM_GRANT_FRAME) {
        env_log(LOG_ERR, "mm: frame %#llx is not a grant-table frame", (unsigned long long)mfn);
        return;
    }
    /* Its table (and soon its domain) is gone: nobody may follow the owner. */
    __atomic_store_n(&fi->owner, NULL, __ATOMIC_RELEASE);
    mm_put_frame(mfn);
}

struct domain *mm_frame_owner(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);

    return fi && __atomic_load_n(&fi->refs, __ATOMIC_ACQUIRE) ?
           __atomic_load_n(&fi->owner, __ATOMIC_ACQUIRE) : NULL;
}

int mm_frame_kind(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);

    return fi && __atomic_load_n(&fi->refs, __ATOMIC_ACQUIRE) ? fi->kind : 0;
}

unsigned int mm_frame_refs(mfn_t mfn)
{
    struct frame_info *fi = frame_info(mfn, false);

    return fi ? __atomic_load_n(&fi->refs, __ATOMIC_RELAXED) : 0;
}

uint64_t mm_table_allocs(void)
{
    return table_allocs;
}

uint64_t mm_frames_in_use(void)
{
    return __atomic_load_n(&frames_in_use, __ATOMIC_RELAXED);
}

/* ---- p2m entries ---- */

static uint64_t p2m_entry(mfn_t mfn, enum mm_kind kind, bool writable)
{
    return (mfn << 12) | ((uint64_t)kind << P2M_KIND_SHIFT) |
           (writable ? P2M_WRITABLE : 0) | P2M_PRESENT;
}

static mfn_t entry_mfn(uint64_t e)
{
    return e >> 12;
}

static enum mm_kind entry_kind(uint64_t e)
{
    return (enum mm_kind)((e >> P2M_KIND_SHIFT) & P2M_KIND_MASK);
}

/*
 * The tree's nodes are hypervisor memory a guest makes us allocate by
 * naming new gfns (add_to_physmap moves, populate): bound them by what its
 * RAM needs, one leaf per 512 pages, with room for scattered special pages.
 */
static uint64_t p2m_node_limit(const struct mm_domain *mm)
{
    return 64 + mm->max_pages / 64;
}

/* The slot for gfn, allocating interior nodes if asked. [p] */
static uint64_t *p2m_slot(struct mm_domain *mm, uint64_t gfn, bool alloc)
{
    void **slot = &mm->root;

    for (int level = 3; level >= 0; level--) {
        if (!*slot) {
            if (!alloc || mm->nr_nodes >= p2m_node_limit(mm) ||
                !(*slot = env_zalloc(PAGE_SIZE)))
                return NULL;
            mm->nr_nodes++;
        }
        if (level == 0)
            return &((uint64_t *)*slot)[gfn & (RADIX_SIZE - 1)];
        slot = &((void **)*slot)[(gfn >> (RADIX_BITS * level)) & (RADIX_SIZE - 1)];
    }
    return NULL;
}

int mm_translate(struct domain *d, uint64_t gfn, bool write, mfn_t *mfn)
{
    uint64_t *slot, e;

    if (!d->mm || gfn >= (1ULL << MM_GFN_BITS))
        return -XEN_EFAULT;
    slot = p2m_slot(d->mm, gfn, false);
    e = slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : 0;
    if (!(e & P2M_PRESENT) || (write && !(e & P2M_WRITABLE)))
        return -XEN_EFAULT;
    *mfn = entry_mfn(e);
    return 0;
}

static bool gfn_ok(struct domain *d, uint64_t gfn, const char *op)
{
    if (gfn < (1ULL << MM_GFN_BITS))
        return true;
    env_log(LOG_WARN, "d%u: %s: gfn %#llx beyond the guest-physical space", d->domid, op,
            (unsigned long long)gfn);
    return false;
}

/* What an entry held is let go once the p2m lock is dropped. */
static void entry_release(uint64_t e)
{
    switch (entry_kind(e)) {
    case MM_RAM:
    case MM_GRANT_FRAME:
    case MM_FOREIGN_GRANT:
    case MM_FOREIGN_PRIV:
        mm_put_frame(entry_mfn(e));
        break;
    default:
        break;          /* shared_info holds no reference per mapping (one location) */
    }
}

/*
 * d's entry e at gfn is gone (removed or replaced); no p2m lock held. A grant
 * frame's recorded location is forgotten, so setup_table reports it unmapped
 * as Xen does (its M2P entry becomes invalid).
 */
static void entry_removed(struct domain *d, uint64_t gfn, uint64_t e)
{
    if (!(e & P2M_PRESENT))
        return;
    if (entry_kind(e) == MM_GRANT_FRAME)
        gnttab_frame_unmapped(d, entry_mfn(e), gfn);
    entry_release(e);
}

/* Install e at gfn; returns the entry it replaced (0: none). [p] */
static int p2m_set(struct domain *d, uint64_t gfn, uint64_t e, uint64_t *old)
{
    struct mm_domain *mm = d->mm;
    uint64_t *slot;

    if (mm->relinquished) {
        env_log(LOG_WARN, "d%u: p2m: domain is dying", d->domid);
        return -XEN_EINVAL;
    }
    slot = p2m_slot(mm, gfn, true);
    if (!slot) {
        env_log(LOG_WARN, "d%u: p2m: no node for gfn %#llx (%llu nodes, limit %llu)",
                d->domid, (unsigned long long)gfn, (unsigned long long)mm->nr_nodes,
                (unsigned long long)p2m_node_limit(mm));
        return -XEN_ENOMEM;
    }
    *old = *slot;
    if ((*old & P2M_PRESENT) && entry_kind(*old) == MM_SHARED_INFO)
        mm->shared_info_gfn = GFN_INVALID;
    *slot = e;
    return 0;
}

/* ---- life cycle ---- */

int mm_domain_init(struct domain *d)
{
    struct mm_domain *mm = env_zalloc(sizeof(*mm));
    mfn_t mfn;

    if (!mm)
        return -XEN_ENOMEM;
    env_lock_init(&mm->lock, LOCK_RANK_P2M, "p2m");
    mm->shared_info_gfn = GFN_INVALID;
    d->mm = mm;
    mfn = frame_alloc_for(d, MM_SHARED_INFO);
    if (mfn == MFN_INVALID)
        return -XEN_ENOMEM;
    d->shared_info_mfn = mfn;
    d->shared_info = env_frame_va(mfn);
    return 0;
}

static void radix_release(void *node, int level)
{
    if (!node)
        return;
    for (unsigned int i = 0; i < RADIX_SIZE; i++) {
        if (level == 0) {
            uint64_t e = ((uint64_t *)node)[i];

            if (e & P2M_PRESENT)
                entry_release(e);
        } else {
            radix_release(((void **)node)[i], level - 1);
        }
    }
    env_free(node);
}

void mm_domain_relinquish(struct domain *d)
{
    struct mm_domain *mm = d->mm;
    void *root;

    if (!mm)
        return;
    env_lock(&mm->lock);
    root = mm->root;
    mm->root = NULL;
    mm->relinquished = true;
    mm->nr_nodes = 0;
    mm->shared_info_gfn = GFN_INVALID;
    env_unlock(&mm->lock);
    env_p2m_changed(d, 0, 1ULL << MM_GFN_BITS);
    /* Detached: nobody else can see the tree, so walk it unlocked. */
    radix_release(root, 3);
    if (d->shared_info_mfn != MFN_INVALID) {
        mfn_t mfn = d->shared_info_mfn;

        d->shared_info_mfn = MFN_INVALID;
        mm_put_frame(mfn);          /* d's own reference; may be the last on d */
    }
}

void mm_domain_free(struct domain *d)
{
    env_free(d->mm);
    d->mm = NULL;
}

/* ---- the gnttab interface ---- */

int mm_lookup(struct domain *d, uint64_t gfn, mfn_t *mfn, enum mm_kind *kind, bool *writable)
{
    struct mm_domain *mm = d->mm;
    uint64_t *slot, e = 0;

    if (!mm || gfn >= (1ULL << MM_GFN_BITS))
        return -XEN_EINVAL;
    env_lock(&mm->lock);
    slot = p2m_slot(mm, gfn, false);
    if (slot)
        e = *slot;
    env_unlock(&mm->lock);
    if (!(e & P2M_PRESENT))
        return -XEN_EINVAL;
    *mfn = entry_mfn(e);
    if (kind)
        *kind = entry_kind(e);
    if (writable)
        *writable = e & P2M_WRITABLE;
    return 0;
}

/* A reference on the frame behind d's gfn if its kind is in the mask. */
static int get_gfn_kinds(struct domain *d, uint64_t gfn, unsigned int kinds, mfn_t *mfn)
{
    struct mm_domain *mm = d->mm;
    uint64_t *slot, e = 0;
    bool ok = false;

    if (!mm || gfn >= (1ULL << MM_GFN_BITS))
        return -XEN_EINVAL;
    env_lock(&mm->lock);
    slot = p2m_slot(mm, gfn, false);
    if (slot)
        e = *slot;
    /* Under the lock the mapping's own reference keeps the frame alive. */
    if ((e & P2M_PRESENT) && (kinds & (1u << entry_kind(e))))
        ok = frame_ref(entry_mfn(e));
    env_unlock(&mm->lock);
    if (!ok)
        return -XEN_EINVAL;
    *mfn = entry_mfn(e);
    return 0;
}

int mm_get_gfn(struct domain *d, uint64_t gfn, bool writable, mfn_t *mfn)
{
    return get_gfn_kinds(d, gfn, 1u << MM_RAM, mfn);
}

/* quiet: the caller reports the change itself once a batch is in, which
 * is only safe where no frame was replaced (nothing stale to flush). */
static int set_frame(struct domain *d, uint64_t gfn, mfn_t mfn, enum mm_kind kind,
                     bool writable, const char *op, bool quiet)
{
    struct mm_domain *mm = d->mm;
    uint64_t *slot, old = 0;
    int rc;

    env_lock(&mm->lock);
    slot = p2m_slot(mm, gfn, false);
    if (slot && (*slot & P2M_PRESENT) && entry_kind(*slot) >= MM_FOREIGN_GRANT) {
        env_unlock(&mm->lock);
        env_log(LOG_WARN, "d%u: %s: gfn %#llx already holds a foreign mapping", d->domid,
                op, (unsigned long long)gfn);
        return -XEN_EBUSY;
    }
    rc = p2m_set(d, gfn, p2m_entry(mfn, kind, writable), &old);
    env_unlock(&mm->lock);
    if (rc)
        return rc;
    if (!quiet || (old & P2M_PRESENT))
        env_p2m_changed(d, gfn, 1); /* before the old frame may be reused */
    entry_removed(d, gfn, old);
    return 0;
}

static int map_frame(struct domain *d, uint64_t gfn, mfn_t mfn, enum mm_kind kind,
                     bool writable, const char *op)
{
    return set_frame(d, gfn, mfn, kind, writable, op, false);
}

int mm_map_foreign(struct domain *d, uint64_t gfn, mfn_t mfn, bool writable)
{
    int rc;

    if (!gfn_ok(d, gfn, "grant map"))
        return -XEN_EINVAL;
    if (!frame_ref(mfn)) {
        env_log(LOG_WARN, "d%u: grant map: frame %#llx is not allocated", d->domid,
                (unsigned long long)mfn);
        return -XEN_EINVAL;
    }
    rc = map_frame(d, gfn, mfn, MM_FOREIGN_GRANT, writable, "grant map");
    if (rc)
        mm_put_frame(mfn);
    return rc;
}

int mm_map_foreign_priv(struct domain *d, uint64_t gfn, struct domain *fd, uint64_t fgfn)
{
    mfn_t mfn;
    int rc;

    if (!gfn_ok(d, gfn, "foreign map"))
        return -XEN_EINVAL;
    if (fd == d) {
        env_log(LOG_WARN, "d%u: foreign map: d%u is the domain itself", d->domid, fd->domid);
        return -XEN_EINVAL;             /* Xen's p2m_add_foreign */
    }
    /* Xen's map_gmfn_foreign check is on the domain receiving the mapping. */
    if (!d->is_privileged) {
        env_log(LOG_WARN, "d%u: foreign map of d%u's gfn %#llx: d%u may not hold it", d->domid,
                fd->domid, (unsigned long long)fgfn, d->domid);
        return -XEN_EPERM;
    }
    /* Xen's p2m types a grant frame in the physmap as RAM: the toolstack
     * seeds a new domain's table through such a mapping. */
    if (get_gfn_kinds(fd, fgfn, 1u << MM_RAM | 1u << MM_GRANT_FRAME, &mfn)) {
        env_log(LOG_WARN, "d%u: foreign map: d%u gfn %#llx is neither RAM nor a grant frame",
                d->domid, fd->domid, (unsigned long long)fgfn);
        return -XEN_EINVAL;
    }
    rc = map_frame(d, gfn, mfn, MM_FOREIGN_PRIV, true, "foreign map");
    if (rc)
        mm_put_frame(mfn);
    return rc;
}

/* Clear gfn if its kind is in the mask; the old entry is released. */
static int unmap_gfn(struct domain *d, uint64_t gfn, unsigned int kinds, const char *op)
{
    struct mm_domain *mm = d->mm;
    uint64_t *slot, old = 0;

    if (!gfn_ok(d, gfn, op))
        return -XEN_EINVAL;
    env_lock(&mm->lock);
    slot = p2m_slot(mm, gfn, false);
    if (slot && (*slot & P2M_PRESENT) && (kinds & (1u << entry_kind(*slot)))) {
        old = *slot;
        *slot = 0;
        if (entry_kind(old) == MM_SHARED_INFO)
            mm->shared_info_gfn = GFN_INVALID;
    }
    env_unlock(&mm->lock);
    if (!old) {
        env_log(LOG_WARN, "d%u: %s: gfn %#llx is not mapped (or not that kind)", d->domid,
                op, (unsigned long long)gfn);
        return -XEN_EINVAL;
    }
    env_p2m_changed(d, gfn, 1);
    entry_removed(d, gfn, old);
    return 0;
}

int mm_unmap_foreign(struct domain *d, uint64_t gfn)
{
    return unmap_gfn(d, gfn, 1u << MM_FOREIGN_GRANT, "grant unmap");
}

/* A grant mapping is gnttab's to undo (its maptrack entry would be left
 * behind, the granter's entry pinned): Xen refuses it here too. */
int mm_remove_gfn(struct domain *d, uint64_t gfn)
{
    return unmap_gfn(d, gfn, ~(1u << MM_FOREIGN_GRANT), "remove page");
}

/* ---- reservations ---- */

static unsigned int max_order(struct domain *d)
{
    return d->is_privileged ? MM_MAX_ORDER_CTRL : MM_MAX_ORDER_DOMU;
}

static int reserve(struct domain *d, uint64_t n)
{
    struct mm_domain *mm = d->mm;
    int rc = 0;

    env_lock(&mm->lock);
    if (__atomic_load_n(&mm->tot_pages, __ATOMIC_RELAXED) + n > mm->max_pages)
        rc = -XEN_ENOMEM;
    else
        __atomic_add_fetch(&mm->tot_pages, n, __ATOMIC_RELAXED);
    env_unlock(&mm->lock);
    if (rc)
        env_log(LOG_WARN, "d%u: populate: over-allocation (%llu + %llu > max %llu pages)",
                d->domid, (unsigned long long)mm->tot_pages, (unsigned long long)n,
                (unsigned long long)mm->max_pages);
    return rc;
}

/* Frame i of an extent: from the extent's aligned block, or a single frame
 * when it has none. */
static mfn_t extent_frame(struct domain *d, mfn_t block, uint64_t i, bool scrub)
{
    mfn_t mfn = block == MFN_INVALID ? env_frame_alloc() : block + i;

    return mfn == MFN_INVALID ? MFN_INVALID : frame_adopt(d, mfn, MM_RAM, scrub);
}

static int populate(struct domain *d, uint64_t gfn, unsigned int order, bool scrub)
{
    uint64_t n = 1ULL << (order < 63 ? order : 63), total = n, i;
    mfn_t block;
    int rc = 0;

    if (order > max_order(d)) {
        env_log(LOG_WARN, "d%u: populate: extent order %u above the limit %u", d->domid,
                order, max_order(d));
        return -XEN_EINVAL;
    }
    if (!gfn_ok(d, gfn, "populate") || !gfn_ok(d, gfn + n - 1, "populate") ||
        (gfn & (n - 1)))
        return -XEN_EINVAL;
    if (d->is_dying)
        return -XEN_EINVAL;
    if ((rc = reserve(d, n)))
        return rc;
    /* An extent in one aligned block, as Xen allocates it, is one large
     * page for the machine; memory too fragmented for one gives frames. */
    block = order ? env_frames_alloc(order) : MFN_INVALID;
    for (i = 0; i < total; i++) {
        mfn_t mfn = extent_frame(d, block, i, scrub);

        if (mfn == MFN_INVALID) {
            env_log(LOG_WARN, "d%u: populate: out of host memory", d->domid);
            rc = -XEN_ENOMEM;
        } else if ((rc = set_frame(d, gfn + i, mfn, MM_RAM, true, "populate", true))) {
            mm_put_frame(mfn);          /* frees it: its page count goes too */
            n--;
        }
        if (rc)
            goto out_undo;
    }
    env_p2m_changed(d, gfn, total);     /* the machine may map it whole */
    return 0;

out_undo:
    /* All or nothing per extent, as Xen: undo this extent's pages. */
    __atomic_sub_fetch(&d->mm->tot_pages, n - i, __ATOMIC_RELAXED);
    for (uint64_t k = i + 1; block != MFN_INVALID && k < total; k++)
        env_frame_free(block + k);      /* never adopted */
    while (i--)
        unmap_gfn(d, gfn + i, 1u << MM_RAM, "populate");
    return rc;
}

int mm_populate(struct domain *d, uint64_t gfn, unsigned int order)
{
    return populate(d, gfn, order, true);
}

int mm_populate_unscrubbed(struct domain *d, uint64_t gfn, unsigned int order)
{
    if (!d->is_privileged) {
        env_log(LOG_ERR, "d%u: populate: only a control domain may get unscrubbed frames",
                d->domid);
        return -XEN_EPERM;
    }
    return populate(d, gfn, order, false);
}

/* XENMAPSPACE_gmfn: move d's RAM page from gfn idx to gfn. */
static int move_gmfn(struct domain *d, uint64_t idx, uint64_t gfn)
{
    mfn_t mfn;
    int rc;

    if (!gfn_ok(d, idx, "add_to_physmap"))
        return -XEN_EINVAL;
    if (mm_get_gfn(d, idx, true, &mfn)) {
        env_log(LOG_WARN, "d%u: add_to_physmap: gfn %#llx is not RAM", d->domid,
                (unsigned long long)idx);
        return -XEN_EINVAL;
    }
    if (idx == gfn) {
        mm_put_frame(mfn);
        return 0;
    }
    rc = unmap_gfn(d, idx, 1u << MM_RAM, "add_to_physmap");
    if (!rc)
        rc = map_frame(d, gfn, mfn, MM_RAM, true, "add_to_physmap");
    if (rc)
        mm_put_frame(mfn);      /* the page is gone from d's map: freed */
    return rc;
}

static int map_shared_info(struct domain *d, uint64_t idx, uint64_t gfn)
{
    uint64_t old_gfn;
    int rc;

    if (idx != 0) {
        env_log(LOG_WARN, "d%u: add_to_physmap: shared_info index %llu", d->domid,
                (unsigned long long)idx);
        return -XEN_EINVAL;
    }
    env_lock(&d->mm->lock);
    old_gfn = d->mm->shared_info_gfn;
    env_unlock(&d->mm->lock);
    /* One location only, as in Xen: unmap it from where it was. */
    if (old_gfn != GFN_INVALID && old_gfn != gfn)
        unmap_gfn(d, old_gfn, 1u << MM_SHARED_INFO, "add_to_physmap");
    rc = map_frame(d, gfn, d->shared_info_mfn, MM_SHARED_INFO, true, "add_to_physmap");
    if (rc)
        return rc;
    env_lock(&d->mm->lock);
    d->mm->shared_info_gfn = gfn;
    env_unlock(&d->mm->lock);
    return 0;
}

static int map_grant_frame(struct domain *d, uint64_t idx, uint64_t gfn)
{
    uint64_t old_gfn;
    mfn_t mfn;
    int rc;

    if (idx & XENMAPIDX_grant_table_status) {
        env_log(LOG_WARN, "d%u: add_to_physmap: grant status frames need grant v2", d->domid);
        return -XEN_EINVAL;
    }
    if (idx > 0xffffffffULL)
        return -XEN_EINVAL;
    rc = gnttab_frame_mfn(d, (unsigned int)idx, &mfn);
    if (rc) {
        env_log(LOG_WARN, "d%u: add_to_physmap: no grant frame %llu (%d)", d->domid,
                (unsigned long long)idx, rc);
        return rc;
    }
    /* One location only, as Xen (it removes the frame's old M2P gfn). */
    old_gfn = gnttab_frame_gfn(d, (unsigned int)idx);
    if (old_gfn != GFN_INVALID && old_gfn != gfn)
        unmap_gfn(d, old_gfn, 1u << MM_GRANT_FRAME, "add_to_physmap");
    if (!frame_ref(mfn))            /* the mapping's own; the table holds one */
        return -XEN_EINVAL;
    rc = map_frame(d, gfn, mfn, MM_GRANT_FRAME, true, "add_to_physmap");
    if (rc) {
        mm_put_frame(mfn);
        return rc;
    }
    gnttab_frame_set_gfn(d, (unsigned int)idx, gfn);
    return 0;
}

int mm_add_to_physmap(struct domain *d, unsigned int space, uint64_t idx, uint64_t gfn)
{
    if (!gfn_ok(d, gfn, "add_to_physmap"))
        return -XEN_EINVAL;
    if (d->is_dying)
        return -XEN_EINVAL;
    switch (space) {
    case XENMAPSPACE_shared_info:
        return map_shared_info(d, idx, gfn);
    case XENMAPSPACE_grant_table:
        return map_grant_frame(d, idx, gfn);
    case XENMAPSPACE_gmfn:
        return move_gmfn(d, idx, gfn);
    default:
        env_log(LOG_WARN, "d%u: add_to_physmap: space %u not supported", d->domid, space);
        return -XEN_EINVAL;
    }
}

void mm_set_max_pages(struct domain *d, uint64_t pages)
{
    env_lock(&d->mm->lock);
    d->mm->max_pages = pages;
    env_unlock(&d->mm->lock);
}

uint64_t mm_tot_pages(struct domain *d)
{
    return __atomic_load_n(&d->mm->tot_pages, __ATOMIC_RELAXED);
}

uint64_t mm_max_pages(struct domain *d)
{
    return d->mm->max_pages;
}

uint64_t mm_shared_info_gfn(struct domain *d)
{
    return d->mm->shared_info_gfn;
}

typedef void (*walk_fn)(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind, bool writable);

static void walk_radix(void *node, int level, uint64_t base, walk_fn fn, void *ctx)
{
    if (!node)
        return;
    for (unsigned int i = 0; i < RADIX_SIZE; i++) {
        uint64_t gfn = base | ((uint64_t)i << (RADIX_BITS * level));

        if (level > 0) {
            walk_radix(((void **)node)[i], level - 1, gfn, fn, ctx);
        } else {
            uint64_t e = ((uint64_t *)node)[i];

            if (e & P2M_PRESENT)
                fn(ctx, gfn, entry_mfn(e), entry_kind(e), e & P2M_WRITABLE);
        }
    }
}

void mm_walk_entries(struct domain *d, walk_fn fn, void *ctx)
{
    env_lock(&d->mm->lock);
    walk_radix(d->mm->root, 3, 0, fn, ctx);
    env_unlock(&d->mm->lock);
}

struct walk_adapter {
    void (*fn)(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind);
    void *ctx;
};

static void adapt(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind, bool writable)
{
    struct walk_adapter *a = ctx;

    a->fn(a->ctx, gfn, mfn, kind);
}

void mm_walk(struct domain *d, void (*fn)(void *ctx, uint64_t gfn, mfn_t mfn,
                                          enum mm_kind kind), void *ctx)
{
    struct walk_adapter a = { fn, ctx };

    mm_walk_entries(d, adapt, &a);
}
