/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interpreting a parsed xl.cfg into struct dom_config: the supported keys,
 * their types and ranges, xl's defaults, and a warning for every key we do
 * not know (never silently ignored). Syntax: cfg.c; device specs: spec.c.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dcfg.h"

#define DEFAULT_MEMORY_MB 128       /* what xl gives a guest without memory= */
#define MAX_MEMORY_MB     (1ULL << 22)

struct ictx {
    struct cfg *c;
    char *err;
    size_t err_len;
};

static int fail_at(struct ictx *ic, int line, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(ic->err, ic->err_len, "%s:%d: ", ic->c->file, line);

    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < ic->err_len)
        vsnprintf(ic->err + n, ic->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* The string value of key, NULL if absent; a non-string is an error. */
static int get_str(struct ictx *ic, const char *key, const char **out)
{
    struct cfg_entry *e = cfg_get(ic->c, key);

    *out = NULL;
    if (!e)
        return 0;
    if (e->v.type != CFG_STRING)
        return fail_at(ic, e->line, "%s must be a quoted string", key);
    *out = e->v.str;
    return 0;
}

static int get_num(struct ictx *ic, const char *key, long long lo, long long hi,
                   uint64_t *out, int *present)
{
    struct cfg_entry *e = cfg_get(ic->c, key);

    *present = e != NULL;
    if (!e)
        return 0;
    if (e->v.type != CFG_NUMBER)
        return fail_at(ic, e->line, "%s must be a number (no quotes)", key);
    if (e->v.num < lo || e->v.num > hi)
        return fail_at(ic, e->line, "%s = %lld is out of range %lld..%lld", key, e->v.num,
                       lo, hi);
    *out = (uint64_t)e->v.num;
    return 0;
}

static const char *const action_names[] = {
    [ACT_DESTROY] = "destroy", [ACT_RESTART] = "restart",
    [ACT_RENAME_RESTART] = "rename-restart", [ACT_PRESERVE] = "preserve",
    [ACT_COREDUMP_DESTROY] = "coredump-destroy", [ACT_COREDUMP_RESTART] = "coredump-restart",
};

const char *dcfg_action_name(enum dcfg_action a)
{
    return a <= ACT_COREDUMP_RESTART ? action_names[a] : "?";
}

static int get_action(struct ictx *ic, const char *key, enum dcfg_action *a)
{
    const char *v;
    struct cfg_entry *e;

    if (get_str(ic, key, &v))
        return -1;
    if (!v)
        return 0;
    e = cfg_get(ic->c, key);
    for (unsigned int i = 0; i <= ACT_COREDUMP_RESTART; i++) {
        if (!strcmp(v, action_names[i])) {
            if (i >= ACT_COREDUMP_DESTROY)
                return fail_at(ic, e->line, "%s = \"%s\": core dumps are not supported "
                               "by this toolstack", key, v);
            *a = i;
            return 0;
        }
    }
    return fail_at(ic, e->line, "%s = \"%s\" is not one of destroy, restart, "
                   "rename-restart, preserve, coredump-destroy, coredump-restart", key, v);
}

int dcfg_parse_uuid(const char *s, uint8_t out[16])
{
    static const int dash[] = { 8, 13, 18, 23 };
    int k = 0, nib = 0;

    if (strlen(s) != 36)
        return -1;
    for (int i = 0; i < 36; i++) {
        if (k < 4 && i == dash[k]) {
            if (s[i] != '-')
                return -1;
            k++;
            continue;
        }
        if (!isxdigit((unsigned char)s[i]))
            return -1;
        int v = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower(s[i]) - 'a' + 10);

        if (nib % 2 == 0)
            out[nib / 2] = (uint8_t)(v << 4);
        else
            out[nib / 2] |= (uint8_t)v;
        nib++;
    }
    return 0;
}

void dcfg_format_uuid(const uint8_t u[16], char out[37])
{
    snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
}

