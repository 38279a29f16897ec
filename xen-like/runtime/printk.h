/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor console (printk.c): levelled, line-atomic output to every
 * console sink (COM1 today), and panic(). Levels are env.h's LOG_*; lines
 * above the threshold set by `loglvl=` are dropped.
 */
#ifndef RUNTIME_PRINTK_H
#define RUNTIME_PRINTK_H

#include "env.h"
#include "lib.h"

void printk(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(int level, const char *fmt, va_list ap);

#define pr_err(...)   printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)  printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...)  printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* Prints "PANIC: ..." with a stack trace, stops the other CPUs, then leaves
 * through isa-debug-exit (status HV_EXIT_PANIC) or halts forever. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* The same without the stack trace, for callers that just printed one. */
__attribute__((noreturn, format(printf, 1, 2))) void panic_after_dump(const char *fmt, ...);

#define BUG_ON(c) do { if (unlikely(c)) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
#define ASSERT(c) BUG_ON(!(c))

/* Reads the console's ring of recent output (conring.h contract). */
uint32_t printk_read_ring(char *buf, uint32_t size, uint32_t *index, bool incremental,
                          bool clear);

/* The current threshold (LOG_ERR..LOG_DEBUG); set by `loglvl=`. */
extern int printk_loglevel;

#endif
