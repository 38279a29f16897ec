/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor calls the decompressors and bzimage.c make (env_zalloc,
 * xmalloc and their frees) over the host's allocator, with a switch that
 * makes the next allocations fail so the -XEN_ENOMEM paths can be tested.
 * Not here: the tests (test_*.c).
 */
#include <stdlib.h>
#include "env_shim.h"

int env_shim_fail_allocs;

void *env_zalloc(size_t size)
{
    if (env_shim_fail_allocs) {
        env_shim_fail_allocs--;
        return NULL;
    }
    return calloc(1, size);
}

void env_free(void *p)
{
    free(p);
}

void *xmalloc(size_t size)
{
    if (env_shim_fail_allocs) {
        env_shim_fail_allocs--;
        return NULL;
    }
    return size ? malloc(size) : NULL;
}

void xfree(void *p)
{
    free(p);
}
