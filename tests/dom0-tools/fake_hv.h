/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The toolstack's in-process fake hypervisor: our real core/ (domains,
 * domctl, memory, event channels) behind hv.h, with dom0 as the caller.
 * Test hooks act as a guest would (shutdown) or inspect core's state.
 */
#ifndef FAKE_HV_H
#define FAKE_HV_H

#include <stdbool.h>
#include <stdint.h>
#include "gnt.h"
#include "hv.h"

#define FAKE_FRAMES     (256UL * 1024)  /* 1 GiB of "machine" memory */
#define FAKE_LOG_LINES  32

int fake_env_init(void);
int fake_env_frame_fd(void);
uint64_t fake_env_frames(void);         /* frames allocated right now */

/* Boot core with a privileged dom0; the hv.h handle the toolstack uses. */
struct hv *fake_hv_open(void);
/* gnt.h served by core's GNTTABOP_map_grant_ref into dom0's physmap (as
 * Linux's gntdev does for a PVH dom0); the page aliases the granted frame. */
struct gnt *fake_hv_gnt(void);
unsigned int fake_hv_gnt_maps(void);    /* grant mappings held through it now */
/* Domain domid's vCPU 0 issues SCHEDOP_shutdown(reason): 0 or -errno. */
long fake_hv_guest_shutdown(uint32_t domid, unsigned int reason);
/* A domU issues a hypercall of the control family (must be refused). */
long fake_hv_call_as(uint32_t domid, unsigned int nr, const uint64_t args[5]);
/* Guest frame gfn of domid as the hypervisor sees it (NULL if unmapped). */
void *fake_hv_guest_page(uint32_t domid, uint64_t gfn);
/* vCPU context core keeps for domid's vcpu (false if none). */
bool fake_hv_vcpu_ctx(uint32_t domid, unsigned int vcpu, void *ctx_out, unsigned int size);
unsigned int fake_hv_domains(void);     /* live + dying domains, dom0 included */
bool fake_hv_log_has(const char *needle);

#endif
