/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AP start-up: 16-bit code copied to TRAMPOLINE_PA (a SIPI starts a CPU in
 * real mode at page << 12), through protected mode into long mode on the
 * boot tables, then ap_start64 switches to the final tables and stack and
 * calls ap_main(cpu). smp.c fills the parameter block before each SIPI.
 */
#define TRAMPOLINE_PA 0x8000
#define TR(sym) (TRAMPOLINE_PA + (sym) - trampoline_start)

    .section .rodata, "a"
    .globl trampoline_start, trampoline_end, trampoline_params
    .code16
trampoline_start:
    cli
    cld
    mov %cs, %ax
    mov %ax, %ds
    lgdtl tr_gdt_ptr - trampoline_start
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x18, $TR(tr_pm)

    .code32
tr_pm:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %cr4, %eax
    or $0x20, %eax                      /* PAE */
    mov %eax, %cr4
    mov TR(tr_boot_cr3), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or TR(tr_efer), %eax                /* LME, and NXE when the CPU has it */
    wrmsr
    mov %cr0, %eax
    and $0x9fffffff, %eax               /* INIT left CD and NW set: caches on */
    or $0x80010001, %eax                /* PG, WP, PE */
    mov %eax, %cr0
    ljmp $0x08, $TR(tr_lm)

    .code64
tr_lm:
    movabs $ap_start64, %rax
    jmp *%rax

    .balign 8
tr_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00cf9a000000ffff            /* 0x18: 32-bit code */
tr_gdt_ptr:
    .short tr_gdt_ptr - tr_gdt - 1
    .long TR(tr_gdt)

    .balign 8
trampoline_params:                      /* struct trampoline_params (smp.c) */
tr_boot_cr3:  .long 0
tr_efer:      .long 0
tr_final_cr3: .quad 0
tr_stack:     .quad 0
tr_cpu:       .quad 0
trampoline_end:

    .text
    /* Still on the boot tables: read the parameters through the identity
     * map, then switch to the final tables (this code is mapped in both). */
ap_start64:
    mov TR(tr_final_cr3), %rax
    mov TR(tr_stack), %rsp
    mov TR(tr_cpu), %rdi
    mov %rax, %cr3
    xor %ebp, %ebp
    call ap_main
1:  cli
    hlt
    jmp 1b
