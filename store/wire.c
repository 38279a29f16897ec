/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenstore wire codec: the errno names of the protocol, header checks,
 * payload splitting and message construction. Transports live elsewhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "wire.h"

/* Order and spelling follow the public xs_wire.h error table. */
static const struct { int num; const char *name; } wire_errors[] = {
    { EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EEXIST, "EEXIST" },
    { EISDIR, "EISDIR" }, { ENOENT, "ENOENT" }, { ENOMEM, "ENOMEM" },
    { ENOSPC, "ENOSPC" }, { EIO, "EIO" }, { ENOTEMPTY, "ENOTEMPTY" },
    { ENOSYS, "ENOSYS" }, { EROFS, "EROFS" }, { EBUSY, "EBUSY" },
    { EAGAIN, "EAGAIN" }, { EISCONN, "EISCONN" }, { E2BIG, "E2BIG" },
    { EPERM, "EPERM" },
};

#define NR_WIRE_ERRORS (sizeof(wire_errors) / sizeof(wire_errors[0]))

const char *wire_errname(int err)
{
    for (size_t i = 0; i < NR_WIRE_ERRORS; i++)
        if (wire_errors[i].num == err)
            return wire_errors[i].name;
    return "EINVAL";
}

int wire_errnum(const char *name)
{
    for (size_t i = 0; i < NR_WIRE_ERRORS; i++)
        if (!strcmp(wire_errors[i].name, name))
            return wire_errors[i].num;
    return EINVAL;
}

int wire_check_header(const struct xsd_sockmsg *h)
{
    return h->len > XENSTORE_PAYLOAD_MAX ? E2BIG : 0;
}

int wire_split(const char *payload, uint32_t len, const char **argv, int max)
{
    int n = 0;
    uint32_t start = 0;

    if (len == 0 || payload[len - 1] != '\0')
        return -1;
    for (uint32_t i = 0; i < len; i++) {
        if (payload[i] != '\0')
            continue;
        if (n == max)
            return -1;
        argv[n++] = payload + start;
        start = i + 1;
    }
    return n;
}

unsigned wire_count_strings(const char *payload, uint32_t len)
{
    unsigned n = 0;

    for (uint32_t i = 0; i < len; i++)
        n += payload[i] == '\0';
    return n;
}

struct wire_msg *wire_build(uint32_t type, uint32_t req_id, uint32_t tx_id,
                            const void *payload, uint32_t len)
{
    struct wire_msg *m = malloc(sizeof(*m) + WIRE_HDR_LEN + len);
    struct xsd_sockmsg *h;

    if (!m)
        return NULL;
    m->next = NULL;
    m->len = WIRE_HDR_LEN + len;
    m->is_reply = type != XS_WATCH_EVENT;
    h = wire_hdr(m);
    h->type = type;
    h->req_id = req_id;
    h->tx_id = tx_id;
    h->len = len;
    if (len)
        memcpy(m->buf + WIRE_HDR_LEN, payload, len);
    return m;
}

struct wire_msg *wire_build_error(uint32_t req_id, uint32_t tx_id, int err)
{
    const char *name = wire_errname(err);

    return wire_build(XS_ERROR, req_id, tx_id, name, (uint32_t)strlen(name) + 1);
}
