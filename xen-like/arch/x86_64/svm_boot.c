/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time PVH domains on SVM (svm_boot_*): the `domu=` option, the
 * machine services the SVM container needs (svm_host), building each
 * described domain from the multiboot modules, and running their vCPUs on
 * the boot CPU. Not here: what a domain is (core), loading (pvh_*), the
 * exit handlers (svm.c).
 */
#include "svm.h"
#include "cmdline.h"
#include "cpu.h"
#include "evtchn.h"
#include "io/console.h"
#include "mm.h"
#include "multiboot.h"
#include "page_alloc.h"
#include "paging.h"
#include "platform_op.h"
#include "printk.h"
#include "pvh_domain.h"
#include "sched.h"
#include "schedule.h"
#include "timer.h"
#include "xmalloc.h"

#define MAX_BOOT_DOMAINS 4             /* domu= options */
#define LINE_MAX_BYTES   160

static struct pvh_domain_spec specs[MAX_BOOT_DOMAINS];
static unsigned int nr_specs;
static bool exit_when_done, report_cpu;
CMDLINE_OPTION(domu_report, .name = "domu-report", .type = CMDLINE_BOOL,
               .var = &report_cpu,
               .help = "print each domu's share of the CPU every second");
CMDLINE_OPTION(domu_exit, .name = "domu-exit", .type = CMDLINE_BOOL,
               .var = &exit_when_done,
               .help = "leave QEMU (isa-debug-exit, pass) once every domu has ended");

static int parse_domu(const char *value, void *var, const char **why)
{
    if (nr_specs == MAX_BOOT_DOMAINS) {
        *why = "at most 4 domu= options";
        return -1;
    }
    if (pvh_domain_parse(value, &specs[nr_specs], why))
        return -1;
    nr_specs++;
    return 0;
}
CMDLINE_OPTION(domu, .name = "domu", .type = CMDLINE_CUSTOM, .var = specs,
               .parse = parse_domu,
               .help = "boot-time PVH domain: \"name=N,mem=256M,vcpus=1,"
                       "weight=256,kernel=MOD,initrd=MOD,control,cmdline=...\"");

/*
 * One running domain: a boot domain (domu=) or one the toolstack built
 * and we adopted. A slot is free (sd NULL) again once its domain ended and
 * its SVM state was freed, so any number of domains can come and go; at
 * most SVM_MAX_DOMAINS run at one time.
 */
static struct boot_dom {
    struct svm_domain *sd;        /* its vCPUs are sd->vcpus[]; NULL: free */
    const struct pvh_domain_spec *spec;  /* boot domains only */
    bool adopted;                 /* built by the toolstack: its console is
                                     consoled's, and we hold a reference */
    struct pvh_domain_boot boot;  /* console ring and ports */
    uint64_t reported_ns;         /* runtime at the last report */
    char line[LINE_MAX_BYTES];    /* console bytes not yet printed */
    size_t line_len;
} doms[SVM_MAX_DOMAINS];
static unsigned int focus;        /* which slot serial input goes to */
static unsigned int ctrl_a;       /* Ctrl-A presses in a row */
static struct timer wake_timer;
static int hwdom_code = -1;       /* the initial domain's shutdown code once it ended */

/* ---- machine services --------------------------------------------------- */

static uint64_t host_alloc(unsigned int order)
{
    paddr_t pa = page_alloc_zeroed(order);

    return pa == PADDR_INVALID ? NPT_NO_PAGE : pa;
}

static void host_free(uint64_t ma, unsigned int order)
{
    page_free(ma, order);
}

static void *host_va(uint64_t ma)
{
    return maddr_to_virt(ma);
}

static struct boot_dom *dom_named(const char *name)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (doms[i].sd && !strcmp(doms[i].sd->name, name))
            return &doms[i];
    return NULL;
}

static void flush_line(struct boot_dom *b, const char *name)
{
    if (!b->line_len)
        return;
    pr_info("(%s) %.*s\n", name, (int)b->line_len, b->line);
    b->line_len = 0;
}

