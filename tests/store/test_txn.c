/* SPDX-License-Identifier: GPL-2.0-only */
/* Transactions: isolation, conflicts, commit of every kind of change. */
#include <errno.h>
#include "harness.h"
#include "unit.h"

static const struct who dom0 = { 0, DOMID_NONE, true };

static const char *val(struct txn *t, const char *path)
{
    static char buf[256];
    const struct node *n;

    if (node_read(&dom0, t, path, &n))
        return "(none)";
    memcpy(buf, tree_value(n), n->vlen);
    buf[n->vlen] = '\0';
    return buf;
}

TEST(writes_invisible_until_commit)
{
    struct txn *t;

    store_fresh();
    t = txn_create(1, 0);
    CHECK_EQ(node_write(&dom0, t, "/a/b", "tx", 2), 0);
    CHECK_STR(val(t, "/a/b"), "tx");
    CHECK_STR(val(NULL, "/a/b"), "(none)");
    CHECK_EQ(txn_commit(t), 0);
    txn_destroy(t);
    CHECK_STR(val(NULL, "/a/b"), "tx");
    CHECK_STR(val(NULL, "/a"), "");
}

TEST(abort_discards)
{
    struct txn *t;

    store_fresh();
    t = txn_create(1, 0);
    CHECK_EQ(node_write(&dom0, t, "/gone", "x", 1), 0);
    txn_destroy(t);
    CHECK_STR(val(NULL, "/gone"), "(none)");
    CHECK_EQ(tree_count(), 3);
}

TEST(conflict_on_read_node_changed)
{
    struct txn *t;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/c", "0", 1), 0);
    t = txn_create(1, 0);
    CHECK_STR(val(t, "/c"), "0");
    CHECK_EQ(node_write(&dom0, t, "/c", "1", 1), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/c", "9", 1), 0);
    CHECK_EQ(txn_commit(t), EAGAIN);
    txn_destroy(t);
    CHECK_STR(val(NULL, "/c"), "9");
}

TEST(conflict_when_absent_node_appears)
{
    struct txn *t;

    store_fresh();
    t = txn_create(1, 0);
    CHECK_STR(val(t, "/new"), "(none)");
    CHECK_EQ(node_write(&dom0, NULL, "/new", "x", 1), 0);
    CHECK_EQ(txn_commit(t), EAGAIN);
    txn_destroy(t);
}

TEST(no_conflict_for_unrelated_changes)
{
    struct txn *t;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/p/x", "0", 1), 0);
    t = txn_create(1, 0);
    CHECK_EQ(node_write(&dom0, t, "/p/x", "1", 1), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/q", "z", 1), 0);
    CHECK_EQ(txn_commit(t), 0);
    txn_destroy(t);
    CHECK_STR(val(NULL, "/p/x"), "1");
}

TEST(rm_and_recreate_in_transaction)
{
    struct txn *t;
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/r/a/b", "1", 1), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/r/k", "2", 1), 0);
    t = txn_create(1, 0);
    CHECK_EQ(node_rm(&dom0, t, "/r/a"), 0);
    CHECK_STR(val(t, "/r/a/b"), "(none)");
    CHECK_STR(val(NULL, "/r/a/b"), "1");
    CHECK_EQ(node_write(&dom0, t, "/r/a", "again", 5), 0);
    CHECK_EQ(txn_commit(t), 0);
    txn_destroy(t);
    CHECK_STR(val(NULL, "/r/a"), "again");
    CHECK_STR(val(NULL, "/r/a/b"), "(none)");
    CHECK_EQ(node_read(&dom0, NULL, "/r", &n), 0);
    CHECK_EQ(n->kidslen, 4);    /* "k\0a\0" */
    CHECK_EQ(tree_count(), 3 + 3);
}

TEST(set_perms_in_transaction)
{
    struct txn *t;
    struct xs_perm p = { 4, PERM_READ };
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/sp", "", 0), 0);
    t = txn_create(1, 0);
    CHECK_EQ(node_set_perms(&dom0, t, "/sp", &p, 1), 0);
    CHECK_EQ(node_get_perms(&dom0, NULL, "/sp", &n), 0);
    CHECK_EQ(tree_perms(n)[0].domid, 0);
    CHECK_EQ(txn_commit(t), 0);
    txn_destroy(t);
    CHECK_EQ(node_get_perms(&dom0, NULL, "/sp", &n), 0);
    CHECK_EQ(tree_perms(n)[0].domid, 4);
    CHECK_EQ(tree_usage(4).nodes, 1);
}

TEST(two_transactions_one_wins)
{
    struct txn *a, *b;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/ctr", "0", 1), 0);
    a = txn_create(1, 0);
    b = txn_create(2, 0);
    CHECK_STR(val(a, "/ctr"), "0");
    CHECK_STR(val(b, "/ctr"), "0");
    CHECK_EQ(node_write(&dom0, a, "/ctr", "1", 1), 0);
    CHECK_EQ(node_write(&dom0, b, "/ctr", "1", 1), 0);
    CHECK_EQ(txn_commit(a), 0);
    CHECK_EQ(txn_commit(b), EAGAIN);
    txn_destroy(a);
    txn_destroy(b);
}

TEST(quota_counts_nodes_made_in_transaction)
{
    const struct who d1 = { 1, DOMID_NONE, false };
    struct xs_perm p = { 1, PERM_NONE };
    struct txn *t;
    char path[32];
    int rc = 0;

    store_fresh();
    quota.nodes = 5;
    CHECK_EQ(node_write(&dom0, NULL, "/d", "", 0), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, "/d", &p, 1), 0);
    t = txn_create(1, 1);
    for (int i = 0; i < 10 && !rc; i++) {
        snprintf(path, sizeof(path), "/d/%d", i);
        rc = node_write(&d1, t, path, "x", 1);
    }
    CHECK_EQ(rc, ENOSPC);
    CHECK_EQ(txn_node_delta(t), 4);
    txn_destroy(t);
}
