/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler mechanism: vCPU states, per-CPU FIFO run queues, runtime
 * accounting, accounting periods and "tickles" (CPUs whose decision is
 * stale). One lock covers all queues (simple; per-queue locks can come when
 * a real SMP load needs them). What runs next is the policy's choice.
 */
#include "schedule.h"
#include "errno.h"

static const struct sched_policy *policy;
static unsigned int nr_cpus;
static struct sched_cpu cpus[SCHED_MAX_CPUS];
static struct env_lock sched_lock = ENV_LOCK_INIT(LOCK_RANK_SCHED, "sched");
static uint64_t next_period_ns;
static uint64_t tickles;
static struct sched_unit *all_units;
static uint64_t queue_seq;

int schedule_init(const struct sched_policy *p, unsigned int ncpus)
{
    if (!p || ncpus < 1 || ncpus > SCHED_MAX_CPUS)
        return -XEN_EINVAL;
    policy = p;
    nr_cpus = ncpus;
    for (unsigned int i = 0; i < ncpus; i++)
        cpus[i] = (struct sched_cpu){ .id = i };
    next_period_ns = p->period_ns;
    tickles = 0;
    return 0;
}

static void ensure_init(void)
{
    if (!policy)
        schedule_init(&sched_credit, 1);
}

const struct sched_policy *schedule_policy(void)
{
    ensure_init();
    return policy;
}

unsigned int schedule_ncpus(void)
{
    ensure_init();
    return nr_cpus;
}

struct sched_cpu *schedule_cpu(unsigned int cpu)
{
    return cpu < nr_cpus ? &cpus[cpu] : NULL;
}

/* ---- runstate (Xen's view of the same states) ---- */

static int runstate_of(enum sched_state st)
{
    switch (st) {
    case SCHED_RUNNING:  return RUNSTATE_running;
    case SCHED_RUNNABLE: return RUNSTATE_runnable;
    case SCHED_BLOCKED:  return RUNSTATE_blocked;
    default:             return RUNSTATE_offline;
    }
}

/* Every state change goes through here so the runstate times add up. */
static void set_state(struct sched_unit *u, enum sched_state st, uint64_t now)
{
    struct vcpu_runstate_info *rs = &u->runstate;

    if (now > rs->state_entry_time)
        rs->time[rs->state] += now - rs->state_entry_time;
    if (now > rs->state_entry_time)
        rs->state_entry_time = now;
    rs->state = runstate_of(st);
    u->state = st;
}

/* ---- run queues (all under sched_lock) ---- */

static void enqueue(struct sched_unit *u, uint64_t now)
{
    struct sched_cpu *c = &cpus[u->cpu];

    u->next = NULL;
    if (c->tail)
        c->tail->next = u;
    else
        c->head = u;
    c->tail = u;
    set_state(u, SCHED_RUNNABLE, now);
    u->queued_seq = ++queue_seq;
}

static void dequeue(struct sched_unit *u)
{
    struct sched_cpu *c = &cpus[u->cpu];
    struct sched_unit **pp = &c->head, *prev = NULL;

    while (*pp && *pp != u) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    if (!*pp)
        return;
    *pp = u->next;
    if (c->tail == u)
        c->tail = prev;
    u->next = NULL;
}

struct sched_unit *schedule_all_units(void)
{
    return all_units;
}

bool schedule_unit_runnable(struct sched_unit *u)
{
    return !u->blocked && vcpu_may_run(u->vcpu);
}

static void tickle(unsigned int cpu)
{
    tickles |= 1ULL << cpu;
}

/* Put a newly runnable unit where it will run soonest: an idle CPU if any. */
static void place(struct sched_unit *u)
{
    struct sched_cpu *own = &cpus[u->cpu];

    if (own->curr || own->head) {
        for (unsigned int i = 0; i < nr_cpus; i++)
            if (!cpus[i].curr && !cpus[i].head) {
                u->cpu = i;
                break;
            }
    }
    enqueue(u, env_now_ns());
    u->active = true;
    if (!cpus[u->cpu].curr || policy->preempts(u, cpus[u->cpu].curr))
        tickle(u->cpu);
}

