/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * acpi_build: parse the blob back the way an OS does (RSDP -> XSDT -> FADT,
 * MADT -> DSDT by physical address) and check signatures, lengths,
 * revisions, checksums, flags and one enabled LAPIC entry per vCPU.
 */
#include <stdint.h>
#include "unit.h"
#include "acpi_build.h"

#define BASE 0xE0000ull

static uint8_t blob[0x20000];

static uint32_t r32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t r64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint16_t r16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

/* A table by guest-physical address, with its header checked. */
static const uint8_t *table(uint64_t gpa, size_t used, const char *sig)
{
    const uint8_t *t;

    CHECK(gpa >= BASE && gpa - BASE + 36 <= used);
    t = blob + (gpa - BASE);
    CHECK(memcmp(t, sig, 4) == 0);
    CHECK(gpa - BASE + r32(t + 4) <= used);
    CHECK_EQ(sum(t, r32(t + 4)), 0);
    return t;
}

static size_t build(unsigned int n, bool legacy)
{
    struct acpi_build_params p = { BASE, n, legacy };
    const char *why = NULL;
    size_t used = 0;

    memset(blob, 0xCC, sizeof(blob));
    CHECK_EQ(acpi_build(blob, sizeof(blob), &p, &used, &why), 0);
    return used;
}

static const uint8_t *walk_to(size_t used, const char *sig)
{
    const uint8_t *rsdp = blob, *xsdt;
    uint32_t n;

    CHECK(memcmp(rsdp, "RSD PTR ", 8) == 0);
    CHECK_EQ(sum(rsdp, 20), 0);             /* ACPI 1.0 checksum */
    CHECK_EQ(rsdp[15], 2);
    CHECK_EQ(r32(rsdp + 20), 36);
    CHECK_EQ(sum(rsdp, 36), 0);             /* extended checksum */
    xsdt = table(r64(rsdp + 24), used, "XSDT");
    n = (r32(xsdt + 4) - 36) / 8;
    CHECK_EQ(n, 2);
    for (uint32_t i = 0; i < n; i++) {
        const uint8_t *t = blob + (r64(xsdt + 36 + 8 * i) - BASE);
        if (memcmp(t, sig, 4) == 0)
            return table(r64(xsdt + 36 + 8 * i), used, sig);
    }
    CHECK(!"table not in XSDT");
    return NULL;
}

TEST(rsdp_xsdt_fadt_dsdt_parse_back)
{
    size_t used = build(1, false);
    const uint8_t *fadt = walk_to(used, "FACP"), *dsdt;

    CHECK_EQ(r32(fadt + 4), 276);
    CHECK_EQ(fadt[8], 6);
    CHECK_EQ(r32(fadt + 112) & (1u << 20), 1u << 20);  /* HW_REDUCED_ACPI */
    CHECK_EQ(r16(fadt + 109), (1 << 2) | (1 << 5));    /* NO_VGA|NO_CMOS_RTC */
    CHECK_EQ(r16(fadt + 109) & 0x3, 0);                /* no legacy devs/8042 */
    CHECK_EQ(r32(fadt + 56), 0);                       /* no PM1a event block */
    CHECK_EQ(r64(fadt + 140), r32(fadt + 40));         /* X_DSDT == DSDT */
    dsdt = table(r64(fadt + 140), used, "DSDT");
    CHECK_EQ(r32(dsdt + 4), 36);
    CHECK_EQ(blob[used], 0xCC);                        /* nothing past used */
}

static void check_madt(unsigned int n, bool legacy)
{
    size_t used = build(n, legacy);
    const uint8_t *madt = walk_to(used, "APIC");
    uint32_t len = r32(madt + 4), off = 44, seen = 0;

    CHECK_EQ(madt[8], 4);
    CHECK_EQ(r32(madt + 36), 0xFEE00000u);
    CHECK_EQ(r32(madt + 40), 0);                       /* no 8259 */
    while (off < len) {
        uint8_t type = madt[off], elen = madt[off + 1];
        CHECK(elen >= 2 && off + elen <= len);
        CHECK(type != 1);                              /* no IOAPIC */
        if (legacy) {
            CHECK_EQ(type, 0);
            CHECK_EQ(elen, 8);
            CHECK_EQ(madt[off + 3], seen);
            CHECK_EQ(r32(madt + off + 4), 1);
        } else {
            CHECK_EQ(type, 9);
            CHECK_EQ(elen, 16);
            CHECK_EQ(r32(madt + off + 4), seen);       /* x2APIC id */
            CHECK_EQ(r32(madt + off + 8), 1);          /* enabled */
            CHECK_EQ(r32(madt + off + 12), seen);      /* UID */
        }
        seen++;
        off += elen;
    }
    CHECK_EQ(off, len);
    CHECK_EQ(seen, n);
}

TEST(madt_one_x2apic_entry_per_vcpu)
{
    check_madt(1, false);
    check_madt(2, false);
    check_madt(ACPI_MAX_VCPUS, false);
}

TEST(madt_legacy_lapic_entries_when_asked)
{
    check_madt(1, true);
    check_madt(4, true);
}

TEST(bad_params_are_rejected)
{
    struct acpi_build_params p = { BASE, 0, false };
    const char *why = NULL;
    size_t used = 0;

    CHECK_EQ(acpi_build(blob, sizeof(blob), &p, &used, &why), -XEN_EINVAL);
    CHECK(strstr(why, "vCPU"));
    p.nr_vcpus = ACPI_MAX_VCPUS + 1;
    CHECK_EQ(acpi_build(blob, sizeof(blob), &p, &used, &why), -XEN_EINVAL);
    p.nr_vcpus = 1;
    p.base_gpa = BASE + 8;
    CHECK_EQ(acpi_build(blob, sizeof(blob), &p, &used, &why), -XEN_EINVAL);
    CHECK(strstr(why, "aligned"));
    p.base_gpa = 0xFFFFFF00ull;
    CHECK_EQ(acpi_build(blob, sizeof(blob), &p, &used, &why), -XEN_EINVAL);
    CHECK(strstr(why, "4 GiB"));
    p.base_gpa = BASE;
    memset(blob, 0xCC, sizeof(blob));
    CHECK_EQ(acpi_build(blob, 0x1D0, &p, &used, &why), -XEN_ENOSPC);
    CHECK_EQ(blob[0], 0xCC);                       /* nothing written */
    CHECK_EQ(used, 0);
}
