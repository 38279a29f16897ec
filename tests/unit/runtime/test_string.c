/* SPDX-License-Identifier: GPL-2.0-only */
/* Host tests of runtime/string.c's memory helpers (under rt_ names, see
 * rename.h): every length and alignment around the 8-byte steps. */
#include <string.h>
#include "unit.h"

void *rt_memcpy(void *dst, const void *src, size_t n);
void *rt_memset(void *dst, int c, size_t n);
void *rt_memmove(void *dst, const void *src, size_t n);

#define SPAN 80

static void fill(unsigned char *b, size_t n, unsigned int seed)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(seed + i * 7);
}

TEST(memcpy_every_length_and_offset)
{
    unsigned char src[SPAN + 16], dst[SPAN + 32], want[SPAN + 32];

    fill(src, sizeof(src), 3);
    for (size_t off = 0; off < 8; off++)
        for (size_t n = 0; n <= SPAN; n++) {
            memset(dst, 0xEE, sizeof(dst));
            memset(want, 0xEE, sizeof(want));
            for (size_t i = 0; i < n; i++)
                want[off + 8 + i] = src[off + i];
            CHECK(rt_memcpy(dst + off + 8, src + off, n) == dst + off + 8);
            CHECK(!memcmp(dst, want, sizeof(dst)));
        }
}

TEST(memset_every_length_offset_and_byte)
{
    unsigned char dst[SPAN + 32], want[SPAN + 32];
    const int values[] = { 0, 0xA5, 0xFF, 0x1234 };   /* only the low byte counts */

    for (size_t v = 0; v < 4; v++)
        for (size_t off = 0; off < 8; off++)
            for (size_t n = 0; n <= SPAN; n++) {
                memset(dst, 0x11, sizeof(dst));
                memset(want, 0x11, sizeof(want));
                for (size_t i = 0; i < n; i++)
                    want[off + 8 + i] = (unsigned char)values[v];
                CHECK(rt_memset(dst + off + 8, values[v], n) == dst + off + 8);
                CHECK(!memcmp(dst, want, sizeof(dst)));
            }
}

TEST(memmove_overlapping_both_ways)
{
    unsigned char buf[SPAN * 2], want[SPAN * 2];

    for (size_t shift = 1; shift < 20; shift++)
        for (size_t n = 0; n <= SPAN; n++) {
            fill(buf, sizeof(buf), 9);              /* dst below src */
            memcpy(want, buf, sizeof(buf));
            memmove(want + 4, want + 4 + shift, n);
            rt_memmove(buf + 4, buf + 4 + shift, n);
            CHECK(!memcmp(buf, want, sizeof(buf)));
            fill(buf, sizeof(buf), 5);              /* dst above src */
            memcpy(want, buf, sizeof(buf));
            memmove(want + 4 + shift, want + 4, n);
            rt_memmove(buf + 4 + shift, buf + 4, n);
            CHECK(!memcmp(buf, want, sizeof(buf)));
        }
}
