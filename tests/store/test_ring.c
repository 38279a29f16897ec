/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ring transport with both ends in this process: a fake backend maps
 * "frames" to local pages and records notifications; the test plays the
 * guest, writing requests into req[] and reading replies from rsp[].
 */
#include <errno.h>
#include "harness.h"
#include "transport.h"
#include "unit.h"

static struct xenstore_domain_interface page;
static int notified, bound_port = -1, unmapped, unbound;

static void *fake_map(uint16_t domid, uint64_t mfn)
{
    return mfn == 0x1234 ? &page : NULL;
}

static void fake_unmap(void *p)
{
    unmapped += p == &page;
}

static int fake_bind(uint16_t domid, uint32_t port)
{
    bound_port = port == 99 ? -1 : (int)port + 100;
    return bound_port;
}

static void fake_unbind(int lport)
{
    unbound++;
}

static void fake_notify(int lport)
{
    notified++;
}

/* What the "hypervisor" says about each domain (domain_check_exceptions). */
static int fake_states[16];

static int fake_state(uint16_t domid)
{
    return domid < 16 ? fake_states[domid] : DOMAIN_GONE;
}

static const struct ring_backend fake = {
    fake_map, fake_unmap, fake_bind, fake_unbind, fake_notify, fake_state,
};

static void guest_send(uint32_t type, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, 77, 0, len };

    CHECK_EQ(ring_give(page.req, &page.req_cons, &page.req_prod, &h, sizeof(h)),
             sizeof(h));
    CHECK_EQ(ring_give(page.req, &page.req_cons, &page.req_prod, payload, len), len);
}

static bool guest_recv(struct xsd_sockmsg *h, char *payload)
{
    if (page.rsp_prod - page.rsp_cons < sizeof(*h))
        return false;
    CHECK_EQ(ring_take(page.rsp, &page.rsp_cons, &page.rsp_prod, h, sizeof(*h)),
             sizeof(*h));
    CHECK_EQ(ring_take(page.rsp, &page.rsp_cons, &page.rsp_prod, payload, h->len), h->len);
    payload[h->len] = '\0';
    return true;
}

static void setup(void)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };

    store_fresh();
    memset(&page, 0, sizeof(page));
    domain_init(&fake);
    CHECK_EQ(domain_introduce(&dom0, 3, 0x1234, 7), 0);
    CHECK_EQ(bound_port, 107);
    CHECK_EQ(page.server_features, XENSTORE_SERVER_FEATURE_ERROR);
    /* The toolstack's part: a home the domain owns. */
    CHECK_EQ(node_write(&dom0, NULL, "/local/domain/3", "", 0), 0);
    CHECK_EQ(node_set_perms(&dom0, NULL, "/local/domain/3",
                            &(struct xs_perm){ 3, PERM_NONE }, 1), 0);
}

TEST(ring_copy_wraps_around)
{
    char ring[XENSTORE_RING_SIZE], out[600];
    uint32_t cons = 1000, prod = 1000;
    char in[600];

    for (int i = 0; i < 600; i++)
        in[i] = (char)i;
    CHECK_EQ(ring_give(ring, &cons, &prod, in, 600), 600);
    CHECK_EQ(ring_give(ring, &cons, &prod, in, 600), XENSTORE_RING_SIZE - 600);
    CHECK_EQ(ring_take(ring, &cons, &prod, out, 600), 600);
    CHECK(!memcmp(out, in, 600));
    CHECK_EQ(prod - cons, XENSTORE_RING_SIZE - 600);
}

TEST(ring_rejects_bad_indices)
{
    char ring[XENSTORE_RING_SIZE], buf[8];
    uint32_t cons = 0, prod = 5000;

    CHECK(!ring_indices_ok(0, 5000));
    CHECK(ring_indices_ok(0xfffffff0u, 0x10u));
    CHECK_EQ(ring_take(ring, &cons, &prod, buf, 8), 0);
    CHECK_EQ(ring_give(ring, &cons, &prod, buf, 8), 0);
}

