/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gunzip(): one gzip member (RFC 1952) holding a DEFLATE stream (RFC 1951),
 * decoded whole into the caller's buffer, which is also the history window.
 * CRC-32 and ISIZE are checked. Not here: choosing the decoder for a bzImage
 * (bzimage.c), XZ (unxz.c), Zstandard (unzstd.c).
 */
#include "decompress.h"
#include "errno.h"
#include "lib.h"
#include "xmalloc.h"

#define GZ_ID1        0x1f
#define GZ_ID2        0x8b
#define GZ_CM_DEFLATE 8
#define GZ_FHCRC      0x02
#define GZ_FEXTRA     0x04
#define GZ_FNAME      0x08
#define GZ_FCOMMENT   0x10
#define GZ_FRESERVED  0xe0

#define MAX_CODE_BITS 15   /* RFC 1951 3.2.7 */
#define FAST_BITS     10   /* codes up to this long decode with one lookup */
#define NUM_LITLEN    288
#define NUM_DIST      32
#define NUM_CLEN      19

/* A canonical Huffman code: a one-lookup table for short codes and the
 * per-length counts and sorted symbols for the rare long ones. A fast entry
 * is (symbol << 4) | length; 0 means "longer than FAST_BITS or no code". */
struct huff {
    uint16_t fast[1u << FAST_BITS];
    uint16_t count[MAX_CODE_BITS + 1];
    uint16_t sym[NUM_LITLEN];
};

/* LSB-first bit reader. Past the input end it feeds zero bytes and counts
 * them, so decoding loops stay simple; overrun() tells whether any of those
 * fake bits were actually consumed. */
struct bits {
    const uint8_t *in;
    size_t len, pos;
    uint64_t buf;
    unsigned cnt;
};

struct inflate {
    struct bits br;
    uint8_t *out;
    size_t cap, pos;
    struct huff lit, dist, clen;
    uint32_t crc_table[4][256];
};

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, 8);     /* x86: little-endian, unaligned is fine */
    return v;
}

static void refill(struct bits *b)
{
    /* Whole bytes at once while 8 input bytes remain. The bits it also
     * puts above cnt are the stream's next ones, so OR-ing them in again
     * later changes nothing. */
    if (b->pos <= b->len && b->len - b->pos >= 8) {
        unsigned take = (63 - b->cnt) >> 3;

        b->buf |= load_le64(b->in + b->pos) << b->cnt;
        b->pos += take;
        b->cnt += take * 8;
        return;
    }
    while (b->cnt <= 56) {
        uint64_t byte = b->pos < b->len ? b->in[b->pos] : 0;

        b->pos++;
        b->buf |= byte << b->cnt;
        b->cnt += 8;
    }
}

static bool overrun(const struct bits *b)
{
    return b->pos > b->len && (b->pos - b->len) * 8 > b->cnt;
}

static inline __attribute__((always_inline)) uint32_t getbits(struct bits *b, unsigned n)
{
    uint32_t v;

    if (n == 0)
        return 0;
    if (b->cnt < n)
        refill(b);
    v = (uint32_t)(b->buf & ((1u << n) - 1));
    b->buf >>= n;
    b->cnt -= n;
    return v;
}

/* Drop the bits up to the next byte boundary (stored blocks, trailer). */
static void align_byte(struct bits *b)
{
    unsigned drop = b->cnt & 7;

    b->buf >>= drop;
    b->cnt -= drop;
}

/* Position of the next unread byte once aligned: the buffer's whole bytes
 * go back to the input. */
static size_t byte_pos(const struct bits *b)
{
    return b->pos - b->cnt / 8;
}

static void set_byte_pos(struct bits *b, size_t pos)
{
    b->pos = pos;
    b->buf = 0;
    b->cnt = 0;
}

static unsigned reverse_bits(unsigned code, unsigned len)
{
    unsigned r = 0;

    while (len--) {
        r = (r << 1) | (code & 1);
        code >>= 1;
    }
    return r;
}

