/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl program: opens Linux's privcmd device and xenstore, then runs one
 * command (xl_cmd.c). $XL_PRIVCMD and $XL_RUNDIR override the device and
 * consoled's socket directory (for tests).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"
#include "xs_client.h"

int main(int argc, char **argv)
{
    struct tk tk = { 0 };
    struct xl_env e = { &tk, stdout, stderr, NULL, 0 };
    char why[256];
    int rc;

    e.rundir = getenv("XL_RUNDIR") ? getenv("XL_RUNDIR") : "/run/xen-like";
    if (argc < 2 || !strcmp(argv[1], "help"))
        return xl_main(&e, argc, argv);
    tk.hv = hv_privcmd_open(getenv("XL_PRIVCMD"), why, sizeof(why));
    if (!tk.hv) {
        fprintf(stderr, "xl: cannot reach the hypervisor: %s\n", why);
        return 1;
    }
    tk.xs = xs_open(0);
    if (!tk.xs) {
        fprintf(stderr, "xl: cannot reach xenstored: %s\n", strerror(errno));
        tk.hv->ops->close(tk.hv);
        return 1;
    }
    rc = xl_main(&e, argc, argv);
    xs_close(tk.xs);
    tk.hv->ops->close(tk.hv);
    return rc;
}
