/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bzImage kernels (bzimage_*): the setup-header fields that bound the
 * decompressed size, the payload format by magic, and the decompression
 * into a hypervisor buffer. Not here: finding the payload (pvh_loader.c's
 * pvh_bzimage_payload), the decoders (unxz.c, gunzip.c, unzstd.c), the ELF.
 */
#include "bzimage.h"
#include "decompress.h"
#include "env.h"
#include "errno.h"
#include "pvh_loader.h"
#include "xmalloc.h"

#define HDR_VERSION   0x206
#define HDR_INIT_SIZE 0x260

typedef int (*decode_fn)(const uint8_t *in, size_t in_len, uint8_t *out,
                         size_t out_cap, size_t *out_len);

struct format {
    uint8_t magic[6];
    uint8_t magic_len;
    const char *name;
    decode_fn decode;          /* NULL: recognised but not supported */
};

static const struct format formats[] = {
    { { 0xFD, '7', 'z', 'X', 'Z', 0 }, 6, "XZ", unxz },
    { { 0x1F, 0x8B }, 2, "gzip", gunzip },
    { { 0x28, 0xB5, 0x2F, 0xFD }, 4, "zstd", unzstd },
    { { 'B', 'Z', 'h' }, 3, "bzip2", NULL },
    { { 0x5D, 0, 0 }, 3, "LZMA", NULL },
    { { 0x89, 'L', 'Z', 'O' }, 4, "LZO", NULL },
    { { 0x02, 0x21, 0x4C, 0x18 }, 4, "LZ4", NULL },
};

static int fail(const char **why, const char *reason, int err)
{
    if (why)
        *why = reason;
    return err;
}

static const struct format *format_of(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        const struct format *f = &formats[i];

        if (len >= f->magic_len && !memcmp(p, f->magic, f->magic_len))
            return f;
    }
    return NULL;
}

/* init_size: the memory the kernel needs while it decompresses itself in
 * place; the boot protocol (2.10+) promises the vmlinux fits in it. */
static int init_size(const uint8_t *b, size_t len, uint64_t *size,
                     const char **why)
{
    if (len < HDR_INIT_SIZE + 4 || (b[HDR_VERSION] | b[HDR_VERSION + 1] << 8) < 0x020A)
        return fail(why, "bzImage boot protocol before 2.10 has no init_size",
                    -XEN_EINVAL);
    *size = (uint64_t)b[HDR_INIT_SIZE] | (uint64_t)b[HDR_INIT_SIZE + 1] << 8 |
            (uint64_t)b[HDR_INIT_SIZE + 2] << 16 | (uint64_t)b[HDR_INIT_SIZE + 3] << 24;
    if (*size == 0)
        return fail(why, "bzImage init_size is 0", -XEN_EINVAL);
    return 0;
}

/* How many bytes to allocate: init_size, or less when the XZ index says. */
static int output_bound(const struct format *f, const uint8_t *pl, size_t plen,
                        uint64_t limit, uint64_t *cap, const char **why)
{
    uint64_t promised;

    if (limit > BZIMAGE_MAX_KERNEL)
        limit = BZIMAGE_MAX_KERNEL;
    *cap = limit;
    if (f->decode != unxz)
        return 0;
    if (unxz_size(pl, plen, &promised))
        return fail(why, "bzImage XZ payload has no valid index/footer "
                    "(corrupt or truncated)", -XEN_EINVAL);
    if (promised > limit)
        return fail(why, "bzImage XZ payload is larger than init_size",
                    -XEN_E2BIG);
    *cap = promised;
    return 0;
}

static const char *decode_error(int rc)
{
    switch (rc) {
    case -XEN_ENOSPC:
        return "bzImage payload decompresses to more than its bound "
               "(init_size, or the size its XZ index records)";
    case -XEN_EOPNOTSUPP:
        return "bzImage payload uses a feature we do not decode "
               "(filter, check or dictionary)";
    case -XEN_ENOMEM:
        return "no memory for the decompressor's tables";
    default:
        return "bzImage payload is corrupt or truncated (or its check fails)";
    }
}

int bzimage_unpack(const void *img, size_t len, struct bzimage_kernel *k,
                   const char **why)
{
    const uint8_t *pl;
    const struct format *f;
    uint64_t limit, cap;
    size_t plen, out_len = 0;
    int rc;

    *k = (struct bzimage_kernel){ 0 };
    rc = pvh_bzimage_payload(img, len, (const void **)&pl, &plen, why);
    if (rc)
        return rc;
    if ((rc = init_size(img, len, &limit, why)))
        return rc;
    f = format_of(pl, plen);
    if (!f)
        return fail(why, "bzImage payload format unknown (XZ, gzip and zstd "
                    "are decoded)", -XEN_EOPNOTSUPP);
    if (!f->decode)
        return fail(why, "bzImage payload is bzip2, LZMA, LZO or LZ4: only "
                    "XZ, gzip and zstd are decoded", -XEN_EOPNOTSUPP);
    if ((rc = output_bound(f, pl, plen, limit, &cap, why)))
        return rc;
    /* Not zeroed: the decoder writes every byte it reports, and clearing
     * 64 MiB costs about a second under QEMU TCG. */
    k->elf = xmalloc(cap ? (size_t)cap : 1);
    if (!k->elf)
        return fail(why, "no memory for the decompressed kernel", -XEN_ENOMEM);
    rc = f->decode(pl, plen, k->elf, (size_t)cap, &out_len);
    if (rc) {
        bzimage_free(k);
        return fail(why, decode_error(rc), rc == -XEN_ENOSPC ? -XEN_E2BIG : rc);
    }
    k->len = out_len;
    k->payload_len = plen;
    k->cap = (size_t)cap;
    k->format = f->name;
    return 0;
}

void bzimage_free(struct bzimage_kernel *k)
{
    xfree(k->elf);
    *k = (struct bzimage_kernel){ 0 };
}
