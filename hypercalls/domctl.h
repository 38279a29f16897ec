/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_domctl(struct xen_domctl *): the toolstack's operations on one
 * domain (create, destroy, pause, limits, vCPU contexts, scheduling). Only
 * the control domain may call it. Every call carries
 * XEN_DOMCTL_INTERFACE_VERSION; a mismatch fails with XEN_EACCES. Holds the
 * sub-operations a toolstack needs; Xen's others (device passthrough, VM
 * events, PSR, ...) have their numbers here but no argument layout.
 */
#ifndef XENLIKE_PUB_DOMCTL_H
#define XENLIKE_PUB_DOMCTL_H

#if !defined(__XEN__) && !defined(__XEN_TOOLS__)
#error "domctl.h is for the hypervisor and the toolstack only (define __XEN_TOOLS__)"
#endif

#include "xen.h"
#include "event_channel.h"
#include "grant_table.h"

#define XEN_DOMCTL_INTERFACE_VERSION 0x00000015

#ifndef __ASSEMBLY__

/*
 * XEN_DOMCTL_createdomain: make a new, paused domain with no memory and no
 * vCPUs running. struct xen_domctl.domain is the wanted domid, or 0 to let
 * the hypervisor choose; the chosen one is written back there.
 *   IN  everything below
 */
struct xen_domctl_createdomain {
    uint32_t ssidref;                   /* XSM security label (0: default) */
    xen_domain_handle_t handle;         /* the domain's UUID */
#define _XEN_DOMCTL_CDF_hvm           0
#define XEN_DOMCTL_CDF_hvm            (1U << _XEN_DOMCTL_CDF_hvm)  /* HVM/PVH, not PV */
#define _XEN_DOMCTL_CDF_hap           1
#define XEN_DOMCTL_CDF_hap            (1U << _XEN_DOMCTL_CDF_hap)  /* use NPT/EPT */
#define _XEN_DOMCTL_CDF_s3_integrity  2
#define XEN_DOMCTL_CDF_s3_integrity   (1U << _XEN_DOMCTL_CDF_s3_integrity)
#define _XEN_DOMCTL_CDF_oos_off       3
#define XEN_DOMCTL_CDF_oos_off        (1U << _XEN_DOMCTL_CDF_oos_off)
#define _XEN_DOMCTL_CDF_xs_domain     4
#define XEN_DOMCTL_CDF_xs_domain      (1U << _XEN_DOMCTL_CDF_xs_domain) /* runs xenstored */
#define _XEN_DOMCTL_CDF_iommu         5
#define XEN_DOMCTL_CDF_iommu          (1U << _XEN_DOMCTL_CDF_iommu)
#define _XEN_DOMCTL_CDF_nested_virt   6
#define XEN_DOMCTL_CDF_nested_virt    (1U << _XEN_DOMCTL_CDF_nested_virt)
#define XEN_DOMCTL_CDF_vpmu           (1U << 7)
#define XEN_DOMCTL_CDF_MAX            XEN_DOMCTL_CDF_vpmu
    uint32_t flags;                     /* XEN_DOMCTL_CDF_* */
#define _XEN_DOMCTL_IOMMU_no_sharept  0
#define XEN_DOMCTL_IOMMU_no_sharept   (1U << _XEN_DOMCTL_IOMMU_no_sharept)
#define XEN_DOMCTL_IOMMU_MAX          XEN_DOMCTL_IOMMU_no_sharept
    uint32_t iommu_opts;
    uint32_t max_vcpus;                 /* fixed for the domain's life */
    uint32_t max_evtchn_port;           /* highest port it may allocate */
    int32_t  max_grant_frames;          /* -1: the hypervisor's default */
    int32_t  max_maptrack_frames;       /* -1: the hypervisor's default */
/* grant_opts bits 0-3: highest grant-table version allowed (1 or 2). */
#define XEN_DOMCTL_GRANT_version_mask 0xf
#define XEN_DOMCTL_GRANT_version(v)   ((v) & XEN_DOMCTL_GRANT_version_mask)
    uint32_t grant_opts;
    uint32_t vmtrace_size;              /* per-vCPU trace buffer, bytes */
    uint32_t cpupool_id;
    struct xen_arch_domainconfig arch;
};

/*
 * XEN_DOMCTL_getdomaininfo: a snapshot of one domain. If struct
 * xen_domctl.domain does not exist, the next existing domain above it is
 * described instead (and its id written back to .domain).
 *   OUT all fields
 */
