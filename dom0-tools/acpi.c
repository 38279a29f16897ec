/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table construction (acpi.h). Offsets and field positions are the
 * ACPI 6.x specification's (5.2.5 RSDP, 5.2.6 header, 5.2.9 FADT,
 * 5.2.12 MADT); every table's bytes sum to zero.
 */
#include <string.h>

#include "acpi.h"

#define RSDP_OFF 0x000
#define XSDT_OFF 0x040
#define FADT_OFF 0x080
#define DSDT_OFF 0x1A0
#define MADT_OFF 0x1D0
#define HDR_LEN  36
#define FADT_LEN 276
#define X2APIC_LEN 16

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static unsigned char sum(const unsigned char *p, size_t n)
{
    unsigned char s = 0;

    while (n--)
        s = (unsigned char)(s + *p++);
    return s;
}

static void header(unsigned char *t, const char *sig, uint32_t len, unsigned char rev)
{
    memcpy(t, sig, 4);
    put32(t + 4, len);
    t[8] = rev;
    memcpy(t + 10, "XENLKE", 6);
    memcpy(t + 16, "XLTOOLS ", 8);
    put32(t + 24, 1);
    memcpy(t + 28, "XLTS", 4);
    put32(t + 32, 1);
}

static void seal(unsigned char *t, uint32_t len)
{
    t[9] = 0;
    t[9] = (unsigned char)-sum(t, len);
}

static void fadt(unsigned char *t, uint32_t gpa)
{
    header(t, "FACP", FADT_LEN, 6);
    put32(t + 40, gpa + DSDT_OFF);          /* DSDT */
    t[45] = 0;                              /* preferred PM profile: unspecified */
    t[109] = (1u << 2) | (1u << 5);         /* IAPC_BOOT_ARCH: no VGA, no CMOS RTC */
    put32(t + 112, 1u << 20);               /* flags: HW_REDUCED_ACPI */
    t[131] = 3;                             /* FADT minor version (6.3) */
    put64(t + 140, gpa + DSDT_OFF);         /* X_DSDT */
    memcpy(t + 268, "XenVMM\0\0", 8);       /* hypervisor vendor identity */
    seal(t, FADT_LEN);
}

static uint32_t madt(unsigned char *t, unsigned int vcpus)
{
    uint32_t len = HDR_LEN + 8 + vcpus * X2APIC_LEN;

    header(t, "APIC", len, 4);
    put32(t + 36, 0xFEE00000u);             /* local APIC address */
    put32(t + 40, 0);                       /* no PC-AT dual 8259 */
    for (unsigned int i = 0; i < vcpus; i++) {
        unsigned char *e = t + 44 + i * X2APIC_LEN;

        e[0] = 9;                           /* processor local x2APIC */
        e[1] = X2APIC_LEN;
        put32(e + 4, i);                    /* x2APIC id = vCPU id */
        put32(e + 8, 1);                    /* enabled */
        put32(e + 12, i);                   /* ACPI processor UID */
    }
    seal(t, len);
    return len;
}

int acpi_build(unsigned char *buf, uint32_t gpa, unsigned int vcpus)
{
    unsigned char *r = buf + RSDP_OFF, *x = buf + XSDT_OFF;

    if (!vcpus || vcpus > ACPI_MAX_VCPUS)
        return -1;
    memset(buf, 0, ACPI_BLOB_SIZE);
    memcpy(r, "RSD PTR ", 8);
    memcpy(r + 9, "XENLKE", 6);
    r[15] = 2;
    put32(r + 20, 36);
    put64(r + 24, gpa + XSDT_OFF);
    r[8] = (unsigned char)-sum(r, 20);
    r[32] = (unsigned char)-sum(r, 36);
    header(x, "XSDT", HDR_LEN + 16, 1);
    put64(x + 36, gpa + FADT_OFF);
    put64(x + 44, gpa + MADT_OFF);
    seal(x, HDR_LEN + 16);
    fadt(buf + FADT_OFF, gpa);
    header(buf + DSDT_OFF, "DSDT", HDR_LEN, 2);
    seal(buf + DSDT_OFF, HDR_LEN);
    madt(buf + MADT_OFF, vcpus);
    return 0;
}
