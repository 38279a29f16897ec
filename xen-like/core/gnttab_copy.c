/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * GNTTABOP_copy: copies between grants and the caller's own frames, each
 * side pinned or referenced only for the copy. Not here: pinning itself
 * (gnttab_pin.c).
 */
#include "gnttab_private.h"

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
    s->d = gnttab_domain_get(p->domid == DOMID_SELF ? ld->domid : p->domid);
    if (!s->d)
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
                            : gnttab_pin(s->d, s->ref, ld->domid, &s->kind, 1, false, &s->mfn);
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
        gnttab_unpin_locked(s->d, s->ref, &s->kind, 1);
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

