/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * env.h for the toolstack's fake hypervisor: the real core/ runs inside the
 * test process. Guest addresses of the calling domain are this process's
 * pointers (as a PVH dom0's user buffers are for privcmd); frames live in one
 * memfd so a foreign mapping can alias them exactly as privcmd's mmap does.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "fake_hv.h"
#include "env.h"
#include "errno.h"

#define FRAME_SIZE 4096UL

static int frame_fd = -1;
static char *frame_base;
static uint8_t *frame_used;
static uint64_t frames_live, frame_hint;
static char last_log[FAKE_LOG_LINES][200];
static unsigned int log_next;

int fake_env_init(void)
{
    size_t bytes = FAKE_FRAMES * FRAME_SIZE;

    frame_fd = memfd_create("fake-hv-frames", MFD_CLOEXEC);
    if (frame_fd < 0 || ftruncate(frame_fd, (off_t)bytes))
        return -1;
    frame_base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, frame_fd, 0);
    frame_used = calloc(FAKE_FRAMES, 1);
    return frame_base == MAP_FAILED || !frame_used ? -1 : 0;
}

int fake_env_frame_fd(void) { return frame_fd; }
uint64_t fake_env_frames(void) { return frames_live; }

void *env_zalloc(size_t size) { return calloc(1, size ? size : 1); }
void env_free(void *p) { free(p); }

mfn_t env_frame_alloc(void)
{
    for (uint64_t i = 0; i < FAKE_FRAMES; i++) {
        uint64_t m = (frame_hint + i) % FAKE_FRAMES;

        if (!frame_used[m]) {
            frame_used[m] = 1;
            frame_hint = m + 1;
            frames_live++;
            return m;
        }
    }
    return MFN_INVALID;
}

/* The first free aligned run of 2^order frames (a 2 MiB extent). */
mfn_t env_frames_alloc(unsigned int order)
{
    uint64_t n = 1ull << order;

    for (uint64_t m = 0; m + n <= FAKE_FRAMES; m += n) {
        uint64_t k = 0;

        while (k < n && !frame_used[m + k])
            k++;
        if (k == n) {
            memset(frame_used + m, 1, n);
            frames_live += n;
            return m;
        }
    }
    return MFN_INVALID;
}

/* Freed frames go back to the kernel so the memfd stays small. */
void env_frame_free(mfn_t mfn)
{
    if (mfn >= FAKE_FRAMES || !frame_used[mfn])
        abort();
    frame_used[mfn] = 0;
    frames_live--;
    fallocate(frame_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)(mfn * FRAME_SIZE),
              FRAME_SIZE);
}

/* No second-level translation to keep in step with the p2m here. */
void env_p2m_changed(struct domain *d, uint64_t gfn, uint64_t nr)
{
}

/* The test is the caller and cannot re-execute a hypercall: long memory_ops
 * run to their end. */
bool env_hypercall_preempt(struct vcpu *v, unsigned int arg, uint64_t val)
{
    return false;
}

void *env_frame_va(mfn_t mfn)
{
    if (mfn >= FAKE_FRAMES || !frame_used[mfn])
        abort();
    return frame_base + mfn * FRAME_SIZE;
}

/* A null pointer stands for every bad guest address. */
int env_copy_from_guest(struct vcpu *v, void *dst, guest_addr_t src, size_t len)
{
    if (!src)
        return -XEN_EFAULT;
    memcpy(dst, (const void *)(uintptr_t)src, len);
    return 0;
}

int env_copy_to_guest(struct vcpu *v, guest_addr_t dst, const void *src, size_t len)
{
    if (!dst)
        return -XEN_EFAULT;
    memcpy((void *)(uintptr_t)dst, src, len);
    return 0;
}

void env_lock_init(struct env_lock *l, int order, const char *name)
{
    l->held = 0;
    l->order = order;
    l->name = name;
}

void env_lock(struct env_lock *l)
{
    if (l->held)
        abort();
    l->held = 1;
}

void env_unlock(struct env_lock *l)
{
    if (!l->held)
        abort();
    l->held = 0;
}

uint64_t env_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void env_vcpu_kick(struct vcpu *v) { }

void env_log(int level, const char *fmt, ...)
{
    va_list ap;
    char *line = last_log[log_next++ % FAKE_LOG_LINES];

    va_start(ap, fmt);
    vsnprintf(line, sizeof(last_log[0]), fmt, ap);
    va_end(ap);
    if (getenv("FAKE_HV_LOG"))
        fprintf(stderr, "(hv) %s\n", line);
}

bool fake_hv_log_has(const char *needle)
{
    for (unsigned int i = 0; i < FAKE_LOG_LINES; i++)
        if (strstr(last_log[i], needle))
            return true;
    return false;
}
