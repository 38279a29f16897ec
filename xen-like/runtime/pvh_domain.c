/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot-time PVH domain descriptions (pvh_domain_*): parsing the `domu=`
 * value of the hypervisor command line and checking it against the boot
 * modules, and building the domain (core objects, RAM, kernel, start
 * info, ACPI). Not here: the option registration (the boot code's) and the
 * vCPUs' SVM state (svm.c).
 */
#include "pvh_domain.h"
#include "acpi_build.h"
#include "bzimage.h"
#include "domain.h"
#include "domctl.h"
#include "evtchn.h"
#include "hvm/params.h"
#include "mm.h"
#include "xen.h"            /* hypercalls/: SIF_* */

static int fail(const char **why, const char *reason, int err)
{
    if (why)
        *why = reason;
    return err;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

/* Copy [v, v+n) into dst (cap bytes with the NUL); false if it does not fit. */
static bool copy_str(char *dst, size_t cap, const char *v, size_t n)
{
    size_t i;

    if (n >= cap)
        return false;
    for (i = 0; i < n; i++)
        dst[i] = v[i];
    dst[n] = 0;
    return true;
}

static bool key_is(const char *k, size_t klen, const char *want)
{
    size_t i;

    for (i = 0; i < klen; i++)
        if (want[i] != k[i])
            return false;
    return want[klen] == 0;
}

static int digit(char c, unsigned int base)
{
    int d = c >= '0' && c <= '9' ? c - '0' :
            c >= 'a' && c <= 'f' ? c - 'a' + 10 :
            c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;

    return d < (int)base ? d : -1;
}

/* [v, v+n) as decimal or 0x-hex, with a K/M/G suffix if size, within
 * [lo, hi]. 0, or -1 on junk, overflow or range. */
static int number(const char *v, size_t n, bool size, uint64_t lo,
                  uint64_t hi, uint64_t *out)
{
    unsigned int base = 10, shift = 0;
    uint64_t x = 0;
    size_t i = 0;
    int d;

    if (n > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (size && n > i) {
        char c = v[n - 1];
        shift = c == 'K' || c == 'k' ? 10 : c == 'M' || c == 'm' ? 20 :
                c == 'G' || c == 'g' ? 30 : 0;
        n -= shift ? 1 : 0;
    }
    if (i == n)
        return -1;
    for (; i < n; i++) {
        d = digit(v[i], base);
        if (d < 0 || x > (UINT64_MAX - (uint64_t)d) / base)
            return -1;
        x = x * base + (uint64_t)d;
    }
    if (x > (UINT64_MAX >> shift))
        return -1;
    x <<= shift;
    if (x < lo || x > hi)
        return -1;
    *out = x;
    return 0;
}

static int set_name(struct pvh_domain_spec *s, const char *v, size_t n,
                    const char **why)
{
    size_t i;

    if (n == 0 || !copy_str(s->name, sizeof(s->name), v, n))
        return fail(why, "name must be 1..31 characters", -XEN_EINVAL);
    for (i = 0; i < n; i++)
        if (!name_char(v[i]))
            return fail(why, "name may only use letters, digits, - _ .",
                        -XEN_EINVAL);
    return 0;
}

static int set_module(int *mod, const char *v, size_t n, const char **why)
{
    uint64_t x;

    if (number(v, n, false, 0, 63, &x))
        return fail(why, "module index must be 0..63", -XEN_EINVAL);
    *mod = (int)x;
    return 0;
}

/* One key=value (not cmdline). */
static int set_key(struct pvh_domain_spec *s, const char *k, size_t klen,
                   const char *v, size_t n, bool has_val, const char **why)
{
    uint64_t x;

    if (key_is(k, klen, "control")) {
        if (has_val)
            return fail(why, "control takes no value", -XEN_EINVAL);
        s->control = true;
        return 0;
    }
    if (!has_val)
        return fail(why, "key without a value", -XEN_EINVAL);
    if (key_is(k, klen, "name"))
        return set_name(s, v, n, why);
    if (key_is(k, klen, "kernel"))
        return set_module(&s->kernel_mod, v, n, why);
    if (key_is(k, klen, "initrd"))
        return set_module(&s->initrd_mod, v, n, why);
    if (key_is(k, klen, "mem")) {
        if (number(v, n, true, PVH_DOMAIN_MEM_MIN, PVH_MAX_RAM, &x) || (x & 0xFFF))
            return fail(why, "mem must be a page multiple, 32 MiB..3.75 GiB",
                        -XEN_EINVAL);
        s->mem_bytes = x;
        return 0;
    }
    if (key_is(k, klen, "vcpus")) {
        if (number(v, n, false, 1, PVH_DOMAIN_VCPUS_MAX, &x))
            return fail(why, "vcpus must be 1..128", -XEN_EINVAL);
        s->vcpus = (unsigned int)x;
        return 0;
    }
    if (key_is(k, klen, "weight")) {
        if (number(v, n, false, 1, PVH_DOMAIN_WEIGHT_MAX, &x))
            return fail(why, "weight must be 1..65535", -XEN_EINVAL);
        s->weight = (unsigned int)x;
        return 0;
    }
    return fail(why, "unknown key (name, mem, vcpus, weight, kernel, initrd, "
                "control, cmdline)", -XEN_EINVAL);
}

static void defaults(struct pvh_domain_spec *s)
{
    s->name[0] = 0;
    s->mem_bytes = PVH_DOMAIN_MEM_DEFAULT;
    s->vcpus = 1;
    s->weight = PVH_DOMAIN_WEIGHT_DEFAULT;
    s->kernel_mod = PVH_NO_MODULE;
    s->initrd_mod = PVH_NO_MODULE;
    s->control = false;
    s->cmdline[0] = 0;
}

int pvh_domain_parse(const char *desc, struct pvh_domain_spec *s,
                     const char **why)
{
    const char *p = desc;
    int rc;

    defaults(s);
    while (*p) {
        const char *k = p, *eq = 0, *end;

        for (end = p; *end && *end != ','; end++)
            if (*end == '=' && !eq)
                eq = end;
        if (eq && key_is(k, (size_t)(eq - k), "cmdline")) {
            size_t n = 0;
            while (eq[1 + n])
                n++;
            if (!copy_str(s->cmdline, sizeof(s->cmdline), eq + 1, n))
                return fail(why, "cmdline longer than 2047 bytes", -XEN_E2BIG);
            break;
        }
        rc = set_key(s, k, (size_t)((eq ? eq : end) - k),
                     eq ? eq + 1 : end, eq ? (size_t)(end - eq - 1) : 0,
                     eq != 0, why);
        if (rc)
            return rc;
        p = *end ? end + 1 : end;
    }
    if (!s->name[0])
        return fail(why, "no name=", -XEN_EINVAL);
    if (s->kernel_mod == PVH_NO_MODULE)
        return fail(why, "no kernel=", -XEN_EINVAL);
    return 0;
}

int pvh_domain_check_modules(const struct pvh_domain_spec *s,
                             unsigned int nr_modules, const char **why)
{
    if (s->kernel_mod < 0 || (unsigned int)s->kernel_mod >= nr_modules)
        return fail(why, "kernel= names a module the loader did not give",
                    -XEN_EINVAL);
    if (s->initrd_mod != PVH_NO_MODULE &&
        (unsigned int)s->initrd_mod >= nr_modules)
        return fail(why, "initrd= names a module the loader did not give",
                    -XEN_EINVAL);
    if (s->initrd_mod == s->kernel_mod)
        return fail(why, "kernel and initrd are the same module", -XEN_EINVAL);
    return 0;
}

uint32_t pvh_domain_start_flags(const struct pvh_domain_spec *s)
{
    return s->control ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
}

/* ---- building ---------------------------------------------------------- */

#define GRANT_FRAMES   32
#define EXTRA_PAGES    256     /* grant frames, ballooning slack */
#define NR_SPECIAL     2       /* console ring, (future) xenstore ring */

/* Guest-physical writes through the p2m, page by page. */
static int gmem_op(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    struct domain *d = ctx;
    const uint8_t *s = src;

    while (len) {
        size_t off = gpa & 0xFFF, n = 0x1000 - off;
        mfn_t mfn;
        enum mm_kind kind;
        bool writable;
        uint8_t *p;

        if (n > len)
            n = len;
        if (mm_lookup(d, gpa >> 12, &mfn, &kind, &writable) || kind != MM_RAM)
            return -XEN_EFAULT;
        p = (uint8_t *)env_frame_va(mfn) + off;
        if (s) {
            memcpy(p, s, n);
            s += n;
        } else {
            memset(p, 0, n);
        }
        gpa += n;
        len -= n;
    }
    return 0;
}

static int gmem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    return gmem_op(ctx, gpa, src, len);
}

static int gmem_zero(void *ctx, uint64_t gpa, size_t len)
{
    return gmem_op(ctx, gpa, NULL, len);
}

typedef int (*populate_fn)(struct domain *d, uint64_t gfn, unsigned int order);

/* [gfn, end) with the largest naturally aligned extents core allows. */
static int populate_range(struct domain *d, uint64_t gfn, uint64_t end, populate_fn fn)
{
    int rc;

    while (gfn < end) {
        unsigned int order = (!(gfn & 511) && end - gfn >= 512) ? 9 : 0;
        if ((rc = fn(d, gfn, order)))
            return rc;
        gfn += 1ull << order;
    }
    return 0;
}

#define LOW_MIB_PAGES 256

static int populate(struct domain *d, uint64_t ram_bytes)
{
    uint64_t ram = ram_bytes >> 12, low = ram < LOW_MIB_PAGES ? ram : LOW_MIB_PAGES;
    /* A control domain's RAM above the first MiB is not zeroed, as Xen
     * builds dom0: zeroing 768 MiB touched every page (seconds under QEMU)
     * before Linux needed any; the loader zeroes what it places (BSS,
     * start info). The first MiB (ACPI tables, the ROM area) and the
     * console/xenstore pages always are. */
    populate_fn bulk = d->is_privileged ? mm_populate_unscrubbed : mm_populate;
    int rc;

    mm_set_max_pages(d, ram + EXTRA_PAGES);
    /* The whole first MiB is backed, the legacy hole too (E820 calls it
     * reserved): Linux probes the ROM area 0xC0000-0xFFFFF and must read
     * something there; there is no device to emulate. */
    if ((rc = populate_range(d, 0, low, mm_populate)) ||
        (rc = populate_range(d, low, ram, bulk)))
        return rc;
    return populate_range(d, ram, ram + NR_SPECIAL, mm_populate);
}

/* A channel whose both ends are d's: the guest gets `port`, the hypervisor
 * keeps the other end to notify it. */
static int console_channel(struct domain *d, struct pvh_domain_boot *boot)
{
    struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF };
    int rc;

    if ((rc = evtchn_alloc_unbound(d->vcpus[0], &a)))
        return rc;
    b.remote_port = a.port;
    if ((rc = evtchn_bind_interdomain(d->vcpus[0], &b)))
        return rc;
    boot->console_port = a.port;
    boot->console_backend_port = b.local_port;
    d->hvm_params[HVM_PARAM_CONSOLE_PFN] = boot->console_gfn;
    d->hvm_params[HVM_PARAM_CONSOLE_EVTCHN] = a.port;
    return 0;
}

static int write_acpi(struct domain *d, unsigned int vcpus, const char **why)
{
    struct acpi_build_params p = { PVH_ACPI_BASE, vcpus, false };
    uint8_t *blob = env_zalloc(PVH_ACPI_SIZE);
    size_t used;
    int rc;

    if (!blob)
        return fail(why, "no memory for the ACPI tables", -XEN_ENOMEM);
    rc = acpi_build(blob, PVH_ACPI_SIZE, &p, &used, why);
    if (!rc && gmem_write(d, PVH_ACPI_BASE, blob, used))
        rc = fail(why, "cannot write the ACPI tables", -XEN_EFAULT);
    env_free(blob);
    return rc;
}

static int create(const struct pvh_domain_spec *spec, uint16_t domid,
                  struct domain **d)
{
    struct xen_domctl_createdomain cfg = {
        .flags = XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap,
        .max_vcpus = spec->vcpus,
        .max_evtchn_port = 4095,
        .max_grant_frames = GRANT_FRAMES,
        .max_maptrack_frames = 64,
        .grant_opts = 1,                /* grant table v1 */
        .arch.emulation_flags = XEN_X86_EMU_LAPIC,
    };

    return domain_create(domid, &cfg, spec->control, d);
}

static int load(struct domain *d, const struct pvh_domain_spec *spec,
                const void *kernel, size_t klen, const void *initrd,
                size_t ilen, struct pvh_domain_boot *boot, const char **why)
{
    struct pvh_guest_mem mem = { d, gmem_write, gmem_zero };
    struct pvh_boot_params p = {
        .ram_bytes = spec->mem_bytes, .cmdline = spec->cmdline,
        .initrd = initrd, .initrd_len = ilen,
        .flags = pvh_domain_start_flags(spec), .nr_special = NR_SPECIAL,
    };
    struct pvh_image img;
    struct pvh_boot_plan plan;
    int rc;

    if ((rc = pvh_elf_parse(kernel, klen, &img, why)) ||
        (rc = pvh_elf_load(&img, kernel, &mem, why)) ||
        (rc = pvh_boot_write(&img, &p, &mem, &plan, why)) ||
        (rc = write_acpi(d, spec->vcpus, why)))
        return rc;
    pvh_entry_state(&plan, &boot->entry);
    boot->console_gfn = plan.special_gfn;
    boot->nr_memmap = pvh_memmap(&p, boot->memmap);
    return 0;
}

/* A bzImage kernel module becomes its decompressed vmlinux (in bk, freed by
 * the caller); anything else is passed on to the ELF parser unchanged. */
static int unpack_kernel(const struct pvh_domain_spec *spec, uint16_t domid,
                         const void **kernel, size_t *klen,
                         struct bzimage_kernel *bk, const char **why)
{
    uint64_t t0 = env_now_ns();
    int rc;

    rc = bzimage_unpack(*kernel, *klen, bk, why);
    if (rc == -XEN_ENOEXEC)
        return 0;
    if (rc) {
        env_log(LOG_ERR, "d%u (%s): kernel module %d: %s\n", domid,
                spec->name, spec->kernel_mod, *why);
        return rc;
    }
    env_log(LOG_INFO, "d%u (%s): kernel module %d: bzImage %s payload %zu -> "
            "%zu bytes (bound %zu) decompressed in %lu ms\n", domid,
            spec->name, spec->kernel_mod, bk->format, bk->payload_len,
            bk->len, bk->cap, (unsigned long)((env_now_ns() - t0) / 1000000));
    *kernel = bk->elf;
    *klen = bk->len;
    return 0;
}

int pvh_domain_build(const struct pvh_domain_spec *spec, uint16_t domid,
                     const void *kernel, size_t kernel_len,
                     const void *initrd, size_t initrd_len,
                     struct domain **out, struct pvh_domain_boot *boot,
                     const char **why)
{
    struct bzimage_kernel bk = { 0 };
    struct domain *d;
    int rc;

    rc = unpack_kernel(spec, domid, &kernel, &kernel_len, &bk, why);
    if (rc)
        return rc;
    if ((rc = create(spec, domid, &d))) {
        fail(why, "core refused the domain (see its log line)", rc);
        goto out_free_kernel;
    }
    rc = populate(d, spec->mem_bytes);
    if (rc) {
        fail(why, "cannot populate the domain's RAM", rc);
        goto out_kill;
    }
    rc = load(d, spec, kernel, kernel_len, initrd, initrd_len, boot, why);
    if (rc)
        goto out_kill;
    rc = console_channel(d, boot);
    if (rc) {
        fail(why, "cannot set up the console's event channel", rc);
        goto out_kill;
    }
    d->vcpus[0]->is_initialised = d->vcpus[0]->is_up = true;
    *out = d;
    goto out_free_kernel;

out_kill:
    domain_kill(d);
    domain_put(d);
out_free_kernel:
    if (bk.elf)
        bzimage_free(&bk);
    return rc;
}
