/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_event_channel_op(cmd, arg): create, bind, signal and close
 * event channels (ports), plus the FIFO ABI's control-block layout. The
 * 2-level pending/mask bitmaps themselves live in shared_info (xen.h).
 */
#ifndef XENLIKE_PUB_EVENT_CHANNEL_H
#define XENLIKE_PUB_EVENT_CHANNEL_H

#include "xen.h"

/* Sub-operations (cmd). */
#define EVTCHNOP_bind_interdomain 0
#define EVTCHNOP_bind_virq        1
#define EVTCHNOP_bind_pirq        2
#define EVTCHNOP_close            3
#define EVTCHNOP_send             4
#define EVTCHNOP_status           5
#define EVTCHNOP_alloc_unbound    6
#define EVTCHNOP_bind_ipi         7
#define EVTCHNOP_bind_vcpu        8
#define EVTCHNOP_unmask           9
#define EVTCHNOP_reset            10
#define EVTCHNOP_init_control     11
#define EVTCHNOP_expand_array     12
#define EVTCHNOP_set_priority     13

#ifndef __ASSEMBLY__

/* A port number, local to one domain. Port 0 is never allocated. */
typedef uint32_t evtchn_port_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_port_t);

/*
 * EVTCHNOP_alloc_unbound: allocate a port in domain dom that only
 * remote_dom may connect to. Only a privileged caller may name a dom other
 * than DOMID_SELF.
 *   IN  dom, remote_dom (DOMID_SELF allowed for both)
 *   OUT port
 */
struct evtchn_alloc_unbound {
    domid_t dom, remote_dom;
    evtchn_port_t port;
};
typedef struct evtchn_alloc_unbound evtchn_alloc_unbound_t;

/*
 * EVTCHNOP_bind_interdomain: connect a new local port to remote_port of
 * remote_dom, which must be unbound and reserved for the caller.
 *   IN  remote_dom, remote_port
 *   OUT local_port
 */
struct evtchn_bind_interdomain {
    domid_t remote_dom;
    evtchn_port_t remote_port;
    evtchn_port_t local_port;
};
typedef struct evtchn_bind_interdomain evtchn_bind_interdomain_t;

/*
 * EVTCHNOP_bind_virq: bind VIRQ_* virq to a new port notifying vcpu.
 * Binding a VIRQ twice on the same vCPU fails with XEN_EEXIST.
 *   IN  virq, vcpu
 *   OUT port
 */
