/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl list -l`: the domains as a JSON array (libyajl's generator) in the
 * shape xl prints: [{"domid": N, "config": {"c_info": {...}, "b_info": {...}}}],
 * filled from the hypervisor and the xenstore entries the toolstack wrote.
 */
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "xl.h"
#include "xs_client.h"

static void str(yajl_gen g, const char *s)
{
    yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static void kv_str(yajl_gen g, const char *k, const char *v)
{
    str(g, k);
    if (v)
        str(g, v);
    else
        yajl_gen_null(g);
}

static void kv_int(yajl_gen g, const char *k, long long v)
{
    str(g, k);
    yajl_gen_integer(g, v);
}

static char *image(struct xl_env *e, uint32_t domid, const char *leaf)
{
    char p[96], *vm;
    unsigned int len;
    char *v = NULL;

    snprintf(p, sizeof(p), "/local/domain/%u/vm", domid);
    vm = xs_read(e->tk->xs, XBT_NULL, p, &len);
    if (vm) {
        snprintf(p, sizeof(p), "%.64s/image/%s", vm, leaf);
        v = xs_read(e->tk->xs, XBT_NULL, p, &len);
    }
    free(vm);
    return v;
}

static void one(struct xl_env *e, yajl_gen g, const struct dom_info *d)
{
    char uuid[37], *k = image(e, d->domid, "kernel"), *c = image(e, d->domid, "cmdline");
    char *r = image(e, d->domid, "ramdisk");

    dcfg_format_uuid(d->uuid, uuid);
    yajl_gen_map_open(g);
    kv_int(g, "domid", d->domid);
    str(g, "config");
    yajl_gen_map_open(g);
    str(g, "c_info");
    yajl_gen_map_open(g);
    kv_str(g, "type", "pvh");
    kv_str(g, "name", d->name);
    kv_str(g, "uuid", uuid);
    yajl_gen_map_close(g);
    str(g, "b_info");
    yajl_gen_map_open(g);
    kv_int(g, "max_vcpus", d->max_vcpu_id == ~0u ? 0 : d->max_vcpu_id + 1);
    kv_int(g, "max_memkb", (long long)d->max_kb);
    kv_int(g, "target_memkb", (long long)d->mem_kb);
    kv_str(g, "kernel", k);
    kv_str(g, "cmdline", c);
    kv_str(g, "ramdisk", r);
    yajl_gen_map_close(g);
    yajl_gen_map_close(g);
    kv_str(g, "state", d->state);
    yajl_gen_map_close(g);
    free(k);
    free(c);
    free(r);
}

int xl_json_list(struct xl_env *e, const struct dom_info *l, unsigned int n)
{
    yajl_gen g = yajl_gen_alloc(NULL);
    const unsigned char *buf;
    size_t len;

    if (!g) {
        fprintf(e->err, "xl list: out of memory for JSON\n");
        return 1;
    }
    yajl_gen_config(g, yajl_gen_beautify, 1);
    yajl_gen_array_open(g);
    for (unsigned int i = 0; i < n; i++)
        one(e, g, &l[i]);
    yajl_gen_array_close(g);
    yajl_gen_get_buf(g, &buf, &len);
    fwrite(buf, 1, len, e->out);
    yajl_gen_free(g);
    return 0;
}
