/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Lifecycle monitor (see mon.h). Shutdown reasons come from getdomaininfo;
 * xenstored's @releaseDomain watch says when to look, a slow poll covers
 * daemons that cannot see the hypervisor.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mon.h"
#include "dom.h"
#include "dstore.h"
#include "hvc.h"
#include "errno.h"
#include "sched.h"
#include "xs_client.h"

#define POLL_MS 1000

static enum dcfg_action action_for(const struct dom_config *dc, unsigned int reason)
{
    switch (reason) {
    case SHUTDOWN_poweroff:
        return dc->on_poweroff;
    case SHUTDOWN_reboot:
    case SHUTDOWN_soft_reset:
        return dc->on_reboot;
    case SHUTDOWN_watchdog:
        return dc->on_watchdog;
    default:
        return dc->on_crash;
    }
}

static enum mon_state restart(struct tk *tk, struct dom_config *dc, uint32_t *domid,
                              int rename_old)
{
    struct build_result b;
    char keep[96];

    if (rename_old) {
        snprintf(keep, sizeof(keep), "%.60s--%u", dc->name, *domid);
        if (dstore_rename(tk, *domid, keep))
            return MON_ERROR;
    } else if (dom_destroy(tk, *domid)) {
        return MON_ERROR;
    }
    if (dom_create(tk, dc, &b)) {
        tk_prefix(tk, "restarting %s", dc->name);
        return MON_ERROR;
    }
    tk_warn(tk, "Domain %u (%s) restarted as domain %u", *domid, dc->name, b.domid);
    *domid = b.domid;
    return MON_RESTARTED;
}

enum mon_state mon_step(struct tk *tk, struct dom_config *dc, uint32_t *domid)
{
    struct xen_domctl_getdomaininfo info;
    long rc = hvc_getinfo(tk->hv, *domid, &info);
    unsigned int reason;
    enum dcfg_action a;

    if (rc == -XEN_ESRCH) {
        dstore_destroy(tk, *domid);
        return MON_DONE;        /* destroyed by someone else */
    }
    if (rc) {
        tk_hvfail(tk, "monitoring domain", rc);
        return MON_ERROR;
    }
    if (!(info.flags & XEN_DOMINF_shutdown) || (info.flags & XEN_DOMINF_dying))
        return MON_RUNNING;
    reason = (info.flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
    if (reason == SHUTDOWN_suspend)
        return MON_RUNNING;     /* a save in progress belongs to its tool */
    a = action_for(dc, reason);
    tk_warn(tk, "Domain %u (%s) has shut down, reason code %u (%s): action %s", *domid,
            dc->name, reason, dom_reason_name(reason), dcfg_action_name(a));
    switch (a) {
    case ACT_RESTART:
        return restart(tk, dc, domid, 0);
    case ACT_RENAME_RESTART:
        return restart(tk, dc, domid, 1);
    case ACT_PRESERVE:
        return MON_DONE;
    default:
        return dom_destroy(tk, *domid) ? MON_ERROR : MON_DONE;
    }
}

int mon_run(struct tk *tk, struct dom_config *dc, uint32_t domid)
{
    struct pollfd p = { xs_fileno(tk->xs), POLLIN, 0 };

    if (!xs_watch(tk->xs, "@releaseDomain", "mon"))
        return tk_fail(tk, "monitoring domain", "cannot watch @releaseDomain");
    for (;;) {
        char **ev;
        enum mon_state s;

        while ((ev = xs_check_watch(tk->xs)))
            free(ev);
        s = mon_step(tk, dc, &domid);
        if (s == MON_DONE)
            return 0;
        if (s == MON_ERROR)
            return -1;
        poll(&p, 1, POLL_MS);
    }
}
