/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler: a host simulation over simulated time. Domains are CPU-bound
 * (always runnable), interactive (a short burst, then block until a timer
 * wake), or blocked for good. Asserted: shares by weight within 3% of the
 * total, a cap never exceeded in any accounting period, a blocked vCPU uses
 * nothing, a woken interactive vCPU runs within 1 ms (once it has been
 * through one accounting period); round-robin shares.
 */
#include "unit.h"
#include "env_host.h"
#include "errno.h"
#include "schedule.h"

#define MS 1000000ULL
#define PERIOD (30 * MS)

struct model {
    struct vcpu *v;
    bool interactive;
    uint64_t burst, every;      /* interactive: work per wake, wake interval */
    uint64_t left, next_wake;
};

struct sim {
    unsigned int ncpus, nm;
    uint64_t now, deadline[SCHED_MAX_CPUS], started[SCHED_MAX_CPUS];
    struct vcpu *curr[SCHED_MAX_CPUS];
    struct model m[16];
};

static struct model *model_of(struct sim *s, struct vcpu *v)
{
    for (unsigned int i = 0; i < s->nm; i++)
        if (s->m[i].v == v)
            return &s->m[i];
    return NULL;
}

static void resched(struct sim *s, unsigned int cpu)
{
    uint64_t slice = 0;
    struct vcpu *v = schedule_next(cpu, s->now, &slice);
    struct model *m = v ? model_of(s, v) : NULL;

    s->curr[cpu] = v;
    s->started[cpu] = s->now;
    s->deadline[cpu] = s->now + (slice ? slice : MS / 10);
    if (m && m->interactive && s->now + m->left < s->deadline[cpu])
        s->deadline[cpu] = s->now + m->left;
}

static uint64_t next_event(struct sim *s, uint64_t end)
{
    uint64_t t = end;

    for (unsigned int c = 0; c < s->ncpus; c++)
        t = s->deadline[c] < t ? s->deadline[c] : t;
    for (unsigned int i = 0; i < s->nm; i++)
        if (s->m[i].interactive && schedule_vcpu_blocked(s->m[i].v) && s->m[i].next_wake < t)
            t = s->m[i].next_wake;
    return t;
}

static void account_bursts(struct sim *s)
{
    for (unsigned int c = 0; c < s->ncpus; c++) {
        struct model *m = s->curr[c] ? model_of(s, s->curr[c]) : NULL;

        if (m && m->interactive) {
            uint64_t ran = s->now - s->started[c];

            m->left = ran >= m->left ? 0 : m->left - ran;
        }
        s->started[c] = s->now;
    }
}

static void step(struct sim *s, uint64_t end)
{
    uint64_t t;

    s->now = next_event(s, end);
    env_host_set_now(s->now);
    account_bursts(s);
    for (unsigned int i = 0; i < s->nm; i++) {
        struct model *m = &s->m[i];

        if (m->interactive && schedule_vcpu_blocked(m->v) && m->next_wake <= s->now) {
            m->left = m->burst;
            m->next_wake += m->every;
            schedule_wake(m->v);
        }
    }
    for (unsigned int c = 0; c < s->ncpus; c++) {
        struct model *m = s->curr[c] ? model_of(s, s->curr[c]) : NULL;

        if (m && m->interactive && !m->left)
            schedule_block(m->v);
        if (s->deadline[c] <= s->now || (m && m->interactive && !m->left))
            resched(s, c);
    }
    while ((t = schedule_take_tickles()))
        for (unsigned int c = 0; c < s->ncpus; c++)
            if (t & (1ULL << c))
                resched(s, c);
}

static void run_until(struct sim *s, uint64_t end)
{
    while (s->now < end)
        step(s, end);
}

static struct vcpu *add(struct sim *s, domid_t id, unsigned int vcpus, unsigned int weight,
                        unsigned int cap)
{
    struct domain *d = test_domain(id, false, vcpus);

    for (unsigned int i = 1; i < vcpus; i++) {
        d->vcpus[i]->is_initialised = d->vcpus[i]->is_up = true;
        schedule_vcpu_update(d->vcpus[i]);
    }
    schedule_set_params(d, weight, cap);
    for (unsigned int i = 0; i < vcpus; i++)
        s->m[s->nm++] = (struct model){ .v = d->vcpus[i] };
    return d->vcpus[0];
}

