/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sysctl(struct xen_sysctl *): the toolstack's queries and
 * controls of the whole machine (hypervisor console, physical resources,
 * list of domains). Only the control domain may call it; every call
 * carries XEN_SYSCTL_INTERFACE_VERSION (mismatch: XEN_EACCES). Xen's other
 * sub-operations (power management, live patching, ...) have their numbers
 * here but no argument layout.
 */
#ifndef XENLIKE_PUB_SYSCTL_H
#define XENLIKE_PUB_SYSCTL_H

#if !defined(__XEN__) && !defined(__XEN_TOOLS__)
#error "sysctl.h is for the hypervisor and the toolstack only (define __XEN_TOOLS__)"
#endif

#include "xen.h"
#include "domctl.h"

#define XEN_SYSCTL_INTERFACE_VERSION 0x00000015

#ifndef __ASSEMBLY__

/*
 * XEN_SYSCTL_readconsole: copy out the hypervisor's console log ring.
 *   IN  clear (empty the ring after reading), incremental (start at index
 *       instead of the oldest byte), index, buffer, count (its size)
 *   OUT count (bytes copied), index (where an incremental read goes on)
 */
struct xen_sysctl_readconsole {
    uint8_t  clear;
    uint8_t  incremental;
    uint8_t  pad0, pad1;
    uint32_t index;
    XEN_GUEST_HANDLE_64(char) buffer;
    uint32_t count;
};

/*
 * XEN_SYSCTL_physinfo: the physical machine.
 *   OUT everything: CPU topology counts, CPU speed, what kinds of guests
 *       the hypervisor can run (capabilities, XEN_SYSCTL_PHYSCAP_*), and
 *       memory in pages
 */
#define _XEN_SYSCTL_PHYSCAP_hvm                 0
#define XEN_SYSCTL_PHYSCAP_hvm                  (1u << _XEN_SYSCTL_PHYSCAP_hvm)
#define _XEN_SYSCTL_PHYSCAP_pv                  1
#define XEN_SYSCTL_PHYSCAP_pv                   (1u << _XEN_SYSCTL_PHYSCAP_pv)
#define _XEN_SYSCTL_PHYSCAP_directio            2
#define XEN_SYSCTL_PHYSCAP_directio             (1u << _XEN_SYSCTL_PHYSCAP_directio)
#define _XEN_SYSCTL_PHYSCAP_hap                 3
#define XEN_SYSCTL_PHYSCAP_hap                  (1u << _XEN_SYSCTL_PHYSCAP_hap)
#define _XEN_SYSCTL_PHYSCAP_shadow              4
#define XEN_SYSCTL_PHYSCAP_shadow               (1u << _XEN_SYSCTL_PHYSCAP_shadow)
#define _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share  5
#define XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share   (1u << _XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share)
#define XEN_SYSCTL_PHYSCAP_vmtrace              (1u << 6)
#define XEN_SYSCTL_PHYSCAP_vpmu                 (1u << 7)
#define XEN_SYSCTL_PHYSCAP_gnttab_v1            (1u << 8)
#define XEN_SYSCTL_PHYSCAP_gnttab_v2            (1u << 9)
#define XEN_SYSCTL_PHYSCAP_MAX                  XEN_SYSCTL_PHYSCAP_gnttab_v2
struct xen_sysctl_physinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;           /* online CPUs */
    uint32_t max_cpu_id;
    uint32_t nr_nodes;          /* NUMA nodes */
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;      /* XEN_SYSCTL_PHYSCAP_* */
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_aligned_t total_pages;
    uint64_aligned_t free_pages;
    uint64_aligned_t scrub_pages;
    uint64_aligned_t outstanding_pages;
    uint64_aligned_t max_mfn;   /* highest machine frame number */
    uint32_t hw_cap[8];         /* CPUID feature words */
};

/* XEN_SYSCTL_sched_id: the scheduler in use.  OUT sched_id (XEN_SCHEDULER_*) */
struct xen_sysctl_sched_id {
    uint32_t sched_id;
};

/*
 * XEN_SYSCTL_getdomaininfolist: describe existing domains in domid order.
 *   IN  first_domain (lowest id to report), max_domains, buffer (room for
 *       max_domains entries)
 *   OUT num_domains (entries written)
 */
struct xen_sysctl_getdomaininfolist {
    domid_t  first_domain;
    uint32_t max_domains;
    XEN_GUEST_HANDLE_64(xen_domctl_getdomaininfo_t) buffer;
    uint32_t num_domains;
};

/*
 * XEN_SYSCTL_debug_keys: act as if keys had been typed on the hypervisor's
 * serial console (its debug-key handlers run).
 *   IN  keys, nr_keys
 */
struct xen_sysctl_debug_keys {
    XEN_GUEST_HANDLE_64(const_char) keys;
    uint32_t nr_keys;
};

/*
 * XEN_SYSCTL_getcpuinfo: per-physical-CPU statistics.
 *   IN  max_cpus, info (room for max_cpus)   OUT nr_cpus (entries written)
 */
struct xen_sysctl_cpuinfo {
    uint64_aligned_t idletime;  /* ns spent idle */
};
typedef struct xen_sysctl_cpuinfo xen_sysctl_cpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_cpuinfo_t);
struct xen_sysctl_getcpuinfo {
    uint32_t max_cpus;
    XEN_GUEST_HANDLE_64(xen_sysctl_cpuinfo_t) info;
    uint32_t nr_cpus;
};

/* The hypercall argument: cmd selects the member of u. */
struct xen_sysctl {
    uint32_t cmd;
#define XEN_SYSCTL_readconsole            1
#define XEN_SYSCTL_tbuf_op                2
#define XEN_SYSCTL_physinfo               3
#define XEN_SYSCTL_sched_id               4
#define XEN_SYSCTL_perfc_op               5
#define XEN_SYSCTL_getdomaininfolist      6
#define XEN_SYSCTL_debug_keys             7
#define XEN_SYSCTL_getcpuinfo             8
#define XEN_SYSCTL_availheap              9
#define XEN_SYSCTL_get_pmstat             10
#define XEN_SYSCTL_cpu_hotplug            11
#define XEN_SYSCTL_pm_op                  12
#define XEN_SYSCTL_page_offline_op        14
#define XEN_SYSCTL_lockprof_op            15
#define XEN_SYSCTL_cputopoinfo            16
#define XEN_SYSCTL_numainfo               17
#define XEN_SYSCTL_cpupool_op             18
#define XEN_SYSCTL_scheduler_op           19
#define XEN_SYSCTL_coverage_op            20
#define XEN_SYSCTL_psr_cmt_op             21
#define XEN_SYSCTL_pcitopoinfo            22
#define XEN_SYSCTL_psr_alloc              23
#define XEN_SYSCTL_get_cpu_levelling_caps 25
#define XEN_SYSCTL_get_cpu_featureset     26
#define XEN_SYSCTL_livepatch_op           27
#define XEN_SYSCTL_get_cpu_policy         29
    uint32_t interface_version;     /* XEN_SYSCTL_INTERFACE_VERSION */
    union {
        struct xen_sysctl_readconsole       readconsole;
        struct xen_sysctl_physinfo          physinfo;
        struct xen_sysctl_sched_id          sched_id;
        struct xen_sysctl_getdomaininfolist getdomaininfolist;
        struct xen_sysctl_debug_keys        debug_keys;
        struct xen_sysctl_getcpuinfo        getcpuinfo;
        uint8_t pad[128];                   /* fixes the size for all ops */
    } u;
};
typedef struct xen_sysctl xen_sysctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_sysctl_t);

#endif /* !__ASSEMBLY__ */

#endif
