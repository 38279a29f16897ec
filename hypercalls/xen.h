/* SPDX-License-Identifier: MIT */
/*
 * The core of the guest ABI: hypercall numbers (expanded from
 * hypercall-table.h), virtual IRQs, PV memory-management commands, domain
 * ids, and the pages the hypervisor shares with every guest (shared_info,
 * vcpu_info) or hands a PV guest at boot (start_info). Sub-operation
 * structures of the larger hypercalls live in their own headers.
 */
#ifndef XENLIKE_PUB_XEN_H
#define XENLIKE_PUB_XEN_H

#include "xen-compat.h"
#include "hypercall-table.h"

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

#include "arch-x86/xen.h"

/* ------------------------------------------------------------------------
 * Helpers for constants and variable-length arrays.
 */
#ifndef __ASSEMBLY__

DEFINE_XEN_GUEST_HANDLE(char);
__DEFINE_XEN_GUEST_HANDLE(uchar, unsigned char);
DEFINE_XEN_GUEST_HANDLE(int);
__DEFINE_XEN_GUEST_HANDLE(uint, unsigned int);
DEFINE_XEN_GUEST_HANDLE(void);
DEFINE_XEN_GUEST_HANDLE(uint64_t);
DEFINE_XEN_GUEST_HANDLE(xen_pfn_t);
DEFINE_XEN_GUEST_HANDLE(xen_ulong_t);

/* A trailing array whose length a sibling field gives (C99 flexible). */
#define XEN_FLEX_ARRAY_DIM

#define __xen_mk_uint(x)  x ## U
#define __xen_mk_ulong(x) x ## UL
#ifndef __xen_mk_ullong
#define __xen_mk_ullong(x) x ## ULL
#endif
#define xen_mk_uint(x)   __xen_mk_uint(x)
#define xen_mk_ulong(x)  __xen_mk_ulong(x)
#define xen_mk_ullong(x) __xen_mk_ullong(x)

#else

#define xen_mk_uint(x)   x
#define xen_mk_ulong(x)  x
#define xen_mk_ullong(x) x

#endif /* !__ASSEMBLY__ */

/* ------------------------------------------------------------------------
 * Hypercall numbers: __HYPERVISOR_<name>, one per hypercall-table.h entry.
 * A hypercall is `call hypercall_page + nr * 32` with arguments in rdi, rsi,
 * rdx, r10, r8 and the result in rax (negative XEN_E* on failure).
 */
#ifndef __ASSEMBLY__
#define XEN_HYPERCALL_ENUMERATOR(nr, name, access) __HYPERVISOR_ ## name = (nr),
enum xen_hypercall_nr {
    XEN_HYPERCALL_TABLE(XEN_HYPERCALL_ENUMERATOR)
};
#undef XEN_HYPERCALL_ENUMERATOR
#else
#define XEN_HYPERCALL_EQU(nr, name, access) .equ __HYPERVISOR_ ## name, nr ;
XEN_HYPERCALL_TABLE(XEN_HYPERCALL_EQU)
#undef XEN_HYPERCALL_EQU
#endif

/* ------------------------------------------------------------------------
 * Virtual IRQs: events the hypervisor raises, bound to a port with
 * EVTCHNOP_bind_virq. Global VIRQs may be bound by one vCPU of one domain
 * at a time; per-vCPU VIRQs (TIMER, DEBUG, XENOPROF) on every vCPU.
 */
