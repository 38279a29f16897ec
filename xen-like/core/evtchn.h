/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Event channels, 2-level ABI: ports, bindings (interdomain, VIRQ, IPI) and
 * the pending/mask/selector bits in shared_info/vcpu_info.
 * Not here: PIRQs (answered -XEN_EINVAL/-XEN_ENOSYS), the FIFO ABI (ENOSYS).
 */
#ifndef CORE_EVTCHN_H
#define CORE_EVTCHN_H

#include "domain.h"
#include "event_channel.h"

/*
 * Lock order (docs/evtchn-gnttab.md): the global topology lock, then the
 * per-domain evtchn locks, two of them in increasing domid order. Callers
 * may hold a domain lock; domain_put is never called under these locks.
 */
#define EVTCHN_LOCK_RANK_TOPOLOGY   20
#define EVTCHN_LOCK_RANK_DOMAIN     21

/* The hypercall family: copies the op in, runs it, copies results out. */
long evtchn_op(struct vcpu *v, unsigned int cmd, guest_addr_t arg);

/*
 * Domain lifecycle. max_ports is the number of port numbers the domain may
 * use, port 0 included (Xen's max_evtchn_port + 1); it is clamped to the
 * 2-level limit of 4096. d->vcpus/max_vcpus must be set up before init.
 * destroy closes every port (remote ends of interdomain channels go back to
 * unbound, as in Xen) and refuses new ones; it runs when the domain dies.
 * free releases the memory once no other CPU can reach d (last reference
 * gone); it calls destroy first if that has not run.
 * Returns 0, -XEN_ENOMEM or -XEN_EINVAL.
 */
int evtchn_domain_init(struct domain *d, unsigned int max_ports);
void evtchn_domain_destroy(struct domain *d);
void evtchn_domain_free(struct domain *d);

/* Raise a VIRQ: per-vCPU ones (VIRQ_TIMER, VIRQ_DEBUG, ...) on v, global
 * ones (VIRQ_CONSOLE, VIRQ_DOM_EXC, ...) on whichever vCPU the port notifies.
 * Unbound VIRQs are dropped silently, as in Xen. */
void evtchn_send_virq(struct vcpu *v, unsigned int virq);
void evtchn_send_global_virq(struct domain *d, unsigned int virq);

/*
 * SCHEDOP_poll (the sched_op handler owns copying the ports in, the
 * 128-port limit, blocking and the timeout). evtchn_poll_begin marks v as
 * polling ports[0..n) (one port: that port; several: any port of the
 * domain, as Xen) and then checks them: 1 if one is pending already (do not
 * block), 0 to block, -XEN_EINVAL if a port is out of range (nothing
 * marked). Raising a polled port later, masked or not, clears the mark and
 * calls env_vcpu_kick(v). evtchn_poll_end clears the mark on wake-up or
 * timeout; it returns true if the mark was still set (no event woke v).
 * Call evtchn_poll_end after every successful begin.
 * evtchn_poll_marked says whether v's mark is still set. A caller that
 * blocks v only after begin returned 0 must check it once v is marked
 * blocked: a sender may have cleared the mark and kicked in between, and
 * that kick found v still runnable (Xen avoids this by blocking first).
 */
int evtchn_poll_begin(struct vcpu *v, const evtchn_port_t *ports, unsigned int n);
bool evtchn_poll_end(struct vcpu *v);
bool evtchn_poll_marked(struct vcpu *v);

/* True for VIRQs bound once per domain (on vCPU 0's table). */
bool evtchn_virq_is_global(unsigned int virq);

/*
 * One function per operation, on plain structs (the guest never sees these
 * pointers). caller is the calling vCPU; results go into the struct.
 * Return 0 or a negative Xen error code.
 */
int evtchn_alloc_unbound(struct vcpu *caller, struct evtchn_alloc_unbound *op);
int evtchn_bind_interdomain(struct vcpu *caller, struct evtchn_bind_interdomain *op);
int evtchn_bind_virq(struct vcpu *caller, struct evtchn_bind_virq *op);
int evtchn_bind_ipi(struct vcpu *caller, struct evtchn_bind_ipi *op);
int evtchn_close(struct domain *d, evtchn_port_t port);
int evtchn_send(struct domain *d, evtchn_port_t port);
int evtchn_status(struct vcpu *caller, struct evtchn_status *op);
int evtchn_bind_vcpu(struct vcpu *caller, evtchn_port_t port, unsigned int vcpu_id);
int evtchn_unmask(struct domain *d, evtchn_port_t port);
int evtchn_reset(struct vcpu *caller, domid_t dom);

/* Number of ports of d in use (not free, not the reserved port 0). */
unsigned int evtchn_nr_active(struct domain *d);

#endif
