/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptor tables and trap dispatch: per-CPU GDT and TSS (IST stacks for
 * NMI, #DF, #MC), one IDT shared by all CPUs, exception fixups, and the
 * register dump + stack trace + panic for every unexpected exception.
 * The entry stubs are entry.S; interrupt sources (APIC) register handlers.
 */
#include "traps.h"
#include "apic.h"
#include "cpu.h"
#include "errno.h"
#include "page_alloc.h"
#include "paging.h"
#include "percpu.h"
#include "printk.h"
#include "smp.h"
#include "symbols.h"

#define IST_NMI 1
#define IST_DF  2
#define IST_MC  3
#define IST_STACK_SIZE 8192

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3, iomap_base;
} __attribute__((packed));

struct idt_entry {
    uint16_t offset_lo, selector;
    uint8_t ist, type;
    uint16_t offset_mid;
    uint32_t offset_hi, reserved;
};

struct cpu_arch {
    uint64_t gdt[8] __attribute__((aligned(16)));
    struct tss tss __attribute__((aligned(16)));
};

struct extable_entry { uintptr_t insn, fixup; };

static struct idt_entry idt[256] __attribute__((aligned(16)));
static irq_handler_t handlers[256];
static struct cpu_arch cpu_arch[NR_CPUS];
/* The boot CPU's IST stacks cannot come from the page allocator (traps are
 * set up before it exists). */
static uint8_t bsp_ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));
unsigned long traps_fixups_taken;
unsigned long traps_unexpected_irqs;

extern const char trap_stubs[];
extern const struct extable_entry __extable_start[], __extable_end[];

static const char *const exception_names[32] = {
    "#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
    "#BR bound range", "#UD invalid opcode", "#NM device not available",
    "#DF double fault", "coprocessor overrun", "#TS invalid TSS", "#NP segment not present",
    "#SS stack fault", "#GP general protection", "#PF page fault", "reserved 15",
    "#MF x87 error", "#AC alignment check", "#MC machine check", "#XM SIMD error",
    "#VE virtualization", "#CP control protection", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27",
    "#HV hypervisor injection", "#VC VMM communication", "#SX security", "reserved 31",
};

static void idt_set(unsigned int vec, uintptr_t fn, uint8_t ist)
{
    idt[vec] = (struct idt_entry){
        .offset_lo = fn & 0xffff, .selector = GDT_CS, .ist = ist,
        .type = 0x8e,                       /* present, DPL0, interrupt gate */
        .offset_mid = (fn >> 16) & 0xffff, .offset_hi = (uint32_t)(fn >> 32),
    };
}

static void idt_init_once(void)
{
    if (idt[0].type)
        return;
    for (unsigned int v = 0; v < 256; v++)
        idt_set(v, (uintptr_t)trap_stubs + 16 * v, 0);
    idt[2].ist = IST_NMI;
    idt[8].ist = IST_DF;
    idt[18].ist = IST_MC;
}

static uintptr_t ist_stack(unsigned int cpu, unsigned int i)
{
    paddr_t pa;

    if (cpu == 0)
        return (uintptr_t)bsp_ist_stacks[i] + IST_STACK_SIZE;
    pa = page_alloc_zeroed(1);              /* 8 KiB */
    if (pa == PADDR_INVALID)
        panic("traps: no memory for IST stacks of CPU%u", cpu);
    return (uintptr_t)maddr_to_virt(pa) + IST_STACK_SIZE;
}

static void gdt_init(struct cpu_arch *a)
{
    uintptr_t tss = (uintptr_t)&a->tss;
    uint64_t limit = sizeof(a->tss) - 1;

    a->gdt[0] = 0;
    a->gdt[1] = 0x00af9a000000ffff;         /* 0x08: 64-bit code, DPL0 */
    a->gdt[2] = 0x00cf92000000ffff;         /* 0x10: data, DPL0 */
    a->gdt[3] = a->gdt[4] = a->gdt[5] = 0;  /* reserved for guest segments */
    a->gdt[6] = (limit & 0xffff) | ((tss & 0xffffff) << 16) | (0x89ull << 40) |
                (((limit >> 16) & 0xf) << 48) | (((tss >> 24) & 0xff) << 56);
    a->gdt[7] = tss >> 32;                  /* 0x30: 64-bit available TSS */
}

void traps_init_cpu(unsigned int cpu)
{
    struct cpu_arch *a = &cpu_arch[cpu];
    struct { uint16_t limit; uint64_t base; } __attribute__((packed)) gdtr, idtr;

    idt_init_once();
    a->tss.ist[IST_NMI - 1] = ist_stack(cpu, 0);
    a->tss.ist[IST_DF - 1] = ist_stack(cpu, 1);
    a->tss.ist[IST_MC - 1] = ist_stack(cpu, 2);
    a->tss.iomap_base = sizeof(a->tss);     /* no I/O bitmap */
    gdt_init(a);
    percpu_of(cpu)->arch = a;

    gdtr.limit = sizeof(a->gdt) - 1;
    gdtr.base = (uintptr_t)a->gdt;
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uintptr_t)idt;
    __asm__ volatile("lgdt %0" :: "m"(gdtr));
    /* Reload CS via a far return, then the data segments and TR. */
    __asm__ volatile("pushq %0; leaq 1f(%%rip), %%rax; pushq %%rax; lretq; 1:"
                     :: "i"(GDT_CS) : "rax", "memory");
    __asm__ volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" :: "r"(GDT_DS));
    __asm__ volatile("ltr %w0" :: "r"(GDT_TSS));
    __asm__ volatile("lidt %0" :: "m"(idtr));
}

