/* SPDX-License-Identifier: GPL-2.0-only */
/* xmalloc/xfree for host tests that link core's host env (pvh_domain):
 * bzimage.c's output buffer goes through env_host's leak-counted allocator. */
#include "env.h"
#include "xmalloc.h"

void *xmalloc(size_t size)
{
    return size ? env_zalloc(size) : NULL;
}

void xfree(void *p)
{
    env_free(p);
}
