/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the sysctl family needs from the runtime: host figures and the
 * console ring. The runtime registers these at boot; core has no link-time
 * dependency on them (without them physinfo/readconsole are -XEN_ENOSYS).
 */
#ifndef CORE_SYSCTL_HOST_H
#define CORE_SYSCTL_HOST_H

#include <stdbool.h>
#include <stdint.h>

struct xen_sysctl_physinfo;

struct sysctl_host_ops {
    /* Fill the physinfo (zeroed before the call). */
    void (*physinfo)(struct xen_sysctl_physinfo *pi);
    /*
     * Copy up to size bytes of the console log into buf; returns the bytes
     * copied (0: nothing more) and leaves *index after the last one.
     * incremental: start at *index (else from the oldest byte kept);
     * clear: afterwards the log counts as empty.
     */
    uint32_t (*read_console)(char *buf, uint32_t size, uint32_t *index, bool incremental,
                             bool clear);
};

void sysctl_set_host_ops(const struct sysctl_host_ops *ops);

#endif
