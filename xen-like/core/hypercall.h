/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercall dispatch: the one table expanded from hypercalls/hypercall-table.h
 * with its access column checked once, and the family handlers, which only
 * copy arguments in and out and call one core function per operation.
 * Not here: the trap/VMEXIT entry that collects the registers (arch/).
 * Families: hypercall.c (small ones), hypercall_memory.c, domctl.c, sysctl.c.
 */
#ifndef CORE_HYPERCALL_H
#define CORE_HYPERCALL_H

#include "domain.h"

#define HYPERCALL_NR_ARGS 6

/* Run hypercall nr for v with its register arguments; the guest's rax. */
long hypercall_dispatch(struct vcpu *v, unsigned int nr, const uint64_t args[HYPERCALL_NR_ARGS]);

/* A guest handle's address, as the guest gave it. */
#define GUEST_HANDLE_ADDR(h) ((guest_addr_t)(uintptr_t)(h).p)

/*
 * The domain an operation names: DOMID_SELF or the caller's own id gives the
 * caller's domain; -XEN_ESRCH if there is no such live domain; another
 * domain only for the control domain (-XEN_EPERM otherwise). Referenced.
 */
struct domain *hypercall_target(struct vcpu *v, domid_t domid, const char *op, int *rc);

/* Family handlers defined outside hypercall.c. */
long hypercall_memory_op(struct vcpu *v, const uint64_t *args);
long hypercall_domctl(struct vcpu *v, const uint64_t *args);
long hypercall_sysctl(struct vcpu *v, const uint64_t *args);

#endif
