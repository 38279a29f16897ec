/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenstore entries of a domain (see dstore.h). The domain is introduced
 * first so that it can own the nodes it may write (control/shutdown, data,
 * ...), then everything is written in one transaction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dstore.h"
#include "xs_client.h"
#include "io/xs_wire.h"

#define STEP "writing xenstore entries"

struct txw {
    struct tk *tk;
    xs_transaction_t t;
    uint32_t domid;
    int failed;
};

/* perm: 'r' = the guest reads, 'w' = the guest owns (reads and writes). */
static void put(struct txw *w, const char *path, char perm, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(struct txw *w, const char *path, char perm, const char *fmt, ...)
{
    struct xs_permissions p[2] = { { 0, XS_PERM_NONE }, { w->domid, XS_PERM_READ } };
    char *val = NULL;
    va_list ap;
    int n;

    if (w->failed)
        return;
    va_start(ap, fmt);
    n = vasprintf(&val, fmt, ap);     /* any length: a command line may be 4 KiB */
    va_end(ap);
    if (n < 0) {
        tk_fail(w->tk, STEP, "%s: out of memory in the toolstack", path);
        w->failed = 1;
        return;
    }
    if (perm == 'w') {
        p[0] = (struct xs_permissions){ w->domid, XS_PERM_NONE };
        p[1] = (struct xs_permissions){ 0, XS_PERM_READ };
    }
    if (strlen(path) + 1 + (size_t)n > XENSTORE_PAYLOAD_MAX) {
        tk_fail(w->tk, STEP, "%s: a value of %d bytes does not fit in a xenstore message "
                "(%u bytes with the path)", path, n, XENSTORE_PAYLOAD_MAX);
        w->failed = 1;
    } else if (!xs_write(w->tk->xs, w->t, path, val, (unsigned int)n) ||
        !xs_set_permissions(w->tk->xs, w->t, path, p, 2)) {
        tk_fail(w->tk, STEP, "%s: %s", path, strerror(errno));
        w->failed = 1;
    }
    free(val);
}

static void local_entries(struct txw *w, const struct dom_config *dc,
                          const struct build_result *b, const char *vm)
{
    char p[128], *e;
    int n = snprintf(p, sizeof(p), "/local/domain/%u", b->domid);

    e = p + n;
#define AT(sub) (strcpy(e, sub), p)
    put(w, AT(""), 'r', "%s", "");
    put(w, AT("/name"), 'r', "%s", dc->name);
    put(w, AT("/domid"), 'r', "%u", b->domid);
    put(w, AT("/vm"), 'r', "%s", vm);
    put(w, AT("/memory/static-max"), 'r', "%llu", (unsigned long long)dc->maxmem_mb * 1024);
    put(w, AT("/memory/target"), 'r', "%llu", (unsigned long long)dc->memory_mb * 1024);
    for (unsigned int i = 0; i < dc->maxvcpus; i++) {
        snprintf(e, sizeof(p) - (size_t)n, "/cpu/%u/availability", i);
        put(w, p, 'r', "%s", i < dc->vcpus ? "online" : "offline");
    }
    put(w, AT("/console/ring-ref"), 'r', "%llu", (unsigned long long)b->console_gfn);
    put(w, AT("/console/port"), 'r', "%u", b->console_port);
    put(w, AT("/console/limit"), 'r', "%u", 1048576);
    put(w, AT("/console/type"), 'r', "%s", "xenconsoled");
    put(w, AT("/console/output"), 'r', "%s", "pty");
    put(w, AT("/store/ring-ref"), 'r', "%llu", (unsigned long long)b->store_gfn);
    put(w, AT("/store/port"), 'r', "%u", b->store_port);
    /* The guest's kernel announces what it can do here (libxl makes them
     * guest-owned too; Linux's writes to them were refused). */
    put(w, AT("/control/shutdown"), 'w', "%s", "");
    put(w, AT("/control/feature-poweroff"), 'w', "%s", "");
    put(w, AT("/control/feature-reboot"), 'w', "%s", "");
    put(w, AT("/control/feature-suspend"), 'w', "%s", "");
    put(w, AT("/control/sysrq"), 'w', "%s", "");
    put(w, AT("/control/platform-feature-multiprocessor-suspend"), 'r', "%s", "1");
    put(w, AT("/device"), 'r', "%s", "");
    put(w, AT("/data"), 'w', "%s", "");
    put(w, AT("/drivers"), 'w', "%s", "");
    put(w, AT("/feature"), 'w', "%s", "");
    put(w, AT("/attr"), 'w', "%s", "");
    put(w, AT("/error"), 'w', "%s", "");
#undef AT
}

static void vm_entries(struct txw *w, const struct dom_config *dc, const char *vm,
                       const char *uuid)
{
    char p[160];

#define VM(sub) (snprintf(p, sizeof(p), "%s%s", vm, sub), p)
    put(w, VM(""), 'r', "%s", "");
    put(w, VM("/uuid"), 'r', "%s", uuid);
    put(w, VM("/name"), 'r', "%s", dc->name);
    put(w, VM("/start_time"), 'r', "%lld", (long long)time(NULL));
    put(w, VM("/image/ostype"), 'r', "%s", "pvh");
    put(w, VM("/image/kernel"), 'r', "%s", dc->kernel);
    put(w, VM("/image/cmdline"), 'r', "%s", dc->cmdline);
    if (dc->ramdisk)
        put(w, VM("/image/ramdisk"), 'r', "%s", dc->ramdisk);
#undef VM
}

int dstore_create(struct tk *tk, const struct dom_config *dc, const struct build_result *b)
{
    char uuid[37], vm[64];

    dcfg_format_uuid(dc->uuid, uuid);
    snprintf(vm, sizeof(vm), "/vm/%s", uuid);
    if (!xs_introduce_domain(tk->xs, b->domid, b->store_gfn, b->store_port))
        return tk_fail(tk, "introducing the domain to xenstored", "%s", strerror(errno));
    for (int tries = 0; tries < 8; tries++) {
        struct txw w = { tk, xs_transaction_start(tk->xs), b->domid, 0 };

        if (!w.t)
            return tk_fail(tk, STEP, "cannot start a transaction: %s", strerror(errno));
        local_entries(&w, dc, b, vm);
        vm_entries(&w, dc, vm, uuid);
        if (w.failed) {
            xs_transaction_end(tk->xs, w.t, true);
            return -1;
        }
        if (xs_transaction_end(tk->xs, w.t, false))
            return 0;
        if (errno != EAGAIN)
            break;
    }
    return tk_fail(tk, STEP, "transaction failed: %s", strerror(errno));
}

static int rm_if_present(struct tk *tk, const char *path)
{
    if (xs_rm(tk->xs, XBT_NULL, path) || errno == ENOENT)
        return 0;
    return tk_fail(tk, "cleaning xenstore", "%s: %s", path, strerror(errno));
}

int dstore_destroy(struct tk *tk, uint32_t domid)
{
    char p[64], *vm;
    unsigned int len;
    int rc = 0;

    snprintf(p, sizeof(p), "/local/domain/%u/vm", domid);
    vm = xs_read(tk->xs, XBT_NULL, p, &len);
    if (vm && !strncmp(vm, "/vm/", 4))
        rc |= rm_if_present(tk, vm);
    free(vm);
    snprintf(p, sizeof(p), "/local/domain/%u", domid);
    rc |= rm_if_present(tk, p);
    snprintf(p, sizeof(p), "/libxl/%u", domid);
    rc |= rm_if_present(tk, p);
    if (xs_is_domain_introduced(tk->xs, domid) && !xs_release_domain(tk->xs, domid))
        rc |= tk_fail(tk, "releasing the domain in xenstored", "%s", strerror(errno));
    return rc ? -1 : 0;
}

char *dstore_name(struct tk *tk, uint32_t domid)
{
    char p[64];
    unsigned int len;
    char *n;

    snprintf(p, sizeof(p), "/local/domain/%u/name", domid);
    n = xs_read(tk->xs, XBT_NULL, p, &len);
    if (!n && domid == 0)
        n = strdup("Domain-0");
    return n;
}

uint32_t dstore_lookup(struct tk *tk, const char *name)
{
    char **kids, *end;
    unsigned int n;
    unsigned long id = strtoul(name, &end, 10);
    uint32_t found = DSTORE_NO_DOMID;

    if (*name && !*end && id < 0x7ff0)
        return (uint32_t)id;
    if (!strcmp(name, "Domain-0"))
        return 0;
    kids = xs_directory(tk->xs, XBT_NULL, "/local/domain", &n);
    for (unsigned int i = 0; kids && i < n && found == DSTORE_NO_DOMID; i++) {
        uint32_t d = (uint32_t)strtoul(kids[i], NULL, 10);
        char *nm = dstore_name(tk, d);

        if (nm && !strcmp(nm, name))
            found = d;
        free(nm);
    }
    free(kids);
    return found;
}

int dstore_rename(struct tk *tk, uint32_t domid, const char *name)
{
    char p[64];

    snprintf(p, sizeof(p), "/local/domain/%u/name", domid);
    if (!xs_write(tk->xs, XBT_NULL, p, name, (unsigned int)strlen(name)))
        return tk_fail(tk, "renaming the domain", "%s: %s", p, strerror(errno));
    return 0;
}

int dstore_request(struct tk *tk, uint32_t domid, const char *what)
{
    char p[64];

    snprintf(p, sizeof(p), "/local/domain/%u/control/shutdown", domid);
    if (!xs_write(tk->xs, XBT_NULL, p, what, (unsigned int)strlen(what)))
        return tk_fail(tk, "asking the guest to shut down", "%s: %s", p, strerror(errno));
    return 0;
}
