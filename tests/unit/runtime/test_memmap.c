/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for memory-map normalisation, reservation and mem= (runtime/memmap.c). */
#include "unit.h"
#include "memmap.h"

static struct memmap m;

static void check_range(unsigned int i, uint64_t s, uint64_t e, uint32_t t)
{
    CHECK(i < m.n);
    CHECK_EQ(m.r[i].start, s);
    CHECK_EQ(m.r[i].end, e);
    CHECK_EQ(m.r[i].type, t);
}

/* QEMU's pc machine with 512 MiB, as its multiboot loader reports it. */
static void qemu_map(void)
{
    memmap_init(&m);
    memmap_add(&m, 0, 0x9fc00, MEMMAP_RAM);
    memmap_add(&m, 0x9fc00, 0x400, MEMMAP_RESERVED);
    memmap_add(&m, 0xf0000, 0x10000, MEMMAP_RESERVED);
    memmap_add(&m, 0x100000, 0x1fee0000, MEMMAP_RAM);
    memmap_add(&m, 0x1ffe0000, 0x20000, MEMMAP_RESERVED);
    memmap_add(&m, 0xfffc0000, 0x40000, MEMMAP_RESERVED);
    memmap_normalise(&m);
}

TEST(memmap_sorted_and_merged)
{
    memmap_init(&m);
    memmap_add(&m, 0x3000, 0x1000, MEMMAP_RAM);
    memmap_add(&m, 0x1000, 0x1000, MEMMAP_RAM);
    memmap_add(&m, 0x2000, 0x1000, MEMMAP_RAM);       /* touches both */
    memmap_normalise(&m);
    CHECK_EQ(m.n, 1);
    check_range(0, 0x1000, 0x4000, MEMMAP_RAM);
}

TEST(memmap_overlap_reserved_wins)
{
    memmap_init(&m);
    memmap_add(&m, 0, 0x10000, MEMMAP_RAM);
    memmap_add(&m, 0x4000, 0x2000, MEMMAP_RESERVED);
    memmap_add(&m, 0x5000, 0x2000, MEMMAP_ACPI);
    memmap_normalise(&m);
    CHECK_EQ(m.n, 4);
    check_range(0, 0, 0x4000, MEMMAP_RAM);
    check_range(1, 0x4000, 0x5000, MEMMAP_RESERVED);
    check_range(2, 0x5000, 0x7000, MEMMAP_ACPI);
    check_range(3, 0x7000, 0x10000, MEMMAP_RAM);
    CHECK_EQ(memmap_ram_bytes(&m), 0x4000 + 0x9000);
}

TEST(memmap_reserve_carves_ram_only)
{
    qemu_map();
    memmap_reserve(&m, 0x100000, 0x300000, MEMMAP_HV);
    memmap_reserve(&m, 0x9f000, 0xa1000, MEMMAP_HV);  /* straddles a hole */
    check_range(0, 0, 0x9f000, MEMMAP_RAM);
    check_range(1, 0x9f000, 0x9fc00, MEMMAP_HV);
    check_range(2, 0x9fc00, 0xa0000, MEMMAP_RESERVED);
    check_range(3, 0xf0000, 0x100000, MEMMAP_RESERVED);
    check_range(4, 0x100000, 0x300000, MEMMAP_HV);
    check_range(5, 0x300000, 0x1ffe0000, MEMMAP_RAM);
}

TEST(memmap_limit_ram_cuts_at_amount)
{
    uint64_t left;
    qemu_map();
    left = memmap_limit_ram(&m, 64ull << 20);
    CHECK_EQ(left, 64ull << 20);
    CHECK_EQ(memmap_end(&m, MEMMAP_RAM), 0x100000 + (64ull << 20) - 0x9fc00);
}

TEST(memmap_limit_larger_than_ram_changes_nothing)
{
    uint64_t before;
    qemu_map();
    before = memmap_ram_bytes(&m);
    CHECK_EQ(memmap_limit_ram(&m, 1ull << 40), before);
    CHECK_EQ(memmap_limit_ram(&m, 0), 0);
}

TEST(memmap_full_table_refuses)
{
    memmap_init(&m);
    for (int i = 0; i < MEMMAP_MAX; i++)
        CHECK_EQ(memmap_add(&m, (uint64_t)i * 0x2000, 0x1000, MEMMAP_RAM), 0);
    CHECK_EQ(memmap_add(&m, 1ull << 40, 0x1000, MEMMAP_RAM), -1);
    CHECK_EQ(memmap_add(&m, 0, 0, MEMMAP_RAM), 0);    /* empty range: ignored */
    memmap_normalise(&m);
    CHECK_EQ(m.n, MEMMAP_MAX);
}

TEST(memmap_wrapping_range_clamped)
{
    memmap_init(&m);
    memmap_add(&m, UINT64_MAX - 0xfff, 0x10000, MEMMAP_RESERVED);
    CHECK(m.r[0].end == UINT64_MAX);
    CHECK_STR(memmap_type_name(MEMMAP_HV), "hypervisor");
    CHECK_STR(memmap_type_name(99), "unknown");
}
