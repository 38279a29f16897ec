/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One-shot timers on the hypervisor's monotonic clock (timer.c). A timer
 * belongs to one CPU and its function runs there, in interrupt context with
 * interrupts off. The LAPIC timer is always programmed for the earliest
 * deadline of the CPU's queue. Periodic behaviour = re-arm in the callback.
 */
#ifndef RUNTIME_TIMER_H
#define RUNTIME_TIMER_H

#include "lib.h"
#include "timerq.h"

struct timer {
    struct timerq_entry q;
    void (*fn)(struct timer *t, void *data);
    void *data;
    unsigned int cpu;
};

void timer_init(struct timer *t, void (*fn)(struct timer *, void *), void *data,
                unsigned int cpu);
/* Arm (or re-arm) t to fire once at deadline_ns (time_now_ns() scale). A
 * deadline in the past fires as soon as possible. */
void timer_set(struct timer *t, uint64_t deadline_ns);
/* Disarm; returns whether it was pending. */
bool timer_stop(struct timer *t);

/* Nanoseconds since boot (TSC based, calibrated at boot), monotonic. */
uint64_t time_now_ns(void);
uint64_t time_tsc_khz(void);

/* Boot CPU after the TSC is calibrated; then every CPU once its LAPIC is up. */
void time_init(void);
void timer_init_cpu(void);

/* Busy-wait (boot-time delays: AP start-up). */
void time_delay_us(uint64_t us);

/* The housekeeping tick: a TICK_NS periodic timer on the calling CPU (it
 * will drive the scheduler); counts into percpu->ticks. */
#define TICK_NS 10000000ull
void timer_start_tick(void);

/* Called by the LAPIC timer interrupt: runs every expired timer of this
 * CPU, then reprograms the LAPIC for the next deadline. */
void timer_interrupt(void);

#endif
