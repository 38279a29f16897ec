/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small objects: eight power-of-two classes (16..2048 bytes). A class page
 * starts with a 16-byte header naming its class, so xfree() finds the size
 * from the pointer alone; page-aligned pointers are whole-page blocks whose
 * order the page allocator knows. Class pages are kept once carved.
 */
#include "xmalloc.h"
#include "page_alloc.h"
#include "paging.h"
#include "printk.h"
#include "spinlock.h"

#define NR_CLASSES   8
#define MIN_SHIFT    4
#define SLAB_MAGIC   0x51ab51ab
#define HEADER_SIZE  16

struct slab_header {
    uint32_t magic;
    uint16_t cls;
    uint16_t pad[5];
};

struct free_obj { struct free_obj *next; };

static struct free_obj *free_list[NR_CLASSES];
static spinlock_t lock = SPINLOCK_INIT;
static size_t bytes_in_use;

static unsigned int size_class(size_t size)
{
    unsigned int cls = 0;

    while ((size_t)(1u << (cls + MIN_SHIFT)) < size)
        cls++;
    return cls;
}

/* Carves a fresh page into objects of class cls; false when out of pages. */
static bool refill(unsigned int cls)
{
    size_t obj = (size_t)1 << (cls + MIN_SHIFT);
    struct slab_header *h = page_alloc_va();

    if (!h)
        return false;
    h->magic = SLAB_MAGIC;
    h->cls = (uint16_t)cls;
    for (size_t off = HEADER_SIZE; off + obj <= PAGE_SIZE; off += obj) {
        struct free_obj *o = (void *)((char *)h + off);
        o->next = free_list[cls];
        free_list[cls] = o;
    }
    return true;
}

static void *alloc_pages_for(size_t size)
{
    unsigned int order = 0;
    paddr_t pa;

    while ((PAGE_SIZE << order) < size)
        if (++order > 18)
            return NULL;
    pa = page_alloc(order);
    if (pa == PADDR_INVALID)
        return NULL;
    __atomic_fetch_add(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
    return maddr_to_virt(pa);
}

void *xmalloc(size_t size)
{
    unsigned int cls;
    struct free_obj *o;
    uint64_t flags;

    if (!size)
        return NULL;
    if (size > (PAGE_SIZE - HEADER_SIZE) / 2)
        return alloc_pages_for(size);
    cls = size_class(size);
    flags = spin_lock_irqsave(&lock);
    if (!free_list[cls] && !refill(cls)) {
        spin_unlock_irqrestore(&lock, flags);
        return NULL;
    }
    o = free_list[cls];
    free_list[cls] = o->next;
    bytes_in_use += (size_t)1 << (cls + MIN_SHIFT);
    spin_unlock_irqrestore(&lock, flags);
    return o;
}

void *xzalloc(size_t size)
{
    void *p = xmalloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

static void free_pages_of(void *p)
{
    paddr_t pa = virt_to_maddr(p);
    int order = page_alloc_block_order(pa);

    if (order < 0)
        panic("xfree: %p is not an allocated block", p);
    __atomic_fetch_sub(&bytes_in_use, PAGE_SIZE << order, __ATOMIC_RELAXED);
    page_free(pa, (unsigned int)order);
}

void xfree(void *p)
{
    struct slab_header *h;
    size_t off, obj;
    uint64_t flags;

    if (!p)
        return;
    if (IS_ALIGNED((uintptr_t)p, PAGE_SIZE)) {
        free_pages_of(p);
        return;
    }
    h = (void *)ALIGN_DOWN((uintptr_t)p, PAGE_SIZE);
    off = (uintptr_t)p - (uintptr_t)h;
    if (h->magic != SLAB_MAGIC || h->cls >= NR_CLASSES)
        panic("xfree: %p is not from xmalloc", p);
    obj = (size_t)1 << (h->cls + MIN_SHIFT);
    if (off < HEADER_SIZE || (off - HEADER_SIZE) % obj)
        panic("xfree: %p is not the start of a %zu-byte object", p, obj);
    flags = spin_lock_irqsave(&lock);
    ((struct free_obj *)p)->next = free_list[h->cls];
    free_list[h->cls] = p;
    bytes_in_use -= obj;
    spin_unlock_irqrestore(&lock, flags);
}

size_t xmalloc_bytes_in_use(void)
{
    return __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED);
}
