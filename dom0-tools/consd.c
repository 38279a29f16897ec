/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console daemon engine (see consd.h). Everything is non-blocking: a slow
 * or vanished client never stalls a guest's log. Event channels go through
 * Linux's /dev/xen/evtchn when present (bind_interdomain, notify). Domains
 * come and go by xenstore watches: @introduceDomain, @releaseDomain and
 * each domain's console/ directory (keys that come late, removal); the
 * domains are the hypervisor's list, as xenconsoled enumerates them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "consd.h"
#include "cons.h"
#include "grant_table.h"
#include "hvc.h"
#include "xs_client.h"

struct evtchn_bind { uint32_t remote_domain, remote_port; };
#define EVTCHN_IOC_BIND   _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind))
#define EVTCHN_IOC_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(uint32_t))
#define EVTCHN_IOC_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(uint32_t))

static int dev_bind(struct consd *c, uint32_t domid, uint32_t remote_port)
{
    struct evtchn_bind b = { domid, remote_port };

    return ioctl(c->evtchn_fd, EVTCHN_IOC_BIND, &b);
}

static void dev_unbind(struct consd *c, uint32_t port)
{
    ioctl(c->evtchn_fd, EVTCHN_IOC_UNBIND, &port);
}

static void dev_notify(struct consd *c, uint32_t port)
{
    ioctl(c->evtchn_fd, EVTCHN_IOC_NOTIFY, &port);
}

/* The driver masks a port when it fires; writing it back unmasks it. */
static int dev_next_fired(struct consd *c, uint32_t *port)
{
    if (read(c->evtchn_fd, port, sizeof(*port)) != sizeof(*port))
        return 0;
    if (write(c->evtchn_fd, port, sizeof(*port)) != sizeof(*port))
        tk_warn(c->tk, "consoled: cannot unmask port %u: %s", *port, strerror(errno));
    return 1;
}

static const struct consd_evtchn_ops dev_evtchn = {
    dev_bind, dev_unbind, dev_notify, dev_next_fired,
};

void consd_sock_path(const char *rundir, uint32_t domid, char *out, size_t len)
{
    snprintf(out, len, "%s/console-%u.sock", rundir, domid);
}

/* mkdir -p: an attach whose socket cannot be bound fails, and consoled
 * would silently retry it every second while the guest's ring stays full. */
static int make_dir(const char *dir, mode_t mode, char *why, size_t len)
{
    char p[256];
    size_t n = strlen(dir);
    struct stat st;

    if (!n || n >= sizeof(p)) {
        snprintf(why, len, "directory name '%s' is empty or too long", dir);
        return -1;
    }
    memcpy(p, dir, n + 1);
    for (char *s = p + 1; ; s++) {
        char c = *s;

        if (c && c != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) && errno != EEXIST) {
            snprintf(why, len, "cannot create %s: %s", p, strerror(errno));
            return -1;
        }
        *s = c;
        if (!c)
            break;
    }
    if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
        snprintf(why, len, "%s is not a directory", dir);
        return -1;
    }
    return 0;
}

int consd_make_dirs(const char *logdir, const char *rundir, char *why, size_t len)
{
    return make_dir(logdir, 0750, why, len) || make_dir(rundir, 0755, why, len) ? -1 : 0;
}

void consd_init(struct consd *c, struct tk *tk, const char *logdir, const char *rundir)
{
    memset(c, 0, sizeof(*c));
    c->tk = tk;
    c->logdir = logdir;
    c->rundir = rundir;
    c->evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    c->evtchn = &dev_evtchn;
    c->poll = poll;
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        c->doms[i].domid = ~0u;
}

static char *rd(struct consd *c, uint32_t domid, const char *leaf)
{
    char p[96];
    unsigned int len;

    snprintf(p, sizeof(p), "/local/domain/%u/%s", domid, leaf);
    return xs_read(c->tk->xs, XBT_NULL, p, &len);
}

