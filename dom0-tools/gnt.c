/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gnt.h over Linux's /dev/xen/gntdev: IOCTL_GNTDEV_MAP_GRANT_REF reserves
 * an offset in the device, mmap of that offset maps the grant (and is
 * where it fails), IOCTL_GNTDEV_UNMAP_GRANT_REF after munmap releases it.
 * Layouts: Linux's uapi (include/uapi/xen/gntdev.h, libxen-dev's copy).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/sys/gntdev.h>

#include "gnt.h"

#define GNT_PAGE 4096u

struct gnt_dev {
    struct gnt g;
    int fd;
};

static int fd_of(struct gnt *g)
{
    return ((struct gnt_dev *)g)->fd;
}

static void release(int fd, uint64_t index)
{
    struct ioctl_gntdev_unmap_grant_ref u = { .index = index, .count = 1 };

    ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &u);
}

static void *dev_map(struct gnt *g, uint16_t domid, uint32_t ref, uint64_t *handle, int *rc)
{
    struct ioctl_gntdev_map_grant_ref m = { .count = 1 };
    void *p;

    m.refs[0].domid = domid;
    m.refs[0].ref = ref;
    if (ioctl(fd_of(g), IOCTL_GNTDEV_MAP_GRANT_REF, &m) < 0) {
        *rc = -errno;
        return NULL;
    }
    p = mmap(NULL, GNT_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd_of(g), (off_t)m.index);
    if (p == MAP_FAILED) {
        *rc = -errno;
        release(fd_of(g), m.index);
        return NULL;
    }
    *handle = m.index;
    *rc = 0;
    return p;
}

/* gntdev refuses to release a grant that is still mapped: munmap first. */
static void dev_unmap(struct gnt *g, void *page, uint64_t handle)
{
    munmap(page, GNT_PAGE);
    release(fd_of(g), handle);
}

static void dev_close(struct gnt *g)
{
    close(fd_of(g));
    free(g);
}

static const struct gnt_ops dev_ops = { dev_map, dev_unmap, dev_close };

struct gnt *gnt_dev_open(const char *path, char *why, size_t why_len)
{
    struct gnt_dev *d;
    int fd;

    if (!path)
        path = "/dev/xen/gntdev";
    fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_len, "cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    d = calloc(1, sizeof(*d));
    if (!d) {
        close(fd);
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    d->g.ops = &dev_ops;
    d->fd = fd;
    return &d->g;
}
