/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor command-line parser (cmdline.c). Pure: hosted tests and the
 * hypervisor share it. Grammar (whitespace separates options):
 *     option   := name | name '=' value | 'no-' name
 *     value    := chars up to whitespace | '"' any chars but '"' '"'
 * Each subsystem declares its options next to its code with CMDLINE_OPTION()
 * (collected by the linker); the parser reports unknown names and bad values
 * through a callback and keeps going, so one typo does not hide the rest.
 */
#ifndef RUNTIME_CMDLINE_H
#define RUNTIME_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cmdline_type {
    CMDLINE_BOOL,       /* bool: name, name=1/0/on/off/yes/no/true/false, no-name */
    CMDLINE_UINT,       /* uint64_t: decimal or 0x hex, within [min, max] */
    CMDLINE_SIZE,       /* uint64_t bytes: number with optional K/M/G/T suffix, within [min, max] */
    CMDLINE_STRING,     /* char[size]: copied, must fit */
    CMDLINE_CUSTOM,     /* parse(value, var): 0, or a static reason string via *why */
};

struct cmdline_option {
    const char *name;
    enum cmdline_type type;
    void *var;
    uint64_t min, max;          /* UINT/SIZE bounds; STRING: max = buffer size */
    int (*parse)(const char *value, void *var, const char **why);
    const char *help;
};

#define CMDLINE_OPTION(id, ...)                                             \
    __attribute__((used, section(".data.cmdline"), aligned(8)))            \
    static const struct cmdline_option cmdline_opt_##id = { __VA_ARGS__ }

/* Called once per problem: the offending option text and a reason. */
typedef void (*cmdline_report_fn)(void *ctx, const char *option, const char *reason);

/* Parses line against opts[0..nopts); returns the number of problems. */
int cmdline_parse(const char *line, const struct cmdline_option *opts, size_t nopts,
                  cmdline_report_fn report, void *ctx);

/* Parses a value that is itself a list of options, "a=1,b,no-c" with
 * sep ',', against a second table: how structured options (boot-time
 * domain descriptions) are built from a CMDLINE_CUSTOM parser. Returns the
 * number of problems, each reported with the item text. */
int cmdline_parse_list(const char *value, char sep, const struct cmdline_option *opts,
                       size_t nopts, cmdline_report_fn report, void *ctx);

/* Loaders put the image path first ("/boot/xen-like loglvl=debug"). Returns a
 * pointer past it when the first word has no '=' and is not an option name. */
const char *cmdline_skip_image(const char *line, const struct cmdline_option *opts,
                               size_t nopts);

/* Number parsing shared with custom parsers: 0 on success, -1 on junk or overflow. */
int cmdline_parse_uint(const char *s, uint64_t *out);
int cmdline_parse_size(const char *s, uint64_t *out);

#endif
