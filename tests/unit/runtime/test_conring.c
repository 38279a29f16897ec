/* SPDX-License-Identifier: GPL-2.0-only */
/* The console ring behind XEN_SYSCTL_readconsole: order, wrap, incremental
 * reads, clear, and indexes that fell out of the ring. */
#include "unit.h"
#include "conring.h"

static struct conring ring;

static uint32_t read_all(char *out, uint32_t size, uint32_t *index, bool inc, bool clear)
{
    uint32_t n = conring_read(&ring, out, size, index, inc, clear);

    out[n] = '\0';
    return n;
}

TEST(conring_reads_back_in_order)
{
    char out[64];
    uint32_t idx = 0;

    conring_write(&ring, "hello ");
    conring_write(&ring, "world\n");
    CHECK_EQ(read_all(out, 63, &idx, false, false), 12);
    CHECK_STR(out, "hello world\n");
    /* a non-clearing read leaves everything readable */
    CHECK_EQ(read_all(out, 63, &idx, false, false), 12);
}

TEST(conring_read_stops_at_size)
{
    char out[8];
    uint32_t idx = 0;

    conring_write(&ring, "abcdefghij");
    CHECK_EQ(read_all(out, 4, &idx, false, false), 4);
    CHECK_STR(out, "abcd");
}

TEST(conring_incremental_reads_continue_where_they_stopped)
{
    char out[8];
    uint32_t idx = 0;

    conring_write(&ring, "abcdefghij");
    CHECK_EQ(read_all(out, 4, &idx, true, false), 4);
    CHECK_STR(out, "abcd");
    CHECK_EQ(idx, 4);
    CHECK_EQ(read_all(out, 4, &idx, true, false), 4);
    CHECK_STR(out, "efgh");
    CHECK_EQ(read_all(out, 4, &idx, true, false), 2);
    CHECK_STR(out, "ij");
    CHECK_EQ(read_all(out, 4, &idx, true, false), 0);
    conring_write(&ring, "k");
    CHECK_EQ(read_all(out, 4, &idx, true, false), 1);
    CHECK_STR(out, "k");
}

TEST(conring_clear_empties_what_was_written)
{
    char out[8];
    uint32_t idx = 0;

    conring_write(&ring, "old");
    CHECK_EQ(read_all(out, 7, &idx, false, true), 3);
    CHECK_EQ(read_all(out, 7, &idx, false, false), 0);
    conring_write(&ring, "new");
    CHECK_EQ(read_all(out, 7, &idx, false, false), 3);
    CHECK_STR(out, "new");
}

TEST(conring_keeps_only_the_newest_bytes_when_it_wraps)
{
    static char big[CONRING_SIZE + 101], out[CONRING_SIZE + 1];
    uint32_t idx = 0;

    for (uint32_t i = 0; i < sizeof(big) - 1; i++)
        big[i] = (char)('a' + i % 26);
    conring_write(&ring, big);
    CHECK_EQ(read_all(out, CONRING_SIZE, &idx, false, false), CONRING_SIZE);
    CHECK(!memcmp(out, big + 100, CONRING_SIZE));
}

TEST(conring_incremental_index_that_fell_out_restarts_at_the_oldest)
{
    static char big[CONRING_SIZE + 11], out[CONRING_SIZE + 1];
    uint32_t idx = 0;

    conring_write(&ring, "0123456789");
    CHECK_EQ(read_all(out, 5, &idx, true, false), 5);       /* idx = 5 */
    memset(big, 'x', sizeof(big) - 1);
    conring_write(&ring, big);                              /* byte 5 is gone */
    CHECK_EQ(read_all(out, CONRING_SIZE, &idx, true, false), CONRING_SIZE);
    CHECK_EQ(out[0], 'x');
    CHECK_EQ(idx, ring.prod);
}

TEST(conring_counters_wrap_around_2_pow_32)
{
    char out[16];
    uint32_t idx;

    ring.prod = ring.cons = 0xFFFFFFFCu;
    idx = ring.prod;
    conring_write(&ring, "wrapping");
    CHECK_EQ(read_all(out, 15, &idx, true, false), 8);
    CHECK_STR(out, "wrapping");
    CHECK_EQ(idx, 4);
}
