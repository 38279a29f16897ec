/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvh_loader: the Debian vmlinux fixture end to end (parse, load, boot data
 * read back as Linux reads it), then synthetic ELFs for every error path.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stddef.h>
#include "unit.h"
#include "fakemem.h"
#include "pvh_loader.h"

static const char *fixtures(void)
{
    const char *d = getenv("XL_FIXTURES");
    return d ? d : "build/fixtures";
}

/* Reads a fixture, fetching it first if needed; NULL (after a SKIP line)
 * only if it cannot be fetched. */
static uint8_t *fixture(const char *name, size_t *len)
{
    char path[512], cmd[1024];
    struct stat st;
    uint8_t *buf;
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", fixtures(), name);
    if (stat(path, &st) != 0) {
        snprintf(cmd, sizeof(cmd), "tests/fixtures/linux.sh %s && "
                 "tests/fixtures/initramfs.sh %s/initramfs.cpio.gz",
                 fixtures(), fixtures());
        if (system(cmd) != 0 || stat(path, &st) != 0) {
            printf("SKIP %s: fixture cannot be fetched\n", name);
            return NULL;
        }
    }
    buf = malloc(st.st_size);
    f = fopen(path, "rb");
    CHECK(buf && f && fread(buf, 1, st.st_size, f) == (size_t)st.st_size);
    fclose(f);
    *len = st.st_size;
    return buf;
}

TEST(debian_vmlinux_parses_with_pvh_entry)
{
    struct pvh_image img;
    const char *why = NULL;
    size_t len;
    uint8_t *elf = fixture("vmlinux", &len);

    if (!elf)
        return;
    CHECK_EQ(pvh_elf_parse(elf, len, &img, &why), 0);
    CHECK_EQ(img.entry, 0x1000850);          /* pvh_start_xen, 8-byte desc */
    CHECK_EQ(img.nr_segs, 4);
    CHECK_EQ(img.lo, 0x1000000);             /* link address, 16 MiB */
    CHECK_EQ(img.hi, 0x4A00000);
    CHECK_EQ(img.segs[2].paddr, 0x3044000);  /* percpu: vaddr 0, paddr used */
    CHECK_EQ(img.guest_os_len, 5);
    CHECK(memcmp(img.guest_os, "linux", 5) == 0);
    CHECK_EQ(img.supported_features, 0x8801);
}

