/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host tests of gunzip() and unzstd() (xen-like/runtime/gunzip.c, unzstd.c):
 * streams made by zlib/libzstd and by the gzip/zstd programs decode to the
 * same bytes; hand-built streams reach each refusal with its error code.
 */
#include "unit.h"
#include "decompress.h"
#include "errno.h"
#include "xmalloc.h"
#include "bitw.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

/* The decoders allocate through xmalloc: count what is live so every path,
 * error paths included, is seen to free its tables. */
static long live_allocs;
static bool fail_allocs;

void *xmalloc(size_t size)
{
    void *p = size && !fail_allocs ? malloc(size) : NULL;

    if (p)
        live_allocs++;
    return p;
}

void xfree(void *p)
{
    if (p)
        live_allocs--;
    free(p);
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*decoder_fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *);

/* Decode into a buffer of exactly cap bytes; returns the decoder's result. */
static int decode(decoder_fn fn, const uint8_t *in, size_t len, size_t cap, uint8_t **out,
                  size_t *out_len)
{
    int rc;

    *out = malloc(cap ? cap : 1);
    *out_len = (size_t)-1;
    rc = fn(in, len, *out, cap, out_len);
    CHECK_EQ(live_allocs, 0);
    return rc;
}

/* in decodes to exactly want[0, n), also with no byte of slack. */
static void expect_same(decoder_fn fn, const uint8_t *in, size_t len, const uint8_t *want,
                        size_t n)
{
    uint8_t *out;
    size_t got;

    CHECK_EQ(decode(fn, in, len, n + 4096, &out, &got), 0);
    CHECK_EQ(got, n);
    CHECK(memcmp(out, want, n) == 0);
    free(out);
    CHECK_EQ(decode(fn, in, len, n, &out, &got), 0);
    CHECK_EQ(got, n);
    CHECK(memcmp(out, want, n) == 0);
    free(out);
}

static int result_of(decoder_fn fn, const uint8_t *in, size_t len, size_t cap)
{
    uint8_t *out;
    size_t got;
    int rc = decode(fn, in, len, cap, &out, &got);

    free(out);
    return rc;
}

/* ---- test data ---------------------------------------------------------- */

static uint32_t rng = 12345;

static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

struct buf {
    uint8_t *p;
    size_t n, cap;
};

static void put(struct buf *b, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2;
        b->p = realloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void put_text(struct buf *b, size_t n)
{
    static const char *words[] = { "hypervisor ", "domain ", "event ", "channel ",
        "grant ", "table ", "page ", "of ", "the ", "a ", "vcpu\n", "ring, ", "xen " };

    while (n) {
        const char *w = words[rnd() % 13];
        size_t l = strlen(w) < n ? strlen(w) : n;

        put(b, w, l);
        n -= l;
    }
}

static void put_random(struct buf *b, size_t n)
{
    while (n--) {
        uint8_t c = (uint8_t)rnd();

        put(b, &c, 1);
    }
}

static void put_fill(struct buf *b, uint8_t c, size_t n)
{
    uint8_t *tmp = malloc(n);

    memset(tmp, c, n);
    put(b, tmp, n);
    free(tmp);
}

/* Text, incompressible bytes, long runs, and a random block repeated 1.5 MiB
 * later (a long match for zstd; beyond DEFLATE's 32 KiB window). */
static struct buf corpus(void)
{
    struct buf b = { 0 };
    size_t far;

    rng = 777;
    put_text(&b, 300000);
    far = b.n;
    put_random(&b, 70000);
    put_fill(&b, 0, 300000);
    put_text(&b, 20000);
    put_fill(&b, 0xcc, 5000);
    put_text(&b, 1200000);
    put(&b, b.p + far, 70000);
    put_text(&b, 3000);
    return b;
}

/* ---- gzip via zlib ------------------------------------------------------ */

struct gz_opts {
    int level, strategy;
    bool header;         /* FNAME, FCOMMENT, FEXTRA and FHCRC */
};

static struct buf gz_make(const uint8_t *p, size_t n, struct gz_opts o)
{
    static uint8_t extra[] = { 'X', 'L', 4, 0, 1, 2, 3, 4 };
    gz_header h = { .name = (Bytef *)"vmlinux", .comment = (Bytef *)"test comment",
                    .extra = extra, .extra_len = sizeof(extra), .hcrc = 1, .os = 3 };
    struct buf out = { 0 };
    z_stream s = { 0 };

    CHECK_EQ(deflateInit2(&s, o.level, Z_DEFLATED, 31, 8, o.strategy), Z_OK);
    if (o.header)
        CHECK_EQ(deflateSetHeader(&s, &h), Z_OK);
    out.n = deflateBound(&s, n) + 256;
    out.p = malloc(out.n);
    s.next_in = (Bytef *)p;
    s.avail_in = (uInt)n;
    s.next_out = out.p;
    s.avail_out = (uInt)out.n;
    CHECK_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
    out.n = s.total_out;
    deflateEnd(&s);
    return out;
}

TEST(gzip_zlib_levels_0_to_9)
{
    struct buf c = corpus();

    for (int level = 0; level <= 9; level++) {
        struct buf z = gz_make(c.p, c.n, (struct gz_opts){ level, Z_DEFAULT_STRATEGY, false });

        expect_same(gunzip, z.p, z.n, c.p, c.n);
        free(z.p);
    }
}

TEST(gzip_zlib_strategies_fixed_huffman_rle_filtered)
{
    static const int strategies[] = { Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED };
    struct buf c = corpus();

    for (unsigned i = 0; i < 4; i++) {
        struct buf z = gz_make(c.p, c.n, (struct gz_opts){ 6, strategies[i], false });

        expect_same(gunzip, z.p, z.n, c.p, c.n);
        free(z.p);
    }
}

TEST(gzip_header_fname_fcomment_fextra_fhcrc)
{
    struct buf c = corpus();
    struct buf z = gz_make(c.p, 50000, (struct gz_opts){ 9, Z_DEFAULT_STRATEGY, true });

    CHECK_EQ(z.p[3], 0x1e);   /* FHCRC | FEXTRA | FNAME | FCOMMENT */
    expect_same(gunzip, z.p, z.n, c.p, 50000);
    /* The header CRC covers the name: change it and the header is refused. */
    z.p[10 + 2 + 8 + 1] ^= 1;
    CHECK_EQ(result_of(gunzip, z.p, z.n, 60000), -XEN_EINVAL);
    free(z.p);
}

TEST(gzip_empty_and_tiny)
{
    struct buf z = gz_make((const uint8_t *)"", 0, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });
    struct buf one = gz_make((const uint8_t *)"x", 1, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });

    expect_same(gunzip, z.p, z.n, (const uint8_t *)"", 0);
    expect_same(gunzip, one.p, one.n, (const uint8_t *)"x", 1);
    free(z.p);
    free(one.p);
}

/* ---- the programs and the kernel fixture -------------------------------- */

/* Run "prog < in > out" through the shell; the output file's contents. */
static struct buf run_filter(const char *cmd, const uint8_t *p, size_t n)
{
    char in[] = "/tmp/gzzstd-in.XXXXXX", line[512];
    struct buf out = { 0 };
    uint8_t chunk[65536];
    size_t got;
    FILE *f;
    int fd = mkstemp(in);

    CHECK(fd >= 0);
    CHECK_EQ(write(fd, p, n), (long long)n);
    close(fd);
    snprintf(line, sizeof(line), "%s < %s", cmd, in);
    f = popen(line, "r");
    CHECK(f != NULL);
    while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
        put(&out, chunk, got);
    CHECK_EQ(pclose(f), 0);
    unlink(in);
    return out;
}

TEST(gzip_program_with_name)
{
    struct buf c = corpus();
    /* gzip stores a file's name (FNAME) unless told not to. */
    struct buf z = run_filter("sh -c 'f=/tmp/gzzstd-named.$$; cat > $f && gzip -9 -c $f; rm -f $f'",
                              c.p, 400000);

    CHECK(z.p[3] & 0x08);
    expect_same(gunzip, z.p, z.n, c.p, 400000);
    free(z.p);
}

