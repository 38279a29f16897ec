/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console: formats a line, filters by level, and writes it whole under
 * one lock so lines from different CPUs never interleave. Also `loglvl=`,
 * `console=` and panic(). The UART itself is arch/x86_64/uart.c.
 */
#include "printk.h"
#include "cmdline.h"
#include "conring.h"
#include "cpu.h"
#include "spinlock.h"
#include "uart.h"
#include "traps.h"
#include "smp.h"
#include "percpu.h"

int printk_loglevel = LOG_INFO;
static spinlock_t console_lock = SPINLOCK_INIT;
static volatile bool panicking;
static struct conring console_ring;     /* what `xl dmesg` reads; under console_lock */

static const char *const level_names[] = { "err", "warn", "info", "debug" };

static int parse_loglvl(const char *v, void *var, const char **why)
{
    for (int i = 0; i < (int)ARRAY_SIZE(level_names); i++) {
        if (!strcmp(v, level_names[i])) {
            *(int *)var = i;
            return 0;
        }
    }
    *why = "expected err, warn, info or debug";
    return -1;
}
CMDLINE_OPTION(loglvl, .name = "loglvl", .type = CMDLINE_CUSTOM, .var = &printk_loglevel,
               .parse = parse_loglvl, .help = "console log level: err|warn|info|debug");

static bool console_com1 = true;

static int parse_console(const char *v, void *var, const char **why)
{
    if (strcmp(v, "com1") && strcmp(v, "none")) {
        *why = "expected com1 or none";
        return -1;
    }
    *(bool *)var = !strcmp(v, "com1");
    return 0;
}
CMDLINE_OPTION(console, .name = "console", .type = CMDLINE_CUSTOM, .var = &console_com1,
               .parse = parse_console, .help = "console sink: com1 (default) or none");

static void emit(const char *s)
{
    if (!console_com1)
        return;
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

void vprintk(int level, const char *fmt, va_list ap)
{
    static const char *const prefix[] = { "(HV) ERROR: ", "(HV) WARN: ", "(HV) ", "(HV) " };
    char line[512];
    uint64_t flags;

    if (level > printk_loglevel)
        return;
    if (level < LOG_ERR)
        level = LOG_ERR;
    fmt_vsnprintf(line, sizeof(line), fmt, ap);
    flags = local_irq_save();
    /* A panicking CPU may have died holding the lock: don't wait forever. */
    for (unsigned int spins = 0; !spin_trylock(&console_lock); spins++) {
        if (panicking && spins > 10000000)
            break;
        cpu_relax();
    }
    emit(prefix[level > LOG_DEBUG ? LOG_DEBUG : level]);
    emit(line);
    conring_write(&console_ring, prefix[level > LOG_DEBUG ? LOG_DEBUG : level]);
    conring_write(&console_ring, line);
    spin_unlock(&console_lock);
    local_irq_restore(flags);
}

uint32_t printk_read_ring(char *buf, uint32_t size, uint32_t *index, bool incremental,
                          bool clear)
{
    uint64_t flags = local_irq_save();
    uint32_t n;

    spin_lock(&console_lock);
    n = conring_read(&console_ring, buf, size, index, incremental, clear);
    spin_unlock(&console_lock);
    local_irq_restore(flags);
    return n;
}

void printk(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}

static __attribute__((noreturn)) void vpanic(bool trace, const char *fmt, va_list ap)
{
    char msg[256];
    unsigned int stopped;

    local_irq_disable();
    if (__atomic_exchange_n(&panicking, true, __ATOMIC_ACQ_REL)) {
        for (;;)        /* a second CPU panicking: the first reports */
            halt();
    }
    fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    printk(LOG_ERR, "PANIC on CPU%u: %s\n", smp_processor_id(), msg);
    if (trace)
        traps_print_stack(__builtin_frame_address(0));
    stopped = smp_stop_others();
    if (stopped)
        printk(LOG_ERR, "panic: %u other CPU(s) stopped\n", stopped);
    hv_exit(HV_EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(true, fmt, ap);
}

void panic_after_dump(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vpanic(false, fmt, ap);
}
