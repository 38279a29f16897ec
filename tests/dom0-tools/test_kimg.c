/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel image reading (kimg.c): ELF, bzImage with each compression, errors. */
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "unit.h"
#include "harness.h"
#include "kimg.h"

static char why[512];

static unsigned char *gz(const unsigned char *in, size_t len, size_t *out_len)
{
    z_stream z = { 0 };
    unsigned char *out = malloc(len + 1024);

    deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)(len + 1024);
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        abort();
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

static unsigned char *xz(const unsigned char *in, size_t len, size_t *out_len, int alone)
{
    unsigned char *out = malloc(len + 4096);
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_options_lzma o;

    if (!alone) {
        *out_len = 0;
        if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len, out, out_len, len + 4096))
            abort();
        return out;
    }
    lzma_lzma_preset(&o, 6);
    if (lzma_alone_encoder(&s, &o) != LZMA_OK)
        abort();
    s.next_in = in;
    s.avail_in = len;
    s.next_out = out;
    s.avail_out = len + 4096;
    if (lzma_code(&s, LZMA_FINISH) != LZMA_STREAM_END)
        abort();
    *out_len = s.total_out;
    lzma_end(&s);
    return out;
}

static unsigned char *zst(const unsigned char *in, size_t len, size_t *out_len)
{
    unsigned char *out = malloc(ZSTD_compressBound(len));

    *out_len = ZSTD_compress(out, ZSTD_compressBound(len), in, len, 3);
    return out;
}

static void check_elf(const struct kimg *k)
{
    CHECK_EQ(k->entry, K_ENTRY);
    CHECK_EQ(k->nr_segs, 1);
    CHECK_EQ(k->lo, K_PADDR);
    CHECK_EQ(k->hi, K_PADDR + K_MEMSZ);
    CHECK_EQ(k->segs[0].filesz, K_FILESZ);
    CHECK_EQ(k->elf[K_OFFSET + 5], 36);
}

TEST(kimg_reads_an_elf_vmlinux)
{
    size_t len;
    unsigned char *e = h_elf(&len, 1);
    struct kimg k;

    CHECK_EQ(kimg_from_buffer(e, len, &k, why, sizeof(why)), 0);
    CHECK_STR(k.format, "elf");
    check_elf(&k);
    kimg_free(&k);
}

static void bz_case(int kind, const char *name)
{
    size_t len, clen, blen;
    unsigned char *e = h_elf(&len, 1), *c, *bz;
    struct kimg k;

    c = kind == 0 ? gz(e, len, &clen) : kind == 1 ? xz(e, len, &clen, 0)
      : kind == 2 ? xz(e, len, &clen, 1) : zst(e, len, &clen);
    bz = h_bzimage(c, clen, (uint32_t)len, &blen);
    if (kimg_from_buffer(bz, blen, &k, why, sizeof(why)))
        fprintf(stderr, "%s: %s\n", name, why);
    CHECK_STR(k.format, name);
    check_elf(&k);
    CHECK_EQ(k.elf_len, len);
    CHECK(!memcmp(k.elf, e, len));
    kimg_free(&k);
    free(c);
    free(e);
}

TEST(kimg_bzimage_gzip) { bz_case(0, "bzImage+gzip"); }
TEST(kimg_bzimage_xz) { bz_case(1, "bzImage+xz"); }
TEST(kimg_bzimage_lzma) { bz_case(2, "bzImage+lzma"); }
TEST(kimg_bzimage_zstd) { bz_case(3, "bzImage+zstd"); }

static void expect_fail(unsigned char *buf, size_t len, const char *want)
{
    struct kimg k;

    CHECK_EQ(kimg_from_buffer(buf, len, &k, why, sizeof(why)), -1);
    if (!strstr(why, want))
        fprintf(stderr, "want '%s', got '%s'\n", want, why);
    CHECK(strstr(why, want));
}

TEST(kimg_errors_say_why)
{
    size_t len, blen, clen;
    unsigned char *e;

    e = h_elf(&len, 0);
    expect_fail(e, len, "no Xen PHYS32_ENTRY note");
    e = h_elf(&len, 1);
    e[18] = 3;
    expect_fail(e, len, "not 64-bit little-endian x86_64");
    e = h_elf(&len, 1);
    put_u64(e + 64 + 32, 0x100000);     /* filesz past the file */
    expect_fail(e, len, "outside the file");
    e = h_elf(&len, 1);
    put_u64(e + 64 + 24, 0xfffff000);
    expect_fail(e, len, "does not fit below 3.75 GiB");
    e = h_elf(&len, 1);
    put_u64(e + 0x200 + 16, 0x500);
    expect_fail(e, len, "entry point lies outside");
    e = calloc(1, 100);
    expect_fail(e, 100, "not an ELF or bzImage kernel");
    e = h_bzimage((const unsigned char *)"BZh91AY&SY", 10, 100, &blen);
    expect_fail(e, blen, "bzip2");
    e = h_bzimage((const unsigned char *)"\x02\x21\x4c\x18zzzz", 8, 100, &blen);
    expect_fail(e, blen, "not supported");
    e = h_bzimage((const unsigned char *)"hello world", 11, 100, &blen);
    expect_fail(e, blen, "no known compression");
    e = h_elf(&len, 1);
    {
        unsigned char *c = gz(e, len, &clen), *bz;

        bz = h_bzimage(c, clen / 2, (uint32_t)len, &blen);   /* truncated stream */
        expect_fail(bz, blen, "corrupt or oversized gzip payload");
        bz = h_bzimage(c, clen, (uint32_t)len, &blen);
        put_u32(bz + 0x24c, 0x7fffffff);
        expect_fail(bz, blen, "outside the file");
        bz = h_bzimage(c, clen, (uint32_t)len, &blen);
        put_u16(bz + 0x206, 0x0205);
        expect_fail(bz, blen, "boot protocol too old");
        free(c);
    }
    free(e);
}

TEST(kimg_load_names_missing_files)
{
    struct kimg k;

    CHECK_EQ(kimg_load("/nonexistent/vmlinuz", &k, why, sizeof(why)), -1);
    CHECK_STR(why, "cannot open: No such file or directory");
}