/* run_filter for the kernel fixture, keeping the result in build/ for the
 * next run while it is newer than the fixture (zstd -22 takes seconds). */
static struct buf kernel_filter(const char *cmd, const struct buf *k, const char *cache)
{
    struct stat fix, st;
    struct buf out = { 0 };
    FILE *f;

    if (stat(cache, &st) == 0 && stat("build/fixtures/vmlinux", &fix) == 0 &&
        st.st_mtime >= fix.st_mtime && (f = fopen(cache, "rb"))) {
        out.p = malloc((size_t)st.st_size + 4);
        out.cap = (size_t)st.st_size + 4;
        out.n = fread(out.p, 1, (size_t)st.st_size, f);
        fclose(f);
        return out;
    }
    out = run_filter(cmd, k->p, k->n);
    mkdir("build/unit/gz_zstd_cache", 0755);
    f = fopen(cache, "wb");
    if (f) {
        fwrite(out.p, 1, out.n, f);
        fclose(f);
    }
    return out;
}

/* The first 8 MiB of the Debian kernel, when the fixture has been fetched. */
static bool kernel_head(struct buf *k)
{
    FILE *f = fopen("build/fixtures/vmlinux", "rb");

    if (!f) {
        printf("    build/fixtures/vmlinux missing: kernel case not run\n");
        return false;
    }
    k->p = malloc(8u << 20);
    k->n = fread(k->p, 1, 8u << 20, f);
    fclose(f);
    CHECK(k->n > 0);
    return true;
}

TEST(kernel_8m_gzip9_and_zstd22_ultra)
{
    struct buf k = { 0 }, g, z;
    uint8_t *out;
    size_t got;

    if (!kernel_head(&k))
        return;
    g = kernel_filter("gzip -9 -c", &k, "build/unit/gz_zstd_cache/vmlinux-8m.gz");
    CHECK_EQ(decode(gunzip, g.p, g.n, k.n, &out, &got), 0);
    CHECK(got == k.n && memcmp(out, k.p, k.n) == 0);
    free(out);
    /* As a bzImage carries it: the decompressed size follows the frame. */
    z = kernel_filter("zstd -q -22 --ultra -c", &k, "build/unit/gz_zstd_cache/vmlinux-8m.zst");
    put(&z, "\x00\x00\x80\x00", 4);
    CHECK_EQ(decode(unzstd, z.p, z.n, k.n, &out, &got), 0);
    CHECK(got == k.n && memcmp(out, k.p, k.n) == 0);
    free(out);
}

/* ---- zstd via libzstd --------------------------------------------------- */

struct zs_opts {
    int level;
    bool checksum, content_size;
    int window_log;      /* 0: the level's default */
};

static struct buf zs_make(const uint8_t *p, size_t n, struct zs_opts o)
{
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    struct buf out;

    ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, o.level);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, o.checksum);
    ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, o.content_size);
    if (o.window_log)
        ZSTD_CCtx_setParameter(cc, ZSTD_c_windowLog, o.window_log);
    out.n = ZSTD_compressBound(n);
    out.p = malloc(out.n);
    out.n = ZSTD_compress2(cc, out.p, out.n, p, n);
    CHECK(!ZSTD_isError(out.n));
    ZSTD_freeCCtx(cc);
    return out;
}

TEST(zstd_levels_minus5_to_19)
{
    struct buf c = corpus();

    /* The slow high levels on the first 400 KB only. */
    for (int level = -5; level <= 19; level++) {
        size_t n = level < 10 ? c.n : 400000;
        struct buf z;

        if (level == 0)
            continue;
        z = zs_make(c.p, n, (struct zs_opts){ level, level & 1, true, 0 });
        expect_same(unzstd, z.p, z.n, c.p, n);
        free(z.p);
    }
}

TEST(zstd_ultra_22_large_window)
{
    struct buf c = corpus();
    struct buf z = zs_make(c.p, c.n, (struct zs_opts){ 22, true, true, 27 });

    expect_same(unzstd, z.p, z.n, c.p, c.n);
    free(z.p);
}

TEST(zstd_with_and_without_checksum_and_content_size)
{
    struct buf c = corpus();

    for (unsigned m = 0; m < 4; m++) {
        struct buf z = zs_make(c.p, c.n, (struct zs_opts){ 3, m & 1, m & 2, 0 });

        /* Frame_Header_Descriptor: bit 2 checksum; bits 7-6 FCS size. */
        CHECK_EQ(!!(z.p[4] & 4), m & 1);
        CHECK_EQ((z.p[4] >> 6) != 0, (m & 2) != 0);
        expect_same(unzstd, z.p, z.n, c.p, c.n);
        free(z.p);
    }
}

static void put_le32(struct buf *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

    put(b, x, 4);
}

TEST(zstd_multiple_frames_and_skippable_frames)
{
    struct buf c = corpus(), in = { 0 };
    struct buf a = zs_make(c.p, 100000, (struct zs_opts){ 5, true, true, 0 });
    struct buf b = zs_make(c.p + 100000, 200000, (struct zs_opts){ 1, false, false, 0 });

    put_le32(&in, 0x184d2a50);
    put_le32(&in, 3);
    put(&in, "abc", 3);
    put(&in, a.p, a.n);
    put_le32(&in, 0x184d2a5f);
    put_le32(&in, 0);
    put(&in, b.p, b.n);
    put(&in, a.p, a.n);
    {
        uint8_t *want = malloc(400000);

        memcpy(want, c.p, 300000);
        memcpy(want + 300000, c.p, 100000);
        expect_same(unzstd, in.p, in.n, want, 400000);
        free(want);
    }
    /* A skippable frame claiming more bytes than there are. */
    put_le32(&in, 0x184d2a53);
    put_le32(&in, 10);
    put(&in, "short", 5);
    CHECK_EQ(result_of(unzstd, in.p, in.n, 500000), -XEN_EINVAL);
}

TEST(zstd_program_raw_and_rle_blocks)
{
    struct buf in = { 0 }, z;

    rng = 99;
    put_random(&in, 300000);       /* incompressible: raw blocks */
    put_fill(&in, 'z', 400000);    /* whole blocks of one byte: RLE blocks */
    put_text(&in, 10000);
    z = run_filter("zstd -q -19 -c", in.p, in.n);
    expect_same(unzstd, z.p, z.n, in.p, in.n);
}

TEST(zstd_program_long_mode_far_match)
{
    struct buf c = corpus();
    struct buf z = run_filter("zstd -q --long=27 -15 -c", c.p, c.n);

    expect_same(unzstd, z.p, z.n, c.p, c.n);
}

/* ---- corruption: truncation and flipped bits ---------------------------- */

/* Every proper prefix is refused; none may claim success. */
static void check_truncations(decoder_fn fn, const struct buf *z, size_t n, size_t step)
{
    for (size_t cut = 0; cut < z->n; cut += step) {
        int rc = result_of(fn, z->p, cut, n + 64);

        if (rc != -XEN_EINVAL)
            printf("    cut at %zu of %zu: %d\n", cut, z->n, rc);
        CHECK_EQ(rc, -XEN_EINVAL);
    }
}

/* A flipped bit either is refused or changes nothing; never wrong data.
 * Returns how many flips were refused. */
static unsigned check_flips(decoder_fn fn, const struct buf *z, size_t from, const uint8_t *want,
                            size_t n)
{
    unsigned refused = 0;
    uint8_t *copy = malloc(z->n);

    for (size_t bit = from * 8; bit < z->n * 8; bit++) {
        uint8_t *out;
        size_t got;
        int rc;

        memcpy(copy, z->p, z->n);
        copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rc = decode(fn, copy, z->n, n + 64, &out, &got);
        if (rc == 0)
            CHECK(got == n && memcmp(out, want, n) == 0);
        else
            refused++;
        free(out);
    }
    free(copy);
    return refused;
}