TEST(debian_vmlinux_loads_and_boot_data_reads_back)
{
    struct pvh_image img;
    struct pvh_boot_plan plan;
    struct fakemem m;
    struct pvh_guest_mem g = fakemem_ops(&m, 256ull << 20);
    const char *why = NULL, *cmd = "console=hvc0 earlyprintk=xen";
    size_t len, ilen;
    uint8_t *elf = fixture("vmlinux", &len);
    uint8_t *initrd = fixture("initramfs.cpio.gz", &ilen);
    struct pvh_boot_params p = {
        .ram_bytes = 256ull << 20, .cmdline = cmd, .initrd = initrd,
        .initrd_len = ilen, .nr_special = 2,
    };
    const struct hvm_start_info *si;
    const struct hvm_memmap_table_entry *mm;
    const struct hvm_modlist_entry *mod;

    if (!elf || !initrd)
        return;
    CHECK_EQ(pvh_elf_parse(elf, len, &img, &why), 0);
    CHECK_EQ(pvh_elf_load(&img, elf, &g, &why), 0);
    for (unsigned int i = 0; i < img.nr_segs; i++) {
        const struct pvh_segment *s = &img.segs[i];
        CHECK(memcmp(m.ram + s->paddr, elf + s->offset, s->filesz) == 0);
        if (s->memsz > s->filesz) {
            CHECK_EQ(m.ram[s->paddr + s->filesz], 0);
            CHECK_EQ(m.ram[s->paddr + s->memsz - 1], 0);
        }
    }
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), 0);
    CHECK_EQ(plan.start_info_gpa, 0x100000);
    CHECK_EQ(plan.entry, 0x1000850);
    si = (const void *)(m.ram + plan.start_info_gpa);
    CHECK_EQ(si->magic, XEN_HVM_START_MAGIC_VALUE);
    CHECK_EQ(si->version, 1);
    CHECK_EQ(si->flags, 0);
    CHECK_STR((const char *)m.ram + si->cmdline_paddr, cmd);
    CHECK_EQ(si->rsdp_paddr, 0xE0000);
    /* Linux reads these through its first-1-GiB map; initrd below 4 GiB. */
    CHECK(si->memmap_paddr < (1u << 30) && si->modlist_paddr < (1u << 30));
    CHECK_EQ(si->nr_modules, 1);
    mod = (const void *)(m.ram + si->modlist_paddr);
    CHECK_EQ(mod->size, ilen);
    CHECK_EQ(mod->paddr & 0xFFF, 0);
    CHECK(mod->paddr >= img.hi && mod->paddr + mod->size <= p.ram_bytes);
    CHECK(memcmp(m.ram + mod->paddr, initrd, ilen) == 0);
    CHECK_EQ(si->memmap_entries, 4);
    mm = (const void *)(m.ram + si->memmap_paddr);
    CHECK_EQ(mm[0].addr, 0);
    CHECK_EQ(mm[0].size, 0xA0000);
    CHECK_EQ(mm[0].type, XEN_HVM_MEMMAP_TYPE_RAM);
    CHECK_EQ(mm[1].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
    CHECK_EQ(mm[2].addr, 0x100000);
    CHECK_EQ(mm[2].addr + mm[2].size, 256ull << 20);
    CHECK_EQ(mm[3].addr, 256ull << 20);       /* special pages, above RAM */
    CHECK_EQ(mm[3].size, 2 * 4096);
    CHECK_EQ(mm[3].type, XEN_HVM_MEMMAP_TYPE_RESERVED);
    CHECK_EQ(plan.special_gfn, (256ull << 20) >> 12);
    /* Loading overwrote nothing of the kernel: */
    CHECK(memcmp(m.ram + img.segs[0].paddr, elf + img.segs[0].offset,
                 img.segs[0].filesz) == 0);
}

TEST(debian_bzimage_payload_is_found_and_elf_parse_refuses_it)
{
    struct pvh_image img;
    const char *why = NULL;
    const void *pl;
    size_t len, plen;
    uint8_t *bz = fixture("vmlinuz", &len);

    if (!bz)
        return;
    CHECK_EQ(pvh_bzimage_payload(bz, len, &pl, &plen, &why), 0);
    CHECK_EQ(plen, 8122480);
    CHECK(memcmp(pl, "\xFD" "7zXZ\0", 6) == 0);
    CHECK_EQ(pvh_elf_parse(bz, len, &img, &why), -XEN_EOPNOTSUPP);
    CHECK(strstr(why, "vmlinux") != NULL);
}

/* ---- synthetic ELFs --------------------------------------------------- */

#define SYN_LEN 0x3000
struct syn { uint8_t b[SYN_LEN]; };

static void w16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void w32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void w64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Offsets inside a synthetic image: ehdr @0, 3 phdrs @64 (text, bss-only,
 * note), notes @0x200, text @0x1000 (0x1000 bytes at paddr 0x200000). */
#define PH(i)    (64 + (i) * 56)
#define NOTES    0x200
#define TEXT     0x1000

static size_t put_note(uint8_t *p, uint32_t type, const void *desc, uint32_t dsz)
{
    w32(p, 4);
    w32(p + 4, dsz);
    w32(p + 8, type);
    memcpy(p + 12, "Xen", 4);
    memcpy(p + 16, desc, dsz);
    return 16 + ((dsz + 3) & ~3u);
}

static void phdr(uint8_t *ph, uint32_t type, uint64_t off, uint64_t paddr,
                 uint64_t fsz, uint64_t msz)
{
    w32(ph, type);
    w64(ph + 8, off);
    w64(ph + 16, 0xffffffff80000000ull + paddr);   /* vaddr: never used */
    w64(ph + 24, paddr);
    w64(ph + 32, fsz);
    w64(ph + 40, msz);
}

