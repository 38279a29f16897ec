/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hostile PVH test guest: checks that garbage hypercalls and bad guest
 * pointers get Xen's error codes, then (per `hostile=` on its command line)
 * touches an unmapped guest-physical address, triple-faults, times a
 * null hypercall (bench), or idles until destroyed (idle). Prints TAP-
 * like lines; without a hypervisor it only reports and exits.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Hypercall numbers and ops (xen/include/public/xen.h and friends). */
enum {
    HC_memory_op = 12, HC_xen_version = 17, HC_console_io = 18,
    HC_grant_table_op = 20, HC_vcpu_op = 24, HC_sched_op = 29,
    HC_event_channel_op = 32, HC_hvm_op = 34,
};
#define CONSOLEIO_write        0
#define XENVER_version         0
#define XENVER_extraversion    1
#define XENMEM_populate_physmap     6
#define XENMEM_decrease_reservation 1
#define XENMEM_memory_map      9
#define SCHEDOP_shutdown       2
#define SHUTDOWN_poweroff      0
#define VCPUOP_is_up           3
#define VCPUOP_register_vcpu_info 10
#define HVMOP_get_param        1
#define GNTTABOP_map_grant_ref 0
#define DOMID_SELF             0x7FF0

#define ENOENT 2
#define EFAULT 14
#define EINVAL 22
#define ENOSYS 38

#define UNMAPPED_GVA    0x80000000ull           /* PDPT slot 2: empty */
#define NONCANON_GVA    0x0000800000000000ull
#define HIGH_GVA        0x40000000ull           /* -> GPA 4 GiB, not RAM */

extern uint64_t pdpt[512], pd_high[512];

static bool have_xen, use_vmcall;
static unsigned int passed, failed, nr;

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static long hcall(long op, long a1, long a2, long a3)
{
    long ret;

    if (use_vmcall)
        __asm__ volatile("vmcall" : "=a"(ret)
                         : "a"(op), "D"(a1), "S"(a2), "d"(a3)
                         : "memory");
    else
        __asm__ volatile("vmmcall" : "=a"(ret)
                         : "a"(op), "D"(a1), "S"(a2), "d"(a3)
                         : "memory");
    return ret;
}

static size_t slen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

/* console_io under a hypervisor, QEMU's debug port 0xE9 without one. */
static void puts_raw(const char *s, size_t n)
{
    if (have_xen) {
        hcall(HC_console_io, CONSOLEIO_write, (long)n, (long)s);
        return;
    }
    while (n--)
        outb(0xE9, (uint8_t)*s++);
}

/* Line buffer so each line reaches the console in one write. */
static char line[160];
static size_t pos;

static void put(const char *s)
{
    while (*s && pos < sizeof(line) - 1) {
        line[pos++] = *s;
        if (*s++ == '\n') {
            puts_raw(line, pos);
            pos = 0;
        }
    }
}

static void put_dec(long v)
{
    char buf[24];
    int i = 23;
    unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[--i] = '-';
    put(buf + i);
}

static void expect(const char *what, long got, long want)
{
    nr++;
    if (got == want) {
        passed++;
        put("ok ");
    } else {
        failed++;
        put("not ok ");
    }
    put_dec(nr);
    put(" - ");
    put(what);
    put(" rc=");
    put_dec(got);
    if (got != want) {
        put(" want=");
        put_dec(want);
    }
    put("\n");
}

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(0));
}

static void detect(void)
{
    uint32_t r[4];

    cpuid(0, r);
    use_vmcall = r[1] != 0x68747541;        /* not "Auth"enticAMD */
    cpuid(0x40000000, r);
    have_xen = r[1] == 0x566e6558 && r[2] == 0x65584d4d && r[3] == 0x4d4d566e;
}

/* 44 lines in one console_io call: more than the hypervisor does per exit
 * (it continues the call), still one success. */
static void long_write(void)
{
    static char buf[44 * 25];
    static const char text[] = "HOSTILE-LONG-WRITE-LINE-\n";

    for (unsigned int i = 0; i < sizeof(buf); i++)
        buf[i] = text[i % 25];
    expect("console_io write of 1100 bytes", hcall(HC_console_io, CONSOLEIO_write,
                                                   sizeof(buf), (long)buf), 0);
}

