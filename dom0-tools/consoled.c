/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console daemon program (as xenconsoled): consd.c's engine over
 * privcmd, gntdev, evtchn and xenstore. It sleeps in ppoll() until
 * something happens (consd_step) and ends on SIGTERM/SIGINT.
 *   consoled [-l logdir] [-r rundir] [-f]   (-f: stay in the foreground)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "consd.h"
#include "xs_client.h"

static volatile sig_atomic_t stop;
static sigset_t waiting_mask;       /* the mask during ppoll: SIGTERM/SIGINT let in */

static void on_signal(int sig) { stop = 1; }

/* The stop signals are blocked except inside ppoll, so one that comes
 * between the check of stop and the sleep still ends the sleep. */
static int wait_events(struct pollfd *fds, nfds_t n, int timeout_ms)
{
    struct timespec ts = { timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L };

    return ppoll(fds, n, timeout_ms < 0 ? NULL : &ts, &waiting_mask);
}

static int catch_stop_signals(void)
{
    struct sigaction sa = { .sa_handler = on_signal };  /* no SA_RESTART */
    sigset_t stops;

    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    if (sigprocmask(SIG_BLOCK, &stops, &waiting_mask))
        return -1;
    sigdelset(&waiting_mask, SIGTERM);
    sigdelset(&waiting_mask, SIGINT);
    signal(SIGPIPE, SIG_IGN);
    return sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) ? -1 : 0;
}

static int loop(struct consd *c)
{
    consd_scan(c);
    while (!stop)
        if (consd_step(c) && errno != EINTR) {
            fprintf(stderr, "consoled: %s\n", strerror(errno));
            return 1;
        }
    return 0;
}

/* Without gntdev every ring is mapped by its gfn (said once, here). */
static void open_devices(struct consd *c, struct tk *tk)
{
    char why[256];

    c->gnt = gnt_dev_open(NULL, why, sizeof(why));
    if (!c->gnt)
        tk_warn(tk, "consoled: %s; mapping console rings by gfn", why);
    if (c->evtchn_fd < 0)
        tk_warn(tk, "consoled: no /dev/xen/evtchn; polling consoles every %d ms",
                CONSD_POLL_MS);
    c->poll = wait_events;
}

int main(int argc, char **argv)
{
    const char *logdir = "/var/log/xen/console", *rundir = "/run/xen-like";
    struct tk tk = { 0 };
    struct consd c;
    char why[256];
    int opt, fg = 0, rc;

    while ((opt = getopt(argc, argv, "l:r:f")) != -1) {
        if (opt == 'l')
            logdir = optarg;
        else if (opt == 'r')
            rundir = optarg;
        else if (opt == 'f')
            fg = 1;
        else {
            fprintf(stderr, "usage: consoled [-l logdir] [-r rundir] [-f]\n");
            return 2;
        }
    }
    if (consd_make_dirs(logdir, rundir, why, sizeof(why))) {
        fprintf(stderr, "consoled: %s\n", why);
        return 1;
    }
    tk.hv = hv_privcmd_open(getenv("XL_PRIVCMD"), why, sizeof(why));
    tk.xs = tk.hv ? xs_open(0) : NULL;
    if (!tk.hv || !tk.xs) {
        fprintf(stderr, "consoled: %s\n", tk.hv ? "cannot reach xenstored" : why);
        return 1;
    }
    /* Keep stderr: attach failures are reported there, not swallowed. */
    if (!fg && (daemon(0, 1) || !freopen("/dev/null", "r", stdin) ||
                !freopen("/dev/null", "w", stdout))) {
        fprintf(stderr, "consoled: cannot detach: %s\n", strerror(errno));
        return 1;
    }
    if (catch_stop_signals()) {
        fprintf(stderr, "consoled: cannot catch SIGTERM/SIGINT: %s\n", strerror(errno));
        return 1;
    }
    consd_init(&c, &tk, logdir, rundir);
    if (consd_watch(&c)) {
        fprintf(stderr, "consoled: cannot watch @introduceDomain/@releaseDomain: %s\n",
                strerror(errno));
        consd_fini(&c);
        return 1;
    }
    open_devices(&c, &tk);
    rc = loop(&c);
    consd_fini(&c);
    return rc;
}
