/* SPDX-License-Identifier: GPL-2.0-only */
/* Dump and restore: every node, permission, domain and domain watch. */
#include <errno.h>
#include <unistd.h>
#include "harness.h"
#include "state.h"
#include "unit.h"

static struct xenstore_domain_interface page;

static void *map(uint16_t d, uint64_t m) { return &page; }
static void unmap(void *p) { }
static int bind_(uint16_t d, uint32_t p) { return 1; }
static void unbind(int p) { }
static void notify(int p) { }

static const struct ring_backend be = { map, unmap, bind_, unbind, notify };
static const struct who dom0 = { 0, DOMID_NONE, true };

static char *tmpname(void)
{
    static char name[64];

    snprintf(name, sizeof(name), "/tmp/store-state-%d", (int)getpid());
    return name;
}

TEST(roundtrip_keeps_nodes_values_perms_domains_watches)
{
    struct xs_perm p[2] = { { 5, PERM_NONE }, { 0, PERM_READ } };
    const char bin[4] = { 'a', 0, 'b', (char)0xff };
    const struct node *n;
    char path[32];

    store_fresh();
    domain_init(&be);
    for (int i = 0; i < 300; i++) {
        snprintf(path, sizeof(path), "/s/n%d/leaf", i);
        CHECK_EQ(node_write(&dom0, NULL, path, "v", 1), 0);
    }
    CHECK_EQ(domain_introduce(&dom0, 5, 42, 9), 0);
    CHECK_EQ(node_write(&dom0, NULL, "/s/bin", bin, 4), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, "/s/bin", p, 2), 0);
    CHECK_EQ(watch_add(domain_conn(5), "/s", "tok", 0), 0);
    CHECK_EQ(state_dump(tmpname()), 0);

    node_write(&dom0, NULL, "/after", "x", 1);
    CHECK_EQ(state_restore(tmpname()), 0);
    unlink(tmpname());
    CHECK(tree_lookup("/after") == NULL);
    CHECK_EQ(node_read(&dom0, NULL, "/s/n299/leaf", &n), 0);
    CHECK_EQ(node_read(&dom0, NULL, "/s/bin", &n), 0);
    CHECK_EQ(n->vlen, 4);
    CHECK(!memcmp(tree_value(n), bin, 4));
    CHECK_EQ(n->nperms, 2);
    CHECK_EQ(tree_perms(n)[0].domid, 5);
    CHECK(domain_is_introduced(5));
    CHECK_EQ(domain_conn(5)->nwatches, 1);
    CHECK_EQ(tree_usage(5).nodes, 1);
    CHECK_EQ(tree_count(), 1 + 2 + 1 + 300 * 2 + 1);
    {
        struct conn *z = fake_conn(0, true);
        struct reply_view r = req(z, XS_CONTROL, 0, "check", NULL);

        CHECK_STR(r.data, "OK");
    }
}

TEST(restore_rejects_damaged_files)
{
    FILE *f;

    store_fresh();
    CHECK_EQ(state_restore("/nonexistent/state"), ENOENT);
    f = fopen(tmpname(), "w");
    fputs("not a state file\n", f);
    fclose(f);
    CHECK_EQ(state_restore(tmpname()), EINVAL);
    node_write(&dom0, NULL, "/a/b", "1", 1);
    CHECK_EQ(state_dump(tmpname()), 0);
    CHECK_EQ(truncate(tmpname(), 60), 0);
    CHECK_EQ(state_restore(tmpname()), EINVAL);
    unlink(tmpname());
}
