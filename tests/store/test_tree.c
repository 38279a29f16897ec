/* SPDX-License-Identifier: GPL-2.0-only */
/* Records, paths, the permission model and usage accounting. */
#include <errno.h>
#include "harness.h"
#include "unit.h"

static const struct who dom0 = { 0, DOMID_NONE, true };

TEST(valid_paths)
{
    CHECK(tree_valid_path("/"));
    CHECK(tree_valid_path("/local/domain/1/device-x_y@z"));
    CHECK(!tree_valid_path(""));
    CHECK(!tree_valid_path("rel"));
    CHECK(!tree_valid_path("/a//b"));
    CHECK(!tree_valid_path("/a/"));
    CHECK(!tree_valid_path("/a b"));
    CHECK(!tree_valid_path("/a.b"));
}

TEST(path_length_limit_is_3072)
{
    char p[3100];

    memset(p, 'a', sizeof(p));
    p[0] = '/';
    p[3072] = '\0';
    CHECK(tree_valid_path(p));
    p[3072] = 'a';
    p[3073] = '\0';
    CHECK(!tree_valid_path(p));
}

TEST(parent_len)
{
    CHECK_EQ(tree_parent_len("/"), 0);
    CHECK_EQ(tree_parent_len("/a"), 1);
    CHECK_EQ(tree_parent_len("/a/bc"), 2);
}

TEST(perm_parse_and_format)
{
    struct xs_perm p;
    char buf[16];

    CHECK_EQ(tree_parse_perm("r5", &p), 0);
    CHECK_EQ(p.domid, 5);
    CHECK_EQ(p.perm, PERM_READ);
    CHECK_EQ(tree_parse_perm("b65535", &p), 0);
    CHECK_EQ(p.perm, PERM_BOTH);
    tree_format_perm(&p, buf);
    CHECK_STR(buf, "b65535");
    CHECK_EQ(tree_parse_perm("n0", &p), 0);
    CHECK_EQ(p.perm, PERM_NONE);
    CHECK_EQ(tree_parse_perm("x1", &p), EINVAL);
    CHECK_EQ(tree_parse_perm("r", &p), EINVAL);
    CHECK_EQ(tree_parse_perm("r1a", &p), EINVAL);
    CHECK_EQ(tree_parse_perm("r65536", &p), EINVAL);
    CHECK_EQ(tree_parse_perm("", &p), EINVAL);
    CHECK_EQ(tree_parse_perm("r-1", &p), EINVAL);
}

TEST(perm_for_owner_default_entry_target)
{
    struct xs_perm p[3] = { { 1, PERM_NONE }, { 2, PERM_READ }, { 3, PERM_BOTH } };
    struct who d1 = { 1, DOMID_NONE, false }, d2 = { 2, DOMID_NONE, false };
    struct who d4 = { 4, DOMID_NONE, false }, d5t1 = { 5, 1, false };
    struct who d6t3 = { 6, 3, false };

    CHECK_EQ(tree_perm_for(&dom0, p, 3), PERM_BOTH | PERM_OWNER);
    CHECK_EQ(tree_perm_for(&d1, p, 3), PERM_BOTH | PERM_OWNER);
    CHECK_EQ(tree_perm_for(&d2, p, 3), PERM_READ);
    CHECK_EQ(tree_perm_for(&d4, p, 3), PERM_NONE);
    CHECK_EQ(tree_perm_for(&d5t1, p, 3), PERM_BOTH | PERM_OWNER);
    CHECK_EQ(tree_perm_for(&d6t3, p, 3), PERM_BOTH);
}

TEST(kids_add_delete_keep_order)
{
    struct xs_perm p = { 0, PERM_NONE };
    struct node *n = tree_alloc("/x", &p, 1, 0);

    CHECK_EQ(tree_add_kid(n, "a"), 0);
    CHECK_EQ(tree_add_kid(n, "bb"), 0);
    CHECK_EQ(tree_add_kid(n, "c"), 0);
    tree_del_kid(n, "bb");
    CHECK_EQ(n->kidslen, 4);
    CHECK(!memcmp(n->kids, "a\0c\0", 4));
    tree_del_kid(n, "zz");
    CHECK_EQ(n->kidslen, 4);
    tree_free(n);
}

TEST(usage_follows_owner)
{
    struct xs_perm p = { 7, PERM_NONE };
    struct node *n;

    tree_init();
    n = tree_alloc("/owned", &p, 1, 0);
    tree_insert(n);
    CHECK_EQ(tree_usage(7).nodes, 1);
    CHECK_EQ(tree_usage(7).bytes, tree_node_bytes(n));
    tree_remove(n);
    CHECK_EQ(tree_usage(7).nodes, 0);
    CHECK_EQ(tree_usage(7).bytes, 0);
    CHECK(tree_lookup("/owned") == NULL);
    tree_free(n);
}

