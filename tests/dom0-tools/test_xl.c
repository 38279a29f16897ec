/* SPDX-License-Identifier: GPL-2.0-only */
/* The xl command line (xl_cmd.c, xl_json.c) run in-process over the fake hypervisor. */
#include <yajl/yajl_tree.h>
#include "unit.h"
#include "harness.h"
#include "xl.h"

static struct h H;
static char *out_buf, *err_buf;
static size_t out_len, err_len;

static int xl(const char *line)
{
    char copy[1024], *argv[32], *save = NULL;
    int argc = 0, rc;
    struct xl_env e;

    free(out_buf);
    free(err_buf);
    e = (struct xl_env){ &H.tk, open_memstream(&out_buf, &out_len),
                         open_memstream(&err_buf, &err_len), H.dir, 1 };
    snprintf(copy, sizeof(copy), "xl %s", line);
    for (char *t = strtok_r(copy, " ", &save); t && argc < 31; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    rc = xl_main(&e, argc, argv);
    fclose(e.out);
    fclose(e.err);
    return rc;
}

static const char *cfg_file(const char *text)
{
    size_t len;
    unsigned char *e = h_elf(&len, 1);
    char full[2048];

    h_write_file(h_path(&H, "vmlinux"), e, len);
    free(e);
    snprintf(full, sizeof(full), "name=\"g\"\ntype=\"pvh\"\nkernel=\"%s\"\nmemory=32\n%s",
             h_path(&H, "vmlinux"), text);
    h_write_file(h_path(&H, "g.cfg"), full, strlen(full));
    return h_path(&H, "g.cfg");
}

static int xlf(const char *fmt, const char *arg)
{
    char line[512];

    snprintf(line, sizeof(line), fmt, arg);
    return xl(line);
}

TEST(xl_create_list_and_destroy)
{
    h_up(&H);
    CHECK_EQ(xlf("create %s vcpus=2", cfg_file("bogus=1\n")), 0);
    CHECK(strstr(err_buf, "Parsing config from "));
    CHECK(strstr(err_buf, "g.cfg:5: warning: unknown key 'bogus' ignored"));
    CHECK(strstr(err_buf, "Started domain g (id=1)"));
    CHECK_EQ(xl("list"), 0);
    CHECK(!strncmp(out_buf, "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"
                            "Domain-0                                     0 ", 120));
    CHECK(strstr(out_buf, "\ng                                            1    32     1     "));
    CHECK_EQ(xl("list g"), 0);
    CHECK(!strstr(out_buf, "Domain-0"));
    CHECK_EQ(xl("domid g"), 0);
    CHECK_STR(out_buf, "1\n");
    CHECK_EQ(xl("domname 1"), 0);
    CHECK_STR(out_buf, "g\n");
    CHECK_EQ(xl("pause g"), 0);
    CHECK_EQ(xl("list 1"), 0);
    CHECK(strstr(out_buf, "--p---"));
    CHECK_EQ(xl("unpause 1"), 0);
    CHECK_EQ(xl("destroy g"), 0);
    CHECK_EQ(xl("domid g"), 1);
    CHECK_STR(err_buf, "xl domid: no domain named 'g'\n");
    CHECK_EQ(fake_hv_domains(), 1);
    h_down(&H);
}

TEST(xl_list_l_is_json)
{
    yajl_val v, d;
    char ebuf[128];
    const char *name[] = { "config", "c_info", "name", NULL };
    const char *mem[] = { "config", "b_info", "target_memkb", NULL };
    const char *domid[] = { "domid", NULL };

    h_up(&H);
    CHECK_EQ(xlf("create %s", cfg_file("")), 0);
    CHECK_EQ(xl("list -l"), 0);
    v = yajl_tree_parse(out_buf, ebuf, sizeof(ebuf));
    CHECK(v && YAJL_IS_ARRAY(v));
    CHECK_EQ(v->u.array.len, 2);
    d = v->u.array.values[1];
    CHECK_EQ(YAJL_GET_INTEGER(yajl_tree_get(d, domid, yajl_t_number)), 1);
    CHECK_STR(YAJL_GET_STRING(yajl_tree_get(d, name, yajl_t_string)), "g");
    CHECK_EQ(YAJL_GET_INTEGER(yajl_tree_get(d, mem, yajl_t_number)), (32 * 256 + 2) * 4);
    yajl_tree_free(v);
    h_down(&H);
}

TEST(xl_errors_are_sentences)
{
    h_up(&H);
    CHECK_EQ(xlf("create %s", cfg_file("memory=\"lots\"\n")), 1);
    CHECK(strstr(err_buf, "xl create: "));
    CHECK(strstr(err_buf, "g.cfg:5: memory must be a number (no quotes)"));
    CHECK_EQ(xl("create /nonexistent.cfg"), 1);
    CHECK(strstr(err_buf, "xl create: /nonexistent.cfg: cannot open: No such file"));
    CHECK_EQ(xlf("create %s", cfg_file("memory=2048\n")), 1);
    CHECK(strstr(err_buf, "xl create: populating memory: the hypervisor gave only part"));
    CHECK_EQ(fake_hv_domains(), 1);
    CHECK_EQ(xl("destroy nobody"), 1);
    CHECK_STR(err_buf, "xl destroy: looking up domain: 'nobody' is not a domain name or id\n");
    CHECK_EQ(xl("destroy 0"), 1);
    CHECK_STR(err_buf, "xl destroy: destroying domain: Domain-0 cannot be destroyed\n");
    CHECK_EQ(xl("pause"), 2);
    CHECK_STR(err_buf, "usage: xl pause <domain>\n");
    CHECK_EQ(xl("frobnicate"), 2);
    CHECK_STR(err_buf, "xl: unknown command 'frobnicate' (xl help lists them)\n");
    CHECK_EQ(xl("dmesg"), 1);
    CHECK(strstr(err_buf, "xl dmesg: reading the hypervisor console: hypervisor refused: "
                          "not implemented by this hypervisor (ENOSYS, -38)"));
    CHECK_EQ(xl("console 0"), 1);
    CHECK(strstr(err_buf, "xl console: connecting to "));
    CHECK(strstr(err_buf, "console-0.sock: No such file or directory (is consoled running?)"));
    CHECK_EQ(xl("sched-credit -d 0 -w 0"), 2);
    CHECK_STR(err_buf, "xl sched-credit: weight '0' is not a number in 1..65535\n");
    CHECK_EQ(xl("domname x"), 1);
    h_down(&H);
}

TEST(xl_create_dry_run_builds_nothing)
{
    h_up(&H);
    CHECK_EQ(xlf("create -n %s", cfg_file("")), 0);
    CHECK_EQ(fake_hv_domains(), 1);
    h_down(&H);
}

/* xl info's free_memory in MiB. */
static long free_mib(void)
{
    const char *p;

    if (xl("info"))
        return -1;
    p = strstr(out_buf, "free_memory            : ");
    return p ? strtol(p + 25, NULL, 10) : -1;
}

TEST(xl_shutdown_reboot_sched_vcpu_info)
{
    long free_before;

    h_up(&H);
    CHECK_EQ(xlf("create %s", cfg_file("vcpus=2\n")), 0);
    CHECK_EQ(xl("shutdown g"), 0);
    CHECK_STR(h_read(&H, "/local/domain/1/control/shutdown"), "poweroff");
    CHECK_EQ(xl("reboot 1"), 0);
    CHECK_STR(h_read(&H, "/local/domain/1/control/shutdown"), "reboot");
    CHECK_EQ(fake_hv_guest_shutdown(1, 0), 0);
    CHECK_EQ(xl("shutdown -w g"), 0);           /* already down: returns at once */
    CHECK_STR(err_buf, "Waiting for 1 domains\nDomain 1 has been shut down, reason code 0\n");
    CHECK_EQ(xl("pause -w g"), 2);
    CHECK_STR(err_buf, "usage: xl pause <domain>\n");
    CHECK_EQ(xl("sched-credit -d g -w 512 -c 25"), 0);
    CHECK_EQ(xl("sched-credit -d g"), 0);
    CHECK_STR(out_buf, "Name                                ID Weight  Cap\n"
                       "g                                    1    512   25\n");
    CHECK_EQ(xl("vcpu-list g"), 0);
    CHECK(!strncmp(out_buf, "Name                                ID  VCPU   CPU State   Time(s) "
                            "Affinity (Hard / Soft)\ng                                    1     0    ",
                   133));
    /* vCPU 1 has no context yet: offline, as xl shows it */
    CHECK(strstr(out_buf, "\ng                                    1     1    -   --p       0.0  all / all\n"));
    CHECK_EQ(xl("info"), 0);
    CHECK(strstr(out_buf, "xen_scheduler          : credit\n"));
    CHECK(strstr(out_buf, "xen_pagesize           : 4096\n"));
    /* host figures from physinfo; free memory follows the domains' pages */
    CHECK(strstr(out_buf, "nr_cpus                : 2\n"));
    CHECK(strstr(out_buf, "cpu_mhz                : 2000.000\n"));
    CHECK(strstr(out_buf, "virt_caps              : hvm hap gnttab-v1\n"));
    CHECK(strstr(out_buf, "total_memory           : 1024\n"));
    CHECK(free_mib() <= 1024 - 32);
    free_before = free_mib();
    CHECK_EQ(xl("destroy g"), 0);
    CHECK(free_mib() >= free_before + 32);
    h_down(&H);
}