#define VIRQ_TIMER      0   /* per-vCPU: the set_timer_op deadline passed */
#define VIRQ_DEBUG      1   /* per-vCPU: debug-key request to dump state */
#define VIRQ_CONSOLE    2   /* global: console input for the control domain */
#define VIRQ_DOM_EXC    3   /* global: a domain died or crashed (toolstack) */
#define VIRQ_TBUF       4   /* global: trace buffers need draining */
#define VIRQ_DEBUGGER   6   /* global: a debugged domain paused */
#define VIRQ_XENOPROF   7   /* per-vCPU: profiling samples ready */
#define VIRQ_CON_RING   8   /* global: new bytes in the hypervisor log ring */
#define VIRQ_PCPU_STATE 9   /* global: a physical CPU went on/offline */
#define VIRQ_MEM_EVENT  10  /* global: a VM event is waiting */
#define VIRQ_ARGO       11  /* global: an Argo message arrived */
#define VIRQ_ENOMEM     12  /* global: the hypervisor ran low on memory */
#define VIRQ_XENPMU     13  /* per-vCPU: PMU interrupt */
#define VIRQ_ARCH_0     16  /* 16-23 are architecture-specific */
#define VIRQ_ARCH_1     17
#define VIRQ_ARCH_2     18
#define VIRQ_ARCH_3     19
#define VIRQ_ARCH_4     20
#define VIRQ_ARCH_5     21
#define VIRQ_ARCH_6     22
#define VIRQ_ARCH_7     23
#define NR_VIRQS        24

/* ------------------------------------------------------------------------
 * HYPERVISOR_mmu_update(reqs, count, done_out, foreigndom): the low 2 bits
 * of mmu_update.ptr select the command, the rest is a machine address.
 *   NORMAL_PT_UPDATE      write val into the page-table entry at ptr,
 *                         validating the new mapping
 *   MACHPHYS_UPDATE       set M2P[ptr >> PAGE_SHIFT] = val
 *   PT_UPDATE_PRESERVE_AD like NORMAL but keep the hardware A/D bits
 *   PT_UPDATE_NO_TRANSLATE ptr is a gfn-based address of the entry
 */
#define MMU_NORMAL_PT_UPDATE       0
#define MMU_MACHPHYS_UPDATE        1
#define MMU_PT_UPDATE_PRESERVE_AD  2
#define MMU_PT_UPDATE_NO_TRANSLATE 3

/*
 * HYPERVISOR_mmuext_op(ops, count, done_out, foreigndom): extended PV MMU
 * commands (mmuext_op.cmd). arg1 is an mfn for PIN/UNPIN/NEW_*BASEPTR/
 * CLEAR_PAGE/COPY_PAGE/MARK_SUPER, a linear address for INVLPG and SET_LDT.
 * arg2 is the LDT entry count (SET_LDT), the vCPU mask (*_MULTI) or the
 * source mfn (COPY_PAGE).
 */
#define MMUEXT_PIN_L1_TABLE       0   /* validate and pin as an L1 table */
#define MMUEXT_PIN_L2_TABLE       1
#define MMUEXT_PIN_L3_TABLE       2
#define MMUEXT_PIN_L4_TABLE       3
#define MMUEXT_UNPIN_TABLE        4   /* drop the pin taken above */
#define MMUEXT_NEW_BASEPTR        5   /* switch kernel page tables */
#define MMUEXT_TLB_FLUSH_LOCAL    6
#define MMUEXT_INVLPG_LOCAL       7
#define MMUEXT_TLB_FLUSH_MULTI    8
#define MMUEXT_INVLPG_MULTI       9
#define MMUEXT_TLB_FLUSH_ALL      10
#define MMUEXT_INVLPG_ALL         11
#define MMUEXT_FLUSH_CACHE        12
#define MMUEXT_SET_LDT            13
#define MMUEXT_NEW_USER_BASEPTR   15  /* switch user-mode page tables */
#define MMUEXT_CLEAR_PAGE         16
#define MMUEXT_COPY_PAGE          17
#define MMUEXT_FLUSH_CACHE_GLOBAL 18
#define MMUEXT_MARK_SUPER         19
#define MMUEXT_UNMARK_SUPER       20

#ifndef __ASSEMBLY__
struct mmuext_op {
    unsigned int cmd;                  /* MMUEXT_* */
    union {
        xen_pfn_t     mfn;
        unsigned long linear_addr;
    } arg1;
    union {
        unsigned int nr_ents;
        XEN_GUEST_HANDLE(const_void) vcpumask;
        xen_pfn_t src_mfn;
    } arg2;
};
typedef struct mmuext_op mmuext_op_t;
DEFINE_XEN_GUEST_HANDLE(mmuext_op_t);
#endif

