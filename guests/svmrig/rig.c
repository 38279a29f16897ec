/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM test rig: a bare multiboot program (not the hypervisor) that runs
 * one PVH guest under AMD SVM with the hypervisor's own pieces: the PVH
 * loader, ACPI tables, NPT, VMCB set-up, world switch, instruction decoder,
 * guest page walker, CPUID/MSR policies and vlapic. It serves only what
 * those pieces need: console_io write, xen_version, sched_op shutdown,
 * port 0xE9 output; every other hypercall is -ENOSYS. It exists to prove
 * the SVM path under QEMU before the hypervisor's boot code can host it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "acpi_build.h"
#include "cpuid_policy.h"
#include "guest_walk.h"
#include "insn_len.h"
#include "msr_policy.h"
#include "npt.h"
#include "pvh_loader.h"
#include "svm_vmcb.h"
#include "vlapic.h"

#define GUEST_HOST_BASE  0x10000000ull     /* guest RAM at host 256 MiB */
#define GUEST_RAM        (256ull << 20)   /* QEMU needs -m 768 or more */
#define NPT_POOL         64
#define MSR_VM_CR        0xC0010114u
#define MSR_VM_HSAVE_PA  0xC0010117u
#define EXIT_PORT        0xF4

/* Results the suite reads (isa-debug-exit status = code * 2 + 1). */
enum { RIG_OK = 0x10, RIG_CRASHED = 0x11, RIG_NO_SVM = 0x12, RIG_BAD = 0x13 };

static uint8_t npt_pool[NPT_POOL][4096] __attribute__((aligned(4096)));
static bool npt_used[NPT_POOL];
static struct vmcb vmcb;
static uint8_t host_area[4096] __attribute__((aligned(4096)));
static uint8_t hsave[4096] __attribute__((aligned(4096)));
static uint8_t msrpm[MSR_PM_SIZE] __attribute__((aligned(4096)));
static uint8_t iopm[SVM_IOPM_SIZE] __attribute__((aligned(4096)));
static uint8_t acpi[PVH_ACPI_SIZE];
static struct svm_gprs gprs;
static struct msr_vcpu msrs;
static struct vlapic lapic;
static struct npt npt;
static unsigned long exits[0x500];

/* ---- console ---------------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;

    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void serial_init(void)
{
    outb(0x3F9, 0);                 /* no interrupts */
    outb(0x3FB, 0x80);              /* divisor 1: 115200 */
    outb(0x3F8, 1);
    outb(0x3F9, 0);
    outb(0x3FB, 0x03);              /* 8N1 */
    outb(0x3FA, 0xC7);              /* FIFO */
}

static void putc_serial(char c)
{
    while (!(inb(0x3FD) & 0x20))
        ;
    outb(0x3F8, (uint8_t)c);
}

static void puts_n(const char *s, size_t n)
{
    while (n--)
        putc_serial(*s++);
}

static void put_num(uint64_t v, unsigned int base, bool neg)
{
    char buf[24];
    int i = 0;

    if (neg)
        putc_serial('-');
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (i)
        putc_serial(buf[--i]);
}

/* %s %c %d %u %x with an optional l; enough for the rig's lines. */
static void rprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    for (; *fmt; fmt++) {
        bool l = false;
        if (*fmt != '%') {
            putc_serial(*fmt);
            continue;
        }
        if (*++fmt == 'l')
            l = true, fmt++;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            while (*s)
                putc_serial(*s++);
            break;
        }
        case 'c':
            putc_serial((char)va_arg(ap, int));
            break;
        case 'd': {
            int64_t v = l ? va_arg(ap, long) : va_arg(ap, int);
            put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0);
            break;
        }
        case 'u':
            put_num(l ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, false);
            break;
        case 'x':
            put_num(l ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, false);
            break;
        default: putc_serial('?');
        }
    }
    va_end(ap);
}

static void __attribute__((noreturn)) finish(int code)
{
    rprintf("RIG-EXIT %x\n", code);
    outb(EXIT_PORT, (uint8_t)code);
    for (;;)
        __asm__ volatile("hlt");
}

