/* SPDX-License-Identifier: GPL-2.0-only */
/* xl.cfg syntax (cfg.c), its interpretation (dcfg.c) and device specs (spec.c). */
#include <malloc.h>

#include "unit.h"
#include "dcfg.h"

static char err[512];
static char warns[2048];

static void collect(void *ctx, const char *msg)
{
    strncat(warns, msg, sizeof(warns) - strlen(warns) - 2);
    strcat(warns, "\n");
}

static int parse(const char *text, struct cfg *c)
{
    err[0] = '\0';
    return cfg_parse("t.cfg", text, strlen(text), c, err, sizeof(err));
}

static int dom(const char *text, struct dom_config *dc)
{
    struct cfg c;
    int rc;

    warns[0] = '\0';
    if (parse(text, &c))
        return -2;
    rc = dcfg_from_cfg(&c, dc, collect, NULL, err, sizeof(err));
    cfg_free(&c);
    return rc;
}

#define BASE "name=\"g\"\ntype=\"pvh\"\nkernel=\"/k\"\n"

TEST(cfg_values_of_every_kind)
{
    struct cfg c;

    CHECK_EQ(parse("# comment\na = \"s p\" # trailing\nb=42; c = 'q'\nd = [ \"x\",\n  3,\n ]\n"
                   "e = 0x10\nf = -5\n", &c), 0);
    CHECK_EQ(c.n, 6);
    CHECK_STR(cfg_get(&c, "a")->v.str, "s p");
    CHECK_EQ(cfg_get(&c, "b")->v.num, 42);
    CHECK_STR(cfg_get(&c, "c")->v.str, "q");
    CHECK_EQ(cfg_get(&c, "d")->v.type, CFG_LIST);
    CHECK_EQ(cfg_get(&c, "d")->v.n, 2);
    CHECK_STR(cfg_get(&c, "d")->v.items[0].str, "x");
    CHECK_EQ(cfg_get(&c, "d")->v.items[1].num, 3);
    CHECK_EQ(cfg_get(&c, "d")->v.items[1].line, 5);
    CHECK_EQ(cfg_get(&c, "e")->v.num, 16);
    CHECK_EQ(cfg_get(&c, "f")->v.num, -5);
    CHECK_EQ(cfg_get(&c, "f")->line, 8);
    cfg_free(&c);
}

TEST(cfg_escapes_continuation_and_last_assignment_wins)
{
    struct cfg c;

    CHECK_EQ(parse("a = \"x\\\"y\\\\z\\n\"\nb = \\\n 7\na = 'again'\n", &c), 0);
    CHECK_STR(cfg_get(&c, "a")->v.str, "again");
    CHECK_EQ(cfg_get(&c, "a")->line, 4);
    CHECK_EQ(cfg_get(&c, "b")->v.num, 7);
    cfg_free(&c);
    CHECK_EQ(parse("a = \"x\\\"y\"", &c), 0);
    CHECK_STR(cfg_get(&c, "a")->v.str, "x\"y");
    cfg_free(&c);
}

TEST(cfg_errors_name_file_line_and_reason)
{
    struct cfg c;
    static const struct { const char *text, *want; } cases[] = {
        { "a = 1\nb 2\n", "t.cfg:2: expected '=' after 'b'" },
        { "a = \"open\n", "t.cfg:1: string not closed before end of line" },
        { "a = \"open", "t.cfg:1: string not closed before end of file" },
        { "a = [1, 2\n", "t.cfg:2: list not closed with ']'" },
        { "a = [[1]]\n", "t.cfg:1: lists cannot be nested" },
        { "a = [1 2]\n", "t.cfg:1: expected ',' or ']' in list" },
        { "a = bare\n", "t.cfg:1: unexpected 'b' where a value should be (strings need quotes)" },
        { "a = 12abc\n", "t.cfg:1: '12abc' is not a number (strings need quotes)" },
        { "a = 99999999999999999999\n", "t.cfg:1: '99999999999999999999' is not a number" },
        { "a =\n", "t.cfg:1: value missing" },
        { "\n\n= 3\n", "t.cfg:3: expected a key name, found '='" },
        { "a = 1 2\n", "t.cfg:1: unexpected '2' after the value of 'a'" },
        { "a = \"\\q\"\n", "t.cfg:1: unknown escape '\\q' in string" },
    };

    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_EQ(parse(cases[i].text, &c), -1);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)))
            fprintf(stderr, "case %u: got '%s'\n", i, err);
        CHECK(!strncmp(err, cases[i].want, strlen(cases[i].want)));
    }
}

