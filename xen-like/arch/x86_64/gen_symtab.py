#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
# Reads `nm -n` output (or nothing) and writes the assembly for the
# hypervisor's symbol table (symbols.c): sorted text addresses, name offsets
# and one string blob. Its size depends only on the names, so two link
# passes with tables from successive links agree (see xen-like/build.mk).
import sys

def main():
    src = sys.argv[1]
    lines = [] if src == "/dev/null" else sys.stdin.read().splitlines()
    syms = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "tT":
            continue
        syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    out = ['    .section .rodata.symtab, "a"', "    .balign 8",
           "    .globl symtab_count, symtab_addr, symtab_name, symtab_strings",
           "symtab_count:", "    .quad %d" % len(syms), "symtab_addr:"]
    out += ["    .quad 0x%x" % a for a, _ in syms]
    out.append("symtab_name:")
    off = 0
    for _, name in syms:
        out.append("    .long %d" % off)
        off += len(name) + 1
    out.append("symtab_strings:")
    out += ['    .asciz "%s"' % name for _, name in syms]
    print("\n".join(out))

main()
