/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CONTROL request's commands. They are implementation specific (the
 * protocol says so); ours are check, print, log, quota, dump, live-update,
 * memreport and help.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "conn.h"
#include "control.h"
#include "log.h"
#include "state.h"
#include "watch.h"

int control_live_update;

static int reply(char *out, uint32_t cap, uint32_t *outlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int reply(char *out, uint32_t cap, uint32_t *outlen, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (uint32_t)n >= cap)
        return E2BIG;
    *outlen = (uint32_t)n + 1;
    return 0;
}

/* Every child listed by a record exists and every record's parent lists it. */
static int check_node(struct node *n, void *arg)
{
    char path[TREE_ABS_PATH_MAX + 2];
    size_t len = n->pathlen;

    (void)arg;
    for (uint32_t off = 0; off < n->kidslen;) {
        const char *kid = n->kids + off;

        off += (uint32_t)strlen(kid) + 1;
        snprintf(path, sizeof(path), "%s%s%s", n->path, len > 1 ? "/" : "", kid);
        if (!tree_lookup(path)) {
            xs_log("check: %s lists missing child %s", n->path, kid);
            return EIO;
        }
    }
    return 0;
}

static unsigned long walked;

static int count_node(struct node *n, void *arg)
{
    (void)n;
    (void)arg;
    walked++;
    return 0;
}

static int control_check(char *out, uint32_t cap, uint32_t *outlen)
{
    walked = 0;
    if (tree_walk(check_node, NULL) || tree_walk(count_node, NULL))
        return EIO;
    /* The two special nodes are outside the tree walk. */
    if (walked + 2 != tree_count()) {
        xs_log("check: %lu reachable nodes but %lu stored", walked, tree_count());
        return EIO;
    }
    return reply(out, cap, outlen, "OK");
}

static int control_quota(const char *const *argv, int argc, char *out, uint32_t cap,
                         uint32_t *outlen)
{
    static const struct { const char *name; size_t off; } q[] = {
        { "nodes", offsetof(struct quota, nodes) },
        { "entry-size", offsetof(struct quota, entry_size) },
        { "watches", offsetof(struct quota, watches) },
        { "transactions", offsetof(struct quota, transactions) },
        { "outstanding", offsetof(struct quota, outstanding) },
        { "memory", offsetof(struct quota, memory) },
        { "output-buffer", offsetof(struct quota, out_bytes) },
    };
    uint32_t len = 0;

    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
        unsigned *v = (unsigned *)((char *)&quota + q[i].off);

        if (argc == 3 && !strcmp(argv[1], q[i].name)) {
            char *end;
            unsigned long nv = strtoul(argv[2], &end, 10);

            if (*end || !argv[2][0] || nv > 0x7fffffffUL)
                return EINVAL;
            *v = (unsigned)nv;
            return reply(out, cap, outlen, "OK");
        }
        len += (uint32_t)snprintf(out + len, cap - len, "%s %u\n", q[i].name, *v);
    }
    if (argc != 1)
        return EINVAL;
    *outlen = len + 1;
    return 0;
}

int control_run(const char *const *argv, int argc, char *out, uint32_t cap,
                uint32_t *outlen)
{
    const char *cmd = argv[0];

    if (!strcmp(cmd, "check"))
        return control_check(out, cap, outlen);
    if (!strcmp(cmd, "print") && argc == 2) {
        xs_log("print: %s", argv[1]);
        return reply(out, cap, outlen, "OK");
    }
    if (!strcmp(cmd, "log") && argc == 2 &&
        (!strcmp(argv[1], "on") || !strcmp(argv[1], "off"))) {
        xs_log_enable(!strcmp(argv[1], "on"));
        return reply(out, cap, outlen, "OK");
    }
    if (!strcmp(cmd, "quota"))
        return control_quota(argv, argc, out, cap, outlen);
    if (!strcmp(cmd, "dump") && argc == 2) {
        int rc = state_dump(argv[1]);

        return rc ?: reply(out, cap, outlen, "OK");
    }
    if (!strcmp(cmd, "live-update") && argc == 1) {
        control_live_update = 1;
        return reply(out, cap, outlen, "OK");
    }
    if (!strcmp(cmd, "memreport"))
        return reply(out, cap, outlen, "nodes %lu\nwatches %lu", tree_count(),
                     watch_count());
    if (!strcmp(cmd, "help"))
        return reply(out, cap, outlen,
                     "check\nprint <text>\nlog on|off\nquota [<name> <value>]\n"
                     "dump <file>\nlive-update\nmemreport\nhelp");
    return EINVAL;
}
