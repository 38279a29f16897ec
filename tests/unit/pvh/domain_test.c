/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvh_domain: boot-time domain descriptions from the hypervisor command
 * line: defaults, every key, cmdline taking the rest, every error with its
 * reason, the module checks and the start-info flags.
 */
#include <stdint.h>
#include "unit.h"
#include "pvh_domain.h"
#include "xen.h"

static struct pvh_domain_spec ok(const char *desc)
{
    struct pvh_domain_spec s;
    const char *why = NULL;
    int rc = pvh_domain_parse(desc, &s, &why);

    if (rc) {
        fprintf(stderr, "    '%s': %d %s\n", desc, rc, why);
        CHECK(0);
    }
    return s;
}

TEST(defaults_and_minimal)
{
    struct pvh_domain_spec s = ok("name=linux1,kernel=0");

    CHECK_STR(s.name, "linux1");
    CHECK_EQ(s.kernel_mod, 0);
    CHECK_EQ(s.initrd_mod, PVH_NO_MODULE);
    CHECK_EQ(s.mem_bytes, 256ull << 20);
    CHECK_EQ(s.vcpus, 1);
    CHECK_EQ(s.weight, 256);
    CHECK(!s.control);
    CHECK(strcmp(s.cmdline, "") == 0);
    CHECK_EQ(pvh_domain_start_flags(&s), 0);
}

TEST(every_key)
{
    struct pvh_domain_spec s = ok("name=dom0.a_b-c,mem=512M,vcpus=2,weight=512,"
                                  "kernel=1,initrd=2,control,"
                                  "cmdline=console=hvc0 earlyprintk=xen a=b,c");

    CHECK_STR(s.name, "dom0.a_b-c");
    CHECK_EQ(s.mem_bytes, 512ull << 20);
    CHECK_EQ(s.vcpus, 2);
    CHECK_EQ(s.weight, 512);
    CHECK_EQ(s.kernel_mod, 1);
    CHECK_EQ(s.initrd_mod, 2);
    CHECK(s.control);
    CHECK(strcmp(s.cmdline, "console=hvc0 earlyprintk=xen a=b,c") == 0);
    CHECK_EQ(pvh_domain_start_flags(&s), SIF_PRIVILEGED | SIF_INITDOMAIN);
    s = ok("kernel=3,name=x,mem=1G,mem=0x4000000");      /* later wins */
    CHECK_EQ(s.mem_bytes, 0x4000000);
    s = ok("name=x,kernel=0,mem=65536K,cmdline=");
    CHECK_EQ(s.mem_bytes, 64ull << 20);
    CHECK(strcmp(s.cmdline, "") == 0);
}

struct bad { const char *desc; int err; const char *why; };