/* HYPERVISOR_update_va_mapping flags: which TLB flush follows the update. */
#define UVMF_NONE           (xen_mk_ulong(0) << 0)
#define UVMF_TLB_FLUSH      (xen_mk_ulong(1) << 0)
#define UVMF_INVLPG         (xen_mk_ulong(2) << 0)
#define UVMF_FLUSHTYPE_MASK (xen_mk_ulong(3) << 0)
#define UVMF_MULTI          (xen_mk_ulong(0) << 2)  /* a vCPU-mask pointer is or'ed in */
#define UVMF_LOCAL          (xen_mk_ulong(0) << 2)
#define UVMF_ALL            (xen_mk_ulong(1) << 2)

/*
 * HYPERVISOR_console_io(cmd, count, buffer): write count bytes to, or read
 * up to count bytes from, the hypervisor console. Reading is for the
 * control domain; whether other domains may write is the hypervisor's policy.
 */
#define CONSOLEIO_write 0
#define CONSOLEIO_read  1

/*
 * HYPERVISOR_vm_assist(cmd, type): switch on/off an optional behaviour of
 * the hypervisor for the calling domain.
 */
#define VMASST_CMD_enable                 0
#define VMASST_CMD_disable                1
#define VMASST_TYPE_4gb_segments          0
#define VMASST_TYPE_4gb_segments_notify   1
#define VMASST_TYPE_writable_pagetables   2  /* trap-and-emulate PT writes */
#define VMASST_TYPE_pae_extended_cr3      3
#define VMASST_TYPE_architectural_iopl    4
#define VMASST_TYPE_runstate_update_flag  5  /* XEN_RUNSTATE_UPDATE in times */
#define VMASST_TYPE_m2p_strict            32

/* ------------------------------------------------------------------------
 * Domain ids. Ids from DOMID_FIRST_RESERVED up never name a real domain.
 */
#define DOMID_FIRST_RESERVED xen_mk_uint(0x7FF0)
#define DOMID_SELF    xen_mk_uint(0x7FF0) /* the calling domain */
#define DOMID_IO      xen_mk_uint(0x7FF1) /* owner of MMIO and I/O frames */
#define DOMID_XEN     xen_mk_uint(0x7FF2) /* owner of hypervisor frames */
#define DOMID_COW     xen_mk_uint(0x7FF3) /* owner of shared copy-on-write frames */
#define DOMID_INVALID xen_mk_uint(0x7FF4) /* "no domain" */
#define DOMID_IDLE    xen_mk_uint(0x7FFF) /* the idle domain */
#define DOMID_MASK    xen_mk_uint(0x7FFF)

#ifndef __ASSEMBLY__

typedef uint16_t domid_t;

/* One HYPERVISOR_mmu_update request (see MMU_* above). */
struct mmu_update {
    uint64_t ptr;   /* machine address of the PTE | MMU_* command */
    uint64_t val;   /* new contents */
};
typedef struct mmu_update mmu_update_t;
DEFINE_XEN_GUEST_HANDLE(mmu_update_t);

/*
 * HYPERVISOR_multicall(calls, nr): run several hypercalls in one trap. Each
 * entry's result is written back; the batch stops at the first preemption.
 */
struct multicall_entry {
    xen_ulong_t op;         /* IN: __HYPERVISOR_* */
    xen_ulong_t result;     /* OUT: that hypercall's return value */
    xen_ulong_t args[6];
};
typedef struct multicall_entry multicall_entry_t;
DEFINE_XEN_GUEST_HANDLE(multicall_entry_t);

/*
 * Time as the hypervisor publishes it for one vCPU. A reader samples
 * version, reads the fields, then re-reads version: if it changed or is odd,
 * the hypervisor was mid-update and the reader retries. Then
 *   now_ns = system_time + scale(rdtsc() - tsc_timestamp)
 * where scale shifts the delta by tsc_shift (left if positive, right if
 * negative), multiplies it by tsc_to_system_mul, a fraction with 32 bits
 * after the binary point, and drops those 32 bits.
 */
struct vcpu_time_info {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;     /* TSC at the last update */
    uint64_t system_time;       /* ns since boot at that TSC */
    uint32_t tsc_to_system_mul;
    int8_t   tsc_shift;
    uint8_t  flags;             /* XEN_PVCLOCK_* */
    uint8_t  pad1[2];
};
typedef struct vcpu_time_info vcpu_time_info_t;