TEST(gzip_truncated_is_refused)
{
    struct buf c = corpus();
    struct buf z = gz_make(c.p, 20000, (struct gz_opts){ 9, Z_DEFAULT_STRATEGY, true });
    struct buf s = gz_make(c.p, 3000, (struct gz_opts){ 0, Z_DEFAULT_STRATEGY, false });

    check_truncations(gunzip, &z, 20000, 1);
    check_truncations(gunzip, &s, 3000, 1);
}

TEST(gzip_flipped_bits_never_give_wrong_data)
{
    struct buf c = corpus();
    struct buf z = gz_make(c.p + 250000, 4000, (struct gz_opts){ 9, Z_DEFAULT_STRATEGY, false });
    /* From the DEFLATE data on (MTIME/XFL/OS are not covered by any check). */
    unsigned refused = check_flips(gunzip, &z, 10, c.p + 250000, 4000);

    CHECK(refused > (z.n - 10) * 8 * 9 / 10);
}

TEST(zstd_truncated_is_refused)
{
    struct buf c = corpus();
    struct buf z = zs_make(c.p + 250000, 60000, (struct zs_opts){ 19, true, true, 0 });
    struct buf n = zs_make(c.p, 20000, (struct zs_opts){ 3, false, false, 0 });

    check_truncations(unzstd, &z, 60000, 1);
    check_truncations(unzstd, &n, 20000, 1);
}

TEST(zstd_flipped_bits_never_give_wrong_data)
{
    struct buf c = corpus();
    struct buf z = zs_make(c.p + 250000, 4000, (struct zs_opts){ 19, true, true, 0 });
    unsigned refused = check_flips(unzstd, &z, 4, c.p + 250000, 4000);

    CHECK(refused > z.n * 8 * 8 / 10);
}

TEST(checksum_mismatch_is_refused)
{
    struct buf c = corpus();
    struct buf g = gz_make(c.p, 5000, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });
    struct buf z = zs_make(c.p, 5000, (struct zs_opts){ 6, true, true, 0 });

    g.p[g.n - 8] ^= 0x40;                     /* CRC-32 */
    CHECK_EQ(result_of(gunzip, g.p, g.n, 6000), -XEN_EINVAL);
    g.p[g.n - 8] ^= 0x40;
    g.p[g.n - 4] ^= 0x01;                     /* ISIZE */
    CHECK_EQ(result_of(gunzip, g.p, g.n, 6000), -XEN_EINVAL);
    z.p[z.n - 1] ^= 0x80;                     /* XXH64 low half */
    CHECK_EQ(result_of(unzstd, z.p, z.n, 6000), -XEN_EINVAL);
}

TEST(output_too_small_is_enospc)
{
    struct buf c = corpus();
    static const int levels[] = { 0, 1, 9 };

    for (unsigned i = 0; i < 3; i++) {
        struct buf g = gz_make(c.p, 70000, (struct gz_opts){ levels[i], Z_DEFAULT_STRATEGY, false });
        struct buf g2 = gz_make(c.p, 70000, (struct gz_opts){ levels[i], Z_FIXED, false });

        CHECK_EQ(result_of(gunzip, g.p, g.n, 69999), -XEN_ENOSPC);
        CHECK_EQ(result_of(gunzip, g2.p, g2.n, 69999), -XEN_ENOSPC);
        CHECK_EQ(result_of(gunzip, g.p, g.n, 0), -XEN_ENOSPC);
    }
    for (unsigned m = 0; m < 2; m++) {
        /* With the content size the frame header already tells; without,
         * a block does when it runs past the end. */
        struct buf z = zs_make(c.p, 400000, (struct zs_opts){ 3, true, m, 0 });

        CHECK_EQ(result_of(unzstd, z.p, z.n, 399999), -XEN_ENOSPC);
        CHECK_EQ(result_of(unzstd, z.p, z.n, 1000), -XEN_ENOSPC);
    }
}

/* ---- hand-built DEFLATE streams ----------------------------------------- */

/* A gzip member around raw DEFLATE bytes, with the trailer of want[0, n). */
static struct buf gz_wrap(const struct bitw *w, const uint8_t *want, size_t n)
{
    static const uint8_t hdr[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    struct buf b = { 0 };

    put(&b, hdr, 10);
    put(&b, w->buf, bitw_bytes(w));
    put_le32(&b, (uint32_t)crc32(0, want, (uInt)n));
    put_le32(&b, (uint32_t)n);
    return b;
}

static int gz_result(const struct bitw *w)
{
    struct buf b = gz_wrap(w, (const uint8_t *)"", 0);
    int rc = result_of(gunzip, b.p, b.n, 1024);

    free(b.p);
    return rc;
}

/* Fixed-code literal/length and distance symbols (RFC 1951 3.2.6). */
static void fixed_lit(struct bitw *w, unsigned sym)
{
    if (sym < 144)
        bitw_code(w, 0x30 + sym, 8);
    else if (sym < 256)
        bitw_code(w, 0x190 + sym - 144, 9);
    else if (sym < 280)
        bitw_code(w, sym - 256, 7);
    else
        bitw_code(w, 0xc0 + sym - 280, 8);
}

TEST(deflate_fixed_block_control_and_errors)
{
    struct bitw w = { 0 };
    struct buf b;

    /* "ab" then a length-4 match at distance 2: "ababab". */
    bitw_put(&w, 1, 1);
    bitw_put(&w, 1, 2);
    fixed_lit(&w, 'a');
    fixed_lit(&w, 'b');
    fixed_lit(&w, 258);        /* length 4 */
    bitw_code(&w, 1, 5);       /* distance 2 */
    fixed_lit(&w, 256);
    b = gz_wrap(&w, (const uint8_t *)"ababab", 6);
    expect_same(gunzip, b.p, b.n, (const uint8_t *)"ababab", 6);

    /* A match before any output: distance too far back. */
    w = (struct bitw){ 0 };
    bitw_put(&w, 1, 1);
    bitw_put(&w, 1, 2);
    fixed_lit(&w, 257);
    bitw_code(&w, 0, 5);
    fixed_lit(&w, 256);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Length symbol 286 exists in the fixed code but means nothing. */
    w = (struct bitw){ 0 };
    bitw_put(&w, 1, 1);
    bitw_put(&w, 1, 2);
    fixed_lit(&w, 'a');
    fixed_lit(&w, 286);
    bitw_code(&w, 0, 5);
    fixed_lit(&w, 256);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Distance symbol 30 likewise. */
    w = (struct bitw){ 0 };
    bitw_put(&w, 1, 1);
    bitw_put(&w, 1, 2);
    fixed_lit(&w, 'a');
    fixed_lit(&w, 257);
    bitw_code(&w, 30, 5);
    fixed_lit(&w, 256);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Block type 3 is reserved. */
    w = (struct bitw){ 0 };
    bitw_put(&w, 1, 1);
    bitw_put(&w, 3, 2);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* A block that is not final, then nothing. */
    w = (struct bitw){ 0 };
    bitw_put(&w, 0, 1);
    bitw_put(&w, 1, 2);
    fixed_lit(&w, 256);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);
}

