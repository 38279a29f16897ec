/* SPDX-License-Identifier: MIT */
/*
 * Interface version of these headers. They describe only the newest Xen
 * interface (Xen 4.17's); a consumer asking for a newer one is refused at
 * compile time. Older interface variants are not offered.
 */
#ifndef XENLIKE_PUB_XEN_COMPAT_H
#define XENLIKE_PUB_XEN_COMPAT_H

#define __XEN_LATEST_INTERFACE_VERSION__ 0x00040e00

#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#endif

#if __XEN_INTERFACE_VERSION__ > __XEN_LATEST_INTERFACE_VERSION__
#error "requested Xen interface version is newer than these headers"
#endif

#endif
