/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xenstore wire codec: header validation, payload string splitting,
 * errno <-> error-name mapping and message building. Pure; no I/O here.
 */
#ifndef STORE_WIRE_H
#define STORE_WIRE_H

#include <stdint.h>
#include <stddef.h>
#include "io/xs_wire.h"

#define WIRE_HDR_LEN ((uint32_t)sizeof(struct xsd_sockmsg))
#define WIRE_MAX_ARGS 8

/* A message as it travels on a transport: header plus payload. */
struct wire_msg {
    struct wire_msg *next;
    uint32_t len;           /* header + payload bytes in buf */
    uint32_t is_reply;      /* counts against the outstanding-request quota */
    char buf[] __attribute__((aligned(8)));  /* struct xsd_sockmsg, payload */
};

/* Name of an errno as the protocol spells it ("ENOENT"); EINVAL for unknown. */
const char *wire_errname(int err);
/* Errno for a protocol error name, or EINVAL if the name is unknown. */
int wire_errnum(const char *name);

/*
 * Check a received header. Returns 0 if the payload length is acceptable,
 * or E2BIG if it exceeds XENSTORE_PAYLOAD_MAX (the connection must be dropped).
 */
int wire_check_header(const struct xsd_sockmsg *h);

/*
 * Split a payload into NUL-terminated strings. Returns the number of strings
 * stored in argv (at most max), or -1 if the payload does not end in NUL or
 * holds more than max strings.
 */
int wire_split(const char *payload, uint32_t len, const char **argv, int max);

/* Number of NUL-terminated strings in payload (a trailing fragment not counted). */
unsigned wire_count_strings(const char *payload, uint32_t len);

/* Build a message; returns NULL on allocation failure. */
struct wire_msg *wire_build(uint32_t type, uint32_t req_id, uint32_t tx_id,
                            const void *payload, uint32_t len);
/* Build an ERROR reply carrying the name of err plus NUL. */
struct wire_msg *wire_build_error(uint32_t req_id, uint32_t tx_id, int err);

static inline struct xsd_sockmsg *wire_hdr(struct wire_msg *m)
{
    return (struct xsd_sockmsg *)m->buf;
}

#endif
