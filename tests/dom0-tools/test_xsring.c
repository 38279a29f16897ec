/* SPDX-License-Identifier: GPL-2.0-only */
/* xsring_: the server side of the XS_LOCAL ring, on a page in memory. */
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "xsring.h"

static struct xenstore_domain_interface *page(void)
{
    return calloc(1, sizeof(struct xenstore_domain_interface));
}

TEST(xsring_takes_requests_across_the_wrap)
{
    struct xenstore_domain_interface *p = page();
    char out[64];

    p->req_cons = p->req_prod = XENSTORE_RING_SIZE - 3;
    memcpy(p->req + XENSTORE_RING_SIZE - 3, "abc", 3);
    memcpy(p->req, "defg", 4);
    p->req_prod += 7;
    CHECK_EQ(xsring_take_req(p, out, sizeof(out)), 7);
    CHECK(!memcmp(out, "abcdefg", 7));
    CHECK_EQ(p->req_cons, p->req_prod);
    CHECK_EQ(xsring_take_req(p, out, sizeof(out)), 0);
}

TEST(xsring_takes_no_more_than_asked)
{
    struct xenstore_domain_interface *p = page();
    char out[4];

    memcpy(p->req, "0123456789", 10);
    p->req_prod = 10;
    CHECK_EQ(xsring_take_req(p, out, sizeof(out)), 4);
    CHECK_EQ(p->req_cons, 4u);
    CHECK(!memcmp(out, "0123", 4));
}

TEST(xsring_gives_replies_only_into_free_space)
{
    struct xenstore_domain_interface *p = page();
    static char big[XENSTORE_RING_SIZE + 100];

    memset(big, 'x', sizeof(big));
    p->rsp_cons = p->rsp_prod = 0xfffffff0u;      /* indices wrap at 2^32 too */
    CHECK_EQ(xsring_give_rsp(p, big, sizeof(big)), XENSTORE_RING_SIZE);
    CHECK_EQ(xsring_give_rsp(p, "y", 1), 0);      /* full: the kernel has not read */
    p->rsp_cons += 10;
    CHECK_EQ(xsring_give_rsp(p, "0123456789ab", 12), 10);
    CHECK_EQ(p->rsp[MASK_XENSTORE_IDX(0xfffffff0u)], '0');
}

TEST(xsring_refuses_corrupt_indices)
{
    struct xenstore_domain_interface *p = page();
    char out[8];

    p->req_prod = XENSTORE_RING_SIZE + 1;
    CHECK_EQ(xsring_take_req(p, out, sizeof(out)), -1);
    CHECK_EQ(p->req_cons, 0u);
    p->rsp_cons = 5;                                /* consumer ahead of producer */
    CHECK_EQ(xsring_give_rsp(p, "a", 1), -1);
    CHECK_EQ(p->rsp_prod, 0u);
}
