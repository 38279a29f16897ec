/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * insn_len: a table of (bytes, mode) -> (kind, length, operands) for every
 * instruction an SVM exit can stop at, with prefixes, ModRM/SIB/disp forms
 * and string I/O; then truncation, over-length, unknown opcodes, mismatch.
 * Lengths were cross-checked with objdump (docs/pvh.md).
 */
#include <stdint.h>
#include "unit.h"
#include "insn_len.h"

struct vec {
    const char *what;
    enum insn_mode mode;
    uint8_t bytes[16];
    uint8_t n;
    enum insn_kind kind;
    uint8_t len;
};

#define M16 INSN_MODE_16
#define M32 INSN_MODE_32
#define M64 INSN_MODE_64
#define B(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

static const struct vec vecs[] = {
    { "cpuid", M64, B(0x0F, 0xA2), INSN_CPUID, 2 },
    { "rdmsr", M64, B(0x0F, 0x32), INSN_RDMSR, 2 },
    { "wrmsr", M32, B(0x0F, 0x30), INSN_WRMSR, 2 },
    { "rdtsc", M64, B(0x0F, 0x31), INSN_RDTSC, 2 },
    { "rdtscp", M64, B(0x0F, 0x01, 0xF9), INSN_RDTSCP, 3 },
    { "rdpmc", M64, B(0x0F, 0x33), INSN_RDPMC, 2 },
    { "hlt", M64, B(0xF4), INSN_HLT, 1 },
    { "pause", M64, B(0xF3, 0x90), INSN_PAUSE, 2 },
    { "vmmcall", M64, B(0x0F, 0x01, 0xD9), INSN_VMMCALL, 3 },
    { "vmcall", M64, B(0x0F, 0x01, 0xC1), INSN_VMCALL, 3 },
    { "vmmcall32", M32, B(0x0F, 0x01, 0xD9), INSN_VMMCALL, 3 },
    { "vmrun", M64, B(0x0F, 0x01, 0xD8), INSN_VMRUN, 3 },
    { "vmload", M64, B(0x0F, 0x01, 0xDA), INSN_VMLOAD, 3 },
    { "vmsave", M64, B(0x0F, 0x01, 0xDB), INSN_VMSAVE, 3 },
    { "stgi", M64, B(0x0F, 0x01, 0xDC), INSN_STGI, 3 },
    { "clgi", M64, B(0x0F, 0x01, 0xDD), INSN_CLGI, 3 },
    { "skinit", M64, B(0x0F, 0x01, 0xDE), INSN_SKINIT, 3 },
    { "invlpga", M64, B(0x0F, 0x01, 0xDF), INSN_INVLPGA, 3 },
    { "xsetbv", M64, B(0x0F, 0x01, 0xD1), INSN_XSETBV, 3 },
    { "monitor", M64, B(0x0F, 0x01, 0xC8), INSN_MONITOR, 3 },
    { "mwait", M64, B(0x0F, 0x01, 0xC9), INSN_MWAIT, 3 },
    { "wbinvd", M64, B(0x0F, 0x09), INSN_WBINVD, 2 },
    { "invd", M64, B(0x0F, 0x08), INSN_INVD, 2 },
    { "clts", M64, B(0x0F, 0x06), INSN_CLTS, 2 },
    { "ud2", M64, B(0x0F, 0x0B), INSN_UD2, 2 },
    { "int3", M64, B(0xCC), INSN_INT3, 1 },
    { "int 0x80", M32, B(0xCD, 0x80), INSN_INT, 2 },
    /* INVLPG with every addressing shape */
    { "invlpg (%rax)", M64, B(0x0F, 0x01, 0x38), INSN_INVLPG, 3 },
    { "invlpg (%rdi)", M64, B(0x0F, 0x01, 0x3F), INSN_INVLPG, 3 },
    { "invlpg (%r8)", M64, B(0x41, 0x0F, 0x01, 0x38), INSN_INVLPG, 4 },
    { "invlpg 8(%rax)", M64, B(0x0F, 0x01, 0x78, 0x08), INSN_INVLPG, 4 },
    { "invlpg 0x1000(%rax)", M64, B(0x0F, 0x01, 0xB8, 0, 0x10, 0, 0), INSN_INVLPG, 7 },
    { "invlpg (%rsp)", M64, B(0x0F, 0x01, 0x3C, 0x24), INSN_INVLPG, 4 },
    { "invlpg 8(%rsp)", M64, B(0x0F, 0x01, 0x7C, 0x24, 0x08), INSN_INVLPG, 5 },
    { "invlpg 0x100(,%rax,8)", M64, B(0x0F, 0x01, 0x3C, 0xC5, 0, 1, 0, 0), INSN_INVLPG, 8 },
    { "invlpg rip+0x10", M64, B(0x0F, 0x01, 0x3D, 0x10, 0, 0, 0), INSN_INVLPG, 7 },
    { "invlpg 0x12345678 (32-bit abs)", M32, B(0x0F, 0x01, 0x3D, 0x78, 0x56, 0x34, 0x12), INSN_INVLPG, 7 },
    { "invlpg (%ebx) addr32", M64, B(0x67, 0x0F, 0x01, 0x3B), INSN_INVLPG, 4 },
    { "invlpg (%bx,%si) 16-bit", M16, B(0x0F, 0x01, 0x38), INSN_INVLPG, 3 },
    { "invlpg disp16 16-bit", M16, B(0x0F, 0x01, 0x3E, 0x34, 0x12), INSN_INVLPG, 5 },
    { "invlpg 8(%bx) 16-bit", M16, B(0x0F, 0x01, 0x7F, 0x08), INSN_INVLPG, 4 },
    { "invlpg 0x1234(%bx,%si) 16-bit", M16, B(0x0F, 0x01, 0xB8, 0x34, 0x12), INSN_INVLPG, 5 },
    { "invlpg addr16 in 32-bit", M32, B(0x67, 0x0F, 0x01, 0x3E, 0x34, 0x12), INSN_INVLPG, 6 },
    { "invlpg seg override", M64, B(0x65, 0x0F, 0x01, 0x38), INSN_INVLPG, 4 },
    { "smsw %eax", M64, B(0x0F, 0x01, 0xE0), INSN_SMSW, 3 },
    { "smsw (%rax)", M64, B(0x0F, 0x01, 0x20), INSN_SMSW, 3 },
    { "lmsw %ax", M64, B(0x0F, 0x01, 0xF0), INSN_LMSW, 3 },
    { "lmsw 4(%rax)", M64, B(0x0F, 0x01, 0x70, 0x04), INSN_LMSW, 4 },
    /* MOV CR */
    { "mov %cr0,%rax", M64, B(0x0F, 0x20, 0xC0), INSN_MOV_FROM_CR, 3 },
    { "mov %rax,%cr3", M64, B(0x0F, 0x22, 0xD8), INSN_MOV_TO_CR, 3 },
    { "mov %r9,%cr8", M64, B(0x45, 0x0F, 0x22, 0xC1), INSN_MOV_TO_CR, 4 },
    { "mov %eax,%cr4 (32)", M32, B(0x0F, 0x22, 0xE0), INSN_MOV_TO_CR, 3 },
    { "lock mov %eax,%cr0 = cr8", M32, B(0xF0, 0x0F, 0x22, 0xC0), INSN_MOV_TO_CR, 4 },
    /* port I/O */
    { "in $0x42,%al", M64, B(0xE4, 0x42), INSN_IN, 2 },
    { "in $0x71,%eax", M64, B(0xE5, 0x71), INSN_IN, 2 },
    { "in $0x71,%ax", M64, B(0x66, 0xE5, 0x71), INSN_IN, 3 },
    { "out %al,$0x80", M64, B(0xE6, 0x80), INSN_OUT, 2 },
    { "out %eax,$0x80", M32, B(0xE7, 0x80), INSN_OUT, 2 },
    { "in (%dx),%al", M64, B(0xEC), INSN_IN, 1 },
    { "in (%dx),%eax", M64, B(0xED), INSN_IN, 1 },
    { "in (%dx),%ax", M64, B(0x66, 0xED), INSN_IN, 2 },
    { "out %al,(%dx)", M64, B(0xEE), INSN_OUT, 1 },
    { "out %ax,(%dx) 16-bit", M16, B(0xEF), INSN_OUT, 1 },
    { "insb", M64, B(0x6C), INSN_INS, 1 },
    { "rep insl", M64, B(0xF3, 0x6D), INSN_INS, 2 },
    { "rep insw addr32", M64, B(0xF3, 0x67, 0x66, 0x6D), INSN_INS, 4 },
    { "outsb", M64, B(0x6E), INSN_OUTS, 1 },
    { "rep outsb (earlyprintk 0xe9)", M64, B(0xF3, 0x6E), INSN_OUTS, 2 },
    { "rep outsl %fs:", M64, B(0x64, 0xF3, 0x6F), INSN_OUTS, 3 },
    { "rep outsw rex.w ignored size", M64, B(0xF3, 0x66, 0x48, 0x6F), INSN_OUTS, 4 },
    { "rex then legacy then opcode", M64, B(0x48, 0x66, 0xED), INSN_IN, 3 },
};

