/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Typed hypercalls the toolstack makes (domctl, sysctl, memory, event
 * channel, HVM params), each a thin marshaller over hv.h returning 0 or a
 * negative Xen errno. Not here: choosing what to call (dom.c, build.c).
 */
#ifndef DOM0_HVC_H
#define DOM0_HVC_H

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif
#include <stdbool.h>
#include "hv.h"
#include "xen.h"
#include "domctl.h"
#include "sysctl.h"

/* Hypercall numbers from the one table. */
#define HVC_ENUM(nr, name, access) HVC_##name = nr,
#include "hypercall-table.h"
enum { XEN_HYPERCALL_TABLE(HVC_ENUM) };
#undef HVC_ENUM

long hvc_domctl(struct hv *h, struct xen_domctl *op);
long hvc_sysctl(struct hv *h, struct xen_sysctl *op);

/* *domid: wanted id (0: any), the chosen one on return. */
long hvc_create(struct hv *h, uint32_t *domid, const struct xen_domctl_createdomain *cfg);
long hvc_getinfo(struct hv *h, uint32_t domid, struct xen_domctl_getdomaininfo *info);
/* Up to max domains from first on; the count or a negative error. */
long hvc_list(struct hv *h, uint32_t first, struct xen_domctl_getdomaininfo *out,
              unsigned int max);
long hvc_simple(struct hv *h, uint32_t cmd, uint32_t domid);   /* destroy/pause/unpause */
long hvc_max_mem(struct hv *h, uint32_t domid, uint64_t kb);
long hvc_set_handle(struct hv *h, uint32_t domid, const uint8_t uuid[16]);
long hvc_set_vcpu_context(struct hv *h, uint32_t domid, unsigned int vcpu,
                          const struct vcpu_guest_context *ctx);
long hvc_vcpu_info(struct hv *h, uint32_t domid, unsigned int vcpu,
                   struct xen_domctl_getvcpuinfo *out);
long hvc_sched_id(struct hv *h, uint32_t *id);
long hvc_physinfo(struct hv *h, struct xen_sysctl_physinfo *out);
long hvc_credit(struct hv *h, uint32_t domid, bool set, unsigned int *weight, unsigned int *cap);
/* Populate n gfns one extent of 2^order pages each; the count done or < 0. */
long hvc_populate(struct hv *h, uint32_t domid, uint64_t *gfns, unsigned long n,
                  unsigned int order);
/* XENMEM_add_to_physmap of one frame of space (XENMAPSPACE_*) at gfn of
 * domid, and XENMEM_remove_from_physmap of it. */
long hvc_add_to_physmap(struct hv *h, uint32_t domid, unsigned int space, uint64_t idx,
                        uint64_t gfn);
long hvc_remove_from_physmap(struct hv *h, uint32_t domid, uint64_t gfn);
long hvc_evtchn_unbound(struct hv *h, uint32_t domid, uint32_t remote, uint32_t *port);
long hvc_set_param(struct hv *h, uint32_t domid, uint32_t index, uint64_t value);
long hvc_shutdown(struct hv *h, uint32_t domid, unsigned int reason);
long hvc_readconsole(struct hv *h, char *buf, uint32_t *len, bool clear);

#endif
