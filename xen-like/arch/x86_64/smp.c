/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SMP bring-up: INIT-SIPI-SIPI to every enabled CPU of the MADT, one at a
 * time, each starting in trampoline.S and ending in ap_main() with its own
 * stack, per-CPU area, descriptor tables, LAPIC and tick. Also `maxcpus=`
 * and the stop IPI used by panic().
 */
#include "smp.h"
#include "acpi.h"
#include "apic.h"
#include "cmdline.h"
#include "cpu.h"
#include "errno.h"
#include "memmap.h"
#include "page_alloc.h"
#include "paging.h"
#include "percpu.h"
#include "printk.h"
#include "timer.h"
#include "traps.h"

#define TRAMPOLINE_PA 0x8000
#define AP_STACK_ORDER 2                /* 16 KiB */

struct trampoline_params {
    uint32_t boot_cr3, efer;
    uint64_t final_cr3, stack, cpu;
} __attribute__((packed));

extern const char trampoline_start[], trampoline_end[], trampoline_params[];
extern uint64_t boot_pml4[];

static uint64_t max_cpus = NR_CPUS;
CMDLINE_OPTION(maxcpus, .name = "maxcpus", .type = CMDLINE_UINT, .var = &max_cpus,
               .min = 1, .max = NR_CPUS, .help = "bring up at most this many CPUs");
static bool stop_ready;
static volatile bool stopping;

bool smp_nmi_stop(void)
{
    if (!stopping)
        return false;
    this_cpu()->online = false;
    for (;;)
        __asm__ volatile("cli; hlt");
}

unsigned int smp_stop_others(void)
{
    unsigned int sent = 0, still = 0;

    if (!stop_ready)
        return 0;
    stopping = true;
    for (unsigned int i = 0; i < NR_CPUS; i++) {
        if (percpu_area[i].online && i != smp_processor_id()) {
            apic_send_nmi(percpu_area[i].apic_id);
            sent++;
        }
    }
    /* Spin-bounded wait (the clock may not be calibrated yet). */
    for (unsigned long spins = 0; spins < 50000000; spins++) {
        still = 0;
        for (unsigned int i = 0; i < NR_CPUS; i++)
            still += percpu_area[i].online && i != smp_processor_id();
        if (!still)
            break;
        cpu_relax();
    }
    return sent - still;
}

/* One mailbox per target CPU; `lock` serialises callers. */
static struct call_box {
    spinlock_t lock;
    void (*volatile fn)(void *);
    void *arg;
    volatile bool done;
} call_box[NR_CPUS];

static void call_irq(struct cpu_regs *regs)
{
    struct call_box *b = &call_box[smp_processor_id()];

    apic_eoi();
    if (b->fn) {
        b->fn(b->arg);
        b->fn = NULL;
        __atomic_store_n(&b->done, true, __ATOMIC_RELEASE);
    }
}

int smp_call_on(unsigned int cpu, void (*fn)(void *arg), void *arg)
{
    struct call_box *b;
    uint64_t end;
    int rc = 0;

    if (cpu >= NR_CPUS || !percpu_area[cpu].online)
        return -XEN_EINVAL;
    if (cpu == smp_processor_id()) {
        fn(arg);
        return 0;
    }
    BUG_ON(!local_irq_enabled());
    b = &call_box[cpu];
    spin_lock(&b->lock);
    b->arg = arg;
    b->done = false;
    b->fn = fn;
    apic_send_ipi(percpu_area[cpu].apic_id, VECTOR_CALL);
    end = time_now_ns() + 1000000000ull;
    while (!__atomic_load_n(&b->done, __ATOMIC_ACQUIRE)) {
        if (time_now_ns() > end) {
            b->fn = NULL;
            rc = -XEN_ETIMEDOUT;
            break;
        }
        cpu_relax();
    }
    spin_unlock(&b->lock);
    return rc;
}

void ap_main(unsigned int cpu);
void ap_main(unsigned int cpu)
{
    percpu_init_cpu(cpu);
    paging_init_ap();
    traps_init_cpu(cpu);
    apic_init_ap();
    timer_init_cpu();
    timer_start_tick();
    __atomic_store_n(&this_cpu()->online, true, __ATOMIC_RELEASE);
    for (;;)
        safe_halt();
}

