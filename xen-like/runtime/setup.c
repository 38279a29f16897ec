/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The boot order, as one readable function (start_hv), plus the options
 * that belong to no single subsystem (mem=, test=, com1=) and the periodic
 * uptime report. Each step's work is in the subsystem it names.
 */
#include "acpi.h"
#include "apic.h"
#include "cmdline.h"
#include "cpu.h"
#include "hostinfo.h"
#include "memmap.h"
#include "multiboot.h"
#include "page_alloc.h"
#include "paging.h"
#include "percpu.h"
#include "printk.h"
#include "selftest.h"
#include "smp.h"
#include "timer.h"
#include "traps.h"
#include "uart.h"

#define COM1 0x3f8

static struct boot_info boot_info;
static uint64_t mem_limit;
static uint64_t com1_baud = 115200;
static char test_list[128];

CMDLINE_OPTION(mem, .name = "mem", .type = CMDLINE_SIZE, .var = &mem_limit,
               .min = MiB(16), .max = UINT64_MAX, .help = "use at most this much RAM");
CMDLINE_OPTION(test, .name = "test", .type = CMDLINE_STRING, .var = test_list,
               .max = sizeof(test_list), .help = "run self-tests (comma list or all), then exit");

static int parse_baud(const char *v, void *var, const char **why)
{
    uint64_t baud;

    if (cmdline_parse_uint(v, &baud) || baud < 2 || baud > 115200 || 115200 % baud) {
        *why = "baud must divide 115200 (e.g. 9600, 38400, 115200)";
        return -1;
    }
    *(uint64_t *)var = baud;
    return 0;
}
CMDLINE_OPTION(com1, .name = "com1", .type = CMDLINE_CUSTOM, .var = &com1_baud,
               .parse = parse_baud, .help = "COM1 baud rate (8N1)");

extern const struct cmdline_option __cmdline_start[], __cmdline_end[];
extern const char __image_start[], __image_end[];

static void report_option(void *ctx, const char *option, const char *reason)
{
    pr_warn("cmdline: '%s': %s\n", option, reason);
}

static void parse_cmdline(const char *line)
{
    size_t n = (size_t)(__cmdline_end - __cmdline_start);
    const char *args = cmdline_skip_image(line, __cmdline_start, n);
    int problems;

    while (*args == ' ' || *args == '\t')
        args++;
    pr_info("cmdline: %s\n", *args ? args : "(empty)");
    problems = cmdline_parse(args, __cmdline_start, n, report_option, NULL);
    if (problems)
        pr_warn("cmdline: %d problem(s); those options were ignored\n", problems);
}

static void print_memmap(const struct memmap *m)
{
    for (unsigned int i = 0; i < m->n; i++)
        pr_info("  %016lx - %016lx %s\n", (unsigned long)m->r[i].start,
                (unsigned long)m->r[i].end, memmap_type_name(m->r[i].type));
}

/* Keep what must survive (low 1 MiB: BIOS data and the AP trampoline; our
 * image; modules), apply mem=, then hand the rest to the page allocator. */
static void setup_memory(struct boot_info *bi)
{
    struct memmap *m = &bi->map;

    if (!memmap_ram_bytes(m))
        panic("memory: the boot loader reported no RAM");
    memmap_reserve(m, 0, MiB(1), MEMMAP_HV);
    memmap_reserve(m, (uintptr_t)__image_start - HV_VIRT_BASE,
                   (uintptr_t)__image_end - HV_VIRT_BASE, MEMMAP_HV);
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        memmap_reserve(m, ALIGN_DOWN(bi->modules[i].start, PAGE_SIZE),
                       ALIGN_UP(bi->modules[i].end, PAGE_SIZE), MEMMAP_HV);
    if (mem_limit)
        memmap_limit_ram(m, mem_limit);
    page_alloc_init(m);
    pr_info("memory map (%s):\n", bi->loader);
    print_memmap(m);
    for (unsigned int i = 0; i < bi->nr_modules; i++)
        pr_info("module %u: %#lx-%#lx \"%s\"\n", i, (unsigned long)bi->modules[i].start,
                (unsigned long)bi->modules[i].end, bi->modules[i].cmdline);
}

