/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host-side toolstack benchmark: create+destroy cycles of a PVH domain
 * (builder, xenstore entries, unpause; destroy and store cleanup) against
 * the in-process core/ and our xenstored. Real time, medians.
 *   bench_cycle [kernel] [cycles] [memory MiB]
 */
#include <time.h>
#include "harness.h"
#include "dom.h"

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    struct h h;
    struct dom_config dc = { .vcpus = 1, .maxvcpus = 1 };
    int n = argc > 2 ? atoi(argv[2]) : 20;
    double c[256], d[256];
    size_t len;
    unsigned char *e;

    if (n < 1 || n > 256)
        return 2;
    h_up(&h);
    if (argc > 1 && *argv[1]) {
        dc.kernel = strdup(argv[1]);
    } else {
        e = h_elf(&len, 1);
        h_write_file(h_path(&h, "vmlinux"), e, len);
        free(e);
        dc.kernel = strdup(h_path(&h, "vmlinux"));
    }
    dc.cmdline = strdup("console=hvc0");
    dc.memory_mb = dc.maxmem_mb = argc > 3 ? strtoull(argv[3], NULL, 10) : 128;
    strcpy(dc.name, "bench");
    for (int i = 0; i < n; i++) {
        struct build_result b;
        double t0 = now_ms(), t1, t2;

        if (dom_create(&h.tk, &dc, &b)) {
            fprintf(stderr, "bench: %s\n", h.tk.err);
            h_down(&h);
            return 1;
        }
        t1 = now_ms();
        if (dom_destroy(&h.tk, b.domid)) {
            fprintf(stderr, "bench: %s\n", h.tk.err);
            h_down(&h);
            return 1;
        }
        t2 = now_ms();
        c[i] = t1 - t0;
        d[i] = t2 - t1;
    }
    qsort(c, (size_t)n, sizeof(c[0]), cmp);
    qsort(d, (size_t)n, sizeof(d[0]), cmp);
    printf("toolstack %s, %llu MiB, %d cycles: create median %.2f ms, destroy median %.2f ms, "
           "cycle rate %.1f/s\n", argc > 1 && *argv[1] ? argv[1] : "synthetic kernel",
           (unsigned long long)dc.memory_mb, n, c[n / 2], d[n / 2], 1000.0 / (c[n / 2] + d[n / 2]));
    h_down(&h);
    return 0;
}
