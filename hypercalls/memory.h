/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_memory_op(cmd, arg): a domain's memory: growing and shrinking
 * its reservation, populating its physical address space, mapping special
 * pages (shared_info, grant table) into it, memory maps and foreign
 * resources. Page-table updates of PV guests are in xen.h (mmu_update).
 */
#ifndef XENLIKE_PUB_MEMORY_H
#define XENLIKE_PUB_MEMORY_H

#include "xen.h"

/*
 * XENMEM_increase_reservation: allocate nr_extents extents of
 *   2^extent_order pages to domid; their frames are written to
 *   extent_start (PV). Returns the number of extents done.
 * XENMEM_decrease_reservation: free the extents whose gfns are in
 *   extent_start. Returns the number done.
 * XENMEM_populate_physmap: allocate and map extents at the gfns listed in
 *   extent_start (what PVH/HVM guests and the domain builder use).
 *   Returns the number done.
 * A partial count means the next extent failed; 0 with a negative error
 * means nothing was done.
 */
#define XENMEM_increase_reservation 0
#define XENMEM_decrease_reservation 1
#define XENMEM_populate_physmap     6

/* mem_flags: bits 0-7 the maximum address width of the frames (0: any),
 * bits 8-15 NUMA node + 1 (0: any), then modifiers. */
#define XENMEMF_address_bits(x)     (x)
#define XENMEMF_get_address_bits(x) ((x) & 0xffu)
#define XENMEMF_node(x)             (((x) + 1) << 8)
#define XENMEMF_get_node(x)         ((((x) >> 8) - 1) & 0xffu)
#define XENMEMF_populate_on_demand  (1 << 16)
#define XENMEMF_exact_node_request  (1 << 17)  /* fail rather than fall back */
#define XENMEMF_exact_node(n)       (XENMEMF_node(n) | XENMEMF_exact_node_request)
#define XENMEMF_vnode               (1 << 18)  /* node number is virtual */

#ifndef __ASSEMBLY__
struct xen_memory_reservation {
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* IN/OUT: frame list */
    xen_ulong_t  nr_extents;                    /* IN */
    unsigned int extent_order;                  /* IN: log2 pages per extent */
    unsigned int mem_flags;                     /* IN: XENMEMF_* */
    domid_t      domid;                         /* IN: DOMID_SELF or (privileged) other */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_reservation_t);
#endif

/*
 * XENMEM_exchange: trade the extents listed in in for freshly allocated
 * ones described by out (e.g. to get machine-contiguous memory).
 * nr_exchanged (OUT) counts in-extents done, also on failure.
 */
#define XENMEM_exchange 11
#ifndef __ASSEMBLY__
struct xen_memory_exchange {
    struct xen_memory_reservation in;
    struct xen_memory_reservation out;
    xen_ulong_t nr_exchanged;
};
typedef struct xen_memory_exchange xen_memory_exchange_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_exchange_t);
#endif

/*
 * XENMEM_maximum_ram_page: returns the highest machine frame number with
 *   RAM. arg unused.
 * XENMEM_current_reservation / XENMEM_maximum_reservation /
 * XENMEM_maximum_gpfn: returns the pages domid owns, its limit, or its
 *   highest gfn. arg: domid_t.
 */
#define XENMEM_maximum_ram_page    2
#ifndef __ASSEMBLY__
struct xen_memory_domain {
    domid_t domid;
};
#endif
#define XENMEM_current_reservation 3
#define XENMEM_maximum_reservation 4
#define XENMEM_maximum_gpfn        14

/*
 * XENMEM_machphys_mfn_list: the frames backing the M2P table, in 2 MiB
 * units, up to max_extents. OUT nr_extents.
 */
#define XENMEM_machphys_mfn_list 5
#ifndef __ASSEMBLY__
struct xen_machphys_mfn_list {
    unsigned int max_extents;                   /* IN */
    XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* OUT */
    unsigned int nr_extents;                    /* OUT */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mfn_list_t);
#endif
#define XENMEM_machphys_compat_mfn_list 25

