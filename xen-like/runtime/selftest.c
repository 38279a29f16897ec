/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Self-tests on the real (emulated) machine: the page allocator over real
 * RAM, xmalloc, timer ordering on the real LAPIC, every CPU online and
 * ticking, page permissions, and (on request only) a deliberate exception.
 * Each prints "selftest: NAME: PASS" or "... FAIL: reason".
 */
#include "selftest.h"
#include "apic.h"
#include "env.h"
#include "cpu.h"
#include "errno.h"
#include "page_alloc.h"
#include "paging.h"
#include "percpu.h"
#include "printk.h"
#include "smp.h"
#include "timer.h"
#include "traps.h"
#include "multiboot.h"
#include "xmalloc.h"

struct selftest {
    const char *name;
    /* NULL on success, else a reason (may point into why[]). */
    const char *(*run)(char *why, size_t len);
    bool in_all;
};

static uint64_t limit;
static const struct boot_info *boot;
extern const char __image_start[], __image_end[], __text_end[], __rodata_end[];
extern const char __boot_stack_guard[];

#define FAIL(...) ({ fmt_snprintf(why, len, __VA_ARGS__); why; })

/* A position-dependent sum over a module, to notice any damage. */
static uint64_t module_sum(const struct boot_module *m)
{
    const uint8_t *p = maddr_to_virt(m->start);
    uint64_t sum = 0;

    for (paddr_t i = 0; i < m->end - m->start; i++)
        sum = sum * 31 + p[i];
    return sum;
}

/* Allocates every free frame, writes each one's own address into it,
 * checks all of them, frees all. Proves the map, the allocator and the
 * direct map agree about real memory. */
static const char *test_alloc(char *why, size_t len)
{
    uint64_t before = page_alloc_free_frames(), count = 0;
    paddr_t img_lo = (uintptr_t)__image_start - HV_VIRT_BASE;
    paddr_t img_hi = (uintptr_t)__image_end - HV_VIRT_BASE, head = 0, pa, max_pa = 0;
    uint64_t sums[BOOT_MODULES_MAX];

    for (unsigned int i = 0; i < boot->nr_modules; i++)
        sums[i] = module_sum(&boot->modules[i]);
    while ((pa = page_alloc(0)) != PADDR_INVALID) {
        uint64_t *p = maddr_to_virt(pa);
        if (pa < MiB(1) || (pa >= img_lo && pa < img_hi) || (pa & ~PAGE_MASK))
            return FAIL("frame %#lx is reserved or misaligned", (unsigned long)pa);
        p[0] = head;
        p[1] = pa ^ 0x5a5a5a5a5a5a5a5aull;
        head = pa;
        max_pa = MAX(max_pa, pa);
        count++;
    }
    if (count != before)
        return FAIL("%lu frames free but %lu allocated", (unsigned long)before,
                    (unsigned long)count);
    if (limit && count * PAGE_SIZE > limit)
        return FAIL("mem= limit %lu MiB but %lu frames handed out", (unsigned long)(limit >> 20),
                    (unsigned long)count);
    while (head) {
        uint64_t *p = maddr_to_virt(head), next = p[0];
        if (p[1] != (head ^ 0x5a5a5a5a5a5a5a5aull))
            return FAIL("frame %#lx lost its contents", (unsigned long)head);
        page_free(head, 0);
        head = next;
    }
    if (page_alloc_free_frames() != before)
        return FAIL("free count %lu after freeing, %lu before",
                    (unsigned long)page_alloc_free_frames(), (unsigned long)before);
    pa = page_alloc(9);
    if (pa == PADDR_INVALID || (pa & (MiB(2) - 1)))
        return FAIL("no aligned 2 MiB block after full free (%#lx)", (unsigned long)pa);
    page_free(pa, 9);
    if (page_alloc(30) != PADDR_INVALID)
        return "order 30 was granted";
    for (unsigned int i = 0; i < boot->nr_modules; i++)
        if (module_sum(&boot->modules[i]) != sums[i])
            return FAIL("module %u was overwritten by page allocations", i);
    pr_info("selftest: alloc: %lu frames (%lu MiB) allocated, verified, freed; highest %#lx; "
            "%u module(s) intact\n", (unsigned long)count, (unsigned long)(count >> 8),
            (unsigned long)max_pa, boot->nr_modules);
    return NULL;
}