TEST(guest_request_gets_reply_and_notification)
{
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];

    setup();
    guest_send(XS_WRITE, "data/x\0hi", 9);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_EQ(h.type, XS_WRITE);
    CHECK_EQ(h.req_id, 77);
    CHECK_STR(reply, "OK");
    CHECK(notified > 0);
    guest_send(XS_READ, "/local/domain/3/data/x", 23);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_STR(reply, "hi");
}

TEST(guest_is_not_privileged_and_owns_its_nodes)
{
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    const struct node *n;

    setup();
    guest_send(XS_WRITE, "/top\0x", 6);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_EQ(h.type, XS_ERROR);
    CHECK_STR(reply, "EACCES");
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/local/domain/3", "", 0);
    node_set_perms(&(struct who){ 0, DOMID_NONE, true }, NULL, "/local/domain/3",
                   &(struct xs_perm){ 3, PERM_NONE }, 1);
    guest_send(XS_WRITE, "mine\0v", 6);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_STR(reply, "OK");
    n = tree_lookup("/local/domain/3/mine");
    CHECK(n && tree_perms(n)[0].domid == 3);
}

TEST(message_split_across_notifications)
{
    struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 5, 0, 2 };
    char reply[XENSTORE_PAYLOAD_MAX + 1];

    setup();
    ring_give(page.req, &page.req_cons, &page.req_prod, &h, 10);
    domain_ring_event(107);
    CHECK(!guest_recv(&h, reply));
    ring_give(page.req, &page.req_cons, &page.req_prod, (char *)&h + 10, 6);
    ring_give(page.req, &page.req_cons, &page.req_prod, "3", 2);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_STR(reply, "/local/domain/3");
}

TEST(big_reply_flows_as_guest_consumes)
{
    static char val[3000];
    char payload[3100], reply[XENSTORE_PAYLOAD_MAX + 1];
    struct xsd_sockmsg h;
    uint32_t got = 0;

    setup();
    memset(val, 'v', sizeof(val));
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/pub", val, sizeof(val));
    node_set_perms(&(struct who){ 0, DOMID_NONE, true }, NULL, "/pub",
                   &(struct xs_perm){ 0, PERM_READ }, 1);
    memcpy(payload, "/pub", 5);
    guest_send(XS_READ, payload, 5);
    domain_ring_event(107);
    /* 3016 bytes cannot fit a 1024-byte ring: read it in pieces. */
    CHECK_EQ(ring_take(page.rsp, &page.rsp_cons, &page.rsp_prod, &h, sizeof(h)), 16);
    CHECK_EQ(h.len, 3000);
    while (got < h.len) {
        uint32_t n = ring_take(page.rsp, &page.rsp_cons, &page.rsp_prod, reply,
                               h.len - got);

        CHECK(n > 0);
        for (uint32_t i = 0; i < n; i++)
            CHECK(reply[i] == 'v');
        got += n;
        domain_ring_event(107);
    }
}

TEST(corrupt_indices_set_error_and_stop_service)
{
    struct conn *c;

    setup();
    c = domain_conn(3);
    page.req_prod = page.req_cons + 5000;
    domain_ring_event(107);
    CHECK_EQ(page.error, XENSTORE_ERROR_RINGIDX);
    CHECK(c->dead);
}

TEST(oversized_message_sets_proto_error)
{
    struct xsd_sockmsg h = { XS_READ, 1, 0, 5000 };

    setup();
    ring_give(page.req, &page.req_cons, &page.req_prod, &h, sizeof(h));
    domain_ring_event(107);
    CHECK_EQ(page.error, XENSTORE_ERROR_PROTO);
    CHECK(domain_conn(3)->dead);
}

