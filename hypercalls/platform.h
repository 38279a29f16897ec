/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_platform_op(struct xen_platform_op *): the control domain
 * manages the physical platform (wallclock, microcode, ACPI sleep, CPU
 * and memory hotplug, power management). Only the interface version and
 * the sub-operation numbers are given here, no argument layouts.
 */
#ifndef XENLIKE_PUB_PLATFORM_H
#define XENLIKE_PUB_PLATFORM_H

#include "xen.h"

/* xen_platform_op.interface_version must hold this. */
#define XENPF_INTERFACE_VERSION 0x03000001

#define XENPF_settime32            17   /* set the wallclock, 32-bit seconds */
#define XENPF_settime64            62   /* set the wallclock, 64-bit seconds */
#define XENPF_settime              XENPF_settime64
#define XENPF_add_memtype          31   /* MTRR management */
#define XENPF_del_memtype          32
#define XENPF_read_memtype         33
#define XENPF_microcode_update     35
#define XENPF_platform_quirk       39
#define XENPF_get_cpu_version      48
#define XENPF_efi_runtime_call     49
#define XENPF_firmware_info        50   /* EDD, EFI, VBE data from boot */
#define XENPF_enter_acpi_sleep     51
#define XENPF_ACPI_SLEEP_EXTENDED  0x00000001
#define XENPF_change_freq          52
#define XENPF_getidletime          53
#define XENPF_set_processor_pminfo 54   /* ACPI P/C-state data from dom0 */
#define XENPF_get_cpuinfo          55
#define XENPF_cpu_online           56
#define XENPF_cpu_offline          57
#define XENPF_cpu_hotadd           58
#define XENPF_mem_hotadd           59
#define XENPF_core_parking         60
#define XENPF_resource_op          61   /* MSR access on physical CPUs */
#define XENPF_get_symbol           63   /* hypervisor symbol table */

#endif
