/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seeded core fuzzer: each seed drives fuzz_core.c for N calls in its
 * own child process. The suite runs a short default; the long run is
 * `make fuzz-core` (or the options below).
 * Usage: core-fuzz [--calls N] [--seeds S] [--seed FIRST] [--check-every K] [--stats]
 * The last line is "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_core.h"

static uint64_t check_every = 1;
static bool stats;

static void die(uint64_t seed, uint64_t step, const char *why)
{
    fprintf(stderr, "seed %llu step %llu: %s\n", (unsigned long long)seed,
            (unsigned long long)step, why);
    exit(1);
}

static void run_seed(uint64_t seed, uint64_t n)
{
    const char *bad;

    fuzz_seed(seed);
    fuzz_world_start();
    for (uint64_t i = 0; i < n; i++)
        if ((bad = fuzz_step(i, check_every)))
            die(seed, i, bad);
    if (stats)
        fuzz_print_stats();
    if ((bad = fuzz_world_end()))
        die(seed, n, bad);
}

static bool run_child(uint64_t seed, uint64_t n)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        run_seed(seed, n);
        _exit(0);
    }
    return pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
           WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
    uint64_t n = 20000, seeds = 4, first = 1;
    unsigned int passed = 0, failed = 0;
    struct timespec t0, t1;
    double secs;

    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--stats"))
            stats = true;
    for (int i = 1; i + 1 < argc; i += 2) {
        uint64_t val = strtoull(argv[i + 1], NULL, 0);

        if (!strcmp(argv[i], "--calls"))
            n = val;
        else if (!strcmp(argv[i], "--seeds"))
            seeds = val;
        else if (!strcmp(argv[i], "--seed"))
            first = val;
        else if (!strcmp(argv[i], "--check-every"))
            check_every = val ? val : 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint64_t s = first; s < first + seeds; s++) {
        bool ok = run_child(s, n);

        printf("%s fuzz_seed_%llu (%llu calls)\n", ok ? "PASS" : "FAIL",
               (unsigned long long)s, (unsigned long long)n);
        fflush(stdout);
        ok ? passed++ : failed++;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("fuzz: %llu calls in %.1f s (%.0f calls/s), invariants every %llu\n",
           (unsigned long long)(n * seeds), secs, (double)(n * seeds) / secs,
           (unsigned long long)check_every);
    printf("%u passed, %u failed\n", passed, failed);
    return failed ? 1 : 0;
}
