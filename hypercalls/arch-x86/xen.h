/* SPDX-License-Identifier: MIT */
/*
 * x86 parts of the guest ABI shared by all x86 guests: guest handles, frame
 * and word types, trap tables, the PV vCPU context, arch_shared_info and
 * the domain-creation flags for emulated devices. x86_64 register layouts
 * are in arch-x86/xen-x86_64.h.
 */
#include "../xen.h"

#ifndef XENLIKE_PUB_ARCH_X86_XEN_H
#define XENLIKE_PUB_ARCH_X86_XEN_H

/*
 * Guest handles. Every pointer a guest passes inside a hypercall argument is
 * wrapped in a one-member struct, so a handle to T is a distinct type from
 * a handle to U and the width is fixed at 8 bytes on x86_64.
 * DEFINE_XEN_GUEST_HANDLE(T) declares __guest_handle_T and
 * __guest_handle_const_T; XEN_GUEST_HANDLE(T) names the first.
 */
#define ___DEFINE_XEN_GUEST_HANDLE(name, type) \
    typedef struct { type *p; } __guest_handle_ ## name
#define __DEFINE_XEN_GUEST_HANDLE(name, type)        \
    ___DEFINE_XEN_GUEST_HANDLE(name, type);          \
    ___DEFINE_XEN_GUEST_HANDLE(const_ ## name, const type)
#define DEFINE_XEN_GUEST_HANDLE(name)   __DEFINE_XEN_GUEST_HANDLE(name, name)
#define __XEN_GUEST_HANDLE(name)        __guest_handle_ ## name
#define XEN_GUEST_HANDLE(name)          __XEN_GUEST_HANDLE(name)
#define XEN_GUEST_HANDLE_PARAM(name)    XEN_GUEST_HANDLE(name)
#define set_xen_guest_handle_raw(hnd, val)  do { (hnd).p = (val); } while (0)
#define set_xen_guest_handle(hnd, val)      set_xen_guest_handle_raw(hnd, val)

#include "xen-x86_64.h"

#ifndef __ASSEMBLY__
/* A guest frame number: machine frame for PV, guest-physical for PVH/HVM. */
typedef unsigned long xen_pfn_t;
#define PRI_xen_pfn  "lx"
#define PRIu_xen_pfn "lu"
#endif

/* This architecture has the PV start_info entry and the upcall mask. */
#define XEN_HAVE_PV_GUEST_ENTRY 1
#define XEN_HAVE_PV_UPCALL_MASK 1

/* GDT pages 14 and 15 of a PV guest belong to the hypervisor. */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* vcpu_info slots embedded in shared_info; later vCPUs register their own. */
#define XEN_LEGACY_MAX_VCPUS 32

#ifndef __ASSEMBLY__

/* The natural word of the ABI (bitmap words, multicall arguments). */
typedef unsigned long xen_ulong_t;
#define PRI_xen_ulong "lx"

/*
 * HYPERVISOR_set_trap_table: one virtual IDT entry. flags bits 0-1 are the
 * lowest privilege level allowed to raise the vector with INT n; bit 2 set
 * means events are masked on delivery (an interrupt gate).
 */
#define TI_GET_DPL(_ti)       ((_ti)->flags & 3)
#define TI_GET_IF(_ti)        ((_ti)->flags & 4)
#define TI_SET_DPL(_ti, _dpl) ((_ti)->flags |= (_dpl))
#define TI_SET_IF(_ti, _if)   ((_ti)->flags |= ((!!(_if)) << 2))
struct trap_info {
    uint8_t       vector;   /* exception or interrupt vector */
    uint8_t       flags;    /* DPL and IF, see TI_* */
    uint16_t      cs;       /* code selector of the handler */
    unsigned long address;  /* handler entry point */
};
typedef struct trap_info trap_info_t;
DEFINE_XEN_GUEST_HANDLE(trap_info_t);

typedef uint64_t tsc_timestamp_t;

/*
 * The complete state of a PV vCPU: read by XEN_DOMCTL_getvcpucontext, written
 * by XEN_DOMCTL_setvcpucontext and VCPUOP_initialise. For PVH/HVM vCPUs only
 * a few fields are meaningful (the HVM context uses its own records).
 */
struct vcpu_guest_context {
    struct { char x[512]; } fpu_ctxt;   /* FXSAVE image */
#define VGCF_I387_VALID                (1 << 0)
#define VGCF_IN_KERNEL                 (1 << 2)
#define _VGCF_i387_valid               0
#define VGCF_i387_valid                (1 << _VGCF_i387_valid)  /* fpu_ctxt valid */
#define _VGCF_in_kernel                2
#define VGCF_in_kernel                 (1 << _VGCF_in_kernel)   /* guest kernel mode */
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events  (1 << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events  4
#define VGCF_syscall_disables_events   (1 << _VGCF_syscall_disables_events)
#define _VGCF_online                   5
#define VGCF_online                    (1 << _VGCF_online)      /* vCPU runnable */
    unsigned long flags;                /* VGCF_* */
    struct cpu_user_regs user_regs;
    struct trap_info trap_ctxt[256];    /* virtual IDT */
    unsigned long ldt_base, ldt_ents;   /* LDT linear address and entry count */
    unsigned long gdt_frames[16], gdt_ents;
    unsigned long kernel_ss, kernel_sp; /* stack for ring transitions */
    unsigned long ctrlreg[8];           /* CR3 as xen_pfn_to_cr3(), others ignored */
    unsigned long debugreg[8];
    unsigned long event_callback_eip;   /* upcall entry point */
    unsigned long failsafe_callback_eip;/* entry when a frame reload faults */
    unsigned long syscall_callback_eip; /* SYSCALL from guest user mode */
    unsigned long vm_assist;            /* VMASST_TYPE_* bitmap */
    uint64_t fs_base;
    uint64_t gs_base_kernel;
    uint64_t gs_base_user;
};
typedef struct vcpu_guest_context vcpu_guest_context_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_guest_context_t);

/* The architectural tail of shared_info. */
struct arch_shared_info {
    /* Highest guest pfn + 1; the p2m list below covers this many frames. */
    unsigned long max_pfn;
    /* Frame of the list of frames of the list of p2m frames (PV save/restore). */
    xen_pfn_t     pfn_to_mfn_frame_list_list;
    unsigned long nmi_reason;
    /* Virtually mapped p2m (SIF_VIRT_P2M_4TOOLS): page table and address. */
    unsigned long p2m_cr3;
    unsigned long p2m_vaddr;
    /* Odd while the guest is changing the p2m; bumped on every change. */
    unsigned long p2m_generation;
};
typedef struct arch_shared_info arch_shared_info_t;

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* XEN_DOMCTL_createdomain: which devices the hypervisor emulates. */
struct xen_arch_domainconfig {
#define _XEN_X86_EMU_LAPIC     0
#define XEN_X86_EMU_LAPIC      (1U << _XEN_X86_EMU_LAPIC)
#define _XEN_X86_EMU_HPET      1
#define XEN_X86_EMU_HPET       (1U << _XEN_X86_EMU_HPET)
#define _XEN_X86_EMU_PM        2
#define XEN_X86_EMU_PM         (1U << _XEN_X86_EMU_PM)
#define _XEN_X86_EMU_RTC       3
#define XEN_X86_EMU_RTC        (1U << _XEN_X86_EMU_RTC)
#define _XEN_X86_EMU_IOAPIC    4
#define XEN_X86_EMU_IOAPIC     (1U << _XEN_X86_EMU_IOAPIC)
#define _XEN_X86_EMU_PIC       5
#define XEN_X86_EMU_PIC        (1U << _XEN_X86_EMU_PIC)
#define _XEN_X86_EMU_VGA       6
#define XEN_X86_EMU_VGA        (1U << _XEN_X86_EMU_VGA)
#define _XEN_X86_EMU_IOMMU     7
#define XEN_X86_EMU_IOMMU      (1U << _XEN_X86_EMU_IOMMU)
#define _XEN_X86_EMU_PIT       8
#define XEN_X86_EMU_PIT        (1U << _XEN_X86_EMU_PIT)
#define _XEN_X86_EMU_USE_PIRQ  9
#define XEN_X86_EMU_USE_PIRQ   (1U << _XEN_X86_EMU_USE_PIRQ)
#define _XEN_X86_EMU_VPCI      10
#define XEN_X86_EMU_VPCI       (1U << _XEN_X86_EMU_VPCI)
#define XEN_X86_EMU_ALL (XEN_X86_EMU_LAPIC | XEN_X86_EMU_HPET | XEN_X86_EMU_PM |  \
                         XEN_X86_EMU_RTC | XEN_X86_EMU_IOAPIC | XEN_X86_EMU_PIC | \
                         XEN_X86_EMU_VGA | XEN_X86_EMU_IOMMU | XEN_X86_EMU_PIT |  \
                         XEN_X86_EMU_USE_PIRQ | XEN_X86_EMU_VPCI)
    uint32_t emulation_flags;           /* XEN_X86_EMU_*; PVH sets none or LAPIC */
/* Unhandled MSR reads return 0 and writes are dropped instead of #GP. */
#define XEN_X86_MSR_RELAXED (1u << 0)
    uint32_t misc_flags;
};
#define XEN_X86_MISC_FLAGS_MAX XEN_X86_MSR_RELAXED
#endif

