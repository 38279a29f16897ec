/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The unix-socket transport: local tools (libxenstore, xenstore-utils, xs)
 * connect here and act as dom0. Non-blocking; the event loop is in main.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "conn.h"
#include "log.h"
#include "transport.h"

static void socket_kick(struct conn *c);

static const struct transport_ops socket_ops = { "socket", socket_kick };

int socket_listen(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    unlink(path);
    /* Every client of the socket acts as dom0: only root may connect, as
     * with C xenstored, whatever the umask. */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) ||
        listen(fd, 128)) {
        int err = errno;

        close(fd);
        return -err;
    }
    return fd;
}

struct conn *socket_accept(int lfd)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    return fd < 0 ? NULL : socket_adopt(fd);
}

struct conn *socket_adopt(int fd)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };
    struct conn *c;

    fcntl(fd, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    c = conn_create(&dom0, &socket_ops, NULL);
    if (!c) {
        xs_log("socket: out of memory for a new connection");
        close(fd);
        return NULL;
    }
    c->fd = fd;
    return c;
}

int socket_read(struct conn *c)
{
    uint32_t room;
    char *space = conn_in_space(c, &room);
    ssize_t n;

    if (!room)
        return 0;
    n = read(c->fd, space, room);
    if (n == 0)
        return -1;
    if (n < 0)
        return errno == EAGAIN || errno == EINTR ? 0 : -1;
    conn_in_done(c, (uint32_t)n);
    return 0;
}

int socket_write(struct conn *c)
{
    const char *data;
    uint32_t len;

    while ((data = conn_out_peek(c, &len)) != NULL) {
        ssize_t n = send(c->fd, data, len, MSG_NOSIGNAL);

        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? 0 : -1;
        conn_out_done(c, (uint32_t)n);
    }
    return 0;
}

static void socket_kick(struct conn *c)
{
    /* Try at once: most replies fit the socket buffer, saving a poll round. */
    if (c->fd >= 0 && socket_write(c) < 0)
        conn_kill(c, "socket write failed");
}
