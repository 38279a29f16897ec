/* SPDX-License-Identifier: GPL-2.0-only */
/* Console rings (cons.c) and the console daemon engine (consd.c) on the host. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "unit.h"
#include "harness.h"
#include "cons.h"
#include "consd.h"
#include "dom.h"
#include "event_channel.h"
#include "gnt.h"
#include "grant_table.h"
#include "hvc.h"
#include "memory.h"
#include "xl.h"

static struct xencons_interface R;

TEST(cons_drains_output_across_the_wrap)
{
    char buf[4096];

    R.out_cons = R.out_prod = 0xfffffff0u;      /* indexes about to wrap */
    for (int i = 0; i < 100; i++)
        R.out[MASK_XENCONS_IDX(R.out_prod++, R.out)] = (char)('a' + i % 26);
    CHECK_EQ(cons_drain_out(&R, buf, 10), 10);
    CHECK(!memcmp(buf, "abcdefghij", 10));
    CHECK_EQ(cons_drain_out(&R, buf, sizeof(buf)), 90);
    CHECK_EQ(buf[89], 'a' + 99 % 26);
    CHECK_EQ(R.out_cons, R.out_prod);
    CHECK_EQ(cons_drain_out(&R, buf, sizeof(buf)), 0);
}

TEST(cons_feed_stops_when_the_ring_is_full)
{
    char data[1500];

    memset(&R, 0, sizeof(R));
    memset(data, 'x', sizeof(data));
    CHECK_EQ(cons_feed_in(&R, data, sizeof(data)), 1024);
    CHECK_EQ(R.in_prod, 1024);
    CHECK_EQ(cons_feed_in(&R, data, 1), 0);
    CHECK_EQ(cons_in_room(&R), 0);
    R.in_cons = 1000;                           /* the guest read some */
    CHECK_EQ(cons_in_room(&R), 1000);
    CHECK_EQ(cons_feed_in(&R, data, sizeof(data)), 1000);
}

TEST(cons_refuses_corrupt_indexes)
{
    char buf[16];

    memset(&R, 0, sizeof(R));
    R.out_prod = 2049;
    CHECK_EQ(cons_drain_out(&R, buf, sizeof(buf)), -1);
    CHECK_EQ(R.out_cons, 0);
    R.in_cons = 5;
    R.in_prod = 4;                              /* producer behind the consumer */
    CHECK_EQ(cons_feed_in(&R, "a", 1), -1);
    CHECK_EQ(cons_in_room(&R), -1);
}

static struct h H;

static struct xencons_interface *guest_ring(uint32_t d)
{
    return fake_hv_guest_page(d, 32 * 256);     /* the builder's console page */
}

static void guest_says(struct xencons_interface *r, const char *s)
{
    while (*s)
        r->out[MASK_XENCONS_IDX(r->out_prod++, r->out)] = *s++;
}

static struct build_result B;      /* the last make_dom's */

static uint32_t make_dom(const char *name)
{
    struct dom_config dc = { 0 };
    struct build_result b;
    size_t len;
    unsigned char *e = h_elf(&len, 1);

    h_write_file(h_path(&H, "vmlinux"), e, len);
    free(e);
    snprintf(dc.name, sizeof(dc.name), "%s", name);
    dc.kernel = strdup(h_path(&H, "vmlinux"));
    dc.cmdline = strdup("");
    dc.memory_mb = dc.maxmem_mb = 32;
    dc.vcpus = dc.maxvcpus = 1;
    if (dom_create(&H.tk, &dc, &b))
        abort();
    B = b;
    return b.domid;
}

