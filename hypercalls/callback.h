/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_callback_op(cmd, arg): where a PV guest's kernel wants the
 * hypervisor to enter it: event upcalls, the failsafe path (a segment
 * reload failed on return to the guest), SYSCALL from user mode, NMIs.
 */
#ifndef XENLIKE_PUB_CALLBACK_H
#define XENLIKE_PUB_CALLBACK_H

#include "xen.h"

/* Which entry point. */
#define CALLBACKTYPE_event               0
#define CALLBACKTYPE_failsafe            1
#define CALLBACKTYPE_syscall             2  /* 64-bit SYSCALL from guest user mode */
#define CALLBACKTYPE_sysenter_deprecated 3
#define CALLBACKTYPE_nmi                 4
#define CALLBACKTYPE_sysenter            5  /* 32-bit guests only */
#define CALLBACKTYPE_syscall32           7  /* 32-bit SYSCALL from compat user mode */

/* Mask events on entry (like an interrupt gate). */
#define _CALLBACKF_mask_events 0
#define CALLBACKF_mask_events  (1U << _CALLBACKF_mask_events)

/* CALLBACKOP_register: set the entry point of one type. */
#define CALLBACKOP_register 0
#ifndef __ASSEMBLY__
struct callback_register {
    uint16_t type;              /* IN: CALLBACKTYPE_* */
    uint16_t flags;             /* IN: CALLBACKF_* */
    xen_callback_t address;     /* IN */
};
typedef struct callback_register callback_register_t;
DEFINE_XEN_GUEST_HANDLE(callback_register_t);
#endif

/* CALLBACKOP_unregister: remove one (not allowed for event and failsafe). */
#define CALLBACKOP_unregister 1
#ifndef __ASSEMBLY__
struct callback_unregister {
    uint16_t type;              /* IN: CALLBACKTYPE_* */
    uint16_t _unused;
};
typedef struct callback_unregister callback_unregister_t;
DEFINE_XEN_GUEST_HANDLE(callback_unregister_t);
#endif

#endif
