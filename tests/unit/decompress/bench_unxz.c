/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `make bench`: decode speed of unxz() against Debian's liblzma on the
 * payload of build/fixtures/vmlinuz (the kernel dom0 boots), best of 3,
 * in MB/s of output. Prints one line per decoder and the ratio.
 */
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "decompress.h"
#include "pvh_loader.h"

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int run_liblzma(const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                       size_t *len)
{
    uint64_t memlimit = UINT64_MAX;
    size_t in_pos = 0;

    *len = 0;
    return lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, n, out,
                                     len, cap) == LZMA_OK ? 0 : -1;
}

static double best_of_3(int (*fn)(const uint8_t *, size_t, uint8_t *, size_t, size_t *),
                        const uint8_t *in, size_t n, uint8_t *out, size_t cap,
                        size_t *len)
{
    double best = 1e9;

    for (int i = 0; i < 3; i++) {
        double t0 = now();
        if (fn(in, n, out, cap, len)) {
            fprintf(stderr, "bench_unxz: decode failed\n");
            exit(1);
        }
        if (now() - t0 < best)
            best = now() - t0;
    }
    return best;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "build/fixtures/vmlinuz";
    FILE *f = fopen(path, "rb");
    const void *pl;
    size_t plen, len_a, len_b, cap;
    const char *why;
    uint8_t *img, *a, *b;
    uint64_t size;
    long n;

    if (!f) {
        fprintf(stderr, "bench_unxz: no %s (make fixtures)\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    img = malloc((size_t)n);
    if (fread(img, 1, (size_t)n, f) != (size_t)n)
        return 1;
    fclose(f);
    if (pvh_bzimage_payload(img, (size_t)n, &pl, &plen, &why) ||
        unxz_size(pl, plen, &size)) {
        fprintf(stderr, "bench_unxz: %s has no XZ payload\n", path);
        return 1;
    }
    cap = (size_t)size;
    a = malloc(cap);
    b = malloc(cap);
    double ta = best_of_3(unxz, pl, plen, a, cap, &len_a);
    double tb = best_of_3(run_liblzma, pl, plen, b, cap, &len_b);
    if (len_a != len_b || memcmp(a, b, len_a)) {
        fprintf(stderr, "bench_unxz: outputs differ\n");
        return 1;
    }
    printf("unxz    %s payload %zu -> %zu bytes: %.0f ms, %.1f MB/s\n", path,
           plen, len_a, ta * 1e3, len_a / ta / 1e6);
    printf("liblzma %s payload %zu -> %zu bytes: %.0f ms, %.1f MB/s\n", path,
           plen, len_b, tb * 1e3, len_b / tb / 1e6);
    printf("unxz/liblzma speed ratio: %.2f\n", tb / ta);
    return 0;
}
