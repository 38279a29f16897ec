/* SPDX-License-Identifier: MIT */
/*
 * Error codes a hypercall returns (negated) to its caller. The values are
 * Xen's, which happen to be Linux's x86 errno values; guests compare against
 * these numbers, so they are ABI. Symbolic names only: no strings here.
 */
#ifndef XENLIKE_PUB_ERRNO_H
#define XENLIKE_PUB_ERRNO_H

#ifndef __ASSEMBLY__

enum xen_errno {
    XEN_EPERM         = 1,   /* caller lacks the privilege for this op */
    XEN_ENOENT        = 2,   /* no such object (port, grant, node, ...) */
    XEN_ESRCH         = 3,   /* no such domain or vCPU */
    XEN_EINTR         = 4,   /* hypervisor-internal: interrupted */
    XEN_EIO           = 5,
    XEN_ENXIO         = 6,
    XEN_E2BIG         = 7,   /* argument list or buffer too large */
    XEN_ENOEXEC       = 8,
    XEN_EBADF         = 9,
    XEN_ECHILD        = 10,
    XEN_EAGAIN        = 11,  /* transient: retry the same call */
    XEN_EWOULDBLOCK   = 11,
    XEN_ENOMEM        = 12,
    XEN_EACCES        = 13,
    XEN_EFAULT        = 14,  /* a guest pointer could not be accessed */
    XEN_EBUSY         = 16,
    XEN_EEXIST        = 17,
    XEN_EXDEV         = 18,
    XEN_ENODEV        = 19,
    XEN_ENOTDIR       = 20,
    XEN_EISDIR        = 21,
    XEN_EINVAL        = 22,  /* malformed argument */
    XEN_ENFILE        = 23,
    XEN_EMFILE        = 24,
    XEN_ENOSPC        = 28,  /* a fixed-size table is full */
    XEN_EROFS         = 30,
    XEN_EMLINK        = 31,
    XEN_EDOM          = 33,
    XEN_ERANGE        = 34,
    XEN_EDEADLK       = 35,
    XEN_EDEADLOCK     = 35,
    XEN_ENAMETOOLONG  = 36,
    XEN_ENOLCK        = 37,
    XEN_ENOSYS        = 38,  /* no such hypercall or sub-operation */
    XEN_ENOTEMPTY     = 39,
    XEN_ENODATA       = 61,
    XEN_ETIME         = 62,
    XEN_EBADMSG       = 74,
    XEN_EOVERFLOW     = 75,
    XEN_EILSEQ        = 84,
    XEN_ERESTART      = 85,  /* hypervisor-internal: continuation needed */
    XEN_ENOTSOCK      = 88,
    XEN_EMSGSIZE      = 90,
    XEN_EOPNOTSUPP    = 95,  /* valid request this domain/build cannot do */
    XEN_EADDRINUSE    = 98,
    XEN_EADDRNOTAVAIL = 99,
    XEN_ENOBUFS       = 105,
    XEN_EISCONN       = 106,
    XEN_ENOTCONN      = 107,
    XEN_ETIMEDOUT     = 110,
    XEN_ECONNREFUSED  = 111,
};

#endif /* !__ASSEMBLY__ */

#endif

/*
 * With -Ihypercalls this file shadows the C library's <errno.h>: a hosted
 * program asking for <errno.h> gets the library's one too. Kept last, as
 * the pragma (which silences -pedantic about #include_next) lasts to EOF.
 */
#if defined(__has_include_next) && !defined(__ASSEMBLY__)
#if __has_include_next(<errno.h>)
#pragma GCC system_header
#include_next <errno.h>
#endif
#endif