/* Guest console bytes become whole lines prefixed with the domain's name. */
static void host_console(const char *name, const char *s, size_t n)
{
    struct boot_dom *b = dom_named(name);

    if (!b)
        return;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n' || b->line_len == sizeof(b->line)) {
            flush_line(b, name);
            if (c == '\n')
                continue;
        }
        if (c != '\r')
            b->line[b->line_len++] = c;
    }
}

static struct svm_host host = {
    .alloc_pages = host_alloc,
    .free_pages = host_free,
    .va = host_va,
    .console = host_console,
};

/* ---- wallclock ----------------------------------------------------------- */

static uint8_t cmos(uint8_t reg)
{
    uint8_t v;

    __asm__ volatile("outb %0, $0x70" : : "a"(reg));
    __asm__ volatile("inb $0x71, %0" : "=a"(v));
    return v;
}

static unsigned int bcd(uint8_t v, bool binary)
{
    return binary ? v : (v >> 4) * 10 + (v & 0xF);
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    static const unsigned int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212,
                                             243, 273, 304, 334 };
    uint64_t days = (uint64_t)(y - 1970) * 365 + before[m - 1] + d - 1;

    days += (y - 1969) / 4 - (y - 1901) / 100 + (y - 1601) / 400;
    if (m > 2 && (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
        days++;
    return days;
}

/* UTC seconds from the CMOS clock (the PC's RTC keeps UTC under QEMU and,
 * by convention, on Linux-installed PCs); 0 if it looks invalid. */
static uint64_t rtc_seconds(void)
{
    uint8_t b, sec, min, hour, day, mon, year;
    unsigned int h;
    bool bin;

    while (cmos(0x0A) & 0x80)           /* update in progress */
        cpu_relax();
    sec = cmos(0x00); min = cmos(0x02); hour = cmos(0x04);
    day = cmos(0x07); mon = cmos(0x08); year = cmos(0x09);
    b = cmos(0x0B);
    bin = b & 4;
    if (bcd(mon, bin) < 1 || bcd(mon, bin) > 12 || bcd(day, bin) < 1)
        return 0;
    h = bcd(hour & 0x7F, bin);
    if (!(b & 2) && (hour & 0x80))      /* 12-hour mode, PM */
        h = h % 12 + 12;
    else if (!(b & 2))
        h %= 12;
    return days_since_epoch(2000 + bcd(year, bin), bcd(mon, bin), bcd(day, bin)) * 86400 +
           h * 3600 + bcd(min, bin) * 60 + bcd(sec, bin);
}

/* ---- building ------------------------------------------------------------ */

static const void *module(const struct boot_info *bi, int i, size_t *len)
{
    if (i < 0) {
        *len = 0;
        return NULL;
    }
    *len = bi->modules[i].end - bi->modules[i].start;
    return maddr_to_virt(bi->modules[i].start);
}

/* Every vCPU now; APs wait for the BSP's INIT/STARTUP. */
static int create_vcpus(struct boot_dom *b, struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        if (!svm_vcpu_create(b->sd, d->vcpus[i], &b->boot.entry))
            return -XEN_ENOMEM;
    svm_update_time(b->sd->vcpus[0]);
    return 0;
}

/* A free slot, cleared; NULL when SVM_MAX_DOMAINS domains are running. */
static struct boot_dom *slot_new(void)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (!doms[i].sd) {
            memset(&doms[i], 0, sizeof(doms[i]));
            return &doms[i];
        }
    return NULL;
}

/*
 * The domain ended: free its SVM state (its vCPUs never run again) and
 * the slot; an adopted domain's reference goes too, so core frees it once
 * the toolstack's `xl destroy` has dropped the table's.
 */
static void slot_free(struct boot_dom *b)
{
    struct domain *d = b->sd->d;
    struct svm_freed f;
    char name[SVM_NAME_MAX];

    memcpy(name, b->sd->name, sizeof(name));
    if (focus < SVM_MAX_DOMAINS && &doms[focus] == b)
        focus = 0;
    svm_domain_destroy(b->sd, &f);
    b->sd = NULL;
    pr_info("d%u (%s): SVM state freed: %u vCPUs, %lu pages (%lu NPT tables)\n",
            d->domid, name, f.vcpus, f.pages, f.npt_tables);
    if (b->adopted)
        domain_put(d);      /* core may now free it (xl destroy) */
}

