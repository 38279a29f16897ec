/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpuid_policy and msr_policy as tables of (input -> expected output).
 * The fake host answers all-ones for every leaf below its max, so each
 * hidden bit shows as a 0 and each forced bit as a 1; the Xen constants
 * are checked against Debian's public headers.
 */
#include <stdint.h>
#include <xen/arch-x86/cpuid.h>
#include "unit.h"
#include "cpuid_policy.h"
#include "msr_policy.h"
#include "errno.h"

_Static_assert(CPUID_XEN_SIG_EBX == XEN_CPUID_SIGNATURE_EBX, "sig");
_Static_assert(CPUID_XEN_SIG_ECX == XEN_CPUID_SIGNATURE_ECX, "sig");
_Static_assert(CPUID_XEN_SIG_EDX == XEN_CPUID_SIGNATURE_EDX, "sig");
_Static_assert(CPUID_XEN_VCPU_ID_PRESENT == XEN_HVM_CPUID_VCPU_ID_PRESENT, "vcpu");
_Static_assert(CPUID_XEN_DOMID_PRESENT == XEN_HVM_CPUID_DOMID_PRESENT, "domid");
_Static_assert(CPUID_XEN_MAX_LEAF - CPUID_XEN_BASE == XEN_CPUID_MAX_NUM_LEAVES, "max");

struct fake_host { uint32_t max_basic, max_ext, fill; unsigned int calls; };

static void host(void *ctx, uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    struct fake_host *h = ctx;

    h->calls++;
    r->a = r->b = r->c = r->d = h->fill;
    if (leaf == 0) {
        r->a = h->max_basic;
        r->b = 0x68747541; r->d = 0x69746e65; r->c = 0x444d4163; /* AuthenticAMD */
    } else if (leaf == 0x80000000u) {
        r->a = h->max_ext;
    }
}

static struct fake_host ones = { 0x1F, 0x80000021u, 0xFFFFFFFFu, 0 };
static struct fake_host zeros = { 0x1F, 0x80000021u, 0, 0 };

static struct cpuid_regs q(struct fake_host *h, uint32_t vcpu, uint32_t leaf,
                           uint32_t sub)
{
    struct cpuid_ctx c = { vcpu, 7, h, host };
    struct cpuid_regs r;

    memset(&r, 0x5A, sizeof(r));
    cpuid_policy(&c, leaf, sub, &r);
    return r;
}

struct cpuid_vec {
    struct fake_host *h;
    uint32_t vcpu, leaf, sub;
    struct cpuid_regs want;
};

static const struct cpuid_vec cpuid_vecs[] = {
    /* Xen leaves: Linux needs the signature and max - base >= 2. */
    { &ones, 0, 0x40000000, 0, { 0x40000005, 0x566e6558, 0x65584d4d, 0x4d4d566e } },
    { &ones, 0, 0x40000001, 0, { 0x00040011, 0, 0, 0 } },
    { &ones, 0, 0x40000002, 0, { 1, 0x40000000, 0, 0 } },
    { &ones, 0, 0x40000003, 0, { 0, 0, 0, 0 } },
    { &ones, 3, 0x40000004, 0, { 0x18, 3, 7, 0 } },
    { &ones, 0, 0x40000005, 0, { 0, 0, 0, 0 } },
    /* Linux scans every base 0x40000100..0x4000FF00: all empty. */
    { &ones, 0, 0x40000100, 0, { 0, 0, 0, 0 } },
    { &ones, 0, 0x4000FF00, 0, { 0, 0, 0, 0 } },
    { &ones, 0, 0x40000006, 0, { 0, 0, 0, 0 } },
    /* Basic leaves. */
    { &ones, 0, 0, 0, { 0x0D, 0x68747541, 0x444d4163, 0x69746e65 } },
    { &ones, 2, 1, 0, { 0xFFFFFFFF, 0x0201FFFF, 0xFEFF7607, 0x4F9FAF7F } },
    { &zeros, 0, 1, 0, { 0, 0x00010000, 0x80200000, 0x00000200 } },
    { &ones, 0, 5, 0, { 0, 0, 0, 0 } },
    { &ones, 0, 6, 0, { 0, 0, 0, 0 } },
    { &ones, 0, 7, 0, { 0, 0xFDFF2FFB, 0x3FFEFFDF, 0x03FFFFFF } },
    { &ones, 0, 7, 1, { 0, 0, 0, 0 } },
    { &ones, 0, 0xA, 0, { 0, 0, 0, 0 } },
    { &ones, 5, 0xB, 0, { 0, 1, 0x100, 5 } },
    { &ones, 5, 0xB, 1, { 0, 1, 0x201, 5 } },
    { &ones, 5, 0xB, 2, { 0, 0, 2, 5 } },
    { &ones, 0, 0xD, 1, { 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF } },
    { &ones, 0, 0xE, 0, { 0, 0, 0, 0 } },      /* above our cap */
    { &ones, 0, 0x1F, 0, { 0, 0, 0, 0 } },
    /* Extended leaves. */
    { &ones, 0, 0x80000000, 0, { 0x80000008, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF } },
    { &ones, 0, 0x80000001, 0, { 0xFFFFFFFF, 0xFFFFFFFF, 0xCE354BF3, 0xFFFFFFFF } },
    { &ones, 0, 0x80000007, 0, { 0, 0, 0, 0x100 } },
    { &ones, 0, 0x80000008, 0, { 0xFFFFFFFF, 0xFCFF2FFF, 0, 0 } },
    { &ones, 0, 0x8000000A, 0, { 0, 0, 0, 0 } },  /* SVM features: hidden */
    { &ones, 0, 0x8000001F, 0, { 0, 0, 0, 0 } },
    { &ones, 0, 0xC0000000, 0, { 0, 0, 0, 0 } },
};

