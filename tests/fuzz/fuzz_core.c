/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The core fuzzing engine: throws random hypercalls with random
 * (but often plausible) arguments from several domains at the dispatch
 * table, lets guests scribble on their own memory (grant entries, shared
 * info), churns domains through domctl. After every call: no crash
 * (ASan/UBSan), no lock held, frame accounting sane; every --check-every
 * calls (default 1) the full walk: isolation of every guest-physical map,
 * reference counts, page accounting (mapped RAM <= tot_pages <= the largest
 * max_mem the domain ever had); at the end no leak once every domain is
 * destroyed.
 *
 * Randomness comes from a seeded generator (fuzz_main.c) or from libFuzzer's
 * bytes (fuzz_libfuzzer.c); see fuzz_core.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_core.h"
#include "env_host.h"
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "memory.h"
#include "mm.h"
#include "schedule.h"
#include "platform.h"
#include "sysctl.h"

#define NDOMS       6           /* domids 0..5 are in play; 0 is the control domain */
#define SCRATCH_PAGES 8         /* guest pages used for arguments */
#define MAX_MFN     (1u << 14)   /* host mfns are small; larger ones are not counted */

static uint64_t rng;
static const uint8_t *bytes;
static size_t nbytes;
static uint64_t ok_calls[64][16], all_calls[64];

static uint64_t xorshift(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dULL;
}

/* libFuzzer's input, 8 bytes a draw; zeros once it is used up. */
static uint64_t from_bytes(void)
{
    uint64_t v = 0;
    size_t n = nbytes < 8 ? nbytes : 8;

    memcpy(&v, bytes, n);
    bytes += n;
    nbytes -= n;
    return v;
}

static uint64_t (*source)(void) = xorshift;

static uint64_t rnd(void)
{
    return source();
}

void fuzz_seed(uint64_t seed)
{
    rng = seed * 0x9e3779b97f4a7c15ULL + 1;
    source = xorshift;
}

void fuzz_bytes(const uint8_t *data, size_t len)
{
    bytes = data;
    nbytes = len;
    source = from_bytes;
}

bool fuzz_bytes_left(void)
{
    return nbytes != 0;
}

static uint64_t below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

static guest_addr_t scratch(unsigned int page, unsigned int off)
{
    return ((guest_addr_t)(TEST_RAM_GFN + page) << 12) + off;
}

/* A value a field might plausibly hold, or garbage. */
static uint64_t interesting(void)
{
    uint64_t gfn = below(2) ? TEST_RAM_GFN + below(TEST_RAM_PAGES + 4) : 0x4000 + below(16);

    switch (below(15)) {
    case 14: return below(16) | ((uint64_t)XEN_SYSCTL_INTERFACE_VERSION << 32);  /* cmd, version */
    case 0: return below(8);
    case 1: return DOMID_SELF;
    case 2: return below(NDOMS);
    case 3: return gfn;
    case 4: return scratch(below(SCRATCH_PAGES), below(64) * 8);
    case 5: return ~0ULL;
    case 6: return rnd();
    case 7: return XEN_DOMCTL_INTERFACE_VERSION | ((uint64_t)below(NDOMS) << 32);
    case 8: /* a v1 grant entry: flags | domid << 16 | frame << 32 */
        return (below(4) | (below(NDOMS) << 16)) | (gfn << 32);
    case 9: return below(64);
    case 10: return 1ULL << below(64);
    case 11: return below(4096);
    case 12: return TEST_BAD_GADDR;
    default: return below(0x10000);
    }
}

static void fill(struct domain *d, guest_addr_t a, size_t words)
{
    for (size_t i = 0; i < words; i++) {
        uint64_t w = interesting();

        env_copy_to_guest(d->vcpus[0], a + i * 8, &w, 8);
    }
}

static guest_addr_t arg_addr(struct domain *d)
{
    unsigned int page = below(SCRATCH_PAGES);

    switch (below(20)) {
    case 0: return TEST_BAD_GADDR;
    case 1: return 0;
    case 2: return scratch(page, 4096 - 8 * (1 + below(4)));   /* straddles a page */
    default:
        fill(d, scratch(page, 0), 64);
        return scratch(page, 0);
    }
}

static const unsigned int hypercalls[] = {
    __HYPERVISOR_memory_op, __HYPERVISOR_grant_table_op, __HYPERVISOR_event_channel_op,
    __HYPERVISOR_sched_op, __HYPERVISOR_vcpu_op, __HYPERVISOR_xen_version,
    __HYPERVISOR_hvm_op, __HYPERVISOR_domctl, __HYPERVISOR_sysctl, __HYPERVISOR_set_timer_op,
    __HYPERVISOR_platform_op,
};

