/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the hypervisor command-line parser (runtime/cmdline.c). */
#include "unit.h"
#include "cmdline.h"

static bool flag, other;
static uint64_t num, size;
static char str[8];
static int custom_calls;

static int parse_mode(const char *v, void *var, const char **why)
{
    custom_calls++;
    if (!strcmp(v, "fast") || !strcmp(v, "slow")) {
        strcpy(var, v);
        return 0;
    }
    *why = "mode must be fast or slow";
    return -1;
}

static char mode[8];
static const struct cmdline_option opts[] = {
    { .name = "flag", .type = CMDLINE_BOOL, .var = &flag },
    { .name = "other", .type = CMDLINE_BOOL, .var = &other },
    { .name = "num", .type = CMDLINE_UINT, .var = &num, .min = 1, .max = 100 },
    { .name = "mem", .type = CMDLINE_SIZE, .var = &size, .min = 0, .max = UINT64_MAX },
    { .name = "str", .type = CMDLINE_STRING, .var = str, .max = sizeof(str) },
    { .name = "mode", .type = CMDLINE_CUSTOM, .var = mode, .parse = parse_mode },
};

static char reports[1024];
static int nreports;

static void report(void *ctx, const char *opt, const char *why)
{
    size_t l = strlen(reports);
    snprintf(reports + l, sizeof(reports) - l, "[%s: %s]", opt, why);
    nreports++;
}

static int parse(const char *line)
{
    reports[0] = '\0';
    nreports = 0;
    return cmdline_parse(line, opts, sizeof(opts) / sizeof(opts[0]), report, NULL);
}

TEST(cmdline_all_types_set)
{
    CHECK_EQ(parse("flag num=42 mem=512M str=abc mode=fast"), 0);
    CHECK(flag);
    CHECK_EQ(num, 42);
    CHECK_EQ(size, 512ull << 20);
    CHECK_STR(str, "abc");
    CHECK_STR(mode, "fast");
    CHECK_EQ(nreports, 0);
}

TEST(cmdline_bool_forms)
{
    CHECK_EQ(parse("flag=on other=yes"), 0);
    CHECK(flag && other);
    CHECK_EQ(parse("flag=0 no-other"), 0);
    CHECK(!flag && !other);
    CHECK_EQ(parse("flag=maybe"), 1);
    CHECK_STR(reports, "[flag=maybe: expected on/off, yes/no, 1/0]");
    CHECK_EQ(parse("no-flag=1"), 1);
    CHECK_STR(reports, "[no-flag=1: no- takes no value]");
    CHECK_EQ(parse("no-num"), 1);
    CHECK_STR(reports, "[no-num: no- only applies to boolean options]");
}

TEST(cmdline_unknown_option_reported_and_rest_parsed)
{
    num = 7;
    CHECK_EQ(parse("bogus=1 num=9 alsobad"), 2);
    CHECK_STR(reports, "[bogus=1: unknown option][alsobad: unknown option]");
    CHECK_EQ(num, 9);
}

TEST(cmdline_uint_bounds_and_junk)
{
    num = 5;
    CHECK_EQ(parse("num=0"), 1);
    CHECK_STR(reports, "[num=0: out of range]");
    CHECK_EQ(parse("num=101"), 1);
    CHECK_EQ(parse("num=12x"), 1);
    CHECK_STR(reports, "[num=12x: not a number]");
    CHECK_EQ(parse("num="), 1);
    CHECK_EQ(parse("num"), 1);
    CHECK_STR(reports, "[num: value required]");
    CHECK_EQ(num, 5);                       /* nothing bad was stored */
    CHECK_EQ(parse("num=0x64"), 0);
    CHECK_EQ(num, 100);
    CHECK_EQ(parse("num=99999999999999999999999"), 1);   /* overflow */
    CHECK_EQ(num, 100);
}

TEST(cmdline_size_suffixes)
{
    CHECK_EQ(parse("mem=4096"), 0);
    CHECK_EQ(size, 4096);
    CHECK_EQ(parse("mem=64k"), 0);
    CHECK_EQ(size, 64 << 10);
    CHECK_EQ(parse("mem=2G"), 0);
    CHECK_EQ(size, 2ull << 30);
    CHECK_EQ(parse("mem=1T"), 0);
    CHECK_EQ(size, 1ull << 40);
    CHECK_EQ(parse("mem=5Q"), 1);
    CHECK_EQ(parse("mem=5MB"), 1);
    CHECK_EQ(parse("mem=M"), 1);
    CHECK_EQ(parse("mem=17179869184G"), 1);  /* 2^34 G overflows 64 bits */
    CHECK_STR(reports, "[mem=17179869184G: not a size (number[K|M|G|T])]");
}

TEST(cmdline_string_fits_or_refused)
{
    CHECK_EQ(parse("str=1234567"), 0);
    CHECK_STR(str, "1234567");
    CHECK_EQ(parse("str=12345678"), 1);
    CHECK_STR(reports, "[str=12345678: value too long]");
    CHECK_STR(str, "1234567");
}

TEST(cmdline_quotes_and_whitespace)
{
    CHECK_EQ(parse("  \tstr=\"a b\"\n  flag  "), 0);
    CHECK_STR(str, "a b");
    CHECK(flag);
    CHECK_EQ(parse("str=\"abc"), 1);
    CHECK_STR(reports, "[str=abc: unterminated quote]");
    CHECK_EQ(parse(""), 0);
    CHECK_EQ(parse(NULL), 0);
}

/* GRUB's multiboot2 command line for the grub.cfg word 'str="a b"' (and
 * for str="a b", which GRUB's own parser unquotes first). */
