/* SPDX-License-Identifier: MIT */
/*
 * The PV block protocol (blkif): request/response layouts on the shared
 * ring between a block frontend (the guest's disk driver) and its backend.
 *
 * Connection (xenstore, see io/xenbus.h for the states). The backend
 * publishes under its directory: "sectors" (disk size in 512-byte
 * units), "sector-size" (logical block size), "physical-sector-size",
 * "info" (VDISK_* bits), "feature-flush-cache", "feature-barrier",
 * "feature-discard", "feature-max-indirect-segments",
 * "max-ring-page-order". The frontend publishes "ring-ref" (grant of the
 * ring page; "ring-refN" and "ring-page-order" for multi-page rings),
 * "event-channel" and "protocol" ("x86_64-abi"), then both sides move to
 * XenbusStateConnected.
 *
 * Sectors are always 512 bytes in requests, whatever "sector-size" says.
 */
#ifndef XENLIKE_PUB_IO_BLKIF_H
#define XENLIKE_PUB_IO_BLKIF_H

#include "ring.h"
#include "../grant_table.h"

/* The types of a virtual device handle and of a sector number. */
#ifndef blkif_vdev_t
#define blkif_vdev_t   uint16_t
#endif
#define blkif_sector_t uint64_t

/* blkif_request.operation */
#define BLKIF_OP_READ            0  /* read into the granted segments */
#define BLKIF_OP_WRITE           1  /* write from the granted segments */
#define BLKIF_OP_WRITE_BARRIER   2  /* write, ordered after all earlier ones */
#define BLKIF_OP_FLUSH_DISKCACHE 3  /* make completed writes durable */
#define BLKIF_OP_RESERVED_1      4
#define BLKIF_OP_DISCARD         5  /* blkif_request_discard */
#define BLKIF_OP_INDIRECT        6  /* blkif_request_indirect */

/* Segments a direct request carries, and indirect pages an indirect one. */
#define BLKIF_MAX_SEGMENTS_PER_REQUEST       11
#define BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST 8

#ifndef __ASSEMBLY__

/*
 * One granted page and the 512-byte sectors of it to transfer:
 * first_sect..last_sect inclusive, both in 0..7.
 */
struct blkif_request_segment {
    grant_ref_t gref;
    uint8_t     first_sect, last_sect;
};

/* A read, write, barrier or flush. */
struct blkif_request {
    uint8_t        operation;       /* BLKIF_OP_* */
    uint8_t        nr_segments;     /* 1..BLKIF_MAX_SEGMENTS_PER_REQUEST (0 for flush) */
    blkif_vdev_t   handle;          /* device, as in the frontend's "virtual-device" */
    uint64_t       id;              /* echoed in the response */
    blkif_sector_t sector_number;   /* first sector on the disk */
    struct blkif_request_segment seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
};
typedef struct blkif_request blkif_request_t;

/* BLKIF_OP_DISCARD: the backend may drop the data of a range. */
struct blkif_request_discard {
    uint8_t        operation;       /* BLKIF_OP_DISCARD */
    uint8_t        flag;            /* BLKIF_DISCARD_* */
#define BLKIF_DISCARD_SECURE (1 << 0)   /* the data must become unreadable */
    blkif_vdev_t   handle;
    uint64_t       id;
    blkif_sector_t sector_number;
    uint64_t       nr_sectors;
};
typedef struct blkif_request_discard blkif_request_discard_t;

/*
 * BLKIF_OP_INDIRECT: the segments (struct blkif_request_segment, 512 to a
 * page) live in up to BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST granted pages.
 */
struct blkif_request_indirect {
    uint8_t        operation;       /* BLKIF_OP_INDIRECT */
    uint8_t        indirect_op;     /* BLKIF_OP_READ or BLKIF_OP_WRITE */
    uint16_t       nr_segments;     /* up to "feature-max-indirect-segments" */
    uint64_t       id;
    blkif_sector_t sector_number;
    blkif_vdev_t   handle;
    grant_ref_t    indirect_grefs[BLKIF_MAX_INDIRECT_PAGES_PER_REQUEST];
};
typedef struct blkif_request_indirect blkif_request_indirect_t;

struct blkif_response {
    uint64_t id;                    /* copied from the request */
    uint8_t  operation;             /* copied from the request */
    int16_t  status;                /* BLKIF_RSP_* */
};
typedef struct blkif_response blkif_response_t;

#endif /* !__ASSEMBLY__ */

#define BLKIF_RSP_EOPNOTSUPP -2     /* operation not supported */
#define BLKIF_RSP_ERROR      -1     /* I/O error */
#define BLKIF_RSP_OKAY        0

#ifndef __ASSEMBLY__
/* blkif_sring, blkif_front_ring, blkif_back_ring: 32 slots in a page. */
DEFINE_RING_TYPES(blkif, struct blkif_request, struct blkif_response);
#endif

/* The backend's "info" key. */
#define VDISK_CDROM     0x1
#define VDISK_REMOVABLE 0x2
#define VDISK_READONLY  0x4

#endif
