/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up the application processors listed in the ACPI MADT (smp.c,
 * trampoline.S), and stopping them on panic.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stdbool.h>
#include <stdint.h>

struct memmap;

/* Starts every AP the MADT lists (up to NR_CPUS and `maxcpus=`); rsdp is
 * the loader's RSDP copy or NULL; m the boot memory map (the trampoline
 * page must be reserved RAM). Returns the CPUs online, boot CPU included. */
unsigned int smp_boot_aps(const uint8_t *rsdp, const struct memmap *m);
/* Runs fn(arg) on CPU cpu in interrupt context and waits for it (up to
 * 1 s). The caller must have interrupts enabled (two CPUs calling each
 * other with interrupts off would wait forever). Returns 0, -XEN_EINVAL
 * (no such CPU online) or -XEN_ETIMEDOUT. Calling oneself runs fn at once. */
int smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg);

/* Stops every other online CPU with an NMI, so that even a CPU spinning
 * with interrupts off stops (panic path). Returns how many stopped. */
unsigned int smp_stop_others(void);
/* From the NMI handler: true if this NMI is a stop request (then the CPU
 * halts forever inside smp_nmi_stop()). */
bool smp_nmi_stop(void);

#endif
