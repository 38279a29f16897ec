/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Booting a distribution's vmlinuz (bzimage_*): the Linux boot protocol's
 * setup header says where the compressed kernel lies and how large it may
 * become (init_size); the payload's magic picks unxz/gunzip/unzstd, which
 * unpack it into hypervisor memory for the ELF loader (pvh_loader.c).
 */
#ifndef RUNTIME_BZIMAGE_H
#define RUNTIME_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

/* Larger decompressed kernels are refused (Debian's is 63 MiB). */
#define BZIMAGE_MAX_KERNEL (512ull << 20)

struct bzimage_kernel {
    uint8_t *elf;              /* the decompressed vmlinux; bzimage_free() */
    size_t len;
    size_t payload_len;        /* compressed bytes */
    size_t cap;                /* what was allocated: the size bound used */
    const char *format;        /* "XZ", "gzip", "zstd" */
};

/*
 * If img is a bzImage, decompress its payload into k->elf. Returns 0,
 * -XEN_ENOEXEC when img is not a bzImage (use it as it is), or a Xen error
 * with *why: -XEN_EINVAL (bad setup header, corrupt or truncated payload),
 * -XEN_EOPNOTSUPP (bzip2/LZMA/LZO/LZ4 payload, or an XZ filter or check we
 * lack), -XEN_E2BIG (larger than init_size or BZIMAGE_MAX_KERNEL),
 * -XEN_ENOMEM.
 */
int bzimage_unpack(const void *img, size_t len, struct bzimage_kernel *k,
                   const char **why);
void bzimage_free(struct bzimage_kernel *k);

#endif
