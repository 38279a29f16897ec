/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer target: any bytes through the xl.cfg parser and interpreter. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "dcfg.h"

static void quiet(void *ctx, const char *msg) { }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg c;
    struct dom_config dc;
    char err[512];

    if (cfg_parse("fuzz.cfg", (const char *)data, size, &c, err, sizeof(err))) {
        if (strncmp(err, "fuzz.cfg:", 9))
            __builtin_trap();       /* every error names file:line */
        return 0;
    }
    if (!dcfg_from_cfg(&c, &dc, quiet, NULL, err, sizeof(err)))
        dcfg_free(&dc);
    else if (strncmp(err, "fuzz.cfg:", 9))
        __builtin_trap();
    cfg_free(&c);
    return 0;
}
