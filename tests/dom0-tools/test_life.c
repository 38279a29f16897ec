/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The toolstack end to end on the host: domain builder, xenstore entries,
 * list/pause/destroy, the lifecycle monitor and their error paths, against
 * our real core/ (fake_hv.c) and our real xenstored.
 */
#include "unit.h"
#include "harness.h"
#include "acpi.h"
#include "dom.h"
#include "dstore.h"
#include "hvc.h"
#include "mon.h"
#include "errno.h"
#include "grant_table.h"
#include "memory.h"
#include "sched.h"
#include "hvm/hvm_op.h"
#include "hvm/params.h"
#include "hvm/start_info.h"

static struct h H;

static void config(struct dom_config *dc, const char *name, unsigned int mb)
{
    size_t len;
    unsigned char *e = h_elf(&len, 1);
    char initrd[5000];

    h_write_file(h_path(&H, "vmlinux"), e, len);
    free(e);
    memset(initrd, 'I', sizeof(initrd));
    h_write_file(h_path(&H, "initrd"), initrd, sizeof(initrd));
    memset(dc, 0, sizeof(*dc));
    snprintf(dc->name, sizeof(dc->name), "%s", name);
    dc->kernel = strdup(h_path(&H, "vmlinux"));
    dc->ramdisk = strdup(h_path(&H, "initrd"));
    dc->cmdline = strdup("console=hvc0 quiet");
    dc->memory_mb = dc->maxmem_mb = mb;
    dc->vcpus = dc->maxvcpus = 2;
    dc->on_poweroff = ACT_DESTROY;
    dc->on_reboot = ACT_RESTART;
    dc->on_crash = ACT_DESTROY;
    dc->on_watchdog = ACT_DESTROY;
}

static uint32_t create(struct dom_config *dc)
{
    struct build_result b;

    if (dom_create(&H.tk, dc, &b)) {
        fprintf(stderr, "create: %s\n", H.tk.err);
        abort();
    }
    return b.domid;
}

static uint64_t get_param(uint32_t domid, uint32_t idx)
{
    struct xen_hvm_param p = { (domid_t)domid, 0, idx, 0 };

    CHECK_EQ(hv_call(H.tk.hv, HVC_hvm_op, HVMOP_get_param, (uintptr_t)&p, 0), 0);
    return p.value;
}

static unsigned char *gpa(uint32_t domid, uint64_t addr)
{
    unsigned char *p = fake_hv_guest_page(domid, addr >> 12);

    return p ? p + (addr & 0xfff) : NULL;
}

