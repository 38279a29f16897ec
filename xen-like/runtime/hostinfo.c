/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What core's sysctl family reports about the machine (hostinfo_*):
 * physinfo (CPUs, TSC rate, memory) and the console ring for readconsole,
 * registered with core at boot. Not here: the sysctl ABI (core/sysctl.c).
 */
#include "hostinfo.h"
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

void hostinfo_init(const struct memmap *m)
{
    uint64_t end = memmap_end(m, MEMMAP_RAM);

    max_mfn = end ? (end - 1) >> 12 : 0;
    sysctl_set_host_ops(&hostinfo_ops);
}
