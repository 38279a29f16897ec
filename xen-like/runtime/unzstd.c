/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unzstd(): Zstandard frames (RFC 8878) decoded whole into the caller's
 * buffer, which is also the history window: frame and block headers,
 * Huffman literals, FSE-coded sequences, XXH64 content checksum. Frames
 * needing a dictionary are refused. Not here: choosing the decoder for a
 * bzImage (bzimage.c), XZ (unxz.c), gzip (gunzip.c).
 */
#include "decompress.h"
#include "errno.h"
#include "lib.h"
#include "xmalloc.h"

#define ZSTD_MAGIC        0xfd2fb528u
#define SKIP_MAGIC        0x184d2a50u   /* low 4 bits free */
#define SKIP_MAGIC_MASK   0xfffffff0u
#define BLOCK_MAX         (128u * 1024)
#define HUF_MAX_BITS      11
#define HUF_MAX_SYMS      256
#define WEIGHT_MAX_LOG    6             /* FSE accuracy of Huffman weights */
#define LL_MAX_LOG        9
#define ML_MAX_LOG        9
#define OF_MAX_LOG        8
#define LL_MAX_SYM        35
#define ML_MAX_SYM        52
#define OF_MAX_SYM        31
#define FSE_MAX_CELLS     (1u << 9)

/*
 * Backward bit reader (RFC 8878 4.1 and 4.2.2): a stream is read from its
 * last byte towards its first, after the marker 1-bit that ends it. acc
 * holds the next n unread bits in its low bits, most recent at the top.
 * Reading past the start yields zero bits and counts them in over.
 */
struct rbits {
    const uint8_t *base;
    size_t pos;          /* bytes [0, pos) not loaded yet */
    uint64_t acc;
    unsigned n;
    unsigned over;
};

struct fse_cell {
    uint16_t base;       /* next state = base + the next `bits` bits */
    uint8_t sym;
    uint8_t bits;
};

struct fse_table {
    unsigned log;
    struct fse_cell cell[FSE_MAX_CELLS];
};

struct zstd {
    uint8_t *out;
    size_t cap, pos;
    size_t frame_start;
    uint64_t window;

    /* Carried from block to block within a frame (repeat modes). */
    bool have_huf, have_ll, have_of, have_ml;
    unsigned huf_bits;
    uint16_t huf[1u << HUF_MAX_BITS];   /* (symbol << 4) | code length */
    struct fse_table ll, of, ml;
    uint32_t rep[3];

