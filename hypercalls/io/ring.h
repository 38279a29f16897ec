/* SPDX-License-Identifier: MIT */
/*
 * Shared-memory request/response rings, the transport of every split
 * driver (blkif, netif, ...). One page holds a header of four free-running
 * indexes and an array of slots, each a request or a response. The
 * frontend produces requests and consumes responses; the backend does the
 * opposite. DEFINE_RING_TYPES(name, req_t, rsp_t) declares the shared page
 * (struct name_sring) and each side's private view (name_front_ring,
 * name_back_ring); the RING_* macros below operate on those views.
 *
 * Indexes never wrap explicitly: they are unsigned and only increase, so
 * prod - cons is the number of outstanding entries even across overflow,
 * and a slot is index & (size - 1) with size a power of two.
 */
#ifndef XENLIKE_PUB_IO_RING_H
#define XENLIKE_PUB_IO_RING_H

#include "../xen-compat.h"

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <stddef.h>
#endif

/*
 * Barriers between touching slots and publishing indexes. The includer may
 * supply its own; the defaults are C11 fences (on x86 the read and write
 * fences only stop the compiler, the full one is an MFENCE).
 */
#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#endif
#ifndef xen_rmb
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#ifndef xen_wmb
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#ifndef __ASSEMBLY__
typedef unsigned int RING_IDX;
#endif

/* Round _x (a 32-bit value) down to a power of two, as a constant. */
#define __RD2(_x)  (((_x) & 0x00000002) ? 0x2 : ((_x) & 0x1))
#define __RD4(_x)  (((_x) & 0x0000000c) ? __RD2((_x) >> 2) << 2 : __RD2(_x))
#define __RD8(_x)  (((_x) & 0x000000f0) ? __RD4((_x) >> 4) << 4 : __RD4(_x))
#define __RD16(_x) (((_x) & 0x0000ff00) ? __RD8((_x) >> 8) << 8 : __RD8(_x))
#define __RD32(_x) (((_x) & 0xffff0000) ? __RD16((_x) >> 16) << 16 : __RD16(_x))

/*
 * Number of slots of ring type _s in _sz bytes: what fits after the
 * header, rounded down to a power of two. __CONST_RING_SIZE takes the
 * ring's name and is a constant expression; __RING_SIZE takes a pointer to
 * the shared ring.
 */
#define __CONST_RING_SIZE(_s, _sz)                                   \
    (__RD32(((_sz) - offsetof(struct _s##_sring, ring)) /           \
            sizeof(((struct _s##_sring *)0)->ring[0])))
#define __RING_SIZE(_s, _sz)                                         \
    (__RD32(((_sz) - (long)(_s)->ring + (long)(_s)) / sizeof((_s)->ring[0])))

/*
 * The types of one ring protocol. The shared header is 64 bytes: four
 * indexes, 4 bytes a protocol may use privately (pvt), padding.
 * req_event/rsp_event: the index at which the other side wants to be
 * notified (see RING_PUSH_*_AND_CHECK_NOTIFY).
 */
#define DEFINE_RING_TYPES(__name, __req_t, __rsp_t)                  \
                                                                     \
union __name##_sring_entry {                                         \
    __req_t req;                                                     \
    __rsp_t rsp;                                                     \
};                                                                   \
                                                                     \
struct __name##_sring {                                              \
    RING_IDX req_prod, req_event;                                    \
    RING_IDX rsp_prod, rsp_event;                                    \
    union {                                                          \
        struct {                                                     \
            uint8_t smartpoll_active;                                \
        } netif;                                                     \
        struct {                                                     \
            uint8_t msg;                                             \
        } tapif_user;                                                \
        uint8_t pvt_pad[4];                                          \
    } pvt;                                                           \
    uint8_t __pad[44];                                               \
    union __name##_sring_entry ring[1]; /* really as many as fit */  \
};                                                                   \
                                                                     \
struct __name##_front_ring {                                         \
    RING_IDX req_prod_pvt;      /* requests made, not yet pushed */  \
    RING_IDX rsp_cons;          /* responses consumed */             \
    unsigned int nr_ents;       /* slots in the ring */              \
    struct __name##_sring *sring;                                    \
};                                                                   \
                                                                     \
struct __name##_back_ring {                                          \
    RING_IDX rsp_prod_pvt;      /* responses made, not yet pushed */ \
    RING_IDX req_cons;          /* requests consumed */              \
    unsigned int nr_ents;                                            \
    struct __name##_sring *sring;                                    \
};                                                                   \
                                                                     \
typedef struct __name##_sring __name##_sring_t;                      \
typedef struct __name##_front_ring __name##_front_ring_t;            \
typedef struct __name##_back_ring __name##_back_ring_t

/* Set up a fresh shared page: no entries, both sides want the first one. */
#define SHARED_RING_INIT(_s) do {                                    \
    (_s)->req_prod = (_s)->rsp_prod = 0;                             \
    (_s)->req_event = (_s)->rsp_event = 1;                           \
    (void)__builtin_memset((_s)->pvt.pvt_pad, 0, sizeof((_s)->pvt.pvt_pad)); \
    (void)__builtin_memset((_s)->__pad, 0, sizeof((_s)->__pad));     \
} while (0)

/* Attach a private view to a shared ring of __size bytes at index _i. */
#define FRONT_RING_ATTACH(_r, _s, _i, __size) do {                   \
    (_r)->req_prod_pvt = (_i);                                       \
    (_r)->rsp_cons = (_i);                                           \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                         \
    (_r)->sring = (_s);                                              \
} while (0)
#define FRONT_RING_INIT(_r, _s, __size) FRONT_RING_ATTACH(_r, _s, 0, __size)
#define XEN_FRONT_RING_INIT(r, s, size) do {                         \
    SHARED_RING_INIT(s);                                             \
    FRONT_RING_INIT(r, s, size);                                     \
} while (0)

