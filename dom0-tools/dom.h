/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain operations behind the xl commands: create (build + xenstore +
 * unpause), destroy, pause/unpause, shutdown/reboot requests, listing with
 * xl's state letters, and credit scheduler parameters.
 */
#ifndef DOM0_DOM_H
#define DOM0_DOM_H

#include <stdint.h>
#include "build.h"
#include "dcfg.h"
#include "tk.h"

struct dom_info {
    uint32_t domid;
    char name[64];
    char state[7];              /* xl's "rbpscd" columns */
    uint64_t mem_kb, max_kb;
    unsigned int vcpus, max_vcpu_id;
    double cpu_s;
    unsigned int shutdown_reason;   /* SHUTDOWN_* if 's' or 'c', else ~0 */
    uint8_t uuid[16];
};

/* Create and start; a uuid is made up if the config has none. */
int dom_create(struct tk *tk, struct dom_config *dc, struct build_result *b);
int dom_destroy(struct tk *tk, uint32_t domid);
int dom_pause(struct tk *tk, uint32_t domid, int pause);
/* Ask the guest (control/shutdown) to power off or reboot. */
int dom_shutdown(struct tk *tk, uint32_t domid, int reboot);
/* All domains (malloc'd array), or one if domid != ~0. */
int dom_list(struct tk *tk, uint32_t domid, struct dom_info **out, unsigned int *n);
int dom_info(struct tk *tk, uint32_t domid, struct dom_info *out);
/* The domid a user names (name or number), or -1 with an error. */
int dom_resolve(struct tk *tk, const char *arg, uint32_t *domid);
int dom_credit(struct tk *tk, uint32_t domid, int set, unsigned int *weight, unsigned int *cap);
const char *dom_reason_name(unsigned int reason);

#endif
