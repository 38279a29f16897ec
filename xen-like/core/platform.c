/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * platform_op for a control domain that does not manage the physical CPUs:
 * the physical CPU list and signatures (through the runtime's hooks), the
 * system wall clock (settime, and its copy in every shared_info). Power,
 * microcode, memory types and CPU hotplug answer -XEN_ENOSYS.
 */
#include "platform_op.h"
#include "errno.h"
#include "hypercall.h"
#include "platform.h"
#include "sysctl_host.h"

#define NS_PER_SEC 1000000000ull

/* Domains and commands an unimplemented-cmd line was already logged for. */
#define LOGGED_DOMAINS 8
#define LOGGED_CMDS    16

struct logged_cmds {
    bool used;
    domid_t domid;
    unsigned int n;
    uint32_t cmd[LOGGED_CMDS];
};

static const struct platform_host_ops *host_ops;
/* Guards the wall clock, the shared_info wc_* writes and the logged table. */
static struct env_lock platform_lock = ENV_LOCK_INIT(LOCK_RANK_PLATFORM, "platform");
static uint64_t wc_sec;         /* the wall clock at system time 0 */
static uint32_t wc_nsec;
static struct logged_cmds logged[LOGGED_DOMAINS];

void platform_set_host_ops(const struct platform_host_ops *ops)
{
    host_ops = ops;
}

/* ---- the wall clock ---- */

void platform_wallclock_write(struct domain *d)
{
    struct shared_info *si = d->shared_info;

    if (!si)
        return;
    env_lock(&platform_lock);
    /* Odd while the fields change, so a reader retries; then a new even value. */
    si->wc_version = (si->wc_version + 1) | 1;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    si->wc_sec = (uint32_t)wc_sec;
    si->wc_sec_hi = (uint32_t)(wc_sec >> 32);
    si->wc_nsec = wc_nsec;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    si->wc_version = (si->wc_version + 1) & ~1u;
    env_unlock(&platform_lock);
}

void platform_wallclock_set(uint64_t secs, uint32_t nsecs, uint64_t system_time)
{
    /* Unsigned wrap-around arithmetic, as Xen's: no input is refused here. */
    uint64_t base = secs * NS_PER_SEC + nsecs - system_time;
    unsigned int id = 0;
    struct domain *d;

    env_lock(&platform_lock);
    wc_sec = base / NS_PER_SEC;
    wc_nsec = (uint32_t)(base % NS_PER_SEC);
    env_unlock(&platform_lock);
    while (id < DOMID_FIRST_RESERVED && (d = domain_get_next((domid_t)id))) {
        platform_wallclock_write(d);
        id = d->domid + 1u;
        domain_put(d);
    }
}

/* ---- logging an unimplemented cmd once per domain ---- */

static const char *cmd_name(uint32_t cmd)
{
    switch (cmd) {
    case XENPF_settime32:            return "settime32";
    case XENPF_settime64:            return "settime64";
    case XENPF_get_cpuinfo:          return "get_cpuinfo";
    case XENPF_get_cpu_version:      return "get_cpu_version";
    case XENPF_add_memtype:          return "add_memtype";
    case XENPF_del_memtype:          return "del_memtype";
    case XENPF_read_memtype:         return "read_memtype";
    case XENPF_microcode_update:     return "microcode_update";
    case XENPF_platform_quirk:       return "platform_quirk";
    case XENPF_efi_runtime_call:     return "efi_runtime_call";
    case XENPF_firmware_info:        return "firmware_info";
    case XENPF_enter_acpi_sleep:     return "enter_acpi_sleep";
    case XENPF_change_freq:          return "change_freq";
    case XENPF_getidletime:          return "getidletime";
    case XENPF_set_processor_pminfo: return "set_processor_pminfo";
    case XENPF_cpu_online:           return "cpu_online";
    case XENPF_cpu_offline:          return "cpu_offline";
    case XENPF_cpu_hotadd:           return "cpu_hotadd";
    case XENPF_mem_hotadd:           return "mem_hotadd";
    case XENPF_core_parking:         return "core_parking";
    case XENPF_resource_op:          return "resource_op";
    case XENPF_get_symbol:           return "get_symbol";
    default:                         return "unknown";
    }
}

static struct logged_cmds *logged_slot(domid_t domid)
{
    struct logged_cmds *free_slot = NULL;

    for (unsigned int i = 0; i < LOGGED_DOMAINS; i++) {
        if (logged[i].used && logged[i].domid == domid)
            return &logged[i];
        if (!logged[i].used && !free_slot)
            free_slot = &logged[i];
    }
    if (free_slot) {
        free_slot->used = true;
        free_slot->domid = domid;
        free_slot->n = 0;
    }
    return free_slot;
}

/* Whether this domain's first call of cmd: only then is it logged. */
static bool first_time(domid_t domid, uint32_t cmd)
{
    struct logged_cmds *l;
    bool first = false;

    env_lock(&platform_lock);
    l = logged_slot(domid);
    if (l) {
        unsigned int i;

        for (i = 0; i < l->n && l->cmd[i] != cmd; i++)
            ;
        if (i == l->n && l->n < LOGGED_CMDS) {
            l->cmd[l->n++] = cmd;
            first = true;
        }
    }
    env_unlock(&platform_lock);
    return first;
}

static long not_implemented(struct vcpu *v, uint32_t cmd, const char *why)
{
    if (first_time(v->domain->domid, cmd))
        env_log(LOG_WARN, "d%u: platform_op cmd %u (%s): not implemented (%s); logged once",
                v->domain->domid, cmd, cmd_name(cmd), why);
    return -XEN_ENOSYS;
}

/* ---- the sub-operations ---- */

static long settime(struct vcpu *v, const struct xen_platform_op *op)
{
    uint64_t secs = op->u.settime64.secs, system_time = op->u.settime64.system_time;
    uint32_t nsecs = op->u.settime64.nsecs;

    if (op->cmd == XENPF_settime32) {
        secs = op->u.settime32.secs;
        nsecs = op->u.settime32.nsecs;
        system_time = op->u.settime32.system_time;
    } else if (op->u.settime64.mbz) {
        env_log(LOG_WARN, "d%u: platform_op settime64: mbz is %#x, not 0", v->domain->domid,
                op->u.settime64.mbz);
        return -XEN_EINVAL;
    }
    platform_wallclock_set(secs, nsecs, system_time);
    /* Rare: Linux dom0 passes on each clock change, and every 11 minutes under NTP. */
    env_log(LOG_INFO, "d%u: platform_op %s: %llu.%09u s at system time %llu ns",
            v->domain->domid, cmd_name(op->cmd), (unsigned long long)secs, nsecs,
            (unsigned long long)system_time);
    return 0;
}

/* A CPU that is not present leaves apic_id/acpi_id as the caller gave them (Xen). */
static long get_cpuinfo(struct xenpf_pcpuinfo *info)
{
    struct platform_pcpu c;

    if (!host_ops)
        return -XEN_ENOSYS;
    memset(&c, 0, sizeof(c));
    if (!host_ops->pcpu(info->xen_cpuid, &c)) {
        info->flags = XEN_PCPU_FLAGS_INVALID;
    } else {
        info->apic_id = c.apic_id;
        info->acpi_id = c.acpi_id;
        info->flags = c.online ? XEN_PCPU_FLAGS_ONLINE : 0;
    }
    info->max_present = host_ops->max_present();
    return 0;
}

/* A CPU that is not online reads as all zeroes (Xen). */
static long get_cpu_version(struct xenpf_pcpu_version *ver)
{
    struct platform_pcpu c;

    if (!host_ops)
        return -XEN_ENOSYS;
    memset(&c, 0, sizeof(c));
    if (!host_ops->pcpu(ver->xen_cpuid, &c) || !c.online)
        memset(&c, 0, sizeof(c));
    memcpy(ver->vendor_id, c.vendor_id, sizeof(ver->vendor_id));
    ver->family = c.family;
    ver->model = c.model;
    ver->stepping = c.stepping;
    ver->max_present = host_ops->max_present();
    return 0;
}

long platform_op(struct vcpu *v, const uint64_t *a)
{
    struct xen_platform_op op;
    guest_addr_t u = a[0] + offsetof(struct xen_platform_op, u);
    long rc;

    if (env_copy_from_guest(v, &op, a[0], sizeof(op)))
        return -XEN_EFAULT;
    if (op.interface_version != XENPF_INTERFACE_VERSION) {
        env_log(LOG_WARN, "d%u: platform_op cmd %u: interface version %#x, not %#x",
                v->domain->domid, op.cmd, op.interface_version, XENPF_INTERFACE_VERSION);
        return -XEN_EACCES;
    }
    /* Only the union member a cmd answers in goes back, as in Xen. */
    switch (op.cmd) {
    case XENPF_settime32:
    case XENPF_settime64:
        return settime(v, &op);
    case XENPF_get_cpuinfo:
        rc = get_cpuinfo(&op.u.pcpu_info);
        if (!rc && env_copy_to_guest(v, u, &op.u.pcpu_info, sizeof(op.u.pcpu_info)))
            rc = -XEN_EFAULT;
        break;
    case XENPF_get_cpu_version:
        rc = get_cpu_version(&op.u.pcpu_version);
        if (!rc && env_copy_to_guest(v, u, &op.u.pcpu_version, sizeof(op.u.pcpu_version)))
            rc = -XEN_EFAULT;
        break;
    case XENPF_getidletime:
        return not_implemented(v, op.cmd, "no per-CPU idle time is accounted");
    default:
        return not_implemented(v, op.cmd, "no such operation here");
    }
    if (rc == -XEN_ENOSYS)
        return not_implemented(v, op.cmd, "the runtime registered no CPU list");
    return rc;
}
