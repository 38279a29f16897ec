/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_grant_table_op(cmd, args, count): one domain grants another
 * access to its pages through entries in its grant table; the grantee maps
 * or copies them by (domain, grant reference). Version 1 entries are the
 * ones this project uses; the version-2 layouts are declared only so the
 * ABI is complete.
 */
#ifndef XENLIKE_PUB_GRANT_TABLE_H
#define XENLIKE_PUB_GRANT_TABLE_H

#include "xen.h"

#ifndef __ASSEMBLY__

/* Index of an entry in the granting domain's table. */
typedef uint32_t grant_ref_t;

/*
 * A version-1 entry, 8 bytes, written by the granting guest. The guest fills
 * domid and frame, then sets flags last (with a write barrier before), and
 * revokes by clearing flags with a compare-and-swap that fails while
 * GTF_reading/GTF_writing show the grant in use.
 */
struct grant_entry_v1 {
    uint16_t flags;     /* GTF_* */
    domid_t  domid;     /* the domain allowed to use this entry */
    uint32_t frame;     /* the granted frame (or, for transfers, the result) */
};
typedef struct grant_entry_v1 grant_entry_v1_t;

#endif /* !__ASSEMBLY__ */

/* The first entries are reserved for the toolstack's use. */
#define GNTTAB_NR_RESERVED_ENTRIES 8
#define GNTTAB_RESERVED_CONSOLE    0    /* the console ring page */
#define GNTTAB_RESERVED_XENSTORE   1    /* the xenstore ring page */

/* flags, type field (bits 0-1). */
#define GTF_invalid          (0U << 0)  /* entry unused */
#define GTF_permit_access    (1U << 0)  /* domid may map/copy frame */
#define GTF_accept_transfer  (2U << 0)  /* domid may transfer a page to us */
#define GTF_transitive       (3U << 0)  /* v2 only */
#define GTF_type_mask        (3U << 0)
/* flags for GTF_permit_access; reading/writing are set by the hypervisor. */
#define _GTF_readonly        (2)
#define GTF_readonly         (1U << _GTF_readonly)   /* grantee may only read */
#define _GTF_reading         (3)
#define GTF_reading          (1U << _GTF_reading)    /* mapped/copied for reading now */
#define _GTF_writing         (4)
#define GTF_writing          (1U << _GTF_writing)    /* mapped/copied for writing now */
#define _GTF_PWT             (5)
#define GTF_PWT              (1U << _GTF_PWT)        /* caching attributes */
#define _GTF_PCD             (6)
#define GTF_PCD              (1U << _GTF_PCD)
#define _GTF_PAT             (7)
#define GTF_PAT              (1U << _GTF_PAT)
#define _GTF_sub_page        (8)
#define GTF_sub_page         (1U << _GTF_sub_page)   /* v2 only */
/* flags for GTF_accept_transfer, set by the hypervisor. */
#define _GTF_transfer_committed (2)
#define GTF_transfer_committed  (1U << _GTF_transfer_committed)
#define _GTF_transfer_completed (3)
#define GTF_transfer_completed  (1U << _GTF_transfer_completed)

#ifndef __ASSEMBLY__

/* Version 2 layouts (after GNTTABOP_set_version 2). */
struct grant_entry_header {
    uint16_t flags;
    domid_t  domid;
};
typedef struct grant_entry_header grant_entry_header_t;

union grant_entry_v2 {
    grant_entry_header_t hdr;
    struct {
        grant_entry_header_t hdr;
        uint32_t pad0;
        uint64_t frame;
    } full_page;
    struct {
        grant_entry_header_t hdr;
        uint16_t page_off;
        uint16_t length;
        uint64_t frame;
    } sub_page;
    struct {
        grant_entry_header_t hdr;
        domid_t trans_domid;
        uint16_t pad0;
        grant_ref_t gref;
    } transitive;
    uint32_t __spacer[4];
};
typedef union grant_entry_v2 grant_entry_v2_t;

typedef uint16_t grant_status_t;

#endif /* !__ASSEMBLY__ */

/* Sub-operations (cmd); args points at count structures of that kind. */
#define GNTTABOP_map_grant_ref        0
#define GNTTABOP_unmap_grant_ref      1
#define GNTTABOP_setup_table          2
#define GNTTABOP_dump_table           3
#define GNTTABOP_transfer             4
#define GNTTABOP_copy                 5
#define GNTTABOP_query_size           6
#define GNTTABOP_unmap_and_replace    7
#define GNTTABOP_set_version          8
#define GNTTABOP_get_status_frames    9
#define GNTTABOP_get_version          10
#define GNTTABOP_swap_grant_ref       11
#define GNTTABOP_cache_flush          12

