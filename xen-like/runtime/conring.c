/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console ring: a byte ring with free-running producer and consumer
 * counters, so "how much is kept" is prod - cons and wrap needs no cases.
 * Not here: locking and the sysctl plumbing (printk.c, hostinfo.c).
 */
#include "conring.h"

void conring_write(struct conring *r, const char *s)
{
    for (; *s; s++)
        r->buf[r->prod++ & (CONRING_SIZE - 1)] = *s;
    if (r->prod - r->cons > CONRING_SIZE)
        r->cons = r->prod - CONRING_SIZE;       /* the oldest bytes were overwritten */
}

/* Is position i still between cons and prod (modulo 2^32)? */
static bool conring_holds(const struct conring *r, uint32_t i)
{
    return i - r->cons <= r->prod - r->cons;
}

uint32_t conring_read(struct conring *r, char *out, uint32_t size, uint32_t *index,
                      bool incremental, bool clear)
{
    uint32_t c = r->cons, n = 0;

    if (incremental && conring_holds(r, *index))
        c = *index;
    for (; c != r->prod && n < size; c++, n++)
        out[n] = r->buf[c & (CONRING_SIZE - 1)];
    *index = c;
    if (clear)
        r->cons = r->prod;
    return n;
}
