/* SPDX-License-Identifier: MIT */
/*
 * HVM parameters: per-domain 64-bit values set by the toolstack or the
 * guest with HVMOP_set_param and read with HVMOP_get_param. They tell a
 * PVH/HVM guest where its xenstore and console rings are and how event
 * upcalls reach it.
 */
#ifndef XENLIKE_PUB_HVM_PARAMS_H
#define XENLIKE_PUB_HVM_PARAMS_H

#include "hvm_op.h"

#if defined(__XEN__) || defined(__XEN_TOOLS__)
/* Parameters only the toolstack or device model uses. */
#define HVM_PARAM_PAE_ENABLED              4
#define HVM_PARAM_DM_DOMAIN                13  /* domain running the device model */
#define HVM_PARAM_MEMORY_EVENT_CR0         20
#define HVM_PARAM_MEMORY_EVENT_CR3         21
#define HVM_PARAM_MEMORY_EVENT_CR4         22
#define HVM_PARAM_MEMORY_EVENT_INT3        23
#define HVM_PARAM_NESTEDHVM                24
#define HVM_PARAM_MEMORY_EVENT_SINGLE_STEP 25
#define HVM_PARAM_BUFIOREQ_EVTCHN          26
#define HVM_PARAM_MEMORY_EVENT_MSR         30
#endif

/*
 * HVM_PARAM_CALLBACK_IRQ: how event upcalls are delivered. Bits 56-63 give
 * the type, the low bits its argument:
 *   GSI       a virtual IOAPIC line (the GSI number)
 *   PCI_INTX  the INTx line of a PCI device (domain/bus/device/pin)
 *   VECTOR    a local-APIC vector on every vCPU (what PVH Linux uses)
 * 0 disables upcalls.
 */
#define HVM_PARAM_CALLBACK_IRQ            0
#define HVM_PARAM_CALLBACK_IRQ_TYPE_MASK  xen_mk_ullong(0xFF00000000000000)
#define HVM_PARAM_CALLBACK_TYPE_GSI       0
#define HVM_PARAM_CALLBACK_TYPE_PCI_INTX  1
#define HVM_PARAM_CALLBACK_TYPE_VECTOR    2

/* The xenstore ring: its gfn and the event channel to xenstored. */
#define HVM_PARAM_STORE_PFN    1
#define HVM_PARAM_STORE_EVTCHN 2

/* Pages shared with the device model for emulated I/O requests. */
#define HVM_PARAM_IOREQ_PFN    5
#define HVM_PARAM_BUFIOREQ_PFN 6

/* Hyper-V enlightenments to offer (a bitmap; its bits are not given here). */
#define HVM_PARAM_VIRIDIAN 9

/* How virtual timers account for ticks missed while descheduled. */
#define HVM_PARAM_TIMER_MODE 10
#define HVMPTM_delay_for_missed_ticks    0
#define HVMPTM_no_delay_for_missed_ticks 1
#define HVMPTM_no_missed_ticks_pending   2
#define HVMPTM_one_missed_tick_pending   3

#define HVM_PARAM_HPET_ENABLED          11  /* boolean */
#define HVM_PARAM_IDENT_PT              12  /* identity page table for real mode */
#define HVM_PARAM_ACPI_S_STATE          14  /* current ACPI sleep state */
#define HVM_PARAM_VM86_TSS              15
#define HVM_PARAM_VPT_ALIGN             16  /* align virtual timer interrupts */

/* The PV console ring: its gfn and event channel. */
#define HVM_PARAM_CONSOLE_PFN           17
#define HVM_PARAM_CONSOLE_EVTCHN        18

#define HVM_PARAM_ACPI_IOPORTS_LOCATION 19  /* 0: old PM1 ports, 1: new */
#define HVM_PARAM_PAGING_RING_PFN       27
#define HVM_PARAM_MONITOR_RING_PFN      28
#define HVM_PARAM_SHARING_RING_PFN      29
#define HVM_PARAM_TRIPLE_FAULT_REASON   31  /* SHUTDOWN_* on triple fault */
#define HVM_PARAM_IOREQ_SERVER_PFN      32
#define HVM_PARAM_NR_IOREQ_SERVER_PAGES 33
#define HVM_PARAM_VM_GENERATION_ID_ADDR 34

/* Which alternate-p2m mode the domain may use. */
#define HVM_PARAM_ALTP2M 35
#define XEN_ALTP2M_disabled 0
#define XEN_ALTP2M_mixed    1
#define XEN_ALTP2M_external 2
#define XEN_ALTP2M_limited  3

#define HVM_PARAM_X87_FIP_WIDTH  36     /* 0, 4 or 8 bytes of FPU IP saved */
#define HVM_PARAM_VM86_TSS_SIZED 37     /* TSS for real-mode emulation, sized */

/* Machine-check capabilities offered to the guest. */
#define HVM_PARAM_MCA_CAP 38
#define XEN_HVM_MCA_CAP_LMCE (xen_mk_ullong(1) << 0)
#define XEN_HVM_MCA_CAP_MASK XEN_HVM_MCA_CAP_LMCE

/* Parameters are indexed 0 .. HVM_NR_PARAMS-1. */
#define HVM_NR_PARAMS 39

#endif
