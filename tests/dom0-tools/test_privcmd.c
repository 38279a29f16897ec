/* SPDX-License-Identifier: GPL-2.0-only */
/* hv_privcmd.c's error paths on a host without Xen: a missing device is a
 * sentence; a device that is not privcmd turns each failure into -errno. */
#include <errno.h>
#include "unit.h"
#include "hv.h"

TEST(privcmd_missing_device_says_what_to_check)
{
    char why[256];

    CHECK(!hv_privcmd_open("/nonexistent/privcmd", why, sizeof(why)));
    CHECK_STR(why, "cannot open /nonexistent/privcmd: No such file or directory (is this a "
                   "Xen control domain with the privcmd driver?)");
}

TEST(privcmd_failures_come_back_as_negative_errno)
{
    char why[256];
    struct hv *h = hv_privcmd_open("/dev/null", why, sizeof(why));
    uint64_t gfn = 5;
    int err = 0, rc = 0;

    CHECK(h);
    CHECK_EQ(hv_call(h, 36, 0, 0, 0), -ENOTTY);     /* the ioctl is not /dev/null's */
    CHECK(!h->ops->map_foreign(h, 1, &gfn, 1, &err, &rc));
    CHECK(rc < 0);
    h->ops->close(h);
}
