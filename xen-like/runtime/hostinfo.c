/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What core's sysctl and platform_op families report about the machine
 * (hostinfo_*): physinfo (CPUs, TSC rate, memory), the console ring for
 * readconsole and the physical CPU list, registered with core at boot.
 * Not here: the ABIs (core/sysctl.c, core/platform.c).
 */
#include "hostinfo.h"
#include "cpu.h"
#include "memmap.h"
#include "page_alloc.h"
#include "percpu.h"
#include "printk.h"
#include "sysctl_host.h"
#include "timer.h"
#include "sysctl.h"

static uint64_t max_mfn;

static void hostinfo_physinfo(struct xen_sysctl_physinfo *pi)
{
    unsigned int cpus = percpu_online_count();

    pi->threads_per_core = 1;
    pi->cores_per_socket = cpus;
    pi->nr_cpus = cpus;
    pi->max_cpu_id = cpus - 1;
    pi->nr_nodes = 1;
    pi->max_node_id = 0;
    pi->cpu_khz = (uint32_t)time_tsc_khz();
    /* PVH/HVM guests on nested paging; grant tables v1 only. */
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                       XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = page_alloc_total_frames();
    pi->free_pages = page_alloc_free_frames();
    pi->max_mfn = max_mfn;
}

static const struct sysctl_host_ops hostinfo_ops = {
    .physinfo = hostinfo_physinfo,
    .read_console = printk_read_ring,
};

/* Present CPUs are the online ones: a CPU that did not start got no number. */
static unsigned int hostinfo_max_present(void)
{
    unsigned int last = 0;

    for (unsigned int i = 0; i < NR_CPUS; i++)
        if (percpu_of(i)->online)
            last = i;
    return last;
}

/*
 * The signature is read on the CPU answering: every CPU of one x86 machine
 * reports the same leaf 0/1 values. The MADT's ACPI processor UID is not
 * kept (arch/x86_64/acpi.c lists APIC ids only), so acpi_id is "unknown".
 */
static bool hostinfo_pcpu(unsigned int cpu, struct platform_pcpu *out)
{
    struct cpuid_regs r;
    uint32_t sig;

    if (cpu >= NR_CPUS || !percpu_of(cpu)->online)
        return false;
    out->apic_id = percpu_of(cpu)->apic_id;
    out->acpi_id = PLATFORM_ACPI_ID_NONE;
    out->online = true;
    r = cpuid(0);
    memcpy(out->vendor_id, &r.ebx, 4);
    memcpy(out->vendor_id + 4, &r.edx, 4);
    memcpy(out->vendor_id + 8, &r.ecx, 4);
    sig = cpuid(1).eax;
    out->family = (sig >> 8) & 0xf;
    if (out->family == 0xf)
        out->family += (sig >> 20) & 0xff;
    out->model = (sig >> 4) & 0xf;
    if (out->family >= 6)
        out->model |= (sig >> 12) & 0xf0;
    out->stepping = sig & 0xf;
    return true;
}

static const struct platform_host_ops hostinfo_platform_ops = {
    .max_present = hostinfo_max_present,
    .pcpu = hostinfo_pcpu,
};

void hostinfo_init(const struct memmap *m)
{
    uint64_t end = memmap_end(m, MEMMAP_RAM);

    max_mfn = end ? (end - 1) >> 12 : 0;
    sysctl_set_host_ops(&hostinfo_ops);
    platform_set_host_ops(&hostinfo_platform_ops);
}
