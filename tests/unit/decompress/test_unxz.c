/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unxz() against streams made by Debian's liblzma (every preset, each check,
 * the x86 BCJ filter, several blocks, stored chunks, empty input, the Debian
 * kernel's own payload) and every way a stream can be wrong: truncation,
 * flipped bits, short output, bad or unsupported headers, lying indexes.
 */
#include "unit.h"
#include <lzma.h>
#include "decompress.h"
#include "env_shim.h"
#include "errno.h"
#include "pvh_loader.h"

/* ---- inputs --------------------------------------------------------------- */

struct buf {
    uint8_t *p;
    size_t n;
};

static uint32_t rng = 1;
static uint32_t next_rand(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* Compressible: words and numbers, like a log. */
static struct buf text(size_t n, uint32_t seed)
{
    static const char *w[] = { "hypervisor ", "domain ", "event ", "channel ",
                               "grant ", "xenstore ", "\n", "0x", "page ",
                               "vcpu ", "memory ", "= " };
    struct buf b = { malloc(n + 1), n };

    rng = seed;
    for (size_t i = 0; i < n;) {
        const char *s = w[next_rand() % 12];
        while (*s && i < n)
            b.p[i++] = (uint8_t)*s++;
        if (i < n && next_rand() % 3 == 0)
            b.p[i++] = (uint8_t)('0' + next_rand() % 10);
    }
    return b;
}

static struct buf noise(size_t n, uint32_t seed)
{
    struct buf b = { malloc(n + 1), n };

    rng = seed;
    for (size_t i = 0; i < n; i++)
        b.p[i] = (uint8_t)next_rand();
    return b;
}

static struct buf slurp(const char *path)
{
    struct buf b = { NULL, 0 };
    FILE *f = fopen(path, "rb");
    long n;

    if (!f)
        return b;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b.p = malloc((size_t)n + 1);
    b.n = fread(b.p, 1, (size_t)n, f);
    fclose(f);
    return b;
}

/* x86 machine code with many CALLs: this very test binary. */
static struct buf x86_code(void)
{
    struct buf b = slurp("/proc/self/exe");

    CHECK(b.n > 100000);
    return b;
}

/* ---- liblzma encoders ---------------------------------------------------- */

static struct buf enc_filters(struct buf d, lzma_filter *f, lzma_check check)
{
    size_t cap = d.n + d.n / 2 + 4096;
    struct buf o = { malloc(cap), 0 };

    CHECK_EQ(lzma_stream_buffer_encode(f, check, NULL, d.p, d.n, o.p, &o.n, cap),
             LZMA_OK);
    return o;
}

static struct buf enc_preset(struct buf d, uint32_t preset, lzma_check check,
                             bool x86, uint32_t x86_start)
{
    lzma_options_lzma opt;
    lzma_options_bcj bcj;
    lzma_filter f[3];
    int i = 0;

    memset(&bcj, 0, sizeof(bcj));
    bcj.start_offset = x86_start;
    CHECK(!lzma_lzma_preset(&opt, preset));
    if (x86)
        f[i++] = (lzma_filter){ LZMA_FILTER_X86, x86_start ? &bcj : NULL };
    f[i++] = (lzma_filter){ LZMA_FILTER_LZMA2, &opt };
    f[i] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
    return enc_filters(d, f, check);
}

/* A streamed encoding that ends a block every `block` bytes (the streaming
 * encoder writes no sizes into block headers, unlike the buffer one). */
static struct buf enc_blocks(struct buf d, size_t block, uint32_t preset, bool x86)
{
    lzma_options_lzma opt;
    lzma_filter f[3];
    lzma_stream s = LZMA_STREAM_INIT;
    size_t cap = d.n + d.n / 2 + 65536, pos = 0;
    struct buf o = { malloc(cap), 0 };
    int i = 0;

    CHECK(!lzma_lzma_preset(&opt, preset));
    if (x86)
        f[i++] = (lzma_filter){ LZMA_FILTER_X86, NULL };
    f[i++] = (lzma_filter){ LZMA_FILTER_LZMA2, &opt };
    f[i] = (lzma_filter){ LZMA_VLI_UNKNOWN, NULL };
    CHECK_EQ(lzma_stream_encoder(&s, f, LZMA_CHECK_CRC32), LZMA_OK);
    s.next_out = o.p;
    s.avail_out = cap;
    for (;;) {
        size_t n = d.n - pos < block ? d.n - pos : block;
        lzma_action a = pos + n == d.n ? LZMA_FINISH : LZMA_FULL_FLUSH;
        lzma_ret r;

        s.next_in = d.p + pos;
        s.avail_in = n;
        do
            r = lzma_code(&s, a);
        while (r == LZMA_OK);
        pos += n;
        if (a == LZMA_FINISH) {
            CHECK_EQ(r, LZMA_STREAM_END);
            break;
        }
        CHECK_EQ(r, LZMA_STREAM_END);
    }
    o.n = cap - s.avail_out;
    lzma_end(&s);
    return o;
}

/* ---- decoding helpers ---------------------------------------------------- */

static int dec(struct buf in, size_t cap, struct buf *out)
{
    out->p = malloc(cap ? cap : 1);
    out->n = 0;
    return unxz(in.p, in.n, out->p, cap, &out->n);
}

static void roundtrip(struct buf d, struct buf z)
{
    struct buf o;

    CHECK_EQ(dec(z, d.n, &o), 0);
    CHECK_EQ(o.n, d.n);
    CHECK(d.n == 0 || !memcmp(o.p, d.p, d.n));
    free(o.p);
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    return lzma_crc32(p, n, 0);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* Rewrite the first block header's CRC32 after editing it. */
static void fix_block_crc(struct buf z)
{
    size_t size = ((size_t)z.p[12] + 1) * 4;

    put32(z.p + 12 + size - 4, crc32_of(z.p + 12, size - 4));
}

/* The first filter's ID in the first block header (made by the buffer
 * encoder, which writes both sizes): [size, flags, csize, usize, id, ...]. */
static size_t filter_at(struct buf z)
{
    size_t p = 14;

    for (int v = 0; v < 2; v++) {
        while (z.p[p] & 0x80)
            p++;
        p++;
    }
    return p;
}

/* ---- valid streams ------------------------------------------------------- */

TEST(every_preset_roundtrips)
{
    struct buf d = text(300000, 7);

    for (uint32_t lvl = 0; lvl <= 9; lvl++)
        roundtrip(d, enc_preset(d, lvl, LZMA_CHECK_CRC64, false, 0));
}

TEST(extreme_presets_roundtrip)
{
    struct buf d = text(200000, 8);

    roundtrip(d, enc_preset(d, 0 | LZMA_PRESET_EXTREME, LZMA_CHECK_CRC32, false, 0));
    roundtrip(d, enc_preset(d, 6 | LZMA_PRESET_EXTREME, LZMA_CHECK_CRC32, false, 0));
    roundtrip(d, enc_preset(d, 9 | LZMA_PRESET_EXTREME, LZMA_CHECK_CRC32, false, 0));
}

TEST(each_supported_check)
{
    struct buf d = text(50000, 9);

    roundtrip(d, enc_preset(d, 6, LZMA_CHECK_NONE, false, 0));
    roundtrip(d, enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0));
    roundtrip(d, enc_preset(d, 6, LZMA_CHECK_CRC64, false, 0));
}

TEST(sha256_check_is_not_supported)
{
    struct buf d = text(5000, 9), o;
    struct buf z = enc_preset(d, 6, LZMA_CHECK_SHA256, false, 0);

    CHECK_EQ(dec(z, d.n, &o), -XEN_EOPNOTSUPP);
}

/* lc/lp/pb other than the presets' 3/0/2 exercise the literal context. */
TEST(unusual_lc_lp_pb)
{
    static const uint32_t lcs[][3] = { { 0, 0, 0 }, { 4, 0, 4 }, { 0, 4, 0 },
                                       { 1, 3, 1 }, { 2, 2, 3 } };
    struct buf d = x86_code();

    for (unsigned int i = 0; i < 5; i++) {
        lzma_options_lzma opt;
        lzma_filter f[2] = { { LZMA_FILTER_LZMA2, &opt },
                             { LZMA_VLI_UNKNOWN, NULL } };
        lzma_lzma_preset(&opt, 6);
        opt.lc = lcs[i][0];
        opt.lp = lcs[i][1];
        opt.pb = lcs[i][2];
        roundtrip(d, enc_filters(d, f, LZMA_CHECK_CRC32));
    }
}

TEST(x86_bcj_filter)
{
    struct buf d = x86_code(), o, z = enc_preset(d, 6, LZMA_CHECK_CRC32, true, 0);

    roundtrip(d, z);
    CHECK_EQ(z.p[13] & 3, 1);          /* two filters, x86 first */
    CHECK_EQ(z.p[filter_at(z)], 0x04);
    free(z.p);
    z = enc_preset(d, 6, LZMA_CHECK_NONE, true, 0);
    CHECK_EQ(dec(z, d.n, &o), 0);
    CHECK(o.n == d.n && !memcmp(o.p, d.p, d.n));
}

TEST(x86_bcj_start_offset)
{
    struct buf d = x86_code();

    roundtrip(d, enc_preset(d, 6, LZMA_CHECK_CRC64, true, 0x100000));
    roundtrip(d, enc_preset(d, 1, LZMA_CHECK_CRC64, true, 0xFFFFF000u));
}

/* E8/E9 bytes right at the end, and runs of them, without a full operand. */
TEST(x86_bcj_edges)
{
    struct buf d = noise(4096, 3);

    for (size_t i = 0; i < d.n; i += 3)
        d.p[i] = (uint8_t)(0xE8 + (i & 1));
    for (size_t n = 0; n < 12; n++) {
        struct buf t = { d.p, d.n - n };
        roundtrip(t, enc_preset(t, 6, LZMA_CHECK_CRC32, true, 0));
    }
    for (size_t n = 0; n < 8; n++) {
        struct buf t = { d.p + d.n - n, n };
        roundtrip(t, enc_preset(t, 6, LZMA_CHECK_CRC32, true, 0));
    }
}

TEST(many_blocks_streamed)
{
    struct buf d = text(400000, 11), c = x86_code();

    roundtrip(d, enc_blocks(d, 65536, 6, false));
    roundtrip(d, enc_blocks(d, 1000, 1, false));
    roundtrip(c, enc_blocks(c, 100000, 6, true));
}

/* Random bytes do not compress: LZMA2 stores them (control 1, then 2),
 * and LZMA chunks after stored ones continue the same dictionary. */
TEST(stored_chunks)
{
    struct buf d = noise(300000, 5), z;

    z = enc_preset(d, 6, LZMA_CHECK_CRC64, false, 0);
    CHECK_EQ(z.p[12 + ((size_t)z.p[12] + 1) * 4], 1);   /* first chunk stored */
    roundtrip(d, z);
    /* text, noise, text: LZMA chunks around stored ones */
    struct buf t = text(300000, 6);
    memcpy(t.p + 100000, d.p, 100000);
    roundtrip(t, enc_preset(t, 6, LZMA_CHECK_CRC64, false, 0));
}

TEST(empty_input)
{
    struct buf d = { (uint8_t *)"", 0 }, o;
    struct buf z = enc_preset(d, 6, LZMA_CHECK_CRC64, false, 0);

    CHECK_EQ(z.n, 32);                 /* header, empty index, footer */
    CHECK_EQ(dec(z, 0, &o), 0);
    CHECK_EQ(o.n, 0);
}

TEST(trailing_bytes_ignored)
{
    struct buf d = text(10000, 12), z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);

    z.p = realloc(z.p, z.n + 64);
    memset(z.p + z.n, 0xA5, 64);
    z.n += 64;
    roundtrip(d, z);
}

