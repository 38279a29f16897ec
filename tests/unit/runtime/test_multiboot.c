/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for multiboot1/multiboot2 parsing (arch/x86_64/multiboot.c)
 * over fake machine memory, including malformed loader data. */
#include "unit.h"
#include "fake_phys.h"
#include "multiboot.h"

#define MB1 0x2badb002
#define MB2 0x36d76289
static struct boot_info bi;

/* multiboot1 info at 0x1000, mmap at 0x2000, modules at 0x3000, strings at 0x4000. */
static void mb1_setup(uint32_t flags)
{
    put32(0x1000, flags);
    put32(0x1004, 639);                 /* mem_lower KiB */
    put32(0x1008, 65536);               /* mem_upper KiB */
    put32(0x1010, 0x4000);              /* cmdline */
    strcpy((char *)fake_mem + 0x4000, "/boot/xen-like loglvl=debug");
    put32(0x1014, 2);                   /* mods_count */
    put32(0x1018, 0x3000);
    put32(0x3000, 0x200000); put32(0x3004, 0x300000); put32(0x3008, 0x4100); put32(0x300c, 0);
    strcpy((char *)fake_mem + 0x4100, "vmlinuz console=hvc0");
    put32(0x3010, 0x300000); put32(0x3014, 0x380000); put32(0x3018, 0); put32(0x301c, 0);
    /* mmap: RAM, reserved, an unknown type 7, RAM above 4 GiB */
    static const struct { uint64_t a, l; uint32_t t; } e[] = {
        { 0, 0x9fc00, 1 }, { 0x9fc00, 0x400, 2 }, { 0x100000, 0x7f00000, 1 },
        { 0xfec00000, 0x1000, 7 }, { 0x100000000ull, 0x40000000, 1 },
    };
    for (unsigned int i = 0; i < 5; i++) {
        uint64_t pa = 0x2000 + i * 24;
        put32(pa, 20);
        put64(pa + 4, e[i].a);
        put64(pa + 12, e[i].l);
        put32(pa + 20, e[i].t);
    }
    put32(0x102c, 5 * 24);              /* mmap_length */
    put32(0x1030, 0x2000);
}

TEST(mb1_full_info)
{
    mb1_setup((1 << 0) | (1 << 2) | (1 << 3) | (1 << 6));
    CHECK(multiboot_parse(MB1, 0x1000, &bi, fake_read));
    CHECK_STR(bi.loader, "multiboot1");
    CHECK_STR(bi.cmdline, "/boot/xen-like loglvl=debug");
    CHECK_EQ(bi.nr_modules, 2);
    CHECK_EQ(bi.modules[0].start, 0x200000);
    CHECK_EQ(bi.modules[0].end, 0x300000);
    CHECK_STR(bi.modules[0].cmdline, "vmlinuz console=hvc0");
    CHECK_STR(bi.modules[1].cmdline, "");
    CHECK_EQ(bi.map.n, 5);
    CHECK_EQ(bi.map.r[3].type, MEMMAP_RESERVED);     /* type 7 treated as reserved */
    CHECK_EQ(bi.map.r[4].start, 0x100000000ull);
    CHECK_EQ(memmap_ram_bytes(&bi.map), 0x9fc00 + 0x7f00000 + 0x40000000ull);
    CHECK(!bi.has_rsdp);
}

TEST(mb1_without_mmap_uses_mem_fields)
{
    mb1_setup(1 << 0);
    CHECK(multiboot_parse(MB1, 0x1000, &bi, fake_read));
    CHECK_EQ(bi.map.n, 2);
    CHECK_EQ(bi.map.r[0].end, 639 * 1024);
    CHECK_EQ(bi.map.r[1].start, 0x100000);
    CHECK_EQ(bi.map.r[1].end, 0x100000 + 65536ull * 1024);
    CHECK_STR(bi.cmdline, "");
    CHECK_EQ(bi.nr_modules, 0);
}

TEST(mb1_bad_pointers_are_skipped)
{
    mb1_setup((1 << 2) | (1 << 3) | (1 << 6));
    put32(0x1010, 0x7ffffff0);          /* cmdline outside memory */
    put32(0x1018, 0x7ffffff0);          /* module list outside memory */
    put32(0x1030, FAKE_MEM_SIZE - 8);   /* mmap runs off the end */
    CHECK(multiboot_parse(MB1, 0x1000, &bi, fake_read));
    CHECK_STR(bi.cmdline, "");
    CHECK_EQ(bi.nr_modules, 0);
    CHECK_EQ(bi.map.n, 0);
    CHECK(!multiboot_parse(MB1, FAKE_MEM_SIZE + 0x1000, &bi, fake_read));
    CHECK(strstr(fake_log, "unreadable or malformed") != NULL);
}

TEST(mb1_mmap_entry_size_too_small_stops)
{
    mb1_setup(1 << 6);
    put32(0x2000 + 24, 0);              /* second entry claims size 0 */
    CHECK(multiboot_parse(MB1, 0x1000, &bi, fake_read));
    CHECK_EQ(bi.map.n, 2);              /* first two read, then stop */
}

