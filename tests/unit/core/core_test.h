/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared helpers for the core tests: issue a hypercall as a vCPU. */
#ifndef CORE_TEST_H
#define CORE_TEST_H

#include "env_host.h"
#include "hypercall.h"

static inline long hc(struct vcpu *v, unsigned int nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t args[HYPERCALL_NR_ARGS] = { a0, a1, a2 };

    return hypercall_dispatch(v, nr, args);
}

/* Copy a struct into fresh guest memory of v's domain; its guest address. */
static inline guest_addr_t put_guest(struct vcpu *v, const void *src, size_t len)
{
    guest_addr_t a = test_guest_alloc(v->domain, len);

    if (env_copy_to_guest(v, a, src, len))
        abort();
    return a;
}

static inline void get_guest(struct vcpu *v, void *dst, guest_addr_t a, size_t len)
{
    if (env_copy_from_guest(v, dst, a, len))
        abort();
}

#endif
