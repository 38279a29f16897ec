/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain's xenstore presence: introducing it to xenstored, the entries
 * under /local/domain/N and /vm/<uuid> (as xl writes them), name lookups,
 * the control/shutdown request, and cleaning it all up again.
 */
#ifndef DOM0_DSTORE_H
#define DOM0_DSTORE_H

#include <stdint.h>
#include "build.h"
#include "dcfg.h"
#include "tk.h"

#define DSTORE_NO_DOMID 0xffffffffu

int dstore_create(struct tk *tk, const struct dom_config *dc, const struct build_result *b);
/* Remove the entries, release the domain in xenstored (missing parts are fine). */
int dstore_destroy(struct tk *tk, uint32_t domid);
/* The domid named name (or a number), DSTORE_NO_DOMID if none. */
uint32_t dstore_lookup(struct tk *tk, const char *name);
/* name of domid, malloc'd; NULL if unknown (dom0: "Domain-0"). */
char *dstore_name(struct tk *tk, uint32_t domid);
int dstore_rename(struct tk *tk, uint32_t domid, const char *name);
/* Write control/shutdown = what ("poweroff", "reboot"). */
int dstore_request(struct tk *tk, uint32_t domid, const char *what);

#endif