static const char *test_xmalloc(char *why, size_t len)
{
    enum { N = 600 };
    static uint8_t *obj[N];
    size_t base = xmalloc_bytes_in_use();

    for (int i = 0; i < N; i++) {
        size_t sz = 1 + (size_t)(i * 37) % 5000;
        obj[i] = xmalloc(sz);
        if (!obj[i])
            return FAIL("xmalloc(%zu) failed", sz);
        if ((uintptr_t)obj[i] & 15)
            return FAIL("xmalloc(%zu) = %p is not 16-byte aligned", sz, obj[i]);
        memset(obj[i], i & 0xff, sz);
    }
    for (int i = 0; i < N; i++) {
        size_t sz = 1 + (size_t)(i * 37) % 5000;
        for (size_t k = 0; k < sz; k++)
            if (obj[i][k] != (i & 0xff))
                return FAIL("object %d (%zu bytes) overlaps another", i, sz);
    }
    for (int i = 0; i < N; i++)
        xfree(obj[i]);
    if (xmalloc_bytes_in_use() != base)
        return FAIL("%zu bytes still in use after freeing all", xmalloc_bytes_in_use() - base);
    if (xmalloc(0) || xmalloc((size_t)1 << 40))
        return "xmalloc(0) or a 1 TiB request succeeded";
    return NULL;
}

static struct {
    struct timer t[7];
    volatile int order[7];
    volatile uint64_t at[7];
    volatile unsigned int cpu[7];
    volatile int fired;
} tt;

static void record(struct timer *t, void *data)
{
    int i = (int)(uintptr_t)data, n = __atomic_fetch_add(&tt.fired, 1, __ATOMIC_ACQ_REL);

    tt.order[n] = i;
    tt.at[i] = time_now_ns();
    tt.cpu[i] = smp_processor_id();
}

/* Five local timers armed out of order must fire in deadline order, never
 * early; a stopped timer must not fire; a timer set on another CPU fires
 * there. */