TEST(table_grows_and_finds_everything)
{
    struct xs_perm p = { 0, PERM_NONE };
    char path[32];

    tree_init();
    for (int i = 0; i < 5000; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        tree_insert(tree_alloc(path, &p, 1, 0));
    }
    CHECK_EQ(tree_count(), 5001);
    for (int i = 0; i < 5000; i++) {
        snprintf(path, sizeof(path), "/n%d", i);
        CHECK(tree_lookup(path) != NULL);
    }
    CHECK(tree_lookup("/n5000") == NULL);
}

TEST(generation_changes_on_insert_and_replace)
{
    struct xs_perm p = { 0, PERM_NONE };
    struct node *n, *copy;
    uint64_t g;

    tree_init();
    n = tree_alloc("/g", &p, 1, 0);
    tree_insert(n);
    g = n->gen;
    copy = tree_dup(n);
    CHECK_EQ(tree_set_value(copy, "v", 1), 0);
    tree_replace(n, copy);
    CHECK(n->gen > g);
    CHECK_EQ(n->vlen, 1);
}

TEST(value_moves_between_record_and_heap)
{
    struct xs_perm p = { 0, PERM_NONE };
    struct node *n = tree_alloc("/v", &p, 1, 4), *d;
    static char big[3000];

    memset(big, 'b', sizeof(big));
    CHECK_EQ(n->vcap, 8);
    CHECK_EQ(tree_set_value(n, "small", 5), 0);
    CHECK(tree_value(n) == tree_tail(n));
    CHECK(((uintptr_t)tree_tail(n) & 7) == 0);
    CHECK(!memcmp(tree_value(n), "small", 5));
    CHECK_EQ(tree_set_value(n, big, sizeof(big)), 0);
    CHECK(tree_value(n) != tree_tail(n));
    CHECK(!memcmp(tree_value(n), big, sizeof(big)));
    d = tree_dup(n);
    CHECK_EQ(d->vlen, sizeof(big));
    CHECK_EQ(d->vcap, sizeof(big));     /* a copy holds it inline */
    CHECK(!memcmp(tree_value(d), big, sizeof(big)));
    CHECK_EQ(tree_set_value(n, "x", 1), 0);
    CHECK(!memcmp(tree_value(n), "x", 1));
    CHECK_EQ(tree_set_value(n, NULL, 0), 0);
    CHECK_EQ(n->vlen, 0);
    tree_free(n);
    tree_free(d);
}

TEST(perms_inline_and_external)
{
    struct xs_perm one = { 3, PERM_READ };
    struct xs_perm many[3] = { { 1, PERM_NONE }, { 2, PERM_READ }, { 3, PERM_BOTH } };
    struct node *n = tree_alloc("/p", &one, 1, 0);

    CHECK_EQ(tree_perms(n)[0].domid, 3);
    CHECK_EQ(tree_set_perms(n, many, 3), 0);
    CHECK_EQ(n->nperms, 3);
    CHECK_EQ(tree_perms(n)[2].perm, PERM_BOTH);
    CHECK_EQ(tree_set_perms(n, tree_perms(n), 2), 0);   /* from its own list */
    CHECK_EQ(tree_perms(n)[1].domid, 2);
    CHECK_EQ(tree_set_perms(n, &one, 1), 0);
    CHECK_EQ(n->nperms, 1);
    CHECK_EQ(tree_set_perms(n, &one, 0), EINVAL);
    tree_free(n);
}

TEST(kid_list_shrinks_to_nothing)
{
    struct xs_perm p = { 0, PERM_NONE };
    struct node *n = tree_alloc("/k", &p, 1, 0);
    char name[16];

    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "k%d", i);
        CHECK_EQ(tree_add_kid(n, name), 0);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof(name), "k%d", i);
        tree_del_kid(n, name);
    }
    CHECK_EQ(n->kidslen, 0);
    CHECK(n->kids == NULL);
    CHECK_EQ(tree_add_kid(n, "again"), 0);
    tree_free(n);
}

TEST(copy_of_a_record_can_grow_its_child_list)
{
    struct xs_perm p = { 0, PERM_NONE };
    struct node *n = tree_alloc("/c", &p, 1, 0), *d;

    CHECK_EQ(tree_add_kid(n, "abc"), 0);        /* 4 bytes, capacity 32 */
    d = tree_dup(n);
    for (int i = 0; i < 20; i++)                /* ASan: stays inside */
        CHECK_EQ(tree_add_kid(d, "x"), 0);
    CHECK_EQ(d->kidslen, 4 + 40);
    tree_free(n);
    tree_free(d);
}
