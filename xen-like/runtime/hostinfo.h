/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Registers the machine's figures and console ring with core's sysctl
 * family (hostinfo.c). Call once the CPUs are online.
 */
#ifndef RUNTIME_HOSTINFO_H
#define RUNTIME_HOSTINFO_H

struct memmap;

void hostinfo_init(const struct memmap *m);

#endif