/* ---- host machine ----------------------------------------------------- */

static void cpuid(uint32_t leaf, uint32_t sub, struct cpuid_regs *r)
{
    __asm__ volatile("cpuid" : "=a"(r->a), "=b"(r->b), "=c"(r->c), "=d"(r->d)
                     : "a"(leaf), "c"(sub));
}

static void host_cpuid(void *ctx, uint32_t leaf, uint32_t sub,
                       struct cpuid_regs *r)
{
    cpuid(leaf, sub, r);
}

static uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static void copy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--)
        *dp++ = *sp++;
}

/* ---- guest memory ----------------------------------------------------- */

static uint8_t *gpa_ptr(uint64_t gpa, size_t len)
{
    if (gpa >= GUEST_RAM || len > GUEST_RAM - gpa)
        return NULL;
    return (uint8_t *)(uintptr_t)(GUEST_HOST_BASE + gpa);
}

static int mem_write(void *ctx, uint64_t gpa, const void *src, size_t len)
{
    uint8_t *p = gpa_ptr(gpa, len);

    if (!p)
        return -XEN_EFAULT;
    copy(p, src, len);
    return 0;
}

static int mem_zero(void *ctx, uint64_t gpa, size_t len)
{
    uint8_t *p = gpa_ptr(gpa, len);

    if (!p)
        return -XEN_EFAULT;
    while (len--)
        *p++ = 0;
    return 0;
}

static int read_gpa64(void *ctx, uint64_t gpa, uint64_t *val)
{
    uint8_t *p = gpa_ptr(gpa, 8);

    if (!p)
        return -XEN_EFAULT;
    copy(val, p, 8);
    return 0;
}

static struct gw_mode guest_mode(void)
{
    struct gw_mode m = {
        .cr0 = vmcb.cr0, .cr3 = vmcb.cr3, .cr4 = vmcb.cr4,
        .efer = vmcb.efer, .rflags = vmcb.rflags, .maxphyaddr = 48,
        .read_gpa64 = read_gpa64,
    };
    return m;
}

struct xfer { uint8_t *buf; bool to_guest; };

static int xfer_chunk(void *ctx, uint64_t gpa, size_t done, size_t n)
{
    struct xfer *x = ctx;
    uint8_t *p = gpa_ptr(gpa, n);

    if (!p)
        return -XEN_EFAULT;
    if (x->to_guest)
        copy(p, x->buf + done, n);
    else
        copy(x->buf + done, p, n);
    return 0;
}

/* Hypercall buffers: guest-virtual, as the guest's own CPL would see them. */
static int copy_guest(void *buf, uint64_t gva, size_t len, bool to_guest)
{
    struct gw_mode m = guest_mode();
    struct xfer x = { buf, to_guest };
    struct gw_fault f;
    unsigned int acc = (to_guest ? GW_WRITE : 0) | (vmcb.cpl == 3 ? GW_USER : 0);

    return guest_walk_range(&m, gva, len, acc, xfer_chunk, &x, &f);
}

/* Up to 15 bytes at CS:RIP; fewer if the next page does not translate. */
static size_t fetch_insn(uint8_t *bytes)
{
    struct gw_mode m = guest_mode();
    uint64_t va = vmcb.cs.base + vmcb.rip, gpa;
    struct gw_fault f;
    size_t n = 0;

    while (n < INSN_MAX_LEN) {
        uint8_t *p;
        if (guest_walk(&m, va + n, GW_FETCH, &gpa, &f))
            break;
        p = gpa_ptr(gpa, 1);
        if (!p)
            break;
        bytes[n++] = *p;
    }
    return n;
}

/* ---- NPT pool ---------------------------------------------------------- */

static uint64_t pool_alloc(void *ctx)
{
    for (int i = 0; i < NPT_POOL; i++)
        if (!npt_used[i]) {
            npt_used[i] = true;
            for (int j = 0; j < 4096; j++)
                npt_pool[i][j] = 0;
            return (uint64_t)(uintptr_t)npt_pool[i];
        }
    return NPT_NO_PAGE;
}

