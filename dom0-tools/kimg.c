/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel image reading (see kimg.h). bzImage layout facts are from Linux's
 * boot protocol (setup_sects at 0x1F1, "HdrS" at 0x202, version at 0x206,
 * payload_offset/length at 0x248/0x24C from the protected-mode part); the
 * payload's last four bytes give the decompressed size. Decompression is
 * Debian's zlib, liblzma and libzstd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "kimg.h"
#include "elfnote.h"

#define EHDR_SIZE 64
#define PHDR_SIZE 56
#define PT_LOAD 1
#define PT_NOTE 4

static int fail(char *why, size_t len, const char *fmt, const char *arg)
{
    snprintf(why, len, fmt, arg);
    return -1;
}

static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const unsigned char *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static uint64_t rd64(const unsigned char *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

/* Grow *out to at least need bytes, never past the limit. */
static int grow(unsigned char **out, size_t *cap, size_t need)
{
    size_t n = *cap ? *cap : need;
    unsigned char *g;

    while (n < need)
        n *= 2;
    if (n > KIMG_MAX_OUTPUT)
        n = KIMG_MAX_OUTPUT;
    if (n < need)
        return -1;
    g = realloc(*out, n);
    if (!g)
        return -1;
    *out = g;
    *cap = n;
    return 0;
}

static int gunzip(const unsigned char *in, size_t len, unsigned char **out, size_t *cap,
                  size_t *got)
{
    z_stream z = { 0 };
    int rc;

    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return -1;
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)len;
    do {
        if (*got == *cap && grow(out, cap, *cap + 1))
            break;
        z.next_out = *out + *got;
        z.avail_out = (uInt)(*cap - *got);
        rc = inflate(&z, Z_NO_FLUSH);
        *got = *cap - z.avail_out;
    } while (rc == Z_OK);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* xz and raw .lzma (lzma_alone) share liblzma's stream loop. */
static int unxz(const unsigned char *in, size_t len, int alone, unsigned char **out,
                size_t *cap, size_t *got)
{
    lzma_stream s = LZMA_STREAM_INIT;
    lzma_ret rc = alone ? lzma_alone_decoder(&s, UINT64_MAX)
                        : lzma_stream_decoder(&s, UINT64_MAX, 0);

    if (rc != LZMA_OK)
        return -1;
    s.next_in = in;
    s.avail_in = len;
    do {
        if (*got == *cap && grow(out, cap, *cap + 1))
            break;
        s.next_out = *out + *got;
        s.avail_out = *cap - *got;
        rc = lzma_code(&s, LZMA_FINISH);
        *got = *cap - s.avail_out;
    } while (rc == LZMA_OK);
    lzma_end(&s);
    return rc == LZMA_STREAM_END ? 0 : -1;
}

static int unzstd(const unsigned char *in, size_t len, unsigned char **out, size_t *cap,
                  size_t *got)
{
    ZSTD_DStream *z = ZSTD_createDStream();
    ZSTD_inBuffer ib = { in, len, 0 };
    size_t rc = 1;

    if (!z)
        return -1;
    ZSTD_initDStream(z);
    while (rc) {
        ZSTD_outBuffer ob;

        if (*got == *cap && grow(out, cap, *cap + 1))
            break;
        ob = (ZSTD_outBuffer){ *out, *cap, *got };
        rc = ZSTD_decompressStream(z, &ob, &ib);
        *got = ob.pos;
        if (ZSTD_isError(rc) || (ib.pos == ib.size && ob.pos < ob.size && rc))
            break;
    }
    ZSTD_freeDStream(z);
    return rc == 0 ? 0 : -1;
}

int kimg_decompress(const unsigned char *in, size_t len, size_t hint, unsigned char **out,
                    size_t *out_len, const char **name, char *why, size_t why_len)
{
    size_t cap = 0, got = 0;
    int rc;

    *out = NULL;
    if (len < 6)
        return fail(why, why_len, "compressed payload of %s bytes is too short", "< 6");
    if (grow(out, &cap, hint > 4096 && hint <= KIMG_MAX_OUTPUT ? hint : 1 << 20))
        return fail(why, why_len, "out of memory for the %s", "decompressed kernel");
    if (in[0] == 0x1f && in[1] == 0x8b) {
        *name = "gzip";
        rc = gunzip(in, len, out, &cap, &got);
    } else if (!memcmp(in, "\xfd" "7zXZ\0", 6)) {
        *name = "xz";
        rc = unxz(in, len, 0, out, &cap, &got);
    } else if (in[0] == 0x5d && in[1] == 0 && in[2] == 0) {
        *name = "lzma";
        rc = unxz(in, len, 1, out, &cap, &got);
    } else if (rd32(in) == 0xfd2fb528) {
        *name = "zstd";
        rc = unzstd(in, len, out, &cap, &got);
    } else {
        free(*out);
        *out = NULL;
        if (!memcmp(in, "BZh", 3) || rd32(in) == 0x184c2102 || in[0] == 0x89)
            return fail(why, why_len, "kernel payload compression (%s) is not supported: "
                        "use gzip, xz, lzma or zstd", in[0] == 'B' ? "bzip2" : "lz4/lzo");
        return fail(why, why_len, "kernel payload has no known compression %s",
                    "magic (gzip, xz, lzma, zstd)");
    }
    if (rc) {
        free(*out);
        *out = NULL;
        return fail(why, why_len, "corrupt or oversized %s payload (limit 512 MiB)", *name);
    }
    *out_len = got;
    return 0;
}

static int bzimage_payload(unsigned char *buf, size_t len, struct kimg *k, char *why,
                           size_t wl)
{
    static char fmt[32];
    size_t setup, off, plen, hint;
    const char *name;
    unsigned char *elf;

    if (rd16(buf + 0x206) < 0x208)
        return fail(why, wl, "bzImage boot protocol too old (%s); need 2.08 for the payload "
                    "fields", "< 2.08");
    setup = (size_t)(buf[0x1f1] ? buf[0x1f1] : 4) * 512 + 512;
    off = setup + rd32(buf + 0x248);
    plen = rd32(buf + 0x24c);
    if (plen < 8 || off > len || plen > len - off)
        return fail(why, wl, "bzImage payload offset/length point outside the %s", "file");
    hint = rd32(buf + off + plen - 4);
    if (kimg_decompress(buf + off, plen, hint, &elf, &k->elf_len, &name, why, wl))
        return -1;
    snprintf(fmt, sizeof(fmt), "bzImage+%s", name);
    k->format = fmt;
    free(buf);
    k->elf = elf;
    return 0;
}

/* The Xen notes of one PT_NOTE range: PHYS32_ENTRY gives the entry. */
static void scan_notes(struct kimg *k, const unsigned char *p, size_t len)
{
    while (len >= 12) {
        uint32_t nsz = rd32(p), dsz = rd32(p + 4), type = rd32(p + 8);
        size_t nal = (nsz + 3) & ~3u, dal = (dsz + 3) & ~3u;

        if (nal > len - 12 || dal > len - 12 - nal)
            return;
        if (nsz == 4 && !memcmp(p + 12, "Xen", 4) && type == XEN_ELFNOTE_PHYS32_ENTRY &&
            (dsz == 4 || dsz == 8))
            k->entry = rd32(p + 12 + nal);
        p += 12 + nal + dal;
        len -= 12 + nal + dal;
    }
}

static int elf_seg(struct kimg *k, const unsigned char *ph, char *why, size_t wl)
{
    struct kimg_seg s = { rd64(ph + 24), rd64(ph + 32), rd64(ph + 40), rd64(ph + 8) };

    if (s.filesz > s.memsz || s.offset > k->elf_len || s.filesz > k->elf_len - s.offset)
        return fail(why, wl, "ELF PT_LOAD segment lies outside the %s", "file");
    if (s.paddr + s.memsz < s.paddr || s.paddr + s.memsz > 0xf0000000ULL)
        return fail(why, wl, "ELF segment does not fit below %s", "3.75 GiB");
    if (k->nr_segs == KIMG_MAX_SEGS)
        return fail(why, wl, "more than %s PT_LOAD segments", "16");
    k->segs[k->nr_segs++] = s;
    if (k->nr_segs == 1 || s.paddr < k->lo)    /* a segment at paddr 0 counts too */
        k->lo = s.paddr;
    if (s.paddr + s.memsz > k->hi)
        k->hi = s.paddr + s.memsz;
    return 0;
}

static int elf_parse(struct kimg *k, char *why, size_t wl)
{
    const unsigned char *e = k->elf;
    uint64_t phoff;
    unsigned int phnum;

    if (k->elf_len < EHDR_SIZE || memcmp(e, "\x7f" "ELF", 4))
        return fail(why, wl, "not an ELF or bzImage kernel%s", "");
    if (e[4] != 2 || e[5] != 1 || rd16(e + 18) != 62)
        return fail(why, wl, "ELF is not 64-bit little-endian x86_64%s", "");
    phoff = rd64(e + 32);
    phnum = rd16(e + 56);
    if (rd16(e + 54) != PHDR_SIZE || !phnum || phnum > 64 || phoff > k->elf_len ||
        (uint64_t)phnum * PHDR_SIZE > k->elf_len - phoff)
        return fail(why, wl, "ELF program headers are malformed%s", "");
    for (unsigned int i = 0; i < phnum; i++) {
        const unsigned char *ph = e + phoff + (size_t)i * PHDR_SIZE;
        uint64_t off = rd64(ph + 8), sz = rd64(ph + 32);

        if (rd32(ph) == PT_LOAD && elf_seg(k, ph, why, wl))
            return -1;
        if (rd32(ph) == PT_NOTE && off <= k->elf_len && sz <= k->elf_len - off)
            scan_notes(k, e + off, sz);
    }
    if (!k->nr_segs)
        return fail(why, wl, "ELF has no PT_LOAD segment%s", "");
    if (!k->entry)
        return fail(why, wl, "kernel has no Xen PHYS32_ENTRY note: %s",
                    "not a PVH-capable kernel (CONFIG_PVH)");
    if (k->entry < k->lo || k->entry >= k->hi)
        return fail(why, wl, "PVH entry point lies outside the kernel's %s", "segments");
    return 0;
}

int kimg_from_buffer(unsigned char *buf, size_t len, struct kimg *k, char *why, size_t why_len)
{
    memset(k, 0, sizeof(*k));
    if (len > 0x250 && !memcmp(buf + 0x202, "HdrS", 4)) {
        if (bzimage_payload(buf, len, k, why, why_len)) {
            free(buf);
            return -1;
        }
    } else {
        k->elf = buf;
        k->elf_len = len;
        k->format = "elf";
    }
    if (elf_parse(k, why, why_len)) {
        kimg_free(k);
        return -1;
    }
    return 0;
}

int kimg_load(const char *path, struct kimg *k, char *why, size_t why_len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    unsigned char *buf;

    memset(k, 0, sizeof(*k));
    if (!f)
        return fail(why, why_len, "cannot open: %s", strerror(errno));
    if (fstat(fileno(f), &st) || st.st_size <= 0 || (uint64_t)st.st_size > KIMG_MAX_OUTPUT) {
        fclose(f);
        return fail(why, why_len, "empty, unreadable or larger than 512 MiB%s", "");
    }
    buf = malloc((size_t)st.st_size);
    if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        fclose(f);
        free(buf);
        return fail(why, why_len, "cannot read: %s", buf ? "short read" : "out of memory");
    }
    fclose(f);
    return kimg_from_buffer(buf, (size_t)st.st_size, k, why, why_len);
}

void kimg_free(struct kimg *k)
{
    free(k->elf);
    k->elf = NULL;
}
