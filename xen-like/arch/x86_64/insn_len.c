/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A decoder for exactly the instructions SVM intercepts (insn_*): legacy
 * and REX prefixes, the one- and two-byte opcodes, 0F 01 groups, ModRM with
 * SIB and displacements in 16/32/64-bit addressing. Not a general decoder:
 * unknown opcodes are refused, never guessed.
 */
#include "insn_len.h"

struct cursor {
    const uint8_t *b;
    size_t avail, pos;
    int err;
};

/* The next byte, or a sticky error: truncated or over-long. */
static uint8_t next(struct cursor *c)
{
    if (c->err)
        return 0;
    if (c->pos >= INSN_MAX_LEN) {
        c->err = -XEN_E2BIG;
        return 0;
    }
    if (c->pos >= c->avail) {
        c->err = -XEN_EFAULT;
        return 0;
    }
    return c->b[c->pos++];
}

static void skip(struct cursor *c, unsigned int n)
{
    while (n--)
        next(c);
}

static bool legacy_prefix(struct insn *in, uint8_t byte)
{
    switch (byte) {
    case 0xF0: in->prefixes |= INSN_P_LOCK; return true;
    case 0xF3: in->prefixes |= INSN_P_REP; return true;
    case 0xF2: in->prefixes |= INSN_P_REPNE; return true;
    case 0x66: in->prefixes |= INSN_P_OPSIZE; return true;
    case 0x67: in->prefixes |= INSN_P_ADSIZE; return true;
    case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:
        in->prefixes |= INSN_P_SEG;
        in->seg = byte;
        return true;
    }
    return false;
}

/* Prefixes, then the first opcode byte. A REX counts only directly before
 * the opcode; one followed by a legacy prefix is ignored, as the CPU does. */
static uint8_t prefixes(struct cursor *c, enum insn_mode mode, struct insn *in)
{
    for (;;) {
        uint8_t byte = next(c);

        if (c->err)
            return 0;
        if (legacy_prefix(in, byte)) {
            in->rex = 0;
            continue;
        }
        if (mode == INSN_MODE_64 && (byte & 0xF0) == 0x40) {
            in->rex = byte;
            continue;
        }
        return byte;
    }
}

static unsigned int addr_bits(enum insn_mode mode, const struct insn *in)
{
    bool ovr = in->prefixes & INSN_P_ADSIZE;

    if (mode == INSN_MODE_64)
        return ovr ? 32 : 64;
    if (mode == INSN_MODE_32)
        return ovr ? 16 : 32;
    return ovr ? 32 : 16;
}

/* ModRM plus whatever SIB and displacement it implies. */
static void modrm(struct cursor *c, enum insn_mode mode, struct insn *in)
{
    uint8_t m = next(c), mod = m >> 6, rm = m & 7;

    in->modrm = m;
    in->mem = mod != 3;
    if (mod == 3)
        return;
    if (addr_bits(mode, in) == 16) {
        skip(c, mod == 1 ? 1 : (mod == 2 || rm == 6) ? 2 : 0);
        return;
    }
    if (rm == 4) {
        uint8_t sib = next(c);
        if (mod == 0 && (sib & 7) == 5)
            skip(c, 4);
    }
    if (mod == 0 && rm == 5)
        skip(c, 4);                  /* disp32, RIP-relative in 64-bit */
    skip(c, mod == 1 ? 1 : mod == 2 ? 4 : 0);
}

static unsigned int io_size(enum insn_mode mode, const struct insn *in,
                            uint8_t op)
{
    bool ovr = in->prefixes & INSN_P_OPSIZE;

    if (!(op & 1))
        return 1;
    if (mode == INSN_MODE_16)
        return ovr ? 4 : 2;
    return ovr ? 2 : 4;
}

static enum insn_kind group_0f01_reg(uint8_t m)
{
    switch (m) {
    case 0xC1: return INSN_VMCALL;
    case 0xC8: return INSN_MONITOR;
    case 0xC9: return INSN_MWAIT;
    case 0xD1: return INSN_XSETBV;
    case 0xD8: return INSN_VMRUN;
    case 0xD9: return INSN_VMMCALL;
    case 0xDA: return INSN_VMLOAD;
    case 0xDB: return INSN_VMSAVE;
    case 0xDC: return INSN_STGI;
    case 0xDD: return INSN_CLGI;
    case 0xDE: return INSN_SKINIT;
    case 0xDF: return INSN_INVLPGA;
    case 0xF9: return INSN_RDTSCP;
    }
    return INSN_NONE;
}

/* 0F 01: register forms are whole opcodes; memory forms are /4 SMSW,
 * /6 LMSW, /7 INVLPG (SMSW and LMSW also take a register). */