TEST(events_pushed_to_guest_ring)
{
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    int before;

    setup();
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/ev", "", 0);
    node_set_perms(&(struct who){ 0, DOMID_NONE, true }, NULL, "/ev",
                   &(struct xs_perm){ 0, PERM_READ }, 1);
    guest_send(XS_WATCH, "/ev\0tk\0", 7);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_EQ(h.type, XS_WATCH);
    CHECK(guest_recv(&h, reply));
    CHECK_EQ(h.type, XS_WATCH_EVENT);
    before = notified;
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/ev/k", "1", 1);
    CHECK(notified > before);
    CHECK(guest_recv(&h, reply));
    CHECK_EQ(h.type, XS_WATCH_EVENT);
    CHECK_STR(reply, "/ev/k");
}

TEST(introduce_failures_and_release_cleanup)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };

    setup();
    CHECK_EQ(domain_introduce(&dom0, 4, 0x999, 7), EINVAL);    /* unmappable */
    CHECK(!domain_is_introduced(4));
    CHECK_EQ(domain_introduce(&dom0, 4, 0x1234, 99), EINVAL);  /* bind fails */
    CHECK_EQ(unmapped, 1);
    CHECK(!domain_is_introduced(4));
    node_write(&dom0, NULL, "/local/domain/3/x", "", 0);
    node_set_perms(&dom0, NULL, "/local/domain/3/x",
                   (struct xs_perm[]){ { 3, PERM_NONE }, { 3, PERM_READ } }, 2);
    CHECK_EQ(domain_release(&dom0, 3), 0);
    CHECK_EQ(unbound, 1);
    CHECK_EQ(unmapped, 2);
    CHECK(domain_conn(3) == NULL);
    /* Nodes owned by the released domain now belong to dom0. */
    CHECK_EQ(tree_perms(tree_lookup("/local/domain/3/x"))[0].domid, 0);
    CHECK_EQ(tree_lookup("/local/domain/3/x")->nperms, 1);
    CHECK_EQ(tree_usage(3).nodes, 0);
}

/* A fake backend whose bind fails the way Linux's evtchn ioctl does. */
static int failing_bind(uint16_t domid, uint32_t port)
{
    errno = ENOENT;
    return -1;
}

TEST(introduce_passes_the_backend_errno_and_refuses_port_0)
{
    static const struct ring_backend bad = {
        fake_map, fake_unmap, failing_bind, fake_unbind, fake_notify, fake_state,
    };
    const char *intro[3] = { "6", "4660", "0" };
    struct reply_view r;
    struct conn *z;
    char buf[64];

    setup();
    z = fake_conn(0, true);
    /* Port 0 is never an event channel: EINVAL before the backend is asked. */
    r = req_raw(z, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_err(&r, "EINVAL"));
    CHECK(!domain_is_introduced(6));
    domain_init(&bad);
    unmapped = 0;
    intro[2] = "5";
    r = req_raw(z, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_err(&r, "ENOENT"));
    CHECK(!domain_is_introduced(6));
    CHECK_EQ(unmapped, 1);      /* the mapped page was given back */
}

TEST(unprivileged_introduce_is_refused)
{
    const char *intro[3] = { "6", "4660", "5" };
    struct conn *g;
    struct reply_view r;
    char buf[64];

    setup();
    g = fake_conn(5, false);
    r = req_raw(g, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_err(&r, "EACCES"));
    CHECK(!domain_is_introduced(6));
    r = req(g, XS_RELEASE, 0, "3", NULL);
    CHECK(is_err(&r, "EACCES"));
    CHECK(domain_conn(3) != NULL);
}

TEST(introduce_starts_the_ring_from_zero)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];

    store_fresh();
    memset(&page, 0, sizeof(page));
    domain_init(&fake);
    /* Bytes on the ring before INTRODUCE are stale (C xenstored resets). */
    page.req_cons = 100;
    page.req_prod = 110;
    page.rsp_prod = page.rsp_cons = 7;
    CHECK_EQ(domain_introduce(&dom0, 8, 0x1234, 7), 0);
    CHECK_EQ(page.req_cons, 0);
    CHECK_EQ(page.req_prod, 0);
    CHECK_EQ(page.rsp_cons, 0);
    CHECK_EQ(page.rsp_prod, 0);
    guest_send(XS_GET_DOMAIN_PATH, "8", 2);
    domain_ring_event(107);
    CHECK(guest_recv(&h, reply));
    CHECK_STR(reply, "/local/domain/8");
}