struct xen_domctl_getdomaininfo {
    domid_t  domain;
    uint16_t pad1;
#define _XEN_DOMINF_dying     0
#define XEN_DOMINF_dying      (1U << _XEN_DOMINF_dying)     /* being destroyed */
#define _XEN_DOMINF_hvm_guest 1
#define XEN_DOMINF_hvm_guest  (1U << _XEN_DOMINF_hvm_guest) /* HVM or PVH */
#define _XEN_DOMINF_shutdown  2
#define XEN_DOMINF_shutdown   (1U << _XEN_DOMINF_shutdown)  /* reason in bits 16-23 */
#define _XEN_DOMINF_paused    3
#define XEN_DOMINF_paused     (1U << _XEN_DOMINF_paused)    /* paused by the toolstack */
#define _XEN_DOMINF_blocked   4
#define XEN_DOMINF_blocked    (1U << _XEN_DOMINF_blocked)   /* every vCPU blocked */
#define _XEN_DOMINF_running   5
#define XEN_DOMINF_running    (1U << _XEN_DOMINF_running)   /* some vCPU running */
#define _XEN_DOMINF_debugged  6
#define XEN_DOMINF_debugged   (1U << _XEN_DOMINF_debugged)
#define _XEN_DOMINF_xs_domain 7
#define XEN_DOMINF_xs_domain  (1U << _XEN_DOMINF_xs_domain)
#define _XEN_DOMINF_hap       8
#define XEN_DOMINF_hap        (1U << _XEN_DOMINF_hap)
/* The SHUTDOWN_* reason sits at (flags >> shift) & mask. */
#define XEN_DOMINF_shutdownmask  255
#define XEN_DOMINF_shutdownshift 16
    uint32_t flags;
    uint64_aligned_t tot_pages;         /* pages the domain owns */
    uint64_aligned_t max_pages;         /* its limit (XEN_DOMCTL_max_mem) */
    uint64_aligned_t outstanding_pages; /* claimed but not yet allocated */
    uint64_aligned_t shr_pages;
    uint64_aligned_t paged_pages;
    uint64_aligned_t shared_info_frame; /* gfn/mfn of shared_info */
    uint64_aligned_t cpu_time;          /* ns of CPU time, all vCPUs */
    uint32_t nr_online_vcpus;
#define XEN_INVALID_MAX_VCPU_ID (~0U)   /* no vCPUs yet */
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    xen_domain_handle_t handle;
    uint32_t cpupool;
    uint8_t  gpaddr_bits;               /* guest-physical address width */
    uint8_t  pad2[7];
    struct xen_arch_domainconfig arch_config;
};
typedef struct xen_domctl_getdomaininfo xen_domctl_getdomaininfo_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_getdomaininfo_t);

/*
 * XEN_DOMCTL_shadow_op: control shadow paging and log-dirty tracking (used
 * by live migration) and size the paging pool.
 *   IN  op (XEN_DOMCTL_SHADOW_OP_*), mode (ENABLE: XEN_DOMCTL_SHADOW_ENABLE_*
 *       bits), mb (SET_ALLOCATION), dirty_bitmap and pages (CLEAN/PEEK: the
 *       bitmap and how many pages it covers)
 *   OUT mb (GET_ALLOCATION), pages (bits written), stats
 */
#define XEN_DOMCTL_SHADOW_OP_OFF             0
#define XEN_DOMCTL_SHADOW_OP_ENABLE          32
#define XEN_DOMCTL_SHADOW_OP_CLEAN           11  /* read and clear the dirty bitmap */
#define XEN_DOMCTL_SHADOW_OP_PEEK            12  /* read it only */
#define XEN_DOMCTL_SHADOW_OP_GET_ALLOCATION  30
#define XEN_DOMCTL_SHADOW_OP_SET_ALLOCATION  31
#define XEN_DOMCTL_SHADOW_OP_ENABLE_TEST     1   /* legacy forms of ENABLE */
#define XEN_DOMCTL_SHADOW_OP_ENABLE_LOGDIRTY 2
#define XEN_DOMCTL_SHADOW_ENABLE_REFCOUNT    (1 << 1)
#define XEN_DOMCTL_SHADOW_ENABLE_LOG_DIRTY   (1 << 2)
#define XEN_DOMCTL_SHADOW_ENABLE_TRANSLATE   (1 << 3)
#define XEN_DOMCTL_SHADOW_ENABLE_EXTERNAL    (1 << 4)
#define XEN_DOMCTL_SHADOW_LOGDIRTY_FINAL     (1 << 0)  /* mode bit for the last CLEAN */
struct xen_domctl_shadow_op_stats {
    uint32_t fault_count;
    uint32_t dirty_count;
};

