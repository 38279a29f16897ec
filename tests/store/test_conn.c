/* SPDX-License-Identifier: GPL-2.0-only */
/* Requests through a connection: every type, error replies, watches,
 * limits against floods and malformed input. */
#include <errno.h>
#include "harness.h"
#include "unit.h"

TEST(read_write_roundtrip_and_reply_ids)
{
    struct conn *c;
    struct reply_view r;

    store_fresh();
    c = fake_conn(0, true);
    r = do_write_req(c, 0, "/x", "hello");
    CHECK(is_ok(&r, XS_WRITE));
    r = req(c, XS_READ, 0, "/x", NULL);
    CHECK_EQ(r.type, XS_READ);
    CHECK_EQ(r.len, 5);
    CHECK_STR(r.data, "hello");
    CHECK(r.req_id > 100);
}

TEST(malformed_requests_get_einval)
{
    struct conn *c;
    struct reply_view r;

    store_fresh();
    c = fake_conn(0, true);
    r = req_raw(c, XS_READ, 0, "/x", 2);            /* no NUL */
    CHECK(is_err(&r, "EINVAL"));
    r = req_raw(c, XS_WRITE, 0, "/novalue", 8);     /* no NUL at all */
    CHECK(is_err(&r, "EINVAL"));
    r = req_raw(c, XS_READ, 0, "", 0);
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_READ, 0, "/bad//path", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_READ, 0, "@releaseDomain", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_SET_PERMS, 0, "/", "q0");
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_TRANSACTION_END, 0, "X", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_GET_DOMAIN_PATH, 0, "abc", NULL);
    CHECK(is_err(&r, "EINVAL"));
    CHECK(!c->dead);
}