#define BACK_RING_ATTACH(_r, _s, _i, __size) do {                    \
    (_r)->rsp_prod_pvt = (_i);                                       \
    (_r)->req_cons = (_i);                                           \
    (_r)->nr_ents = __RING_SIZE(_s, __size);                         \
    (_r)->sring = (_s);                                              \
} while (0)
#define BACK_RING_INIT(_r, _s, __size) BACK_RING_ATTACH(_r, _s, 0, __size)

/* Slots in the ring. */
#define RING_SIZE(_r) ((_r)->nr_ents)

/* Front: slots free for new requests (a slot frees when its response is
 * consumed). */
#define RING_FREE_REQUESTS(_r) \
    (RING_SIZE(_r) - ((_r)->req_prod_pvt - (_r)->rsp_cons))
#define RING_FULL(_r) (RING_FREE_REQUESTS(_r) == 0)

/* Front: responses pushed but not yet consumed. */
#define XEN_RING_NR_UNCONSUMED_RESPONSES(_r) \
    ((_r)->sring->rsp_prod - (_r)->rsp_cons)

/*
 * Back: requests pushed but not yet consumed, bounded by the free response
 * slots so a misbehaving frontend cannot make the backend overrun them.
 */
#define XEN_RING_NR_UNCONSUMED_REQUESTS(_r) __extension__ ({         \
    unsigned int __req = (_r)->sring->req_prod - (_r)->req_cons;     \
    unsigned int __rsp = RING_SIZE(_r) -                             \
                         ((_r)->req_cons - (_r)->rsp_prod_pvt);      \
    __req < __rsp ? __req : __rsp;                                   \
})

#ifdef XEN_RING_HAS_UNCONSUMED_IS_BOOL
#define RING_HAS_UNCONSUMED_RESPONSES(_r) (!!XEN_RING_NR_UNCONSUMED_RESPONSES(_r))
#define RING_HAS_UNCONSUMED_REQUESTS(_r)  (!!XEN_RING_NR_UNCONSUMED_REQUESTS(_r))
#else
#define RING_HAS_UNCONSUMED_RESPONSES(_r) XEN_RING_NR_UNCONSUMED_RESPONSES(_r)
#define RING_HAS_UNCONSUMED_REQUESTS(_r)  XEN_RING_NR_UNCONSUMED_REQUESTS(_r)
#endif

