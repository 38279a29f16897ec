/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * guest_walk: synthetic 4-level guest page tables in a fake guest RAM;
 * 4K/2M/1G translations, PCID bits in CR3, every permission and
 * reserved-bit fault with its error code, tables outside RAM, ranges.
 */
#include <stdint.h>
#include "unit.h"
#include "guest_walk.h"

#define RAM_SIZE (8u << 20)
#define P  1ull
#define RW 2ull
#define US 4ull
#define PS 0x80ull
#define NX (1ull << 63)

static uint8_t *ram;
static uint64_t next_table;
static unsigned int reads;

static int rd(void *ctx, uint64_t gpa, uint64_t *v)
{
    reads++;
    if (gpa >= RAM_SIZE || RAM_SIZE - gpa < 8 || (gpa & 7))
        return -XEN_EFAULT;
    memcpy(v, ram + gpa, 8);
    return 0;
}

static uint64_t *ent(uint64_t table, unsigned int idx)
{
    return (uint64_t *)(ram + table) + idx;
}

static uint64_t new_table(void)
{
    uint64_t t = next_table;

    next_table += 0x1000;
    memset(ram + t, 0, 0x1000);
    return t;
}

#define CR3 0x100000ull

static void setup(void)
{
    ram = calloc(1, RAM_SIZE);
    next_table = CR3;
    new_table();
}

/* Map gva at `level` (1 = 4K, 2 = 2M, 3 = 1G) to gpa; intermediate entries
 * get `upper` flags, the leaf gets `leaf` flags. */
static void map(uint64_t gva, uint64_t gpa, int level, uint64_t upper,
                uint64_t leaf)
{
    uint64_t table = CR3;

    for (int l = 4; l > level; l--) {
        uint64_t *e = ent(table, (gva >> (12 + 9 * (l - 1))) & 0x1FF);
        if (!(*e & P))
            *e = new_table() | upper;
        table = *e & 0x000FFFFFFFFFF000ull;
    }
    *ent(table, (gva >> (12 + 9 * (level - 1))) & 0x1FF) =
        gpa | leaf | (level > 1 ? PS : 0);
}

static struct gw_mode mode(void)
{
    struct gw_mode m = {
        .cr0 = (1ull << 31) | (1ull << 16) | 1,       /* PG WP PE */
        .cr3 = CR3, .cr4 = 1ull << 5,                 /* PAE */
        .efer = (1ull << 10) | (1ull << 8) | (1ull << 11),  /* LMA LME NXE */
        .maxphyaddr = 48, .read_gpa64 = rd,
    };
    return m;
}

static uint64_t ok(const struct gw_mode *m, uint64_t gva, unsigned int acc)
{
    struct gw_fault f = { 0 };
    uint64_t gpa = ~0ull;

    if (guest_walk(m, gva, acc, &gpa, &f) != 0) {
        fprintf(stderr, "    walk %#llx failed: %s\n", (unsigned long long)gva,
                f.why);
        CHECK(0);
    }
    return gpa;
}

static struct gw_fault bad(const struct gw_mode *m, uint64_t gva,
                           unsigned int acc)
{
    struct gw_fault f = { 0 };
    uint64_t gpa = 0x1234;

    CHECK_EQ(guest_walk(m, gva, acc, &gpa, &f), -XEN_EFAULT);
    CHECK_EQ(gpa, 0x1234);                 /* untouched on failure */
    CHECK(f.why != NULL);
    return f;
}

#define KVA 0xffffffff81000000ull
#define DMAP 0xffff888000000000ull
#define VMALLOC 0xffffc90000010123ull

TEST(translates_4k_2m_1g_pages)
{
    struct gw_mode m = mode();

    setup();
    map(KVA, 0x1000000, 2, P | RW, P | RW);
    map(VMALLOC, 0x345000, 1, P | RW, P | RW | NX);
    map(DMAP, 0x40000000, 3, P | RW, P | RW | NX);
    map(0x400000, 0x500000, 1, P | RW | US, P | US);
    CHECK_EQ(ok(&m, KVA + 0x850, 0), 0x1000850);
    CHECK_EQ(ok(&m, KVA + 0x1FFFFF, GW_FETCH), 0x11FFFFF);
    CHECK_EQ(ok(&m, VMALLOC, GW_WRITE), 0x345123);
    CHECK_EQ(ok(&m, DMAP + 0x12345678, GW_WRITE), 0x52345678);
    CHECK_EQ(ok(&m, 0x400FFF, GW_USER), 0x500FFF);
}

TEST(pcid_bits_in_cr3_are_masked)
{
    struct gw_mode m = mode();

    setup();
    map(KVA, 0x1000000, 2, P | RW, P | RW);
    m.cr3 = CR3 | 0xABC;                         /* PCID 0xABC */
    m.cr4 |= 1ull << 17;                         /* CR4.PCIDE */
    CHECK_EQ(ok(&m, KVA + 0x10, 0), 0x1000010);
    m.cr3 = CR3 | (1ull << 63) | 5;              /* no-flush bit too */
    CHECK_EQ(ok(&m, KVA + 0x10, 0), 0x1000010);
}