static int start_one(const struct boot_info *bi, const struct pvh_domain_spec *s,
                     uint16_t domid)
{
    struct boot_dom *b = slot_new();
    const void *kernel, *initrd;
    size_t klen, ilen;
    struct domain *d;
    const char *why = "";

    if (!b) {
        why = "every SVM domain slot is in use";
        goto fail;
    }
    if (pvh_domain_check_modules(s, bi->nr_modules, &why))
        goto fail;
    if (s->vcpus > SVM_MAX_VCPUS) {
        why = "more than 8 vCPUs";
        goto fail;
    }
    kernel = module(bi, s->kernel_mod, &klen);
    initrd = module(bi, s->initrd_mod, &ilen);
    if (pvh_domain_build(s, domid, kernel, klen, initrd, ilen, &d, &b->boot, &why))
        goto fail;
    b->spec = s;
    b->sd = svm_domain_create(d, s->name, 4096);
    if (b->sd) {
        memcpy(b->sd->memmap, b->boot.memmap, sizeof(b->boot.memmap));
        b->sd->nr_memmap = b->boot.nr_memmap;
    }
    if (!b->sd || create_vcpus(b, d)) {
        why = "no memory for its SVM state";
        if (b->sd)
            slot_free(b);
        domain_shutdown(d, SHUTDOWN_crash);
        goto fail;
    }
    schedule_set_params(d, s->weight, 0);
    domain_unpause_by_controller(d);
    pr_info("d%u (%s): PVH domain built: %lu MiB, entry %#lx, cmdline \"%s\"\n",
            domid, s->name, (unsigned long)(s->mem_bytes >> 20),
            (unsigned long)b->boot.entry.rip, s->cmdline);
    return 0;
fail:
    pr_err("d%u (%s): cannot start: %s\n", domid, s->name, why);
    return -XEN_EINVAL;
}

/* ---- the console rings (served here until a backend domain exists) ------- */

static struct xencons_interface *ring_of(struct boot_dom *b)
{
    mfn_t mfn;
    enum mm_kind kind;
    bool w;

    if (mm_lookup(b->sd->d, b->boot.console_gfn, &mfn, &kind, &w))
        return NULL;
    return env_frame_va(mfn);
}

/* Drain what the guest wrote; tell it there is room again. */
static void console_out(struct boot_dom *b)
{
    struct xencons_interface *r = ring_of(b);
    uint32_t cons, prod;
    char c;

    if (!r)
        return;
    cons = __atomic_load_n(&r->out_cons, __ATOMIC_RELAXED);
    prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    if (cons == prod)
        return;
    if (prod - cons > sizeof(r->out))
        cons = prod - sizeof(r->out);   /* a guest lying about its ring */
    for (; cons != prod; cons++) {
        c = r->out[cons & (sizeof(r->out) - 1)];
        host_console(b->sd->name, &c, 1);
    }
    __atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
    evtchn_send(b->sd->d, b->boot.console_backend_port);
}

static void console_in(struct boot_dom *b, char c)
{
    struct xencons_interface *r = ring_of(b);
    uint32_t prod;

    if (!r)
        return;
    prod = r->in_prod;
    if (prod - __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE) >= sizeof(r->in))
        return;                         /* full: the key is lost */
    r->in[prod & (sizeof(r->in) - 1)] = c;
    __atomic_store_n(&r->in_prod, prod + 1, __ATOMIC_RELEASE);
    evtchn_send(b->sd->d, b->boot.console_backend_port);
}

#define COM1_DATA 0x3F8
#define COM1_LSR  0x3FD