/*
 * Build the decoder for n code lengths. Over-subscribed sets are refused,
 * and incomplete ones too except, where allow_sparse says so, the two that
 * RFC 1951 3.2.7 permits: no code at all (a block without matches) and a
 * single one-bit code (one distance).
 */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned n, bool allow_sparse)
{
    uint16_t offs[MAX_CODE_BITS + 2];
    unsigned len, s, used = 0;
    int left = 1;

    memset(h->count, 0, sizeof(h->count));
    for (s = 0; s < n; s++)
        h->count[lens[s]]++;
    h->count[0] = 0;
    for (len = 1; len <= MAX_CODE_BITS; len++) {
        left <<= 1;
        left -= h->count[len];
        if (left < 0)
            return -XEN_EINVAL;
        used += h->count[len];
    }
    if (left > 0 && !(allow_sparse && (used == 0 || (used == 1 && h->count[1] == 1))))
        return -XEN_EINVAL;

    offs[1] = 0;
    for (len = 1; len <= MAX_CODE_BITS; len++)
        offs[len + 1] = offs[len] + h->count[len];
    for (s = 0; s < n; s++)
        if (lens[s])
            h->sym[offs[lens[s]]++] = (uint16_t)s;

    /* Canonical codes in (length, symbol) order, stored bit-reversed
     * because DEFLATE sends a code's most significant bit first. */
    memset(h->fast, 0, sizeof(h->fast));
    {
        unsigned code = 0, idx = 0;

        for (len = 1; len <= FAST_BITS; len++) {
            for (unsigned k = 0; k < h->count[len]; k++, idx++, code++) {
                unsigned r = reverse_bits(code, len);

                for (; r < (1u << FAST_BITS); r += 1u << len)
                    h->fast[r] = (uint16_t)(h->sym[idx] << 4 | len);
            }
            code <<= 1;
        }
    }
    return 0;
}

/* Decode one symbol; -1 if the bits are not a code of this set. */
static inline __attribute__((always_inline)) int huff_decode(struct bits *b, const struct huff *h)
{
    unsigned e, len;
    int code = 0, first = 0, index = 0;

    if (b->cnt < MAX_CODE_BITS)
        refill(b);
    e = h->fast[b->buf & ((1u << FAST_BITS) - 1)];
    if (e) {
        b->buf >>= e & 15;
        b->cnt -= e & 15;
        return (int)(e >> 4);
    }
    /* Long code: walk the canonical code one bit at a time. */
    for (len = 1; len <= MAX_CODE_BITS; len++) {
        int count = h->count[len];

        code |= (int)(b->buf & 1);
        b->buf >>= 1;
        b->cnt--;
        if (code - count < first)
            return h->sym[index + (code - first)];
        index += count;
        first += count;
        first <<= 1;
        code <<= 1;
    }
    return -1;
}

