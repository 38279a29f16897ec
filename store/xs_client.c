/* SPDX-License-Identifier: MIT */
/*
 * The client library: request/reply framing over a stream (socket or
 * /dev/xen/xenbus), watch-event queueing and the libxenstore calls built on
 * one round-trip helper. No threads, no daemon internals.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "io/xs_wire.h"
#include "wire.h"
#include "xs_client.h"

struct event {
    struct event *next;
    uint32_t len;
    char data[];            /* path NUL token NUL */
};

struct xs_handle {
    int fd;
    uint32_t req_id;
    struct event *ev_head, *ev_tail;
};

static int connect_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

static int open_default(unsigned long flags)
{
    const char *p = getenv("XENSTORED_PATH"), *d = getenv("XENSTORED_RUNDIR");
    char buf[4096];
    int fd;

    if (!p) {
        snprintf(buf, sizeof(buf), "%s/socket", d ? d : "/var/run/xenstored");
        p = buf;
    }
    fd = connect_socket(p);
    if (fd >= 0 || (flags & XS_OPEN_SOCKETONLY))
        return fd;
    return open("/dev/xen/xenbus", O_RDWR | O_CLOEXEC);
}

struct xs_handle *xs_open(unsigned long flags)
{
    struct xs_handle *h = calloc(1, sizeof(*h));

    if (!h)
        return NULL;
    h->fd = open_default(flags);
    if (h->fd < 0) {
        free(h);
        return NULL;
    }
    return h;
}

void xs_close(struct xs_handle *h)
{
    struct event *e, *next;

    if (!h)
        return;
    for (e = h->ev_head; e; e = next) {
        next = e->next;
        free(e);
    }
    close(h->fd);
    free(h);
}