TEST(cpuid_table)
{
    for (size_t i = 0; i < sizeof(cpuid_vecs) / sizeof(cpuid_vecs[0]); i++) {
        const struct cpuid_vec *v = &cpuid_vecs[i];
        struct cpuid_regs r = q(v->h, v->vcpu, v->leaf, v->sub);

        if (memcmp(&r, &v->want, sizeof(r))) {
            fprintf(stderr, "    leaf %#x.%u: got %08x %08x %08x %08x want "
                    "%08x %08x %08x %08x\n", v->leaf, v->sub, r.a, r.b, r.c,
                    r.d, v->want.a, v->want.b, v->want.c, v->want.d);
            CHECK(0);
        }
    }
}

TEST(cpuid_key_bits_named)
{
    struct cpuid_regs r = q(&ones, 0, 1, 0);

    CHECK(r.c & (1u << 31));          /* hypervisor */
    CHECK(r.c & (1u << 21));          /* x2APIC */
    CHECK(!(r.c & (1u << 3)));        /* MONITOR: idle with HLT */
    CHECK(!(r.c & (1u << 24)));       /* TSC-deadline */
    CHECK(r.d & (1u << 9));           /* APIC */
    CHECK(!(r.d & (1u << 12)));       /* MTRR */
    CHECK(!(r.d & (1u << 7)) && !(r.d & (1u << 14)));  /* MCE, MCA */
    r = q(&ones, 0, 0x80000001, 0);
    CHECK(!(r.c & (1u << 2)));        /* SVM */
    r = q(&ones, 0, 7, 0);
    CHECK(!(r.c & (1u << 16)));       /* LA57 */
    r = q(&ones, 0, 0x40000004, 0);
    CHECK(!(r.a & XEN_HVM_CPUID_UPCALL_VECTOR));
    CHECK(!(r.a & XEN_HVM_CPUID_EXT_DEST_ID));
    CHECK(!(r.a & (XEN_HVM_CPUID_APIC_ACCESS_VIRT | XEN_HVM_CPUID_X2APIC_VIRT)));
}

TEST(cpuid_respects_small_host_max)
{
    struct fake_host small = { 0x7, 0x80000001u, 0xFFFFFFFFu, 0 };

    CHECK_EQ(q(&small, 0, 0, 0).a, 7);
    CHECK_EQ(q(&small, 0, 0xB, 0).d, 0);          /* above host max: zero */
    CHECK_EQ(q(&small, 0, 0x80000000, 0).a, 0x80000001);
    CHECK_EQ(q(&small, 0, 0x80000008, 0).a, 0);
    small.calls = 0;
    q(&small, 0, 0x40000000, 0);
    CHECK_EQ(small.calls, 0);                     /* Xen leaves: no host */
}

/* ---- MSRs --------------------------------------------------------------- */

static struct msr_vcpu vcpu(bool bsp)
{
    struct msr_vcpu v;

    msr_vcpu_init(&v, bsp);
    return v;
}

struct msr_rd { uint32_t msr; enum msr_result res; uint64_t val; };

