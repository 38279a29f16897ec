/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * RDMSR/WRMSR policy for PVH guests (msr_*): the emulated MSRs, the
 * read-as-zero/write-ignored list Linux reads unguarded on AMD, the SVM MSR
 * permission map and the Xen hypercall page. Not here: the x2APIC registers
 * (vlapic.c) and the VMCB fields of passed-through MSRs (svm.c).
 */
#include "msr_policy.h"
#include "errno.h"          /* hypercalls/: Xen's error codes */

#define EFER_GUEST_BITS (VEFER_SCE | VEFER_LME | VEFER_LMA | VEFER_NXE)
#define CR0_PG          (1ull << 31)
#define MISC_BTS_UNAVAIL   (1ull << 11)
#define MISC_PEBS_UNAVAIL  (1ull << 12)

void msr_vcpu_init(struct msr_vcpu *v, bool bsp)
{
    v->efer = 0;
    v->apic_base = VAPIC_BASE_ADDR | VAPIC_BASE_EN | VAPIC_BASE_EXTD |
                   (bsp ? VAPIC_BASE_BSP : 0);
    v->pat = VPAT_POWER_ON;
    v->tsc_offset = 0;
    v->hcall_page_gpa = 0;
    v->cr0 = 0;
}

uint64_t msr_vmcb_efer(const struct msr_vcpu *v)
{
    return v->efer | VEFER_SVME;
}

bool msr_passthrough(uint32_t msr)
{
    switch (msr) {
    case VMSR_STAR: case VMSR_LSTAR: case VMSR_CSTAR: case VMSR_SFMASK:
    case VMSR_FS_BASE: case VMSR_GS_BASE: case VMSR_KERNEL_GS_BASE:
    case VMSR_TSC_AUX:
    case VMSR_SYSENTER_CS: case VMSR_SYSENTER_ESP: case VMSR_SYSENTER_EIP:
        return true;
    }
    return false;
}

/* MSRs Linux touches without _safe on some AMD families (pvh-first-light
 * 6.1): reads give a fixed value, writes are dropped, as Xen does. */
static bool fixed_value(uint32_t msr, uint64_t *val)
{
    switch (msr) {
    case VMSR_AMD_NB_CFG:
    case VMSR_AMD_INT_PENDING:
    case VMSR_PATCH_LEVEL:
        *val = 0;
        return true;
    case VMSR_MISC_ENABLE:
        *val = MISC_BTS_UNAVAIL | MISC_PEBS_UNAVAIL;
        return true;
    }
    return false;
}

static enum msr_result gp(const char **why, const char *reason)
{
    if (why)
        *why = reason;
    return MSR_GP;
}

enum msr_result msr_read(struct msr_vcpu *v, uint32_t msr, uint64_t host_tsc,
                         uint64_t *val, const char **why)
{
    if (msr >= VMSR_X2APIC_FIRST && msr <= VMSR_X2APIC_LAST)
        return MSR_X2APIC;
    if (fixed_value(msr, val))
        return MSR_DONE;
    switch (msr) {
    case VMSR_EFER:
        *val = v->efer;
        return MSR_DONE;
    case VMSR_APIC_BASE:
        *val = v->apic_base;
        return MSR_DONE;
    case VMSR_PAT:
        *val = v->pat;
        return MSR_DONE;
    case VMSR_TSC:
        *val = host_tsc + (uint64_t)v->tsc_offset;
        return MSR_DONE;
    case VMSR_XEN_HCALL_PAGE:
        *val = 0;
        return MSR_DONE;
    }
    return gp(why, "MSR not emulated");
}

static enum msr_result write_efer(struct msr_vcpu *v, uint64_t val,
                                  const char **why)
{
    if (val & VEFER_SVME)
        return gp(why, "EFER.SVME: SVM is not offered to guests");
    if (val & ~EFER_GUEST_BITS)
        return gp(why, "EFER reserved bit set");
    if ((v->cr0 & CR0_PG) && ((val ^ v->efer) & VEFER_LME))
        return gp(why, "EFER.LME changed while paging is on");
    /* LMA is the CPU's to set; keep the current value. */
    v->efer = (val & ~VEFER_LMA) | (v->efer & VEFER_LMA);
    return MSR_DONE;
}