static struct trampoline_params *params(void)
{
    return maddr_to_virt(TRAMPOLINE_PA + (trampoline_params - trampoline_start));
}

static bool wait_online(struct percpu *pc, uint64_t us)
{
    uint64_t end = time_now_ns() + us * 1000;

    while (time_now_ns() < end)
        if (__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
            return true;
    return false;
}

static bool start_cpu(unsigned int cpu, uint32_t apic)
{
    struct percpu *pc = percpu_of(cpu);
    paddr_t stack = page_alloc_zeroed(AP_STACK_ORDER);
    struct trampoline_params *tp = params();

    if (stack == PADDR_INVALID) {
        pr_err("smp: no memory for the stack of CPU%u\n", cpu);
        return false;
    }
    pc->apic_id = apic;
    pc->stack_top = paging_map_stack(cpu, stack, 1ul << AP_STACK_ORDER);
    if (!pc->stack_top) {
        pr_err("smp: cannot map the stack of CPU%u\n", cpu);
        page_free(stack, AP_STACK_ORDER);
        return false;
    }
    tp->boot_cr3 = (uint32_t)((uintptr_t)boot_pml4 - HV_VIRT_BASE);
    tp->efer = EFER_LME | (paging_nx_bit() ? EFER_NXE : 0);
    tp->final_cr3 = paging_root();
    tp->stack = pc->stack_top;
    tp->cpu = cpu;
    /* INIT, 10 ms, SIPI, 200 us, and a second SIPI only if still needed. */
    apic_send_init(apic);
    time_delay_us(10000);
    apic_send_sipi(apic, TRAMPOLINE_PA >> PAGE_SHIFT);
    if (wait_online(pc, 200) ||
        (apic_send_sipi(apic, TRAMPOLINE_PA >> PAGE_SHIFT), wait_online(pc, 500000)))
        return true;
    pr_err("smp: CPU%u (APIC id %u) did not come online\n", cpu, apic);
    page_free(stack, AP_STACK_ORDER);
    return false;
}

/* The trampoline page must be RAM the boot reserved (type hypervisor),
 * not ROM, a hole or firmware data. */
static bool trampoline_page_ok(const struct memmap *m)
{
    for (unsigned int i = 0; i < m->n; i++)
        if (m->r[i].start <= TRAMPOLINE_PA && TRAMPOLINE_PA + PAGE_SIZE <= m->r[i].end)
            return m->r[i].type == MEMMAP_HV;
    return false;
}

unsigned int smp_boot_aps(const uint8_t *rsdp, const struct memmap *m)
{
    static struct acpi_cpus cpus;
    unsigned int next = 1;
    uint32_t self = apic_id();

    stop_ready = true;
    traps_set_handler(VECTOR_CALL, call_irq);
    if (!trampoline_page_ok(m)) {
        pr_warn("smp: %#x is not reserved RAM; running on the boot CPU only\n", TRAMPOLINE_PA);
        return 1;
    }
    if (acpi_madt_cpus(rsdp, &cpus, paging_boot_read)) {
        pr_warn("smp: no usable MADT; running on the boot CPU only\n");
        return 1;
    }
    nr_cpus_possible = (unsigned int)MIN(MIN(cpus.n, NR_CPUS), max_cpus);
    pr_info("smp: MADT lists %u CPU(s)\n", cpus.n);
    memcpy(maddr_to_virt(TRAMPOLINE_PA), trampoline_start,
           (size_t)(trampoline_end - trampoline_start));
    for (unsigned int i = 0; i < cpus.n; i++) {
        if (cpus.apic_id[i] == self)
            continue;
        if (next >= max_cpus || next >= NR_CPUS) {
            pr_info("smp: not starting APIC id %u (maxcpus=%lu)\n", cpus.apic_id[i],
                    (unsigned long)max_cpus);
            continue;
        }
        if (start_cpu(next, cpus.apic_id[i]))
            next++;
    }
    return percpu_online_count();
}