static struct syn *syn_elf(void)
{
    struct syn *s = calloc(1, sizeof(*s));
    uint8_t *e = s->b;
    uint64_t entry = 0x200010;
    size_t n;

    memcpy(e, "\x7f" "ELF", 4);
    e[4] = 2; e[5] = 1; e[6] = 1;
    w16(e + 16, 2);          /* ET_EXEC */
    w16(e + 18, 62);         /* EM_X86_64 */
    w64(e + 32, 64);         /* e_phoff */
    w16(e + 52, 64);
    w16(e + 54, 56);
    w16(e + 56, 3);
    n = put_note(e + NOTES, PVH_NOTE_GUEST_OS, "test\0\0\0", 8);
    n += put_note(e + NOTES + n, PVH_NOTE_PHYS32_ENTRY, &entry, 4);
    phdr(e + PH(0), 1, TEXT, 0x200000, 0x1000, 0x1000);
    phdr(e + PH(1), 1, 0, 0x201000, 0, 0x3000);
    phdr(e + PH(2), 4, NOTES, 0, n, n);
    memset(e + TEXT, 0x90, 0x1000);
    return s;
}

static int syn_parse(struct syn *s, size_t len, const char **why)
{
    struct pvh_image img;

    *why = NULL;
    return pvh_elf_parse(s->b, len, &img, why);
}

TEST(synthetic_elf_parses_4_byte_entry_and_bss)
{
    struct syn *s = syn_elf();
    struct pvh_image img;
    const char *why;
    struct fakemem m;
    struct pvh_guest_mem g = fakemem_ops(&m, 4 << 20);

    CHECK_EQ(pvh_elf_parse(s->b, SYN_LEN, &img, &why), 0);
    CHECK_EQ(img.entry, 0x200010);
    CHECK_EQ(img.lo, 0x200000);
    CHECK_EQ(img.hi, 0x204000);
    CHECK_EQ(img.guest_os_len, 4);           /* trailing NULs dropped */
    CHECK_EQ(img.supported_features, 0);
    CHECK_EQ(pvh_elf_load(&img, s->b, &g, &why), 0);
    CHECK_EQ(m.ram[0x200000], 0x90);
    CHECK_EQ(m.ram[0x203FFF], 0);
    CHECK_EQ(m.ram[0x204000], 0xA5);         /* nothing past memsz */
}

struct bad_case {
    const char *name;
    void (*mutate)(uint8_t *e);
    size_t len;
    int err;
    const char *why;
};

static void m_magic(uint8_t *e) { e[1] = 'X'; }
static void m_class(uint8_t *e) { e[4] = 1; }
static void m_endian(uint8_t *e) { e[5] = 2; }
static void m_machine(uint8_t *e) { w16(e + 18, 3); }
static void m_type(uint8_t *e) { w16(e + 16, 3); }
static void m_phentsize(uint8_t *e) { w16(e + 54, 32); }
static void m_phnum0(uint8_t *e) { w16(e + 56, 0); }
static void m_phnum_big(uint8_t *e) { w16(e + 56, 65); }
static void m_phoff(uint8_t *e) { w64(e + 32, SYN_LEN - 100); }
static void m_phoff_wrap(uint8_t *e) { w64(e + 32, ~0ull - 10); }
static void m_filesz(uint8_t *e) { w64(e + PH(0) + 32, 0x2000); }
static void m_offset(uint8_t *e) { w64(e + PH(0) + 8, SYN_LEN - 0x800); }
static void m_offset_wrap(uint8_t *e) { w64(e + PH(0) + 8, ~0ull); }
static void m_overlap(uint8_t *e) { w64(e + PH(1) + 24, 0x200800); }
static void m_high(uint8_t *e) { w64(e + PH(0) + 24, 0xFFFFF000ull); }
static void m_wrap(uint8_t *e) { w64(e + PH(1) + 40, ~0ull - 0x1000); }
static void m_noload(uint8_t *e) { w32(e + PH(0), 6); w32(e + PH(1), 6); }
static void m_noentry(uint8_t *e) { w32(e + NOTES + 16 + 8 + 8, 99); }
static void m_entry_size(uint8_t *e) { w32(e + NOTES + 24 + 4, 2); }
static void m_entry_out(uint8_t *e) { w32(e + NOTES + 24 + 16, 0x300000); }
static void m_entry_bss(uint8_t *e) { w32(e + NOTES + 24 + 16, 0x201000); }
static void m_note_desc(uint8_t *e) { w32(e + NOTES + 4, 0x10000); }
static void m_note_name(uint8_t *e) { w32(e + NOTES, 0xFFFFFFF0u); }
static void m_note_off(uint8_t *e) { w64(e + PH(2) + 8, SYN_LEN); }
static void m_many(uint8_t *e)
{
    w16(e + 56, 20);
    for (int i = 0; i < 20; i++)
        phdr(e + PH(i), 1, TEXT, 0x400000 + i * 0x1000ull, 0x10, 0x10);
}
static void m_none(uint8_t *e) { (void)e; }

