/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-CPU one-shot timers over timerq.c, the monotonic clock (TSC scaled by
 * the boot calibration), and the LAPIC timer interrupt. Each CPU's LAPIC
 * timer is kept programmed for its earliest deadline; setting an earlier
 * timer on another CPU kicks that CPU with an IPI so it reprograms.
 */
#include "timer.h"
#include "apic.h"
#include "cpu.h"
#include "percpu.h"
#include "printk.h"
#include "traps.h"

static uint64_t tsc_at_boot;
static uint64_t ns_mult;            /* ns = (tsc_delta * ns_mult) >> 32 */

void time_init(void)
{
    tsc_at_boot = rdtsc();
    ns_mult = (1000000ull << 32) / apic_tsc_khz;
}

uint64_t time_now_ns(void)
{
    uint64_t delta = rdtsc() - tsc_at_boot;

    return (uint64_t)(((unsigned __int128)delta * ns_mult) >> 32);
}

uint64_t time_tsc_khz(void)
{
    return apic_tsc_khz;
}

void timer_init(struct timer *t, void (*fn)(struct timer *, void *), void *data,
                unsigned int cpu)
{
    t->q = (struct timerq_entry){ 0 };
    t->fn = fn;
    t->data = data;
    t->cpu = cpu;
}

/* Caller holds the CPU's timer lock and runs on that CPU. */
static void reprogram(struct percpu *pc)
{
    uint64_t next = timerq_next_deadline(&pc->timers), now;

    if (next == UINT64_MAX) {
        apic_timer_oneshot(0);
        return;
    }
    now = time_now_ns();
    apic_timer_oneshot(next > now ? next - now : 1);
}

void timer_set(struct timer *t, uint64_t deadline_ns)
{
    struct percpu *pc = percpu_of(t->cpu);
    uint64_t flags = spin_lock_irqsave(&pc->timer_lock);
    bool earliest;

    timerq_add(&pc->timers, &t->q, deadline_ns);
    earliest = pc->timers.head == &t->q;
    if (earliest && pc == this_cpu())
        reprogram(pc);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
    /* A CPU not up yet programs its queue in timer_init_cpu(). */
    if (earliest && pc != this_cpu() && pc->online)
        apic_send_ipi(pc->apic_id, VECTOR_TIMER_KICK);
}

bool timer_stop(struct timer *t)
{
    struct percpu *pc = percpu_of(t->cpu);
    uint64_t flags = spin_lock_irqsave(&pc->timer_lock);
    bool was = timerq_del(&pc->timers, &t->q);

    spin_unlock_irqrestore(&pc->timer_lock, flags);
    return was;
}

void timer_interrupt(void)
{
    struct percpu *pc = this_cpu();
    struct timerq_entry *e;

    spin_lock(&pc->timer_lock);
    while ((e = timerq_pop_expired(&pc->timers, time_now_ns()))) {
        struct timer *t = container_of(e, struct timer, q);
        /* Unlocked while the callback runs: it may re-arm or set others. */
        spin_unlock(&pc->timer_lock);
        t->fn(t, t->data);
        spin_lock(&pc->timer_lock);
    }
    reprogram(pc);
    spin_unlock(&pc->timer_lock);
}

static void timer_irq(struct cpu_regs *regs)
{
    this_cpu()->timer_irqs++;
    apic_eoi();
    timer_interrupt();
}

static void timer_kick_irq(struct cpu_regs *regs)
{
    apic_eoi();
    timer_interrupt();
}

void timer_init_cpu(void)
{
    struct percpu *pc = this_cpu();
    uint64_t flags;

    /* The queue and lock start zeroed (valid); timers already queued for
     * this CPU before it came up are programmed now. */
    traps_set_handler(VECTOR_TIMER, timer_irq);
    traps_set_handler(VECTOR_TIMER_KICK, timer_kick_irq);
    flags = spin_lock_irqsave(&pc->timer_lock);
    reprogram(pc);
    spin_unlock_irqrestore(&pc->timer_lock, flags);
}

void time_delay_us(uint64_t us)
{
    uint64_t end = time_now_ns() + us * 1000;

    while (time_now_ns() < end)
        cpu_relax();
}

static struct timer tick_timer[NR_CPUS];

static void tick(struct timer *t, void *data)
{
    this_cpu()->ticks++;
    /* Next tick on the period grid, skipping any that were missed. */
    timer_set(t, t->q.deadline + TICK_NS > time_now_ns() ? t->q.deadline + TICK_NS
                                                          : time_now_ns() + TICK_NS);
}

void timer_start_tick(void)
{
    unsigned int cpu = smp_processor_id();

    timer_init(&tick_timer[cpu], tick, NULL, cpu);
    timer_set(&tick_timer[cpu], time_now_ns() + TICK_NS);
}
