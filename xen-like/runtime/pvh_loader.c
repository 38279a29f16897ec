/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PVH kernel loading (pvh_*): ELF64 + Xen notes, PT_LOADs at p_paddr, the
 * boot-data layout and hvm_start_info v1. Pure logic: guest memory only via
 * struct pvh_guest_mem. Not here: ACPI (acpi_build.c), vCPU setup (svm*.c).
 */
#include "pvh_loader.h"

/* ELF64 facts (System V gABI, x86-64 psABI). */
#define EHDR_SIZE   64
#define PHDR_SIZE   56
#define EM_X86_64   62
#define ET_EXEC     2
#define PT_LOAD     1
#define PT_NOTE     4
#define MAX_PHDRS   64

/* The file is untrusted and unaligned: read little-endian fields bytewise. */
static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* [off, off+size) lies within a buffer of len bytes, without overflow. */
static bool in_buf(uint64_t off, uint64_t size, uint64_t len)
{
    return off <= len && size <= len - off;
}

static int fail(const char **why, const char *reason, int err)
{
    if (why)
        *why = reason;
    return err;
}

static bool is_bzimage(const uint8_t *b, size_t len)
{
    return len >= 0x250 && rd32(b + 0x202) == 0x53726448u; /* "HdrS" */
}

int pvh_bzimage_payload(const void *buf, size_t len, const void **payload,
                        size_t *payload_len, const char **why)
{
    const uint8_t *b = buf;
    uint32_t sects, off, plen;
    uint64_t start;

    if (!is_bzimage(b, len))
        return fail(why, "no bzImage setup header (HdrS)", -XEN_ENOEXEC);
    if (rd16(b + 0x206) < 0x0208)
        return fail(why, "boot protocol before 2.08 has no payload fields",
                    -XEN_EINVAL);
    sects = b[0x1F1] ? b[0x1F1] : 4;
    off = rd32(b + 0x248);
    plen = rd32(b + 0x24C);
    start = (uint64_t)(sects + 1) * 512 + off;
    if (plen < 4 || !in_buf(start, plen, len))
        return fail(why, "bzImage payload lies outside the file", -XEN_EINVAL);
    *payload = b + start;
    *payload_len = plen;
    return 0;
}

static int check_ehdr(const uint8_t *e, size_t len, const char **why)
{
    if (len < EHDR_SIZE)
        return fail(why, "shorter than an ELF header", -XEN_ENOEXEC);
    if (e[0] != 0x7F || e[1] != 'E' || e[2] != 'L' || e[3] != 'F') {
        if (is_bzimage(e, len))
            return fail(why, "bzImage given: decompress its payload "
                        "to the vmlinux first (bzimage.c)", -XEN_EOPNOTSUPP);
        return fail(why, "not an ELF file", -XEN_ENOEXEC);
    }
    if (e[4] != 2)
        return fail(why, "not ELFCLASS64", -XEN_ENOEXEC);
    if (e[5] != 1)
        return fail(why, "not little-endian", -XEN_ENOEXEC);
    if (rd16(e + 18) != EM_X86_64)
        return fail(why, "not an x86_64 ELF", -XEN_ENOEXEC);
    if (rd16(e + 16) != ET_EXEC)
        return fail(why, "not an ET_EXEC ELF", -XEN_ENOEXEC);
    if (rd16(e + 54) != PHDR_SIZE)
        return fail(why, "e_phentsize is not 56", -XEN_EINVAL);
    if (rd16(e + 56) == 0 || rd16(e + 56) > MAX_PHDRS)
        return fail(why, "e_phnum is 0 or above 64", -XEN_EINVAL);
    if (!in_buf(rd64(e + 32), (uint64_t)rd16(e + 56) * PHDR_SIZE, len))
        return fail(why, "program headers lie outside the file", -XEN_EINVAL);
    return 0;
}

