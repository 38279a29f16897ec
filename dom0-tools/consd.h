/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The console daemon's engine (as xenconsoled): finds domains whose
 * console/type is "xenconsoled", maps their ring, logs output to
 * <logdir>/guest-<name>.log and serves one client per domain on the unix
 * socket <rundir>/console-<domid>.sock (what `xl console` connects to).
 * A log reaching the domain's console/limit bytes is renamed <log>.old and
 * started afresh, so a chatty guest holds at most twice that on disk.
 * The ring is mapped by grant (GNTTAB_RESERVED_CONSOLE), else by its gfn.
 * consd_step is one turn of the daemon's event loop: it sleeps in poll()
 * with no timeout unless something is pending.
 * Not here: ring arithmetic (cons.c), the program's main (consoled.c).
 */
#ifndef DOM0_CONSD_H
#define DOM0_CONSD_H

#include <poll.h>
#include <stdint.h>
#include "gnt.h"
#include "tk.h"

#define CONSD_MAX_DOMS 256
#define CONSD_LOG_LIMIT (1u << 20)  /* when console/limit is missing or bad */
#define CONSD_RETRY_MS  50          /* a client's input waits for room in the ring */
#define CONSD_POLL_MS   20          /* a console with no event channel is polled */
#define CONSD_NFDS      (2 + 2 * CONSD_MAX_DOMS)

struct consd_dom {
    uint32_t domid;
    int seen;
    void *ring;                 /* mapped xencons_interface */
    int by_grant;               /* ring mapped through c->gnt (grant_handle), else by gfn */
    uint64_t grant_handle;
    int in_waiting;             /* client bytes wait for room in a full input ring */
    int log_fd, listen_fd, client_fd;
    int evtchn_port;            /* local port bound to the guest's, or -1 */
    int broken;                 /* ring corrupt: logged once, then ignored */
    uint64_t log_bytes, log_limit;  /* the log is rotated to <log>.old at the limit */
    char log_path[256];
};

struct consd;

/* Event channels as the loop uses them: Linux's /dev/xen/evtchn by
 * default (consd_init), a test's stand-in otherwise. evtchn_fd is what
 * poll() watches for fired ports. */
struct consd_evtchn_ops {
    /* The local port bound to domid's remote_port, or -1 (errno). */
    int (*bind)(struct consd *c, uint32_t domid, uint32_t remote_port);
    void (*unbind)(struct consd *c, uint32_t port);
    void (*notify)(struct consd *c, uint32_t port);
    /* 1 with the next port that fired (unmasked again), 0 when none is left. */
    int (*next_fired)(struct consd *c, uint32_t *port);
};

struct consd {
    struct tk *tk;
    const char *logdir, *rundir;
    int evtchn_fd;              /* /dev/xen/evtchn, or -1: polling only */
    const struct consd_evtchn_ops *evtchn;
    struct gnt *gnt;            /* grant mapper (consd_fini closes it), or NULL: by gfn */
    /* poll(2) or a stand-in with its contract (tests; consoled's ppoll). */
    int (*poll)(struct pollfd *fds, nfds_t n, int timeout_ms);
    uint32_t watched[CONSD_MAX_DOMS];   /* unattached domains whose console/ we watch */
    unsigned int nwatched;
    struct consd_dom doms[CONSD_MAX_DOMS];
    struct pollfd pfd[CONSD_NFDS];      /* xenstore, evtchn, then listen+client per slot */
};

void consd_init(struct consd *c, struct tk *tk, const char *logdir, const char *rundir);
/* Watch @introduceDomain and @releaseDomain (the loop rescans on them);
 * 0, or -1 when xenstored refused. */
int consd_watch(struct consd *c);
/* Rescan the hypervisor's domains: watch each one's console/ directory,
 * attach new consoles, drop those of dying or vanished domains. */
void consd_scan(struct consd *c);
/* The timeout the next consd_step polls with: -1 (none) when idle. */
int consd_timeout(const struct consd *c);
/* Wait for one batch of events and handle it; 0, or -1 with errno from
 * c->poll (EINTR: a signal arrived). */
int consd_step(struct consd *c);
/* Move bytes between rings, logs and clients once; bytes moved. */
long consd_pump(struct consd *c);
void consd_fini(struct consd *c);
/* Create logdir and rundir with any missing parents (dom0's initramfs has
 * no /run). 0, or -1 with the reason in why. */
int consd_make_dirs(const char *logdir, const char *rundir, char *why, size_t len);
/* The socket path for domid. */
void consd_sock_path(const char *rundir, uint32_t domid, char *out, size_t len);

#endif
