/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs: the objects every other core subsystem hangs state on.
 * Owns: the domid table, create/destroy, pause counts, shutdown, references.
 * Not here: event channels (evtchn.h), grants (gnttab.h), memory (mm.h),
 * scheduling (schedule.h), the domctl/hypercall marshalling (hypercall.h).
 */
#ifndef CORE_DOMAIN_H
#define CORE_DOMAIN_H

#include "env.h"
#include "xen.h"

struct evtchn_domain;     /* evtchn.c: this domain's ports */
struct gnttab_domain;     /* gnttab.c: this domain's grant table + maptrack */
struct sched_unit;        /* schedule.c: scheduling state of one vCPU */
struct sched_domain;      /* schedule.c: weight, cap, policy data */
struct mm_domain;         /* mm.c: the guest-physical map and page counts */
struct xen_domctl_createdomain;
struct xen_domctl_getdomaininfo;
struct vcpu_guest_context;

/* Our limits (Xen's are per-arch; these are ours, documented in docs/core.md). */
#define DOMAIN_MAX_VCPUS          128
#define DOMAIN_DEFAULT_GNT_FRAMES 64     /* createdomain max_grant_frames < 0 */
#define DOMAIN_DEFAULT_MAPTRACK   1024   /* createdomain max_maptrack_frames < 0 */
#define DOMAIN_MAX_CONTROLLER_PAUSE 255  /* Xen's bound on toolstack pauses */
#define DOMAIN_NR_HVM_PARAMS      64     /* storage; HVM_NR_PARAMS are valid */
#define DOMAIN_SHUTDOWN_CODE_INVALID 0xff /* no code yet (Xen's value) */

struct vcpu {
    struct domain *domain;
    unsigned int id;
    struct vcpu_info *vcpu_info;    /* in shared_info, or where the guest registered it */
    struct sched_unit *sched;
    /* Fields below: [d] = under domain->lock. */
    unsigned int pause_count;       /* [d] vcpu_pause() nesting */
    bool is_initialised;            /* [d] has a context (setvcpucontext) */
    bool is_up;                     /* [d] VCPUOP_up / down */
    mfn_t vcpu_info_mfn;            /* [d] registered page (ref held) or MFN_INVALID */
    struct vcpu_guest_context *ctx; /* [d] last context set by the toolstack */
    guest_addr_t runstate_guest;    /* [d] VCPUOP_register_runstate_memory_area, or 0 */
    uint64_t singleshot_ns;         /* [d] one-shot VIRQ_TIMER deadline, 0 = none */
    uint64_t periodic_ns;           /* [d] periodic VIRQ_TIMER period, 0 = none */
    uint64_t periodic_last_ns;      /* [d] when the periodic timer last fired */
    bool polling;                   /* atomic: blocked in SCHEDOP_poll */
    uint64_t poll_deadline_ns;      /* atomic: SCHEDOP_poll timeout, 0 = none */
};

struct domain {
    domid_t domid;
    bool is_privileged;             /* the control domain */
    struct env_lock lock;
    unsigned int refcnt;            /* atomic; the domid table holds one; see docs/core.md */
    bool is_dying;                  /* [d] domain_kill() ran; freed at refcnt 0 */
    struct shared_info *shared_info;
    mfn_t shared_info_mfn;
    unsigned int max_vcpus;
    struct vcpu **vcpus;
    struct evtchn_domain *evtchn;
    struct gnttab_domain *gnttab;
    /* Fields below: [d] = under lock; [c] = constant after creation. */
    uint32_t cdf_flags;             /* [c] XEN_DOMCTL_CDF_* */
    uint32_t ssidref;               /* [c] */
    uint32_t emulation_flags;       /* [c] XEN_X86_EMU_* */
    uint32_t misc_flags;            /* [c] XEN_X86_MSR_RELAXED */
    unsigned int max_evtchn_port;   /* [c] */
    unsigned int max_grant_frames;  /* [c] */
    unsigned int max_maptrack_frames; /* [c] */
    xen_domain_handle_t handle;     /* [d] toolstack's UUID */
    unsigned int pause_count;       /* [d] every pauser; vCPUs run only at 0 */
    unsigned int controller_pause_count; /* [d] toolstack pauses (<= 255) */
    bool creation_finished;         /* [d] first controller unpause happened */
    bool is_shutting_down;          /* [d] */
    uint8_t shutdown_code;          /* [d] SHUTDOWN_* as given, or ..._INVALID */
    int64_t time_offset_seconds;    /* [d] XEN_DOMCTL_settimeoffset */
    struct mm_domain *mm;           /* [c] mm.c */
    struct sched_domain *sched;     /* [c] schedule.c */
    uint64_t hvm_params[DOMAIN_NR_HVM_PARAMS]; /* [d] HVMOP_set/get_param store */
};

/* Look up a live domain and take a reference; NULL if none (or dying). */
struct domain *domain_get(domid_t domid);
/* As domain_get, but a dying domain is found too (control operations). */
struct domain *domain_get_any(domid_t domid);
/* The first domain (live or dying) with domid >= from, referenced; NULL if none. */
struct domain *domain_get_next(domid_t from);
/* Take another reference on a domain the caller already holds one on. */
void domain_ref(struct domain *d);
void domain_put(struct domain *d);
/* Number of domains in the table (live or dying). */
unsigned int domain_count(void);

