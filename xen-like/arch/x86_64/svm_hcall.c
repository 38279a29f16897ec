/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls from SVM vCPUs (svm_hypercall): the register convention,
 * continuations, the ops core does not have (console_io, vm_assist,
 * XENMEM_memory_map, register_vcpu_time_memory_area), and core's dispatch
 * for the rest, with the pvclock kept current after it.
 */
#include "svm.h"
#include "evtchn.h"
#include "hypercall.h"
#include "memory.h"
#include "vcpu.h"

/* A hypercall that did part of its work: the guest re-executes it with
 * its argument registers updated (Xen's continuations), so one long call
 * cannot hold the CPU for more than a slice's worth of work. Only
 * s->continued says so, never a return value: every value is some call's
 * answer (1 is one byte from CONSOLEIO_read, one extent populated, a vCPU
 * that is up), and a call re-run after answering loses that answer. */
#define CONSOLE_CHUNK  1024             /* bytes per console_io exit */

bool svm_console_input(struct svm_domain *sd, char c)
{
    uint32_t prod = sd->con_in_prod;

    if (prod - __atomic_load_n(&sd->con_in_cons, __ATOMIC_ACQUIRE) >= sizeof(sd->con_in))
        return false;
    sd->con_in[prod % sizeof(sd->con_in)] = c;
    __atomic_store_n(&sd->con_in_prod, prod + 1, __ATOMIC_RELEASE);
    evtchn_send_global_virq(sd->d, VIRQ_CONSOLE);
    return true;
}

/* CONSOLEIO_read: what is queued, up to len bytes; the count read. */
static long console_read(struct svm_vcpu *s, uint64_t len, uint64_t gva)
{
    struct svm_domain *sd = s->sd;
    uint32_t cons = sd->con_in_cons;
    long n = 0;

    while ((uint64_t)n < len && cons != __atomic_load_n(&sd->con_in_prod, __ATOMIC_ACQUIRE)) {
        char c = sd->con_in[cons % sizeof(sd->con_in)];
        if (svm_copy_to_guest(s, gva + (uint64_t)n, &c, 1))
            return -XEN_EFAULT;
        cons++;
        n++;
    }
    __atomic_store_n(&sd->con_in_cons, cons, __ATOMIC_RELEASE);
    return n;
}

static long console_io(struct svm_vcpu *s, uint64_t cmd, uint64_t len,
                       uint64_t gva)
{
    char buf[128];
    size_t done = 0;

    if (cmd == CONSOLEIO_read)
        return console_read(s, len, gva);
    if (cmd != CONSOLEIO_write)
        return -XEN_ENOSYS;
    while (len) {
        size_t n = len > sizeof(buf) ? sizeof(buf) : len;
        if (done == CONSOLE_CHUNK) {
            s->gprs.rsi = len;          /* count left, from where it stopped */
            s->gprs.rdx = gva;
            s->continued = true;
            return 0;
        }
        if (svm_copy_from_guest(s, buf, gva, n))
            return -XEN_EFAULT;
        svm_host->console(s->sd->name, buf, n);
        gva += n;
        len -= n;
        done += n;
    }
    return 0;
}

/* The VCPUOP core does not know; 1 = not ours. */
static long vcpu_op(struct svm_vcpu *s, uint64_t cmd, uint64_t id)
{
    if (cmd != VCPUOP_register_vcpu_time_memory_area)
        return 1;
    return id >= s->sd->d->max_vcpus ? -XEN_ENOENT : -XEN_ENOSYS;  /* tolerated */
}

/* No assist is offered: core's runstate copies do not follow the
 * runstate_update_flag protocol, so that one is refused too (Linux then
 * reads runstates without it). */
static long vm_assist(struct svm_vcpu *s, uint64_t cmd, uint64_t type)
{
    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -XEN_ENOSYS;
    return -XEN_EINVAL;
}

/* XENMEM_memory_map, as Xen: read the request first (-EFAULT), -ENOSYS
 * without a map, else min(room, entries) 20-byte E820 records. */
