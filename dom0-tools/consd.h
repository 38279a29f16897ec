/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console daemon's engine (as xenconsoled): finds domains whose
 * console/type is "xenconsoled", maps their ring, logs output to
 * <logdir>/guest-<name>.log and serves one client per domain on the unix
 * socket <rundir>/console-<domid>.sock (what `xl console` connects to).
 * A log reaching the domain's console/limit bytes is renamed <log>.old and
 * started afresh, so a chatty guest holds at most twice that on disk.
 * Not here: ring arithmetic (cons.c), the program's main (consoled.c).
 */
#ifndef DOM0_CONSD_H
#define DOM0_CONSD_H

#include <stdint.h>
#include "tk.h"

#define CONSD_MAX_DOMS 256
#define CONSD_LOG_LIMIT (1u << 20)  /* when console/limit is missing or bad */

struct consd_dom {
    uint32_t domid;
    int seen;
    void *ring;                 /* mapped xencons_interface */
    int log_fd, listen_fd, client_fd;
    int evtchn_port;            /* local port bound to the guest's, or -1 */
    int broken;                 /* ring corrupt: logged once, then ignored */
    uint64_t log_bytes, log_limit;  /* the log is rotated to <log>.old at the limit */
    char log_path[256];
};

struct consd {
    struct tk *tk;
    const char *logdir, *rundir;
    int evtchn_fd;              /* /dev/xen/evtchn, or -1: polling only */
    struct consd_dom doms[CONSD_MAX_DOMS];
};

void consd_init(struct consd *c, struct tk *tk, const char *logdir, const char *rundir);
/* Rescan the store: attach new consoles, drop those of vanished domains. */
void consd_scan(struct consd *c);
/* Move bytes between rings, logs and clients once; bytes moved. */
long consd_pump(struct consd *c);
void consd_fini(struct consd *c);
/* Create logdir and rundir with any missing parents (dom0's initramfs has
 * no /run). 0, or -1 with the reason in why. */
int consd_make_dirs(const char *logdir, const char *rundir, char *why, size_t len);
/* The socket path for domid. */
void consd_sock_path(const char *rundir, uint32_t domid, char *out, size_t len);

#endif