/* REP OUTSB of 100000 bytes to port 0x80 (no device): the hypervisor does
 * it in pieces; RCX must end at 0 and RSI 100000 further on. */
static void long_string_io(void)
{
    uint64_t rcx = 100000, rsi = 0x300000;

    __asm__ volatile("rep outsb" : "+c"(rcx), "+S"(rsi) : "d"(0x80) : "memory");
    expect("rep outsb of 100000 bytes finishes", (long)(rcx + (rsi - 0x300000)),
           100000);
}

/* Calls whose right answer is 1 must return it once: a hypervisor that
 * took 1 for "run this call again" re-ran them (a one-byte console read
 * lost its byte; is_up never returned). */
static void answers_of_one(void)
{
    static uint64_t gfn = 0x100100;             /* 4 GiB + 1 MiB: no RAM there */
    static struct {
        uint64_t extent_start, nr_extents;
        uint32_t extent_order, mem_flags;
        uint16_t domid;
    } r;

    r.extent_start = (uint64_t)(uintptr_t)&gfn;
    r.nr_extents = 1;
    r.domid = DOMID_SELF;
    expect("vcpu_op is_up on vCPU 0 answers 1", hcall(HC_vcpu_op, VCPUOP_is_up, 0, 0), 1);
    expect("populate_physmap of one extent answers 1",
           hcall(HC_memory_op, XENMEM_populate_physmap, (long)&r, 0), 1);
    expect("decrease_reservation of that extent answers 1",
           hcall(HC_memory_op, XENMEM_decrease_reservation, (long)&r, 0), 1);
}

static void garbage_hypercalls(void)
{
    static char extra[16];
    static uint32_t param[4] = { DOMID_SELF, 9999, 0, 0 };  /* hvm_param */
    static uint64_t vcpu_info[2] = { 1, 0 };

    expect("hypercall 64 does not exist", hcall(64, 0, 0, 0), -ENOSYS);
    expect("hypercall 1000 does not exist", hcall(1000, 1, 2, 3), -ENOSYS);
    expect("hypercall -1 does not exist", hcall(-1, 0, 0, 0), -ENOSYS);
    expect("xen_version works", hcall(HC_xen_version, XENVER_version, 0, 0) > 0, 1);
    expect("xen_version unknown cmd", hcall(HC_xen_version, 99, 0, 0), -ENOSYS);
    expect("console_io unknown cmd", hcall(HC_console_io, 99, 1, (long)extra),
           -ENOSYS);
    expect("console_io write from unmapped GVA",
           hcall(HC_console_io, CONSOLEIO_write, 16, UNMAPPED_GVA), -EFAULT);
    expect("console_io write from non-canonical GVA",
           hcall(HC_console_io, CONSOLEIO_write, 16, NONCANON_GVA), -EFAULT);
    expect("xen_version extraversion to unmapped GVA",
           hcall(HC_xen_version, XENVER_extraversion, UNMAPPED_GVA, 0), -EFAULT);
    expect("memory_map with unmapped argument",
           hcall(HC_memory_op, XENMEM_memory_map, UNMAPPED_GVA, 0), -EFAULT);
    expect("sched_op shutdown with unmapped argument",
           hcall(HC_sched_op, SCHEDOP_shutdown, UNMAPPED_GVA, 0), -EFAULT);
    expect("event_channel_op unknown cmd",
           hcall(HC_event_channel_op, 99, (long)extra, 0), -ENOSYS);
    expect("hvm get_param index 9999",
           hcall(HC_hvm_op, HVMOP_get_param, (long)param, 0), -EINVAL);
    expect("vcpu_op on vCPU 200", hcall(HC_vcpu_op, VCPUOP_register_vcpu_info,
                                        200, (long)vcpu_info), -ENOENT);
    expect("grant map with unmapped argument",
           hcall(HC_grant_table_op, GNTTABOP_map_grant_ref, UNMAPPED_GVA, 1),
           -EFAULT);
    long_write();
    long_string_io();
    answers_of_one();
}