TEST(guest_paths_limited_to_2048_past_home)
{
    struct conn *d, *z;
    struct reply_view r;
    static char p[2100];

    store_fresh();
    d = fake_conn(2, false);
    z = fake_conn(0, true);
    memset(p, 'a', 2048);
    p[2048] = '\0';
    r = req(d, XS_READ, 0, p, NULL);
    CHECK(is_err(&r, "EACCES") || is_err(&r, "ENOENT"));
    p[2048] = 'a';
    p[2049] = '\0';
    r = req(d, XS_READ, 0, p, NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(z, XS_READ, 0, p, NULL);
    CHECK(is_err(&r, "ENOENT"));    /* dom0 has the full 3072 */
}

TEST(unknown_and_reply_only_types_get_enosys)
{
    struct conn *c;
    struct reply_view r;

    store_fresh();
    c = fake_conn(0, true);
    r = req(c, 20, 0, "x", NULL);
    CHECK(is_err(&r, "ENOSYS"));
    r = req(c, XS_WATCH_EVENT, 0, "x", NULL);
    CHECK(is_err(&r, "ENOSYS"));
    r = req(c, XS_ERROR, 0, "x", NULL);
    CHECK(is_err(&r, "ENOSYS"));
    r = req(c, 9999, 0, "x", NULL);
    CHECK(is_err(&r, "ENOSYS"));
}

TEST(oversized_payload_disconnects_only_that_client)
{
    struct conn *bad, *good;
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    struct reply_view r;
    uint32_t room;

    store_fresh();
    bad = fake_conn(0, true);
    good = fake_conn(0, true);
    memcpy(conn_in_space(bad, &room), &h, sizeof(h));
    conn_in_done(bad, sizeof(h));
    CHECK(bad->dead);
    r = do_write_req(good, 0, "/still", "here");
    CHECK(is_ok(&r, XS_WRITE));
}

TEST(relative_paths_live_under_domain_home)
{
    struct conn *c;
    struct reply_view r;

    store_fresh();
    c = fake_conn(0, true);
    r = do_write_req(c, 0, "rel/x", "1");
    CHECK(is_ok(&r, XS_WRITE));
    r = req(c, XS_READ, 0, "/local/domain/0/rel/x", NULL);
    CHECK_STR(r.data, "1");
    r = req(c, XS_GET_DOMAIN_PATH, 0, "7", NULL);
    CHECK_STR(r.data, "/local/domain/7");
}

TEST(directory_and_e2big_and_directory_part)
{
    struct conn *c;
    struct reply_view r;
    char path[64], all[8192];
    uint32_t got = 0;
    int pieces = 0;

    store_fresh();
    c = fake_conn(0, true);
    for (int i = 0; i < 1000; i++) {
        snprintf(path, sizeof(path), "/big/c%04d", i);
        do_write_req(c, 0, path, "");
    }
    r = req(c, XS_DIRECTORY, 0, "/big", NULL);
    CHECK(is_err(&r, "E2BIG"));
    for (;;) {
        char off[16];
        uint32_t glen;

        snprintf(off, sizeof(off), "%u", got);
        r = req(c, XS_DIRECTORY_PART, 0, "/big", off);
        CHECK_EQ(r.type, XS_DIRECTORY_PART);
        CHECK(r.len <= XENSTORE_PAYLOAD_MAX);
        glen = (uint32_t)strlen(r.data) + 1;
        pieces++;
        if (r.len - glen >= 2 && r.data[r.len - 2] == '\0') {
            memcpy(all + got, r.data + glen, r.len - glen - 1);
            got += r.len - glen - 1;
            break;
        }
        memcpy(all + got, r.data + glen, r.len - glen);
        got += r.len - glen;
        CHECK(pieces < 10);
    }
    CHECK_EQ(got, 6000);
    CHECK(!memcmp(all, "c0000", 6));
    CHECK(!memcmp(all + 5994, "c0999", 6));
    r = req(c, XS_DIRECTORY_PART, 0, "/big", "6000");
    CHECK_EQ(r.len, strlen(r.data) + 2);    /* past the end: generation + "" */
    r = req(c, XS_DIRECTORY_PART, 0, "/big", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(c, XS_DIRECTORY, 0, "/big/c0001", NULL);
    CHECK_EQ(r.type, XS_DIRECTORY);
    CHECK_EQ(r.len, 0);
}

TEST(get_perms_format)
{
    struct conn *c;
    struct reply_view r;
    char buf[64];
    const char *args[3] = { "/p", "r1", "b2" };

    store_fresh();
    c = fake_conn(0, true);
    do_write_req(c, 0, "/p", "");
    r = req_raw(c, XS_SET_PERMS, 0, buf, pack(buf, args, 3));
    CHECK(is_ok(&r, XS_SET_PERMS));
    r = req(c, XS_GET_PERMS, 0, "/p", NULL);
    CHECK_EQ(r.len, 6);
    CHECK(!memcmp(r.data, "r1\0b2\0", 6));
}

TEST(watch_fires_once_at_registration_then_on_changes)
{
    struct conn *a, *b;
    struct reply_view r;

    store_fresh();
    a = fake_conn(0, true);
    b = fake_conn(0, true);
    r = req(a, XS_WATCH, 0, "/w", "tok");
    CHECK(is_ok(&r, XS_WATCH));
    CHECK(pop(a, &r));
    CHECK_EQ(r.type, XS_WATCH_EVENT);
    CHECK_EQ(r.req_id, 0);
    CHECK(!memcmp(r.data, "/w\0tok\0", 7));
    do_write_req(b, 0, "/w/x/y", "1");
    CHECK(pop(a, &r));
    CHECK(!memcmp(r.data, "/w/x/y\0tok\0", 11));
    do_write_req(b, 0, "/other", "1");
    CHECK(!pop(a, &r));
    r = req(a, XS_WATCH, 0, "/w", "tok");
    CHECK(is_err(&r, "EEXIST"));
    r = req(a, XS_UNWATCH, 0, "/w", "tok");
    CHECK(is_ok(&r, XS_UNWATCH));
    r = req(a, XS_UNWATCH, 0, "/w", "tok");
    CHECK(is_err(&r, "ENOENT"));
    do_write_req(b, 0, "/w/z", "1");
    CHECK(!pop(a, &r));
}

TEST(rm_fires_watches_below_with_their_own_path)
{
    struct conn *a, *b;
    struct reply_view r;

    store_fresh();
    a = fake_conn(0, true);
    b = fake_conn(0, true);
    do_write_req(b, 0, "/t/u/v", "1");
    req(a, XS_WATCH, 0, "/t/u/v", "deep");
    drain(a);
    req(b, XS_RM, 0, "/t", NULL);
    CHECK(pop(a, &r));
    CHECK(!memcmp(r.data, "/t/u/v\0deep\0", 12));
}

TEST(transaction_events_only_on_commit)
{
    struct conn *a, *b;
    struct reply_view r;
    char id[16];

    store_fresh();
    a = fake_conn(0, true);
    b = fake_conn(0, true);
    req(a, XS_WATCH, 0, "/tw", "t");
    drain(a);
    r = req(b, XS_TRANSACTION_START, 0, "", NULL);
    CHECK_EQ(r.type, XS_TRANSACTION_START);
    strcpy(id, r.data);
    do_write_req(b, (uint32_t)atoi(id), "/tw/k", "1");
    CHECK(!pop(a, &r));
    r = req(b, XS_TRANSACTION_END, (uint32_t)atoi(id), "T", NULL);
    CHECK(is_ok(&r, XS_TRANSACTION_END));
    CHECK(pop(a, &r));
    CHECK(!memcmp(r.data, "/tw/k\0t\0", 8));
    r = req(b, XS_READ, (uint32_t)atoi(id), "/tw/k", NULL);
    CHECK(is_err(&r, "ENOENT"));    /* the transaction is gone */
}

TEST(transaction_conflict_eagain_over_the_wire)
{
    struct conn *a, *b;
    struct reply_view r;
    uint32_t t;

    store_fresh();
    a = fake_conn(0, true);
    b = fake_conn(0, true);
    do_write_req(a, 0, "/n", "0");
    r = req(a, XS_TRANSACTION_START, 0, "", NULL);
    t = (uint32_t)atoi(r.data);
    req(a, XS_READ, t, "/n", NULL);
    do_write_req(b, 0, "/n", "5");
    do_write_req(a, t, "/n", "1");
    r = req(a, XS_TRANSACTION_END, t, "T", NULL);
    CHECK(is_err(&r, "EAGAIN"));
    r = req(a, XS_TRANSACTION_END, t, "T", NULL);
    CHECK(is_err(&r, "ENOENT"));
}

TEST(relative_watch_reports_relative_paths)
{
    struct conn *d;
    struct reply_view r;

    store_fresh();
    d = fake_conn(3, false);
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/local/domain/3", "", 0);
    node_set_perms(&(struct who){ 0, DOMID_NONE, true }, NULL, "/local/domain/3",
                   &(struct xs_perm){ 3, PERM_NONE }, 1);
    r = req(d, XS_WATCH, 0, "device", "dev");
    CHECK(is_ok(&r, XS_WATCH));
    CHECK(pop(d, &r));
    CHECK(!memcmp(r.data, "device\0dev\0", 11));
    {
        /* Raw send: the event is queued before the write's own reply. */
        struct xsd_sockmsg h = { XS_WRITE, 1, 0, 15 };
        uint32_t room;
        char *space = conn_in_space(d, &room);

        memcpy(space, &h, sizeof(h));
        memcpy(space + sizeof(h), "device/vif/0\0x", 15);
        conn_in_done(d, sizeof(h) + 15);
    }
    CHECK(pop(d, &r));
    CHECK_EQ(r.type, XS_WATCH_EVENT);
    CHECK(!memcmp(r.data, "device/vif/0\0dev\0", 17));
    CHECK(pop(d, &r));
    CHECK(is_ok(&r, XS_WRITE));
}

TEST(events_filtered_by_read_permission)
{
    struct conn *d, *z;
    struct reply_view r;

    store_fresh();
    d = fake_conn(4, false);
    z = fake_conn(0, true);
    req(d, XS_WATCH, 0, "/", "all");
    drain(d);
    do_write_req(z, 0, "/hidden", "x");     /* owned by 0, default none */
    CHECK(!pop(d, &r));
    req(z, XS_SET_PERMS, 0, "/hidden", "r0");
    CHECK(pop(d, &r));
    CHECK(!memcmp(r.data, "/hidden\0all\0", 12));
}

TEST(domain_ops_are_dom0_only)
{
    struct conn *d;
    struct reply_view r;
    char buf[64];
    const char *intro[3] = { "5", "100", "3" };

    store_fresh();
    d = fake_conn(4, false);
    r = req_raw(d, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_err(&r, "EACCES"));
    r = req(d, XS_RELEASE, 0, "5", NULL);
    CHECK(is_err(&r, "EACCES"));
    r = req(d, XS_RESUME, 0, "5", NULL);
    CHECK(is_err(&r, "EACCES"));
    r = req(d, XS_SET_TARGET, 0, "5", "4");
    CHECK(is_err(&r, "EACCES"));
    r = req(d, XS_CONTROL, 0, "check", NULL);
    CHECK(is_err(&r, "EACCES"));
}

TEST(introduce_release_and_special_watches)
{
    struct conn *z, *wz;
    struct reply_view r;
    char buf[64];
    const char *intro[3] = { "15", "100", "3" };

    store_fresh();
    z = fake_conn(0, true);
    wz = fake_conn(0, true);
    req(wz, XS_WATCH, 0, "@introduceDomain", "i");
    req(wz, XS_WATCH, 0, "@releaseDomain", "r");
    drain(wz);
    r = req(z, XS_IS_DOMAIN_INTRODUCED, 0, "15", NULL);
    CHECK_STR(r.data, "F");
    r = req_raw(z, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_ok(&r, XS_INTRODUCE));
    CHECK(pop(wz, &r));
    CHECK(!memcmp(r.data, "@introduceDomain\0i\0", 19));
    CHECK(!pop(wz, &r));
    r = req(z, XS_IS_DOMAIN_INTRODUCED, 0, "15", NULL);
    CHECK_STR(r.data, "T");
    r = req(z, XS_IS_DOMAIN_INTRODUCED, 0, "0", NULL);
    CHECK_STR(r.data, "T");
    intro[0] = "0";
    r = req_raw(z, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_err(&r, "EINVAL"));
    /* Again (C xenstored): the new port is bound, no second event. */
    intro[0] = "15";
    intro[1] = "101";
    r = req_raw(z, XS_INTRODUCE, 0, buf, pack(buf, intro, 3));
    CHECK(is_ok(&r, XS_INTRODUCE));
    CHECK(!pop(wz, &r));
    r = req(z, XS_RELEASE, 0, "0", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(z, XS_RESUME, 0, "0", NULL);
    CHECK(is_err(&r, "EINVAL"));
    r = req(z, XS_RESUME, 0, "15", NULL);
    CHECK(is_ok(&r, XS_RESUME));
    r = req(z, XS_SET_TARGET, 0, "15", "19");
    CHECK(is_err(&r, "ENOENT"));
    r = req(z, XS_SET_TARGET, 0, "15", "0");
    CHECK(is_ok(&r, XS_SET_TARGET));
    r = req(z, XS_RELEASE, 0, "15", NULL);
    CHECK(is_ok(&r, XS_RELEASE));
    CHECK(pop(wz, &r));
    CHECK(!memcmp(r.data, "@releaseDomain\0r\0", 17));
    r = req(z, XS_RELEASE, 0, "15", NULL);
    CHECK(is_err(&r, "ENOENT"));
    r = req(z, XS_RESUME, 0, "15", NULL);
    CHECK(is_err(&r, "ENOENT"));
}

TEST(quota_watches_and_transactions_for_domains)
{
    struct conn *d;
    struct reply_view r;
    char tok[16];

    store_fresh();
    quota.watches = 3;
    quota.transactions = 2;
    d = fake_conn(6, false);
    for (int i = 0; i < 3; i++) {
        snprintf(tok, sizeof(tok), "t%d", i);
        r = req(d, XS_WATCH, 0, "/x", tok);
        CHECK(is_ok(&r, XS_WATCH));
        drain(d);
    }
    r = req(d, XS_WATCH, 0, "/x", "t9");
    CHECK(is_err(&r, "ENOSPC"));
    CHECK(req(d, XS_TRANSACTION_START, 0, "", NULL).type == XS_TRANSACTION_START);
    CHECK(req(d, XS_TRANSACTION_START, 0, "", NULL).type == XS_TRANSACTION_START);
    r = req(d, XS_TRANSACTION_START, 0, "", NULL);
    CHECK(is_err(&r, "ENOSPC"));
    r = req(d, XS_RESET_WATCHES, 0, "", NULL);
    CHECK(is_ok(&r, XS_RESET_WATCHES));
    CHECK_EQ(d->nwatches, 0);
    CHECK_EQ(d->ntxns, 0);
}

TEST(outstanding_limit_holds_back_requests_until_replies_read)
{
    struct conn *d;
    struct xsd_sockmsg h = { XS_GET_DOMAIN_PATH, 1, 0, 2 };
    uint32_t room;
    char *space;
    struct reply_view r;
    int replies = 0;

    store_fresh();
    quota.outstanding = 4;
    d = fake_conn(8, false);
    space = conn_in_space(d, &room);
    for (int i = 0; i < 10; i++) {
        memcpy(space + i * 18, &h, sizeof(h));
        memcpy(space + i * 18 + 16, "8", 2);
    }
    conn_in_done(d, 180);
    CHECK_EQ(d->out_replies, 4);
    CHECK(!conn_wants_input(d));
    while (replies < 10) {
        CHECK(pop(d, &r));
        replies++;
        conn_process(d);
    }
    CHECK_EQ(d->in_len, 0);
    CHECK(!d->dead);
}

TEST(client_that_stops_reading_events_is_dropped)
{
    struct conn *slow, *w;

    store_fresh();
    quota.out_bytes = 64 * 1024;
    slow = fake_conn(0, true);
    w = fake_conn(0, true);
    req(slow, XS_WATCH, 0, "/flood", "f");
    for (int i = 0; i < 5000 && !slow->dead; i++) {
        do_write_req(w, 0, "/flood/x", "y");
        drain(w);
    }
    CHECK(slow->dead);
    CHECK(!w->dead);
}

TEST(control_commands)
{
    struct conn *z;
    struct reply_view r;

    store_fresh();
    z = fake_conn(0, true);
    do_write_req(z, 0, "/a/b", "1");
    r = req(z, XS_CONTROL, 0, "check", NULL);
    CHECK_EQ(r.type, XS_CONTROL);
    CHECK_STR(r.data, "OK");
    r = req(z, XS_CONTROL, 0, "quota", NULL);
    CHECK(strstr(r.data, "nodes 1000") != NULL);
    r = req(z, XS_CONTROL, 0, "nosuch", NULL);
    CHECK(is_err(&r, "EINVAL"));
    {
        char buf[64];
        const char *set[3] = { "quota", "nodes", "77" };

        r = req_raw(z, XS_CONTROL, 0, buf, pack(buf, set, 3));
        CHECK_STR(r.data, "OK");
        CHECK_EQ(quota.nodes, 77);
        set[2] = "x";
        r = req_raw(z, XS_CONTROL, 0, buf, pack(buf, set, 3));
        CHECK(is_err(&r, "EINVAL"));
    }
}

TEST(transaction_start_with_tx_id_and_unknown_tx)
{
    struct conn *z;
    struct reply_view r;

    store_fresh();
    z = fake_conn(0, true);
    r = req(z, XS_READ, 42, "/", NULL);
    CHECK(is_err(&r, "ENOENT"));
    r = req(z, XS_TRANSACTION_START, 0, "", NULL);
    r = req(z, XS_TRANSACTION_START, (uint32_t)atoi(r.data), "", NULL);
    CHECK(is_err(&r, "EBUSY"));
}

static uint32_t kicked[8];
static int nkicked;

static void record_kick(struct conn *c)
{
    if (nkicked < 8)
        kicked[nkicked++] = c->id;
}

static const struct transport_ops recording_ops = { "recording", record_kick };

TEST(requester_reply_goes_out_before_others_events)
{
    struct who dom0 = { 0, DOMID_NONE, true };
    struct conn *watcher, *writer;
    struct reply_view r;

    store_fresh();
    watcher = conn_create(&dom0, &recording_ops, NULL);
    writer = conn_create(&dom0, &recording_ops, NULL);
    req(watcher, XS_WATCH, 0, "/o", "t");
    drain(watcher);
    nkicked = 0;
    do_write_req(writer, 0, "/o/x", "1");
    CHECK_EQ(nkicked, 2);
    CHECK_EQ(kicked[0], writer->id);
    CHECK_EQ(kicked[1], watcher->id);
    CHECK(pop(watcher, &r));
    CHECK_EQ(r.type, XS_WATCH_EVENT);
}

TEST(set_perms_entries_are_limited_for_guests)
{
    struct conn *d, *z;
    struct reply_view r;
    char buf[128];
    const char *args[8] = { "/p", "n4", "r1", "r2", "r3", "r5", "r6", "r7" };

    store_fresh();
    d = fake_conn(4, false);
    z = fake_conn(0, true);
    do_write_req(z, 0, "/p", "");
    r = req(z, XS_SET_PERMS, 0, "/p", "n4");
    CHECK(is_ok(&r, XS_SET_PERMS));
    r = req_raw(d, XS_SET_PERMS, 0, buf, pack(buf, args, 6));     /* 5 entries: allowed */
    CHECK(is_ok(&r, XS_SET_PERMS));
    r = req_raw(d, XS_SET_PERMS, 0, buf, pack(buf, args, 7));     /* 6 entries: over */
    CHECK(is_err(&r, "ENOSPC"));
    r = req_raw(z, XS_SET_PERMS, 0, buf, pack(buf, args, 8));     /* dom0 is not limited */
    CHECK(is_ok(&r, XS_SET_PERMS));
}

TEST(watch_event_longer_than_a_payload_is_not_sent)
{
    struct conn *z;
    struct reply_view r;
    static char tok[3000], path[1500];

    store_fresh();
    z = fake_conn(0, true);
    memset(tok, 't', sizeof(tok) - 1);
    strcpy(path, "/w/");
    memset(path + 3, 'p', sizeof(path) - 4);
    r = req(z, XS_WATCH, 0, "/w", tok);
    CHECK(is_ok(&r, XS_WATCH));
    drain(z);
    do_write_req(z, 0, path, "");           /* 1500 + 3000 bytes > 4096 */
    while (pop(z, &r))
        CHECK(r.type != XS_WATCH_EVENT);
}
