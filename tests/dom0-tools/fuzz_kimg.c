/* SPDX-License-Identifier: GPL-2.0-only */
/* libFuzzer target: any bytes as a kernel image (bzImage header, payload
 * decompression, ELF program headers and notes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kimg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *buf = malloc(size ? size : 1);
    struct kimg k;
    char why[512];

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (kimg_from_buffer(buf, size, &k, why, sizeof(why))) {
        if (!why[0])
            __builtin_trap();       /* every refusal says why */
        return 0;
    }
    /* What the builder relies on: the entry inside a segment, segments in the ELF. */
    if (k.entry < k.lo || k.entry >= k.hi)
        __builtin_trap();
    for (unsigned int i = 0; i < k.nr_segs; i++)
        if (k.segs[i].offset + k.segs[i].filesz > k.elf_len)
            __builtin_trap();
    kimg_free(&k);
    return 0;
}