static void start(struct sim *s, unsigned int ncpus, const struct sched_policy *p)
{
    memset(s, 0, sizeof(*s));
    s->ncpus = ncpus;
    CHECK_EQ(schedule_init(p, ncpus), 0);
}

static void begin(struct sim *s)
{
    for (unsigned int c = 0; c < s->ncpus; c++)
        resched(s, c);
}

/* |got/total - want| <= 3% of the total. */
static bool share_ok(uint64_t got, uint64_t total, double want)
{
    double share = (double)got / (double)total;

    if (share - want > 0.03 || want - share > 0.03) {
        fprintf(stderr, "    share %.4f, want %.4f\n", share, want);
        return false;
    }
    return true;
}

TEST(credit_shares_follow_weights_on_one_cpu)
{
    static struct sim s;
    struct vcpu *a, *b, *c;
    uint64_t end = 3000 * MS;

    start(&s, 1, &sched_credit);
    a = add(&s, 1, 1, 100, 0);
    b = add(&s, 2, 1, 200, 0);
    c = add(&s, 3, 1, 300, 0);
    begin(&s);
    run_until(&s, end);
    CHECK(share_ok(schedule_domain_runtime(a->domain), end, 1.0 / 6));
    CHECK(share_ok(schedule_domain_runtime(b->domain), end, 2.0 / 6));
    CHECK(share_ok(schedule_domain_runtime(c->domain), end, 3.0 / 6));
}

TEST(credit_shares_follow_weights_on_two_cpus_with_smp_domains)
{
    static struct sim s;
    struct vcpu *v[4];
    unsigned int w[4] = { 128, 128, 256, 512 };
    uint64_t end = 3000 * MS, total = 2 * end;

    start(&s, 2, &sched_credit);
    for (unsigned int i = 0; i < 4; i++)
        v[i] = add(&s, i + 1, 2, w[i], 0);
    begin(&s);
    run_until(&s, end);
    for (unsigned int i = 0; i < 4; i++)
        CHECK(share_ok(schedule_domain_runtime(v[i]->domain), total, w[i] / 1024.0));
}

TEST(credit_cap_never_exceeded_in_any_period)
{
    static struct sim s;
    struct vcpu *capped, *hog;
    uint64_t last = 0;

    start(&s, 1, &sched_credit);
    capped = add(&s, 1, 1, 1024, 25);
    hog = add(&s, 2, 1, 256, 0);
    begin(&s);
    for (uint64_t p = 1; p <= 100; p++) {
        uint64_t used;

        run_until(&s, p * PERIOD);
        used = schedule_domain_runtime(capped->domain) - last;
        last += used;
        CHECK(used <= PERIOD * 25 / 100);
    }
    /* It still gets its capped share, and the rest goes to the hog. */
    CHECK(share_ok(last, 100 * PERIOD, 0.25));
    CHECK(share_ok(schedule_domain_runtime(hog->domain), 100 * PERIOD, 0.75));
}

TEST(credit_cap_holds_even_on_an_idle_machine)
{
    static struct sim s;
    struct vcpu *capped;

    start(&s, 2, &sched_credit);
    capped = add(&s, 1, 2, 256, 50);          /* 2 vCPUs, at most half a CPU */
    begin(&s);
    run_until(&s, 60 * PERIOD);
    CHECK(schedule_domain_runtime(capped->domain) <= 60 * PERIOD / 2);
    CHECK(share_ok(schedule_domain_runtime(capped->domain), 60 * PERIOD, 0.5));
}

TEST(blocked_vcpu_uses_nothing_and_frees_the_cpu)
{
    static struct sim s;
    struct vcpu *blocked, *hog;

    start(&s, 1, &sched_credit);
    blocked = add(&s, 1, 1, 65535, 0);
    hog = add(&s, 2, 1, 1, 0);
    schedule_block(blocked);
    begin(&s);
    run_until(&s, 1000 * MS);
    CHECK_EQ(schedule_domain_runtime(blocked->domain), 0);
    CHECK_EQ(schedule_domain_runtime(hog->domain), 1000 * MS);
}

