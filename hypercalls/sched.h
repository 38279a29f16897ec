/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_sched_op(cmd, arg): a vCPU gives up the CPU (yield, block,
 * poll) or its domain shuts down; SHUTDOWN_* reasons. Scheduler parameters
 * set by the toolstack are in domctl.h, not here.
 */
#ifndef XENLIKE_PUB_SCHED_H
#define XENLIKE_PUB_SCHED_H

#include "event_channel.h"

/*
 * SCHEDOP_yield: let other vCPUs run; this one stays runnable. arg unused.
 * SCHEDOP_block: sleep until an event is pending for this vCPU. A PV
 *   guest's upcall mask is cleared first, so check-then-block is race free.
 * SCHEDOP_shutdown: stop the whole domain. arg: sched_shutdown.
 * SCHEDOP_poll: sleep until one of the given ports is pending or the
 *   timeout (absolute system time in ns, 0 = none) passes. arg: sched_poll.
 * SCHEDOP_remote_shutdown: shut another domain down (privileged).
 *   arg: sched_remote_shutdown.
 * SCHEDOP_shutdown_code: record the reason the domain will give at its
 *   next shutdown without stopping it yet (used before a crash dump).
 *   arg: sched_shutdown.
 * SCHEDOP_watchdog: create (id 0, returns the new id), re-arm (id, timeout
 *   seconds) or destroy (timeout 0) a domain watchdog. arg: sched_watchdog.
 * SCHEDOP_pin_override: temporarily pin this vCPU to a physical CPU
 *   (control domain only; pcpu -1 undoes it). arg: sched_pin_override.
 */
#define SCHEDOP_yield           0
#define SCHEDOP_block           1
#define SCHEDOP_shutdown        2
#define SCHEDOP_poll            3
#define SCHEDOP_remote_shutdown 4
#define SCHEDOP_shutdown_code   5
#define SCHEDOP_watchdog        6
#define SCHEDOP_pin_override    7

#ifndef __ASSEMBLY__

struct sched_shutdown {
    unsigned int reason;            /* IN: SHUTDOWN_* */
};
typedef struct sched_shutdown sched_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_shutdown_t);

struct sched_poll {
    XEN_GUEST_HANDLE(evtchn_port_t) ports;  /* IN */
    unsigned int nr_ports;                  /* IN */
    uint64_t timeout;                       /* IN */
};
typedef struct sched_poll sched_poll_t;
DEFINE_XEN_GUEST_HANDLE(sched_poll_t);

struct sched_remote_shutdown {
    domid_t domain_id;              /* IN: not DOMID_SELF */
    unsigned int reason;            /* IN: SHUTDOWN_* */
};
typedef struct sched_remote_shutdown sched_remote_shutdown_t;
DEFINE_XEN_GUEST_HANDLE(sched_remote_shutdown_t);

struct sched_watchdog {
    uint32_t id;                    /* IN/OUT */
    uint32_t timeout;               /* IN: seconds */
};
typedef struct sched_watchdog sched_watchdog_t;
DEFINE_XEN_GUEST_HANDLE(sched_watchdog_t);

struct sched_pin_override {
    int32_t pcpu;                   /* IN */
};
typedef struct sched_pin_override sched_pin_override_t;
DEFINE_XEN_GUEST_HANDLE(sched_pin_override_t);

#endif /* !__ASSEMBLY__ */

/* Why a domain stopped (also in XEN_DOMINF_shutdown's reason bits). */
#define SHUTDOWN_poweroff   0   /* halt; the toolstack destroys the domain */
#define SHUTDOWN_reboot     1   /* the toolstack re-creates it */
#define SHUTDOWN_suspend    2   /* save its state; it may be resumed */
#define SHUTDOWN_crash      3   /* it crashed, or the hypervisor killed it */
#define SHUTDOWN_watchdog   4   /* a watchdog expired */
#define SHUTDOWN_soft_reset 5   /* restart in place, keeping memory */
#define SHUTDOWN_MAX        5

#endif

/*
 * With -Ihypercalls this file shadows the C library's <sched.h>: a hosted
 * program asking for <sched.h> gets the library's one too. Kept last, as
 * the pragma (which silences -pedantic about #include_next) lasts to EOF.
 */
#if defined(__has_include_next) && !defined(__ASSEMBLY__)
#if __has_include_next(<sched.h>)
#pragma GCC system_header
#include_next <sched.h>
#endif
#endif
