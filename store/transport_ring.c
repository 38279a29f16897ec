/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shared-page ring transport (xenstore_domain_interface). Only the
 * copying and the serve loop live here; mapping the page and the event
 * channel belong to the ring backend, so this file has no OS calls.
 */
#include <string.h>
#include "conn.h"
#include "transport.h"

int ring_indices_ok(uint32_t cons, uint32_t prod)
{
    return prod - cons <= XENSTORE_RING_SIZE;
}

uint32_t ring_take(const char *ring, volatile uint32_t *cons, volatile uint32_t *prod,
                   void *buf, uint32_t len)
{
    uint32_t c = *cons, p = *prod, avail, n, first;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* indices before data */
    avail = p - c;
    if (avail > XENSTORE_RING_SIZE)
        return 0;
    n = avail < len ? avail : len;
    first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(c);
    if (first > n)
        first = n;
    memcpy(buf, ring + MASK_XENSTORE_IDX(c), first);
    memcpy((char *)buf + first, ring, n - first);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* data read before freeing it */
    *cons = c + n;
    return n;
}

uint32_t ring_give(char *ring, volatile uint32_t *cons, volatile uint32_t *prod,
                   const void *buf, uint32_t len)
{
    uint32_t c = *cons, p = *prod, space, n, first;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (p - c > XENSTORE_RING_SIZE)
        return 0;
    space = XENSTORE_RING_SIZE - (p - c);
    n = space < len ? space : len;
    first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(p);
    if (first > n)
        first = n;
    memcpy(ring + MASK_XENSTORE_IDX(p), buf, first);
    memcpy(ring, (const char *)buf + first, n - first);
    __atomic_thread_fence(__ATOMIC_RELEASE);    /* data before the index */
    *prod = p + n;
    return n;
}

int ring_flush(struct conn *c, struct xenstore_domain_interface *intf)
{
    const char *data;
    uint32_t len, n;
    int wrote = 0;

    while ((data = conn_out_peek(c, &len)) != NULL) {
        n = ring_give(intf->rsp, &intf->rsp_cons, &intf->rsp_prod, data, len);
        if (!n)
            break;
        wrote = 1;
        conn_out_done(c, n);
    }
    return wrote;
}

int ring_serve(struct conn *c, struct xenstore_domain_interface *intf)
{
    int notify;

    if (!ring_indices_ok(intf->req_cons, intf->req_prod) ||
        !ring_indices_ok(intf->rsp_cons, intf->rsp_prod)) {
        intf->error = XENSTORE_ERROR_RINGIDX;
        conn_kill(c, "ring indices corrupted");
        return 0;
    }
    notify = ring_flush(c, intf);
    conn_process(c);
    for (;;) {
        uint32_t room, n;
        char *space;

        notify |= ring_flush(c, intf);
        if (!conn_wants_input(c))
            break;
        space = conn_in_space(c, &room);
        n = ring_take(intf->req, &intf->req_cons, &intf->req_prod, space, room);
        if (!n)
            break;
        notify = 1;
        conn_in_done(c, n);
        if (c->dead) {
            intf->error = XENSTORE_ERROR_PROTO;
            break;
        }
    }
    return notify | ring_flush(c, intf);
}