static const char *test_timer(char *why, size_t len)
{
    static const int ms[5] = { 3, 1, 5, 2, 4 }, expect[5] = { 1, 3, 0, 4, 2 };
    unsigned int me = smp_processor_id(), other = NR_CPUS;
    uint64_t t0 = time_now_ns(), dl[6], flags;
    bool stopped_once;

    for (unsigned int i = 0; i < NR_CPUS; i++)
        if (i != me && percpu_area[i].online && other == NR_CPUS)
            other = i;
    tt.fired = 0;
    /* Arm everything before any can fire: a stalled emulator must not let
     * an early-armed timer expire before a sooner one is queued. */
    flags = local_irq_save();
    for (int i = 0; i < 5; i++) {
        dl[i] = t0 + (uint64_t)ms[i] * 1000000;
        timer_init(&tt.t[i], record, (void *)(uintptr_t)i, me);
        timer_set(&tt.t[i], dl[i]);
    }
    timer_init(&tt.t[5], record, (void *)(uintptr_t)5, other == NR_CPUS ? me : other);
    timer_set(&tt.t[5], t0 + 2500000);
    timer_init(&tt.t[6], record, (void *)(uintptr_t)6, me);
    timer_set(&tt.t[6], t0 + 10000000000ull);   /* far off: stopped before it can fire */
    stopped_once = timer_stop(&tt.t[6]) && !timer_stop(&tt.t[6]);
    local_irq_restore(flags);
    if (!stopped_once)
        return "timer_stop did not report the pending timer exactly once";
    for (uint64_t end = t0 + 200000000; tt.fired < 6 && time_now_ns() < end;)
        safe_halt();
    if (tt.fired != 6)
        return FAIL("%d of 6 timers fired within 200 ms", tt.fired);
    for (int k = 0; k < 6; k++)
        if (tt.order[k] == 6)
            return "a stopped timer fired";
    for (int k = 0, j = 0; k < 6; k++) {
        if (tt.order[k] == 5)
            continue;
        if (tt.order[k] != expect[j++])
            return FAIL("expiry order wrong at position %d (timer %d)", k, tt.order[k]);
    }
    for (int i = 0; i < 5; i++) {
        if (tt.at[i] < dl[i])
            return FAIL("timer %d fired %lu ns early", i, (unsigned long)(dl[i] - tt.at[i]));
        if (tt.at[i] - dl[i] > 200000000)      /* generous: emulator stalls */
            return FAIL("timer %d fired %lu us late", i, (unsigned long)((tt.at[i] - dl[i]) / 1000));
    }
    if (other != NR_CPUS && tt.cpu[5] != other)
        return FAIL("remote timer for CPU%u ran on CPU%u", other, tt.cpu[5]);
    pr_info("selftest: timer: worst lateness %lu us; remote timer on CPU%u\n",
            (unsigned long)(MAX(MAX(tt.at[0] - dl[0], tt.at[1] - dl[1]),
                                MAX(MAX(tt.at[2] - dl[2], tt.at[3] - dl[3]), tt.at[4] - dl[4])) / 1000),
            tt.cpu[5]);
    return NULL;
}

static bool all_ticked(const uint64_t *before, uint64_t n)
{
    for (unsigned int i = 0; i < NR_CPUS; i++)
        if (percpu_area[i].online && percpu_area[i].timer_irqs < before[i] + n)
            return false;
    return true;
}

/* Every CPU the MADT listed (within maxcpus) is online and takes timer
 * interrupts: at least 5 each (50 ms of ticks), within a second so that a
 * loaded host running the emulator does not fail the test. */
static const char *test_smp(char *why, size_t len)
{
    uint64_t before[NR_CPUS], t0 = time_now_ns();
    unsigned int online = percpu_online_count();

    if (online != nr_cpus_possible)
        return FAIL("%u CPUs expected (MADT, maxcpus=) but %u online", nr_cpus_possible, online);
    for (unsigned int i = 0; i < NR_CPUS; i++)
        before[i] = percpu_area[i].timer_irqs;
    while (!all_ticked(before, 5) && time_now_ns() - t0 < 1000000000ull)
        safe_halt();
    for (unsigned int i = 0; i < NR_CPUS; i++) {
        if (!percpu_area[i].online)
            continue;
        if (percpu_area[i].timer_irqs < before[i] + 5)
            return FAIL("CPU%u took %lu timer interrupts in 1 s", i,
                        (unsigned long)(percpu_area[i].timer_irqs - before[i]));
        pr_info("selftest: smp: CPU%u (APIC id %u) online, %lu timer interrupts in %lu ms\n", i,
                percpu_area[i].apic_id, (unsigned long)(percpu_area[i].timer_irqs - before[i]),
                (unsigned long)((time_now_ns() - t0) / 1000000));
    }
    return NULL;
}

static int data_probe_target = 1;

static const char *check_pte(char *why, size_t len, const void *va, const char *what,
                             bool want_w, bool want_nx)
{
    uint64_t pte = paging_lookup((uintptr_t)va, NULL), nx = paging_nx_bit();

    if (!pte)
        return FAIL("%s (%p) is not mapped", what, va);
    if (!!(pte & PTE_W) != want_w || (nx && !!(pte & PTE_NX) != want_nx))
        return FAIL("%s (%p) has PTE %#lx", what, va, (unsigned long)pte);
    return NULL;
}

static void read_cr0_here(void *arg)
{
    *(uint64_t *)arg = read_cr0();
}