static inline uint8_t com1_in(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Serial input goes to the focused domain; Ctrl-A three times moves the
 * focus to the next live one (as Xen's console switch does). */
static void serial_in(void)
{
    while (com1_in(COM1_LSR) & 1) {
        char c = (char)com1_in(COM1_DATA);

        if (c == 1 && ++ctrl_a == 3) {
            ctrl_a = 0;
            for (unsigned int n = 0; n < SVM_MAX_DOMAINS; n++) {
                focus = (focus + 1) % SVM_MAX_DOMAINS;
                if (doms[focus].sd && !doms[focus].adopted)
                    break;      /* an adopted domain's console is consoled's */
            }
            if (doms[focus].sd)
                pr_info("console: input to d%u (%s)\n", doms[focus].sd->d->domid,
                        doms[focus].sd->name);
            continue;
        }
        if (c != 1)
            ctrl_a = 0;
        if (doms[focus].sd && !doms[focus].adopted) {
            if (doms[focus].spec->control)  /* hvc0 is console_io there */
                svm_console_input(doms[focus].sd, c);
            else
                console_in(&doms[focus], c);
        }
    }
}

static void consoles(void)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (doms[i].sd && !doms[i].adopted)
            console_out(&doms[i]);
    serial_in();
}

/* ---- running ------------------------------------------------------------- */

static void wake(struct timer *t, void *data)
{
}

#define for_each_vcpu(b, s, i) \
    for (unsigned int i = 0; i < SVM_MAX_VCPUS; i++) \
        if (((s) = (b)->sd ? (b)->sd->vcpus[i] : NULL) != NULL)

/* Sleep until the earliest vCPU timer or the next interrupt. */
static void idle(void)
{
    uint64_t next = 0, at;
    struct svm_vcpu *s;

    for (unsigned int d = 0; d < SVM_MAX_DOMAINS; d++) {
        for_each_vcpu(&doms[d], s, i) {
            at = vcpu_timer_next(s->v);
            if (at && (!next || at < next))
                next = at;
        }
    }
    if (next)
        timer_set(&wake_timer, next);
    safe_halt();
}

static void ended(struct boot_dom *b)
{
    struct domain *d = b->sd->d;
    unsigned long exits = 0, calls = 0, continued = 0, by[SVM_EXIT_KINDS] = { 0 };
    struct svm_vcpu *s;

    if (!b->adopted) {
        console_out(b);
        flush_line(b, b->sd->name);
    }
    for_each_vcpu(b, s, i) {
        exits += s->exits;
        calls += s->hypercalls;
        continued += s->nr_continued;
        for (unsigned int k = 0; k < SVM_EXIT_KINDS; k++)
            by[k] += s->exits_by[k];
    }
    pr_info("d%u (%s): ended, shutdown code %u, %lu exits, %lu hypercalls "
            "(%lu continued), %lu ms of CPU\n", d->domid, b->sd->name, d->shutdown_code,
            exits, calls, continued, (unsigned long)(schedule_domain_runtime(d) / 1000000));
    pr_info("d%u (%s): exits by kind: interrupt %lu, hypercall %lu, MSR %lu, NPF %lu, "
            "HLT %lu, I/O %lu, other %lu\n", d->domid, b->sd->name, by[SVM_EXIT_K_INTR],
            by[SVM_EXIT_K_HCALL], by[SVM_EXIT_K_MSR], by[SVM_EXIT_K_NPF], by[SVM_EXIT_K_HLT],
            by[SVM_EXIT_K_IO], by[SVM_EXIT_K_OTHER]);
    if (!b->adopted && d->is_privileged && d->domid == 0)
        hwdom_code = d->shutdown_code;
    slot_free(b);
}

/*
 * A domain the control domain's toolstack built (domctl createdomain ...
 * setvcpucontext, unpause) gets its SVM state the first time core's
 * scheduler picks one of its vCPUs: vCPU 0 starts from the context core
 * stored (the PVH 32-bit entry state: rip, rbx, cs, ds); the others wait
 * for their STARTUP IPI, as in a boot domain.
 */
static struct boot_dom *adopt(struct vcpu *v)
{
    struct domain *d = v->domain;
    const struct vcpu_guest_context *c = d->vcpus[0]->ctx;
    struct boot_dom *b;
    struct pvh_entry_state st = {
        .rflags = 0x2, .cr0 = 0x11, .tr_sel = 0x18, .cs_attr = 0xC9B, .ds_attr = 0xC93,
        .tr_attr = 0x08B, .seg_limit = 0xFFFFFFFFu, .tr_limit = 0x67,
    };
    char name[SVM_NAME_MAX];

    if (!c)
        return NULL;
    if (d->max_vcpus > SVM_MAX_VCPUS) {
        pr_err("d%u: cannot run the toolstack's domain: %u vCPUs, at most %u\n",
               d->domid, d->max_vcpus, SVM_MAX_VCPUS);
        domain_shutdown(d, SHUTDOWN_crash);
        return NULL;
    }
    b = slot_new();
    if (!b) {
        /* Every slot is taken: the domain cannot run; crash it, as Xen
         * does a domain it cannot give its vCPU state. */
        pr_err("d%u: cannot run the toolstack's domain: %u domains are running "
               "(SVM_MAX_DOMAINS)\n", d->domid, SVM_MAX_DOMAINS);
        domain_shutdown(d, SHUTDOWN_crash);
        return NULL;
    }
    if (!domain_get(d->domid))
        return NULL;
    st.rip = c->user_regs.rip;
    st.rbx = c->user_regs.rbx;
    st.cs_sel = c->user_regs.cs;
    st.ds_sel = c->user_regs.ds;
    fmt_snprintf(name, sizeof(name), "d%u", d->domid);
    b->adopted = true;
    b->boot.entry = st;
    b->sd = svm_domain_create(d, name, 4096);
    if (!b->sd || create_vcpus(b, d)) {
        pr_err("d%u: cannot run the toolstack's domain: no memory for its SVM state\n",
               d->domid);
        domain_shutdown(d, SHUTDOWN_crash);
        if (b->sd)
            slot_free(b);       /* drops our reference */
        else
            domain_put(d);
        return NULL;
    }
    pr_info("d%u: toolstack-built domain started at %#lx (%u vCPUs)\n", d->domid,
            (unsigned long)st.rip, d->max_vcpus);
    return b;
}

static struct boot_dom *dom_of(struct svm_vcpu *s)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (s && doms[i].sd == s->sd)
            return &doms[i];
    return NULL;
}