TEST(not_present_at_each_level)
{
    struct gw_mode m = mode();
    struct gw_fault f;

    setup();
    map(0x400000, 0x500000, 1, P | RW | US, P | RW | US);
    f = bad(&m, 0x7f0000000000ull, 0);           /* empty PML4 slot */
    CHECK_EQ(f.level, 4);
    CHECK_EQ(f.pfec, 0);
    f = bad(&m, 0x40000000ull, GW_WRITE | GW_USER);  /* empty PDPT slot */
    CHECK_EQ(f.level, 3);
    CHECK_EQ(f.pfec, GW_PFEC_WRITE | GW_PFEC_USER);
    f = bad(&m, 0x600000, 0);                    /* empty PD slot */
    CHECK_EQ(f.level, 2);
    f = bad(&m, 0x401000, GW_FETCH);             /* empty PT slot */
    CHECK_EQ(f.level, 1);
    CHECK_EQ(f.pfec, GW_PFEC_FETCH);
    CHECK(strstr(f.why, "not present"));
}

TEST(permission_faults_have_present_bit)
{
    struct gw_mode m = mode();
    struct gw_fault f;

    setup();
    map(KVA, 0x1000000, 1, P | RW, P);                   /* kernel RO */
    map(0x400000, 0x500000, 1, P | RW | US, P | US | NX); /* user RO NX */
    map(0x800000, 0x600000, 1, P | US, P | RW | US);     /* RO upper */
    f = bad(&m, KVA, GW_USER);
    CHECK_EQ(f.pfec, GW_PFEC_PRESENT | GW_PFEC_USER);
    CHECK(strstr(f.why, "supervisor page"));
    f = bad(&m, KVA, GW_WRITE);                  /* CR0.WP=1 */
    CHECK_EQ(f.pfec, GW_PFEC_PRESENT | GW_PFEC_WRITE);
    m.cr0 &= ~(1ull << 16);                      /* WP=0: kernel may write */
    CHECK_EQ(ok(&m, KVA, GW_WRITE), 0x1000000);
    f = bad(&m, 0x400000, GW_WRITE | GW_USER);   /* user never ignores RO */
    CHECK_EQ(f.pfec, GW_PFEC_PRESENT | GW_PFEC_WRITE | GW_PFEC_USER);
    m.cr0 |= 1ull << 16;
    f = bad(&m, 0x400000, GW_FETCH | GW_USER);
    CHECK_EQ(f.pfec, GW_PFEC_PRESENT | GW_PFEC_FETCH | GW_PFEC_USER);
    CHECK(strstr(f.why, "no-execute"));
    f = bad(&m, 0x800000, GW_WRITE | GW_USER);   /* RW only at the leaf */
    CHECK(strstr(f.why, "read-only"));
    m.efer &= ~(1ull << 11);                     /* NXE off: NX is reserved */
    f = bad(&m, 0x400000, GW_USER);
    CHECK_EQ(f.pfec & GW_PFEC_RSVD, GW_PFEC_RSVD);
}

TEST(smep_and_smap)
{
    struct gw_mode m = mode();
    struct gw_fault f;

    setup();
    map(0x400000, 0x500000, 1, P | RW | US, P | RW | US);
    CHECK_EQ(ok(&m, 0x400000, GW_FETCH), 0x500000);      /* no SMEP yet */
    CHECK_EQ(ok(&m, 0x400000, GW_WRITE), 0x500000);      /* no SMAP yet */
    m.cr4 |= (1ull << 20) | (1ull << 21);
    f = bad(&m, 0x400000, GW_FETCH);
    CHECK(strstr(f.why, "SMEP"));
    f = bad(&m, 0x400000, 0);
    CHECK(strstr(f.why, "SMAP"));
    m.rflags = 1ull << 18;                       /* AC: privcmd's stac */
    CHECK_EQ(ok(&m, 0x400000, GW_WRITE), 0x500000);
    f = bad(&m, 0x400000, GW_IMPLICIT);          /* AC does not help */
    CHECK(strstr(f.why, "SMAP"));
    CHECK_EQ(ok(&m, 0x400000, GW_USER | GW_WRITE), 0x500000);
}

