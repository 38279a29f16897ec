/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains and vCPUs: the objects every other core subsystem hangs state on.
 * Owns: the domid table, create/destroy, pause counts, shutdown, references.
 * Not here: event channels (evtchn.h), grants (gnttab.h), memory (mm.h).
 */
#ifndef CORE_DOMAIN_H
#define CORE_DOMAIN_H

#include "env.h"
#include "xen.h"

struct evtchn_domain;     /* evtchn.c: this domain's ports */
struct gnttab_domain;     /* gnttab.c: this domain's grant table + maptrack */
struct sched_unit;        /* sched.c: scheduling state of one vCPU */

struct vcpu {
    struct domain *domain;
    unsigned int id;
    struct vcpu_info *vcpu_info;    /* in shared_info, or where the guest registered it */
    struct sched_unit *sched;
    /* Filled in as subsystems need: pause count, runstate, timers, ... */
};

struct domain {
    domid_t domid;
    bool is_privileged;             /* the control domain */
    struct env_lock lock;
    unsigned int refcnt;            /* the domid table holds one; see docs/core.md */
    bool is_dying;
    struct shared_info *shared_info;
    mfn_t shared_info_mfn;
    unsigned int max_vcpus;
    struct vcpu **vcpus;
    struct evtchn_domain *evtchn;
    struct gnttab_domain *gnttab;
    /* Filled in as subsystems need: pause count, shutdown, memory, sched, ... */
};

/* Look up a live domain and take a reference; NULL if none (or dying). */
struct domain *domain_get(domid_t domid);
void domain_put(struct domain *d);

#endif
