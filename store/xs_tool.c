/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xs: the store's command-line tool, on the client library.
 *   xs read PATH...          xs write PATH VALUE [PATH VALUE]...
 *   xs ls [-R] [-p] PATH     xs rm PATH...       xs mkdir PATH...
 *   xs chmod [-r] PATH PERM... xs exists PATH    xs watch [-n N] PATH...
 *   xs introduce DOMID MFN PORT   xs release DOMID   xs domain-path DOMID
 *   xs control CMD [ARG...]
 * Exit status 0 on success, 1 on a store error (printed with its name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "io/xs_wire.h"
#include "wire.h"
#include "xs_client.h"

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "xs: %s %s: %s\n", what, path, wire_errname(errno));
    return 1;
}

static void print_value(const char *v, unsigned len)
{
    for (unsigned i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];

        if (c == '\\' || c == '"')
            printf("\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static int cmd_read(struct xs_handle *h, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        unsigned len;
        char *v = xs_read(h, XBT_NULL, argv[i], &len);

        if (!v)
            return fail("read", argv[i]);
        fwrite(v, 1, len, stdout);
        putchar('\n');
        free(v);
    }
    return 0;
}

/* Writes in one transaction, retried on EAGAIN like xenstore-write. */
static int cmd_write(struct xs_handle *h, int argc, char **argv)
{
    if (argc == 0 || argc % 2)
        return 2;
    for (;;) {
        xs_transaction_t t = xs_transaction_start(h);

        if (t == XBT_NULL)
            return fail("transaction_start", "");
        for (int i = 0; i < argc; i += 2) {
            if (!xs_write(h, t, argv[i], argv[i + 1], (unsigned)strlen(argv[i + 1]))) {
                int err = errno;

                xs_transaction_end(h, t, true);
                errno = err;
                return fail("write", argv[i]);
            }
        }
        if (xs_transaction_end(h, t, false))
            return 0;
        if (errno != EAGAIN)
            return fail("transaction_end", "");
    }
}

static int simple(struct xs_handle *h, int argc, char **argv, const char *what,
                  bool (*fn)(struct xs_handle *, xs_transaction_t, const char *))
{
    for (int i = 0; i < argc; i++)
        if (!fn(h, XBT_NULL, argv[i]))
            return fail(what, argv[i]);
    return 0;
}

static void print_perms(struct xs_handle *h, const char *path)
{
    unsigned n;
    struct xs_permissions *p = xs_get_permissions(h, XBT_NULL, path, &n);
    char buf[16];

    printf("  (");
    for (unsigned i = 0; p && i < n; i++) {
        xs_perm_to_string(&p[i], buf, sizeof(buf));
        printf("%s%s", i ? "," : "", buf);
    }
    printf(")");
    free(p);
}

static int list(struct xs_handle *h, const char *path, bool rec, bool perms, bool top)
{
    unsigned num, len;
    char **kids = xs_directory(h, XBT_NULL, path, &num);
    size_t plen = strlen(path);

    if (!kids)
        return top ? fail("ls", path) : 0;  /* removed while we walked: skip */
    for (unsigned i = 0; i < num; i++) {
        char *child = malloc(plen + strlen(kids[i]) + 2);
        char *v;

        if (!child)
            break;
        sprintf(child, "%s%s%s", path, plen > 1 ? "/" : "", kids[i]);
        if (!rec) {
            puts(kids[i]);
            free(child);
            continue;
        }
        v = xs_read(h, XBT_NULL, child, &len);
        printf("%s = \"", child);
        if (v)
            print_value(v, len);
        printf("\"");
        if (perms)
            print_perms(h, child);
        putchar('\n');
        free(v);
        list(h, child, rec, perms, false);
        free(child);
    }
    free(kids);
    return 0;
}

static int cmd_ls(struct xs_handle *h, int argc, char **argv)
{
    bool rec = false, perms = false;
    int o;

    optind = 1;
    while ((o = getopt(argc, argv, "Rp")) != -1) {
        if (o == 'R')
            rec = true;
        else if (o == 'p')
            perms = true;
        else
            return 2;
    }
    return list(h, optind < argc ? argv[optind] : "/", rec, perms, true);
}

static int chmod_one(struct xs_handle *h, const char *path, struct xs_permissions *p,
                     unsigned n, bool rec)
{
    unsigned num;
    char **kids;

    if (!xs_set_permissions(h, XBT_NULL, path, p, n))
        return fail("chmod", path);
    if (!rec || !(kids = xs_directory(h, XBT_NULL, path, &num)))
        return 0;
    for (unsigned i = 0; i < num; i++) {
        char child[XENSTORE_ABS_PATH_MAX + 2];

        snprintf(child, sizeof(child), "%s%s%s", path, strlen(path) > 1 ? "/" : "",
                 kids[i]);
        if (chmod_one(h, child, p, n, rec)) {
            free(kids);
            return 1;
        }
    }
    free(kids);
    return 0;
}

