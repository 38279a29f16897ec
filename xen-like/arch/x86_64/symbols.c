/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbolisation by binary search over the generated, sorted table of text
 * symbols. Addresses outside the image print as plain hex.
 */
#include "symbols.h"
#include "lib.h"

extern const uint64_t symtab_count;
extern const uint64_t symtab_addr[];
extern const uint32_t symtab_name[];
extern const char symtab_strings[];
extern const char __image_start[], __text_end[];

const char *symbols_lookup(uintptr_t addr, char *buf, size_t size)
{
    uint64_t lo = 0, hi = symtab_count;

    if (addr < (uintptr_t)__image_start || addr >= (uintptr_t)__text_end || !hi) {
        fmt_snprintf(buf, size, "%#lx", (unsigned long)addr);
        return buf;
    }
    /* Last symbol at or below addr. */
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        if (symtab_addr[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (symtab_addr[lo] > addr) {
        fmt_snprintf(buf, size, "%#lx", (unsigned long)addr);
        return buf;
    }
    fmt_snprintf(buf, size, "%s+%#lx", &symtab_strings[symtab_name[lo]],
                 (unsigned long)(addr - symtab_addr[lo]));
    return buf;
}