/* name: what xl accepts as a domain name (no '/', not all digits). */
static int do_name(struct ictx *ic, struct dom_config *dc)
{
    const char *v;
    struct cfg_entry *e = cfg_get(ic->c, "name");
    int digits = 1;

    if (get_str(ic, "name", &v))
        return -1;
    if (!v)
        return fail_at(ic, 1, "name is missing (every domain needs name = \"...\")");
    if (!*v || strlen(v) > DCFG_NAME_MAX)
        return fail_at(ic, e->line, "name must be 1..%d characters", DCFG_NAME_MAX);
    for (const char *p = v; *p; p++) {
        if (*p == '/' || !isprint((unsigned char)*p))
            return fail_at(ic, e->line, "name \"%s\" contains '/' or an unprintable "
                           "character", v);
        digits &= isdigit((unsigned char)*p) != 0;
    }
    if (digits)
        return fail_at(ic, e->line, "name \"%s\" is all digits (it would read as a domid)", v);
    strcpy(dc->name, v);
    return 0;
}

static int do_type(struct ictx *ic)
{
    const char *v;
    struct cfg_entry *e = cfg_get(ic->c, "type");

    if (get_str(ic, "type", &v))
        return -1;
    if (!v)
        return fail_at(ic, 1, "type is missing: this toolstack builds type = \"pvh\" "
                       "domains only (xl's default would be pv)");
    if (strcmp(v, "pvh"))
        return fail_at(ic, e->line, "type = \"%s\" is not supported (only \"pvh\")", v);
    return 0;
}

static int dup_str(struct ictx *ic, const char *key, char **out, int required)
{
    const char *v;

    if (get_str(ic, key, &v))
        return -1;
    if (!v && required)
        return fail_at(ic, 1, "%s is missing (a pvh domain needs %s = \"/path\")", key, key);
    if (v && !*v)
        return fail_at(ic, cfg_get(ic->c, key)->line, "%s is empty", key);
    *out = v ? strdup(v) : NULL;
    return v && !*out ? fail_at(ic, 1, "out of memory") : 0;
}

/* xl: cmdline wins; otherwise "root=<root> <extra>". */
static int do_cmdline(struct ictx *ic, struct dom_config *dc, dcfg_warn_fn *warn, void *ctx)
{
    const char *cmd, *root, *extra;
    char buf[4096];

    if (get_str(ic, "cmdline", &cmd) || get_str(ic, "root", &root) ||
        get_str(ic, "extra", &extra))
        return -1;
    if (cmd && (root || extra)) {
        snprintf(buf, sizeof(buf), "%s:%d: warning: cmdline given: root and extra ignored",
                 ic->c->file, cfg_get(ic->c, "cmdline")->line);
        warn(ctx, buf);
    }
    if (!cmd)
        snprintf(buf, sizeof(buf), "%s%s%s%s", root ? "root=" : "", root ? root : "",
                 root && extra ? " " : "", extra ? extra : "");
    else
        snprintf(buf, sizeof(buf), "%s", cmd);
    dc->cmdline = strdup(buf);
    return dc->cmdline ? 0 : fail_at(ic, 1, "out of memory");
}

static int do_memory(struct ictx *ic, struct dom_config *dc)
{
    int has_mem, has_max, has_vc, has_mvc;
    uint64_t vcpus = 1, maxvcpus = 0;

    dc->memory_mb = DEFAULT_MEMORY_MB;
    if (get_num(ic, "memory", 1, MAX_MEMORY_MB, &dc->memory_mb, &has_mem) ||
        get_num(ic, "maxmem", 1, MAX_MEMORY_MB, &dc->maxmem_mb, &has_max) ||
        get_num(ic, "vcpus", 1, DCFG_MAX_VCPUS, &vcpus, &has_vc) ||
        get_num(ic, "maxvcpus", 1, DCFG_MAX_VCPUS, &maxvcpus, &has_mvc))
        return -1;
    if (!has_max)
        dc->maxmem_mb = dc->memory_mb;
    if (dc->maxmem_mb < dc->memory_mb)
        return fail_at(ic, cfg_get(ic->c, "maxmem")->line,
                       "maxmem (%llu MiB) is below memory (%llu MiB)",
                       (unsigned long long)dc->maxmem_mb, (unsigned long long)dc->memory_mb);
    dc->vcpus = (unsigned int)vcpus;
    dc->maxvcpus = has_mvc ? (unsigned int)maxvcpus : dc->vcpus;
    if (dc->maxvcpus < dc->vcpus)
        return fail_at(ic, cfg_get(ic->c, "maxvcpus")->line,
                       "maxvcpus (%u) is below vcpus (%u)", dc->maxvcpus, dc->vcpus);
    return 0;
}

