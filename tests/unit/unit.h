/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-tree host unit-test runner: TEST() registers a case, CHECK*() assert.
 * Each case runs in its own child process, so a sanitizer abort or a crash
 * fails that case only. The runner prints "N passed, N failed" last.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

void unit_register(const char *name, void (*fn)(void));
void unit_fail(const char *file, int line, const char *what);

#define TEST(name)                                                      \
    static void name(void);                                             \
    __attribute__((constructor)) static void unit_reg_##name(void)      \
    { unit_register(#name, name); }                                     \
    static void name(void)

#define CHECK(cond)                                                     \
    do { if (!(cond)) unit_fail(__FILE__, __LINE__, #cond); } while (0)

/* Integer equality that prints both sides on failure. */
#define CHECK_EQ(a, b)                                                  \
    do {                                                                \
        long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);   \
        if (unit_a_ != unit_b_) {                                       \
            char unit_m_[256];                                          \
            snprintf(unit_m_, sizeof(unit_m_), "%s == %s (%lld != %lld)", \
                     #a, #b, unit_a_, unit_b_);                         \
            unit_fail(__FILE__, __LINE__, unit_m_);                     \
        }                                                               \
    } while (0)

#define CHECK_STR(a, b)                                                 \
    do {                                                                \
        const char *unit_a_ = (a), *unit_b_ = (b);                      \
        if (!unit_a_ || !unit_b_ || strcmp(unit_a_, unit_b_)) {         \
            char unit_m_[512];                                          \
            snprintf(unit_m_, sizeof(unit_m_), "%s == %s (\"%s\" != \"%s\")", \
                     #a, #b, unit_a_ ? unit_a_ : "(null)",              \
                     unit_b_ ? unit_b_ : "(null)");                     \
            unit_fail(__FILE__, __LINE__, unit_m_);                     \
        }                                                               \
    } while (0)

#endif
