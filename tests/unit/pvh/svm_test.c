/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * svm_vmcb: the VMCB a PVH vCPU starts from (the entry state that booted
 * Linux in pvh-first-light), the intercepts issue 4 needs, the I/O map,
 * event encodings, the IOIO decode of QEMU's real exit info, ASIDs.
 */
#include <stdint.h>
#include "unit.h"
#include "svm_vmcb.h"

static struct vmcb vm;

static void init(void)
{
    struct pvh_boot_plan plan = { .entry = 0x1000850, .start_info_gpa = 0x100000 };
    struct pvh_entry_state st;

    pvh_entry_state(&plan, &st);
    memset(&vm, 0xEE, sizeof(vm));
    svm_vmcb_init(&vm, &st, 0x7000000, 0x7003000, 0x7100000, 1, 0x1000);
}

TEST(vmcb_entry_state_is_pvh)
{
    init();
    CHECK_EQ(vm.rip, 0x1000850);
    CHECK_EQ(vm.cr0, 0x11);
    CHECK_EQ(vm.cr4, 0);
    CHECK_EQ(vm.cr3, 0);
    CHECK_EQ(vm.efer, 0x1000);                 /* SVME only */
    CHECK_EQ(vm.rflags, 2);
    CHECK_EQ(vm.cs.attr, 0xC9B);
    CHECK_EQ(vm.cs.limit, 0xFFFFFFFFu);
    CHECK_EQ(vm.cs.base, 0);
    CHECK_EQ(vm.ds.attr, 0xC93);
    CHECK_EQ(vm.ss.attr, 0xC93);
    CHECK_EQ(vm.es.attr, 0xC93);
    CHECK_EQ(vm.tr.attr, 0x8B);
    CHECK_EQ(vm.tr.limit, 0x67);
    CHECK_EQ(vm.cpl, 0);
    CHECK_EQ(vm.g_pat, 0x0007040600070406ull);
    CHECK_EQ(vm.dr7, 0x400);
    CHECK_EQ(vm.rax, 0);
    CHECK_EQ(vm.event_inj, 0);
    CHECK_EQ(vm.rsvd11[0], 0);                 /* all of it zeroed */
}

TEST(vmcb_controls)
{
    init();
    CHECK_EQ(vm.iopm_pa, 0x7000000);
    CHECK_EQ(vm.msrpm_pa, 0x7003000);
    CHECK_EQ(vm.n_cr3, 0x7100000);
    CHECK_EQ(vm.np_ctl, 1);
    CHECK_EQ(vm.asid, 1);
    CHECK_EQ(vm.tlb_ctl, SVM_TLB_FLUSH_ALL);
    CHECK_EQ(vm.vintr, SVM_VINTR_MASKING);
    CHECK(vm.icpt_misc2 & SVM_MISC2_VMRUN);    /* VMRUN fails without it */
    CHECK(vm.icpt_misc2 & SVM_MISC2_VMMCALL);
    CHECK(vm.icpt_misc2 & SVM_MISC2_XSETBV);
    CHECK(vm.icpt_misc1 & SVM_MISC1_CPUID);
    CHECK(vm.icpt_misc1 & SVM_MISC1_HLT);
    CHECK(vm.icpt_misc1 & SVM_MISC1_IOIO);
    CHECK(vm.icpt_misc1 & SVM_MISC1_MSR);
    CHECK(vm.icpt_misc1 & SVM_MISC1_SHUTDOWN);
    CHECK(vm.icpt_misc1 & SVM_MISC1_INTR);
    CHECK(!(vm.icpt_misc1 & SVM_MISC1_VINTR)); /* only while waiting */
    CHECK_EQ(vm.icpt_exc, 1u << 6);            /* #UD: VMCALL */
    CHECK_EQ(vm.icpt_cr, 0);
}

TEST(iopm_intercepts_every_port)
{
    static uint8_t iopm[SVM_IOPM_SIZE];

    svm_iopm_build(iopm, sizeof(iopm));
    for (size_t i = 0; i < sizeof(iopm); i++)
        CHECK_EQ(iopm[i], 0xFF);
}

