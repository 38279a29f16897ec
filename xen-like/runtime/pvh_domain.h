/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time PVH domains (pvh_domain_*): what the hypervisor command line
 * says about each one (`domu="..."`, see docs/pvh.md) and the checks made
 * before building it. Building (memory, loader, ACPI, vCPUs) comes with the
 * SVM container; the loader itself is pvh_loader.c.
 */
#ifndef RUNTIME_PVH_DOMAIN_H
#define RUNTIME_PVH_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "pvh_loader.h"

#define PVH_DOMAIN_NAME_MAX     32
#define PVH_DOMAIN_MEM_DEFAULT  (256ull << 20)
#define PVH_DOMAIN_MEM_MIN      (32ull << 20)
#define PVH_DOMAIN_VCPUS_MAX    128          /* = ACPI_MAX_VCPUS */
#define PVH_DOMAIN_WEIGHT_DEFAULT 256        /* Xen credit's default */
#define PVH_DOMAIN_WEIGHT_MAX   65535
#define PVH_NO_MODULE           (-1)

struct pvh_domain_spec {
    char name[PVH_DOMAIN_NAME_MAX];
    uint64_t mem_bytes;
    unsigned int vcpus;
    unsigned int weight;
    int kernel_mod;              /* boot module index (0 = first module) */
    int initrd_mod;              /* or PVH_NO_MODULE */
    bool control;                /* start-info SIF_PRIVILEGED|SIF_INITDOMAIN */
    char cmdline[PVH_CMDLINE_MAX];
};

/*
 * Parse one domain description: comma-separated key=value pairs, keys
 * name, mem (K/M/G suffixes), vcpus, weight, kernel, initrd (module
 * indexes), the bare flag `control`, and cmdline, which must come last and
 * takes the rest of the text, commas and spaces included. Defaults: 256 MiB,
 * 1 vCPU, weight 256, no initrd. 0, or -XEN_EINVAL / -XEN_E2BIG with *why.
 */
int pvh_domain_parse(const char *desc, struct pvh_domain_spec *s,
                     const char **why);

/* The modules it names exist and differ. 0 or -XEN_EINVAL with *why. */
int pvh_domain_check_modules(const struct pvh_domain_spec *s,
                             unsigned int nr_modules, const char **why);

/* Start-info flags for the domain. */
uint32_t pvh_domain_start_flags(const struct pvh_domain_spec *s);

struct domain;

/* What a built domain's runner needs besides the core domain. */
struct pvh_domain_boot {
    struct pvh_entry_state entry;    /* vCPU 0 */
    uint64_t console_gfn;            /* xencons_interface page */
    uint32_t console_port;           /* the guest's end (HVM_PARAM) */
    uint32_t console_backend_port;   /* the other end, in the same domain */
    struct hvm_memmap_table_entry memmap[PVH_MEMMAP_MAX]; /* what start_info says */
    unsigned int nr_memmap;
};

/*
 * Build boot-time domain domid from spec: a core HVM domain (paused by the
 * controller), its RAM populated (all of [0, mem), the legacy hole backed
 * too), the kernel loaded, hvm_start_info and ACPI tables written, and a
 * console ring in the first special page above RAM with its event channel
 * (HVM_PARAM_CONSOLE_PFN/EVTCHN). Until a console backend domain exists the
 * hypervisor serves the ring itself through a loop-back channel whose other
 * end it keeps (console_backend_port). The caller creates the SVM vCPU and
 * unpauses. Returns 0 with *out referenced, or a negative Xen error with
 * *why (and nothing left behind).
 */
int pvh_domain_build(const struct pvh_domain_spec *spec, uint16_t domid,
                     const void *kernel, size_t kernel_len,
                     const void *initrd, size_t initrd_len,
                     struct domain **out, struct pvh_domain_boot *boot,
                     const char **why);

#endif
