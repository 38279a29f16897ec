/* SPDX-License-Identifier: GPL-2.0-only */
/* Dump and restore: every node, permission, domain and domain watch. */
#include <errno.h>
#include <unistd.h>
#include <sys/stat.h>
#include "harness.h"
#include "state.h"
#include "unit.h"

static struct xenstore_domain_interface page;

static void *map(uint16_t d, uint64_t m) { return &page; }
static void unmap(void *p) { }
static int bind_(uint16_t d, uint32_t p) { return 1; }
static void unbind(int p) { }
static void notify(int p) { }

static const struct ring_backend be = { map, unmap, bind_, unbind, notify, NULL };
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
    /* Bytes in flight on the ring survive a restore (not an INTRODUCE). */
    page.req_prod = 12;
    page.rsp_prod = page.rsp_cons = 30;
    CHECK_EQ(state_restore(tmpname(), NULL), 0);
    unlink(tmpname());
    CHECK_EQ(page.rsp_prod, 30);
    CHECK_EQ(page.req_prod, 12);
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
    CHECK_EQ(state_restore("/nonexistent/state", NULL), ENOENT);
    f = fopen(tmpname(), "w");
    fputs("not a state file\n", f);
    fclose(f);
    CHECK_EQ(state_restore(tmpname(), NULL), EINVAL);
    node_write(&dom0, NULL, "/a/b", "1", 1);
    CHECK_EQ(state_dump(tmpname()), 0);
    CHECK_EQ(truncate(tmpname(), 60), 0);
    CHECK_EQ(state_restore(tmpname(), NULL), EINVAL);
    unlink(tmpname());
}

static struct conn *adopt_fake(int fd)
{
    struct conn *c = fake_conn(0, true);

    if (c)
        c->fd = fd;
    return c;
}

TEST(live_dump_carries_socket_connections)
{
    struct conn *c;
    struct reply_view r;
    uint32_t room;

    store_fresh();
    c = fake_conn(0, true);
    c->fd = 42;
    CHECK_EQ(watch_add(c, "/lw", "tok", 0), 0);
    conn_send_event(c, "/lw", "pending");           /* unsent output */
    memcpy(conn_in_space(c, &room), "\2\0\0\0", 4);  /* half a header */
    c->in_len = 4;
    CHECK_EQ(state_dump_live(tmpname()), 0);
    CHECK_EQ(state_restore(tmpname(), NULL), EINVAL);   /* sockets need adopting */
    CHECK_EQ(state_restore(tmpname(), adopt_fake), 0);
    unlink(tmpname());
    c = conn_first();
    CHECK(c != NULL && c->fd == 42);
    CHECK_EQ(c->nwatches, 1);
    CHECK_EQ(c->in_len, 4);
    CHECK(pop(c, &r));
    CHECK_EQ(r.type, XS_WATCH_EVENT);
    CHECK(!memcmp(r.data, "/lw\0pending\0", 12));
    node_write(&dom0, NULL, "/lw/x", "1", 1);
    CHECK(pop(c, &r));
    CHECK(!memcmp(r.data, "/lw/x\0tok\0", 10));
}

TEST(plain_dump_leaves_sockets_out)
{
    struct conn *c;

    store_fresh();
    c = fake_conn(0, true);
    c->fd = 42;
    CHECK_EQ(watch_add(c, "/lw", "tok", 0), 0);
    CHECK_EQ(state_dump(tmpname()), 0);
    CHECK_EQ(state_restore(tmpname(), NULL), 0);
    unlink(tmpname());
    CHECK(conn_first() == NULL);
    CHECK_EQ(watch_count(), 0);
}

