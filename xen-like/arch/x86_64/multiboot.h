/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the boot loader told us (multiboot.c), copied out of the loader's
 * structures (multiboot1 from QEMU -kernel, multiboot2 from GRUB) so their
 * memory can be reused: command line, memory map, modules, ACPI RSDP.
 */
#ifndef ARCH_MULTIBOOT_H
#define ARCH_MULTIBOOT_H

#include "lib.h"
#include "memmap.h"

#define BOOT_CMDLINE_MAX 1024
#define BOOT_MODULES_MAX 16

struct boot_module {
    paddr_t start, end;             /* [start, end) machine addresses */
    char cmdline[128];
};

struct boot_info {
    const char *loader;             /* "multiboot1" / "multiboot2" */
    char cmdline[BOOT_CMDLINE_MAX];
    struct memmap map;
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MODULES_MAX];
    unsigned int modules_dropped;   /* beyond BOOT_MODULES_MAX (warned) */
    bool has_rsdp;
    uint8_t rsdp[36];               /* copy of the RSDP (ACPI 2.0 size) */
};

/* Parses the loader's info at machine address info_pa (read through phys,
 * see lib.h); false (with a log
 * line) if magic is neither multiboot1's nor multiboot2's or the info
 * cannot be read. Ranges the loader got wrong are skipped, not trusted. */
bool multiboot_parse(uint32_t magic, uint32_t info_pa, struct boot_info *bi, phys_read_fn phys);

#endif
