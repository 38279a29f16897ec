/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `make bench`: host decompression speed of gunzip() and unzstd() (built
 * -O2, no sanitizers) against zlib and libzstd on the same streams: the
 * first 8 MiB of build/fixtures/vmlinux as gzip -9 and zstd -22 --ultra
 * (from the unit test's cache when present, else compressed here at zlib 9
 * and zstd 19), or a synthetic text when the fixture is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <zstd.h>
#include "decompress.h"


struct buf {
    uint8_t *p;
    size_t n;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);   /* CPU time: the host is shared */
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct buf slurp(const char *path, size_t max)
{
    struct buf b = { 0 };
    FILE *f = fopen(path, "rb");

    if (!f)
        return b;
    b.p = malloc(max);
    b.n = fread(b.p, 1, max, f);
    fclose(f);
    return b;
}

static struct buf input(void)
{
    struct buf b = slurp("build/fixtures/vmlinux", 8u << 20);

    if (b.n == 0) {
        static const char *w[] = { "domain ", "grant ", "event ", "page ", "ring\n" };

        b.p = malloc(8u << 20);
        for (b.n = 0; b.n + 8 < (8u << 20);) {
            const char *s = w[rand() % 5];

            memcpy(b.p + b.n, s, strlen(s));
            b.n += strlen(s);
        }
        printf("(build/fixtures/vmlinux missing: synthetic text)\n");
    }
    return b;
}

static int zlib_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *n)
{
    z_stream s = { 0 };
    int rc;

    inflateInit2(&s, 31);
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)len;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    rc = inflate(&s, Z_FINISH);
    *n = s.total_out;
    inflateEnd(&s);
    return rc == Z_STREAM_END ? 0 : -1;
}

static int zstd_decode(const uint8_t *in, size_t len, uint8_t *out, size_t cap, size_t *n)
{
    *n = ZSTD_decompress(out, cap, in, len);
    return ZSTD_isError(*n) ? -1 : 0;
}

typedef int (*dec_fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *);

/* MB/s (10^6 bytes of output per CPU second) over runs of >= 1 s of CPU. */
static double speed(dec_fn fn, const struct buf *z, const struct buf *want)
{
    uint8_t *out = malloc(want->n);
    double t0 = now(), t;
    unsigned runs = 0;
    size_t n;

    do {
        if (fn(z->p, z->n, out, want->n, &n) || n != want->n || memcmp(out, want->p, n)) {
            printf("decode failed\n");
            exit(1);
        }
        runs++;
        t = now() - t0;
    } while (t < 1.0);
    free(out);
    return (double)want->n * runs / t / 1e6;
}

int main(void)
{
    struct buf in = input(), g, z;

    g = slurp("build/unit/gz_zstd_cache/vmlinux-8m.gz", 16u << 20);
    z = slurp("build/unit/gz_zstd_cache/vmlinux-8m.zst", 16u << 20);
    if (g.n == 0 || in.n != (8u << 20)) {
        z_stream s = { 0 };

        deflateInit2(&s, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        g.p = realloc(g.p, deflateBound(&s, in.n));
        s.next_in = in.p;
        s.avail_in = (uInt)in.n;
        s.next_out = g.p;
        s.avail_out = (uInt)deflateBound(&s, in.n);
        deflate(&s, Z_FINISH);
        g.n = s.total_out;
        deflateEnd(&s);
    }
    if (z.n == 0 || in.n != (8u << 20)) {
        z.p = realloc(z.p, ZSTD_compressBound(in.n));
        z.n = ZSTD_compress(z.p, ZSTD_compressBound(in.n), in.p, in.n, 19);
    }
    printf("gzip %zu -> %zu bytes: gunzip %.0f MB/s, zlib %.0f MB/s\n", g.n, in.n,
           speed(gunzip, &g, &in), speed(zlib_decode, &g, &in));
    printf("zstd %zu -> %zu bytes: unzstd %.0f MB/s, libzstd %.0f MB/s\n", z.n, in.n,
           speed(unzstd, &z, &in), speed(zstd_decode, &z, &in));
    return 0;
}
