/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Decoding of the instructions SVM intercepts (insn_*): their kind, length
 * and the operand bits an exit handler needs, because QEMU TCG gives no
 * nRIP and no decode assists. Only these instructions are known; anything
 * else is refused. Fetching the bytes (CS:RIP through guest_walk) is the
 * caller's.
 */
#ifndef ARCH_INSN_LEN_H
#define ARCH_INSN_LEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "errno.h"          /* hypercalls/: Xen's error codes */

#define INSN_MAX_LEN 15

enum insn_mode { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };

enum insn_kind {
    INSN_NONE,
    INSN_CPUID, INSN_RDMSR, INSN_WRMSR, INSN_RDTSC, INSN_RDTSCP, INSN_RDPMC,
    INSN_HLT, INSN_PAUSE, INSN_VMMCALL, INSN_VMCALL, INSN_VMRUN,
    INSN_VMLOAD, INSN_VMSAVE, INSN_STGI, INSN_CLGI, INSN_SKINIT,
    INSN_INVLPGA, INSN_XSETBV, INSN_MONITOR, INSN_MWAIT, INSN_WBINVD,
    INSN_INVD, INSN_INVLPG, INSN_MOV_FROM_CR, INSN_MOV_TO_CR, INSN_CLTS,
    INSN_LMSW, INSN_SMSW, INSN_IN, INSN_OUT, INSN_INS, INSN_OUTS,
    INSN_INT3, INSN_INT, INSN_UD2,
};

/* Legacy prefixes seen. */
#define INSN_P_LOCK    (1u << 0)
#define INSN_P_REP     (1u << 1)    /* F3 */
#define INSN_P_REPNE   (1u << 2)    /* F2 */
#define INSN_P_OPSIZE  (1u << 3)    /* 66 */
#define INSN_P_ADSIZE  (1u << 4)    /* 67 */
#define INSN_P_SEG     (1u << 5)

struct insn {
    enum insn_kind kind;
    uint8_t len;
    uint8_t prefixes;   /* INSN_P_* */
    uint8_t rex;        /* 0 if none (or not in effect) */
    uint8_t seg;        /* the override prefix byte, 0 if none */
    uint8_t modrm;      /* if the instruction has one */
    uint8_t imm8;       /* port for IN/OUT imm8, vector for INT n */
    uint8_t op_bytes;   /* IN/OUT/INS/OUTS operand size: 1, 2 or 4 */
    uint8_t cr;         /* MOV CR: control register number (REX.R/LOCK) */
    uint8_t gpr;        /* MOV CR / LMSW / SMSW register form: GPR number */
    bool mem;           /* ModRM names memory (INVLPG, LMSW/SMSW m16) */
};

/* Decode the instruction at b (avail bytes fetched). Returns 0 and fills
 * *out, -XEN_EFAULT if avail ends before the instruction does, -XEN_E2BIG
 * past 15 bytes, -XEN_EINVAL for anything not in enum insn_kind. */
int insn_decode(const uint8_t *b, size_t avail, enum insn_mode mode,
                struct insn *out);

/* For an exit handler: the length of the instruction at b if it is `want`,
 * else -XEN_EINVAL (the guest changed the bytes, or they are not what the
 * exit says: e.g. RDTSCP behind an RDTSC exit). */
int insn_len_of(const uint8_t *b, size_t avail, enum insn_mode mode,
                enum insn_kind want);

/* The decode mode from guest state: CS attributes in VMCB format (L bit 9,
 * D bit 10), EFER.LMA, CR0.PE and RFLAGS.VM. */
enum insn_mode insn_mode_of(uint16_t cs_attr, uint64_t efer, uint64_t cr0,
                            uint64_t rflags);

#endif