TEST(event_encodings)
{
    CHECK_EQ(svm_event_extint(0xF3), 0x800000F3ull);
    CHECK_EQ(svm_event_exception(13, true, 0), 0x80000B0Dull);   /* #GP(0) */
    CHECK_EQ(svm_event_exception(14, true, 0x6), 0x0000000680000B0Eull);
    CHECK_EQ(svm_event_exception(6, false, 99), 0x80000306ull);  /* #UD */
}

TEST(ioio_decode)
{
    struct svm_ioio io;

    svm_ioio_decode(0x800010, &io);            /* QEMU TCG: OUT 0x80, byte */
    CHECK_EQ(io.port, 0x80);
    CHECK_EQ(io.size, 1);
    CHECK(!io.in && !io.string && !io.rep);
    svm_ioio_decode((0x42u << 16) | 0x11, &io);   /* IN 0x42, byte */
    CHECK(io.in);
    CHECK_EQ(io.port, 0x42);
    svm_ioio_decode((0xE9u << 16) | 0x1C, &io);   /* rep outsb to 0xE9 */
    CHECK(io.string && io.rep && !io.in);
    svm_ioio_decode((0xCFCu << 16) | 0x41, &io);  /* IN dword */
    CHECK_EQ(io.size, 4);
    svm_ioio_decode((0xCFEu << 16) | 0x21, &io);  /* IN word */
    CHECK_EQ(io.size, 2);
}

TEST(exit_names)
{
    CHECK_STR(svm_exit_name(0x81), "VMMCALL");
    CHECK_STR(svm_exit_name(0x400), "NPF");
    CHECK_STR(svm_exit_name(0x7F), "SHUTDOWN");
    CHECK_STR(svm_exit_name(~0ull), "INVALID");
    CHECK_STR(svm_exit_name(0x999), "?");
}

TEST(asids_roll_over_with_a_flush)
{
    struct svm_asid_space s;
    struct svm_asid a[20] = { { 0, 0 } };

    svm_asid_space_init(&s, 16);               /* QEMU TCG has 16 */
    for (int i = 0; i < 15; i++) {
        CHECK(!svm_asid_assign(&s, &a[i]));
        CHECK_EQ(a[i].asid, i + 1);
    }
    CHECK(!svm_asid_assign(&s, &a[0]));        /* still current: kept */
    CHECK_EQ(a[0].asid, 1);
    CHECK(svm_asid_assign(&s, &a[15]));        /* space full: flush */
    CHECK_EQ(a[15].asid, 1);
    CHECK(!svm_asid_assign(&s, &a[0]));        /* stale: new one */
    CHECK_EQ(a[0].asid, 2);
    for (int i = 0; i < 20; i++)
        CHECK(a[i].asid == 0 || a[i].asid < 16);
    svm_asid_space_init(&s, 1);                /* treated as 2: only ASID 1 */
    a[19].asid = 0;
    svm_asid_assign(&s, &a[19]);
    CHECK_EQ(a[19].asid, 1);
    svm_asid_assign(&s, &a[18]);
    CHECK_EQ(a[18].asid, 1);
}

TEST(sipi_state_is_real_mode_at_the_vector)
{
    init();
    vm.rip = 0x1234;
    vm.event_inj = 0x800000F3;
    svm_vmcb_sipi(&vm, 0x99);
    CHECK_EQ(vm.cs.sel, 0x9900);
    CHECK_EQ(vm.cs.base, 0x99000);
    CHECK_EQ(vm.cs.limit, 0xFFFF);
    CHECK_EQ(vm.cs.attr & 0x400, 0);           /* 16-bit */
    CHECK_EQ(vm.rip, 0);
    CHECK_EQ(vm.cr0 & 1, 0);                   /* PE off */
    CHECK_EQ(vm.cr0 & 0x80000000u, 0);         /* paging off */
    CHECK_EQ(vm.efer, 1u << 12);               /* SVME only */
    CHECK_EQ(vm.ds.base, 0);
    CHECK_EQ(vm.ss.limit, 0xFFFF);
    CHECK_EQ(vm.rflags, 2);
    CHECK_EQ(vm.event_inj, 0);                 /* nothing carried over */
    CHECK_EQ(vm.tlb_ctl, SVM_TLB_FLUSH_ALL);
    CHECK(vm.icpt_misc2 & SVM_MISC2_VMRUN);    /* intercepts untouched */
}
