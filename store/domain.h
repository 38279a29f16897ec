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

/* How the daemon reaches a domain's ring; NULL members mean "not here". */
struct ring_backend {
    void *(*map)(uint16_t domid, uint64_t mfn);
    void (*unmap)(void *page);
    int (*bind)(uint16_t domid, uint32_t remote_port);     /* local port or -1 */
    void (*unbind)(int local_port);
    void (*notify)(int local_port);
};

#define DOMID_FIRST_RESERVED 0x7ff0u

void domain_init(const struct ring_backend *b);
int domain_introduce(const struct who *w, uint16_t domid, uint64_t mfn, uint32_t port);
int domain_release(const struct who *w, uint16_t domid);
bool domain_is_introduced(uint16_t domid);
int domain_resume(const struct who *w, uint16_t domid);
int domain_set_target(const struct who *w, uint16_t domid, uint16_t target);
struct conn *domain_conn(uint16_t domid);
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
