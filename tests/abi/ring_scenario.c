/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One fixed sequence of ring operations, printed step by step. Built once
 * against our io/ring.h and once against Xen's (-DAGAINST_XEN); abicheck.py
 * requires the two transcripts to be identical, which checks the RING_*
 * macros' behaviour, not just their names.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef AGAINST_XEN
/* Xen's ring.h leaves the barriers to the includer. */
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/xen.h>
#include <xen/io/blkif.h>
#include <xen/io/netif.h>
#else
#include "io/blkif.h"
#include "io/netif.h"
#endif

static union {
    unsigned char bytes[4096];
    struct blkif_sring blk;
    struct netif_tx_sring tx;
} page __attribute__((aligned(4096)));

static void show(const char *step, const blkif_front_ring_t *f, const blkif_back_ring_t *b)
{
    const struct blkif_sring *s = f->sring;

    printf("%-28s req_prod=%u req_event=%u rsp_prod=%u rsp_event=%u | "
           "front pvt=%u cons=%u free=%u full=%d unconsumed_rsp=%u | "
           "back pvt=%u cons=%u unconsumed_req=%u\n",
           step, s->req_prod, s->req_event, s->rsp_prod, s->rsp_event,
           f->req_prod_pvt, f->rsp_cons, (unsigned)RING_FREE_REQUESTS(f),
           RING_FULL(f), (unsigned)RING_HAS_UNCONSUMED_RESPONSES(f),
           b->rsp_prod_pvt, b->req_cons, (unsigned)RING_HAS_UNCONSUMED_REQUESTS(b));
}

static int produce(blkif_front_ring_t *f, unsigned int n, uint64_t id0)
{
    int notify;

    for (unsigned int i = 0; i < n && !RING_FULL(f); i++) {
        struct blkif_request *req = RING_GET_REQUEST(f, f->req_prod_pvt);

        memset(req, 0, sizeof(*req));
        req->operation = BLKIF_OP_READ;
        req->id = id0 + i;
        req->sector_number = 8 * (id0 + i);
        f->req_prod_pvt++;
    }
    RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(f, notify);
    return notify;
}

static int serve(blkif_back_ring_t *b, unsigned int max)
{
    int notify, more;
    unsigned int n = 0;

    while (n < max && RING_HAS_UNCONSUMED_REQUESTS(b)) {
        struct blkif_request req;
        struct blkif_response *rsp;

        RING_COPY_REQUEST(b, b->req_cons, &req);
        b->req_cons++;
        rsp = RING_GET_RESPONSE(b, b->rsp_prod_pvt);
        rsp->id = req.id;
        rsp->operation = req.operation;
        rsp->status = BLKIF_RSP_OKAY;
        b->rsp_prod_pvt++;
        n++;
    }
    RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(b, notify);
    RING_FINAL_CHECK_FOR_REQUESTS(b, more);
    printf("  served %u, notify=%d more=%d\n", n, notify, more);
    return notify;
}

static void reap(blkif_front_ring_t *f)
{
    int more;
    uint64_t sum = 0;
    unsigned int n = 0;

    while (RING_HAS_UNCONSUMED_RESPONSES(f)) {
        sum += RING_GET_RESPONSE(f, f->rsp_cons)->id;
        f->rsp_cons++;
        n++;
    }
    RING_FINAL_CHECK_FOR_RESPONSES(f, more);
    printf("  reaped %u (id sum %llu), more=%d\n", n, (unsigned long long)sum, more);
}

static void run(const char *title, RING_IDX start)
{
    blkif_front_ring_t f;
    blkif_back_ring_t b;

    printf("== %s (start index %u)\n", title, start);
    memset(&page, 0xa5, sizeof(page));
    SHARED_RING_INIT(&page.blk);
    page.blk.req_prod = page.blk.rsp_prod = start;
    page.blk.req_event = page.blk.rsp_event = start + 1;
    FRONT_RING_ATTACH(&f, &page.blk, start, sizeof(page));
    BACK_RING_ATTACH(&b, &page.blk, start, sizeof(page));
    printf("  size=%u const_size=%u pvt_pad=%u pad0=%u\n", RING_SIZE(&f),
           (unsigned)__CONST_RING_SIZE(blkif, 4096), page.blk.pvt.pvt_pad[0],
           page.blk.__pad[0]);
    show("attached", &f, &b);
    printf("  notify=%d\n", produce(&f, 5, 100));
    show("5 requests pushed", &f, &b);
    serve(&b, 3);
    show("3 served", &f, &b);
    reap(&f);
    show("reaped", &f, &b);
    printf("  notify=%d\n", produce(&f, 100, 200));
    show("filled", &f, &b);
    printf("  overflow checks: cons %d/%d prod %d/%d rsp %d/%d\n",
           RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons + RING_SIZE(&b)),
           RING_REQUEST_CONS_OVERFLOW(&b, b.req_cons + 1),
           RING_REQUEST_PROD_OVERFLOW(&b, b.rsp_prod_pvt + RING_SIZE(&b) + 1),
           RING_REQUEST_PROD_OVERFLOW(&b, b.rsp_prod_pvt + RING_SIZE(&b)),
           RING_RESPONSE_PROD_OVERFLOW(&f, f.rsp_cons + RING_SIZE(&f) + 1),
           RING_RESPONSE_PROD_OVERFLOW(&f, f.rsp_cons + 1));
    serve(&b, 1000);
    show("all served", &f, &b);
    reap(&f);
    show("all reaped", &f, &b);
    /* A backend that sees more requests than free response slots. */
    page.blk.req_prod = b.req_cons + 3 * RING_SIZE(&b);
    show("bogus req_prod", &f, &b);
}

int main(void)
{
    netif_tx_front_ring_t tx;

    run("fresh ring", 0);
    run("indexes about to wrap", 0xfffffff0u);
    XEN_FRONT_RING_INIT(&tx, &page.tx, sizeof(page));
    printf("== netif_tx: size=%u const_size=%u rx_const_size=%u\n", RING_SIZE(&tx),
           (unsigned)__CONST_RING_SIZE(netif_tx, 4096),
           (unsigned)__CONST_RING_SIZE(netif_rx, 4096));
    printf("== flex ring size order 0..2: %lu %lu %lu\n", XEN_FLEX_RING_SIZE(0),
           XEN_FLEX_RING_SIZE(1), XEN_FLEX_RING_SIZE(2));
    return 0;
}