TEST(table_of_intercepted_instructions)
{
    for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
        const struct vec *v = &vecs[i];
        struct insn in;
        int rc = insn_decode(v->bytes, v->n, v->mode, &in);

        if (rc || in.kind != v->kind || in.len != v->len || v->n != v->len) {
            fprintf(stderr, "    %s: rc %d kind %d len %d (want %d/%d)\n",
                    v->what, rc, rc ? -1 : (int)in.kind, rc ? -1 : in.len,
                    (int)v->kind, v->len);
            CHECK(0);
        }
        CHECK_EQ(insn_len_of(v->bytes, v->n, v->mode, v->kind), v->len);
    }
}

TEST(extra_bytes_after_the_instruction_are_not_consumed)
{
    uint8_t b[16] = { 0x0F, 0x01, 0xD9, 0xC3, 0xCC };
    struct insn in;

    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), 0);
    CHECK_EQ(in.len, 3);
}

TEST(operands_for_the_exit_handlers)
{
    struct insn in;
    const uint8_t in42[] = { 0xE4, 0x42 }, outsw[] = { 0x66, 0xF3, 0x6F };
    const uint8_t cr8[] = { 0x45, 0x0F, 0x22, 0xC1 };
    const uint8_t lockcr[] = { 0xF0, 0x0F, 0x20, 0xC2 };
    const uint8_t inv[] = { 0x41, 0x0F, 0x01, 0x38 };
    const uint8_t lmsw[] = { 0x41, 0x0F, 0x01, 0xF3 };
    const uint8_t int80[] = { 0xCD, 0x80 };
    const uint8_t in16[] = { 0xED };

    CHECK_EQ(insn_decode(in42, 2, M64, &in), 0);
    CHECK_EQ(in.imm8, 0x42);
    CHECK_EQ(in.op_bytes, 1);
    CHECK_EQ(insn_decode(outsw, 3, M64, &in), 0);
    CHECK_EQ(in.op_bytes, 2);
    CHECK(in.prefixes & INSN_P_REP);
    CHECK(in.prefixes & INSN_P_OPSIZE);
    CHECK_EQ(insn_decode(in16, 1, M16, &in), 0);
    CHECK_EQ(in.op_bytes, 2);
    CHECK_EQ(insn_decode(cr8, 4, M64, &in), 0);
    CHECK_EQ(in.cr, 8);                     /* REX.R */
    CHECK_EQ(in.gpr, 9);                    /* REX.B */
    CHECK_EQ(insn_decode(lockcr, 4, M32, &in), 0);
    CHECK_EQ(in.kind, INSN_MOV_FROM_CR);
    CHECK_EQ(in.cr, 8);
    CHECK_EQ(in.gpr, 2);
    CHECK(in.prefixes & INSN_P_LOCK);
    CHECK_EQ(insn_decode(inv, 4, M64, &in), 0);
    CHECK(in.mem);
    CHECK_EQ(in.rex, 0x41);
    CHECK_EQ(insn_decode(lmsw, 4, M64, &in), 0);
    CHECK(!in.mem);
    CHECK_EQ(in.gpr, 11);
    CHECK_EQ(insn_decode(int80, 2, M32, &in), 0);
    CHECK_EQ(in.imm8, 0x80);
}

