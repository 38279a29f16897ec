/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event delivery through the 2-level bits in shared_info/vcpu_info: raising
 * and clearing ports, unmask, SCHEDOP_poll marks, and VIRQs the hypervisor
 * sends. Not here: which port goes where (evtchn.c), injecting the upcall.
 */
#include "evtchn_private.h"

/* ---- the 2-level bits, in Xen's order; the guest races us on them ---- */

static void mark_events_pending(struct vcpu *v, unsigned int word)
{
    struct vcpu_info *vi = v->vcpu_info;
    xen_ulong_t bit = (xen_ulong_t)1 << word;

    if (!vi)
        return;
    if (__atomic_fetch_or(&vi->evtchn_pending_sel, bit, __ATOMIC_SEQ_CST) & bit)
        return;
    if (__atomic_exchange_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST))
        return;
    env_vcpu_kick(v);
}

/* Clear v's poll mark if it is still set; true if this call cleared it. */
static bool poll_unmark(struct evtchn_domain *ed, unsigned int vcpu, int32_t seen)
{
    if (!seen || !__atomic_compare_exchange_n(&ed->poll[vcpu], &seen, 0, false,
                                              __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        return false;
    __atomic_fetch_sub(&ed->nr_polling, 1, __ATOMIC_SEQ_CST);
    return true;
}

/* Whoever clears a poller's mark owns waking it (Xen's check_pollers). */
static void wake_pollers(struct domain *d, evtchn_port_t port)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int i;
    int32_t p;

    if (!__atomic_load_n(&ed->nr_polling, __ATOMIC_SEQ_CST))
        return;
    for (i = 0; i < d->max_vcpus; i++) {
        p = __atomic_load_n(&ed->poll[i], __ATOMIC_SEQ_CST);
        if ((p == POLL_ANY || p == (int32_t)port) && poll_unmark(ed, i, p) &&
            vcpu_by_id(d, i))
            env_vcpu_kick(vcpu_by_id(d, i));
    }
}

void evtchn_set_pending(struct domain *d, unsigned int vcpu_id, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD;
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);
    struct vcpu *v = vcpu_by_id(d, vcpu_id);

    if (!s)
        return;
    /* Already pending: the guest has not consumed the earlier edge yet. */
    if (__atomic_fetch_or(&s->evtchn_pending[word], bit, __ATOMIC_SEQ_CST) & bit)
        return;
    /* Masked: the edge stays recorded in the pending bit for unmask. */
    if (!(__atomic_load_n(&s->evtchn_mask[word], __ATOMIC_SEQ_CST) & bit) && v)
        mark_events_pending(v, word);
    /* Pollers wait on ports that are usually masked: wake them regardless. */
    wake_pollers(d, port);
}

void evtchn_clear_pending(struct domain *d, evtchn_port_t port)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);

    if (d->shared_info)
        __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                           ~bit, __ATOMIC_SEQ_CST);
}


int evtchn_unmask(struct domain *d, evtchn_port_t port)
{
    struct shared_info *s = d->shared_info;
    unsigned int word = port / BITS_PER_WORD;
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);
    struct evtchn *chn;
    struct vcpu *v;

    env_lock(&d->evtchn->lock);
    chn = port_chn(d->evtchn, port);
    if (!chn) {
        env_unlock(&d->evtchn->lock);
        return evtchn_err(d, "unmask", -XEN_EINVAL, "no port %u", port);
    }
    v = vcpu_by_id(d, chn->notify_vcpu);
    /* An edge that arrived while masked is delivered now. */
    if (s && (__atomic_fetch_and(&s->evtchn_mask[word], ~bit, __ATOMIC_SEQ_CST) & bit) &&
        (__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit) && v)
        mark_events_pending(v, word);
    env_unlock(&d->evtchn->lock);
    return 0;
}

/* Close every port of d; used by reset and on domain death. */
/* ---- SCHEDOP_poll support ---- */

static bool port_pending(struct domain *d, evtchn_port_t port)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);

    return d->shared_info &&
           (__atomic_load_n(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                            __ATOMIC_SEQ_CST) & bit);
}

int evtchn_poll_begin(struct vcpu *v, const evtchn_port_t *ports, unsigned int n)
{
    struct domain *d = v->domain;
    struct evtchn_domain *ed = d->evtchn;
    unsigned int i;
    bool bad = false;

    env_lock(&ed->lock);
    for (i = 0; i < n; i++)
        bad |= ports[i] >= ed->nr_valid;
    env_unlock(&ed->lock);
    if (bad) {
        env_log(LOG_WARN, "d%u SCHEDOP_poll: a polled port is out of range (error %d)",
                (unsigned int)d->domid, -XEN_EINVAL);
        return -XEN_EINVAL;
    }
    evtchn_poll_end(v);                 /* a stale mark would skew the count */
    /* Mark first, then look: a sender either sees the mark or we see its bit.
     * Port 0 alone polls any port, as in Xen (and 0 here means no mark). */
    __atomic_store_n(&ed->poll[v->id], n == 1 && ports[0] ? (int32_t)ports[0] : POLL_ANY,
                     __ATOMIC_SEQ_CST);
    __atomic_fetch_add(&ed->nr_polling, 1, __ATOMIC_SEQ_CST);
    for (i = 0; i < n; i++)
        if (port_pending(d, ports[i]))
            return 1;
    return 0;
}

bool evtchn_poll_marked(struct vcpu *v)
{
    return __atomic_load_n(&v->domain->evtchn->poll[v->id], __ATOMIC_SEQ_CST) != 0;
}

bool evtchn_poll_end(struct vcpu *v)
{
    struct evtchn_domain *ed = v->domain->evtchn;

    return poll_unmark(ed, v->id, __atomic_load_n(&ed->poll[v->id], __ATOMIC_SEQ_CST));
}

/* ---- VIRQ delivery (called by the hypervisor, not the guest) ---- */

void evtchn_send_virq(struct vcpu *v, unsigned int virq)
{
    struct domain *d = v->domain;
    evtchn_port_t port;

    if (!d->evtchn)
        return;
    if (virq >= NR_VIRQS || evtchn_virq_is_global(virq)) {
        env_log(LOG_ERR, "d%u: evtchn_send_virq: virq %u is not per-vCPU",
                (unsigned int)d->domid, virq);
        return;
    }
    env_lock(&d->evtchn->lock);
    port = *virq_slot(d->evtchn, v->id, virq);
    if (port)
        evtchn_set_pending(d, v->id, port);
    env_unlock(&d->evtchn->lock);
}

void evtchn_send_global_virq(struct domain *d, unsigned int virq)
{
    evtchn_port_t port;

    if (!d || !d->evtchn)
        return;
    if (virq >= NR_VIRQS || !evtchn_virq_is_global(virq)) {
        env_log(LOG_ERR, "d%u: evtchn_send_global_virq: virq %u is not global",
                (unsigned int)d->domid, virq);
        return;
    }
    env_lock(&d->evtchn->lock);
    port = *virq_slot(d->evtchn, 0, virq);
    if (port)
        evtchn_set_pending(d, port_chn(d->evtchn, port)->notify_vcpu, port);
    env_unlock(&d->evtchn->lock);
}

