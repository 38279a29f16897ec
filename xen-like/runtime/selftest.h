/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * In-hypervisor self-tests (selftest.c), selected by `test=` on the command
 * line: they run on the real machine after boot and end the run through
 * isa-debug-exit (HV_EXIT_PASS / HV_EXIT_FAIL; `exception` ends in a panic).
 */
#ifndef RUNTIME_SELFTEST_H
#define RUNTIME_SELFTEST_H

#include <stdint.h>

struct boot_info;

/* list: "all" or names separated by commas; bi: what the loader passed
 * (modules are checked for damage); mem_limit: the mem= value or 0. */
__attribute__((noreturn)) void selftest_run(const char *list, const struct boot_info *bi,
                                            uint64_t mem_limit);

#endif