/* Command-line word `hostile=<what>` from hvm_start_info.cmdline_paddr. */
static const char *mode_of(uint32_t start_info)
{
    const char *cmd = (const char *)(uintptr_t)
        *(const uint64_t *)(uintptr_t)(start_info + 24);
    const char *key = "hostile=";
    size_t i;

    if (!start_info || !cmd)
        return "";
    for (; *cmd; cmd++) {
        for (i = 0; key[i] && cmd[i] == key[i]; i++)
            ;
        if (!key[i])
            return cmd + i;
    }
    return "";
}

static bool is(const char *mode, const char *word)
{
    size_t n = slen(word), i;

    for (i = 0; i < n; i++)
        if (mode[i] != word[i])
            return false;
    return mode[n] == 0 || mode[n] == ' ';
}

static void shutdown(void)
{
    static uint32_t reason = SHUTDOWN_poweroff;

    if (have_xen)
        hcall(HC_sched_op, SCHEDOP_shutdown, (long)&reason, 0);
    outb(0xF4, 0);                  /* QEMU isa-debug-exit, no hypervisor */
}

static void touch_unmapped(void)
{
    volatile uint64_t *p = (volatile uint64_t *)HIGH_GVA;

    pd_high[0] = 0x100000000ull | 0x83;     /* GPA 4 GiB, 2 MiB page */
    pdpt[1] = (uint64_t)(uintptr_t)pd_high | 0x3;
    put("HOSTILE-TOUCH-UNMAPPED\n");
    *p = 0x5A5A;
    put("HOSTILE-SURVIVED-UNMAPPED read=");
    put_dec((long)(*p & 0xFFFF));
    put("\n");
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/* The cost of a hypercall that does nothing (xen_version(XENVER_version)),
 * in TSC cycles per round trip, the median of 5 runs of 2000. */
static void bench(void)
{
    uint64_t runs[5], t;
    int i, j;

    for (i = 0; i < 5; i++) {
        t = rdtsc();
        for (j = 0; j < 2000; j++)
            hcall(HC_xen_version, XENVER_version, 0, 0);
        runs[i] = (rdtsc() - t) / 2000;
    }
    for (i = 0; i < 5; i++)             /* sort for the median */
        for (j = i + 1; j < 5; j++)
            if (runs[j] < runs[i]) {
                t = runs[i];
                runs[i] = runs[j];
                runs[j] = t;
            }
    put("HOSTILE-BENCH null-hypercall-cycles=");
    put_dec((long)runs[2]);
    put("\n");
}

static void triple_fault(void)
{
    static const struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } null_idt = { 0, 0 };

    put("HOSTILE-TRIPLE-FAULT\n");
    __asm__ volatile("lidt %0; int3" : : "m"(null_idt));
}

/* A benign guest for create/destroy tests: it has run (the marker) and
 * now only waits, blocked in HLT with interrupts on (nothing is ever
 * delivered: no callback, no LAPIC timer), until the toolstack destroys it. */
static void idle(void)
{
    put("HOSTILE-IDLE\n");
    for (;;)
        __asm__ volatile("sti; hlt");
}

void hostile_main(uint32_t start_info);
void hostile_main(uint32_t start_info)
{
    const char *mode = mode_of(start_info);

    detect();
    put("HOSTILE-START hypervisor=");
    put(have_xen ? "xen" : "none");
    put(use_vmcall ? " insn=vmcall\n" : " insn=vmmcall\n");
    if (have_xen)
        garbage_hypercalls();
    put("HOSTILE-RESULT passed=");
    put_dec(passed);
    put(" failed=");
    put_dec(failed);
    put("\n");
    if (is(mode, "unmapped"))
        touch_unmapped();
    else if (is(mode, "triple"))
        triple_fault();
    else if (is(mode, "bench") && have_xen)
        bench();
    else if (is(mode, "idle") && have_xen)
        idle();
    put("HOSTILE-END\n");
    shutdown();
}
