/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op (platform.c): the control domain's view of the physical
 * platform, and the system wall clock every domain's shared_info shows.
 * The runtime's hooks for the physical CPUs are in sysctl_host.h.
 */
#ifndef CORE_PLATFORM_OP_H
#define CORE_PLATFORM_OP_H

#include "domain.h"

/* HYPERVISOR_platform_op(struct xen_platform_op *): args[0] is the struct. */
long platform_op(struct vcpu *v, const uint64_t *args);

/*
 * The wall clock read secs:nsecs (since 1970-01-01 UTC) when system time
 * (env_now_ns) was system_time; every domain's shared_info is updated.
 */
void platform_wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time);
/* Write the wall clock into d's shared_info (wc_version odd while writing). */
void platform_wallclock_write(struct domain *d);

#endif
