/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains known to the store: INTRODUCE/RELEASE/RESUME/SET_TARGET, the
 * connection over each domain's ring, and what a release cleans up. How a
 * ring page is mapped and an event channel bound is the backend's business.
 */
#ifndef STORE_DOMAIN_H
#define STORE_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>
#include "tree.h"

struct conn;

/* What the hypervisor says about a domain (ring_backend.state). */
enum domain_state { DOMAIN_RUNNING, DOMAIN_SHUTDOWN, DOMAIN_GONE };

/*
 * How the daemon reaches a domain's ring; NULL members mean "not here".
 * map and bind fail with errno set (it becomes the INTRODUCE error).
 */
struct ring_backend {
    void *(*map)(uint16_t domid, uint64_t mfn);
    void (*unmap)(void *page);
    int (*bind)(uint16_t domid, uint32_t remote_port);     /* local port or -1 */
    void (*unbind)(int local_port);
    void (*notify)(int local_port);
    /* enum domain_state, or a negative errno when it cannot be told. */
    int (*state)(uint16_t domid);
};

#ifndef DOMID_FIRST_RESERVED  /* xen.h's, where that is included too */
#define DOMID_FIRST_RESERVED 0x7ff0u
#endif

void domain_init(const struct ring_backend *b);
/* XS_INTRODUCE: a known domain gets its new port and a reset connection. */
int domain_introduce(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port);
/* The same from a state file: the ring keeps its bytes in flight. */
int domain_restore(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port);
int domain_release(const struct who *w, uint16_t domid);
bool domain_is_introduced(uint16_t domid);
int domain_resume(const struct who *w, uint16_t domid);
int domain_set_target(const struct who *w, uint16_t domid, uint16_t target);
struct conn *domain_conn(uint16_t domid);
/*
 * dom0's own kernel ring (XS_LOCAL), already mapped and bound by the caller:
 * served as a privileged domain-0 connection, never released or dumped.
 * Returns 0 or ENOMEM.
 */
int domain_connect_local(void *page, int local_port);
struct conn *domain_local_conn(void);
/* A watch of the kernel's ring read from a state file: added when it connects. */
int domain_local_watch_later(const char *path, const char *token, uint16_t relprefix);
/* Its unread input and unsent output from a state file, likewise. */
int domain_local_bytes_later(const char *in, uint32_t inlen, const char *out,
                             uint32_t outlen);
/* VIRQ_DOM_EXC fired: drop domains that died, note those shut down. */
void domain_check_exceptions(void);
/* The event channel with this local port fired: serve its ring. */
void domain_ring_event(int local_port);
/* Serve every domain ring (polling fallback and tests). */
void domain_ring_poll_all(void);
/* Release everything (shutdown, tests). */
void domain_destroy_all(void);

/* Visit introduced domains: domid, mfn, remote port. */
void domain_each(void (*fn)(uint16_t domid, uint64_t mfn, uint32_t port, void *arg),
                 void *arg);

#endif