static void pool_free(void *ctx, uint64_t ma)
{
    npt_used[((uint8_t *)(uintptr_t)ma - &npt_pool[0][0]) / 4096] = false;
}

static uint64_t *pool_table(void *ctx, uint64_t ma)
{
    return (uint64_t *)(uintptr_t)ma;
}

/* ---- the guest --------------------------------------------------------- */

static void crash(const char *why)
{
    rprintf("RIG-DOMAIN-CRASHED %s rip=%lx\n", why, vmcb.rip);
    finish(RIG_CRASHED);
}

static void advance(enum insn_kind kind)
{
    uint8_t b[INSN_MAX_LEN];
    size_t n = fetch_insn(b);
    int len = insn_len_of(b, n, insn_mode_of(vmcb.cs.attr, vmcb.efer,
                                              vmcb.cr0, vmcb.rflags), kind);

    if (len < 0)
        crash("instruction at RIP is not the one the exit reported");
    vmcb.rip += (uint64_t)len;
    vmcb.int_state = 0;
}

static void inject_gp(void)
{
    vmcb.event_inj = svm_event_exception(13, true, 0);
}

static long hc_console_io(uint64_t cmd, uint64_t len, uint64_t gva)
{
    char buf[256];

    if (cmd != 0)
        return -XEN_ENOSYS;
    while (len) {
        size_t n = len > sizeof(buf) ? sizeof(buf) : len;
        if (copy_guest(buf, gva, n, false))
            return -XEN_EFAULT;
        puts_n(buf, n);
        gva += n;
        len -= n;
    }
    return 0;
}

static long hc_sched_op(uint64_t cmd, uint64_t arg)
{
    uint32_t reason;

    if (cmd != 2)
        return -XEN_ENOSYS;
    if (copy_guest(&reason, arg, sizeof(reason), false))
        return -XEN_EFAULT;
    rprintf("RIG-DOMAIN-SHUTDOWN reason=%u\n", reason);
    finish(RIG_OK);
}

static void hypercall(void)
{
    uint64_t nr = vmcb.rax;
    long rc;

    switch (nr) {
    case 18: rc = hc_console_io(gprs.rdi, gprs.rsi, gprs.rdx); break;
    case 17: rc = gprs.rdi == 0 ? 0x40011 : -XEN_ENOSYS; break;
    case 29: rc = hc_sched_op(gprs.rdi, gprs.rsi); break;
    default: rc = -XEN_ENOSYS; break;
    }
    vmcb.rax = (uint64_t)rc;
}

static void exit_cpuid(void)
{
    struct cpuid_ctx c = { 0, 1, NULL, host_cpuid };
    struct cpuid_regs r;

    cpuid_policy(&c, (uint32_t)vmcb.rax, (uint32_t)gprs.rcx, &r);
    vmcb.rax = r.a;
    gprs.rbx = r.b;
    gprs.rcx = r.c;
    gprs.rdx = r.d;
    advance(INSN_CPUID);
}

static void exit_msr(void)
{
    uint32_t msr = (uint32_t)gprs.rcx;
    bool write = vmcb.exit_info1 & 1;
    uint64_t val = (gprs.rdx << 32) | (uint32_t)vmcb.rax;
    const char *why = "";
    struct vlapic_ipi ipi;
    int r;

    msrs.efer = vmcb.efer & ~VEFER_SVME;
    msrs.cr0 = vmcb.cr0;
    r = write ? msr_write(&msrs, msr, val, rdtsc(), &why)
              : msr_read(&msrs, msr, rdtsc(), &val, &why);
    if (r == MSR_X2APIC)
        r = write ? (vlapic_wrmsr(&lapic, msr, val, &ipi, &why) == VLAPIC_GP
                     ? MSR_GP : MSR_DONE)
                  : (vlapic_rdmsr(&lapic, msr, &val, &why) == VLAPIC_GP
                     ? MSR_GP : MSR_DONE);
    if (r == MSR_GP) {
        rprintf("RIG-MSR-GP %s %x: %s\n", write ? "wrmsr" : "rdmsr", msr, why);
        inject_gp();
        return;
    }
    vmcb.efer = msr_vmcb_efer(&msrs);
    if (!write) {
        vmcb.rax = (uint32_t)val;
        gprs.rdx = val >> 32;
    }
    advance(write ? INSN_WRMSR : INSN_RDMSR);
}

