/* SPDX-License-Identifier: MIT */
/*
 * The PV console page: two byte rings, in (to the guest) and out (from the
 * guest), with free-running indexes. The guest writes out and advances
 * out_prod, then notifies the console event channel; the console daemon
 * does the same for in. Its frame and event channel come from start_info
 * (PV) or HVM_PARAM_CONSOLE_PFN / _EVTCHN (PVH).
 */
#ifndef XENLIKE_PUB_IO_CONSOLE_H
#define XENLIKE_PUB_IO_CONSOLE_H

#ifndef __ASSEMBLY__
#include <stdint.h>

typedef uint32_t XENCONS_RING_IDX;

/* Byte offset of index idx in ring (an array whose size is a power of 2). */
#define MASK_XENCONS_IDX(idx, ring) ((idx) & (sizeof(ring) - 1))

struct xencons_interface {
    char in[1024];                      /* console input to the guest */
    char out[2048];                     /* guest output */
    XENCONS_RING_IDX in_cons, in_prod;
    XENCONS_RING_IDX out_cons, out_prod;
};
#endif

#endif
