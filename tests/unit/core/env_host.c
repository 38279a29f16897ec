/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * env.h on the host: calloc-backed allocations and 4 KiB frames with leak
 * counters and failure injection, guest memory through the domain's p2m,
 * a fake clock, kick counters, a log ring, and a lock-order checker that
 * aborts on recursion, inversion or unlocking a lock not held.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env_host.h"
#include "errno.h"
#include "domctl.h"
#include "mm.h"
#include "schedule.h"

#define PAGE_SIZE 4096
#define MAX_HELD 64
#define LOG_LINES 64

static uint64_t live_allocs, live_frames;
static long fail_alloc_at = -1, fail_frame_at = -1;

void env_host_fail_alloc_after(long n) { fail_alloc_at = n; }
void env_host_fail_frame_after(long n) { fail_frame_at = n; }
uint64_t env_host_allocs(void) { return live_allocs; }
uint64_t env_host_frames(void) { return live_frames; }

static bool inject(long *at)
{
    if (*at < 0)
        return false;
    return (*at)-- == 0;
}

void *env_zalloc(size_t size)
{
    void *p;

    if (inject(&fail_alloc_at))
        return NULL;
    p = calloc(1, size ? size : 1);
    if (p)
        live_allocs++;
    return p;
}

void env_free(void *p)
{
    if (!p)
        return;
    live_allocs--;
    free(p);
}

/* ---- frames: mfn = index into a growing table ---- */

static void **frames;
static size_t nr_slots;
static mfn_t free_hint;

/* Slots [mfn, mfn + n) get junk-filled pages: core must clear what guests see. */
static bool fill_slots(mfn_t mfn, uint64_t n)
{
    for (uint64_t k = 0; k < n; k++) {
        frames[mfn + k] = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
        if (!frames[mfn + k]) {
            while (k--) {
                free(frames[mfn + k]);
                frames[mfn + k] = NULL;
            }
            return false;
        }
        memset(frames[mfn + k], 0xa5, PAGE_SIZE);
    }
    live_frames += n;
    return true;
}

static bool grow_slots(void)
{
    size_t n = nr_slots ? nr_slots * 2 : 1024;
    void **grown = realloc(frames, n * sizeof(*frames));

    if (!grown)
        return false;
    memset(grown + nr_slots, 0, (n - nr_slots) * sizeof(*frames));
    frames = grown;
    nr_slots = n;
    return true;
}

mfn_t env_frame_alloc(void)
{
    mfn_t mfn;

    if (inject(&fail_frame_at))
        return MFN_INVALID;
    for (mfn = free_hint; mfn < nr_slots && frames[mfn]; mfn++)
        ;
    if (mfn == nr_slots && !grow_slots())
        return MFN_INVALID;
    if (!fill_slots(mfn, 1))
        return MFN_INVALID;
    free_hint = mfn + 1;
    return mfn;
}

/* The first aligned run of 2^order free slots, the table grown to hold one;
 * env_host_fail_frame_after counts it as one allocation. */
mfn_t env_frames_alloc(unsigned int order)
{
    uint64_t n = 1ull << order;

    if (inject(&fail_frame_at))
        return MFN_INVALID;
    for (;;) {
        for (mfn_t mfn = 0; mfn + n <= nr_slots; mfn += n) {
            uint64_t k = 0;

            while (k < n && !frames[mfn + k])
                k++;
            if (k == n)
                return fill_slots(mfn, n) ? mfn : MFN_INVALID;
        }
        if (!grow_slots())
            return MFN_INVALID;
    }
}

static void *frame_or_die(mfn_t mfn)
{
    if (mfn >= nr_slots || !frames[mfn]) {
        fprintf(stderr, "env_host: frame %#llx is not allocated\n", (unsigned long long)mfn);
        abort();
    }
    return frames[mfn];
}

void env_frame_free(mfn_t mfn)
{
    free(frame_or_die(mfn));
    frames[mfn] = NULL;
    if (mfn < free_hint)
        free_hint = mfn;
    live_frames--;
}

void *env_frame_va(mfn_t mfn)
{
    return frame_or_die(mfn);
}

