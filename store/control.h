/* SPDX-License-Identifier: GPL-2.0-only */
/* CONTROL requests (dom0 only): check, print, log, quota, dump, help. */
#ifndef STORE_CONTROL_H
#define STORE_CONTROL_H

#include <stdint.h>

/* Run argv[0] with its arguments; the reply text goes to out (NUL included). */
int control_run(const char *const *argv, int argc, char *out, uint32_t cap,
                uint32_t *outlen);

#endif
