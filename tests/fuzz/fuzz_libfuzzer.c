/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer entry for the core fuzzing engine: the input bytes are the
 * random stream (8 per draw) for one world of at most 2000 steps; any
 * broken invariant aborts. Build and run: `make fuzz-core-libfuzzer`.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(uint64_t step, const char *why)
{
    fprintf(stderr, "step %llu: %s\n", (unsigned long long)step, why);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *bad;
    uint64_t i;

    fuzz_bytes(data, size);
    fuzz_world_start();
    for (i = 0; i < 2000 && fuzz_bytes_left(); i++)
        if ((bad = fuzz_step(i, 1)))
            broken(i, bad);
    if ((bad = fuzz_world_end()))
        broken(i, bad);
    return 0;
}
