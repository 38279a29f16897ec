/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domain operations (see dom.h): each names its step in errors and leaves
 * nothing behind when it fails halfway.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dom.h"
#include "dstore.h"
#include "hvc.h"
#include "errno.h"
#include "sched.h"
#include "xs_client.h"

#define LIST_BATCH 64

static void make_uuid(uint8_t u[16])
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

    if (fd < 0 || read(fd, u, 16) != 16) {
        for (int i = 0; i < 16; i++)
            u[i] = (uint8_t)rand();
    }
    if (fd >= 0)
        close(fd);
    u[6] = (uint8_t)((u[6] & 0x0f) | 0x40);     /* version 4 */
    u[8] = (uint8_t)((u[8] & 0x3f) | 0x80);     /* RFC 4122 variant */
}

int dom_create(struct tk *tk, struct dom_config *dc, struct build_result *b)
{
    uint32_t other = dstore_lookup(tk, dc->name);
    long rc;

    if (other != DSTORE_NO_DOMID)
        return tk_fail(tk, "checking the name", "a domain named '%s' already exists (domid "
                       "%u)", dc->name, other);
    if (!dc->has_uuid) {
        make_uuid(dc->uuid);
        dc->has_uuid = 1;
    }
    if (build_domain(tk, dc, b))
        return -1;
    if (dstore_create(tk, dc, b))
        goto out_destroy;
    rc = hvc_simple(tk->hv, XEN_DOMCTL_unpausedomain, b->domid);
    if (rc) {
        tk_hvfail(tk, "unpausing the new domain", rc);
        goto out_destroy;
    }
    return 0;

out_destroy: {
        char saved[sizeof(tk->err)];

        memcpy(saved, tk->err, sizeof(saved));
        dom_destroy(tk, b->domid);
        memcpy(tk->err, saved, sizeof(saved));
        return -1;
    }
}

int dom_destroy(struct tk *tk, uint32_t domid)
{
    long rc;
    int store_rc;

    if (domid == 0)
        return tk_fail(tk, "destroying domain", "Domain-0 cannot be destroyed");
    rc = hvc_simple(tk->hv, XEN_DOMCTL_destroydomain, domid);
    if (rc == -XEN_ESRCH)
        return tk_fail(tk, "destroying domain", "no domain %u", domid);
    store_rc = dstore_destroy(tk, domid);
    if (rc)
        return tk_hvfail(tk, "destroying domain", rc);
    return store_rc;
}

int dom_pause(struct tk *tk, uint32_t domid, int pause)
{
    long rc = hvc_simple(tk->hv, pause ? XEN_DOMCTL_pausedomain : XEN_DOMCTL_unpausedomain,
                         domid);

    return rc ? tk_hvfail(tk, pause ? "pausing domain" : "unpausing domain", rc) : 0;
}

int dom_shutdown(struct tk *tk, uint32_t domid, int reboot)
{
    struct xen_domctl_getdomaininfo info;
    long rc = hvc_getinfo(tk->hv, domid, &info);

    if (rc)
        return tk_hvfail(tk, reboot ? "rebooting domain" : "shutting down domain", rc);
    if (domid == 0)
        return tk_fail(tk, "shutting down domain", "Domain-0 shuts down from its own shell");
    return dstore_request(tk, domid, reboot ? "reboot" : "poweroff");
}

static const char *const reasons[] = { "poweroff", "reboot", "suspend", "crash", "watchdog",
                                       "soft_reset" };

const char *dom_reason_name(unsigned int reason)
{
    return reason <= SHUTDOWN_MAX ? reasons[reason] : "unknown";
}

static void fill(struct tk *tk, const struct xen_domctl_getdomaininfo *i, struct dom_info *o)
{
    unsigned int reason = (i->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    int shut = !!(i->flags & XEN_DOMINF_shutdown);
    char *name = dstore_name(tk, i->domain);

    memset(o, 0, sizeof(*o));
    o->domid = i->domain;
    snprintf(o->name, sizeof(o->name), "%s", name ? name : "(null)");
    free(name);
    snprintf(o->state, sizeof(o->state), "%c%c%c%c%c%c",
             i->flags & XEN_DOMINF_running ? 'r' : '-',
             i->flags & XEN_DOMINF_blocked ? 'b' : '-',
             i->flags & XEN_DOMINF_paused ? 'p' : '-',
             shut && reason != SHUTDOWN_crash ? 's' : '-',
             shut && reason == SHUTDOWN_crash ? 'c' : '-',
             i->flags & XEN_DOMINF_dying ? 'd' : '-');
    o->mem_kb = i->tot_pages * 4;
    o->max_kb = i->max_pages * 4;
    o->vcpus = i->nr_online_vcpus;
    o->max_vcpu_id = i->max_vcpu_id;
    o->cpu_s = (double)i->cpu_time / 1e9;
    o->shutdown_reason = shut ? reason : ~0u;
    memcpy(o->uuid, i->handle, 16);
}

int dom_list(struct tk *tk, uint32_t domid, struct dom_info **out, unsigned int *n)
{
    struct xen_domctl_getdomaininfo batch[LIST_BATCH];
    uint32_t next = 0;
    long got;

    *out = NULL;
    *n = 0;
    if (domid != ~0u) {
        *out = malloc(sizeof(**out));
        if (!*out)
            return tk_fail(tk, "listing domains", "out of memory");
        if (dom_info(tk, domid, *out)) {
            free(*out);
            *out = NULL;
            return -1;
        }
        *n = 1;
        return 0;
    }
    while ((got = hvc_list(tk->hv, next, batch, LIST_BATCH)) > 0) {
        struct dom_info *g = realloc(*out, (*n + (size_t)got) * sizeof(**out));

        if (!g)
            return tk_fail(tk, "listing domains", "out of memory");
        *out = g;
        for (long i = 0; i < got; i++)
            fill(tk, &batch[i], &(*out)[(*n)++]);
        next = batch[got - 1].domain + 1u;
    }
    if (got < 0) {
        free(*out);
        *out = NULL;
        return tk_hvfail(tk, "listing domains", got);
    }
    return 0;
}

int dom_info(struct tk *tk, uint32_t domid, struct dom_info *out)
{
    struct xen_domctl_getdomaininfo i;
    long rc = hvc_getinfo(tk->hv, domid, &i);

    if (rc == -XEN_ESRCH)
        return tk_fail(tk, "looking up domain", "no domain %u", domid);
    if (rc)
        return tk_hvfail(tk, "looking up domain", rc);
    fill(tk, &i, out);
    return 0;
}

int dom_resolve(struct tk *tk, const char *arg, uint32_t *domid)
{
    *domid = dstore_lookup(tk, arg);
    if (*domid == DSTORE_NO_DOMID)
        return tk_fail(tk, "looking up domain", "'%s' is not a domain name or id", arg);
    return 0;
}

int dom_credit(struct tk *tk, uint32_t domid, int set, unsigned int *weight, unsigned int *cap)
{
    unsigned int w = 0, c = 0;
    long rc;

    if (set) {
        rc = hvc_credit(tk->hv, domid, false, &w, &c);
        if (!rc) {
            w = *weight ? *weight : w;
            c = *cap != ~0u ? *cap : c;
            rc = hvc_credit(tk->hv, domid, true, &w, &c);
        }
    } else {
        rc = hvc_credit(tk->hv, domid, false, weight, cap);
    }
    return rc ? tk_hvfail(tk, set ? "setting credit parameters" : "reading credit parameters",
                          rc) : 0;
}