struct xen_domctl_shadow_op {
    uint32_t op;
    uint32_t mode;
    uint32_t mb;                        /* paging pool size, MiB */
    XEN_GUEST_HANDLE_64(uint8) dirty_bitmap;
    uint64_aligned_t pages;
    struct xen_domctl_shadow_op_stats stats;
};

/*
 * XEN_DOMCTL_max_mem: limit the domain's memory.
 *   IN  max_memkb (KiB; lower than current use is allowed, it just stops
 *       further growth)
 */
struct xen_domctl_max_mem {
    uint64_aligned_t max_memkb;
};

/*
 * XEN_DOMCTL_setvcpucontext / XEN_DOMCTL_getvcpucontext: write or read
 * the register state of a vCPU of a paused domain.
 *   IN  vcpu, ctxt (set: the new state, NULL to reset the vCPU;
 *       get: where to write it)
 */
struct xen_domctl_vcpucontext {
    uint32_t vcpu;
    XEN_GUEST_HANDLE_64(vcpu_guest_context_t) ctxt;
};

/*
 * XEN_DOMCTL_getvcpuinfo: state of one vCPU.
 *   IN  vcpu
 *   OUT online, blocked, running, cpu_time (ns), cpu (physical CPU)
 */
struct xen_domctl_getvcpuinfo {
    uint32_t vcpu;
    uint8_t  online;
    uint8_t  blocked;
    uint8_t  running;
    uint64_aligned_t cpu_time;
    uint32_t cpu;
};

/*
 * XEN_DOMCTL_setnodeaffinity / getnodeaffinity: NUMA nodes to allocate the
 * domain's memory from.
 */
struct xen_domctl_nodeaffinity {
    struct xenctl_bitmap nodemap;
};

/*
 * XEN_DOMCTL_setvcpuaffinity / getvcpuaffinity: physical CPUs vcpu may
 * (hard) and prefers to (soft) run on. set writes the effective maps back.
 *   IN  vcpu, flags (which maps), the maps
 *   OUT the maps
 */
struct xen_domctl_vcpuaffinity {
    uint32_t vcpu;
#define _XEN_VCPUAFFINITY_HARD  0
#define XEN_VCPUAFFINITY_HARD   (1U << _XEN_VCPUAFFINITY_HARD)
#define _XEN_VCPUAFFINITY_SOFT  1
#define XEN_VCPUAFFINITY_SOFT   (1U << _XEN_VCPUAFFINITY_SOFT)
#define _XEN_VCPUAFFINITY_FORCE 2
#define XEN_VCPUAFFINITY_FORCE  (1U << _XEN_VCPUAFFINITY_FORCE)
    uint32_t flags;
    struct xenctl_bitmap cpumap_hard;
    struct xenctl_bitmap cpumap_soft;
};

/*
 * XEN_DOMCTL_max_vcpus: allocate the domain's vCPUs (once, up to
 * createdomain's max_vcpus).
 *   IN  max
 */
struct xen_domctl_max_vcpus {
    uint32_t max;
};

/* Scheduler ids (sched_id fields, XEN_SYSCTL_sched_id). */
#define XEN_SCHEDULER_CREDIT   5
#define XEN_SCHEDULER_CREDIT2  6
#define XEN_SCHEDULER_ARINC653 7
#define XEN_SCHEDULER_RTDS     8
#define XEN_SCHEDULER_NULL     9

/* Per-domain parameters of the credit schedulers. */
struct xen_domctl_sched_credit {
    uint16_t weight;    /* relative share (default 256) */
    uint16_t cap;       /* max % of one CPU, 0 = uncapped */
};

struct xen_domctl_sched_credit2 {
    uint16_t weight;
    uint16_t cap;
};

/* Real-time deferrable server: budget us every period us. */
struct xen_domctl_sched_rtds {
    uint32_t period;
    uint32_t budget;
#define _XEN_DOMCTL_SCHEDRT_extra 0
#define XEN_DOMCTL_SCHEDRT_extra  (1U << _XEN_DOMCTL_SCHEDRT_extra)
    uint32_t flags;
};

