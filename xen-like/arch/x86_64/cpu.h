/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Thin inline wrappers for x86_64 instructions (CPUID, MSRs, port I/O,
 * control registers, interrupt flag) plus the MSR and CR bit names the
 * hypervisor uses. No policy lives here; see apic.h, paging.h, traps.h.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>
#include <stdbool.h>

#define MSR_EFER            0xc0000080u
#define  EFER_SCE           (1u << 0)
#define  EFER_LME           (1u << 8)
#define  EFER_LMA           (1u << 10)
#define  EFER_NXE           (1u << 11)
#define  EFER_SVME          (1u << 12)
#define MSR_FS_BASE         0xc0000100u
#define MSR_GS_BASE         0xc0000101u
#define MSR_KERNEL_GS_BASE  0xc0000102u
#define MSR_APIC_BASE       0x0000001bu
#define MSR_TSC_DEADLINE    0x000006e0u
#define MSR_PAT             0x00000277u

#define CR0_PE (1ul << 0)
#define CR0_MP (1ul << 1)
#define CR0_ET (1ul << 4)
#define CR0_NE (1ul << 5)
#define CR0_WP (1ul << 16)
#define CR0_PG (1ul << 31)
#define CR4_PAE        (1ul << 5)
#define CR4_PGE        (1ul << 7)
#define CR4_OSFXSR     (1ul << 9)
#define CR4_OSXMMEXCPT (1ul << 10)
#define CR4_SMEP       (1ul << 20)

#define RFLAGS_IF (1ul << 9)

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

static inline struct cpuid_regs cpuid_count(uint32_t leaf, uint32_t sub)
{
    struct cpuid_regs r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
                     : "a"(leaf), "c"(sub));
    return r;
}

static inline struct cpuid_regs cpuid(uint32_t leaf)
{
    return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
    __asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
                     : "memory");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port));
}

#define DEFINE_CR_ACCESSORS(n)                                          \
    static inline uint64_t read_cr##n(void)                             \
    { uint64_t v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v)); return v; } \
    static inline void write_cr##n(uint64_t v)                          \
    { __asm__ volatile("mov %0, %%cr" #n :: "r"(v) : "memory"); }
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

static inline void local_irq_enable(void)  { __asm__ volatile("sti" ::: "memory"); }
static inline void local_irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline bool local_irq_enabled(void) { return read_rflags() & RFLAGS_IF; }

static inline uint64_t local_irq_save(void)
{
    uint64_t f = read_rflags();
    local_irq_disable();
    return f;
}

static inline void local_irq_restore(uint64_t flags)
{
    if (flags & RFLAGS_IF)
        local_irq_enable();
}

static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void halt(void)      { __asm__ volatile("hlt" ::: "memory"); }
/* Enable interrupts and halt with no window between them (STI shadow). */
static inline void safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

static inline void invlpg(const void *va)
{
    __asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

static inline bool cpu_has_x2apic(void)   { return cpuid(1).ecx & (1u << 21); }
static inline bool cpu_has_tsc_deadline(void) { return cpuid(1).ecx & (1u << 24); }
static inline bool cpu_has_nx(void)       { return cpuid(0x80000001).edx & (1u << 20); }
static inline bool cpu_has_1g_pages(void) { return cpuid(0x80000001).edx & (1u << 26); }
static inline bool cpu_has_svm(void)      { return cpuid(0x80000001).ecx & (1u << 2); }
static inline bool cpu_has_smep(void)     { return cpuid_count(7, 0).ebx & (1u << 7); }

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4): QEMU exits with
 * status (value << 1) | 1. Values chosen so no status collides with QEMU's
 * own 0 (clean quit) or 1 (startup error). */
#define DEBUG_EXIT_PORT 0xf4
enum hv_exit {
    HV_EXIT_PASS  = 0x10,   /* QEMU status 33: every self-test passed */
    HV_EXIT_FAIL  = 0x11,   /* QEMU status 35: a self-test failed */
    HV_EXIT_PANIC = 0x12,   /* QEMU status 37: panic() or fatal exception */
};

/* Leave QEMU with the given status; on a machine without the device, halt. */
static inline __attribute__((noreturn)) void hv_exit(enum hv_exit v)
{
    outl(DEBUG_EXIT_PORT, v);
    for (;;)
        __asm__ volatile("cli; hlt");
}

#endif
