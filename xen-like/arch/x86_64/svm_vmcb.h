/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The AMD VMCB (AMD APM vol. 2, appendix B) and the pure parts of SVM set-up
 * (svm_vmcb_*, svm_asid_*, svm_event_*, svm_ioio_*): layout, intercepts for
 * a PVH guest, the PVH entry state, event injection and exit decoding.
 * VMRUN, the exit loop and the world switch are svm.c's.
 */
#ifndef ARCH_SVM_VMCB_H
#define ARCH_SVM_VMCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pvh_loader.h"     /* struct pvh_entry_state */

struct vmcb_seg {
    uint16_t sel;
    uint16_t attr;
    uint32_t limit;
    uint64_t base;
};

struct vmcb {
    /* control area, 0x000 */
    uint32_t icpt_cr;              /* reads 15:0, writes 31:16 */
    uint32_t icpt_dr;
    uint32_t icpt_exc;
    uint32_t icpt_misc1;
    uint32_t icpt_misc2;
    uint8_t  rsvd0[0x3C - 0x14];
    uint16_t pause_thresh;
    uint16_t pause_count;
    uint64_t iopm_pa;              /* 0x040 */
    uint64_t msrpm_pa;
    uint64_t tsc_offset;
    uint32_t asid;                 /* 0x058 */
    uint8_t  tlb_ctl;
    uint8_t  rsvd1[3];
    uint64_t vintr;                /* 0x060: V_TPR, V_IRQ, ..., V_INTR_VECTOR */
    uint64_t int_state;            /* 0x068: bit 0 interrupt shadow */
    uint64_t exit_code;            /* 0x070 */
    uint64_t exit_info1;
    uint64_t exit_info2;
    uint64_t exit_int_info;        /* 0x088 */
    uint64_t np_ctl;               /* 0x090: bit 0 NP_ENABLE */
    uint8_t  rsvd2[0xA8 - 0x98];
    uint64_t event_inj;            /* 0x0A8 */
    uint64_t n_cr3;                /* 0x0B0 */
    uint64_t lbr_ctl;
    uint32_t clean;                /* 0x0C0 */
    uint32_t rsvd3;
    uint64_t next_rip;             /* 0x0C8 */
    uint8_t  insn_len;
    uint8_t  insn_bytes[15];
    uint8_t  rsvd4[0x400 - 0xE0];
    /* state save area, 0x400 */
    struct vmcb_seg es, cs, ss, ds, fs, gs, gdtr, ldtr, idtr, tr;
    uint8_t  rsvd5[0x4CB - 0x4A0];
    uint8_t  cpl;                  /* 0x4CB */
    uint32_t rsvd6;
    uint64_t efer;                 /* 0x4D0 */
    uint8_t  rsvd7[0x548 - 0x4D8];
    uint64_t cr4;                  /* 0x548 */
    uint64_t cr3;
    uint64_t cr0;
    uint64_t dr7;
    uint64_t dr6;
    uint64_t rflags;               /* 0x570 */
    uint64_t rip;
    uint8_t  rsvd8[0x5D8 - 0x580];
    uint64_t rsp;                  /* 0x5D8 */
    uint8_t  rsvd9[0x5F8 - 0x5E0];
    uint64_t rax;                  /* 0x5F8 */
    uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
    uint64_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t cr2;                  /* 0x640 */
    uint8_t  rsvd10[0x668 - 0x648];
    uint64_t g_pat;                /* 0x668 */
    uint64_t dbgctl;
    uint64_t br_from, br_to, last_excp_from, last_excp_to;
    uint8_t  rsvd11[0x1000 - 0x698];
} __attribute__((packed, aligned(4096)));

/* Intercept bits. */
#define SVM_MISC1_INTR       (1u << 0)
#define SVM_MISC1_NMI        (1u << 1)
#define SVM_MISC1_SMI        (1u << 2)
#define SVM_MISC1_INIT       (1u << 3)
#define SVM_MISC1_VINTR      (1u << 4)
#define SVM_MISC1_CPUID      (1u << 18)
#define SVM_MISC1_INVD       (1u << 22)
#define SVM_MISC1_HLT        (1u << 24)
#define SVM_MISC1_INVLPGA    (1u << 26)
#define SVM_MISC1_IOIO       (1u << 27)
#define SVM_MISC1_MSR        (1u << 28)
#define SVM_MISC1_TASKSW     (1u << 29)
#define SVM_MISC1_SHUTDOWN   (1u << 31)
#define SVM_MISC2_VMRUN      (1u << 0)
#define SVM_MISC2_VMMCALL    (1u << 1)
#define SVM_MISC2_VMLOAD     (1u << 2)
#define SVM_MISC2_VMSAVE     (1u << 3)
#define SVM_MISC2_STGI       (1u << 4)
#define SVM_MISC2_CLGI       (1u << 5)
#define SVM_MISC2_SKINIT     (1u << 6)
#define SVM_MISC2_MONITOR    (1u << 10)
#define SVM_MISC2_MWAIT      (1u << 11)
#define SVM_MISC2_XSETBV     (1u << 13)
#define SVM_EXC_UD           (1u << 6)

