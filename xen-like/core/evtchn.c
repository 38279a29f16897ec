/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: port allocation, interdomain/VIRQ/IPI
 * bindings, send, close, status, reset, teardown on domain death.
 * Delivery bits, unmask, poll and VIRQ sending: evtchn_pending.c; the
 * hypercall: evtchn_op.c. Not here: injecting the upcall (arch/ watches
 * evtchn_upcall_pending), PIRQs, the FIFO ABI.
 */
#include "evtchn_private.h"

/* Serialises every change to the interdomain topology, so that close can
 * take both domains' locks in order without the peer vanishing. */
static struct env_lock evtchn_topology_lock =
    ENV_LOCK_INIT(EVTCHN_LOCK_RANK_TOPOLOGY, "evtchn_topology");

/* ---- ports ---- */

/* Lowest free port of d, growing by one bucket if needed; caller holds
 * d's lock and sets the port's state only once nothing can fail. */
static int port_alloc(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    evtchn_port_t port;

    if (ed->dead || d->is_dying)
        return -XEN_EINVAL;
    for (port = 1; port < ed->nr_valid && port < ed->max_ports; port++)
        if (port_chn(ed, port)->state == ECS_FREE)
            return (int)port;
    if (port >= ed->max_ports)
        return -XEN_ENOSPC;
    ed->bucket[port / PORTS_PER_BUCKET] =
        env_zalloc(PORTS_PER_BUCKET * sizeof(struct evtchn));
    if (!ed->bucket[port / PORTS_PER_BUCKET])
        return -XEN_ENOMEM;
    ed->nr_valid += PORTS_PER_BUCKET;
    return (int)port;
}

/* Free the channel; Xen clears the pending bit so a re-bind starts clean. */
static void chn_free(struct domain *d, struct evtchn *chn, evtchn_port_t port)
{
    evtchn_clear_pending(d, port);
    chn->state = ECS_FREE;
    __atomic_store_n(&chn->notify_vcpu, 0, __ATOMIC_RELAXED);
    d->evtchn->nr_active--;
}

static void chn_bind(struct domain *d, struct evtchn *chn, uint8_t state,
                     unsigned int vcpu)
{
    chn->state = state;
    __atomic_store_n(&chn->notify_vcpu, vcpu, __ATOMIC_RELAXED);
    d->evtchn->nr_active++;
}

/* ---- locking helpers ---- */

static void lock_pair(struct domain *a, struct domain *b)
{
    struct domain *t;

    if (a == b) {
        env_lock(&a->evtchn->lock);
        return;
    }
    if (a->domid > b->domid) {
        t = a;
        a = b;
        b = t;
    }
    env_lock(&a->evtchn->lock);
    env_lock(&b->evtchn->lock);
}

static void unlock_pair(struct domain *a, struct domain *b)
{
    if (a != b)
        env_unlock(&b->evtchn->lock);
    env_unlock(&a->evtchn->lock);
}

/* Resolve dom (DOMID_SELF allowed) for an op that may name another domain;
 * dying domains are found too, as Xen's lookup does (their ports are closed
 * or refuse allocation). A reference is taken unless it is the caller's. */
static int target_get(struct domain *cd, domid_t dom, const char *op,
                      struct domain **out)
{
    struct domain *d;

    if (dom == DOMID_SELF || dom == cd->domid) {
        *out = cd;
        return 0;
    }
    d = domain_get_any(dom);
    if (!d || !d->evtchn) {
        if (d)
            domain_put(d);
        return evtchn_err(cd, op, -XEN_ESRCH, "no domain %u", (unsigned int)dom);
    }
    *out = d;
    return 0;
}

static void target_put(struct domain *cd, struct domain *d)
{
    if (d != cd)
        domain_put(d);
}

static int need_privilege(struct domain *cd, struct domain *d, const char *op)
{
    if (d == cd || cd->is_privileged)
        return 0;
    return evtchn_err(cd, op, -XEN_EPERM, "acting on d%u needs privilege",
                      (unsigned int)d->domid);
}

/* ---- operations ---- */

