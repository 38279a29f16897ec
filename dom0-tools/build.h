/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PVH domain builder: create the domain, give it memory, load kernel
 * and initrd through foreign mappings, write hvm_start_info, the memory map
 * and ACPI tables, set up console/xenstore pages and event channels and
 * vCPU 0's 32-bit entry state. The domain is left paused. Not here: the
 * xenstore entries (dstore.c) and unpausing (dom.c).
 */
#ifndef DOM0_BUILD_H
#define DOM0_BUILD_H

#include <stdint.h>
#include "dcfg.h"
#include "tk.h"

/* The guest-physical layout (also in docs/toolstack.md). */
#define BUILD_START_INFO   0x100000u
#define BUILD_MEMMAP       0x101000u
#define BUILD_MODLIST      0x102000u
#define BUILD_CMDLINE      0x103000u
#define BUILD_CMDLINE_MAX  4096u
#define BUILD_KERNEL_MIN   0x104000u
#define BUILD_LOW_RAM_END  0xA0000u
#define BUILD_MAX_RAM_MB   3840u        /* everything below 3.75 GiB for now */
#define BUILD_SLACK_KB     1024u        /* max_mem above maxmem, as libxl's constant */

struct build_result {
    uint32_t domid;
    uint64_t console_gfn, store_gfn;
    uint32_t console_port, store_port;
    uint32_t entry;
    const char *kernel_format;
};

/* 0, or -1 with "step: reason" in tk->err and nothing left behind. */
int build_domain(struct tk *tk, const struct dom_config *dc, struct build_result *out);
/* Copy len bytes to guest-physical gpa of domid through foreign mappings. */
int build_write(struct tk *tk, uint32_t domid, uint64_t gpa, const void *data, size_t len);

#endif
