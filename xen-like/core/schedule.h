/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler mechanism: per-CPU run queues, vCPU states (wake/sleep/block/
 * yield), time accounting, and the policy interface. Not here: the choice of
 * what runs next (sched_credit.c, sched_rr.c); timers and IPIs (runtime/).
 */
#ifndef CORE_SCHEDULE_H
#define CORE_SCHEDULE_H

#include "domain.h"
#include "vcpu.h"

#define SCHED_MAX_CPUS      64
#define SCHED_DEFAULT_WEIGHT 256
#define SCHED_MAX_WEIGHT    65535
/* Our round-robin policy has no Xen scheduler id; it answers with this one. */
#define SCHED_ID_RR         0x100

enum sched_state {
    SCHED_OFFLINE,          /* vCPU down or domain not runnable (paused, dying) */
    SCHED_BLOCKED,          /* waiting for an event (SCHEDOP_block) */
    SCHED_RUNNABLE,         /* on a run queue */
    SCHED_RUNNING,          /* current on its CPU */
};

/* One vCPU's scheduling state. Fields [s] are under the scheduler lock. */
struct sched_unit {
    struct vcpu *vcpu;
    enum sched_state state;         /* [s] */
    bool blocked;                   /* [s] SCHEDOP_block until woken */
    unsigned int cpu;               /* [s] run queue it belongs to */
    struct sched_unit *next;        /* [s] run queue link */
    struct sched_unit *all_next;    /* [s] list of every unit */
    uint64_t run_start_ns;          /* [s] when it became current */
    uint64_t runtime_ns;            /* [s] total CPU time consumed */
    uint64_t wake_ns;               /* [s] last wake from blocked (latency stat) */
    uint64_t max_wake_latency_ns;   /* [s] worst wake -> run seen */
    int64_t credit;                 /* [s] policy data (credit: ns of credit) */
    int prio;                       /* [s] policy data */
    bool active;                    /* [s] policy data: wanted CPU this period */
    uint64_t granted_ns;            /* [s] policy data: slice it was given */
    uint64_t queued_seq;            /* [s] order it joined a run queue in */
    struct vcpu_runstate_info runstate; /* [s] Xen's RUNSTATE_* times */
};

/* A domain's scheduling parameters (xl sched-credit semantics). */
struct sched_domain {
    unsigned int weight;            /* [s] 1..65535, default 256 */
    unsigned int cap;               /* [s] percent of one CPU, 0 = none */
    uint64_t period_used_ns;        /* [s] credit: time used this period */
    bool parked;                    /* [s] credit: cap reached this period */
    unsigned int active_units;      /* [s] credit: units wanting CPU this period */
    uint64_t committed_ns;          /* [s] credit: slices handed out, not yet charged */
};

struct sched_cpu {
    unsigned int id;
    struct sched_unit *curr;        /* [s] NULL when idle */
    struct sched_unit *head, *tail; /* [s] run queue, FIFO order */
};

/* A policy decides; the mechanism (schedule.c) keeps queues and clocks. */
struct sched_policy {
    const char *name;
    unsigned int id;                /* XEN_SCHEDULER_* (or SCHED_ID_RR) */
    /* Start of an accounting period every period_ns (0: none). */
    uint64_t period_ns;
    void (*period)(uint64_t now);
    /* Choose the next unit for cpu from the run queues (may steal); the
     * unit stays queued, the mechanism dequeues it. *slice_ns: how long. */
    struct sched_unit *(*pick)(struct sched_cpu *cpu, uint64_t now, uint64_t *slice_ns);
    /* The unit ran ran_ns. */
    void (*charge)(struct sched_unit *u, uint64_t ran_ns);
    /* The unit became runnable after blocking: may boost it. */
    void (*woken)(struct sched_unit *u);
    /* Should the newly runnable unit preempt curr? */
    bool (*preempts)(struct sched_unit *u, struct sched_unit *curr);
};

extern const struct sched_policy sched_credit;
extern const struct sched_policy sched_rr;

/* Choose the policy and number of physical CPUs; before any vCPU exists. */
int schedule_init(const struct sched_policy *policy, unsigned int ncpus);
const struct sched_policy *schedule_policy(void);
unsigned int schedule_ncpus(void);
struct sched_cpu *schedule_cpu(unsigned int cpu);

int schedule_domain_init(struct domain *d);
void schedule_domain_destroy(struct domain *d);
int schedule_vcpu_init(struct vcpu *v);
void schedule_vcpu_destroy(struct vcpu *v);

/* Re-evaluate v after its pause/online state changed. */
void schedule_vcpu_update(struct vcpu *v);
/* Guest ops: block until an event, give up the CPU, and the event path's wake. */
void schedule_block(struct vcpu *v);
/* Block v with no event check (SCHEDOP_poll did its own). */
void schedule_sleep(struct vcpu *v);
void schedule_yield(struct vcpu *v);
void schedule_wake(struct vcpu *v);

/*
 * The scheduling decision for cpu at time now: charge the current unit,
 * pick the next. Returns the vCPU to run (NULL: idle) and *slice_ns, the
 * time until the next decision is due (the caller arms a timer).
 */
struct vcpu *schedule_next(unsigned int cpu, uint64_t now, uint64_t *slice_ns);
/* CPUs whose decision is stale since a wake (the caller reschedules them). */
uint64_t schedule_take_tickles(void);

/* XEN_DOMCTL_scheduler_op parameters. */
int schedule_get_params(struct domain *d, unsigned int *weight, unsigned int *cap);
int schedule_set_params(struct domain *d, unsigned int weight, unsigned int cap);
uint64_t schedule_domain_runtime(struct domain *d);
/* v's runstate with the current state's time counted up to now. */
void schedule_runstate(struct vcpu *v, struct vcpu_runstate_info *out);
bool schedule_vcpu_running(struct vcpu *v);
bool schedule_vcpu_blocked(struct vcpu *v);

/* For policies (called with the scheduler lock held). */
bool schedule_unit_runnable(struct sched_unit *u);
struct sched_unit *schedule_all_units(void);

#endif
