/* SPDX-License-Identifier: GPL-2.0-only */
/* Unit tests for the ordered deadline queue (runtime/timerq.c). */
#include "unit.h"
#include "timerq.h"

static struct timerq q;
static struct timerq_entry e[8];

TEST(timerq_empty)
{
    timerq_init(&q);
    CHECK(timerq_next_deadline(&q) == UINT64_MAX);
    CHECK(timerq_pop_expired(&q, UINT64_MAX) == NULL);
}

TEST(timerq_expires_in_deadline_order)
{
    static const uint64_t d[] = { 50, 10, 40, 20, 30 };
    timerq_init(&q);
    for (int i = 0; i < 5; i++)
        timerq_add(&q, &e[i], d[i]);
    CHECK_EQ(q.len, 5);
    CHECK_EQ(timerq_next_deadline(&q), 10);
    CHECK(timerq_pop_expired(&q, 9) == NULL);         /* nothing due yet */
    CHECK(timerq_pop_expired(&q, 25) == &e[1]);
    CHECK(timerq_pop_expired(&q, 25) == &e[3]);
    CHECK(timerq_pop_expired(&q, 25) == NULL);
    CHECK(timerq_pop_expired(&q, 100) == &e[4]);
    CHECK(timerq_pop_expired(&q, 100) == &e[2]);
    CHECK(timerq_pop_expired(&q, 100) == &e[0]);
    CHECK_EQ(q.len, 0);
}

TEST(timerq_equal_deadlines_fifo)
{
    timerq_init(&q);
    for (int i = 0; i < 4; i++)
        timerq_add(&q, &e[i], 7);
    for (int i = 0; i < 4; i++)
        CHECK(timerq_pop_expired(&q, 7) == &e[i]);
}

TEST(timerq_rearm_moves_entry)
{
    timerq_init(&q);
    timerq_add(&q, &e[0], 10);
    timerq_add(&q, &e[1], 20);
    timerq_add(&q, &e[0], 30);                        /* re-arm later */
    CHECK_EQ(q.len, 2);
    CHECK(timerq_pop_expired(&q, 100) == &e[1]);
    CHECK(timerq_pop_expired(&q, 100) == &e[0]);
    CHECK(!e[0].queued);
}

TEST(timerq_delete_any_position)
{
    timerq_init(&q);
    for (int i = 0; i < 3; i++)
        timerq_add(&q, &e[i], (uint64_t)(i + 1) * 10);
    CHECK(timerq_del(&q, &e[1]));                     /* middle */
    CHECK(!timerq_del(&q, &e[1]));                    /* not queued any more */
    CHECK(timerq_del(&q, &e[0]));                     /* head */
    CHECK_EQ(timerq_next_deadline(&q), 30);
    CHECK(timerq_del(&q, &e[2]));                     /* last */
    CHECK_EQ(q.len, 0);
    CHECK(q.head == NULL);
}

TEST(timerq_random_against_reference)
{
    enum { N = 200 };
    static struct timerq_entry ent[N];
    uint64_t last = 0;
    unsigned int seed = 7;
    timerq_init(&q);
    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245 + 12345;
        timerq_add(&q, &ent[i], (seed >> 10) % 1000);
    }
    for (int i = 0; i < N; i += 3)
        timerq_del(&q, &ent[i]);
    CHECK_EQ(q.len, N - 67);
    for (unsigned int n = 0; n < N - 67; n++) {
        struct timerq_entry *x = timerq_pop_expired(&q, UINT64_MAX);
        CHECK(x != NULL);
        CHECK(x->deadline >= last);
        CHECK((x - ent) % 3 != 0);
        last = x->deadline;
    }
    CHECK(timerq_pop_expired(&q, UINT64_MAX) == NULL);
}