int evtchn_alloc_unbound(struct vcpu *caller, struct evtchn_alloc_unbound *op)
{
    struct domain *cd = caller->domain, *d;
    domid_t remote = op->remote_dom == DOMID_SELF ? cd->domid : op->remote_dom;
    struct evtchn *chn;
    int rc, port;

    rc = target_get(cd, op->dom, "alloc_unbound", &d);
    if (rc)
        return rc;
    rc = need_privilege(cd, d, "alloc_unbound");
    if (rc)
        goto out_put;
    env_lock(&d->evtchn->lock);
    port = port_alloc(d);
    if (port < 0) {
        rc = evtchn_err(cd, "alloc_unbound", port, "no free port in d%u",
                        (unsigned int)d->domid);
        goto out_unlock;
    }
    chn = port_chn(d->evtchn, (evtchn_port_t)port);
    chn->u.unbound_remote = remote;
    chn_bind(d, chn, ECS_UNBOUND, 0);
    op->port = (evtchn_port_t)port;
out_unlock:
    env_unlock(&d->evtchn->lock);
out_put:
    target_put(cd, d);
    return rc;
}

/* Both ends are checked and the local port found before anything changes. */
static int bind_interdomain_locked(struct domain *ld, struct domain *rd,
                                   struct evtchn_bind_interdomain *op)
{
    struct evtchn *lchn, *rchn;
    int lport = port_alloc(ld);

    if (lport < 0)
        return evtchn_err(ld, "bind_interdomain", lport, "no free local port");
    rchn = port_chn(rd->evtchn, op->remote_port);
    if (!rchn || rchn->state != ECS_UNBOUND || rchn->u.unbound_remote != ld->domid)
        return evtchn_err(ld, "bind_interdomain", -XEN_EINVAL,
                          "d%u port %u is not unbound for us",
                          (unsigned int)rd->domid, op->remote_port);
    lchn = port_chn(ld->evtchn, (evtchn_port_t)lport);
    lchn->u.interdomain.dom = rd;
    lchn->u.interdomain.port = op->remote_port;
    chn_bind(ld, lchn, ECS_INTERDOMAIN, 0);
    rchn->u.interdomain.dom = ld;
    rchn->u.interdomain.port = (evtchn_port_t)lport;
    rchn->state = ECS_INTERDOMAIN;
    /* The remote end may have sent while unbound; Xen raises the new local
     * port once so that no notification is lost. */
    evtchn_set_pending(ld, 0, (evtchn_port_t)lport);
    op->local_port = (evtchn_port_t)lport;
    return 0;
}

int evtchn_bind_interdomain(struct vcpu *caller, struct evtchn_bind_interdomain *op)
{
    struct domain *ld = caller->domain, *rd, *self_ref = NULL;
    int rc;

    rc = target_get(ld, op->remote_dom, "bind_interdomain", &rd);
    if (rc)
        return rc;
    /* Each end of a channel between two domains pins the other domain. */
    if (rd != ld && !(self_ref = domain_get(ld->domid))) {
        rc = evtchn_err(ld, "bind_interdomain", -XEN_EINVAL, "domain is dying");
        goto out_put;
    }
    env_lock(&evtchn_topology_lock);
    lock_pair(ld, rd);
    rc = bind_interdomain_locked(ld, rd, op);
    unlock_pair(ld, rd);
    env_unlock(&evtchn_topology_lock);
    if (!rc)
        return 0;
    if (self_ref)
        domain_put(self_ref);
out_put:
    target_put(ld, rd);
    return rc;
}

bool evtchn_virq_is_global(unsigned int virq)
{
    /* x86 has no per-vCPU arch VIRQs, so only these three are per-vCPU. */
    return virq != VIRQ_TIMER && virq != VIRQ_DEBUG && virq != VIRQ_XENOPROF &&
           virq != VIRQ_XENPMU;
}

