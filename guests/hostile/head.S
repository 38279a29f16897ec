/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of the hostile PVH test guest: the PVH ELF note, then from the
 * 32-bit flat, paging-off PVH entry state to 64-bit long mode with the
 * first 1 GiB identity-mapped by 2 MiB pages, and into hostile_main(EBX).
 */
#define PTE_P_RW     0x3
#define PTE_P_RW_PS  0x83

    /* XEN_ELFNOTE_PHYS32_ENTRY (18): name "Xen", 4-byte physical entry. */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4, 4, 18
    .asciz "Xen"
    .balign 4
    .long pvh_start32

    .section .text.entry, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    mov %ebx, %esi                  /* hvm_start_info, kept for main */
    lgdt gdt_desc

    /* PD: 512 x 2 MiB identity pages for [0, 1 GiB). */
    mov $pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $PTE_P_RW_PS, %eax
    mov %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    inc %ecx
    cmp $512, %ecx
    jne 1b
    movl $pd + PTE_P_RW, pdpt
    movl $pdpt + PTE_P_RW, pml4

    mov $pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $0x20, %eax                  /* PAE */
    mov %eax, %cr4
    mov $0xC0000080, %ecx           /* EFER.LME */
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax            /* PG | PE */
    mov %eax, %cr0
    ljmp $0x08, $start64

    .code64
start64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov $stack_top, %rsp
    mov %esi, %edi
    call hostile_main
2:  cli
    hlt
    jmp 2b

    .section .rodata
    .balign 8
gdt:
    .quad 0
    .quad 0x00AF9A000000FFFF        /* 0x08: 64-bit code */
    .quad 0x00CF92000000FFFF        /* 0x10: data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .long gdt

    .section .bss
    .balign 4096
    .globl pml4, pdpt, pd
pml4:   .skip 4096
pdpt:   .skip 4096
pd:     .skip 4096
    .globl pd_high
pd_high: .skip 4096
stack:  .skip 16384
stack_top:
