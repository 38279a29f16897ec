/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Multiboot1 and multiboot2 information parsing into struct boot_info.
 * Only what the hypervisor uses is read; everything is bounds-checked
 * against the sizes the loader declares. Runs on the boot page tables,
 * which direct-map the first 4 GiB (where loaders put their data).
 */
#include "multiboot.h"
#include "paging.h"
#include "printk.h"

#define MB1_BOOT_MAGIC 0x2badb002
#define MB2_BOOT_MAGIC 0x36d76289

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
struct mb2_module { uint32_t type, size, start, end; char cmdline[]; };

static const void *phys(uint64_t pa)
{
    return maddr_to_virt(pa);
}

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

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *cmd)
{
    struct boot_module *m;

    if (bi->nr_modules == BOOT_MODULES_MAX) {
        pr_warn("multiboot: more than %u modules; ignoring %#lx\n", BOOT_MODULES_MAX,
                (unsigned long)start);
        return;
    }
    m = &bi->modules[bi->nr_modules++];
    m->start = start;
    m->end = end;
    strlcpy(m->cmdline, cmd ? cmd : "", sizeof(m->cmdline));
}

static void parse_mb1(const struct mb1_info *mi, struct boot_info *bi)
{
    bi->loader = "multiboot1";
    if (mi->flags & (1u << 2))
        strlcpy(bi->cmdline, phys(mi->cmdline), sizeof(bi->cmdline));
    if (mi->flags & (1u << 3)) {
        const struct mb1_mod *mod = phys(mi->mods_addr);
        for (uint32_t i = 0; i < mi->mods_count; i++)
            add_module(bi, mod[i].start, mod[i].end,
                       mod[i].cmdline ? phys(mod[i].cmdline) : NULL);
    }
    if (mi->flags & (1u << 6)) {
        uint64_t p = mi->mmap_addr, end = p + mi->mmap_length;
        while (p + sizeof(struct mb1_mmap) <= end) {
            const struct mb1_mmap *e = phys(p);
            add_range(bi, e->addr, e->len, e->type);
            p += e->size + 4;
        }
    } else if (mi->flags & 1u) {
        /* No map: the two classic ranges (KiB below 1 MiB / above 1 MiB). */
        add_range(bi, 0, (uint64_t)mi->mem_lower << 10, MEMMAP_RAM);
        add_range(bi, MiB(1), (uint64_t)mi->mem_upper << 10, MEMMAP_RAM);
    }
}

static void parse_mb2_mmap(const struct mb2_tag *t, struct boot_info *bi)
{
    const struct mb2_mmap *mm = (const void *)t;
    const uint8_t *p = (const uint8_t *)(mm + 1), *end = (const uint8_t *)t + t->size;

    if (mm->entry_size < sizeof(struct mb2_mmap_entry))
        return;
    for (; p + sizeof(struct mb2_mmap_entry) <= end; p += mm->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)p;
        add_range(bi, e->addr, e->len, e->type);
    }
}

static void parse_mb2(const uint8_t *info, struct boot_info *bi)
{
    uint32_t total = *(const uint32_t *)info;
    const uint8_t *p = info + 8, *end = info + total;

    bi->loader = "multiboot2";
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *t = (const void *)p;
        if (t->type == 0 || t->size < 8 || p + t->size > end)
            break;
        switch (t->type) {
        case 1:
            strlcpy(bi->cmdline, (const char *)(t + 1), MIN(sizeof(bi->cmdline), t->size - 7));
            break;
        case 3: {
            const struct mb2_module *m = (const void *)t;
            add_module(bi, m->start, m->end, m->cmdline);
            break;
        }
        case 6:
            parse_mb2_mmap(t, bi);
            break;
        case 14: case 15:
            /* Prefer the ACPI 2.0 copy when both are present. */
            if (!bi->has_rsdp || t->type == 15) {
                memcpy(bi->rsdp, t + 1, MIN(sizeof(bi->rsdp), t->size - 8));
                bi->has_rsdp = true;
            }
            break;
        }
        p += ALIGN_UP(t->size, 8);
    }
}

bool multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi)
{
    memset(bi, 0, sizeof(*bi));
    memmap_init(&bi->map);
    if (magic == MB1_BOOT_MAGIC)
        parse_mb1(phys(info_pa), bi);
    else if (magic == MB2_BOOT_MAGIC)
        parse_mb2(phys(info_pa), bi);
    else {
        pr_err("multiboot: unknown boot magic %#x: not started by a multiboot loader\n", magic);
        return false;
    }
    memmap_normalise(&bi->map);
    return true;
}
