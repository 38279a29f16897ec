/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PVH domain builder (see build.h). Each step that can fail names
 * itself in the error; a failure after createdomain destroys the domain.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "acpi.h"
#include "hvc.h"
#include "kimg.h"
#include "errno.h"
#include "grant_table.h"
#include "memory.h"
#include "hvm/params.h"
#include "hvm/start_info.h"

#define PAGE 4096ULL
#define MAP_CHUNK 256u                  /* pages per foreign mapping */
#define SUPERPAGE_ORDER 9

struct job {
    struct tk *tk;
    const struct dom_config *dc;
    struct build_result *r;
    struct kimg k;
    unsigned char *initrd;
    size_t initrd_len;
    uint64_t ram_bytes, initrd_gpa;
};

/* Map pages [gfn0, gfn0+n) of domid; fn works on the mapping. */
static int with_map(struct tk *tk, uint32_t domid, uint64_t gfn0, unsigned int n,
                    unsigned char **va)
{
    uint64_t gfns[MAP_CHUNK] = { 0 };
    int errs[MAP_CHUNK] = { 0 }, rc;

    for (unsigned int i = 0; i < n; i++)
        gfns[i] = gfn0 + i;
    *va = tk->hv->ops->map_foreign(tk->hv, (uint16_t)domid, gfns, n, errs, &rc);
    if (!*va)
        return tk_hvfail(tk, "mapping guest memory", rc);
    for (unsigned int i = 0; i < n; i++) {
        if (errs[i]) {
            tk->hv->ops->unmap_foreign(tk->hv, *va, n);
            return tk_fail(tk, "mapping guest memory", "guest frame %#llx of d%u: %s",
                           (unsigned long long)(gfn0 + i), domid, tk_errname(errs[i]));
        }
    }
    return 0;
}

/* data NULL: write zeros. */
static int gmem_copy(struct tk *tk, uint32_t domid, uint64_t gpa, const void *data, size_t len)
{
    while (len) {
        uint64_t gfn = gpa / PAGE, off = gpa % PAGE;
        unsigned int n = (unsigned int)((off + len + PAGE - 1) / PAGE);
        unsigned char *va;
        size_t chunk;

        if (n > MAP_CHUNK)
            n = MAP_CHUNK;
        chunk = (size_t)(n * PAGE - off);
        if (chunk > len)
            chunk = len;
        if (with_map(tk, domid, gfn, n, &va))
            return -1;
        if (data)
            memcpy(va + off, data, chunk);
        else
            memset(va + off, 0, chunk);
        tk->hv->ops->unmap_foreign(tk->hv, va, n);
        gpa += chunk;
        len -= chunk;
        if (data)
            data = (const char *)data + chunk;
    }
    return 0;
}

int build_write(struct tk *tk, uint32_t domid, uint64_t gpa, const void *data, size_t len)
{
    return gmem_copy(tk, domid, gpa, data, len);
}

/* The size is checked against guest RAM before anything is read: a huge
 * or endless file must not make the toolstack allocate it. */
static int read_initrd(struct job *j)
{
    struct stat st;
    FILE *f;
    size_t size;

    if (!j->dc->ramdisk)
        return 0;
    f = fopen(j->dc->ramdisk, "rb");
    if (!f)
        return tk_fail(j->tk, "loading ramdisk", "%s: %s", j->dc->ramdisk, strerror(errno));
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || st.st_size <= 0) {
        fclose(f);
        return tk_fail(j->tk, "loading ramdisk", "%s: not a regular, non-empty file",
                       j->dc->ramdisk);
    }
    if ((uint64_t)st.st_size >= j->ram_bytes) {
        fclose(f);
        return tk_fail(j->tk, "loading ramdisk", "%s: %llu bytes do not fit in the guest's "
                       "%llu MiB of RAM", j->dc->ramdisk, (unsigned long long)st.st_size,
                       (unsigned long long)j->dc->memory_mb);
    }
    size = (size_t)st.st_size;
    j->initrd = malloc(size);
    if (!j->initrd || fread(j->initrd, 1, size, f) != size) {
        fclose(f);
        return tk_fail(j->tk, "loading ramdisk", "%s: %s", j->dc->ramdisk,
                       j->initrd ? "short read" : "out of memory in the toolstack");
    }
    fclose(f);
    j->initrd_len = size;
    return 0;
}