TEST(deflate_stored_block_len_nlen)
{
    static const uint8_t good[] = { 0x01, 5, 0, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o' };
    struct bitw w = { 0 };
    struct buf b;

    memcpy(w.buf, good, sizeof(good));
    w.bits = sizeof(good) * 8;
    b = gz_wrap(&w, (const uint8_t *)"hello", 5);
    expect_same(gunzip, b.p, b.n, (const uint8_t *)"hello", 5);
    w.buf[3] = 0xfb;           /* NLEN no longer the complement */
    free(b.p);
    b = gz_wrap(&w, (const uint8_t *)"hello", 5);
    CHECK_EQ(result_of(gunzip, b.p, b.n, 100), -XEN_EINVAL);
    CHECK_EQ(result_of(gunzip, b.p, 10 + 5, 100), -XEN_EINVAL);
}

/* A dynamic block header: HLIT/HDIST/HCLEN, the code length code lens[19]
 * (symbol order), then the code length symbols syms[] with their extra bits. */
struct clsym {
    unsigned sym, extra;
};

static void dyn_header(struct bitw *w, unsigned nlit, unsigned ndist, const uint8_t *cl_lens,
                       const struct clsym *syms, unsigned nsyms)
{
    static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15 };
    static const uint8_t extra_bits[3] = { 2, 3, 7 };
    unsigned codes[19];

    bitw_put(w, 1, 1);
    bitw_put(w, 2, 2);
    bitw_put(w, nlit - 257, 5);
    bitw_put(w, ndist - 1, 5);
    bitw_put(w, 19 - 4, 4);
    for (unsigned i = 0; i < 19; i++)
        bitw_put(w, cl_lens[order[i]], 3);
    canonical_codes(cl_lens, 19, codes);
    for (unsigned i = 0; i < nsyms; i++) {
        bitw_code(w, codes[syms[i].sym], cl_lens[syms[i].sym]);
        if (syms[i].sym >= 16)
            bitw_put(w, syms[i].extra, extra_bits[syms[i].sym - 16]);
    }
}

/* Code length code: 13 symbols of 4 bits, 16/17/18/0/8/7 of 5 bits. */
static void cl_lens_complete(uint8_t *l)
{
    for (unsigned s = 0; s < 19; s++)
        l[s] = 4;
    l[16] = l[17] = l[18] = l[0] = l[8] = l[7] = 5;
}

/* Literal/length lengths 0..254: 8 bits, 255 and 256: 9; one 1-bit distance. */
static unsigned good_lengths(struct clsym *s)
{
    unsigned n = 0;

    for (unsigned i = 0; i < 255; i += 1)
        s[n++] = (struct clsym){ 8, 0 };
    s[n++] = (struct clsym){ 9, 0 };
    s[n++] = (struct clsym){ 9, 0 };
    s[n++] = (struct clsym){ 1, 0 };
    return n;
}

TEST(deflate_dynamic_block_control_and_bad_tables)
{
    uint8_t cl[19], lit_lens[257];
    unsigned lit_codes[257];
    struct clsym s[300];
    struct bitw w = { 0 };
    struct buf b;
    unsigned n;

    /* Control: a valid header then 'A', end of block. */
    cl_lens_complete(cl);
    n = good_lengths(s);
    dyn_header(&w, 257, 1, cl, s, n);
    for (unsigned i = 0; i < 257; i++)
        lit_lens[i] = i < 255 ? 8 : 9;
    canonical_codes(lit_lens, 257, lit_codes);
    bitw_code(&w, lit_codes['A'], 8);
    bitw_code(&w, lit_codes[256], 9);
    b = gz_wrap(&w, (const uint8_t *)"A", 1);
    expect_same(gunzip, b.p, b.n, (const uint8_t *)"A", 1);

    /* Over-subscribed code length code (one more 4-bit code). */
    w = (struct bitw){ 0 };
    cl[16] = 4;
    dyn_header(&w, 257, 1, cl, s, n);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Incomplete code length code. */
    w = (struct bitw){ 0 };
    cl_lens_complete(cl);
    cl[15] = 0;
    dyn_header(&w, 257, 1, cl, s, 0);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Repeat-previous (16) with nothing before it. */
    w = (struct bitw){ 0 };
    cl_lens_complete(cl);
    s[0] = (struct clsym){ 16, 0 };
    dyn_header(&w, 257, 1, cl, s, n);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* Over-subscribed literal/length code: 256 and 255 get 8 bits too. */
    w = (struct bitw){ 0 };
    n = good_lengths(s);
    s[255] = s[256] = (struct clsym){ 8, 0 };
    dyn_header(&w, 257, 1, cl, s, n);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* No end-of-block code: 0..255 with 8 bits, 256 absent. */
    w = (struct bitw){ 0 };
    n = good_lengths(s);
    s[255] = (struct clsym){ 8, 0 };
    s[256] = (struct clsym){ 0, 0 };
    dyn_header(&w, 257, 1, cl, s, n);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* A zero run (18, 138 zeros) past the 258 lengths announced. */
    w = (struct bitw){ 0 };
    n = good_lengths(s);
    s[200] = (struct clsym){ 18, 127 };
    dyn_header(&w, 257, 1, cl, s, 201);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);

    /* HLIT of 287 literal/length codes (only 286 exist). */
    w = (struct bitw){ 0 };
    bitw_put(&w, 1, 1);
    bitw_put(&w, 2, 2);
    bitw_put(&w, 30, 5);
    bitw_put(&w, 0, 5);
    bitw_put(&w, 0, 4);
    CHECK_EQ(gz_result(&w), -XEN_EINVAL);
}

TEST(gzip_header_errors)
{
    struct buf c = corpus();
    struct buf g = gz_make(c.p, 1000, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });

    g.p[1] = 0x8c;                            /* magic */
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_EINVAL);
    g.p[1] = 0x8b;
    g.p[2] = 7;                               /* not DEFLATE */
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_EOPNOTSUPP);
    g.p[2] = 8;
    g.p[3] = 0x20;                            /* reserved flag */
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_EINVAL);
    g.p[3] = 0x04;                            /* FEXTRA longer than the file */
    g.p[10] = 0xff;
    g.p[11] = 0xff;
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_EINVAL);
    g.p[3] = 0x08;                            /* FNAME never terminated */
    memset(g.p + 10, 'n', g.n - 10);
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_EINVAL);
    CHECK_EQ(result_of(gunzip, g.p, 0, 2000), -XEN_EINVAL);
}

/* ---- hand-built Zstandard frames ---------------------------------------- */

/* Magic, single-segment header with a 2-byte content size (+256 coded). */
static void zs_frame_start(struct buf *b, size_t content)
{
    uint8_t h[3] = { 0x60, (uint8_t)(content - 256), (uint8_t)((content - 256) >> 8) };

    put_le32(b, 0xfd2fb528);
    put(b, h, 3);
}

/* Magic, header without content size: window 1 MiB. */
static void zs_frame_start_nofcs(struct buf *b)
{
    uint8_t h[2] = { 0x00, (10 << 3) };

    put_le32(b, 0xfd2fb528);
    put(b, h, 2);
}

static void zs_block(struct buf *b, unsigned type, bool last, const uint8_t *p, size_t n,
                     size_t size_field)
{
    uint32_t h = (uint32_t)(size_field << 3 | type << 1 | last);
    uint8_t x[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };

    put(b, x, 3);
    put(b, p, n);
}

TEST(zstd_hand_built_raw_rle_blocks)
{
    uint8_t want[300];
    struct buf b = { 0 };

    memcpy(want, "hello", 5);
    memset(want + 5, 'x', 295);
    zs_frame_start(&b, 300);
    zs_block(&b, 0, false, (const uint8_t *)"hello", 5, 5);
    zs_block(&b, 1, true, (const uint8_t *)"x", 1, 295);
    expect_same(unzstd, b.p, b.n, want, 300);

    /* Content size says 300; one byte more or less is refused. */
    b.p[5] = 45;
    CHECK_EQ(result_of(unzstd, b.p, b.n, 400), -XEN_EINVAL);
    b.p[5] = 43;
    CHECK_EQ(result_of(unzstd, b.p, b.n, 400), -XEN_EINVAL);
    b.p[5] = 44;
    /* Out of room in a raw block and in an RLE block. */
    CHECK_EQ(result_of(unzstd, b.p, b.n, 299), -XEN_ENOSPC);
    free(b.p);
    b = (struct buf){ 0 };
    zs_frame_start_nofcs(&b);
    zs_block(&b, 0, false, (const uint8_t *)"hello", 5, 5);
    zs_block(&b, 1, true, (const uint8_t *)"x", 1, 295);
    expect_same(unzstd, b.p, b.n, want, 300);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 4), -XEN_ENOSPC);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 299), -XEN_ENOSPC);
}