static int connect_to(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    strcpy(a.sun_path, path);
    return connect(fd, (struct sockaddr *)&a, sizeof(a)) ? -1 : fd;
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

/* dom0's initramfs has no /run: consoled's socket directory must be made
 * with its parents, or every attach fails and the guest's ring stays full. */
TEST(consd_make_dirs_creates_missing_parents)
{
    char log[512], run[512], why[256] = "";
    struct stat st;

    h_up(&H);
    snprintf(log, sizeof(log), "%s", h_path(&H, "var/log/xen/console"));
    snprintf(run, sizeof(run), "%s", h_path(&H, "run/xen-like/"));
    CHECK_EQ(consd_make_dirs(log, run, why, sizeof(why)), 0);
    CHECK(!stat(log, &st) && S_ISDIR(st.st_mode));
    CHECK(!stat(run, &st) && S_ISDIR(st.st_mode));
    CHECK_EQ(consd_make_dirs(log, run, why, sizeof(why)), 0);     /* already there */
    h_down(&H);
}

TEST(consd_make_dirs_names_the_component_it_cannot_create)
{
    char log[512], run[512], file[512], why[256] = "";
    FILE *f;

    h_up(&H);
    snprintf(file, sizeof(file), "%s", h_path(&H, "plain"));
    f = fopen(file, "w");
    CHECK(f != NULL);
    fclose(f);
    snprintf(log, sizeof(log), "%s", h_path(&H, "logs"));
    snprintf(run, sizeof(run), "%s", h_path(&H, "plain/sub"));
    CHECK_EQ(consd_make_dirs(log, run, why, sizeof(why)), -1);
    CHECK(strstr(why, "plain") != NULL);
    CHECK_EQ(consd_make_dirs(file, log, why, sizeof(why)), -1);   /* a file, not a dir */
    CHECK(strstr(why, "not a directory") != NULL);
    CHECK_EQ(consd_make_dirs("", log, why, sizeof(why)), -1);
    CHECK(strstr(why, "empty") != NULL);
    h_down(&H);
}

TEST(consd_logs_serves_a_client_and_forgets_dead_domains)
{
    struct consd c;
    struct xencons_interface *r;
    char sock[256], got[64] = { 0 };
    uint32_t d;
    int fd;

    h_up(&H);
    d = make_dom("con");
    r = guest_ring(d);
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    guest_says(r, "boot line\n");
    CHECK_EQ(consd_pump(&c), 10);
    CHECK_STR(slurp(h_path(&H, "guest-con.log")), "boot line\n");
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    fd = connect_to(sock);
    CHECK(fd >= 0);
    guest_says(r, "# ");
    CHECK_EQ(consd_pump(&c), 2);
    CHECK_EQ(read(fd, got, sizeof(got)), 2);
    CHECK_STR(got, "# ");
    CHECK_EQ(write(fd, "ls\n", 3), 3);
    usleep(10000);
    CHECK_EQ(consd_pump(&c), 3);
    CHECK_EQ(r->in_prod, 3);
    CHECK(!memcmp(r->in, "ls\n", 3));
    CHECK_STR(slurp(h_path(&H, "guest-con.log")), "boot line\n# ");
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    consd_scan(&c);
    CHECK(access(sock, F_OK) != 0);
    CHECK_EQ(consd_pump(&c), 0);
    close(fd);
    consd_fini(&c);
    h_down(&H);
}

TEST(consd_drops_a_corrupt_ring_with_a_warning)
{
    struct consd c;
    struct xencons_interface *r;
    uint32_t d;

    h_up(&H);
    d = make_dom("evil");
    r = guest_ring(d);
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    r->out_prod = 100000;
    CHECK_EQ(consd_pump(&c), 0);
    CHECK(strstr(H.warns, "consoled: d1: console ring indexes corrupt; console dropped"));
    guest_says(r, "x");
    CHECK_EQ(consd_pump(&c), 0);
    consd_fini(&c);
    h_down(&H);
}

static long long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) ? -1 : (long long)st.st_size;
}

/* console/limit bounds the log: at the limit it is renamed .old and
 * started afresh (it grew without bound). */
