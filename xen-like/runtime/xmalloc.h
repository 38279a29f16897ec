/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The small object allocator (xmalloc.c): power-of-two size classes from
 * 16 to 2048 bytes carved from pages, larger requests as whole page blocks.
 * Returned memory is 16-byte aligned (page-aligned above 2048 bytes).
 */
#ifndef RUNTIME_XMALLOC_H
#define RUNTIME_XMALLOC_H

#include "lib.h"

void *xmalloc(size_t size);      /* NULL on exhaustion or size 0 */
void *xzalloc(size_t size);      /* zeroed */
void xfree(void *p);             /* NULL is fine; a bad pointer panics */

/* Bytes handed out and not freed, for leak checks in self-tests. */
size_t xmalloc_bytes_in_use(void);

#endif
