/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console ring (conring_*): the last CONRING_SIZE bytes the console
 * printed, kept for XEN_SYSCTL_readconsole (`xl dmesg`). Pure logic, host
 * tested; the caller serialises writers and readers (printk.c's lock).
 */
#ifndef RUNTIME_CONRING_H
#define RUNTIME_CONRING_H

#include <stdbool.h>
#include <stdint.h>

#define CONRING_SIZE 16384u     /* a power of two: indexes wrap freely */

struct conring {
    char buf[CONRING_SIZE];
    uint32_t prod;              /* bytes ever written */
    uint32_t cons;              /* oldest byte still readable (moves on clear/overwrite) */
};

void conring_write(struct conring *r, const char *s);
/*
 * Copies up to size bytes into out, oldest first, and returns how many;
 * *index is left after the last byte copied, so a caller can continue.
 * incremental: start at *index if that is still in the ring (Xen's
 * readconsole contract), else at the oldest byte.
 * clear: afterwards everything written so far counts as read.
 */
uint32_t conring_read(struct conring *r, char *out, uint32_t size, uint32_t *index,
                      bool incremental, bool clear);

#endif
