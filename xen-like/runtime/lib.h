/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's little libc: string helpers (string.c), the printf-style
 * formatter (format.c) and the common macros. Freestanding; the string
 * prototypes are the ones core/env.h declares. Console output is printk.h.
 */
#ifndef RUNTIME_LIB_H
#define RUNTIME_LIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t;           /* a machine (host-physical) address */
#define PADDR_INVALID (~(paddr_t)0)

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define PAGE_MASK  (~(PAGE_SIZE - 1))

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)     (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)   ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)   (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)          ((a) < (b) ? (a) : (b))
#define MAX(a, b)          ((a) > (b) ? (a) : (b))
#define KiB(x)             ((uint64_t)(x) << 10)
#define MiB(x)             ((uint64_t)(x) << 20)
#define GiB(x)             ((uint64_t)(x) << 30)
#define likely(x)          __builtin_expect(!!(x), 1)
#define unlikely(x)        __builtin_expect(!!(x), 0)
#define container_of(p, type, member) \
    ((type *)((char *)(p) - offsetof(type, member)))
#define BUILD_BUG_ON(c)    _Static_assert(!(c), #c)

/* How boot-time parsers (multiboot, ACPI) read machine memory: a pointer to
 * [pa, pa + len), or NULL when that range cannot be read. The hypervisor
 * passes its boot direct map; host tests pass a fake memory. */
typedef const void *(*phys_read_fn)(uint64_t pa, size_t len);

/* string.c */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
/* Copies at most size-1 bytes and always terminates (size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/* format.c: C99 snprintf semantics for %d %i %u %x %X %o %c %s %p %%, with
 * flags - 0 + space #, width and precision (also *), and the length
 * modifiers hh h l ll z t j. Returns the length the full output would have. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
