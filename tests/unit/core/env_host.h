/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host implementation of env.h for core unit tests and the fuzzer, plus
 * test helpers: ready-made domains with guest RAM, guest buffers, leak and
 * log inspection. Guest addresses here are guest-physical (an identity-
 * mapped guest): copy_to/from_guest walk the domain's p2m, so an address
 * with no RAM behind it gives -XEN_EFAULT exactly as a bad pointer would.
 */
#ifndef ENV_HOST_H
#define ENV_HOST_H

#include "domain.h"

#define TEST_RAM_GFN    0x100           /* test domains' RAM starts here */
#define TEST_RAM_PAGES  16
#define TEST_MAX_PAGES  1024            /* their max_mem, in pages */
#define TEST_BAD_GADDR  0xdead0000ULL   /* nothing is ever mapped here */

/* Leak accounting. */
uint64_t env_host_allocs(void);         /* live env_zalloc blocks */
uint64_t env_host_frames(void);         /* live env_frame_alloc frames */
/* Make the n-th next env_zalloc / env_frame(s)_alloc fail (n = 0: the next one). */
void env_host_fail_alloc_after(long n);
void env_host_fail_frame_after(long n);

/* Locks currently held (0 between hypercalls). */
int env_host_locks_held(void);

/* The clock. */
void env_host_set_now(uint64_t ns);

/* Kicks each vCPU received (env_vcpu_kick). */
unsigned int env_host_kicks(struct vcpu *v);

/* env_p2m_changed calls since the last clear; whether one covered d's gfn
 * (among the last 64). */
unsigned int env_host_p2m_changes(void);
bool env_host_p2m_changed(domid_t domid, uint64_t gfn);
void env_host_p2m_clear(void);

/* Continuations: env_hypercall_preempt grants every request (on, the
 * default) or none. env_host_continuation takes the pending one (the
 * argument to replace and its value); false if the last call finished. */
void env_host_preempt(bool on);
bool env_host_continuation(unsigned int *arg, uint64_t *val);
unsigned int env_host_continuations(void);      /* granted so far */

/* Logs: the last lines are kept; CORE_LOG=1 in the environment prints them. */
bool env_host_log_has(const char *needle);
void env_host_log_clear(void);

/* A domain with vCPU 0 up, TEST_RAM_PAGES of RAM at TEST_RAM_GFN, unpaused.
 * The domid table holds the only reference; domain_kill() destroys it. */
struct domain *test_domain(domid_t domid, bool privileged, unsigned int vcpus);
/* len bytes of zeroed guest RAM in d, 8-byte aligned (may span pages). */
guest_addr_t test_guest_alloc(struct domain *d, size_t len);
/* The hypervisor's view of guest address a in d (NULL if unmapped). */
void *test_guest_ptr(struct domain *d, guest_addr_t a);
/* Everything core allocated is gone (all domains destroyed). */
bool test_no_leaks(void);

#endif
