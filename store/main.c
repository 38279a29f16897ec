/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenstored: options and the event loop only. The socket path follows
 * libxenstore: $XENSTORED_PATH, else $XENSTORED_RUNDIR/socket, else
 * /var/run/xenstored/socket. In a Xen domain (/dev/xen/evtchn exists) the
 * rings are served too: the kernel's own ring and every introduced domain's
 * (transport_xen.c); elsewhere INTRODUCE records the domain without a ring.
 * A live update (CONTROL live-update) dumps the state, execs the daemon's
 * binary with the sockets still open, and the new process carries on.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "control.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "state.h"
#include "transport.h"
#include "watch.h"

static volatile sig_atomic_t stop, dump_requested;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        dump_requested = 1;
    else
        stop = 1;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: xenstored [-s socket] [-l logfile] [-q] [--restore file]\n"
            "                 [--state file] [-p pidfile] [-D]\n"
            "  -s, --socket   unix socket to serve (default as libxenstore looks)\n"
            "  -l, --log      log file (default stderr); -q: no log\n"
            "  --restore F    start from a state file written by CONTROL dump\n"
            "  --state F      where SIGUSR1 (and exit) dumps the state\n"
            "  -D, --no-domain-init  serve no Xen rings even in a Xen domain\n"
            "  CONTROL live-update: exec a new binary keeping every connection\n");
}

static const char *default_socket(char *buf, size_t len)
{
    const char *p = getenv("XENSTORED_PATH"), *d = getenv("XENSTORED_RUNDIR");

    if (p)
        return p;
    snprintf(buf, len, "%s/socket", d ? d : "/var/run/xenstored");
    return buf;
}

static void reap(void)
{
    struct conn *c = conn_first(), *next;

    for (; c; c = next) {
        next = c->next;
        if (!c->dead || c->fd < 0)
            continue;
        close(c->fd);
        conn_destroy(c);
    }
}

static void serve_fd(struct conn *c, short revents)
{
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        if (socket_read(c) < 0 && !c->dead) {
            c->dead = true;         /* the client went away: nothing to log */
            return;
        }
    }
    if ((revents & POLLOUT) && socket_write(c) < 0)
        conn_kill(c, "socket write failed");
    /* Output drained: requests held back by the outstanding limit may go. */
    if (!c->dead && c->in_len && conn_wants_input(c))
        conn_process(c);
}

static void live_update(int lfd);

static int evfd = -1;   /* /dev/xen/evtchn when serving rings */

