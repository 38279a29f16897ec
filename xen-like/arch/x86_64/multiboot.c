/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot1 and multiboot2 information parsing into struct boot_info.
 * Only what the hypervisor uses is read, every read goes through the
 * caller's phys_read_fn with its length, and every size the loader declares
 * is checked before it is used. Pure: host tests feed it fake memory.
 */
#include "multiboot.h"
#include "printk.h"

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289
#define MB2_INFO_MAX   (1u << 20)       /* refuse absurd total sizes */

struct mb1_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

struct mb1_mod { uint32_t start, end, cmdline, pad; };
struct mb1_mmap { uint32_t size; uint64_t addr, len; uint32_t type; } __attribute__((packed));

struct mb2_tag { uint32_t type, size; };
struct mb2_mmap { uint32_t type, size, entry_size, entry_version; };
struct mb2_mmap_entry { uint64_t addr, len; uint32_t type, reserved; };
struct mb2_module { uint32_t type, size, start, end; };

/* Loader types beyond the known ones count as reserved. */
static uint32_t loader_type(uint32_t t)
{
    return t >= MEMMAP_RAM && t <= MEMMAP_BAD ? t : MEMMAP_RESERVED;
}

static void add_range(struct boot_info *bi, uint64_t addr, uint64_t len, uint32_t type)
{
    if (memmap_add(&bi->map, addr, len, loader_type(type)))
        pr_warn("multiboot: memory map has more than %u entries; dropped %#lx+%#lx\n",
                MEMMAP_MAX, (unsigned long)addr, (unsigned long)len);
}

/* A NUL-terminated string at pa, copied (truncated) into dst. */
static void copy_string(phys_read_fn phys, uint64_t pa, char *dst, size_t size)
{
    size_t n = 0;

    for (; n + 1 < size; n++) {
        const char *c = phys(pa + n, 1);
        if (!c || !*c)
            break;
        dst[n] = *c;
    }
    dst[n] = '\0';
}

/* Copies a string that may lack its NUL within srclen bytes. */
static void copy_bounded(char *dst, size_t size, const char *src, size_t srclen)
{
    size_t n = MIN(strnlen(src, srclen), size - 1);

    memcpy(dst, src, n);
    dst[n] = '\0';
}

static struct boot_module *add_module(struct boot_info *bi, uint64_t start, uint64_t end)
{
    if (end < start) {
        pr_warn("multiboot: module %#lx-%#lx ends before it starts; ignored\n",
                (unsigned long)start, (unsigned long)end);
        return NULL;
    }
    if (bi->nr_modules == BOOT_MODULES_MAX) {
        bi->modules_dropped++;
        return NULL;
    }
    bi->modules[bi->nr_modules] = (struct boot_module){ .start = start, .end = end };
    return &bi->modules[bi->nr_modules++];
}

static void parse_mb1_mmap(const struct mb1_info *mi, struct boot_info *bi, phys_read_fn phys)
{
    uint64_t p = mi->mmap_addr, end = p + mi->mmap_length;

    while (p + sizeof(struct mb1_mmap) <= end) {
        const struct mb1_mmap *e = phys(p, sizeof(*e));
        if (!e)
            break;
        add_range(bi, e->addr, e->len, e->type);
        p += (uint64_t)e->size + 4;      /* size excludes itself; >= 20 in practice */
        if (e->size < 20)
            break;
    }
}

static bool parse_mb1(uint32_t info_pa, struct boot_info *bi, phys_read_fn phys)
{
    const struct mb1_info *mi = phys(info_pa, sizeof(*mi));

    if (!mi)
        return false;
    bi->loader = "multiboot1";
    if (mi->flags & (1u << 2))
        copy_string(phys, mi->cmdline, bi->cmdline, sizeof(bi->cmdline));
    if (mi->flags & (1u << 3)) {
        for (uint32_t i = 0; i < MIN(mi->mods_count, 256u); i++) {
            const struct mb1_mod *mod = phys(mi->mods_addr + (uint64_t)i * sizeof(*mod),
                                             sizeof(*mod));
            struct boot_module *m = mod ? add_module(bi, mod->start, mod->end) : NULL;
            if (m && mod->cmdline)
                copy_string(phys, mod->cmdline, m->cmdline, sizeof(m->cmdline));
        }
    }
    if (mi->flags & (1u << 6)) {
        parse_mb1_mmap(mi, bi, phys);
    } else if (mi->flags & 1u) {
        /* No map: the two classic ranges (KiB below 1 MiB / above 1 MiB). */
        add_range(bi, 0, (uint64_t)mi->mem_lower << 10, MEMMAP_RAM);
        add_range(bi, MiB(1), (uint64_t)mi->mem_upper << 10, MEMMAP_RAM);
    }
    return true;
}

