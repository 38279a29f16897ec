/* SPDX-License-Identifier: GPL-2.0-only */
/* Node request semantics: parents, inheritance, permissions, rm, quotas. */
#include <errno.h>
#include "harness.h"
#include "unit.h"

static const struct who dom0 = { 0, DOMID_NONE, true };
static const struct who dom1 = { 1, DOMID_NONE, false };
static const struct who dom2 = { 2, DOMID_NONE, false };

static void grant(const char *path, uint16_t owner, uint8_t dflt)
{
    struct xs_perm p = { owner, dflt };

    CHECK_EQ(node_write(&dom0, NULL, path, "", 0), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, path, &p, 1), 0);
}

TEST(write_creates_parents_with_empty_values)
{
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/a/b/c", "v", 1), 0);
    CHECK_EQ(node_read(&dom0, NULL, "/a/b", &n), 0);
    CHECK_EQ(n->vlen, 0);
    CHECK_EQ(n->kidslen, 2);
    CHECK_EQ(node_read(&dom0, NULL, "/a/b/c", &n), 0);
    CHECK_EQ(n->vlen, 1);
}

TEST(children_inherit_permissions_domains_own_what_they_make)
{
    const struct node *n;

    store_fresh();
    grant("/home", 1, PERM_READ);
    CHECK_EQ(node_write(&dom1, NULL, "/home/x/y", "1", 1), 0);
    CHECK_EQ(node_get_perms(&dom0, NULL, "/home/x/y", &n), 0);
    CHECK_EQ(tree_perms(n)[0].domid, 1);
    CHECK_EQ(tree_perms(n)[0].perm, PERM_READ);
    CHECK_EQ(tree_usage(1).nodes, 3);   /* /home, /home/x, /home/x/y */
}

TEST(unprivileged_cannot_write_read_only_or_create_under_it)
{
    store_fresh();
    grant("/ro", 0, PERM_READ);
    CHECK_EQ(node_write(&dom1, NULL, "/ro", "x", 1), EACCES);
    CHECK_EQ(node_write(&dom1, NULL, "/ro/new", "x", 1), EACCES);
    CHECK_EQ(node_mkdir(&dom1, NULL, "/ro/new"), EACCES);
    CHECK_EQ(node_rm(&dom1, NULL, "/ro"), EACCES);
}

TEST(missing_node_under_unreadable_parent_is_eacces)
{
    const struct node *n;

    store_fresh();
    grant("/secret", 0, PERM_NONE);
    CHECK_EQ(node_read(&dom1, NULL, "/secret/nothere", &n), EACCES);
    grant("/open", 0, PERM_READ);
    CHECK_EQ(node_read(&dom1, NULL, "/open/nothere", &n), ENOENT);
    CHECK_EQ(node_read(&dom1, NULL, "/secret", &n), EACCES);
}

TEST(explicit_entry_overrides_default)
{
    struct xs_perm p[2] = { { 0, PERM_NONE }, { 2, PERM_BOTH } };
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/shared", "s", 1), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, "/shared", p, 2), 0);
    CHECK_EQ(node_read(&dom2, NULL, "/shared", &n), 0);
    CHECK_EQ(node_write(&dom2, NULL, "/shared", "t", 1), 0);
    CHECK_EQ(node_read(&dom1, NULL, "/shared", &n), EACCES);
}

TEST(rm_semantics)
{
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_rm(&dom0, NULL, "/"), EINVAL);
    CHECK_EQ(node_rm(&dom0, NULL, "/none"), 0);          /* parent exists */
    CHECK_EQ(node_rm(&dom0, NULL, "/none/deeper"), ENOENT);
    CHECK_EQ(node_write(&dom0, NULL, "/t/a/b", "1", 1), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/t/c", "2", 1), 0);
    CHECK_EQ(node_rm(&dom0, NULL, "/t/a"), 0);
    CHECK_EQ(node_read(&dom0, NULL, "/t/a/b", &n), ENOENT);
    CHECK_EQ(node_read(&dom0, NULL, "/t", &n), 0);
    CHECK_EQ(n->kidslen, 2);
    CHECK(!memcmp(n->kids, "c", 2));
    CHECK_EQ(tree_count(), 1 + 2 + 2);  /* root, specials, /t, /t/c */
}

