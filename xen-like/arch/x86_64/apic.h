/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The local APIC (apic.c): x2APIC mode when the CPU has it, xAPIC MMIO
 * otherwise; the LAPIC timer in one-shot mode, calibrated against the PIT
 * at boot together with the TSC; IPIs (fixed, INIT, SIPI).
 */
#ifndef ARCH_APIC_H
#define ARCH_APIC_H

#include <stdbool.h>
#include <stdint.h>

void apic_init_bsp(void);       /* also calibrates TSC and LAPIC timer */
void apic_init_ap(void);        /* reuses the boot CPU's calibration */

uint32_t apic_id(void);
bool apic_is_x2apic(void);
void apic_eoi(void);

/* Fire VECTOR_TIMER once after ns nanoseconds (0: stop the timer). */
void apic_timer_oneshot(uint64_t ns);

void apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
void apic_send_nmi(uint32_t dest_apic_id);
void apic_send_init(uint32_t dest_apic_id);
void apic_send_sipi(uint32_t dest_apic_id, uint8_t page);

/* For self-tests: times a fresh PIT window of about 20 ms with clock_ns
 * (e.g. time_now_ns); returns the window's length in ns by the PIT (0 if
 * the PIT does not count) and sets *clock_delta_ns to clock_ns's view. */
uint64_t apic_pit_check(uint64_t (*clock_ns)(void), uint64_t *clock_delta_ns);

/* Calibration results (kHz). */
extern uint64_t apic_tsc_khz, apic_timer_khz;

#endif