#ifndef __ASSEMBLY__

/* Identifies one mapping made by GNTTABOP_map_grant_ref. */
typedef uint32_t grant_handle_t;

/*
 * GNTTABOP_map_grant_ref: map entry ref of domain dom.
 *   IN  host_addr: where (guest virtual for PV, guest-physical for
 *                  auto-translated guests, or a PTE address with
 *                  GNTMAP_contains_pte)
 *       flags (GNTMAP_*), ref, dom
 *   OUT status (GNTST_*), handle (for unmap), dev_bus_addr (with
 *       GNTMAP_device_map)
 */
struct gnttab_map_grant_ref {
    uint64_t host_addr;
    uint32_t flags;
    grant_ref_t ref;
    domid_t  dom;
    int16_t  status;
    grant_handle_t handle;
    uint64_t dev_bus_addr;
};
typedef struct gnttab_map_grant_ref gnttab_map_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_map_grant_ref_t);

/*
 * GNTTABOP_unmap_grant_ref: undo the mapping named by handle.
 *   IN  host_addr and dev_bus_addr as given/returned by the map (0 to skip
 *       either), handle
 *   OUT status
 */
struct gnttab_unmap_grant_ref {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t  status;
};
typedef struct gnttab_unmap_grant_ref gnttab_unmap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_grant_ref_t);

/*
 * GNTTABOP_setup_table: grow dom's table to nr_frames frames and report
 * their frame numbers (PV guests map them; others use
 * XENMEM_add_to_physmap with XENMAPSPACE_grant_table instead).
 *   IN  dom, nr_frames, frame_list (room for nr_frames)
 *   OUT status, frame_list contents
 */
struct gnttab_setup_table {
    domid_t  dom;
    uint32_t nr_frames;
    int16_t  status;
    XEN_GUEST_HANDLE(xen_pfn_t) frame_list;
};
typedef struct gnttab_setup_table gnttab_setup_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_setup_table_t);

/*
 * GNTTABOP_dump_table: print dom's table on the hypervisor console.
 *   IN  dom
 *   OUT status
 */
struct gnttab_dump_table {
    domid_t dom;
    int16_t status;
};
typedef struct gnttab_dump_table gnttab_dump_table_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_dump_table_t);

/*
 * GNTTABOP_transfer: give page mfn to domid, which offered entry ref with
 * GTF_accept_transfer (PV only).
 *   IN  mfn, domid, ref
 *   OUT status
 */
struct gnttab_transfer {
    xen_pfn_t mfn;
    domid_t   domid;
    grant_ref_t ref;
    int16_t   status;
};
typedef struct gnttab_transfer gnttab_transfer_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_transfer_t);

/*
 * GNTTABOP_copy: copy len bytes between two places, each either a grant
 * (flag GNTCOPY_*_gref set: u.ref of domid) or a frame of the caller's
 * (u.gmfn). Neither side may cross a page boundary.
 *   IN  source, dest, len, flags
 *   OUT status
 */
#define _GNTCOPY_source_gref (0)
#define GNTCOPY_source_gref  (1 << _GNTCOPY_source_gref)
#define _GNTCOPY_dest_gref   (1)
#define GNTCOPY_dest_gref    (1 << _GNTCOPY_dest_gref)
struct gnttab_copy {
    struct gnttab_copy_ptr {
        union {
            grant_ref_t ref;
            xen_pfn_t   gmfn;
        } u;
        domid_t  domid;
        uint16_t offset;
    } source, dest;
    uint16_t len;
    uint16_t flags;     /* GNTCOPY_* */
    int16_t  status;
};
typedef struct gnttab_copy gnttab_copy_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_copy_t);

/*
 * GNTTABOP_query_size: current and maximum table size of dom, in frames.
 *   IN  dom
 *   OUT nr_frames, max_nr_frames, status
 */
struct gnttab_query_size {
    domid_t  dom;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t  status;
};
typedef struct gnttab_query_size gnttab_query_size_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_query_size_t);

/*
 * GNTTABOP_unmap_and_replace: unmap handle at host_addr and move the
 * mapping found at new_addr there (PV only).
 *   IN  host_addr, new_addr, handle
 *   OUT status
 */
struct gnttab_unmap_and_replace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t  status;
};
typedef struct gnttab_unmap_and_replace gnttab_unmap_and_replace_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_unmap_and_replace_t);

