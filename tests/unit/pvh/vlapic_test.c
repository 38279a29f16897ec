/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vlapic: the register sequence Linux 6.1 performed in pvh-first-light,
 * priority/EOI logic, self-IPIs (irq_work 0xF6), ICRs handed to the
 * caller, and #GP for every invalid access.
 */
#include <stdint.h>
#include "unit.h"
#include "vlapic.h"

static uint64_t rd(struct vlapic *l, uint32_t msr)
{
    uint64_t v = 0xDEAD;
    const char *why = NULL;

    CHECK_EQ(vlapic_rdmsr(l, msr, &v, &why), VLAPIC_OK);
    return v;
}

static void wr(struct vlapic *l, uint32_t msr, uint64_t val)
{
    struct vlapic_ipi ipi;
    const char *why = NULL;

    CHECK_EQ(vlapic_wrmsr(l, msr, val, &ipi, &why), VLAPIC_OK);
}

static struct vlapic up(uint32_t id)
{
    struct vlapic l;

    vlapic_reset(&l, id);
    wr(&l, 0x80F, 0x1FF);
    return l;
}

TEST(linux_boot_sequence)
{
    struct vlapic l;

    vlapic_reset(&l, 0);
    CHECK_EQ(rd(&l, 0x802), 0);                 /* ID */
    CHECK_EQ(rd(&l, 0x803), 0x00050014);        /* VERSION */
    CHECK_EQ(rd(&l, 0x80F), 0xFF);              /* SVR at reset */
    wr(&l, 0x80F, 0xFF);
    wr(&l, 0x808, 0x10);                        /* TPR */
    for (uint32_t m = 0x820; m < 0x828; m++)
        CHECK_EQ(rd(&l, m), 0);                 /* IRR */
    for (uint32_t m = 0x810; m < 0x818; m++)
        CHECK_EQ(rd(&l, m), 0);                 /* ISR */
    wr(&l, 0x835, 0x10700);                     /* LINT0 ExtINT masked */
    wr(&l, 0x836, 0x400);                       /* LINT1 NMI */
    CHECK_EQ(rd(&l, 0x836), 0x10400);           /* masked: SW-disabled */
    wr(&l, 0x828, 0);
    CHECK_EQ(rd(&l, 0x828), 0);
    wr(&l, 0x837, 0xFE);                        /* LVTERR */
    wr(&l, 0x80F, 0x1FF);                       /* enable */
    wr(&l, 0x836, 0x400);
    CHECK_EQ(rd(&l, 0x836), 0x400);
    CHECK_EQ(rd(&l, 0x80D), 0x1);               /* LDR of id 0 */
    CHECK_EQ(rd(&l, 0x832), 0x10000);           /* timer masked */
    CHECK_EQ(rd(&l, 0x839), 0);
}

TEST(ldr_and_id_follow_x2apic_rules)
{
    struct vlapic l;

    vlapic_reset(&l, 0x23);
    CHECK_EQ(rd(&l, 0x802), 0x23);
    CHECK_EQ(rd(&l, 0x80D), (2u << 16) | (1u << 3));
}

TEST(self_ipi_irr_isr_eoi_priority)
{
    struct vlapic l = up(0);

    CHECK_EQ(vlapic_pending(&l), -1);
    wr(&l, 0x83F, 0xF6);                        /* irq_work self-IPI */
    CHECK_EQ(rd(&l, 0x827), 1u << (0xF6 - 0xE0));
    CHECK_EQ(vlapic_pending(&l), 0xF6);
    vlapic_ack(&l, 0xF6);
    CHECK_EQ(rd(&l, 0x827), 0);
    CHECK_EQ(rd(&l, 0x817), 1u << (0xF6 - 0xE0));
    CHECK_EQ(rd(&l, 0x80A), 0xF0);              /* PPR from ISR */
    wr(&l, 0x83F, 0xF2);                        /* same class: waits */
    CHECK_EQ(vlapic_pending(&l), -1);
    wr(&l, 0x80B, 0);                           /* EOI */
    CHECK_EQ(rd(&l, 0x817), 0);
    CHECK_EQ(vlapic_pending(&l), 0xF2);
    wr(&l, 0x808, 0xF0);                        /* TPR blocks class 0xF */
    CHECK_EQ(vlapic_pending(&l), -1);
    CHECK_EQ(rd(&l, 0x80A), 0xF0);
    wr(&l, 0x808, 0);
    wr(&l, 0x83F, 0x31);
    CHECK_EQ(vlapic_pending(&l), 0xF2);         /* highest first */
    vlapic_ack(&l, 0xF2);
    CHECK_EQ(vlapic_pending(&l), -1);           /* 0x31 below ISR 0xF2 */
    wr(&l, 0x80B, 0);
    CHECK_EQ(vlapic_pending(&l), 0x31);
    wr(&l, 0x80B, 0);                           /* EOI with empty ISR: ok */
}

TEST(nested_eoi_clears_highest)
{
    struct vlapic l = up(0);

    vlapic_accept(&l, 0x40);
    vlapic_ack(&l, 0x40);
    vlapic_accept(&l, 0x80);
    CHECK_EQ(vlapic_pending(&l), 0x80);
    vlapic_ack(&l, 0x80);
    wr(&l, 0x80B, 0);
    CHECK_EQ(rd(&l, 0x814), 0);                 /* 0x80 gone */
    CHECK_EQ(rd(&l, 0x812), 1);                 /* 0x40 still in service */
}