TEST(zstd_frame_header_errors)
{
    struct buf b = { 0 };
    uint8_t dict[] = { 0x01, 0x00, 0x00 };  /* window 1 KiB, 1-byte dictionary id */

    put_le32(&b, 0xfd2fb528);
    put(&b, dict, 3);
    zs_block(&b, 0, true, (const uint8_t *)"ab", 2, 2);
    b.p[6] = 0;                                    /* id 0: no dictionary */
    expect_same(unzstd, b.p, b.n, (const uint8_t *)"ab", 2);
    b.p[6] = 7;
    CHECK_EQ(result_of(unzstd, b.p, b.n, 10), -XEN_EOPNOTSUPP);
    b.p[6] = 0;
    b.p[4] |= 0x08;                                /* reserved bit */
    CHECK_EQ(result_of(unzstd, b.p, b.n, 10), -XEN_EINVAL);
    b.p[4] &= ~0x08;
    b.p[7] |= 6;                                   /* block type 3 */
    CHECK_EQ(result_of(unzstd, b.p, b.n, 10), -XEN_EINVAL);
    free(b.p);

    /* A block bigger than 128 KiB. */
    b = (struct buf){ 0 };
    zs_frame_start_nofcs(&b);
    zs_block(&b, 1, true, (const uint8_t *)"q", 1, 128 * 1024 + 1);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 200000), -XEN_EINVAL);
    free(b.p);

    /* Not a frame at all, and an empty input. */
    CHECK_EQ(result_of(unzstd, (const uint8_t *)"\x28\xb5\x2f\xfe....", 8, 10), -XEN_EINVAL);
    CHECK_EQ(result_of(unzstd, (const uint8_t *)"", 0, 10), -XEN_EINVAL);
}


/* Raw literals section with a 2-byte header (12-bit size). */
static void raw_literals(struct buf *blk, const char *lits)
{
    size_t nl = strlen(lits);
    uint8_t h[2] = { (uint8_t)(1 << 2 | (nl & 15) << 4), (uint8_t)(nl >> 4) };

    put(blk, h, 2);
    put(blk, lits, nl);
}

/* A compressed block: raw literals, then nseq sequences whose three codes
 * are RLE (the bitstream then holds only extra bits: offset, match length,
 * literal length for each sequence, in that order). pad_bytes zero bytes
 * ahead of the bitstream are left unread by a correct decoder. */
struct seq {
    unsigned of_extra, ml_extra, ll_extra;
};

struct seq_block_opts {
    const char *lits;
    unsigned ll_code, of_code, ml_code;
    uint8_t modes;       /* 0: all RLE */
    unsigned pad_bytes;
};

static void seq_block(struct buf *b, bool last, struct seq_block_opts o, const struct seq *s,
                      unsigned n)
{
    struct backw *bw = calloc(1, sizeof(*bw));
    struct buf blk = { 0 };
    uint8_t h[5];

    raw_literals(&blk, o.lits);
    h[0] = (uint8_t)n;
    h[1] = o.modes ? o.modes : 1 << 6 | 1 << 4 | 1 << 2;
    h[2] = (uint8_t)o.ll_code;
    h[3] = (uint8_t)o.of_code;
    h[4] = (uint8_t)o.ml_code;
    put(&blk, h, o.modes ? 2 : 5);
    for (unsigned i = 0; i < n; i++) {
        backw_field(bw, s[i].of_extra, o.of_code);
        backw_field(bw, s[i].ml_extra, 0);
        backw_field(bw, s[i].ll_extra, 0);
    }
    backw_finish(bw);
    put_fill(&blk, 0, o.pad_bytes);
    put(&blk, bw->out.buf, bitw_bytes(&bw->out));
    zs_block(b, 2, last, blk.p, blk.n, blk.n);
    free(blk.p);
    free(bw);
}

/*
 * Repeat offsets by RFC 8878 3.1.2.5, carried across blocks (history after
 * each sequence in the comments, most recent first; it starts as 1 4 8).
 */
TEST(zstd_repeat_offsets_across_blocks)
{
    static const struct seq b1[] = { { 3, 0, 0 }, { 4, 0, 0 }, { 0, 0, 0 } };
    static const struct seq b2[] = { { 1, 0, 0 }, { 0, 0, 0 } };
    static const struct seq b3[] = { { 0, 0, 0 } };
    static const struct seq b4[] = { { 0, 0, 0 }, { 1, 0, 0 } };
    static const char want[] =
        "abcdefgh" "abc"      /* new offset 8:              8 1 4 */
        "ijklmnop" "cij"      /* new offset 9:              9 8 1 */
        "qrstuvwx" "tuv"      /* new offset 5:              5 9 8 */
        "QR" "vwx"            /* value 3, ll 2: offset 3rd: 8 5 9 */
        "ST" "vwx"            /* value 2, ll 2: offset 2nd: 5 8 9 */
        "vwx"                 /* value 1, ll 0: offset 2nd: 8 5 9 */
        "xST"                 /* value 2, ll 0: offset 3rd: 9 8 5 */
        "wxv"                 /* value 3, ll 0: 1st - 1:    8 9 8 */
        "vwx";                /* value 1, ll 0: offset 2nd: 9 8 8 */
    struct buf b = { 0 };

    zs_frame_start_nofcs(&b);
    /* Literal length 8 (code 8), match length 3 (code 0), offset code 3
     * (values 8..15, offsets 5..12). */
    seq_block(&b, false, (struct seq_block_opts){ "abcdefghijklmnopqrstuvwx", 8, 3, 0 }, b1, 3);
    /* Literal length 2, offset code 1 (values 2..3). */
    seq_block(&b, false, (struct seq_block_opts){ "QRST", 2, 1, 0 }, b2, 2);
    /* Literal length 0, offset code 0 (value 1). */
    seq_block(&b, false, (struct seq_block_opts){ "", 0, 0, 0 }, b3, 1);
    seq_block(&b, false, (struct seq_block_opts){ "", 0, 1, 0 }, b4, 2);
    seq_block(&b, true, (struct seq_block_opts){ "", 0, 0, 0 }, b3, 1);
    expect_same(unzstd, b.p, b.n, (const uint8_t *)want, strlen(want));
}

static int one_seq_frame(struct seq_block_opts o, struct seq s, bool raw_first)
{
    struct buf b = { 0 };
    int rc;

    zs_frame_start_nofcs(&b);
    if (raw_first)
        zs_block(&b, 0, false, (const uint8_t *)"0123456789", 10, 10);
    seq_block(&b, true, o, &s, 1);
    rc = result_of(unzstd, b.p, b.n, 1000);
    free(b.p);
    return rc;
}

TEST(zstd_sequence_errors)
{
    /* Control: 2 literals, then offset 2 (value 5, code 2 extra 1), ML 3. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 2, 0 }, (struct seq){ 1, 0, 0 }, false), 0);
    /* Offset 12 with 2 bytes of output. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 3, 0 }, (struct seq){ 7, 0, 0 }, false), -XEN_EINVAL);
    /* Repeat_Offset1 - 1 with Repeat_Offset1 = 1: offset 0. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "", 0, 1, 0 }, (struct seq){ 1, 0, 0 }, true), -XEN_EINVAL);
    /* More literals wanted (5) than the section has (2). */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 5, 2, 0 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    /* RLE symbols beyond each code's range: literal length 36, offset 32,
     * match length 53. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 36, 2, 0 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 32, 0 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 2, 53 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    /* Reserved bits of the modes byte; Repeat_Mode with no earlier table. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 2, 0, 0x55 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 2, 0, 0xfc }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    /* A bitstream with a byte nobody reads. */
    CHECK_EQ(one_seq_frame((struct seq_block_opts){ "ab", 2, 2, 0, 0, 1 }, (struct seq){ 1, 0, 0 }, false), -XEN_EINVAL);
    /* The match runs past the output buffer. */
    {
        struct buf b = { 0 };
        struct seq s = { 1, 0, 0 };

        zs_frame_start_nofcs(&b);
        seq_block(&b, true, (struct seq_block_opts){ "ab", 2, 2, 0 }, &s, 1);
        CHECK_EQ(result_of(unzstd, b.p, b.n, 5), 0);
        CHECK_EQ(result_of(unzstd, b.p, b.n, 4), -XEN_ENOSPC);
    }
}