TEST(errors_have_reasons)
{
    static char longcmd[2100];
    static const struct bad t[] = {
        { "", -XEN_EINVAL, "no name" },
        { "kernel=0", -XEN_EINVAL, "no name" },
        { "name=x", -XEN_EINVAL, "no kernel" },
        { "name=,kernel=0", -XEN_EINVAL, "1..31" },
        { "name=0123456789012345678901234567890123,kernel=0", -XEN_EINVAL, "1..31" },
        { "name=a b,kernel=0", -XEN_EINVAL, "letters" },
        { "name=x,kernel=0,mem=16M", -XEN_EINVAL, "32 MiB" },
        { "name=x,kernel=0,mem=4G", -XEN_EINVAL, "32 MiB" },
        { "name=x,kernel=0,mem=33554433", -XEN_EINVAL, "page multiple" },
        { "name=x,kernel=0,mem=12Q", -XEN_EINVAL, "mem" },
        { "name=x,kernel=0,mem=99999999999999999999999", -XEN_EINVAL, "mem" },
        { "name=x,kernel=0,mem=0x", -XEN_EINVAL, "mem" },
        { "name=x,kernel=0,vcpus=0", -XEN_EINVAL, "vcpus" },
        { "name=x,kernel=0,vcpus=129", -XEN_EINVAL, "vcpus" },
        { "name=x,kernel=0,weight=0", -XEN_EINVAL, "weight" },
        { "name=x,kernel=0,weight=65536", -XEN_EINVAL, "weight" },
        { "name=x,kernel=64", -XEN_EINVAL, "module index" },
        { "name=x,kernel=-1", -XEN_EINVAL, "module index" },
        { "name=x,kernel=0,initrd=z", -XEN_EINVAL, "module index" },
        { "name=x,kernel=0,colour=red", -XEN_EINVAL, "unknown key" },
        { "name=x,kernel=0,control=1", -XEN_EINVAL, "no value" },
        { "name=x,kernel", -XEN_EINVAL, "without a value" },
        { "name=x,kernel=0,,", -XEN_EINVAL, "without a value" },
    };
    struct pvh_domain_spec s;
    const char *why;

    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        int rc;
        why = NULL;
        rc = pvh_domain_parse(t[i].desc, &s, &why);
        if (rc != t[i].err || !why || !strstr(why, t[i].why)) {
            fprintf(stderr, "    '%s': rc %d why %s\n", t[i].desc, rc,
                    why ? why : "(null)");
            CHECK(0);
        }
    }
    memcpy(longcmd, "name=x,kernel=0,cmdline=", 24);
    memset(longcmd + 24, 'a', 2048);
    CHECK_EQ(pvh_domain_parse(longcmd, &s, &why), -XEN_E2BIG);
    longcmd[24 + 2047] = 0;
    CHECK_EQ(pvh_domain_parse(longcmd, &s, &why), 0);
    CHECK_EQ(strlen(s.cmdline), 2047);
}

TEST(module_checks)
{
    struct pvh_domain_spec s = ok("name=x,kernel=1,initrd=2");
    const char *why = NULL;

    CHECK_EQ(pvh_domain_check_modules(&s, 3, &why), 0);
    CHECK_EQ(pvh_domain_check_modules(&s, 2, &why), -XEN_EINVAL);
    CHECK(strstr(why, "initrd="));
    CHECK_EQ(pvh_domain_check_modules(&s, 1, &why), -XEN_EINVAL);
    CHECK(strstr(why, "kernel="));
    s = ok("name=x,kernel=1,initrd=1");
    CHECK_EQ(pvh_domain_check_modules(&s, 4, &why), -XEN_EINVAL);
    CHECK(strstr(why, "same module"));
    s = ok("name=x,kernel=0");
    CHECK_EQ(pvh_domain_check_modules(&s, 1, &why), 0);
}

/* ---- building, against the real core over its host env ---------------- */

#include <sys/stat.h>
#include "env_host.h"
#include "mm.h"
#include "acpi_build.h"

static uint8_t *read_file(const char *path, size_t *len)
{
    struct stat st;
    uint8_t *b;
    FILE *f;

    if (stat(path, &st))
        return NULL;
    b = malloc(st.st_size);
    f = fopen(path, "rb");
    CHECK(b && f && fread(b, 1, st.st_size, f) == (size_t)st.st_size);
    fclose(f);
    *len = st.st_size;
    return b;
}

static uint8_t *gpa(struct domain *d, uint64_t a)
{
    mfn_t mfn;
    enum mm_kind kind;
    bool w;

    CHECK_EQ(mm_lookup(d, a >> 12, &mfn, &kind, &w), 0);
    return (uint8_t *)env_frame_va(mfn) + (a & 0xFFF);
}

static uint8_t *hostile(size_t *len)
{
    uint8_t *elf = read_file("build/guests/hostile.elf", len);

    if (!elf)
        printf("SKIP: build/guests/hostile.elf not built (make all)\n");
    return elf;
}