void traps_set_handler(uint8_t vector, irq_handler_t handler)
{
    handlers[vector] = handler;
}

static bool apply_fixup(struct cpu_regs *regs)
{
    for (const struct extable_entry *e = __extable_start; e < __extable_end; e++) {
        if (e->insn == regs->rip) {
            regs->rip = e->fixup;
            __atomic_fetch_add(&traps_fixups_taken, 1, __ATOMIC_RELAXED);
            return true;
        }
    }
    return false;
}

void traps_dump_regs(const struct cpu_regs *r)
{
    char sym[96];

    pr_err("RIP: %04lx:%016lx %s\n", r->cs, r->rip, symbols_lookup(r->rip, sym, sizeof(sym)));
    pr_err("RSP: %04lx:%016lx RFLAGS: %016lx ERR: %016lx\n", r->ss, r->rsp, r->rflags,
           r->error_code);
    pr_err("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
    pr_err("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
    pr_err("RBP: %016lx R8:  %016lx R9:  %016lx\n", r->rbp, r->r8, r->r9);
    pr_err("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
    pr_err("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
    pr_err("CR0: %016lx CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr0(), read_cr2(),
           read_cr3(), read_cr4());
}

/* A frame pointer is followed only while it points into mapped hypervisor
 * memory and is aligned; a broken chain ends the trace. It may move down
 * as well as up (from an IST stack to the interrupted one), so the depth
 * limit in traps_print_stack() is what ends a cycle. */
static bool frame_ok(const uint64_t *fp, const uint64_t *prev)
{
    uint8_t b;

    if (!fp || ((uintptr_t)fp & 7) || fp == prev)
        return false;
    if ((uintptr_t)fp < STACK_VIRT_BASE)    /* stacks live in the upper half */
        return false;
    return probe_read8(fp, &b) == 0 && probe_read8((const char *)fp + 15, &b) == 0;
}

void traps_print_stack(const void *rbp)
{
    const uint64_t *fp = rbp, *prev = NULL;
    char sym[96];

    pr_err("Stack trace (CPU%u):\n", smp_processor_id());
    for (int depth = 0; depth < 32 && frame_ok(fp, prev); depth++) {
        uint64_t ret = fp[1];
        if (!ret)
            break;
        pr_err("  [<%016lx>] %s\n", ret, symbols_lookup(ret, sym, sizeof(sym)));
        prev = fp;
        fp = (const uint64_t *)fp[0];
    }
}

static void fatal_exception(struct cpu_regs *regs)
{
    const char *name = regs->vector < 32 ? exception_names[regs->vector] : "interrupt";

    pr_err("EXCEPTION %s (vector %lu) on CPU%u\n", name, regs->vector, smp_processor_id());
    if (regs->vector == 14)
        pr_err("page fault at %#lx: %s, %s, %s\n", read_cr2(),
               regs->error_code & 1 ? "protection violation" : "not present",
               regs->error_code & 2 ? "write" : "read",
               regs->error_code & 16 ? "instruction fetch" : "data access");
    traps_dump_regs(regs);
    /* The frame record entry.S pushed sits just below regs. */
    traps_print_stack((const uint64_t *)regs - 2);
    panic_after_dump("fatal exception %s", name);
}

/* A device interrupt nobody asked for must not take the machine down:
 * acknowledge it and say so (once per vector). */
static void unexpected_interrupt(uint8_t vec)
{
    static uint64_t reported[4];

    apic_eoi();
    __atomic_fetch_add(&traps_unexpected_irqs, 1, __ATOMIC_RELAXED);
    if (__atomic_fetch_or(&reported[vec / 64], 1ull << (vec % 64), __ATOMIC_RELAXED) &
        (1ull << (vec % 64)))
        return;
    pr_warn("traps: unexpected interrupt vector %#x on CPU%u; acknowledged and ignored\n",
            vec, smp_processor_id());
}

void traps_dispatch(struct cpu_regs *regs);
void traps_dispatch(struct cpu_regs *regs)
{
    uint8_t vec = (uint8_t)regs->vector;

    if (vec >= 32 && handlers[vec]) {
        handlers[vec](regs);
        return;
    }
    if (vec == VECTOR_SPURIOUS)
        return;                             /* spurious: no EOI by definition */
    if (vec == 2 && smp_nmi_stop())
        return;                             /* not reached: a stopped CPU halts */
    if (vec >= 32) {
        unexpected_interrupt(vec);
        return;
    }
    if (apply_fixup(regs))
        return;
    fatal_exception(regs);
}