    struct fse_table scratch;           /* Huffman weights' FSE table */
    const uint8_t *lit;                 /* this block's literals */
    const uint8_t *lit_end;             /* readable up to here (for copy_steps) */
    const uint8_t *in_end;
    size_t lit_len;
    uint8_t lit_buf[BLOCK_MAX];
};

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* Little-endian value of n <= 8 bytes. */
static uint64_t rdle(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

static unsigned highbit(uint64_t v)
{
    return 63u - (unsigned)__builtin_clzll(v);
}

static uint64_t mask64(unsigned n)
{
    return n >= 64 ? ~0ull : (1ull << n) - 1;
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;

    __builtin_memcpy(&v, p, 8);     /* x86: little-endian, unaligned is fine */
    return v;
}

static void rb_refill(struct rbits *b)
{
    /* Whole bytes at once: the 8 bytes below pos, top ones first. */
    if (b->pos >= 8 && b->n < 56) {
        unsigned take = (63 - b->n) >> 3;

        b->pos -= take;
        b->acc = b->acc << (8 * take) | load_le64(b->base + b->pos + take - 8) >> (64 - 8 * take);
        b->n += 8 * take;
        return;
    }
    while (b->n <= 56 && b->pos > 0) {
        b->acc = b->acc << 8 | b->base[--b->pos];
        b->n += 8;
    }
}

static int rb_init(struct rbits *b, const uint8_t *p, size_t len)
{
    if (len == 0 || p[len - 1] == 0)
        return -XEN_EINVAL;            /* no end marker */
    b->base = p;
    b->pos = len - 1;
    b->acc = p[len - 1];
    b->n = highbit(p[len - 1]);
    b->over = 0;
    rb_refill(b);
    return 0;
}

static inline __attribute__((always_inline)) uint64_t rb_read(struct rbits *b, unsigned k)
{
    uint64_t v;

    if (k == 0)
        return 0;
    if (b->n < k)
        rb_refill(b);
    if (b->n >= k) {
        b->n -= k;
        return (b->acc >> b->n) & mask64(k);
    }
    v = (b->acc & mask64(b->n)) << (k - b->n);
    b->over += k - b->n;
    b->n = 0;
    return v;
}

static inline __attribute__((always_inline)) unsigned rb_peek(struct rbits *b, unsigned k)
{
    if (b->n < k)
        rb_refill(b);
    if (b->n >= k)
        return (unsigned)((b->acc >> (b->n - k)) & mask64(k));
    return (unsigned)((b->acc & mask64(b->n)) << (k - b->n));
}

static inline __attribute__((always_inline)) void rb_skip(struct rbits *b, unsigned k)
{
    if (k > b->n) {
        b->over += k - b->n;
        b->n = 0;
    } else {
        b->n -= k;
    }
}

/* Every bit consumed, none invented: how a valid stream ends. */
static bool rb_done(const struct rbits *b)
{
    return b->n == 0 && b->pos == 0 && b->over == 0;
}

/* Forward little-endian bits of an FSE table description; bits past len
 * read as zero and the caller checks the final length. */
static unsigned fwd_peek(const uint8_t *p, size_t len, size_t bitpos, unsigned k)
{
    size_t byte = bitpos >> 3;
    uint32_t v = 0;

    for (unsigned i = 0; i < 4; i++)
        if (byte + i < len)
            v |= (uint32_t)p[byte + i] << (8 * i);
    return (v >> (bitpos & 7)) & ((1u << k) - 1);
}

/* After a zero count: 2-bit repeat flags, each adding that many zero
 * counts, continuing while a flag is 3. Non-zero past max_sym. */
static int zero_run(const uint8_t *p, size_t len, size_t *bit, int16_t *norm, unsigned *sym,
                    unsigned max_sym)
{
    unsigned rep;

    do {
        rep = fwd_peek(p, len, *bit, 2);
        *bit += 2;
        for (unsigned i = 0; i < rep; i++) {
            if (*sym > max_sym)
                return -XEN_EINVAL;
            norm[(*sym)++] = 0;
        }
    } while (rep == 3);
    return 0;
}

/*
 * FSE table description (RFC 8878 4.1.1): normalized counts of symbols
 * 0..*nsym-1 on a scale of 1 << *log. Counts must add up exactly.
 */
static int fse_read_counts(const uint8_t *p, size_t len, int16_t *norm, unsigned max_sym,
                           unsigned max_log, unsigned *nsym, unsigned *log, size_t *used)
{
    size_t bit = 4;
    unsigned al, sym = 0, nbits, threshold;
    int remaining;

    if (len < 1)
        return -XEN_EINVAL;
    al = (p[0] & 15) + 5;
    if (al > max_log)
        return -XEN_EINVAL;
    remaining = (1 << al) + 1;
    threshold = 1u << al;
    nbits = al + 1;
    while (remaining > 1) {
        unsigned max = 2 * threshold - 1 - (unsigned)remaining;
        unsigned v = fwd_peek(p, len, bit, nbits);
        int prob;

        if (sym > max_sym)
            return -XEN_EINVAL;
        if ((v & (threshold - 1)) < max) {
            v &= threshold - 1;
            bit += nbits - 1;
        } else {
            if (v >= threshold)
                v -= max;
            bit += nbits;
        }
        prob = (int)v - 1;
        remaining -= prob < 0 ? -prob : prob;
        norm[sym++] = (int16_t)prob;
        if (prob == 0 && zero_run(p, len, &bit, norm, &sym, max_sym))
            return -XEN_EINVAL;
        while ((unsigned)remaining < threshold) {
            nbits--;
            threshold >>= 1;
        }
    }
    *used = (bit + 7) >> 3;
    if (*used > len)
        return -XEN_EINVAL;
    *nsym = sym;
    *log = al;
    return 0;
}

/* Decoding table from normalized counts (RFC 8878 4.1.1, the spread);
 * fse_read_counts made them add up to 1 << log. */
static void fse_build(struct fse_table *t, const int16_t *norm, unsigned nsym, unsigned log)
{
    uint16_t next[HUF_MAX_SYMS];
    unsigned size = 1u << log, high = size - 1, pos = 0;
    unsigned step = (size >> 1) + (size >> 3) + 3;

    for (unsigned s = 0; s < nsym; s++) {
        if (norm[s] == -1) {
            t->cell[high--].sym = (uint8_t)s;
            next[s] = 1;
        } else {
            next[s] = (uint16_t)norm[s];
        }
    }
    for (unsigned s = 0; s < nsym; s++) {
        for (int i = 0; i < norm[s]; i++) {
            t->cell[pos].sym = (uint8_t)s;
            do
                pos = (pos + step) & (size - 1);
            while (pos > high);
        }
    }
    /* The step is odd, so the walk visits every cell once: with counts
     * adding up to the table size it ends back at 0, every cell set. */
    for (unsigned u = 0; u < size; u++) {
        unsigned x = next[t->cell[u].sym]++;
        unsigned bits = log - highbit(x);

        t->cell[u].bits = (uint8_t)bits;
        t->cell[u].base = (uint16_t)((x << bits) - size);
    }
    t->log = log;
}

static void fse_rle(struct fse_table *t, uint8_t sym)
{
    t->log = 0;
    t->cell[0] = (struct fse_cell){ .base = 0, .sym = sym, .bits = 0 };
}

static inline __attribute__((always_inline)) unsigned fse_next(const struct fse_table *t, unsigned state, struct rbits *b)
{
    return t->cell[state].base + (unsigned)rb_read(b, t->cell[state].bits);
}

/* Huffman weights compressed with FSE: two interleaved states. */
static int huf_fse_weights(struct zstd *z, const uint8_t *p, size_t len, uint8_t *w,
                           unsigned *nw)
{
    int16_t norm[HUF_MAX_SYMS];
    unsigned nsym, log, s1, s2, n = 0;
    struct fse_table *t = &z->scratch;
    struct rbits b;
    size_t used;
    int rc;

    rc = fse_read_counts(p, len, norm, HUF_MAX_SYMS - 1, WEIGHT_MAX_LOG, &nsym, &log, &used);
    if (rc)
        return rc;
    fse_build(t, norm, nsym, log);
    rc = rb_init(&b, p + used, len - used);
    if (rc)
        return rc;
    s1 = (unsigned)rb_read(&b, log);
    s2 = (unsigned)rb_read(&b, log);
    /* Each state in turn; once an update runs past the stream start, the
     * other state's symbol is the last one (RFC 8878 4.2.1.2). */
    for (;;) {
        if (n + 2 > HUF_MAX_SYMS - 1)
            return -XEN_EINVAL;
        w[n++] = t->cell[s1].sym;
        s1 = fse_next(t, s1, &b);
        if (b.over) {
            w[n++] = t->cell[s2].sym;
            break;
        }
        w[n++] = t->cell[s2].sym;
        s2 = fse_next(t, s2, &b);
        if (b.over) {
            if (n + 1 > HUF_MAX_SYMS - 1)
                return -XEN_EINVAL;
            w[n++] = t->cell[s1].sym;
            break;
        }
    }
    *nw = n;
    return 0;
}

/* Canonical table from weights (RFC 8878 4.2.1.3): the last weight is
 * implied by completing the sum to a power of two. */
static int huf_build(struct zstd *z, uint8_t *w, unsigned nw)
{
    uint32_t sum = 0, left;
    unsigned bits, last, ones = 0, pos = 0;

    for (unsigned s = 0; s < nw; s++) {
        if (w[s] > HUF_MAX_BITS)
            return -XEN_EINVAL;
        if (w[s])
            sum += 1u << (w[s] - 1);
    }
    if (sum == 0)
        return -XEN_EINVAL;
    bits = highbit(sum) + 1;
    if (bits > HUF_MAX_BITS)
        return -XEN_EINVAL;
    left = (1u << bits) - sum;
    if (left & (left - 1))
        return -XEN_EINVAL;             /* no single weight completes it */
    last = highbit(left) + 1;
    w[nw++] = (uint8_t)last;
    for (unsigned s = 0; s < nw; s++)
        ones += w[s] == 1;
    if (ones < 2 || (ones & 1))
        return -XEN_EINVAL;
    for (unsigned wt = 1; wt <= bits; wt++) {
        for (unsigned s = 0; s < nw; s++) {
            unsigned cnt = 1u << (wt - 1);
            uint16_t e = (uint16_t)(s << 4 | (bits + 1 - wt));

            if (w[s] != wt)
                continue;
            while (cnt--)
                z->huf[pos++] = e;
        }
    }
    z->huf_bits = bits;
    z->have_huf = true;
    return 0;
}

/* Huffman tree description; *used = its size in bytes. */
static int huf_read_tree(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    uint8_t w[HUF_MAX_SYMS];
    unsigned nw, hb;
    int rc;

    if (len < 1)
        return -XEN_EINVAL;
    hb = p[0];
    if (hb >= 128) {
        nw = hb - 127;
        if (len - 1 < (nw + 1) / 2)
            return -XEN_EINVAL;
        for (unsigned i = 0; i < nw; i++)
            w[i] = i & 1 ? p[1 + i / 2] & 15 : p[1 + i / 2] >> 4;
        *used = 1 + (nw + 1) / 2;
    } else {
        if (hb == 0 || len - 1 < hb)
            return -XEN_EINVAL;
        rc = huf_fse_weights(z, p + 1, hb, w, &nw);
        if (rc)
            return rc;
        *used = 1 + hb;
    }
    return huf_build(z, w, nw);
}

/* One Huffman-coded stream of exactly n symbols. */
static int huf_stream(const struct zstd *z, const uint8_t *p, size_t len, uint8_t *dst, size_t n)
{
    unsigned bits = z->huf_bits;
    struct rbits b;
    int rc = rb_init(&b, p, len);

    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        uint16_t e = z->huf[rb_peek(&b, bits)];

        dst[i] = (uint8_t)(e >> 4);
        rb_skip(&b, e & 15);
    }
    return rb_done(&b) ? 0 : -XEN_EINVAL;
}

