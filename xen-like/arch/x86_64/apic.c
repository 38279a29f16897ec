/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Local APIC: mode selection (x2APIC MSRs when available, else xAPIC MMIO),
 * the one-shot timer, IPIs, and the boot-time calibration of both the TSC
 * and the LAPIC timer against PIT channel 2 (no assumed frequencies).
 */
#include "apic.h"
#include "cpu.h"
#include "paging.h"
#include "printk.h"
#include "traps.h"

#define APIC_ID       0x020
#define APIC_EOI      0x0b0
#define APIC_SVR      0x0f0
#define APIC_ICR_LO   0x300
#define APIC_ICR_HI   0x310
#define APIC_LVT_TMR  0x320
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_TMR_INIT 0x380
#define APIC_TMR_CUR  0x390
#define APIC_TMR_DIV  0x3e0
#define APIC_BASE_EN    (1ull << 11)
#define APIC_BASE_EXTD  (1ull << 10)
#define LVT_MASKED      (1u << 16)
#define ICR_BUSY        (1u << 12)
#define PIT_HZ          1193182u
#define CALIBRATE_MS    20u

uint64_t apic_tsc_khz, apic_timer_khz;
static volatile uint32_t *mmio;
static bool x2apic;

static uint32_t apic_read(unsigned int reg)
{
    return x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
    if (x2apic)
        wrmsr(0x800 + (reg >> 4), v);
    else
        mmio[reg / 4] = v;
}

bool apic_is_x2apic(void)
{
    return x2apic;
}

uint32_t apic_id(void)
{
    return x2apic ? apic_read(APIC_ID) : apic_read(APIC_ID) >> 24;
}

void apic_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

static void send_icr(uint32_t dest, uint32_t low)
{
    if (x2apic) {
        wrmsr(0x830, ((uint64_t)dest << 32) | low);
        return;
    }
    apic_write(APIC_ICR_HI, dest << 24);
    apic_write(APIC_ICR_LO, low);
    for (unsigned int i = 0; i < 1000000 && (apic_read(APIC_ICR_LO) & ICR_BUSY); i++)
        cpu_relax();
}

void apic_send_ipi(uint32_t dest, uint8_t vector)
{
    send_icr(dest, vector);             /* fixed delivery, physical destination */
}

void apic_send_nmi(uint32_t dest)
{
    send_icr(dest, 0x400);              /* NMI delivery mode */
}

void apic_send_init(uint32_t dest)
{
    send_icr(dest, 0x4500);             /* INIT, level assert */
}

void apic_send_sipi(uint32_t dest, uint8_t page)
{
    send_icr(dest, 0x4600 | page);      /* start-up at page << 12 */
}

void apic_timer_oneshot(uint64_t ns)
{
    uint64_t ticks;

    if (!ns) {
        apic_write(APIC_TMR_INIT, 0);
        return;
    }
    ticks = ns * apic_timer_khz / 1000000;
    apic_write(APIC_TMR_INIT, (uint32_t)MIN(MAX(ticks, 1), 0xffffffffull));
}

static void enable_this_cpu(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);

    /* x2APIC is entered from enabled xAPIC mode only: two steps. */
    if (!(base & APIC_BASE_EN)) {
        base = (base & ~APIC_BASE_EXTD) | APIC_BASE_EN;
        wrmsr(MSR_APIC_BASE, base);
    }
    if (x2apic && !(base & APIC_BASE_EXTD))
        wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, LVT_MASKED);
    apic_write(APIC_TMR_DIV, 0x3);      /* divide by 16 */
    apic_write(APIC_LVT_TMR, VECTOR_TIMER);   /* one-shot, unmasked */
    apic_write(APIC_TMR_INIT, 0);
}

struct cal_sample {
    uint64_t tsc;           /* midpoint of the clock reads around the PIT read */
    uint32_t lapic;
    uint16_t pit;
};

/* PIT channel 2's current count (latched, so low and high bytes agree). */
static uint16_t pit2_count(void)
{
    uint8_t lo, hi;

    outb(0x43, 0x80);                       /* latch channel 2 */
    lo = inb(0x42);
    hi = inb(0x42);
    return (uint16_t)(lo | (hi << 8));
}

/* The clocks read as close together as we can: of five tries, the one
 * whose clock reads bracket the PIT read most tightly. `clock` is rdtsc
 * for calibration, time_now_ns for the self-test of the result. */
static struct cal_sample sample(uint64_t (*clock)(void))
{
    struct cal_sample best = { 0 };
    uint64_t best_width = UINT64_MAX;

    for (int i = 0; i < 5; i++) {
        uint64_t t0 = clock();
        uint16_t pit = pit2_count();
        uint32_t lapic = apic_read(APIC_TMR_CUR);
        uint64_t t1 = clock();
        if (t1 - t0 < best_width) {
            best_width = t1 - t0;
            best = (struct cal_sample){ t0 + (t1 - t0) / 2, lapic, pit };
        }
    }
    return best;
}

static uint64_t read_tsc(void)
{
    return rdtsc();
}

