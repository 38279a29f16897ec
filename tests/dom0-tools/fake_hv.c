/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv.h served by our real core/ in this process: dom0 is a privileged
 * domain whose vCPU 0 issues every hypercall through core's dispatcher, and
 * foreign mappings go through XENMEM_add_to_physmap_batch into dom0's
 * physmap, then alias the frames' memfd pages as privcmd's mmap would.
 * Grant mappings (gnt.h) go through GNTTABOP_map_grant_ref the same way.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_hv.h"
#include "hypercall.h"
#include "domctl.h"
#include "errno.h"
#include "grant_table.h"
#include "memory.h"
#include "mm.h"
#include "sched.h"
#include "schedule.h"
#include "sysctl.h"
#include "sysctl_host.h"

#define FOREIGN_GFN_BASE 0x1000000ULL   /* dom0's unpopulated window for mappings */
#define MAX_MAPS 4096

struct fake_map {
    char *va;
    unsigned int n;
    uint64_t gfn0;
};

static struct domain *dom0;
static struct fake_map maps[MAX_MAPS];
static uint64_t next_gfn = FOREIGN_GFN_BASE;
static struct hv fake;

static long fake_hypercall(struct hv *h, unsigned int nr, const uint64_t a[5])
{
    uint64_t args[HYPERCALL_NR_ARGS] = { a[0], a[1], a[2], a[3], a[4], 0 };

    return hypercall_dispatch(dom0->vcpus[0], nr, args);
}

static struct fake_map *map_slot(void *va)
{
    for (unsigned int i = 0; i < MAX_MAPS; i++)
        if (maps[i].va == va)
            return &maps[i];
    return NULL;
}

static long batch(uint16_t domid, const uint64_t *gfns, uint64_t gfn0, unsigned int n, int *errs)
{
    struct xen_add_to_physmap_batch b;
    xen_pfn_t *gpfns = calloc(n, sizeof(*gpfns));
    long rc;

    if (!gpfns)
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < n; i++)
        gpfns[i] = gfn0 + i;
    memset(&b, 0, sizeof(b));
    b.domid = DOMID_SELF;
    b.space = XENMAPSPACE_gmfn_foreign;
    b.size = (uint16_t)n;
    b.u.foreign_domid = domid;
    set_xen_guest_handle(b.idxs, (xen_ulong_t *)gfns);
    set_xen_guest_handle(b.gpfns, gpfns);
    set_xen_guest_handle(b.errs, errs);
    rc = fake_hypercall(&fake, __HYPERVISOR_memory_op,
                        (uint64_t[5]){ XENMEM_add_to_physmap_batch, (uintptr_t)&b });
    free(gpfns);
    return rc;
}

static void remove_gfns(uint64_t gfn0, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        struct xen_remove_from_physmap r = { DOMID_SELF, gfn0 + i };

        fake_hypercall(&fake, __HYPERVISOR_memory_op,
                       (uint64_t[5]){ XENMEM_remove_from_physmap, (uintptr_t)&r });
    }
}

/* Alias each mapped frame's memfd page into one contiguous range. */
static int alias(char *va, uint64_t gfn0, unsigned int n, const int *errs)
{
    for (unsigned int i = 0; i < n; i++) {
        mfn_t mfn;
        enum mm_kind kind;
        bool w;

        if (errs[i])
            continue;
        if (mm_lookup(dom0, gfn0 + i, &mfn, &kind, &w) ||
            mmap(va + (size_t)i * HV_PAGE_SIZE, HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
                 MAP_SHARED | MAP_FIXED, fake_env_frame_fd(), (off_t)(mfn * HV_PAGE_SIZE)) ==
                MAP_FAILED)
            return -XEN_EFAULT;
    }
    return 0;
}

