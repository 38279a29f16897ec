/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs-hostile: a misbehaving xenstore client for the conformance suite.
 *   oversize          header announcing 5000 bytes: expect the daemon to hang up
 *   badtype           unknown type 200: print the error name
 *   nonul             READ without a NUL: print the error name
 *   flood N           send N requests without reading any reply, then exit
 *   noread PATH SECS  watch PATH, never read, report "dropped" if the daemon
 *                     hangs up within SECS seconds, else "alive"
 *   spam PATH N       a good client: N writes to PATH, replies read
 * The socket comes from XENSTORED_PATH.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct hdr {
    uint32_t type, req_id, tx_id, len;
};

static int dial(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    const char *p = getenv("XENSTORED_PATH");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    if (!p || fd < 0 || strlen(p) >= sizeof(sa.sun_path))
        exit(2);
    strcpy(sa.sun_path, p);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        perror("connect");
        exit(2);
    }
    return fd;
}

static void send_msg(int fd, uint32_t type, const void *payload, uint32_t len)
{
    struct hdr h = { type, 1, 0, len };

    if (write(fd, &h, sizeof(h)) != sizeof(h) ||
        (len && write(fd, payload, len) != (ssize_t)len)) {
        perror("write");
        exit(2);
    }
}

static void print_reply(int fd)
{
    struct hdr h;
    char buf[4097];

    if (read(fd, &h, sizeof(h)) != sizeof(h) || h.len > 4096 ||
        read(fd, buf, h.len) != (ssize_t)h.len) {
        printf("closed\n");
        return;
    }
    buf[h.len] = '\0';
    printf("%s %s\n", h.type == 16 ? "ERROR" : "reply", buf);
}

/* True if the daemon closed the connection within secs; reads nothing. */
static int hung_up(int fd, int secs)
{
    time_t end = time(NULL) + secs;

    while (time(NULL) < end) {
        struct pollfd p = { .fd = fd, .events = 0 };

        if (poll(&p, 1, 100) > 0 && (p.revents & (POLLHUP | POLLERR)))
            return 1;
    }
    return 0;
}

/* A well-behaved writer: N writes to PATH, each reply read. */
static void spam(int fd, const char *path, int n)
{
    char payload[4096];
    size_t pl = strlen(path) + 1;

    memcpy(payload, path, pl);
    for (int i = 0; i < n; i++) {
        struct hdr h;
        char buf[4096];
        int vl = snprintf(payload + pl, sizeof(payload) - pl, "%d", i);

        send_msg(fd, 11, payload, (uint32_t)(pl + (size_t)vl));
        if (read(fd, &h, sizeof(h)) != sizeof(h) || h.len > sizeof(buf) ||
            read(fd, buf, h.len) != (ssize_t)h.len)
            exit(1);
    }
}

int main(int argc, char **argv)
{
    int fd = dial();

    if (argc >= 2 && !strcmp(argv[1], "oversize")) {
        struct hdr h = { 2, 1, 0, 5000 };

        if (write(fd, &h, sizeof(h)) != sizeof(h))
            return 2;
        printf("%s\n", hung_up(fd, 5) ? "closed" : "open");
    } else if (argc >= 2 && !strcmp(argv[1], "badtype")) {
        send_msg(fd, 200, "x", 2);
        print_reply(fd);
    } else if (argc >= 2 && !strcmp(argv[1], "nonul")) {
        send_msg(fd, 2, "/abc", 4);
        print_reply(fd);
    } else if (argc >= 3 && !strcmp(argv[1], "flood")) {
        int n = atoi(argv[2]);

        /* Non-blocking would hide back-pressure; a blocked write is the point. */
        for (int i = 0; i < n; i++) {
            struct pollfd p = { .fd = fd, .events = POLLOUT };

            if (poll(&p, 1, 2000) <= 0)
                break;      /* the daemon stopped reading us: expected */
            send_msg(fd, 10, "0", 2);
        }
        printf("flooded\n");
    } else if (argc >= 4 && !strcmp(argv[1], "noread")) {
        size_t pl = strlen(argv[2]) + 1;
        char payload[4096];

        memcpy(payload, argv[2], pl);
        memcpy(payload + pl, "t", 2);
        send_msg(fd, 4, payload, (uint32_t)(pl + 2));
        printf("%s\n", hung_up(fd, atoi(argv[3])) ? "dropped" : "alive");
    } else if (argc >= 4 && !strcmp(argv[1], "spam")) {
        spam(fd, argv[2], atoi(argv[3]));
        printf("spammed\n");
    } else {
        fprintf(stderr, "usage: xs-hostile oversize|badtype|nonul|flood N|noread PATH SECS\n");
        return 2;
    }
    fflush(stdout);
    return 0;
}