TEST(cmdline_grub_quoting)
{
    CHECK_EQ(parse("flag \"str=\\\"a b\\\"\" other"), 0);
    CHECK_STR(str, "a b");
    CHECK(flag && other);
    CHECK_EQ(parse("\"str=x y\""), 0);
    CHECK_STR(str, "x y");
    CHECK_EQ(parse("str=a\\\\b"), 0);             /* \\ is one backslash */
    CHECK_STR(str, "a\\b");
    CHECK_EQ(parse("str=a\\ b"), 0);                /* an escaped space joins */
    CHECK_STR(str, "a b");
    CHECK_EQ(parse("str=ab\\"), 0);                 /* a lone final backslash stays */
    CHECK_STR(str, "ab\\");
}

TEST(cmdline_overlong_word)
{
    char line[600];
    memset(line, 'a', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    CHECK_EQ(parse(line), 1);
    CHECK(strstr(reports, "option too long") != NULL);
}

TEST(cmdline_custom_reason)
{
    custom_calls = 0;
    CHECK_EQ(parse("mode=medium"), 1);
    CHECK_STR(reports, "[mode=medium: mode must be fast or slow]");
    CHECK_EQ(custom_calls, 1);
}

TEST(cmdline_skip_image_name)
{
    size_t n = sizeof(opts) / sizeof(opts[0]);
    CHECK_STR(cmdline_skip_image("/boot/xen-like flag", opts, n), " flag");
    CHECK_STR(cmdline_skip_image("build/xen-like/xen-like", opts, n), "");
    CHECK_STR(cmdline_skip_image("flag num=3", opts, n), "flag num=3");
    CHECK_STR(cmdline_skip_image("no-flag", opts, n), "no-flag");
    CHECK_STR(cmdline_skip_image("num=3", opts, n), "num=3");
    CHECK_STR(cmdline_skip_image("", opts, n), "");
}

TEST(cmdline_number_helpers)
{
    uint64_t v;
    CHECK_EQ(cmdline_parse_uint("18446744073709551615", &v), 0);
    CHECK(v == UINT64_MAX);
    CHECK_EQ(cmdline_parse_uint("18446744073709551616", &v), -1);
    CHECK_EQ(cmdline_parse_uint("0x", &v), -1);
    CHECK_EQ(cmdline_parse_uint("-1", &v), -1);
    CHECK_EQ(cmdline_parse_size("16777215T", &v), 0);
    CHECK_EQ(cmdline_parse_size("16777216T", &v), -1);
}

/* A structured option built from a custom parser and a nested table: the
 * shape boot-time domain descriptions take ("dom=kernel=0,mem=256M,vcpus=2"). */
struct dom_desc { uint64_t kernel, mem, vcpus; bool console; };
static struct dom_desc dom;
static int dom_problems;

static const struct cmdline_option dom_opts[] = {
    { .name = "kernel", .type = CMDLINE_UINT, .var = &dom.kernel, .max = 15 },
    { .name = "mem", .type = CMDLINE_SIZE, .var = &dom.mem, .min = 1 << 20, .max = UINT64_MAX },
    { .name = "vcpus", .type = CMDLINE_UINT, .var = &dom.vcpus, .min = 1, .max = 64 },
    { .name = "console", .type = CMDLINE_BOOL, .var = &dom.console },
};

static int parse_dom(const char *v, void *var, const char **why)
{
    dom_problems = cmdline_parse_list(v, ',', dom_opts, sizeof(dom_opts) / sizeof(dom_opts[0]),
                                      report, NULL);
    *why = "bad domain description";
    return dom_problems ? -1 : 0;
}

static const struct cmdline_option dom_top[] = {
    { .name = "dom", .type = CMDLINE_CUSTOM, .var = &dom, .parse = parse_dom },
};

TEST(cmdline_nested_list_option)
{
    reports[0] = '\0';
    CHECK_EQ(cmdline_parse("dom=kernel=1,mem=256M,vcpus=2,console", dom_top, 1, report, NULL), 0);
    CHECK_EQ(dom.kernel, 1);
    CHECK_EQ(dom.mem, 256 << 20);
    CHECK_EQ(dom.vcpus, 2);
    CHECK(dom.console);
    CHECK_EQ(cmdline_parse("dom=vcpus=2,,no-console", dom_top, 1, report, NULL), 0);
    CHECK(!dom.console);                        /* empty items are skipped */
}

TEST(cmdline_nested_list_errors_name_the_item)
{
    reports[0] = '\0';
    CHECK_EQ(cmdline_parse("dom=kernel=99,mem=1K,cpus=2", dom_top, 1, report, NULL), 1);
    CHECK_EQ(dom_problems, 3);
    CHECK_STR(reports, "[kernel=99: out of range][mem=1K: out of range][cpus=2: unknown option]"
                       "[dom=kernel=99,mem=1K,cpus=2: bad domain description]");
    reports[0] = '\0';
    {
        char big[400] = "dom=mem=";
        memset(big + 8, '1', 300);
        big[308] = '\0';
        CHECK_EQ(cmdline_parse(big, dom_top, 1, report, NULL), 1);   /* word limit first */
        CHECK(strstr(reports, "option too long") != NULL);
    }
    reports[0] = '\0';
    {
        char item[300];
        memset(item, 'k', sizeof(item) - 1);
        item[sizeof(item) - 1] = '\0';
        CHECK_EQ(cmdline_parse_list(item, ',', dom_opts, 4, report, NULL), 1);
        CHECK_STR(reports, "[: list item too long]");
    }
}