TEST(zstd_no_sequences_and_trailing_bytes)
{
    struct buf b = { 0 }, blk = { 0 };

    raw_literals(&blk, "just literals");
    put(&blk, "\x00", 1);
    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, true, blk.p, blk.n, blk.n);
    expect_same(unzstd, b.p, b.n, (const uint8_t *)"just literals", 13);
    /* A byte after Number_of_Sequences = 0 belongs to nothing. */
    put(&blk, "\x55", 1);
    b = (struct buf){ 0 };
    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 100), -XEN_EINVAL);
}

/* A block of Huffman-coded literals with a direct-weights tree (weights
 * given as nibbles) and no sequences; stream bits in reading order. */
static struct buf huf_block(unsigned type, const uint8_t *weights, unsigned nw,
                            const uint8_t *bits, unsigned nbits, unsigned regen, unsigned pad)
{
    struct backw *bw = calloc(1, sizeof(*bw));
    struct buf tree = { 0 }, blk = { 0 };
    uint32_t h;
    size_t csize;
    uint8_t hb = (uint8_t)(127 + nw), x[3];

    if (type == 2) {
        put(&tree, &hb, 1);
        for (unsigned i = 0; i < nw; i += 2) {
            uint8_t v = (uint8_t)(weights[i] << 4 | (i + 1 < nw ? weights[i + 1] : 0));

            put(&tree, &v, 1);
        }
    }
    for (unsigned i = 0; i < nbits; i++)
        backw_field(bw, bits[i], 1);
    backw_finish(bw);
    csize = tree.n + pad + bitw_bytes(&bw->out);
    h = type | 0 << 2 | regen << 4 | (uint32_t)csize << 14;
    x[0] = (uint8_t)h;
    x[1] = (uint8_t)(h >> 8);
    x[2] = (uint8_t)(h >> 16);
    put(&blk, x, 3);
    put(&blk, tree.p, tree.n);
    put_fill(&blk, 0, pad);
    put(&blk, bw->out.buf, bitw_bytes(&bw->out));
    put(&blk, "\x00", 1);                /* no sequences */
    free(tree.p);
    free(bw);
    return blk;
}

static int huf_frame(struct buf first, struct buf *second)
{
    struct buf b = { 0 };
    int rc;

    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, !second, first.p, first.n, first.n);
    if (second)
        zs_block(&b, 2, true, second->p, second->n, second->n);
    rc = result_of(unzstd, b.p, b.n, 100);
    free(b.p);
    return rc;
}

TEST(zstd_huffman_literals_control_and_bad_trees)
{
    /* Weight 1 for symbol 0, implied weight 1 for symbol 1: one bit each. */
    static const uint8_t w1[] = { 1 }, bits[] = { 0, 1, 1, 0, 1 };
    static const uint8_t want[] = { 0, 1, 1, 0, 1, 1, 0, 0 };
    static const uint8_t bits2[] = { 1, 0, 0 };
    static const uint8_t w_bad_sum[] = { 3, 1 }, w_12[] = { 12 }, w_no_ones[] = { 2 };
    struct buf ok = huf_block(2, w1, 1, bits, 5, 5, 0);
    struct buf treeless = huf_block(3, NULL, 0, bits2, 3, 3, 0);
    struct buf b = { 0 };

    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, false, ok.p, ok.n, ok.n);
    zs_block(&b, 2, true, treeless.p, treeless.n, treeless.n);
    expect_same(unzstd, b.p, b.n, want, 8);

    /* Treeless literals with no tree before them in the frame. */
    CHECK_EQ(huf_frame(treeless, NULL), -XEN_EINVAL);
    CHECK_EQ(huf_frame(ok, &treeless), 0);
    /* Weights 3 and 1 (sum 5): no single weight completes a power of 2. */
    CHECK_EQ(huf_frame(huf_block(2, w_bad_sum, 2, bits, 5, 5, 0), NULL), -XEN_EINVAL);
    /* Weight 12 exceeds the 11-bit limit. */
    CHECK_EQ(huf_frame(huf_block(2, w_12, 1, bits, 5, 5, 0), NULL), -XEN_EINVAL);
    /* Weights 2 and implied 2: a tree with no weight-1 symbol. */
    CHECK_EQ(huf_frame(huf_block(2, w_no_ones, 1, bits, 5, 5, 0), NULL), -XEN_EINVAL);
    /* A stream with an unread byte, and one with too few bits. */
    CHECK_EQ(huf_frame(huf_block(2, w1, 1, bits, 5, 5, 1), NULL), -XEN_EINVAL);
    CHECK_EQ(huf_frame(huf_block(2, w1, 1, bits, 5, 6, 0), NULL), -XEN_EINVAL);
    CHECK_EQ(huf_frame(huf_block(2, w1, 1, bits, 5, 4, 0), NULL), -XEN_EINVAL);
}

TEST(zstd_fse_table_description_errors)
{
    struct bitw w = { 0 };
    struct buf b = { 0 }, blk = { 0 };
    uint8_t h[2] = { 1, 2 << 6 | 1 << 4 | 1 << 2 };     /* LL FSE, OF/ML RLE */

    /* Accuracy log 10 for literal lengths (at most 9). */
    raw_literals(&blk, "ab");
    put(&blk, h, 2);
    put(&blk, "\x05\xff\xff\xff\x02\x00\x01", 7);
    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 100), -XEN_EINVAL);

    /* Accuracy log 5, symbol 0 at probability 0, then zero-repeat flags
     * carrying the symbol count past literal length code 35. */
    bitw_put(&w, 0, 4);
    bitw_put(&w, 1, 5);
    for (unsigned i = 0; i < 12; i++)
        bitw_put(&w, 3, 2);
    free(blk.p);
    blk = (struct buf){ 0 };
    raw_literals(&blk, "ab");
    put(&blk, h, 2);
    put(&blk, w.buf, bitw_bytes(&w));
    put(&blk, "\x00\x00\x00\x02\x00\x01", 6);
    free(b.p);
    b = (struct buf){ 0 };
    zs_frame_start_nofcs(&b);
    zs_block(&b, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, b.p, b.n, 100), -XEN_EINVAL);
}

TEST(no_memory_for_tables_is_enomem)
{
    struct buf c = corpus();
    struct buf g = gz_make(c.p, 1000, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });
    struct buf z = zs_make(c.p, 1000, (struct zs_opts){ 6, true, true, 0 });

    fail_allocs = true;
    CHECK_EQ(result_of(gunzip, g.p, g.n, 2000), -XEN_ENOMEM);
    CHECK_EQ(result_of(unzstd, z.p, z.n, 2000), -XEN_ENOMEM);
}

/* The content checksum over every tail length XXH64 handles separately
 * (under 32 bytes, 4-byte and single-byte remainders). */
TEST(zstd_checksum_small_and_odd_sizes)
{
    static const size_t sizes[] = { 0, 1, 3, 4, 5, 7, 8, 12, 31, 32, 33, 36, 39, 63, 64, 65, 1001 };
    struct buf c = corpus();

    for (unsigned i = 0; i < ARRAY_LEN(sizes); i++) {
        struct buf z = zs_make(c.p + 250000, sizes[i], (struct zs_opts){ 3, true, true, 0 });

        expect_same(unzstd, z.p, z.n, c.p + 250000, sizes[i]);
        z.p[z.n - 2] ^= 4;
        CHECK_EQ(result_of(unzstd, z.p, z.n, sizes[i] + 10), -XEN_EINVAL);
        free(z.p);
    }
}

