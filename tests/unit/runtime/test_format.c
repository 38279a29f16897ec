/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the freestanding formatter and string helpers
 * (runtime/format.c, runtime/string.c), checked against the C library. */
#include "unit.h"
#include <stdarg.h>

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...);
void *rt_memcpy(void *, const void *, size_t);
void *rt_memset(void *, int, size_t);
void *rt_memmove(void *, const void *, size_t);
int rt_memcmp(const void *, const void *, size_t);
size_t rt_strlen(const char *);
int rt_strcmp(const char *, const char *);
int rt_strncmp(const char *, const char *, size_t);
size_t rt_strlcpy(char *, const char *, size_t);
char *rt_strchr(const char *, int);

#define SAME(...) do {                                                   \
        char a_[128], b_[128];                                           \
        int na_ = fmt_snprintf(a_, sizeof(a_), __VA_ARGS__);             \
        int nb_ = snprintf(b_, sizeof(b_), __VA_ARGS__);                 \
        CHECK_STR(a_, b_);                                               \
        CHECK_EQ(na_, nb_);                                              \
    } while (0)

TEST(format_integers_match_libc)
{
    SAME("%d|%i|%u", -42, 17, 4000000000u);
    SAME("%x|%X|%#x|%#X|%o|%#o", 0xbeefu, 0xbeefu, 255u, 255u, 8u, 8u);
    SAME("%ld|%lu|%lx", -9000000000L, 18446744073709551615UL, 0xfeedfacecafeUL);
    SAME("%lld|%llx", (long long)INT64_MIN, 0x8000000000000000ULL);
    SAME("%hhd|%hhu|%hd|%hu", 300, 300, 70000, 70000);
    SAME("%zu|%zx", (size_t)12345, (size_t)0xabc);
    SAME("%5d|%-5d|%05d|%+d|% d|%.3d|%8.3d|%-8.3x|", 42, 42, 42, 42, 42, 7, 7, 0xau);
    SAME("%05d|%+05d|%.0d|%#.0x|", -42, 3, 0, 0u);
    SAME("%*d|%-*d|%.*d", 6, 1, 6, 2, 4, 3);
}

TEST(format_strings_chars_pointers)
{
    SAME("%s|%10s|%-10s|%.2s|%c|%3c|%-3c|%%", "hello", "hi", "hi", "hello", 'x', 'y', 'z');
    SAME("%p", (void *)0x1234);
    SAME("%s", "");
}

TEST(format_truncates_and_counts)
{
    char buf[6];
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
    CHECK_STR(buf, "01234");
    CHECK_EQ(fmt_snprintf(NULL, 0, "%d", 12345), 5);
    CHECK_EQ(fmt_snprintf(buf, 1, "abc"), 3);
    CHECK_STR(buf, "");
}

TEST(format_null_string_and_unknown_conversion)
{
    char buf[32];
    fmt_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
    CHECK_STR(buf, "(null)");
    fmt_snprintf(buf, sizeof(buf), "a%qb");
    CHECK_STR(buf, "a%qb");
    fmt_snprintf(buf, sizeof(buf), "trailing %");
    CHECK_STR(buf, "trailing ");
}

TEST(string_helpers)
{
    char a[16] = "abcdefgh", b[16];
    CHECK(rt_memcpy(b, a, 9) == b);
    CHECK_STR(b, "abcdefgh");
    rt_memmove(a + 2, a, 6);                    /* overlap, dst above */
    CHECK(!memcmp(a, "ababcdef", 8));
    rt_memmove(a, a + 2, 6);                    /* overlap, dst below */
    CHECK(!memcmp(a, "abcdefef", 8));
    rt_memset(b, 'z', 3);
    CHECK(!memcmp(b, "zzzdefgh", 8));
    CHECK(rt_memcmp("abc", "abd", 3) < 0);
    CHECK(rt_memcmp("abd", "abc", 3) > 0);
    CHECK_EQ(rt_memcmp("abc", "abd", 2), 0);
    CHECK(rt_memcmp("\xff", "\x01", 1) > 0);    /* unsigned comparison */
    CHECK_EQ(rt_strlen(""), 0);
    CHECK_EQ(rt_strlen("four"), 4);
    CHECK_EQ(rt_strcmp("same", "same"), 0);
    CHECK(rt_strcmp("a", "ab") < 0);
    CHECK_EQ(rt_strncmp("abcX", "abcY", 3), 0);
    CHECK(rt_strncmp("abcX", "abcY", 4) < 0);
    CHECK_EQ(rt_strlcpy(b, "toolongstring", 5), 13);
    CHECK_STR(b, "tool");
    CHECK(rt_strchr("hello", 'l') != NULL && *rt_strchr("hello", 'l') == 'l');
    CHECK(rt_strchr("hello", 'q') == NULL);
}