static int add_load(struct pvh_image *img, const uint8_t *ph, size_t len,
                    const char **why)
{
    struct pvh_segment s = {
        .offset = rd64(ph + 8), .paddr = rd64(ph + 24),
        .filesz = rd64(ph + 32), .memsz = rd64(ph + 40),
    };
    unsigned int i;

    if (s.memsz == 0)
        return 0;
    if (img->nr_segs == PVH_MAX_SEGS)
        return fail(why, "more than 16 PT_LOAD segments", -XEN_EINVAL);
    if (s.filesz > s.memsz)
        return fail(why, "PT_LOAD p_filesz exceeds p_memsz", -XEN_EINVAL);
    if (!in_buf(s.offset, s.filesz, len))
        return fail(why, "PT_LOAD data lies outside the file", -XEN_EINVAL);
    if (s.paddr >= PVH_MAX_RAM || s.memsz > PVH_MAX_RAM - s.paddr)
        return fail(why, "PT_LOAD lies above the 4 GiB guest RAM limit",
                    -XEN_EINVAL);
    for (i = 0; i < img->nr_segs; i++) {
        const struct pvh_segment *o = &img->segs[i];
        if (s.paddr < o->paddr + o->memsz && o->paddr < s.paddr + s.memsz)
            return fail(why, "PT_LOAD segments overlap", -XEN_EINVAL);
    }
    img->segs[img->nr_segs++] = s;
    if (img->nr_segs == 1 || s.paddr < img->lo)
        img->lo = s.paddr;
    if (s.paddr + s.memsz > img->hi)
        img->hi = s.paddr + s.memsz;
    return 0;
}

static int take_note(struct pvh_image *img, uint32_t type, const uint8_t *desc,
                     uint32_t dsz, bool *have_entry, const char **why)
{
    switch (type) {
    case PVH_NOTE_PHYS32_ENTRY:
        /* Xen documents a 4-byte desc; Linux x86_64 emits 8 bytes. */
        if (dsz != 4 && dsz != 8)
            return fail(why, "PHYS32_ENTRY note is not 4 or 8 bytes",
                        -XEN_EINVAL);
        img->entry = dsz == 4 ? rd32(desc) : rd64(desc);
        *have_entry = true;
        break;
    case PVH_NOTE_GUEST_OS:
        img->guest_os = (const char *)desc;
        img->guest_os_len = dsz;
        while (img->guest_os_len && !desc[img->guest_os_len - 1])
            img->guest_os_len--;
        break;
    case PVH_NOTE_SUPPORTED_FEATURES:
        if (dsz >= 4)
            img->supported_features = rd32(desc);
        break;
    }
    return 0;
}

static uint64_t align4(uint64_t x)
{
    return (x + 3) & ~3ull;
}

/* Walk one PT_NOTE segment: (namesz, descsz, type, name, desc), 4-aligned. */
static int walk_notes(struct pvh_image *img, const uint8_t *n, uint64_t size,
                      bool *have_entry, const char **why)
{
    uint64_t pos = 0;

    while (size - pos >= 12) {
        uint32_t nsz = rd32(n + pos), dsz = rd32(n + pos + 4);
        uint32_t type = rd32(n + pos + 8);
        uint64_t name = pos + 12, desc = name + align4(nsz);
        int rc;

        if (!in_buf(name, align4(nsz), size) ||
            !in_buf(desc, dsz, size))
            return fail(why, "ELF note runs past its PT_NOTE", -XEN_EINVAL);
        if (nsz == 4 && n[name] == 'X' && n[name + 1] == 'e' &&
            n[name + 2] == 'n' && n[name + 3] == 0) {
            rc = take_note(img, type, n + desc, dsz, have_entry, why);
            if (rc)
                return rc;
        }
        pos = desc + align4(dsz);
        if (pos > size)
            break;
    }
    return 0;
}

static bool entry_in_text(const struct pvh_image *img)
{
    unsigned int i;

    for (i = 0; i < img->nr_segs; i++)
        if (img->entry >= img->segs[i].paddr &&
            img->entry < img->segs[i].paddr + img->segs[i].filesz)
            return true;
    return false;
}