/* Bring the unit's queue membership in line with whether it may run. */
static void update(struct sched_unit *u)
{
    bool runnable = schedule_unit_runnable(u);

    switch (u->state) {
    case SCHED_OFFLINE:
    case SCHED_BLOCKED:
        if (runnable)
            place(u);
        else
            set_state(u, u->blocked ? SCHED_BLOCKED : SCHED_OFFLINE, env_now_ns());
        break;
    case SCHED_RUNNABLE:
        if (!runnable) {
            dequeue(u);
            set_state(u, u->blocked ? SCHED_BLOCKED : SCHED_OFFLINE, env_now_ns());
        }
        break;
    case SCHED_RUNNING:
        if (!runnable)
            tickle(u->cpu);     /* it leaves at that CPU's next decision */
        break;
    }
}

/* ---- objects ---- */

int schedule_domain_init(struct domain *d)
{
    struct sched_domain *sd = env_zalloc(sizeof(*sd));

    if (!sd)
        return -XEN_ENOMEM;
    ensure_init();
    sd->weight = SCHED_DEFAULT_WEIGHT;
    d->sched = sd;
    return 0;
}

void schedule_domain_destroy(struct domain *d)
{
    env_free(d->sched);
    d->sched = NULL;
}

int schedule_vcpu_init(struct vcpu *v)
{
    struct sched_unit *u = env_zalloc(sizeof(*u));

    if (!u)
        return -XEN_ENOMEM;
    ensure_init();
    u->vcpu = v;
    u->state = SCHED_OFFLINE;
    u->runstate.state = RUNSTATE_offline;
    u->runstate.state_entry_time = env_now_ns();
    u->cpu = v->id % nr_cpus;
    v->sched = u;
    env_lock(&sched_lock);
    u->all_next = all_units;
    all_units = u;
    env_unlock(&sched_lock);
    return 0;
}

void schedule_vcpu_destroy(struct vcpu *v)
{
    struct sched_unit *u = v->sched;

    if (!u)
        return;
    env_lock(&sched_lock);
    if (u->state == SCHED_RUNNABLE)
        dequeue(u);
    if (u->state == SCHED_RUNNING && cpus[u->cpu].curr == u)
        cpus[u->cpu].curr = NULL;
    for (struct sched_unit **pp = &all_units; *pp; pp = &(*pp)->all_next)
        if (*pp == u) {
            *pp = u->all_next;
            break;
        }
    env_unlock(&sched_lock);
    env_free(u);
    v->sched = NULL;
}

/* ---- state changes ---- */

void schedule_vcpu_update(struct vcpu *v)
{
    if (!v || !v->sched)
        return;
    env_lock(&sched_lock);
    update(v->sched);
    env_unlock(&sched_lock);
}