/* A valid single-block frame whose block is cut short inside (the block
 * size field says fewer bytes): refused at every length, which reaches
 * each bound check inside the literals and sequences sections. */
static void check_block_cuts(const struct buf *frame, size_t hdr)
{
    uint32_t bh = (uint32_t)(frame->p[hdr] | frame->p[hdr + 1] << 8 | frame->p[hdr + 2] << 16);
    size_t size = bh >> 3;

    CHECK_EQ((bh >> 1) & 3, 2);           /* a compressed block */
    for (size_t k = 0; k < size; k++) {
        struct buf b = { 0 };
        uint32_t h = (uint32_t)(k << 3 | (bh & 7));
        uint8_t x[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };
        int rc;

        put(&b, frame->p, hdr);
        put(&b, x, 3);
        put(&b, frame->p + hdr + 3, k);
        rc = result_of(unzstd, b.p, b.n, 1 << 20);
        if (rc != -XEN_EINVAL)
            printf("    block cut to %zu of %zu: %d\n", k, size, rc);
        CHECK_EQ(rc, -XEN_EINVAL);
        free(b.p);
    }
}

TEST(zstd_blocks_cut_inside)
{
    struct buf c = corpus();
    /* Text (Huffman literals, FSE tables), random + text (4 streams),
     * and hand-built raw/RLE/Huffman literal blocks. */
    static const size_t offs[] = { 0, 300000 - 2000, 370000 - 100 };
    static const size_t lens[] = { 3000, 6000, 400 };

    for (unsigned i = 0; i < 3; i++) {
        struct buf z = zs_make(c.p + offs[i], lens[i], (struct zs_opts){ 19, false, true, 0 });

        /* magic, descriptor 0x20|fcs size, fcs: the block header follows */
        check_block_cuts(&z, 4 + 1 + ((z.p[4] >> 6) ? 2 : 1));
        free(z.p);
    }
    {
        static const uint8_t w1[] = { 1 }, bits[] = { 0, 1, 1, 0, 1 };
        struct buf blk = huf_block(2, w1, 1, bits, 5, 5, 0), f = { 0 };

        zs_frame_start_nofcs(&f);
        zs_block(&f, 2, true, blk.p, blk.n, blk.n);
        check_block_cuts(&f, 6);
    }
    {
        struct buf blk = { 0 }, f = { 0 };
        static const struct seq s[] = { { 1, 0, 0 } };

        zs_frame_start_nofcs(&f);
        seq_block(&f, true, (struct seq_block_opts){ "ab", 2, 2, 0 }, s, 1);
        check_block_cuts(&f, 6);
        /* 3-byte raw and RLE literal headers (Size_Format 3). */
        f = (struct buf){ 0 };
        zs_frame_start_nofcs(&f);
        put(&blk, "\x0c\x01\x00xyzzyxyzzyxyzzyx\x00", 20);
        zs_block(&f, 2, true, blk.p, blk.n, blk.n);
        expect_same(unzstd, f.p, f.n, (const uint8_t *)"xyzzyxyzzyxyzzyx", 16);
        check_block_cuts(&f, 6);
        blk = (struct buf){ 0 };
        f = (struct buf){ 0 };
        zs_frame_start_nofcs(&f);
        put(&blk, "\x0d\x01\x00q\x00", 5);
        zs_block(&f, 2, true, blk.p, blk.n, blk.n);
        expect_same(unzstd, f.p, f.n, (const uint8_t *)"qqqqqqqqqqqqqqqq", 16);
        check_block_cuts(&f, 6);
    }
}

TEST(zstd_raw_rle_frames_truncated)
{
    uint8_t want[300];
    struct buf b = { 0 };

    memcpy(want, "hello", 5);
    memset(want + 5, 'x', 295);
    zs_frame_start_nofcs(&b);
    zs_block(&b, 0, false, (const uint8_t *)"hello", 5, 5);
    zs_block(&b, 1, true, (const uint8_t *)"x", 1, 295);
    expect_same(unzstd, b.p, b.n, want, 300);
    check_truncations(unzstd, &b, 300, 1);
}

/* More literal and sequence refusals, on hand-built blocks. */
TEST(zstd_literals_and_sequence_header_errors)
{
    static const uint8_t zero[] = { 0 }, bits[] = { 0, 1, 1, 0, 1 };
    uint8_t w5[128];
    struct buf blk = { 0 }, f = { 0 };

    /* Raw literals claiming 2^20 - 1 bytes (over 128 KiB). */
    put(&blk, "\x0c\xff\xff", 3);
    put_fill(&blk, 'a', 40);
    zs_frame_start_nofcs(&f);
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, f.p, f.n, 1 << 20), -XEN_EINVAL);

    /* Huffman literals in 4 streams with 1 byte to regenerate. */
    blk = (struct buf){ 0 };
    f = (struct buf){ 0 };
    {
        uint32_t h = 2 | 1 << 2 | 1 << 4 | 12u << 14;
        uint8_t x[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };

        put(&blk, x, 3);
        put(&blk, "\x80\x10" "\x01\x00\x01\x00\x01\x00" "\x80\x80\x80\x80\x00", 13);
    }
    zs_frame_start_nofcs(&f);
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, f.p, f.n, 100), -XEN_EINVAL);

    /* Trees: all weights 0; 128 weights of 5 (a 12-bit code). */
    CHECK_EQ(huf_frame(huf_block(2, zero, 1, bits, 5, 5, 0), NULL), -XEN_EINVAL);
    memset(w5, 5, sizeof(w5));
    CHECK_EQ(huf_frame(huf_block(2, w5, 128, bits, 5, 5, 0), NULL), -XEN_EINVAL);

    /* An offset table description with a 33rd symbol (offset codes end at
     * 31): accuracy 5, then 33 symbols of probability 0, no repeats. */
    {
        struct bitw w = { 0 };
        uint8_t h[3] = { 1, 1 << 6 | 2 << 4 | 1 << 2, 2 };

        bitw_put(&w, 0, 4);
        for (unsigned i = 0; i < 33; i++) {
            bitw_put(&w, 1, 5);
            bitw_put(&w, 0, 2);
        }
        blk = (struct buf){ 0 };
        f = (struct buf){ 0 };
        raw_literals(&blk, "ab");
        put(&blk, h, 3);
        put(&blk, w.buf, bitw_bytes(&w));
        put(&blk, "\x00\x01", 2);
        zs_frame_start_nofcs(&f);
        zs_block(&f, 2, true, blk.p, blk.n, blk.n);
        CHECK_EQ(result_of(unzstd, f.p, f.n, 100), -XEN_EINVAL);
    }

    /* FSE-compressed Huffman weights whose bitstream has no end marker:
     * accuracy 5, two symbols of probability 16, then a 0 byte. */
    {
        struct bitw w = { 0 };
        uint8_t hb;

        bitw_put(&w, 0, 4);
        bitw_put(&w, 17, 5);
        bitw_put(&w, 31, 5);
        blk = (struct buf){ 0 };
        f = (struct buf){ 0 };
        {
            uint32_t h = 2 | 0 << 2 | 5u << 4 | 6u << 14;
            uint8_t x[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };

            put(&blk, x, 3);
        }
        hb = (uint8_t)(bitw_bytes(&w) + 1);
        put(&blk, &hb, 1);
        put(&blk, w.buf, bitw_bytes(&w));
        put(&blk, "\x00\x80\x80", 3);
        put(&blk, "\x00", 1);
        zs_frame_start_nofcs(&f);
        zs_block(&f, 2, true, blk.p, blk.n, blk.n);
        CHECK_EQ(result_of(unzstd, f.p, f.n, 100), -XEN_EINVAL);
    }

    /* Literals that do not fit the output buffer. */
    blk = (struct buf){ 0 };
    f = (struct buf){ 0 };
    raw_literals(&blk, "just literals");
    put(&blk, "\x00", 1);
    zs_frame_start_nofcs(&f);
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, f.p, f.n, 12), -XEN_ENOSPC);
}

