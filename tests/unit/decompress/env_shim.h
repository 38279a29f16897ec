/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for env_zalloc/env_free and xmalloc/xfree (env_shim.c):
 * the only hypervisor calls of the decompressors and bzimage.c. Set env_shim_fail_allocs to N to make the
 * next N allocations return NULL.
 */
#ifndef DECOMPRESS_ENV_SHIM_H
#define DECOMPRESS_ENV_SHIM_H

#include <stddef.h>

extern int env_shim_fail_allocs;
void *env_zalloc(size_t size);
void env_free(void *p);
void *xmalloc(size_t size);
void xfree(void *p);

#endif