static const char *test_paging(char *why, size_t len)
{
    static const char rodata_probe[] = "read-only";
    const char *r;
    uint8_t b;

    for (unsigned int i = 0; i < NR_CPUS; i++) {
        uint64_t cr0 = 0;
        if (!percpu_area[i].online)
            continue;
        if (smp_call_on(i, read_cr0_here, &cr0))
            return FAIL("cannot read CR0 of CPU%u", i);
        if ((cr0 & (CR0_PG | CR0_WP)) != (CR0_PG | CR0_WP) || (cr0 & (3ul << 29)))
            return FAIL("CPU%u runs with CR0 %#lx (want PG, WP; caches on)", i,
                        (unsigned long)cr0);
    }
    if (probe_write8((void *)test_paging) != -XEN_EFAULT)
        return "hypervisor text is writable";
    if (probe_write8((void *)rodata_probe) != -XEN_EFAULT)
        return "hypervisor rodata is writable";
    if (probe_write8(&data_probe_target) != 0)
        return "hypervisor data is not writable";
    if (probe_read8(NULL, &b) != -XEN_EFAULT || probe_read8((void *)0x100000, &b) != -XEN_EFAULT)
        return "the lower half is still mapped";
    if ((r = check_pte(why, len, (void *)test_paging, "text", false, false)) ||
        (r = check_pte(why, len, rodata_probe, "rodata", false, true)) ||
        (r = check_pte(why, len, &data_probe_target, "data", true, true)) ||
        (r = check_pte(why, len, maddr_to_virt(MiB(1)), "direct map", true, true)))
        return r;
    if (paging_lookup((uintptr_t)__boot_stack_guard, NULL))
        return "the boot stack's guard page is mapped";
    for (unsigned int i = 1; i < NR_CPUS; i++) {
        if (!percpu_area[i].online)
            continue;
        if (paging_lookup(STACK_VIRT_BASE + (uintptr_t)i * STACK_SLOT_SIZE, NULL))
            return FAIL("the stack guard page of CPU%u is mapped", i);
        if ((r = check_pte(why, len, (void *)(percpu_area[i].stack_top - 8), "AP stack",
                           true, true)))
            return r;
    }
    return NULL;
}

/* time_now_ns() agrees with the PIT over a fresh window (within 0.5%), and
 * the clock never goes backwards on this CPU. */
static const char *test_clock(char *why, size_t len)
{
    uint64_t clock_ns, pit_ns, last = time_now_ns(), diff;
    uint64_t flags = local_irq_save();

    pit_ns = apic_pit_check(time_now_ns, &clock_ns);
    local_irq_restore(flags);
    if (!pit_ns)
        return "the PIT did not count";
    diff = clock_ns > pit_ns ? clock_ns - pit_ns : pit_ns - clock_ns;
    if (diff * 200 > pit_ns)
        return FAIL("time_now_ns advanced %lu ns over %lu ns of PIT time", (unsigned long)clock_ns,
                    (unsigned long)pit_ns);
    for (int i = 0; i < 100000; i++) {
        uint64_t now = time_now_ns();
        if (now < last)
            return FAIL("time went backwards by %lu ns", (unsigned long)(last - now));
        last = now;
    }
    pr_info("selftest: clock: %lu ns by the PIT, %lu ns by time_now_ns\n", (unsigned long)pit_ns,
            (unsigned long)clock_ns);
    return NULL;
}

/* An interrupt on a vector nobody registered is acknowledged and reported,
 * not fatal, and the LAPIC keeps delivering (the tick goes on). */
static const char *test_irq(char *why, size_t len)
{
    unsigned long before = traps_unexpected_irqs;
    uint64_t ticks = this_cpu()->timer_irqs, end = time_now_ns() + 500000000ull;

    apic_send_ipi(apic_id(), 0x80);
    apic_send_ipi(apic_id(), 0x80);
    while ((traps_unexpected_irqs < before + 2 || this_cpu()->timer_irqs < ticks + 2) &&
           time_now_ns() < end)
        safe_halt();
    if (traps_unexpected_irqs != before + 2)
        return FAIL("%lu unexpected interrupts counted, 2 sent", traps_unexpected_irqs - before);
    if (this_cpu()->timer_irqs < ticks + 2)
        return "timer interrupts stopped after an unexpected vector";
    return NULL;
}

