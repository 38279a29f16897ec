/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU data (percpu.c): one struct percpu per physical CPU, reached via
 * %gs (this_cpu()) or by index (percpu_of()). Other subsystems keep their own
 * per-CPU state in arrays indexed by smp_processor_id() (0..NR_CPUS-1).
 */
#ifndef RUNTIME_PERCPU_H
#define RUNTIME_PERCPU_H

#include "lib.h"
#include "spinlock.h"
#include "timerq.h"

#define NR_CPUS 64

struct percpu {
    struct percpu *self;        /* %gs:0, so this_cpu() is one load */
    unsigned int id;            /* logical CPU number, 0 = boot CPU */
    uint32_t apic_id;           /* (x2)APIC ID from the MADT */
    volatile bool online;
    uintptr_t stack_top;        /* top of this CPU's hypervisor stack */
    uint64_t timer_irqs;        /* LAPIC timer interrupts taken */
    uint64_t ticks;             /* housekeeping ticks run (timer.c) */
    spinlock_t timer_lock;      /* protects timers */
    struct timerq timers;       /* pending one-shot timers (timer.c) */
    void *arch;                 /* struct cpu_arch (traps.c: GDT/TSS/IST stacks) */
};

extern struct percpu percpu_area[NR_CPUS];
extern unsigned int nr_cpus_possible;   /* CPUs to bring up: MADT, capped by NR_CPUS, maxcpus= */

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}

static inline unsigned int smp_processor_id(void)
{
    return this_cpu()->id;
}

static inline struct percpu *percpu_of(unsigned int cpu)
{
    return &percpu_area[cpu];
}

/* Point %gs at cpu's percpu area and fill in id/self. */
void percpu_init_cpu(unsigned int cpu);
unsigned int percpu_online_count(void);

#endif
