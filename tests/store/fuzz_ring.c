/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for a guest's shared ring: the input is a script of what
 * a hostile guest does to its page (write request bytes, set any of the
 * four indices to anything, read replies, kick the event channel) while
 * dom0 changes a node the guest watches. Crashes and sanitizer reports are
 * bugs, and so is a connection that is still served after an event while
 * its indices are more than a ring apart.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "transport.h"
#include "watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct xenstore_domain_interface page;
static const struct who dom0 = { 0, DOMID_NONE, true };

static void *fz_map(uint16_t domid, uint64_t gfn) { return &page; }
static void fz_unmap(void *p) { }
static int fz_bind(uint16_t domid, uint32_t port) { return 5; }
static void fz_unbind(int port) { }
static void fz_notify(int port) { }

static const struct ring_backend fz_backend = {
    fz_map, fz_unmap, fz_bind, fz_unbind, fz_notify, NULL,
};

static void reset(void)
{
    xs_log_enable(0);
    domain_init(&fz_backend);   /* first: it frees the domains' connections */
    conn_init();
    watch_init();
    tree_init();
    node_init_special();
    memset(&page, 0, sizeof(page));
    domain_introduce(&dom0, 1, 1, 1);
    node_write(&dom0, NULL, "/local/domain/1", "", 0);
    node_set_perms(&dom0, NULL, "/local/domain/1", &(struct xs_perm){ 1, PERM_NONE }, 1);
}

static uint32_t get32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* Our own indices after serving: never more than a ring apart. */
static void check_served(void)
{
    struct conn *c = domain_conn(1);

    if (!c || c->dead)
        return;
    if (!ring_indices_ok(page.req_cons, page.req_prod) ||
        !ring_indices_ok(page.rsp_cons, page.rsp_prod))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned runs;
    size_t off = 0;

    if (runs++ % 64 == 0 || !domain_conn(1) || domain_conn(1)->dead)
        reset();
    while (off < size) {
        uint8_t op = data[off++];
        uint32_t n;

        switch (op % 8) {
        case 0:     /* request bytes at req_prod, as many as the script has */
            n = off < size ? data[off++] : 0;
            for (uint32_t i = 0; i < n && off < size; i++)
                page.req[MASK_XENSTORE_IDX(page.req_prod++)] = (char)data[off++];
            break;
        case 1: case 2: case 3: case 4:     /* any index to any value */
            if (size - off < 4)
                return 0;
            n = get32(data + off);
            off += 4;
            *(op % 8 == 1 ? &page.req_prod : op % 8 == 2 ? &page.req_cons :
              op % 8 == 3 ? &page.rsp_cons : &page.rsp_prod) = n;
            break;
        case 5:     /* the guest reads every reply */
            page.rsp_cons = page.rsp_prod;
            break;
        case 6:
            domain_ring_event(5);
            check_served();
            break;
        case 7:     /* dom0 makes an event for any watch the guest set */
            node_write(&dom0, NULL, "/local/domain/1/w", "x", 1);
            break;
        }
    }
    domain_ring_event(5);
    check_served();
    return 0;
}
