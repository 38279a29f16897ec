/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM container (svm_*): enabling SVM per CPU, nested paging rebuilt
 * from core's p2m, vCPU creation, the VMRUN/#VMEXIT loop and its exit
 * handlers, event and LAPIC injection, guest time, and core's guest-memory
 * copies (env_copy_*) for SVM vCPUs. Hypercall ops: svm_hcall.c. Pure
 * parts (VMCB layout, NPT, decoders, policies) are in their own files.
 */
#include "svm.h"
#include "cpuid_policy.h"
#include "guest_walk.h"
#include "insn_len.h"
#include "mm.h"
#include "platform_op.h"
#include "evtchn.h"
#include "hvm/params.h"
#include "lib.h"
#include "sched.h"
#include "schedule.h"
#include "vcpu.h"

#define MSR_VM_CR        0xC0010114u
#define MSR_VM_HSAVE_PA  0xC0010117u
#define VM_CR_SVMDIS     (1ull << 4)
#define MAX_CPUS         64
#define RFLAGS_IF        (1ull << 9)
#define CALLBACK_VECTOR  2ull           /* HVM_PARAM_CALLBACK_IRQ type */

const struct svm_host *svm_host;

static struct {
    uint64_t host_area;                 /* VMSAVE area for the host */
    struct svm_asid_space asids;
    struct svm_vcpu *fpu_owner;         /* whose FPU/SSE/AVX state is loaded */
    bool on;
} cpus[MAX_CPUS];

#define CR4_OSFXSR   (1ull << 9)
#define CR4_OSXSAVE  (1ull << 18)

static uint64_t msrpm_pa, iopm_pa;       /* shared by every vCPU */
static struct svm_vcpu *vcpu_table[SVM_MAX_VCPUS_ALL];   /* in no order */
static struct svm_domain *domain_table[SVM_MAX_DOMAINS];

