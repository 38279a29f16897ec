/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xsring_: copying across the XS_LOCAL xenstore ring, server side (we
 * consume req and produce rsp). No OS calls here, so the host tests run it
 * on an ordinary buffer; the relay program is xsring_main.c.
 */
#include <string.h>
#include "xsring.h"

static int indices_bad(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
    return prod - cons > XENSTORE_RING_SIZE;
}

int xsring_take_req(struct xenstore_domain_interface *intf, void *buf, size_t len)
{
    XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
    size_t n, first;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);    /* indices before the data */
    if (indices_bad(cons, prod))
        return -1;
    n = prod - cons;
    if (n > len)
        n = len;
    first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
    if (first > n)
        first = n;
    memcpy(buf, intf->req + MASK_XENSTORE_IDX(cons), first);
    memcpy((char *)buf + first, intf->req, n - first);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* data copied before the space is freed */
    intf->req_cons = cons + (XENSTORE_RING_IDX)n;
    return (int)n;
}

int xsring_give_rsp(struct xenstore_domain_interface *intf, const void *buf, size_t len)
{
    XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
    size_t n, first;

    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    if (indices_bad(cons, prod))
        return -1;
    n = XENSTORE_RING_SIZE - (prod - cons);
    if (n > len)
        n = len;
    first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
    if (first > n)
        first = n;
    memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), buf, first);
    memcpy(intf->rsp, (const char *)buf + first, n - first);
    __atomic_thread_fence(__ATOMIC_RELEASE);    /* data visible before the index */
    intf->rsp_prod = prod + (XENSTORE_RING_IDX)n;
    return (int)n;
}