static void *fake_map(struct hv *h, uint16_t domid, const uint64_t *gfns, unsigned int n,
                      int *errs, int *rc)
{
    struct fake_map *m = map_slot(NULL);
    uint64_t gfn0 = next_gfn;
    char *va;

    *rc = -XEN_ENOMEM;
    if (!m || !n || n > 0xffff)
        return NULL;
    va = mmap(NULL, (size_t)n * HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (va == MAP_FAILED)
        return NULL;
    next_gfn += n;
    *rc = (int)batch(domid, gfns, gfn0, n, errs);
    if (!*rc)
        *rc = alias(va, gfn0, n, errs);
    if (*rc) {
        remove_gfns(gfn0, n);
        munmap(va, (size_t)n * HV_PAGE_SIZE);
        return NULL;
    }
    *m = (struct fake_map){ va, n, gfn0 };
    return va;
}

static void fake_unmap(struct hv *h, void *addr, unsigned int n)
{
    struct fake_map *m = map_slot(addr);

    if (!m || m->n != n)
        abort();
    remove_gfns(m->gfn0, n);
    munmap(addr, (size_t)n * HV_PAGE_SIZE);
    m->va = NULL;
}

static void fake_close(struct hv *h) { }

static unsigned int gnt_maps;

/* The handle keeps dom0's gfn (high half) and core's maptrack handle. */
static void *fake_gnt_map(struct gnt *g, uint16_t domid, uint32_t ref, uint64_t *handle,
                          int *rc)
{
    struct gnttab_map_grant_ref op = { .flags = GNTMAP_host_map, .ref = ref, .dom = domid };
    uint64_t gfn = next_gfn++;
    char *va = mmap(NULL, HV_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
    long hrc;

    if (va == MAP_FAILED) {
        *rc = -XEN_ENOMEM;
        return NULL;
    }
    op.host_addr = gfn << 12;
    hrc = fake_hypercall(&fake, __HYPERVISOR_grant_table_op,
                         (uint64_t[5]){ GNTTABOP_map_grant_ref, (uintptr_t)&op, 1 });
    *rc = hrc ? (int)hrc : op.status;
    if (!*rc && alias(va, gfn, 1, (int[1]){ 0 })) {
        struct gnttab_unmap_grant_ref u = { op.host_addr, 0, op.handle, 0 };

        fake_hypercall(&fake, __HYPERVISOR_grant_table_op,
                       (uint64_t[5]){ GNTTABOP_unmap_grant_ref, (uintptr_t)&u, 1 });
        *rc = -XEN_EFAULT;
    }
    if (*rc) {
        munmap(va, HV_PAGE_SIZE);
        return NULL;
    }
    *handle = gfn << 32 | op.handle;
    gnt_maps++;
    return va;
}

static void fake_gnt_unmap(struct gnt *g, void *page, uint64_t handle)
{
    struct gnttab_unmap_grant_ref u = { (handle >> 32) << 12, 0, (grant_handle_t)handle, 0 };

    munmap(page, HV_PAGE_SIZE);
    if (fake_hypercall(&fake, __HYPERVISOR_grant_table_op,
                       (uint64_t[5]){ GNTTABOP_unmap_grant_ref, (uintptr_t)&u, 1 }) ||
        u.status)
        abort();
    gnt_maps--;
}

static void fake_gnt_close(struct gnt *g) { }

static const struct gnt_ops fake_gnt_ops = { fake_gnt_map, fake_gnt_unmap, fake_gnt_close };
static struct gnt fake_gnt = { &fake_gnt_ops };

struct gnt *fake_hv_gnt(void) { return &fake_gnt; }
unsigned int fake_hv_gnt_maps(void) { return gnt_maps; }

/* The fake machine: 2 CPUs at 2 GHz, FAKE_FRAMES of memory. */
static void fake_physinfo(struct xen_sysctl_physinfo *pi)
{
    pi->threads_per_core = 1;
    pi->cores_per_socket = 2;
    pi->nr_cpus = 2;
    pi->max_cpu_id = 1;
    pi->nr_nodes = 1;
    pi->cpu_khz = 2000000;
    pi->capabilities = XEN_SYSCTL_PHYSCAP_hvm | XEN_SYSCTL_PHYSCAP_hap |
                       XEN_SYSCTL_PHYSCAP_gnttab_v1;
    pi->total_pages = FAKE_FRAMES;
    pi->free_pages = FAKE_FRAMES - fake_env_frames();
}

static const struct sysctl_host_ops fake_host = { .physinfo = fake_physinfo };

static const struct hv_ops fake_ops = { fake_hypercall, fake_map, fake_unmap, fake_close };

struct hv *fake_hv_open(void)
{
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = 1, .max_evtchn_port = 1023, .max_grant_frames = 4,
        .max_maptrack_frames = 64, .grant_opts = 1,
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };

    if (fake_env_init() || schedule_init(&sched_credit, 2) ||
        domain_create(0, &cfg, true, &dom0)) {
        fprintf(stderr, "fake_hv: cannot boot core\n");
        return NULL;
    }
    mm_set_max_pages(dom0, 1ULL << 30);
    sysctl_set_host_ops(&fake_host);
    domain_unpause_by_controller(dom0);
    fake.ops = &fake_ops;
    return &fake;
}

long fake_hv_call_as(uint32_t domid, unsigned int nr, const uint64_t a[5])
{
    struct domain *d = domain_get((domid_t)domid);
    uint64_t args[HYPERCALL_NR_ARGS] = { a[0], a[1], a[2], a[3], a[4], 0 };
    long rc;

    if (!d)
        return -XEN_ESRCH;
    rc = hypercall_dispatch(d->vcpus[0], nr, args);
    domain_put(d);
    return rc;
}

long fake_hv_guest_shutdown(uint32_t domid, unsigned int reason)
{
    struct sched_shutdown s = { reason };

    return fake_hv_call_as(domid, __HYPERVISOR_sched_op,
                           (uint64_t[5]){ SCHEDOP_shutdown, (uintptr_t)&s });
}

void *fake_hv_guest_page(uint32_t domid, uint64_t gfn)
{
    struct domain *d = domain_get_any((domid_t)domid);
    mfn_t mfn;
    enum mm_kind kind;
    bool w;
    void *p = NULL;

    if (!d)
        return NULL;
    if (!mm_lookup(d, gfn, &mfn, &kind, &w))
        p = env_frame_va(mfn);
    domain_put(d);
    return p;
}

bool fake_hv_vcpu_ctx(uint32_t domid, unsigned int vcpu, void *out, unsigned int size)
{
    struct domain *d = domain_get_any((domid_t)domid);
    struct vcpu *v;
    bool ok = false;

    if (!d)
        return false;
    v = domain_vcpu(d, vcpu);
    if (v && v->ctx && size == sizeof(*v->ctx)) {
        memcpy(out, v->ctx, size);
        ok = true;
    }
    domain_put(d);
    return ok;
}

unsigned int fake_hv_domains(void)
{
    return domain_count();
}
