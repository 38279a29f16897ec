/* SPDX-License-Identifier: MIT */
/*
 * x86_64-only parts of the guest ABI: the flat segment selectors a PV guest
 * runs on, the hypervisor's reserved virtual range, the register frame saved
 * on entry (cpu_user_regs) and the per-vCPU architectural extras.
 * Normally reached through xen.h.
 */
#include "xen.h"

#ifndef XENLIKE_PUB_ARCH_X86_XEN_X86_64_H
#define XENLIKE_PUB_ARCH_X86_XEN_X86_64_H

/*
 * Selectors of the flat segments Xen installs in every PV guest's GDT.
 * A 64-bit PV kernel runs in ring 3, so kernel and user share them.
 */
#define FLAT_RING3_CS32   0xe023  /* 32-bit compatibility code */
#define FLAT_RING3_CS64   0xe033  /* 64-bit code */
#define FLAT_RING3_DS32   0xe02b
#define FLAT_RING3_DS64   0x0000  /* null selector: data is flat in long mode */
#define FLAT_RING3_SS32   0xe02b
#define FLAT_RING3_SS64   0xe02b

#define FLAT_KERNEL_CS64  FLAT_RING3_CS64
#define FLAT_KERNEL_CS32  FLAT_RING3_CS32
#define FLAT_KERNEL_CS    FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS64  FLAT_RING3_DS64
#define FLAT_KERNEL_DS32  FLAT_RING3_DS32
#define FLAT_KERNEL_DS    FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS64  FLAT_RING3_SS64
#define FLAT_KERNEL_SS32  FLAT_RING3_SS32
#define FLAT_KERNEL_SS    FLAT_KERNEL_SS64
#define FLAT_USER_CS64    FLAT_RING3_CS64
#define FLAT_USER_CS32    FLAT_RING3_CS32
#define FLAT_USER_CS      FLAT_USER_CS64
#define FLAT_USER_DS64    FLAT_RING3_DS64
#define FLAT_USER_DS32    FLAT_RING3_DS32
#define FLAT_USER_DS      FLAT_USER_DS64
#define FLAT_USER_SS64    FLAT_RING3_SS64
#define FLAT_USER_SS32    FLAT_RING3_SS32
#define FLAT_USER_SS      FLAT_USER_SS64

/*
 * The hypervisor owns [VIRT_START, VIRT_END) of every PV address space; the
 * read-only machine-to-physical table sits at the bottom of that hole.
 */
#define __HYPERVISOR_VIRT_START 0xFFFF800000000000
#define __HYPERVISOR_VIRT_END   0xFFFF880000000000
#define __MACH2PHYS_VIRT_START  0xFFFF800000000000
#define __MACH2PHYS_VIRT_END    0xFFFF804000000000

#ifndef HYPERVISOR_VIRT_START
#define HYPERVISOR_VIRT_START   xen_mk_ulong(__HYPERVISOR_VIRT_START)
#define HYPERVISOR_VIRT_END     xen_mk_ulong(__HYPERVISOR_VIRT_END)
#endif
#define MACH2PHYS_VIRT_START    xen_mk_ulong(__MACH2PHYS_VIRT_START)
#define MACH2PHYS_VIRT_END      xen_mk_ulong(__MACH2PHYS_VIRT_END)
/* One 8-byte entry per machine frame. */
#define MACH2PHYS_NR_ENTRIES    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* HYPERVISOR_set_segment_base(which, base): which segment base to load. */
#define SEGBASE_FS           0  /* FS base */
#define SEGBASE_GS_USER      1  /* GS base while in guest user mode */
#define SEGBASE_GS_KERNEL    2  /* GS base while in guest kernel mode */
#define SEGBASE_GS_USER_SEL  3  /* load the user GS selector (base = selector) */

/*
 * HYPERVISOR_iret: the frame a 64-bit PV guest pushes before the call. When
 * VGCF_in_syscall is set in flags, the return is SYSRET-like: rcx and r11
 * are not restored from the frame.
 */
#define _VGCF_in_syscall  8
#define VGCF_in_syscall   (1 << _VGCF_in_syscall)
#define VGCF_IN_SYSCALL   VGCF_in_syscall

#ifndef __ASSEMBLY__

struct iret_context {
    /* Top of the guest stack at the hypercall. */
    uint64_t rax, r11, rcx, flags, rip, cs, rflags, rsp, ss;
};

/*
 * The guest's general registers as saved on entry to the hypervisor (part
 * of vcpu_guest_context). Selector slots are padded to 8 bytes.
 */
struct cpu_user_regs {
    uint64_t r15;
    uint64_t r14;
    uint64_t r13;
    uint64_t r12;
    uint64_t rbp;
    uint64_t rbx;
    uint64_t r11;
    uint64_t r10;
    uint64_t r9;
    uint64_t r8;
    uint64_t rax;
    uint64_t rcx;
    uint64_t rdx;
    uint64_t rsi;
    uint64_t rdi;
    uint32_t error_code;        /* exception error code, if any */
    uint32_t entry_vector;      /* hypervisor use only */
    uint64_t rip;
    uint16_t cs, _pad0[1];
    uint8_t  saved_upcall_mask; /* event mask to restore on iret */
    uint8_t  _pad1[3];
    uint64_t rflags;            /* IF is ignored: the upcall mask rules */
    uint64_t rsp;
    uint16_t ss, _pad2[3];
    uint16_t es, _pad3[3];
    uint16_t ds, _pad4[3];
    uint16_t fs, _pad5[3];
    uint16_t gs, _pad6[3];
};
typedef struct cpu_user_regs cpu_user_regs_t;
DEFINE_XEN_GUEST_HANDLE(cpu_user_regs_t);

/* Page-table base register <-> frame number (no PCID bits in the ABI). */
#define xen_pfn_to_cr3(pfn) ((unsigned long)(pfn) << 12)
#define xen_cr3_to_pfn(cr3) ((unsigned long)(cr3) >> 12)

/* Per-vCPU architectural state in vcpu_info. */
struct arch_vcpu_info {
    unsigned long cr2;   /* faulting address of the last #PF (PV) */
    unsigned long pad;
};
typedef struct arch_vcpu_info arch_vcpu_info_t;

/* A PV callback is just a code address on x86_64. */
typedef unsigned long xen_callback_t;

#endif /* !__ASSEMBLY__ */

#endif