static int listen_on(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd < 0 || strlen(path) >= sizeof(a.sun_path)) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    strcpy(a.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void detach(struct consd *c, struct consd_dom *d)
{
    char path[256];

    if (d->ring && d->by_grant)
        c->gnt->ops->unmap(c->gnt, d->ring, d->grant_handle);
    else if (d->ring)
        c->tk->hv->ops->unmap_foreign(c->tk->hv, d->ring, 1);
    if (d->evtchn_port >= 0 && c->evtchn_fd >= 0)
        c->evtchn->unbind(c, (uint32_t)d->evtchn_port);
    for (int *fd = &d->log_fd; fd <= &d->client_fd; fd++)
        if (*fd >= 0)
            close(*fd);
    consd_sock_path(c->rundir, d->domid, path, sizeof(path));
    unlink(path);
    memset(d, 0, sizeof(*d));
    d->domid = ~0u;
}

/* console/limit in bytes; the default when missing, not a number or 0. */
static uint64_t log_limit(struct consd *c, uint32_t domid)
{
    char *s = rd(c, domid, "console/limit"), *end = NULL;
    unsigned long long v = s ? strtoull(s, &end, 10) : 0;
    uint64_t limit = s && *s && !*end && v ? v : CONSD_LOG_LIMIT;

    free(s);
    return limit;
}

static int open_log(struct consd_dom *d)
{
    struct stat st;

    d->log_fd = open(d->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    d->log_bytes = d->log_fd >= 0 && !fstat(d->log_fd, &st) ? (uint64_t)st.st_size : 0;
    return d->log_fd;
}

/* As xenconsoled 4.17: the grant the builder seeded for the console, and
 * the frame named in console/ring-ref only when that cannot be mapped. */
static int map_ring(struct consd *c, struct consd_dom *d, const char *gfn_s)
{
    uint64_t gfn = strtoull(gfn_s, NULL, 10);
    int err = 0, rc = 0;

    if (c->gnt) {
        d->ring = c->gnt->ops->map(c->gnt, (uint16_t)d->domid, GNTTAB_RESERVED_CONSOLE,
                                   &d->grant_handle, &rc);
        d->by_grant = d->ring != NULL;
        if (d->ring)
            return 0;
        tk_warn(c->tk, "consoled: d%u: cannot map console grant %u (error %d); "
                "mapping ring frame %s instead", d->domid, GNTTAB_RESERVED_CONSOLE, rc, gfn_s);
    }
    d->ring = c->tk->hv->ops->map_foreign(c->tk->hv, (uint16_t)d->domid, &gfn, 1, &err, &rc);
    if (d->ring && !err)
        return 0;
    tk_warn(c->tk, "consoled: d%u: cannot map console ring frame %s (error %d); "
            "console not attached", d->domid, gfn_s, d->ring ? err : rc);
    return -1;
}

/* A domain whose console keys are not all there yet is left for the next
 * scan (the slot stays free), as is one whose ring cannot be mapped. */
static int attach(struct consd *c, struct consd_dom *d, uint32_t domid)
{
    char *gfn_s = rd(c, domid, "console/ring-ref"), *port_s = rd(c, domid, "console/port");
    char *name = rd(c, domid, "name"), path[512];

    *d = (struct consd_dom){ .domid = domid, .seen = 1, .log_fd = -1, .listen_fd = -1,
                             .client_fd = -1, .evtchn_port = -1 };
    if (!gfn_s || !port_s || !name || map_ring(c, d, gfn_s))
        goto out_detach;
    d->log_limit = log_limit(c, domid);
    snprintf(d->log_path, sizeof(d->log_path), "%s/guest-%s.log", c->logdir, name);
    open_log(d);
    consd_sock_path(c->rundir, domid, path, sizeof(path));
    d->listen_fd = listen_on(path);
    if (d->log_fd < 0 || d->listen_fd < 0) {
        tk_warn(c->tk, "consoled: d%u: cannot open log or socket %s: %s", domid, path,
                strerror(errno));
        goto out_detach;
    }
    if (c->evtchn_fd >= 0) {
        d->evtchn_port = c->evtchn->bind(c, domid, (uint32_t)strtoul(port_s, NULL, 10));
        if (d->evtchn_port < 0)
            tk_warn(c->tk, "consoled: d%u: cannot bind its console port %s: %s; polling "
                    "it every %d ms", domid, port_s, strerror(errno), CONSD_POLL_MS);
    }
    free(gfn_s);
    free(port_s);
    free(name);
    return 0;

out_detach:
    detach(c, d);
    free(gfn_s);
    free(port_s);
    free(name);
    return -1;
}

static struct consd_dom *find(struct consd *c, uint32_t domid)
{
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid == domid)
            return &c->doms[i];
    return NULL;
}

static int wants_console(struct consd *c, uint32_t domid)
{
    char *t = rd(c, domid, "console/type");
    int yes = t && !strcmp(t, "xenconsoled");

    free(t);
    return yes;
}

int consd_watch(struct consd *c)
{
    return xs_watch(c->tk->xs, "@introduceDomain", "c") &&
           xs_watch(c->tk->xs, "@releaseDomain", "c") ? 0 : -1;
}

static void console_dir(uint32_t domid, char *p, size_t len)
{
    snprintf(p, len, "/local/domain/%u/console", domid);
}

/* Console keys written after the domain was introduced, and the removal of
 * the domain's directory (it may outlive @releaseDomain), each fire this. */
static void watch_dom(struct consd *c, uint32_t domid)
{
    char p[64];

    for (unsigned int i = 0; i < c->nwatched; i++)
        if (c->watched[i] == domid)
            return;
    console_dir(domid, p, sizeof(p));
    if (c->nwatched == CONSD_MAX_DOMS || !xs_watch(c->tk->xs, p, "d")) {
        tk_warn(c->tk, "consoled: d%u: cannot watch %s; its console is found at the next "
                "domain change only", domid, p);
        return;
    }
    c->watched[c->nwatched++] = domid;
}

static void unwatch_at(struct consd *c, unsigned int i)
{
    char p[64];

    console_dir(c->watched[i], p, sizeof(p));
    xs_unwatch(c->tk->xs, p, "d");
    c->watched[i] = c->watched[--c->nwatched];
}

static int listed(const uint32_t *ids, int n, uint32_t domid)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == domid)
            return 1;
    return 0;
}