/* A blocked vCPU with an event, a LAPIC vector or an expired timer goes
 * back to the scheduler. False once every domain has ended. */
static bool wake_blocked(void)
{
    bool alive = false;
    struct svm_vcpu *s;

    for (unsigned int d = 0; d < SVM_MAX_DOMAINS; d++) {
        if (!doms[d].sd)
            continue;
        /* xl destroy of a domain whose vCPUs are blocked: none of them
         * runs again to see it, and our reference would keep it forever. */
        if (doms[d].sd->d->is_dying) {
            ended(&doms[d]);
            continue;
        }
        alive = true;
        for_each_vcpu(&doms[d], s, i)
            if ((s->blocked || schedule_vcpu_blocked(s->v)) && svm_vcpu_runnable(s)) {
                s->blocked = false;
                schedule_wake(s->v);
            }
    }
    return alive;
}

/* Run vCPU s of b until its slice ends, it blocks or its domain ends. */
static void run_slice(struct boot_dom *b, struct svm_vcpu *s, uint64_t end)
{
    vcpu_runstate_to_guest(s->v);           /* core keeps the times */
    do {
        enum svm_run r = svm_vcpu_run(s, 0);

        if (r == SVM_RUN_BLOCKED) {
            s->blocked = true;
            schedule_block(s->v);
            return;
        }
        if (r == SVM_RUN_DEAD) {
            ended(b);
            return;
        }
        if (schedule_vcpu_blocked(s->v))
            return;                     /* SCHEDOP_block / poll */
    } while (time_now_ns() < end);
}