TEST(paused_domain_uses_nothing)
{
    static struct sim s;
    struct vcpu *paused, *hog;

    start(&s, 1, &sched_credit);
    paused = add(&s, 1, 1, 256, 0);
    hog = add(&s, 2, 1, 256, 0);
    begin(&s);
    run_until(&s, 300 * MS);
    domain_pause_by_controller(paused->domain);
    {
        uint64_t before = schedule_domain_runtime(paused->domain);

        /* The pause tickles its CPU: it is off at once, not at slice end. */
        while (schedule_take_tickles())
            resched(&s, 0);
        CHECK_EQ(schedule_domain_runtime(paused->domain), before);
        run_until(&s, 900 * MS);
        CHECK_EQ(schedule_domain_runtime(paused->domain), before);
    }
    CHECK(schedule_domain_runtime(hog->domain) >= 700 * MS);
}

TEST(woken_interactive_vcpu_runs_within_1ms_under_load)
{
    static struct sim s;
    struct vcpu *ia;
    struct model *m;

    start(&s, 1, &sched_credit);
    add(&s, 1, 1, 256, 0);
    add(&s, 2, 1, 256, 0);
    ia = add(&s, 3, 1, 256, 0);
    m = model_of(&s, ia);
    m->interactive = true;
    m->burst = MS / 2;
    m->every = 10 * MS;
    m->next_wake = 5 * MS;
    schedule_block(ia);
    begin(&s);
    /* Before the first accounting period it has no credit to be boosted by. */
    run_until(&s, PERIOD);
    ia->sched->max_wake_latency_ns = 0;
    run_until(&s, 2000 * MS);
    CHECK(ia->sched->max_wake_latency_ns <= 1 * MS);
    /* It got all the CPU it asked for: 0.5 ms every 10 ms. */
    CHECK(share_ok(schedule_domain_runtime(ia->domain), 2000 * MS, 0.05));
}

TEST(round_robin_ignores_weights)
{
    static struct sim s;
    struct vcpu *a, *b;
    uint64_t end = 1000 * MS;

    start(&s, 1, &sched_rr);
    a = add(&s, 1, 1, 100, 0);
    b = add(&s, 2, 1, 1000, 0);
    begin(&s);
    run_until(&s, end);
    CHECK(share_ok(schedule_domain_runtime(a->domain), end, 0.5));
    CHECK(share_ok(schedule_domain_runtime(b->domain), end, 0.5));
}

TEST(round_robin_idle_cpu_steals_work)
{
    static struct sim s;
    struct vcpu *v[3];
    uint64_t end = 1200 * MS;

    start(&s, 2, &sched_rr);
    for (unsigned int i = 0; i < 3; i++)
        v[i] = add(&s, i + 1, 1, 256, 0);
    begin(&s);
    run_until(&s, end);
    for (unsigned int i = 0; i < 3; i++)
        CHECK(share_ok(schedule_domain_runtime(v[i]->domain), 2 * end, 1.0 / 3));
}

TEST(runstate_times_add_up_to_elapsed_time)
{
    static struct sim s;
    struct vcpu *a, *b;
    struct vcpu_runstate_info ra, rb;
    uint64_t end = 600 * MS;

    start(&s, 1, &sched_credit);
    a = add(&s, 1, 1, 256, 0);
    b = add(&s, 2, 1, 256, 0);
    begin(&s);
    run_until(&s, 300 * MS);
    schedule_block(b);                      /* b waits for an event from now on */
    while (schedule_take_tickles())
        resched(&s, 0);
    run_until(&s, end);
    schedule_runstate(a, &ra);
    schedule_runstate(b, &rb);
    CHECK_EQ(ra.time[RUNSTATE_running] + ra.time[RUNSTATE_runnable] + ra.time[RUNSTATE_offline], end);
    CHECK_EQ(ra.time[RUNSTATE_running], schedule_domain_runtime(a->domain));
    CHECK_EQ(rb.state, RUNSTATE_blocked);
    CHECK(rb.time[RUNSTATE_blocked] >= 300 * MS - 10 * MS);
    CHECK_EQ(rb.time[0] + rb.time[1] + rb.time[2] + rb.time[3], end);
    CHECK_EQ(ra.state, RUNSTATE_running);
}

TEST(schedule_init_rejects_bad_cpu_counts)
{
    CHECK_EQ(schedule_init(&sched_credit, 0), -XEN_EINVAL);
    CHECK_EQ(schedule_init(&sched_credit, SCHED_MAX_CPUS + 1), -XEN_EINVAL);
    CHECK_EQ(schedule_init(NULL, 1), -XEN_EINVAL);
}