TEST(kernel_ring_watches_come_back_when_it_is_bound_again)
{
    static struct xenstore_domain_interface kpage;
    struct conn *k;
    uint32_t before;

    store_fresh();
    domain_init(&be);
    CHECK_EQ(domain_connect_local(&kpage, 3), 0);
    k = domain_local_conn();
    CHECK(k != NULL && k->who.priv && k->who.domid == 0);
    CHECK_EQ(watch_add(k, "/backend", "be", 0), 0);
    CHECK_EQ(watch_add(k, "/local/domain/0/memory/target", "mt", 16), 0);
    CHECK_EQ(state_dump(tmpname()), 0);
    CHECK_EQ(state_restore(tmpname(), NULL), 0);
    unlink(tmpname());
    /* The restore started over: the ring is not bound yet. */
    CHECK(domain_local_conn() == NULL);
    CHECK_EQ(watch_count(), 0);
    memset(&kpage, 0, sizeof(kpage));
    CHECK_EQ(domain_connect_local(&kpage, 3), 0);
    k = domain_local_conn();
    CHECK_EQ(k->nwatches, 2);
    for (struct watch *w = k->watches; w; w = w->cnext) {
        if (!strcmp(w->token, "be"))
            CHECK(!strcmp(w->path, "/backend") && w->relprefix == 0);
        else
            CHECK(!strcmp(w->token, "mt") && w->relprefix == 16);
    }
    /* They fire: the event goes out on the kernel's ring. */
    before = kpage.rsp_prod;
    node_write(&dom0, NULL, "/backend/vbd", "", 0);
    CHECK(kpage.rsp_prod > before);
    /* Nothing is left over for a later bind. */
    domain_destroy_all();
    CHECK_EQ(domain_connect_local(&kpage, 3), 0);
    CHECK_EQ(domain_local_conn()->nwatches, 0);
}

/* Bytes a ring connection holds: some input, output the full ring refused. */
static void hold_bytes(struct conn *c, struct xenstore_domain_interface *ring)
{
    uint32_t room;
    char *space = conn_in_space(c, &room);

    ring->rsp_cons = 0;
    ring->rsp_prod = XENSTORE_RING_SIZE;    /* full: the peer reads nothing */
    memcpy(space, "\x02\0\0\0\x07", 5);     /* half a header */
    conn_in_done(c, 5);
    CHECK_EQ(conn_queue_raw(c, "0123456789", 10), 0);
}

TEST(ring_bytes_in_flight_survive_a_restore)
{
    static struct xenstore_domain_interface kpage;
    struct conn *c, *k;
    uint32_t len;

    store_fresh();
    domain_init(&be);
    memset(&page, 0, sizeof(page));
    memset(&kpage, 0, sizeof(kpage));
    CHECK_EQ(domain_introduce(&dom0, 5, 42, 9), 0);
    CHECK_EQ(domain_connect_local(&kpage, 3), 0);
    hold_bytes(domain_conn(5), &page);
    hold_bytes(domain_local_conn(), &kpage);
    CHECK_EQ(domain_conn(5)->out_bytes, 10);
    CHECK_EQ(state_dump(tmpname()), 0);
    CHECK_EQ(state_restore(tmpname(), NULL), 0);
    unlink(tmpname());
    c = domain_conn(5);
    CHECK_EQ(c->in_len, 5);
    CHECK(!memcmp(c->in, "\x02\0\0\0\x07", 5));
    CHECK(!memcmp(conn_out_peek(c, &len), "0123456789", 10));
    CHECK_EQ(len, 10);
    /* The kernel's ring gets its bytes when it is bound again. */
    CHECK_EQ(domain_connect_local(&kpage, 3), 0);
    k = domain_local_conn();
    CHECK_EQ(k->in_len, 5);
    CHECK(!memcmp(conn_out_peek(k, &len), "0123456789", 10));
    /* Once the peer reads, they go out first. */
    kpage.rsp_cons = XENSTORE_RING_SIZE;
    domain_ring_event(3);
    CHECK(!memcmp(kpage.rsp, "0123456789", 10));
}

/* A state file cut anywhere, even inside a connection's bytes: an error. */
TEST(restore_of_a_file_cut_anywhere_fails_cleanly)
{
    struct stat st;
    struct conn *c;
    off_t full;

    store_fresh();
    domain_init(&be);
    memset(&page, 0, sizeof(page));
    CHECK_EQ(domain_introduce(&dom0, 5, 42, 9), 0);
    hold_bytes(domain_conn(5), &page);
    c = fake_conn(0, true);
    c->fd = 42;
    CHECK_EQ(conn_queue_raw(c, "pending output", 14), 0);
    CHECK_EQ(state_dump_live(tmpname()), 0);
    CHECK_EQ(stat(tmpname(), &st), 0);
    full = st.st_size;
    for (off_t cut = full - 1; cut > full - 120 && cut > 0; cut--) {
        CHECK_EQ(truncate(tmpname(), cut), 0);
        CHECK(state_restore(tmpname(), adopt_fake) != 0);
    }
    unlink(tmpname());
}