/* The slot for index _idx, as a request or as a response. */
#define RING_GET_REQUEST(_r, _idx) \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].req))
#define RING_GET_RESPONSE(_r, _idx) \
    (&((_r)->sring->ring[((_idx) & (RING_SIZE(_r) - 1))].rsp))

/*
 * Copy a slot out with one volatile read of the whole entry, so the other
 * side cannot change it between our checks and our use (backends must
 * copy requests before validating them).
 */
#define RING_COPY_(type, r, idx, dest) do {                          \
    *(dest) = *(volatile __typeof__(dest))RING_GET_##type(r, idx);   \
} while (0)
#define RING_COPY_REQUEST(r, idx, req)  RING_COPY_(REQUEST, r, idx, req)
#define RING_COPY_RESPONSE(r, idx, rsp) RING_COPY_(RESPONSE, r, idx, rsp)

/* Would consuming up to _cons, or the other side producing up to _prod,
 * overrun the ring? (Checks on indexes read from shared memory.) */
#define RING_REQUEST_CONS_OVERFLOW(_r, _cons) \
    (((_cons) - (_r)->rsp_prod_pvt) >= RING_SIZE(_r))
#define RING_REQUEST_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_prod_pvt) > RING_SIZE(_r))
#define RING_RESPONSE_PROD_OVERFLOW(_r, _prod) \
    (((_prod) - (_r)->rsp_cons) > RING_SIZE(_r))

/* Publish the entries made privately: slots first, then the index. */
#define RING_PUSH_REQUESTS(_r) do {                                  \
    xen_wmb();                                                       \
    (_r)->sring->req_prod = (_r)->req_prod_pvt;                      \
} while (0)
#define RING_PUSH_RESPONSES(_r) do {                                 \
    xen_wmb();                                                       \
    (_r)->sring->rsp_prod = (_r)->rsp_prod_pvt;                      \
} while (0)

/*
 * Publish, and set _notify if the other side asked to be told about one of
 * the entries just published (its *_event lies in (old, new]). The full
 * barrier orders our index store before reading its event index.
 */
#define RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(_r, _notify) do {        \
    RING_IDX __old = (_r)->sring->req_prod;                          \
    RING_IDX __new = (_r)->req_prod_pvt;                             \
    xen_wmb();                                                       \
    (_r)->sring->req_prod = __new;                                   \
    xen_mb();                                                        \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->req_event) <        \
                 (RING_IDX)(__new - __old));                         \
} while (0)
#define RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(_r, _notify) do {       \
    RING_IDX __old = (_r)->sring->rsp_prod;                          \
    RING_IDX __new = (_r)->rsp_prod_pvt;                             \
    xen_wmb();                                                       \
    (_r)->sring->rsp_prod = __new;                                   \
    xen_mb();                                                        \
    (_notify) = ((RING_IDX)(__new - (_r)->sring->rsp_event) <        \
                 (RING_IDX)(__new - __old));                         \
} while (0)

/*
 * Before sleeping: if nothing is pending, ask to be notified of the next
 * entry, then look again (an entry may have arrived in between).
 */
#define RING_FINAL_CHECK_FOR_REQUESTS(_r, _work_to_do) do {          \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                \
    if (_work_to_do)                                                 \
        break;                                                       \
    (_r)->sring->req_event = (_r)->req_cons + 1;                     \
    xen_mb();                                                        \
    (_work_to_do) = RING_HAS_UNCONSUMED_REQUESTS(_r);                \
} while (0)
#define RING_FINAL_CHECK_FOR_RESPONSES(_r, _work_to_do) do {         \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);               \
    if (_work_to_do)                                                 \
        break;                                                       \
    (_r)->sring->rsp_event = (_r)->rsp_cons + 1;                     \
    xen_mb();                                                        \
    (_work_to_do) = RING_HAS_UNCONSUMED_RESPONSES(_r);               \
} while (0)

/* Byte rings of 2^order pages split in two halves (flexible rings). */
#ifndef XEN_PAGE_SHIFT
#define XEN_PAGE_SHIFT 12
#endif
#define XEN_FLEX_RING_SIZE(order) (1UL << ((order) + XEN_PAGE_SHIFT - 1))

#endif