#define XEN_PVCLOCK_TSC_STABLE_BIT (1 << 0)  /* TSC is synchronised across CPUs */
#define XEN_PVCLOCK_GUEST_STOPPED  (1 << 1)  /* the guest was paused */

/*
 * Per-vCPU event and time state, 64 bytes. The first XEN_LEGACY_MAX_VCPUS
 * live in shared_info; a guest may move any vCPU's to a page of its own
 * with VCPUOP_register_vcpu_info.
 *
 * Event delivery (2-level): the hypervisor sets the port's bit in
 * shared_info.evtchn_pending, then (if not masked) the port's word bit in
 * evtchn_pending_sel, then evtchn_upcall_pending, and raises the upcall
 * unless evtchn_upcall_mask is set. The guest clears in reverse order.
 */
struct vcpu_info {
    uint8_t evtchn_upcall_pending;  /* an upcall is due */
    uint8_t evtchn_upcall_mask;     /* PV: no upcalls while set (like IF=0) */
    xen_ulong_t evtchn_pending_sel; /* which evtchn_pending words to scan */
    struct arch_vcpu_info arch;
    vcpu_time_info_t time;
};
typedef struct vcpu_info vcpu_info_t;

/*
 * The shared-info page, one per domain, mapped by the guest with
 * XENMEM_add_to_physmap (XENMAPSPACE_shared_info) or found through
 * start_info.shared_info (PV).
 *
 * Wallclock: wc_sec/wc_nsec are the UTC time at system time 0; wc_version
 * works like vcpu_time_info.version. wc_sec_hi holds the upper 32 bits
 * of the seconds.
 */
struct shared_info {
    struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];
    xen_ulong_t evtchn_pending[sizeof(xen_ulong_t) * 8]; /* one bit per port */
    xen_ulong_t evtchn_mask[sizeof(xen_ulong_t) * 8];    /* set: don't notify */
    uint32_t wc_version;
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
#define xen_wc_sec_hi wc_sec_hi
    struct arch_shared_info arch;
};
typedef struct shared_info shared_info_t;

/*
 * What a PV guest finds at boot (rsi points at it). Everything the builder
 * set up is described here; addresses are guest virtual unless called
 * frames. magic is "xen-<version>-x86_64".
 */
struct start_info {
    char magic[32];
    unsigned long nr_pages;     /* total pages of the domain */
    unsigned long shared_info;  /* machine address of shared_info */
    uint32_t flags;             /* SIF_* */
    xen_pfn_t store_mfn;        /* xenstore ring frame */
    uint32_t store_evtchn;      /* xenstore event channel */
    union {
        struct {
            xen_pfn_t mfn;      /* console ring frame */
            uint32_t evtchn;    /* console event channel */
        } domU;
        struct {
            uint32_t info_off;  /* dom0_vga_console_info offset in this page */
            uint32_t info_size;
        } dom0;
    } console;
    unsigned long pt_base;      /* virtual address of the boot page tables */
    unsigned long nr_pt_frames; /* their number of frames */
    unsigned long mfn_list;     /* virtual address of the p2m array */
    unsigned long mod_start;    /* virtual address (pfn with SIF_MOD_START_PFN)
                                   of the initial ramdisk or module package */
    unsigned long mod_len;      /* its size in bytes */
#define MAX_GUEST_CMDLINE 1024
    int8_t cmd_line[MAX_GUEST_CMDLINE];
    /* Where the initial p2m is when the kernel asked for it not to be
     * mapped (XEN_ELFNOTE_INIT_P2M): its first pfn and frame count. */
    unsigned long first_p2m_pfn;
    unsigned long nr_p2m_frames;
};
typedef struct start_info start_info_t;

#endif /* !__ASSEMBLY__ */

/* start_info.flags */
#define SIF_PRIVILEGED      (1 << 0)  /* may use privileged operations */
#define SIF_INITDOMAIN      (1 << 1)  /* the initial control domain */
#define SIF_MULTIBOOT_MOD   (1 << 2)  /* mod_start is an xen_multiboot_mod_list */
#define SIF_MOD_START_PFN   (1 << 3)  /* mod_start is a pfn, not an address */
#define SIF_VIRT_P2M_4TOOLS (1 << 4)  /* the p2m is published virtually */
#define SIF_PM_MASK         (0xFF << 8) /* reserved for power management */