/* One vCPU's parameters for the per-vCPU scheduler_op commands. */
typedef struct xen_domctl_schedparam_vcpu {
    union {
        struct xen_domctl_sched_credit  credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds    rtds;
    } u;
    uint32_t vcpuid;
} xen_domctl_schedparam_vcpu_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_schedparam_vcpu_t);

/*
 * XEN_DOMCTL_scheduler_op: read or change a domain's scheduling parameters.
 *   IN  sched_id (must be the domain's scheduler, else XEN_EINVAL), cmd,
 *       u (putinfo: the scheduler's member; *vcpuinfo: u.v)
 *   OUT u (getinfo), u.v.vcpus contents and u.v.nr_vcpus (getvcpuinfo)
 */
#define XEN_DOMCTL_SCHEDOP_putinfo     0
#define XEN_DOMCTL_SCHEDOP_getinfo     1
#define XEN_DOMCTL_SCHEDOP_putvcpuinfo 2
#define XEN_DOMCTL_SCHEDOP_getvcpuinfo 3
struct xen_domctl_scheduler_op {
    uint32_t sched_id;  /* XEN_SCHEDULER_* */
    uint32_t cmd;       /* XEN_DOMCTL_SCHEDOP_* */
    union {
        struct xen_domctl_sched_credit  credit;
        struct xen_domctl_sched_credit2 credit2;
        struct xen_domctl_sched_rtds    rtds;
        struct {
            XEN_GUEST_HANDLE_64(xen_domctl_schedparam_vcpu_t) vcpus;
            uint32_t nr_vcpus;  /* entries in vcpus (in), processed (out) */
            uint32_t padding;
        } v;
    } u;
};

/* XEN_DOMCTL_setdomainhandle: replace the domain's UUID.  IN handle */
struct xen_domctl_setdomainhandle {
    xen_domain_handle_t handle;
};

/* XEN_DOMCTL_setdebugging: mark the domain debugged.  IN enable (0/1) */
struct xen_domctl_setdebugging {
    uint8_t enable;
};

/*
 * XEN_DOMCTL_irq_permission / iomem_permission / ioport_permission: grant
 * or revoke the domain's right to a physical IRQ, MMIO frames or I/O ports.
 *   IN  the range, allow_access (1 grant, 0 revoke)
 */
struct xen_domctl_irq_permission {
    uint32_t pirq;
    uint8_t  allow_access;
    uint8_t  pad[3];
};

struct xen_domctl_iomem_permission {
    uint64_aligned_t first_mfn;
    uint64_aligned_t nr_mfns;
    uint8_t  allow_access;
};

struct xen_domctl_ioport_permission {
    uint32_t first_port;
    uint32_t nr_ports;
    uint8_t  allow_access;
};

/* XEN_DOMCTL_hypercall_init: write the hypercall page into frame gmfn. */
struct xen_domctl_hypercall_init {
    uint64_aligned_t gmfn;
};

/*
 * XEN_DOMCTL_settimeoffset: the domain's wallclock offset from the
 * hypervisor's, in seconds (what its shared_info wallclock shows).
 *   IN  time_offset_seconds
 */
struct xen_domctl_settimeoffset {
    int64_aligned_t time_offset_seconds;
};

/*
 * XEN_DOMCTL_settscinfo / gettscinfo: how the domain sees the TSC.
 *   IN/OUT tsc_mode (0 default, 1 always emulate, 2 never emulate, 3 never
 *          emulate and offer TSC_AUX),
 *          gtsc_khz (guest TSC frequency), incarnation (bumped on each
 *          migration), elapsed_nsec (for restore)
 */
struct xen_domctl_tsc_info {
    uint32_t tsc_mode;
    uint32_t gtsc_khz;
    uint32_t incarnation;
    uint32_t pad;
    uint64_aligned_t elapsed_nsec;
};

/*
 * XEN_DOMCTL_gethvmcontext / sethvmcontext: an HVM domain's saved state
 * records. A get with a null buffer returns the needed size.
 *   IN  size, buffer   OUT size
 */
struct xen_domctl_hvmcontext {
    uint32_t size;
    XEN_GUEST_HANDLE_64(uint8) buffer;
};

/* XEN_DOMCTL_set_address_size / get_address_size: PV guest width, bits. */
struct xen_domctl_address_size {
    uint32_t size;
};

/*
 * XEN_DOMCTL_sendtrigger: inject a virtual platform event.
 *   IN  trigger (XEN_DOMCTL_SENDTRIGGER_*), vcpu
 */