int pvh_elf_parse(const void *elf, size_t len, struct pvh_image *img,
                  const char **why)
{
    const uint8_t *e = elf;
    struct pvh_image zero = { 0 };
    bool have_entry = false;
    unsigned int i, phnum;
    uint64_t phoff;
    int rc;

    *img = zero;
    rc = check_ehdr(e, len, why);
    if (rc)
        return rc;
    phoff = rd64(e + 32);
    phnum = rd16(e + 56);
    for (i = 0; i < phnum; i++) {
        const uint8_t *ph = e + phoff + (uint64_t)i * PHDR_SIZE;
        uint32_t type = rd32(ph);
        uint64_t off = rd64(ph + 8), fsz = rd64(ph + 32);

        if (type == PT_LOAD)
            rc = add_load(img, ph, len, why);
        else if (type == PT_NOTE && !in_buf(off, fsz, len))
            rc = fail(why, "PT_NOTE lies outside the file", -XEN_EINVAL);
        else if (type == PT_NOTE)
            rc = walk_notes(img, e + off, fsz, &have_entry, why);
        if (rc)
            return rc;
    }
    if (img->nr_segs == 0)
        return fail(why, "no PT_LOAD segment", -XEN_EINVAL);
    if (!have_entry)
        return fail(why, "no XEN_ELFNOTE_PHYS32_ENTRY note (not a PVH kernel)",
                    -XEN_ENOEXEC);
    if (img->entry >= 0x100000000ull || !entry_in_text(img))
        return fail(why, "PHYS32_ENTRY is not inside a loaded segment",
                    -XEN_EINVAL);
    return 0;
}

int pvh_elf_load(const struct pvh_image *img, const void *elf,
                 const struct pvh_guest_mem *mem, const char **why)
{
    const uint8_t *e = elf;
    unsigned int i;
    int rc;

    for (i = 0; i < img->nr_segs; i++) {
        const struct pvh_segment *s = &img->segs[i];

        rc = mem->write(mem->ctx, s->paddr, e + s->offset, s->filesz);
        if (!rc && s->memsz > s->filesz)
            rc = mem->zero(mem->ctx, s->paddr + s->filesz,
                           s->memsz - s->filesz);
        if (rc)
            return fail(why, "PT_LOAD does not fit in guest RAM", rc);
    }
    return 0;
}

/* --- boot data ---------------------------------------------------------- */

static void put_memmap(struct hvm_memmap_table_entry *m, unsigned int *n,
                       uint64_t addr, uint64_t size, uint32_t type)
{
    struct hvm_memmap_table_entry ent = { addr, size, type, 0 };

    m[(*n)++] = ent;
}

unsigned int pvh_memmap(const struct pvh_boot_params *p,
                        struct hvm_memmap_table_entry *m)
{
    unsigned int n = 0;

    put_memmap(m, &n, 0, PVH_LOW_RAM_END, XEN_HVM_MEMMAP_TYPE_RAM);
    put_memmap(m, &n, PVH_ACPI_BASE, PVH_ACPI_SIZE, XEN_HVM_MEMMAP_TYPE_RESERVED);
    put_memmap(m, &n, PVH_HIGH_RAM_BASE, p->ram_bytes - PVH_HIGH_RAM_BASE,
               XEN_HVM_MEMMAP_TYPE_RAM);
    if (p->nr_special)
        put_memmap(m, &n, p->ram_bytes, (uint64_t)p->nr_special << 12,
                   XEN_HVM_MEMMAP_TYPE_RESERVED);
    return n;
}

static int check_params(const struct pvh_image *img,
                        const struct pvh_boot_params *p, const char **why)
{
    if (p->ram_bytes & 0xFFF)
        return fail(why, "guest RAM size is not a page multiple", -XEN_EINVAL);
    if (p->ram_bytes > PVH_MAX_RAM)
        return fail(why, "guest RAM above 3.75 GiB is not supported",
                    -XEN_EINVAL);
    if (p->nr_special > PVH_MAX_SPECIAL)
        return fail(why, "too many special pages", -XEN_EINVAL);
    if (img->lo < PVH_BOOT_DATA_END)
        return fail(why, "kernel image overlaps the boot data below 16 KiB "
                    "past 1 MiB", -XEN_EINVAL);
    if (img->hi > p->ram_bytes)
        return fail(why, "kernel image ends beyond guest RAM", -XEN_ENOMEM);
    return 0;
}

static size_t str_len(const char *s, size_t max)
{
    size_t n = 0;

    while (s && n <= max && s[n])
        n++;
    return n;
}

/* Top of RAM below 4 GiB, clear of the image: Linux reserves the initrd
 * in place, and needs it (and its length) within 32 bits. */