TEST(create_builds_a_pvh_guest_in_core)
{
    struct dom_config dc;
    struct xen_domctl_getdomaininfo info;
    struct vcpu_guest_context ctx;
    struct hvm_start_info si;
    struct hvm_memmap_table_entry mm[4];
    struct hvm_modlist_entry mod;
    uint32_t d;
    unsigned char sum = 0;

    h_up(&H);
    config(&dc, "guest", 32);
    d = create(&dc);
    CHECK(d > 0);
    CHECK_EQ(hvc_getinfo(H.tk.hv, d, &info), 0);
    CHECK_EQ(info.tot_pages, 32 * 256 + 2);
    CHECK_EQ(info.max_pages, (32 * 1024 + BUILD_SLACK_KB) / 4);
    CHECK_EQ(info.max_vcpu_id, 1);
    CHECK(!(info.flags & XEN_DOMINF_paused));
    /* kernel bytes, bss, start info, memory map, module, command line */
    CHECK_EQ(gpa(d, K_PADDR + 5)[0], 36);
    CHECK_EQ(gpa(d, K_PADDR + K_FILESZ + 8)[0], 0);
    memcpy(&si, gpa(d, BUILD_START_INFO), sizeof(si));
    CHECK_EQ(si.magic, XEN_HVM_START_MAGIC_VALUE);
    CHECK_EQ(si.version, 1);
    CHECK_EQ(si.nr_modules, 1);
    CHECK_EQ(si.rsdp_paddr, ACPI_BLOB_GPA);
    CHECK_EQ(si.memmap_entries, 4);
    CHECK_STR((char *)gpa(d, si.cmdline_paddr), "console=hvc0 quiet");
    memcpy(mm, gpa(d, si.memmap_paddr), sizeof(mm));
    CHECK_EQ(mm[2].addr, 0x100000);
    CHECK_EQ(mm[2].addr + mm[2].size, 32u << 20);
    CHECK_EQ(mm[2].type, XEN_HVM_MEMMAP_TYPE_RAM);
    CHECK_EQ(mm[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
    memcpy(&mod, gpa(d, si.modlist_paddr), sizeof(mod));
    CHECK_EQ(mod.size, 5000);
    CHECK_EQ(mod.paddr & 0xfff, 0);
    CHECK_EQ(mod.paddr + 5000 <= (32u << 20), 1);
    CHECK_EQ(gpa(d, mod.paddr + 4999)[0], 'I');
    /* ACPI: RSDP signature and checksum; MADT has one x2APIC per vCPU */
    CHECK(!memcmp(gpa(d, ACPI_BLOB_GPA), "RSD PTR ", 8));
    for (int i = 0; i < 20; i++)
        sum = (unsigned char)(sum + gpa(d, ACPI_BLOB_GPA)[i]);
    CHECK_EQ(sum, 0);
    CHECK(!memcmp(gpa(d, ACPI_BLOB_GPA + 0x1D0), "APIC", 4));
    CHECK_EQ(gpa(d, ACPI_BLOB_GPA + 0x1D0 + 4)[0], 44 + 2 * 16);
    /* vCPU 0's PVH entry state */
    CHECK(fake_hv_vcpu_ctx(d, 0, &ctx, sizeof(ctx)));
    CHECK_EQ(ctx.user_regs.rip, K_ENTRY);
    CHECK_EQ(ctx.user_regs.rbx, BUILD_START_INFO);
    CHECK_EQ(ctx.ctrlreg[0], 0x11);
    CHECK(ctx.flags & VGCF_online);
    /* console and xenstore pages and ports, told through HVM params */
    CHECK_EQ(get_param(d, HVM_PARAM_CONSOLE_PFN), 32 * 256);
    CHECK_EQ(get_param(d, HVM_PARAM_STORE_PFN), 32 * 256 + 1);
    CHECK(get_param(d, HVM_PARAM_STORE_EVTCHN) > 0);
    h_down(&H);
}

TEST(create_writes_the_xenstore_entries)
{
    struct dom_config dc;
    struct xs_permissions *p;
    unsigned int n;
    char path[128], *vm, *s;
    uint32_t d;

    h_up(&H);
    config(&dc, "web", 32);
    d = create(&dc);
    snprintf(path, sizeof(path), "/local/domain/%u/name", d);
    CHECK_STR(h_read(&H, path), "web");
    snprintf(path, sizeof(path), "/local/domain/%u/memory/target", d);
    CHECK_STR(h_read(&H, path), "32768");
    snprintf(path, sizeof(path), "/local/domain/%u/cpu/1/availability", d);
    CHECK_STR(h_read(&H, path), "online");
    snprintf(path, sizeof(path), "/local/domain/%u/store/ring-ref", d);
    CHECK_STR(h_read(&H, path), "8193");
    snprintf(path, sizeof(path), "/local/domain/%u/console/type", d);
    CHECK_STR(h_read(&H, path), "xenconsoled");
    snprintf(path, sizeof(path), "/local/domain/%u/vm", d);
    vm = h_read(&H, path);
    CHECK(vm && !strncmp(vm, "/vm/", 4));
    snprintf(path, sizeof(path), "%s/name", vm);
    CHECK_STR(h_read(&H, path), "web");
    /* the guest owns control/shutdown, dom0 owns the rest and the guest reads it */
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d);
    p = xs_get_permissions(H.tk.xs, XBT_NULL, path, &n);
    CHECK(p && n == 2 && p[0].id == d);
    snprintf(path, sizeof(path), "/local/domain/%u/name", d);
    p = xs_get_permissions(H.tk.xs, XBT_NULL, path, &n);
    CHECK(p && n == 2 && p[0].id == 0 && p[1].id == d && p[1].perms == XS_PERM_READ);
    /* Linux writes its control/feature-* nodes itself, as the domain */
    for (const char **f = (const char *[]){ "feature-poweroff", "feature-reboot",
                                             "feature-suspend", "sysrq", NULL }; *f; f++) {
        snprintf(path, sizeof(path), "/local/domain/%u/control/%s", d, *f);
        p = xs_get_permissions(H.tk.xs, XBT_NULL, path, &n);
        CHECK(p && n == 2 && p[0].id == d && p[1].id == 0);
    }
    snprintf(path, sizeof(path), "/local/domain/%u/control", d);
    p = xs_get_permissions(H.tk.xs, XBT_NULL, path, &n);
    CHECK(p && p[0].id == 0);       /* but may not add nodes of its own there */
    CHECK(xs_is_domain_introduced(H.tk.xs, d));
    s = xs_get_domain_path(H.tk.xs, d);
    CHECK(s && !strncmp(s, "/local/domain/", 14));
    h_down(&H);
}

TEST(list_pause_and_credit)
{
    struct dom_config dc;
    struct dom_info *l;
    unsigned int n, w = 512, cap = 50;
    uint32_t d;

    h_up(&H);
    config(&dc, "lister", 32);
    d = create(&dc);
    CHECK_EQ(dom_list(&H.tk, ~0u, &l, &n), 0);
    CHECK_EQ(n, 2);
    CHECK_STR(l[0].name, "Domain-0");
    CHECK_STR(l[1].name, "lister");
    CHECK_EQ(l[1].mem_kb, (32 * 256 + 2) * 4);
    CHECK_EQ(l[1].state[2], '-');
    free(l);
    CHECK_EQ(dom_pause(&H.tk, d, 1), 0);
    CHECK_EQ(dom_list(&H.tk, d, &l, &n), 0);
    CHECK_EQ(l[0].state[2], 'p');
    free(l);
    CHECK_EQ(dom_pause(&H.tk, d, 0), 0);
    CHECK_EQ(dom_credit(&H.tk, d, 1, &w, &cap), 0);
    w = cap = 0;
    CHECK_EQ(dom_credit(&H.tk, d, 0, &w, &cap), 0);
    CHECK_EQ(w, 512);
    CHECK_EQ(cap, 50);
    w = 0;
    cap = 7;       /* weight 0 keeps the weight */
    CHECK_EQ(dom_credit(&H.tk, d, 1, &w, &cap), 0);
    CHECK_EQ(dom_credit(&H.tk, d, 0, &w, &cap), 0);
    CHECK_EQ(w, 512);
    CHECK_EQ(cap, 7);
    CHECK_EQ(dom_resolve(&H.tk, "lister", &d), 0);
    CHECK_EQ(dom_resolve(&H.tk, "nobody", &d), -1);
    CHECK_STR(H.tk.err, "looking up domain: 'nobody' is not a domain name or id");
    CHECK_EQ(dom_list(&H.tk, 77, &l, &n), -1);
    CHECK_STR(H.tk.err, "looking up domain: no domain 77");
    h_down(&H);
}

TEST(destroy_gives_everything_back)
{
    struct dom_config dc;
    uint64_t frames0;
    unsigned int nodes0;
    char path[64];
    uint32_t d;

    h_up(&H);
    frames0 = fake_env_frames();
    nodes0 = h_count_nodes(&H, "/");
    config(&dc, "gone", 32);
    d = create(&dc);
    CHECK(fake_env_frames() > frames0 + 32 * 256);
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    CHECK_EQ(fake_env_frames(), frames0);
    CHECK_EQ(fake_hv_domains(), 1);
    CHECK_EQ(h_count_nodes(&H, "/"), nodes0);
    snprintf(path, sizeof(path), "/local/domain/%u", d);
    CHECK(!h_read(&H, path));
    CHECK(!xs_is_domain_introduced(H.tk.xs, d));
    CHECK_EQ(dom_destroy(&H.tk, d), -1);
    CHECK_STR(H.tk.err, "destroying domain: no domain 1");
    CHECK_EQ(dom_destroy(&H.tk, 0), -1);
    CHECK_STR(H.tk.err, "destroying domain: Domain-0 cannot be destroyed");
    h_down(&H);
}

TEST(twenty_create_destroy_cycles_leave_nothing_behind)
{
    struct dom_config dc;
    uint64_t frames0;
    unsigned int nodes0, fds0;

    h_up(&H);
    config(&dc, "cycle", 16);
    frames0 = fake_env_frames();
    nodes0 = h_count_nodes(&H, "/");
    fds0 = h_open_fds();
    dc.kernel = strdup(dc.kernel);
    for (int i = 0; i < 20; i++) {
        struct build_result b;

        dc.memory_mb = dc.maxmem_mb = 32;
        CHECK_EQ(dom_create(&H.tk, &dc, &b), 0);
        CHECK_EQ(dom_destroy(&H.tk, b.domid), 0);
    }
    CHECK_EQ(fake_env_frames(), frames0);
    CHECK_EQ(h_count_nodes(&H, "/"), nodes0);
    CHECK_EQ(h_open_fds(), fds0);
    CHECK_EQ(fake_hv_domains(), 1);
    h_down(&H);
}

/* A failed create names its step and leaves no domain, memory or node. */
static void create_fails(struct dom_config *dc, const char *want)
{
    uint64_t frames0 = fake_env_frames();
    unsigned int nodes0 = h_count_nodes(&H, "/"), doms0 = fake_hv_domains();
    struct build_result b;

    CHECK_EQ(dom_create(&H.tk, dc, &b), -1);
    if (strncmp(H.tk.err, want, strlen(want)))
        fprintf(stderr, "want '%s'\n got '%s'\n", want, H.tk.err);
    CHECK(!strncmp(H.tk.err, want, strlen(want)));
    CHECK_EQ(fake_env_frames(), frames0);
    CHECK_EQ(h_count_nodes(&H, "/"), nodes0);
    CHECK_EQ(fake_hv_domains(), doms0);
}

/* Values up to what a xenstore message holds: a 3000-byte command line was
 * cut at 511 bytes. Longer: a clear error, nothing left behind. */
#define LONG_CMD 3000
TEST(create_stores_a_long_command_line_whole)
{
    struct dom_config dc;
    char path[160], *vm, *got, want[256];
    uint32_t d;

    h_up(&H);
    config(&dc, "longcmd", 32);
    free(dc.cmdline);
    dc.cmdline = malloc(BUILD_CMDLINE_MAX);
    for (unsigned int i = 0; i < BUILD_CMDLINE_MAX - 1; i++)
        dc.cmdline[i] = (char)('a' + i % 26);
    dc.cmdline[LONG_CMD] = '\0';
    d = create(&dc);
    snprintf(path, sizeof(path), "/local/domain/%u/vm", d);
    vm = h_read(&H, path);
    CHECK(vm);
    snprintf(path, sizeof(path), "%s/image/cmdline", vm);
    got = h_read(&H, path);
    CHECK(got && strlen(got) == LONG_CMD);
    CHECK_STR(got, dc.cmdline);
    CHECK_STR((char *)gpa(d, BUILD_CMDLINE), dc.cmdline);
    config(&dc, "longercmd", 32);
    free(dc.cmdline);
    dc.cmdline = malloc(BUILD_CMDLINE_MAX);
    memset(dc.cmdline, 'x', BUILD_CMDLINE_MAX - 1);
    dc.cmdline[BUILD_CMDLINE_MAX - 1] = '\0';
    snprintf(want, sizeof(want), "writing xenstore entries: /vm/");
    create_fails(&dc, want);
    CHECK(strstr(H.tk.err, "/image/cmdline: a value of 4095 bytes does not fit in a "
                           "xenstore message (4096 bytes with the path)"));
    h_down(&H);
}

TEST(create_errors_name_the_step_and_leave_nothing)
{
    struct dom_config dc;
    char want[256];

    h_up(&H);
    config(&dc, "bad", 32);
    free(dc.kernel);
    dc.kernel = strdup("/nonexistent/vmlinuz");
    create_fails(&dc, "loading kernel: /nonexistent/vmlinuz: cannot open: No such file");
    config(&dc, "bad", 32);
    free(dc.ramdisk);
    dc.ramdisk = strdup("/nonexistent/initrd");
    create_fails(&dc, "loading ramdisk: /nonexistent/initrd: No such file or directory");
    /* Checked before it is read: a sparse 40 MiB file for a 32 MiB guest. */
    config(&dc, "bad", 32);
    h_write_file(h_path(&H, "big-initrd"), "x", 1);
    CHECK_EQ(truncate(h_path(&H, "big-initrd"), 40 << 20), 0);
    free(dc.ramdisk);
    dc.ramdisk = strdup(h_path(&H, "big-initrd"));
    snprintf(want, sizeof(want), "loading ramdisk: %s: 41943040 bytes do not fit in the "
             "guest's 32 MiB of RAM", dc.ramdisk);
    create_fails(&dc, want);
    config(&dc, "bad", 32);
    free(dc.ramdisk);
    dc.ramdisk = strdup(H.dir);
    snprintf(want, sizeof(want), "loading ramdisk: %s: not a regular, non-empty file", H.dir);
    create_fails(&dc, want);
    config(&dc, "bad", 8);
    create_fails(&dc, "planning guest memory: kernel needs memory up to 0x1003000 but the "
                      "guest has only 8 MiB");
    config(&dc, "bad", 4000);
    create_fails(&dc, "planning guest memory: memory = 4000 MiB: this builder places all RAM "
                      "below 3.75 GiB");
    config(&dc, "bad", 2048);       /* more than the fake machine's 1 GiB */
    create_fails(&dc, "populating memory: the hypervisor gave only part of 2048 MiB");
    config(&dc, "bad", 32);
    free(dc.cmdline);
    dc.cmdline = calloc(1, 5000);
    memset(dc.cmdline, 'x', 4999);
    create_fails(&dc, "planning guest memory: command line longer than 4095 bytes");
    config(&dc, "bad", 32);
    dc.maxvcpus = dc.vcpus = 200;
    create_fails(&dc, "creating domain: hypervisor refused: invalid argument (EINVAL, -22)");
    config(&dc, "twice", 32);
    create(&dc);
    config(&dc, "twice", 32);
    snprintf(want, sizeof(want), "checking the name: a domain named 'twice' already exists");
    create_fails(&dc, want);
    h_down(&H);
}

/* dom0 maps domU's grant ref at its gfn 0x3000000 as a backend would (C
 * xenstored through gntdev ref 1, xenconsoled ref 0): 0 or the status. */
#define BACKEND_GFN 0x3000000ULL
static int backend_map(uint32_t d, grant_ref_t ref, grant_handle_t *handle)
{
    struct gnttab_map_grant_ref m = { BACKEND_GFN << 12, GNTMAP_host_map, ref,
                                      (domid_t)d, 0, 0, 0 };

    CHECK_EQ(hv_call(H.tk.hv, HVC_grant_table_op, GNTTABOP_map_grant_ref, (uintptr_t)&m, 1),
             0);
    *handle = m.handle;
    return m.status;
}

static void backend_unmap(grant_handle_t handle)
{
    struct gnttab_unmap_grant_ref u = { BACKEND_GFN << 12, 0, handle, 0 };

    CHECK_EQ(hv_call(H.tk.hv, HVC_grant_table_op, GNTTABOP_unmap_grant_ref, (uintptr_t)&u, 1),
             0);
    CHECK_EQ(u.status, GNTST_okay);
}

/* The seeding maps domU's grant frame foreign, as Xen allows: refs 0 and 1
 * must then work for the backends, with no warning. */
TEST(create_seeds_grant_refs_0_and_1_for_the_console_and_store_backends)
{
    struct dom_config dc;
    grant_handle_t hd;
    uint64_t frames0, ring[2] = { 32 * 256, 32 * 256 + 1 };
    uint32_t d;

    h_up(&H);
    frames0 = fake_env_frames();
    config(&dc, "granted", 32);
    d = create(&dc);
    CHECK_EQ(d, 1);
    CHECK_STR(H.warns, "");
    for (grant_ref_t ref = GNTTAB_RESERVED_CONSOLE; ref <= GNTTAB_RESERVED_XENSTORE; ref++) {
        unsigned char *guest = fake_hv_guest_page(d, ring[ref]), *back;

        CHECK_EQ(backend_map(d, ref, &hd), GNTST_okay);
        back = fake_hv_guest_page(0, BACKEND_GFN);
        CHECK(guest && back);
        guest[100] = (unsigned char)(0x5a + ref);       /* one frame, seen twice */
        CHECK_EQ(back[100], 0x5a + ref);
        backend_unmap(hd);
    }
    CHECK(backend_map(d, 2, &hd) != GNTST_okay);        /* only refs 0 and 1 */
    /* The scratch gfn above the store page is gone from the guest's map, and
     * dom0's mapping of it too. */
    CHECK(!fake_hv_guest_page(0, ring[1] + 1));
    CHECK(!fake_hv_guest_page(d, ring[1] + 1));
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    CHECK_EQ(fake_env_frames(), frames0);
    h_down(&H);
}

/* Fault injection around the fake: refuse one memory_op or the mapping of
 * the scratch gfn, or stand in for a hypervisor that maps the grant frame
 * (into the page below, where the test reads what the builder wrote). */
static struct hv *real_hv;
static unsigned int fail_memop = ~0u;
static uint64_t fail_map_gfn, pretend_gfn;
static grant_entry_v1_t pretend_page[512] __attribute__((aligned(4096)));
static unsigned int pretend_unmaps;

static long flaky_call(struct hv *h, unsigned int nr, const uint64_t a[5])
{
    if (nr == HVC_memory_op && a[0] == fail_memop)
        return -XEN_EBUSY;
    return real_hv->ops->hypercall(real_hv, nr, a);
}

static void *flaky_map(struct hv *h, uint16_t domid, const uint64_t *gfns, unsigned int n,
                       int *errs, int *rc)
{
    if (n == 1 && gfns[0] == fail_map_gfn) {
        *rc = -XEN_EINVAL;
        return NULL;
    }
    if (n == 1 && gfns[0] == pretend_gfn) {
        errs[0] = 0;
        return pretend_page;
    }
    return real_hv->ops->map_foreign(real_hv, domid, gfns, n, errs, rc);
}

static void flaky_unmap(struct hv *h, void *addr, unsigned int n)
{
    if (addr == pretend_page) {
        pretend_unmaps++;
        return;
    }
    real_hv->ops->unmap_foreign(real_hv, addr, n);
}

static const struct hv_ops flaky_ops = { flaky_call, flaky_map, flaky_unmap, NULL };

TEST(seeding_writes_xens_reserved_entries_through_the_mapped_frame)
{
    struct hv flaky = { &flaky_ops };
    struct dom_config dc;
    uint32_t d;

    h_up(&H);
    real_hv = H.tk.hv;
    H.tk.hv = &flaky;
    pretend_gfn = 32 * 256 + 2;         /* the scratch gfn: above RAM + the two rings */
    config(&dc, "seeded", 32);
    d = create(&dc);
    CHECK_STR(H.warns, "");
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_CONSOLE].flags, GTF_permit_access);
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_CONSOLE].domid, 0);
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_CONSOLE].frame, 32 * 256);
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_XENSTORE].flags, GTF_permit_access);
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_XENSTORE].domid, 0);
    CHECK_EQ(pretend_page[GNTTAB_RESERVED_XENSTORE].frame, 32 * 256 + 1);
    CHECK_EQ(pretend_page[2].flags, 0);
    CHECK_EQ(pretend_unmaps, 1);
    CHECK(!fake_hv_guest_page(d, pretend_gfn));     /* added, then removed again */
    CHECK_EQ(dom_destroy(&H.tk, d), 0);
    H.tk.hv = real_hv;
    h_down(&H);
}

