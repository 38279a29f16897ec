/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Exception and interrupt entry: one 16-byte stub per vector pushes a
 * uniform frame (error code or 0, vector), trap_common saves the general
 * registers as struct cpu_regs and calls traps_dispatch(). Also the
 * fault-tolerant probe_* accessors with their exception-table entries.
 */
    .text
    .balign 16
    .globl trap_stubs
trap_stubs:
    .set vec, 0
    .rept 256
    .balign 16
    .if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
    pushq $vec
    .else
    pushq $0
    pushq $vec
    .endif
    jmp trap_common
    .set vec, vec + 1
    .endr

trap_common:
    cld
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    /* A frame record whose return address is the interrupted RIP, so
     * stack traces continue through the exception into the code it hit. */
    pushq 17*8(%rsp)
    pushq %rbp
    mov %rsp, %rbp
    lea 16(%rsp), %rdi
    call traps_dispatch
    add $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    add $16, %rsp                       /* vector, error code */
    iretq

/* int probe_read8(const void *p, uint8_t *out) */
    .globl probe_read8
probe_read8:
1:  movb (%rdi), %al
    movb %al, (%rsi)
    xor %eax, %eax
    ret
2:  mov $-14, %eax                      /* -XEN_EFAULT */
    ret
    .section .extable, "a"
    .quad 1b, 2b
    .previous

/* int probe_write8(void *p): rewrites the byte already there. */
    .globl probe_write8
probe_write8:
3:  movb (%rdi), %al
4:  movb %al, (%rdi)
    xor %eax, %eax
    ret
5:  mov $-14, %eax
    ret
    .section .extable, "a"
    .quad 3b, 5b
    .quad 4b, 5b
    .previous