/* ---- guest memory: guest-physical addresses through the p2m ---- */

static int guest_copy(struct vcpu *v, guest_addr_t a, void *buf, size_t len, bool write)
{
    while (len) {
        size_t off = a & (PAGE_SIZE - 1), n = PAGE_SIZE - off;
        mfn_t mfn;
        char *va;

        if (n > len)
            n = len;
        if (a + n < a || mm_translate(v->domain, a >> 12, write, &mfn))
            return -XEN_EFAULT;
        va = (char *)env_frame_va(mfn) + off;
        if (write)
            memcpy(va, buf, n);
        else
            memcpy(buf, va, n);
        a += n;
        buf = (char *)buf + n;
        len -= n;
    }
    return 0;
}

int env_copy_from_guest(struct vcpu *v, void *dst, guest_addr_t src, size_t len)
{
    return guest_copy(v, src, dst, len, false);
}

int env_copy_to_guest(struct vcpu *v, guest_addr_t dst, const void *src, size_t len)
{
    return guest_copy(v, dst, (void *)src, len, true);
}

/* ---- locks with order checking ---- */

static struct env_lock *held[MAX_HELD];
static int nr_held;

static void lock_die(const char *what, struct env_lock *l, struct env_lock *other)
{
    fprintf(stderr, "env_host: lock %s: %s (rank %d)%s%s%s\n", what, l->name, l->order,
            other ? " while holding " : "", other ? other->name : "", other ? "" : "");
    abort();
}

int env_host_locks_held(void)
{
    return nr_held;
}

void env_lock_init(struct env_lock *l, int order, const char *name)
{
    l->held = 0;
    l->order = order;
    l->name = name;
}

void env_lock(struct env_lock *l)
{
    if (l->held)
        lock_die("recursion", l, NULL);
    for (int i = 0; i < nr_held; i++)
        if (held[i]->order > l->order)
            lock_die("order inversion", l, held[i]);
    if (nr_held == MAX_HELD)
        lock_die("too many held", l, NULL);
    held[nr_held++] = l;
    l->held = 1;
}

void env_unlock(struct env_lock *l)
{
    int i;

    for (i = nr_held - 1; i >= 0 && held[i] != l; i--)
        ;
    if (i < 0 || !l->held)
        lock_die("unlock of a lock not held", l, NULL);
    memmove(&held[i], &held[i + 1], (nr_held - i - 1) * sizeof(held[0]));
    nr_held--;
    l->held = 0;
}

/* ---- clock, kicks, log ---- */

static uint64_t now_ns;

void env_host_set_now(uint64_t ns) { now_ns = ns; }
uint64_t env_now_ns(void) { return now_ns; }

#define KICK_SLOTS 256
static struct { struct vcpu *v; unsigned int n; } kicks[KICK_SLOTS];

void env_vcpu_kick(struct vcpu *v)
{
    unsigned int i;

    for (i = 0; i < KICK_SLOTS && kicks[i].v && kicks[i].v != v; i++)
        ;
    if (i < KICK_SLOTS) {
        kicks[i].v = v;
        kicks[i].n++;
    }
    /* As the hypervisor's kick does: an event wakes a blocked vCPU. */
    schedule_wake(v);
}

unsigned int env_host_kicks(struct vcpu *v)
{
    for (unsigned int i = 0; i < KICK_SLOTS && kicks[i].v; i++)
        if (kicks[i].v == v)
            return kicks[i].n;
    return 0;
}

/* ---- p2m changes and continuations ---- */

#define P2M_RING 64
static struct { domid_t domid; uint64_t gfn, nr; } p2m_ring[P2M_RING];
static unsigned int p2m_count;

void env_p2m_changed(struct domain *d, uint64_t gfn, uint64_t nr)
{
    if (!nr) {
        fprintf(stderr, "env_p2m_changed: d%u gfn %#llx: empty change\n", d->domid,
                (unsigned long long)gfn);
        abort();
    }
    p2m_ring[p2m_count % P2M_RING].domid = d->domid;
    p2m_ring[p2m_count % P2M_RING].gfn = gfn;
    p2m_ring[p2m_count % P2M_RING].nr = nr;
    p2m_count++;
}

