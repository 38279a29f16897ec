/* SPDX-License-Identifier: MIT */
/*
 * The xenstore wire protocol: message header and types, error names, and
 * the shared page a domain uses to talk to xenstored (two byte rings with
 * free-running indexes). The same messages travel over xenstored's Unix
 * socket. Semantics of each request are in store/'s documentation.
 */
#ifndef XENLIKE_PUB_IO_XS_WIRE_H
#define XENLIKE_PUB_IO_XS_WIRE_H

#ifndef __ASSEMBLY__
#include <stdint.h>

/*
 * Message types (xsd_sockmsg.type). Payloads are NUL-separated strings.
 * Numbering is positional: XS_CONTROL is 0, each next type one more.
 */
enum xsd_sockmsg_type {
    XS_CONTROL,             /* debug/control commands to xenstored */
#define XS_DEBUG XS_CONTROL
    XS_DIRECTORY,           /* path -> child names */
    XS_READ,                /* path -> value */
    XS_GET_PERMS,           /* path -> permission strings */
    XS_WATCH,               /* path, token: start watching */
    XS_UNWATCH,             /* path, token: stop watching */
    XS_TRANSACTION_START,   /* -> transaction id (decimal) */
    XS_TRANSACTION_END,     /* "T" commit or "F" abort */
    XS_INTRODUCE,           /* domid, mfn, evtchn: a new domain's ring */
    XS_RELEASE,             /* domid: forget a domain */
    XS_GET_DOMAIN_PATH,     /* domid -> "/local/domain/<domid>" */
    XS_WRITE,               /* path, value */
    XS_MKDIR,               /* path */
    XS_RM,                  /* path (recursive) */
    XS_SET_PERMS,           /* path, permission strings */
    XS_WATCH_EVENT,         /* unsolicited: path, token */
    XS_ERROR,               /* reply carrying an error name (xsd_errors) */
    XS_IS_DOMAIN_INTRODUCED,/* domid -> "T"/"F" */
    XS_RESUME,              /* domid: clear the shutdown state */
    XS_SET_TARGET,          /* domid, target domid (device-model rights) */
    /* one number skipped (the retired XS_RESTRICT) */
    XS_RESET_WATCHES = XS_SET_TARGET + 2,  /* drop all watches of the caller */
    XS_DIRECTORY_PART,      /* path, offset -> generation and a chunk of names */
    XS_TYPE_COUNT,          /* number of types; not a message */
    XS_INVALID = 0xffff     /* guaranteed never to be a valid type */
};

/* Legacy write-mode strings. */
#define XS_WRITE_NONE        "NONE"
#define XS_WRITE_CREATE      "CREATE"
#define XS_WRITE_CREATE_EXCL "CREATE|EXCL"

/*
 * Errors travel as their errno names ("ENOENT"), so the receiver can map
 * them to its own errno values. This table pairs the names with the local
 * errno values and is only available where <errno.h> was included first.
 */
struct xsd_errors {
    int errnum;
    const char *errstring;
};
#ifdef EINVAL
#define XSD_ERROR(x) { x, #x }
#if defined(__GNUC__)
__attribute__((unused))
#endif
static const struct xsd_errors xsd_errors[] = {
    /* EINVAL first: the fallback for names not in the table */
    XSD_ERROR(EINVAL),
    XSD_ERROR(EACCES),
    XSD_ERROR(EEXIST),
    XSD_ERROR(EISDIR),
    XSD_ERROR(ENOENT),
    XSD_ERROR(ENOMEM),
    XSD_ERROR(ENOSPC),
    XSD_ERROR(EIO),
    XSD_ERROR(ENOTEMPTY),
    XSD_ERROR(ENOSYS),
    XSD_ERROR(EROFS),
    XSD_ERROR(EBUSY),
    XSD_ERROR(EAGAIN),
    XSD_ERROR(EISCONN),
    XSD_ERROR(E2BIG),
    XSD_ERROR(EPERM),
};
#endif

/*
 * Every message starts with this header, followed by len payload bytes.
 * A reply echoes type (or XS_ERROR), req_id and tx_id of its request.
 */
struct xsd_sockmsg {
    uint32_t type;      /* enum xsd_sockmsg_type */
    uint32_t req_id;    /* chosen by the client, echoed back */
    uint32_t tx_id;     /* transaction id, 0 outside transactions */
    uint32_t len;       /* payload bytes, at most XENSTORE_PAYLOAD_MAX */
};

/* Order of the strings in an XS_WATCH_EVENT payload. */
enum xs_watch_type {
    XS_WATCH_PATH = 0,
    XS_WATCH_TOKEN
};

/*
 * The shared ring page. The client produces requests into req and consumes
 * replies from rsp; xenstored does the opposite. Indexes only ever grow;
 * MASK_XENSTORE_IDX() turns one into a byte offset. Each side notifies the
 * other through the store event channel after moving an index.
 */
#endif /* !__ASSEMBLY__ */

#define XENSTORE_RING_SIZE 1024

#ifndef __ASSEMBLY__
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))
struct xenstore_domain_interface {
    char req[XENSTORE_RING_SIZE];
    char rsp[XENSTORE_RING_SIZE];
    XENSTORE_RING_IDX req_cons, req_prod;
    XENSTORE_RING_IDX rsp_cons, rsp_prod;
    uint32_t server_features;   /* XENSTORE_SERVER_FEATURE_*, set by xenstored */
    uint32_t connection;        /* XENSTORE_CONNECTED / XENSTORE_RECONNECT */
    uint32_t error;             /* XENSTORE_ERROR_*, set by xenstored */
};
#endif /* !__ASSEMBLY__ */

/* Limits on message payloads and paths (bytes, not counting NUL). */
#define XENSTORE_PAYLOAD_MAX   4096
#define XENSTORE_ABS_PATH_MAX  3072
#define XENSTORE_REL_PATH_MAX  2048

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1  /* connection field honoured */
#define XENSTORE_SERVER_FEATURE_ERROR        2  /* error field honoured */

/* connection: the guest writes RECONNECT to ask for a ring reset; the
 * server clears the ring and writes CONNECTED back. */
#define XENSTORE_CONNECTED 0
#define XENSTORE_RECONNECT 1

/* error: why the server stopped serving this ring. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1    /* unknown or unexpected message */
#define XENSTORE_ERROR_RINGIDX 2    /* indexes more than a ring apart */
#define XENSTORE_ERROR_PROTO   3    /* malformed message */

#endif