TEST(introduce_again_rebinds_and_resets_the_connection)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    struct conn *c;

    setup();
    c = domain_conn(3);
    guest_send(XS_WATCH, "/local/domain/3\0t\0", 18);
    guest_send(XS_TRANSACTION_START, "", 1);
    domain_ring_event(107);
    CHECK_EQ(c->nwatches, 1);
    CHECK_EQ(c->ntxns, 1);
    unbound = 0;
    CHECK_EQ(domain_introduce(&dom0, 3, 0x5678, 9), 0);
    CHECK_EQ(unbound, 1);           /* the old port */
    CHECK_EQ(bound_port, 109);      /* the new one */
    CHECK(domain_conn(3) == c);
    CHECK_EQ(c->nwatches, 0);
    CHECK_EQ(c->ntxns, 0);
    CHECK(c->out_head == NULL);
    CHECK_EQ(page.rsp_prod, 0);
    /* Served on the new port only. */
    guest_send(XS_GET_DOMAIN_PATH, "3", 2);
    domain_ring_event(107);
    CHECK(!guest_recv(&h, reply));
    domain_ring_event(109);
    CHECK(guest_recv(&h, reply));
    CHECK_STR(reply, "/local/domain/3");
}

static struct xenstore_domain_interface local_page;

static void local_send(uint32_t type, const void *payload, uint32_t len)
{
    struct xsd_sockmsg h = { type, 9, 0, len };

    ring_give(local_page.req, &local_page.req_cons, &local_page.req_prod, &h, sizeof(h));
    ring_give(local_page.req, &local_page.req_cons, &local_page.req_prod, payload, len);
}

static bool local_recv(struct xsd_sockmsg *h, char *payload)
{
    if (local_page.rsp_prod - local_page.rsp_cons < sizeof(*h))
        return false;
    ring_take(local_page.rsp, &local_page.rsp_cons, &local_page.rsp_prod, h, sizeof(*h));
    ring_take(local_page.rsp, &local_page.rsp_cons, &local_page.rsp_prod, payload, h->len);
    payload[h->len] = '\0';
    return true;
}

static void count_domain(uint16_t domid, uint64_t mfn, uint32_t port, void *arg)
{
    (*(int *)arg)++;
}

TEST(kernel_ring_is_privileged_dom0_and_never_released)
{
    struct xsd_sockmsg h;
    char reply[XENSTORE_PAYLOAD_MAX + 1];
    struct conn *z;
    struct reply_view r;
    int n = 0, before;

    setup();
    memset(&local_page, 0, sizeof(local_page));
    /* The kernel wrote a request before xenstored started. */
    local_send(XS_WRITE, "/top\0k", 6);
    notified = 0;
    CHECK_EQ(domain_connect_local(&local_page, 42), 0);
    CHECK_EQ(local_page.server_features, XENSTORE_SERVER_FEATURE_ERROR);
    CHECK(notified > 0);        /* the kernel is told we are there */
    CHECK(local_recv(&h, reply));
    CHECK_STR(reply, "OK");     /* /top: only dom0 may write there */
    CHECK_EQ(tree_perms(tree_lookup("/top"))[0].domid, 0);
    local_send(XS_READ, "/top", 5);
    domain_ring_event(42);
    CHECK(local_recv(&h, reply));
    CHECK_STR(reply, "k");
    /* Not an introduced domain: no release, no dump. */
    z = fake_conn(0, true);
    r = req(z, XS_RELEASE, 0, "0", NULL);
    CHECK(r.type == XS_ERROR);
    domain_each(count_domain, &n);
    CHECK_EQ(n, 1);             /* domain 3 only */
    before = unbound;
    local_send(XS_READ, "/top", 5);
    domain_ring_event(42);
    CHECK(local_recv(&h, reply));
    CHECK_STR(reply, "k");
    domain_destroy_all();
    CHECK_EQ(unbound, before + 2);  /* both rings' ports */
}

