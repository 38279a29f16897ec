/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a PVH guest's CPUID returns (cpuid_*): Xen's leaves at 0x40000000
 * and the host's leaves filtered to what the hypervisor emulates. The host
 * CPUID is a callback, so the policy is host-testable as a table.
 */
#ifndef ARCH_CPUID_POLICY_H
#define ARCH_CPUID_POLICY_H

#include <stdbool.h>
#include <stdint.h>

struct cpuid_regs {
    uint32_t a, b, c, d;
};

/* The Xen leaves (xen/include/public/arch-x86/cpuid.h). */
#define CPUID_XEN_BASE          0x40000000u
#define CPUID_XEN_MAX_LEAF      (CPUID_XEN_BASE + 5)
#define CPUID_XEN_SIG_EBX       0x566e6558u   /* "XenV" */
#define CPUID_XEN_SIG_ECX       0x65584d4du   /* "MMXe" */
#define CPUID_XEN_SIG_EDX       0x4d4d566eu   /* "nVMM" */
#define CPUID_XEN_VERSION       0x00040011u   /* 4.17 */
#define CPUID_XEN_HCALL_MSR     0x40000000u
#define CPUID_XEN_VCPU_ID_PRESENT  (1u << 3)
#define CPUID_XEN_DOMID_PRESENT    (1u << 4)

/* Caps on the ranges we pass through. */
#define CPUID_MAX_BASIC         0x0Du
#define CPUID_MAX_EXT           0x80000008u

struct cpuid_ctx {
    uint32_t vcpu_id;            /* also the (x2)APIC id */
    uint16_t domid;
    void *host_ctx;
    void (*host)(void *host_ctx, uint32_t leaf, uint32_t subleaf,
                 struct cpuid_regs *r);
};

/* The guest's answer for (leaf, subleaf). Never fails: leaves we do not
 * describe read as zero, as on AMD. */
void cpuid_policy(const struct cpuid_ctx *c, uint32_t leaf, uint32_t subleaf,
                  struct cpuid_regs *out);

#endif