#define XEN_DOMCTL_SENDTRIGGER_NMI   0
#define XEN_DOMCTL_SENDTRIGGER_RESET 1
#define XEN_DOMCTL_SENDTRIGGER_INIT  2
#define XEN_DOMCTL_SENDTRIGGER_POWER 3
#define XEN_DOMCTL_SENDTRIGGER_SLEEP 4
struct xen_domctl_sendtrigger {
    uint32_t trigger;
    uint32_t vcpu;
};

/*
 * XEN_DOMCTL_set_target: let the domain act on target as if privileged
 * for it (a device-model stub domain).  IN target
 */
struct xen_domctl_set_target {
    domid_t target;
};

/*
 * XEN_DOMCTL_subscribe: the local port in the control domain notified
 * when this domain suspends.  IN port
 */
struct xen_domctl_subscribe {
    uint32_t port;
};

/*
 * XEN_DOMCTL_set_virq_handler: make the domain the receiver of a global
 * VIRQ (e.g. VIRQ_DOM_EXC for a toolstack domain).  IN virq
 */
struct xen_domctl_set_virq_handler {
    uint32_t virq;
};

/*
 * XEN_DOMCTL_get_cpu_policy / set_cpu_policy: the domain's CPUID leaves and
 * MSRs. On a rejected set, err_* name the offending entry.
 *   IN  nr_leaves, nr_msrs, leaves, msrs
 *   OUT nr_* (entries used/needed), err_leaf, err_subleaf, err_msr
 */
#define XEN_CPUID_INPUT_UNUSED 0xFFFFFFFF
struct xen_domctl_cpu_policy {
    uint32_t nr_leaves;
    uint32_t nr_msrs;
    XEN_GUEST_HANDLE_64(xen_cpuid_leaf_t) leaves;
    XEN_GUEST_HANDLE_64(xen_msr_entry_t)  msrs;
    uint32_t err_leaf, err_subleaf, err_msr;
};
typedef struct xen_domctl_cpu_policy xen_domctl_cpu_policy_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_cpu_policy_t);

/*
 * XEN_DOMCTL_get_paging_mempool_size / set_...: bytes reserved for the
 * domain's second-level page tables.  IN/OUT size
 */
struct xen_domctl_paging_mempool {
    uint64_aligned_t size;
};

/*
 * The hypercall argument. cmd selects the sub-operation and the member of
 * u that carries its arguments; domain is the target domain.
 */