static uint64_t command(unsigned int nr)
{
    if (nr == __HYPERVISOR_sched_op && below(4) == 0)
        return 1 + below(1);    /* SCHEDOP_block is rare: it parks the caller */
    if (nr == __HYPERVISOR_memory_op && below(8) == 0)
        return below(4) | (below(4) << 6);     /* continuation start extents */
    return below(4) ? below(16) : (below(2) ? below(64) : rnd());
}

/* --stats: which (hypercall, command) pairs succeeded how often. */
static void count(unsigned int nr, uint64_t cmd, long rc)
{
    if (nr >= 64)
        return;
    all_calls[nr]++;
    if (rc >= 0 && cmd < 16)
        ok_calls[nr][cmd]++;
}

void fuzz_print_stats(void)
{
    for (unsigned int nr = 0; nr < 64; nr++) {
        if (!all_calls[nr])
            continue;
        fprintf(stderr, "hypercall %2u: %8llu calls, ok by cmd:", nr,
                (unsigned long long)all_calls[nr]);
        for (unsigned int c = 0; c < 16; c++)
            fprintf(stderr, " %llu", (unsigned long long)ok_calls[nr][c]);
        fprintf(stderr, "\n");
    }
}

static void domctl_call(struct domain *ctl)
{
    struct xen_domctl op;
    guest_addr_t a = scratch(below(SCRATCH_PAGES), 0);
    static const uint32_t cmds[] = {
        XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain,
        XEN_DOMCTL_unpausedomain, XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem,
        XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext, XEN_DOMCTL_getvcpuinfo,
        XEN_DOMCTL_max_vcpus, XEN_DOMCTL_scheduler_op, XEN_DOMCTL_settimeoffset,
        XEN_DOMCTL_setdomainhandle, XEN_DOMCTL_resumedomain, 99,
    };
    uint64_t args[HYPERCALL_NR_ARGS] = { a };

    fill(ctl, a, sizeof(op) / 8);
    env_copy_from_guest(ctl->vcpus[0], &op, a, sizeof(op));
    op.cmd = cmds[below(sizeof(cmds) / sizeof(cmds[0]))];
    if (below(8))
        op.interface_version = XEN_DOMCTL_INTERFACE_VERSION;
    op.domain = below(8) ? below(NDOMS) : interesting();
    if (op.cmd == XEN_DOMCTL_createdomain && below(2)) {
        op.u.createdomain = (struct xen_domctl_createdomain){
            .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap, .max_vcpus = 1 + below(3),
            .max_evtchn_port = below(256), .max_grant_frames = (int32_t)below(5) - 1,
            .max_maptrack_frames = (int32_t)below(5) - 1, .grant_opts = 1,
            .arch.emulation_flags = XEN_X86_EMU_LAPIC,
        };
    }
    env_copy_to_guest(ctl->vcpus[0], a, &op, sizeof(op));
    count(__HYPERVISOR_domctl, op.cmd, hypercall_dispatch(ctl->vcpus[0], __HYPERVISOR_domctl, args));
}

static void sysctl_call(struct domain *ctl)
{
    struct xen_sysctl op = { .cmd = below(2) ? XEN_SYSCTL_getdomaininfolist : below(16),
                             .interface_version = XEN_SYSCTL_INTERFACE_VERSION };
    guest_addr_t a = scratch(0, 0);
    uint64_t args[HYPERCALL_NR_ARGS] = { a };

    op.u.getdomaininfolist.first_domain = below(NDOMS);
    op.u.getdomaininfolist.max_domains = below(8);
    set_xen_guest_handle(op.u.getdomaininfolist.buffer,
                         (xen_domctl_getdomaininfo_t *)(uintptr_t)interesting());
    env_copy_to_guest(ctl->vcpus[0], a, &op, sizeof(op));
    count(__HYPERVISOR_sysctl, op.cmd, hypercall_dispatch(ctl->vcpus[0], __HYPERVISOR_sysctl, args));
}

/* A platform_op that gets past the version check most of the time: the
 * commands dom0 uses, with CPU numbers and times around the edges. */
