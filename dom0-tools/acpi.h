/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ACPI tables the toolstack gives a PVH domU (acpi_*): RSDP (rev 2, XSDT
 * only), XSDT, a hardware-reduced FADT rev 6, a header-only DSDT and a MADT
 * with one enabled x2APIC entry per vCPU. Built in a buffer; build.c places it.
 */
#ifndef DOM0_ACPI_H
#define DOM0_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_BLOB_GPA   0xE0000u        /* RSDP here: the BIOS area a legacy scan finds */
#define ACPI_BLOB_SIZE  0x1000u
#define ACPI_MAX_VCPUS  128

/* Fills buf (ACPI_BLOB_SIZE bytes) for tables at gpa; 0 or -1 (bad vcpus). */
int acpi_build(unsigned char *buf, uint32_t gpa, unsigned int vcpus);

#endif
