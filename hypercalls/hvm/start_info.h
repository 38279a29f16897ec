/* SPDX-License-Identifier: MIT */
/*
 * The PVH boot protocol: what a PVH guest finds at its 32-bit entry point
 * (XEN_ELFNOTE_PHYS32_ENTRY). EBX holds the guest-physical address of an
 * hvm_start_info; it and everything it points at lie below 4 GiB. Xen
 * keeps this header at arch-x86/hvm/start_info.h.
 *
 * Entry state: 32-bit protected mode, paging off, flat CS/DS/ES/SS,
 * CR0.PE = 1, interrupts off, EBX as above, everything else undefined.
 */
#ifndef XENLIKE_PUB_HVM_START_INFO_H
#define XENLIKE_PUB_HVM_START_INFO_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/* hvm_start_info.magic: "xEn3" with the 0x80 bit of the 'E' cleared. */
#define XEN_HVM_START_MAGIC_VALUE 0x336ec578

/* hvm_memmap_table_entry.type: the E820 types. */
#define XEN_HVM_MEMMAP_TYPE_RAM      1
#define XEN_HVM_MEMMAP_TYPE_RESERVED 2
#define XEN_HVM_MEMMAP_TYPE_ACPI     3
#define XEN_HVM_MEMMAP_TYPE_NVS      4
#define XEN_HVM_MEMMAP_TYPE_UNUSABLE 5
#define XEN_HVM_MEMMAP_TYPE_DISABLED 6
#define XEN_HVM_MEMMAP_TYPE_PMEM     7

#ifndef __ASSEMBLY__

/*
 * Version 0 ends at memmap_paddr; version 1 adds the memory map. A loader
 * must zero fields it does not fill; addresses of 0 mean "absent".
 */
struct hvm_start_info {
    uint32_t magic;             /* XEN_HVM_START_MAGIC_VALUE */
    uint32_t version;           /* 0 or 1 */
    uint32_t flags;             /* SIF_* (xen.h) */
    uint32_t nr_modules;        /* entries at modlist_paddr */
    uint64_t modlist_paddr;     /* array of hvm_modlist_entry */
    uint64_t cmdline_paddr;     /* NUL-terminated kernel command line */
    uint64_t rsdp_paddr;        /* ACPI RSDP */
    /* version 1 */
    uint64_t memmap_paddr;      /* array of hvm_memmap_table_entry */
    uint32_t memmap_entries;
    uint32_t reserved;          /* zero */
};

/* One boot module (the first is usually the initrd). */
struct hvm_modlist_entry {
    uint64_t paddr;             /* start of the module */
    uint64_t size;              /* bytes */
    uint64_t cmdline_paddr;     /* its command line, or 0 */
    uint64_t reserved;
};

/* One range of the guest's memory map. */
struct hvm_memmap_table_entry {
    uint64_t addr;              /* start, guest-physical */
    uint64_t size;              /* bytes */
    uint32_t type;              /* XEN_HVM_MEMMAP_TYPE_* */
    uint32_t reserved;          /* zero */
};

#endif /* !__ASSEMBLY__ */

#endif
