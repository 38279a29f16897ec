/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core fuzzing engine (fuzz_core.c) as its two drivers use it: a world
 * of domains (0 = control domain, 1..3 domUs), steps of random hypercalls
 * and guest memory writes, and the invariant checks.
 */
#ifndef FUZZ_CORE_H
#define FUZZ_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where randomness comes from: a seeded generator, or a byte string. */
void fuzz_seed(uint64_t seed);
void fuzz_bytes(const uint8_t *data, size_t len);
bool fuzz_bytes_left(void);

void fuzz_world_start(void);
/* One step; NULL, or the invariant that broke. The full walk runs when
 * check_every divides i (0: only the per-call checks). */
const char *fuzz_step(uint64_t i, uint64_t check_every);
/* Final checks, destroy every domain, check nothing is left. */
const char *fuzz_world_end(void);
void fuzz_print_stats(void);

#endif