TEST(build_hostile_guest_domain)
{
    struct pvh_domain_spec s = ok("name=h,mem=32M,vcpus=2,kernel=0,cmdline=hostile=none");
    struct pvh_domain_boot e;
    struct domain *d;
    const char *why = NULL;
    uint8_t initrd[5000];
    size_t len;
    uint8_t *elf = hostile(&len);
    mfn_t mfn;
    enum mm_kind kind;
    bool w;

    if (!elf)
        return;
    memset(initrd, 0x42, sizeof(initrd));
    CHECK_EQ(pvh_domain_build(&s, 5, elf, len, initrd, sizeof(initrd), &d, &e, &why), 0);
    CHECK_EQ(e.entry.rip, 0x200000);
    CHECK_EQ(e.entry.rbx, 0x100000);
    CHECK_EQ(e.console_gfn, (32ull << 20) >> 12);                 /* above RAM */
    CHECK_EQ(d->hvm_params[17], e.console_gfn);                    /* CONSOLE_PFN */
    CHECK_EQ(d->hvm_params[18], e.console_port);                   /* CONSOLE_EVTCHN */
    CHECK(e.console_port != 0 && e.console_backend_port != e.console_port);
    CHECK_EQ(*gpa(d, e.console_gfn << 12), 0);                     /* ring zeroed */
    CHECK_EQ(e.nr_memmap, 4);                                      /* = start_info's */
    CHECK_EQ(e.memmap[2].addr + e.memmap[2].size, 32ull << 20);
    CHECK_EQ(e.memmap[3].addr, 32ull << 20);                       /* special pages */
    CHECK_EQ(e.memmap[3].size, 2 * 4096);
    CHECK(memcmp(gpa(d, PVH_MEMMAP_GPA), e.memmap, 4 * sizeof(e.memmap[0])) == 0);
    CHECK_EQ(*(uint32_t *)gpa(d, 0x100000), 0x336ec578);          /* start_info */
    CHECK(memcmp(gpa(d, PVH_CMDLINE_GPA), "hostile=none", 13) == 0);
    CHECK(memcmp(gpa(d, 0xE0000), "RSD PTR ", 8) == 0);            /* ACPI */
    CHECK_EQ(*gpa(d, (32ull << 20) - 4096), 0x42);                 /* initrd at top */
    CHECK(memcmp(gpa(d, 0x200000), elf + 0x1000, 64) == 0);        /* image */
    CHECK_EQ(mm_lookup(d, 0xC0, &mfn, &kind, &w), 0);              /* ROM area backed */
    CHECK_EQ(mm_lookup(d, ((32ull << 20) >> 12) + 2, &mfn, &kind, &w), -XEN_EINVAL);
    CHECK_EQ(mm_tot_pages(d), ((32ull << 20) >> 12) + 2);
    CHECK_EQ(d->max_vcpus, 2);
    CHECK(d->vcpus[0]->is_up);
    CHECK(domain_is_paused(d));                                    /* caller unpauses */
    domain_kill(d);
    domain_put(d);
}

TEST(build_errors_leave_nothing)
{
    struct pvh_domain_spec s = ok("name=h,mem=32M,kernel=0");
    struct pvh_domain_boot e;
    struct domain *d;
    const char *why = NULL;
    uint8_t junk[100] = { 0 };
    size_t len;
    uint8_t *elf = hostile(&len);

    if (!elf)
        return;
    CHECK_EQ(pvh_domain_build(&s, 6, junk, sizeof(junk), NULL, 0, &d, &e, &why),
             -XEN_ENOEXEC);
    CHECK(strstr(why, "ELF"));
    CHECK(domain_get_any(6) == NULL);
    CHECK_EQ(pvh_domain_build(&s, 6, elf, len, NULL, 0, &d, &e, &why), 0);
    CHECK_EQ(pvh_domain_build(&s, 6, elf, len, NULL, 0, &d, &e, &why), -XEN_EEXIST);
    CHECK(strstr(why, "core refused"));
    domain_kill(d);
    domain_put(d);
    env_host_fail_frame_after(100);                 /* RAM runs out */
    CHECK_EQ(pvh_domain_build(&s, 7, elf, len, NULL, 0, &d, &e, &why), -XEN_ENOMEM);
    CHECK(strstr(why, "populate"));
    CHECK(domain_get_any(7) == NULL);
    env_host_fail_frame_after(-1);
}
