/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Boot entry: the multiboot1 and multiboot2 headers, the 32-bit entry both
 * loaders jump to, and the switch to long mode on boot page tables that map
 * the first 4 GiB three times (identity, direct map, image at -2 GiB). The
 * final page tables are built in C (paging.c); APs reuse boot_pml4 briefly.
 */
#include "paging.h"

#define PHYS(sym) ((sym) - HV_VIRT_BASE)
#define MB1_MAGIC 0x1badb002
#define MB1_FLAGS 0x00000003            /* page-align modules, give memory info */
#define MB2_MAGIC 0xe85250d6

    .section .multiboot, "a"
    .align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long -(MB1_MAGIC + MB1_FLAGS)

    .align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                             /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
    /* Information request: memory map, command line, modules, ACPI. */
    .align 8
    .short 1, 1                         /* optional: boot anyway if absent */
    .long 8 + 4 * 5
    .long 6, 1, 3, 14, 15
    .align 8
    .short 0, 0                         /* end tag */
    .long 8
mb2_header_end:

    .section .text.boot, "ax"
    .code32
    .globl start
start:
    cld
    cli
    /* Zero .bss before anything lives there (loaders need not). */
    mov %eax, %ebp
    mov $PHYS(__bss_start), %edi
    mov $PHYS(__bss_end), %ecx
    sub %edi, %ecx
    xor %eax, %eax
    rep stosb
    mov %ebp, %eax
    mov $PHYS(boot_stack_top), %esp
    mov %eax, PHYS(boot_magic)
    mov %ebx, PHYS(boot_info)

    /* Long mode present? Otherwise say so on COM1 and stop. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb no_long_mode
    mov $0x80000001, %eax
    cpuid
    bt $29, %edx
    jnc no_long_mode

    /* Fill the four boot page directories: 2 MiB pages over 0..4 GiB. */
    mov $PHYS(boot_pd), %edi
    mov $0x83, %eax                     /* present, writable, large */
    xor %edx, %edx
    mov $2048, %ecx
1:  mov %eax, (%edi)
    mov %edx, 4(%edi)
    add $0x200000, %eax
    adc $0, %edx
    add $8, %edi
    loop 1b

    /* PAE, then EFER.LME, then paging (with WP so read-only binds us too). */
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4
    mov $PHYS(boot_pml4), %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80010001, %eax
    mov %eax, %cr0

    lgdt PHYS(boot_gdt_ptr)
    ljmp $0x08, $PHYS(start64_low)

no_long_mode:
    mov $PHYS(msg_no_lm), %esi
1:  lodsb
    test %al, %al
    jz 2f
    mov $0x3f8, %dx
    out %al, %dx
    jmp 1b
2:  hlt
    jmp 2b

    .code64
start64_low:
    movabs $start64, %rax
    jmp *%rax

    .text
start64:
    mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    xor %eax, %eax
    mov %eax, %fs
    mov %eax, %gs
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp                      /* ends every stack trace */
    mov boot_magic(%rip), %edi
    mov boot_info(%rip), %esi
    call start_hv
1:  cli
    hlt
    jmp 1b

    .section .rodata
msg_no_lm:
    .asciz "xen-like: this CPU has no long mode\r\n"

    .data
    .align 16
    .globl boot_gdt, boot_gdt_ptr
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff            /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff            /* 0x10: data */
    .quad 0x00cf9a000000ffff            /* 0x18: 32-bit code (AP trampoline) */
boot_gdt_end:
boot_gdt_ptr:
    .short boot_gdt_end - boot_gdt - 1
    .long PHYS(boot_gdt)

    .align 4
    .globl boot_magic, boot_info
boot_magic: .long 0
boot_info:  .long 0

    .section .data.page_aligned, "aw"
    .align 4096
    .globl boot_pml4
boot_pml4:
    .quad PHYS(boot_pdpt_low) + 3       /* identity 0..4 GiB (boot and APs only) */
    .fill 261, 8, 0
    .quad PHYS(boot_pdpt_low) + 3       /* 262: DIRECTMAP_BASE, same 4 GiB */
    .fill 248, 8, 0
    .quad PHYS(boot_pdpt_high) + 3      /* 511: the image at -2 GiB */
boot_pdpt_low:
    .quad PHYS(boot_pd) + 0x0000 + 3
    .quad PHYS(boot_pd) + 0x1000 + 3
    .quad PHYS(boot_pd) + 0x2000 + 3
    .quad PHYS(boot_pd) + 0x3000 + 3
    .fill 508, 8, 0
boot_pdpt_high:
    .fill 510, 8, 0
    .quad PHYS(boot_pd) + 3             /* 510: -2 GiB -> machine 0 */
    .quad 0
boot_pd:
    .fill 4 * 512, 8, 0

    .section .bss.stack, "aw", @nobits
    .align 4096
    .globl boot_stack, boot_stack_top
boot_stack:
    .skip 16384
boot_stack_top:
