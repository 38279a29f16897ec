/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl.cfg tokenizer and parser (syntax only; see cfg.h). Bounded: file
 * size, entry and list-item counts. Every error names file:line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct lexer {
    const char *p, *end;
    int line;
    const char *file;
    char *err;
    size_t err_len;
};

static int lex_fail(struct lexer *lx, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(lx->err, lx->err_len, "%s:%d: ", lx->file, lx->line);

    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < lx->err_len)
        vsnprintf(lx->err + n, lx->err_len - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Skip blanks, comments and backslash-newlines; newlines too if nl. */
static void skip_space(struct lexer *lx, bool nl)
{
    while (lx->p < lx->end) {
        char c = *lx->p;

        if (c == '#') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
            lx->p += 2;
            lx->line++;
        } else if (c == '\n' && nl) {
            lx->p++;
            lx->line++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->p++;
        } else {
            return;
        }
    }
}

static int escape(struct lexer *lx, char c, char *out)
{
    switch (c) {
    case 'n': *out = '\n'; return 0;
    case 't': *out = '\t'; return 0;
    case '\\': case '"': case '\'': *out = c; return 0;
    default:
        return lex_fail(lx, "unknown escape '\\%c' in string", c);
    }
}

/* Bytes up to the closing quote q (escapes may only shrink them), so that
 * each string costs its own length, not the rest of the file. */
static size_t string_span(const char *p, const char *end, char q)
{
    const char *s = p;

    while (p < end && *p != q && *p != '\n')
        p += *p == '\\' && p + 1 < end && p[1] != '\n' ? 2 : 1;
    return (size_t)(p - s);
}

static int lex_string(struct lexer *lx, struct cfg_value *v)
{
    char q = *lx->p++, *s = malloc(string_span(lx->p, lx->end, q) + 1);
    size_t n = 0;

    if (!s)
        return lex_fail(lx, "out of memory");
    while (lx->p < lx->end && *lx->p != q) {
        char c = *lx->p++;

        if (c == '\n') {
            free(s);
            return lex_fail(lx, "string not closed before end of line");
        }
        if (c == '\\' && lx->p < lx->end && escape(lx, *lx->p++, &c)) {
            free(s);
            return -1;
        }
        s[n++] = c;
    }
    if (lx->p == lx->end) {
        free(s);
        return lex_fail(lx, "string not closed before end of file");
    }
    lx->p++;
    s[n] = '\0';
    v->type = CFG_STRING;
    v->str = s;
    return 0;
}

static int lex_number(struct lexer *lx, struct cfg_value *v)
{
    const char *start = lx->p;
    char buf[32], *end;
    size_t len;

    while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '-' ||
                               *lx->p == '+' || *lx->p == '.'))
        lx->p++;
    len = (size_t)(lx->p - start);
    if (len >= sizeof(buf))
        return lex_fail(lx, "number too long");
    memcpy(buf, start, len);
    buf[len] = '\0';
    errno = 0;
    v->num = strtoll(buf, &end, 0);
    if (!len || *end || errno)
        return lex_fail(lx, "'%s' is not a number (strings need quotes)", buf);
    v->type = CFG_NUMBER;
    v->str = strdup(buf);
    return v->str ? 0 : lex_fail(lx, "out of memory");
}

static int lex_scalar(struct lexer *lx, struct cfg_value *v)
{
    v->line = lx->line;
    if (lx->p == lx->end || *lx->p == '\n' || *lx->p == ';')
        return lex_fail(lx, "value missing");
    if (*lx->p == '"' || *lx->p == '\'')
        return lex_string(lx, v);
    if (isdigit((unsigned char)*lx->p) || *lx->p == '-' || *lx->p == '+')
        return lex_number(lx, v);
    return lex_fail(lx, "unexpected '%c' where a value should be (strings need quotes)",
                    *lx->p);
}

static void value_free(struct cfg_value *v)
{
    for (unsigned int i = 0; i < v->n; i++)
        value_free(&v->items[i]);
    free(v->items);
    free(v->str);
    memset(v, 0, sizeof(*v));
}

static int lex_list(struct lexer *lx, struct cfg_value *v)
{
    unsigned int cap = 0;

    v->type = CFG_LIST;
    v->line = lx->line;
    lx->p++;
    for (;;) {
        skip_space(lx, true);
        if (lx->p < lx->end && *lx->p == ']') {
            lx->p++;
            return 0;
        }
        if (lx->p == lx->end)
            return lex_fail(lx, "list not closed with ']'");
        if (*lx->p == '[')
            return lex_fail(lx, "lists cannot be nested");
        if (v->n == CFG_MAX_ITEMS)
            return lex_fail(lx, "list longer than %u items", CFG_MAX_ITEMS);
        if (v->n == cap) {
            void *g = realloc(v->items, (cap ? cap * 2 : 4) * sizeof(*v->items));

            if (!g)
                return lex_fail(lx, "out of memory");
            v->items = g;
            cap = cap ? cap * 2 : 4;
        }
        memset(&v->items[v->n], 0, sizeof(v->items[0]));
        if (lex_scalar(lx, &v->items[v->n]))
            return -1;
        v->n++;
        skip_space(lx, true);
        if (lx->p < lx->end && *lx->p == ',')
            lx->p++;
        else if (lx->p < lx->end && *lx->p != ']')
            return lex_fail(lx, "expected ',' or ']' in list");
    }
}