static int do_uuid(struct ictx *ic, struct dom_config *dc)
{
    const char *v;

    if (get_str(ic, "uuid", &v))
        return -1;
    if (!v)
        return 0;
    if (dcfg_parse_uuid(v, dc->uuid))
        return fail_at(ic, cfg_get(ic->c, "uuid")->line, "uuid \"%s\" is not "
                       "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", v);
    dc->has_uuid = 1;
    return 0;
}

static int do_devices(struct ictx *ic, struct dom_config *dc, const char *key)
{
    struct cfg_entry *e = cfg_get(ic->c, key);
    int is_disk = !strcmp(key, "disk");
    char why[256];

    if (!e)
        return 0;
    if (e->v.type != CFG_LIST)
        return fail_at(ic, e->line, "%s must be a list: %s = [ \"...\", ... ]", key, key);
    if (e->v.n > DCFG_MAX_DEVS)
        return fail_at(ic, e->line, "%s lists %u devices; at most %d", key, e->v.n,
                       DCFG_MAX_DEVS);
    for (unsigned int i = 0; i < e->v.n; i++) {
        struct cfg_value *it = &e->v.items[i];
        int rc;

        if (it->type != CFG_STRING)
            return fail_at(ic, it->line, "%s entry %u must be a quoted spec string", key, i);
        rc = is_disk ? spec_disk(it->str, &dc->disks[i], why, sizeof(why))
                     : spec_vif(it->str, &dc->vifs[i], why, sizeof(why));
        if (rc)
            return fail_at(ic, it->line, "%s entry %u: %s", key, i, why);
        for (unsigned int j = 0; is_disk && j < i; j++)
            if (!strcmp(dc->disks[j].vdev, dc->disks[i].vdev))
                return fail_at(ic, it->line, "disk entry %u: vdev %s used twice", i,
                               dc->disks[i].vdev);
    }
    if (is_disk)
        dc->nr_disks = e->v.n;
    else
        dc->nr_vifs = e->v.n;
    return 0;
}

static void warn_unknown(struct cfg *c, dcfg_warn_fn *warn, void *ctx)
{
    char buf[256];

    for (unsigned int i = 0; i < c->n; i++) {
        if (c->e[i].used)
            continue;
        snprintf(buf, sizeof(buf), "%s:%d: warning: unknown key '%s' ignored", c->file,
                 c->e[i].line, c->e[i].key);
        warn(ctx, buf);
    }
}

int dcfg_from_cfg(struct cfg *c, struct dom_config *dc, dcfg_warn_fn *warn, void *ctx,
                  char *err, size_t err_len)
{
    struct ictx ic = { c, err, err_len };

    memset(dc, 0, sizeof(*dc));
    *err = '\0';
    dc->on_poweroff = ACT_DESTROY;
    dc->on_reboot = ACT_RESTART;
    dc->on_crash = ACT_DESTROY;
    dc->on_watchdog = ACT_DESTROY;
    if (do_name(&ic, dc) || do_type(&ic) || dup_str(&ic, "kernel", &dc->kernel, 1) ||
        dup_str(&ic, "ramdisk", &dc->ramdisk, 0) || do_cmdline(&ic, dc, warn, ctx) ||
        do_memory(&ic, dc) || do_uuid(&ic, dc) ||
        get_action(&ic, "on_poweroff", &dc->on_poweroff) ||
        get_action(&ic, "on_reboot", &dc->on_reboot) ||
        get_action(&ic, "on_crash", &dc->on_crash) ||
        get_action(&ic, "on_watchdog", &dc->on_watchdog) ||
        do_devices(&ic, dc, "disk") || do_devices(&ic, dc, "vif")) {
        dcfg_free(dc);
        return -1;
    }
    warn_unknown(c, warn, ctx);
    return 0;
}

int dcfg_load(const char *path, struct dom_config *dc, dcfg_warn_fn *warn, void *ctx,
              char *err, size_t err_len)
{
    struct cfg c;
    int rc;

    memset(dc, 0, sizeof(*dc));
    if (cfg_load(path, &c, err, err_len))
        return -1;
    rc = dcfg_from_cfg(&c, dc, warn, ctx, err, err_len);
    cfg_free(&c);
    return rc;
}

void dcfg_free(struct dom_config *dc)
{
    free(dc->kernel);
    free(dc->ramdisk);
    free(dc->cmdline);
    dc->kernel = dc->ramdisk = dc->cmdline = NULL;
}
