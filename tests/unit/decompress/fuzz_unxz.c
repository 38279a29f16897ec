/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for unxz(): never a crash or an out-of-bounds access
 * (ASan/UBSan), out_len within out_cap, and whenever both unxz() and
 * liblzma accept an input, the same bytes. unxz_size() runs on it too.
 */
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include "decompress.h"
#include "env_shim.h"

#define OUT_CAP (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void compare_with_liblzma(const uint8_t *data, size_t size,
                                 const uint8_t *out, size_t out_len)
{
    static uint8_t ref[OUT_CAP];
    uint64_t memlimit = 64u << 20;
    size_t in_pos = 0, ref_len = 0;
    lzma_ret r;

    r = lzma_stream_buffer_decode(&memlimit, 0, NULL, data, &in_pos, size,
                                  ref, &ref_len, sizeof(ref));
    if (r == LZMA_OK && (ref_len != out_len || memcmp(ref, out, out_len)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[OUT_CAP];
    size_t cap = size ? OUT_CAP >> (data[size - 1] & 7) : OUT_CAP;
    size_t out_len = 0;
    uint64_t total;

    if (unxz(data, size, out, cap, &out_len) == 0) {
        if (out_len > cap)
            abort();
        compare_with_liblzma(data, size, out, out_len);
    }
    if (unxz_size(data, size, &total) == 0 && total == (uint64_t)-1)
        abort();
    return 0;
}
