/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl's commands (see xl.h): argument parsing and output formats follow xl;
 * each error is printed as "xl <command>: <step>: <reason>".
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl.h"
#include "dstore.h"
#include "hvc.h"
#include "mon.h"
#include "sched.h"
#include "version.h"
#include "xs_client.h"

struct cmd {
    const char *name;
    int (*fn)(struct xl_env *e, int argc, char **argv);
    const char *usage;
};

static int fail(struct xl_env *e, const char *cmd)
{
    fprintf(e->err, "xl %s: %s\n", cmd, e->tk->err);
    return 1;
}

static int usage(struct xl_env *e, const char *cmd, const char *u)
{
    fprintf(e->err, "usage: xl %s %s\n", cmd, u);
    return 2;
}

/* One domain argument (name or id) after the options. */
static int one_dom(struct xl_env *e, int argc, char **argv, const char *u, uint32_t *domid)
{
    if (optind != argc - 1)
        return usage(e, argv[0], u);
    return dom_resolve(e->tk, argv[optind], domid) ? fail(e, argv[0]) : 0;
}

/* getopt with its state reset once per command by xl_main. */
static int opts(int argc, char **argv, const char *spec)
{
    return getopt(argc, argv, spec);
}

static void warn_to(void *ctx, const char *msg)
{
    fprintf(ctx, "%s\n", msg);
}

/* The config file plus key=value arguments appended as extra lines. */
static int load_config(struct xl_env *e, const char *file, int nextra, char **extra,
                       struct dom_config *dc)
{
    char err[1024];
    struct cfg c;
    FILE *f = fopen(file, "r");
    char *text = malloc(CFG_MAX_TEXT + 1);
    size_t n = 0;
    int rc;

    if (!f || !text) {
        fprintf(e->err, "xl create: %s: cannot open: %s\n", file, strerror(errno));
        if (f)
            fclose(f);
        free(text);
        return -1;
    }
    n = fread(text, 1, CFG_MAX_TEXT, f);
    fclose(f);
    for (int i = 0; i < nextra && n < CFG_MAX_TEXT; i++)
        n += (size_t)snprintf(text + n, CFG_MAX_TEXT + 1 - n, "\n%s", extra[i]);
    rc = cfg_parse(file, text, n, &c, err, sizeof(err));
    free(text);
    if (!rc) {
        rc = dcfg_from_cfg(&c, dc, warn_to, e->err, err, sizeof(err));
        cfg_free(&c);
    }
    if (rc)
        fprintf(e->err, "xl create: %s\n", err);
    return rc;
}