/* Where things go, checked before the domain exists. */
static int plan(struct job *j)
{
    uint64_t top = j->ram_bytes;

    if (j->dc->memory_mb > BUILD_MAX_RAM_MB)
        return tk_fail(j->tk, "planning guest memory", "memory = %llu MiB: this builder "
                       "places all RAM below 3.75 GiB (at most %u MiB)",
                       (unsigned long long)j->dc->memory_mb, BUILD_MAX_RAM_MB);
    if (j->k.lo < BUILD_KERNEL_MIN)
        return tk_fail(j->tk, "planning guest memory", "kernel starts at %#llx, below the "
                       "boot data ending at %#x", (unsigned long long)j->k.lo, BUILD_KERNEL_MIN);
    if (j->k.hi > top)
        return tk_fail(j->tk, "planning guest memory", "kernel needs memory up to %#llx but "
                       "the guest has only %llu MiB", (unsigned long long)j->k.hi,
                       (unsigned long long)j->dc->memory_mb);
    if (strlen(j->dc->cmdline) >= BUILD_CMDLINE_MAX)
        return tk_fail(j->tk, "planning guest memory", "command line longer than %u bytes",
                       BUILD_CMDLINE_MAX - 1);
    if (j->initrd_len) {
        j->initrd_gpa = (top - j->initrd_len) & ~(PAGE - 1);
        if (j->initrd_len > top || j->initrd_gpa < ((j->k.hi + PAGE - 1) & ~(PAGE - 1)))
            return tk_fail(j->tk, "planning guest memory", "ramdisk of %zu bytes does not "
                           "fit between the kernel and the top of %llu MiB", j->initrd_len,
                           (unsigned long long)j->dc->memory_mb);
    }
    return 0;
}

static int create(struct job *j)
{
    struct xen_domctl_createdomain c;
    long rc;

    memset(&c, 0, sizeof(c));
    c.flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap;
    c.max_vcpus = j->dc->maxvcpus;
    c.max_evtchn_port = 1023;
    c.max_grant_frames = 32;
    c.max_maptrack_frames = 1024;
    c.grant_opts = XEN_DOMCTL_GRANT_version(1);
    c.arch.emulation_flags = XEN_X86_EMU_LAPIC;
    memcpy(c.handle, j->dc->uuid, sizeof(c.handle));
    j->r->domid = 0;
    rc = hvc_create(j->tk->hv, &j->r->domid, &c);
    return rc ? tk_hvfail(j->tk, "creating domain", rc) : 0;
}

/* RAM in 2 MiB extents where aligned, 4 KiB pages for the rest. */
static int populate(struct job *j)
{
    uint64_t pages = j->ram_bytes / PAGE, big = pages >> SUPERPAGE_ORDER, gfn = big << 9;
    uint64_t n = big + (pages - gfn) + 2;
    uint64_t *gfns = malloc(n * sizeof(*gfns));
    long rc;

    if (!gfns)
        return tk_fail(j->tk, "populating memory", "out of memory in the toolstack");
    for (uint64_t i = 0; i < big; i++)
        gfns[i] = i << SUPERPAGE_ORDER;
    for (uint64_t i = 0; i < n - big; i++)
        gfns[big + i] = gfn + i;        /* includes the console and xenstore pages */
    rc = hvc_max_mem(j->tk->hv, j->r->domid, j->dc->maxmem_mb * 1024 + BUILD_SLACK_KB);
    if (rc) {
        free(gfns);
        return tk_hvfail(j->tk, "setting the memory limit", rc);
    }
    rc = big ? hvc_populate(j->tk->hv, j->r->domid, gfns, big, SUPERPAGE_ORDER) : 0;
    if (rc == (long)big) {
        long rest = hvc_populate(j->tk->hv, j->r->domid, gfns + big, n - big, 0);

        rc = rest < 0 ? rest : rest + (long)big;    /* keep the hypervisor's error */
    }
    free(gfns);
    if (rc < 0)
        return tk_hvfail(j->tk, "populating memory", rc);
    if ((uint64_t)rc != n)
        return tk_fail(j->tk, "populating memory", "the hypervisor gave only part of %llu "
                       "MiB (out of free memory?)", (unsigned long long)j->dc->memory_mb);
    j->r->console_gfn = pages;
    j->r->store_gfn = pages + 1;
    return 0;
}

