/* SPDX-License-Identifier: MIT */
/*
 * The PV network protocol (netif): the transmit and receive rings between
 * a network frontend and its backend. Packets travel in granted pages; a
 * packet may span several slots (NETTXF_more_data / NETRXF_more_data) and
 * may be preceded by "extra info" slots (GSO, multicast). The optional
 * control ring (hashing, grant mapping) is not described here.
 *
 * Connection (xenstore, see io/xenbus.h): the backend publishes
 * "feature-sg", "feature-gso-tcpv4", "feature-rx-copy",
 * "feature-multicast-control", "multi-queue-max-queues", ...; the
 * frontend publishes "tx-ring-ref", "rx-ring-ref", "event-channel" (or
 * "event-channel-tx"/"-rx"), "request-rx-copy" = 1, "feature-sg", ... and
 * the MAC address is in "mac" of the backend's directory.
 */
#ifndef XENLIKE_PUB_IO_NETIF_H
#define XENLIKE_PUB_IO_NETIF_H

#include "ring.h"
#include "../grant_table.h"

/* A backend must accept packets spanning at least this many tx slots. */
#define XEN_NETIF_NR_SLOTS_MIN 18

/* netif_tx_request.flags */
#define _NETTXF_csum_blank     (0)
#define NETTXF_csum_blank      (1U << _NETTXF_csum_blank)      /* checksum not computed */
#define _NETTXF_data_validated (1)
#define NETTXF_data_validated  (1U << _NETTXF_data_validated)  /* checksum known good */
#define _NETTXF_more_data      (2)
#define NETTXF_more_data       (1U << _NETTXF_more_data)       /* the packet goes on */
#define _NETTXF_extra_info     (3)
#define NETTXF_extra_info      (1U << _NETTXF_extra_info)      /* an extra-info slot follows */

/* Largest packet a tx request chain may describe. */
#define XEN_NETIF_MAX_TX_SIZE 0xFFFF

#ifndef __ASSEMBLY__
/*
 * One tx slot. In a packet's first slot size is the whole packet's length;
 * in the others, that slot's length.
 */
struct netif_tx_request {
    grant_ref_t gref;       /* page holding the data */
    uint16_t    offset;     /* data start within it */
    uint16_t    flags;      /* NETTXF_* */
    uint16_t    id;         /* echoed in the response */
    uint16_t    size;
};
typedef struct netif_tx_request netif_tx_request_t;
#endif

/* netif_extra_info.type */
#define XEN_NETIF_EXTRA_TYPE_NONE      (0)
#define XEN_NETIF_EXTRA_TYPE_GSO       (1)  /* u.gso */
#define XEN_NETIF_EXTRA_TYPE_MCAST_ADD (2)  /* u.mcast, backend to add */
#define XEN_NETIF_EXTRA_TYPE_MCAST_DEL (3)  /* u.mcast, backend to drop */
#define XEN_NETIF_EXTRA_TYPE_HASH      (4)  /* u.hash */
#define XEN_NETIF_EXTRA_TYPE_MAX       (5)

/* netif_extra_info.flags: another extra-info slot follows. */
#define _XEN_NETIF_EXTRA_FLAG_MORE (0)
#define XEN_NETIF_EXTRA_FLAG_MORE  (1U << _XEN_NETIF_EXTRA_FLAG_MORE)

/* u.gso.type */
#define XEN_NETIF_GSO_TYPE_NONE  (0)
#define XEN_NETIF_GSO_TYPE_TCPV4 (1)
#define XEN_NETIF_GSO_TYPE_TCPV6 (2)

#ifndef __ASSEMBLY__
/* A slot of extra information about the packet, same size as a request. */
struct netif_extra_info {
    uint8_t type;                   /* XEN_NETIF_EXTRA_TYPE_* */
    uint8_t flags;                  /* XEN_NETIF_EXTRA_FLAG_* */
    union {
        struct {
            uint16_t size;          /* segment size (MSS) */
            uint8_t  type;          /* XEN_NETIF_GSO_TYPE_* */
            uint8_t  pad;
            uint16_t features;      /* zero */
        } gso;
        struct {
            uint8_t addr[6];        /* Ethernet multicast address */
        } mcast;
        struct {
            uint8_t type;           /* hash type */
            uint8_t algorithm;
            uint8_t value[4];       /* the hash, little-endian */
        } hash;
        uint16_t pad[3];
    } u;
};
typedef struct netif_extra_info netif_extra_info_t;

struct netif_tx_response {
    uint16_t id;                    /* from the request */
    int16_t  status;                /* NETIF_RSP_* */
};
typedef struct netif_tx_response netif_tx_response_t;

/* A page the frontend offers for one received slot. */
struct netif_rx_request {
    uint16_t    id;                 /* echoed in the response */
    uint16_t    pad;
    grant_ref_t gref;
};
typedef struct netif_rx_request netif_rx_request_t;
#endif

/* netif_rx_response.flags */
#define _NETRXF_data_validated (0)
#define NETRXF_data_validated  (1U << _NETRXF_data_validated)
#define _NETRXF_csum_blank     (1)
#define NETRXF_csum_blank      (1U << _NETRXF_csum_blank)
#define _NETRXF_more_data      (2)
#define NETRXF_more_data       (1U << _NETRXF_more_data)
#define _NETRXF_extra_info     (3)
#define NETRXF_extra_info      (1U << _NETRXF_extra_info)
#define _NETRXF_gso_prefix     (4)
#define NETRXF_gso_prefix      (1U << _NETRXF_gso_prefix)

#ifndef __ASSEMBLY__
/* status >= 0: bytes received into the slot at offset; < 0: NETIF_RSP_*. */
struct netif_rx_response {
    uint16_t id;
    uint16_t offset;
    uint16_t flags;                 /* NETRXF_* */
    int16_t  status;
};
typedef struct netif_rx_response netif_rx_response_t;

/* 256 slots per page each. */
DEFINE_RING_TYPES(netif_tx, struct netif_tx_request, struct netif_tx_response);
DEFINE_RING_TYPES(netif_rx, struct netif_rx_request, struct netif_rx_response);
#endif

#define NETIF_RSP_DROPPED -2
#define NETIF_RSP_ERROR   -1
#define NETIF_RSP_OKAY     0
#define NETIF_RSP_NULL     1    /* no packet: a slot used for extra info */

#endif