static const struct bad_case bad[] = {
    { "short", m_none, 63, -XEN_ENOEXEC, "shorter" },
    { "magic", m_magic, SYN_LEN, -XEN_ENOEXEC, "not an ELF" },
    { "class", m_class, SYN_LEN, -XEN_ENOEXEC, "ELFCLASS64" },
    { "endian", m_endian, SYN_LEN, -XEN_ENOEXEC, "little-endian" },
    { "machine", m_machine, SYN_LEN, -XEN_ENOEXEC, "x86_64" },
    { "type", m_type, SYN_LEN, -XEN_ENOEXEC, "ET_EXEC" },
    { "phentsize", m_phentsize, SYN_LEN, -XEN_EINVAL, "phentsize" },
    { "phnum0", m_phnum0, SYN_LEN, -XEN_EINVAL, "phnum" },
    { "phnum_big", m_phnum_big, SYN_LEN, -XEN_EINVAL, "phnum" },
    { "phoff", m_phoff, SYN_LEN, -XEN_EINVAL, "program headers" },
    { "phoff_wrap", m_phoff_wrap, SYN_LEN, -XEN_EINVAL, "program headers" },
    { "filesz", m_filesz, SYN_LEN, -XEN_EINVAL, "p_filesz" },
    { "offset", m_offset, SYN_LEN, -XEN_EINVAL, "outside the file" },
    { "offset_wrap", m_offset_wrap, SYN_LEN, -XEN_EINVAL, "outside the file" },
    { "truncated", m_none, TEXT + 0x800, -XEN_EINVAL, "outside the file" },
    { "overlap", m_overlap, SYN_LEN, -XEN_EINVAL, "overlap" },
    { "high", m_high, SYN_LEN, -XEN_EINVAL, "4 GiB" },
    { "wrap", m_wrap, SYN_LEN, -XEN_EINVAL, "4 GiB" },
    { "noload", m_noload, SYN_LEN, -XEN_EINVAL, "no PT_LOAD" },
    { "noentry", m_noentry, SYN_LEN, -XEN_ENOEXEC, "PHYS32_ENTRY" },
    { "entry_size", m_entry_size, SYN_LEN, -XEN_EINVAL, "4 or 8" },
    { "entry_out", m_entry_out, SYN_LEN, -XEN_EINVAL, "inside a loaded" },
    { "entry_bss", m_entry_bss, SYN_LEN, -XEN_EINVAL, "inside a loaded" },
    { "note_desc", m_note_desc, SYN_LEN, -XEN_EINVAL, "past its PT_NOTE" },
    { "note_name", m_note_name, SYN_LEN, -XEN_EINVAL, "past its PT_NOTE" },
    { "note_off", m_note_off, SYN_LEN, -XEN_EINVAL, "PT_NOTE lies outside" },
    { "many", m_many, SYN_LEN, -XEN_EINVAL, "more than 16" },
};