static int huf_streams4(const struct zstd *z, const uint8_t *p, size_t len, uint8_t *dst,
                        size_t n)
{
    size_t seg = (n + 3) / 4, sz[4], off = 6;
    int rc;

    if (len < 6 || seg * 3 > n)
        return -XEN_EINVAL;
    sz[0] = p[0] | p[1] << 8;
    sz[1] = p[2] | p[3] << 8;
    sz[2] = p[4] | p[5] << 8;
    if (sz[0] + sz[1] + sz[2] + 1 > len - 6)
        return -XEN_EINVAL;
    sz[3] = len - 6 - sz[0] - sz[1] - sz[2];
    for (unsigned i = 0; i < 4; i++) {
        size_t cnt = i < 3 ? seg : n - 3 * seg;

        rc = huf_stream(z, p + off, sz[i], dst + i * seg, cnt);
        if (rc)
            return rc;
        off += sz[i];
    }
    return 0;
}

/* Raw or RLE literals (Literals_Block_Type 0, 1); *used = section size. */
static int literals_plain(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    unsigned sf = (p[0] >> 2) & 3, hs = sf == 1 ? 2 : sf == 3 ? 3 : 1;
    size_t regen;

    if (len < hs)
        return -XEN_EINVAL;
    regen = hs == 1 ? p[0] >> 3 : rdle(p, hs) >> 4;
    if (regen > BLOCK_MAX)
        return -XEN_EINVAL;
    if ((p[0] & 3) == 0) {
        if (len - hs < regen)
            return -XEN_EINVAL;
        z->lit = p + hs;                /* read in place */
        z->lit_end = z->in_end;
        *used = hs + regen;
    } else {
        if (len - hs < 1)
            return -XEN_EINVAL;
        memset(z->lit_buf, p[hs], regen);
        z->lit = z->lit_buf;
        z->lit_end = z->lit_buf + sizeof(z->lit_buf);
        *used = hs + 1;
    }
    z->lit_len = regen;
    return 0;
}

