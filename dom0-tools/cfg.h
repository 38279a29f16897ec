/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl.cfg file syntax: `key = value` statements (newline or `;` ends
 * one), values are "strings", 'strings', integers or [lists, of, them]
 * (lists may span lines, a trailing comma is allowed), `#` comments,
 * backslash-newline continues a line. Meaning of keys: dcfg.c.
 */
#ifndef DOM0_CFG_H
#define DOM0_CFG_H

#include <stdbool.h>
#include <stddef.h>

enum cfg_type { CFG_STRING, CFG_NUMBER, CFG_LIST };

struct cfg_value {
    enum cfg_type type;
    int line;
    char *str;                  /* CFG_STRING; CFG_NUMBER keeps its spelling too */
    long long num;              /* CFG_NUMBER */
    struct cfg_value *items;    /* CFG_LIST */
    unsigned int n;
};

struct cfg_entry {
    char *key;
    int line;
    bool used;                  /* looked up by the interpreter */
    struct cfg_value v;
};

struct cfg {
    char *file;                 /* for messages */
    struct cfg_entry *e;
    unsigned int n;
};

#define CFG_MAX_ENTRIES 1024
#define CFG_MAX_ITEMS   1024
#define CFG_MAX_TEXT    (1u << 20)

/* Parse text (len bytes, may hold NULs: refused). 0, or -1 with
 * "file:line: reason" in err. A key given twice: the last one counts. */
int cfg_parse(const char *file, const char *text, size_t len, struct cfg *out,
              char *err, size_t err_len);
int cfg_load(const char *path, struct cfg *out, char *err, size_t err_len);
void cfg_free(struct cfg *c);
/* The entry for key (marked used), or NULL. */
struct cfg_entry *cfg_get(struct cfg *c, const char *key);

#endif