TEST(size_from_index)
{
    struct buf d = text(123457, 13), z = enc_blocks(d, 30000, 6, false);
    uint64_t size = 0;

    CHECK_EQ(unxz_size(z.p, z.n, &size), 0);
    CHECK_EQ(size, d.n);
    z.p = realloc(z.p, z.n + 4);
    put32(z.p + z.n, (uint32_t)d.n);   /* Linux's appended size */
    z.n += 4;
    size = 0;
    CHECK_EQ(unxz_size(z.p, z.n, &size), 0);
    CHECK_EQ(size, d.n);
    CHECK_EQ(unxz_size(z.p, 20, &size), -XEN_EINVAL);
    z.p[z.n - 6] ^= 1;                 /* footer CRC no longer matches */
    CHECK_EQ(unxz_size(z.p, z.n, &size), -XEN_EINVAL);
    CHECK_EQ(unxz_size((const uint8_t *)"not an xz stream at all.....", 28, &size),
             -XEN_EINVAL);
}

/* The Debian kernel's bzImage payload is XZ with the x86 filter; the fixture
 * vmlinux was extracted from it by liblzma. */
TEST(debian_vmlinuz_payload)
{
    const char *b = getenv("BUILD") ? getenv("BUILD") : "build";
    char zp[512], xp[512];
    struct buf z, x, o;
    const void *pl;
    size_t plen;
    const char *why;
    uint64_t size;

    snprintf(zp, sizeof(zp), "%s/fixtures/vmlinuz", b);
    snprintf(xp, sizeof(xp), "%s/fixtures/vmlinux", b);
    z = slurp(zp);
    if (!z.n) {
        snprintf(xp, sizeof(xp), "tests/fixtures/linux.sh %s/fixtures", b);
        CHECK_EQ(system(xp), 0);
        snprintf(xp, sizeof(xp), "%s/fixtures/vmlinux", b);
        z = slurp(zp);
    }
    x = slurp(xp);
    CHECK(z.n && x.n);
    CHECK_EQ(pvh_bzimage_payload(z.p, z.n, &pl, &plen, &why), 0);
    struct buf p = { (uint8_t *)pl, plen };
    CHECK_EQ(unxz_size(p.p, p.n, &size), 0);
    CHECK_EQ(size, x.n);
    CHECK_EQ(dec(p, x.n, &o), 0);
    CHECK_EQ(o.n, x.n);
    CHECK(!memcmp(o.p, x.p, x.n));
}

