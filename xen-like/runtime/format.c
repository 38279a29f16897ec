/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The printf-style formatter behind printk() and fmt_snprintf(). Pure and
 * hosted-testable (the unit test compares it with the C library). No
 * floating point: the hypervisor is built with -mgeneral-regs-only.
 */
#include "lib.h"

struct out {
    char *buf;
    size_t size, len;   /* len counts every byte, stored or not */
};

struct spec {
    bool left, zero, plus, space, alt;
    int width, prec;    /* prec < 0: none */
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
    int len;

    if (!s)
        s = "(null)";
    len = (int)strnlen(s, sp->prec >= 0 ? (size_t)sp->prec : SIZE_MAX);
    if (!sp->left)
        pad(o, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

/* One integer: sign/prefix, precision zeros, width padding, digits. */
static void put_num(struct out *o, const struct spec *sp, uint64_t v, bool neg,
                    unsigned int base, bool upper, const char *prefix)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, zeros, plen = (int)strlen(prefix), total;

    while (v) {
        tmp[n++] = digits[v % base];
        v /= base;
    }
    if (n == 0 && sp->prec != 0)
        tmp[n++] = '0';
    zeros = sp->prec > n ? sp->prec - n : 0;
    if (sp->prec < 0 && sp->zero && !sp->left) {
        int room = sp->width - plen - n - (neg || sp->plus || sp->space);
        zeros = room > 0 ? room : 0;
    }
    total = plen + zeros + n + (neg || sp->plus || sp->space);
    if (!sp->left)
        pad(o, ' ', sp->width - total);
    if (neg)
        put(o, '-');
    else if (sp->plus)
        put(o, '+');
    else if (sp->space)
        put(o, ' ');
    for (int i = 0; i < plen; i++)
        put(o, prefix[i]);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - total);
}

static const char *parse_flags(const char *f, struct spec *sp)
{
    for (;; f++) {
        switch (*f) {
        case '-': sp->left = true; break;
        case '0': sp->zero = true; break;
        case '+': sp->plus = true; break;
        case ' ': sp->space = true; break;
        case '#': sp->alt = true; break;
        default: return f;
        }
    }
}

static const char *parse_int(const char *f, int *out, va_list *ap)
{
    if (*f == '*') {
        *out = va_arg(*ap, int);
        return f + 1;
    }
    *out = 0;
    while (*f >= '0' && *f <= '9')
        *out = *out * 10 + (*f++ - '0');
    return f;
}

/* Length modifier -> size in bytes of the argument (0: int). */
static const char *parse_length(const char *f, int *len)
{
    *len = 0;
    if (f[0] == 'h' && f[1] == 'h') { *len = 1; return f + 2; }
    if (f[0] == 'l' && f[1] == 'l') { *len = 8; return f + 2; }
    switch (*f) {
    case 'h': *len = 2; return f + 1;
    case 'l': case 'z': case 't': case 'j': *len = 8; return f + 1;
    }
    return f;
}

static int64_t fetch_signed(int len, va_list *ap)
{
    switch (len) {
    case 1: return (signed char)va_arg(*ap, int);
    case 2: return (short)va_arg(*ap, int);
    case 8: return va_arg(*ap, int64_t);
    }
    return va_arg(*ap, int);
}

static uint64_t fetch_unsigned(int len, va_list *ap)
{
    switch (len) {
    case 1: return (unsigned char)va_arg(*ap, unsigned int);
    case 2: return (unsigned short)va_arg(*ap, unsigned int);
    case 8: return va_arg(*ap, uint64_t);
    }
    return va_arg(*ap, unsigned int);
}

static void convert(struct out *o, struct spec *sp, char c, int len, va_list *ap)
{
    char ch;
    int64_t sv;
    uint64_t uv;

    switch (c) {
    case 'd': case 'i':
        sv = fetch_signed(len, ap);
        put_num(o, sp, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, sv < 0, 10, false, "");
        return;
    case 'u':
        put_num(o, sp, fetch_unsigned(len, ap), false, 10, false, "");
        return;
    case 'x': case 'X':
        uv = fetch_unsigned(len, ap);
        sp->plus = sp->space = false;
        put_num(o, sp, uv, false, 16, c == 'X', sp->alt && uv ? (c == 'X' ? "0X" : "0x") : "");
        return;
    case 'o':
        uv = fetch_unsigned(len, ap);
        sp->plus = sp->space = false;
        put_num(o, sp, uv, false, 8, false, sp->alt && uv ? "0" : "");
        return;
    case 'p':
        sp->plus = sp->space = false;
        put_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false, "0x");
        return;
    case 's':
        put_str(o, sp, va_arg(*ap, const char *));
        return;
    case 'c':
        ch = (char)va_arg(*ap, int);
        if (!sp->left)
            pad(o, ' ', sp->width - 1);
        put(o, ch);
        if (sp->left)
            pad(o, ' ', sp->width - 1);
        return;
    case '%':
        put(o, '%');
        return;
    }
    /* Unknown conversion: show it literally so the bug is visible. */
    put(o, '%');
    put(o, c);
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
    struct out o = { buf, size, 0 };
    va_list ap;

    va_copy(ap, ap_in);
    while (*fmt) {
        struct spec sp = { .prec = -1 };
        int len;

        if (*fmt != '%') {
            put(&o, *fmt++);
            continue;
        }
        fmt = parse_flags(fmt + 1, &sp);
        fmt = parse_int(fmt, &sp.width, &ap);
        if (sp.width < 0) {
            sp.left = true;
            sp.width = -sp.width;
        }
        if (*fmt == '.')
            fmt = parse_int(fmt + 1, &sp.prec, &ap);
        fmt = parse_length(fmt, &len);
        if (!*fmt)
            break;
        convert(&o, &sp, *fmt++, len, &ap);
    }
    va_end(ap);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
