/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_xen_version(cmd, arg): what the hypervisor is and what it
 * offers: version, build information, capabilities and the XENFEAT_*
 * feature bits. (Xen keeps the XENFEAT_* numbers in features.h; we keep
 * them here, as a top-level features.h would shadow the C library's
 * <features.h> for anyone building with -Ihypercalls.)
 */
#ifndef XENLIKE_PUB_VERSION_H
#define XENLIKE_PUB_VERSION_H

#include "xen.h"

/* XENVER_version: returns (major << 16) | minor. arg NULL. */
#define XENVER_version 0

/* XENVER_extraversion: the version suffix, e.g. ".0", NUL-padded. */
#define XENVER_extraversion 1
#ifndef __ASSEMBLY__
typedef char xen_extraversion_t[16];
#endif
#define XEN_EXTRAVERSION_LEN (sizeof(xen_extraversion_t))

/* XENVER_compile_info: who built the hypervisor, when, with what. */
#define XENVER_compile_info 2
#ifndef __ASSEMBLY__
struct xen_compile_info {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
typedef struct xen_compile_info xen_compile_info_t;
#endif

/* XENVER_capabilities: space-separated guest types, e.g. "hvm-3.0-x86_64". */
#define XENVER_capabilities 3
#ifndef __ASSEMBLY__
typedef char xen_capabilities_info_t[1024];
#endif
#define XEN_CAPABILITIES_INFO_LEN (sizeof(xen_capabilities_info_t))

/* XENVER_changeset: the source revision the hypervisor was built from. */
#define XENVER_changeset 4
#ifndef __ASSEMBLY__
typedef char xen_changeset_info_t[64];
#endif
#define XEN_CHANGESET_INFO_LEN (sizeof(xen_changeset_info_t))

/* XENVER_platform_parameters: start of the hypervisor's virtual hole. */
#define XENVER_platform_parameters 5
#ifndef __ASSEMBLY__
struct xen_platform_parameters {
    xen_ulong_t virt_start;
};
typedef struct xen_platform_parameters xen_platform_parameters_t;
#endif

/*
 * XENVER_get_features: one 32-bit word of XENFEAT_* bits.
 *   IN  submap_idx (word number, < XENFEAT_NR_SUBMAPS)   OUT submap
 */
#define XENVER_get_features 6
#ifndef __ASSEMBLY__
struct xen_feature_info {
    unsigned int submap_idx;
    uint32_t     submap;
};
typedef struct xen_feature_info xen_feature_info_t;
#endif

/* Feature bits (bit numbers in the XENVER_get_features words). */
#define XENFEAT_writable_page_tables       0  /* PV: page tables need no pinning */
#define XENFEAT_writable_descriptor_tables 1
#define XENFEAT_auto_translated_physmap    2  /* the guest sees gfns, not mfns */
#define XENFEAT_supervisor_mode_kernel     3  /* kernel runs in ring 0 */
#define XENFEAT_pae_pgdir_above_4gb        4
#define XENFEAT_mmu_pt_update_preserve_ad  5  /* MMU_PT_UPDATE_PRESERVE_AD works */
#define XENFEAT_highmem_assist             6
#define XENFEAT_gnttab_map_avail_bits      7  /* GNTMAP_guest_avail_mask honoured */
#define XENFEAT_hvm_callback_vector        8  /* HVM_PARAM_CALLBACK_TYPE_VECTOR works */
#define XENFEAT_hvm_safe_pvclock           9  /* PV clock usable by HVM guests */
#define XENFEAT_hvm_pirqs                  10 /* HVM interrupts as event channels */
#define XENFEAT_dom0                       11 /* this domain is the initial domain */
#define XENFEAT_memory_op_vnode_supported  13 /* XENMEMF_vnode accepted */
#define XENFEAT_ARM_SMCCC_supported        14
#define XENFEAT_linux_rsdp_unrestricted    15 /* the guest may place the RSDP freely */
#define XENFEAT_not_direct_mapped          16
#define XENFEAT_direct_mapped              17
#define XENFEAT_NR_SUBMAPS                 1

/* XENVER_pagesize: returns the page size in bytes. arg NULL. */
#define XENVER_pagesize 7

/* XENVER_guest_handle: the caller's domain handle (xen_domain_handle_t). */
#define XENVER_guest_handle 8

/* XENVER_commandline: the hypervisor command line (privileged). */
#define XENVER_commandline 9
#ifndef __ASSEMBLY__
typedef char xen_commandline_t[1024];
#endif

/*
 * XENVER_build_id: the build id note of the hypervisor image.
 *   IN  len (room in buf)   returns the id length
 */
#define XENVER_build_id 10
#ifndef __ASSEMBLY__
struct xen_build_id {
    uint32_t len;
    unsigned char buf[XEN_FLEX_ARRAY_DIM];
};
typedef struct xen_build_id xen_build_id_t;
#endif

#endif
