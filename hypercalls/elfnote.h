/* SPDX-License-Identifier: MIT */
/*
 * Types of the ELF notes (owner name "Xen") a guest kernel carries to tell
 * the domain builder how to load it. Descriptors are a NUL-terminated
 * string or a little-endian integer of the note's size, as given per type.
 */
#ifndef XENLIKE_PUB_ELFNOTE_H
#define XENLIKE_PUB_ELFNOTE_H

#define XEN_ELFNOTE_INFO               0   /* obsolete "__xen_guest" string */
#define XEN_ELFNOTE_ENTRY              1   /* integer: PV entry point (virtual) */
#define XEN_ELFNOTE_HYPERCALL_PAGE     2   /* integer: where to put the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE          3   /* integer: virtual address of the load base */
#define XEN_ELFNOTE_PADDR_OFFSET       4   /* integer: virtual minus physical of ELF addresses */
#define XEN_ELFNOTE_XEN_VERSION        5   /* string: e.g. "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS           6   /* string: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION      7   /* string */
#define XEN_ELFNOTE_LOADER             8   /* string: "generic" */
#define XEN_ELFNOTE_PAE_MODE           9   /* string: "yes", "no", "bimodal" */
#define XEN_ELFNOTE_FEATURES           10  /* string: '|'-separated XENFEAT_ names, '!' = required */
#define XEN_ELFNOTE_BSD_SYMTAB         11  /* string "yes": load the symbol table too */
#define XEN_ELFNOTE_HV_START_LOW       12  /* integer: lowest hypervisor address (32-bit PV) */
#define XEN_ELFNOTE_L1_MFN_VALID       13  /* integer pair: mask and value of valid L1 PTEs */
#define XEN_ELFNOTE_SUSPEND_CANCEL     14  /* integer: kernel supports suspend cancellation */
#define XEN_ELFNOTE_INIT_P2M           15  /* integer: virtual address for the initial p2m */
#define XEN_ELFNOTE_MOD_START_PFN      16  /* integer: kernel accepts mod_start as a pfn */
#define XEN_ELFNOTE_SUPPORTED_FEATURES 17  /* integer: XENFEAT_* bitmap the kernel supports */
#define XEN_ELFNOTE_PHYS32_ENTRY       18  /* integer: PVH 32-bit physical entry point */
#define XEN_ELFNOTE_MAX                XEN_ELFNOTE_PHYS32_ENTRY

/* Notes in crash dumps made by the hypervisor. */
#define XEN_ELFNOTE_CRASH_INFO 0x1000001
#define XEN_ELFNOTE_CRASH_REGS 0x1000002

/* Notes in domain core dumps made by the toolstack. */
#define XEN_ELFNOTE_DUMPCORE_NONE           0x2000000
#define XEN_ELFNOTE_DUMPCORE_HEADER         0x2000001
#define XEN_ELFNOTE_DUMPCORE_XEN_VERSION    0x2000002
#define XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION 0x2000003

#endif