/* ---- errors -------------------------------------------------------------- */

TEST(truncated_at_every_byte)
{
    struct buf d = text(3000, 14), c = x86_code(), o;
    struct buf z = enc_blocks(d, 1000, 6, false);
    struct buf y = enc_preset((struct buf){ c.p, 20000 }, 6, LZMA_CHECK_CRC64, true, 0);

    for (size_t n = 0; n < z.n; n++) {
        CHECK_EQ(dec((struct buf){ z.p, n }, d.n, &o), -XEN_EINVAL);
        free(o.p);
    }
    for (size_t n = 0; n < y.n; n++) {
        CHECK_EQ(dec((struct buf){ y.p, n }, 20000, &o), -XEN_EINVAL);
        free(o.p);
    }
}

TEST(every_flipped_bit_is_caught)
{
    struct buf d = text(2000, 15), o;
    struct buf z = enc_preset(d, 6, LZMA_CHECK_CRC64, false, 0);

    for (size_t i = 0; i < z.n * 8; i++) {
        z.p[i / 8] ^= (uint8_t)(1u << (i % 8));
        CHECK_EQ(dec(z, (size_t)4 << 20, &o), -XEN_EINVAL);
        free(o.p);
        z.p[i / 8] ^= (uint8_t)(1u << (i % 8));
    }
    roundtrip(d, z);
}