TEST(illegal_vectors_and_disabled_apic)
{
    struct vlapic l;

    vlapic_reset(&l, 0);
    vlapic_accept(&l, 0x50);                    /* SW-disabled: dropped */
    CHECK_EQ(rd(&l, 0x822), 0);
    wr(&l, 0x80F, 0x1FF);
    vlapic_accept(&l, 5);
    CHECK_EQ(vlapic_pending(&l), -1);
    CHECK_EQ(rd(&l, 0x828), 0);                 /* latched on ESR write */
    wr(&l, 0x828, 0);
    CHECK_EQ(rd(&l, 0x828), 0x40);
    wr(&l, 0x828, 0);
    CHECK_EQ(rd(&l, 0x828), 0);
}

TEST(icr_self_handled_others_returned)
{
    struct vlapic l = up(1);
    struct vlapic_ipi ipi;
    const char *why = NULL;

    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (1ull << 32) | 0x4055, &ipi, &why),
             VLAPIC_OK);                        /* fixed, dest = self */
    CHECK_EQ(vlapic_pending(&l), 0x55);
    CHECK_EQ(rd(&l, 0x830), (1ull << 32) | 0x4055);
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (1u << 18) | 0x66, &ipi, &why), VLAPIC_OK);
    CHECK(rd(&l, 0x823) & (1u << 6));           /* 0x66: shorthand self */
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (3ull << 32) | 0xFB, &ipi, &why),
             VLAPIC_IPI);
    CHECK_EQ(ipi.dest, 3);
    CHECK_EQ(ipi.vector, 0xFB);
    CHECK_EQ(ipi.mode, VLAPIC_DM_FIXED);
    CHECK_EQ(ipi.shorthand, VLAPIC_SH_NONE);
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (2ull << 32) | 0x4500, &ipi, &why),
             VLAPIC_IPI);                       /* INIT, level assert */
    CHECK_EQ(ipi.mode, VLAPIC_DM_INIT);
    CHECK(ipi.level);
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (2ull << 32) | 0x699, &ipi, &why),
             VLAPIC_IPI);                       /* STARTUP, vector 0x99 */
    CHECK_EQ(ipi.mode, VLAPIC_DM_STARTUP);
    CHECK_EQ(ipi.vector, 0x99);
    CHECK(!ipi.level);
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (3u << 18) | 0xFD, &ipi, &why),
             VLAPIC_IPI);                       /* all but self */
    CHECK_EQ(ipi.shorthand, VLAPIC_SH_OTHERS);
    CHECK_EQ(vlapic_wrmsr(&l, 0x830, (1ull << 32) | (1u << 11) | 0x40, &ipi,
                          &why), VLAPIC_IPI);   /* logical: caller's */
    CHECK(ipi.logical);
}

TEST(invalid_accesses_gp)
{
    struct vlapic l = up(0);
    struct vlapic_ipi ipi;
    const char *why;
    uint64_t v;
    static const uint32_t no_read[] = { 0x80B, 0x83F, 0x800, 0x801, 0x804,
                                        0x809, 0x80C, 0x80E, 0x829, 0x831,
                                        0x83A, 0x83D, 0x840, 0x8FF };
    static const struct { uint32_t msr; uint64_t val; } no_write[] = {
        { 0x802, 0 }, { 0x803, 0 }, { 0x80A, 0 }, { 0x80D, 0 },
        { 0x810, 0 }, { 0x818, 0 }, { 0x820, 0 }, { 0x839, 0 },
        { 0x808, 0x100 }, { 0x80B, 1 }, { 0x80F, 0x2000 }, { 0x828, 1 },
        { 0x83F, 0x100 }, { 0x832, 1u << 20 }, { 0x838, 1ull << 32 },
        { 0x83E, 4 }, { 0x830, 1u << 13 }, { 0x830, 1u << 16 }, { 0x800, 0 },
    };

    for (size_t i = 0; i < sizeof(no_read) / sizeof(no_read[0]); i++) {
        why = NULL;
        CHECK_EQ(vlapic_rdmsr(&l, no_read[i], &v, &why), VLAPIC_GP);
        CHECK(why != NULL);
    }
    for (size_t i = 0; i < sizeof(no_write) / sizeof(no_write[0]); i++) {
        why = NULL;
        if (vlapic_wrmsr(&l, no_write[i].msr, no_write[i].val, &ipi, &why) !=
            VLAPIC_GP || !why) {
            fprintf(stderr, "    wrmsr %#x = %#llx not #GP\n", no_write[i].msr,
                    (unsigned long long)no_write[i].val);
            CHECK(0);
        }
    }
    CHECK_EQ(rd(&l, 0x808), 0);                 /* failed writes: no effect */
    CHECK_EQ(rd(&l, 0x80F), 0x1FF);
}

TEST(timer_registers_store_only)
{
    struct vlapic l = up(0);

    wr(&l, 0x832, 0x200EF);                     /* periodic, vector 0xEF */
    wr(&l, 0x83E, 0xB);
    wr(&l, 0x838, 123456);
    CHECK_EQ(rd(&l, 0x832), 0x200EF);
    CHECK_EQ(rd(&l, 0x83E), 0xB);
    CHECK_EQ(rd(&l, 0x838), 123456);
    CHECK_EQ(rd(&l, 0x839), 0);
    CHECK_EQ(vlapic_pending(&l), -1);
}