TEST(consd_rotates_the_log_at_the_domains_console_limit)
{
    struct consd c;
    struct xencons_interface *r;
    char path[128], chunk[1001];
    uint32_t d;

    h_up(&H);
    d = make_dom("chatty");
    r = guest_ring(d);
    snprintf(path, sizeof(path), "/local/domain/%u/console/limit", d);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, "2500", 4));
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    for (int i = 0; i < 6; i++) {
        memset(chunk, 'a' + i, 1000);
        chunk[1000] = '\0';
        guest_says(r, chunk);
        CHECK_EQ(consd_pump(&c), 1000);
        CHECK(file_size(h_path(&H, "guest-chatty.log")) <= 2500);
    }
    /* 6000 bytes: a..b rotated out, c..d in .old, e..f current */
    CHECK_EQ(file_size(h_path(&H, "guest-chatty.log")), 2000);
    CHECK_EQ(slurp(h_path(&H, "guest-chatty.log"))[0], 'e');
    CHECK_EQ(file_size(h_path(&H, "guest-chatty.log.old")), 2000);
    CHECK_EQ(slurp(h_path(&H, "guest-chatty.log.old"))[0], 'c');
    consd_fini(&c);
    h_down(&H);
}

/* A bad or missing limit means the default; a log already on disk counts. */
TEST(consd_log_limit_defaults_and_counts_an_existing_log)
{
    struct consd c;
    char path[128];
    uint32_t d;

    h_up(&H);
    h_write_file(h_path(&H, "guest-old.log"), "previous run\n", 13);
    d = make_dom("old");
    snprintf(path, sizeof(path), "/local/domain/%u/console/limit", d);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, "lots", 4));
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    CHECK_EQ(c.doms[0].domid, d);
    CHECK_EQ(c.doms[0].log_limit, CONSD_LOG_LIMIT);
    CHECK_EQ(c.doms[0].log_bytes, 13);
    consd_fini(&c);
    h_down(&H);
}

/* Console keys written after consoled first looked: it attaches at a later
 * scan (it never retried such a domain). */
TEST(consd_retries_a_domain_whose_console_keys_came_late)
{
    struct consd c;
    struct xencons_interface *r;
    char path[128], sock[256], *ref;
    unsigned int len;
    uint32_t d;

    h_up(&H);
    d = make_dom("late");
    r = guest_ring(d);
    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
    ref = xs_read(H.tk.xs, XBT_NULL, path, &len);
    CHECK(ref && xs_rm(H.tk.xs, XBT_NULL, path));
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    CHECK(access(sock, F_OK) != 0);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, ref, len));
    consd_scan(&c);
    CHECK_EQ(access(sock, F_OK), 0);
    guest_says(r, "late\n");
    CHECK_EQ(consd_pump(&c), 5);
    CHECK_STR(slurp(h_path(&H, "guest-late.log")), "late\n");
    free(ref);
    consd_fini(&c);
    h_down(&H);
}