/* RAM above 4 GiB (if any) is handed out and reachable through the direct
 * map: take 1 GiB blocks until one lies above 4 GiB, write and read it. */
static const char *test_highmem(char *why, size_t len)
{
    paddr_t got[64];
    unsigned int n = 0;
    const char *r = NULL;

    while (n < ARRAY_SIZE(got) && (got[n] = page_alloc(18)) != PADDR_INVALID)
        if (got[n++] >= GiB(4))
            break;
    if (!n || got[n - 1] < GiB(4)) {
        pr_info("selftest: highmem: no 1 GiB block above 4 GiB (machine has less RAM)\n");
    } else {
        volatile uint64_t *p = maddr_to_virt(got[n - 1]);
        p[0] = 0x1122334455667788ull;
        p[(GiB(1) - 8) / 8] = got[n - 1];
        if (p[0] != 0x1122334455667788ull || p[(GiB(1) - 8) / 8] != got[n - 1])
            r = FAIL("1 GiB block at %#lx does not hold data", (unsigned long)got[n - 1]);
        else
            pr_info("selftest: highmem: wrote and read back 1 GiB block at %#lx\n",
                    (unsigned long)got[n - 1]);
    }
    while (n)
        page_free(got[--n], 18);
    return r;
}

/* Writes into hypervisor text: the #PF must be dumped and end in a panic. */
__attribute__((noinline)) static const char *selftest_exception(char *why, size_t len)
{
    pr_info("selftest: exception: writing to read-only text at %p\n", (void *)test_alloc);
    *(volatile uint8_t *)test_alloc = 0xcc;
    return "the write to hypervisor text did not fault";
}

/* Runs on an unmapped stack: the #PF cannot be delivered, so the CPU
 * raises #DF, which must arrive on its IST stack and be dumped. */
__attribute__((noinline)) static const char *selftest_double_fault(char *why, size_t len)
{
    pr_info("selftest: doublefault: switching to an unmapped stack\n");
    __asm__ volatile("mov %0, %%rsp; pushq $0" :: "r"(0x1000ull) : "memory");
    return "pushing onto an unmapped stack did not fault";
}

/* Recursion until the stack runs into its guard page: the #PF cannot be
 * delivered on the same stack, so it must become #DF on the IST stack. */
static volatile unsigned long recurse_limit = 1ul << 20;   /* 512 MiB of frames */

__attribute__((noinline)) static unsigned long selftest_recurse(unsigned long depth)
{
    volatile uint8_t frame[512];

    if (depth >= recurse_limit)
        return 0;
    frame[0] = (uint8_t)depth;
    return selftest_recurse(depth + 1) + frame[0];
}

static const char *selftest_stack_overflow(char *why, size_t len)
{
    pr_info("selftest: stackoverflow: recursing on CPU%u's stack\n", smp_processor_id());
    return FAIL("recursion returned %lu", selftest_recurse(0));
}

static void where_am_i(void *arg)
{
    *(volatile unsigned int *)arg = smp_processor_id();
}

/* smp_call_on() runs a function on each online CPU, there. */
static const char *test_call(char *why, size_t len)
{
    for (unsigned int i = 0; i < NR_CPUS; i++) {
        volatile unsigned int ran_on = NR_CPUS;
        int rc;

        if (!percpu_area[i].online)
            continue;
        rc = smp_call_on(i, where_am_i, (void *)&ran_on);
        if (rc || ran_on != i)
            return FAIL("call on CPU%u: rc %d, ran on CPU%u", i, rc, ran_on);
    }
    if (smp_call_on(NR_CPUS, where_am_i, NULL) != -XEN_EINVAL)
        return "a call on a CPU that does not exist was accepted";
    return NULL;
}

