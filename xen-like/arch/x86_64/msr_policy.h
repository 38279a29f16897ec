/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What RDMSR/WRMSR do for a PVH guest (msr_*): the per-vCPU MSRs the
 * hypervisor emulates (EFER with SVME hidden, APIC_BASE, PAT, TSC, the Xen
 * hypercall-page MSR), the read-as-zero list, the MSRs passed through in the
 * SVM MSR permission map, and #GP for everything else. The x2APIC range is
 * only routed here: vlapic.c answers it.
 */
#ifndef ARCH_MSR_POLICY_H
#define ARCH_MSR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMSR_TSC              0x00000010u
#define VMSR_APIC_BASE        0x0000001Bu
#define VMSR_PATCH_LEVEL      0x0000008Bu
#define VMSR_SYSENTER_CS      0x00000174u
#define VMSR_SYSENTER_ESP     0x00000175u
#define VMSR_SYSENTER_EIP     0x00000176u
#define VMSR_MISC_ENABLE      0x000001A0u
#define VMSR_PAT              0x00000277u
#define VMSR_X2APIC_FIRST     0x00000800u
#define VMSR_X2APIC_LAST      0x000008FFu
#define VMSR_XEN_HCALL_PAGE   0x40000000u
#define VMSR_EFER             0xC0000080u
#define VMSR_STAR             0xC0000081u
#define VMSR_LSTAR            0xC0000082u
#define VMSR_CSTAR            0xC0000083u
#define VMSR_SFMASK           0xC0000084u
#define VMSR_FS_BASE          0xC0000100u
#define VMSR_GS_BASE          0xC0000101u
#define VMSR_KERNEL_GS_BASE   0xC0000102u
#define VMSR_TSC_AUX          0xC0000103u
#define VMSR_AMD_NB_CFG       0xC001001Fu
#define VMSR_AMD_INT_PENDING  0xC0010055u

#define VEFER_SCE    (1ull << 0)
#define VEFER_LME    (1ull << 8)
#define VEFER_LMA    (1ull << 10)
#define VEFER_NXE    (1ull << 11)
#define VEFER_SVME   (1ull << 12)

#define VAPIC_BASE_BSP   (1ull << 8)
#define VAPIC_BASE_EXTD  (1ull << 10)
#define VAPIC_BASE_EN    (1ull << 11)
#define VAPIC_BASE_ADDR  0xFEE00000ull

#define VPAT_POWER_ON    0x0007040600070406ull

/* What the exit handler must do with the access. */
enum msr_result {
    MSR_DONE,          /* handled; for reads *val is the answer */
    MSR_GP,            /* inject #GP(0); *why says why */
    MSR_X2APIC,        /* forward to the virtual x2APIC */
    MSR_HCALL_PAGE,    /* fill the page at hcall_page_gpa (msr_hcall_page) */
};

/* The emulated MSR state of one vCPU. efer is the guest's view; the VMCB
 * holds efer | SVME (msr_vmcb_efer). CR0 writes are not intercepted, so the
 * hardware sets EFER.LMA in the VMCB: the caller copies the VMCB's EFER
 * (minus SVME) and CR0 in before each call and msr_vmcb_efer() back after. */
struct msr_vcpu {
    uint64_t efer;
    uint64_t apic_base;
    uint64_t pat;
    int64_t tsc_offset;          /* guest TSC = host TSC + offset */
    uint64_t hcall_page_gpa;
    uint64_t cr0;                /* the guest's CR0, for EFER.LME checks */
};

void msr_vcpu_init(struct msr_vcpu *v, bool bsp);

enum msr_result msr_read(struct msr_vcpu *v, uint32_t msr, uint64_t host_tsc,
                         uint64_t *val, const char **why);
enum msr_result msr_write(struct msr_vcpu *v, uint32_t msr, uint64_t val,
                          uint64_t host_tsc, const char **why);

/* EFER as the VMCB must hold it: VMRUN requires SVME. */
uint64_t msr_vmcb_efer(const struct msr_vcpu *v);

/* MSRs the hardware keeps in the VMCB (or VMLOAD/VMSAVE) and the guest
 * reaches without an exit. */
bool msr_passthrough(uint32_t msr);

/* The SVM MSR permission map (8 KiB: 2 bits per MSR, read then write, for
 * 0..0x1FFF, 0xC0000000.., 0xC0010000..): everything intercepted except
 * msr_passthrough(). Returns 0, or -XEN_EINVAL if len is not 8192. */
#define MSR_PM_SIZE 8192
int msr_pm_build(uint8_t *pm, size_t len);
/* Whether the map intercepts (write ? writes : reads) of msr. MSRs outside
 * the three ranges always exit. */
bool msr_pm_intercepts(const uint8_t *pm, uint32_t msr, bool write);

/* Fill a 4 KiB hypercall page: 128 stubs of 32 bytes, `mov $i,%eax;
 * vmmcall; ret` (VMCALL for an Intel vendor), stub 23 (iret) = ud2. */
void msr_hcall_page(uint8_t *page, bool intel);

#endif