/* With no check, corrupt LZMA data is still caught or stays in bounds. */
TEST(corrupt_data_without_check_stays_in_bounds)
{
    struct buf d = x86_code(), o;
    struct buf z = enc_preset((struct buf){ d.p, 30000 }, 6, LZMA_CHECK_NONE, true, 0);
    size_t hdr = 12 + ((size_t)z.p[12] + 1) * 4;

    rng = 99;
    for (int k = 0; k < 300; k++) {
        size_t at = hdr + 6 + next_rand() % (z.n - hdr - 40);
        uint8_t old = z.p[at];

        z.p[at] ^= (uint8_t)(1 + next_rand() % 255);
        int rc = dec(z, 30000, &o);
        CHECK(rc == 0 || rc == -XEN_EINVAL);
        CHECK(o.n <= 30000);
        free(o.p);
        z.p[at] = old;
    }
}

TEST(output_too_small)
{
    struct buf d = text(100000, 16), n = noise(5000, 1), o;
    struct buf z1 = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);   /* sizes in header */
    struct buf z2 = enc_blocks(d, 40000, 6, false);                 /* no sizes */
    struct buf z3 = enc_blocks(n, 100000, 6, false);                /* stored chunk */

    CHECK_EQ(dec(z1, d.n - 1, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(z1, 0, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(z2, d.n - 1, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(z2, 50000, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(z3, n.n - 1, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(z1, d.n, &o), 0);
    CHECK_EQ(dec(z2, d.n, &o), 0);
    CHECK_EQ(dec(z3, n.n, &o), 0);
}

TEST(bad_stream_header)
{
    struct buf d = text(1000, 17), o, z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);

    z.p[0] = 0xFE;                                  /* magic */
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z.p[0] = 0xFD;
    z.p[7] = 0x11;                                  /* reserved flag bit */
    put32(z.p + 8, crc32_of(z.p + 6, 2));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z.p[7] = 0x0A;                                  /* SHA-256, CRC fixed */
    put32(z.p + 8, crc32_of(z.p + 6, 2));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EOPNOTSUPP);
    z.p[7] = 0x02;                                  /* a reserved check ID */
    put32(z.p + 8, crc32_of(z.p + 6, 2));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EOPNOTSUPP);
    z.p[7] = 0x04;                                  /* CRC64, but blocks hold CRC32 */
    put32(z.p + 8, crc32_of(z.p + 6, 2));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
}

TEST(bad_block_header)
{
    struct buf d = text(1000, 18), o, z;

    z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);
    z.p[13] |= 0x04;                               /* reserved flag */
    fix_block_crc(z);
    CHECK_EQ(dec(z, d.n, &o), -XEN_EOPNOTSUPP);
    z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);
    z.p[12] = 0xFF;                                /* header runs past the input? */
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);
    z.p[14] ^= 0x40;                               /* header CRC now wrong */
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
}

