/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl command line over the toolstack library: xl_main runs one command
 * with a ready toolstack context, writing to out/err (so the host tests run
 * it in-process against the fake hypervisor). Not here: opening privcmd
 * and xenstore (xl.c), JSON output (xl_json.c).
 */
#ifndef DOM0_XL_H
#define DOM0_XL_H

#include <stdio.h>
#include "dom.h"
#include "tk.h"

struct xl_env {
    struct tk *tk;
    FILE *out, *err;
    const char *rundir;         /* consoled's sockets */
    int no_fork;                /* run the create monitor in-process (tests) */
};

/* Exit status: 0, 1 for a failed command, 2 for bad usage. */
int xl_main(struct xl_env *e, int argc, char **argv);
/* xl list -l: JSON array of the domains. */
int xl_json_list(struct xl_env *e, const struct dom_info *l, unsigned int n);
/* Relay a terminal to the domain's console socket until Ctrl-]; wait up
 * to wait_ms for consoled to open the socket. */
int xl_console_attach(struct xl_env *e, uint32_t domid, int wait_ms);

#endif