TEST(malformed_elfs_are_rejected_with_reason)
{
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct syn *s = syn_elf();
        const char *why;
        int rc;

        bad[i].mutate(s->b);
        rc = syn_parse(s, bad[i].len, &why);
        if (rc != bad[i].err || !why || !strstr(why, bad[i].why)) {
            fprintf(stderr, "    case %s: rc %d why %s\n", bad[i].name, rc,
                    why ? why : "(null)");
            CHECK(0);
        }
        free(s);
    }
}

TEST(bzimage_header_errors)
{
    uint8_t b[0x400] = { 0 };
    const void *pl;
    size_t plen;
    const char *why;

    CHECK_EQ(pvh_bzimage_payload(b, sizeof(b), &pl, &plen, &why), -XEN_ENOEXEC);
    memcpy(b + 0x202, "HdrS", 4);
    w16(b + 0x206, 0x0207);
    CHECK_EQ(pvh_bzimage_payload(b, sizeof(b), &pl, &plen, &why), -XEN_EINVAL);
    CHECK(strstr(why, "2.08"));
    w16(b + 0x206, 0x020F);
    b[0x1F1] = 0;              /* 0 means 4 sectors: pm part at 0xA00 */
    w32(b + 0x248, 0);
    w32(b + 0x24C, 16);
    CHECK_EQ(pvh_bzimage_payload(b, sizeof(b), &pl, &plen, &why), -XEN_EINVAL);
    b[0x1F1] = 1;              /* pm part at 0x400 = end of buffer */
    CHECK_EQ(pvh_bzimage_payload(b, sizeof(b), &pl, &plen, &why), -XEN_EINVAL);
    w32(b + 0x24C, 0);
    CHECK_EQ(pvh_bzimage_payload(b, 0x400, &pl, &plen, &why), -XEN_EINVAL);
    b[0x1F1] = 0;
    w32(b + 0x248, 0);
    {
        static uint8_t big[0xA00 + 16];
        memcpy(big, b, sizeof(b));
        w32(big + 0x24C, 16);
        CHECK_EQ(pvh_bzimage_payload(big, sizeof(big), &pl, &plen, &why), 0);
        CHECK(pl == big + 0xA00 && plen == 16);
    }
}

static void parse_syn(struct pvh_image *img)
{
    struct syn *s = syn_elf();
    const char *why;

    CHECK_EQ(pvh_elf_parse(s->b, SYN_LEN, img, &why), 0);
}

TEST(boot_write_rejects_bad_params)
{
    struct pvh_image img;
    struct pvh_boot_plan plan;
    struct fakemem m;
    struct pvh_guest_mem g = fakemem_ops(&m, 8 << 20);
    struct pvh_boot_params p = { .ram_bytes = 8 << 20 };
    char longcmd[PVH_CMDLINE_MAX + 1];
    static uint8_t initrd[6 << 20];
    const char *why;

    parse_syn(&img);
    p.ram_bytes = (8 << 20) + 1;
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EINVAL);
    CHECK(strstr(why, "page multiple"));
    p.ram_bytes = 0x100000000ull;
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EINVAL);
    p.ram_bytes = 2 << 20;          /* image ends at 0x204000 */
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_ENOMEM);
    CHECK(strstr(why, "beyond guest RAM"));
    p.ram_bytes = 8 << 20;
    p.nr_special = PVH_MAX_SPECIAL + 1;
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EINVAL);
    p.nr_special = 0;
    memset(longcmd, 'a', PVH_CMDLINE_MAX);
    longcmd[PVH_CMDLINE_MAX] = 0;
    p.cmdline = longcmd;
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_E2BIG);
    longcmd[PVH_CMDLINE_MAX - 1] = 0;           /* 2047 chars fit */
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), 0);
    CHECK_EQ(strlen((char *)m.ram + PVH_CMDLINE_GPA), PVH_CMDLINE_MAX - 1);
    p.cmdline = NULL;
    p.initrd = initrd;
    p.initrd_len = sizeof(initrd);  /* 8 MiB RAM - 0x204000 < 6 MiB */
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_ENOMEM);
    CHECK(strstr(why, "initrd"));
    p.initrd_len = 5 << 20;
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), 0);
    CHECK_EQ(plan.initrd_gpa, 3 << 20);
    img.lo = 0x100000;              /* image over the boot data */
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EINVAL);
    CHECK(strstr(why, "boot data"));
}