/* 32768 sequences: the 3-byte Number_of_Sequences; libzstd decodes the same
 * hand-built frame as the reference. */
TEST(zstd_many_sequences_three_byte_count)
{
    struct backw *bw = calloc(1, sizeof(*bw));
    struct buf f = { 0 }, blk = { 0 };
    uint8_t *ref = malloc(200000);
    size_t rn;

    zs_frame_start_nofcs(&f);
    zs_block(&f, 0, false, (const uint8_t *)"ABCDEFGH", 8, 8);
    raw_literals(&blk, "");
    /* 0xff: count = byte1 + (byte2 << 8) + 0x7f00 = 32768 */
    put(&blk, "\xff\x00\x01", 3);
    /* LL 0 (code 0), offset code 0 (value 1: with LL 0, Repeat_Offset2),
     * ML 3 (code 0), all RLE. */
    put(&blk, "\x54\x00\x00\x00", 4);
    backw_finish(bw);                   /* no extra bits at all */
    put(&blk, bw->out.buf, bitw_bytes(&bw->out));
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    rn = ZSTD_decompress(ref, 200000, f.p, f.n);
    CHECK(!ZSTD_isError(rn));
    CHECK_EQ(rn, 8 + 32768 * 3);
    expect_same(unzstd, f.p, f.n, ref, rn);
    check_block_cuts(&f, 6 + 3 + 8);
    free(bw);
    free(ref);
}

/* Huffman literal sections whose sizes leave a part empty or short. */
static int huf_raw_section(uint32_t regen, uint32_t csize, unsigned sf, const char *body, size_t n)
{
    struct buf blk = { 0 }, f = { 0 };
    uint32_t h = 2 | sf << 2 | regen << 4 | csize << 14;
    uint8_t x[3] = { (uint8_t)h, (uint8_t)(h >> 8), (uint8_t)(h >> 16) };
    int rc;

    put(&blk, x, 3);
    put(&blk, body, n);
    put(&blk, "\x00", 1);
    zs_frame_start_nofcs(&f);
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    rc = result_of(unzstd, f.p, f.n, 100);
    free(blk.p);
    free(f.p);
    return rc;
}

TEST(zstd_huffman_section_sizes)
{
    /* Control: tree 0x80 0x10 (symbols 0 and 1, one bit each), stream
     * 0x2d = bits 0 1 1 0 1 under the marker. */
    CHECK_EQ(huf_raw_section(5, 3, 0, "\x80\x10\x2d", 3), 0);
    /* No room for the tree at all. */
    CHECK_EQ(huf_raw_section(5, 0, 0, "", 0), -XEN_EINVAL);
    /* A direct tree of 128 weights (64 bytes) in a 3-byte section. */
    CHECK_EQ(huf_raw_section(5, 3, 0, "\xff\x10\x2d", 3), -XEN_EINVAL);
    /* The stream's last byte is 0: no end marker. */
    CHECK_EQ(huf_raw_section(5, 3, 0, "\x80\x10\x00", 3), -XEN_EINVAL);
    /* Four streams, the second of size 0. */
    CHECK_EQ(huf_raw_section(8, 2 + 6 + 3, 1, "\x80\x10" "\x01\x00\x00\x00\x01\x00"
                             "\x06\x06\x06", 11), -XEN_EINVAL);
}

/* Sequence bitstream whose last byte is 0 (no end marker). */
TEST(zstd_sequence_stream_without_marker)
{
    struct buf f = { 0 }, blk = { 0 };

    raw_literals(&blk, "ab");
    put(&blk, "\x01\x54\x02\x02\x00" "\x01\x00", 7);
    zs_frame_start_nofcs(&f);
    zs_block(&f, 2, true, blk.p, blk.n, blk.n);
    CHECK_EQ(result_of(unzstd, f.p, f.n, 100), -XEN_EINVAL);
}

/* A distance symbol that is no code: the single 1-bit distance code is
 * "0", and the data sends "1"; and a block without any distance code. */
TEST(deflate_distance_not_a_code)
{
    uint8_t cl[19], lens[258];
    unsigned codes[258];
    struct clsym s[300];
    unsigned n = 0;

    cl_lens_complete(cl);
    for (unsigned i = 0; i < 258; i++)
        lens[i] = i < 254 ? 8 : 9;
    canonical_codes(lens, 258, codes);
    for (unsigned i = 0; i < 258; i++)
        s[n++] = (struct clsym){ lens[i], 0 };
    s[n++] = (struct clsym){ 1, 0 };        /* distance 0: one 1-bit code */
    for (unsigned bit = 0; bit < 2; bit++) {
        struct bitw w = { 0 };
        struct buf b;

        dyn_header(&w, 258, 1, cl, s, n);
        bitw_code(&w, codes['A'], 8);
        bitw_code(&w, codes[257], 9);        /* length 3 */
        bitw_put(&w, bit, 1);                /* distance code "0" is 1 */
        bitw_code(&w, codes[256], 9);
        b = gz_wrap(&w, (const uint8_t *)"AAAA", 4);
        if (bit == 0)
            expect_same(gunzip, b.p, b.n, (const uint8_t *)"AAAA", 4);
        else
            CHECK_EQ(result_of(gunzip, b.p, b.n, 100), -XEN_EINVAL);
        free(b.p);
    }
    /* No distance code (length 0): a match cannot be decoded. */
    s[n - 1] = (struct clsym){ 0, 0 };
    {
        struct bitw w = { 0 };

        dyn_header(&w, 258, 1, cl, s, n);
        bitw_code(&w, codes['A'], 8);
        bitw_code(&w, codes[257], 9);
        bitw_put(&w, 0, 1);
        bitw_code(&w, codes[256], 9);
        CHECK_EQ(gz_result(&w), -XEN_EINVAL);
    }
}

/* One member is decoded; what follows it (a second member, the bzImage's
 * size word) is not read. */
TEST(gzip_first_member_only_trailing_ignored)
{
    struct buf c = corpus(), in = { 0 };
    struct buf a = gz_make(c.p, 3000, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });
    struct buf b = gz_make(c.p + 3000, 3000, (struct gz_opts){ 6, Z_DEFAULT_STRATEGY, false });

    put(&in, a.p, a.n);
    put(&in, b.p, b.n);
    expect_same(gunzip, in.p, in.n, c.p, 3000);
    put(&a, "\x00\x30\x00\x00", 4);
    expect_same(gunzip, a.p, a.n, c.p, 3000);
}

/* Offsets may reach back no further than Window_Size (here 1 KiB), even
 * when more output exists. */
TEST(zstd_offset_beyond_window)
{
    uint8_t raw[1000];

    for (unsigned i = 0; i < sizeof(raw); i++)
        raw[i] = (uint8_t)(i * 7 + i / 13);
    for (unsigned far = 0; far < 2; far++) {
        static const uint8_t hdr[2] = { 0x00, 0x00 };   /* window 1 KiB */
        /* offset 1000 (value 1003: code 9, extra 491) or 1500 (value
         * 1503: code 10, extra 479) */
        struct seq s = { far ? 479u : 491u, 0, 0 };
        struct buf b = { 0 };
        int rc;

        put_le32(&b, 0xfd2fb528);
        put(&b, hdr, 2);
        zs_block(&b, 0, false, raw, sizeof(raw), sizeof(raw));
        zs_block(&b, 0, false, raw, sizeof(raw), sizeof(raw));
        seq_block(&b, true, (struct seq_block_opts){ "", 0, far ? 10 : 9, 0 }, &s, 1);
        rc = result_of(unzstd, b.p, b.n, 3000);
        CHECK_EQ(rc, far ? -XEN_EINVAL : 0);
        free(b.p);
    }
}
