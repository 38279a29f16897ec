/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-ins for env_zalloc/env_free (env_shim.c): the decompressors'
 * only hypervisor dependency. Set env_shim_fail_allocs to N to make the
 * next N allocations return NULL.
 */
#ifndef DECOMPRESS_ENV_SHIM_H
#define DECOMPRESS_ENV_SHIM_H

#include <stddef.h>

extern int env_shim_fail_allocs;
void *env_zalloc(size_t size);
void env_free(void *p);

#endif