TEST(cfg_refuses_nul_bytes_and_huge_lists)
{
    struct cfg c;
    char *big = malloc(CFG_MAX_ITEMS * 3 + 16);
    char *p = big;

    CHECK_EQ(cfg_parse("t.cfg", "a = 1\0", 6, &c, err, sizeof(err)), -1);
    CHECK_STR(err, "t.cfg:1: NUL byte in file");
    p += sprintf(p, "a = [");
    for (unsigned int i = 0; i <= CFG_MAX_ITEMS; i++)
        p += sprintf(p, "1,");
    strcpy(p, "]");
    CHECK_EQ(parse(big, &c), -1);
    CHECK(strstr(err, "list longer than 1024 items"));
    free(big);
}

/* 1000 short strings in a 1 MiB file: each costs its own size. The lexer
 * once allocated the whole rest of the file per string (~500 MiB here). */
TEST(cfg_strings_cost_their_length_not_the_rest_of_the_file)
{
    size_t len = CFG_MAX_TEXT - 1, n = 0;
    char *text = malloc(len + 1);
    size_t total = 0;
    struct cfg c;

    for (int i = 0; i < 1000; i++)
        n += (size_t)sprintf(text + n, "k%d = \"v\\\"%d\"\n", i, i);
    memset(text + n, '#', len - n);     /* one long comment fills the file */
    text[len] = '\0';
    err[0] = '\0';
    CHECK_EQ(cfg_parse("t.cfg", text, len, &c, err, sizeof(err)), 0);
    CHECK_EQ(c.n, 1000);
    CHECK_STR(cfg_get(&c, "k999")->v.str, "v\"999");
    for (unsigned int i = 0; i < c.n; i++)
        total += malloc_usable_size(c.e[i].v.str);
    CHECK(total < 1000 * 32);
    cfg_free(&c);
    free(text);
}

TEST(cfg_load_missing_file_says_so)
{
    struct cfg c;

    CHECK_EQ(cfg_load("/nonexistent/x.cfg", &c, err, sizeof(err)), -1);
    CHECK_STR(err, "/nonexistent/x.cfg: cannot open: No such file or directory");
}

TEST(dcfg_full_config)
{
    struct dom_config dc;
    char u[37];

    CHECK_EQ(dom(BASE "ramdisk=\"/r\"\nmemory=256\nmaxmem=512\nvcpus=2\nmaxvcpus=4\n"
                 "root=\"/dev/xvda1 ro\"\nextra=\"console=hvc0\"\non_poweroff=\"preserve\"\n"
                 "on_reboot=\"rename-restart\"\non_crash=\"restart\"\n"
                 "uuid=\"01234567-89ab-cdef-0123-456789ABCDEF\"\n"
                 "disk=[\"phy:/dev/vg/g,xvda,w\", \"format=qcow2,vdev=xvdb,access=ro,"
                 "target=/img/b.qcow2\"]\nvif=[\"mac=00:16:3e:01:02:03,bridge=xenbr0\", \"\"]\n",
                 &dc), 0);
    CHECK_STR(dc.name, "g");
    CHECK_STR(dc.kernel, "/k");
    CHECK_STR(dc.ramdisk, "/r");
    CHECK_STR(dc.cmdline, "root=/dev/xvda1 ro console=hvc0");
    CHECK_EQ(dc.memory_mb, 256);
    CHECK_EQ(dc.maxmem_mb, 512);
    CHECK_EQ(dc.vcpus, 2);
    CHECK_EQ(dc.maxvcpus, 4);
    CHECK_EQ(dc.on_poweroff, ACT_PRESERVE);
    CHECK_EQ(dc.on_reboot, ACT_RENAME_RESTART);
    CHECK_EQ(dc.on_crash, ACT_RESTART);
    CHECK(dc.has_uuid);
    dcfg_format_uuid(dc.uuid, u);
    CHECK_STR(u, "01234567-89ab-cdef-0123-456789abcdef");
    CHECK_EQ(dc.nr_disks, 2);
    CHECK_STR(dc.disks[0].target, "/dev/vg/g");
    CHECK_STR(dc.disks[0].backendtype, "phy");
    CHECK_STR(dc.disks[0].vdev, "xvda");
    CHECK_EQ(dc.disks[0].readonly, 0);
    CHECK_STR(dc.disks[1].format, "qcow2");
    CHECK_EQ(dc.disks[1].readonly, 1);
    CHECK_EQ(dc.nr_vifs, 2);
    CHECK_EQ(dc.vifs[0].mac[5], 3);
    CHECK_STR(dc.vifs[0].bridge, "xenbr0");
    CHECK_EQ(dc.vifs[1].has_mac, 0);
    CHECK_STR(warns, "");
    dcfg_free(&dc);
}

