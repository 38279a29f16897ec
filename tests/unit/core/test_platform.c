/* SPDX-License-Identifier: GPL-2.0-only */
/* platform_op: the physical CPU queries, settime into every shared_info, and
 * every refusal (version, bad pointers both ways, domU, mbz, unimplemented). */
#include "unit.h"
#include "core_test.h"
#include "errno.h"
#include "mm.h"
#include "platform.h"
#include "platform_op.h"
#include "sysctl_host.h"

#define RO_GFN (TEST_RAM_GFN + TEST_RAM_PAGES + 4)     /* a read-only page of ctl's */

static struct domain *ctl;

static struct xen_platform_op op_for(uint32_t cmd)
{
    return (struct xen_platform_op){ .cmd = cmd, .interface_version = XENPF_INTERFACE_VERSION };
}

static long platform(struct domain *d, struct xen_platform_op *op)
{
    struct vcpu *v = d->vcpus[0];
    guest_addr_t a = put_guest(v, op, sizeof(*op));
    long rc = hc(v, __HYPERVISOR_platform_op, a, 0, 0);

    get_guest(v, op, a, sizeof(*op));
    return rc;
}

/* A machine of three CPUs: 0 and 1 online, 2 present but offline. */
static const uint32_t fake_apic[3] = { 0, 2, 4 };

static unsigned int fake_max_present(void)
{
    return 2;
}

static bool fake_pcpu(unsigned int cpu, struct platform_pcpu *out)
{
    if (cpu > 2)
        return false;
    out->apic_id = fake_apic[cpu];
    out->acpi_id = cpu + 10;
    out->online = cpu < 2;
    memcpy(out->vendor_id, "AuthenticAMD", 12);
    out->family = 0x19;
    out->model = 0x21;
    out->stepping = cpu + 1;
    return true;
}

static const struct platform_host_ops fake_ops = { fake_max_present, fake_pcpu };

static void setup(void)
{
    ctl = test_domain(0, true, 1);
    platform_set_host_ops(&fake_ops);
}

TEST(platform_bad_version_is_eacces_and_logged)
{
    struct xen_platform_op op = op_for(XENPF_get_cpuinfo);

    setup();
    op.interface_version = XENPF_INTERFACE_VERSION - 1;
    CHECK_EQ(platform(ctl, &op), -XEN_EACCES);
    CHECK(env_host_log_has("d0: platform_op cmd 55: interface version 0x3000000"));
    CHECK_EQ(op.u.pcpu_info.flags, 0);                 /* nothing written back */
}

TEST(platform_bad_pointer_in_and_out_is_efault)
{
    struct xen_platform_op op = op_for(XENPF_get_cpuinfo);
    struct domain *other;
    mfn_t mfn;

    setup();
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_platform_op, TEST_BAD_GADDR, 0, 0), -XEN_EFAULT);
    CHECK(env_host_log_has("bad guest address"));
    /* Readable but not writable: the op is read, its answer cannot be stored. */
    other = test_domain(1, false, 1);
    CHECK_EQ(mm_translate(other, TEST_RAM_GFN, false, &mfn), 0);
    memcpy(env_frame_va(mfn), &op, sizeof(op));
    CHECK_EQ(mm_map_foreign(ctl, RO_GFN, mfn, false), 0);
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_platform_op, RO_GFN << 12, 0, 0), -XEN_EFAULT);
    op = op_for(XENPF_get_cpu_version);
    memcpy(env_frame_va(mfn), &op, sizeof(op));
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_platform_op, RO_GFN << 12, 0, 0), -XEN_EFAULT);
    /* settime writes nothing back, so a read-only argument is fine (Xen). */
    op = op_for(XENPF_settime64);
    memcpy(env_frame_va(mfn), &op, sizeof(op));
    CHECK_EQ(hc(ctl->vcpus[0], __HYPERVISOR_platform_op, RO_GFN << 12, 0, 0), 0);
    CHECK_EQ(env_host_locks_held(), 0);
}

TEST(platform_domu_is_eperm_at_dispatch)
{
    struct xen_platform_op op = op_for(XENPF_settime64);
    struct domain *domu;

    setup();
    domu = test_domain(3, false, 1);
    op.u.settime64.secs = 12345;
    CHECK_EQ(platform(domu, &op), -XEN_EPERM);
    CHECK(env_host_log_has("d3: hypercall platform_op: not the control domain"));
    CHECK_EQ(ctl->shared_info->wc_sec, 0);             /* the clock did not move */
}