void schedule_block(struct vcpu *v)
{
    struct sched_unit *u = v->sched;

    env_lock(&sched_lock);
    u->blocked = true;
    /* Xen's SCHEDOP_block: events on, and an event already pending wakes at once. */
    if (v->vcpu_info) {
        __atomic_store_n(&v->vcpu_info->evtchn_upcall_mask, 0, __ATOMIC_RELEASE);
        if (__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
            u->blocked = false;
    }
    update(u);
    env_unlock(&sched_lock);
}

void schedule_sleep(struct vcpu *v)
{
    env_lock(&sched_lock);
    v->sched->blocked = true;
    update(v->sched);
    env_unlock(&sched_lock);
}

void schedule_wake(struct vcpu *v)
{
    struct sched_unit *u = v ? v->sched : NULL;

    if (!u)
        return;
    env_lock(&sched_lock);
    if (u->blocked) {
        u->blocked = false;
        u->wake_ns = env_now_ns();
        policy->woken(u);
    }
    update(u);
    env_unlock(&sched_lock);
    vcpu_poll_done(v);              /* a poll ends with any wake-up */
}

void schedule_yield(struct vcpu *v)
{
    struct sched_unit *u = v->sched;

    env_lock(&sched_lock);
    if (u->state == SCHED_RUNNING)
        tickle(u->cpu);         /* requeued behind its peers at the next decision */
    env_unlock(&sched_lock);
}

uint64_t schedule_take_tickles(void)
{
    uint64_t t;

    env_lock(&sched_lock);
    t = tickles;
    tickles = 0;
    env_unlock(&sched_lock);
    return t;
}

/* ---- the decision ---- */

static void run_periods(uint64_t now)
{
    if (!policy->period_ns)
        return;
    if (now < next_period_ns)
        return;
    while (now >= next_period_ns) {
        policy->period(next_period_ns);
        next_period_ns += policy->period_ns;
    }
    /* Credits and caps changed: every CPU's choice is worth redoing. */
    for (unsigned int i = 0; i < nr_cpus; i++)
        tickle(i);
}

static void put_prev(struct sched_cpu *c, uint64_t now)
{
    struct sched_unit *prev = c->curr;
    uint64_t ran;

    if (!prev)
        return;
    ran = now > prev->run_start_ns ? now - prev->run_start_ns : 0;
    prev->runtime_ns += ran;
    policy->charge(prev, ran);
    c->curr = NULL;
    if (schedule_unit_runnable(prev)) {
        enqueue(prev, now);
    } else {
        set_state(prev, prev->blocked ? SCHED_BLOCKED : SCHED_OFFLINE, now);
    }
}

static void set_curr(struct sched_cpu *c, struct sched_unit *next, uint64_t now)
{
    dequeue(next);
    next->cpu = c->id;
    set_state(next, SCHED_RUNNING, now);
    next->run_start_ns = now;
    c->curr = next;
    if (next->wake_ns) {
        uint64_t lat = now - next->wake_ns;

        if (lat > next->max_wake_latency_ns)
            next->max_wake_latency_ns = lat;
        next->wake_ns = 0;
    }
}

struct vcpu *schedule_next(unsigned int cpu, uint64_t now, uint64_t *slice_ns)
{
    struct sched_unit *next;
    struct sched_cpu *c;
    uint64_t slice = 0;

    ensure_init();
    if (cpu >= nr_cpus)
        return NULL;
    c = &cpus[cpu];
    env_lock(&sched_lock);
    put_prev(c, now);
    run_periods(now);
    next = policy->pick(c, now, &slice);
    if (next)
        set_curr(c, next, now);
    if (policy->period_ns && (!slice || next_period_ns - now < slice))
        slice = next_period_ns - now;
    tickles &= ~(1ULL << cpu);
    env_unlock(&sched_lock);
    *slice_ns = slice;
    return next ? next->vcpu : NULL;
}

/* ---- parameters and statistics ---- */

int schedule_get_params(struct domain *d, unsigned int *weight, unsigned int *cap)
{
    env_lock(&sched_lock);
    *weight = d->sched->weight;
    *cap = d->sched->cap;
    env_unlock(&sched_lock);
    return 0;
}

int schedule_set_params(struct domain *d, unsigned int weight, unsigned int cap)
{
    if (weight > SCHED_MAX_WEIGHT) {
        env_log(LOG_WARN, "d%u: scheduler_op: weight %u out of range", d->domid, weight);
        return -XEN_EINVAL;
    }
    env_lock(&sched_lock);
    if (weight)                 /* 0: keep (xl sched-credit semantics) */
        d->sched->weight = weight;
    if (cap != 0xffff)          /* ~0 as uint16: keep */
        d->sched->cap = cap;
    env_unlock(&sched_lock);
    return 0;
}

uint64_t schedule_domain_runtime(struct domain *d)
{
    uint64_t t = 0;

    env_lock(&sched_lock);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (d->vcpus[i] && d->vcpus[i]->sched)
            t += d->vcpus[i]->sched->runtime_ns;
    env_unlock(&sched_lock);
    return t;
}

void schedule_runstate(struct vcpu *v, struct vcpu_runstate_info *out)
{
    uint64_t now = env_now_ns();

    env_lock(&sched_lock);
    *out = v->sched->runstate;
    env_unlock(&sched_lock);
    if (now > out->state_entry_time)
        out->time[out->state] += now - out->state_entry_time;
}

bool schedule_vcpu_running(struct vcpu *v)
{
    return v->sched && v->sched->state == SCHED_RUNNING;
}

bool schedule_vcpu_blocked(struct vcpu *v)
{
    return v->sched && v->sched->blocked;
}