/* Huffman literals, with a tree (type 2) or the frame's last (type 3). */
static int literals_huffman(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    static const uint8_t hsize[4] = { 3, 3, 4, 5 }, fbits[4] = { 10, 10, 14, 18 };
    unsigned sf = (p[0] >> 2) & 3, hs = hsize[sf];
    size_t regen, csize, tree = 0;
    uint64_t h;
    int rc;

    if (len < hs)
        return -XEN_EINVAL;
    h = rdle(p, hs);
    regen = (h >> 4) & mask64(fbits[sf]);
    csize = (h >> (4 + fbits[sf])) & mask64(fbits[sf]);
    if (regen > BLOCK_MAX || csize > len - hs)
        return -XEN_EINVAL;
    if ((p[0] & 3) == 2) {
        rc = huf_read_tree(z, p + hs, csize, &tree);
        if (rc)
            return rc;
    } else if (!z->have_huf) {
        return -XEN_EINVAL;             /* treeless with no earlier tree */
    }
    if (sf == 0)
        rc = huf_stream(z, p + hs + tree, csize - tree, z->lit_buf, regen);
    else
        rc = huf_streams4(z, p + hs + tree, csize - tree, z->lit_buf, regen);
    if (rc)
        return rc;
    z->lit = z->lit_buf;
    z->lit_end = z->lit_buf + sizeof(z->lit_buf);
    z->lit_len = regen;
    *used = hs + csize;
    return 0;
}