/* A seeding failure fails the create, as in Xen's builder: the error names
 * the step and reason, and nothing is left (domain, frames, store nodes). */
static void seed_fails(const char *want)
{
    struct dom_config dc;

    H.warns[0] = '\0';
    config(&dc, "seedfail", 32);
    create_fails(&dc, want);
    CHECK_STR(H.warns, "");
}

TEST(grant_seeding_failures_name_the_step_and_leave_nothing)
{
    struct hv flaky = { &flaky_ops };
    uint64_t frames0;

    h_up(&H);
    frames0 = fake_env_frames();
    real_hv = H.tk.hv;
    H.tk.hv = &flaky;
    fail_memop = XENMEM_add_to_physmap;
    seed_fails("seeding the grant table: adding grant frame 0 to the physmap: "
               "hypervisor refused: busy (EBUSY, -16)");
    fail_memop = ~0u;
    fail_map_gfn = 32 * 256 + 2;
    seed_fails("seeding the grant table: mapping grant frame 0: hypervisor refused: "
               "invalid argument (EINVAL, -22)");
    fail_map_gfn = 0;
    pretend_gfn = 32 * 256 + 2;
    fail_memop = XENMEM_remove_from_physmap;
    seed_fails("seeding the grant table: removing the scratch frame: hypervisor "
               "refused: busy (EBUSY, -16)");
    fail_memop = ~0u;
    pretend_gfn = 0;
    CHECK_EQ(pretend_unmaps, 1);                    /* the pretend mapping was let go */
    CHECK_EQ(fake_env_frames(), frames0);
    H.tk.hv = real_hv;
    h_down(&H);
}