int evtchn_bind_virq(struct vcpu *caller, struct evtchn_bind_virq *op)
{
    struct domain *d = caller->domain;
    struct evtchn_domain *ed = d->evtchn;
    struct evtchn *chn;
    int port, rc = 0;

    if (op->virq >= NR_VIRQS)
        return evtchn_err(d, "bind_virq", -XEN_EINVAL, "virq %u out of range", op->virq);
    if (evtchn_virq_is_global(op->virq) && op->vcpu != 0)
        return evtchn_err(d, "bind_virq", -XEN_EINVAL,
                          "global virq %u bound on vcpu %u, not 0", op->virq, op->vcpu);
    if (!vcpu_by_id(d, op->vcpu))
        return evtchn_err(d, "bind_virq", -XEN_ENOENT, "no vcpu %u", op->vcpu);
    env_lock(&ed->lock);
    if (*virq_slot(ed, op->vcpu, op->virq)) {
        rc = evtchn_err(d, "bind_virq", -XEN_EEXIST, "virq %u already bound on vcpu %u",
                        op->virq, op->vcpu);
        goto out_unlock;
    }
    port = port_alloc(d);
    if (port < 0) {
        rc = evtchn_err(d, "bind_virq", port, "no free port");
        goto out_unlock;
    }
    chn = port_chn(ed, (evtchn_port_t)port);
    chn->u.virq = op->virq;
    chn_bind(d, chn, ECS_VIRQ, op->vcpu);
    *virq_slot(ed, op->vcpu, op->virq) = (evtchn_port_t)port;
    op->port = (evtchn_port_t)port;
out_unlock:
    env_unlock(&ed->lock);
    return rc;
}

int evtchn_bind_ipi(struct vcpu *caller, struct evtchn_bind_ipi *op)
{
    struct domain *d = caller->domain;
    int port;

    if (!vcpu_by_id(d, op->vcpu))
        return evtchn_err(d, "bind_ipi", -XEN_ENOENT, "no vcpu %u", op->vcpu);
    env_lock(&d->evtchn->lock);
    port = port_alloc(d);
    if (port >= 0) {
        chn_bind(d, port_chn(d->evtchn, (evtchn_port_t)port), ECS_IPI, op->vcpu);
        op->port = (evtchn_port_t)port;
    }
    env_unlock(&d->evtchn->lock);
    if (port < 0)
        return evtchn_err(d, "bind_ipi", port, "no free port");
    return 0;
}

/* The peer's end goes back to unbound, waiting for d again, as in Xen.
 * put1 and put2 receive the domain references to drop once unlocked. */
static void close_interdomain(struct domain *d, struct evtchn *chn, evtchn_port_t port,
                              struct domain **put1, struct domain **put2)
{
    struct domain *rd = chn->u.interdomain.dom;
    struct evtchn *rchn = port_chn(rd->evtchn, chn->u.interdomain.port);

    rchn->state = ECS_UNBOUND;
    rchn->u.unbound_remote = d->domid;
    chn_free(d, chn, port);
    if (rd != d) {
        *put1 = rd;     /* held by chn */
        *put2 = d;      /* held by rchn */
    }
}

static void close_virq(struct domain *d, struct evtchn *chn)
{
    unsigned int vcpu = evtchn_virq_is_global(chn->u.virq) ? 0 : chn->notify_vcpu;

    *virq_slot(d->evtchn, vcpu, chn->u.virq) = 0;
}

/* Caller holds the topology lock and d's lock; may take the peer's. */
static int close_locked(struct domain *d, evtchn_port_t port,
                        struct domain **put1, struct domain **put2)
{
    struct evtchn *chn = port_chn(d->evtchn, port);
    struct domain *rd;

    if (!chn || chn->state == ECS_FREE || chn->state == ECS_RESERVED)
        return -XEN_EINVAL;
    if (chn->state == ECS_VIRQ)
        close_virq(d, chn);
    if (chn->state != ECS_INTERDOMAIN) {
        chn_free(d, chn, port);
        return 0;
    }
    rd = chn->u.interdomain.dom;
    if (rd != d) {
        /* Re-take in domid order; the topology lock keeps chn bound. */
        env_unlock(&d->evtchn->lock);
        lock_pair(d, rd);
    }
    close_interdomain(d, chn, port, put1, put2);
    if (rd != d)
        env_unlock(&rd->evtchn->lock);
    return 0;
}

