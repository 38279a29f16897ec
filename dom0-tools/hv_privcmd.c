/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv.h over Linux's /dev/xen/privcmd: IOCTL_PRIVCMD_HYPERCALL for calls and
 * IOCTL_PRIVCMD_MMAPBATCH_V2 on an mmap of the device for foreign frames
 * (Linux turns it into add_to_physmap_batch for a PVH dom0).
 * The ioctl layouts are Linux's uapi (include/uapi/xen/privcmd.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hv.h"

struct privcmd_call {
    uint64_t op;
    uint64_t arg[5];
};

struct privcmd_batch_v2 {
    unsigned int num;
    uint16_t dom;
    uint64_t addr;
    const uint64_t *arr;
    int *err;
};

#define PRIVCMD_IOC_HYPERCALL  _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_call))
#define PRIVCMD_IOC_BATCH_V2   _IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_batch_v2))

struct hv_privcmd {
    struct hv hv;
    int fd;
};

static int fd_of(struct hv *h)
{
    return ((struct hv_privcmd *)h)->fd;
}

static long privcmd_hypercall(struct hv *h, unsigned int nr, const uint64_t args[5])
{
    struct privcmd_call c = { nr, { args[0], args[1], args[2], args[3], args[4] } };
    long rc = ioctl(fd_of(h), PRIVCMD_IOC_HYPERCALL, &c);

    /* Linux hands back the hypervisor's value, or -1/errno on its own failure. */
    return rc < 0 ? -errno : rc;
}

static void *privcmd_map(struct hv *h, uint16_t domid, const uint64_t *gfns, unsigned int n,
                         int *errs, int *rc)
{
    size_t len = (size_t)n * HV_PAGE_SIZE;
    void *va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd_of(h), 0);
    struct privcmd_batch_v2 b = { n, domid, 0, gfns, errs };

    if (va == MAP_FAILED) {
        *rc = -errno;
        return NULL;
    }
    b.addr = (uint64_t)(uintptr_t)va;
    if (ioctl(fd_of(h), PRIVCMD_IOC_BATCH_V2, &b) < 0) {
        *rc = -errno;
        munmap(va, len);
        return NULL;
    }
    *rc = 0;
    return va;
}

static void privcmd_unmap(struct hv *h, void *addr, unsigned int n)
{
    munmap(addr, (size_t)n * HV_PAGE_SIZE);
}

static void privcmd_close(struct hv *h)
{
    close(fd_of(h));
    free(h);
}

static const struct hv_ops privcmd_ops = {
    privcmd_hypercall, privcmd_map, privcmd_unmap, privcmd_close,
};

struct hv *hv_privcmd_open(const char *path, char *why, size_t why_len)
{
    struct hv_privcmd *p;
    int fd;

    if (!path)
        path = "/dev/xen/privcmd";
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_len, "cannot open %s: %s (is this a Xen control domain "
                 "with the privcmd driver?)", path, strerror(errno));
        return NULL;
    }
    p = calloc(1, sizeof(*p));
    if (!p) {
        close(fd);
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    p->hv.ops = &privcmd_ops;
    p->fd = fd;
    return &p->hv;
}