static long memory_map(struct svm_vcpu *s, uint64_t arg)
{
    struct xen_memory_map m;
    unsigned int i;

    if (svm_copy_from_guest(s, &m, arg, sizeof(m)))
        return -XEN_EFAULT;
    if (!s->sd->nr_memmap)
        return -XEN_ENOSYS;
    if (m.nr_entries > s->sd->nr_memmap)
        m.nr_entries = s->sd->nr_memmap;
    for (i = 0; i < m.nr_entries; i++) {
        const struct hvm_memmap_table_entry *e = &s->sd->memmap[i];
        uint8_t rec[20];

        memcpy(rec, &e->addr, 8);
        memcpy(rec + 8, &e->size, 8);
        memcpy(rec + 16, &e->type, 4);
        if (svm_copy_to_guest(s, GUEST_HANDLE_ADDR(m.buffer) + i * 20ull, rec, 20))
            return -XEN_EFAULT;
    }
    return svm_copy_to_guest(s, arg, &m.nr_entries, sizeof(m.nr_entries))
               ? -XEN_EFAULT : 0;
}

/* p2m changes reach the NPT through core's env_p2m_changed, entry by
 * entry; register_vcpu_info or a shared_info move may have moved the
 * time area, so the pvclock is refreshed after those two families. */
static long core_call(struct svm_vcpu *s, unsigned int nr, const uint64_t *a)
{
    long rc = hypercall_dispatch(s->v, nr, a);

    if (nr == __HYPERVISOR_memory_op || nr == __HYPERVISOR_vcpu_op)
        svm_update_time(s);
    return rc;
}

static long dispatch(struct svm_vcpu *s, uint64_t nr, const uint64_t *a)
{
    long rc;

    switch (nr) {
    case __HYPERVISOR_console_io:
        return console_io(s, a[0], a[1], a[2]);
    case __HYPERVISOR_vm_assist:
        return vm_assist(s, a[0], a[1]);
    case __HYPERVISOR_memory_op:
        if (a[0] == XENMEM_memory_map)
            return memory_map(s, a[1]);
        break;
    case __HYPERVISOR_vcpu_op:
        rc = vcpu_op(s, a[0], a[1]);
        if (rc != 1)
            return rc;
        break;
    }
    return nr > 0xFFFFFFFFull ? -XEN_ENOSYS : core_call(s, (unsigned int)nr, a);
}

/* core/env.h: a long core hypercall stops here. Its argument register
 * takes the progress and RIP stays on the VMMCALL (RAX still holds the
 * number), so the guest runs the call again -- after any interrupt due,
 * and within its own time slice. */
bool env_hypercall_preempt(struct vcpu *v, unsigned int arg, uint64_t val)
{
    struct svm_vcpu *s = svm_vcpu_of(v);
    uint64_t *regs[HYPERCALL_NR_ARGS];

    if (!s || !s->in_hypercall || arg >= HYPERCALL_NR_ARGS)
        return false;
    regs[0] = &s->gprs.rdi;
    regs[1] = &s->gprs.rsi;
    regs[2] = &s->gprs.rdx;
    regs[3] = &s->gprs.r10;
    regs[4] = &s->gprs.r8;
    regs[5] = &s->gprs.r9;
    *regs[arg] = val;
    s->continued = true;
    s->nr_continued++;
    return true;
}

bool svm_hypercall(struct svm_vcpu *s)
{
    struct vmcb *vm = s->vmcb;
    uint64_t a[HYPERCALL_NR_ARGS] = {
        s->gprs.rdi, s->gprs.rsi, s->gprs.rdx, s->gprs.r10, s->gprs.r8,
        s->gprs.r9,
    };
    bool long_mode = (vm->efer & VEFER_LMA) && (vm->cs.attr & (1u << 9));
    long rc;

    s->hypercalls++;
    if (vm->cpl != 0)
        rc = -XEN_EPERM;                /* as Xen: HVM hypercalls need CPL 0 */
    else if (!long_mode) {
        env_log(LOG_WARN, "d%u (%s): hypercall %llu from 32-bit code: not supported",
                s->sd->d->domid, s->sd->name, (unsigned long long)vm->rax);
        rc = -XEN_ENOSYS;
    } else {
        s->in_hypercall = true;
        rc = dispatch(s, vm->rax, a);
        s->in_hypercall = false;
    }
    if (s->continued) {
        s->continued = false;
        return false;                   /* RAX still holds the number */
    }
    vm->rax = (uint64_t)rc;
    return true;
}
