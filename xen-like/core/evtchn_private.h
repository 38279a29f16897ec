/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the event channels, shared by evtchn*.c only: the per-domain port
 * table, channel states and the raise/clear primitives. Everyone else uses
 * evtchn.h.
 */
#ifndef CORE_EVTCHN_PRIVATE_H
#define CORE_EVTCHN_PRIVATE_H

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

#define evtchn_err(d, op, rc, fmt, ...)                                  \
    (env_log(LOG_WARN, "d%u EVTCHNOP_%s: " fmt " (error %d)",            \
             (unsigned int)(d)->domid, (op), ##__VA_ARGS__, (int)(rc)),   \
     (rc))

static inline struct evtchn *port_chn(struct evtchn_domain *ed, evtchn_port_t port)
{
    if (port >= ed->nr_valid)
        return NULL;
    return &ed->bucket[port / PORTS_PER_BUCKET][port % PORTS_PER_BUCKET];
}

static inline struct vcpu *vcpu_by_id(struct domain *d, unsigned int id)
{
    if (id >= d->max_vcpus || !d->vcpus)
        return NULL;
    return d->vcpus[id];
}

static inline evtchn_port_t *virq_slot(struct evtchn_domain *ed, unsigned int vcpu,
                                       unsigned int virq)
{
    return &ed->virq_to_port[vcpu * NR_VIRQS + virq];
}

/* evtchn_pending.c: raise port for vCPU vcpu_id of d (the 2-level bits,
 * then pollers), or clear its pending bit. */
void evtchn_set_pending(struct domain *d, unsigned int vcpu_id, evtchn_port_t port);
void evtchn_clear_pending(struct domain *d, evtchn_port_t port);

#endif
