/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The command-line parser: splits words, matches option names, converts and
 * range-checks values, reports problems. Pure; the option tables live with
 * the subsystems (CMDLINE_OPTION) and setup.c hands the parser the list.
 */
#include "cmdline.h"
#include "lib.h"

#define WORD_MAX 256

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Copies the next word into word; returns the position after it, or NULL at
 * the end of the line. Double quotes group (and are removed). A backslash
 * takes the next character literally, except that an escaped quote is
 * dropped too: GRUB's multiboot2 wraps an argument holding spaces in quotes
 * and escapes the quotes inside it ("domu=\"a b\""), and no option value
 * contains a quote. *bad is set on overlong words and unterminated quotes.
 */
static const char *next_word(const char *p, char *word, const char **bad)
{
    size_t n = 0;
    bool quoted = false;

    *bad = NULL;
    while (is_space(*p))
        p++;
    if (!*p)
        return NULL;
    for (; *p && (quoted || !is_space(*p)); p++) {
        if (*p == '"') {
            quoted = !quoted;
            continue;
        }
        if (*p == '\\' && p[1]) {
            if (*++p == '"')
                continue;
        }
        if (n + 1 >= WORD_MAX) {
            *bad = "option too long";
            continue;
        }
        word[n++] = *p;
    }
    word[n] = '\0';
    if (quoted)
        *bad = "unterminated quote";
    return p;
}

static int digit_value(char c, unsigned int base)
{
    int v = c >= '0' && c <= '9' ? c - '0' :
            c >= 'a' && c <= 'f' ? c - 'a' + 10 :
            c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    return v < (int)base ? v : -1;
}

/* Leading number; *end is where it stopped. -1 on no digits or overflow. */
static int parse_number(const char *s, uint64_t *out, const char **end)
{
    unsigned int base = 10;
    uint64_t v = 0;
    const char *start;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    for (start = s; digit_value(*s, base) >= 0; s++) {
        unsigned int d = (unsigned int)digit_value(*s, base);
        if (v > (UINT64_MAX - d) / base)
            return -1;
        v = v * base + d;
    }
    if (s == start)
        return -1;
    *out = v;
    *end = s;
    return 0;
}

int cmdline_parse_uint(const char *s, uint64_t *out)
{
    const char *end;
    uint64_t v;

    if (parse_number(s, &v, &end) || *end)
        return -1;
    *out = v;
    return 0;
}

int cmdline_parse_size(const char *s, uint64_t *out)
{
    static const char suffixes[] = "KMGT";
    const char *end, *suf;
    unsigned int shift = 0;
    uint64_t v;

    if (parse_number(s, &v, &end))
        return -1;
    if (*end) {
        suf = strchr(suffixes, *end >= 'a' ? *end - 32 : *end);
        if (!suf || end[1])
            return -1;
        shift = 10 * (unsigned int)(suf - suffixes + 1);
    }
    if (shift && v > (UINT64_MAX >> shift))
        return -1;
    *out = v << shift;
    return 0;
}

static int parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "1", "on", "yes", "true", "enable" };
    static const char *const no[] = { "0", "off", "no", "false", "disable" };

    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        if (!strcmp(s, yes[i])) { *out = true; return 0; }
        if (!strcmp(s, no[i])) { *out = false; return 0; }
    }
    return -1;
}

static const struct cmdline_option *find(const struct cmdline_option *opts, size_t n,
                                         const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
            return &opts[i];
    return NULL;
}

/* Converts and stores one value; returns NULL or the reason it was refused. */
static const char *apply(const struct cmdline_option *o, const char *val, bool negated)
{
    const char *why = "invalid value";
    uint64_t v;

    if (negated && o->type != CMDLINE_BOOL)
        return "no- only applies to boolean options";
    switch (o->type) {
    case CMDLINE_BOOL:
        if (!val) {
            *(bool *)o->var = !negated;
            return NULL;
        }
        if (negated)
            return "no- takes no value";
        return parse_bool(val, (bool *)o->var) ? "expected on/off, yes/no, 1/0" : NULL;
    case CMDLINE_UINT:
    case CMDLINE_SIZE:
        if (!val)
            return "value required";
        if ((o->type == CMDLINE_UINT ? cmdline_parse_uint : cmdline_parse_size)(val, &v))
            return o->type == CMDLINE_UINT ? "not a number" : "not a size (number[K|M|G|T])";
        if (v < o->min || v > o->max)
            return "out of range";
        *(uint64_t *)o->var = v;
        return NULL;
    case CMDLINE_STRING:
        if (!val)
            return "value required";
        if (strlen(val) >= o->max)
            return "value too long";
        strlcpy(o->var, val, o->max);
        return NULL;
    case CMDLINE_CUSTOM:
        if (!val)
            val = "";
        return o->parse(val, o->var, &why) ? why : NULL;
    }
    return "option has an unknown type";
}

static int parse_word(const char *word, const struct cmdline_option *opts, size_t nopts,
                      cmdline_report_fn report, void *ctx)
{
    const char *eq = strchr(word, '=');
    size_t len = eq ? (size_t)(eq - word) : strlen(word);
    const struct cmdline_option *o = find(opts, nopts, word, len);
    bool negated = false;
    const char *why;

    if (!o && len > 3 && !strncmp(word, "no-", 3)) {
        o = find(opts, nopts, word + 3, len - 3);
        negated = o != NULL;
    }
    if (!o) {
        report(ctx, word, "unknown option");
        return 1;
    }
    why = apply(o, eq ? eq + 1 : NULL, negated);
    if (why) {
        report(ctx, word, why);
        return 1;
    }
    return 0;
}

int cmdline_parse_list(const char *value, char sep, const struct cmdline_option *opts,
                       size_t nopts, cmdline_report_fn report, void *ctx)
{
    char item[WORD_MAX];
    int problems = 0;

    while (value && *value) {
        size_t n = 0;
        while (value[n] && value[n] != sep)
            n++;
        if (n >= sizeof(item)) {
            report(ctx, "", "list item too long");
            problems++;
        } else if (n) {
            memcpy(item, value, n);
            item[n] = '\0';
            problems += parse_word(item, opts, nopts, report, ctx);
        }
        value += n + (value[n] == sep);
    }
    return problems;
}

int cmdline_parse(const char *line, const struct cmdline_option *opts, size_t nopts,
                  cmdline_report_fn report, void *ctx)
{
    char word[WORD_MAX];
    const char *bad;
    int problems = 0;

    if (!line)
        return 0;
    while ((line = next_word(line, word, &bad))) {
        if (bad) {
            report(ctx, word, bad);
            problems++;
            continue;
        }
        problems += parse_word(word, opts, nopts, report, ctx);
    }
    return problems;
}

const char *cmdline_skip_image(const char *line, const struct cmdline_option *opts,
                               size_t nopts)
{
    const char *p = line, *start;
    size_t len;

    if (!line)
        return line;
    while (is_space(*p))
        p++;
    for (start = p; *p && !is_space(*p) && *p != '='; p++)
        ;
    len = (size_t)(p - start);
    if (!len || *p == '=' || find(opts, nopts, start, len))
        return line;
    if (len > 3 && !strncmp(start, "no-", 3) && find(opts, nopts, start + 3, len - 3))
        return line;
    return p;
}