TEST(bad_or_unsupported_filters)
{
    struct buf d = text(1000, 19), o, z;
    size_t f;

    z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);
    f = filter_at(z);
    CHECK_EQ(z.p[f], 0x21);
    z.p[f + 2] = 41;                                /* dictionary byte > 40 */
    fix_block_crc(z);
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z.p[f + 2] = 0x16;
    z.p[f] = 0x03;                                  /* delta as the last filter */
    fix_block_crc(z);
    CHECK_EQ(dec(z, d.n, &o), -XEN_EOPNOTSUPP);
    z.p[f] = 0x04;                                  /* x86 cannot be last */
    z.p[f + 1] = 0;
    fix_block_crc(z);
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);

    /* Chains liblzma makes with filters we do not decode. */
    lzma_options_lzma opt;
    lzma_options_delta delta;
    memset(&delta, 0, sizeof(delta));
    delta.type = LZMA_DELTA_TYPE_BYTE;
    delta.dist = 4;
    lzma_lzma_preset(&opt, 6);
    lzma_filter fd[] = { { LZMA_FILTER_DELTA, &delta }, { LZMA_FILTER_LZMA2, &opt },
                         { LZMA_VLI_UNKNOWN, NULL } };
    CHECK_EQ(dec(enc_filters(d, fd, LZMA_CHECK_CRC32), d.n, &o), -XEN_EOPNOTSUPP);
    lzma_filter fa[] = { { LZMA_FILTER_ARM, NULL }, { LZMA_FILTER_LZMA2, &opt },
                         { LZMA_VLI_UNKNOWN, NULL } };
    CHECK_EQ(dec(enc_filters(d, fa, LZMA_CHECK_CRC32), d.n, &o), -XEN_EOPNOTSUPP);
    lzma_filter fx[] = { { LZMA_FILTER_X86, NULL }, { LZMA_FILTER_X86, NULL },
                         { LZMA_FILTER_LZMA2, &opt }, { LZMA_VLI_UNKNOWN, NULL } };
    CHECK_EQ(dec(enc_filters(d, fx, LZMA_CHECK_CRC32), d.n, &o), -XEN_EOPNOTSUPP);
}