TEST(dcfg_defaults_like_xl)
{
    struct dom_config dc;

    CHECK_EQ(dom(BASE, &dc), 0);
    CHECK_EQ(dc.memory_mb, 128);
    CHECK_EQ(dc.maxmem_mb, 128);
    CHECK_EQ(dc.vcpus, 1);
    CHECK_EQ(dc.on_poweroff, ACT_DESTROY);
    CHECK_EQ(dc.on_reboot, ACT_RESTART);
    CHECK_EQ(dc.on_crash, ACT_DESTROY);
    CHECK_STR(dc.cmdline, "");
    CHECK(!dc.ramdisk);
    dcfg_free(&dc);
}

TEST(dcfg_unknown_keys_and_ignored_root_are_warned)
{
    struct dom_config dc;

    CHECK_EQ(dom(BASE "cmdline=\"a b\"\nroot=\"/dev/x\"\nbogus=1\nvfb=[\"vnc=1\"]\n", &dc), 0);
    CHECK_STR(dc.cmdline, "a b");
    CHECK_STR(warns, "t.cfg:4: warning: cmdline given: root and extra ignored\n"
                     "t.cfg:6: warning: unknown key 'bogus' ignored\n"
                     "t.cfg:7: warning: unknown key 'vfb' ignored\n");
    dcfg_free(&dc);
}