/*
 * GNTTABOP_set_version: choose the entry format (1 or 2).
 *   IN  version   OUT version (the one in force)
 */
struct gnttab_set_version {
    uint32_t version;
};
typedef struct gnttab_set_version gnttab_set_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_set_version_t);

/*
 * GNTTABOP_get_status_frames (v2): the frames holding the status words.
 *   IN  nr_frames, dom, frame_list
 *   OUT status, frame_list contents
 */
struct gnttab_get_status_frames {
    uint32_t nr_frames;
    domid_t  dom;
    int16_t  status;
    XEN_GUEST_HANDLE(uint64_t) frame_list;
};
typedef struct gnttab_get_status_frames gnttab_get_status_frames_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_status_frames_t);

/*
 * GNTTABOP_get_version: the entry format dom uses.
 *   IN  dom   OUT version
 */
struct gnttab_get_version {
    domid_t  dom;
    uint16_t pad;
    uint32_t version;
};
typedef struct gnttab_get_version gnttab_get_version_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_get_version_t);

/*
 * GNTTABOP_swap_grant_ref: exchange two entries of the caller's table.
 *   IN  ref_a, ref_b   OUT status
 */
struct gnttab_swap_grant_ref {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;
};
typedef struct gnttab_swap_grant_ref gnttab_swap_grant_ref_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_swap_grant_ref_t);

/*
 * GNTTABOP_cache_flush: clean and/or invalidate the data cache over a
 * range of a page, named by bus address or (GNTTAB_CACHE_SOURCE_GREF) grant.
 *   IN  a, offset, length, op
 */
struct gnttab_cache_flush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
#define GNTTAB_CACHE_CLEAN       (1u << 0)
#define GNTTAB_CACHE_INVAL       (1u << 1)
#define GNTTAB_CACHE_SOURCE_GREF (1u << 31)
    uint32_t op;
};
typedef struct gnttab_cache_flush gnttab_cache_flush_t;
DEFINE_XEN_GUEST_HANDLE(gnttab_cache_flush_t);

#endif /* !__ASSEMBLY__ */

/* gnttab_map_grant_ref.flags */
#define _GNTMAP_device_map      (0)
#define GNTMAP_device_map       (1 << _GNTMAP_device_map)      /* for device DMA */
#define _GNTMAP_host_map        (1)
#define GNTMAP_host_map         (1 << _GNTMAP_host_map)        /* into the CPU's view */
#define _GNTMAP_readonly        (2)
#define GNTMAP_readonly         (1 << _GNTMAP_readonly)
#define _GNTMAP_application_map (3)
#define GNTMAP_application_map  (1 << _GNTMAP_application_map) /* user-accessible */
#define _GNTMAP_contains_pte    (4)
#define GNTMAP_contains_pte     (1 << _GNTMAP_contains_pte)    /* host_addr is a PTE */
/* Bits 16-31 of the resulting PTE are left to the guest. */
#define _GNTMAP_guest_avail0    (16)
#define GNTMAP_guest_avail_mask ((uint32_t)~0 << _GNTMAP_guest_avail0)

/* Per-operation status codes (the hypercall itself returns 0). */
#define GNTST_okay              (0)
#define GNTST_general_error     (-1)
#define GNTST_bad_domain        (-2)   /* no such domain */
#define GNTST_bad_gntref        (-3)   /* ref out of range or not granted to us */
#define GNTST_bad_handle        (-4)
#define GNTST_bad_virt_addr     (-5)
#define GNTST_bad_dev_addr      (-6)
#define GNTST_no_device_space   (-7)   /* out of IOMMU/maptrack slots */
#define GNTST_permission_denied (-8)   /* e.g. write access to a readonly grant */
#define GNTST_bad_page          (-9)
#define GNTST_bad_copy_arg      (-10)  /* copy crosses a page boundary */
#define GNTST_address_too_big   (-11)
#define GNTST_eagain            (-12)  /* transient: retry */
#define GNTST_no_space          (-13)

/* Human-readable text for -GNTST_* , indexed by the negated code. */
#define GNTTABOP_error_msgs {                     \
    "okay",                                       \
    "undefined error",                            \
    "unrecognised domain id",                     \
    "invalid grant reference",                    \
    "invalid mapping handle",                     \
    "invalid virtual address",                    \
    "invalid device address",                     \
    "no spare translation slot in the I/O MMU",   \
    "permission denied",                          \
    "bad page",                                   \
    "copy arguments cross page boundary",         \
    "page address size too large",                \
    "operation not done; try again",              \
    "out of space",                               \
}

#endif