/* One CPUID leaf of a domain's policy. */
typedef struct xen_cpuid_leaf {
#define XEN_CPUID_NO_SUBLEAF 0xffffffffu
    uint32_t leaf, subleaf;
    uint32_t a, b, c, d;
} xen_cpuid_leaf_t;
DEFINE_XEN_GUEST_HANDLE(xen_cpuid_leaf_t);

/* One MSR of a domain's policy. */
typedef struct xen_msr_entry {
    uint32_t idx;
    uint32_t flags;     /* reserved, zero */
    uint64_t val;
} xen_msr_entry_t;
DEFINE_XEN_GUEST_HANDLE(xen_msr_entry_t);

#endif /* !__ASSEMBLY__ */

/*
 * Forced emulation: a PV guest prefixes CPUID with ud2 + "xen" to get the
 * hypervisor's filtered view of CPUID.
 */
#ifdef __ASSEMBLY__
#define XEN_EMULATE_PREFIX .byte 0x0f,0x0b,0x78,0x65,0x6e ;
#define XEN_CPUID          XEN_EMULATE_PREFIX cpuid
#else
#define XEN_EMULATE_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "
#define XEN_CPUID          XEN_EMULATE_PREFIX "cpuid"
#endif

/* Bytes written to this port by an HVM/PVH guest go to the debug console. */
#define XEN_HVM_DEBUGCONS_IOPORT 0xe9

#endif
