/* SPDX-License-Identifier: MIT */
/*
 * The one hypercall table: Xen's x86_64 hypercall numbers with who may call
 * each. The hypervisor's dispatch, the guest stubs and the tools all expand
 * XEN_HYPERCALL_TABLE(X), where X(nr, name, access) names one hypercall.
 * Numbers are Xen's (checked against Debian's xen/xen.h by tests/abi).
 *
 * access:
 *   HC_ANY   any domain may call it; sub-operations check finer rights
 *   HC_CTRL  only the control domain (privilege checked once, at dispatch)
 *   HC_PV    classic PV guests only (not offered to PVH/HVM guests)
 * Which hypercalls Xen offers to HVM/PVH callers follows Xen 4.17's own
 * table: mmuext_op is offered to them (a few TLB-flush commands), nmi_op
 * and callback_op are not. arch_0 is Xen's machine-check hypercall
 * (privileged), arch_1 its paging-domctl continuation; tmem_op (38) is
 * retired and answers XEN_ENOSYS everywhere.
 */
#ifndef XEN_HYPERCALL_TABLE_H
#define XEN_HYPERCALL_TABLE_H

#define HC_ANY  0
#define HC_CTRL 1
#define HC_PV   2

#define XEN_HYPERCALL_TABLE(X)                        \
    X( 0, set_trap_table,               HC_PV)    \
    X( 1, mmu_update,                   HC_PV)    \
    X( 2, set_gdt,                      HC_PV)    \
    X( 3, stack_switch,                 HC_PV)    \
    X( 4, set_callbacks,                HC_PV)    \
    X( 5, fpu_taskswitch,               HC_PV)    \
    X( 6, sched_op_compat,              HC_PV)    \
    X( 7, platform_op,                  HC_CTRL)  \
    X( 8, set_debugreg,                 HC_PV)    \
    X( 9, get_debugreg,                 HC_PV)    \
    X(10, update_descriptor,            HC_PV)    \
    X(12, memory_op,                    HC_ANY)   \
    X(13, multicall,                    HC_ANY)   \
    X(14, update_va_mapping,            HC_PV)    \
    X(15, set_timer_op,                 HC_ANY)   \
    X(16, event_channel_op_compat,      HC_PV)    \
    X(17, xen_version,                  HC_ANY)   \
    X(18, console_io,                   HC_ANY)   \
    X(19, physdev_op_compat,            HC_PV)    \
    X(20, grant_table_op,               HC_ANY)   \
    X(21, vm_assist,                    HC_ANY)   \
    X(22, update_va_mapping_otherdomain, HC_PV)   \
    X(23, iret,                         HC_PV)    \
    X(24, vcpu_op,                      HC_ANY)   \
    X(25, set_segment_base,             HC_PV)    \
    X(26, mmuext_op,                    HC_ANY)   \
    X(27, xsm_op,                       HC_ANY)   \
    X(28, nmi_op,                       HC_PV)    \
    X(29, sched_op,                     HC_ANY)   \
    X(30, callback_op,                  HC_PV)    \
    X(31, xenoprof_op,                  HC_CTRL)  \
    X(32, event_channel_op,             HC_ANY)   \
    X(33, physdev_op,                   HC_ANY)   \
    X(34, hvm_op,                       HC_ANY)   \
    X(35, sysctl,                       HC_CTRL)  \
    X(36, domctl,                       HC_CTRL)  \
    X(37, kexec_op,                     HC_CTRL)  \
    X(38, tmem_op,                      HC_CTRL)  \
    X(39, argo_op,                      HC_ANY)   \
    X(40, xenpmu_op,                    HC_ANY)   \
    X(41, dm_op,                        HC_CTRL)  \
    X(42, hypfs_op,                     HC_CTRL)  \
    X(48, arch_0,                       HC_CTRL)  \
    X(49, arch_1,                       HC_CTRL)  \
    X(50, arch_2,                       HC_ANY)   \
    X(51, arch_3,                       HC_ANY)   \
    X(52, arch_4,                       HC_ANY)   \
    X(53, arch_5,                       HC_ANY)   \
    X(54, arch_6,                       HC_ANY)   \
    X(55, arch_7,                       HC_ANY)

#define XEN_HYPERCALL_MAX 64    /* dispatch table size; numbers are < 64 */

#endif
