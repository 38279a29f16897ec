/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl console`: connect to the console daemon's socket for the domain and
 * relay the terminal (raw mode) both ways until Ctrl-] or the daemon hangs up.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "xl.h"
#include "consd.h"

#define ESCAPE_CHAR 0x1d    /* Ctrl-], as xl */

static int relay(int sock)
{
    struct pollfd p[2] = { { STDIN_FILENO, POLLIN, 0 }, { sock, POLLIN, 0 } };
    char buf[1024];

    for (;;) {
        ssize_t n;

        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return 1;
        if (p[1].revents) {
            n = read(sock, buf, sizeof(buf));
            if (n <= 0 || write(STDOUT_FILENO, buf, (size_t)n) != n)
                return 0;
        }
        if (p[0].revents) {
            n = read(STDIN_FILENO, buf, sizeof(buf));
            if (n <= 0 || memchr(buf, ESCAPE_CHAR, (size_t)n))
                return 0;
            if (write(sock, buf, (size_t)n) != n)
                return 1;
        }
    }
}

/* consoled attaches a new domain within its rescan interval: retry. */
static int connect_wait(int fd, const struct sockaddr_un *a, int wait_ms)
{
    for (int t = 0;; t += 100) {
        if (!connect(fd, (const struct sockaddr *)a, sizeof(*a)))
            return 0;
        if (t >= wait_ms || (errno != ENOENT && errno != ECONNREFUSED))
            return -1;
        usleep(100000);
    }
}

int xl_console_attach(struct xl_env *e, uint32_t domid, int wait_ms)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    struct termios old, raw;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), tty, rc;

    consd_sock_path(e->rundir, domid, a.sun_path, sizeof(a.sun_path));
    if (fd < 0 || connect_wait(fd, &a, wait_ms)) {
        fprintf(e->err, "xl console: connecting to %s: %s (is consoled running?)\n",
                a.sun_path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    tty = isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &old);
    if (tty) {
        raw = old;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    rc = relay(fd);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
    close(fd);
    return rc;
}
