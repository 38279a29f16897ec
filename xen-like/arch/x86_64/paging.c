/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's page tables, shared by all CPUs: the direct map of all
 * machine memory (NX), the image with per-section permissions (text RX,
 * rodata R+NX, data/bss RW+NX) and an MMIO window mapped uncached. The
 * lower half stays unmapped. Guest page tables are elsewhere.
 */
#include "paging.h"
#include "cpu.h"
#include "errno.h"
#include "page_alloc.h"
#include "printk.h"
#include "spinlock.h"

#define MMIO_BASE  0xffff820000000000ull
#define MMIO_SIZE  (1ull << 30)

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];
extern char __boot_stack_guard[];
extern uint64_t boot_pml4[];

static uint64_t *root;              /* NULL until paging_init() switches */
static paddr_t root_pa;
static uint64_t nx;                 /* PTE_NX, or 0 on CPUs without NX */
static spinlock_t lock = SPINLOCK_INIT;
static uintptr_t mmio_next = MMIO_BASE;

static unsigned int index_of(uintptr_t va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static uint64_t *current_root(void)
{
    return root ? root : boot_pml4;
}

/* The entry for va at `level` (1 = 4K leaf ... 4 = PML4), allocating
 * intermediate tables when create is set; NULL if absent or no memory. */
static uint64_t *entry_for(uintptr_t va, int level, bool create)
{
    uint64_t *table = current_root();

    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[index_of(va, l)];
        if (!(*e & PTE_P)) {
            paddr_t pa;
            if (!create || (pa = page_alloc_zeroed(0)) == PADDR_INVALID)
                return NULL;
            *e = pa | PTE_P | PTE_W;
        } else if (*e & PTE_PS) {
            return NULL;            /* covered by a large page */
        }
        table = maddr_to_virt(*e & PTE_ADDR_MASK);
    }
    return &table[index_of(va, level)];
}

static uint64_t perm_bits(unsigned int perm)
{
    uint64_t bits = PTE_P | PTE_G;

    if (perm & MAP_W)
        bits |= PTE_W;
    if (!(perm & MAP_X))
        bits |= nx;
    if (perm & MAP_UC)
        bits |= PTE_PCD | PTE_PWT;
    return bits;
}

static int map_locked(uintptr_t va, paddr_t pa, unsigned long npages, unsigned int perm)
{
    for (unsigned long i = 0; i < npages; i++) {
        uint64_t *e = entry_for(va + i * PAGE_SIZE, 1, true);
        if (!e)
            return -XEN_ENOMEM;
        *e = (pa + i * PAGE_SIZE) | perm_bits(perm);
        invlpg((void *)(va + i * PAGE_SIZE));
    }
    return 0;
}

int paging_map(uintptr_t va, paddr_t pa, unsigned long npages, unsigned int perm)
{
    uint64_t flags = spin_lock_irqsave(&lock);
    int rc = map_locked(va, pa, npages, perm);

    spin_unlock_irqrestore(&lock, flags);
    return rc;
}

void *paging_map_mmio(paddr_t pa, size_t size)
{
    unsigned long npages = (ALIGN_UP(pa + size, PAGE_SIZE) - ALIGN_DOWN(pa, PAGE_SIZE)) >> PAGE_SHIFT;
    uint64_t flags = spin_lock_irqsave(&lock);
    uintptr_t va = mmio_next;
    int rc = -XEN_ENOMEM;

    if (va + npages * PAGE_SIZE <= MMIO_BASE + MMIO_SIZE)
        rc = map_locked(va, ALIGN_DOWN(pa, PAGE_SIZE), npages, MAP_W | MAP_UC);
    if (!rc)
        mmio_next += npages * PAGE_SIZE;
    spin_unlock_irqrestore(&lock, flags);
    return rc ? NULL : (void *)(va + (pa & ~PAGE_MASK));
}

uintptr_t paging_map_stack(unsigned int cpu, paddr_t pa, unsigned long npages)
{
    uintptr_t base = STACK_VIRT_BASE + (uintptr_t)cpu * STACK_SLOT_SIZE + PAGE_SIZE;

    if (npages * PAGE_SIZE > STACK_SLOT_SIZE - PAGE_SIZE ||
        paging_map(base, pa, npages, MAP_W))
        return 0;
    return base + npages * PAGE_SIZE;
}