TEST(msr_read_table)
{
    static const struct msr_rd t[] = {
        { VMSR_EFER, MSR_DONE, 0 },
        { VMSR_APIC_BASE, MSR_DONE, 0xFEE00D00 },
        { VMSR_PAT, MSR_DONE, 0x0007040600070406ull },
        { VMSR_TSC, MSR_DONE, 1000 },
        { VMSR_XEN_HCALL_PAGE, MSR_DONE, 0 },
        { 0xC001001F, MSR_DONE, 0 },          /* NB_CFG, unguarded on EPYC */
        { 0xC0010055, MSR_DONE, 0 },          /* unguarded on family 0xF */
        { 0x8B, MSR_DONE, 0 },
        { 0x1A0, MSR_DONE, 0x1800 },          /* BTS+PEBS unavailable */
        { 0x800, MSR_X2APIC, 0 },
        { 0x802, MSR_X2APIC, 0 },
        { 0x8FF, MSR_X2APIC, 0 },
        { 0xC0010015, MSR_GP, 0 },            /* HWCR: Linux uses _safe */
        { 0xC0011029, MSR_GP, 0 },
        { 0x179, MSR_GP, 0 },                 /* MCG_CAP: MCE hidden */
        { 0xFE, MSR_GP, 0 },                  /* MTRRcap: MTRR hidden */
        { 0xC0010000, MSR_GP, 0 },            /* PERFEVTSEL0 */
        { 0x7FF, MSR_GP, 0 },
        { 0x900, MSR_GP, 0 },
        { 0x40000001, MSR_GP, 0 },
        { 0xC0000080 + 0x1000, MSR_GP, 0 },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct msr_vcpu v = vcpu(true);
        uint64_t val = 0xDEAD;
        const char *why = NULL;
        enum msr_result r = msr_read(&v, t[i].msr, 1000, &val, &why);

        if (r != t[i].res || (r == MSR_DONE && val != t[i].val) ||
            (r == MSR_GP && !why)) {
            fprintf(stderr, "    rdmsr %#x: res %d val %#llx\n", t[i].msr, r,
                    (unsigned long long)val);
            CHECK(0);
        }
    }
}

TEST(msr_apic_base_for_aps_and_no_mode_changes)
{
    struct msr_vcpu v = vcpu(false);
    const char *why = NULL;
    uint64_t val;

    CHECK_EQ(msr_read(&v, VMSR_APIC_BASE, 0, &val, &why), MSR_DONE);
    CHECK_EQ(val, 0xFEE00C00);                    /* EN|EXTD, not BSP */
    CHECK_EQ(msr_write(&v, VMSR_APIC_BASE, 0xFEE00C00, 0, &why), MSR_DONE);
    CHECK_EQ(msr_write(&v, VMSR_APIC_BASE, 0xFEE00800, 0, &why), MSR_GP);
    CHECK(strstr(why, "APIC_BASE"));
    CHECK_EQ(msr_write(&v, VMSR_APIC_BASE, 0, 0, &why), MSR_GP);
    CHECK_EQ(msr_read(&v, VMSR_APIC_BASE, 0, &val, &why), MSR_DONE);
    CHECK_EQ(val, 0xFEE00C00);
}

TEST(msr_efer_hides_svme_and_checks_bits)
{
    struct msr_vcpu v = vcpu(true);
    const char *why = NULL;
    uint64_t val;

    CHECK_EQ(msr_vmcb_efer(&v), VEFER_SVME);       /* VMRUN needs it */
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0x100, 0, &why), MSR_DONE);  /* pvh_start_xen */
    CHECK_EQ(msr_read(&v, VMSR_EFER, 0, &val, &why), MSR_DONE);
    CHECK_EQ(val, 0x100);
    CHECK_EQ(msr_vmcb_efer(&v), 0x1100);
    /* Paging on: the hardware set LMA; the caller synced it in. */
    v.efer = 0x500;
    v.cr0 = 0x80000011;
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0xD01, 0, &why), MSR_DONE);   /* startup_64 */
    CHECK_EQ(v.efer, 0xD01);
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0x901, 0, &why), MSR_DONE);   /* LMA write ignored */
    CHECK_EQ(v.efer, 0xD01);
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0xC01, 0, &why), MSR_GP);     /* LME off, PG on */
    CHECK(strstr(why, "LME"));
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0xD01 | VEFER_SVME, 0, &why), MSR_GP);
    CHECK(strstr(why, "SVME"));
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0xD01 | (1ull << 14), 0, &why), MSR_GP);
    CHECK_EQ(msr_write(&v, VMSR_EFER, 0xD01 | (1ull << 40), 0, &why), MSR_GP);
    CHECK(strstr(why, "reserved"));
    CHECK_EQ(v.efer, 0xD01);                      /* failed writes change nothing */
}

TEST(msr_pat_and_tsc)
{
    struct msr_vcpu v = vcpu(true);
    const char *why = NULL;
    uint64_t val;

    CHECK_EQ(msr_write(&v, VMSR_PAT, 0x0007010600070106ull, 0, &why), MSR_DONE);
    CHECK_EQ(msr_read(&v, VMSR_PAT, 0, &val, &why), MSR_DONE);
    CHECK_EQ(val, 0x0007010600070106ull);
    CHECK_EQ(msr_write(&v, VMSR_PAT, 0x0007040600070402ull, 0, &why), MSR_GP);
    CHECK_EQ(msr_write(&v, VMSR_PAT, 0x0807040600070406ull, 0, &why), MSR_GP);
    CHECK_EQ(msr_write(&v, VMSR_PAT, 0x0007040600030406ull, 0, &why), MSR_GP);
    CHECK(strstr(why, "PAT"));
    CHECK_EQ(msr_write(&v, VMSR_TSC, 500, 2000, &why), MSR_DONE);
    CHECK_EQ(msr_read(&v, VMSR_TSC, 3000, &val, &why), MSR_DONE);
    CHECK_EQ(val, 1500);
}

