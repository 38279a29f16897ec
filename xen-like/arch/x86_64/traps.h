/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * CPU tables and exception/interrupt entry (traps.c, entry.S): per-CPU GDT,
 * TSS with IST stacks for NMI, #DF and #MC, the IDT, the register dump and
 * stack trace printed for any unexpected exception, interrupt vector
 * handlers, and exception fixups (probe_*) for accesses that may fault.
 */
#ifndef ARCH_TRAPS_H
#define ARCH_TRAPS_H

#include "lib.h"

#define GDT_CS        0x08      /* 64-bit hypervisor code */
#define GDT_DS        0x10      /* hypervisor data/stack */
#define GDT_TSS       0x30      /* 16-byte TSS descriptor */

/* Interrupt vectors the hypervisor owns (0-31 are exceptions). */
#define VECTOR_TIMER      0xf0  /* LAPIC timer */
#define VECTOR_TIMER_KICK 0xf1  /* another CPU queued an earlier timer here */
#define VECTOR_CALL       0xf2  /* smp_call_on(): run a function here */
#define VECTOR_SPURIOUS   0xff

/* The frame entry.S builds; order matters (pushed in reverse). */
struct cpu_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error_code;
    uint64_t rip, cs, rflags, rsp, ss;      /* hardware frame */
};

/* Loads this CPU's GDT, TSS (with fresh IST stacks) and the shared IDT. */
void traps_init_cpu(unsigned int cpu);

/* Handler for an interrupt vector >= 32; it runs with interrupts off and
 * must EOI the LAPIC itself (apic_eoi()). */
typedef void (*irq_handler_t)(struct cpu_regs *regs);
void traps_set_handler(uint8_t vector, irq_handler_t handler);

void traps_dump_regs(const struct cpu_regs *regs);
/* Walks frame pointers from rbp (the address of a saved-rbp slot). */
void traps_print_stack(const void *rbp);

/* Accesses that may fault: 0, or -XEN_EFAULT if the access faulted. The
 * write stores back the byte it read, so success changes nothing. */
int probe_read8(const void *p, uint8_t *out);
int probe_write8(void *p);

/* Counters for self-tests: faults recovered by a fixup, and interrupts on
 * vectors nobody handles (acknowledged, warned about once per vector). */
extern unsigned long traps_fixups_taken;
extern unsigned long traps_unexpected_irqs;

#endif