/* xl console in a child with pipes for its terminal, consd pumping here. */
TEST(xl_console_relays_both_ways_until_ctrl_bracket)
{
    int to_child[2], from_child[2], status;
    struct consd c;
    struct xencons_interface *r;
    char got[64] = { 0 };
    uint32_t d;
    pid_t pid;
    ssize_t n = 0;

    h_up(&H);
    d = make_dom("tty");
    r = guest_ring(d);
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    CHECK(!pipe(to_child) && !pipe(from_child));
    pid = fork();
    if (pid == 0) {
        struct xl_env e = { &H.tk, stdout, stderr, H.dir, 1 };

        dup2(to_child[0], 0);
        dup2(from_child[1], 1);
        _exit(xl_console_attach(&e, d, 0));
    }
    for (int i = 0; i < 100 && !consd_pump(&c); i++) {
        guest_says(r, i ? "" : "login: ");
        usleep(10000);
    }
    for (int i = 0; i < 100 && n <= 0; i++) {
        n = read(from_child[0], got, sizeof(got) - 1);
        usleep(1000);
    }
    CHECK_STR(got, "login: ");
    CHECK_EQ(write(to_child[1], "root\n", 5), 5);
    for (int i = 0; i < 100 && r->in_prod < 5; i++) {
        consd_pump(&c);
        usleep(10000);
    }
    CHECK(!memcmp(r->in, "root\n", 5));
    CHECK_EQ(write(to_child[1], "\x1d", 1), 1);
    CHECK_EQ(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    consd_fini(&c);
    h_down(&H);
}

/* ---- the event loop (consd_step) ---- */

/* Event channels through core: bind/close/send are real EVTCHNOPs as dom0;
 * what Linux's evtchn driver would queue on its fd when a port fires is a
 * pipe the test writes the port into (guest_notify). */
static int ev_pipe[2];
static unsigned int notifies;

static int fev_bind(struct consd *c, uint32_t domid, uint32_t remote_port)
{
    struct evtchn_bind_interdomain b = { (domid_t)domid, remote_port, 0 };
    long rc = hv_call(c->tk->hv, __HYPERVISOR_event_channel_op, EVTCHNOP_bind_interdomain,
                      (uintptr_t)&b, 0);

    return rc ? (errno = EINVAL, -1) : (int)b.local_port;
}

static void fev_unbind(struct consd *c, uint32_t port)
{
    struct evtchn_close cl = { port };

    hv_call(c->tk->hv, __HYPERVISOR_event_channel_op, EVTCHNOP_close, (uintptr_t)&cl, 0);
}

static void fev_notify(struct consd *c, uint32_t port)
{
    struct evtchn_send sd = { port };

    if (!hv_call(c->tk->hv, __HYPERVISOR_event_channel_op, EVTCHNOP_send, (uintptr_t)&sd, 0))
        notifies++;
}

static int fev_next_fired(struct consd *c, uint32_t *port)
{
    return read(ev_pipe[0], port, sizeof(*port)) == sizeof(*port);
}

static const struct consd_evtchn_ops fake_evtchn = {
    fev_bind, fev_unbind, fev_notify, fev_next_fired,
};

/* The guest sends on its console port; dom0's driver queues our end. */
static void guest_notify(struct consd *c, uint32_t domid)
{
    struct evtchn_send sd = { B.console_port };

    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid == domid) {
            uint32_t local = (uint32_t)c->doms[i].evtchn_port;

            CHECK_EQ(fake_hv_call_as(domid, __HYPERVISOR_event_channel_op,
                                     (uint64_t[5]){ EVTCHNOP_send, (uintptr_t)&sd }), 0);
            CHECK_EQ(write(ev_pipe[1], &local, sizeof(local)), sizeof(local));
        }
}

/* Counts the loop's polls; "no timeout" is idle_cap_ms here so a test
 * ends (short, so a test stepping until something holds is quick). */
static int polls, last_timeout, last_nfds, idle_cap_ms;

static int counting_poll(struct pollfd *p, nfds_t n, int timeout)
{
    polls++;
    last_timeout = timeout;
    last_nfds = (int)n;
    return poll(p, n, timeout < 0 ? idle_cap_ms : timeout);
}

/* consd with the fake event channels and the counting poll. */
static void loop_up(struct consd *c)
{
    CHECK(!pipe2(ev_pipe, O_NONBLOCK | O_CLOEXEC));
    consd_init(c, &H.tk, H.dir, H.dir);
    c->evtchn_fd = ev_pipe[0];
    c->evtchn = &fake_evtchn;
    c->poll = counting_poll;
    notifies = 0;
    polls = 0;
    idle_cap_ms = 20;
}

static uint64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Steps until cond holds or ms pass; whether it held. */
#define STEP_UNTIL(c, cond, ms) ({                                          \
        uint64_t t0_ = now_ms();                                            \
        while (!(cond) && now_ms() - t0_ < (ms))                            \
            CHECK_EQ(consd_step(c), 0);                                     \
        (cond); })

static struct consd_dom *dom_of(struct consd *c, uint32_t domid)
{
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid == domid)
            return &c->doms[i];
    return NULL;
}

/* The old loop woke every 20 ms forever (50 polls a second). Idle, with a
 * console attached and its event channel bound, consoled sleeps with no
 * timeout: over 800 ms it polls at most 3 times, each with -1. */
