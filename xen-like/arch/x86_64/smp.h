/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bringing up the application processors listed in the ACPI MADT (smp.c,
 * trampoline.S), and stopping them on panic.
 */
#ifndef ARCH_SMP_H
#define ARCH_SMP_H

#include <stdint.h>

/* Starts every AP the MADT lists (up to NR_CPUS and `maxcpus=`); rsdp is
 * the loader's RSDP copy or NULL. Returns the CPUs online, boot CPU included. */
unsigned int smp_boot_aps(const uint8_t *rsdp);
/* Sends VECTOR_STOP to every other online CPU (panic path). */
void smp_stop_others(void);

#endif
