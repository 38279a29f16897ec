/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Console daemon engine (see consd.h). Everything is non-blocking: a slow
 * or vanished client never stalls a guest's log. Event channels go through
 * Linux's /dev/xen/evtchn when present (bind_interdomain, notify).
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
#include "xs_client.h"

struct evtchn_bind { uint32_t remote_domain, remote_port; };
#define EVTCHN_IOC_BIND   _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind))
#define EVTCHN_IOC_UNBIND _IOC(_IOC_NONE, 'E', 3, sizeof(uint32_t))
#define EVTCHN_IOC_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(uint32_t))

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

    if (d->ring)
        c->tk->hv->ops->unmap_foreign(c->tk->hv, d->ring, 1);
    if (d->evtchn_port >= 0 && c->evtchn_fd >= 0)
        ioctl(c->evtchn_fd, EVTCHN_IOC_UNBIND, &(uint32_t){ (uint32_t)d->evtchn_port });
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

/* A domain whose console keys are not all there yet is left for the next
 * scan (the slot stays free), as is one whose ring cannot be mapped. */
static int attach(struct consd *c, struct consd_dom *d, uint32_t domid)
{
    char *gfn_s = rd(c, domid, "console/ring-ref"), *port_s = rd(c, domid, "console/port");
    char *name = rd(c, domid, "name"), path[512];
    uint64_t gfn;
    int err = 0, rc;

    *d = (struct consd_dom){ domid, 1, NULL, -1, -1, -1, -1, 0, 0, 0, "" };
    if (!gfn_s || !port_s || !name)
        goto out_detach;
    gfn = strtoull(gfn_s, NULL, 10);
    d->ring = c->tk->hv->ops->map_foreign(c->tk->hv, (uint16_t)domid, &gfn, 1, &err, &rc);
    if (!d->ring || err) {
        tk_warn(c->tk, "consoled: d%u: cannot map console ring frame %s", domid, gfn_s);
        goto out_detach;
    }
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
        struct evtchn_bind b = { domid, (uint32_t)strtoul(port_s, NULL, 10) };

        d->evtchn_port = ioctl(c->evtchn_fd, EVTCHN_IOC_BIND, &b);
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

void consd_scan(struct consd *c)
{
    unsigned int n = 0;
    char **kids = xs_directory(c->tk->xs, XBT_NULL, "/local/domain", &n);

    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        c->doms[i].seen = 0;
    for (unsigned int i = 0; kids && i < n; i++) {
        uint32_t domid = (uint32_t)strtoul(kids[i], NULL, 10);
        struct consd_dom *d = find(c, domid);

        if (d) {
            d->seen = 1;
        } else if (domid && wants_console(c, domid) && (d = find(c, ~0u))) {
            attach(c, d, domid);
        }
    }
    free(kids);
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid != ~0u && !c->doms[i].seen)
            detach(c, &c->doms[i]);
}

static void notify(struct consd *c, struct consd_dom *d)
{
    if (c->evtchn_fd >= 0 && d->evtchn_port >= 0)
        ioctl(c->evtchn_fd, EVTCHN_IOC_NOTIFY, &(uint32_t){ (uint32_t)d->evtchn_port });
}

static void drop_client(struct consd_dom *d)
{
    close(d->client_fd);
    d->client_fd = -1;
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
    long out, in = 0, n;

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
        n = room ? read(d->client_fd, buf, (size_t)room) : 0;
        if (room && (n == 0 || (n < 0 && errno != EAGAIN)))
            drop_client(d);
        else if (n > 0)
            in = cons_feed_in(r, buf, (size_t)n);
    }
    if (out > 0 || in > 0)
        notify(c, d);
    return out + (in > 0 ? in : 0);
}

long consd_pump(struct consd *c)
{
    long moved = 0;

    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid != ~0u && c->doms[i].ring && !c->doms[i].broken)
            moved += pump_one(c, &c->doms[i]);
    return moved;
}

void consd_fini(struct consd *c)
{
    for (int i = 0; i < CONSD_MAX_DOMS; i++)
        if (c->doms[i].domid != ~0u)
            detach(c, &c->doms[i]);
    if (c->evtchn_fd >= 0)
        close(c->evtchn_fd);
}