/* Each PAT byte must be a defined memory type: UC, WC, WT, WP, WB, UC-. */
static bool pat_valid(uint64_t val)
{
    int i;

    for (i = 0; i < 8; i++) {
        uint8_t t = (uint8_t)(val >> (i * 8));
        if (t == 2 || t == 3 || t > 7)
            return false;
    }
    return true;
}

enum msr_result msr_write(struct msr_vcpu *v, uint32_t msr, uint64_t val,
                          uint64_t host_tsc, const char **why)
{
    uint64_t ignored;

    if (msr >= VMSR_X2APIC_FIRST && msr <= VMSR_X2APIC_LAST)
        return MSR_X2APIC;
    if (fixed_value(msr, &ignored))
        return MSR_DONE;
    switch (msr) {
    case VMSR_EFER:
        return write_efer(v, val, why);
    case VMSR_APIC_BASE:
        /* The x2APIC is on from reset and stays on: no mode changes. */
        if (val != v->apic_base)
            return gp(why, "APIC_BASE change (x2APIC stays enabled)");
        return MSR_DONE;
    case VMSR_PAT:
        if (!pat_valid(val))
            return gp(why, "PAT with an undefined memory type");
        v->pat = val;
        return MSR_DONE;
    case VMSR_TSC:
        v->tsc_offset = (int64_t)(val - host_tsc);
        return MSR_DONE;
    case VMSR_XEN_HCALL_PAGE:
        if (val & 0xFFF)
            return gp(why, "hypercall page index is not 0 (one page only)");
        v->hcall_page_gpa = val;
        return MSR_HCALL_PAGE;
    }
    return gp(why, "MSR not emulated");
}

/* Bit offset of msr's (read, write) pair in the permission map, or -1. */
static long pm_offset(uint32_t msr)
{
    if (msr <= 0x1FFF)
        return (long)msr * 2;
    if (msr >= 0xC0000000u && msr <= 0xC0001FFFu)
        return 0x4000L + (long)(msr - 0xC0000000u) * 2;
    if (msr >= 0xC0010000u && msr <= 0xC0011FFFu)
        return 0x8000L + (long)(msr - 0xC0010000u) * 2;
    return -1;
}

static void pm_clear(uint8_t *pm, uint32_t msr)
{
    long bit = pm_offset(msr);

    pm[bit / 8] &= (uint8_t)~(3u << (bit % 8));
}

int msr_pm_build(uint8_t *pm, size_t len)
{
    static const uint32_t through[] = {
        VMSR_STAR, VMSR_LSTAR, VMSR_CSTAR, VMSR_SFMASK, VMSR_FS_BASE, VMSR_GS_BASE,
        VMSR_KERNEL_GS_BASE, VMSR_TSC_AUX, VMSR_SYSENTER_CS, VMSR_SYSENTER_ESP,
        VMSR_SYSENTER_EIP,
    };
    size_t i;

    if (len != MSR_PM_SIZE)
        return -XEN_EINVAL;
    for (i = 0; i < len; i++)
        pm[i] = 0xFF;
    for (i = 0; i < sizeof(through) / sizeof(through[0]); i++)
        pm_clear(pm, through[i]);
    return 0;
}

bool msr_pm_intercepts(const uint8_t *pm, uint32_t msr, bool write)
{
    long bit = pm_offset(msr);

    if (bit < 0)
        return true;
    bit += write ? 1 : 0;
    return (pm[bit / 8] >> (bit % 8)) & 1;
}

void msr_hcall_page(uint8_t *page, bool intel)
{
    unsigned int i, j;

    for (i = 0; i < 4096; i++)
        page[i] = 0xCC;                 /* int3 between stubs */
    for (i = 0; i < 128; i++) {
        uint8_t *s = page + i * 32;

        if (i == 23) {                  /* __HYPERVISOR_iret: PV only */
            s[0] = 0x0F;
            s[1] = 0x0B;
            continue;
        }
        s[0] = 0xB8;                    /* mov $i, %eax */
        for (j = 0; j < 4; j++)
            s[1 + j] = (uint8_t)(i >> (8 * j));
        s[5] = 0x0F;
        s[6] = 0x01;
        s[7] = intel ? 0xC1 : 0xD9;     /* vmcall : vmmcall */
        s[8] = 0xC3;                    /* ret */
    }
}