TEST(mkdir_keeps_existing_value)
{
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_write(&dom0, NULL, "/m", "keep", 4), 0);
    CHECK_EQ(node_mkdir(&dom0, NULL, "/m"), 0);
    CHECK_EQ(node_read(&dom0, NULL, "/m", &n), 0);
    CHECK_EQ(n->vlen, 4);
}

TEST(set_perms_needs_owner_and_only_dom0_changes_owner)
{
    struct xs_perm mine = { 1, PERM_READ }, theirs = { 2, PERM_READ };
    struct xs_perm wr[2] = { { 1, PERM_NONE }, { 2, PERM_WRITE } };

    store_fresh();
    grant("/d1", 1, PERM_NONE);
    CHECK_EQ(node_set_perms(&dom2, NULL, "/d1", &mine, 1), EACCES);
    CHECK_EQ(node_set_perms(&dom1, NULL, "/d1", &theirs, 1), EPERM);
    CHECK_EQ(node_set_perms(&dom1, NULL, "/d1", wr, 2), 0);
    /* Owners must exist; other entries may name anyone. */
    CHECK_EQ(node_set_perms(&dom0, NULL, "/d1", &(struct xs_perm){ 77, PERM_READ }, 1),
             ENOENT);
    CHECK_EQ(node_set_perms(&dom0, NULL, "/d1",
                            (struct xs_perm[]){ { 1, PERM_NONE }, { 77, PERM_READ } }, 2), 0);
    CHECK_EQ(node_set_perms(&dom1, NULL, "/d1/nope", &mine, 1), ENOENT);
    CHECK_EQ(node_set_perms(&dom1, NULL, "/nope", &mine, 1), EACCES); /* root unreadable */
}

TEST(quota_nodes)
{
    char path[64];
    int rc = 0, i;

    store_fresh();
    quota.nodes = 10;
    grant("/q", 1, PERM_NONE);      /* one node owned by dom1 already */
    for (i = 0; i < 20 && !rc; i++) {
        snprintf(path, sizeof(path), "/q/n%d", i);
        rc = node_write(&dom1, NULL, path, "x", 1);
    }
    CHECK_EQ(rc, ENOSPC);
    CHECK_EQ(tree_usage(1).nodes, 10);
    /* A multi-level create that would cross the limit makes nothing. */
    CHECK_EQ(node_rm(&dom0, NULL, "/q/n0"), 0);
    CHECK_EQ(node_write(&dom1, NULL, "/q/a/b", "x", 1), ENOSPC);
    CHECK_EQ(tree_usage(1).nodes, 9);
    /* dom0 is exempt. */
    CHECK_EQ(node_write(&dom0, NULL, "/q/dom0/a/b/c", "x", 1), 0);
}

TEST(quota_entry_size_and_memory)
{
    static char big[3000];

    store_fresh();
    grant("/e", 1, PERM_NONE);
    CHECK_EQ(node_write(&dom1, NULL, "/e/v", big, 2049), ENOSPC);
    CHECK_EQ(node_write(&dom1, NULL, "/e/v", big, 2048), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/e/v0", big, 3000), 0);
    quota.memory = 3000;
    CHECK_EQ(node_write(&dom1, NULL, "/e/w", big, 1500), ENOSPC);
}

TEST(special_nodes_only_for_perms)
{
    struct xs_perm p[2] = { { 0, PERM_NONE }, { 3, PERM_READ } };
    const struct node *n;

    store_fresh();
    CHECK_EQ(node_get_perms(&dom0, NULL, "@releaseDomain", &n), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, "@releaseDomain", p, 2), 0);
    CHECK_EQ(node_get_perms(&dom0, NULL, "@releaseDomain", &n), 0);
    CHECK_EQ(n->nperms, 2);
}
