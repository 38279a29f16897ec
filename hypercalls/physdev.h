/* SPDX-License-Identifier: MIT */
/*
 * HYPERVISOR_physdev_op(cmd, arg): a domain's dealings with physical
 * devices: physical IRQs (PIRQs) and their EOIs, I/O privilege, and the
 * control domain telling the hypervisor about PCI devices it found.
 * Delivery of PIRQs as events is in event_channel.h (EVTCHNOP_bind_pirq).
 */
#ifndef XENLIKE_PUB_PHYSDEV_H
#define XENLIKE_PUB_PHYSDEV_H

#include "xen.h"

/* PHYSDEVOP_eoi: end of interrupt for PIRQ irq. */
#define PHYSDEVOP_eoi 12
#ifndef __ASSEMBLY__
struct physdev_eoi {
    uint32_t irq;                   /* IN */
};
typedef struct physdev_eoi physdev_eoi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_eoi_t);
#endif

/*
 * PHYSDEVOP_pirq_eoi_gmfn_v1/_v2: register a page with one bit per PIRQ,
 * set while that PIRQ needs a PHYSDEVOP_eoi. With v1, PHYSDEVOP_eoi also
 * unmasks the PIRQ's event channel from then on; v2 leaves it alone.
 */
#define PHYSDEVOP_pirq_eoi_gmfn_v1 17
#define PHYSDEVOP_pirq_eoi_gmfn_v2 28
#define PHYSDEVOP_pirq_eoi_gmfn    PHYSDEVOP_pirq_eoi_gmfn_v2
#ifndef __ASSEMBLY__
struct physdev_pirq_eoi_gmfn {
    xen_pfn_t gmfn;                 /* IN */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pirq_eoi_gmfn_t);
#endif

/* PHYSDEVOP_irq_status_query: does PIRQ irq need an EOI, is it shared? */
#define PHYSDEVOP_irq_status_query 5
#ifndef __ASSEMBLY__
struct physdev_irq_status_query {
    uint32_t irq;                   /* IN */
    uint32_t flags;                 /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_status_query_t);
#endif
#define _XENIRQSTAT_needs_eoi (0)
#define XENIRQSTAT_needs_eoi  (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared    (1)
#define XENIRQSTAT_shared     (1U << _XENIRQSTAT_shared)

/* PHYSDEVOP_set_iopl: the I/O privilege level of the calling PV vCPU. */
#define PHYSDEVOP_set_iopl 6
#ifndef __ASSEMBLY__
struct physdev_set_iopl {
    uint32_t iopl;                  /* IN: 0..3 */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iopl_t);
#endif

/* PHYSDEVOP_set_iobitmap: a TSS-style I/O permission bitmap (PV). */
#define PHYSDEVOP_set_iobitmap 7
#ifndef __ASSEMBLY__
struct physdev_set_iobitmap {
    XEN_GUEST_HANDLE(uint8) bitmap; /* IN */
    uint32_t nr_ports;              /* IN */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;
DEFINE_XEN_GUEST_HANDLE(physdev_set_iobitmap_t);
#endif

/* PHYSDEVOP_apic_read / apic_write: an IOAPIC register (control domain). */
#define PHYSDEVOP_apic_read  8
#define PHYSDEVOP_apic_write 9
#ifndef __ASSEMBLY__
struct physdev_apic {
    unsigned long apic_physbase;    /* IN: which IOAPIC */
    uint32_t reg;                   /* IN */
    uint32_t value;                 /* IN (write) / OUT (read) */
};
typedef struct physdev_apic physdev_apic_t;
DEFINE_XEN_GUEST_HANDLE(physdev_apic_t);
#endif

/* PHYSDEVOP_alloc_irq_vector / free_irq_vector: a vector for a legacy IRQ. */
#define PHYSDEVOP_alloc_irq_vector 10
#define PHYSDEVOP_free_irq_vector  11
#ifndef __ASSEMBLY__
struct physdev_irq {
    uint32_t irq;                   /* IN */
    uint32_t vector;                /* OUT (alloc) / IN (free) */
};
typedef struct physdev_irq physdev_irq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_irq_t);
#endif

/* physdev_map_pirq.type */
#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3     /* MSI; bus carries the segment too */
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

/*
 * PHYSDEVOP_map_pirq: give domid a PIRQ for a GSI (index) or for an MSI
 * of PCI device bus/devfn (entry_nr vectors, MSI-X table at table_base).
 *   IN  everything but pirq; pirq: wanted number or -1 for any
 *   OUT pirq
 * PHYSDEVOP_unmap_pirq: take it back.
 */
#define PHYSDEVOP_map_pirq 13
#ifndef __ASSEMBLY__
struct physdev_map_pirq {
    domid_t  domid;
    int      type;                  /* MAP_PIRQ_TYPE_* */
    int      index;                 /* GSI for MAP_PIRQ_TYPE_GSI */
    int      pirq;
    int      bus;
    int      devfn;
    int      entry_nr;
    uint64_t table_base;
};
typedef struct physdev_map_pirq physdev_map_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_map_pirq_t);
#endif

#define PHYSDEVOP_unmap_pirq 14
#ifndef __ASSEMBLY__
struct physdev_unmap_pirq {
    domid_t domid;
    int     pirq;
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_unmap_pirq_t);
#endif

