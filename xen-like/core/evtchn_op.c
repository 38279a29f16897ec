/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The EVTCHNOP_* hypercall: copying each op's argument in and its result
 * out around the functions of evtchn.c and evtchn_pending.c.
 */
#include "evtchn_private.h"

/* Any argument an EVTCHNOP_* reads, so one copy-in serves them all. */
union evtchn_args {
    struct evtchn_alloc_unbound alloc_unbound;
    struct evtchn_bind_interdomain bind_interdomain;
    struct evtchn_bind_virq bind_virq;
    struct evtchn_bind_ipi bind_ipi;
    struct evtchn_bind_pirq bind_pirq;
    struct evtchn_status status;
    struct evtchn_close close;
    struct evtchn_send send;
    struct evtchn_unmask unmask;
    struct evtchn_bind_vcpu bind_vcpu;
    struct evtchn_reset reset;
};

/* Argument size per op; ops with results copy the whole struct back. */
struct evtchn_arg_layout {
    size_t size;
    bool has_result;
};

static const struct evtchn_arg_layout arg_layout[] = {
    [EVTCHNOP_alloc_unbound]    = { sizeof(struct evtchn_alloc_unbound), true },
    [EVTCHNOP_bind_interdomain] = { sizeof(struct evtchn_bind_interdomain), true },
    [EVTCHNOP_bind_virq]        = { sizeof(struct evtchn_bind_virq), true },
    [EVTCHNOP_bind_ipi]         = { sizeof(struct evtchn_bind_ipi), true },
    [EVTCHNOP_status]           = { sizeof(struct evtchn_status), true },
    [EVTCHNOP_bind_pirq]        = { sizeof(struct evtchn_bind_pirq), false },
    [EVTCHNOP_close]            = { sizeof(struct evtchn_close), false },
    [EVTCHNOP_send]             = { sizeof(struct evtchn_send), false },
    [EVTCHNOP_unmask]           = { sizeof(struct evtchn_unmask), false },
    [EVTCHNOP_bind_vcpu]        = { sizeof(struct evtchn_bind_vcpu), false },
    [EVTCHNOP_reset]            = { sizeof(struct evtchn_reset), false },
};

static long op_run(struct vcpu *v, unsigned int cmd, union evtchn_args *a)
{
    switch (cmd) {
    case EVTCHNOP_alloc_unbound:
        return evtchn_alloc_unbound(v, &a->alloc_unbound);
    case EVTCHNOP_bind_interdomain:
        return evtchn_bind_interdomain(v, &a->bind_interdomain);
    case EVTCHNOP_bind_virq:
        return evtchn_bind_virq(v, &a->bind_virq);
    case EVTCHNOP_bind_ipi:
        return evtchn_bind_ipi(v, &a->bind_ipi);
    case EVTCHNOP_status:
        return evtchn_status(v, &a->status);
    case EVTCHNOP_close:
        return evtchn_close(v->domain, a->close.port);
    case EVTCHNOP_send:
        return evtchn_send(v->domain, a->send.port);
    case EVTCHNOP_unmask:
        return evtchn_unmask(v->domain, a->unmask.port);
    case EVTCHNOP_bind_vcpu:
        return evtchn_bind_vcpu(v, a->bind_vcpu.port, a->bind_vcpu.vcpu);
    case EVTCHNOP_reset:
        return evtchn_reset(v, a->reset.dom);
    default:        /* EVTCHNOP_bind_pirq: no physical IRQ is ever routed here */
        return evtchn_err(v->domain, "bind_pirq", -XEN_EPERM,
                          "pirq %u: no physical IRQs are routed to guests",
                          a->bind_pirq.pirq);
    }
}

/* Results are copied back only on success; a port allocated before a
 * faulting copy-out stays allocated, as in Xen. */
static long op_copied(struct vcpu *v, unsigned int cmd, guest_addr_t arg)
{
    const struct evtchn_arg_layout *l = &arg_layout[cmd];
    union evtchn_args a;
    long rc;

    if (env_copy_from_guest(v, &a, arg, l->size))
        return -XEN_EFAULT;
    rc = op_run(v, cmd, &a);
    if (!rc && l->has_result && env_copy_to_guest(v, arg, &a, l->size))
        return -XEN_EFAULT;
    return rc;
}

long evtchn_op(struct vcpu *v, unsigned int cmd, guest_addr_t arg)
{
    if (cmd < sizeof(arg_layout) / sizeof(arg_layout[0]) && arg_layout[cmd].size)
        return op_copied(v, cmd, arg);
    switch (cmd) {
    case EVTCHNOP_init_control:
    case EVTCHNOP_expand_array:
    case EVTCHNOP_set_priority:
        /* Linux falls back to the 2-level ABI on ENOSYS. */
        env_log(LOG_DEBUG, "d%u EVTCHNOP %u: FIFO ABI not provided",
                (unsigned int)v->domain->domid, cmd);
        return -XEN_ENOSYS;
    default:
        return evtchn_err(v->domain, "?", -XEN_ENOSYS, "unknown op %u", cmd);
    }
}
