/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unzstd(): Zstandard frames (RFC 8878) decoded whole into the caller's
 * buffer, which is also the history window. Not here: the bzImage dispatch
 * (pvh_loader.c), XZ (unxz.c), gzip (gunzip.c).
 */
#include "decompress.h"
#include "errno.h"
#include "lib.h"

#define ZSTD_MAGIC 0xfd2fb528u

/* First version: recognises a frame but decodes nothing yet, so the loader
 * reports a clean "not supported" instead of claiming success. */
int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    uint32_t magic;

    if (in_len < 4)
        return -XEN_EINVAL;
    magic = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
            (uint32_t)in[3] << 24;
    if (magic != ZSTD_MAGIC)
        return -XEN_EINVAL;
    return -XEN_EOPNOTSUPP;
}