struct xen_domctl {
    uint32_t cmd;
#define XEN_DOMCTL_createdomain                1
#define XEN_DOMCTL_destroydomain               2  /* no arguments */
#define XEN_DOMCTL_pausedomain                 3  /* no arguments */
#define XEN_DOMCTL_unpausedomain               4  /* no arguments */
#define XEN_DOMCTL_getdomaininfo               5
#define XEN_DOMCTL_setvcpuaffinity             9
#define XEN_DOMCTL_shadow_op                   10
#define XEN_DOMCTL_max_mem                     11
#define XEN_DOMCTL_setvcpucontext              12
#define XEN_DOMCTL_getvcpucontext              13
#define XEN_DOMCTL_getvcpuinfo                 14
#define XEN_DOMCTL_max_vcpus                   15
#define XEN_DOMCTL_scheduler_op                16
#define XEN_DOMCTL_setdomainhandle             17
#define XEN_DOMCTL_setdebugging                18
#define XEN_DOMCTL_irq_permission              19
#define XEN_DOMCTL_iomem_permission            20
#define XEN_DOMCTL_ioport_permission           21
#define XEN_DOMCTL_hypercall_init              22
#define XEN_DOMCTL_settimeoffset               24
#define XEN_DOMCTL_getvcpuaffinity             25
#define XEN_DOMCTL_real_mode_area              26  /* obsolete */
#define XEN_DOMCTL_resumedomain                27  /* no arguments */
#define XEN_DOMCTL_sendtrigger                 28
#define XEN_DOMCTL_subscribe                   29
#define XEN_DOMCTL_gethvmcontext               33
#define XEN_DOMCTL_sethvmcontext               34
#define XEN_DOMCTL_set_address_size            35
#define XEN_DOMCTL_get_address_size            36
#define XEN_DOMCTL_assign_device               37
#define XEN_DOMCTL_bind_pt_irq                 38
#define XEN_DOMCTL_memory_mapping              39
#define XEN_DOMCTL_ioport_mapping              40
#define XEN_DOMCTL_set_ext_vcpucontext         42
#define XEN_DOMCTL_get_ext_vcpucontext         43
#define XEN_DOMCTL_set_opt_feature             44  /* obsolete */
#define XEN_DOMCTL_test_assign_device          45
#define XEN_DOMCTL_set_target                  46
#define XEN_DOMCTL_deassign_device             47
#define XEN_DOMCTL_unbind_pt_irq               48
#define XEN_DOMCTL_get_device_group            50
#define XEN_DOMCTL_debug_op                    54
#define XEN_DOMCTL_gethvmcontext_partial       55
#define XEN_DOMCTL_vm_event_op                 56
#define XEN_DOMCTL_mem_sharing_op              57
#define XEN_DOMCTL_gettscinfo                  59
#define XEN_DOMCTL_settscinfo                  60
#define XEN_DOMCTL_getpageframeinfo3           61
#define XEN_DOMCTL_setvcpuextstate             62
#define XEN_DOMCTL_getvcpuextstate             63
#define XEN_DOMCTL_set_access_required         64
#define XEN_DOMCTL_audit_p2m                   65
#define XEN_DOMCTL_set_virq_handler            66
#define XEN_DOMCTL_set_broken_page_p2m         67
#define XEN_DOMCTL_setnodeaffinity             68
#define XEN_DOMCTL_getnodeaffinity             69
#define XEN_DOMCTL_cacheflush                  71
#define XEN_DOMCTL_get_vcpu_msrs               72
#define XEN_DOMCTL_set_vcpu_msrs               73
#define XEN_DOMCTL_setvnumainfo                74
#define XEN_DOMCTL_psr_cmt_op                  75
#define XEN_DOMCTL_monitor_op                  77
#define XEN_DOMCTL_psr_alloc                   78
#define XEN_DOMCTL_soft_reset                  79  /* no arguments */
#define XEN_DOMCTL_vuart_op                    81
#define XEN_DOMCTL_get_cpu_policy              82
#define XEN_DOMCTL_set_cpu_policy              83
#define XEN_DOMCTL_vmtrace_op                  84
#define XEN_DOMCTL_get_paging_mempool_size     85
#define XEN_DOMCTL_set_paging_mempool_size     86
#define XEN_DOMCTL_gdbsx_guestmemio            1000
#define XEN_DOMCTL_gdbsx_pausevcpu             1001
#define XEN_DOMCTL_gdbsx_unpausevcpu           1002
#define XEN_DOMCTL_gdbsx_domstatus             1003
    uint32_t interface_version;     /* XEN_DOMCTL_INTERFACE_VERSION */
    domid_t  domain;
    uint16_t _pad[3];
    union {
        struct xen_domctl_createdomain      createdomain;
        struct xen_domctl_getdomaininfo     getdomaininfo;
        struct xen_domctl_nodeaffinity      nodeaffinity;
        struct xen_domctl_vcpuaffinity      vcpuaffinity;
        struct xen_domctl_shadow_op         shadow_op;
        struct xen_domctl_max_mem           max_mem;
        struct xen_domctl_vcpucontext       vcpucontext;
        struct xen_domctl_getvcpuinfo       getvcpuinfo;
        struct xen_domctl_max_vcpus         max_vcpus;
        struct xen_domctl_scheduler_op      scheduler_op;
        struct xen_domctl_setdomainhandle   setdomainhandle;
        struct xen_domctl_setdebugging      setdebugging;
        struct xen_domctl_irq_permission    irq_permission;
        struct xen_domctl_iomem_permission  iomem_permission;
        struct xen_domctl_ioport_permission ioport_permission;
        struct xen_domctl_hypercall_init    hypercall_init;
        struct xen_domctl_settimeoffset     settimeoffset;
        struct xen_domctl_tsc_info          tsc_info;
        struct xen_domctl_hvmcontext        hvmcontext;
        struct xen_domctl_address_size      address_size;
        struct xen_domctl_sendtrigger       sendtrigger;
        struct xen_domctl_set_target        set_target;
        struct xen_domctl_subscribe         subscribe;
        struct xen_domctl_cpu_policy        cpu_policy;
        struct xen_domctl_set_virq_handler  set_virq_handler;
        struct xen_domctl_paging_mempool    paging_mempool;
        uint8_t pad[128];                   /* fixes the size for all ops */
    } u;
};
typedef struct xen_domctl xen_domctl_t;
DEFINE_XEN_GUEST_HANDLE(xen_domctl_t);

#endif /* !__ASSEMBLY__ */

#endif