TEST(reserved_bits_fault)
{
    struct gw_mode m = mode();
    struct gw_fault f;

    setup();
    map(KVA, 0x1000000, 2, P | RW, P | RW);
    map(DMAP, 0x40000000, 3, P | RW, P | RW);
    map(0x400000, 0x500000, 1, P | RW, P | RW);
    *ent(CR3, 0) |= PS;                          /* PS in a PML4E */
    f = bad(&m, 0x400000, 0);
    CHECK_EQ(f.level, 4);
    CHECK_EQ(f.pfec, GW_PFEC_PRESENT | GW_PFEC_RSVD);
    *ent(CR3, 0) &= ~PS;
    m.maxphyaddr = 40;                           /* frame bit 45 above it */
    map(0x400000, 0x200000000000ull, 1, P | RW, P | RW);
    f = bad(&m, 0x400000, 0);
    CHECK_EQ(f.level, 1);
    m.maxphyaddr = 0;                            /* 52: now fine */
    CHECK_EQ(ok(&m, 0x400000, 0), 0x200000000000ull);
    map(KVA, 0x1000000 | 0x2000, 2, P | RW, P | RW);     /* bit 13 in 2M */
    f = bad(&m, KVA, 0);
    CHECK_EQ(f.level, 2);
    map(DMAP, 0x40000000 | 0x10000000, 3, P | RW, P | RW);  /* bit 28 in 1G */
    f = bad(&m, DMAP, 0);
    CHECK_EQ(f.level, 3);
}

TEST(tables_outside_guest_ram)
{
    struct gw_mode m = mode();
    struct gw_fault f;

    setup();
    m.cr3 = 0x10000000;                          /* beyond RAM */
    f = bad(&m, KVA, 0);
    CHECK_EQ(f.level, 4);
    CHECK(strstr(f.why, "not in guest RAM"));
    m.cr3 = CR3;
    *ent(CR3, 511) = 0x7FFFF000ull | P | RW;     /* PDPT beyond RAM */
    f = bad(&m, KVA, 0);
    CHECK_EQ(f.level, 3);
}

TEST(noncanonical_and_unsupported_modes)
{
    struct gw_mode m = mode();
    struct gw_fault f;
    uint64_t gpa = 0;

    setup();
    f = bad(&m, 0x0000800000000000ull, 0);
    CHECK(strstr(f.why, "non-canonical"));
    reads = 0;
    f = bad(&m, 0xFFFF7FFFFFFFFFFFull, 0);
    CHECK_EQ(reads, 0);                          /* rejected before a read */
    m.cr4 |= 1ull << 12;
    f = bad(&m, KVA, 0);
    CHECK(strstr(f.why, "5-level"));
    m = mode();
    m.efer = 0;                                  /* 32-bit paging */
    f = bad(&m, 0x1000, 0);
    CHECK(strstr(f.why, "32-bit"));
    m.cr0 = 1;                                   /* paging off: 1:1, 32 bit */
    CHECK_EQ(guest_walk(&m, 0x1000850, GW_WRITE, &gpa, &f), 0);
    CHECK_EQ(gpa, 0x1000850);
    CHECK_EQ(guest_walk(&m, 0x100000123ull, 0, &gpa, &f), 0);
    CHECK_EQ(gpa, 0x123);
}

struct collected {
    uint64_t gpa[8];
    size_t done[8], n[8];
    int count, stop_at;
};

static int collect(void *ctx, uint64_t gpa, size_t done, size_t n)
{
    struct collected *c = ctx;

    if (c->count == c->stop_at)
        return -99;
    c->gpa[c->count] = gpa;
    c->done[c->count] = done;
    c->n[c->count++] = n;
    return 0;
}

TEST(range_splits_at_pages_and_is_all_or_nothing)
{
    struct gw_mode m = mode();
    struct collected c = { .stop_at = -1 };
    struct gw_fault f;

    setup();
    map(0x400000, 0x500000, 1, P | RW, P | RW);
    map(0x401000, 0x300000, 1, P | RW, P | RW);      /* not contiguous */
    map(0x402000, 0x700000, 1, P | RW, P);           /* read-only */
    CHECK_EQ(guest_walk_range(&m, 0x400FF0, 0x20, GW_WRITE, collect, &c, &f), 0);
    CHECK_EQ(c.count, 2);
    CHECK_EQ(c.gpa[0], 0x500FF0);
    CHECK_EQ(c.n[0], 0x10);
    CHECK_EQ(c.gpa[1], 0x300000);
    CHECK_EQ(c.done[1], 0x10);
    CHECK_EQ(c.n[1], 0x10);
    c.count = 0;
    CHECK_EQ(guest_walk_range(&m, 0x401FF0, 0x20, GW_WRITE, collect, &c, &f),
             -XEN_EFAULT);
    CHECK_EQ(c.count, 0);                        /* first page never copied */
    CHECK(strstr(f.why, "read-only"));
    CHECK_EQ(guest_walk_range(&m, 0x401FF0, 0x20, 0, collect, &c, &f), 0);
    c.count = 0;
    c.stop_at = 1;
    CHECK_EQ(guest_walk_range(&m, 0x400FF0, 0x20, 0, collect, &c, &f), -99);
    CHECK_EQ(guest_walk_range(&m, ~0ull - 4, 16, 0, collect, &c, &f),
             -XEN_EFAULT);
    CHECK(strstr(f.why, "wraps"));
    c.count = 0;
    c.stop_at = -1;
    CHECK_EQ(guest_walk_range(&m, 0x400000, 0, 0, collect, &c, &f), 0);
    CHECK_EQ(c.count, 0);
}
