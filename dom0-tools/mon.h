/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-domain lifecycle monitor (as xl's child process): waits for the
 * domain to shut down and applies on_poweroff/on_reboot/on_crash/
 * on_watchdog: destroy, restart, rename-restart or preserve.
 */
#ifndef DOM0_MON_H
#define DOM0_MON_H

#include <stdint.h>
#include "dcfg.h"
#include "tk.h"

enum mon_state { MON_RUNNING, MON_RESTARTED, MON_DONE, MON_ERROR };

/* Look at the domain once and act on a shutdown. *domid follows restarts. */
enum mon_state mon_step(struct tk *tk, struct dom_config *dc, uint32_t *domid);
/* Loop on @releaseDomain watch events (and a 1 s poll) until MON_DONE. */
int mon_run(struct tk *tk, struct dom_config *dc, uint32_t domid);

#endif
