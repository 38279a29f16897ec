/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kimg: what the domain builder sees in a kernel image, without a
 * hypervisor: format, PVH entry, PT_LOAD segments; -o writes the ELF
 * (the decompressed vmlinux of a bzImage).   kimg [-o out.elf] <kernel>
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kimg.h"

int main(int argc, char **argv)
{
    const char *out = NULL;
    struct kimg k;
    char why[512];
    FILE *f;
    int c;

    while ((c = getopt(argc, argv, "o:")) != -1) {
        if (c != 'o') {
            fprintf(stderr, "usage: kimg [-o out.elf] <kernel>\n");
            return 2;
        }
        out = optarg;
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: kimg [-o out.elf] <kernel>\n");
        return 2;
    }
    if (kimg_load(argv[optind], &k, why, sizeof(why))) {
        fprintf(stderr, "kimg: %s: %s\n", argv[optind], why);
        return 1;
    }
    printf("format %s\nelf_bytes %zu\nentry %#x\nspan %#llx-%#llx\n", k.format, k.elf_len,
           k.entry, (unsigned long long)k.lo, (unsigned long long)k.hi);
    for (unsigned int i = 0; i < k.nr_segs; i++)
        printf("load %#llx filesz %#llx memsz %#llx\n", (unsigned long long)k.segs[i].paddr,
               (unsigned long long)k.segs[i].filesz, (unsigned long long)k.segs[i].memsz);
    if (out && (!(f = fopen(out, "wb")) || fwrite(k.elf, 1, k.elf_len, f) != k.elf_len ||
                fclose(f))) {
        fprintf(stderr, "kimg: cannot write %s\n", out);
        kimg_free(&k);
        return 1;
    }
    kimg_free(&k);
    return 0;
}