static void platform_call(struct domain *ctl)
{
    static const uint32_t cmds[] = { XENPF_get_cpuinfo, XENPF_get_cpu_version,
                                     XENPF_settime32, XENPF_settime64, XENPF_getidletime };
    struct xen_platform_op op = {
        .cmd = below(8) ? cmds[below(sizeof(cmds) / sizeof(cmds[0]))] : below(70),
        .interface_version = below(8) ? XENPF_INTERFACE_VERSION : (uint32_t)interesting() };
    guest_addr_t a = below(8) ? scratch(0, 0) : interesting();
    uint64_t args[HYPERCALL_NR_ARGS] = { a };

    for (unsigned int i = 0; i < sizeof(op.u.pad); i += 8) {
        uint64_t x = below(2) ? below(4) : interesting();

        memcpy(op.u.pad + i, &x, 8);
    }
    env_copy_to_guest(ctl->vcpus[0], scratch(0, 0), &op, sizeof(op));
    count(__HYPERVISOR_platform_op, op.cmd,
          hypercall_dispatch(ctl->vcpus[0], __HYPERVISOR_platform_op, args));
}

static domid_t some_domid(void)
{
    return below(2) ? DOMID_SELF : (domid_t)(below(8) ? below(NDOMS) : interesting());
}

/* Where the fuzzer places shared_info and grant frames most often. */
static uint64_t special_gfn(void)
{
    return 0x4000 + below(16);
}

/* A well-formed memory_op argument with plausible fields; its command. */
static unsigned int memory_call(struct domain *d, guest_addr_t a)
{
    static const unsigned int cmds[] = {
        XENMEM_populate_physmap, XENMEM_decrease_reservation, XENMEM_add_to_physmap,
        XENMEM_add_to_physmap_batch, XENMEM_remove_from_physmap,
    };
    unsigned int cmd = cmds[below(5)];
    guest_addr_t list = scratch(SCRATCH_PAGES - 1, 0);
    union {
        struct xen_memory_reservation r;
        struct xen_add_to_physmap x;
        struct xen_add_to_physmap_batch b;
        struct xen_remove_from_physmap rm;
    } u;

    memset(&u, 0, sizeof(u));
    fill(d, list, 16);
    switch (cmd) {
    case XENMEM_populate_physmap:
    case XENMEM_decrease_reservation:
        u.r = (struct xen_memory_reservation){ .nr_extents = below(5),
                                               .extent_order = below(4) ? 0 : below(12),
                                               .domid = some_domid() };
        set_xen_guest_handle(u.r.extent_start, (xen_pfn_t *)(uintptr_t)list);
        break;
    case XENMEM_add_to_physmap:
        u.x = (struct xen_add_to_physmap){ .domid = some_domid(), .size = below(4),
                                           .space = below(5), .idx = below(2) ? below(6) : interesting(),
                                           .gpfn = below(2) ? interesting() : special_gfn() };
        break;
    case XENMEM_add_to_physmap_batch:
        u.b = (struct xen_add_to_physmap_batch){ .domid = some_domid(), .space = below(8) ? 4 : below(6),
                                                 .size = below(5), .u.foreign_domid = some_domid() };
        /* Often the gfns special pages land at: the control domain's map of a
         * domU's grant frame (the toolstack's grant seeding). */
        for (unsigned int i = 0; i < 5 && below(2); i++) {
            uint64_t g = special_gfn();

            env_copy_to_guest(d->vcpus[0], list + i * 8, &g, 8);
        }
        set_xen_guest_handle(u.b.idxs, (xen_ulong_t *)(uintptr_t)list);
        set_xen_guest_handle(u.b.gpfns, (xen_pfn_t *)(uintptr_t)(list + 64));
        set_xen_guest_handle(u.b.errs, (int *)(uintptr_t)(list + 128));
        break;
    default:
        u.rm = (struct xen_remove_from_physmap){ .domid = some_domid(), .gpfn = interesting() };
        break;
    }
    env_copy_to_guest(d->vcpus[0], a, &u, sizeof(u));
    return cmd;
}

static void one_call(struct domain *d)
{
    struct vcpu *v = d->vcpus[below(d->max_vcpus)];
    unsigned int nr = below(16) ? hypercalls[below(sizeof(hypercalls) / sizeof(hypercalls[0]))]
                                : (unsigned int)below(70);
    uint64_t args[HYPERCALL_NR_ARGS];

    if (nr == __HYPERVISOR_domctl && d->is_privileged && below(4)) {
        domctl_call(d);
        return;
    }
    if (nr == __HYPERVISOR_sysctl && d->is_privileged && below(2)) {
        sysctl_call(d);
        return;
    }
    if (nr == __HYPERVISOR_platform_op && d->is_privileged && below(2)) {
        platform_call(d);
        return;
    }
    args[0] = command(nr);
    args[1] = arg_addr(d);
    if (nr == __HYPERVISOR_memory_op && below(2)) {
        args[1] = scratch(below(SCRATCH_PAGES - 1), 0);
        args[0] = memory_call(d, args[1]);
    }
    args[2] = below(4) ? below(4) : interesting();
    if (nr == __HYPERVISOR_vcpu_op) {
        args[2] = args[1];
        args[1] = below(4);
    }
    args[3] = args[4] = args[5] = rnd();
    count(nr, args[0], hypercall_dispatch(v, nr, args));
}

