/* SPDX-License-Identifier: MIT */
/*
 * Names of the ring ABIs a frontend writes to its "protocol" xenstore node
 * so that a backend of another word size can translate requests. Only
 * x86_64 guests exist here, so frontends write XEN_IO_PROTO_ABI_NATIVE.
 */
#ifndef XENLIKE_PUB_IO_PROTOCOLS_H
#define XENLIKE_PUB_IO_PROTOCOLS_H

#define XEN_IO_PROTO_ABI_X86_32 "x86_32-abi"
#define XEN_IO_PROTO_ABI_X86_64 "x86_64-abi"
#define XEN_IO_PROTO_ABI_ARM    "arm-abi"
#define XEN_IO_PROTO_ABI_NATIVE XEN_IO_PROTO_ABI_X86_64

#endif