static int load_kernel(struct job *j)
{
    for (unsigned int i = 0; i < j->k.nr_segs; i++) {
        const struct kimg_seg *s = &j->k.segs[i];

        if (gmem_copy(j->tk, j->r->domid, s->paddr, j->k.elf + s->offset, s->filesz) ||
            gmem_copy(j->tk, j->r->domid, s->paddr + s->filesz, NULL, s->memsz - s->filesz))
            return tk_prefix(j->tk, "loading kernel segment at %#llx",
                             (unsigned long long)s->paddr);
    }
    if (j->initrd_len && gmem_copy(j->tk, j->r->domid, j->initrd_gpa, j->initrd, j->initrd_len))
        return tk_prefix(j->tk, "loading ramdisk");
    return 0;
}

static int write_boot_info(struct job *j)
{
    struct hvm_start_info si = { XEN_HVM_START_MAGIC_VALUE, 1, 0, 0, 0, BUILD_CMDLINE,
                                 ACPI_BLOB_GPA, BUILD_MEMMAP, 4, 0 };
    struct hvm_memmap_table_entry mm[4] = {
        { 0, BUILD_LOW_RAM_END, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { ACPI_BLOB_GPA, 0x100000 - ACPI_BLOB_GPA, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
        { 0x100000, j->ram_bytes - 0x100000, XEN_HVM_MEMMAP_TYPE_RAM, 0 },
        { j->ram_bytes, 2 * PAGE, XEN_HVM_MEMMAP_TYPE_RESERVED, 0 },
    };
    struct hvm_modlist_entry mod = { j->initrd_gpa, j->initrd_len, 0, 0 };
    unsigned char acpi[ACPI_BLOB_SIZE];
    uint32_t d = j->r->domid;

    if (j->initrd_len) {
        si.nr_modules = 1;
        si.modlist_paddr = BUILD_MODLIST;
    }
    if (acpi_build(acpi, ACPI_BLOB_GPA, j->dc->vcpus))
        return tk_fail(j->tk, "writing ACPI tables", "%u vCPUs is outside 1..%d",
                       j->dc->vcpus, ACPI_MAX_VCPUS);
    if (gmem_copy(j->tk, d, BUILD_START_INFO, &si, sizeof(si)) ||
        gmem_copy(j->tk, d, BUILD_MEMMAP, mm, sizeof(mm)) ||
        (j->initrd_len && gmem_copy(j->tk, d, BUILD_MODLIST, &mod, sizeof(mod))) ||
        gmem_copy(j->tk, d, BUILD_CMDLINE, j->dc->cmdline, strlen(j->dc->cmdline) + 1) ||
        gmem_copy(j->tk, d, ACPI_BLOB_GPA, acpi, sizeof(acpi)))
        return tk_prefix(j->tk, "writing start info");
    return 0;
}

/* Console and xenstore: an unbound port each for dom0, and the HVM params
 * the guest reads to find page and port. */
static int channels(struct job *j)
{
    struct hv *h = j->tk->hv;
    uint32_t d = j->r->domid;
    long rc;

    if ((rc = hvc_evtchn_unbound(h, d, 0, &j->r->console_port)) ||
        (rc = hvc_evtchn_unbound(h, d, 0, &j->r->store_port)))
        return tk_hvfail(j->tk, "allocating console/xenstore event channels", rc);
    if ((rc = hvc_set_param(h, d, HVM_PARAM_CONSOLE_PFN, j->r->console_gfn)) ||
        (rc = hvc_set_param(h, d, HVM_PARAM_CONSOLE_EVTCHN, j->r->console_port)) ||
        (rc = hvc_set_param(h, d, HVM_PARAM_STORE_PFN, j->r->store_gfn)) ||
        (rc = hvc_set_param(h, d, HVM_PARAM_STORE_EVTCHN, j->r->store_port)))
        return tk_hvfail(j->tk, "setting console/xenstore HVM params", rc);
    return 0;
}

/* Grant entries 0 and 1 let dom0's console and xenstore backends map the
 * rings by grant reference (xenconsoled/xenstored do) before the guest has
 * touched its table. As libxenguest does for HVM guests without
 * acquire_resource: put grant frame 0 at a scratch gfn just above all
 * populated memory (Xen's maximum_gpfn + 1), map it, write, take it out. */
static int seed_entries(struct job *j, uint64_t scratch)
{
    uint64_t gfn[1] = { scratch };
    int err[1] = { 0 }, rc;
    grant_entry_v1_t *gt;

    gt = j->tk->hv->ops->map_foreign(j->tk->hv, (uint16_t)j->r->domid, gfn, 1, err, &rc);
    if (!gt)
        return tk_hvfail(j->tk, "seeding the grant table: mapping grant frame 0", rc);
    if (err[0]) {
        j->tk->hv->ops->unmap_foreign(j->tk->hv, gt, 1);
        return tk_hvfail(j->tk, "seeding the grant table: mapping grant frame 0", err[0]);
    }
    gt[GNTTAB_RESERVED_CONSOLE] = (grant_entry_v1_t){ GTF_permit_access, 0,
                                                      (uint32_t)j->r->console_gfn };
    gt[GNTTAB_RESERVED_XENSTORE] = (grant_entry_v1_t){ GTF_permit_access, 0,
                                                       (uint32_t)j->r->store_gfn };
    j->tk->hv->ops->unmap_foreign(j->tk->hv, gt, 1);
    return 0;
}

/* As Xen's builder, a failure here fails the domain: a backend that maps
 * the rings by grant (xenstored, xenconsoled) could not serve it. */
static int seed_grants(struct job *j)
{
    struct hv *h = j->tk->hv;
    uint64_t scratch = j->r->store_gfn + 1;
    long rc;

    rc = hvc_add_to_physmap(h, j->r->domid, XENMAPSPACE_grant_table, 0, scratch);
    if (rc)
        return tk_hvfail(j->tk, "seeding the grant table: adding grant frame 0 to the physmap",
                         rc);
    if (seed_entries(j, scratch)) {
        hvc_remove_from_physmap(h, j->r->domid, scratch);
        return -1;
    }
    rc = hvc_remove_from_physmap(h, j->r->domid, scratch);
    return rc ? tk_hvfail(j->tk, "seeding the grant table: removing the scratch frame", rc) : 0;
}

/* The PVH entry state: 32-bit protected mode, paging off, EBX = start info. */
static int vcpu_context(struct job *j)
{
    struct vcpu_guest_context *ctx = calloc(1, sizeof(*ctx));
    long rc;

    if (!ctx)
        return tk_fail(j->tk, "setting vCPU context", "out of memory in the toolstack");
    ctx->flags = VGCF_online;
    ctx->user_regs.rip = j->k.entry;
    ctx->user_regs.rbx = BUILD_START_INFO;
    ctx->user_regs.rflags = 2;
    ctx->user_regs.cs = 0x10;
    ctx->user_regs.ds = ctx->user_regs.es = ctx->user_regs.ss = 0x18;
    ctx->ctrlreg[0] = 0x11;             /* PE | ET */
    rc = hvc_set_vcpu_context(j->tk->hv, j->r->domid, 0, ctx);
    free(ctx);
    return rc ? tk_hvfail(j->tk, "setting vCPU context", rc) : 0;
}

int build_domain(struct tk *tk, const struct dom_config *dc, struct build_result *out)
{
    struct job j = { .tk = tk, .dc = dc, .r = out };
    char why[512];

    memset(out, 0, sizeof(*out));
    j.ram_bytes = dc->memory_mb << 20;
    if (kimg_load(dc->kernel, &j.k, why, sizeof(why)))
        return tk_fail(tk, "loading kernel", "%s: %s", dc->kernel, why);
    out->entry = j.k.entry;
    out->kernel_format = j.k.format;
    if (read_initrd(&j) || plan(&j) || create(&j))
        goto out_free;
    if (populate(&j) || load_kernel(&j) || write_boot_info(&j) || channels(&j) ||
        vcpu_context(&j) || seed_grants(&j))
        goto out_destroy;
    kimg_free(&j.k);
    free(j.initrd);
    return 0;

out_destroy:
    hvc_simple(tk->hv, XEN_DOMCTL_destroydomain, out->domid);
out_free:
    kimg_free(&j.k);
    free(j.initrd);
    return -1;
}