#ifndef __ASSEMBLY__

/*
 * With SIF_MULTIBOOT_MOD, the module at mod_start is a package of modules:
 * it starts with an array of these descriptors, ended by one whose
 * mod_start is 0. Addresses count from the start of the package.
 */
struct xen_multiboot_mod_list {
    uint32_t mod_start; /* first byte of the module */
    uint32_t mod_end;   /* last byte of the module (inclusive) */
    uint32_t cmdline;   /* its NUL-terminated command line */
    uint32_t pad;       /* zero */
};

/* The boot console the control domain inherits (start_info.console.dom0). */
typedef struct dom0_vga_console_info {
    uint8_t video_type;
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70
    union {
        struct {
            uint16_t font_height;
            uint16_t cursor_x, cursor_y;
            uint16_t rows, columns;
        } text_mode_3;
        struct {
            uint16_t width, height;
            uint16_t bytes_per_line;
            uint16_t bits_per_pixel;
            uint32_t lfb_base;          /* low 32 bits of the frame buffer */
            uint32_t lfb_size;          /* in 64 KiB units */
            uint8_t red_pos, red_size;
            uint8_t green_pos, green_size;
            uint8_t blue_pos, blue_size;
            uint8_t rsvd_pos, rsvd_size;
            uint32_t gbl_caps;
            uint16_t mode_attrs;
            uint16_t pad;
            uint32_t ext_lfb_base;      /* high 32 bits of the frame buffer */
        } vesa_lfb;
    } u;
} dom0_vga_console_info_t;
#define xen_vga_console_info   dom0_vga_console_info
#define xen_vga_console_info_t dom0_vga_console_info_t

/* A domain's 128-bit handle (usually its UUID), set at creation. */
typedef uint8_t xen_domain_handle_t[16];

__DEFINE_XEN_GUEST_HANDLE(uint8,  uint8_t);
__DEFINE_XEN_GUEST_HANDLE(uint16, uint16_t);
__DEFINE_XEN_GUEST_HANDLE(uint32, uint32_t);
__DEFINE_XEN_GUEST_HANDLE(uint64, uint64_t);

typedef struct {
    uint8_t a[16];
} xen_uuid_t;

/* Build an xen_uuid_t from the textual groups of a UUID, big-endian. */
#define XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6)          \
    {{ ((a) >> 24) & 0xFF, ((a) >> 16) & 0xFF, ((a) >> 8) & 0xFF,    \
       (a) & 0xFF, ((b) >> 8) & 0xFF, (b) & 0xFF, ((c) >> 8) & 0xFF,  \
       (c) & 0xFF, ((d) >> 8) & 0xFF, (d) & 0xFF,                     \
       e1, e2, e3, e4, e5, e6 }}
#define XEN_DEFINE_UUID(a, b, c, d, e1, e2, e3, e4, e5, e6)           \
    ((xen_uuid_t)XEN_DEFINE_UUID_(a, b, c, d, e1, e2, e3, e4, e5, e6))

#endif /* !__ASSEMBLY__ */

/* Types only the toolstack interfaces (domctl, sysctl) use. */
#if defined(__XEN__) || defined(__XEN_TOOLS__)

#ifndef int64_aligned_t
#define int64_aligned_t int64_t
#endif
#ifndef uint64_aligned_t
#define uint64_aligned_t uint64_t
#endif
#ifndef XEN_GUEST_HANDLE_64
#define XEN_GUEST_HANDLE_64(name) XEN_GUEST_HANDLE(name)
#endif

#ifndef __ASSEMBLY__
/* A bitmap of nr_bits bits (CPUs, nodes) in caller memory. */
struct xenctl_bitmap {
    XEN_GUEST_HANDLE_64(uint8) bitmap;
    uint32_t nr_bits;
};
typedef struct xenctl_bitmap xenctl_bitmap_t;
#endif

#endif /* __XEN__ || __XEN_TOOLS__ */

#endif