TEST(dcfg_errors_name_the_line_and_reason)
{
    static const struct { const char *text, *want; } cases[] = {
        { "type=\"pvh\"\nkernel=\"/k\"\n", "t.cfg:1: name is missing" },
        { "name=\"a/b\"\n", "t.cfg:1: name \"a/b\" contains '/'" },
        { "name=\"123\"\n", "t.cfg:1: name \"123\" is all digits" },
        { "name=\"\"\n", "t.cfg:1: name must be 1..63 characters" },
        { "name=5\n", "t.cfg:1: name must be a quoted string" },
        { "name=\"g\"\nkernel=\"/k\"\n", "t.cfg:1: type is missing" },
        { "name=\"g\"\ntype=\"pv\"\n", "t.cfg:2: type = \"pv\" is not supported" },
        { "name=\"g\"\ntype=\"pvh\"\n", "t.cfg:1: kernel is missing" },
        { BASE "memory=\"512\"\n", "t.cfg:4: memory must be a number (no quotes)" },
        { BASE "memory=0\n", "t.cfg:4: memory = 0 is out of range 1..4194304" },
        { BASE "memory=512\nmaxmem=256\n", "t.cfg:5: maxmem (256 MiB) is below memory (512 MiB)" },
        { BASE "vcpus=129\n", "t.cfg:4: vcpus = 129 is out of range 1..128" },
        { BASE "vcpus=4\nmaxvcpus=2\n", "t.cfg:5: maxvcpus (2) is below vcpus (4)" },
        { BASE "on_crash=\"explode\"\n", "t.cfg:4: on_crash = \"explode\" is not one of" },
        { BASE "on_reboot=\"coredump-restart\"\n", "t.cfg:4: on_reboot = \"coredump-restart\": "
          "core dumps are not supported" },
        { BASE "uuid=\"xyz\"\n", "t.cfg:4: uuid \"xyz\" is not" },
        { BASE "disk=\"xvda\"\n", "t.cfg:4: disk must be a list" },
        { BASE "disk=[\n\"/img,raw\"]\n", "t.cfg:5: disk entry 0: disk '/img,raw' names no vdev" },
        { BASE "disk=[\"/a,xvda\",\"/b,xvda\"]\n", "t.cfg:4: disk entry 1: vdev xvda used twice" },
        { BASE "disk=[\"/a,xvda,format=vmdk\"]\n", "t.cfg:4: disk entry 0: format 'vmdk' unknown" },
        { BASE "disk=[\"/a,vdev=floppy\"]\n", "t.cfg:4: disk entry 0: vdev 'floppy' is not" },
        { BASE "disk=[\"/a,/b,xvda\"]\n", "t.cfg:4: disk entry 0: unexpected '/b'" },
        { BASE "disk=[\"/a,xvda,color=red\"]\n", "t.cfg:4: disk entry 0: unknown disk parameter" },
        { BASE "disk=[\"/a,xvda,access=x\"]\n", "t.cfg:4: disk entry 0: access 'x' unknown" },
        { BASE "disk=[3]\n", "t.cfg:4: disk entry 0 must be a quoted spec string" },
        { BASE "vif=[\"mac=00:16:3e:zz:00:00\"]\n", "t.cfg:4: vif entry 0: mac" },
        { BASE "vif=[\"mac=01:00:00:00:00:00\"]\n", "t.cfg:4: vif entry 0: mac given is a multicast" },
        { BASE "vif=[\"bridge\"]\n", "t.cfg:4: vif entry 0: vif parameter 'bridge' is not key=value" },
        { BASE "vif=[\"speed=fast\"]\n", "t.cfg:4: vif entry 0: unknown vif parameter 'speed'" },
        { BASE "vif=[\"mtu=20\"]\n", "t.cfg:4: vif entry 0: mtu '20' not a number" },
        { BASE "vif=[\"type=tap\"]\n", "t.cfg:4: vif entry 0: vif type 'tap' unknown" },
        { BASE "kernel=\"\"\n", "t.cfg:4: kernel is empty" },
    };
    struct dom_config dc;

    for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CHECK_EQ(dom(cases[i].text, &dc), -1);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)))
            fprintf(stderr, "case %u: got '%s'\n", i, err);
        CHECK(!strncmp(err, cases[i].want, strlen(cases[i].want)));
    }
}

TEST(spec_disk_forms)
{
    struct disk_spec d;
    char why[256];

    CHECK_EQ(spec_disk("/img/a.raw,raw,xvda,rw", &d, why, sizeof(why)), 0);
    CHECK_STR(d.target, "/img/a.raw");
    CHECK_STR(d.vdev, "xvda");
    CHECK_EQ(spec_disk(",,hdc,r,devtype=cdrom", &d, why, sizeof(why)), 0);
    CHECK_STR(d.devtype, "cdrom");
    CHECK_EQ(d.readonly, 1);
    CHECK_EQ(spec_disk("/a,xvda", &d, why, sizeof(why)), 0);
    CHECK_STR(d.format, "raw");
    CHECK_EQ(spec_disk("xvda", &d, why, sizeof(why)), -1);
    CHECK(strstr(why, "has no target"));
}

TEST(uuid_parse_rejects_bad_text)
{
    uint8_t u[16];

    CHECK_EQ(dcfg_parse_uuid("01234567-89ab-cdef-0123-456789abcdef", u), 0);
    CHECK_EQ(u[0], 0x01);
    CHECK_EQ(u[15], 0xef);
    CHECK_EQ(dcfg_parse_uuid("0123456789ab-cdef-0123-456789abcdef0", u), -1);
    CHECK_EQ(dcfg_parse_uuid("01234567-89ab-cdef-0123-456789abcdeg", u), -1);
    CHECK_EQ(dcfg_parse_uuid("", u), -1);
}
