/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The machine memory map (memmap.c): RAM and reserved ranges as reported by
 * the boot loader, normalised (sorted, non-overlapping, reserved wins over
 * RAM), with ranges the hypervisor must keep (its image, modules, low 1 MiB)
 * carved out and an optional limit (mem=). Pure logic, host tested.
 */
#ifndef RUNTIME_MEMMAP_H
#define RUNTIME_MEMMAP_H

#include <stdint.h>

#define MEMMAP_MAX 128

enum memmap_type {
    MEMMAP_RAM = 1,         /* usable RAM (multiboot/e820 type 1) */
    MEMMAP_RESERVED = 2,
    MEMMAP_ACPI = 3,        /* ACPI reclaimable */
    MEMMAP_NVS = 4,
    MEMMAP_BAD = 5,
    MEMMAP_HV = 16,         /* RAM the hypervisor keeps (image, modules, boot data) */
};

struct memmap_range {
    uint64_t start, end;    /* [start, end) in bytes */
    uint32_t type;
};

struct memmap {
    unsigned int n;
    struct memmap_range r[MEMMAP_MAX];
};

void memmap_init(struct memmap *m);
/* Adds a loader range; returns 0, or -1 when the map is full (the range is dropped). */
int memmap_add(struct memmap *m, uint64_t start, uint64_t len, uint32_t type);
/* Sorts, merges touching ranges of one type and resolves overlaps: the
 * highest type number wins (so anything beats RAM). */
void memmap_normalise(struct memmap *m);
/* Marks [start, end) that is RAM as `type` (e.g. MEMMAP_HV); normalises. */
void memmap_reserve(struct memmap *m, uint64_t start, uint64_t end, uint32_t type);
/* Turns RAM beyond the first `limit` bytes of RAM into MEMMAP_RESERVED
 * (mem= limits the amount of RAM, like Xen's mem=). Returns RAM left. */
uint64_t memmap_limit_ram(struct memmap *m, uint64_t limit);
uint64_t memmap_ram_bytes(const struct memmap *m);
uint64_t memmap_end(const struct memmap *m, uint32_t type);
const char *memmap_type_name(uint32_t type);

#endif
