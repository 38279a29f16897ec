/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_platform_op(struct xen_platform_op *): the control domain
 * manages the physical platform (wallclock, microcode, ACPI sleep, CPU
 * and memory hotplug, power management). Argument layouts are given for
 * the wallclock, idle-time and physical-CPU queries; the other
 * sub-operations have their numbers only.
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

/* xenpf_pcpuinfo.flags */
#define XEN_PCPU_FLAGS_ONLINE   1
#define XEN_PCPU_FLAGS_INVALID  2   /* xen_cpuid is no present CPU */

#ifndef __ASSEMBLY__
/*
 * settime: the wall clock reads secs:nsecs (since 1970-01-01 00:00 UTC) at
 * the moment system time (ns since boot) was system_time.
 */
struct xenpf_settime32 {
    uint32_t secs;
    uint32_t nsecs;
    uint64_t system_time;
};
typedef struct xenpf_settime32 xenpf_settime32_t;

struct xenpf_settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;               /* must be zero */
    uint64_t system_time;
};
typedef struct xenpf_settime64 xenpf_settime64_t;
#define xenpf_settime xenpf_settime64
typedef struct xenpf_settime xenpf_settime_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_settime_t);

/*
 * getidletime: for each CPU set in the bitmap (cpumap_nr_cpus bits), its
 * idle time in ns since boot is stored at idletime[cpu]; on return the
 * bitmap keeps only the CPUs that exist; now is when the figures were taken.
 */
struct xenpf_getidletime {
    XEN_GUEST_HANDLE(uint8) cpumap_bitmap;
    uint32_t cpumap_nr_cpus;
    XEN_GUEST_HANDLE(uint64) idletime;
    uint64_t now;
};
typedef struct xenpf_getidletime xenpf_getidletime_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_getidletime_t);

/* get_cpuinfo: physical CPU xen_cpuid; max_present is the highest present. */
struct xenpf_pcpuinfo {
    uint32_t xen_cpuid;         /* IN */
    uint32_t max_present;
    uint32_t flags;
    uint32_t apic_id;
    uint32_t acpi_id;
};
typedef struct xenpf_pcpuinfo xenpf_pcpuinfo_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpuinfo_t);

/* get_cpu_version: CPUID vendor string and signature of CPU xen_cpuid. */
struct xenpf_pcpu_version {
    uint32_t xen_cpuid;         /* IN */
    uint32_t max_present;
    char vendor_id[12];
    uint32_t family;
    uint32_t model;
    uint32_t stepping;
};
typedef struct xenpf_pcpu_version xenpf_pcpu_version_t;
DEFINE_XEN_GUEST_HANDLE(xenpf_pcpu_version_t);

/* The argument of every sub-operation; the union is 128 bytes. */
struct xen_platform_op {
    uint32_t cmd;
    uint32_t interface_version;     /* XENPF_INTERFACE_VERSION */
    union {
        xenpf_settime_t      settime;
        xenpf_settime32_t    settime32;
        xenpf_settime64_t    settime64;
        xenpf_getidletime_t  getidletime;
        xenpf_pcpuinfo_t     pcpu_info;
        xenpf_pcpu_version_t pcpu_version;
        uint8_t              pad[128];
    } u;
};
typedef struct xen_platform_op xen_platform_op_t;
DEFINE_XEN_GUEST_HANDLE(xen_platform_op_t);
#endif

#endif