static int place_initrd(const struct pvh_image *img,
                        const struct pvh_boot_params *p, uint64_t *gpa,
                        const char **why)
{
    uint64_t size = ((uint64_t)p->initrd_len + 0xFFF) & ~0xFFFull;

    if (size > p->ram_bytes || p->ram_bytes - size < img->hi)
        return fail(why, "initrd does not fit in guest RAM above the kernel",
                    -XEN_ENOMEM);
    *gpa = p->ram_bytes - size;
    return 0;
}

static int write_initrd(const struct pvh_image *img,
                        const struct pvh_boot_params *p,
                        const struct pvh_guest_mem *mem,
                        struct pvh_boot_plan *plan, const char **why)
{
    int rc;

    rc = place_initrd(img, p, &plan->initrd_gpa, why);
    if (rc)
        return rc;
    rc = mem->write(mem->ctx, plan->initrd_gpa, p->initrd, p->initrd_len);
    return rc ? fail(why, "cannot write the initrd into guest RAM", rc) : 0;
}

int pvh_boot_write(const struct pvh_image *img,
                   const struct pvh_boot_params *p,
                   const struct pvh_guest_mem *mem,
                   struct pvh_boot_plan *plan, const char **why)
{
    struct hvm_memmap_table_entry map[PVH_MEMMAP_MAX];
    struct hvm_start_info si = { 0 };
    struct pvh_boot_plan zero = { 0 };
    size_t clen = str_len(p->cmdline, PVH_CMDLINE_MAX);
    int rc;

    *plan = zero;
    rc = check_params(img, p, why);
    if (rc)
        return rc;
    if (clen >= PVH_CMDLINE_MAX)
        return fail(why, "command line longer than 2047 bytes", -XEN_E2BIG);
    if (p->initrd && p->initrd_len) {
        rc = write_initrd(img, p, mem, plan, why);
        if (rc)
            return rc;
        si.nr_modules = 1;
        si.modlist_paddr = PVH_MODLIST_GPA;
    }
    plan->memmap_entries = pvh_memmap(p, map);
    plan->entry = img->entry;
    plan->start_info_gpa = PVH_START_INFO_GPA;
    plan->special_gfn = p->ram_bytes >> 12;
    plan->rsdp_gpa = PVH_ACPI_BASE;

    si.magic = XEN_HVM_START_MAGIC_VALUE;
    si.version = 1;
    si.flags = p->flags;
    si.cmdline_paddr = PVH_CMDLINE_GPA;
    si.rsdp_paddr = plan->rsdp_gpa;
    si.memmap_paddr = PVH_MEMMAP_GPA;
    si.memmap_entries = plan->memmap_entries;

    rc = mem->zero(mem->ctx, PVH_START_INFO_GPA,
                   PVH_BOOT_DATA_END - PVH_START_INFO_GPA);
    if (!rc && clen)
        rc = mem->write(mem->ctx, PVH_CMDLINE_GPA, p->cmdline, clen);
    if (!rc)
        rc = mem->write(mem->ctx, PVH_MEMMAP_GPA, map,
                        plan->memmap_entries * sizeof(map[0]));
    if (!rc)
        rc = mem->write(mem->ctx, PVH_START_INFO_GPA, &si, sizeof(si));
    if (!rc && si.nr_modules) {
        struct hvm_modlist_entry mod = { plan->initrd_gpa, p->initrd_len, 0, 0 };
        rc = mem->write(mem->ctx, PVH_MODLIST_GPA, &mod, sizeof(mod));
    }
    return rc ? fail(why, "cannot write the boot data below 1 MiB + 16 KiB", rc)
              : 0;
}

void pvh_entry_state(const struct pvh_boot_plan *plan,
                     struct pvh_entry_state *st)
{
    st->rip = plan->entry;
    st->rbx = plan->start_info_gpa;
    st->rflags = 0x2;           /* reserved bit 1; IF=0 */
    st->cr0 = 0x11;             /* PE | ET, paging off */
    st->cr4 = 0;
    st->efer = 0;               /* as the guest sees it; SVME is the VMCB's */
    st->cs_sel = 0x08;
    st->ds_sel = 0x10;
    st->tr_sel = 0x18;
    st->cs_attr = 0xC9B;        /* code exec/read accessed, S, P, D, G */
    st->ds_attr = 0xC93;        /* data read/write accessed, S, P, D, G */
    st->tr_attr = 0x08B;        /* 32-bit busy TSS, P */
    st->seg_limit = 0xFFFFFFFFu;
    st->tr_limit = 0x67;
}