/* Literals section (RFC 8878 3.1.1.3.1); *used = its size. */
static int read_literals(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    if (len < 1)
        return -XEN_EINVAL;
    if ((p[0] & 3) < 2)
        return literals_plain(z, p, len, used);
    return literals_huffman(z, p, len, used);
}

static const int16_t ll_default[36] = {
    4, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 2, 1, 1, 1, 1, 1,
    -1, -1, -1, -1 };
static const int16_t ml_default[53] = {
    1, 4, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1,
    -1, -1, -1, -1, -1 };
static const int16_t of_default[29] = {
    1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1 };

static const uint32_t ll_base[36] = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    16, 18, 20, 22, 24, 28, 32, 40, 48, 64, 128, 256, 512, 1024, 2048, 4096,
    8192, 16384, 32768, 65536 };
static const uint8_t ll_bits[36] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 6, 7, 8, 9, 10, 11, 12,
    13, 14, 15, 16 };
static const uint32_t ml_base[53] = {
    3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18,
    19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34,
    35, 37, 39, 41, 43, 47, 51, 59, 67, 83, 99, 131, 259, 515, 1027, 2051,
    4099, 8195, 16387, 32771, 65539 };
static const uint8_t ml_bits[53] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 7, 8, 9, 10, 11,
    12, 13, 14, 15, 16 };

/* One of the three sequence tables by its 2-bit mode; *used = bytes read. */
static int seq_table(struct fse_table *t, bool *have, unsigned mode, const int16_t *def,
                     unsigned ndef, unsigned def_log, unsigned max_sym, unsigned max_log,
                     const uint8_t *p, size_t len, size_t *used)
{
    int16_t norm[HUF_MAX_SYMS];
    unsigned nsym, log;
    int rc;

    *used = 0;
    switch (mode) {
    case 0:
        fse_build(t, def, ndef, def_log);
        rc = 0;
        break;
    case 1:
        if (len < 1 || p[0] > max_sym)
            return -XEN_EINVAL;
        fse_rle(t, p[0]);
        *used = 1;
        rc = 0;
        break;
    case 2:
        rc = fse_read_counts(p, len, norm, max_sym, max_log, &nsym, &log, used);
        if (!rc)
            fse_build(t, norm, nsym, log);
        break;
    default:
        rc = *have ? 0 : -XEN_EINVAL;   /* repeat with nothing to repeat */
        break;
    }
    if (!rc)
        *have = true;
    return rc;
}

/* Copy n bytes in 8-byte steps, up to 7 bytes too many: callers make sure
 * both buffers have that room and that d - s is 0 or at least 8. */
static void copy_steps(uint8_t *d, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i += 8)
        __builtin_memcpy(d + i, s + i, 8);
}

static int copy_literals(struct zstd *z, size_t n)
{
    if (n > z->lit_len)
        return -XEN_EINVAL;
    if (n > z->cap - z->pos)
        return -XEN_ENOSPC;
    if (n <= 32 && z->cap - z->pos >= n + 8 && z->lit_end - z->lit >= (ptrdiff_t)n + 8)
        copy_steps(z->out + z->pos, z->lit, n);
    else
        memcpy(z->out + z->pos, z->lit, n);
    z->pos += n;
    z->lit += n;
    z->lit_len -= n;
    return 0;
}

/* The offset a sequence uses, keeping the three recent ones in order
 * (RFC 8878 3.1.2.5). */
static uint64_t resolve_offset(struct zstd *z, uint64_t ofv, uint64_t ll)
{
    uint64_t off;
    unsigned idx;

    if (ofv > 3) {
        off = ofv - 3;
        z->rep[2] = z->rep[1];
        z->rep[1] = z->rep[0];
        z->rep[0] = (uint32_t)off;
        return off;
    }
    idx = (unsigned)ofv - 1 + (ll == 0);
    if (idx == 0)
        return z->rep[0];
    off = idx == 3 ? (uint64_t)z->rep[0] - 1 : z->rep[idx];
    if (idx != 1)
        z->rep[2] = z->rep[1];
    z->rep[1] = z->rep[0];
    z->rep[0] = (uint32_t)off;
    return off;
}