static const uint16_t len_base[29] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
    35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = {
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
    3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = {
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
    257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = {
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
    7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

static void copy_match(uint8_t *out, size_t pos, size_t cap, size_t dist, size_t len)
{
    uint8_t *d = out + pos;
    const uint8_t *s = d - dist;

    if (dist >= 8 && cap - pos >= len + 8) {
        /* 8-byte steps (each reads bytes already final) may write up to 7
         * bytes past the match, inside out; what follows overwrites them. */
        for (size_t i = 0; i < len; i += 8)
            __builtin_memcpy(d + i, s + i, 8);
        return;
    }
    /* Overlapping: the match repeats the dist bytes before it, so copy from
     * the same start in chunks that double, each ending where it writes. */
    while (len) {
        size_t chunk = MIN((size_t)(d - s), len);

        memcpy(d, s, chunk);
        d += chunk;
        len -= chunk;
    }
}

/* The compressed data of one Huffman block, up to end-of-block. */
static int inflate_codes(struct inflate *z)
{
    for (;;) {
        int sym = huff_decode(&z->br, &z->lit);
        unsigned len, dist;

        if (sym < 0 || overrun(&z->br))
            return -XEN_EINVAL;
        if (sym < 256) {
            if (z->pos >= z->cap)
                return -XEN_ENOSPC;
            z->out[z->pos++] = (uint8_t)sym;
            continue;
        }
        if (sym == 256)
            return 0;
        sym -= 257;
        if (sym >= 29)              /* 286, 287: in the fixed code only */
            return -XEN_EINVAL;
        len = len_base[sym] + getbits(&z->br, len_extra[sym]);
        sym = huff_decode(&z->br, &z->dist);
        if (sym < 0 || sym >= 30)
            return -XEN_EINVAL;
        dist = dist_base[sym] + getbits(&z->br, dist_extra[sym]);
        if (overrun(&z->br) || dist > z->pos)
            return -XEN_EINVAL;
        if (len > z->cap - z->pos)
            return -XEN_ENOSPC;
        copy_match(z->out, z->pos, z->cap, dist, len);
        z->pos += len;
    }
}

static int inflate_stored(struct inflate *z)
{
    struct bits *b = &z->br;
    size_t at, len;

    align_byte(b);
    at = byte_pos(b);
    if (at > b->len || b->len - at < 4)
        return -XEN_EINVAL;
    len = b->in[at] | b->in[at + 1] << 8;
    if ((len ^ (b->in[at + 2] | b->in[at + 3] << 8)) != 0xffff)
        return -XEN_EINVAL;
    at += 4;
    if (b->len - at < len)
        return -XEN_EINVAL;
    if (len > z->cap - z->pos)
        return -XEN_ENOSPC;
    memcpy(z->out + z->pos, b->in + at, len);
    z->pos += len;
    set_byte_pos(b, at + len);
    return 0;
}

static int inflate_fixed(struct inflate *z)
{
    uint8_t lens[NUM_LITLEN];
    unsigned s;
    int rc;

    for (s = 0; s < 144; s++)
        lens[s] = 8;
    for (; s < 256; s++)
        lens[s] = 9;
    for (; s < 280; s++)
        lens[s] = 7;
    for (; s < NUM_LITLEN; s++)
        lens[s] = 8;
    rc = huff_build(&z->lit, lens, NUM_LITLEN, false);
    if (rc)
        return rc;
    memset(lens, 5, NUM_DIST);
    rc = huff_build(&z->dist, lens, NUM_DIST, false);
    return rc ? rc : inflate_codes(z);
}

/* The code length sequence of a dynamic block (RFC 1951 3.2.7). */
static int read_code_lengths(struct inflate *z, uint8_t *lens, unsigned n)
{
    unsigned i = 0;

    while (i < n) {
        int sym = huff_decode(&z->br, &z->clen);
        unsigned rep, val = 0;

        if (sym < 0 || overrun(&z->br))
            return -XEN_EINVAL;
        if (sym < 16) {
            lens[i++] = (uint8_t)sym;
            continue;
        }
        if (sym == 16) {
            if (i == 0)
                return -XEN_EINVAL;     /* nothing to repeat */
            val = lens[i - 1];
            rep = 3 + getbits(&z->br, 2);
        } else if (sym == 17) {
            rep = 3 + getbits(&z->br, 3);
        } else {
            rep = 11 + getbits(&z->br, 7);
        }
        if (rep > n - i)
            return -XEN_EINVAL;
        while (rep--)
            lens[i++] = (uint8_t)val;
    }
    return overrun(&z->br) ? -XEN_EINVAL : 0;
}

static int inflate_dynamic(struct inflate *z)
{
    static const uint8_t order[NUM_CLEN] = {
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    uint8_t lens[NUM_LITLEN + NUM_DIST];
    unsigned nlit, ndist, nclen, i;
    int rc;

    nlit = getbits(&z->br, 5) + 257;
    ndist = getbits(&z->br, 5) + 1;
    nclen = getbits(&z->br, 4) + 4;
    if (nlit > 286 || ndist > 30)
        return -XEN_EINVAL;
    memset(lens, 0, NUM_CLEN);
    for (i = 0; i < nclen; i++)
        lens[order[i]] = (uint8_t)getbits(&z->br, 3);
    rc = huff_build(&z->clen, lens, NUM_CLEN, false);
    if (rc)
        return rc;
    rc = read_code_lengths(z, lens, nlit + ndist);
    if (rc)
        return rc;
    if (lens[256] == 0)
        return -XEN_EINVAL;             /* no end-of-block code */
    rc = huff_build(&z->lit, lens, nlit, true);
    if (rc)
        return rc;
    rc = huff_build(&z->dist, lens + nlit, ndist, true);
    return rc ? rc : inflate_codes(z);
}

static int inflate_blocks(struct inflate *z)
{
    unsigned last;

    do {
        unsigned type;
        int rc;

        last = getbits(&z->br, 1);
        type = getbits(&z->br, 2);
        if (overrun(&z->br))
            return -XEN_EINVAL;
        if (type == 0)
            rc = inflate_stored(z);
        else if (type == 1)
            rc = inflate_fixed(z);
        else if (type == 2)
            rc = inflate_dynamic(z);
        else
            rc = -XEN_EINVAL;
        if (rc)
            return rc;
    } while (!last);
    return 0;
}

/* CRC-32 (RFC 1952 8) four bytes a step: t[0] is the byte table and
 * t[k][n] the CRC of byte n followed by k zero bytes. */
static void crc32_init(uint32_t (*t)[256])
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;

        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        t[0][n] = c;
    }
    for (unsigned k = 1; k < 4; k++)
        for (unsigned n = 0; n < 256; n++)
            t[k][n] = (t[k - 1][n] >> 8) ^ t[0][t[k - 1][n] & 0xff];
}

static uint32_t crc32(uint32_t (*t)[256], const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;

    for (; n >= 4; n -= 4, p += 4) {
        c ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
             (uint32_t)p[3] << 24;
        c = t[3][c & 0xff] ^ t[2][(c >> 8) & 0xff] ^ t[1][(c >> 16) & 0xff] ^ t[0][c >> 24];
    }
    while (n--)
        c = t[0][(c ^ *p++) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Skip a zero-terminated header string; false if it runs off the end. */
static bool skip_string(const uint8_t *in, size_t len, size_t *at)
{
    while (*at < len)
        if (in[(*at)++] == 0)
            return true;
    return false;
}

/* The member header (RFC 1952 2.3.1): *at = offset of the DEFLATE data. */
static int gz_header(struct inflate *z, const uint8_t *in, size_t len, size_t *at)
{
    uint8_t flg;
    size_t p = 10;

    if (len < 10 || in[0] != GZ_ID1 || in[1] != GZ_ID2)
        return -XEN_EINVAL;
    if (in[2] != GZ_CM_DEFLATE)
        return -XEN_EOPNOTSUPP;
    flg = in[3];
    if (flg & GZ_FRESERVED)
        return -XEN_EINVAL;
    if (flg & GZ_FEXTRA) {
        size_t xlen;

        if (len - p < 2)
            return -XEN_EINVAL;
        xlen = in[p] | in[p + 1] << 8;
        p += 2;
        if (len - p < xlen)
            return -XEN_EINVAL;
        p += xlen;
    }
    if ((flg & GZ_FNAME) && !skip_string(in, len, &p))
        return -XEN_EINVAL;
    if ((flg & GZ_FCOMMENT) && !skip_string(in, len, &p))
        return -XEN_EINVAL;
    if (flg & GZ_FHCRC) {
        uint32_t crc = crc32(z->crc_table, in, p);

        if (len - p < 2 || (uint32_t)(in[p] | in[p + 1] << 8) != (crc & 0xffff))
            return -XEN_EINVAL;
        p += 2;
    }
    *at = p;
    return 0;
}

int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    struct inflate *z = xmalloc(sizeof(*z));
    size_t at;
    int rc;

    if (!z)
        return -XEN_ENOMEM;
    crc32_init(z->crc_table);
    rc = gz_header(z, in, in_len, &at);
    if (rc)
        goto out_free;
    z->br = (struct bits){ .in = in, .len = in_len, .pos = at };
    z->out = out;
    z->cap = out_cap;
    z->pos = 0;
    rc = inflate_blocks(z);
    if (rc)
        goto out_free;

    /* Trailer: CRC-32 and ISIZE (length mod 2^32) of the data. */
    align_byte(&z->br);
    at = byte_pos(&z->br);
    if (at > in_len || in_len - at < 8) {
        rc = -XEN_EINVAL;
        goto out_free;
    }
    if (rd32(in + at) != crc32(z->crc_table, out, z->pos) ||
        rd32(in + at + 4) != (uint32_t)z->pos) {
        rc = -XEN_EINVAL;
        goto out_free;
    }
    *out_len = z->pos;
out_free:
    xfree(z);
    return rc;
}