/* XENMEM_machphys_mapping: where the M2P is mapped and its last frame. */
#define XENMEM_machphys_mapping 12
#ifndef __ASSEMBLY__
struct xen_machphys_mapping {
    xen_ulong_t v_start, v_end;     /* OUT: virtual range */
    xen_ulong_t max_mfn;            /* OUT: highest covered mfn */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;
DEFINE_XEN_GUEST_HANDLE(xen_machphys_mapping_t);
#endif

/* What XENMEM_add_to_physmap maps (space). */
#define XENMAPSPACE_shared_info  0  /* the shared_info page; idx 0 */
#define XENMAPSPACE_grant_table  1  /* grant-table frame idx (| XENMAPIDX_grant_table_status) */
#define XENMAPSPACE_gmfn         2  /* move the caller's gfn idx to gpfn */
#define XENMAPSPACE_gmfn_range   3  /* the same for size consecutive frames */
#define XENMAPSPACE_gmfn_foreign 4  /* a frame of another domain (batch only) */
#define XENMAPSPACE_dev_mmio     5  /* device MMIO (Arm) */

/*
 * XENMEM_add_to_physmap: map the page idx of space at guest frame gpfn of
 * domid (replacing what was there).
 */
#define XENMEM_add_to_physmap 7
#ifndef __ASSEMBLY__
struct xen_add_to_physmap {
    domid_t      domid;             /* IN */
    uint16_t     size;              /* IN: frames, for XENMAPSPACE_gmfn_range */
    unsigned int space;             /* IN: XENMAPSPACE_* */
#define XENMAPIDX_grant_table_status 0x80000000
    xen_ulong_t  idx;               /* IN */
    xen_pfn_t    gpfn;              /* IN */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_t);
#endif

/*
 * XENMEM_add_to_physmap_batch: size mappings at once; idxs[i] goes to
 * gpfns[i] and errs[i] receives its result.
 */
#define XENMEM_add_to_physmap_batch 23
#ifndef __ASSEMBLY__
struct xen_add_to_physmap_batch {
    domid_t  domid;                 /* IN */
    uint16_t space;                 /* IN: XENMAPSPACE_* */
    uint16_t size;                  /* IN */
    union xen_add_to_physmap_batch_extra {
        domid_t  foreign_domid;     /* IN: for XENMAPSPACE_gmfn_foreign */
        uint16_t res0;              /* zero otherwise */
    } u;
    XEN_GUEST_HANDLE(xen_ulong_t) idxs;
    XEN_GUEST_HANDLE(xen_pfn_t)   gpfns;
    XEN_GUEST_HANDLE(int)         errs;
};
typedef struct xen_add_to_physmap_batch xen_add_to_physmap_batch_t;
DEFINE_XEN_GUEST_HANDLE(xen_add_to_physmap_batch_t);
#endif

/* XENMEM_remove_from_physmap: unmap guest frame gpfn of domid. */
#define XENMEM_remove_from_physmap 15
#ifndef __ASSEMBLY__
struct xen_remove_from_physmap {
    domid_t   domid;
    xen_pfn_t gpfn;
};
typedef struct xen_remove_from_physmap xen_remove_from_physmap_t;
DEFINE_XEN_GUEST_HANDLE(xen_remove_from_physmap_t);
#endif

/*
 * XENMEM_memory_map: the caller's E820-style memory map.
 * XENMEM_machine_memory_map: the host's (control domain only).
 *   IN  nr_entries (room in buffer)   OUT nr_entries (entries written)
 * XENMEM_set_memory_map: set a domain's map (toolstack).
 */
#define XENMEM_memory_map 9
#ifndef __ASSEMBLY__
struct xen_memory_map {
    unsigned int nr_entries;
    XEN_GUEST_HANDLE(void) buffer;  /* array of 20-byte E820 entries */
};
typedef struct xen_memory_map xen_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_memory_map_t);
#endif
#define XENMEM_machine_memory_map 10
#define XENMEM_set_memory_map     13
#ifndef __ASSEMBLY__
struct xen_foreign_memory_map {
    domid_t domid;
    struct xen_memory_map map;
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;
DEFINE_XEN_GUEST_HANDLE(xen_foreign_memory_map_t);
#endif

/* XENMEM_set_pod_target / get_pod_target: populate-on-demand accounting. */
#define XENMEM_set_pod_target 16
#define XENMEM_get_pod_target 17
#ifndef __ASSEMBLY__
struct xen_pod_target {
    uint64_t target_pages;          /* IN (set) */
    uint64_t tot_pages;             /* OUT */
    uint64_t pod_cache_pages;       /* OUT */
    uint64_t pod_entries;           /* OUT */
    domid_t  domid;                 /* IN */
};
typedef struct xen_pod_target xen_pod_target_t;
#endif

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* Toolstack-only memory operations (numbers only; no layouts here). */
#define XENMEM_get_sharing_freed_pages    18
#define XENMEM_get_sharing_shared_pages   19
#define XENMEM_paging_op                  20
#define XENMEM_access_op                  21
#define XENMEM_sharing_op                 22
/*
 * XENMEM_claim_pages: reserve nr_extents pages for domid from the free
 * pool so later allocations for it cannot fail (arg: reservation with
 * extent_order 0; 0 pages cancels the claim).
 */
#define XENMEM_claim_pages                24
#define XENMEM_reserved_device_memory_map 27
#endif

/*
 * XENMEM_acquire_resource: map frames of a resource of domid (its grant
 * table, an ioreq server, a trace buffer) into the caller.
 *   IN  domid, type, id, nr_frames (0: ask for the size), frame (first),
 *       frame_list (gfns to map at, for auto-translated callers)
 *   OUT nr_frames (with nr_frames 0 in), frame_list (PV callers)
 */
#define XENMEM_acquire_resource 28
#ifndef __ASSEMBLY__
struct xen_mem_acquire_resource {
    domid_t  domid;
    uint16_t type;
#define XENMEM_resource_ioreq_server 0
#define XENMEM_resource_grant_table  1
#define XENMEM_resource_vmtrace_buf  2
    uint32_t id;
#define XENMEM_resource_grant_table_id_shared 0
#define XENMEM_resource_grant_table_id_status 1
    uint32_t nr_frames;
    uint32_t pad;
    uint64_t frame;
#define XENMEM_resource_ioreq_server_frame_bufioreq 0
#define XENMEM_resource_ioreq_server_frame_ioreq(n) (1 + (n))
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct xen_mem_acquire_resource xen_mem_acquire_resource_t;
DEFINE_XEN_GUEST_HANDLE(xen_mem_acquire_resource_t);
#endif

/*
 * XENMEM_get_vnumainfo: the caller's virtual NUMA layout.
 *   IN  domid, nr_* (room in each array)   OUT nr_*, the arrays
 */
#define XENMEM_get_vnumainfo 26
#ifndef __ASSEMBLY__
struct xen_vmemrange {
    uint64_t start, end;            /* [start, end) guest-physical */
    unsigned int flags;
    unsigned int nid;               /* virtual node */
};
typedef struct xen_vmemrange xen_vmemrange_t;
DEFINE_XEN_GUEST_HANDLE(xen_vmemrange_t);

struct xen_vnuma_topology_info {
    domid_t  domid;
    uint16_t pad;
    unsigned int nr_vnodes;
    unsigned int nr_vcpus;
    unsigned int nr_vmemranges;
    union {
        XEN_GUEST_HANDLE(uint) h;   /* nr_vnodes^2 distances */
        uint64_t pad;
    } vdistance;
    union {
        XEN_GUEST_HANDLE(uint) h;   /* node of each vCPU */
        uint64_t pad;
    } vcpu_to_vnode;
    union {
        XEN_GUEST_HANDLE(xen_vmemrange_t) h;
        uint64_t pad;
    } vmemrange;
};
typedef struct xen_vnuma_topology_info xen_vnuma_topology_info_t;
DEFINE_XEN_GUEST_HANDLE(xen_vnuma_topology_info_t);
#endif

#endif

/*
 * With -Ihypercalls this file shadows the C library's <memory.h>: a hosted
 * program asking for <memory.h> gets the library's one too. Kept last, as
 * the pragma (which silences -pedantic about #include_next) lasts to EOF.
 */
#if defined(__has_include_next) && !defined(__ASSEMBLY__)
#if __has_include_next(<memory.h>)
#pragma GCC system_header
#include_next <memory.h>
#endif
#endif
