/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CPUID a PVH guest sees (cpuid_policy): Xen's hypervisor leaves, and
 * host leaves with every feature whose hardware or MSRs we do not emulate
 * hidden (SVM, MONITOR, MCE, MTRR, PMU, TSC-deadline, LA57, speculation
 * MSRs, ...), x2APIC and the hypervisor bit forced on. Vendor string passes
 * through: Linux picks VMMCALL or VMCALL from it.
 */
#include "cpuid_policy.h"

#define BIT(n) (1u << (n))

/* Leaf 1 ECX: MONITOR, DS-CPL, VMX, SMX, EST, TM2, SDBG, PDCM, TSC-deadline. */
#define L1_ECX_HIDE (BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | \
                     BIT(11) | BIT(15) | BIT(24))
#define L1_ECX_FORCE (BIT(21) | BIT(31))            /* x2APIC, hypervisor */
/* Leaf 1 EDX: MCE, MTRR, MCA, DS, ACPI (thermal), HTT, TM, PBE. */
#define L1_EDX_HIDE (BIT(7) | BIT(12) | BIT(14) | BIT(21) | BIT(22) | \
                     BIT(28) | BIT(29) | BIT(31))
#define L1_EDX_FORCE BIT(9)                         /* APIC */
/* Leaf 7.0 EBX: SGX, RDT-M, MPX, RDT-A, Intel PT. */
#define L7_EBX_HIDE (BIT(2) | BIT(12) | BIT(14) | BIT(15) | BIT(25))
/* Leaf 7.0 ECX: WAITPKG, LA57 (the guest walker is 4-level), SGX-LC, PKS. */
#define L7_ECX_HIDE (BIT(5) | BIT(16) | BIT(30) | BIT(31))
/* Leaf 7.0 EDX: IBRS/IBPB, STIBP, L1D_FLUSH, ARCH_CAP, CORE_CAP, SSBD:
 * their MSRs are not emulated. */
#define L7_EDX_HIDE (BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(30) | BIT(31))
/* 8000_0001 ECX: SVM, ExtApicSpace, IBS, SKINIT, WDT, LWP, TCE, NodeId,
 * TopoExt, PerfCtrExtCore/NB/LLC, MONITORX. */
#define E1_ECX_HIDE (BIT(2) | BIT(3) | BIT(10) | BIT(12) | BIT(13) | BIT(15) | \
                     BIT(17) | BIT(19) | BIT(22) | BIT(23) | BIT(24) | \
                     BIT(28) | BIT(29))
/* 8000_0008 EBX: IBPB, IBRS, STIBP, SSBD, VIRT_SSBD (MSRs not emulated). */
#define E8_EBX_HIDE (BIT(12) | BIT(14) | BIT(15) | BIT(24) | BIT(25))
#define E7_EDX_KEEP BIT(8)                          /* invariant TSC */

static void zero(struct cpuid_regs *r)
{
    r->a = r->b = r->c = r->d = 0;
}

static void xen_leaf(const struct cpuid_ctx *c, uint32_t leaf,
                     struct cpuid_regs *r)
{
    zero(r);
    switch (leaf - CPUID_XEN_BASE) {
    case 0:
        r->a = CPUID_XEN_MAX_LEAF;
        r->b = CPUID_XEN_SIG_EBX;
        r->c = CPUID_XEN_SIG_ECX;
        r->d = CPUID_XEN_SIG_EDX;
        break;
    case 1:
        r->a = CPUID_XEN_VERSION;
        break;
    case 2:
        r->a = 1;                       /* one hypercall page */
        r->b = CPUID_XEN_HCALL_MSR;
        break;
    case 4:
        /* Not UPCALL_VECTOR (bit 6): Linux then takes the global callback
         * vector and never EOIs; not EXT_DEST_ID, no APIC/x2APIC virt. */
        r->a = CPUID_XEN_VCPU_ID_PRESENT | CPUID_XEN_DOMID_PRESENT;
        r->b = c->vcpu_id;
        r->c = c->domid;
        break;
    }
}

/* x2APIC topology (leaf 0xB): one thread per core, one core per package. */
static void topo_leaf(const struct cpuid_ctx *c, uint32_t sub,
                      struct cpuid_regs *r)
{
    zero(r);
    r->c = sub & 0xFF;
    r->d = c->vcpu_id;
    if (sub < 2) {
        r->b = 1;
        r->c |= (sub + 1) << 8;         /* level type: 1 SMT, 2 core */
    }
}

static void basic_leaf(const struct cpuid_ctx *c, uint32_t leaf, uint32_t sub,
                       struct cpuid_regs *r)
{
    switch (leaf) {
    case 0:
        if (r->a > CPUID_MAX_BASIC)
            r->a = CPUID_MAX_BASIC;
        break;
    case 1:
        r->b = (r->b & 0xFFFFu) | (1u << 16) | c->vcpu_id << 24;
        r->c = (r->c & ~L1_ECX_HIDE) | L1_ECX_FORCE;
        r->d = (r->d & ~L1_EDX_HIDE) | L1_EDX_FORCE;
        break;
    case 7:
        if (sub != 0) {
            zero(r);
            break;
        }
        r->a = 0;                       /* no subleaf 1+ */
        r->b &= ~L7_EBX_HIDE;
        r->c &= ~L7_ECX_HIDE;
        r->d &= ~L7_EDX_HIDE;
        break;
    case 0xB:
        topo_leaf(c, sub, r);
        break;
    case 5: case 6: case 0xA:           /* MWAIT, power, PMU */
        zero(r);
        break;
    }
}

static void ext_leaf(uint32_t leaf, struct cpuid_regs *r)
{
    switch (leaf) {
    case 0x80000000:
        if (r->a > CPUID_MAX_EXT)
            r->a = CPUID_MAX_EXT;
        break;
    case 0x80000001:
        r->c &= ~E1_ECX_HIDE;
        break;
    case 0x80000007:
        r->a = r->b = r->c = 0;
        r->d &= E7_EDX_KEEP;
        break;
    case 0x80000008:
        r->b &= ~E8_EBX_HIDE;
        r->c = 0;                       /* core count from the MADT */
        r->d = 0;
        break;
    }
}

static uint32_t host_max(const struct cpuid_ctx *c, uint32_t base)
{
    struct cpuid_regs r;

    c->host(c->host_ctx, base, 0, &r);
    return r.a;
}

void cpuid_policy(const struct cpuid_ctx *c, uint32_t leaf, uint32_t subleaf,
                  struct cpuid_regs *out)
{
    bool ext = leaf >= 0x80000000u;
    uint32_t base = ext ? 0x80000000u : 0;
    uint32_t cap = ext ? CPUID_MAX_EXT : CPUID_MAX_BASIC;

    if (leaf >= CPUID_XEN_BASE && leaf <= CPUID_XEN_MAX_LEAF) {
        xen_leaf(c, leaf, out);
        return;
    }
    zero(out);
    if (leaf >= CPUID_XEN_BASE && leaf < 0x80000000u)
        return;                         /* other hypervisor bases: none */
    if (leaf >= 0xC0000000u || leaf > cap || leaf > host_max(c, base))
        return;
    c->host(c->host_ctx, leaf, subleaf, out);
    if (ext)
        ext_leaf(leaf, out);
    else
        basic_leaf(c, leaf, subleaf, out);
}
