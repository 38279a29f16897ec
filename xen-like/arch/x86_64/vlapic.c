/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual x2APIC (vlapic_*): register file behind MSRs 0x800-0x8FF (Intel
 * SDM vol. 3 ch. 10.12), the IRR/ISR/TPR/PPR priority logic, EOI and
 * self-IPIs. Not here: delivering IPIs to other vCPUs and injecting the
 * vector (svm.c), the Xen upcall vector (events bypass the LAPIC).
 */
#include "vlapic.h"

#define R_ID        0x802
#define R_VERSION   0x803
#define R_TPR       0x808
#define R_PPR       0x80A
#define R_EOI       0x80B
#define R_LDR       0x80D
#define R_SVR       0x80F
#define R_ISR0      0x810
#define R_TMR0      0x818
#define R_IRR0      0x820
#define R_ESR       0x828
#define R_ICR       0x830
#define R_LVT0      0x832           /* timer; LVTs run to 0x837 (error) */
#define R_TMICT     0x838
#define R_TMCCT     0x839
#define R_TDCR      0x83E
#define R_SELF_IPI  0x83F

#define SVR_ENABLE      (1u << 8)
#define SVR_MASK        0x13FFu     /* vector, enable, focus, EOI suppress */
#define LVT_MASKED      (1u << 16)
#define LVT_BITS        0x717FFu    /* vector .. timer mode */
#define ESR_RX_ILLEGAL  (1u << 6)
#define ICR_BITS        0x000CCFFFull  /* vector, mode, dest mode, level,
                                        * trigger, shorthand */

static int fls32(uint32_t x)
{
    int n = -1;

    while (x) {
        x >>= 1;
        n++;
    }
    return n;
}

/* Highest vector set in an 8 x 32-bit register bank, or -1. */
static int highest(const uint32_t *bank)
{
    int i;

    for (i = 7; i >= 0; i--)
        if (bank[i])
            return i * 32 + fls32(bank[i]);
    return -1;
}

static void set_bit(uint32_t *bank, uint8_t v)
{
    bank[v / 32] |= 1u << (v % 32);
}

static void clear_bit(uint32_t *bank, uint8_t v)
{
    bank[v / 32] &= ~(1u << (v % 32));
}

void vlapic_reset(struct vlapic *l, uint32_t id)
{
    int i;

    l->id = id;
    l->tpr = l->esr = l->pending_esr = 0;
    l->svr = 0xFF;                      /* software-disabled */
    for (i = 0; i < VLAPIC_NR_LVT; i++)
        l->lvt[i] = LVT_MASKED;
    l->timer_initial = l->timer_divide = 0;
    l->icr = 0;
    for (i = 0; i < 8; i++)
        l->irr[i] = l->isr[i] = l->tmr[i] = 0;
}

static uint32_t ppr(const struct vlapic *l)
{
    int isrv = highest(l->isr);
    uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xF0;

    return (l->tpr & 0xF0) >= isr_class ? l->tpr & 0xFF : isr_class;
}

static uint32_t ldr(const struct vlapic *l)
{
    return ((l->id >> 4) << 16) | (1u << (l->id & 0xF));
}

static enum vlapic_result gp(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return VLAPIC_GP;
}

enum vlapic_result vlapic_rdmsr(struct vlapic *l, uint32_t msr, uint64_t *val,
                                const char **why)
{
    if (msr >= R_ISR0 && msr < R_ISR0 + 8)
        *val = l->isr[msr - R_ISR0];
    else if (msr >= R_TMR0 && msr < R_TMR0 + 8)
        *val = l->tmr[msr - R_TMR0];
    else if (msr >= R_IRR0 && msr < R_IRR0 + 8)
        *val = l->irr[msr - R_IRR0];
    else if (msr >= R_LVT0 && msr < R_LVT0 + VLAPIC_NR_LVT)
        *val = l->lvt[msr - R_LVT0];
    else {
        switch (msr) {
        case R_ID:      *val = l->id; break;
        case R_VERSION: *val = VLAPIC_VERSION; break;
        case R_TPR:     *val = l->tpr; break;
        case R_PPR:     *val = ppr(l); break;
        case R_LDR:     *val = ldr(l); break;
        case R_SVR:     *val = l->svr; break;
        case R_ESR:     *val = l->esr; break;
        case R_ICR:     *val = l->icr; break;
        case R_TMICT:   *val = l->timer_initial; break;
        case R_TMCCT:   *val = 0; break;   /* the timer never runs */
        case R_TDCR:    *val = l->timer_divide; break;
        case R_EOI:
        case R_SELF_IPI:
            return gp(why, "read of a write-only x2APIC register");
        default:
            return gp(why, "no such x2APIC register");
        }
    }
    return VLAPIC_OK;
}

