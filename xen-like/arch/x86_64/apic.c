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
#define CALIBRATE_MS    10u

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
    uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_EN;

    if (x2apic)
        base |= APIC_BASE_EXTD;
    wrmsr(MSR_APIC_BASE, base);
    apic_write(APIC_SVR, 0x100 | VECTOR_SPURIOUS);
    apic_write(APIC_LVT_LINT0, LVT_MASKED);
    apic_write(APIC_LVT_LINT1, LVT_MASKED);
    apic_write(APIC_TMR_DIV, 0x3);      /* divide by 16 */
    apic_write(APIC_LVT_TMR, VECTOR_TIMER);   /* one-shot, unmasked */
    apic_write(APIC_TMR_INIT, 0);
}

/* Counts TSC and LAPIC-timer ticks over CALIBRATE_MS of PIT channel 2.
 * Returns false if the PIT never signals (machines without one). */
static bool calibrate_once(uint64_t *tsc, uint32_t *lapic)
{
    uint32_t count = PIT_HZ * CALIBRATE_MS / 1000, a0;
    uint64_t t0;
    unsigned long spins = 0;

    outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(0x43, 0xb0);                       /* channel 2, lo/hi, mode 0 */
    apic_write(APIC_LVT_TMR, LVT_MASKED | VECTOR_TIMER);
    apic_write(APIC_TMR_INIT, 0xffffffff);
    outb(0x42, count & 0xff);
    outb(0x42, count >> 8);
    t0 = rdtsc();
    a0 = apic_read(APIC_TMR_CUR);
    while (!(inb(0x61) & 0x20))
        if (++spins > 50000000)
            return false;
    *tsc = rdtsc() - t0;
    *lapic = a0 - apic_read(APIC_TMR_CUR);
    apic_write(APIC_TMR_INIT, 0);
    apic_write(APIC_LVT_TMR, VECTOR_TIMER);
    return true;
}

/* Three rounds, keeping the shortest: an emulator (or SMI) that stalls us
 * after the PIT fires can only lengthen a round, never shorten it. */
static bool calibrate(void)
{
    uint64_t best_tsc = UINT64_MAX, tsc;
    uint32_t best_lapic = 0, lapic;

    for (int i = 0; i < 3; i++) {
        if (!calibrate_once(&tsc, &lapic))
            return false;
        if (tsc < best_tsc) {
            best_tsc = tsc;
            best_lapic = lapic;
        }
    }
    apic_tsc_khz = best_tsc / CALIBRATE_MS;
    apic_timer_khz = best_lapic / CALIBRATE_MS;
    return apic_tsc_khz && apic_timer_khz;
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
