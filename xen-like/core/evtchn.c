/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: port allocation, interdomain/VIRQ/IPI
 * bindings, send, close, status, unmask, reset, teardown on domain death.
 * Not here: injecting the upcall (arch/ watches evtchn_upcall_pending),
 * PIRQs, the FIFO ABI.
 */
#include "evtchn.h"
#include "errno.h"
#include "xen.h"

#define PORTS_PER_BUCKET 64u
#define NR_BUCKETS       (EVTCHN_2L_NR_CHANNELS / PORTS_PER_BUCKET)
#define BITS_PER_WORD    (sizeof(xen_ulong_t) * 8)

enum evtchn_state {
    ECS_FREE,
    ECS_RESERVED,       /* port 0 */
    ECS_UNBOUND,
    ECS_INTERDOMAIN,
    ECS_VIRQ,
    ECS_IPI,
};

/*
 * Locks: [l] the owning domain's evtchn lock  [t] also evtchn_topology_lock
 * for transitions into or out of ECS_INTERDOMAIN  [a] read atomically by
 * the peer's send without [l].
 */
struct evtchn {
    uint8_t state;                      /* [l][t] */
    uint32_t notify_vcpu;               /* [l][a] */
    union {
        domid_t unbound_remote;         /* ECS_UNBOUND: who may bind */
        struct {
            /* Holds a domain reference when dom is not the owner. */
            struct domain *dom;         /* [l][t] */
            evtchn_port_t port;         /* [l][t] */
        } interdomain;
        unsigned int virq;              /* ECS_VIRQ */
    } u;
};

struct evtchn_domain {
    struct env_lock lock;
    unsigned int max_ports;             /* [I] ports 1..max_ports-1 usable */
    unsigned int nr_valid;              /* [l] ports that have a bucket */
    unsigned int nr_active;             /* [l] */
    bool dead;                          /* [l][t] destroy ran: no new ports */
    struct evtchn *bucket[NR_BUCKETS];  /* [l] never replaced once set */
    evtchn_port_t *virq_to_port;        /* [l] [vcpu * NR_VIRQS + virq] */
    /* SCHEDOP_poll: per vCPU 0 (not polling), POLL_ANY or the one port. */
    int32_t *poll;                      /* [a] */
    unsigned int nr_polling;            /* [a] marks set in poll[] */
};

#define POLL_ANY (-1)

/* Serialises every change to the interdomain topology, so that close can
 * take both domains' locks in order without the peer vanishing. */
static struct env_lock evtchn_topology_lock =
    ENV_LOCK_INIT(EVTCHN_LOCK_RANK_TOPOLOGY, "evtchn_topology");

#define evtchn_err(d, op, rc, fmt, ...)                                  \
    (env_log(LOG_WARN, "d%u EVTCHNOP_%s: " fmt " (error %d)",            \
             (unsigned int)(d)->domid, (op), ##__VA_ARGS__, (int)(rc)),   \
     (rc))

/* ---- ports ---- */

static struct evtchn *port_chn(struct evtchn_domain *ed, evtchn_port_t port)
{
    if (port >= ed->nr_valid)
        return NULL;
    return &ed->bucket[port / PORTS_PER_BUCKET][port % PORTS_PER_BUCKET];
}

static struct vcpu *vcpu_by_id(struct domain *d, unsigned int id)
{
    if (id >= d->max_vcpus || !d->vcpus)
        return NULL;
    return d->vcpus[id];
}

static evtchn_port_t *virq_slot(struct evtchn_domain *ed, unsigned int vcpu,
                                unsigned int virq)
{
    return &ed->virq_to_port[vcpu * NR_VIRQS + virq];
}

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

static void set_pending(struct domain *d, unsigned int vcpu_id,
                        evtchn_port_t port)
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

static void clear_pending(struct domain *d, evtchn_port_t port)
{
    xen_ulong_t bit = (xen_ulong_t)1 << (port % BITS_PER_WORD);

    if (d->shared_info)
        __atomic_fetch_and(&d->shared_info->evtchn_pending[port / BITS_PER_WORD],
                           ~bit, __ATOMIC_SEQ_CST);
}

/* Free the channel; Xen clears the pending bit so a re-bind starts clean. */
static void chn_free(struct domain *d, struct evtchn *chn, evtchn_port_t port)
{
    clear_pending(d, port);
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
    set_pending(ld, 0, (evtchn_port_t)lport);
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
        set_pending(rd, __atomic_load_n(&rchn->notify_vcpu, __ATOMIC_RELAXED),
                    chn->u.interdomain.port);
        break;
    case ECS_IPI:
        set_pending(d, chn->notify_vcpu, port);
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
    /* Mark first, then look: a sender either sees the mark or we see its bit. */
    __atomic_store_n(&ed->poll[v->id], n == 1 ? (int32_t)ports[0] : POLL_ANY,
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
        set_pending(d, v->id, port);
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
        set_pending(d, port_chn(d->evtchn, port)->notify_vcpu, port);
    env_unlock(&d->evtchn->lock);
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

/* ---- the hypercall family ---- */

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
