/* SPDX-License-Identifier: GPL-2.0-only */
/* Console rings (cons.c) and the console daemon engine (consd.c) on the host. */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "unit.h"
#include "harness.h"
#include "cons.h"
#include "consd.h"
#include "dom.h"
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