TEST(consd_idle_loop_sleeps_with_no_timeout)
{
    struct consd c;
    uint64_t t0;
    uint32_t d;

    h_up(&H);
    d = make_dom("idle");
    loop_up(&c);
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    CHECK(dom_of(&c, d) && dom_of(&c, d)->evtchn_port > 0);
    CHECK_EQ(consd_timeout(&c), -1);
    idle_cap_ms = 400;
    t0 = now_ms();
    while (now_ms() - t0 < 800)
        CHECK_EQ(consd_step(&c), 0);
    CHECK(polls <= 3);
    CHECK_EQ(last_timeout, -1);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* A console whose event channel cannot be bound is polled instead (the
 * only finite timeout besides a waiting client), with a log line. */
TEST(consd_polls_a_console_whose_channel_cannot_be_bound)
{
    struct consd c;
    char path[96];
    uint32_t d;

    h_up(&H);
    d = make_dom("nochan");
    snprintf(path, sizeof(path), "/local/domain/%u/console/port", d);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, "999", 3));        /* not its port */
    loop_up(&c);
    consd_scan(&c);
    CHECK(dom_of(&c, d) && dom_of(&c, d)->evtchn_port < 0);
    CHECK(strstr(H.warns, "cannot bind its console port 999"));
    CHECK_EQ(consd_timeout(&c), CONSD_POLL_MS);
    guest_says(guest_ring(d), "polled\n");
    CHECK(STEP_UNTIL(&c, file_size(h_path(&H, "guest-nochan.log")) == 7, 500));
    CHECK_EQ(last_timeout, CONSD_POLL_MS);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* A fired port wakes the loop and pumps that domain only; the guest is
 * notified back after its output is taken. */