TEST(rex_is_an_opcode_outside_long_mode)
{
    const uint8_t b[] = { 0x48, 0x0F, 0xA2 };   /* dec %eax in 32-bit */
    struct insn in;

    CHECK_EQ(insn_decode(b, 3, M64, &in), 0);
    CHECK_EQ(in.len, 3);
    CHECK_EQ(insn_decode(b, 3, M32, &in), -XEN_EINVAL);
}

TEST(truncated_bytes_are_efault_at_every_cut)
{
    for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
        struct insn in;

        for (uint8_t cut = 0; cut < vecs[i].len; cut++) {
            int rc = insn_decode(vecs[i].bytes, cut, vecs[i].mode, &in);
            if (rc != -XEN_EFAULT) {
                fprintf(stderr, "    %s cut at %u: rc %d\n", vecs[i].what,
                        cut, rc);
                CHECK(0);
            }
        }
    }
}

TEST(more_than_15_bytes_is_e2big)
{
    uint8_t b[32];
    struct insn in;

    memset(b, 0x66, sizeof(b));
    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), -XEN_E2BIG);
    /* 12 prefixes + 0F 01 D9 = 15 bytes: still legal */
    memset(b, 0x2E, 12);
    b[12] = 0x0F; b[13] = 0x01; b[14] = 0xD9;
    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), 0);
    CHECK_EQ(in.len, 15);
    /* 13 prefixes: the opcode's last byte is the 16th */
    memset(b, 0x2E, 13);
    b[13] = 0x0F; b[14] = 0x01; b[15] = 0xD9;
    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), -XEN_E2BIG);
    /* a long INVLPG pushed past 15 by prefixes */
    memset(b, 0x3E, 8);
    memcpy(b + 8, "\x0F\x01\x3C\xC5\x00\x01\x00\x00", 8);
    CHECK_EQ(insn_decode(b, sizeof(b), M64, &in), -XEN_E2BIG);
}