static int lex_key(struct lexer *lx, char **key)
{
    const char *start = lx->p;

    if (!isalpha((unsigned char)*lx->p) && *lx->p != '_')
        return lex_fail(lx, "expected a key name, found '%c'", *lx->p);
    while (lx->p < lx->end && (isalnum((unsigned char)*lx->p) || *lx->p == '_'))
        lx->p++;
    *key = strndup(start, (size_t)(lx->p - start));
    return *key ? 0 : lex_fail(lx, "out of memory");
}

static int add_entry(struct lexer *lx, struct cfg *c, char *key, struct cfg_value *v, int line)
{
    struct cfg_entry *e;

    for (unsigned int i = 0; i < c->n; i++) {
        if (!strcmp(c->e[i].key, key)) {
            free(key);
            value_free(&c->e[i].v);
            c->e[i].v = *v;
            c->e[i].line = line;
            return 0;
        }
    }
    if (c->n == CFG_MAX_ENTRIES) {
        free(key);
        return lex_fail(lx, "more than %u settings", CFG_MAX_ENTRIES);
    }
    e = realloc(c->e, (c->n + 1) * sizeof(*c->e));
    if (!e) {
        free(key);
        return lex_fail(lx, "out of memory");
    }
    c->e = e;
    c->e[c->n++] = (struct cfg_entry){ key, line, false, *v };
    return 0;
}

static int statement(struct lexer *lx, struct cfg *c)
{
    struct cfg_value v = { 0 };
    char *key;
    int line = lx->line;

    if (lex_key(lx, &key))
        return -1;
    skip_space(lx, false);
    if (lx->p == lx->end || *lx->p != '=') {
        lex_fail(lx, "expected '=' after '%.64s'", key);
        free(key);
        return -1;
    }
    lx->p++;
    skip_space(lx, false);
    if ((lx->p < lx->end && *lx->p == '[') ? lex_list(lx, &v) : lex_scalar(lx, &v)) {
        value_free(&v);
        free(key);
        return -1;
    }
    skip_space(lx, false);
    if (lx->p < lx->end && *lx->p != '\n' && *lx->p != ';') {
        lex_fail(lx, "unexpected '%c' after the value of '%s'", *lx->p, key);
        value_free(&v);
        free(key);
        return -1;
    }
    return add_entry(lx, c, key, &v, line);
}

int cfg_parse(const char *file, const char *text, size_t len, struct cfg *out,
              char *err, size_t err_len)
{
    struct lexer lx = { text, text + len, 1, file, err, err_len };

    memset(out, 0, sizeof(*out));
    out->file = strdup(file);
    if (!out->file)
        return lex_fail(&lx, "out of memory");
    if (len > CFG_MAX_TEXT || memchr(text, '\0', len)) {
        lex_fail(&lx, len > CFG_MAX_TEXT ? "file larger than %u bytes" : "NUL byte in file",
                 CFG_MAX_TEXT);
        goto out_free;
    }
    for (;;) {
        skip_space(&lx, true);
        while (lx.p < lx.end && *lx.p == ';') {
            lx.p++;
            skip_space(&lx, true);
        }
        if (lx.p == lx.end)
            return 0;
        if (statement(&lx, out))
            goto out_free;
    }
out_free:
    cfg_free(out);
    return -1;
}

int cfg_load(const char *path, struct cfg *out, char *err, size_t err_len)
{
    FILE *f = fopen(path, "r");
    char *buf;
    size_t n;
    int rc;

    memset(out, 0, sizeof(*out));
    if (!f) {
        snprintf(err, err_len, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    buf = malloc(CFG_MAX_TEXT + 1);
    n = buf ? fread(buf, 1, CFG_MAX_TEXT + 1, f) : 0;
    if (!buf || ferror(f)) {
        snprintf(err, err_len, "%s: cannot read: %s", path, buf ? strerror(errno) : "no memory");
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    rc = cfg_parse(path, buf, n, out, err, err_len);
    free(buf);
    return rc;
}

void cfg_free(struct cfg *c)
{
    for (unsigned int i = 0; i < c->n; i++) {
        free(c->e[i].key);
        value_free(&c->e[i].v);
    }
    free(c->e);
    free(c->file);
    memset(c, 0, sizeof(*c));
}

struct cfg_entry *cfg_get(struct cfg *c, const char *key)
{
    for (unsigned int i = 0; i < c->n; i++) {
        if (!strcmp(c->e[i].key, key)) {
            c->e[i].used = true;
            return &c->e[i];
        }
    }
    return NULL;
}