struct evtchn_bind_virq {
    uint32_t virq;
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_virq evtchn_bind_virq_t;

/*
 * EVTCHNOP_bind_pirq: bind a physical IRQ (privileged or passthrough guests).
 *   IN  pirq, flags (BIND_PIRQ__WILL_SHARE: may share the line)
 *   OUT port
 */
struct evtchn_bind_pirq {
    uint32_t pirq;
#define BIND_PIRQ__WILL_SHARE 1
    uint32_t flags;
    evtchn_port_t port;
};
typedef struct evtchn_bind_pirq evtchn_bind_pirq_t;

/*
 * EVTCHNOP_bind_ipi: a port the domain signals to itself, delivered to vcpu.
 *   IN  vcpu
 *   OUT port
 */
struct evtchn_bind_ipi {
    uint32_t vcpu;
    evtchn_port_t port;
};
typedef struct evtchn_bind_ipi evtchn_bind_ipi_t;

/*
 * EVTCHNOP_close: close port. An interdomain peer's end goes back to
 * unbound (still reserved for us).
 *   IN  port
 */
struct evtchn_close {
    evtchn_port_t port;
};
typedef struct evtchn_close evtchn_close_t;

/*
 * EVTCHNOP_send: signal the other end of port (interdomain), or the port
 * itself (IPI).
 *   IN  port
 */
struct evtchn_send {
    evtchn_port_t port;
};
typedef struct evtchn_send evtchn_send_t;

/*
 * EVTCHNOP_status: describe port of domain dom (another domain only if
 * privileged).
 *   IN  dom, port
 *   OUT status (EVTCHNSTAT_*), vcpu, and the union member named by status
 */
struct evtchn_status {
    domid_t dom;
    evtchn_port_t port;
#define EVTCHNSTAT_closed      0  /* not in use */
#define EVTCHNSTAT_unbound     1  /* waiting for u.unbound.dom to connect */
#define EVTCHNSTAT_interdomain 2  /* connected to u.interdomain */
#define EVTCHNSTAT_pirq        3  /* bound to physical IRQ u.pirq */
#define EVTCHNSTAT_virq        4  /* bound to VIRQ u.virq */
#define EVTCHNSTAT_ipi         5  /* bound for IPIs */
    uint32_t status;
    uint32_t vcpu;              /* vCPU the port notifies */
    union {
        struct {
            domid_t dom;
        } unbound;
        struct {
            domid_t dom;
            evtchn_port_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
typedef struct evtchn_status evtchn_status_t;

/*
 * EVTCHNOP_bind_vcpu: deliver port's notifications to vcpu from now on.
 * Only for interdomain, unbound and PIRQ ports and global VIRQs.
 *   IN  port, vcpu
 */
struct evtchn_bind_vcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
typedef struct evtchn_bind_vcpu evtchn_bind_vcpu_t;

/*
 * EVTCHNOP_unmask: clear port's mask bit; if it is pending, notify again.
 *   IN  port
 */
struct evtchn_unmask {
    evtchn_port_t port;
};
typedef struct evtchn_unmask evtchn_unmask_t;

/*
 * EVTCHNOP_reset: close every port of dom (DOMID_SELF or, privileged,
 * another domain) and return to the 2-level ABI.
 *   IN  dom
 */
struct evtchn_reset {
    domid_t dom;
};
typedef struct evtchn_reset evtchn_reset_t;

/*
 * EVTCHNOP_init_control: switch the caller to the FIFO ABI, registering the
 * control block of vcpu at offset bytes into frame control_gfn.
 *   IN  control_gfn, offset, vcpu
 *   OUT link_bits (EVTCHN_FIFO_LINK_BITS)
 */
struct evtchn_init_control {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t  link_bits;
    uint8_t  _pad[7];
};
typedef struct evtchn_init_control evtchn_init_control_t;

/*
 * EVTCHNOP_expand_array: add one page of FIFO event words.
 *   IN  array_gfn
 */
struct evtchn_expand_array {
    uint64_t array_gfn;
};
typedef struct evtchn_expand_array evtchn_expand_array_t;

/*
 * EVTCHNOP_set_priority: FIFO queue priority of port (0 highest).
 *   IN  port, priority
 */
struct evtchn_set_priority {
    evtchn_port_t port;
    uint32_t priority;
};
typedef struct evtchn_set_priority evtchn_set_priority_t;

/* Argument of the obsolete HYPERVISOR_event_channel_op_compat. */
struct evtchn_op {
    uint32_t cmd;   /* EVTCHNOP_* */
    union {
        evtchn_alloc_unbound_t    alloc_unbound;
        evtchn_bind_interdomain_t bind_interdomain;
        evtchn_bind_virq_t        bind_virq;
        evtchn_bind_pirq_t        bind_pirq;
        evtchn_bind_ipi_t         bind_ipi;
        evtchn_close_t            close;
        evtchn_send_t             send;
        evtchn_status_t           status;
        evtchn_bind_vcpu_t        bind_vcpu;
        evtchn_unmask_t           unmask;
    } u;
};
typedef struct evtchn_op evtchn_op_t;
DEFINE_XEN_GUEST_HANDLE(evtchn_op_t);

#endif /* !__ASSEMBLY__ */

/* Ports the 2-level ABI can address: one bit per port in a 64x64 bitmap. */
#define EVTCHN_2L_NR_CHANNELS (sizeof(xen_ulong_t) * sizeof(xen_ulong_t) * 64)

/* FIFO ABI: priorities, event-word bits and the per-vCPU control block. */
#define EVTCHN_FIFO_PRIORITY_MAX     0
#define EVTCHN_FIFO_PRIORITY_DEFAULT 7
#define EVTCHN_FIFO_PRIORITY_MIN     15
#define EVTCHN_FIFO_MAX_QUEUES       (EVTCHN_FIFO_PRIORITY_MIN + 1)

#ifndef __ASSEMBLY__
typedef uint32_t event_word_t;
#endif

#define EVTCHN_FIFO_PENDING     31
#define EVTCHN_FIFO_MASKED      30
#define EVTCHN_FIFO_LINKED      29
#define EVTCHN_FIFO_BUSY        28
#define EVTCHN_FIFO_LINK_BITS   17
#define EVTCHN_FIFO_LINK_MASK   ((1 << EVTCHN_FIFO_LINK_BITS) - 1)
#define EVTCHN_FIFO_NR_CHANNELS (1 << EVTCHN_FIFO_LINK_BITS)

#ifndef __ASSEMBLY__
struct evtchn_fifo_control_block {
    uint32_t ready;                         /* bit per queue with events */
    uint32_t _rsvd;
    uint32_t head[EVTCHN_FIFO_MAX_QUEUES];  /* first port of each queue */
};
typedef struct evtchn_fifo_control_block evtchn_fifo_control_block_t;
#endif

#endif