static void exit_ioio(void)
{
    struct svm_ioio io;

    svm_ioio_decode(vmcb.exit_info1, &io);
    if (io.string) {
        /* The rig has no devices: consume the elements, move the pointer
         * (forwards only; the hostile guest's REP OUTSB is all it sees). */
        uint64_t count = io.rep ? gprs.rcx : 1;
        if (io.in)
            gprs.rdi += count * io.size;
        else
            gprs.rsi += count * io.size;
        if (io.rep)
            gprs.rcx = 0;
        vmcb.rip = vmcb.exit_info2;
        return;
    }
    if (io.in)
        vmcb.rax |= io.size == 4 ? 0xFFFFFFFFull : io.size == 2 ? 0xFFFF : 0xFF;
    else if (io.port == 0xE9)
        putc_serial((char)vmcb.rax);
    vmcb.rip = vmcb.exit_info2;     /* IOIO gives the next RIP */
}

static void exit_ud(void)
{
    uint8_t b[INSN_MAX_LEN];
    size_t n = fetch_insn(b);
    enum insn_mode mode = insn_mode_of(vmcb.cs.attr, vmcb.efer, vmcb.cr0,
                                       vmcb.rflags);

    if (insn_len_of(b, n, mode, INSN_VMCALL) != 3) {
        vmcb.event_inj = svm_event_exception(6, false, 0);
        return;
    }
    hypercall();
    vmcb.rip += 3;
}

static bool handle_exit(void)
{
    uint64_t code = vmcb.exit_code;

    if (code < sizeof(exits) / sizeof(exits[0]))
        exits[code]++;
    switch (code) {
    case SVM_EXIT_CPUID: exit_cpuid(); return true;
    case SVM_EXIT_MSR: exit_msr(); return true;
    case SVM_EXIT_IOIO: exit_ioio(); return true;
    case SVM_EXIT_UD: exit_ud(); return true;
    case SVM_EXIT_VMMCALL:
        hypercall();
        advance(INSN_VMMCALL);
        return true;
    case SVM_EXIT_INTR: return true;
    case SVM_EXIT_HLT:
        rprintf("RIG-GUEST-HLT rflags=%lx\n", vmcb.rflags);
        return false;
    case SVM_EXIT_SHUTDOWN:
        crash("triple fault (SHUTDOWN intercept)");
        return false;
    case SVM_EXIT_NPF: {
        struct npt_fault f;
        npt_decode_fault(vmcb.exit_info1, &f);
        rprintf("RIG-NPF gpa=%lx %s%s\n", vmcb.exit_info2,
                f.write ? "write" : "read", f.final_gpa ? " final" : " walk");
        crash("access to guest-physical memory that is not RAM");
        return false;
    }
    case SVM_EXIT_INVALID:
        rprintf("RIG-VMRUN-FAILED (VMCB state invalid)\n");
        finish(RIG_BAD);
    }
    rprintf("RIG-UNHANDLED-EXIT %lx (%s)\n", code, svm_exit_name(code));
    crash("unhandled exit");
    return false;
}

/* ---- set-up ------------------------------------------------------------ */

struct mb_info { uint32_t flags, mem_lo, mem_hi, boot_dev, cmdline, mods_count,
                 mods_addr; };
struct mb_mod { uint32_t start, end, cmdline, pad; };

