/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_vcpu_op(cmd, vcpuid, arg): bring a domain's vCPUs up and
 * down, read their run-state accounting, program their timers and move
 * their vcpu_info out of shared_info.
 */
#ifndef XENLIKE_PUB_VCPU_H
#define XENLIKE_PUB_VCPU_H

#include "xen.h"

/*
 * VCPUOP_initialise: set the initial register state of a vCPU that has
 *   never run (arg: vcpu_guest_context; XEN_EEXIST if already initialised).
 * VCPUOP_up: make an initialised vCPU runnable. arg unused.
 * VCPUOP_down: stop a vCPU; VCPUOP_up resumes it. arg unused.
 * VCPUOP_is_up: returns 1 if the vCPU is up, else 0. arg unused.
 * VCPUOP_get_runstate_info: copy its vcpu_runstate_info to arg.
 */
#define VCPUOP_initialise        0
#define VCPUOP_up                1
#define VCPUOP_down              2
#define VCPUOP_is_up             3
#define VCPUOP_get_runstate_info 4

#ifndef __ASSEMBLY__
/* Time a vCPU has spent in each RUNSTATE_*, in ns of system time. */
struct vcpu_runstate_info {
    int state;                      /* RUNSTATE_* now */
    uint64_t state_entry_time;      /* when it entered it */
/* Set in state_entry_time while the hypervisor updates the area (when
 * VMASST_TYPE_runstate_update_flag is on). */
#define XEN_RUNSTATE_UPDATE (xen_mk_ullong(1) << 63)
    uint64_t time[4];               /* indexed by RUNSTATE_* */
};
typedef struct vcpu_runstate_info vcpu_runstate_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_runstate_info_t);
#endif

#define RUNSTATE_running  0     /* on a physical CPU */
#define RUNSTATE_runnable 1     /* waiting for one */
#define RUNSTATE_blocked  2     /* waiting for an event */
#define RUNSTATE_offline  3     /* down, or its domain is paused */

/*
 * VCPUOP_register_runstate_memory_area: keep a copy of the vCPU's
 * vcpu_runstate_info at a guest virtual address, updated on each change.
 */
#define VCPUOP_register_runstate_memory_area 5
#ifndef __ASSEMBLY__
struct vcpu_register_runstate_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_runstate_info_t) h;
        struct vcpu_runstate_info *v;
        uint64_t p;
    } addr;                         /* IN */
};
typedef struct vcpu_register_runstate_memory_area vcpu_register_runstate_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_runstate_memory_area_t);
#endif

/*
 * VCPUOP_set_periodic_timer: raise VIRQ_TIMER every period_ns.
 * VCPUOP_stop_periodic_timer: stop it. arg unused.
 */
#define VCPUOP_set_periodic_timer  6
#define VCPUOP_stop_periodic_timer 7
#ifndef __ASSEMBLY__
struct vcpu_set_periodic_timer {
    uint64_t period_ns;             /* IN */
};
typedef struct vcpu_set_periodic_timer vcpu_set_periodic_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_periodic_timer_t);
#endif

/*
 * VCPUOP_set_singleshot_timer: raise VIRQ_TIMER once at timeout_abs_ns
 *   (system time). With VCPU_SSHOTTMR_future a deadline already in the
 *   past fails with XEN_ETIME instead of firing at once.
 * VCPUOP_stop_singleshot_timer: cancel it. arg unused.
 */
#define VCPUOP_set_singleshot_timer  8
#define VCPUOP_stop_singleshot_timer 9
#ifndef __ASSEMBLY__
struct vcpu_set_singleshot_timer {
    uint64_t timeout_abs_ns;        /* IN */
    uint32_t flags;                 /* IN: VCPU_SSHOTTMR_* */
};
typedef struct vcpu_set_singleshot_timer vcpu_set_singleshot_timer_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_set_singleshot_timer_t);
#endif
#define _VCPU_SSHOTTMR_future (0)
#define VCPU_SSHOTTMR_future  (1U << _VCPU_SSHOTTMR_future)

/*
 * VCPUOP_register_vcpu_info: move this vCPU's vcpu_info to offset bytes
 * into guest frame mfn (it must not cross a page). Allowed once per vCPU;
 * required for vCPUs >= XEN_LEGACY_MAX_VCPUS.
 */
#define VCPUOP_register_vcpu_info 10
#ifndef __ASSEMBLY__
struct vcpu_register_vcpu_info {
    uint64_t mfn;                   /* IN */
    uint32_t offset;                /* IN */
    uint32_t rsvd;                  /* IN: zero */
};
typedef struct vcpu_register_vcpu_info vcpu_register_vcpu_info_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_vcpu_info_t);
#endif

/* VCPUOP_send_nmi: raise an NMI on the vCPU. arg unused. */
#define VCPUOP_send_nmi 11

/*
 * VCPUOP_get_physid: the physical CPU's APIC and ACPI ids (control domain
 * only, for the vCPU pinned 1:1 to it).
 */
#define VCPUOP_get_physid 12
#ifndef __ASSEMBLY__
struct vcpu_get_physid {
    uint64_t phys_id;               /* OUT */
};
typedef struct vcpu_get_physid vcpu_get_physid_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_get_physid_t);
#endif
#define xen_vcpu_physid_to_x86_apicid(physid) ((uint32_t)(physid))
#define xen_vcpu_physid_to_x86_acpiid(physid) ((uint32_t)((physid) >> 32))

/*
 * VCPUOP_register_vcpu_time_memory_area: keep a copy of the vCPU's
 * vcpu_time_info at a guest virtual address (for a user-space vDSO).
 */
#define VCPUOP_register_vcpu_time_memory_area 13
#ifndef __ASSEMBLY__
DEFINE_XEN_GUEST_HANDLE(vcpu_time_info_t);
struct vcpu_register_time_memory_area {
    union {
        XEN_GUEST_HANDLE(vcpu_time_info_t) h;
        struct vcpu_time_info *v;
        uint64_t p;
    } addr;                         /* IN */
};
typedef struct vcpu_register_time_memory_area vcpu_register_time_memory_area_t;
DEFINE_XEN_GUEST_HANDLE(vcpu_register_time_memory_area_t);
#endif

#endif
