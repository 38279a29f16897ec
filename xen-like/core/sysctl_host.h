/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the sysctl and platform_op families need from the runtime: host
 * figures, the console ring and the physical CPUs. The runtime registers these at boot; core has no link-time
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

/* One physical CPU as platform_op reports it (platform.c). */
struct platform_pcpu {
    uint32_t apic_id;
    uint32_t acpi_id;           /* ACPI processor UID; PLATFORM_ACPI_ID_NONE if unknown */
    bool online;
    char vendor_id[12];         /* CPUID leaf 0, not NUL-terminated */
    uint32_t family, model, stepping;   /* CPUID leaf 1, extended fields folded in */
};
#define PLATFORM_ACPI_ID_NONE 0xffffffffu

/* What platform_op needs from the runtime (without them: -XEN_ENOSYS). */
struct platform_host_ops {
    /* The highest present CPU number. */
    unsigned int (*max_present)(void);
    /* Fill *out (zeroed before the call) for CPU cpu; false if not present. */
    bool (*pcpu)(unsigned int cpu, struct platform_pcpu *out);
};

void platform_set_host_ops(const struct platform_host_ops *ops);

#endif