static void parse_mb2_mmap(const uint8_t *tag, uint32_t size, struct boot_info *bi)
{
    const struct mb2_mmap *mm = (const void *)tag;

    if (size < sizeof(*mm) || mm->entry_size < sizeof(struct mb2_mmap_entry))
        return;
    for (uint32_t off = sizeof(*mm); off + sizeof(struct mb2_mmap_entry) <= size;
         off += mm->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)(tag + off);
        add_range(bi, e->addr, e->len, e->type);
    }
}

static void parse_mb2_tag(const uint8_t *tag, uint32_t type, uint32_t size, struct boot_info *bi)
{
    const struct mb2_module *m = (const void *)tag;
    struct boot_module *bm;

    switch (type) {
    case 1:
        copy_bounded(bi->cmdline, sizeof(bi->cmdline), (const char *)tag + 8, size - 8);
        break;
    case 3:
        if (size < sizeof(*m) + 1)
            break;
        bm = add_module(bi, m->start, m->end);
        if (bm)
            copy_bounded(bm->cmdline, sizeof(bm->cmdline), (const char *)(m + 1),
                         size - sizeof(*m));
        break;
    case 6:
        parse_mb2_mmap(tag, size, bi);
        break;
    case 14: case 15:
        /* Prefer the ACPI 2.0 copy when both are present. */
        if (!bi->has_rsdp || type == 15) {
            memset(bi->rsdp, 0, sizeof(bi->rsdp));
            memcpy(bi->rsdp, tag + 8, MIN(sizeof(bi->rsdp), (size_t)size - 8));
            bi->has_rsdp = true;
        }
        break;
    }
}

static bool parse_mb2(uint32_t info_pa, struct boot_info *bi, phys_read_fn phys)
{
    const uint32_t *hdr = phys(info_pa, 8);
    const uint8_t *info;
    uint32_t total, off = 8;

    if (!hdr || hdr[0] < 8 || hdr[0] > MB2_INFO_MAX || !(info = phys(info_pa, hdr[0])))
        return false;
    total = hdr[0];
    bi->loader = "multiboot2";
    while (off + sizeof(struct mb2_tag) <= total) {
        const struct mb2_tag *t = (const void *)(info + off);
        if (t->type == 0)
            break;
        if (t->size < 8 || t->size > total - off) {
            pr_warn("multiboot2: tag %u at offset %u has bad size %u; rest ignored\n",
                    t->type, off, t->size);
            break;
        }
        parse_mb2_tag(info + off, t->type, t->size, bi);
        off += ALIGN_UP(t->size, 8u);
    }
    return true;
}

bool multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi, phys_read_fn phys)
{
    bool ok;

    memset(bi, 0, sizeof(*bi));
    memmap_init(&bi->map);
    if (magic == MB1_BOOT_MAGIC) {
        ok = parse_mb1(info_pa, bi, phys);
    } else if (magic == MB2_BOOT_MAGIC) {
        ok = parse_mb2(info_pa, bi, phys);
    } else {
        pr_err("multiboot: unknown boot magic %#x: not started by a multiboot loader\n", magic);
        return false;
    }
    if (!ok) {
        pr_err("multiboot: boot information at %#x is unreadable or malformed\n", info_pa);
        return false;
    }
    if (bi->modules_dropped)
        pr_warn("multiboot: more than %u modules; %u ignored\n", BOOT_MODULES_MAX,
                bi->modules_dropped);
    memmap_normalise(&bi->map);
    return true;
}