TEST(mb1_too_many_modules)
{
    mb1_setup(1 << 3);
    put32(0x1014, 40);
    for (uint32_t i = 0; i < 40; i++) {
        put32(0x3000 + i * 16, 0x200000 + i * 0x1000);
        put32(0x3004 + i * 16, 0x201000 + i * 0x1000);
        put32(0x3008 + i * 16, 0);
    }
    put32(0x3000 + 16 * 16 - 16 + 4, 0x1000);   /* module 15 ends before it starts */
    CHECK(multiboot_parse(MB1, 0x1000, &bi, fake_read));
    CHECK_EQ(bi.nr_modules, BOOT_MODULES_MAX);
    CHECK_EQ(bi.modules[15].start, 0x200000 + 16 * 0x1000);  /* the bad one skipped */
    CHECK(strstr(fake_log, "ends before it starts") != NULL);
    CHECK(strstr(fake_log, "more than 16 modules; 23 ignored") != NULL);
}

/* multiboot2 builder: tags appended at 0x10000. */
static uint32_t mb2_off;
static void mb2_begin(void) { mb2_off = 8; }
static uint8_t *mb2_tag(uint32_t type, uint32_t size)
{
    uint8_t *t = fake_mem + 0x10000 + mb2_off;
    put32(0x10000 + mb2_off, type);
    put32(0x10000 + mb2_off + 4, size);
    mb2_off += (size + 7) & ~7u;
    return t;
}
static void mb2_end(void)
{
    mb2_tag(0, 8);
    put32(0x10000, mb2_off);
}

static void mb2_standard(void)
{
    uint8_t *t;
    mb2_begin();
    t = mb2_tag(1, 8 + 12);
    memcpy(t + 8, "loglvl=warn", 12);
    t = mb2_tag(3, 16 + 6);
    memcpy(t + 8, "\x00\x00\x40\x00\x00\x00\x50\x00", 8);   /* 0x400000 - 0x500000 */
    memcpy(t + 16, "initrd", 6);                             /* no NUL: bounded copy */
    t = mb2_tag(6, 16 + 2 * 24);
    memcpy(t + 8, "\x18\x00\x00\x00\x00\x00\x00\x00", 8);   /* entry_size 24, version 0 */
    memcpy(t + 16, "\x00\x00\x00\x00\x00\x00\x00\x00" "\x00\xfc\x09\x00\x00\x00\x00\x00"
                   "\x01\x00\x00\x00\x00\x00\x00\x00", 24);
    memcpy(t + 40, "\x00\x00\x10\x00\x00\x00\x00\x00" "\x00\x00\xf0\x0f\x00\x00\x00\x00"
                   "\x01\x00\x00\x00\x00\x00\x00\x00", 24);
    t = mb2_tag(14, 8 + 20);
    memcpy(t + 8, "RSD PTR old", 11);
    t = mb2_tag(15, 8 + 36);
    memcpy(t + 8, "RSD PTR new", 11);
}

TEST(mb2_standard_tags)
{
    mb2_standard();
    mb2_end();
    CHECK(multiboot_parse(MB2, 0x10000, &bi, fake_read));
    CHECK_STR(bi.loader, "multiboot2");
    CHECK_STR(bi.cmdline, "loglvl=warn");
    CHECK_EQ(bi.nr_modules, 1);
    CHECK_EQ(bi.modules[0].start, 0x400000);
    CHECK_EQ(bi.modules[0].end, 0x500000);
    CHECK_STR(bi.modules[0].cmdline, "initrd");
    CHECK_EQ(bi.map.n, 2);
    CHECK_EQ(memmap_ram_bytes(&bi.map), 0x9fc00 + 0xff00000);
    CHECK(bi.has_rsdp);
    CHECK(!memcmp(bi.rsdp, "RSD PTR new", 11));        /* ACPI 2.0 copy preferred */
}

TEST(mb2_tag_overrunning_total_stops_parse)
{
    uint8_t *t;
    mb2_standard();
    t = mb2_tag(1, 8 + 4);
    put32((uint64_t)(t - fake_mem) + 4, 4000);          /* claims to run past the end */
    mb2_end();
    CHECK(multiboot_parse(MB2, 0x10000, &bi, fake_read));
    CHECK_STR(bi.cmdline, "loglvl=warn");               /* earlier tags kept */
    CHECK(strstr(fake_log, "bad size 4000") != NULL);
}

TEST(mb2_tiny_tag_and_bad_total)
{
    mb2_begin();
    mb2_tag(1, 4);                                       /* smaller than a tag header */
    mb2_end();
    CHECK(multiboot_parse(MB2, 0x10000, &bi, fake_read));
    CHECK_EQ(bi.map.n, 0);
    put32(0x10000, 4);                                   /* total below the header */
    CHECK(!multiboot_parse(MB2, 0x10000, &bi, fake_read));
    put32(0x10000, 0x7fffffff);                          /* absurd total */
    CHECK(!multiboot_parse(MB2, 0x10000, &bi, fake_read));
}

TEST(mb2_mmap_with_tiny_entry_size_ignored)
{
    uint8_t *t;
    mb2_begin();
    t = mb2_tag(6, 16 + 24);
    memcpy(t + 8, "\x04\x00\x00\x00", 4);                /* entry_size 4 */
    mb2_end();
    CHECK(multiboot_parse(MB2, 0x10000, &bi, fake_read));
    CHECK_EQ(bi.map.n, 0);
}

TEST(mb2_long_cmdline_truncated)
{
    uint8_t *t;
    mb2_begin();
    t = mb2_tag(1, 8 + 3000);
    memset(t + 8, 'x', 2999);
    t[8 + 2999] = 0;
    mb2_end();
    CHECK(multiboot_parse(MB2, 0x10000, &bi, fake_read));
    CHECK_EQ(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

TEST(unknown_magic_refused)
{
    CHECK(!multiboot_parse(0x12345678, 0x1000, &bi, fake_read));
    CHECK(strstr(fake_log, "unknown boot magic 0x12345678") != NULL);
}
