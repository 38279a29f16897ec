/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for MADT discovery (arch/x86_64/acpi.c) over fake memory. */
#include "unit.h"
#include "fake_phys.h"
#include "acpi.h"

static struct acpi_cpus cpus;

static void fix_sum(uint64_t pa, size_t len, size_t sum_off)
{
    uint8_t s = 0;
    fake_mem[pa + sum_off] = 0;
    for (size_t i = 0; i < len; i++)
        s += fake_mem[pa + i];
    fake_mem[pa + sum_off] = (uint8_t)-s;
}

static void header(uint64_t pa, const char *sig, uint32_t len)
{
    memcpy(fake_mem + pa, sig, 4);
    put32(pa + 4, len);
}

/* MADT at 0x30000: LAPIC 0 enabled, LAPIC 1 disabled, LAPIC 2 enabled,
 * x2APIC 300 enabled, LAPIC 0 again (duplicate). */
static uint32_t build_madt(void)
{
    static const uint8_t ents[] = {
        0, 8, 0, 0, 1, 0, 0, 0,
        0, 8, 1, 1, 0, 0, 0, 0,
        0, 8, 2, 2, 1, 0, 0, 0,
        9, 16, 0, 0, 0x2c, 1, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0,
        0, 8, 3, 0, 1, 0, 0, 0,
    };
    uint32_t len = 36 + 8 + sizeof(ents);
    header(0x30000, "APIC", len);
    put32(0x30000 + 36, 0xfee00000);
    memcpy(fake_mem + 0x30000 + 44, ents, sizeof(ents));
    fix_sum(0x30000, len, 9);
    return len;
}

/* RSDP (rev 2) at 0xe1000 -> XSDT at 0x20000 -> [FACP-ish junk, MADT]. */
static void build_xsdt_machine(void)
{
    build_madt();
    header(0x21000, "FACP", 36);
    fix_sum(0x21000, 36, 9);
    header(0x20000, "XSDT", 36 + 16);
    put64(0x20000 + 36, 0x21000);
    put64(0x20000 + 44, 0x30000);
    fix_sum(0x20000, 52, 9);
    memcpy(fake_mem + 0xe1000, "RSD PTR ", 8);
    fake_mem[0xe1000 + 15] = 2;
    put64(0xe1000 + 24, 0x20000);
    fix_sum(0xe1000, 20, 8);
}

TEST(acpi_scan_finds_xsdt_madt)
{
    build_xsdt_machine();
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), 0);
    CHECK_EQ(cpus.n, 3);
    CHECK_EQ(cpus.apic_id[0], 0);
    CHECK_EQ(cpus.apic_id[1], 2);                  /* disabled id 1 skipped */
    CHECK_EQ(cpus.apic_id[2], 300);                /* x2APIC entry */
    CHECK_EQ(cpus.lapic_base, 0xfee00000);
}

TEST(acpi_loader_copy_and_rsdt)
{
    uint8_t copy[36] = "RSD PTR ";
    build_madt();
    header(0x20000, "RSDT", 36 + 4);
    put32(0x20000 + 36, 0x30000);
    fix_sum(0x20000, 40, 9);
    copy[15] = 0;                                   /* ACPI 1.0: RSDT */
    memcpy(copy + 16, "\x00\x00\x02\x00", 4);
    {
        uint8_t s = 0;
        for (int i = 0; i < 20; i++)
            s += copy[i];
        copy[8] = (uint8_t)-s;
    }
    CHECK_EQ(acpi_madt_cpus(copy, &cpus, fake_read), 0);
    CHECK_EQ(cpus.n, 3);
}

TEST(acpi_no_rsdp)
{
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), -1);
    CHECK(strstr(fake_log, "no RSDP found") != NULL);
}

TEST(acpi_bad_madt_checksum)
{
    build_xsdt_machine();
    fake_mem[0x30000 + 44 + 3] ^= 1;
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), -1);
    CHECK(strstr(fake_log, "APIC at 0x30000 has a bad checksum") != NULL);
}

TEST(acpi_table_length_beyond_memory)
{
    build_xsdt_machine();
    put32(0x30000 + 4, 0x00800000);                /* 8 MiB: past fake memory */
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), -1);
    CHECK(strstr(fake_log, "bad length") != NULL);
}

TEST(acpi_zero_length_entry_stops)
{
    uint32_t len;
    build_xsdt_machine();
    len = 36 + 8 + 8;
    fake_mem[0x30000 + 44 + 8 + 1] = 0;             /* second entry length 0 */
    put32(0x30000 + 4, len);
    fix_sum(0x30000, len, 9);
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), 0);
    CHECK_EQ(cpus.n, 1);
}

TEST(acpi_madt_without_enabled_cpus)
{
    build_xsdt_machine();
    put32(0x30000 + 4, 44);
    fix_sum(0x30000, 44, 9);
    CHECK_EQ(acpi_madt_cpus(NULL, &cpus, fake_read), -1);
    CHECK(strstr(fake_log, "lists no enabled CPU") != NULL);
}