uint64_t paging_lookup(uintptr_t va, int *level)
{
    uint64_t *table = current_root();

    for (int l = 4; l >= 1; l--) {
        uint64_t e = table[index_of(va, l)];
        if (!(e & PTE_P))
            return 0;
        if (l == 1 || (e & PTE_PS)) {
            if (level)
                *level = l;
            return e;
        }
        table = maddr_to_virt(e & PTE_ADDR_MASK);
    }
    return 0;
}

paddr_t virt_to_maddr(const void *p)
{
    uintptr_t va = (uintptr_t)p;
    uint64_t e;
    int level;

    if (va >= HV_VIRT_BASE)
        return va - HV_VIRT_BASE;
    if (va >= DIRECTMAP_BASE && va < DIRECTMAP_BASE + DIRECTMAP_SIZE)
        return va - DIRECTMAP_BASE;
    e = paging_lookup(va, &level);
    if (!e)
        return PADDR_INVALID;
    return (e & PTE_ADDR_MASK & ~((1ull << (PAGE_SHIFT + 9 * (level - 1))) - 1)) |
           (va & ((1ull << (PAGE_SHIFT + 9 * (level - 1))) - 1));
}

const void *paging_boot_read(uint64_t pa, size_t len)
{
    if (pa >= GiB(4) || len > GiB(4) - pa)
        return NULL;
    return maddr_to_virt(pa);
}

paddr_t paging_root(void)
{
    return root_pa;
}

uint64_t paging_nx_bit(void)
{
    return nx;
}

/* Direct map of [0, end) with the largest pages the CPU has. */
static void map_direct(paddr_t end)
{
    bool huge = cpu_has_1g_pages();
    uint64_t step = huge ? GiB(1) : MiB(2);

    for (paddr_t pa = 0; pa < end; pa += step) {
        uint64_t *e = entry_for(DIRECTMAP_BASE + pa, huge ? 3 : 2, true);
        if (!e)
            panic("paging: no memory for the direct map");
        *e = pa | PTE_P | PTE_W | PTE_PS | PTE_G | nx;
    }
}

static void map_image(void)
{
    uintptr_t va;

    for (va = (uintptr_t)__image_start; va < (uintptr_t)__image_end; va += PAGE_SIZE) {
        unsigned int perm;
        if (va == (uintptr_t)__boot_stack_guard)
            continue;                   /* an overflow of the boot stack faults */
        perm = va < (uintptr_t)__text_end ? MAP_X : va < (uintptr_t)__rodata_end ? MAP_R : MAP_W;
        if (map_locked(va, va - HV_VIRT_BASE, 1, perm))
            panic("paging: no memory for the image mapping");
    }
}

/* NX for data, and SMEP: the hypervisor never executes user pages. */
void paging_enable_nx(void)
{
    if (cpu_has_nx())
        wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
    if (cpu_has_smep())
        write_cr4(read_cr4() | CR4_SMEP);
}

/* Boot CPU: build the final tables and switch to them. `end` is the top of
 * machine memory to direct-map (at least 4 GiB, for MMIO and ACPI). */
void paging_init(paddr_t end)
{
    paddr_t pa = page_alloc_zeroed(0);

    if (pa == PADDR_INVALID)
        panic("paging: no memory for the root table");
    paging_enable_nx();
    nx = cpu_has_nx() ? PTE_NX : 0;
    end = ALIGN_UP(MAX(end, GiB(4)), GiB(1));
    if (end > DIRECTMAP_SIZE)
        end = DIRECTMAP_SIZE;
    /* entry_for() walks `root`: setting it first builds the new tables
     * (through the boot direct map) while CR3 still holds the boot ones. */
    root = maddr_to_virt(pa);
    map_direct(end);
    map_image();
    root_pa = pa;
    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(root_pa);
    pr_info("paging: direct map 0-%#lx, image text RX / rodata R / data RW%s%s\n",
            (unsigned long)end, nx ? ", NX on" : " (CPU has no NX)",
            cpu_has_smep() ? ", SMEP on" : "");
}

/* Application processors: adopt the tables built by the boot CPU. */
void paging_init_ap(void)
{
    paging_enable_nx();
    write_cr4(read_cr4() | CR4_PGE);
    write_cr3(root_pa);
}