/* Index and footer that disagree with the blocks, CRCs made to match. */
TEST(lying_index_and_footer)
{
    struct buf d = text(5000, 20), o, z;
    size_t idx, isize;

    z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);
    isize = ((size_t)(z.p[z.n - 8] | z.p[z.n - 7] << 8) + 1) * 4;
    idx = z.n - 12 - isize;
    CHECK_EQ(z.p[idx], 0);
    CHECK_EQ(z.p[idx + 1], 1);                      /* one record */
    /* uncompressed size record + 1 (its last VLI byte) */
    size_t p = idx + 2;
    while (z.p[p] & 0x80)
        p++;
    p++;
    while (z.p[p] & 0x80)
        p++;
    z.p[p] ^= 1;
    put32(z.p + idx + isize - 4, crc32_of(z.p + idx, isize - 4));
    CHECK_EQ(dec(z, d.n + 10, &o), -XEN_EINVAL);
    z.p[p] ^= 1;
    put32(z.p + idx + isize - 4, crc32_of(z.p + idx, isize - 4));
    CHECK_EQ(dec(z, d.n, &o), 0);
    z.p[z.n - 8] += 1;                              /* backward size */
    put32(z.p + z.n - 12, crc32_of(z.p + z.n - 8, 6));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z.p[z.n - 8] -= 1;
    z.p[z.n - 3] = 0x04;                            /* footer flags differ */
    put32(z.p + z.n - 12, crc32_of(z.p + z.n - 8, 6));
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
    z.p[z.n - 3] = 0x01;
    put32(z.p + z.n - 12, crc32_of(z.p + z.n - 8, 6));
    z.p[z.n - 1] = 'Y';                             /* footer magic */
    CHECK_EQ(dec(z, d.n, &o), -XEN_EINVAL);
}

/* A whole stream (check none) around hand-made LZMA2 data that decodes to
 * usize bytes: for the chunk rules liblzma never breaks. */
static size_t put_vli(uint8_t *p, uint64_t v)
{
    size_t n = 0;

    for (; v >= 0x80; v >>= 7)
        p[n++] = (uint8_t)(v | 0x80);
    p[n++] = (uint8_t)v;
    return n;
}

static struct buf raw_stream(const uint8_t *lz, size_t n, size_t usize)
{
    static const uint8_t bh[8] = { 2, 0, 0x21, 1, 0x16, 0, 0, 0 };
    struct buf z = { calloc(1, 256 + n), 0 };
    size_t p, idx;

