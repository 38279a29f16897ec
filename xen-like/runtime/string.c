/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Freestanding string and memory helpers (declared in lib.h and core/env.h).
 * memcpy/memset move 8 bytes per REP iteration: they fill and load whole
 * guests (hundreds of MiB), and under QEMU TCG a byte loop made building a
 * 768 MiB dom0 take ~20 s. The rest are plain loops the compiler must not
 * turn back into calls to themselves (the optimize attribute).
 * Formatting is in format.c.
 */
#include "lib.h"

#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))

/* The ABI keeps the direction flag clear, so REP MOVS/STOS go upwards. */
void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t count = n / 8;

    __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(count) : : "memory");
    count = n % 8;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(count) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    uint64_t pattern = 0x0101010101010101ull * (unsigned char)c;
    size_t count = n / 8;

    __asm__ volatile("rep stosq" : "+D"(d), "+c"(count) : "a"(pattern) : "memory");
    count = n % 8;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(count) : "a"(pattern) : "memory");
    return dst;
}

NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if (d < s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)         /* overlapping with dst above src: copy backwards */
        d[n] = s[n];
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;

    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
        if (x != y)
            return x < y ? -1 : 1;
        if (!x)
            break;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
    size_t len = strlen(src);

    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(dst, src, n);
        dst[n] = '\0';
    }
    return len;
}