TEST(unknown_instructions_are_refused)
{
    static const uint8_t bad[][4] = {
        { 0x90 },                 /* nop: not an intercepted instruction */
        { 0x0F, 0x05 },           /* syscall */
        { 0x0F, 0x01, 0xD0 },     /* xgetbv */
        { 0x0F, 0x01, 0x10 },     /* lgdt: 0F 01 /2 memory */
        { 0x0F, 0x01, 0xCA },     /* clac */
        { 0xC3 },
        { 0x0F, 0xFF },
    };
    struct insn in;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CHECK_EQ(insn_decode(bad[i], 4, M64, &in), -XEN_EINVAL);
}

TEST(len_of_refuses_a_different_instruction)
{
    const uint8_t rdtscp[] = { 0x0F, 0x01, 0xF9 };
    const uint8_t junk[] = { 0x0F, 0xFF };

    /* Xen's lesson under TCG: an RDTSC exit at an RDTSCP. */
    CHECK_EQ(insn_len_of(rdtscp, 3, M64, INSN_RDTSC), -XEN_EINVAL);
    CHECK_EQ(insn_len_of(rdtscp, 3, M64, INSN_RDTSCP), 3);
    CHECK_EQ(insn_len_of(rdtscp, 2, M64, INSN_RDTSCP), -XEN_EFAULT);
    CHECK_EQ(insn_len_of(junk, 2, M64, INSN_CPUID), -XEN_EINVAL);
}

TEST(mode_from_guest_state)
{
    CHECK_EQ(insn_mode_of(0xA9B, 0x500, 0x80000011, 2), M64);  /* L=1 */
    CHECK_EQ(insn_mode_of(0xC9B, 0x500, 0x80000011, 2), M32);  /* compat */
    CHECK_EQ(insn_mode_of(0xC9B, 0, 0x11, 2), M32);            /* PVH entry */
    CHECK_EQ(insn_mode_of(0x09B, 0, 0x11, 2), M16);            /* D=0 */
    CHECK_EQ(insn_mode_of(0xC9B, 0, 0x10, 2), M16);            /* real mode */
    CHECK_EQ(insn_mode_of(0xC9B, 0, 0x11, 2 | (1 << 17)), M16);/* vm86 */
    CHECK_EQ(insn_mode_of(0xA9B, 0, 0x11, 2), M16);            /* L without LMA */
}