/* ---- the machine ----------------------------------------------------- */

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline uint64_t cr4_read(void)
{
    uint64_t v;

    __asm__ volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void cr4_write(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr4" : : "r"(v) : "memory");
}

static inline uint64_t xgetbv0(void)
{
    uint32_t lo, hi;

    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (uint64_t)hi << 32 | lo;
}

static inline void xsetbv0(uint64_t v)
{
    __asm__ volatile("xsetbv" : : "c"(0), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static void host_cpuid(void *ctx, uint32_t leaf, uint32_t sub,
                       struct cpuid_regs *r)
{
    __asm__ volatile("cpuid" : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
                     : "a"(leaf), "c"(sub));
}

void svm_host_set(const struct svm_host *h)
{
    svm_host = h;
}

static int shared_maps(void)
{
    uint64_t pm, io;

    if (msrpm_pa)
        return 0;
    pm = svm_host->alloc_pages(1);              /* 8 KiB */
    io = svm_host->alloc_pages(2);              /* 16 KiB >= 12 KiB + slack */
    if (pm == NPT_NO_PAGE || io == NPT_NO_PAGE)
        return -XEN_ENOMEM;
    msr_pm_build(svm_host->va(pm), MSR_PM_SIZE);
    svm_iopm_build(svm_host->va(io), 4 * 4096);
    msrpm_pa = pm;
    iopm_pa = io;
    return 0;
}

int svm_cpu_init(unsigned int cpu)
{
    struct cpuid_regs r;
    uint64_t hsave;

    host_cpuid(NULL, 0x80000001, 0, &r);
    if (cpu >= MAX_CPUS || !(r.c & (1u << 2)) || (rdmsr(MSR_VM_CR) & VM_CR_SVMDIS)) {
        env_log(LOG_ERR, "svm: CPU %u has no usable SVM", cpu);
        return -XEN_ENODEV;
    }
    host_cpuid(NULL, 1, 0, &r);
    if (!(r.c & (1u << 26))) {
        env_log(LOG_ERR, "svm: CPU %u has no XSAVE to switch guests' FPU state", cpu);
        return -XEN_ENODEV;
    }
    hsave = svm_host->alloc_pages(0);
    cpus[cpu].host_area = svm_host->alloc_pages(0);
    if (hsave == NPT_NO_PAGE || cpus[cpu].host_area == NPT_NO_PAGE || shared_maps())
        return -XEN_ENOMEM;
    /* The hypervisor never uses the FPU itself; XSAVE switches the guests'
     * FPU/SSE/AVX state between vCPUs. */
    cr4_write(cr4_read() | CR4_OSFXSR | CR4_OSXSAVE);
    wrmsr(VMSR_EFER, rdmsr(VMSR_EFER) | VEFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, hsave);
    host_cpuid(NULL, 0x8000000A, 0, &r);
    svm_asid_space_init(&cpus[cpu].asids, r.b);
    cpus[cpu].on = true;
    env_log(LOG_INFO, "svm: CPU %u on, %u ASIDs", cpu, r.b);
    return 0;
}

/* ---- nested paging from the p2m ---------------------------------------- */

static uint64_t npt_alloc(void *ctx)
{
    return svm_host->alloc_pages(0);
}

static void npt_free(void *ctx, uint64_t ma)
{
    svm_host->free_pages(ma, 0);
}

static uint64_t *npt_table(void *ctx, uint64_t ma)
{
    return svm_host->va(ma);
}

/* npt_rebuild gathers the p2m into runs (consecutive gfns on consecutive
 * frames, same permissions) so that every 2 MiB-aligned stretch of a run
 * becomes one 2 MiB leaf: a shorter walk for the CPU, and 1/512 of the
 * table pages. */
struct npt_fill {
    struct svm_domain *sd;
    int rc;
    uint64_t gfn0, mfn0, len;
    unsigned int perm;
};

static void fill_run(struct npt_fill *f)
{
    if (!f->rc && f->len)
        f->rc = npt_map_run(&f->sd->npt, f->gfn0, f->mfn0, f->len, f->perm);
    f->len = 0;
}

static void fill_one(void *ctx, uint64_t gfn, mfn_t mfn, enum mm_kind kind,
                     bool writable)
{
    struct npt_fill *f = ctx;
    unsigned int perm = NPT_X | (writable ? NPT_W : 0);

    if (f->len && (gfn != f->gfn0 + f->len || mfn != f->mfn0 + f->len || perm != f->perm))
        fill_run(f);
    if (!f->len)
        *f = (struct npt_fill){ f->sd, f->rc, gfn, mfn, 0, perm };
    f->len++;
}

/* The p2m is the truth: rebuild the NPT from it (after memory and grant
 * operations, which may add, replace or remove entries). */
static int npt_rebuild(struct svm_domain *sd)
{
    struct npt_fill f = { .sd = sd };

    npt_destroy(&sd->npt);
    if (npt_init(&sd->npt))
        return -XEN_ENOMEM;
    mm_walk_entries(sd->d, fill_one, &f);
    fill_run(&f);
    sd->npt_stale = false;
    return f.rc;
}

void svm_npt_sync(struct svm_domain *sd, uint64_t gfn)
{
    mfn_t mfn;
    enum mm_kind kind;
    bool writable;
    int rc;

    if (!mm_lookup(sd->d, gfn, &mfn, &kind, &writable))
        rc = npt_map(&sd->npt, gfn, mfn, NPT_ORDER_4K, NPT_X | (writable ? NPT_W : 0));
    else if ((rc = npt_unmap(&sd->npt, gfn)) == -XEN_ENOENT)
        rc = 0;
    if (rc)
        sd->npt_stale = true;       /* out of tables: the full rebuild decides */
    sd->npt_gen++;
}

/* gfn..gfn+511 as one 2 MiB leaf when the p2m maps them to one aligned
 * block with one permission (a populated 2 MiB extent); false otherwise. */
static bool sync_large(struct svm_domain *sd, uint64_t gfn)
{
    mfn_t first, mfn;
    bool w0, w;

    if (mm_lookup(sd->d, gfn, &first, NULL, &w0) || (first & 511))
        return false;
    for (uint64_t i = 1; i < 512; i++)
        if (mm_lookup(sd->d, gfn + i, &mfn, NULL, &w) || mfn != first + i || w != w0)
            return false;
    if (npt_map(&sd->npt, gfn, first, NPT_ORDER_2M, NPT_X | (w0 ? NPT_W : 0)))
        return false;
    sd->npt_gen++;
    return true;
}

static struct svm_domain *domain_of(struct domain *d)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (domain_table[i] && domain_table[i]->d == d)
            return domain_table[i];
    return NULL;
}

/* Where a p2m change is more than this many entries (a dying domain's
 * whole map), the NPT is rebuilt before the next run instead. */
#define NPT_SYNC_MAX 512

/* core/env.h: exactly those NPT entries follow the p2m, and every vCPU of
 * the domain flushes its guest TLB before it next runs (npt_gen). A
 * domain without SVM state yet gets its NPT built whole when it starts. */
void env_p2m_changed(struct domain *d, uint64_t gfn, uint64_t nr)
{
    struct svm_domain *sd = domain_of(d);
    uint64_t g = gfn, end = gfn + nr;

    if (!sd)
        return;
    if (nr > NPT_SYNC_MAX) {
        sd->npt_stale = true;
        return;
    }
    while (g < end) {
        if (!(g & 511) && end - g >= 512 && sync_large(sd, g)) {
            g += 512;
            continue;
        }
        svm_npt_sync(sd, g++);
    }
}

static int register_domain(struct svm_domain *sd)
{
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (!domain_table[i]) {
            domain_table[i] = sd;
            return 0;
        }
    return -XEN_ENOSPC;
}

struct svm_domain *svm_domain_create(struct domain *d, const char *name,
                                     unsigned long npt_max_tables)
{
    struct svm_domain *sd = env_zalloc(sizeof(*sd));
    unsigned int i;

    if (!sd)
        return NULL;
    sd->d = d;
    for (i = 0; name[i] && i < SVM_NAME_MAX - 1; i++)
        sd->name[i] = name[i];
    sd->npt = (struct npt){ .root = NPT_NO_PAGE, .max_tables = npt_max_tables,
                            .alloc_table = npt_alloc, .free_table = npt_free,
                            .table = npt_table };
    if (npt_rebuild(sd)) {
        env_log(LOG_ERR, "d%u (%s): nested page tables: out of memory",
                d->domid, sd->name);
        goto out_free_npt;
    }
    if (register_domain(sd)) {
        env_log(LOG_ERR, "d%u (%s): %u domains already have SVM state (SVM_MAX_DOMAINS)",
                d->domid, sd->name, SVM_MAX_DOMAINS);
        goto out_free_npt;
    }
    return sd;

out_free_npt:
    npt_destroy(&sd->npt);
    env_free(sd);
    return NULL;
}

/* ---- vCPUs -------------------------------------------------------------- */

struct svm_vcpu *svm_vcpu_of(struct vcpu *v)
{
    unsigned int i;

    for (i = 0; i < SVM_MAX_VCPUS_ALL; i++)
        if (vcpu_table[i] && vcpu_table[i]->v == v)
            return vcpu_table[i];
    return NULL;
}

static int register_vcpu(struct svm_vcpu *s)
{
    unsigned int i;

    for (i = 0; i < SVM_MAX_VCPUS_ALL; i++)
        if (!vcpu_table[i]) {
            vcpu_table[i] = s;
            return 0;
        }
    return -XEN_ENOSPC;
}

/* Every page and object of s; s must be off vcpu_table already. The
 * physical CPU's lazy FPU owner must not point at freed state: the next
 * switch would XSAVE into a page someone else owns by then. */
static unsigned int vcpu_free(struct svm_vcpu *s)
{
    unsigned int pages = 0;

    for (unsigned int c = 0; c < MAX_CPUS; c++)
        if (cpus[c].fpu_owner == s)
            cpus[c].fpu_owner = NULL;
    if (s->vmcb_pa != NPT_NO_PAGE) {
        svm_host->free_pages(s->vmcb_pa, 0);
        pages++;
    }
    if (s->fpu_pa != NPT_NO_PAGE) {
        svm_host->free_pages(s->fpu_pa, 0);
        pages++;
    }
    env_free(s);
    return pages;
}

static void unregister_vcpu(struct svm_vcpu *s)
{
    for (unsigned int i = 0; i < SVM_MAX_VCPUS_ALL; i++)
        if (vcpu_table[i] == s)
            vcpu_table[i] = NULL;
}

struct svm_vcpu *svm_vcpu_create(struct svm_domain *sd, struct vcpu *v,
                                 const struct pvh_entry_state *st)
{
    struct svm_vcpu *s;
    const char *why = "no memory for its SVM state";

    if (v->id >= SVM_MAX_VCPUS || sd->vcpus[v->id]) {
        env_log(LOG_ERR, "d%u (%s): vCPU %u: id beyond %u or already made",
                sd->d->domid, sd->name, v->id, SVM_MAX_VCPUS);
        return NULL;
    }
    s = env_zalloc(sizeof(*s));
    if (!s)
        goto fail;
    s->v = v;
    s->sd = sd;
    s->vmcb_pa = svm_host->alloc_pages(0);
    s->fpu_pa = svm_host->alloc_pages(0);   /* zero: XSTATE_BV 0 = init state */
    if (s->vmcb_pa == NPT_NO_PAGE || s->fpu_pa == NPT_NO_PAGE)
        goto out_free_vcpu;
    if (register_vcpu(s)) {
        why = "every vCPU slot of the SVM container is in use";
        goto out_free_vcpu;
    }
    s->vmcb = svm_host->va(s->vmcb_pa);
    s->xcr0 = 1;                            /* x87 only, as at reset */
    msr_vcpu_init(&s->msr, v->id == 0);
    vlapic_reset(&s->lapic, v->id);
    svm_vmcb_init(s->vmcb, st, iopm_pa, msrpm_pa, sd->npt.root, 0,
                  msr_vmcb_efer(&s->msr));
    s->gprs.rbx = st->rbx;
    s->wait_sipi = v->id != 0;
    sd->vcpus[v->id] = s;
    sd->nr_vcpus++;
    return s;

out_free_vcpu:
    vcpu_free(s);
fail:
    env_log(LOG_ERR, "d%u (%s): vCPU %u: %s", sd->d->domid, sd->name, v->id, why);
    return NULL;
}

void svm_domain_destroy(struct svm_domain *sd, struct svm_freed *f)
{
    struct svm_freed n = { 0 };

    for (unsigned int i = 0; i < SVM_MAX_VCPUS; i++) {
        struct svm_vcpu *s = sd->vcpus[i];

        if (!s)
            continue;
        unregister_vcpu(s);
        sd->vcpus[i] = NULL;
        n.vcpus++;
        n.pages += vcpu_free(s);
    }
    for (unsigned int i = 0; i < SVM_MAX_DOMAINS; i++)
        if (domain_table[i] == sd)
            domain_table[i] = NULL;
    n.npt_tables = sd->npt.tables;
    n.pages += sd->npt.tables;
    npt_destroy(&sd->npt);
    env_free(sd);
    if (f)
        *f = n;
}

/* ---- guest memory ------------------------------------------------------- */

static void *gfn_va(struct domain *d, uint64_t gfn, bool write)
{
    mfn_t mfn;
    enum mm_kind kind;
    bool writable;

    if (mm_lookup(d, gfn, &mfn, &kind, &writable) || (write && !writable))
        return NULL;
    return env_frame_va(mfn);
}

static int read_gpa64(void *ctx, uint64_t gpa, uint64_t *val)
{
    uint8_t *p = gfn_va(ctx, gpa >> 12, false);

    if (!p || (gpa & 7))
        return -XEN_EFAULT;
    *val = *(uint64_t *)(p + (gpa & 0xFFF));
    return 0;
}

static struct gw_mode walk_mode(struct svm_vcpu *s)
{
    struct gw_mode m = {
        .cr0 = s->vmcb->cr0, .cr3 = s->vmcb->cr3, .cr4 = s->vmcb->cr4,
        .efer = s->vmcb->efer, .rflags = s->vmcb->rflags, .maxphyaddr = 48,
        .ctx = s->sd->d, .read_gpa64 = read_gpa64,
    };
    return m;
}

struct xfer {
    struct domain *d;
    uint8_t *buf;
    bool to_guest;
};

static int xfer_chunk(void *ctx, uint64_t gpa, size_t done, size_t n)
{
    struct xfer *x = ctx;
    uint8_t *p = gfn_va(x->d, gpa >> 12, x->to_guest);

    if (!p)
        return -XEN_EFAULT;
    if (x->to_guest)
        memcpy(p + (gpa & 0xFFF), x->buf + done, n);
    else
        memcpy(x->buf + done, p + (gpa & 0xFFF), n);
    return 0;
}

static int copy_guest(struct svm_vcpu *s, uint8_t *buf, uint64_t gva, size_t n,
                      bool to_guest)
{
    struct gw_mode m = walk_mode(s);
    struct xfer x = { s->sd->d, buf, to_guest };
    struct gw_fault f;
    unsigned int acc = (to_guest ? GW_WRITE : 0) |
                       (s->vmcb->cpl == 3 ? GW_USER : 0);

    return guest_walk_range(&m, gva, n, acc, xfer_chunk, &x, &f) ? -XEN_EFAULT : 0;
}

int svm_copy_from_guest(struct svm_vcpu *s, void *dst, uint64_t gva, size_t n)
{
    return copy_guest(s, dst, gva, n, false);
}

int svm_copy_to_guest(struct svm_vcpu *s, uint64_t gva, const void *src, size_t n)
{
    return copy_guest(s, (uint8_t *)(uintptr_t)src, gva, n, true);
}

/* core/env.h: hypercall arguments of SVM vCPUs are guest-virtual. */
int env_copy_from_guest(struct vcpu *v, void *dst, guest_addr_t src, size_t len)
{
    struct svm_vcpu *s = svm_vcpu_of(v);

    return s ? svm_copy_from_guest(s, dst, src, len) : -XEN_EFAULT;
}

int env_copy_to_guest(struct vcpu *v, guest_addr_t dst, const void *src, size_t len)
{
    struct svm_vcpu *s = svm_vcpu_of(v);

    return s ? svm_copy_to_guest(s, dst, src, len) : -XEN_EFAULT;
}

/* core/env.h: an event for v (an upcall, or a port it polls): a blocked v
 * becomes runnable; the loop that runs vCPUs picks it up (one CPU: no IPI). */
void env_vcpu_kick(struct vcpu *v)
{
    schedule_wake(v);
}

/* Up to 15 bytes at CS:RIP; fewer where the next page does not translate.
 * One walk per guest page (an instruction spans at most two). */
static size_t fetch_insn(struct svm_vcpu *s, uint8_t *b)
{
    struct gw_mode m = walk_mode(s);
    uint64_t va = s->vmcb->cs.base + s->vmcb->rip, gpa;
    unsigned int acc = GW_FETCH | (s->vmcb->cpl == 3 ? GW_USER : 0);
    struct gw_fault f;
    size_t n = 0;

    while (n < INSN_MAX_LEN) {
        size_t chunk = 0x1000 - ((va + n) & 0xFFF);
        uint8_t *p;

        if (guest_walk(&m, va + n, acc, &gpa, &f))
            break;
        p = gfn_va(s->sd->d, gpa >> 12, false);
        if (!p)
            break;
        if (chunk > INSN_MAX_LEN - n)
            chunk = INSN_MAX_LEN - n;
        memcpy(b + n, p + (gpa & 0xFFF), chunk);
        n += chunk;
    }
    return n;
}

static enum insn_mode mode_of(struct svm_vcpu *s)
{
    return insn_mode_of(s->vmcb->cs.attr, s->vmcb->efer, s->vmcb->cr0,
                        s->vmcb->rflags);
}

/* ---- time --------------------------------------------------------------- */

static void scale_of(uint64_t hz, uint32_t *mul, int8_t *shift)
{
    int8_t sh = 0;

    while (hz <= 1000000000ull) {         /* mul must stay below 2^32 */
        hz <<= 1;
        sh--;
    }
    *mul = (uint32_t)((1000000000ull << 32) / hz);
    *shift = sh;
}

void svm_update_time(struct svm_vcpu *s)
{
    struct vcpu_info *vi = s->v->vcpu_info;
    struct vcpu_time_info *t;
    uint64_t tsc = rdtsc();

    if (!vi)
        return;
    t = &vi->time;
    t->version++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->tsc_timestamp = tsc;
    t->system_time = env_now_ns();
    scale_of(svm_host->tsc_hz, &t->tsc_to_system_mul, &t->tsc_shift);
    t->flags = XEN_PVCLOCK_TSC_STABLE_BIT;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    t->version++;
    platform_wallclock_write(s->sd->d);
}

/* ---- events ------------------------------------------------------------- */

static int upcall_vector(struct svm_vcpu *s)
{
    uint64_t cb = s->sd->d->hvm_params[HVM_PARAM_CALLBACK_IRQ];
    struct vcpu_info *vi = s->v->vcpu_info;

    if ((cb >> 56) != CALLBACK_VECTOR || !vi ||
        !__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE))
        return -1;
    return (int)(cb & 0xFF);
}

bool svm_vcpu_runnable(struct svm_vcpu *s)
{
    uint64_t dl = vcpu_timer_next(s->v);

    if (s->down || s->wait_sipi)
        return false;
    return s->nmi_pending || upcall_vector(s) >= 0 || vlapic_pending(&s->lapic) >= 0 ||
           (dl && env_now_ns() >= dl);
}

/* Xen checks the upcall before LAPIC vectors; no EOI follows an upcall. */
static void inject(struct svm_vcpu *s)
{
    struct vmcb *vm = s->vmcb;
    int vec = upcall_vector(s);
    bool lapic = false;

    if (vm->event_inj & SVM_EVT_VALID)
        return;
    if (vm->exit_int_info & SVM_EVT_VALID) {
        vm->event_inj = vm->exit_int_info;      /* interrupted delivery */
        return;
    }
    if (s->nmi_pending) {
        s->nmi_pending = false;
        vm->event_inj = SVM_EVT_VALID | ((uint64_t)SVM_EVT_NMI << 8) | 2;
        return;
    }
    if (vec < 0 && (vec = vlapic_pending(&s->lapic)) >= 0)
        lapic = true;
    vm->vintr &= ~(SVM_VINTR_IRQ | SVM_VINTR_IGN_TPR | (0xFull << 16));
    vm->icpt_misc1 &= ~SVM_MISC1_VINTR;
    if (vec < 0)
        return;
    if ((vm->rflags & RFLAGS_IF) && !(vm->int_state & 1)) {
        vm->event_inj = svm_event_extint((uint8_t)vec);
        if (lapic)
            vlapic_ack(&s->lapic, (uint8_t)vec);
        return;
    }
    /* Ask for an exit as soon as the guest can take an interrupt. */
    vm->vintr |= SVM_VINTR_IRQ | SVM_VINTR_IGN_TPR | (0xFull << 16);
    vm->icpt_misc1 |= SVM_MISC1_VINTR;
}

/* ---- exits -------------------------------------------------------------- */

void svm_crash(struct svm_vcpu *s, const char *why)
{
    struct domain *d = s->sd->d;

    env_log(LOG_ERR, "d%u (%s): vCPU %u crashed: %s (rip %#llx, exit %s)",
            d->domid, s->sd->name, s->v->id, why,
            (unsigned long long)s->vmcb->rip, svm_exit_name(s->vmcb->exit_code));
    domain_shutdown(d, SHUTDOWN_crash);
}

static void inject_exception(struct svm_vcpu *s, uint8_t vec, bool err)
{
    s->vmcb->event_inj = svm_event_exception(vec, err, 0);
}

static bool advance(struct svm_vcpu *s, enum insn_kind kind)
{
    uint8_t b[INSN_MAX_LEN];
    size_t n = fetch_insn(s, b);
    int len = insn_len_of(b, n, mode_of(s), kind);

    if (len < 0) {
        svm_crash(s, "the instruction at RIP is not the one the exit reports");
        return false;
    }
    s->vmcb->rip += (uint64_t)len;
    s->vmcb->int_state = 0;
    return true;
}

static enum svm_run exit_cpuid(struct svm_vcpu *s)
{
    struct cpuid_ctx c = { s->v->id, s->sd->d->domid, NULL, host_cpuid };
    struct cpuid_regs r;

    cpuid_policy(&c, (uint32_t)s->vmcb->rax, (uint32_t)s->gprs.rcx, &r);
    if (s->vmcb->rax == 1) {            /* OSXSAVE mirrors the guest's CR4 */
        r.c &= ~(1u << 27);
        if (s->vmcb->cr4 & CR4_OSXSAVE)
            r.c |= 1u << 27;
    }
    s->vmcb->rax = r.a;
    s->gprs.rbx = r.b;
    s->gprs.rcx = r.c;
    s->gprs.rdx = r.d;
    return advance(s, INSN_CPUID) ? SVM_RUN_AGAIN : SVM_RUN_DEAD;
}

/* STARTUP: the AP comes out of wait-for-SIPI in real mode at vector:0. */
static void start_ap(struct svm_vcpu *t, uint8_t vector)
{
    struct svm_gprs zero = { 0 };

    if (!t->wait_sipi)
        return;                         /* a second SIPI is ignored */
    svm_vmcb_sipi(t->vmcb, vector);
    t->gprs = zero;
    t->wait_sipi = false;
    t->v->is_initialised = true;
    svm_update_time(t);
    env_log(LOG_INFO, "d%u (%s): vCPU %u started at %#x:0000", t->sd->d->domid,
            t->sd->name, t->v->id, vector << 8);
    vcpu_up(t->v);
}

static bool ipi_targets(const struct svm_vcpu *from, const struct svm_vcpu *t,
                        const struct vlapic_ipi *ipi)
{
    uint32_t id = t->v->id, ldr = ((id >> 4) << 16) | (1u << (id & 0xF));

    switch (ipi->shorthand) {
    case VLAPIC_SH_SELF: return t == from;
    case VLAPIC_SH_ALL: return true;
    case VLAPIC_SH_OTHERS: return t != from;
    }
    if (!ipi->logical)
        return ipi->dest == id;
    return (ipi->dest >> 16) == (ldr >> 16) && (ipi->dest & ldr & 0xFFFF);
}

/* An ICR write the vlapic could not finish alone: other vCPUs' fixed
 * vectors, NMI, INIT and STARTUP (how Linux brings up its APs). */
static void deliver_ipi(struct svm_vcpu *s, const struct vlapic_ipi *ipi)
{
    for (unsigned int i = 0; i < SVM_MAX_VCPUS; i++) {
        struct svm_vcpu *t = s->sd->vcpus[i];

        if (!t || !ipi_targets(s, t, ipi))
            continue;
        switch (ipi->mode) {
        case VLAPIC_DM_FIXED: case 1:   /* lowest priority: as fixed */
            vlapic_accept(&t->lapic, ipi->vector);
            break;
        case VLAPIC_DM_NMI:
            t->nmi_pending = true;
            break;
        case VLAPIC_DM_INIT:
            if (t != s && !t->wait_sipi && (ipi->level))
                env_log(LOG_WARN, "d%u (%s): INIT to running vCPU %u ignored",
                        s->sd->d->domid, s->sd->name, t->v->id);
            break;
        case VLAPIC_DM_STARTUP:
            start_ap(t, ipi->vector);
            break;
        }
    }
}

static enum msr_result lapic_msr(struct svm_vcpu *s, uint32_t msr, bool write,
                                 uint64_t *val, const char **why)
{
    struct vlapic_ipi ipi;
    enum vlapic_result r = write ? vlapic_wrmsr(&s->lapic, msr, *val, &ipi, why)
                                 : vlapic_rdmsr(&s->lapic, msr, val, why);

    if (r == VLAPIC_IPI)
        deliver_ipi(s, &ipi);
    return r == VLAPIC_GP ? MSR_GP : MSR_DONE;
}

/* The Xen hypercall-page MSR: stubs with the instruction the guest's
 * vendor string selects (the guest sees the host's). */
static enum msr_result fill_hcall_page(struct svm_vcpu *s, const char **why)
{
    uint8_t *page = gfn_va(s->sd->d, s->msr.hcall_page_gpa >> 12, true);
    struct cpuid_regs r;

    if (!page) {
        *why = "hypercall page is not writable RAM";
        return MSR_GP;
    }
    host_cpuid(NULL, 0, 0, &r);
    msr_hcall_page(page, r.b != 0x68747541);      /* "Auth"enticAMD */
    return MSR_DONE;
}

static enum svm_run exit_msr(struct svm_vcpu *s)
{
    struct vmcb *vm = s->vmcb;
    uint32_t msr = (uint32_t)s->gprs.rcx;
    bool write = vm->exit_info1 & 1;
    uint64_t val = (s->gprs.rdx << 32) | (uint32_t)vm->rax;
    const char *why = "";
    enum msr_result r;

    s->msr.efer = vm->efer & ~VEFER_SVME;
    s->msr.cr0 = vm->cr0;
    r = write ? msr_write(&s->msr, msr, val, rdtsc(), &why)
              : msr_read(&s->msr, msr, rdtsc(), &val, &why);
    if (r == MSR_X2APIC)
        r = lapic_msr(s, msr, write, &val, &why);
    if (r == MSR_HCALL_PAGE)
        r = fill_hcall_page(s, &why);
    if (r == MSR_GP) {
        env_log(LOG_DEBUG, "d%u: %s %#x: #GP (%s)", s->sd->d->domid,
                write ? "wrmsr" : "rdmsr", msr, why);
        inject_exception(s, 13, true);
        return SVM_RUN_AGAIN;
    }
    vm->efer = msr_vmcb_efer(&s->msr);
    if (!write) {
        vm->rax = (uint32_t)val;
        s->gprs.rdx = val >> 32;
    }
    return advance(s, write ? INSN_WRMSR : INSN_RDMSR) ? SVM_RUN_AGAIN
                                                      : SVM_RUN_DEAD;
}

/* No device behind any port. Reads give all-ones, except the PIT's
 * channel 2 (0x42): 0 makes Linux's quick_pit_calibrate give up after a few
 * reads instead of 100k exits (pvh-first-light 6). 0xE9 is a debug sink. */
static uint32_t port_read(uint16_t port, unsigned int size)
{
    if (port == 0x42)
        return 0;
    return size == 4 ? 0xFFFFFFFFu : size == 2 ? 0xFFFF : 0xFF;
}

/* The PC's platform reset requests: the keyboard controller's pulse
 * (0xFE to 0x64) and the reset-control register (bit 2 of 0xCF9). Linux's
 * `reboot` ends there when no ACPI reset register is described. */
static bool is_reset(uint16_t port, uint8_t v)
{
    return (port == 0x64 && v == 0xFE) || (port == 0xCF9 && (v & 4));
}

static void port_write(struct svm_vcpu *s, uint16_t port, const uint8_t *b,
                       size_t n)
{
    struct domain *d = s->sd->d;

    if (port == 0xE9)
        svm_host->console(s->sd->name, (const char *)b, n);
    if (n == 1 && is_reset(port, b[0])) {
        env_log(LOG_INFO, "d%u (%s): platform reset through port %#x: reboot",
                d->domid, s->sd->name, port);
        domain_shutdown(d, SHUTDOWN_reboot);
    }
}

/* REP INS/OUTS, a bounded piece per exit: REP string instructions are
 * restartable, so leaving RIP on the instruction with RCX/RSI/RDI updated
 * lets a guest with RCX = 2^63 run on without holding the hypervisor.
 * RFLAGS.DF walks downwards one element at a time. */
#define STRING_IO_MAX 4096

static enum svm_run string_io(struct svm_vcpu *s, const struct svm_ioio *io)
{
    uint64_t count = io->rep ? s->gprs.rcx : 1, addr, done = 0;
    bool down = s->vmcb->rflags & (1ull << 10);
    int64_t step;
    uint8_t buf[64];
    size_t n;

    while (count && done < STRING_IO_MAX) {
        n = down ? 1 : count < sizeof(buf) / io->size ? count : sizeof(buf) / io->size;
        step = down ? -(int64_t)io->size : (int64_t)(n * io->size);
        addr = io->in ? s->gprs.rdi : s->gprs.rsi;
        if (io->in) {
            uint32_t v = port_read(io->port, io->size);
            for (size_t i = 0; i < n * io->size; i++)
                buf[i] = (uint8_t)(v >> (8 * (i % io->size)));
            if (svm_copy_to_guest(s, addr, buf, n * io->size))
                goto fault;
            s->gprs.rdi += (uint64_t)step;
        } else {
            if (svm_copy_from_guest(s, buf, addr, n * io->size))
                goto fault;
            port_write(s, io->port, buf, n * io->size);
            s->gprs.rsi += (uint64_t)step;
        }
        count -= n;
        done += n * io->size;
        if (io->rep)
            s->gprs.rcx = count;
    }
    if (!count)
        s->vmcb->rip = s->vmcb->exit_info2;     /* else: run it again */
    return SVM_RUN_AGAIN;
fault:
    svm_crash(s, "string I/O with a buffer the guest cannot access");
    return SVM_RUN_DEAD;
}

static enum svm_run exit_ioio(struct svm_vcpu *s)
{
    struct svm_ioio io;
    uint8_t b;

    svm_ioio_decode(s->vmcb->exit_info1, &io);
    if (io.string)
        return string_io(s, &io);
    if (io.in) {
        uint64_t mask = io.size == 4 ? 0xFFFFFFFFull : io.size == 2 ? 0xFFFF : 0xFF;
        s->vmcb->rax = (s->vmcb->rax & ~mask) | port_read(io.port, io.size);
    } else {
        b = (uint8_t)s->vmcb->rax;
        port_write(s, io.port, &b, 1);
    }
    s->vmcb->rip = s->vmcb->exit_info2;     /* IOIO reports the next RIP */
    return SVM_RUN_AGAIN;
}

static enum svm_run exit_hlt(struct svm_vcpu *s)
{
    struct domain *d = s->sd->d;

    if (!advance(s, INSN_HLT))
        return SVM_RUN_DEAD;
    if (s->vmcb->rflags & RFLAGS_IF)
        return SVM_RUN_BLOCKED;
    /* HLT with interrupts off: this vCPU is down for good; when all are,
     * the domain has powered off (Xen's hvm_hlt). */
    s->down = true;
    if (++s->sd->vcpus_down < s->sd->nr_vcpus)
        return SVM_RUN_BLOCKED;
    env_log(LOG_INFO, "d%u (%s): all vCPUs halted with interrupts off: poweroff",
            d->domid, s->sd->name);
    domain_shutdown(d, SHUTDOWN_poweroff);
    return SVM_RUN_DEAD;
}

static enum svm_run exit_npf(struct svm_vcpu *s)
{
    uint64_t gpa = s->vmcb->exit_info2;
    struct npt_fault f;
    mfn_t mfn;
    enum mm_kind kind;
    bool writable;
    char why[96];

    npt_decode_fault(s->vmcb->exit_info1, &f);
    /* Memory the p2m has but the NPT lacks would be a p2m change core did
     * not report (env_p2m_changed): say so, bring that entry in line and
     * retry once; a second fault on the same address is the guest's. */
    if (!mm_lookup(s->sd->d, gpa >> 12, &mfn, &kind, &writable) &&
        (!f.write || writable) && s->last_npf_gpa != gpa) {
        env_log(LOG_WARN, "d%u (%s): NPT lacked gfn %#llx the p2m has",
                s->sd->d->domid, s->sd->name, (unsigned long long)(gpa >> 12));
        s->last_npf_gpa = gpa;
        svm_npt_sync(s->sd, gpa >> 12);
        return SVM_RUN_AGAIN;
    }
    fmt_snprintf(why, sizeof(why), "%s of guest-physical %#llx, which is %s",
                 f.write ? "write" : f.fetch ? "fetch" : "read",
                 (unsigned long long)gpa,
                 mm_lookup(s->sd->d, gpa >> 12, &mfn, &kind, &writable)
                     ? "not memory of this domain" : "read-only");
    svm_crash(s, why);
    return SVM_RUN_DEAD;
}

static enum svm_run exit_ud(struct svm_vcpu *s)
{
    uint8_t b[INSN_MAX_LEN];
    size_t n = fetch_insn(s, b);

    /* An Intel-vendor guest issues VMCALL; SVM raises #UD for it. */
    if (insn_len_of(b, n, mode_of(s), INSN_VMCALL) == 3) {
        if (svm_hypercall(s))
            s->vmcb->rip += 3;
        return SVM_RUN_AGAIN;
    }
    inject_exception(s, 6, false);
    return SVM_RUN_AGAIN;
}

/* The SDM's XSETBV rules: a value the CPU would #GP on must be refused
 * here, or the hypervisor's own XSETBV faults with the guest's value. */
static bool xcr0_valid(uint64_t val, uint64_t supported)
{
    if (!(val & 1) || (val & ~supported))
        return false;
    if ((val & 4) && !(val & 2))                        /* AVX needs SSE */
        return false;
    if (!(val & 0x08) != !(val & 0x10))                 /* MPX: BNDREGS = BNDCSR */
        return false;
    if ((val & 0xE0) && ((val & 0xE0) != 0xE0 || !(val & 4)))   /* AVX-512 all, + AVX */
        return false;
    return !(val & (1ull << 17)) == !(val & (1ull << 18));      /* AMX: TILECFG = TILEDATA */
}

static enum svm_run exit_xsetbv(struct svm_vcpu *s)
{
    uint64_t val = (s->gprs.rdx << 32) | (uint32_t)s->vmcb->rax;
    struct cpuid_regs r;

    host_cpuid(NULL, 0xD, 0, &r);
    if (s->gprs.rcx != 0 || !xcr0_valid(val, (uint64_t)r.d << 32 | r.a)) {
        inject_exception(s, 13, true);
        return SVM_RUN_AGAIN;
    }
    xsetbv0(val);                       /* this vCPU owns the FPU now */
    s->xcr0 = val;
    return advance(s, INSN_XSETBV) ? SVM_RUN_AGAIN : SVM_RUN_DEAD;
}

static enum svm_exit_kind exit_kind(uint64_t code)
{
    switch (code) {
    case SVM_EXIT_INTR: case SVM_EXIT_NMI: case SVM_EXIT_SMI: case SVM_EXIT_INIT:
        return SVM_EXIT_K_INTR;
    case SVM_EXIT_VMMCALL: return SVM_EXIT_K_HCALL;
    case SVM_EXIT_MSR: return SVM_EXIT_K_MSR;
    case SVM_EXIT_NPF: return SVM_EXIT_K_NPF;
    case SVM_EXIT_HLT: return SVM_EXIT_K_HLT;
    case SVM_EXIT_IOIO: return SVM_EXIT_K_IO;
    default: return SVM_EXIT_K_OTHER;
    }
}

static enum svm_run handle_exit(struct svm_vcpu *s)
{
    uint64_t code = s->vmcb->exit_code;

    s->exits++;
    s->exits_by[exit_kind(code)]++;
    if (code != SVM_EXIT_NPF)
        s->last_npf_gpa = ~0ull;
    switch (code) {
    case SVM_EXIT_CPUID: return exit_cpuid(s);
    case SVM_EXIT_MSR: return exit_msr(s);
    case SVM_EXIT_IOIO: return exit_ioio(s);
    case SVM_EXIT_HLT: return exit_hlt(s);
    case SVM_EXIT_NPF: return exit_npf(s);
    case SVM_EXIT_UD: return exit_ud(s);
    case SVM_EXIT_XSETBV: return exit_xsetbv(s);
    case SVM_EXIT_VMMCALL:
        if (!svm_hypercall(s))
            return SVM_RUN_AGAIN;       /* continued: VMMCALL runs again */
        return advance(s, INSN_VMMCALL) ? SVM_RUN_AGAIN : SVM_RUN_DEAD;
    case SVM_EXIT_INTR: case SVM_EXIT_NMI: case SVM_EXIT_SMI: case SVM_EXIT_INIT:
        return SVM_RUN_PREEMPTED;
    case SVM_EXIT_VINTR:
        return SVM_RUN_AGAIN;           /* inject() opens the window */
    case SVM_EXIT_INVD:
        return advance(s, INSN_INVD) ? SVM_RUN_AGAIN : SVM_RUN_DEAD;
    case SVM_EXIT_VMRUN: case SVM_EXIT_VMLOAD: case SVM_EXIT_VMSAVE:
    case SVM_EXIT_STGI: case SVM_EXIT_CLGI: case SVM_EXIT_SKINIT:
    case SVM_EXIT_INVLPGA: case SVM_EXIT_MONITOR: case SVM_EXIT_MWAIT:
        inject_exception(s, 6, false);  /* SVM and MONITOR are not offered */
        return SVM_RUN_AGAIN;
    case SVM_EXIT_SHUTDOWN:
        svm_crash(s, "triple fault");
        return SVM_RUN_DEAD;
    case SVM_EXIT_INVALID:
        svm_crash(s, "VMRUN refused the VMCB (invalid guest state)");
        return SVM_RUN_DEAD;
    }
    svm_crash(s, "unexpected exit");
    return SVM_RUN_DEAD;
}

static void xsave_all(uint64_t pa)
{
    __asm__ volatile("xsave64 (%0)" : : "r"(svm_host->va(pa)), "a"(~0u), "d"(~0u)
                     : "memory");
}

static void xrstor_all(uint64_t pa)
{
    __asm__ volatile("xrstor64 (%0)" : : "r"(svm_host->va(pa)), "a"(~0u), "d"(~0u)
                     : "memory");
}

/* VMRUN switches no FPU/SSE/AVX state: with several vCPUs on a CPU the
 * hypervisor must, lazily, when another vCPU's state is loaded. XCR0 is
 * part of it (each guest sets its own). */
static void fpu_switch(struct svm_vcpu *s, unsigned int cpu)
{
    struct svm_vcpu *owner = cpus[cpu].fpu_owner;

    if (owner == s)
        return;
    if (owner)
        xsave_all(owner->fpu_pa);           /* under the owner's XCR0 */
    xsetbv0(s->xcr0);
    xrstor_all(s->fpu_pa);
    cpus[cpu].fpu_owner = s;
}

enum svm_run svm_vcpu_run(struct svm_vcpu *s, unsigned int cpu)
{
    struct vmcb *vm = s->vmcb;
    enum svm_run r;

    if (s->sd->d->is_shutting_down || s->sd->d->is_dying)
        return SVM_RUN_DEAD;
    if (s->sd->npt_stale) {
        if (npt_rebuild(s->sd)) {
            svm_crash(s, "nested page tables: out of memory");
            return SVM_RUN_DEAD;
        }
        s->sd->npt_gen++;
    }
    /* Every vCPU of the domain, not only the one that changed the NPT,
     * takes the new root and drops stale translations. */
    if (s->npt_gen_seen != s->sd->npt_gen) {
        s->npt_gen_seen = s->sd->npt_gen;
        vm->n_cr3 = s->sd->npt.root;
        vm->tlb_ctl = SVM_TLB_FLUSH_ALL;
    }
    if (svm_asid_assign(&cpus[cpu].asids, &s->asid))
        vm->tlb_ctl = SVM_TLB_FLUSH_ALL;
    vm->asid = s->asid.asid;
    vcpu_timer_run(s->v, env_now_ns());  /* core raises VIRQ_TIMER if due */
    inject(s);
    fpu_switch(s, cpu);
    svm_vmrun(s->vmcb_pa, &s->gprs, cpus[cpu].host_area);
    s->xcr0 = xgetbv0();        /* the guest may have set it without an exit */
    vm->tlb_ctl = SVM_TLB_NONE;
    r = handle_exit(s);
    return s->sd->d->is_shutting_down ? SVM_RUN_DEAD : r;
}
