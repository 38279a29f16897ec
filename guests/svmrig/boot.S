/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of the SVM test rig: multiboot1 header, then from 32-bit protected
 * mode to long mode with the first 4 GiB identity-mapped (2 MiB pages), and
 * into rig_main(multiboot info). Runs with interrupts off throughout.
 */
    .section .multiboot, "a"
    .balign 4
    .long 0x1BADB002
    .long 0x00000003                /* page-align modules, memory info */
    .long -(0x1BADB002 + 0x00000003)

    .section .text.entry, "ax"
    .code32
    .globl _start
_start:
    cli
    mov %ebx, %esi                  /* multiboot info */
    mov $__bss_start, %edi          /* zero .bss (tables, stack) */
    mov $__bss_end, %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb

    mov $rig_pd, %edi               /* 4 x 512 x 2 MiB = 4 GiB */
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%edi,%ecx,8)
    mov %ecx, %eax
    shr $11, %eax                   /* high dword: (i * 2 MiB) >> 32 */
    mov %eax, 4(%edi,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jne 1b
    mov $rig_pdpt, %edi
    xor %ecx, %ecx
2:  mov %ecx, %eax
    shl $12, %eax
    add $rig_pd + 3, %eax
    mov %eax, (%edi,%ecx,8)
    inc %ecx
    cmp $4, %ecx
    jne 2b
    movl $rig_pdpt + 3, rig_pml4

    lgdt gdt_desc
    mov $rig_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4
    mov $0xC0000080, %ecx
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax
    mov %eax, %cr0
    ljmp $0x08, $long64

    .code64
long64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $rig_stack_top, %rsp
    mov %esi, %edi
    call rig_main
3:  hlt
    jmp 3b

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF
    .quad 0x00CF92000000FFFF
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt

    .section .bss
    .balign 4096
rig_pml4:   .skip 4096
rig_pdpt:   .skip 4096
rig_pd:     .skip 4 * 4096
rig_stack:  .skip 65536
rig_stack_top:

    .section .note.GNU-stack, "", @progbits
