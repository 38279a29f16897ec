/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the small object allocator (runtime/xmalloc.c) over a fake
 * page allocator (host memory, a page budget for exhaustion) and a panic()
 * that returns to the test through longjmp. */
#include "unit.h"
#include <setjmp.h>
#include <stdarg.h>
#include "page_alloc.h"
#include "paging.h"
#include "xmalloc.h"

/* ---- fakes for what xmalloc.c calls ---- */

#define MAX_BLOCKS 4096
static struct { void *p; int order; } blocks[MAX_BLOCKS];
static int pages_left = 1 << 20;
static jmp_buf panic_jmp;
static char panic_msg[256];

/* Machine address whose direct-map pointer is p (the fake direct map is
 * the host address space, shifted by DIRECTMAP_BASE). */
static paddr_t pa_of(void *p) { return (paddr_t)(uintptr_t)p - DIRECTMAP_BASE; }

paddr_t virt_to_maddr(const void *va) { return pa_of((void *)va); }

paddr_t page_alloc(unsigned int order)
{
    void *p;
    if (pages_left < (1 << order))
        return PADDR_INVALID;
    p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
    CHECK(p != NULL);
    for (int i = 0; i < MAX_BLOCKS; i++) {
        if (!blocks[i].p) {
            blocks[i].p = p;
            blocks[i].order = (int)order;
            pages_left -= 1 << order;
            return pa_of(p);
        }
    }
    CHECK(!"fake block table full");
    return PADDR_INVALID;
}

void *page_alloc_va(void)
{
    paddr_t pa = page_alloc(0);
    if (pa == PADDR_INVALID)
        return NULL;
    memset(maddr_to_virt(pa), 0, PAGE_SIZE);
    return maddr_to_virt(pa);
}

int page_alloc_block_order(paddr_t pa)
{
    for (int i = 0; i < MAX_BLOCKS; i++)
        if (blocks[i].p && pa_of(blocks[i].p) == pa)
            return blocks[i].order;
    return -1;
}

void page_free(paddr_t pa, unsigned int order)
{
    for (int i = 0; i < MAX_BLOCKS; i++) {
        if (blocks[i].p && pa_of(blocks[i].p) == pa) {
            CHECK_EQ(blocks[i].order, order);
            free(blocks[i].p);
            blocks[i].p = NULL;
            pages_left += 1 << order;
            return;
        }
    }
    CHECK(!"page_free of a block never allocated");
}

void panic(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
    va_end(ap);
    longjmp(panic_jmp, 1);
}

static int live_pages(void)
{
    int n = 0;
    for (int i = 0; i < MAX_BLOCKS; i++)
        n += blocks[i].p ? 1 << blocks[i].order : 0;
    return n;
}

/* ---- tests ---- */

TEST(xmalloc_sizes_alignment_accounting)
{
    static const size_t sizes[] = { 1, 15, 16, 17, 100, 512, 1000, 2040, 2041, 4096, 4097, 20000 };
    void *p[12];
    size_t base = xmalloc_bytes_in_use();

    for (int i = 0; i < 12; i++) {
        p[i] = xmalloc(sizes[i]);
        CHECK(p[i] != NULL);
        CHECK_EQ((uintptr_t)p[i] & 15, 0);
        memset(p[i], 0xa5, sizes[i]);               /* ASan: the whole size is ours */
    }
    CHECK_EQ((uintptr_t)p[9] & (PAGE_SIZE - 1), 0);  /* > 2040: whole power-of-two page blocks */
    CHECK_EQ(xmalloc_bytes_in_use() - base,
             16 + 16 + 16 + 32 + 128 + 512 + 1024 + 2048 + 4096 + 4096 + 8192 + 32768);
    for (int i = 0; i < 12; i++)
        xfree(p[i]);
    CHECK_EQ(xmalloc_bytes_in_use(), base);
}

TEST(xmalloc_reuses_freed_objects)
{
    void *a = xmalloc(48), *b;
    xfree(a);
    b = xmalloc(64);                                 /* same 64-byte class */
    CHECK(a == b);
    xfree(b);
}

TEST(xmalloc_zero_and_huge_refused)
{
    CHECK(xmalloc(0) == NULL);
    CHECK(xmalloc((size_t)1 << 40) == NULL);         /* beyond the largest block */
    xfree(NULL);                                     /* fine */
}

TEST(xzalloc_zeroes_reused_memory)
{
    unsigned char *a = xmalloc(200), *b;
    memset(a, 0xff, 200);
    xfree(a);
    b = xzalloc(200);
    CHECK(b == a);
    for (int i = 0; i < 200; i++)
        CHECK_EQ(b[i], 0);
    xfree(b);
}

TEST(xmalloc_exhaustion_returns_null)
{
    int n = 0;
    pages_left = 3;
    while (xmalloc(1024) && n < 1000)               /* 3 objects per page */
        n++;
    CHECK_EQ(n, 9);
    CHECK(xmalloc(10000) == NULL);                   /* no pages for a large one either */
    CHECK_EQ(live_pages(), 3);
}

TEST(xmalloc_many_objects_no_overlap)
{
    enum { N = 3000 };
    static unsigned char *p[N];
    for (int i = 0; i < N; i++) {
        size_t sz = 1 + (size_t)(i * 7919) % 3000;
        p[i] = xmalloc(sz);
        CHECK(p[i] != NULL);
        memset(p[i], i & 0xff, sz);
    }
    for (int i = 0; i < N; i++) {
        size_t sz = 1 + (size_t)(i * 7919) % 3000;
        for (size_t k = 0; k < sz; k++)
            if (p[i][k] != (i & 0xff))
                CHECK(!"objects overlap");
        xfree(p[i]);
    }
    CHECK_EQ(xmalloc_bytes_in_use(), 0);
}

TEST(xfree_bad_pointers_panic)
{
    unsigned char *a = xmalloc(64);
    if (!setjmp(panic_jmp)) {
        xfree(a + 8);                                /* inside an object */
        CHECK(!"xfree of an interior pointer returned");
    }
    CHECK(strstr(panic_msg, "is not the start of a 64-byte object") != NULL);
    if (!setjmp(panic_jmp)) {
        static unsigned char junk[2 * PAGE_SIZE] __attribute__((aligned(4096)));
        xfree(junk + 32);                            /* not from xmalloc at all */
        CHECK(!"xfree of a foreign pointer returned");
    }
    CHECK(strstr(panic_msg, "is not from xmalloc") != NULL);
    if (!setjmp(panic_jmp)) {
        static unsigned char page[PAGE_SIZE] __attribute__((aligned(4096)));
        xfree(page);                                 /* page-aligned, not a block */
        CHECK(!"xfree of an unknown page returned");
    }
    CHECK(strstr(panic_msg, "is not an allocated block") != NULL);
}
