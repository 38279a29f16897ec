/* SPDX-License-Identifier: GPL-2.0-only */
/* Force-included in host tests of code that takes spinlocks: claims
 * arch/x86_64/cpu.h's include guard and supplies user-mode stand-ins for
 * the privileged instructions spinlock.h uses (cli/sti cannot run on the
 * host). Locking itself stays real. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H
#include <stdbool.h>
#include <stdint.h>
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline uint64_t local_irq_save(void) { return 0; }
static inline void local_irq_restore(uint64_t flags) { (void)flags; }
#endif
