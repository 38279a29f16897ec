/* SPDX-License-Identifier: GPL-2.0-only */
/* A fake machine memory for the boot-time parsers' host tests: 2 MiB at
 * machine address 0, read through fake_read() (a phys_read_fn) which
 * refuses anything outside it; printk() lines are captured in fake_log. */
#ifndef FAKE_PHYS_H
#define FAKE_PHYS_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define FAKE_MEM_SIZE (2u << 20)
static uint8_t fake_mem[FAKE_MEM_SIZE];
static char fake_log[8192];

static const void *fake_read(uint64_t pa, size_t len)
{
    if (pa >= FAKE_MEM_SIZE || len > FAKE_MEM_SIZE - pa)
        return NULL;
    return fake_mem + pa;
}

void printk(int level, const char *fmt, ...);
void printk(int level, const char *fmt, ...)
{
    size_t used = strlen(fake_log);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(fake_log + used, sizeof(fake_log) - used, fmt, ap);
    va_end(ap);
}

static void put32(uint64_t pa, uint32_t v) { memcpy(fake_mem + pa, &v, 4); }
static void put64(uint64_t pa, uint64_t v) { memcpy(fake_mem + pa, &v, 8); }

#endif
