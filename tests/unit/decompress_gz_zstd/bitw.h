/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Bit writers for hand-built test streams: bitw writes LSB-first (DEFLATE,
 * FSE table descriptions); backw collects fields in the order a Zstandard
 * decoder reads them and writes them as the backward stream that yields
 * that order (last field first, then the end marker bit).
 */
#ifndef TEST_BITW_H
#define TEST_BITW_H

#include <stdint.h>
#include <string.h>

struct bitw {
    uint8_t buf[8192];
    size_t bits;
};

static inline void bitw_put(struct bitw *w, uint32_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++, w->bits++) {
        if (w->bits % 8 == 0)
            w->buf[w->bits / 8] = 0;
        if ((v >> i) & 1)
            w->buf[w->bits / 8] |= (uint8_t)(1u << (w->bits % 8));
    }
}

/* A Huffman code: most significant bit first (RFC 1951 3.1.1). */
static inline void bitw_code(struct bitw *w, uint32_t code, unsigned len)
{
    while (len--)
        bitw_put(w, (code >> len) & 1, 1);
}

static inline size_t bitw_bytes(const struct bitw *w)
{
    return (w->bits + 7) / 8;
}

/* Canonical codes for lengths (RFC 1951 3.2.2). */
static inline void canonical_codes(const uint8_t *lens, unsigned n, unsigned *codes)
{
    unsigned count[16] = { 0 }, next[16], code = 0;

    for (unsigned i = 0; i < n; i++)
        count[lens[i]]++;
    count[0] = 0;
    for (unsigned l = 1; l < 16; l++) {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    for (unsigned i = 0; i < n; i++)
        if (lens[i])
            codes[i] = next[lens[i]]++;
}

struct backw {
    struct { uint32_t v; unsigned n; } f[1024];
    unsigned nf;
    struct bitw out;
};

static inline void backw_field(struct backw *b, uint32_t v, unsigned n)
{
    b->f[b->nf].v = v;
    b->f[b->nf].n = n;
    b->nf++;
}

static inline void backw_finish(struct backw *b)
{
    b->out.bits = 0;
    for (unsigned i = b->nf; i-- > 0;)
        bitw_put(&b->out, b->f[i].v, b->f[i].n);
    bitw_put(&b->out, 1, 1);
}

#endif