/* An overlapping match repeats the off bytes before it: copy from the same
 * start in chunks that double, each ending where it is about to write. */
static void copy_repeat(uint8_t *d, const uint8_t *s, size_t len)
{
    while (len) {
        size_t chunk = MIN((size_t)(d - s), len);

        memcpy(d, s, chunk);
        d += chunk;
        len -= chunk;
    }
}

static int copy_match(struct zstd *z, uint64_t off, uint64_t len)
{
    uint8_t *d;
    size_t room;

    if (off == 0 || off > z->pos - z->frame_start || off > z->window)
        return -XEN_EINVAL;
    if (len > z->cap - z->pos)
        return -XEN_ENOSPC;
    d = z->out + z->pos;
    room = z->cap - z->pos;
    z->pos += len;
    if (off >= 8 && len <= 64 && room >= len + 8)
        copy_steps(d, d - off, len);
    else if (off >= len)
        memcpy(d, d - off, len);
    else
        copy_repeat(d, d - off, len);
    return 0;
}

static int exec_sequences(struct zstd *z, struct rbits *b, unsigned nseq)
{
    unsigned lls = (unsigned)rb_read(b, z->ll.log);
    unsigned ofs = (unsigned)rb_read(b, z->of.log);
    unsigned mls = (unsigned)rb_read(b, z->ml.log);
    int rc;

    for (unsigned i = 0; i < nseq; i++) {
        unsigned occ = z->of.cell[ofs].sym;
        unsigned mlc = z->ml.cell[mls].sym;
        unsigned llc = z->ll.cell[lls].sym;
        uint64_t ofv, ml, ll;

        ofv = (1ull << occ) + rb_read(b, occ);
        ml = ml_base[mlc] + rb_read(b, ml_bits[mlc]);
        ll = ll_base[llc] + rb_read(b, ll_bits[llc]);
        if (i + 1 < nseq) {
            lls = fse_next(&z->ll, lls, b);
            mls = fse_next(&z->ml, mls, b);
            ofs = fse_next(&z->of, ofs, b);
        }
        if (b->over)
            return -XEN_EINVAL;
        rc = copy_literals(z, ll);
        if (rc)
            return rc;
        rc = copy_match(z, resolve_offset(z, ofv, ll), ml);
        if (rc)
            return rc;
    }
    return rb_done(b) ? 0 : -XEN_EINVAL;
}

/* Number_of_Sequences (1-3 bytes); *at = bytes it took. */
static int seq_count(const uint8_t *p, size_t len, unsigned *nseq, size_t *at)
{
    if (len < 1)
        return -XEN_EINVAL;
    if (p[0] < 128) {
        *nseq = p[0];
        *at = 1;
    } else if (p[0] < 255) {
        if (len < 2)
            return -XEN_EINVAL;
        *nseq = ((p[0] - 128u) << 8) + p[1];
        *at = 2;
    } else {
        if (len < 3)
            return -XEN_EINVAL;
        *nseq = p[1] + (p[2] << 8) + 0x7f00u;
        *at = 3;
    }
    return 0;
}

/* The three tables in the order they are stored: literal lengths,
 * offsets, match lengths; *at advances past their descriptions. */
static int seq_tables(struct zstd *z, unsigned modes, const uint8_t *p, size_t len, size_t *at)
{
    size_t used;
    int rc;

    rc = seq_table(&z->ll, &z->have_ll, modes >> 6, ll_default, 36, 6, LL_MAX_SYM,
                   LL_MAX_LOG, p + *at, len - *at, &used);
    if (rc)
        return rc;
    *at += used;
    rc = seq_table(&z->of, &z->have_of, (modes >> 4) & 3, of_default, 29, 5, OF_MAX_SYM,
                   OF_MAX_LOG, p + *at, len - *at, &used);
    if (rc)
        return rc;
    *at += used;
    rc = seq_table(&z->ml, &z->have_ml, (modes >> 2) & 3, ml_default, 53, 6, ML_MAX_SYM,
                   ML_MAX_LOG, p + *at, len - *at, &used);
    if (rc)
        return rc;
    *at += used;
    return 0;
}

