/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic ACPI tables for PVH guests (acpi_*). Hardware-reduced so Linux
 * needs no PIC, PIT, HPET, RTC or IOAPIC; only a LAPIC per vCPU. Pure
 * byte-building, no machine access. Not here: placing the blob in a guest.
 */
#include "acpi_build.h"

#define SDT_HDR_LEN 36
#define RSDP_LEN    36

static void put8(uint8_t *b, size_t off, uint8_t v)
{
    b[off] = v;
}

static void put16(uint8_t *b, size_t off, uint16_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
    put16(b, off, (uint16_t)v);
    put16(b, off + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
    put32(b, off, (uint32_t)v);
    put32(b, off + 4, (uint32_t)(v >> 32));
}

static void put_str(uint8_t *b, size_t off, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        b[off + i] = (uint8_t)s[i];
}

/* The byte that makes the whole range sum to zero. */
static uint8_t checksum(const uint8_t *b, size_t len)
{
    uint8_t sum = 0;
    size_t i;

    for (i = 0; i < len; i++)
        sum = (uint8_t)(sum + b[i]);
    return (uint8_t)-sum;
}

static void sdt_header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
    put_str(t, 0, sig, 4);
    put32(t, 4, len);
    put8(t, 8, rev);
    put_str(t, 10, "XLIKE ", 6);      /* OEM ID */
    put_str(t, 16, "XLPVH   ", 8);    /* OEM table ID */
    put32(t, 24, 1);                  /* OEM revision */
    put_str(t, 28, "XLHV", 4);        /* creator ID */
    put32(t, 32, 1);                  /* creator revision */
}

static void sdt_seal(uint8_t *t, uint32_t len)
{
    t[9] = 0;
    t[9] = checksum(t, len);
}

static void build_rsdp(uint8_t *b, uint64_t xsdt)
{
    put_str(b, 0, "RSD PTR ", 8);
    put_str(b, 9, "XLIKE ", 6);
    put8(b, 15, 2);                   /* ACPI 2.0+: XSDT */
    put32(b, 16, 0);                  /* no RSDT */
    put32(b, 20, RSDP_LEN);
    put64(b, 24, xsdt);
    b[8] = checksum(b, 20);
    b[32] = checksum(b, RSDP_LEN);
}

static void build_xsdt(uint8_t *t, uint64_t fadt, uint64_t madt)
{
    uint32_t len = SDT_HDR_LEN + 2 * 8;

    sdt_header(t, "XSDT", len, 1);
    put64(t, SDT_HDR_LEN, fadt);
    put64(t, SDT_HDR_LEN + 8, madt);
    sdt_seal(t, len);
}

/* Rev-6 FADT: everything zero except the DSDT pointers and two flag sets,
 * which tell Linux there is no legacy hardware to probe. */
static void build_fadt(uint8_t *t, uint64_t dsdt)
{
    sdt_header(t, "FACP", ACPI_FADT_LEN, ACPI_FADT_REV);
    put32(t, 40, (uint32_t)dsdt);
    put16(t, 109, ACPI_BOOT_NO_VGA | ACPI_BOOT_NO_CMOS_RTC);
    put32(t, 112, ACPI_FADT_HW_REDUCED);
    put64(t, 140, dsdt);              /* X_DSDT */
    sdt_seal(t, ACPI_FADT_LEN);
}

static void build_dsdt(uint8_t *t)
{
    sdt_header(t, "DSDT", SDT_HDR_LEN, 2);
    sdt_seal(t, SDT_HDR_LEN);
}

static uint32_t madt_len(const struct acpi_build_params *p)
{
    return SDT_HDR_LEN + 8 + p->nr_vcpus * (p->legacy_lapic ? 8 : 16);
}

static void build_madt(uint8_t *t, const struct acpi_build_params *p)
{
    uint32_t len = madt_len(p), off = SDT_HDR_LEN + 8;
    unsigned int id;

    sdt_header(t, "APIC", len, 4);
    put32(t, SDT_HDR_LEN, ACPI_LAPIC_ADDR);
    put32(t, SDT_HDR_LEN + 4, 0);     /* no PC-AT dual 8259 */
    for (id = 0; id < p->nr_vcpus; id++) {
        if (p->legacy_lapic) {
            put8(t, off, ACPI_MADT_LAPIC);
            put8(t, off + 1, 8);
            put8(t, off + 2, (uint8_t)id);     /* processor UID */
            put8(t, off + 3, (uint8_t)id);     /* APIC ID */
            put32(t, off + 4, 1);              /* enabled */
            off += 8;
        } else {
            put8(t, off, ACPI_MADT_X2APIC);
            put8(t, off + 1, 16);
            put16(t, off + 2, 0);
            put32(t, off + 4, id);             /* x2APIC ID */
            put32(t, off + 8, 1);              /* enabled */
            put32(t, off + 12, id);            /* processor UID */
            off += 16;
        }
    }
    sdt_seal(t, len);
}

static int fail(const char **why, const char *reason, int err)
{
    if (why)
        *why = reason;
    return err;
}

int acpi_build(void *buf, size_t cap, const struct acpi_build_params *p,
               size_t *used, const char **why)
{
    uint8_t *b = buf;
    uint64_t base = p->base_gpa;
    size_t total, i;

    if (p->nr_vcpus == 0 || p->nr_vcpus > ACPI_MAX_VCPUS)
        return fail(why, "vCPU count must be 1..128", -XEN_EINVAL);
    if (base & 0xF)
        return fail(why, "ACPI base is not 16-byte aligned", -XEN_EINVAL);
    total = ACPI_MADT_OFF + madt_len(p);
    if (base >= 0x100000000ull || total > 0x100000000ull - base)
        return fail(why, "ACPI tables must lie below 4 GiB (32-bit DSDT)",
                    -XEN_EINVAL);
    if (cap < total)
        return fail(why, "buffer too small for the ACPI tables", -XEN_ENOSPC);
    for (i = 0; i < total; i++)
        b[i] = 0;
    build_rsdp(b + ACPI_RSDP_OFF, base + ACPI_XSDT_OFF);
    build_xsdt(b + ACPI_XSDT_OFF, base + ACPI_FADT_OFF, base + ACPI_MADT_OFF);
    build_fadt(b + ACPI_FADT_OFF, base + ACPI_DSDT_OFF);
    build_dsdt(b + ACPI_DSDT_OFF);
    build_madt(b + ACPI_MADT_OFF, p);
    *used = total;
    return 0;
}