static int monitor(struct xl_env *e, struct dom_config *dc, uint32_t domid)
{
    pid_t pid;

    if (e->no_fork)
        return 0;
    pid = fork();
    if (pid < 0) {
        fprintf(e->err, "xl create: cannot start the domain monitor: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        struct tk child = *e->tk;

        setsid();
        child.xs = xs_open(0);
        if (!child.xs || mon_run(&child, dc, domid))
            fprintf(stderr, "xl monitor of %s: %s\n", dc->name, child.err);
        _exit(0);
    }
    return 0;
}

static int cmd_create(struct xl_env *e, int argc, char **argv)
{
    struct dom_config dc;
    struct build_result b;
    int c, console = 0, dry = 0, rc;

    while ((c = opts(argc, argv, "+cneF")) != -1) {
        if (c == 'c')
            console = 1;
        else if (c == 'n')
            dry = 1;
        else if (c == 'e' || c == 'F')
            e->no_fork = 1;
        else
            return usage(e, "create", "[-c] [-n] [-e] <config file> [key=value ...]");
    }
    if (optind >= argc)
        return usage(e, "create", "[-c] [-n] [-e] <config file> [key=value ...]");
    fprintf(e->err, "Parsing config from %s\n", argv[optind]);
    if (load_config(e, argv[optind], argc - optind - 1, argv + optind + 1, &dc))
        return 1;
    if (dry) {
        dcfg_free(&dc);
        return 0;
    }
    if (dom_create(e->tk, &dc, &b)) {
        dcfg_free(&dc);
        return fail(e, "create");
    }
    fprintf(e->err, "Started domain %s (id=%u)\n", dc.name, b.domid);
    rc = monitor(e, &dc, b.domid);
    if (!rc && console)
        rc = xl_console_attach(e, b.domid, 5000);
    dcfg_free(&dc);
    return rc;
}

static void list_line(FILE *o, const struct dom_info *d)
{
    fprintf(o, "%-40s %5u %5llu %5u     %s  %8.1f\n", d->name, d->domid,
            (unsigned long long)(d->mem_kb / 1024), d->vcpus, d->state, d->cpu_s);
}

static int cmd_list(struct xl_env *e, int argc, char **argv)
{
    struct dom_info *l;
    unsigned int n;
    int c, json = 0, rc = 0;
    uint32_t one = ~0u;

    while ((c = opts(argc, argv, "l")) != -1) {
        if (c != 'l')
            return usage(e, "list", "[-l] [domain]");
        json = 1;
    }
    if (optind < argc && dom_resolve(e->tk, argv[optind], &one))
        return fail(e, "list");
    if (dom_list(e->tk, one, &l, &n))
        return fail(e, "list");
    if (json) {
        rc = xl_json_list(e, l, n);
    } else {
        fprintf(e->out, "Name                                        ID   Mem VCPUs\tState\tTime(s)\n");
        for (unsigned int i = 0; i < n; i++)
            list_line(e->out, &l[i]);
    }
    free(l);
    return rc;
}

/* shutdown/reboot -w: until the domain is shut down or gone, saying which
 * as xl does. */
static int wait_down(struct xl_env *e, uint32_t d, int seconds)
{
    fprintf(e->err, "Waiting for 1 domains\n");
    for (int i = 0; i < seconds * 10; i++) {
        struct xen_domctl_getdomaininfo info;
        long rc = hvc_getinfo(e->tk->hv, d, &info);

        if (rc) {
            fprintf(e->err, "Domain %u has been destroyed.\n", d);
            return 0;
        }
        if (info.flags & XEN_DOMINF_shutdown) {
            fprintf(e->err, "Domain %u has been shut down, reason code %u\n", d,
                    (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask);
            return 0;
        }
        usleep(100000);
    }
    tk_fail(e->tk, "waiting for the domain", "domain %u still running after %d s", d, seconds);
    return -1;
}

static int simple(struct xl_env *e, int argc, char **argv, int what)
{
    uint32_t d;
    int rc, c, wait = 0;

    while ((c = opts(argc, argv, "w")) != -1) {
        if (c != 'w' || what < 3)
            return usage(e, argv[0], what < 3 ? "<domain>" : "[-w] <domain>");
        wait = 1;
    }
    if ((rc = one_dom(e, argc, argv, what < 3 ? "<domain>" : "[-w] <domain>", &d)))
        return rc;
    switch (what) {
    case 0: rc = dom_destroy(e->tk, d); break;
    case 1: rc = dom_pause(e->tk, d, 1); break;
    case 2: rc = dom_pause(e->tk, d, 0); break;
    case 3: rc = dom_shutdown(e->tk, d, 0); break;
    default: rc = dom_shutdown(e->tk, d, 1); break;
    }
    if (!rc && wait)
        rc = wait_down(e, d, 60);
    return rc ? fail(e, argv[0]) : 0;
}

static int cmd_destroy(struct xl_env *e, int c, char **v) { return simple(e, c, v, 0); }
static int cmd_pause(struct xl_env *e, int c, char **v) { return simple(e, c, v, 1); }
static int cmd_unpause(struct xl_env *e, int c, char **v) { return simple(e, c, v, 2); }
static int cmd_shutdown(struct xl_env *e, int c, char **v) { return simple(e, c, v, 3); }
static int cmd_reboot(struct xl_env *e, int c, char **v) { return simple(e, c, v, 4); }

static int cmd_domid(struct xl_env *e, int argc, char **argv)
{
    uint32_t d;

    if (argc != 2)
        return usage(e, "domid", "<domain name>");
    d = dstore_lookup(e->tk, argv[1]);
    if (d == DSTORE_NO_DOMID || strspn(argv[1], "0123456789") == strlen(argv[1])) {
        fprintf(e->err, "xl domid: no domain named '%s'\n", argv[1]);
        return 1;
    }
    fprintf(e->out, "%u\n", d);
    return 0;
}

static int cmd_domname(struct xl_env *e, int argc, char **argv)
{
    char *end, *name;
    unsigned long d;

    if (argc != 2)
        return usage(e, "domname", "<domain id>");
    d = strtoul(argv[1], &end, 10);
    name = *argv[1] && !*end ? dstore_name(e->tk, (uint32_t)d) : NULL;
    if (!name) {
        fprintf(e->err, "xl domname: no domain with id '%s'\n", argv[1]);
        return 1;
    }
    fprintf(e->out, "%s\n", name);
    free(name);
    return 0;
}

static int vcpus_of(struct xl_env *e, const struct dom_info *d)
{
    for (unsigned int v = 0; d->max_vcpu_id != ~0u && v <= d->max_vcpu_id; v++) {
        struct xen_domctl_getvcpuinfo i;
        long rc = hvc_vcpu_info(e->tk->hv, d->domid, v, &i);

        if (rc)
            return tk_hvfail(e->tk, "reading vCPU state", rc);
        if (!i.online) {
            fprintf(e->out, "%-32s %5u %5u%5c %3c%cp %9.1f  all / all\n", d->name, d->domid,
                    v, '-', '-', '-', (double)i.cpu_time / 1e9);
            continue;
        }
        fprintf(e->out, "%-32s %5u %5u%5u %3c%c- %9.1f  all / all\n", d->name, d->domid, v,
                i.cpu, i.running ? 'r' : '-', i.blocked ? 'b' : '-',
                (double)i.cpu_time / 1e9);
    }
    return 0;
}

static int cmd_vcpu_list(struct xl_env *e, int argc, char **argv)
{
    struct dom_info *l;
    unsigned int n;
    uint32_t one = ~0u;
    int rc = 0;

    if (argc > 2)
        return usage(e, "vcpu-list", "[domain]");
    if (argc == 2 && dom_resolve(e->tk, argv[1], &one))
        return fail(e, "vcpu-list");
    if (dom_list(e->tk, one, &l, &n))
        return fail(e, "vcpu-list");
    fprintf(e->out, "Name                                ID  VCPU   CPU State   Time(s) "
                    "Affinity (Hard / Soft)\n");
    for (unsigned int i = 0; i < n && !rc; i++)
        rc = vcpus_of(e, &l[i]);
    free(l);
    return rc ? fail(e, "vcpu-list") : 0;
}

static int cmd_sched_credit(struct xl_env *e, int argc, char **argv)
{
    const char *u = "[-d <domain> [-w <weight>] [-c <cap>]]";
    unsigned int w = 0, cap = ~0u;
    struct dom_info *l;
    const char *dom = NULL;
    unsigned int n;
    int c, set = 0;
    uint32_t d;

    while ((c = opts(argc, argv, "d:w:c:")) != -1) {
        char *end = NULL;

        if (c == 'd') {
            dom = optarg;
            continue;
        }
        if (c != 'w' && c != 'c')
            return usage(e, "sched-credit", u);
        *(c == 'w' ? &w : &cap) = (unsigned int)strtoul(optarg, &end, 10);
        if (*end || !*optarg || (c == 'w' && (w < 1 || w > 65535)) || (c == 'c' && cap > 65535)) {
            fprintf(e->err, "xl sched-credit: %s '%s' is not a number in %s\n",
                    c == 'w' ? "weight" : "cap", optarg, c == 'w' ? "1..65535" : "0..65535");
            return 2;
        }
        set = 1;
    }
    if ((set && !dom) || optind != argc)
        return usage(e, "sched-credit", u);
    if (dom && dom_resolve(e->tk, dom, &d))
        return fail(e, "sched-credit");
    if (set)
        return dom_credit(e->tk, d, 1, &w, &cap) ? fail(e, "sched-credit") : 0;
    if (dom_list(e->tk, dom ? d : ~0u, &l, &n))
        return fail(e, "sched-credit");
    fprintf(e->out, "Name                                ID Weight  Cap\n");
    for (unsigned int i = 0; i < n; i++) {
        if (dom_credit(e->tk, l[i].domid, 0, &w, &cap)) {
            free(l);
            return fail(e, "sched-credit");
        }
        fprintf(e->out, "%-33s %4u %6u %4u\n", l[i].name, l[i].domid, w, cap);
    }
    free(l);
    return 0;
}

static int cmd_dmesg(struct xl_env *e, int argc, char **argv)
{
    char *buf = malloc(1 << 16);
    uint32_t len = 1 << 16;
    int c, clear = 0;
    long rc;

    while ((c = opts(argc, argv, "c")) != -1)
        clear = c == 'c' ? 1 : -1;
    if (clear < 0 || optind != argc || !buf) {
        free(buf);
        return usage(e, "dmesg", "[-c]");
    }
    memset(buf, 0, len);    /* fault the pages in: the hypervisor copies to them */
    rc = hvc_readconsole(e->tk->hv, buf, &len, clear);
    if (rc) {
        free(buf);
        tk_hvfail(e->tk, "reading the hypervisor console", rc);
        return fail(e, "dmesg");
    }
    fwrite(buf, 1, len, e->out);
    free(buf);
    return 0;
}

/* The host part of xl info, in xl's order and units (MiB, MHz). */
static int host_info(struct xl_env *e)
{
    static const struct { uint32_t bit; const char *name; } caps[] = {
        { XEN_SYSCTL_PHYSCAP_pv, "pv" }, { XEN_SYSCTL_PHYSCAP_hvm, "hvm" },
        { XEN_SYSCTL_PHYSCAP_hap, "hap" }, { XEN_SYSCTL_PHYSCAP_shadow, "shadow" },
        { XEN_SYSCTL_PHYSCAP_gnttab_v1, "gnttab-v1" },
        { XEN_SYSCTL_PHYSCAP_gnttab_v2, "gnttab-v2" },
    };
    struct xen_sysctl_physinfo pi;
    long rc = hvc_physinfo(e->tk->hv, &pi);

    if (rc)
        return tk_hvfail(e->tk, "reading host information", rc);
    fprintf(e->out, "nr_cpus                : %u\n", pi.nr_cpus);
    fprintf(e->out, "max_cpu_id             : %u\n", pi.max_cpu_id);
    fprintf(e->out, "nr_nodes               : %u\n", pi.nr_nodes);
    fprintf(e->out, "cores_per_socket       : %u\n", pi.cores_per_socket);
    fprintf(e->out, "threads_per_core       : %u\n", pi.threads_per_core);
    fprintf(e->out, "cpu_mhz                : %u.%03u\n", pi.cpu_khz / 1000, pi.cpu_khz % 1000);
    fprintf(e->out, "virt_caps              :");
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
        if (pi.capabilities & caps[i].bit)
            fprintf(e->out, " %s", caps[i].name);
    fprintf(e->out, "\n");
    /* pages to MiB as xl does: rounded down */
    fprintf(e->out, "total_memory           : %llu\n",
            (unsigned long long)(pi.total_pages / (1048576 / HV_PAGE_SIZE)));
    fprintf(e->out, "free_memory            : %llu\n",
            (unsigned long long)(pi.free_pages / (1048576 / HV_PAGE_SIZE)));
    return 0;
}

static int cmd_info(struct xl_env *e, int argc, char **argv)
{
    xen_extraversion_t extra = "";
    xen_capabilities_info_t caps = "";
    struct hv *h = e->tk->hv;
    long ver = hv_call(h, HVC_xen_version, XENVER_version, 0, 0);
    long page = hv_call(h, HVC_xen_version, XENVER_pagesize, 0, 0);
    uint32_t sched = 0;

    if (ver < 0) {
        tk_hvfail(e->tk, "reading the hypervisor version", ver);
        return fail(e, "info");
    }
    if (host_info(e))
        return fail(e, "info");
    hv_call(h, HVC_xen_version, XENVER_extraversion, (uintptr_t)extra, 0);
    hv_call(h, HVC_xen_version, XENVER_capabilities, (uintptr_t)caps, 0);
    hvc_sched_id(h, &sched);
    extra[sizeof(extra) - 1] = caps[sizeof(caps) - 1] = '\0';
    fprintf(e->out, "xen_major              : %ld\n", ver >> 16);
    fprintf(e->out, "xen_minor              : %ld\n", ver & 0xffff);
    fprintf(e->out, "xen_extra              : %s\n", extra);
    fprintf(e->out, "xen_version            : %ld.%ld%s\n", ver >> 16, ver & 0xffff, extra);
    fprintf(e->out, "xen_caps               : %s\n", caps);
    fprintf(e->out, "xen_scheduler          : %s\n", sched == XEN_SCHEDULER_CREDIT ? "credit"
                    : sched == XEN_SCHEDULER_CREDIT2 ? "credit2" : "unknown");
    fprintf(e->out, "xen_pagesize           : %ld\n", page);
    fprintf(e->out, "xl_toolstack           : xen-like dom0-tools\n");
    return 0;
}

static int cmd_console(struct xl_env *e, int argc, char **argv)
{
    uint32_t d;
    int c, rc;

    while ((c = opts(argc, argv, "t:n:")) != -1)
        if (c == '?' || (c == 't' && strcmp(optarg, "pv")))
            return usage(e, "console", "[-t pv] <domain>");
    if ((rc = one_dom(e, argc, argv, "[-t pv] <domain>", &d)))
        return rc;
    return xl_console_attach(e, d, 0);
}

static const struct cmd cmds[] = {
    { "create", cmd_create, "create a domain from a config file" },
    { "list", cmd_list, "list domains" },
    { "info", cmd_info, "hypervisor information" },
    { "destroy", cmd_destroy, "terminate a domain immediately" },
    { "shutdown", cmd_shutdown, "ask a domain to power off" },
    { "reboot", cmd_reboot, "ask a domain to reboot" },
    { "pause", cmd_pause, "pause a domain" },
    { "unpause", cmd_unpause, "unpause a paused domain" },
    { "console", cmd_console, "attach to a domain's console" },
    { "domid", cmd_domid, "domain name to id" },
    { "domname", cmd_domname, "domain id to name" },
    { "vcpu-list", cmd_vcpu_list, "list vCPUs" },
    { "sched-credit", cmd_sched_credit, "credit scheduler weight and cap" },
    { "dmesg", cmd_dmesg, "hypervisor console log" },
};

int xl_main(struct xl_env *e, int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "help")) {
        fprintf(e->err, "usage: xl <command> [args]\n");
        for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
            fprintf(e->err, " %-14s %s\n", cmds[i].name, cmds[i].usage);
        return 2;
    }
    optind = 0;         /* 0: glibc re-initialises getopt completely */
    opterr = 0;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (!strcmp(argv[1], cmds[i].name))
            return cmds[i].fn(e, argc - 1, argv + 1);
    fprintf(e->err, "xl: unknown command '%s' (xl help lists them)\n", argv[1]);
    return 2;
}
