/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xsring: serves the control domain kernel's own xenstore ring (XS_LOCAL)
 * by relaying it to xenstored's unix socket, on which the kernel is then one
 * more dom0 client. Owns the device plumbing only: /dev/xen/xenbus_backend
 * (ring page + port), /dev/xen/evtchn (loop-back bind, notify), the socket.
 *   xsring [-s socket] [-d own-domid]
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "xsring.h"

/* Linux uapi: include/uapi/xen/xenbus_dev.h and evtchn.h. */
#define XENBUS_IOC_BACKEND_EVTCHN _IOC(_IOC_NONE, 'B', 0, 0)
struct evtchn_bind_interdomain_ioc { unsigned int remote_domain, remote_port; };
struct evtchn_notify_ioc { unsigned int port; };
#define EVTCHN_IOC_BIND_INTERDOMAIN \
    _IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_bind_interdomain_ioc))
#define EVTCHN_IOC_NOTIFY _IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_notify_ioc))

struct relay {
    struct xenstore_domain_interface *intf;
    int evfd, sock;
    unsigned int port;          /* our end of the loop-back channel */
    char pend[XENSTORE_RING_SIZE * 4];   /* socket bytes not yet in rsp */
    size_t npend;
};

static int fail(const char *step, int err)
{
    fprintf(stderr, "xsring: %s: %s\n", step, strerror(err));
    return 1;
}

static int open_ring(struct relay *r, unsigned int domid)
{
    struct evtchn_bind_interdomain_ioc bind;
    int fd, port, local;

    fd = open("/dev/xen/xenbus_backend", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail("opening /dev/xen/xenbus_backend", errno);
    port = ioctl(fd, XENBUS_IOC_BACKEND_EVTCHN);
    if (port <= 0)
        return fail("asking the kernel for its store port", port < 0 ? errno : ENXIO);
    r->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (r->intf == MAP_FAILED)
        return fail("mapping the store ring", errno);
    close(fd);
    r->evfd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC);
    if (r->evfd < 0)
        return fail("opening /dev/xen/evtchn", errno);
    bind.remote_domain = domid;
    bind.remote_port = (unsigned int)port;
    local = ioctl(r->evfd, EVTCHN_IOC_BIND_INTERDOMAIN, &bind);
    if (local < 0)
        return fail("binding the store port (loop-back)", errno);
    r->port = (unsigned int)local;
    return 0;
}

static int open_socket(struct relay *r, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof(sa.sun_path))
        return fail("socket path", ENAMETOOLONG);
    strcpy(sa.sun_path, path);
    r->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (r->sock < 0 || connect(r->sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return fail("connecting to xenstored", errno);
    return 0;
}

static void notify(struct relay *r)
{
    struct evtchn_notify_ioc n = { r->port };

    ioctl(r->evfd, EVTCHN_IOC_NOTIFY, &n);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Both directions as far as they go now; 1 when the kernel must be told. */
static int pump(struct relay *r)
{
    char buf[XENSTORE_RING_SIZE];
    int n, kick = 0;

    while ((n = xsring_take_req(r->intf, buf, sizeof(buf))) > 0) {
        kick = 1;
        if (write_all(r->sock, buf, (size_t)n))
            return fail("writing to xenstored", errno), -1;
    }
    if (n < 0)
        return fprintf(stderr, "xsring: the kernel's request indices are corrupt\n"), -1;
    if (r->npend) {
        n = xsring_give_rsp(r->intf, r->pend, r->npend);
        if (n < 0)
            return fprintf(stderr, "xsring: the kernel's reply indices are corrupt\n"), -1;
        memmove(r->pend, r->pend + n, r->npend - (size_t)n);
        r->npend -= (size_t)n;
        kick |= n > 0;
    }
    return kick;
}

static int serve(struct relay *r)
{
    for (;;) {
        struct pollfd p[2] = { { r->evfd, POLLIN, 0 }, { r->sock, POLLIN, 0 } };
        int k = pump(r);

        if (k < 0)
            return 1;
        if (k)
            notify(r);
        if (r->npend == sizeof(r->pend))
            p[1].events = 0;    /* the kernel is not reading: stop reading too */
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return fail("poll", errno);
        if (p[0].revents & POLLIN) {
            unsigned int ports[16];
            ssize_t got = read(r->evfd, ports, sizeof(ports));

            /* Writing the ports back unmasks them, before we look at the ring. */
            if (got > 0 && write(r->evfd, ports, (size_t)got) != got)
                return fail("unmasking the store port", errno);
        }
        if (p[1].revents & (POLLIN | POLLHUP)) {
            ssize_t got = read(r->sock, r->pend + r->npend, sizeof(r->pend) - r->npend);

            if (got == 0)
                return fprintf(stderr, "xsring: xenstored closed the connection\n"), 1;
            if (got < 0 && errno != EINTR)
                return fail("reading from xenstored", errno);
            if (got > 0)
                r->npend += (size_t)got;
        }
    }
}

int main(int argc, char **argv)
{
    static struct relay r;
    const char *path = getenv("XENSTORED_PATH");
    unsigned int domid = 0;
    int opt;

    while ((opt = getopt(argc, argv, "s:d:")) != -1) {
        if (opt == 's')
            path = optarg;
        else if (opt == 'd')
            domid = (unsigned int)strtoul(optarg, NULL, 0);
        else
            return fprintf(stderr, "usage: xsring [-s socket] [-d own-domid]\n"), 2;
    }
    if (!path)
        path = "/var/run/xenstored/socket";
    if (open_ring(&r, domid) || open_socket(&r, path))
        return 1;
    fprintf(stderr, "xsring: serving the kernel's store ring (port %u) through %s\n",
            r.port, path);
    notify(&r);     /* the kernel probes xenbus on the first event it sees */
    return serve(&r);
}