TEST(kernel_ring_corrupt_indices_drop_it)
{
    setup();
    memset(&local_page, 0, sizeof(local_page));
    CHECK_EQ(domain_connect_local(&local_page, 42), 0);
    local_page.rsp_prod = local_page.rsp_cons + XENSTORE_RING_SIZE + 1;
    domain_ring_event(42);
    CHECK_EQ(local_page.error, XENSTORE_ERROR_RINGIDX);
}

/* A dom0 watcher of @releaseDomain; returns how many events it got. */
static int release_events(struct conn *w)
{
    struct reply_view r;
    int n = 0;

    while (pop(w, &r))
        n += r.type == XS_WATCH_EVENT && !memcmp(r.data, "@releaseDomain", 15);
    return n;
}

TEST(dom_exc_shutdown_fires_release_watch_once)
{
    struct conn *w;

    setup();
    memset(fake_states, 0, sizeof(fake_states));
    w = fake_conn(0, true);
    req(w, XS_WATCH, 0, "@releaseDomain", "r");
    drain(w);
    domain_check_exceptions();
    CHECK_EQ(release_events(w), 0);     /* everyone running */
    fake_states[3] = DOMAIN_SHUTDOWN;
    domain_check_exceptions();
    CHECK_EQ(release_events(w), 1);
    CHECK(domain_conn(3) != NULL);      /* shut down, not gone: still served */
    domain_check_exceptions();
    CHECK_EQ(release_events(w), 0);     /* not news twice */
    CHECK_EQ(domain_resume(&(struct who){ 0, DOMID_NONE, true }, 3), 0);
    domain_check_exceptions();
    CHECK_EQ(release_events(w), 1);     /* resumed, then shut down again */
}

TEST(dom_exc_dead_domain_is_released)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };
    struct conn *w;
    int unb, unm;

    setup();
    memset(fake_states, 0, sizeof(fake_states));
    w = fake_conn(0, true);
    req(w, XS_WATCH, 0, "@releaseDomain", "r");
    drain(w);
    node_write(&dom0, NULL, "/local/domain/3/x", "", 0);
    node_set_perms(&dom0, NULL, "/local/domain/3/x", &(struct xs_perm){ 3, PERM_NONE }, 1);
    unb = unbound;
    unm = unmapped;
    fake_states[3] = DOMAIN_GONE;
    domain_check_exceptions();
    CHECK_EQ(release_events(w), 1);
    CHECK(!domain_is_introduced(3));
    CHECK(domain_conn(3) == NULL);
    CHECK_EQ(unbound, unb + 1);
    CHECK_EQ(unmapped, unm + 1);
    CHECK_EQ(tree_perms(tree_lookup("/local/domain/3/x"))[0].domid, 0);
    /* The toolstack's later RELEASE finds nothing to do. */
    CHECK_EQ(domain_release(&dom0, 3), ENOENT);
}

static int erring_state(uint16_t domid)
{
    return -EACCES;
}

TEST(dom_exc_keeps_domains_it_cannot_ask_about)
{
    static const struct ring_backend blind = {
        fake_map, fake_unmap, fake_bind, fake_unbind, fake_notify, erring_state,
    };
    static const struct who dom0 = { 0, DOMID_NONE, true };

    store_fresh();
    memset(&page, 0, sizeof(page));
    domain_init(&blind);
    CHECK_EQ(domain_introduce(&dom0, 3, 0x1234, 7), 0);
    domain_check_exceptions();
    CHECK(domain_is_introduced(3));
    CHECK(domain_conn(3) != NULL);
}