TEST(unprivileged_callers_are_refused_with_a_log_line)
{
    struct dom_config dc;
    struct xen_domctl op = { .cmd = XEN_DOMCTL_pausedomain,
                             .interface_version = XEN_DOMCTL_INTERFACE_VERSION };
    uint32_t d;

    h_up(&H);
    config(&dc, "user", 32);
    d = create(&dc);
    op.domain = 0;
    CHECK_EQ(fake_hv_call_as(d, HVC_domctl, (uint64_t[5]){ (uintptr_t)&op }), -XEN_EPERM);
    CHECK(fake_hv_log_has("hypercall domctl: not the control domain"));
    h_down(&H);
}

static void guest_shuts_down(uint32_t d, unsigned int reason)
{
    CHECK_EQ(fake_hv_guest_shutdown(d, reason), 0);
}

TEST(monitor_on_poweroff_destroys)
{
    struct dom_config dc;
    uint64_t frames0;
    uint32_t d;

    h_up(&H);
    frames0 = fake_env_frames();
    config(&dc, "pw", 32);
    d = create(&dc);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_RUNNING);
    guest_shuts_down(d, SHUTDOWN_poweroff);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_DONE);
    CHECK_EQ(fake_hv_domains(), 1);
    CHECK_EQ(fake_env_frames(), frames0);
    CHECK(strstr(H.warns, "Domain 1 (pw) has shut down, reason code 0 (poweroff): action destroy"));
    h_down(&H);
}