    memcpy(z.p, "\xFD" "7zXZ\0\0\0", 8);
    put32(z.p + 8, crc32_of(z.p + 6, 2));
    memcpy(z.p + 12, bh, 8);
    put32(z.p + 20, crc32_of(bh, 8));
    memcpy(z.p + 24, lz, n);
    p = 24 + n;
    while (p & 3)
        z.p[p++] = 0;
    idx = p;
    z.p[p++] = 0;
    p += put_vli(z.p + p, 1);
    p += put_vli(z.p + p, 12 + n);
    p += put_vli(z.p + p, usize);
    while ((p - idx) & 3)
        z.p[p++] = 0;
    put32(z.p + p, crc32_of(z.p + idx, p - idx));
    p += 4;
    put32(z.p + p + 4, (uint32_t)((p - idx) / 4 - 1));
    put32(z.p + p, crc32_of(z.p + p + 4, 6));
    z.p[p + 10] = 'Y';
    z.p[p + 11] = 'Z';
    z.n = p + 12;
    return z;
}

TEST(lzma2_chunk_rules)
{
    struct buf o;
    static const uint8_t good[] = { 0x01, 0x00, 0x01, 'a', 'b', 0x02, 0x00, 0x00, 'c', 0x00 };
    static const uint8_t no_dict_reset[] = { 0x02, 0x00, 0x00, 'a', 0x00 };
    static const uint8_t bad_control[] = { 0x01, 0x00, 0x00, 'a', 0x05, 0x00 };
    /* an LZMA chunk that keeps the (never set) properties */
    static const uint8_t no_props[] = { 0x01, 0x00, 0x00, 'a', 0x80, 0x00, 0x00,
                                        0x00, 0x04, 0, 0, 0, 0, 0, 0x00 };
    /* properties with lc + lp = 5 */
    static const uint8_t bad_props[] = { 0xE0, 0x00, 0x00, 0x00, 0x04, 5 + 9 * 1,
                                         0, 0, 0, 0, 0, 0x00 };
    /* a compressed size past the end of the input */
    static const uint8_t past_end[] = { 0xE0, 0x00, 0x00, 0xFF, 0xFF, 0x5D, 0, 0 };
    /* a stored chunk longer than its data */
    static const uint8_t short_stored[] = { 0x01, 0x00, 0x10, 'a', 'b' };

    CHECK_EQ(dec(raw_stream(good, sizeof(good), 3), 3, &o), 0);
    CHECK(o.n == 3 && !memcmp(o.p, "abc", 3));
    CHECK_EQ(dec(raw_stream(good, sizeof(good), 3), 2, &o), -XEN_ENOSPC);
    CHECK_EQ(dec(raw_stream(good, sizeof(good), 4), 4, &o), -XEN_EINVAL);  /* index lies */
    CHECK_EQ(dec(raw_stream(no_dict_reset, sizeof(no_dict_reset), 1), 16, &o), -XEN_EINVAL);
    CHECK_EQ(dec(raw_stream(bad_control, sizeof(bad_control), 1), 16, &o), -XEN_EINVAL);
    CHECK_EQ(dec(raw_stream(no_props, sizeof(no_props), 2), 16, &o), -XEN_EINVAL);
    CHECK_EQ(dec(raw_stream(bad_props, sizeof(bad_props), 1), 16, &o), -XEN_EINVAL);
    CHECK_EQ(dec(raw_stream(past_end, sizeof(past_end), 1), 16, &o), -XEN_EINVAL);
    CHECK_EQ(dec(raw_stream(short_stored, sizeof(short_stored), 17), 64, &o), -XEN_EINVAL);
}

TEST(no_memory)
{
    struct buf d = text(1000, 21), o, z = enc_preset(d, 6, LZMA_CHECK_CRC32, false, 0);

    env_shim_fail_allocs = 1;
    CHECK_EQ(dec(z, d.n, &o), -XEN_ENOMEM);
    CHECK_EQ(dec(z, d.n, &o), 0);
}
