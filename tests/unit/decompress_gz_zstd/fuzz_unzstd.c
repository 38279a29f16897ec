/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for unzstd(), differential against libzstd: whatever
 * both decode must be the same bytes, and what libzstd decodes unzstd may
 * only refuse as corrupt (-EINVAL): it is stricter where RFC 8878 asks,
 * e.g. a Huffman stream must be consumed exactly, which libzstd's fast
 * path does not check. Sanitizers catch any access outside the buffers.
 */
#include <stdlib.h>
#include <string.h>
#include <zstd.h>
#include "decompress.h"
#include "errno.h"

#define CAP (256u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[CAP], ref[CAP];
    size_t n = 0, rn;
    int rc;

    rc = unzstd(data, size, out, CAP, &n);
    rn = ZSTD_decompress(ref, CAP, data, size);
    if (rc == 0 && !ZSTD_isError(rn) && (n != rn || memcmp(out, ref, n) != 0))
        abort();
    if (rc != 0 && rc != -XEN_EINVAL && !ZSTD_isError(rn) && size > 0)
        abort();
    if (rc == 0 && n > CAP)
        abort();
    return 0;
}
