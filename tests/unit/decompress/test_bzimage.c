/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bzimage_unpack(): bzImages built here around XZ, gzip and zstd payloads
 * (made by Debian's liblzma, zlib, libzstd), the size bound from init_size
 * and the XZ index, refused formats, bad setup headers, corrupt payloads,
 * no memory, and Debian's own vmlinuz against its extracted vmlinux.
 */
#include "unit.h"
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include "bzimage.h"
#include "env_shim.h"
#include "errno.h"

#define SETUP_SECTS 4
#define PAYLOAD_AT  ((SETUP_SECTS + 1) * 512)

struct buf {
    uint8_t *p;
    size_t n;
};

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* The kernel "vmlinux" for these tests: compressible, 200 KB. */
static struct buf kernel(void)
{
    struct buf k = { malloc(200000), 200000 };

    for (size_t i = 0; i < k.n; i++)
        k.p[i] = (uint8_t)((i * 7) ^ (i >> 9));
    return k;
}

static struct buf xz(struct buf d, lzma_check check)
{
    struct buf o = { malloc(d.n + 4096), 0 };

    CHECK_EQ(lzma_easy_buffer_encode(6, check, NULL, d.p, d.n, o.p, &o.n, d.n + 4096),
             LZMA_OK);
    return o;
}

static struct buf gz(struct buf d)
{
    struct buf o = { malloc(d.n + 4096), d.n + 4096 };
    z_stream s;

    memset(&s, 0, sizeof(s));
    CHECK_EQ(deflateInit2(&s, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = d.p;
    s.avail_in = (uInt)d.n;
    s.next_out = o.p;
    s.avail_out = (uInt)o.n;
    CHECK_EQ(deflate(&s, Z_FINISH), Z_STREAM_END);
    o.n = s.total_out;
    deflateEnd(&s);
    return o;
}

static struct buf zst(struct buf d)
{
    struct buf o = { malloc(ZSTD_compressBound(d.n)), 0 };

    o.n = ZSTD_compress(o.p, ZSTD_compressBound(d.n), d.p, d.n, 19);
    CHECK(!ZSTD_isError(o.n));
    return o;
}

/* A bzImage (boot protocol 2.15) around payload, plus Linux's appended
 * 4-byte size, with the given init_size. */
static struct buf bzimage(struct buf payload, uint32_t init_size)
{
    struct buf b = { calloc(1, PAYLOAD_AT + payload.n + 4), PAYLOAD_AT + payload.n + 4 };

    b.p[0x1F1] = SETUP_SECTS;
    memcpy(b.p + 0x202, "HdrS", 4);
    b.p[0x206] = 0x0F;
    b.p[0x207] = 0x02;
    put32(b.p + 0x248, 0);
    put32(b.p + 0x24C, (uint32_t)payload.n + 4);
    put32(b.p + 0x260, init_size);
    memcpy(b.p + PAYLOAD_AT, payload.p, payload.n);
    put32(b.p + PAYLOAD_AT + payload.n, 200000);
    return b;
}

static void unpacks_to_kernel(struct buf img, const char *format, size_t cap)
{
    struct buf k = kernel();
    struct bzimage_kernel bk;
    const char *why = NULL;

    CHECK_EQ(bzimage_unpack(img.p, img.n, &bk, &why), 0);
    CHECK_STR(bk.format, format);
    CHECK_EQ(bk.len, k.n);
    CHECK_EQ(bk.cap, cap);
    CHECK(!memcmp(bk.elf, k.p, k.n));
    bzimage_free(&bk);
    CHECK(bk.elf == NULL);
}

static void refused(struct buf img, int err, const char *reason)
{
    struct bzimage_kernel bk;
    const char *why = NULL;

    CHECK_EQ(bzimage_unpack(img.p, img.n, &bk, &why), err);
    CHECK(why && strstr(why, reason));
    CHECK(bk.elf == NULL);
}

TEST(xz_payload_bounded_by_its_index)
{
    unpacks_to_kernel(bzimage(xz(kernel(), LZMA_CHECK_CRC32), 300000), "XZ", 200000);
}

TEST(gzip_payload_bounded_by_init_size)
{
    unpacks_to_kernel(bzimage(gz(kernel()), 300000), "gzip", 300000);
}

TEST(zstd_payload_bounded_by_init_size)
{
    unpacks_to_kernel(bzimage(zst(kernel()), 250000), "zstd", 250000);
}

TEST(exact_init_size_is_enough)
{
    unpacks_to_kernel(bzimage(gz(kernel()), 200000), "gzip", 200000);
    unpacks_to_kernel(bzimage(xz(kernel(), LZMA_CHECK_CRC64), 200000), "XZ", 200000);
}

TEST(larger_than_init_size)
{
    refused(bzimage(xz(kernel(), LZMA_CHECK_CRC32), 199999), -XEN_E2BIG,
            "larger than init_size");
    refused(bzimage(gz(kernel()), 199999), -XEN_E2BIG, "more than its bound");
    refused(bzimage(zst(kernel()), 100000), -XEN_E2BIG, "more than its bound");
}

/* An index recording one byte less than the block holds: the buffer is
 * sized from the index, so the block does not fit. */
TEST(xz_index_smaller_than_the_data)
{
    struct buf x = xz(kernel(), LZMA_CHECK_CRC32);
    size_t isize = ((size_t)(x.p[x.n - 8] | x.p[x.n - 7] << 8) + 1) * 4;
    size_t idx = x.n - 12 - isize, p = idx + 2;

    CHECK_EQ(x.p[idx + 1], 1);                 /* one record */
    while (x.p[p] & 0x80)                      /* unpadded size */
        p++;
    p++;
    CHECK(x.p[p] == 0xC0 && x.p[p + 1] == 0x9A && x.p[p + 2] == 0x0C); /* 200000 */
    x.p[p] -= 1;                               /* 200000 -> 199999 */
    put32(x.p + idx + isize - 4, (uint32_t)crc32(0, x.p + idx, (uInt)(isize - 4)));
    refused(bzimage(x, 300000), -XEN_E2BIG, "its XZ index records");
}

TEST(not_a_bzimage)
{
    struct buf k = kernel();
    struct bzimage_kernel bk;
    const char *why = NULL;

    CHECK_EQ(bzimage_unpack(k.p, k.n, &bk, &why), -XEN_ENOEXEC);
    CHECK(bk.elf == NULL);
}

TEST(bad_setup_headers)
{
    struct buf img = bzimage(xz(kernel(), LZMA_CHECK_CRC32), 300000);

    img.p[0x206] = 0x09;                   /* protocol 2.09: no init_size */
    refused(img, -XEN_EINVAL, "before 2.10");
    img.p[0x206] = 0x0F;
    put32(img.p + 0x260, 0);
    refused(img, -XEN_EINVAL, "init_size is 0");
    put32(img.p + 0x260, 300000);
    put32(img.p + 0x24C, (uint32_t)img.n);  /* payload past the end */
    refused(img, -XEN_EINVAL, "outside the file");
}

TEST(unsupported_formats)
{
    struct buf k = kernel();
    static const uint8_t bz2[] = "BZh91AY&SY", lz4[] = { 0x02, 0x21, 0x4C, 0x18, 0, 0 };

    refused(bzimage((struct buf){ (uint8_t *)bz2, 10 }, 300000), -XEN_EOPNOTSUPP, "bzip2");
    refused(bzimage((struct buf){ (uint8_t *)lz4, 6 }, 300000), -XEN_EOPNOTSUPP, "LZ4");
    refused(bzimage((struct buf){ k.p, 64 }, 300000), -XEN_EOPNOTSUPP, "format unknown");
    refused(bzimage(xz(k, LZMA_CHECK_SHA256), 300000), -XEN_EOPNOTSUPP,
            "feature we do not decode");
}

TEST(corrupt_payloads)
{
    struct buf x = xz(kernel(), LZMA_CHECK_CRC32), g = gz(kernel()), z = zst(kernel());

    x.p[x.n / 2] ^= 0x10;
    refused(bzimage(x, 300000), -XEN_EINVAL, "corrupt");
    x.p[x.n / 2] ^= 0x10;
    x.p[x.n - 6] ^= 0x01;                  /* footer: the index cannot be found */
    refused(bzimage(x, 300000), -XEN_EINVAL, "no valid index");
    g.p[g.n - 6] ^= 0x01;                  /* gzip CRC-32 */
    refused(bzimage(g, 300000), -XEN_EINVAL, "corrupt");
    refused(bzimage((struct buf){ z.p, z.n / 2 }, 300000), -XEN_EINVAL, "corrupt");
}

TEST(no_memory_for_the_kernel)
{
    env_shim_fail_allocs = 1;
    refused(bzimage(gz(kernel()), 300000), -XEN_ENOMEM, "no memory");
    env_shim_fail_allocs = 0;
    unpacks_to_kernel(bzimage(gz(kernel()), 300000), "gzip", 300000);
}

TEST(debian_vmlinuz_unpacks_to_its_vmlinux)
{
    const char *b = getenv("BUILD") ? getenv("BUILD") : "build";
    char path[512];
    struct bzimage_kernel bk;
    const char *why = NULL;
    struct buf z, x;
    FILE *f;

    for (int i = 0; i < 2; i++) {
        struct buf *o = i ? &x : &z;
        snprintf(path, sizeof(path), "%s/fixtures/%s", b, i ? "vmlinux" : "vmlinuz");
        if (!(f = fopen(path, "rb"))) {
            snprintf(path, sizeof(path), "tests/fixtures/linux.sh %s/fixtures", b);
            CHECK_EQ(system(path), 0);
            snprintf(path, sizeof(path), "%s/fixtures/%s", b, i ? "vmlinux" : "vmlinuz");
            f = fopen(path, "rb");
        }
        CHECK(f);
        fseek(f, 0, SEEK_END);
        o->n = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        o->p = malloc(o->n);
        CHECK_EQ(fread(o->p, 1, o->n, f), o->n);
        fclose(f);
    }
    CHECK_EQ(bzimage_unpack(z.p, z.n, &bk, &why), 0);
    CHECK_STR(bk.format, "XZ");
    CHECK_EQ(bk.len, x.n);
    CHECK(bk.len <= (size_t)(z.p[0x260] | z.p[0x261] << 8 | z.p[0x262] << 16 |
                             (size_t)z.p[0x263] << 24));
    CHECK(!memcmp(bk.elf, x.p, x.n));
    bzimage_free(&bk);
}