/* PHYSDEVOP_manage_pci_add / _remove: report a PCI device (segment 0). */
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
#ifndef __ASSEMBLY__
struct physdev_manage_pci {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_manage_pci physdev_manage_pci_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_t);
#endif

/* PHYSDEVOP_restore_msi: reprogram a device's MSI after a reset. */
#define PHYSDEVOP_restore_msi 19
#ifndef __ASSEMBLY__
struct physdev_restore_msi {
    uint8_t bus;
    uint8_t devfn;
};
typedef struct physdev_restore_msi physdev_restore_msi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_restore_msi_t);
#endif

/* PHYSDEVOP_manage_pci_add_ext: report an extended or virtual function. */
#define PHYSDEVOP_manage_pci_add_ext 20
#ifndef __ASSEMBLY__
struct physdev_manage_pci_ext {
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t is_extfn;
    uint32_t is_virtfn;
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;                       /* parent, for a virtual function */
};
typedef struct physdev_manage_pci_ext physdev_manage_pci_ext_t;
DEFINE_XEN_GUEST_HANDLE(physdev_manage_pci_ext_t);

/* Argument of the obsolete HYPERVISOR_physdev_op_compat. */
struct physdev_op {
    uint32_t cmd;
    union {
        physdev_irq_status_query_t irq_status_query;
        physdev_set_iopl_t         set_iopl;
        physdev_set_iobitmap_t     set_iobitmap;
        physdev_apic_t             apic_op;
        physdev_irq_t              irq_op;
    } u;
};
typedef struct physdev_op physdev_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_op_t);
#endif

/* PHYSDEVOP_setup_gsi: trigger mode and polarity of a GSI (from ACPI). */
#define PHYSDEVOP_setup_gsi 21
#ifndef __ASSEMBLY__
struct physdev_setup_gsi {
    int     gsi;
    uint8_t triggering;             /* 0 edge, 1 level */
    uint8_t polarity;               /* 0 high, 1 low */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;
DEFINE_XEN_GUEST_HANDLE(physdev_setup_gsi_t);
#endif

/* PHYSDEVOP_get_free_pirq: allocate an unused PIRQ number. */
#define PHYSDEVOP_get_free_pirq 23
#ifndef __ASSEMBLY__
struct physdev_get_free_pirq {
    int      type;                  /* IN: MAP_PIRQ_TYPE_* */
    uint32_t pirq;                  /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;
DEFINE_XEN_GUEST_HANDLE(physdev_get_free_pirq_t);
#endif

/* PHYSDEVOP_pci_mmcfg_reserved: an MMCONFIG area is (not) reserved. */
#define XEN_PCI_MMCFG_RESERVED       0x1
#define PHYSDEVOP_pci_mmcfg_reserved 24
#ifndef __ASSEMBLY__
struct physdev_pci_mmcfg_reserved {
    uint64_t address;
    uint16_t segment;
    uint8_t  start_bus;
    uint8_t  end_bus;
    uint32_t flags;                 /* XEN_PCI_MMCFG_RESERVED */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_mmcfg_reserved_t);
#endif

/*
 * PHYSDEVOP_pci_device_add: report a PCI device of any segment; optarr
 * carries the NUMA proximity domain when XEN_PCI_DEV_PXM is set.
 */
#define XEN_PCI_DEV_EXTFN  0x1
#define XEN_PCI_DEV_VIRTFN 0x2
#define XEN_PCI_DEV_PXM    0x4
#define PHYSDEVOP_pci_device_add 25
#ifndef __ASSEMBLY__
struct physdev_pci_device_add {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
    uint32_t flags;                 /* XEN_PCI_DEV_* */
    struct {
        uint8_t bus;
        uint8_t devfn;
    } physfn;
    uint32_t optarr[XEN_FLEX_ARRAY_DIM];
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_add_t);
#endif

/*
 * Operations on one PCI device named by physdev_pci_device: remove it,
 * restore its MSI state, prepare/release its MSI-X table.
 */
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31
#ifndef __ASSEMBLY__
struct physdev_pci_device {
    uint16_t seg;
    uint8_t  bus;
    uint8_t  devfn;
};
typedef struct physdev_pci_device physdev_pci_device_t;
DEFINE_XEN_GUEST_HANDLE(physdev_pci_device_t);
#endif

/* PHYSDEVOP_dbgp_op: a USB debug port is about to be / was reset. */
#define PHYSDEVOP_DBGP_RESET_PREPARE 1
#define PHYSDEVOP_DBGP_RESET_DONE    2
#define PHYSDEVOP_DBGP_BUS_UNKNOWN   0
#define PHYSDEVOP_DBGP_BUS_PCI       1
#define PHYSDEVOP_dbgp_op            29
#ifndef __ASSEMBLY__
struct physdev_dbgp_op {
    uint8_t op;                     /* PHYSDEVOP_DBGP_RESET_* */
    uint8_t bus;                    /* PHYSDEVOP_DBGP_BUS_* */
    union {
        physdev_pci_device_t pci;
    } u;
};
typedef struct physdev_dbgp_op physdev_dbgp_op_t;
DEFINE_XEN_GUEST_HANDLE(physdev_dbgp_op_t);
#endif

/* Obsolete: unmask notification through the compat hypercall. */
#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4

#endif
