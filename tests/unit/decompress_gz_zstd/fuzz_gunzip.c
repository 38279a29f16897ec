/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for gunzip(), differential against zlib: any input zlib
 * decodes completely must give the same bytes here, and nothing zlib
 * refuses may succeed here. Sanitizers catch any access outside the buffers.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "decompress.h"
#include "errno.h"

#define CAP (256u * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[CAP], ref[CAP];
    z_stream s = { 0 };
    size_t n = 0;
    int rc, zr;

    rc = gunzip(data, size, out, CAP, &n);
    if (inflateInit2(&s, 31) != Z_OK)
        abort();
    s.next_in = (Bytef *)data;
    s.avail_in = (uInt)size;
    s.next_out = ref;
    s.avail_out = CAP;
    zr = inflate(&s, Z_FINISH);
    if (zr == Z_STREAM_END) {
        if (rc != 0 || n != s.total_out || memcmp(out, ref, n) != 0)
            abort();
    } else if (s.avail_out > 0 && rc == 0) {
        abort();        /* zlib found it corrupt or truncated; we did not */
    }
    if (rc == 0 && n > CAP)
        abort();
    inflateEnd(&s);
    return 0;
}