/*
 * One step of the toolstack's grant seeding, in any order and interleaved
 * with everything else (deaths included): the control domain puts a domU's
 * grant frame in the domU's physmap, maps it foreign, removes either.
 * Random memory_ops almost never line these up.
 */
static void seed_call(struct domain *ctl)
{
    struct vcpu *v = ctl->vcpus[0];
    domid_t u = (domid_t)(1 + below(NDOMS - 1));
    guest_addr_t a = scratch(SCRATCH_PAGES - 1, 0), list = a + 512;
    uint64_t args[HYPERCALL_NR_ARGS] = { XENMEM_add_to_physmap, a };
    uint64_t ent[2] = { special_gfn(), 0x4010 + below(16) };
    union {
        struct xen_add_to_physmap x;
        struct xen_add_to_physmap_batch b;
        struct xen_remove_from_physmap rm;
    } op;

    memset(&op, 0, sizeof(op));
    switch (below(3)) {
    case 0:
        op.x = (struct xen_add_to_physmap){ .domid = u, .space = XENMAPSPACE_grant_table,
                                            .idx = below(3), .gpfn = ent[0] };
        break;
    case 1:
        args[0] = XENMEM_add_to_physmap_batch;
        op.b = (struct xen_add_to_physmap_batch){ .domid = DOMID_SELF, .size = 1,
                                                  .space = XENMAPSPACE_gmfn_foreign,
                                                  .u.foreign_domid = u };
        set_xen_guest_handle(op.b.idxs, (xen_ulong_t *)(uintptr_t)list);
        set_xen_guest_handle(op.b.gpfns, (xen_pfn_t *)(uintptr_t)(list + 8));
        set_xen_guest_handle(op.b.errs, (int *)(uintptr_t)(list + 16));
        break;
    default:
        args[0] = XENMEM_remove_from_physmap;
        op.rm = below(2) ? (struct xen_remove_from_physmap){ .domid = u, .gpfn = ent[0] }
                         : (struct xen_remove_from_physmap){ .domid = DOMID_SELF,
                                                             .gpfn = ent[1] };
        break;
    }
    env_copy_to_guest(v, list, ent, sizeof(ent));
    env_copy_to_guest(v, a, &op, sizeof(op));
    count(__HYPERVISOR_memory_op, args[0], hypercall_dispatch(v, __HYPERVISOR_memory_op, args));
}

/* A guest writes its own memory: grant entries, shared_info bits, anything. */
static void guest_scribble(struct domain *d)
{
    uint64_t gfn = below(2) ? TEST_RAM_GFN + below(TEST_RAM_PAGES) : 0x4000 + below(16);

    fill(d, (gfn << 12) + below(512) * 8, 1 + below(8));
}

/* What the arch does between calls: scheduling decisions and timer expiry. */
static void sched_step(uint64_t now)
{
    struct domain *d = domain_get(below(NDOMS));
    uint64_t slice;

    env_host_set_now(now);
    schedule_next(below(schedule_ncpus()), now, &slice);
    if (d) {
        vcpu_timer_run(d->vcpus[below(d->max_vcpus)], now);
        domain_put(d);
    }
}

/* ---- invariants ---- */

struct walk {
    struct domain *d;
    const char *bad;
    uint64_t ram;
};

static uint32_t refs_seen[MAX_MFN];

static void check_entry(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind)
{
    struct walk *w = ctx;
    struct domain *owner = mm_frame_owner(mfn);

    if (mfn < MAX_MFN)
        refs_seen[mfn]++;
    switch (kind) {
    case MM_RAM:
        w->ram++;
        /* fall through */
    case MM_SHARED_INFO:
        if (owner != w->d)
            w->bad = "a RAM/shared_info entry maps a frame the domain does not own";
        break;
    case MM_FOREIGN_PRIV:
        if (!w->d->is_privileged)
            w->bad = "a foreign mapping in an unprivileged domain";
        /* A grant frame whose table went with its domain is ownerless. */
        if (owner == w->d || (!owner && mm_frame_kind(mfn) != MM_GRANT_FRAME))
            w->bad = "a foreign mapping of an unowned or own frame";
        if (mm_frame_kind(mfn) != MM_RAM && mm_frame_kind(mfn) != MM_GRANT_FRAME)
            w->bad = "a foreign mapping of neither RAM nor a grant frame";
        break;
    case MM_FOREIGN_GRANT:
        if (!owner)     /* mapping one's own grant is allowed, as in Xen */
            w->bad = "a grant mapping of an unowned frame";
        break;
    case MM_GRANT_FRAME:
        if (owner != w->d || mm_frame_kind(mfn) != MM_GRANT_FRAME)
            w->bad = "a grant-frame entry maps a frame that is not one of the domain's";
        break;
    }
}

