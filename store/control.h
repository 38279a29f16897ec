/* SPDX-License-Identifier: GPL-2.0-only */
/* CONTROL requests (dom0 only): check, print, log, quota, dump, live-update, help. */
#ifndef STORE_CONTROL_H
#define STORE_CONTROL_H

#include <stdint.h>

/* Set by "live-update": the event loop execs a new daemon once replies are out. */
extern int control_live_update;

/* Run argv[0] with its arguments; the reply text goes to out (NUL included). */
int control_run(const char *const *argv, int argc, char *out, uint32_t cap,
                uint32_t *outlen);

#endif