/*
 * Create domain domid (must be free and < DOMID_FIRST_RESERVED) from a
 * createdomain config checked like Xen 4.17. The domain starts paused by
 * the controller (one controller pause). On success *out holds a reference.
 */
int domain_create(domid_t domid, const struct xen_domctl_createdomain *cfg,
                  bool privileged, struct domain **out);
/* A free domid for createdomain's "allocate one" case, or -XEN_ENOMEM. */
int domain_alloc_domid(domid_t *out);
/* Destroy: mark dying, release every resource, drop the table's reference. */
int domain_kill(struct domain *d);

/* Internal pause counting (vCPUs run only when the count is 0). */
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/* The toolstack's pause/unpause (XEN_DOMCTL_pausedomain/unpausedomain). */
int domain_pause_by_controller(struct domain *d);
int domain_unpause_by_controller(struct domain *d);
/* The guest or toolstack says the domain is done; reason is SHUTDOWN_*. */
void domain_shutdown(struct domain *d, uint8_t reason);
bool domain_is_paused(struct domain *d);
/* XEN_DOMCTL_resumedomain: undo a shutdown (e.g. a cancelled suspend). */
void domain_resume(struct domain *d);
/* SCHEDOP_shutdown_code: record the code a later shutdown reports. */
void domain_set_shutdown_code(struct domain *d, uint8_t code);

/* XEN_DOMCTL_getdomaininfo / XEN_SYSCTL_getdomaininfolist contents for d. */
void domain_getinfo(struct domain *d, struct xen_domctl_getdomaininfo *info);
void domain_set_handle(struct domain *d, const xen_domain_handle_t handle);
void domain_set_time_offset(struct domain *d, int64_t seconds);
/* HVMOP_set/get_param storage (the caller checks who may); -XEN_EINVAL past the store. */
int domain_hvm_param(struct domain *d, uint32_t index, uint64_t *value, bool set);

/* vCPUs. */
struct vcpu *domain_vcpu(struct domain *d, unsigned int id);
/* XEN_DOMCTL_max_vcpus: vCPUs are made at creation (as in Xen 4.17), so only
 * the number createdomain gave is accepted (old toolstacks repeat it). */
int domain_set_max_vcpus(struct domain *d, unsigned int max);
/* vcpu.c (its header would shadow the public vcpu.h, so it is declared here). */
void vcpu_pause(struct vcpu *v);
void vcpu_unpause(struct vcpu *v);
/* Runnable as far as pausing goes (not blocked-ness; that is the scheduler's). */
bool vcpu_may_run(struct vcpu *v);
/* XEN_DOMCTL_setvcpucontext (ctx NULL: reset) / getvcpucontext. */
int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *ctx);
void vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *ctx);
/* VCPUOP_up / down / is_up. */
int vcpu_up(struct vcpu *v);
int vcpu_down(struct vcpu *v);
bool vcpu_is_up(struct vcpu *v);
/* VCPUOP_register_vcpu_info: move v's vcpu_info into guest page gfn. */
int vcpu_register_info(struct vcpu *v, uint64_t gfn, uint32_t offset);
/* VCPUOP_register_runstate_memory_area: where to keep a copy of the runstate
 * (a guest-virtual address; 0 stops it); the copy is written at once. */
void vcpu_register_runstate(struct vcpu *v, guest_addr_t addr);
/* Refresh the guest's runstate copy (the arch calls it when v is switched
 * in, with v's address space current). A bad address is ignored, as Xen. */
void vcpu_runstate_to_guest(struct vcpu *v);
/*
 * Timers (VIRQ_TIMER). Core keeps the deadlines; the arch arms the hardware
 * for vcpu_timer_next(v) while v runs (and for blocked vCPUs) and calls
 * vcpu_timer_run(v, now) when it expires, which raises what is due.
 */
int vcpu_set_singleshot(struct vcpu *v, uint64_t deadline_ns, bool future_only);
void vcpu_stop_singleshot(struct vcpu *v);
int vcpu_set_periodic(struct vcpu *v, uint64_t period_ns);   /* 0 stops */
void vcpu_set_timer_op(struct vcpu *v, int64_t timeout_ns);    /* __HYPERVISOR_set_timer_op */
uint64_t vcpu_timer_next(struct vcpu *v);                      /* 0: nothing armed */
void vcpu_timer_run(struct vcpu *v, uint64_t now);
/*
 * SCHEDOP_poll: block v until one of ports (or, with several, any port) is
 * raised, an upcall is due, or deadline_ns (0: none) passes. Returns 0 (at
 * once if something is pending) or -XEN_EINVAL for a bad port. The wake-up
 * (schedule_wake) ends the poll.
 */
int vcpu_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline_ns);
/* Clear v's poll state after it woke (called by schedule_wake). */
void vcpu_poll_done(struct vcpu *v);
/* Release what a vCPU holds of guest memory (on domain death). */
void vcpu_release(struct vcpu *v);

#endif