int xs_fileno(struct xs_handle *h)
{
    return h->fd;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = ECONNRESET;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Read one message; payload malloc'd with a NUL appended. */
static int read_msg(struct xs_handle *h, struct xsd_sockmsg *hdr, char **payload)
{
    if (read_all(h->fd, hdr, sizeof(*hdr)))
        return -1;
    if (hdr->len > XENSTORE_PAYLOAD_MAX) {
        errno = E2BIG;
        return -1;
    }
    *payload = malloc(hdr->len + 1);
    if (!*payload)
        return -1;
    if (read_all(h->fd, *payload, hdr->len)) {
        free(*payload);
        return -1;
    }
    (*payload)[hdr->len] = '\0';
    return 0;
}

static void queue_event(struct xs_handle *h, const char *payload, uint32_t len)
{
    struct event *e = malloc(sizeof(*e) + len + 1);

    if (!e)
        return;     /* watches may fire spuriously; losing one under OOM is allowed */
    e->next = NULL;
    e->len = len;
    memcpy(e->data, payload, len);
    e->data[len] = '\0';
    if (h->ev_tail)
        h->ev_tail->next = e;
    else
        h->ev_head = e;
    h->ev_tail = e;
}

/*
 * Send type with the iovec-like parts concatenated; return the reply payload
 * (malloc'd, NUL appended) or NULL with errno set from an ERROR reply.
 */
static char *talk(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                  const void *const *parts, const uint32_t *lens, int nparts,
                  uint32_t *rlen)
{
    char buf[sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX];
    struct xsd_sockmsg hdr = { type, ++h->req_id, t, 0 };
    char *payload;

    for (int i = 0; i < nparts; i++) {
        if (hdr.len + lens[i] > XENSTORE_PAYLOAD_MAX) {
            errno = E2BIG;
            return NULL;
        }
        memcpy(buf + sizeof(hdr) + hdr.len, parts[i], lens[i]);
        hdr.len += lens[i];
    }
    memcpy(buf, &hdr, sizeof(hdr));
    if (write_all(h->fd, buf, sizeof(hdr) + hdr.len))
        return NULL;
    for (;;) {
        struct xsd_sockmsg r;

        if (read_msg(h, &r, &payload))
            return NULL;
        if (r.type == XS_WATCH_EVENT) {
            queue_event(h, payload, r.len);
            free(payload);
            continue;
        }
        if (r.type == XS_ERROR) {
            errno = wire_errnum(payload);
            free(payload);
            return NULL;
        }
        if (r.type != type || r.req_id != hdr.req_id) {
            free(payload);
            errno = EBADMSG;
            return NULL;
        }
        if (rlen)
            *rlen = r.len;
        return payload;
    }
}

static char *talk1(struct xs_handle *h, xs_transaction_t t, uint32_t type,
                   const char *arg, uint32_t *rlen)
{
    const void *parts[1] = { arg };
    uint32_t lens[1] = { (uint32_t)strlen(arg) + 1 };

    return talk(h, t, type, parts, lens, 1, rlen);
}

static bool talk_ok(char *reply)
{
    free(reply);
    return reply != NULL;
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
    uint32_t l;
    char *r = talk1(h, t, XS_READ, path, &l);

    if (r && len)
        *len = l;
    return r;
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path,
              const void *data, unsigned int len)
{
    const void *parts[2] = { path, data };
    uint32_t lens[2] = { (uint32_t)strlen(path) + 1, len };

    return talk_ok(talk(h, t, XS_WRITE, parts, lens, 2, NULL));
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return talk_ok(talk1(h, t, XS_MKDIR, path, NULL));
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
    return talk_ok(talk1(h, t, XS_RM, path, NULL));
}

/* Turn "a\0b\0" into a char*[] followed by the strings, in one block. */
static char **split_list(const char *list, uint32_t len, unsigned int *num)
{
    unsigned n = wire_count_strings(list, len);
    char **v = malloc((n + 1) * sizeof(char *) + len + 1);
    char *s;

    if (!v)
        return NULL;
    s = (char *)(v + n + 1);
    memcpy(s, list, len);
    s[len] = '\0';
    for (unsigned i = 0; i < n; i++) {
        v[i] = s;
        s += strlen(s) + 1;
    }
    v[n] = NULL;
    *num = n;
    return v;
}

/* Assemble a long child list from DIRECTORY_PART pieces; restart if the
 * node changes (its generation) between pieces. */
static char *directory_parts(struct xs_handle *h, xs_transaction_t t, const char *path,
                             uint32_t *total)
{
    char *all = NULL, gen[32] = "", off[16];
    uint32_t len = 0;

    for (;;) {
        const void *parts[2] = { path, off };
        uint32_t lens[2], rlen, glen;
        char *r, *grown;

        snprintf(off, sizeof(off), "%u", len);
        lens[0] = (uint32_t)strlen(path) + 1;
        lens[1] = (uint32_t)strlen(off) + 1;
        r = talk(h, t, XS_DIRECTORY_PART, parts, lens, 2, &rlen);
        if (!r)
            goto out_free;
        glen = (uint32_t)strnlen(r, rlen) + 1;
        if (glen > rlen || glen > sizeof(gen)) {
            free(r);
            errno = EBADMSG;
            goto out_free;
        }
        if (len && strcmp(gen, r)) {
            len = 0;            /* changed under us: start over */
            strcpy(gen, r);
            free(r);
            continue;
        }
        strcpy(gen, r);
        grown = realloc(all, len + rlen);
        if (!grown) {
            free(r);
            goto out_free;
        }
        all = grown;
        memcpy(all + len, r + glen, rlen - glen);
        /* The last piece ends with an empty name: two NULs in a row. */
        if (rlen - glen <= 1 || r[rlen - 2] == '\0') {
            len += rlen > glen ? rlen - glen - 1 : 0;
            free(r);
            *total = len;
            return all;
        }
        len += rlen - glen;
        free(r);
    }

out_free:
    free(all);
    return NULL;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path,
                    unsigned int *num)
{
    uint32_t len;
    char *r = talk1(h, t, XS_DIRECTORY, path, &len);
    char **v;

    if (!r && errno == E2BIG)
        r = directory_parts(h, t, path, &len);
    if (!r)
        return NULL;
    v = split_list(r, len, num);
    free(r);
    return v;
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num, const char *s)
{
    for (unsigned i = 0; i < num; i++, s += strlen(s) + 1) {
        static const char letters[] = "nrwb";
        const char *l = s[0] ? strchr(letters, s[0]) : NULL;
        char *end;

        if (!l) {
            errno = EINVAL;
            return false;
        }
        perms[i].perms = (enum xs_perm_type)(l - letters);
        perms[i].id = (unsigned)strtoul(s + 1, &end, 10);
        if (*end || end == s + 1) {
            errno = EINVAL;
            return false;
        }
    }
    return true;
}

bool xs_perm_to_string(const struct xs_permissions *perm, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%c%u", "nrwb"[perm->perms & 3], perm->id);

    return n > 0 && (size_t)n < len;
}

struct xs_permissions *xs_get_permissions(struct xs_handle *h, xs_transaction_t t,
                                          const char *path, unsigned int *num)
{
    uint32_t len;
    char *r = talk1(h, t, XS_GET_PERMS, path, &len);
    struct xs_permissions *p;

    if (!r)
        return NULL;
    *num = wire_count_strings(r, len);
    p = calloc(*num ? *num : 1, sizeof(*p));
    if (p && !xs_strings_to_perms(p, *num, r)) {
        free(p);
        p = NULL;
    }
    free(r);
    return p;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
                        struct xs_permissions *perms, unsigned int num)
{
    char buf[XENSTORE_PAYLOAD_MAX];
    const void *parts[2] = { path, buf };
    uint32_t lens[2] = { (uint32_t)strlen(path) + 1, 0 };

    for (unsigned i = 0; i < num; i++) {
        if (lens[1] + 16 > sizeof(buf)) {
            errno = E2BIG;
            return false;
        }
        xs_perm_to_string(&perms[i], buf + lens[1], 16);
        lens[1] += (uint32_t)strlen(buf + lens[1]) + 1;
    }
    return talk_ok(talk(h, t, XS_SET_PERMS, parts, lens, 2, NULL));
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
    const void *parts[2] = { path, token };
    uint32_t lens[2] = { (uint32_t)strlen(path) + 1, (uint32_t)strlen(token) + 1 };

    return talk_ok(talk(h, XBT_NULL, XS_WATCH, parts, lens, 2, NULL));
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
    const void *parts[2] = { path, token };
    uint32_t lens[2] = { (uint32_t)strlen(path) + 1, (uint32_t)strlen(token) + 1 };

    return talk_ok(talk(h, XBT_NULL, XS_UNWATCH, parts, lens, 2, NULL));
}

static char **pop_event(struct xs_handle *h, unsigned int *num)
{
    struct event *e = h->ev_head;
    unsigned n;
    char **v;

    h->ev_head = e->next;
    if (!h->ev_head)
        h->ev_tail = NULL;
    v = split_list(e->data, e->len, &n);
    free(e);
    if (v && n < 2) {
        free(v);
        errno = EBADMSG;
        return NULL;
    }
    if (num)
        *num = n;
    return v;
}

char **xs_read_watch(struct xs_handle *h, unsigned int *num)
{
    while (!h->ev_head) {
        struct xsd_sockmsg r;
        char *payload;

        if (read_msg(h, &r, &payload))
            return NULL;
        if (r.type == XS_WATCH_EVENT)
            queue_event(h, payload, r.len);
        free(payload);      /* a stray reply has no caller left: drop it */
    }
    return pop_event(h, num);
}

char **xs_check_watch(struct xs_handle *h)
{
    struct pollfd p = { .fd = h->fd, .events = POLLIN };

    if (!h->ev_head && poll(&p, 1, 0) == 1)
        return xs_read_watch(h, NULL);
    if (!h->ev_head) {
        errno = EAGAIN;
        return NULL;
    }
    return pop_event(h, NULL);
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
    char *r = talk1(h, XBT_NULL, XS_TRANSACTION_START, "", NULL);
    xs_transaction_t id;

    if (!r)
        return XBT_NULL;
    id = (xs_transaction_t)strtoul(r, NULL, 10);
    free(r);
    return id;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
    return talk_ok(talk1(h, t, XS_TRANSACTION_END, abort ? "F" : "T", NULL));
}

static char *talk_domid(struct xs_handle *h, uint32_t type, unsigned int domid)
{
    char buf[16];

    snprintf(buf, sizeof(buf), "%u", domid);
    return talk1(h, XBT_NULL, type, buf, NULL);
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid, unsigned long mfn,
                         unsigned int eventchn)
{
    char d[16], m[24], e[16];
    const void *parts[3] = { d, m, e };
    uint32_t lens[3];

    lens[0] = (uint32_t)snprintf(d, sizeof(d), "%u", domid) + 1;
    lens[1] = (uint32_t)snprintf(m, sizeof(m), "%lu", mfn) + 1;
    lens[2] = (uint32_t)snprintf(e, sizeof(e), "%u", eventchn) + 1;
    return talk_ok(talk(h, XBT_NULL, XS_INTRODUCE, parts, lens, 3, NULL));
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    return talk_ok(talk_domid(h, XS_RELEASE, domid));
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
    return talk_ok(talk_domid(h, XS_RESUME, domid));
}

bool xs_set_target(struct xs_handle *h, unsigned int domid, unsigned int target)
{
    char d[16], t[16];
    const void *parts[2] = { d, t };
    uint32_t lens[2];

    lens[0] = (uint32_t)snprintf(d, sizeof(d), "%u", domid) + 1;
    lens[1] = (uint32_t)snprintf(t, sizeof(t), "%u", target) + 1;
    return talk_ok(talk(h, XBT_NULL, XS_SET_TARGET, parts, lens, 2, NULL));
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
    return talk_domid(h, XS_GET_DOMAIN_PATH, domid);
}

bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    char *r = talk_domid(h, XS_IS_DOMAIN_INTRODUCED, domid);
    bool yes = r && !strcmp(r, "T");

    free(r);
    return yes;
}

char *xs_control_command(struct xs_handle *h, const char *cmd, const void *data,
                         unsigned int len)
{
    const void *parts[2] = { cmd, data };
    uint32_t lens[2] = { (uint32_t)strlen(cmd) + 1, len };

    return talk(h, XBT_NULL, XS_CONTROL, parts, lens, data ? 2 : 1, NULL);
}