TEST(platform_get_cpuinfo_online_offline_and_past_max_present)
{
    struct xen_platform_op op = op_for(XENPF_get_cpuinfo);

    setup();
    op.u.pcpu_info.xen_cpuid = 1;
    CHECK_EQ(platform(ctl, &op), 0);
    CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_ONLINE);
    CHECK_EQ(op.u.pcpu_info.apic_id, 2);
    CHECK_EQ(op.u.pcpu_info.acpi_id, 11);
    CHECK_EQ(op.u.pcpu_info.max_present, 2);
    op = op_for(XENPF_get_cpuinfo);
    op.u.pcpu_info.xen_cpuid = 2;
    CHECK_EQ(platform(ctl, &op), 0);
    CHECK_EQ(op.u.pcpu_info.flags, 0);                 /* present, not online */
    CHECK_EQ(op.u.pcpu_info.apic_id, 4);
    /* Past max_present: INVALID, and apic/acpi ids stay as the caller gave them. */
    for (uint32_t cpu = 3; cpu != 0; cpu = cpu == 3 ? 0xffffffffu : 0) {
        op = op_for(XENPF_get_cpuinfo);
        op.u.pcpu_info.xen_cpuid = cpu;
        op.u.pcpu_info.flags = XEN_PCPU_FLAGS_ONLINE;
        op.u.pcpu_info.apic_id = 77;
        op.u.pcpu_info.acpi_id = 78;
        CHECK_EQ(platform(ctl, &op), 0);
        CHECK_EQ(op.u.pcpu_info.flags, XEN_PCPU_FLAGS_INVALID);
        CHECK_EQ(op.u.pcpu_info.apic_id, 77);
        CHECK_EQ(op.u.pcpu_info.acpi_id, 78);
        CHECK_EQ(op.u.pcpu_info.max_present, 2);
    }
}

TEST(platform_get_cpu_version_online_and_not)
{
    struct xen_platform_op op = op_for(XENPF_get_cpu_version);

    setup();
    op.u.pcpu_version.xen_cpuid = 1;
    CHECK_EQ(platform(ctl, &op), 0);
    CHECK_EQ(memcmp(op.u.pcpu_version.vendor_id, "AuthenticAMD", 12), 0);
    CHECK_EQ(op.u.pcpu_version.family, 0x19);
    CHECK_EQ(op.u.pcpu_version.model, 0x21);
    CHECK_EQ(op.u.pcpu_version.stepping, 2);
    CHECK_EQ(op.u.pcpu_version.max_present, 2);
    /* Offline (2) and absent (9): all zeroes, max_present still given. */
    for (uint32_t cpu = 2; cpu <= 9; cpu += 7) {
        op = op_for(XENPF_get_cpu_version);
        op.u.pcpu_version.xen_cpuid = cpu;
        memset(op.u.pcpu_version.vendor_id, 'x', 12);
        op.u.pcpu_version.family = op.u.pcpu_version.model = op.u.pcpu_version.stepping = 5;
        CHECK_EQ(platform(ctl, &op), 0);
        for (int i = 0; i < 12; i++)
            CHECK_EQ(op.u.pcpu_version.vendor_id[i], 0);
        CHECK_EQ(op.u.pcpu_version.family, 0);
        CHECK_EQ(op.u.pcpu_version.model, 0);
        CHECK_EQ(op.u.pcpu_version.stepping, 0);
        CHECK_EQ(op.u.pcpu_version.max_present, 2);
    }
}

TEST(platform_cpu_queries_without_a_cpu_list_are_enosys)
{
    struct xen_platform_op op = op_for(XENPF_get_cpuinfo);

    setup();
    platform_set_host_ops(NULL);
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(env_host_log_has("d0: platform_op cmd 55 (get_cpuinfo): not implemented (the runtime"));
    op = op_for(XENPF_get_cpu_version);
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
}

static void check_wallclock(struct domain *d, uint64_t sec, uint32_t nsec, uint32_t version)
{
    struct shared_info *si = d->shared_info;

    CHECK_EQ(si->wc_sec, (uint32_t)sec);
    CHECK_EQ(si->wc_sec_hi, (uint32_t)(sec >> 32));
    CHECK_EQ(si->wc_nsec, nsec);
    CHECK_EQ(si->wc_version, version);
}

