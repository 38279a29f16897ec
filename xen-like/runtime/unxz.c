/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unxz(): one XZ stream (xz-file-format 1.x) decoded whole into the caller's
 * buffer: stream header/footer, blocks, index, checks none/CRC32/CRC64, the
 * LZMA2 chunk layer over the LZMA range decoder, and the x86 BCJ filter.
 * The output buffer is the dictionary. Not here: gzip (gunzip.c), Zstandard
 * (unzstd.c), choosing among them (bzimage.c).
 */
#include "decompress.h"
#include "env.h"
#include "errno.h"

#define BAD   (-XEN_EINVAL)
#define NOSUP (-XEN_EOPNOTSUPP)

/* ---- little helpers ------------------------------------------------------ */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static unsigned int be16(const uint8_t *p)
{
    return (unsigned int)p[0] << 8 | p[1];
}

/* An unaligned little-endian 64-bit load (x86 only, like the hypervisor). */
typedef uint64_t u64_unaligned __attribute__((aligned(1), may_alias));

static uint64_t load64(const uint8_t *p)
{
    return *(const u64_unaligned *)p;
}

/* CRC tables are built on first use; every CPU computes the same values, so
 * a second builder racing the first only rewrites identical words.
 * crc32_tab[k] advances a CRC by one byte followed by k zero bytes, which
 * lets crc32() fold 8 input bytes per step (one load instead of eight:
 * loads are what cost most under QEMU TCG). */
static uint32_t crc32_tab[8][256];
static uint64_t crc64_tab[256];
static bool crc_ready;

static void crc_init(void)
{
    for (unsigned int i = 0; i < 256; i++) {
        uint32_t c = i;
        uint64_t d = i;

        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
            d = (d >> 1) ^ (0xC96C5795D7870F42ull & (0ull - (d & 1)));
        }
        crc32_tab[0][i] = c;
        crc64_tab[i] = d;
    }
    for (unsigned int i = 0; i < 256; i++)
        for (unsigned int k = 1; k < 8; k++)
            crc32_tab[k][i] = (crc32_tab[k - 1][i] >> 8) ^
                              crc32_tab[0][crc32_tab[k - 1][i] & 0xFF];
    __atomic_store_n(&crc_ready, true, __ATOMIC_RELEASE);
}

