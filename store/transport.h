/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transports behind the connection interface: the unix socket for local
 * tools and the shared-page ring for domains. The ring copy functions are
 * pure and used by both ends (daemon and the tests' guest side).
 */
#ifndef STORE_TRANSPORT_H
#define STORE_TRANSPORT_H

#include <stdint.h>
#include "io/xs_wire.h"

/* Copy up to len bytes out of a ring whose producer is *prod; returns bytes. */
uint32_t ring_take(const char *ring, volatile uint32_t *cons, volatile uint32_t *prod,
                   void *buf, uint32_t len);
/* Copy up to len bytes into a ring whose consumer is *cons; returns bytes. */
uint32_t ring_give(char *ring, volatile uint32_t *cons, volatile uint32_t *prod,
                   const void *buf, uint32_t len);
/* Indices a misbehaving peer could have corrupted: true if usable. */
int ring_indices_ok(uint32_t cons, uint32_t prod);

struct conn;
/* Serve one domain ring: read requests, dispatch, write replies.
 * Returns non-zero if the peer should be notified. */
int ring_serve(struct conn *c, struct xenstore_domain_interface *intf);
/* Write queued output into the response ring; non-zero if anything moved. */
int ring_flush(struct conn *c, struct xenstore_domain_interface *intf);

/* Unix socket transport (transport_socket.c). */
int socket_listen(const char *path);
struct conn *socket_accept(int lfd);
/* A dom0 connection on an already-connected descriptor (live update). */
struct conn *socket_adopt(int fd);
/* Read/write what the socket allows; returns -1 when the connection ended. */
int socket_read(struct conn *c);
int socket_write(struct conn *c);

/*
 * Xen dom0 devices (transport_xen.c). xen_open: the /dev/xen/evtchn
 * descriptor to poll, or -1 when not in a Xen domain. xen_local_ring: serve
 * the kernel's own ring (0 or an errno). xen_events: the descriptor is readable.
 */
struct ring_backend;
int xen_open(void);
const struct ring_backend *xen_backend(void);
int xen_local_ring(void);
void xen_events(void);
/* enum domain_state of domid, given the first domain the hypervisor listed
 * from domid (DOMID_INVALID: none) and its XEN_DOMINF_* flags. */
int xen_state_of(uint16_t domid, uint16_t found, uint32_t flags);

#endif