TEST(monitor_on_reboot_restarts_with_the_same_name)
{
    struct dom_config dc;
    uint32_t d, first;
    char path[64];

    h_up(&H);
    config(&dc, "rb", 32);
    first = d = create(&dc);
    guest_shuts_down(d, SHUTDOWN_reboot);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_RESTARTED);
    CHECK(d != first);
    CHECK_EQ(fake_hv_domains(), 2);
    CHECK_EQ(dstore_lookup(&H.tk, "rb"), d);
    snprintf(path, sizeof(path), "/local/domain/%u", first);
    CHECK(!h_read(&H, path));
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_RUNNING);
    h_down(&H);
}

TEST(monitor_on_crash_preserve_keeps_the_domain)
{
    struct dom_config dc;
    struct dom_info i;
    uint32_t d;

    h_up(&H);
    config(&dc, "cr", 32);
    dc.on_crash = ACT_PRESERVE;
    d = create(&dc);
    guest_shuts_down(d, SHUTDOWN_crash);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_DONE);
    CHECK_EQ(dom_info(&H.tk, d, &i), 0);
    CHECK_STR(i.state, "----c-");
    CHECK_EQ(i.shutdown_reason, SHUTDOWN_crash);
    h_down(&H);
}

TEST(monitor_rename_restart_and_watchdog)
{
    struct dom_config dc;
    uint32_t d, old;
    char *name;

    h_up(&H);
    config(&dc, "rn", 32);
    dc.on_reboot = ACT_RENAME_RESTART;
    old = d = create(&dc);
    guest_shuts_down(d, SHUTDOWN_reboot);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_RESTARTED);
    name = dstore_name(&H.tk, old);
    CHECK_STR(name, "rn--1");
    CHECK_EQ(dstore_lookup(&H.tk, "rn"), d);
    guest_shuts_down(d, SHUTDOWN_watchdog);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_DONE);
    CHECK_EQ(fake_hv_domains(), 2);
    h_down(&H);
}