#define LIST_BATCH 32

/* The hypervisor's domUs that are not dying: the count, or -1. From the
 * hypervisor and not /local/domain: xl create introduces a domain before
 * its directory exists, and the watch on its console/ must come first. */
static int list_domains(struct consd *c, uint32_t *ids, int max)
{
    struct xen_domctl_getdomaininfo info[LIST_BATCH];
    uint32_t next = 1;
    long got = LIST_BATCH;
    int n = 0;

    while (got == LIST_BATCH && n < max) {
        got = hvc_list(c->tk->hv, next, info, LIST_BATCH);
        for (long i = 0; i < got && n < max; i++) {
            if (!(info[i].flags & XEN_DOMINF_dying))
                ids[n++] = info[i].domain;
            next = info[i].domain + 1u;
        }
    }
    if (got < 0)
        tk_warn(c->tk, "consoled: cannot list domains: %s", tk_errname(got));
    return got < 0 ? -1 : n;
}

/* A failed listing is no proof that domains went away: nothing changes.
 * An attached console stays while its domain lives and its console/type
 * is still there (xl destroy removes the directory). */
void consd_scan(struct consd *c)
{
    uint32_t ids[CONSD_MAX_DOMS];
    int n = list_domains(c, ids, CONSD_MAX_DOMS);

    if (n < 0)
        return;
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        c->doms[i].seen = 0;
    for (int i = 0; i < n; i++) {
        struct consd_dom *d = find(c, ids[i]);

        watch_dom(c, ids[i]);
        if (d)
            d->seen = wants_console(c, ids[i]);
        else if (wants_console(c, ids[i]) && (d = find(c, ~0u)))
            attach(c, d, ids[i]);
    }
    for (unsigned int i = 0; i < c->nwatched;)
        if (!listed(ids, n, c->watched[i]))
            unwatch_at(c, i);
        else
            i++;
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid != ~0u && !c->doms[i].seen)
            detach(c, &c->doms[i]);
}

