/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ACPI table discovery for the boot CPU: RSDP (from the loader or the BIOS
 * scan areas), RSDT/XSDT, then the MADT's enabled LAPIC and x2APIC entries.
 * Every table's length and checksum are checked before it is used, and all
 * memory is read through the caller's phys_read_fn.
 */
#include "acpi.h"
#include "printk.h"

#define TABLE_MAX (1u << 20)        /* no table we read is near this size */

struct acpi_header {
    char sig[4];
    uint32_t length;
    uint8_t revision, checksum;
    char oem[6], oem_table[8];
    uint32_t oem_rev, creator, creator_rev;
} __attribute__((packed));

struct rsdp {
    char sig[8];
    uint8_t checksum;
    char oem[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;
    uint64_t xsdt;
    uint8_t ext_checksum, reserved[3];
} __attribute__((packed));

static bool sum_ok(const void *p, size_t len)
{
    const uint8_t *b = p;
    uint8_t s = 0;

    while (len--)
        s += *b++;
    return s == 0;
}

static bool rsdp_ok(const struct rsdp *r)
{
    return !memcmp(r->sig, "RSD PTR ", 8) && sum_ok(r, 20);
}

static const struct rsdp *scan(phys_read_fn phys, uint64_t start, size_t len)
{
    for (uint64_t pa = start; pa + sizeof(struct rsdp) <= start + len; pa += 16) {
        const struct rsdp *r = phys(pa, sizeof(*r));
        if (r && rsdp_ok(r))
            return r;
    }
    return NULL;
}

static const struct rsdp *find_rsdp(const uint8_t *copy, phys_read_fn phys)
{
    const uint16_t *seg = phys(0x40e, 2);
    uint64_t ebda = seg ? (uint64_t)*seg << 4 : 0;
    const struct rsdp *r;

    if (copy && rsdp_ok((const void *)copy))
        return (const void *)copy;
    if (ebda >= 0x80000 && ebda < 0xa0000 && (r = scan(phys, ebda, 1024)))
        return r;
    return scan(phys, 0xe0000, 0x20000);
}

static const struct acpi_header *table(phys_read_fn phys, uint64_t pa, const char *sig)
{
    const struct acpi_header *h = pa ? phys(pa, sizeof(*h)) : NULL;

    if (!h || memcmp(h->sig, sig, 4))
        return NULL;
    if (h->length < sizeof(*h) || h->length > TABLE_MAX || !(h = phys(pa, h->length))) {
        pr_warn("acpi: %.4s at %#lx has a bad length\n", sig, (unsigned long)pa);
        return NULL;
    }
    if (!sum_ok(h, h->length)) {
        pr_warn("acpi: %.4s at %#lx has a bad checksum\n", sig, (unsigned long)pa);
        return NULL;
    }
    return h;
}

static const struct acpi_header *find_madt(const struct rsdp *r, phys_read_fn phys)
{
    bool x = r->revision >= 2 && r->xsdt;
    const struct acpi_header *root = x ? table(phys, r->xsdt, "XSDT") : table(phys, r->rsdt, "RSDT");
    size_t width = x ? 8 : 4, n;
    const uint8_t *ent;

    if (!root)
        return NULL;
    n = (root->length - sizeof(*root)) / width;
    ent = (const uint8_t *)(root + 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t pa = 0;
        const struct acpi_header *h;
        memcpy(&pa, ent + i * width, width);
        h = table(phys, pa, "APIC");
        if (h)
            return h;
    }
    return NULL;
}

static void add_cpu(struct acpi_cpus *out, uint32_t id, uint32_t flags)
{
    if (!(flags & 1))               /* not enabled */
        return;
    for (unsigned int i = 0; i < out->n; i++)
        if (out->apic_id[i] == id)
            return;
    if (out->n < ACPI_MAX_CPUS)
        out->apic_id[out->n++] = id;
}

int acpi_madt_cpus(const uint8_t *rsdp_copy, struct acpi_cpus *out, phys_read_fn phys)
{
    const struct rsdp *r = find_rsdp(rsdp_copy, phys);
    const struct acpi_header *madt;
    const uint8_t *p, *end;

    out->n = 0;
    if (!r) {
        pr_warn("acpi: no RSDP found\n");
        return -1;
    }
    madt = find_madt(r, phys);
    if (!madt || madt->length < sizeof(*madt) + 8) {
        pr_warn("acpi: no valid MADT\n");
        return -1;
    }
    memcpy(&out->lapic_base, (const uint8_t *)(madt + 1), 4);
    p = (const uint8_t *)(madt + 1) + 8;
    end = (const uint8_t *)madt + madt->length;
    for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
        uint32_t flags, id;
        if (p[0] == 0 && p[1] >= 8) {               /* processor local APIC */
            memcpy(&flags, p + 4, 4);
            add_cpu(out, p[3], flags);
        } else if (p[0] == 9 && p[1] >= 16) {       /* processor local x2APIC */
            memcpy(&id, p + 4, 4);
            memcpy(&flags, p + 8, 4);
            add_cpu(out, id, flags);
        }
    }
    if (!out->n)
        pr_warn("acpi: the MADT lists no enabled CPU\n");
    return out->n ? 0 : -1;
}
