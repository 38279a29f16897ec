/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hypercalls from SVM vCPUs (svm_hypercall): the register convention, the
 * ops that live with the vCPU's time and console (console_io, VCPUOP
 * timers and runstate, set_timer_op, vm_assist), and core's dispatch for
 * the rest, with the NPT and pvclock kept current after it.
 */
#include "svm.h"
#include "hypercall.h"
#include "memory.h"
#include "vcpu.h"

/* A hypercall that did part of its work: the guest re-executes it with
 * its argument registers updated (Xen's continuations), so one long call
 * cannot hold the CPU for more than a slice's worth of work. */
#define CONTINUE       1
#define CONSOLE_CHUNK  1024             /* bytes per console_io exit */

static long console_io(struct svm_vcpu *s, uint64_t cmd, uint64_t len,
                       uint64_t gva)
{
    char buf[128];
    size_t done = 0;

    if (cmd == CONSOLEIO_read)
        return 0;                       /* no input for domUs yet */
    if (cmd != CONSOLEIO_write)
        return -XEN_ENOSYS;
    while (len) {
        size_t n = len > sizeof(buf) ? sizeof(buf) : len;
        if (done == CONSOLE_CHUNK) {
            s->gprs.rsi = len;          /* count left, from where it stopped */
            s->gprs.rdx = gva;
            return CONTINUE;
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

static long set_singleshot(struct svm_vcpu *s, uint64_t arg)
{
    struct vcpu_set_singleshot_timer t;

    if (svm_copy_from_guest(s, &t, arg, sizeof(t)))
        return -XEN_EFAULT;
    if ((t.flags & VCPU_SSHOTTMR_future) &&
        t.timeout_abs_ns < svm_system_time(s->sd))
        return -XEN_ETIME;
    /* A deadline in the past fires at once (Linux 6.1 sets no flags). */
    s->timer_deadline_ns = t.timeout_abs_ns ? t.timeout_abs_ns : 1;
    return 0;
}

static long register_runstate(struct svm_vcpu *s, uint64_t arg)
{
    struct vcpu_register_runstate_memory_area a;
    struct vcpu_runstate_info probe;

    if (svm_copy_from_guest(s, &a, arg, sizeof(a)))
        return -XEN_EFAULT;
    if (a.addr.p && svm_copy_from_guest(s, &probe, a.addr.p, sizeof(probe)))
        return -XEN_EFAULT;
    s->runstate_gva = a.addr.p;
    svm_update_runstate(s);
    return 0;
}

/* The VCPUOPs about the caller's own timer and runstate are ours; the rest
 * (up, down, register_vcpu_info, ...) are core's. Returns 1 if not ours. */
static long vcpu_op(struct svm_vcpu *s, uint64_t cmd, uint64_t id, uint64_t arg)
{
    if (id >= s->sd->d->max_vcpus)
        return -XEN_ENOENT;
    if (id != s->v->id &&
        (cmd == VCPUOP_set_singleshot_timer || cmd == VCPUOP_stop_singleshot_timer))
        return -XEN_EINVAL;
    switch (cmd) {
    case VCPUOP_stop_periodic_timer:
        return 0;                       /* never started: no periodic timer */
    case VCPUOP_set_periodic_timer:
        return -XEN_ENOSYS;
    case VCPUOP_set_singleshot_timer:
        return set_singleshot(s, arg);
    case VCPUOP_stop_singleshot_timer:
        s->timer_deadline_ns = 0;
        return 0;
    case VCPUOP_register_runstate_memory_area:
        return id == s->v->id ? register_runstate(s, arg) : -XEN_EINVAL;
    case VCPUOP_register_vcpu_time_memory_area:
        return -XEN_ENOSYS;             /* Linux tolerates it */
    }
    return 1;
}

static long vm_assist(struct svm_vcpu *s, uint64_t cmd, uint64_t type)
{
    if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
        return -XEN_ENOSYS;
    if (type != VMASST_TYPE_runstate_update_flag)
        return -XEN_EINVAL;
    s->runstate_update_flag = cmd == VMASST_CMD_enable;
    return 0;
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

static long core_call(struct svm_vcpu *s, unsigned int nr, const uint64_t *a)
{
    long rc = hypercall_dispatch(s->v, nr, a);

    /* Memory and grant ops change the p2m; register_vcpu_info moves the
     * time area; shared_info may just have been mapped. */
    if (nr == __HYPERVISOR_memory_op || nr == __HYPERVISOR_grant_table_op)
        s->sd->npt_stale = true;
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
    case __HYPERVISOR_set_timer_op:
        s->timer_deadline_ns = a[0];
        return 0;
    case __HYPERVISOR_vm_assist:
        return vm_assist(s, a[0], a[1]);
    case __HYPERVISOR_memory_op:
        if (a[0] == XENMEM_memory_map)
            return memory_map(s, a[1]);
        break;
    case __HYPERVISOR_vcpu_op:
        rc = vcpu_op(s, a[0], a[1], a[2]);
        if (rc != 1)
            return rc;
        break;
    }
    return nr > 0xFFFFFFFFull ? -XEN_ENOSYS : core_call(s, (unsigned int)nr, a);
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
    } else
        rc = dispatch(s, vm->rax, a);
    if (rc == CONTINUE)
        return false;                   /* RAX still holds the number */
    vm->rax = (uint64_t)rc;
    return true;
}
