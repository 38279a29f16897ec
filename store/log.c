/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The daemon's log sink. Every refused guest request leaves a line here that
 * names the domain, the operation and the reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include "log.h"

static FILE *log_file;
static int log_on = 1;

int xs_log_open(const char *path)
{
    FILE *f;

    if (!path) {
        log_file = NULL;
        return 0;
    }
    f = fopen(path, "a");
    if (!f)
        return errno;
    setvbuf(f, NULL, _IOLBF, 0);
    log_file = f;
    return 0;
}

void xs_log_enable(int on)
{
    log_on = on;
}

void xs_log(const char *fmt, ...)
{
    FILE *f = log_file ? log_file : stderr;
    va_list ap;

    if (!log_on)
        return;
    fprintf(f, "xenstored: ");
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
}