static void notify(struct consd *c, struct consd_dom *d)
{
    if (c->evtchn_fd >= 0 && d->evtchn_port >= 0)
        c->evtchn->notify(c, (uint32_t)d->evtchn_port);
}

static void drop_client(struct consd_dom *d)
{
    close(d->client_fd);
    d->client_fd = -1;
    d->in_waiting = 0;
}

/* With no room in the guest's input ring the client's bytes stay in the
 * socket; the loop then stops polling it (it would be readable at once)
 * and retries after CONSD_RETRY_MS. EOF or an error drops the client. */
static long feed(struct consd_dom *d, long room, char *buf)
{
    char ch;
    ssize_t n;

    d->in_waiting = 0;
    if (!room) {
        n = recv(d->client_fd, &ch, 1, MSG_PEEK | MSG_DONTWAIT);
        d->in_waiting = n > 0;
    } else {
        n = read(d->client_fd, buf, (size_t)room);
    }
    if (n == 0 || (n < 0 && errno != EAGAIN)) {
        drop_client(d);
        return 0;
    }
    return room && n > 0 ? cons_feed_in(d->ring, buf, (size_t)n) : 0;
}

/* Rotate first when this chunk would take the log past its limit. */
static void log_out(struct consd *c, struct consd_dom *d, const char *buf, size_t n)
{
    char old[sizeof(d->log_path) + 4];

    if (d->log_bytes && d->log_bytes + n > d->log_limit) {
        snprintf(old, sizeof(old), "%s.old", d->log_path);
        close(d->log_fd);
        if (rename(d->log_path, old))
            tk_warn(c->tk, "consoled: d%u: cannot rotate %s: %s", d->domid, d->log_path,
                    strerror(errno));
        if (open_log(d) < 0) {
            tk_warn(c->tk, "consoled: d%u: cannot reopen %s: %s; output not logged",
                    d->domid, d->log_path, strerror(errno));
            return;
        }
    }
    if (d->log_fd < 0)
        return;
    if (write(d->log_fd, buf, n) != (ssize_t)n)
        tk_warn(c->tk, "consoled: d%u: log write failed: %s", d->domid, strerror(errno));
    else
        d->log_bytes += n;
}

static long pump_one(struct consd *c, struct consd_dom *d)
{
    struct xencons_interface *r = d->ring;
    char buf[2048];
    long out, in = 0;

    if (d->client_fd < 0)
        d->client_fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    out = cons_drain_out(r, buf, sizeof(buf));
    if (out < 0) {
        tk_warn(c->tk, "consoled: d%u: console ring indexes corrupt; console dropped",
                d->domid);
        d->broken = 1;
        return 0;
    }
    if (out > 0)
        log_out(c, d, buf, (size_t)out);
    if (out > 0 && d->client_fd >= 0 && write(d->client_fd, buf, (size_t)out) < 0 &&
        errno != EAGAIN)
        drop_client(d);
    /* A full input ring (a guest not reading) leaves the client's bytes
     * waiting in the socket; only EOF or a socket error drops the client. */
    if (d->client_fd >= 0) {
        long room = cons_in_room(r);

        if (room < 0) {
            tk_warn(c->tk, "consoled: d%u: console input ring indexes corrupt; console dropped",
                    d->domid);
            d->broken = 1;
            return out;
        }
        in = feed(d, room, buf);
    }
    if (out > 0 || in > 0)
        notify(c, d);
    return out + (in > 0 ? in : 0);
}

static int live(const struct consd_dom *d)
{
    return d->domid != ~0u && d->ring && !d->broken;
}

long consd_pump(struct consd *c)
{
    long moved = 0;

    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (live(&c->doms[i]))
            moved += pump_one(c, &c->doms[i]);
    return moved;
}

