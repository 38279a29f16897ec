/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the machine's ACPI tables (acpi.c): finding the RSDP and listing
 * the CPUs of the MADT. Tables we build for guests are runtime/acpi_build.c.
 */
#ifndef ARCH_ACPI_H
#define ARCH_ACPI_H

#include "lib.h"

#define ACPI_MAX_CPUS 256

struct acpi_cpus {
    unsigned int n;
    uint32_t apic_id[ACPI_MAX_CPUS];    /* enabled CPUs, MADT order */
    paddr_t lapic_base;
};

/* rsdp: the loader's copy or NULL (then the BIOS areas are scanned);
 * tables are read through phys (lib.h). Returns 0, or -1 with a log line
 * naming what was missing or corrupt. Pure: host tests use fake memory. */
int acpi_madt_cpus(const uint8_t *rsdp, struct acpi_cpus *out, phys_read_fn phys);

#endif
