/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one narrow interface between core/ and the machine. core/ calls only
 * these; the hypervisor implements them in runtime/ + arch/, the host tests
 * in tests/unit/core/env_host.c (fake guest memory, lock-order checking).
 */
#ifndef CORE_ENV_H
#define CORE_ENV_H

/* core/ is hypervisor code: Xen's public headers show their hypervisor-only
 * parts (domctl, sysctl, ...) under __XEN__, as in Xen's own build. */
#ifndef __XEN__
#define __XEN__ 1
#endif

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;
struct domain;

/* A guest address as the guest passed it: for HVM/PVH a guest-virtual
 * address in the calling vCPU's current address space. */
typedef uint64_t guest_addr_t;
/* A machine frame number (host physical address >> 12). */
typedef uint64_t mfn_t;
#define MFN_INVALID (~(mfn_t)0)

/* Memory for hypervisor objects. env_zalloc returns zeroed memory or NULL. */
void *env_zalloc(size_t size);
void env_free(void *p);

/* Whole 4 KiB machine frames (guest RAM, shared_info, grant frames), with
 * whatever bytes they held: core clears them. env_frames_alloc gives 2^order
 * contiguous frames, the first aligned to 2^order (a 2 MiB extent the
 * machine can map with one large page), each freed alone; MFN_INVALID when
 * no such block is free. env_frame_va gives the hypervisor's mapping of a
 * frame it allocated or a guest owns, as long as it is allocated. */
mfn_t env_frame_alloc(void);
mfn_t env_frames_alloc(unsigned int order);
void env_frame_free(mfn_t mfn);
void *env_frame_va(mfn_t mfn);

/* Guest memory, only through these: 0 on success, -XEN_EFAULT when any
 * byte of the range is not readable/writable guest memory. */
int env_copy_from_guest(struct vcpu *v, void *dst, guest_addr_t src, size_t len);
int env_copy_to_guest(struct vcpu *v, guest_addr_t dst, const void *src, size_t len);

/* Spinlocks. The host build checks the lock order (docs/core.md). */
struct env_lock {
    volatile int held;
    int order;              /* rank in the global lock order; lower first */
    const char *name;
};
#define ENV_LOCK_INIT(ord, nm) { 0, (ord), (nm) }
/*
 * The global lock order (docs/core.md): a lock may be taken only while every
 * held lock has a lower or equal rank (two locks of one rank: the owning
 * subsystem's rule, e.g. evtchn by domid). The domid table, frame table and
 * platform lock are innermost: code under them calls nothing that locks.
 */
enum env_lock_rank {
    LOCK_RANK_DOMAIN  = 10,     /* struct domain.lock: pause, shutdown, vCPU state */
    /* 20..79: evtchn.c and gnttab.c (their headers give their ranks) */
    LOCK_RANK_SCHED   = 80,     /* schedule.c: run queues and policy data */
    LOCK_RANK_P2M     = 90,     /* mm.c: one domain's guest-physical map */
    LOCK_RANK_FRAMES  = 100,    /* mm.c: the frame table */
    LOCK_RANK_DOMLIST = 110,    /* domain.c: the domid table */
    LOCK_RANK_PLATFORM = 120,   /* platform.c: wall clock, shared_info wc_* */
};
void env_lock_init(struct env_lock *l, int order, const char *name);
void env_lock(struct env_lock *l);
void env_unlock(struct env_lock *l);

/* System time in nanoseconds since boot, monotonic. */
uint64_t env_now_ns(void);

/* Ask the physical CPU running (or about to run) v to re-check v's pending
 * events and scheduling state soon. */
void env_vcpu_kick(struct vcpu *v);

/*
 * d's guest-physical map changed: entries [gfn, gfn + nr) were added,
 * replaced or removed (populate, decrease, add/remove_from_physmap, foreign
 * and grant maps and unmaps, the whole map when d dies). Called with no
 * core lock held and before a replaced frame is let go, so the machine's
 * second-level translation (the NPT) can follow before the frame is reused.
 * Never called for lookups. Every environment defines it (one without such
 * a translation, like the toolstack's fake hypervisor, has nothing to do).
 */
void env_p2m_changed(struct domain *d, uint64_t gfn, uint64_t nr);

/*
 * Hypercall continuations (Xen's hypercall_create_continuation): a long
 * hypercall did a bounded piece of its work and asks whether it may stop
 * here; true when the environment arranged for v to re-execute the same
 * hypercall with argument arg (0-based) replaced by val, and the handler
 * then returns at once (its return value is not the guest's). false: carry
 * on (always, in an environment that cannot re-execute a call, such as the
 * toolstack's fake hypervisor).
 */
bool env_hypercall_preempt(struct vcpu *v, unsigned int arg, uint64_t val);

/* Log levels, as on the hypervisor console. */
enum { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
void env_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Freestanding string helpers (libc on the host, runtime/ in the hypervisor). */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

#endif