/* The CPU shares of the last second, from core's accounting. */
static void report(void)
{
    uint64_t total = 0, delta[SVM_MAX_DOMAINS];

    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++) {
        uint64_t rt;

        if (!doms[i].sd) {
            delta[i] = 0;
            continue;
        }
        rt = schedule_domain_runtime(doms[i].sd->d);
        delta[i] = rt - doms[i].reported_ns;
        doms[i].reported_ns = rt;
        total += delta[i];
    }
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS && total; i++)
        if (doms[i].sd)
            pr_info("sched: d%u (%s) weight %u: %lu ms, %lu%%\n",
                    doms[i].sd->d->domid, doms[i].sd->name,
                    doms[i].spec ? doms[i].spec->weight : 0,
                    (unsigned long)(delta[i] / 1000000),
                    (unsigned long)(delta[i] * 100 / total));
}

/*
 * The hypervisor's own leak check for create/destroy cycles (independent of
 * the toolstack's view): whenever the number of domains core holds changes,
 * log it with the free page count and the bytes xmalloc has handed out.
 * With only the same domains left, both must be what they were.
 */
static void log_domain_count(void)
{
    static unsigned int last;
    unsigned int n = domain_count();

    if (n == last)
        return;
    last = n;
    pr_info("svm: %u domains, %lu pages free, %lu heap bytes in use\n", n,
            (unsigned long)page_alloc_free_frames(), (unsigned long)xmalloc_bytes_in_use());
}

/*
 * The initial control domain (d0) ended: as Xen does for its hardware
 * domain, the machine goes with it. Every other domain is destroyed first
 * (their SVM state and memory are freed); then QEMU is left (domu-exit) or
 * the machine reboots or halts as d0 asked.
 */
static void hwdom_ended(void)
{
    unsigned int killed = 0;
    struct domain *d;

    for (domid_t id = 0; (d = domain_get_next(id)); domain_put(d)) {
        id = (domid_t)(d->domid + 1);
        /* d0 too: its mappings of the others' pages hold them alive. */
        if (!d->is_dying && !domain_kill(d) && d->domid != 0)
            killed++;
    }
    pr_info("svm: the control domain ended (code %d): %u other domain(s) destroyed\n",
            hwdom_code, killed);
    wake_blocked();             /* ends the destroyed domains' SVM state */
    if (exit_when_done)
        return;
    if (hwdom_code == SHUTDOWN_reboot) {
        pr_info("svm: rebooting the machine\n");
        outb(0xCF9, 0x06);      /* reset control register: full reset */
        outb(0x64, 0xFE);       /* else the keyboard controller's reset line */
    }
    pr_info("svm: halting the machine\n");
    hv_exit(HV_EXIT_PASS);      /* QEMU leaves; a real machine halts */
}

void svm_boot_run(const struct boot_info *bi);
void svm_boot_run(const struct boot_info *bi)
{
    uint64_t next_report = 0, slice;

    if (!nr_specs)
        return;
    host.tsc_hz = time_tsc_khz() * 1000;
    platform_wallclock_set(rtc_seconds(), 0, time_now_ns());
    svm_host_set(&host);
    if (svm_cpu_init(0))
        return;
    timer_init(&wake_timer, wake, NULL, 0);
    for (unsigned int i = 0; i < nr_specs; i++)
        start_one(bi, &specs[i], specs[i].control ? 0 : (uint16_t)(i + 1));
    while (hwdom_code < 0 && wake_blocked()) {
        uint64_t now = time_now_ns();
        struct vcpu *v;
        struct svm_vcpu *s;
        struct boot_dom *b;

        consoles();
        log_domain_count();
        if (report_cpu && now >= next_report) {
            if (next_report)
                report();
            next_report = now + 1000000000ull;
        }
        v = schedule_next(0, now, &slice);
        s = v ? svm_vcpu_of(v) : NULL;
        if (v && !s && adopt(v))
            s = svm_vcpu_of(v);
        b = dom_of(s);
        if (!b || s->wait_sipi) {
            idle();
        } else {
            s->blocked = false;     /* core woke it: HLT may end early */
            run_slice(b, s, now + (slice ? slice : TICK_NS));
        }
    }
    if (hwdom_code >= 0)
        hwdom_ended();
    pr_info("svm: every boot domain has ended\n");
    if (exit_when_done)
        hv_exit(HV_EXIT_PASS);
}
