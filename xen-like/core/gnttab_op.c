/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GNTTABOP_* hypercall: moving arguments and results between guest
 * memory and the per-op functions of gnttab.c, gnttab_map.c, gnttab_copy.c.
 */
#include "gnttab_private.h"

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