/*
 * max_mem may be lowered below the pages a domain has (Xen lets it ratchet
 * down), so the bound is the largest max_mem it ever had. Sampled after
 * every call: only a hypercall changes it.
 */
static struct { struct domain *d; uint64_t max; } max_seen[NDOMS];

static void note_max_mem(void)
{
    for (domid_t id = 0; id < NDOMS; id++) {
        struct domain *d = domain_get_any(id);

        if (!d)
            continue;
        if (max_seen[id].d != d)
            max_seen[id].d = d, max_seen[id].max = 0;
        if (mm_max_pages(d) > max_seen[id].max)
            max_seen[id].max = mm_max_pages(d);
        domain_put(d);
    }
}

static uint64_t max_ever(struct domain *d)
{
    return max_seen[d->domid].d == d ? max_seen[d->domid].max : ~0ULL;
}

static const char *check_domain(struct domain *d)
{
    struct walk w = { .d = d };

    mm_walk(d, check_entry, &w);
    if (w.bad)
        return w.bad;
    if (w.ram > mm_tot_pages(d))
        return "more RAM mapped than the domain's page count";
    if (mm_tot_pages(d) > max_ever(d))
        return "more pages than max_mem ever allowed";
    return NULL;
}

static void check_refs(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind)
{
    const char **bad = ctx;

    if (kind != MM_SHARED_INFO && mfn < MAX_MFN &&
        mm_frame_refs(mfn) < refs_seen[mfn])
        *bad = "a frame has fewer references than mappings";
}

/* After every call: nothing left locked, accounting consistent. */
static const char *check_cheap(void)
{
    if (env_host_locks_held())
        return "a lock is still held after a hypercall";
    if (mm_frames_in_use() > env_host_frames())
        return "the frame table counts more frames than exist";
    if (domain_count() > NDOMS + 64)
        return "domains pile up";
    return NULL;
}

/* Every check_every calls: walk every guest-physical map. */
static const char *check_all(void)
{
    const char *bad = check_cheap();

    if (bad)
        return bad;
    memset(refs_seen, 0, sizeof(refs_seen));
    for (domid_t id = 0; id < NDOMS && !bad; id++) {
        struct domain *d = domain_get_any(id);

        if (d) {
            bad = check_domain(d);
            domain_put(d);
        }
    }
    for (domid_t id = 0; id < NDOMS && !bad; id++) {
        struct domain *d = domain_get_any(id);

        if (d) {
            mm_walk(d, check_refs, &bad);
            domain_put(d);
        }
    }
    return bad;
}

static void kill_all(void)
{
    for (domid_t id = 0; id < DOMID_FIRST_RESERVED; id++) {
        struct domain *d = domain_get_any(id);

        if (d) {
            domain_kill(d);
            domain_put(d);
        }
    }
}

void fuzz_world_start(void)
{
    memset(max_seen, 0, sizeof(max_seen));
    schedule_init(&sched_credit, 2);
    test_domain(0, true, 2);
    for (domid_t id = 1; id < 4; id++)
        test_domain(id, false, 1 + id % 2);
}

const char *fuzz_step(uint64_t i, uint64_t check_every)
{
    struct domain *d = domain_get(below(NDOMS));

    if (d) {
        if (below(8) == 0)
            guest_scribble(d);
        else
            one_call(d);
        domain_put(d);
    }
    if (below(16) == 0)
        sched_step(i * 100000);
    if (below(16) == 0 && (d = domain_get(0))) {
        seed_call(d);
        domain_put(d);
    }
    note_max_mem();
    return check_every && i % check_every == 0 ? check_all() : check_cheap();
}

const char *fuzz_world_end(void)
{
    const char *bad = check_all();

    if (bad)
        return bad;
    kill_all();
    if (!test_no_leaks())
        return "resources left after every domain was destroyed";
    return NULL;
}