static void fault_here(void *arg)
{
    *(volatile uint8_t *)test_alloc = 0xcc;
}

/* The exception path on an application processor: CPU1 writes to text. */
static const char *selftest_exception_ap(char *why, size_t len)
{
    int rc;

    if (percpu_online_count() < 2)
        return "needs a second CPU";
    pr_info("selftest: exception-ap: CPU1 writes to read-only text\n");
    rc = smp_call_on(1, fault_here, NULL);
    return FAIL("the write on CPU1 did not fault (rc %d)", rc);
}

static struct env_lock lock_a = ENV_LOCK_INIT(10, "selftest-a");
static struct env_lock lock_b = ENV_LOCK_INIT(20, "selftest-b");
static struct env_lock lock_b2 = ENV_LOCK_INIT(20, "selftest-b2");

/* core/env.h locks in the documented order nest, equal ranks nest, and
 * they may be released in any order. */
static const char *test_locks(char *why, size_t len)
{
    env_lock(&lock_a);
    env_lock(&lock_b);
    env_lock(&lock_b2);
    env_unlock(&lock_b);
    env_unlock(&lock_a);
    env_unlock(&lock_b2);
    env_lock(&lock_b);
    env_unlock(&lock_b);
    if (lock_a.held || lock_b.held || lock_b2.held)
        return "a lock is still marked held";
    return NULL;
}

/* Taking a lower-ranked lock while holding a higher one must panic. */
static const char *selftest_lock_inversion(char *why, size_t len)
{
    env_lock(&lock_b);
    env_lock(&lock_a);
    return "the inversion went unnoticed";
}

static const struct selftest tests[] = {
    { "alloc", test_alloc, true },
    { "xmalloc", test_xmalloc, true },
    { "timer", test_timer, true },
    { "clock", test_clock, true },
    { "smp", test_smp, true },
    { "call", test_call, true },
    { "locks", test_locks, true },
    { "paging", test_paging, true },
    { "highmem", test_highmem, true },
    { "irq", test_irq, false },
    { "lockorder", selftest_lock_inversion, false },
    { "exception", selftest_exception, false },
    { "exception-ap", selftest_exception_ap, false },
    { "doublefault", selftest_double_fault, false },
    { "stackoverflow", selftest_stack_overflow, false },
};

static bool run_one(const struct selftest *t)
{
    char why[160];
    const char *r = t->run(why, sizeof(why));

    if (r)
        pr_err("selftest: %s: FAIL: %s\n", t->name, r);
    else
        pr_info("selftest: %s: PASS\n", t->name);
    return !r;
}

static const struct selftest *find(const char *name, size_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
        if (strlen(tests[i].name) == n && !strncmp(tests[i].name, name, n))
            return &tests[i];
    return NULL;
}

void selftest_run(const char *list, const struct boot_info *bi, uint64_t mem_limit)
{
    unsigned int pass = 0, fail = 0;
    const char *p = list;

    limit = mem_limit;
    boot = bi;
    while (*p) {
        size_t n = 0;
        while (p[n] && p[n] != ',')
            n++;
        if (n == 3 && !strncmp(p, "all", 3)) {
            for (size_t i = 0; i < ARRAY_SIZE(tests); i++)
                if (tests[i].in_all)
                    run_one(&tests[i]) ? pass++ : fail++;
        } else if (find(p, n)) {
            run_one(find(p, n)) ? pass++ : fail++;
        } else {
            pr_err("selftest: '%.*s': FAIL: no such test\n", (int)n, p);
            fail++;
        }
        p += n + (p[n] == ',');
    }
    pr_info("selftest: %u passed, %u failed\n", pass, fail);
    hv_exit(fail || !pass ? HV_EXIT_FAIL : HV_EXIT_PASS);
}
