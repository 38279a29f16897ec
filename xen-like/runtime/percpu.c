/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-CPU areas and %gs: each CPU's GS base points at its own
 * struct percpu, whose first word points at itself.
 */
#include "percpu.h"
#include "cpu.h"

struct percpu percpu_area[NR_CPUS];
unsigned int nr_cpus_possible = 1;

void percpu_init_cpu(unsigned int cpu)
{
    struct percpu *p = &percpu_area[cpu];

    p->self = p;
    p->id = cpu;
    wrmsr(MSR_GS_BASE, (uintptr_t)p);
}

unsigned int percpu_online_count(void)
{
    unsigned int n = 0;

    for (unsigned int i = 0; i < NR_CPUS; i++)
        n += percpu_area[i].online;
    return n;
}