static void svm_on(void)
{
    struct cpuid_regs r;

    cpuid(0x80000001, 0, &r);
    if (!(r.c & (1u << 2)) || (rdmsr(MSR_VM_CR) & (1u << 4))) {
        rprintf("RIG-NO-SVM\n");
        finish(RIG_NO_SVM);
    }
    wrmsr(VMSR_EFER, rdmsr(VMSR_EFER) | VEFER_SVME);
    wrmsr(MSR_VM_HSAVE_PA, (uint64_t)(uintptr_t)hsave);
}

static void build_guest(const uint8_t *elf, size_t len, const char *cmdline)
{
    struct pvh_guest_mem mem = { NULL, mem_write, mem_zero };
    struct pvh_boot_params p = { .ram_bytes = GUEST_RAM, .cmdline = cmdline,
                                 .nr_special = 0 };
    struct acpi_build_params ap = { PVH_ACPI_BASE, 1, false };
    struct pvh_image img;
    struct pvh_boot_plan plan;
    struct pvh_entry_state st;
    const char *why = "";
    size_t used;

    if (pvh_elf_parse(elf, len, &img, &why) || pvh_elf_load(&img, elf, &mem, &why) ||
        pvh_boot_write(&img, &p, &mem, &plan, &why) ||
        acpi_build(acpi, sizeof(acpi), &ap, &used, &why)) {
        rprintf("RIG-LOAD-FAILED %s\n", why);
        finish(RIG_BAD);
    }
    copy(gpa_ptr(PVH_ACPI_BASE, used), acpi, used);
    rprintf("RIG-LOADED entry=%lx segments=%u\n", plan.entry, img.nr_segs);
    npt = (struct npt){ .max_tables = NPT_POOL, .alloc_table = pool_alloc,
                        .free_table = pool_free, .table = pool_table };
    if (npt_init(&npt))
        finish(RIG_BAD);
    for (uint64_t g = 0; g < GUEST_RAM >> 12; g += 512)
        if (npt_map(&npt, g, (GUEST_HOST_BASE >> 12) + g, NPT_ORDER_2M, NPT_RWX))
            finish(RIG_BAD);
    msr_vcpu_init(&msrs, true);
    vlapic_reset(&lapic, 0);
    msr_pm_build(msrpm, sizeof(msrpm));
    svm_iopm_build(iopm, sizeof(iopm));
    pvh_entry_state(&plan, &st);
    svm_vmcb_init(&vmcb, &st, (uint64_t)(uintptr_t)iopm,
                  (uint64_t)(uintptr_t)msrpm, npt.root, 1, msr_vmcb_efer(&msrs));
    gprs.rbx = st.rbx;
}

void rig_main(uint32_t mbi_pa);
void rig_main(uint32_t mbi_pa)
{
    const struct mb_info *mbi = (const void *)(uintptr_t)mbi_pa;
    const struct mb_mod *mod;
    const char *cmd = "";
    unsigned long n;

    serial_init();
    rprintf("RIG-START\n");
    if (!(mbi->flags & (1u << 3)) || mbi->mods_count < 1) {
        rprintf("RIG-NO-GUEST-MODULE\n");
        finish(RIG_BAD);
    }
    mod = (const void *)(uintptr_t)mbi->mods_addr;
    if (mod->cmdline) {
        cmd = (const char *)(uintptr_t)mod->cmdline;
        while (*cmd && *cmd != ' ')     /* skip the module's file name */
            cmd++;
    }
    svm_on();
    build_guest((const uint8_t *)(uintptr_t)mod->start, mod->end - mod->start, cmd);
    for (n = 0; n < 10000000; n++) {
        svm_vmrun((uint64_t)(uintptr_t)&vmcb, &gprs, (uint64_t)(uintptr_t)host_area);
        vmcb.tlb_ctl = SVM_TLB_NONE;
        if (!handle_exit())
            break;
    }
    rprintf("RIG-EXITS cpuid=%lu msr=%lu ioio=%lu vmmcall=%lu\n",
            exits[SVM_EXIT_CPUID], exits[SVM_EXIT_MSR], exits[SVM_EXIT_IOIO],
            exits[SVM_EXIT_VMMCALL]);
    finish(RIG_OK);
}