static enum insn_kind group_0f01(struct cursor *c, enum insn_mode mode,
                                 struct insn *in)
{
    uint8_t m, reg;

    if (c->pos >= c->avail || c->pos >= INSN_MAX_LEN) {
        next(c);                     /* records why it cannot be read */
        return INSN_NONE;
    }
    m = c->b[c->pos];
    reg = (m >> 3) & 7;
    if ((m >> 6) == 3 && reg != 4 && reg != 6) {
        next(c);
        in->modrm = m;
        return group_0f01_reg(m);
    }
    modrm(c, mode, in);
    in->gpr = (uint8_t)((m & 7) | (in->rex & 1) << 3);
    if (reg == 4)
        return INSN_SMSW;
    if (reg == 6)
        return INSN_LMSW;
    return reg == 7 ? INSN_INVLPG : INSN_NONE;
}

/* MOV to/from CRn: the ModRM is always a register form, whatever mod says. */
static void mov_cr(struct cursor *c, struct insn *in)
{
    uint8_t m = next(c);

    in->modrm = m;
    in->cr = (uint8_t)(((m >> 3) & 7) | (in->rex & 4) << 1);
    if (in->prefixes & INSN_P_LOCK)      /* AMD's alternate CR8 encoding */
        in->cr |= 8;
    in->gpr = (uint8_t)((m & 7) | (in->rex & 1) << 3);
}

static enum insn_kind two_byte(struct cursor *c, enum insn_mode mode,
                               struct insn *in)
{
    uint8_t op = next(c);

    switch (op) {
    case 0x01: return group_0f01(c, mode, in);
    case 0x06: return INSN_CLTS;
    case 0x08: return INSN_INVD;
    case 0x09: return INSN_WBINVD;
    case 0x0B: return INSN_UD2;
    case 0x20: mov_cr(c, in); return INSN_MOV_FROM_CR;
    case 0x22: mov_cr(c, in); return INSN_MOV_TO_CR;
    case 0x30: return INSN_WRMSR;
    case 0x31: return INSN_RDTSC;
    case 0x32: return INSN_RDMSR;
    case 0x33: return INSN_RDPMC;
    case 0xA2: return INSN_CPUID;
    }
    return INSN_NONE;
}

static enum insn_kind one_byte(struct cursor *c, enum insn_mode mode,
                               struct insn *in, uint8_t op)
{
    switch (op) {
    case 0x0F: return two_byte(c, mode, in);
    case 0xF4: return INSN_HLT;
    case 0x90: return (in->prefixes & INSN_P_REP) ? INSN_PAUSE : INSN_NONE;
    case 0xCC: return INSN_INT3;
    case 0xCD: in->imm8 = next(c); return INSN_INT;
    case 0xE4: case 0xE5: in->imm8 = next(c); return INSN_IN;
    case 0xE6: case 0xE7: in->imm8 = next(c); return INSN_OUT;
    case 0xEC: case 0xED: return INSN_IN;
    case 0xEE: case 0xEF: return INSN_OUT;
    case 0x6C: case 0x6D: return INSN_INS;
    case 0x6E: case 0x6F: return INSN_OUTS;
    }
    return INSN_NONE;
}

int insn_decode(const uint8_t *b, size_t avail, enum insn_mode mode,
                struct insn *out)
{
    struct cursor c = { b, avail, 0, 0 };
    struct insn in = { 0 };
    uint8_t op;

    op = prefixes(&c, mode, &in);
    if (!c.err)
        in.kind = one_byte(&c, mode, &in, op);
    if (c.err)
        return c.err;
    if (in.kind == INSN_NONE)
        return -XEN_EINVAL;
    if (in.kind >= INSN_IN && in.kind <= INSN_OUTS)
        in.op_bytes = (uint8_t)io_size(mode, &in, op);
    in.len = (uint8_t)c.pos;
    *out = in;
    return 0;
}

int insn_len_of(const uint8_t *b, size_t avail, enum insn_mode mode,
                enum insn_kind want)
{
    struct insn in;
    int rc = insn_decode(b, avail, mode, &in);

    if (rc)
        return rc;
    return in.kind == want ? in.len : -XEN_EINVAL;
}

enum insn_mode insn_mode_of(uint16_t cs_attr, uint64_t efer, uint64_t cr0,
                            uint64_t rflags)
{
    if (!(cr0 & 1) || (rflags & (1ull << 17)))
        return INSN_MODE_16;               /* real or virtual-8086 */
    if ((efer & (1ull << 10)) && (cs_attr & (1u << 9)))
        return INSN_MODE_64;
    return (cs_attr & (1u << 10)) ? INSN_MODE_32 : INSN_MODE_16;
}
