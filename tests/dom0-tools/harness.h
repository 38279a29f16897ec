/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Toolstack test harness: a fresh xenstored on a temp socket, core/ booted
 * in-process as the fake hypervisor, synthetic PVH kernels (ELF, and
 * bzImages with each supported compression), and store inspection helpers.
 */
#ifndef DOM0_TEST_HARNESS_H
#define DOM0_TEST_HARNESS_H

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_hv.h"
#include "tk.h"
#include "xs_client.h"

#define K_PADDR   0x1000000u
#define K_ENTRY   0x1000010u
#define K_FILESZ  0x2000u
#define K_MEMSZ   0x3000u
#define K_OFFSET  0x1000u

struct h {
    char dir[64];
    pid_t xsd;
    struct tk tk;
    char warns[4096];
};

static inline void h_warn(void *ctx, const char *msg)
{
    struct h *h = ctx;

    strncat(h->warns, msg, sizeof(h->warns) - strlen(h->warns) - 2);
    strcat(h->warns, "\n");
}

static inline void put_u16(unsigned char *p, uint16_t v) { p[0] = (unsigned char)v; p[1] = (unsigned char)(v >> 8); }
static inline void put_u32(unsigned char *p, uint32_t v) { put_u16(p, (uint16_t)v); put_u16(p + 2, (uint16_t)(v >> 16)); }
static inline void put_u64(unsigned char *p, uint64_t v) { put_u32(p, (uint32_t)v); put_u32(p + 4, (uint32_t)(v >> 32)); }

/* A minimal PVH vmlinux: one PT_LOAD of K_FILESZ pattern bytes at K_PADDR,
 * a PT_NOTE with Xen's PHYS32_ENTRY (8-byte desc, as Linux emits). */
static inline unsigned char *h_elf(size_t *len, int with_note)
{
    size_t n = K_OFFSET + K_FILESZ;
    unsigned char *e = calloc(1, n), *ph = e + 64, *note = e + 0x200;

    memcpy(e, "\x7f" "ELF", 4);
    e[4] = 2; e[5] = 1; e[6] = 1;
    put_u16(e + 16, 2);
    put_u16(e + 18, 62);
    put_u64(e + 32, 64);
    put_u16(e + 52, 64);
    put_u16(e + 54, 56);
    put_u16(e + 56, 2);
    put_u32(ph, 1);
    put_u64(ph + 8, K_OFFSET);
    put_u64(ph + 16, 0xffffffff81000000ULL);
    put_u64(ph + 24, K_PADDR);
    put_u64(ph + 32, K_FILESZ);
    put_u64(ph + 40, K_MEMSZ);
    put_u32(ph + 56, 4);
    put_u64(ph + 56 + 8, 0x200);
    put_u64(ph + 56 + 32, 24);
    put_u32(note, 4);
    put_u32(note + 4, 8);
    put_u32(note + 8, with_note ? 18 : 6);
    memcpy(note + 12, "Xen", 4);
    put_u64(note + 16, K_ENTRY);
    for (size_t i = 0; i < K_FILESZ; i++)
        e[K_OFFSET + i] = (unsigned char)(i * 7 + 1);
    *len = n;
    return e;
}

static inline void h_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

/* A bzImage around payload (already compressed, size appended by us). */
static inline unsigned char *h_bzimage(const unsigned char *payload, size_t plen,
                                       uint32_t raw_len, size_t *len)
{
    size_t setup = 5 * 512, off = 0x100;
    unsigned char *b = calloc(1, setup + off + plen + 4);

    b[0x1f1] = 4;
    memcpy(b + 0x202, "HdrS", 4);
    put_u16(b + 0x206, 0x020f);
    put_u32(b + 0x248, (uint32_t)off);
    put_u32(b + 0x24c, (uint32_t)(plen + 4));
    memcpy(b + setup + off, payload, plen);
    put_u32(b + setup + off + plen, raw_len);
    *len = setup + off + plen + 4;
    return b;
}

static inline void h_start_xenstored(struct h *h)
{
    const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
    char bin[256], sock[128];

    snprintf(bin, sizeof(bin), "%s/store/xenstored", build);
    snprintf(sock, sizeof(sock), "%s/sock", h->dir);
    h->xsd = fork();
    if (h->xsd == 0) {
        /* A shell owns the daemon and the directory: when the test ends,
         * even by a failed CHECK's _exit, it stops both. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        execl("/bin/sh", "sh", "-c",
              "\"$1\" -s \"$0/sock\" -l \"$0/xenstored.log\" & p=$!; "
              "trap 'kill $p 2>/dev/null; wait $p; rm -rf \"$0\"; exit 0' TERM; wait",
              h->dir, bin, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && access(sock, F_OK); i++)
        usleep(10000);
    setenv("XENSTORED_PATH", sock, 1);
}

/* Everything a toolstack test needs; h_down() at the end. */
static inline void h_up(struct h *h)
{
    memset(h, 0, sizeof(*h));
    strcpy(h->dir, "/tmp/dom0-test.XXXXXX");
    if (!mkdtemp(h->dir))
        abort();
    h_start_xenstored(h);
    h->tk.hv = fake_hv_open();
    h->tk.xs = xs_open(0);
    h->tk.warn = h_warn;
    h->tk.warn_ctx = h;
    if (!h->tk.hv || !h->tk.xs) {
        fprintf(stderr, "harness: fake hypervisor or xenstored unavailable\n");
        abort();
    }
    /* What dom0's boot scripts write before any toolstack runs. */
    if (!xs_write(h->tk.xs, XBT_NULL, "/local/domain/0/name", "Domain-0", 8) ||
        !xs_mkdir(h->tk.xs, XBT_NULL, "/vm"))
        abort();
}

static inline void h_down(struct h *h)
{
    xs_close(h->tk.xs);
    kill(h->xsd, SIGTERM);      /* the shell stops xenstored and removes the directory */
    waitpid(h->xsd, NULL, 0);
}

/* Path of a file in the test directory. */
static inline const char *h_path(struct h *h, const char *name)
{
    static char p[4][160];
    static int k;
    char *s = p[k++ & 3];

    snprintf(s, sizeof(p[0]), "%s/%s", h->dir, name);
    return s;
}

static inline char *h_read(struct h *h, const char *path)
{
    unsigned int len;

    return xs_read(h->tk.xs, XBT_NULL, path, &len);
}

/* Nodes under path, path included. */
static inline unsigned int h_count_nodes(struct h *h, const char *path)
{
    unsigned int n, total = 1;
    char **kids = xs_directory(h->tk.xs, XBT_NULL, path, &n);
    char sub[512];

    for (unsigned int i = 0; kids && i < n; i++) {
        snprintf(sub, sizeof(sub), "%s/%s", strcmp(path, "/") ? path : "", kids[i]);
        total += h_count_nodes(h, sub);
    }
    free(kids);
    return total;
}

static inline unsigned int h_open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    unsigned int n = 0;

    while (d && readdir(d))
        n++;
    if (d)
        closedir(d);
    return n;
}

#endif
