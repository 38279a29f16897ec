/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console daemon program (as xenconsoled): consd.c's engine over
 * privcmd and xenstore. Rescans on @introduceDomain/@releaseDomain and
 * every second; pumps every 20 ms or when an event channel fires.
 *   consoled [-l logdir] [-r rundir] [-f]   (-f: stay in the foreground)
 */
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

static void on_signal(int sig) { stop = 1; }

static void loop(struct consd *c)
{
    struct pollfd p[2] = { { xs_fileno(c->tk->xs), POLLIN, 0 }, { c->evtchn_fd, POLLIN, 0 } };
    int ticks = 0;

    consd_scan(c);
    while (!stop) {
        char **ev;
        int rescan = ++ticks % 50 == 0;
        uint32_t port;

        poll(p, c->evtchn_fd >= 0 ? 2 : 1, 20);
        while ((ev = xs_check_watch(c->tk->xs))) {
            rescan = 1;
            free(ev);
        }
        /* Acknowledge fired ports (the write unmasks them). */
        while (c->evtchn_fd >= 0 && read(c->evtchn_fd, &port, sizeof(port)) == sizeof(port))
            if (write(c->evtchn_fd, &port, sizeof(port)) != sizeof(port))
                break;
        if (rescan)
            consd_scan(c);
        consd_pump(c);
    }
}

int main(int argc, char **argv)
{
    const char *logdir = "/var/log/xen/console", *rundir = "/run/xen-like";
    struct tk tk = { 0 };
    struct consd c;
    char why[256];
    int opt, fg = 0;

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
    if (!xs_watch(tk.xs, "@introduceDomain", "c") || !xs_watch(tk.xs, "@releaseDomain", "c"))
        fprintf(stderr, "consoled: cannot watch domain changes; rescanning every second\n");
    /* Keep stderr: attach failures are reported there, not swallowed. */
    if (!fg && (daemon(0, 1) || !freopen("/dev/null", "r", stdin) ||
                !freopen("/dev/null", "w", stdout))) {
        fprintf(stderr, "consoled: cannot detach: %s\n", strerror(errno));
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    consd_init(&c, &tk, logdir, rundir);
    loop(&c);
    consd_fini(&c);
    return 0;
}
