/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory-map normalisation. Loaders hand over ranges that may be unsorted,
 * overlapping or adjacent; this turns them into a sorted set of disjoint
 * ranges where, on overlap, the most restrictive (highest) type wins.
 */
#include "memmap.h"
#include "lib.h"

void memmap_init(struct memmap *m)
{
    m->n = 0;
}

int memmap_add(struct memmap *m, uint64_t start, uint64_t len, uint32_t type)
{
    if (!len)
        return 0;
    if (m->n == MEMMAP_MAX)
        return -1;
    if (start + len < start)        /* clamp a range that wraps */
        len = UINT64_MAX - start;
    m->r[m->n++] = (struct memmap_range){ start, start + len, type };
    return 0;
}

/* The type covering address a: the highest type of any input range. */
static uint32_t type_at(const struct memmap_range *r, unsigned int n, uint64_t a)
{
    uint32_t t = 0;

    for (unsigned int i = 0; i < n; i++)
        if (r[i].start <= a && a < r[i].end && r[i].type > t)
            t = r[i].type;
    return t;
}

static void sort_u64(uint64_t *v, unsigned int n)
{
    for (unsigned int i = 1; i < n; i++) {
        uint64_t x = v[i];
        unsigned int j = i;
        for (; j && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sweep over every boundary; each elementary interval gets its winning type. */
void memmap_normalise(struct memmap *m)
{
    static struct memmap_range in[MEMMAP_MAX];
    static uint64_t edge[2 * MEMMAP_MAX];
    unsigned int n = m->n, ne = 0;

    memcpy(in, m->r, n * sizeof(in[0]));
    for (unsigned int i = 0; i < n; i++) {
        edge[ne++] = in[i].start;
        edge[ne++] = in[i].end;
    }
    sort_u64(edge, ne);
    m->n = 0;
    for (unsigned int i = 0; i + 1 < ne; i++) {
        uint32_t t;
        if (edge[i] == edge[i + 1])
            continue;
        t = type_at(in, n, edge[i]);
        if (!t)
            continue;
        if (m->n && m->r[m->n - 1].type == t && m->r[m->n - 1].end == edge[i])
            m->r[m->n - 1].end = edge[i + 1];
        else if (m->n < MEMMAP_MAX)
            m->r[m->n++] = (struct memmap_range){ edge[i], edge[i + 1], t };
    }
}

void memmap_reserve(struct memmap *m, uint64_t start, uint64_t end, uint32_t type)
{
    /* Only the RAM parts change type; holes stay holes. */
    unsigned int n = m->n;

    for (unsigned int i = 0; i < n; i++) {
        uint64_t s = MAX(start, m->r[i].start), e = MIN(end, m->r[i].end);
        if (m->r[i].type == MEMMAP_RAM && s < e && memmap_add(m, s, e - s, type))
            break;
    }
    memmap_normalise(m);
}

uint64_t memmap_limit_ram(struct memmap *m, uint64_t limit)
{
    uint64_t seen = 0;

    for (unsigned int i = 0; i < m->n; i++) {
        struct memmap_range *r = &m->r[i];
        uint64_t len = r->end - r->start;

        if (r->type != MEMMAP_RAM)
            continue;
        if (seen >= limit) {
            r->type = MEMMAP_RESERVED;
        } else if (len > limit - seen) {
            uint64_t cut = r->start + (limit - seen);
            memmap_add(m, cut, r->end - cut, MEMMAP_RESERVED);
            seen = limit;
        } else {
            seen += len;
        }
    }
    memmap_normalise(m);
    return memmap_ram_bytes(m);
}

uint64_t memmap_ram_bytes(const struct memmap *m)
{
    uint64_t total = 0;

    for (unsigned int i = 0; i < m->n; i++)
        if (m->r[i].type == MEMMAP_RAM)
            total += m->r[i].end - m->r[i].start;
    return total;
}

uint64_t memmap_end(const struct memmap *m, uint32_t type)
{
    uint64_t end = 0;

    for (unsigned int i = 0; i < m->n; i++)
        if (m->r[i].type == type && m->r[i].end > end)
            end = m->r[i].end;
    return end;
}

const char *memmap_type_name(uint32_t type)
{
    switch (type) {
    case MEMMAP_RAM: return "RAM";
    case MEMMAP_RESERVED: return "reserved";
    case MEMMAP_ACPI: return "ACPI data";
    case MEMMAP_NVS: return "ACPI NVS";
    case MEMMAP_BAD: return "bad RAM";
    case MEMMAP_HV: return "hypervisor";
    }
    return "unknown";
}