/* PIT channel 2 free-runs from 0xffff (54.9 ms per wrap); `clock` and the
 * LAPIC timer are compared with the PIT count read at both ends of a
 * CALIBRATE_MS window. A stall outside the samples costs no accuracy, since
 * the elapsed PIT count is read, not assumed; but stalls adding up to a
 * whole PIT period would hide a wrap. Polling gaps are microseconds, so the
 * clock time spent in long gaps (over 1/64 of the window each) is summed:
 * a hidden wrap makes that at least half of the clock's total. Returns the
 * PIT ticks elapsed (0 if the PIT does not count: machines without one). */
struct pit_window {
    uint32_t pit_ticks, lapic;
    uint64_t clock, stalled;        /* clock total; clock time in long gaps */
};

static bool pit_window_once(uint64_t (*clock)(void), struct pit_window *w)
{
    uint32_t window = PIT_HZ / 1000 * CALIBRATE_MS;
    struct cal_sample a, b, prev;
    uint64_t gaps[64];
    unsigned int ngaps = 0;
    unsigned long spins = 0;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    outb(0x42, 0xff);
    outb(0x42, 0xff);
    a = prev = sample(clock);
    do {
        b = sample(clock);
        /* Keep the 64 longest gaps: more than that many long ones is a
         * stalled window anyway. */
        if (ngaps < ARRAY_SIZE(gaps))
            gaps[ngaps++] = b.tsc - prev.tsc;
        else
            for (unsigned int i = 0; i < ngaps; i++)
                if (gaps[i] < b.tsc - prev.tsc) {
                    gaps[i] = b.tsc - prev.tsc;
                    break;
                }
        prev = b;
        if (++spins > 10000000)
            return false;
    } while ((uint16_t)(a.pit - b.pit) < window);
    w->pit_ticks = (uint16_t)(a.pit - b.pit);
    w->clock = b.tsc - a.tsc;
    w->lapic = a.lapic - b.lapic;
    w->stalled = 0;
    for (unsigned int i = 0; i < ngaps; i++)
        if (gaps[i] > w->clock / 64)
            w->stalled += gaps[i];
    return true;
}

/* Up to eight windows; the first undisturbed one, else the least disturbed. */
static uint32_t pit_window(uint64_t (*clock)(void), uint64_t *clock_delta, uint32_t *lapic_delta)
{
    struct pit_window w, best = { 0 };

    for (int i = 0; i < 8; i++) {
        if (!pit_window_once(clock, &w))
            return 0;
        if (!best.clock || w.stalled * best.clock < best.stalled * w.clock)
            best = w;
        if (best.stalled < best.clock / 4)
            break;
    }
    if (best.stalled >= best.clock / 2)
        pr_warn("apic: every PIT window was disturbed by stalls; timing may be off\n");
    *clock_delta = best.clock;
    *lapic_delta = best.lapic;
    return best.pit_ticks;
}

static bool calibrate(void)
{
    uint64_t tsc;
    uint32_t lapic, pit_ticks;

    apic_write(APIC_LVT_TMR, LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_TMR_INIT, 0xffffffff);
    pit_ticks = pit_window(read_tsc, &tsc, &lapic);
    apic_write(APIC_TMR_INIT, 0);
    apic_write(APIC_LVT_TMR, VECTOR_TIMER);
    if (!pit_ticks)
        return false;
    apic_tsc_khz = tsc * PIT_HZ / pit_ticks / 1000;
    apic_timer_khz = (uint64_t)lapic * PIT_HZ / pit_ticks / 1000;
    return apic_tsc_khz && apic_timer_khz;
}

uint64_t apic_pit_check(uint64_t (*clock_ns)(void), uint64_t *clock_delta_ns)
{
    uint32_t lapic, pit_ticks = pit_window(clock_ns, clock_delta_ns, &lapic);

    return (uint64_t)pit_ticks * 1000000000ull / PIT_HZ;
}

static void pic_disable(void)
{
    outb(0xa1, 0xff);                       /* mask every legacy PIC line */
    outb(0x21, 0xff);
}

void apic_init_bsp(void)
{
    x2apic = cpu_has_x2apic();
    if (!x2apic) {
        paddr_t base = rdmsr(MSR_APIC_BASE) & PTE_ADDR_MASK;
        mmio = paging_map_mmio(base, PAGE_SIZE);
        if (!mmio)
            panic("apic: cannot map the xAPIC at %#lx", (unsigned long)base);
    }
    pic_disable();
    enable_this_cpu();
    if (!calibrate())
        panic("apic: PIT channel 2 never counted down; cannot calibrate the timer");
    pr_info("apic: %s mode, id %u; TSC %lu.%03lu MHz, LAPIC timer %lu.%03lu MHz (PIT-calibrated)\n",
            x2apic ? "x2APIC" : "xAPIC", apic_id(),
            (unsigned long)(apic_tsc_khz / 1000), (unsigned long)(apic_tsc_khz % 1000),
            (unsigned long)(apic_timer_khz / 1000), (unsigned long)(apic_timer_khz % 1000));
}

void apic_init_ap(void)
{
    enable_this_cpu();
}