int evtchn_close(struct domain *d, evtchn_port_t port)
{
    struct domain *put1 = NULL, *put2 = NULL;
    int rc;

    env_lock(&evtchn_topology_lock);
    env_lock(&d->evtchn->lock);
    rc = close_locked(d, port, &put1, &put2);
    env_unlock(&d->evtchn->lock);
    env_unlock(&evtchn_topology_lock);
    if (put1)
        domain_put(put1);
    if (put2)
        domain_put(put2);
    if (rc)
        return evtchn_err(d, "close", rc, "port %u is not in use", port);
    return 0;
}

int evtchn_send(struct domain *d, evtchn_port_t port)
{
    struct evtchn *chn, *rchn;
    struct domain *rd;
    int rc = 0;

    env_lock(&d->evtchn->lock);
    chn = port_chn(d->evtchn, port);
    switch (chn ? chn->state : ECS_FREE) {
    case ECS_INTERDOMAIN:
        /* rd cannot unbind without our lock, so rchn is stable. */
        rd = chn->u.interdomain.dom;
        rchn = port_chn(rd->evtchn, chn->u.interdomain.port);
        evtchn_set_pending(rd, __atomic_load_n(&rchn->notify_vcpu, __ATOMIC_RELAXED),
                    chn->u.interdomain.port);
        break;
    case ECS_IPI:
        evtchn_set_pending(d, chn->notify_vcpu, port);
        break;
    case ECS_UNBOUND:
        break;          /* nobody listening: dropped, as in Xen */
    default:
        rc = -XEN_EINVAL;
    }
    env_unlock(&d->evtchn->lock);
    if (rc)
        return evtchn_err(d, "send", rc, "port %u cannot send", port);
    return 0;
}

static void status_fill(struct evtchn *chn, struct evtchn_status *op)
{
    switch (chn->state) {
    case ECS_UNBOUND:
        op->status = EVTCHNSTAT_unbound;
        op->u.unbound.dom = chn->u.unbound_remote;
        break;
    case ECS_INTERDOMAIN:
        op->status = EVTCHNSTAT_interdomain;
        op->u.interdomain.dom = chn->u.interdomain.dom->domid;
        op->u.interdomain.port = chn->u.interdomain.port;
        break;
    case ECS_VIRQ:
        op->status = EVTCHNSTAT_virq;
        op->u.virq = chn->u.virq;
        break;
    case ECS_IPI:
        op->status = EVTCHNSTAT_ipi;
        break;
    default:
        op->status = EVTCHNSTAT_closed;
    }
    op->vcpu = chn->notify_vcpu;
}

int evtchn_status(struct vcpu *caller, struct evtchn_status *op)
{
    struct domain *cd = caller->domain, *d;
    struct evtchn *chn;
    int rc;

    rc = target_get(cd, op->dom, "status", &d);
    if (rc)
        return rc;
    env_lock(&d->evtchn->lock);
    chn = port_chn(d->evtchn, op->port);
    if (!chn)
        rc = evtchn_err(cd, "status", -XEN_EINVAL, "d%u has no port %u",
                        (unsigned int)d->domid, op->port);
    else
        rc = need_privilege(cd, d, "status");
    if (!rc)
        status_fill(chn, op);
    env_unlock(&d->evtchn->lock);
    target_put(cd, d);
    return rc;
}

int evtchn_bind_vcpu(struct vcpu *caller, evtchn_port_t port, unsigned int vcpu_id)
{
    struct domain *d = caller->domain;
    struct evtchn *chn;
    int rc = 0;

    if (!vcpu_by_id(d, vcpu_id))
        return evtchn_err(d, "bind_vcpu", -XEN_ENOENT, "no vcpu %u", vcpu_id);
    env_lock(&d->evtchn->lock);
    chn = port_chn(d->evtchn, port);
    switch (chn ? chn->state : ECS_FREE) {
    case ECS_VIRQ:
        if (!evtchn_virq_is_global(chn->u.virq)) {
            rc = -XEN_EINVAL;       /* a per-vCPU VIRQ cannot move */
            break;
        }
        /* fall through */
    case ECS_UNBOUND:
    case ECS_INTERDOMAIN:
        __atomic_store_n(&chn->notify_vcpu, vcpu_id, __ATOMIC_RELAXED);
        break;
    default:
        rc = -XEN_EINVAL;
    }
    env_unlock(&d->evtchn->lock);
    if (rc)
        return evtchn_err(d, "bind_vcpu", rc, "port %u cannot move to vcpu %u",
                          port, vcpu_id);
    return 0;
}