static int loop(int lfd, const char *state_file)
{
    struct pollfd *pfd = NULL;
    uint32_t *ids = NULL;
    size_t cap = 0;

    while (!stop) {
        size_t n = 2;

        if (dump_requested && state_file) {
            dump_requested = 0;
            state_dump(state_file);
        }
        for (struct conn *c = conn_first(); c; c = c->next)
            n++;
        if (n > cap) {
            cap = n * 2;
            pfd = realloc(pfd, cap * sizeof(*pfd));
            ids = realloc(ids, cap * sizeof(*ids));
            if (!pfd || !ids)
                return ENOMEM;
        }
        pfd[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
        pfd[1] = (struct pollfd){ .fd = evfd, .events = POLLIN };    /* -1: ignored */
        n = 2;
        for (struct conn *c = conn_first(); c; c = c->next) {
            if (c->fd < 0)
                continue;
            pfd[n].fd = c->fd;
            pfd[n].events = (short)((conn_wants_input(c) ? POLLIN : 0) |
                                    (c->out_head ? POLLOUT : 0));
            pfd[n].revents = 0;
            ids[n++] = c->id;
        }
        if (poll(pfd, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (pfd[1].revents & (POLLIN | POLLERR))   /* POLLERR: its queue overflowed */
            xen_events();
        for (size_t i = 2; i < n; i++) {
            if (!pfd[i].revents)
                continue;
            /* Earlier work may have freed connections; find by id. */
            for (struct conn *c = conn_first(); c; c = c->next)
                if (c->id == ids[i] && !c->dead)
                    serve_fd(c, pfd[i].revents);
        }
        if (pfd[0].revents & POLLIN)
            while (socket_accept(lfd))
                ;
        reap();
        if (control_live_update)
            live_update(lfd);
    }
    free(pfd);
    free(ids);
    return 0;
}

/* Our command line minus live-update options, for the successor's. */
static char **keep_argv;
static int keep_argc;
static const char *live_file;

static void keep_args(int argc, char **argv)
{
    keep_argv = calloc((size_t)argc + 6, sizeof(char *));
    if (!keep_argv)
        exit(1);
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--live-restore") || !strcmp(argv[i], "--listen-fd")) {
            i++;
            continue;
        }
        keep_argv[keep_argc++] = argv[i];
    }
}

static void set_cloexec(int fd, bool on)
{
    fcntl(fd, F_SETFD, on ? FD_CLOEXEC : 0);
}

/*
 * Replace this process by a fresh copy of the binary on disk (an upgrade),
 * keeping the listening socket and every client connection open. On any
 * failure the old daemon keeps serving.
 */
static void live_update(int lfd)
{
    char lfdbuf[16];
    int rc;

    control_live_update = 0;
    for (struct conn *c = conn_first(); c; c = c->next)
        if (c->fd >= 0 && !c->dead)
            socket_write(c);    /* the OK of the request, best effort */
    rc = state_dump_live(live_file);
    if (rc) {
        xs_log("live-update: cannot dump state to %s: %s", live_file, strerror(rc));
        return;
    }
    set_cloexec(lfd, false);
    for (struct conn *c = conn_first(); c; c = c->next)
        if (c->fd >= 0 && !c->dead)
            set_cloexec(c->fd, false);
    snprintf(lfdbuf, sizeof(lfdbuf), "%d", lfd);
    keep_argv[keep_argc] = "--live-restore";
    keep_argv[keep_argc + 1] = (char *)live_file;
    keep_argv[keep_argc + 2] = "--listen-fd";
    keep_argv[keep_argc + 3] = lfdbuf;
    keep_argv[keep_argc + 4] = NULL;
    xs_log("live-update: exec, %lu nodes handed over", tree_count());
    execv("/proc/self/exe", keep_argv);
    xs_log("live-update: exec failed: %s; carrying on", strerror(errno));
    set_cloexec(lfd, true);
    for (struct conn *c = conn_first(); c; c = c->next)
        if (c->fd >= 0)
            set_cloexec(c->fd, true);
    unlink(live_file);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "socket", required_argument, NULL, 's' },
        { "log", required_argument, NULL, 'l' },
        { "quiet", no_argument, NULL, 'q' },
        { "restore", required_argument, NULL, 'R' },
        { "state", required_argument, NULL, 'S' },
        { "pid-file", required_argument, NULL, 'p' },
        { "live-restore", required_argument, NULL, 'L' },
        { "listen-fd", required_argument, NULL, 'F' },
        { "no-domain-init", no_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *sock = NULL, *restore = NULL, *state = NULL, *pidfile = NULL;
    const char *live = NULL;
    char buf[4096], livebuf[4200];
    int o, lfd = -1, rc;
    bool rings = true;

    keep_args(argc, argv);
    while ((o = getopt_long(argc, argv, "s:l:qp:hND", opts, NULL)) != -1) {
        switch (o) {
        case 's': sock = optarg; break;
        case 'l':
            if (xs_log_open(optarg)) {
                perror(optarg);
                return 2;
            }
            break;
        case 'q': xs_log_enable(0); break;
        case 'R': restore = optarg; break;
        case 'S': state = optarg; break;
        case 'p': pidfile = optarg; break;
        case 'L': live = optarg; break;
        case 'F': lfd = atoi(optarg); break;
        case 'N': break;    /* "no fork", as the C daemon's flag: we never fork */
        case 'D': rings = false; break;     /* tests beside a real xenstored */
        default: usage(); return o == 'h' ? 0 : 2;
        }
    }
    if (!sock)
        sock = default_socket(buf, sizeof(buf));
    snprintf(livebuf, sizeof(livebuf), "%s.live-update", sock);
    live_file = livebuf;
    tree_init();
    node_init_special();
    watch_init();
    evfd = rings ? xen_open() : -1;
    domain_init(evfd >= 0 ? xen_backend() : NULL);
    /* As Xen's daemons: the store starts with /tool/xenstored. */
    node_write(&(struct who){ 0, DOMID_NONE, true }, NULL, "/tool/xenstored", "", 0);
    if (live) {
        rc = state_restore(live, socket_adopt);
        unlink(live);
        if (rc) {
            fprintf(stderr, "xenstored: live update from %s failed: %s\n", live, strerror(rc));
            return 1;
        }
        xs_log("live-update: %lu nodes, connections kept", tree_count());
    } else if (restore && (rc = state_restore(restore, NULL))) {
        fprintf(stderr, "xenstored: cannot restore %s: %s\n", restore, strerror(rc));
        return 1;
    }
    if (evfd >= 0) {
        xen_local_ring();
        /* Restored domains may have died, and their rings may hold requests
         * that came, while no daemon listened. */
        domain_check_exceptions();
        domain_ring_poll_all();
    }
    if (lfd >= 0) {
        set_cloexec(lfd, true);
    } else {
        lfd = socket_listen(sock);
        if (lfd < 0) {
            fprintf(stderr, "xenstored: %s: %s\n", sock, strerror(-lfd));
            return 1;
        }
    }
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");

        if (f) {
            fprintf(f, "%d\n", (int)getpid());
            fclose(f);
        }
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGUSR1, on_signal);
    rc = loop(lfd, state);
    if (state)
        state_dump(state);
    unlink(sock);
    return rc ? 1 : 0;
}
