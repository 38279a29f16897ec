/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM world switch (svm_vmrun): save the host's VMSAVE state, load the
 * guest's general registers and VMLOAD state, VMRUN, and undo it all on
 * #VMEXIT. RAX, RSP, RIP and RFLAGS of the guest live in the VMCB; the
 * other guest GPRs in struct svm_gprs (svm.h order). GIF is clear from
 * before the host VMSAVE until the host state is back.
 *
 * void svm_vmrun(uint64_t vmcb_pa, struct svm_gprs *g, uint64_t host_pa)
 */
#define G_RBX  0
#define G_RCX  8
#define G_RDX  16
#define G_RSI  24
#define G_RDI  32
#define G_RBP  40
#define G_R8   48
#define G_R9   56
#define G_R10  64
#define G_R11  72
#define G_R12  80
#define G_R13  88
#define G_R14  96
#define G_R15  104

    .text
    .globl svm_vmrun
    .type svm_vmrun, @function
svm_vmrun:
    push %rbp
    push %rbx
    push %r12
    push %r13
    push %r14
    push %r15
    push %rsi                       /* 8(%rsp): the gprs block */
    push %rdx                       /* (%rsp): host state area */
    clgi
    mov %rdx, %rax
    vmsave %rax                     /* host FS/GS/TR/LDTR/STAR/... */
    mov %rdi, %rax
    mov G_RBX(%rsi), %rbx
    mov G_RCX(%rsi), %rcx
    mov G_RDX(%rsi), %rdx
    mov G_RDI(%rsi), %rdi
    mov G_RBP(%rsi), %rbp
    mov G_R8(%rsi), %r8
    mov G_R9(%rsi), %r9
    mov G_R10(%rsi), %r10
    mov G_R11(%rsi), %r11
    mov G_R12(%rsi), %r12
    mov G_R13(%rsi), %r13
    mov G_R14(%rsi), %r14
    mov G_R15(%rsi), %r15
    mov G_RSI(%rsi), %rsi           /* last: it held the pointer */
    vmload %rax
    vmrun %rax
    vmsave %rax                     /* RAX is the VMCB address again */
    push %rsi                       /* guest RSI; gprs now at 16(%rsp) */
    mov 16(%rsp), %rsi
    mov %rbx, G_RBX(%rsi)
    mov %rcx, G_RCX(%rsi)
    mov %rdx, G_RDX(%rsi)
    mov %rdi, G_RDI(%rsi)
    mov %rbp, G_RBP(%rsi)
    mov %r8, G_R8(%rsi)
    mov %r9, G_R9(%rsi)
    mov %r10, G_R10(%rsi)
    mov %r11, G_R11(%rsi)
    mov %r12, G_R12(%rsi)
    mov %r13, G_R13(%rsi)
    mov %r14, G_R14(%rsi)
    mov %r15, G_R15(%rsi)
    pop %rax
    mov %rax, G_RSI(%rsi)
    pop %rax                        /* host state area */
    vmload %rax
    stgi
    add $8, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    ret
    .size svm_vmrun, . - svm_vmrun

    .section .note.GNU-stack, "", @progbits