void vlapic_accept(struct vlapic *l, uint8_t vector)
{
    if (!(l->svr & SVR_ENABLE))
        return;
    if (vector < 16) {
        l->pending_esr |= ESR_RX_ILLEGAL;
        return;
    }
    set_bit(l->irr, vector);
}

int vlapic_pending(const struct vlapic *l)
{
    int v = highest(l->irr);

    if (v < 0 || !(l->svr & SVR_ENABLE))
        return -1;
    return ((uint32_t)v & 0xF0) > (ppr(l) & 0xF0) ? v : -1;
}

void vlapic_ack(struct vlapic *l, uint8_t vector)
{
    clear_bit(l->irr, vector);
    set_bit(l->isr, vector);
}

static void eoi(struct vlapic *l)
{
    int v = highest(l->isr);

    if (v >= 0)
        clear_bit(l->isr, (uint8_t)v);
}

/* Fixed IPIs to this vCPU alone are handled here; anything else goes back
 * to the caller, who knows the other vCPUs. */
static enum vlapic_result icr_write(struct vlapic *l, uint64_t val,
                                    struct vlapic_ipi *ipi, const char **why)
{
    uint8_t mode = (uint8_t)((val >> 8) & 7);
    uint8_t sh = (uint8_t)((val >> 18) & 3);

    if (val & ~(ICR_BITS | 0xFFFFFFFF00000000ull))
        return gp(why, "ICR reserved bit set");
    l->icr = val;
    ipi->vector = (uint8_t)val;
    ipi->mode = mode;
    ipi->shorthand = sh;
    ipi->dest = (uint32_t)(val >> 32);
    ipi->logical = val & (1u << 11);
    ipi->level = val & (1u << 14);
    if (mode == VLAPIC_DM_FIXED && (sh == VLAPIC_SH_SELF ||
        (sh == VLAPIC_SH_NONE && !ipi->logical && ipi->dest == l->id))) {
        vlapic_accept(l, ipi->vector);
        return VLAPIC_OK;
    }
    return VLAPIC_IPI;
}

static enum vlapic_result write_simple(struct vlapic *l, uint32_t msr,
                                       uint64_t val, const char **why)
{
    switch (msr) {
    case R_TPR:
        if (val > 0xFF)
            return gp(why, "TPR reserved bit set");
        l->tpr = (uint32_t)val;
        return VLAPIC_OK;
    case R_EOI:
        if (val)
            return gp(why, "x2APIC EOI write of a non-zero value");
        eoi(l);
        return VLAPIC_OK;
    case R_SVR:
        if (val & ~(uint64_t)SVR_MASK)
            return gp(why, "SVR reserved bit set");
        l->svr = (uint32_t)val;
        return VLAPIC_OK;
    case R_ESR:
        if (val)
            return gp(why, "x2APIC ESR write of a non-zero value");
        l->esr = l->pending_esr;        /* latch errors seen since */
        l->pending_esr = 0;
        return VLAPIC_OK;
    case R_TMICT:
        if (val >> 32)
            return gp(why, "timer count reserved bit set");
        l->timer_initial = (uint32_t)val;
        return VLAPIC_OK;
    case R_TDCR:
        if (val & ~0xBull)
            return gp(why, "timer divide reserved bit set");
        l->timer_divide = (uint32_t)val;
        return VLAPIC_OK;
    case R_SELF_IPI:
        if (val > 0xFF)
            return gp(why, "SELF_IPI reserved bit set");
        vlapic_accept(l, (uint8_t)val);
        return VLAPIC_OK;
    }
    return gp(why, "write to a read-only or missing x2APIC register");
}

enum vlapic_result vlapic_wrmsr(struct vlapic *l, uint32_t msr, uint64_t val,
                                struct vlapic_ipi *ipi, const char **why)
{
    if (msr == R_ICR)
        return icr_write(l, val, ipi, why);
    if (msr >= R_LVT0 && msr < R_LVT0 + VLAPIC_NR_LVT) {
        if (val & ~(uint64_t)LVT_BITS)
            return gp(why, "LVT reserved bit set");
        /* A software-disabled APIC keeps every LVT masked. */
        l->lvt[msr - R_LVT0] = (uint32_t)val |
                               (l->svr & SVR_ENABLE ? 0 : LVT_MASKED);
        return VLAPIC_OK;
    }
    return write_simple(l, msr, val, why);
}
