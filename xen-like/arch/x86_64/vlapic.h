/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual local APIC of a PVH vCPU (vlapic_*), in x2APIC mode only
 * (MSRs 0x800-0x8FF; APIC_BASE is EN|EXTD from reset, msr_policy.c): the
 * registers Linux touches, IRR/ISR/EOI with TPR/PPR priority, self-IPIs,
 * and ICR writes handed back to the caller for other vCPUs. The LAPIC timer
 * registers are stored but never fire (Linux uses the Xen clockevent).
 */
#ifndef ARCH_VLAPIC_H
#define ARCH_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define VLAPIC_VERSION   0x00050014u   /* version 0x14, 6 LVT entries */
#define VLAPIC_NR_LVT    6             /* timer, thermal, perf, LINT0/1, error */

struct vlapic {
    uint32_t id;
    uint32_t tpr, svr, esr, pending_esr;
    uint32_t lvt[VLAPIC_NR_LVT];
    uint32_t timer_initial, timer_divide;
    uint64_t icr;
    uint32_t irr[8], isr[8], tmr[8];
};

enum vlapic_result {
    VLAPIC_OK,
    VLAPIC_GP,        /* inject #GP(0): *why says why */
    VLAPIC_IPI,       /* an ICR write for the caller to deliver: see *ipi */
};

/* ICR delivery modes (bits 10:8) and shorthands (bits 19:18). */
enum { VLAPIC_DM_FIXED = 0, VLAPIC_DM_NMI = 4, VLAPIC_DM_INIT = 5,
       VLAPIC_DM_STARTUP = 6 };
enum { VLAPIC_SH_NONE = 0, VLAPIC_SH_SELF = 1, VLAPIC_SH_ALL = 2,
       VLAPIC_SH_OTHERS = 3 };

struct vlapic_ipi {
    uint32_t dest;        /* x2APIC id (physical), when shorthand is NONE */
    uint8_t vector, mode, shorthand;
    bool logical;
    bool level;           /* ICR bit 14: assert (INIT) */
};

void vlapic_reset(struct vlapic *l, uint32_t id);

enum vlapic_result vlapic_rdmsr(struct vlapic *l, uint32_t msr, uint64_t *val,
                                const char **why);
enum vlapic_result vlapic_wrmsr(struct vlapic *l, uint32_t msr, uint64_t val,
                                struct vlapic_ipi *ipi, const char **why);

/* A fixed interrupt arrives (from another vCPU or a device). Vectors below
 * 16 are illegal: they set ESR instead. Dropped while software-disabled. */
void vlapic_accept(struct vlapic *l, uint8_t vector);
/* The vector to inject now (highest IRR above the processor priority), or
 * -1. */
int vlapic_pending(const struct vlapic *l);
/* The vector was injected: IRR -> ISR. */
void vlapic_ack(struct vlapic *l, uint8_t vector);

#endif