unsigned int env_host_p2m_changes(void) { return p2m_count; }
void env_host_p2m_clear(void) { p2m_count = 0; }

bool env_host_p2m_changed(domid_t domid, uint64_t gfn)
{
    unsigned int n = p2m_count < P2M_RING ? p2m_count : P2M_RING;

    for (unsigned int i = 0; i < n; i++)
        if (p2m_ring[i].domid == domid && gfn - p2m_ring[i].gfn < p2m_ring[i].nr)
            return true;
    return false;
}

static bool preempt_on = true;
static bool cont_pending;
static unsigned int cont_arg;
static uint64_t cont_val;
static unsigned int cont_count;

void env_host_preempt(bool on) { preempt_on = on; }

/* As the hypervisor does: every request is granted (when on); the test
 * re-executes the call with the updated argument. */
bool env_hypercall_preempt(struct vcpu *v, unsigned int arg, uint64_t val)
{
    if (!preempt_on)
        return false;
    cont_pending = true;        /* a caller that never re-executes drops it */
    cont_arg = arg;
    cont_val = val;
    cont_count++;
    return true;
}

bool env_host_continuation(unsigned int *arg, uint64_t *val)
{
    if (!cont_pending)
        return false;
    cont_pending = false;
    *arg = cont_arg;
    *val = cont_val;
    return true;
}

unsigned int env_host_continuations(void) { return cont_count; }

static char log_ring[LOG_LINES][256];
static unsigned int log_next;

void env_log(int level, const char *fmt, ...)
{
    char *line = log_ring[log_next++ % LOG_LINES];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(log_ring[0]), fmt, ap);
    va_end(ap);
    if (getenv("CORE_LOG"))
        fprintf(stderr, "[%d] %s\n", level, line);
}

bool env_host_log_has(const char *needle)
{
    for (unsigned int i = 0; i < LOG_LINES; i++)
        if (strstr(log_ring[i], needle))
            return true;
    return false;
}

void env_host_log_clear(void)
{
    memset(log_ring, 0, sizeof(log_ring));
}

/* ---- test helpers ---- */

static uint32_t bump[DOMID_FIRST_RESERVED];

struct domain *test_domain(domid_t domid, bool privileged, unsigned int vcpus)
{
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = vcpus,
        .max_evtchn_port = 1023,
        .max_grant_frames = 4,
        .max_maptrack_frames = 8,
        .grant_opts = 1,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };
    struct domain *d;

    if (domain_create(domid, &cfg, privileged, &d)) {
        fprintf(stderr, "test_domain: cannot create d%u\n", domid);
        abort();
    }
    mm_set_max_pages(d, TEST_MAX_PAGES);
    for (unsigned int i = 0; i < TEST_RAM_PAGES; i++)
        if (mm_populate(d, TEST_RAM_GFN + i, 0))
            abort();
    d->vcpus[0]->is_initialised = d->vcpus[0]->is_up = true;
    domain_unpause_by_controller(d);
    bump[domid] = 0;
    domain_put(d);
    return d;
}

guest_addr_t test_guest_alloc(struct domain *d, size_t len)
{
    uint32_t off = (bump[d->domid] + 7) & ~7u;

    if (off + len > TEST_RAM_PAGES * PAGE_SIZE) {
        fprintf(stderr, "test_guest_alloc: d%u out of test RAM\n", d->domid);
        abort();
    }
    bump[d->domid] = off + len;
    return ((guest_addr_t)TEST_RAM_GFN << 12) + off;
}

void *test_guest_ptr(struct domain *d, guest_addr_t a)
{
    mfn_t mfn;

    if (mm_translate(d, a >> 12, false, &mfn))
        return NULL;
    return (char *)env_frame_va(mfn) + (a & (PAGE_SIZE - 1));
}

bool test_no_leaks(void)
{
    return domain_count() == 0 && live_frames == 0 && mm_frames_in_use() == 0 &&
           live_allocs == mm_table_allocs();
}