static void close_all(struct domain *d, bool dying)
{
    struct domain *put1, *put2;
    evtchn_port_t port;

    env_lock(&evtchn_topology_lock);
    env_lock(&d->evtchn->lock);
    if (dying)
        d->evtchn->dead = true;
    for (port = 1; port < d->evtchn->nr_valid; port++) {
        put1 = put2 = NULL;
        if (close_locked(d, port, &put1, &put2) || !put1)
            continue;
        /* domain_put may free a domain: never call it under our locks. */
        env_unlock(&d->evtchn->lock);
        env_unlock(&evtchn_topology_lock);
        domain_put(put1);
        domain_put(put2);
        env_lock(&evtchn_topology_lock);
        env_lock(&d->evtchn->lock);
    }
    env_unlock(&d->evtchn->lock);
    env_unlock(&evtchn_topology_lock);
}

/* Xen resets another domain's ports only while its toolstack holds it paused. */
static bool controller_paused(struct domain *d)
{
    bool paused;

    env_lock(&d->lock);
    paused = d->controller_pause_count > 0;
    env_unlock(&d->lock);
    return paused;
}

int evtchn_reset(struct vcpu *caller, domid_t dom)
{
    struct domain *cd = caller->domain, *d;
    int rc;

    rc = target_get(cd, dom, "reset", &d);
    if (rc)
        return rc;
    rc = need_privilege(cd, d, "reset");
    if (!rc && d != cd && !controller_paused(d))
        rc = evtchn_err(cd, "reset", -XEN_EINVAL, "d%u is not paused by the toolstack",
                        (unsigned int)d->domid);
    if (!rc)
        close_all(d, false);
    target_put(cd, d);
    return rc;
}

unsigned int evtchn_nr_active(struct domain *d)
{
    unsigned int n;

    env_lock(&d->evtchn->lock);
    n = d->evtchn->nr_active;
    env_unlock(&d->evtchn->lock);
    return n;
}

/* ---- domain lifecycle ---- */

int evtchn_domain_init(struct domain *d, unsigned int max_ports)
{
    struct evtchn_domain *ed;

    if (!d->max_vcpus)
        return -XEN_EINVAL;
    ed = env_zalloc(sizeof(*ed));
    if (!ed)
        return -XEN_ENOMEM;
    ed->virq_to_port = env_zalloc(sizeof(evtchn_port_t) * NR_VIRQS * d->max_vcpus);
    ed->bucket[0] = env_zalloc(PORTS_PER_BUCKET * sizeof(struct evtchn));
    ed->poll = env_zalloc(sizeof(*ed->poll) * d->max_vcpus);
    if (!ed->virq_to_port || !ed->bucket[0] || !ed->poll)
        goto out_free;
    env_lock_init(&ed->lock, EVTCHN_LOCK_RANK_DOMAIN, "evtchn");
    ed->max_ports = max_ports < EVTCHN_2L_NR_CHANNELS ? max_ports
                                                      : EVTCHN_2L_NR_CHANNELS;
    ed->nr_valid = PORTS_PER_BUCKET;
    ed->bucket[0][0].state = ECS_RESERVED;
    d->evtchn = ed;
    return 0;

out_free:
    env_free(ed->poll);
    env_free(ed->bucket[0]);
    env_free(ed->virq_to_port);
    env_free(ed);
    return -XEN_ENOMEM;
}

void evtchn_domain_destroy(struct domain *d)
{
    if (d->evtchn)
        close_all(d, true);
}

void evtchn_domain_free(struct domain *d)
{
    struct evtchn_domain *ed = d->evtchn;
    unsigned int i;

    if (!ed)
        return;
    evtchn_domain_destroy(d);
    for (i = 0; i < NR_BUCKETS; i++)
        env_free(ed->bucket[i]);
    env_free(ed->virq_to_port);
    env_free(ed->poll);
    env_free(ed);
    d->evtchn = NULL;
}