TEST(platform_settime64_reaches_every_shared_info_with_even_versions)
{
    struct xen_platform_op op = op_for(XENPF_settime64);
    struct domain *domu;

    setup();
    domu = test_domain(5, false, 1);
    platform_wallclock_write(domu);                     /* as a vCPU time update does */
    check_wallclock(domu, 0, 0, 2);
    /* 1.7e9 s + 250 ns at system time 3 s + 100 ns: 1699999997 s + 150 ns at 0. */
    op.u.settime64.secs = 1700000000;
    op.u.settime64.nsecs = 250;
    op.u.settime64.system_time = 3000000100ull;
    CHECK_EQ(platform(ctl, &op), 0);
    CHECK(env_host_log_has("d0: platform_op settime64: 1700000000.000000250 s at system time "
                           "3000000100 ns"));
    check_wallclock(ctl, 1699999997, 150, 2);
    check_wallclock(domu, 1699999997, 150, 4);
    /* A borrow from the seconds, and seconds beyond 32 bits. */
    op.u.settime64.secs = 0x123456789ull;
    op.u.settime64.nsecs = 100;
    op.u.settime64.system_time = 1000000200ull;
    CHECK_EQ(platform(ctl, &op), 0);
    check_wallclock(ctl, 0x123456789ull - 2, 999999900, 4);
    check_wallclock(domu, 0x123456789ull - 2, 999999900, 6);
    CHECK_EQ(env_host_locks_held(), 0);
}

TEST(platform_wallclock_version_leaves_an_odd_value_even)
{
    struct xen_platform_op op = op_for(XENPF_settime32);

    setup();
    /* From an odd value (a torn earlier write): odd 9 while writing, then 10,
     * as Xen's version_update_begin/end; never an even value mid-write. */
    ctl->shared_info->wc_version = 7;
    op.u.settime32.secs = 1000;
    op.u.settime32.nsecs = 5;
    op.u.settime32.system_time = 0;
    CHECK_EQ(platform(ctl, &op), 0);
    check_wallclock(ctl, 1000, 5, 10);
}

TEST(platform_settime64_mbz_is_einval_and_the_clock_stays)
{
    struct xen_platform_op op = op_for(XENPF_settime64);

    setup();
    op.u.settime64.secs = 5000;
    CHECK_EQ(platform(ctl, &op), 0);
    check_wallclock(ctl, 5000, 0, 2);
    op.u.settime64.secs = 6000;
    op.u.settime64.mbz = 1;
    CHECK_EQ(platform(ctl, &op), -XEN_EINVAL);
    CHECK(env_host_log_has("d0: platform_op settime64: mbz is 0x1, not 0"));
    check_wallclock(ctl, 5000, 0, 2);
}

TEST(platform_settime32_and_the_boot_setting)
{
    struct xen_platform_op op = op_for(XENPF_settime32);

    setup();
    platform_wallclock_set(1600000000, 0, 0);          /* what the boot sets from the RTC */
    check_wallclock(ctl, 1600000000, 0, 2);
    op.u.settime32.secs = 0xfffffff0u;
    op.u.settime32.nsecs = 999999999;
    op.u.settime32.system_time = 999999999;
    CHECK_EQ(platform(ctl, &op), 0);
    check_wallclock(ctl, 0xfffffff0u, 0, 4);
}

TEST(platform_unimplemented_cmds_enosys_logged_once_per_cmd_per_domain)
{
    struct xen_platform_op op = op_for(XENPF_microcode_update);
    struct domain *second;

    setup();
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(env_host_log_has("d0: platform_op cmd 35 (microcode_update): not implemented"));
    env_host_log_clear();
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(!env_host_log_has("platform_op cmd 35"));
    /* Another cmd, and a cmd Xen does not know either, each get their line. */
    op = op_for(XENPF_getidletime);
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(env_host_log_has("d0: platform_op cmd 53 (getidletime): not implemented (no per-CPU"));
    op = op_for(1000);
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(env_host_log_has("d0: platform_op cmd 1000 (unknown): not implemented"));
    /* Another control domain gets its own line for the same cmd. */
    second = test_domain(2, true, 1);
    env_host_log_clear();
    op = op_for(XENPF_microcode_update);
    CHECK_EQ(platform(second, &op), -XEN_ENOSYS);
    CHECK(env_host_log_has("d2: platform_op cmd 35 (microcode_update): not implemented"));
    env_host_log_clear();
    CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
    CHECK(!env_host_log_has("platform_op cmd 35"));
}

TEST(platform_unimplemented_log_stays_bounded)
{
    struct xen_platform_op op;
    unsigned int lines = 0;

    setup();
    /* Many distinct cmds: a bounded number of lines, every call still ENOSYS. */
    for (uint32_t cmd = 100; cmd < 140; cmd++) {
        char needle[48];

        op = op_for(cmd);
        env_host_log_clear();
        CHECK_EQ(platform(ctl, &op), -XEN_ENOSYS);
        snprintf(needle, sizeof(needle), "platform_op cmd %u (unknown)", cmd);
        lines += env_host_log_has(needle);
    }
    CHECK(lines > 0 && lines <= 16);
}
