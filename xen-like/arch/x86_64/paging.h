/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's own address space (paging.c): the virtual layout, the
 * direct map of RAM, and mapping pages with chosen permissions. Guest page
 * tables (NPT, PV) are not here.
 *
 * Layout:  0xffff810000000000  CPU stacks, one 64 KiB slot each, first page unmapped
 *          0xffff820000000000  MMIO window (uncached)
 *          0xffff830000000000  direct map: machine address pa at DIRECTMAP_BASE + pa
 *          0xffffffff80000000  hypervisor image: pa at HV_VIRT_BASE + pa (text RX,
 *                              rodata R+NX, data/bss RW+NX)
 * The lower half is unmapped once boot is done (a NULL dereference faults).
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#define HV_VIRT_BASE    0xffffffff80000000
#define DIRECTMAP_BASE  0xffff830000000000
#define DIRECTMAP_SIZE  (1ull << 40)     /* 1 TiB of machine addresses at most */
#define HV_LOAD_ADDR    0x100000          /* where the loader puts the image */
#define STACK_VIRT_BASE 0xffff810000000000
#define STACK_SLOT_SIZE 0x10000           /* per CPU: guard page + stack */

#ifndef __ASSEMBLY__
#include "lib.h"

/* Page-table entry bits. */
#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_PWT  (1ull << 3)
#define PTE_PCD  (1ull << 4)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_PS   (1ull << 7)
#define PTE_G    (1ull << 8)
#define PTE_NX   (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull

/* Mapping permissions for paging_map(). */
#define MAP_R    0u            /* read-only, not executable */
#define MAP_W    (1u << 0)
#define MAP_X    (1u << 1)
#define MAP_UC   (1u << 2)     /* uncached (MMIO) */

/* Machine address <-> hypervisor pointer, through the direct map. Valid for
 * every machine address below the end of RAM (and all of 0..4 GiB). */
static inline void *maddr_to_virt(paddr_t pa)
{
    return (void *)(uintptr_t)(DIRECTMAP_BASE + pa);
}

/* Works for direct-map pointers and for pointers into the hypervisor image. */
paddr_t virt_to_maddr(const void *va);

/* Map npages 4 KiB pages at va to pa..; page tables come from the page
 * allocator. Returns 0, or -XEN_ENOMEM. Flushes the TLB entries it changes
 * on this CPU only. */
int paging_map(uintptr_t va, paddr_t pa, unsigned long npages, unsigned int perm);

/* The leaf PTE that maps va in the hypervisor's tables (0 if unmapped);
 * *level gets 1 (4K), 2 (2M) or 3 (1G). For self-tests and fault dumps. */
uint64_t paging_lookup(uintptr_t va, int *level);

/* The machine address of the hypervisor's top-level page table (CR3). */
paddr_t paging_root(void);

/* A phys_read_fn (lib.h) over the direct map of 0..4 GiB, which exists
 * from the first instruction of start_hv(): for the boot-time parsers. */
const void *paging_boot_read(uint64_t pa, size_t len);

/* Map npages (at most a slot minus the guard) of stack for cpu in its slot
 * above an unmapped guard page; returns the stack top, or 0. */
uintptr_t paging_map_stack(unsigned int cpu, paddr_t pa, unsigned long npages);

/* Map a device's registers uncached in the MMIO window; NULL if full. */
void *paging_map_mmio(paddr_t pa, size_t size);

/* PTE_NX if the CPU has NX (and EFER.NXE is on), else 0. */
uint64_t paging_nx_bit(void);

/* Boot: build and load the final tables (direct map up to end, at least
 * 4 GiB); APs load the same tables. */
void paging_init(paddr_t end);
void paging_init_ap(void);
void paging_enable_nx(void);

#endif
#endif
