/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for the wire parser and everything behind it: the input
 * is a byte stream from one client (dom0 or a guest, chosen by the first
 * byte), fed in chunks whose size the second byte picks, while a second
 * client watches the whole tree. Crashes and sanitizer reports are bugs;
 * error replies and disconnects are the expected answers to garbage.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "conn.h"
#include "domain.h"
#include "log.h"
#include "node.h"
#include "watch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct transport_ops fuzz_ops = { "fuzz", NULL };

static void drain(struct conn *c)
{
    uint32_t len;

    while (conn_out_peek(c, &len))
        conn_out_done(c, len);
}

static void reset(void)
{
    static const struct who dom0 = { 0, DOMID_NONE, true };

    xs_log_enable(0);
    conn_init();
    domain_init(NULL);
    watch_init();
    tree_init();
    node_init_special();
    domain_introduce(&dom0, 1, 0, 0);
    node_write(&dom0, NULL, "/local/domain/1", "", 0);
    node_set_perms(&dom0, NULL, "/local/domain/1", &(struct xs_perm){ 1, PERM_NONE }, 1);
}

/* CONTROL dump writes a file wherever the input says: keep the fuzzer off
 * the filesystem by renaming the command in every framed message. */
static void defuse(uint8_t *p, size_t size)
{
    for (size_t off = 0; off + 16 <= size;) {
        struct xsd_sockmsg h;

        memcpy(&h, p + off, sizeof(h));
        if (h.len > XENSTORE_PAYLOAD_MAX)
            return;
        if (h.type == XS_CONTROL && off + 16 + 4 <= size && !memcmp(p + off + 16, "dump", 4))
            p[off + 16] = 'D';
        off += 16 + (size_t)h.len;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[1 << 16];
    static unsigned runs;
    struct who w = { 0, DOMID_NONE, true };
    struct conn *c, *watcher;
    size_t chunk, off = 0;

    if (runs++ % 256 == 0)
        reset();
    if (size < 2)
        return 0;
    if (data[0] & 1)
        w = (struct who){ 1, DOMID_NONE, false };
    chunk = (size_t)data[1] + 1;
    size -= 2;
    if (size > sizeof(buf))
        size = sizeof(buf);
    memcpy(buf, data + 2, size);
    defuse(buf, size);
    data = buf;
    watcher = conn_create(&(struct who){ 0, DOMID_NONE, true }, &fuzz_ops, NULL);
    c = conn_create(&w, &fuzz_ops, NULL);
    if (!c || !watcher)
        return 0;
    watch_add(watcher, "/", "all", 0);
    while (off < size && !c->dead) {
        uint32_t room;
        char *space = conn_in_space(c, &room);
        size_t n = size - off < chunk ? size - off : chunk;

        if (n > room)
            n = room;
        if (!n) {
            drain(c);           /* a reader that keeps up */
            conn_process(c);
            if (!conn_in_space(c, &room) || !room)
                break;
            continue;
        }
        memcpy(space, data + off, n);
        off += n;
        conn_in_done(c, (uint32_t)n);
        drain(c);
        drain(watcher);
        conn_process(c);
    }
    conn_destroy(c);
    conn_destroy(watcher);
    return 0;
}