/* Sequences section (RFC 8878 3.1.1.3.2), then the leftover literals. */
static int read_sequences(struct zstd *z, const uint8_t *p, size_t len)
{
    unsigned nseq, modes;
    struct rbits b;
    size_t at;
    int rc;

    rc = seq_count(p, len, &nseq, &at);
    if (rc)
        return rc;
    if (nseq == 0)
        return at == len ? copy_literals(z, z->lit_len) : -XEN_EINVAL;
    if (len - at < 1)
        return -XEN_EINVAL;
    modes = p[at++];
    if (modes & 3)
        return -XEN_EINVAL;             /* reserved bits */
    rc = seq_tables(z, modes, p, len, &at);
    if (rc)
        return rc;
    rc = rb_init(&b, p + at, len - at);
    if (rc)
        return rc;
    rc = exec_sequences(z, &b, nseq);
    return rc ? rc : copy_literals(z, z->lit_len);
}

static int compressed_block(struct zstd *z, const uint8_t *p, size_t len)
{
    size_t used, start = z->pos;
    int rc = read_literals(z, p, len, &used);

    if (rc)
        return rc;
    rc = read_sequences(z, p + used, len - used);
    if (rc)
        return rc;
    return z->pos - start > BLOCK_MAX ? -XEN_EINVAL : 0;
}

/* XXH64 with seed 0 (the content checksum keeps its low 32 bits). */
#define XXP1 0x9e3779b185ebca87ull
#define XXP2 0xc2b2ae3d27d4eb4full
#define XXP3 0x165667b19e3779f9ull
#define XXP4 0x85ebca77c2b2ae63ull
#define XXP5 0x27d4eb2f165667c5ull

static uint64_t rotl64(uint64_t v, unsigned r)
{
    return v << r | v >> (64 - r);
}

static uint64_t xx_round(uint64_t acc, uint64_t lane)
{
    return rotl64(acc + lane * XXP2, 31) * XXP1;
}

static uint64_t xx_merge(uint64_t acc, uint64_t v)
{
    return (acc ^ xx_round(0, v)) * XXP1 + XXP4;
}

static uint64_t xxh64(const uint8_t *p, size_t len)
{
    const uint8_t *end = p + len;
    uint64_t h;

    if (len >= 32) {
        uint64_t v[4] = { XXP1 + XXP2, XXP2, 0, -XXP1 };

        for (; end - p >= 32; p += 32)
            for (unsigned i = 0; i < 4; i++)
                v[i] = xx_round(v[i], load_le64(p + 8 * i));
        h = rotl64(v[0], 1) + rotl64(v[1], 7) + rotl64(v[2], 12) + rotl64(v[3], 18);
        for (unsigned i = 0; i < 4; i++)
            h = xx_merge(h, v[i]);
    } else {
        h = XXP5;
    }
    h += len;
    for (; end - p >= 8; p += 8)
        h = rotl64(h ^ xx_round(0, load_le64(p)), 27) * XXP1 + XXP4;
    if (end - p >= 4) {
        h = rotl64(h ^ (uint64_t)rd32(p) * XXP1, 23) * XXP2 + XXP3;
        p += 4;
    }
    for (; p < end; p++)
        h = rotl64(h ^ *p * XXP5, 11) * XXP1;
    h ^= h >> 33;
    h *= XXP2;
    h ^= h >> 29;
    h *= XXP3;
    h ^= h >> 32;
    return h;
}

/* Frame header (RFC 8878 3.1.1.1); *fcs = content size or ~0 if absent. */
static int frame_header(struct zstd *z, const uint8_t *p, size_t len, size_t *used,
                        bool *checksum, uint64_t *fcs)
{
    static const uint8_t did_size[4] = { 0, 1, 2, 4 }, fcs_size[4] = { 0, 2, 4, 8 };
    unsigned fhd, single, nd, nf;
    size_t at = 1;

    if (len < 1)
        return -XEN_EINVAL;
    fhd = p[0];
    if (fhd & 0x08)
        return -XEN_EINVAL;             /* reserved bit */
    single = (fhd >> 5) & 1;
    nd = did_size[fhd & 3];
    nf = fcs_size[fhd >> 6];
    if (nf == 0 && single)
        nf = 1;
    if (len < 1 + !single + nd + nf)
        return -XEN_EINVAL;
    if (!single) {
        unsigned exp = p[at] >> 3, mant = p[at] & 7;

        z->window = 1ull << (10 + exp);
        z->window += (z->window / 8) * mant;
        at++;
    }
    if (nd && rdle(p + at, nd) != 0)
        return -XEN_EOPNOTSUPP;         /* needs a dictionary */
    at += nd;
    *fcs = nf ? rdle(p + at, nf) + (nf == 2 ? 256 : 0) : ~0ull;
    at += nf;
    if (single)
        z->window = *fcs;
    *checksum = (fhd >> 2) & 1;
    *used = at;
    return 0;
}