#define SVM_VINTR_TPR_MASK   0xFFull
#define SVM_VINTR_IRQ        (1ull << 8)
#define SVM_VINTR_PRIO_SHIFT 16
#define SVM_VINTR_IGN_TPR    (1ull << 20)
#define SVM_VINTR_MASKING    (1ull << 24)
#define SVM_VINTR_VEC_SHIFT  32

#define SVM_TLB_NONE         0
#define SVM_TLB_FLUSH_ALL    1

/* Exit codes. */
#define SVM_EXIT_EXC_BASE    0x040
#define SVM_EXIT_UD          0x046
#define SVM_EXIT_INTR        0x060
#define SVM_EXIT_NMI         0x061
#define SVM_EXIT_SMI         0x062
#define SVM_EXIT_INIT        0x063
#define SVM_EXIT_VINTR       0x064
#define SVM_EXIT_CPUID       0x072
#define SVM_EXIT_INVD        0x076
#define SVM_EXIT_HLT         0x078
#define SVM_EXIT_INVLPGA     0x07A
#define SVM_EXIT_IOIO        0x07B
#define SVM_EXIT_MSR         0x07C
#define SVM_EXIT_TASKSW      0x07D
#define SVM_EXIT_SHUTDOWN    0x07F
#define SVM_EXIT_VMRUN       0x080
#define SVM_EXIT_VMMCALL     0x081
#define SVM_EXIT_VMLOAD      0x082
#define SVM_EXIT_VMSAVE      0x083
#define SVM_EXIT_STGI        0x084
#define SVM_EXIT_CLGI        0x085
#define SVM_EXIT_SKINIT      0x086
#define SVM_EXIT_MONITOR     0x08A
#define SVM_EXIT_MWAIT       0x08B
#define SVM_EXIT_XSETBV      0x08D
#define SVM_EXIT_NPF         0x400
#define SVM_EXIT_INVALID     (~0ull)

/* EVENTINJ / EXITINTINFO. */
#define SVM_EVT_VALID        (1ull << 31)
#define SVM_EVT_ERR_VALID    (1ull << 11)
enum { SVM_EVT_EXTINT = 0, SVM_EVT_NMI = 2, SVM_EVT_EXC = 3, SVM_EVT_SOFT = 4 };

/* I/O permission map: 12 KiB, one bit per port (+ 3 bytes of slack). */
#define SVM_IOPM_SIZE        (12 * 1024)

/* Everything a PVH guest must exit for; see docs/pvh.md for why each. */
void svm_vmcb_init(struct vmcb *v, const struct pvh_entry_state *st,
                   uint64_t iopm_pa, uint64_t msrpm_pa, uint64_t n_cr3,
                   uint32_t asid, uint64_t guest_efer_for_vmcb);

/* An AP after INIT and STARTUP(vector): real mode at vector:0000
 * (CS base vector << 12), as the SDM's INIT/SIPI protocol leaves it. */
void svm_vmcb_sipi(struct vmcb *v, uint8_t vector);

/* An all-intercepting I/O map: no guest reaches a port. */
void svm_iopm_build(uint8_t *iopm, size_t len);

/* Event injection encodings. */
uint64_t svm_event_extint(uint8_t vector);
uint64_t svm_event_exception(uint8_t vector, bool has_err, uint32_t err);

/* IOIO EXITINFO1 (APM 15.10.2). */
struct svm_ioio {
    uint16_t port;
    uint8_t size;           /* 1, 2 or 4 */
    bool in, string, rep;
};
void svm_ioio_decode(uint64_t info1, struct svm_ioio *io);

/* For logs: "VMMCALL", "NPF", ... ("?" when unknown). */
const char *svm_exit_name(uint64_t code);

/* Guest GPRs the VMCB does not hold (RAX and RSP are in it), in the order
 * svm_entry.S uses. */
struct svm_gprs {
    uint64_t rbx, rcx, rdx, rsi, rdi, rbp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

/* The world switch (svm_entry.S): runs the guest until its next #VMEXIT.
 * host_pa is a 4 KiB area for the host's VMSAVE state. */
void svm_vmrun(uint64_t vmcb_pa, struct svm_gprs *g, uint64_t host_pa);

/* ASIDs: 1..max-1 per CPU, with a generation that forces a TLB flush when
 * the space wraps (every vCPU then takes a new ASID). */
struct svm_asid_space {
    uint32_t next, max;
    uint64_t generation;
};
struct svm_asid {
    uint32_t asid;
    uint64_t generation;
};
void svm_asid_space_init(struct svm_asid_space *s, uint32_t nr_asids);
/* Before each VMRUN: keeps a current ASID, else hands out a new one.
 * Returns true when the whole TLB must be flushed (TLB_CONTROL = 1). */
bool svm_asid_assign(struct svm_asid_space *s, struct svm_asid *a);

#endif