static int cmd_chmod(struct xs_handle *h, int argc, char **argv)
{
    bool rec = argc > 0 && !strcmp(argv[0], "-r");
    struct xs_permissions p[64];
    int first = rec ? 1 : 0, n = argc - first - 1;

    if (n < 1 || n > 64)
        return 2;
    for (int i = 0; i < n; i++)
        if (!xs_strings_to_perms(&p[i], 1, argv[first + 1 + i]))
            return fail("chmod: bad permission", argv[first + 1 + i]);
    return chmod_one(h, argv[first], p, (unsigned)n, rec);
}

static int cmd_exists(struct xs_handle *h, int argc, char **argv)
{
    unsigned len;
    char *v;

    if (argc != 1)
        return 2;
    v = xs_read(h, XBT_NULL, argv[0], &len);
    free(v);
    return v ? 0 : 1;
}

static int cmd_watch(struct xs_handle *h, int argc, char **argv)
{
    long count = -1;
    int first = 0;

    if (argc > 1 && !strcmp(argv[0], "-n")) {
        count = strtol(argv[1], NULL, 10);
        first = 2;
    }
    if (first >= argc)
        return 2;
    for (int i = first; i < argc; i++)
        if (!xs_watch(h, argv[i], argv[i]))
            return fail("watch", argv[i]);
    while (count != 0) {
        unsigned num;
        char **ev = xs_read_watch(h, &num);

        if (!ev)
            return fail("read_watch", "");
        printf("%s %s\n", ev[XS_WATCH_PATH], ev[XS_WATCH_TOKEN]);
        fflush(stdout);
        free(ev);
        if (count > 0)
            count--;
    }
    return 0;
}

static int cmd_domain(struct xs_handle *h, const char *cmd, int argc, char **argv)
{
    char *r;

    if (!strcmp(cmd, "introduce") && argc == 3)
        return xs_introduce_domain(h, (unsigned)atoi(argv[0]), strtoul(argv[1], NULL, 10),
                                   (unsigned)atoi(argv[2])) ? 0 : fail(cmd, argv[0]);
    if (!strcmp(cmd, "release") && argc == 1)
        return xs_release_domain(h, (unsigned)atoi(argv[0])) ? 0 : fail(cmd, argv[0]);
    if (!strcmp(cmd, "domain-path") && argc == 1) {
        r = xs_get_domain_path(h, (unsigned)atoi(argv[0]));
        if (!r)
            return fail(cmd, argv[0]);
        puts(r);
        free(r);
        return 0;
    }
    return 2;
}

static int cmd_control(struct xs_handle *h, int argc, char **argv)
{
    char data[XENSTORE_PAYLOAD_MAX];
    unsigned len = 0;
    char *r;

    if (argc < 1)
        return 2;
    for (int i = 1; i < argc; i++) {
        size_t l = strlen(argv[i]) + 1;

        if (len + l > sizeof(data))
            return 2;
        memcpy(data + len, argv[i], l);
        len += (unsigned)l;
    }
    r = xs_control_command(h, argv[0], len ? data : NULL, len);
    if (!r)
        return fail("control", argv[0]);
    puts(r);
    free(r);
    return 0;
}

int main(int argc, char **argv)
{
    struct xs_handle *h;
    const char *cmd;
    int rc;

    if (argc < 2) {
        fprintf(stderr, "usage: xs read|write|ls|rm|mkdir|chmod|exists|watch|"
                        "introduce|release|domain-path|control ...\n");
        return 2;
    }
    h = xs_open(0);
    if (!h) {
        perror("xs: cannot reach xenstored (XENSTORED_PATH?)");
        return 1;
    }
    cmd = argv[1];
    argc -= 2;
    argv += 2;
    if (!strcmp(cmd, "read"))
        rc = cmd_read(h, argc, argv);
    else if (!strcmp(cmd, "write"))
        rc = cmd_write(h, argc, argv);
    else if (!strcmp(cmd, "ls"))
        rc = cmd_ls(h, argc + 1, argv - 1);
    else if (!strcmp(cmd, "rm"))
        rc = simple(h, argc, argv, "rm", xs_rm);
    else if (!strcmp(cmd, "mkdir"))
        rc = simple(h, argc, argv, "mkdir", xs_mkdir);
    else if (!strcmp(cmd, "chmod"))
        rc = cmd_chmod(h, argc, argv);
    else if (!strcmp(cmd, "exists"))
        rc = cmd_exists(h, argc, argv);
    else if (!strcmp(cmd, "watch"))
        rc = cmd_watch(h, argc, argv);
    else if (!strcmp(cmd, "control"))
        rc = cmd_control(h, argc, argv);
    else
        rc = cmd_domain(h, cmd, argc, argv);
    if (rc == 2)
        fprintf(stderr, "xs %s: bad arguments\n", cmd);
    xs_close(h);
    return rc;
}
