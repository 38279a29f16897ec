/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whole-buffer decompressors for boot modules (the payload of a
 * distribution's bzImage): unxz.c (XZ/LZMA2), gunzip.c (gzip/DEFLATE),
 * unzstd.c (Zstandard). Each decodes one complete stream from in[0, in_len)
 * into out[0, out_cap), using out itself as the history window, and never
 * reads or writes outside either buffer whatever the input holds.
 */
#ifndef XL_DECOMPRESS_H
#define XL_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Return 0 with *out_len = bytes produced, or a negative Xen errno:
 *   -XEN_EINVAL  corrupt or truncated input, or a check (CRC) mismatch
 *   -XEN_ENOSPC  the output does not fit in out_cap
 *   -XEN_EOPNOTSUPP  a valid stream using a feature not implemented
 *   -XEN_ENOMEM  no memory for decoder tables
 * The caller (the bzImage loader) logs which module failed and why.
 * Trailing bytes after the stream (bzImage padding) are ignored.
 */
int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);
int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);
int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);

/* The uncompressed size an XZ stream's index records, read from the end of
 * in[0, in_len) (up to 64 trailing bytes allowed): sizes the output buffer
 * before unxz(). 0, or -XEN_EINVAL when no valid footer and index is found. */
int unxz_size(const uint8_t *in, size_t in_len, uint64_t *size);

#endif