TEST(monitor_sees_a_domain_destroyed_elsewhere)
{
    struct dom_config dc;
    uint32_t d;

    h_up(&H);
    config(&dc, "ext", 32);
    d = create(&dc);
    CHECK_EQ(hvc_simple(H.tk.hv, XEN_DOMCTL_destroydomain, d), 0);
    CHECK_EQ(mon_step(&H.tk, &dc, &d), MON_DONE);
    CHECK(!dstore_name(&H.tk, d));
    h_down(&H);
}

TEST(shutdown_and_reboot_requests_go_through_the_store)
{
    struct dom_config dc;
    char path[64];
    uint32_t d;

    h_up(&H);
    config(&dc, "req", 32);
    d = create(&dc);
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", d);
    CHECK_EQ(dom_shutdown(&H.tk, d, 0), 0);
    CHECK_STR(h_read(&H, path), "poweroff");
    CHECK_EQ(dom_shutdown(&H.tk, d, 1), 0);
    CHECK_STR(h_read(&H, path), "reboot");
    CHECK_EQ(dom_shutdown(&H.tk, 42, 0), -1);
    CHECK_STR(H.tk.err, "shutting down domain: hypervisor refused: no such domain (ESRCH, -3)");
    h_down(&H);
}

TEST(monitor_loop_runs_until_the_domain_is_gone)
{
    struct dom_config dc;
    uint32_t d;

    h_up(&H);
    config(&dc, "loop", 32);
    d = create(&dc);
    guest_shuts_down(d, SHUTDOWN_poweroff);
    CHECK_EQ(mon_run(&H.tk, &dc, d), 0);
    CHECK_EQ(fake_hv_domains(), 1);
    CHECK(!dstore_name(&H.tk, d));
    h_down(&H);
}