static int sooner(int t, int ms)
{
    return t < 0 || ms < t ? ms : t;
}

int consd_timeout(const struct consd *c)
{
    int t = -1;

    for (int i = 0; i < CONSD_MAX_DOMS; i++) {
        const struct consd_dom *d = &c->doms[i];

        if (live(d) && d->in_waiting)
            t = sooner(t, CONSD_RETRY_MS);
        if (live(d) && d->evtchn_port < 0)
            t = sooner(t, CONSD_POLL_MS);
    }
    return t;
}

/* xenstore, the event channels, then for each slot up to the last live one
 * its listening socket (no client yet) or its client (unless waiting). */
static nfds_t fill(struct consd *c)
{
    nfds_t n = 2;

    c->pfd[0] = (struct pollfd){ xs_fileno(c->tk->xs), POLLIN, 0 };
    c->pfd[1] = (struct pollfd){ c->evtchn_fd, POLLIN, 0 };
    for (int i = 0; i < CONSD_MAX_DOMS; i++) {
        struct consd_dom *d = &c->doms[i];
        int on = live(d);

        c->pfd[2 + 2 * i] = (struct pollfd){ on && d->client_fd < 0 ? d->listen_fd : -1,
                                             POLLIN, 0 };
        c->pfd[3 + 2 * i] = (struct pollfd){
            on && d->client_fd >= 0 && !d->in_waiting ? d->client_fd : -1, POLLIN, 0 };
        if (on)
            n = 4 + 2 * (nfds_t)i;
    }
    return n;
}

/* Rescan once for any number of queued watch events: 1 if it did, 0 if
 * there were none, -1 when the connection to xenstored is gone. */
static int on_watch(struct consd *c)
{
    char **ev;
    int fired = 0;

    while ((ev = xs_check_watch(c->tk->xs))) {
        fired = 1;
        free(ev);
    }
    if (errno != EAGAIN) {
        tk_warn(c->tk, "consoled: lost xenstored: %s", strerror(errno));
        return -1;
    }
    if (fired)
        consd_scan(c);
    return fired;
}

/* Each fired port is unmasked, then its console pumped. */
static void on_evtchn(struct consd *c)
{
    uint32_t port;

    while (c->evtchn->next_fired(c, &port)) {
        for (int i = 0; i < CONSD_MAX_DOMS; i++)
            if (live(&c->doms[i]) && c->doms[i].evtchn_port == (int)port)
                pump_one(c, &c->doms[i]);
    }
}

int consd_step(struct consd *c)
{
    nfds_t n;
    int rc;

    /* Events that arrived with other replies wait in the client's queue,
     * not in the socket: poll would not see them. */
    while ((rc = on_watch(c)) > 0)
        ;
    if (rc < 0)
        return errno = ECONNRESET, -1;
    n = fill(c);
    rc = c->poll(c->pfd, n, consd_timeout(c));
    if (rc < 0)
        return -1;
    if (rc == 0) {                  /* a retry, or consoles without a channel */
        consd_pump(c);
        return 0;
    }
    if (c->pfd[0].revents & (POLLERR | POLLHUP | POLLNVAL)) {
        tk_warn(c->tk, "consoled: lost xenstored");
        return errno = ECONNRESET, -1;
    }
    if (c->pfd[0].revents && on_watch(c) < 0)
        return errno = ECONNRESET, -1;
    if (c->pfd[1].revents)
        on_evtchn(c);
    for (nfds_t i = 2; i < n; i++)
        if (c->pfd[i].revents && live(&c->doms[(i - 2) / 2]))
            pump_one(c, &c->doms[(i - 2) / 2]);
    return 0;
}

void consd_fini(struct consd *c)
{
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid != ~0u)
            detach(c, &c->doms[i]);
    while (c->nwatched)
        unwatch_at(c, 0);
    if (c->gnt)
        c->gnt->ops->close(c->gnt);
    if (c->evtchn_fd >= 0)
        close(c->evtchn_fd);
}
