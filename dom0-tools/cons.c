/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console ring consumer/producer (see cons.h). The guest writes its indexes
 * at any time: each is read once, checked, and the data is read only after
 * the index (acquire) and released before the index moves (release).
 */
#include "cons.h"

static XENCONS_RING_IDX load(XENCONS_RING_IDX *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(XENCONS_RING_IDX *p, XENCONS_RING_IDX v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

long cons_drain_out(struct xencons_interface *r, char *buf, size_t max)
{
    XENCONS_RING_IDX cons = load(&r->out_cons), prod = load(&r->out_prod);
    size_t n = 0;

    if (prod - cons > sizeof(r->out))
        return -1;
    while (cons != prod && n < max)
        buf[n++] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
    store(&r->out_cons, cons);
    return (long)n;
}

long cons_in_room(struct xencons_interface *r)
{
    XENCONS_RING_IDX cons = load(&r->in_cons), prod = load(&r->in_prod);

    if (prod - cons > sizeof(r->in))
        return -1;
    return (long)(sizeof(r->in) - (prod - cons));
}

long cons_feed_in(struct xencons_interface *r, const char *data, size_t len)
{
    XENCONS_RING_IDX cons = load(&r->in_cons), prod = load(&r->in_prod);
    size_t n = 0;

    if (prod - cons > sizeof(r->in))
        return -1;
    while (n < len && prod - cons < sizeof(r->in))
        r->in[MASK_XENCONS_IDX(prod++, r->in)] = data[n++];
    store(&r->in_prod, prod);
    return (long)n;
}
