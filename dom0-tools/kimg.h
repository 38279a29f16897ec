/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel images for PVH guests: an ELF64 vmlinux, or a bzImage whose payload
 * (gzip, xz, lzma or zstd) is decompressed to one; the PT_LOAD segments at
 * their physical addresses and the Xen PHYS32_ENTRY note. Not here: placing
 * them in guest memory (build.c).
 */
#ifndef DOM0_KIMG_H
#define DOM0_KIMG_H

#include <stddef.h>
#include <stdint.h>

#define KIMG_MAX_SEGS   16
#ifndef KIMG_MAX_OUTPUT                 /* the fuzzer builds with a smaller one */
#define KIMG_MAX_OUTPUT (512u << 20)    /* decompressed vmlinux limit */
#endif

struct kimg_seg {
    uint64_t paddr, filesz, memsz, offset;
};

struct kimg {
    unsigned char *elf;         /* the ELF image (owned) */
    size_t elf_len;
    const char *format;         /* "elf", "bzImage+xz", ... */
    uint32_t entry;             /* PHYS32_ENTRY */
    uint64_t lo, hi;            /* physical span of the segments */
    struct kimg_seg segs[KIMG_MAX_SEGS];
    unsigned int nr_segs;
};

/* 0, or -1 with the reason in why. buf is consumed (freed or kept). */
int kimg_from_buffer(unsigned char *buf, size_t len, struct kimg *k, char *why, size_t why_len);
int kimg_load(const char *path, struct kimg *k, char *why, size_t why_len);
void kimg_free(struct kimg *k);
/* Decompress one stream by its magic; *out malloc'd. */
int kimg_decompress(const unsigned char *in, size_t len, size_t hint, unsigned char **out,
                    size_t *out_len, const char **name, char *why, size_t why_len);

#endif