static uint32_t crc32(const uint8_t *p, size_t n, uint32_t crc)
{
    crc = ~crc;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t v = load64(p) ^ crc;

        crc = crc32_tab[7][v & 0xFF] ^ crc32_tab[6][(v >> 8) & 0xFF] ^
              crc32_tab[5][(v >> 16) & 0xFF] ^ crc32_tab[4][(v >> 24) & 0xFF] ^
              crc32_tab[3][(v >> 32) & 0xFF] ^ crc32_tab[2][(v >> 40) & 0xFF] ^
              crc32_tab[1][(v >> 48) & 0xFF] ^ crc32_tab[0][v >> 56];
    }
    while (n--)
        crc = crc32_tab[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint64_t crc64(const uint8_t *p, size_t n)
{
    uint64_t crc = ~0ull;

    while (n--)
        crc = crc64_tab[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* A multibyte integer: 1..9 bytes, 7 bits each, no superfluous zero byte. */
static int vli(const uint8_t *p, size_t end, size_t *pos, uint64_t *v)
{
    uint64_t x = 0;

    for (unsigned int i = 0; i < 9 && *pos < end; i++) {
        uint8_t b = p[(*pos)++];

        x |= (uint64_t)(b & 0x7F) << (7 * i);
        if (!(b & 0x80)) {
            if (b == 0 && i)
                return BAD;
            *v = x;
            return 0;
        }
    }
    return BAD;
}

/* ---- the LZMA range decoder ---------------------------------------------- */

#define PROB_BITS   11
#define PROB_ONE    (1u << PROB_BITS)
#define MOVE_BITS   5
#define TOP         (1u << 24)
#define STATES      12
#define LIT_STATES  7          /* states below this follow a literal */
#define POS_MAX     16         /* 1 << pb, pb <= 4 */
#define DIST_SPECIAL 115       /* probabilities for dist slots 4..13 */
#define LIT_CODER   0x300
#define MATCH_MIN   2

struct len_probs {
    uint16_t choice, choice2;
    uint16_t low[POS_MAX][8], mid[POS_MAX][8], high[256];
};

/* Only uint16_t members: reset treats the fixed part as one array. */
struct lzma_probs {
    uint16_t is_match[STATES][POS_MAX], is_rep[STATES], is_rep0[STATES];
    uint16_t is_rep1[STATES], is_rep2[STATES], is_rep0_long[STATES][POS_MAX];
    uint16_t dist_slot[4][64], dist_special[DIST_SPECIAL], dist_align[16];
    struct len_probs match_len, rep_len;
    uint16_t literal[LIT_CODER << 4];   /* lc + lp <= 4 in LZMA2 */
};

struct lzma {
    unsigned int lc, lp, pb;
    uint32_t state, rep[4];
    struct lzma_probs p;
};

struct rc {
    uint32_t range, code;
    const uint8_t *in, *end;   /* reads past end yield 0 and are caught later */
};

static inline __attribute__((always_inline)) void rc_norm(struct rc *r)
{
    if (r->range < TOP) {
        r->range <<= 8;
        r->code = r->code << 8 | (r->in < r->end ? *r->in : 0);
        r->in++;
    }
}

/* Branch-free: under QEMU TCG every conditional branch ends a translated
 * block, and this runs once per decoded bit. */
static inline __attribute__((always_inline)) unsigned int
rc_bit(struct rc *r, uint16_t *prob)
{
    uint32_t p = *prob, bound, one;

    rc_norm(r);
    bound = (r->range >> PROB_BITS) * p;
    one = 0u - (uint32_t)(r->code >= bound);
    r->range = (bound & ~one) | ((r->range - bound) & one);
    r->code -= bound & one;
    *prob = (uint16_t)(p + ((((PROB_ONE - p) >> MOVE_BITS) & ~one) -
                            ((p >> MOVE_BITS) & one)));
    return one & 1;
}

/* A bit tree of `bits` levels, most significant bit first. */
static inline __attribute__((always_inline)) unsigned int
rc_tree(struct rc *r, uint16_t *probs, unsigned int bits)
{
    unsigned int m = 1;

    while (m < (1u << bits))
        m = m << 1 | rc_bit(r, probs + m);
    return m - (1u << bits);
}

/* The same tree walked least significant bit first. */
static inline __attribute__((always_inline)) unsigned int rc_rtree(struct rc *r, uint16_t *probs,
                                    unsigned int bits)
{
    unsigned int m = 1, v = 0;

    for (unsigned int i = 0; i < bits; i++) {
        unsigned int b = rc_bit(r, probs + m);

        m = m << 1 | b;
        v |= b << i;
    }
    return v;
}

/* Bits with probability one half. */
static inline __attribute__((always_inline)) uint32_t rc_direct(struct rc *r, unsigned int bits)
{
    uint32_t v = 0;

    while (bits--) {
        rc_norm(r);
        r->range >>= 1;
        v <<= 1;
        if (r->code >= r->range) {
            r->code -= r->range;
            v |= 1;
        }
    }
    return v;
}

static inline __attribute__((always_inline)) unsigned int
len_decode(struct rc *r, struct len_probs *l, unsigned int ps)
{
    if (!rc_bit(r, &l->choice))
        return rc_tree(r, l->low[ps], 3);
    if (!rc_bit(r, &l->choice2))
        return 8 + rc_tree(r, l->mid[ps], 3);
    return 16 + rc_tree(r, l->high, 8);
}

/* The distance of a new match whose length code is len (0-based). */
static inline __attribute__((always_inline)) uint32_t dist_decode(struct rc *r, struct lzma_probs *p, unsigned int len)
{
    unsigned int slot = rc_tree(r, p->dist_slot[len < 3 ? len : 3], 6);
    unsigned int nb;
    uint32_t d;

    if (slot < 4)
        return slot;
    nb = (slot >> 1) - 1;
    d = (uint32_t)(2 | (slot & 1)) << nb;
    if (slot < 14)
        return d + rc_rtree(r, p->dist_special + d - slot, nb);
    d += rc_direct(r, nb - 4) << 4;
    return d + rc_rtree(r, p->dist_align, 4);
}

static void lzma_reset(struct lzma *lz)
{
    size_t fixed = offsetof(struct lzma_probs, literal) / sizeof(uint16_t);
    size_t lits = (size_t)LIT_CODER << (lz->lc + lz->lp);
    uint16_t *all = (uint16_t *)&lz->p;

    for (size_t i = 0; i < fixed + lits; i++)
        all[i] = PROB_ONE / 2;
    lz->state = 0;
    lz->rep[0] = lz->rep[1] = lz->rep[2] = lz->rep[3] = 0;
}

/* lc/lp/pb from the LZMA2 properties byte: (pb * 5 + lp) * 9 + lc. */
static int lzma_props(struct lzma *lz, uint8_t b)
{
    if (b >= 9 * 5 * 5)
        return BAD;
    lz->lc = b % 9;
    lz->lp = (b / 9) % 5;
    lz->pb = b / 45;
    return lz->lc + lz->lp > 4 ? BAD : 0;
}

/* Copy a match of len bytes from dist+1 back; the caller checked bounds.
 * Most matches are short: a byte loop beats a call for them. */
static inline __attribute__((always_inline)) void
copy_match(uint8_t *dst, uint32_t dist, unsigned int len)
{
    const uint8_t *src = dst - dist - 1;

    if (len > 16 && dist + 1 >= len) {
        memcpy(dst, src, len);
        return;
    }
    while (len--)
        *dst++ = *src++;
}

/*
 * The decoder's working state, copied out of struct lzma for one chunk:
 * as locals whose address never escapes they stay in registers, whereas
 * every byte stored to the dictionary might alias struct lzma's fields.
 */
struct lz_regs {
    uint32_t st, rep0, rep1, rep2, rep3;
};

static inline __attribute__((always_inline)) uint32_t
lit_next_state(uint32_t st)
{
    return st < 4 ? 0 : st < 10 ? st - 3 : st - 6;
}

/* One literal at dict[pos]: plain after a literal, "matched" against the
 * byte rep0 back after a match. */
static inline __attribute__((always_inline)) uint8_t
lit_decode(struct rc *r, uint16_t *probs, const struct lz_regs *z,
           const uint8_t *dict, size_t pos)
{
    unsigned int sym = 1;

    if (z->st >= LIT_STATES) {
        unsigned int mb = dict[pos - z->rep0 - 1];

        while (sym < 0x100) {
            unsigned int mbit = (mb >> 7) & 1, b;

            mb <<= 1;
            b = rc_bit(r, probs + 0x100 + (mbit << 8) + sym);
            sym = sym << 1 | b;
            if (b != mbit)
                break;
        }
    }
    while (sym < 0x100)
        sym = sym << 1 | rc_bit(r, probs + sym);
    return (uint8_t)sym;
}

/* A repeated match: picks the distance (rep0..3) and returns the length code,
 * or sets *shortrep for a one-byte repeat of rep0. */
static inline __attribute__((always_inline)) unsigned int
rep_decode(struct rc *r, struct lzma_probs *p, struct lz_regs *z,
           unsigned int ps, bool *shortrep)
{
    uint32_t st = z->st, d;

    if (!rc_bit(r, &p->is_rep0[st])) {
        if (!rc_bit(r, &p->is_rep0_long[st][ps])) {
            *shortrep = true;
            z->st = st < LIT_STATES ? 9 : 11;
            return 0;
        }
    } else {
        if (!rc_bit(r, &p->is_rep1[st])) {
            d = z->rep1;
        } else {
            if (!rc_bit(r, &p->is_rep2[st])) {
                d = z->rep2;
            } else {
                d = z->rep3;
                z->rep3 = z->rep2;
            }
            z->rep2 = z->rep1;
        }
        z->rep1 = z->rep0;
        z->rep0 = d;
    }
    z->st = st < LIT_STATES ? 8 : 11;
    return len_decode(r, &p->rep_len, ps);
}

/*
 * One LZMA chunk: in[0, csize) holds a fresh range coder; it must produce
 * exactly dict[pos, end) and consume exactly csize bytes. dict[0] is the
 * last dictionary reset, so matches may reach back to it and no further.
 */
static int lzma_chunk(struct lzma *lz, const uint8_t *in, size_t csize,
                      uint8_t *dict, size_t pos, size_t end)
{
    struct rc r = { 0xFFFFFFFFu, 0, in + 5, in + csize };
    struct lz_regs z = { lz->state, lz->rep[0], lz->rep[1], lz->rep[2], lz->rep[3] };
    struct lzma_probs *p = &lz->p;
    const unsigned int pb_mask = (1u << lz->pb) - 1, lc = lz->lc;
    const unsigned int lp_mask = (1u << lz->lp) - 1;
    int rc = BAD;

    if (csize < 5 || in[0] != 0)
        return BAD;
    r.code = (uint32_t)in[1] << 24 | (uint32_t)in[2] << 16 |
             (uint32_t)in[3] << 8 | in[4];
    while (pos < end) {
        unsigned int ps = pos & pb_mask, len;
        bool shortrep = false;

        if (!rc_bit(&r, &p->is_match[z.st][ps])) {
            unsigned int prev = pos ? dict[pos - 1] : 0;
            uint16_t *lp = p->literal + LIT_CODER *
                (((pos & lp_mask) << lc) + (prev >> (8 - lc)));

            dict[pos] = lit_decode(&r, lp, &z, dict, pos);
            pos++;
            z.st = lit_next_state(z.st);
            continue;
        }
        if (rc_bit(&r, &p->is_rep[z.st])) {
            if (pos == 0)
                goto out;            /* nothing to repeat yet */
            len = rep_decode(&r, p, &z, ps, &shortrep);
            if (shortrep) {
                dict[pos] = dict[pos - z.rep0 - 1];
                pos++;
                continue;
            }
        } else {
            len = len_decode(&r, &p->match_len, ps);
            z.rep3 = z.rep2;
            z.rep2 = z.rep1;
            z.rep1 = z.rep0;
            z.rep0 = dist_decode(&r, p, len);
            z.st = z.st < LIT_STATES ? 7 : 10;
        }
        len += MATCH_MIN;
        /* Also rejects the end marker (0xFFFFFFFF), which LZMA2 never uses. */
        if (z.rep0 >= pos || len > end - pos)
            goto out;
        copy_match(dict + pos, z.rep0, len);
        pos += len;
    }
    rc_norm(&r);
    rc = r.in == r.end && r.code == 0 ? 0 : BAD;
out:
    lz->state = z.st;
    lz->rep[0] = z.rep0;
    lz->rep[1] = z.rep1;
    lz->rep[2] = z.rep2;
    lz->rep[3] = z.rep3;
    return rc;
}

/* ---- the XZ container ---------------------------------------------------- */

#define LZMA2_ID     0x21
#define X86_ID       0x04
#define CHECK_NONE   0
#define CHECK_CRC32  1
#define CHECK_CRC64  4

struct xz {
    const uint8_t *in;
    size_t in_len, ip;
    uint8_t *out;
    size_t out_cap, op;
    unsigned int check, check_len;
    /* What the blocks held, compared with the index at the end. */
    uint64_t blocks, unpadded, uncomp;
    uint32_t rec_hash;
    struct lzma lz;
};

struct block_hdr {
    uint64_t csize, usize;     /* ~0 if the header does not say */
    bool x86;
    uint32_t x86_start;
};

static const uint8_t xz_magic[6] = { 0xFD, '7', 'z', 'X', 'Z', 0 };

static void record(uint32_t *hash, uint64_t unpadded, uint64_t uncomp)
{
    uint8_t b[16];

    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(unpadded >> (8 * i));
        b[8 + i] = (uint8_t)(uncomp >> (8 * i));
    }
    *hash = crc32(b, sizeof(b), *hash);
}

static int stream_header(struct xz *s)
{
    const uint8_t *h = s->in;
    static const uint8_t check_len[16] = { 0, 4, 4, 4, 8, 8, 8, 16, 16, 16,
                                           32, 32, 32, 64, 64, 64 };

    if (s->in_len < 12 || memcmp(h, xz_magic, 6))
        return BAD;
    if (crc32(h + 6, 2, 0) != le32(h + 8) || h[6] || (h[7] & 0xF0))
        return BAD;
    s->check = h[7];
    s->check_len = check_len[s->check];
    s->ip = 12;
    if (s->check != CHECK_NONE && s->check != CHECK_CRC32 &&
        s->check != CHECK_CRC64)
        return NOSUP;           /* SHA-256 and the reserved IDs */
    return 0;
}

/* An uncompressed chunk of n bytes at s->ip. */
static int lzma2_stored(struct xz *s, size_t in_end, size_t n)
{
    if (n > in_end - s->ip)
        return BAD;
    if (n > s->out_cap - s->op)
        return -XEN_ENOSPC;
    memcpy(s->out + s->op, s->in + s->ip, n);
    s->ip += n;
    s->op += n;
    return 0;
}

/* An LZMA chunk; c is its control byte, at s->ip - 1. */
static int lzma2_packed(struct xz *s, size_t in_end, unsigned int c,
                        size_t dict_start, bool *need_props)
{
    const uint8_t *h = s->in + s->ip;
    size_t hlen = c >= 0xC0 ? 5 : 4, usize, csize;
    int rc;

    if (hlen > in_end - s->ip)
        return BAD;
    usize = ((size_t)(c & 0x1F) << 16) + be16(h) + 1;
    csize = be16(h + 2) + 1;
    if (c >= 0xC0) {
        if ((rc = lzma_props(&s->lz, h[4])))
            return rc;
        *need_props = false;
    } else if (*need_props) {
        return BAD;
    }
    if (c >= 0xA0)
        lzma_reset(&s->lz);
    s->ip += hlen;
    if (csize > in_end - s->ip)
        return BAD;
    if (usize > s->out_cap - s->op)
        return -XEN_ENOSPC;
    rc = lzma_chunk(&s->lz, s->in + s->ip, csize, s->out + dict_start,
                    s->op - dict_start, s->op - dict_start + usize);
    if (rc)
        return rc;
    s->ip += csize;
    s->op += usize;
    return 0;
}

/* LZMA2 chunks up to the end-of-data byte, from s->ip to at most in_end. */
static int lzma2(struct xz *s, size_t in_end)
{
    bool need_dict = true, need_props = true;
    size_t dict_start = s->op;
    int rc;

    for (;;) {
        unsigned int c;

        if (s->ip >= in_end)
            return BAD;
        c = s->in[s->ip++];
        if (c == 0)
            return 0;
        if (c >= 0xE0 || c == 1) {
            need_props = true;
            need_dict = false;
            dict_start = s->op;
        } else if (need_dict) {
            return BAD;
        }
        if (c >= 0x80) {
            rc = lzma2_packed(s, in_end, c, dict_start, &need_props);
        } else if (c <= 2) {
            if (2 > in_end - s->ip)
                return BAD;
            s->ip += 2;
            rc = lzma2_stored(s, in_end, be16(s->in + s->ip - 2) + 1);
        } else {
            return BAD;
        }
        if (rc)
            return rc;
    }
}

/*
 * The x86 BCJ filter, decoding direction: E8/E9 (CALL/JMP rel32) operands
 * were made absolute by the encoder; make them relative again. The mask
 * tracks E8/E9 bytes seen in the last five positions, as the encoder did,
 * so that both sides pick the same instructions.
 */
static bool x86_msbyte(uint8_t b)
{
    return b == 0 || b == 0xFF;
}

/* The first i' >= i with an E8/E9 byte, or last + 1; 8 bytes per load. */
static size_t find_e8(const uint8_t *b, size_t i, size_t last)
{
    const uint64_t ones = 0x0101010101010101ull;

    for (; i + 8 <= last + 1; i += 8) {
        uint64_t x = (load64(b + i) & (0xFE * ones)) ^ (0xE8 * ones);

        if ((x - ones) & ~x & (0x80 * ones))
            break;              /* some byte of the eight is E8/E9 */
    }
    while (i <= last && (b[i] & 0xFE) != 0xE8)
        i++;
    return i;
}

static void bcj_x86(uint8_t *buf, size_t size, uint32_t start)
{
    static const bool allowed[8] = { 1, 1, 1, 0, 1, 0, 0, 0 };
    static const unsigned int byte_of[8] = { 0, 1, 2, 2, 3, 3, 3, 3 };
    size_t i = 0, gap, prev = 0;
    bool seen = false;
    uint32_t mask = 0;

    if (size < 5)
        return;
    for (;;) {
        i = find_e8(buf, i, size - 5);
        if (i > size - 5)
            break;
        gap = seen ? i - prev : i + 5;
        prev = i;
        seen = true;
        if (gap > 5)
            mask = 0;
        else
            while (gap--)
                mask = (mask & 0x77) << 1;
        if (!x86_msbyte(buf[i + 4]) || !allowed[(mask >> 1) & 7] ||
            (mask >> 1) >= 0x10) {
            mask |= 1;
            if (x86_msbyte(buf[i + 4]))
                mask |= 0x10;
            i++;
            continue;
        }
        uint32_t src = le32(buf + i + 1), dest;
        for (;;) {
            unsigned int sh;

            dest = src - (start + (uint32_t)i + 5);
            if (!mask)
                break;
            sh = 32 - 8 * byte_of[mask >> 1];
            if (!x86_msbyte((uint8_t)(dest >> (sh - 8))))
                break;
            src = dest ^ (uint32_t)((1ull << sh) - 1);
        }
        buf[i + 1] = (uint8_t)dest;
        buf[i + 2] = (uint8_t)(dest >> 8);
        buf[i + 3] = (uint8_t)(dest >> 16);
        buf[i + 4] = (dest >> 24) & 1 ? 0xFF : 0;
        i += 5;
        mask = 0;
    }
}

/* The filter list of a block header: [x86 BCJ,] LZMA2. */
static int block_filters(const uint8_t *h, size_t end, size_t *pos,
                         unsigned int n, struct block_hdr *bh)
{
    for (unsigned int i = 0; i < n; i++) {
        uint64_t id, psize;
        int rc;

        if ((rc = vli(h, end, pos, &id)) || (rc = vli(h, end, pos, &psize)))
            return rc;
        if (psize > end - *pos)
            return BAD;
        if (id == LZMA2_ID) {
            if (i != n - 1 || psize != 1 || h[*pos] > 40)
                return BAD;
        } else if (id == X86_ID && i != n - 1 && !bh->x86) {
            if (psize != 0 && psize != 4)
                return BAD;
            bh->x86 = true;
            bh->x86_start = psize ? le32(h + *pos) : 0;
        } else if (i == n - 1) {
            return id == X86_ID ? BAD : NOSUP;  /* BCJ cannot end a chain */
        } else {
            return NOSUP;       /* delta, other BCJs, unknown filters */
        }
        *pos += psize;
    }
    return 0;
}

static int block_header(struct xz *s, struct block_hdr *bh, size_t *hsize)
{
    const uint8_t *h = s->in + s->ip;
    size_t size = ((size_t)h[0] + 1) * 4, pos = 2;
    int rc;

    if (size > s->in_len - s->ip || crc32(h, size - 4, 0) != le32(h + size - 4))
        return BAD;
    if (h[1] & 0x3C)
        return NOSUP;           /* reserved flags: a newer format */
    bh->csize = bh->usize = ~0ull;
    bh->x86 = false;
    if ((h[1] & 0x40) && ((rc = vli(h, size - 4, &pos, &bh->csize)) || !bh->csize))
        return BAD;
    if ((h[1] & 0x80) && (rc = vli(h, size - 4, &pos, &bh->usize)))
        return rc;
    if ((rc = block_filters(h, size - 4, &pos, (h[1] & 3) + 1, bh)))
        return rc;
    while (pos < size - 4)
        if (h[pos++])
            return BAD;         /* header padding must be zero */
    *hsize = size;
    return 0;
}

static int block_check(struct xz *s, const uint8_t *data, size_t n)
{
    const uint8_t *c = s->in + s->ip;

    if (s->check_len > s->in_len - s->ip)
        return BAD;
    if (s->check == CHECK_CRC32 && crc32(data, n, 0) != le32(c))
        return BAD;
    if (s->check == CHECK_CRC64 && crc64(data, n) != le64(c))
        return BAD;
    s->ip += s->check_len;
    return 0;
}

static int block(struct xz *s)
{
    struct block_hdr bh;
    size_t hsize, data_in, out0 = s->op, in_end = s->in_len, csize;
    int rc;

    if ((rc = block_header(s, &bh, &hsize)))
        return rc;
    s->ip += hsize;
    data_in = s->ip;
    if (bh.csize != ~0ull) {
        if (bh.csize > s->in_len - s->ip)
            return BAD;
        in_end = s->ip + bh.csize;
    }
    if (bh.usize != ~0ull && bh.usize > s->out_cap - s->op)
        return -XEN_ENOSPC;
    if ((rc = lzma2(s, in_end)))
        return rc;
    csize = s->ip - data_in;
    if ((bh.csize != ~0ull && csize != bh.csize) ||
        (bh.usize != ~0ull && s->op - out0 != bh.usize))
        return BAD;
    if (bh.x86)
        bcj_x86(s->out + out0, s->op - out0, bh.x86_start);
    for (; (s->ip - data_in) & 3; s->ip++)
        if (s->ip >= s->in_len || s->in[s->ip])
            return BAD;         /* block padding must be zero */
    if ((rc = block_check(s, s->out + out0, s->op - out0)))
        return rc;
    s->blocks++;
    s->unpadded += hsize + csize + s->check_len;
    s->uncomp += s->op - out0;
    record(&s->rec_hash, hsize + csize + s->check_len, s->op - out0);
    return 0;
}

struct index_sum {
    uint64_t count, unpadded, uncomp;
    uint32_t hash;
    size_t size;               /* bytes of the index, CRC included */
};

/* The index at in[start, end): indicator, records, padding, CRC32. */
static int index_parse(const uint8_t *in, size_t start, size_t end,
                       struct index_sum *sum)
{
    size_t pos = start + 1;
    uint64_t n, up, un;
    int rc;

    *sum = (struct index_sum){ 0 };
    if (start >= end || in[start] != 0)
        return BAD;
    if ((rc = vli(in, end, &pos, &n)))
        return rc;
    for (uint64_t i = 0; i < n; i++) {
        if ((rc = vli(in, end, &pos, &up)) || (rc = vli(in, end, &pos, &un)))
            return rc;
        if (up == 0 || sum->uncomp + un < un)
            return BAD;
        sum->count++;
        sum->unpadded += up;
        sum->uncomp += un;
        record(&sum->hash, up, un);
    }
    for (; (pos - start) & 3; pos++)
        if (pos >= end || in[pos])
            return BAD;
    if (4 > end - pos || crc32(in + start, pos - start, 0) != le32(in + pos))
        return BAD;
    sum->size = pos + 4 - start;
    return 0;
}

/* The stream footer at f: CRC32, backward size, flags, "YZ". */
static int footer_parse(const uint8_t *f, const uint8_t *flags, size_t *bsize)
{
    if (f[10] != 'Y' || f[11] != 'Z' || crc32(f + 4, 6, 0) != le32(f))
        return BAD;
    if (flags && (f[8] != flags[0] || f[9] != flags[1]))
        return BAD;
    *bsize = ((size_t)le32(f + 4) + 1) * 4;
    return 0;
}

static int stream_end(struct xz *s)
{
    struct index_sum sum;
    size_t bsize;
    int rc;

    if ((rc = index_parse(s->in, s->ip, s->in_len, &sum)))
        return rc;
    if (sum.count != s->blocks || sum.unpadded != s->unpadded ||
        sum.uncomp != s->uncomp || sum.hash != s->rec_hash)
        return BAD;
    s->ip += sum.size;
    if (12 > s->in_len - s->ip ||
        (rc = footer_parse(s->in + s->ip, s->in + 6, &bsize)))
        return BAD;
    return bsize == sum.size ? 0 : BAD;
}

int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap,
         size_t *out_len)
{
    struct xz *s;
    int rc;

    if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
        crc_init();
    s = env_zalloc(sizeof(*s));
    if (!s)
        return -XEN_ENOMEM;
    s->in = in;
    s->in_len = in_len;
    s->out = out;
    s->out_cap = out_cap;
    rc = stream_header(s);
    while (!rc) {
        if (s->ip >= in_len) {
            rc = BAD;
        } else if (in[s->ip] == 0) {
            rc = stream_end(s);
            break;
        } else {
            rc = block(s);
        }
    }
    if (!rc)
        *out_len = s->op;
    env_free(s);
    return rc;
}

/*
 * The total uncompressed size an XZ stream's index promises, found from the
 * end of in[0, in_len): the footer may be followed by up to 64 bytes of
 * anything (Linux appends the size as 4 bytes). 0 or -XEN_EINVAL.
 */
int unxz_size(const uint8_t *in, size_t in_len, uint64_t *size)
{
    struct index_sum sum;
    size_t bsize;

    if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
        crc_init();
    if (in_len < 24 || memcmp(in, xz_magic, 6))
        return BAD;
    for (size_t end = in_len; end >= 24 && in_len - end <= 64; end--) {
        const uint8_t *f = in + end - 12;

        if (footer_parse(f, in + 6, &bsize) || bsize > end - 24)
            continue;
        if (!index_parse(in, end - 12 - bsize, end - 12, &sum) &&
            sum.size == bsize) {
            *size = sum.uncomp;
            return 0;
        }
    }
    return BAD;
}