TEST(consd_event_channel_pumps_the_domain_whose_port_fired)
{
    struct consd c;
    uint32_t d1, d2;

    h_up(&H);
    d1 = make_dom("one");
    d2 = make_dom("two");
    loop_up(&c);
    consd_scan(&c);
    guest_says(guest_ring(d1), "from one\n");
    guest_says(guest_ring(d2), "from two\n");
    guest_notify(&c, d2);
    CHECK(STEP_UNTIL(&c, file_size(h_path(&H, "guest-two.log")) == 9, 1000));
    CHECK_EQ(file_size(h_path(&H, "guest-one.log")), 0);
    CHECK_EQ(notifies, 1);
    CHECK_EQ(polls, 1);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* A client connecting and typing wakes the loop (listen socket, then the
 * client's socket); closing it drops the client, and the next one is
 * accepted. */
TEST(consd_loop_accepts_a_client_and_feeds_its_input)
{
    struct consd c;
    struct xencons_interface *r;
    char sock[256];
    uint32_t d;
    int fd;

    h_up(&H);
    d = make_dom("cli");
    r = guest_ring(d);
    loop_up(&c);
    consd_scan(&c);
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    fd = connect_to(sock);
    CHECK(STEP_UNTIL(&c, dom_of(&c, d)->client_fd >= 0, 1000));
    CHECK_EQ(write(fd, "ls\n", 3), 3);
    CHECK(STEP_UNTIL(&c, r->in_prod == 3, 1000));
    CHECK(!memcmp(r->in, "ls\n", 3));
    CHECK_EQ(notifies, 1);
    close(fd);
    CHECK(STEP_UNTIL(&c, dom_of(&c, d)->client_fd < 0, 1000));
    fd = connect_to(sock);
    CHECK(STEP_UNTIL(&c, dom_of(&c, d)->client_fd >= 0, 1000));
    close(fd);
    CHECK_EQ(consd_timeout(&c), -1);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* Input for a full ring waits in the socket: the client is not polled
 * (it would be readable at once) and the loop retries after
 * CONSD_RETRY_MS, then sleeps again once the bytes are in. */
TEST(consd_input_for_a_full_ring_is_retried_after_a_short_timeout)
{
    struct consd c;
    struct xencons_interface *r;
    char sock[256];
    uint32_t d;
    int fd;

    h_up(&H);
    d = make_dom("full");
    r = guest_ring(d);
    r->in_prod = 1024;                          /* the guest reads nothing */
    loop_up(&c);
    consd_scan(&c);
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    fd = connect_to(sock);
    CHECK(STEP_UNTIL(&c, dom_of(&c, d)->client_fd >= 0, 1000));
    CHECK_EQ(write(fd, "y", 1), 1);
    CHECK(STEP_UNTIL(&c, dom_of(&c, d)->in_waiting, 1000));
    CHECK_EQ(consd_timeout(&c), CONSD_RETRY_MS);
    polls = 0;
    CHECK_EQ(consd_step(&c), 0);                /* times out: still full */
    CHECK_EQ(polls, 1);
    CHECK_EQ(last_timeout, CONSD_RETRY_MS);
    for (int i = 0; i < last_nfds; i++)
        CHECK(c.pfd[i].fd != dom_of(&c, d)->client_fd);
    CHECK(dom_of(&c, d)->in_waiting);
    r->in_cons = 1024;                          /* it read everything */
    CHECK(STEP_UNTIL(&c, r->in_prod == 1025, 1000));
    CHECK_EQ(r->in[0], 'y');
    CHECK_EQ(consd_timeout(&c), -1);
    close(fd);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* No periodic rescan: xl create's @introduceDomain (before its console keys
 * exist) and the keys' own watch attach the console; xl destroy's removal
 * of the domain's directory detaches it. */
TEST(consd_domains_come_and_go_by_watches)
{
    struct consd c;
    char sock[256];
    uint32_t d;

    h_up(&H);
    loop_up(&c);
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    CHECK(STEP_UNTIL(&c, 0, 100) == 0);         /* the watches' first events */
    d = make_dom("watched");
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    CHECK(STEP_UNTIL(&c, !access(sock, F_OK), 1000));
    CHECK_EQ(c.nwatched, 1);
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    CHECK(STEP_UNTIL(&c, access(sock, F_OK), 1000));
    CHECK(!dom_of(&c, d));
    CHECK_EQ(c.nwatched, 0);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* xl create introduces the domain (@introduceDomain) before its directory
 * exists: consoled rescans then, finds the domain in the hypervisor's list
 * and watches its console/ directory, so the keys written afterwards
 * attach it (listing /local/domain instead missed it for good). */
TEST(consd_attaches_a_domain_introduced_before_its_directory)
{
    static const char *const keys[] = { "name", "console/type", "console/ring-ref",
                                        "console/port" };
    struct consd c;
    char path[128], sock[256], *val[4];
    unsigned int len[4];
    uint32_t d;

    h_up(&H);
    loop_up(&c);
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    d = make_dom("early");
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", d, keys[i]);
        val[i] = xs_read(H.tk.xs, XBT_NULL, path, &len[i]);
        CHECK(val[i] != NULL);
    }
    snprintf(path, sizeof(path), "/local/domain/%u", d);
    CHECK(xs_rm(H.tk.xs, XBT_NULL, path));
    CHECK(STEP_UNTIL(&c, 0, 100) == 0);         /* @introduceDomain: nothing yet */
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    CHECK(access(sock, F_OK) != 0);
    CHECK_EQ(c.nwatched, 1);
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "/local/domain/%u/%s", d, keys[i]);
        CHECK(xs_write(H.tk.xs, XBT_NULL, path, val[i], len[i]));
        free(val[i]);
    }
    CHECK(STEP_UNTIL(&c, !access(sock, F_OK), 1000));
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* Keys written late wake the loop through the domain's console/ watch. */
TEST(consd_late_console_keys_wake_the_loop)
{
    struct consd c;
    char path[128], sock[256], *ref;
    unsigned int len;
    uint32_t d;

    h_up(&H);
    d = make_dom("later");
    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
    ref = xs_read(H.tk.xs, XBT_NULL, path, &len);
    CHECK(ref && xs_rm(H.tk.xs, XBT_NULL, path));
    loop_up(&c);
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    CHECK(STEP_UNTIL(&c, 0, 100) == 0);
    CHECK(access(sock, F_OK) != 0);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, ref, len));
    CHECK(STEP_UNTIL(&c, !access(sock, F_OK), 1000));
    free(ref);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

static void on_alarm(int sig) { }

/* SIGTERM/SIGINT must end the sleep: consd_step hands back poll's EINTR. */
TEST(consd_step_returns_eintr_when_a_signal_interrupts_the_sleep)
{
    struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART */
    struct consd c;

    h_up(&H);
    consd_init(&c, &H.tk, H.dir, H.dir);
    CHECK(!sigaction(SIGALRM, &sa, NULL));
    consd_scan(&c);
    CHECK_EQ(consd_timeout(&c), -1);
    alarm(1);
    errno = 0;
    CHECK_EQ(consd_step(&c), -1);
    CHECK_EQ(errno, EINTR);
    consd_fini(&c);
    h_down(&H);
}

/* xenstored gone: the loop ends with an error instead of spinning. */
TEST(consd_step_fails_when_xenstored_goes_away)
{
    struct consd c;

    h_up(&H);
    consd_init(&c, &H.tk, H.dir, H.dir);
    consd_scan(&c);
    kill(H.xsd, SIGTERM);
    waitpid(H.xsd, NULL, 0);
    CHECK_EQ(consd_step(&c), -1);
    CHECK_EQ(errno, ECONNRESET);
    CHECK(strstr(H.warns, "consoled: lost xenstored"));
    consd_fini(&c);
    xs_close(H.tk.xs);
}

/* ---- the ring by grant (GNTTAB_RESERVED_CONSOLE) ---- */

/* As the guest could: take back grant ref 0 of domid (clear its entry). */
static void revoke_console_grant(uint32_t domid)
{
    uint64_t scratch = B.store_gfn + 1;
    int err = 0, rc;
    grant_entry_v1_t *gt;

    CHECK_EQ(hvc_add_to_physmap(H.tk.hv, domid, XENMAPSPACE_grant_table, 0, scratch), 0);
    gt = H.tk.hv->ops->map_foreign(H.tk.hv, (uint16_t)domid, &scratch, 1, &err, &rc);
    CHECK(gt && !err);
    gt[GNTTAB_RESERVED_CONSOLE].flags = 0;
    H.tk.hv->ops->unmap_foreign(H.tk.hv, gt, 1);
    CHECK_EQ(hvc_remove_from_physmap(H.tk.hv, domid, scratch), 0);
}

TEST(consd_maps_the_ring_by_grant_and_releases_it)
{
    struct consd c;
    struct consd_dom *cd;
    uint32_t d;

    h_up(&H);
    d = make_dom("granted");
    consd_init(&c, &H.tk, H.dir, H.dir);
    c.gnt = fake_hv_gnt();
    consd_scan(&c);
    cd = dom_of(&c, d);
    CHECK(cd && cd->by_grant);
    CHECK_EQ(fake_hv_gnt_maps(), 1);
    CHECK(!strstr(H.warns, "cannot map"));
    guest_says(guest_ring(d), "via grant\n");
    CHECK_EQ(consd_pump(&c), 10);
    CHECK_STR(slurp(h_path(&H, "guest-granted.log")), "via grant\n");
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    consd_scan(&c);
    CHECK_EQ(fake_hv_gnt_maps(), 0);
    consd_fini(&c);
    h_down(&H);
}

/* A grant that cannot be mapped: the frame in console/ring-ref, one line. */
TEST(consd_falls_back_to_the_gfn_when_the_grant_fails)
{
    struct consd c;
    struct consd_dom *cd;
    uint32_t d;

    h_up(&H);
    d = make_dom("nogrant");
    revoke_console_grant(d);
    consd_init(&c, &H.tk, H.dir, H.dir);
    c.gnt = fake_hv_gnt();
    consd_scan(&c);
    cd = dom_of(&c, d);
    CHECK(cd && cd->ring && !cd->by_grant);
    CHECK_EQ(fake_hv_gnt_maps(), 0);
    CHECK(strstr(H.warns, "consoled: d1: cannot map console grant 0 (error"));
    CHECK(strstr(H.warns, "mapping ring frame"));
    guest_says(guest_ring(d), "via gfn\n");
    CHECK_EQ(consd_pump(&c), 8);
    CHECK_STR(slurp(h_path(&H, "guest-nogrant.log")), "via gfn\n");
    consd_fini(&c);
    h_down(&H);
}

/* Neither maps: not attached, said so, and retried at the next event (the
 * ring-ref written again fires the domain's console/ watch). */
TEST(consd_retries_a_ring_that_maps_neither_way)
{
    struct consd c;
    char path[128], good[32], sock[256];
    uint32_t d;

    h_up(&H);
    d = make_dom("unmapped");
    revoke_console_grant(d);
    snprintf(path, sizeof(path), "/local/domain/%u/console/ring-ref", d);
    snprintf(good, sizeof(good), "%llu", (unsigned long long)B.console_gfn);
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, "999999", 6));     /* nothing there */
    loop_up(&c);
    c.gnt = fake_hv_gnt();
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    consd_sock_path(H.dir, d, sock, sizeof(sock));
    CHECK(!dom_of(&c, d));
    CHECK(access(sock, F_OK) != 0);
    CHECK(strstr(H.warns, "consoled: d1: cannot map console ring frame 999999"));
    CHECK(strstr(H.warns, "console not attached"));
    CHECK(STEP_UNTIL(&c, 0, 100) == 0);
    CHECK_EQ(consd_timeout(&c), -1);            /* nothing polled meanwhile */
    CHECK(xs_write(H.tk.xs, XBT_NULL, path, good, strlen(good)));
    CHECK(STEP_UNTIL(&c, dom_of(&c, d) != NULL, 1000));
    CHECK(dom_of(&c, d)->ring && !dom_of(&c, d)->by_grant);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}

