/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Address -> "function+0xoff" for stack traces (symbols.c), from the table
 * the build generates (gen_symtab.py).
 */
#ifndef ARCH_SYMBOLS_H
#define ARCH_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/* Writes "name+0xoff/0xsize" (or the bare address) into buf; returns buf. */
const char *symbols_lookup(uintptr_t addr, char *buf, size_t size);

#endif