/* One line about the CPU: what later code (SVM, NPT) and this code rely on. */
static void print_cpu(void)
{
    struct cpuid_regs v = cpuid(0), sig = cpuid(1);
    char vendor[13];

    memcpy(vendor, &v.ebx, 4);
    memcpy(vendor + 4, &v.edx, 4);
    memcpy(vendor + 8, &v.ecx, 4);
    vendor[12] = '\0';
    pr_info("cpu: %s family %#x model %#x stepping %u; SVM %s, NPT %s, NX %s, 1G pages %s, "
            "x2APIC %s\n", vendor,
            ((sig.eax >> 8) & 0xf) + ((sig.eax >> 20) & 0xff),
            ((sig.eax >> 4) & 0xf) | ((sig.eax >> 12) & 0xf0), sig.eax & 0xf,
            cpu_has_svm() ? "yes" : "no",
            cpu_has_svm() && (cpuid(0x8000000a).edx & 1) ? "yes" : "no",
            cpu_has_nx() ? "yes" : "no", cpu_has_1g_pages() ? "yes" : "no",
            cpu_has_x2apic() ? "yes" : "no");
}

static struct timer report_timer;
static uint64_t reports;

/* Once a second for the first five seconds, then once a minute. */
static void report_uptime(struct timer *t, void *data)
{
    char line[256];
    size_t len = 0;

    for (unsigned int i = 0; i < NR_CPUS; i++)
        if (percpu_area[i].online)
            len += (size_t)fmt_snprintf(line + len, sizeof(line) - MIN(len, sizeof(line)),
                                        " cpu%u=%lu", i, (unsigned long)percpu_area[i].ticks);
    pr_info("timer: uptime %lu s, ticks:%s\n",
            (unsigned long)(time_now_ns() / 1000000000ull), line);
    reports++;
    timer_set(t, t->q.deadline + (reports < 5 ? 1000000000ull : 60000000000ull));
}

/* arch/x86_64/svm_boot.c (the PVH work) declares no header for it. */
void svm_boot_run(const struct boot_info *bi);

void start_hv(uint32_t magic, uint32_t info_pa);
void start_hv(uint32_t magic, uint32_t info_pa)
{
    unsigned int online;

    percpu_init_cpu(0);
    uart_init(COM1, 115200);
    traps_init_cpu(0);
    pr_info("xen-like hypervisor (x86_64), built " __DATE__ " " __TIME__ "\n");
    if (!multiboot_parse(magic, info_pa, &boot_info, paging_boot_read))
        panic("not started by a multiboot loader");
    parse_cmdline(boot_info.cmdline);
    if (com1_baud != 115200)
        uart_init(COM1, (uint32_t)com1_baud);
    print_cpu();
    setup_memory(&boot_info);
    paging_init(memmap_end(&boot_info.map, MEMMAP_RAM));
    page_alloc_add_high(&boot_info.map);
    pr_info("memory: %lu MiB RAM for the page allocator%s\n",
            (unsigned long)(page_alloc_total_frames() >> 8), mem_limit ? " (mem= limit)" : "");

    apic_init_bsp();
    time_init();
    percpu_of(0)->apic_id = apic_id();
    timer_init_cpu();
    timer_start_tick();
    percpu_of(0)->online = true;
    local_irq_enable();

    online = smp_boot_aps(boot_info.has_rsdp ? boot_info.rsdp : NULL, &boot_info.map);
    pr_info("smp: %u CPU(s) online\n", online);
    hostinfo_init(&boot_info.map);

    if (test_list[0])
        selftest_run(test_list, &boot_info, mem_limit);
    /* Boot-time domains (domu=, arch/x86_64/svm_boot.c); returns at once
     * when there are none, or when every one of them has ended. */
    svm_boot_run(&boot_info);
    timer_init(&report_timer, report_uptime, NULL, 0);
    timer_set(&report_timer, time_now_ns() + 1000000000ull);
    for (;;)
        safe_halt();
}