TEST(msr_write_table)
{
    static const struct { uint32_t msr; uint64_t val; enum msr_result res; } t[] = {
        { 0xC001001F, 0x400000000000ull, MSR_DONE },  /* ignored */
        { 0xC0010055, 1, MSR_DONE },
        { 0x8B, 0, MSR_DONE },
        { 0x1A0, 1, MSR_DONE },
        { 0x80B, 0, MSR_X2APIC },                     /* EOI */
        { 0x830, 0xF6 | (1ull << 18), MSR_X2APIC },   /* ICR */
        { 0xC0010015, 0, MSR_GP },
        { 0x48, 1, MSR_GP },                          /* SPEC_CTRL: hidden */
        { 0x3A, 0, MSR_GP },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct msr_vcpu v = vcpu(true), before = v;
        const char *why = NULL;
        enum msr_result r = msr_write(&v, t[i].msr, t[i].val, 0, &why);

        if (r != t[i].res) {
            fprintf(stderr, "    wrmsr %#x: res %d\n", t[i].msr, r);
            CHECK(0);
        }
        CHECK(memcmp(&v, &before, sizeof(v)) == 0);
    }
}

TEST(msr_hypercall_page)
{
    struct msr_vcpu v = vcpu(true);
    const char *why = NULL;
    static uint8_t page[4096];

    CHECK_EQ(msr_write(&v, VMSR_XEN_HCALL_PAGE, 0x7000, 0, &why), MSR_HCALL_PAGE);
    CHECK_EQ(v.hcall_page_gpa, 0x7000);
    CHECK_EQ(msr_write(&v, VMSR_XEN_HCALL_PAGE, 0x8001, 0, &why), MSR_GP);
    CHECK(strstr(why, "index"));
    CHECK_EQ(v.hcall_page_gpa, 0x7000);
    msr_hcall_page(page, false);
    /* stub 17 = __HYPERVISOR_xen_version: mov $17,%eax; vmmcall; ret */
    CHECK(memcmp(page + 17 * 32, "\xB8\x11\x00\x00\x00\x0F\x01\xD9\xC3", 9) == 0);
    CHECK(memcmp(page + 127 * 32, "\xB8\x7F\x00\x00\x00\x0F\x01\xD9\xC3", 9) == 0);
    CHECK(memcmp(page + 23 * 32, "\x0F\x0B", 2) == 0);    /* iret: ud2 */
    msr_hcall_page(page, true);
    CHECK(memcmp(page + 0, "\xB8\x00\x00\x00\x00\x0F\x01\xC1\xC3", 9) == 0);
}

TEST(msr_permission_map)
{
    static uint8_t pm[MSR_PM_SIZE];

    CHECK_EQ(msr_pm_build(pm, 4096), -XEN_EINVAL);
    CHECK_EQ(msr_pm_build(pm, sizeof(pm)), 0);
    /* AMD APM 15.11: byte 0x800 + 0x80 * 2 / 8 = 0x820 holds the pairs of
     * EFER (bits 0-1, intercepted), STAR, LSTAR and CSTAR (passed). */
    CHECK_EQ(pm[0x820], 0x03);
    CHECK_EQ(pm[0x1FFF], 0xFF);
    for (uint32_t m = 0; m <= 0x1FFF; m++) {
        bool pass = msr_passthrough(m);
        CHECK_EQ(msr_pm_intercepts(pm, m, false), !pass);
        CHECK_EQ(msr_pm_intercepts(pm, m, true), !pass);
    }
    for (uint32_t m = 0xC0000000u; m <= 0xC0001FFFu; m++)
        CHECK_EQ(msr_pm_intercepts(pm, m, true), !msr_passthrough(m));
    for (uint32_t m = 0xC0010000u; m <= 0xC0011FFFu; m++)
        CHECK_EQ(msr_pm_intercepts(pm, m, false), 1);
    CHECK(!msr_pm_intercepts(pm, VMSR_FS_BASE, false));
    CHECK(!msr_pm_intercepts(pm, VMSR_SYSENTER_EIP, true));
    CHECK(msr_pm_intercepts(pm, VMSR_EFER, true));
    CHECK(msr_pm_intercepts(pm, VMSR_TSC, false));
    CHECK(msr_pm_intercepts(pm, 0x40000000, true));   /* outside: always */
    CHECK(msr_passthrough(VMSR_TSC_AUX));
    CHECK(!msr_passthrough(VMSR_EFER));
}