static int refuse_write(void *ctx, uint64_t gpa, const void *s, size_t n)
{
    return -XEN_EFAULT;
}

TEST(guest_memory_write_failures_propagate)
{
    struct pvh_image img;
    struct pvh_boot_plan plan;
    struct fakemem m;
    struct pvh_guest_mem g = fakemem_ops(&m, 8 << 20);
    struct pvh_boot_params p = { .ram_bytes = 8 << 20, .cmdline = "x" };
    const char *why;
    struct syn *s = syn_elf();
    uint8_t initrd[10] = { 1 };

    parse_syn(&img);
    g.write = refuse_write;
    CHECK_EQ(pvh_elf_load(&img, s->b, &g, &why), -XEN_EFAULT);
    CHECK(strstr(why, "PT_LOAD"));
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EFAULT);
    CHECK(strstr(why, "boot data"));
    p.initrd = initrd;
    p.initrd_len = sizeof(initrd);
    CHECK_EQ(pvh_boot_write(&img, &p, &g, &plan, &why), -XEN_EFAULT);
    CHECK(strstr(why, "initrd"));
    /* A segment beyond the guest's RAM is refused by the memory layer. */
    g.write = fakemem_write;
    m.size = 0x200800;
    CHECK_EQ(pvh_elf_load(&img, s->b, &g, &why), -XEN_EFAULT);
}

TEST(entry_state_is_pvh_abi)
{
    struct pvh_boot_plan plan = { .entry = 0x1000850, .start_info_gpa = 0x100000 };
    struct pvh_entry_state st;

    pvh_entry_state(&plan, &st);
    CHECK_EQ(st.rip, 0x1000850);
    CHECK_EQ(st.rbx, 0x100000);
    CHECK_EQ(st.cr0, 0x11);
    CHECK_EQ(st.cr4, 0);
    CHECK_EQ(st.efer, 0);
    CHECK_EQ(st.rflags, 2);
    CHECK_EQ(st.cs_attr & 0x400, 0x400);    /* D: 32-bit */
    CHECK_EQ(st.cs_attr & 0x200, 0);        /* not L */
    CHECK_EQ(st.tr_attr & 0xF, 0xB);        /* busy 32-bit TSS */
    CHECK_EQ(st.tr_limit, 0x67);
    CHECK_EQ(st.seg_limit, 0xFFFFFFFFu);
}

/* Our own test guest must be loadable by our own loader. */
TEST(hostile_guest_parses)
{
    const char *path = getenv("XL_HOSTILE") ? getenv("XL_HOSTILE")
                                            : "build/guests/hostile.elf";
    struct pvh_image img;
    const char *why = NULL;
    struct stat st;
    uint8_t *elf;
    FILE *f;

    if (stat(path, &st) != 0) {
        printf("SKIP hostile_guest_parses: %s not built (make all)\n", path);
        return;
    }
    elf = malloc(st.st_size);
    f = fopen(path, "rb");
    CHECK(elf && f && fread(elf, 1, st.st_size, f) == (size_t)st.st_size);
    fclose(f);
    CHECK_EQ(pvh_elf_parse(elf, st.st_size, &img, &why), 0);
    CHECK_EQ(img.entry, 0x200000);
    CHECK_EQ(img.lo, 0x200000);
    CHECK(img.lo >= PVH_BOOT_DATA_END);
}
