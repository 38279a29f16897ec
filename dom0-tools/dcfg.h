/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's configuration as the toolstack uses it, built from a parsed
 * xl.cfg (cfg.h): types, ranges, defaults and cross-checks of every key we
 * support; unknown keys become warnings. Disk/vif spec strings: spec.c.
 */
#ifndef DOM0_DCFG_H
#define DOM0_DCFG_H

#include <stdint.h>
#include "cfg.h"
#include "spec.h"

enum dcfg_action {
    ACT_DESTROY, ACT_RESTART, ACT_RENAME_RESTART, ACT_PRESERVE,
    ACT_COREDUMP_DESTROY, ACT_COREDUMP_RESTART,
};

#define DCFG_MAX_DEVS   16
#define DCFG_MAX_VCPUS  128
#define DCFG_NAME_MAX   63

struct dom_config {
    char name[DCFG_NAME_MAX + 1];
    char *kernel, *ramdisk, *cmdline;       /* cmdline: final, from cmdline or root+extra */
    uint64_t memory_mb, maxmem_mb;
    unsigned int vcpus, maxvcpus;
    enum dcfg_action on_poweroff, on_reboot, on_crash, on_watchdog;
    uint8_t uuid[16];
    int has_uuid;
    struct disk_spec disks[DCFG_MAX_DEVS];
    unsigned int nr_disks;
    struct vif_spec vifs[DCFG_MAX_DEVS];
    unsigned int nr_vifs;
};

/* warn(ctx, "file:line: warning: ...") for each unknown or ignored key. */
typedef void dcfg_warn_fn(void *ctx, const char *msg);

/* 0, or -1 with "file:line: reason" in err. */
int dcfg_from_cfg(struct cfg *c, struct dom_config *dc, dcfg_warn_fn *warn, void *ctx,
                  char *err, size_t err_len);
/* Parse + interpret a file. */
int dcfg_load(const char *path, struct dom_config *dc, dcfg_warn_fn *warn, void *ctx,
              char *err, size_t err_len);
void dcfg_free(struct dom_config *dc);
const char *dcfg_action_name(enum dcfg_action a);
/* xl's parser of "xx...-xx" UUID text: 0 or -1. */
int dcfg_parse_uuid(const char *s, uint8_t out[16]);
void dcfg_format_uuid(const uint8_t u[16], char out[37]);

#endif
