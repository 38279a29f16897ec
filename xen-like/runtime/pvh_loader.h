/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH kernel loading: ELF64 parsing with the Xen notes, PT_LOAD placement at
 * p_paddr, the guest-physical boot layout and hvm_start_info v1 (memory map,
 * command line, modules). Guest memory is reached only through callbacks, so
 * this compiles unchanged for the host tests. ACPI tables: acpi_build.c.
 */
#ifndef RUNTIME_PVH_LOADER_H
#define RUNTIME_PVH_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errno.h"            /* hypercalls/: Xen's error codes */
#include "hvm/start_info.h"   /* hypercalls/: hvm_start_info v1 */

/* Start-info flags are SIF_* from hypercalls/xen.h. */

/* Xen ELF note types (xen/include/public/elfnote.h) that we read. */
#define PVH_NOTE_XEN_VERSION         5
#define PVH_NOTE_GUEST_OS            6
#define PVH_NOTE_SUPPORTED_FEATURES 17
#define PVH_NOTE_PHYS32_ENTRY       18

#define PVH_MAX_SEGS 16

struct pvh_segment {
    uint64_t paddr;
    uint64_t offset;      /* in the ELF file */
    uint64_t filesz;
    uint64_t memsz;
};

/* What pvh_elf_parse found; pointers point into the caller's ELF buffer. */
struct pvh_image {
    uint64_t entry;              /* PHYS32_ENTRY, 32-bit physical */
    uint64_t lo, hi;             /* [lo, hi): physical span of all PT_LOADs */
    unsigned int nr_segs;
    struct pvh_segment segs[PVH_MAX_SEGS];
    const char *guest_os;        /* not NUL-terminated; guest_os_len bytes */
    size_t guest_os_len;
    uint32_t supported_features; /* XEN_ELFNOTE_SUPPORTED_FEATURES, 0 if absent */
};

/* Parse a 64-bit x86 ELF (Linux's vmlinux or any PVH kernel). Returns 0, or
 * -XEN_ENOEXEC (not an x86_64 ELF executable, or no PHYS32_ENTRY note) or
 * -XEN_EINVAL (malformed) with *why set to the reason. */
int pvh_elf_parse(const void *elf, size_t len, struct pvh_image *img,
                  const char **why);

/* A Linux bzImage: find its compressed payload. Returns 0 and sets
 * *payload and *payload_len, or -XEN_ENOEXEC when buf is not a bzImage, or
 * -XEN_EINVAL with *why. pvh_elf_parse rejects a bzImage with
 * -XEN_EOPNOTSUPP: bzimage.c decompresses the payload into the vmlinux
 * ELF that it parses. */
int pvh_bzimage_payload(const void *buf, size_t len, const void **payload,
                        size_t *payload_len, const char **why);

/* Guest memory writes, to guest-physical addresses. Each returns 0 or a
 * negative Xen errno (the range is not guest RAM). */
struct pvh_guest_mem {
    void *ctx;
    int (*write)(void *ctx, uint64_t gpa, const void *src, size_t len);
    int (*zero)(void *ctx, uint64_t gpa, size_t len);
};

/* Copy each PT_LOAD's filesz bytes to p_paddr and zero the rest of memsz. */
int pvh_elf_load(const struct pvh_image *img, const void *elf,
                 const struct pvh_guest_mem *mem, const char **why);

/*
 * The guest-physical map we give a PVH domU (docs/pvh.md):
 *   RAM       [0, 0xA0000) and [1 MiB, ram_bytes)
 *   RESERVED  [0xE0000, 1 MiB)           ACPI tables, RSDP at 0xE0000
 *   RESERVED  [ram_bytes, +nr_special pages)  console/xenstore rings
 *   boot data at 1 MiB: start_info, memmap, modlist, cmdline (one page each)
 *   initrd    page-aligned at the top of RAM below 4 GiB
 */
#define PVH_LOW_RAM_END      0xA0000ull
#define PVH_ACPI_BASE        0xE0000ull
#define PVH_ACPI_SIZE        0x20000ull
#define PVH_HIGH_RAM_BASE    0x100000ull
#define PVH_START_INFO_GPA   0x100000ull
#define PVH_MEMMAP_GPA       0x101000ull
#define PVH_MODLIST_GPA      0x102000ull
#define PVH_CMDLINE_GPA      0x103000ull
#define PVH_BOOT_DATA_END    0x104000ull
#define PVH_CMDLINE_MAX      2048          /* Linux's COMMAND_LINE_SIZE */
#define PVH_MAX_RAM          0xF0000000ull /* all RAM below 4 GiB for now */
#define PVH_MAX_SPECIAL      16

struct pvh_boot_params {
    uint64_t ram_bytes;          /* page multiple, > the image's end */
    const char *cmdline;         /* NULL = empty */
    const void *initrd;          /* NULL = no module */
    size_t initrd_len;
    uint32_t flags;              /* SIF_* */
    unsigned int nr_special;     /* reserved pages right above RAM */
};

/* The guest's memory map (the table above) for p: up to PVH_MEMMAP_MAX
 * entries into m; returns how many. */
#define PVH_MEMMAP_MAX 4
unsigned int pvh_memmap(const struct pvh_boot_params *p,
                        struct hvm_memmap_table_entry *m);

/* Where things went, for the domain builder and the vCPU's entry state. */
struct pvh_boot_plan {
    uint64_t start_info_gpa;     /* EBX at entry */
    uint64_t entry;              /* EIP at entry */
    uint64_t initrd_gpa;         /* 0 if none */
    uint64_t special_gfn;        /* first special page's GFN */
    uint64_t rsdp_gpa;
    unsigned int memmap_entries;
};

/* Write start_info, memmap, modlist, cmdline and the initrd into the guest.
 * The ACPI tables themselves are the caller's (acpi_build + mem->write at
 * PVH_ACPI_BASE). Returns 0, -XEN_EINVAL, -XEN_E2BIG (cmdline) or
 * -XEN_ENOMEM (does not fit in ram_bytes), with *why. */
int pvh_boot_write(const struct pvh_image *img,
                   const struct pvh_boot_params *p,
                   const struct pvh_guest_mem *mem,
                   struct pvh_boot_plan *plan, const char **why);

/* The PVH entry CPU state (xen docs/misc/pvh.pandoc): 32-bit flat protected
 * mode, paging off. Segment attributes are in the VMCB's packed format
 * (type | S<<4 | DPL<<5 | P<<7 | AVL<<8 | L<<9 | D/B<<10 | G<<11). */
struct pvh_entry_state {
    uint64_t rip, rbx, rflags, cr0, cr4, efer;
    uint16_t cs_sel, ds_sel, tr_sel;
    uint16_t cs_attr, ds_attr, tr_attr;
    uint32_t seg_limit, tr_limit;
};
void pvh_entry_state(const struct pvh_boot_plan *plan,
                     struct pvh_entry_state *st);

#endif
