/* SPDX-License-Identifier: GPL-2.0-only */
/* The daemon's log: one line per event, to stderr or a file (log.c). */
#ifndef STORE_LOG_H
#define STORE_LOG_H

void xs_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Send log lines to path (NULL: stderr). Returns 0 or errno. */
int xs_log_open(const char *path);
/* Turn logging off (quiet benchmarks) or on. */
void xs_log_enable(int on);

#endif
