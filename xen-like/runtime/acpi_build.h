/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables a PVH guest gets (acpi_*): RSDP, XSDT, a hardware-reduced
 * FADT, a MADT with one local x2APIC entry per vCPU and no IOAPIC, and a
 * header-only DSDT. Built into a caller's buffer; placing it in the guest
 * is the domain builder's job (see pvh_loader.h for the address).
 */
#ifndef RUNTIME_ACPI_BUILD_H
#define RUNTIME_ACPI_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errno.h"          /* hypercalls/: Xen's error codes */

#define ACPI_MAX_VCPUS      128
#define ACPI_LAPIC_ADDR     0xFEE00000u

/* Offsets of the tables inside the blob (the RSDP comes first so that it
 * sits at the 16-byte aligned base, where a legacy scan also finds it). */
#define ACPI_RSDP_OFF       0x000
#define ACPI_XSDT_OFF       0x040
#define ACPI_FADT_OFF       0x080
#define ACPI_DSDT_OFF       0x1A0
#define ACPI_MADT_OFF       0x1D0

/* FADT facts (ACPI 6.x, 5.2.9). */
#define ACPI_FADT_LEN           276
#define ACPI_FADT_REV           6
#define ACPI_FADT_HW_REDUCED    (1u << 20)
#define ACPI_BOOT_NO_VGA        (1u << 2)
#define ACPI_BOOT_NO_CMOS_RTC   (1u << 5)

/* MADT entry types (5.2.12). */
#define ACPI_MADT_LAPIC         0
#define ACPI_MADT_X2APIC        9

struct acpi_build_params {
    uint64_t base_gpa;          /* where the blob will sit; 16-aligned, < 4 GiB */
    unsigned int nr_vcpus;      /* 1..ACPI_MAX_VCPUS; APIC id = vCPU id */
    bool legacy_lapic;          /* type-0 entries instead of x2APIC ones */
};

/* Fills buf (cap bytes) and sets *used. Returns 0, -XEN_EINVAL or
 * -XEN_ENOSPC with *why. */
int acpi_build(void *buf, size_t cap, const struct acpi_build_params *p,
               size_t *used, const char **why);

#endif
