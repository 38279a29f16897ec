/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_hvm_op(cmd, arg): operations of and on HVM/PVH domains:
 * HVM parameters (the numbers are in hvm/params.h), the event-channel
 * upcall vector, TLB flushes and memory-type queries. The device-model
 * interface (dm_op) and alternate p2m views are not described here.
 */
#ifndef XENLIKE_PUB_HVM_HVM_OP_H
#define XENLIKE_PUB_HVM_HVM_OP_H

#include "../xen.h"
#include "../event_channel.h"

/*
 * HVMOP_set_param / HVMOP_get_param: write or read HVM parameter index
 * (HVM_PARAM_*) of domid. A guest may read most of its own parameters
 * and set only a few (e.g. HVM_PARAM_CALLBACK_IRQ); the rest are the
 * toolstack's. Unknown index: XEN_EINVAL.
 */
#define HVMOP_set_param 0
#define HVMOP_get_param 1
#ifndef __ASSEMBLY__
struct xen_hvm_param {
    domid_t  domid;     /* IN */
    uint16_t pad;
    uint32_t index;     /* IN: HVM_PARAM_* */
    uint64_t value;     /* IN (set) / OUT (get) */
};
typedef struct xen_hvm_param xen_hvm_param_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_param_t);
#endif

/* HVMOP_flush_tlbs: flush the TLBs of all of the caller's vCPUs. arg NULL. */
#define HVMOP_flush_tlbs 5

#ifndef __ASSEMBLY__
/* Kinds of guest memory (xen_hvm_get_mem_type.mem_type). */
typedef enum {
    HVMMEM_ram_rw,          /* normal RAM */
    HVMMEM_ram_ro,          /* RAM, writes discarded */
    HVMMEM_mmio_dm,         /* emulated by the device model */
    HVMMEM_unused,          /* retired number */
    HVMMEM_ioreq_server     /* writes go to an ioreq server */
} hvmmem_type_t;
#endif

/*
 * HVMOP_pagetable_dying: the guest tells that the page table at gpa is
 * about to be freed (a shadow-paging hint).
 */
#define HVMOP_pagetable_dying 9
#ifndef __ASSEMBLY__
struct xen_hvm_pagetable_dying {
    domid_t  domid;     /* IN: DOMID_SELF */
    uint16_t pad[3];
    uint64_t gpa;       /* IN */
};
typedef struct xen_hvm_pagetable_dying xen_hvm_pagetable_dying_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_pagetable_dying_t);
#endif

/* HVMOP_get_time: the current system time in ns.  OUT now */
#define HVMOP_get_time 10
#ifndef __ASSEMBLY__
struct xen_hvm_get_time {
    uint64_t now;
};
typedef struct xen_hvm_get_time xen_hvm_get_time_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_time_t);
#endif

/* HVMOP_xentrace: write a record into the hypervisor trace buffers. */
#define HVMOP_xentrace 11

#if defined(__XEN__) || defined(__XEN_TOOLS__)
#define HVMOP_set_mem_access 12     /* retired */
#define HVMOP_get_mem_access 13     /* retired */
#endif

/* HVMOP_get_mem_type: what kind of memory backs pfn of domid. */
#define HVMOP_get_mem_type 15
#ifndef __ASSEMBLY__
struct xen_hvm_get_mem_type {
    domid_t  domid;     /* IN */
    uint16_t mem_type;  /* OUT: hvmmem_type_t */
    uint16_t pad[2];
    uint64_t pfn;       /* IN */
};
typedef struct xen_hvm_get_mem_type xen_hvm_get_mem_type_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_get_mem_type_t);
#endif

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* How an ioreq server handles buffered I/O. */
#define HVM_IOREQSRV_BUFIOREQ_OFF    0
#define HVM_IOREQSRV_BUFIOREQ_LEGACY 1
#define HVM_IOREQSRV_BUFIOREQ_ATOMIC 2
#endif

/*
 * HVMOP_set_evtchn_upcall_vector: deliver event upcalls for vcpu as a
 * local-APIC interrupt with this vector (per-vCPU; vector >= 0x10).
 */
#define HVMOP_set_evtchn_upcall_vector 23
#ifndef __ASSEMBLY__
struct xen_hvm_evtchn_upcall_vector {
    uint32_t vcpu;      /* IN */
    uint8_t  vector;    /* IN */
};
typedef struct xen_hvm_evtchn_upcall_vector xen_hvm_evtchn_upcall_vector_t;
DEFINE_XEN_GUEST_HANDLE(xen_hvm_evtchn_upcall_vector_t);
#endif

/* HVMOP_guest_request_vm_event: raise a VM event for a monitoring domain. */
#define HVMOP_guest_request_vm_event 24

/* HVMOP_altp2m: alternate p2m views (layouts not given here). */
#define HVMOP_altp2m 25
#define HVMOP_ALTP2M_INTERFACE_VERSION 0x00000001

#endif