/* One block's content by its type; *used = bytes of content. */
static int one_block(struct zstd *z, unsigned type, size_t size, const uint8_t *p, size_t len,
                     size_t *used)
{
    size_t in = type == 1 ? 1 : size;   /* RLE: one byte, size times */

    if (type == 3)
        return -XEN_EINVAL;             /* reserved block type */
    if (len < in)
        return -XEN_EINVAL;
    *used = in;
    if (type == 2)
        return compressed_block(z, p, size);
    if (size > z->cap - z->pos)
        return -XEN_ENOSPC;
    if (type == 0)
        memcpy(z->out + z->pos, p, size);
    else
        memset(z->out + z->pos, p[0], size);
    z->pos += size;
    return 0;
}

static int frame_blocks(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    size_t at = 0, n;
    unsigned last;

    do {
        uint32_t bh;
        int rc;

        if (len - at < 3)
            return -XEN_EINVAL;
        bh = (uint32_t)rdle(p + at, 3);
        at += 3;
        last = bh & 1;
        if ((bh >> 3) > BLOCK_MAX)
            return -XEN_EINVAL;
        rc = one_block(z, (bh >> 1) & 3, bh >> 3, p + at, len - at, &n);
        if (rc)
            return rc;
        at += n;
    } while (!last);
    *used = at;
    return 0;
}

static int zstd_frame(struct zstd *z, const uint8_t *p, size_t len, size_t *used)
{
    size_t at, n;
    bool checksum;
    uint64_t fcs;
    int rc;

    rc = frame_header(z, p, len, &at, &checksum, &fcs);
    if (rc)
        return rc;
    if (fcs != ~0ull && fcs > z->cap - z->pos)
        return -XEN_ENOSPC;
    z->frame_start = z->pos;
    z->have_huf = z->have_ll = z->have_of = z->have_ml = false;
    z->rep[0] = 1;
    z->rep[1] = 4;
    z->rep[2] = 8;
    rc = frame_blocks(z, p + at, len - at, &n);
    if (rc)
        return rc;
    at += n;
    if (fcs != ~0ull && z->pos - z->frame_start != fcs)
        return -XEN_EINVAL;
    if (checksum) {
        if (len - at < 4)
            return -XEN_EINVAL;
        if (rd32(p + at) != (uint32_t)xxh64(z->out + z->frame_start, z->pos - z->frame_start))
            return -XEN_EINVAL;
        at += 4;
    }
    *used = at;
    return 0;
}

/* Frames one after another; whatever follows the last one that is not a
 * frame magic (the bzImage's size word, padding) is ignored. */
static int zstd_frames(struct zstd *z, const uint8_t *in, size_t in_len)
{
    size_t at = 0, used;
    bool any = false;

    while (in_len - at >= 4) {
        uint32_t magic = rd32(in + at);
        int rc;

        if ((magic & SKIP_MAGIC_MASK) == SKIP_MAGIC) {
            if (in_len - at < 8 || rd32(in + at + 4) > in_len - at - 8)
                return -XEN_EINVAL;
            at += 8 + rd32(in + at + 4);
        } else if (magic == ZSTD_MAGIC) {
            rc = zstd_frame(z, in + at + 4, in_len - at - 4, &used);
            if (rc)
                return rc;
            at += 4 + used;
        } else {
            break;
        }
        any = true;
    }
    return any ? 0 : -XEN_EINVAL;
}

int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    struct zstd *z = xmalloc(sizeof(*z));
    int rc;

    if (!z)
        return -XEN_ENOMEM;
    z->out = out;
    z->cap = out_cap;
    z->pos = 0;
    z->in_end = in + in_len;
    rc = zstd_frames(z, in, in_len);
    if (!rc)
        *out_len = z->pos;
    xfree(z);
    return rc;
}