/* The real gntdev's errors: no device, and a device that is not gntdev. */
TEST(gnt_dev_reports_a_missing_or_wrong_device)
{
    char why[256] = "";
    struct gnt *g = gnt_dev_open("/nonexistent/gntdev", why, sizeof(why));
    uint64_t handle = 0;
    int rc = 0;

    CHECK(!g);
    CHECK(strstr(why, "cannot open /nonexistent/gntdev"));
    g = gnt_dev_open("/dev/null", why, sizeof(why));
    CHECK(g != NULL);
    CHECK(!g->ops->map(g, 1, GNTTAB_RESERVED_CONSOLE, &handle, &rc));
    CHECK_EQ(rc, -ENOTTY);
    g->ops->close(g);
}

/* Attach and detach 20 times, by grant and by gfn: no fd, mapping or
 * watch outlives its domain. */
TEST(consd_leaks_nothing_across_20_cycles)
{
    struct consd c;
    unsigned int fds;
    uint32_t d;

    h_up(&H);
    loop_up(&c);
    c.gnt = fake_hv_gnt();
    CHECK_EQ(consd_watch(&c), 0);
    consd_scan(&c);
    fds = h_open_fds();
    for (int i = 0; i < 20; i++) {
        d = make_dom(i & 1 ? "odd" : "even");
        if (i & 1)
            revoke_console_grant(d);
        CHECK(STEP_UNTIL(&c, dom_of(&c, d) != NULL, 1000));
        CHECK_EQ(dom_destroy(&H.tk, d), 0);
        CHECK(STEP_UNTIL(&c, dom_of(&c, d) == NULL, 1000));
    }
    CHECK_EQ(h_open_fds(), fds);
    CHECK_EQ(fake_hv_gnt_maps(), 0);
    CHECK_EQ(c.nwatched, 0);
    consd_fini(&c);
    close(ev_pipe[1]);
    h_down(&H);
}
