/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's CPUID leaves, which is how a guest finds it is running
 * on Xen and what it offers. They start at XEN_CPUID_FIRST_LEAF
 * (0x40000000; a guest also probes 0x40000100, 0x40000200, ... in case a
 * viridian-style leaf block comes first). Offsets from the base:
 *   +0  EAX: highest leaf; EBX, ECX, EDX: "XenVMMXenVMM"
 *   +1  EAX: version, major << 16 | minor
 *   +2  EAX: number of hypercall pages (1); EBX: MSR to write the
 *       hypercall page's address to; ECX: XEN_CPUID_FEAT1_* bits
 *   +3  TSC information (sub-leaf 0: mode, frequency in kHz; 1: scale;
 *       2: host frequency)
 *   +4  HVM/PVH features: EAX XEN_HVM_CPUID_* bits, EBX the vCPU id and
 *       ECX the domain id when the matching *_PRESENT bit is set
 *   +5  PV features: EAX bits 0-7 the machine address width
 */
#ifndef XENLIKE_PUB_ARCH_X86_CPUID_H
#define XENLIKE_PUB_ARCH_X86_CPUID_H

#define XEN_CPUID_FIRST_LEAF 0x40000000
#define XEN_CPUID_LEAF(i)    (XEN_CPUID_FIRST_LEAF + (i))

/* "XenVMMXenVMM" as three little-endian registers. */
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4d
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566e

/* Leaf +2, ECX: MMU_PT_UPDATE_PRESERVE_AD works for this guest. */
#define _XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD 0
#define XEN_CPUID_FEAT1_MMU_PT_UPDATE_PRESERVE_AD  (1u << 0)

/* Leaf +4, EAX. */
#define XEN_HVM_CPUID_APIC_ACCESS_VIRT (1u << 0)  /* APIC register accesses virtualised */
#define XEN_HVM_CPUID_X2APIC_VIRT      (1u << 1)  /* x2APIC accesses virtualised */
#define XEN_HVM_CPUID_IOMMU_MAPPINGS   (1u << 2)  /* foreign mappings are in the IOMMU */
#define XEN_HVM_CPUID_VCPU_ID_PRESENT  (1u << 3)  /* EBX holds the vCPU id */
#define XEN_HVM_CPUID_DOMID_PRESENT    (1u << 4)  /* ECX holds the domain id */
#define XEN_HVM_CPUID_EXT_DEST_ID      (1u << 5)  /* 15-bit APIC destination ids in MSI/IOAPIC */
#define XEN_HVM_CPUID_UPCALL_VECTOR    (1u << 6)  /* per-vCPU upcall vectors work with PIRQs */

/* Leaf +5, EAX. */
#define XEN_CPUID_MACHINE_ADDRESS_WIDTH_MASK (0xffu << 0)

/* The leaf count as Xen 4.17 states it (kept for its value; see +5 above). */
#define XEN_CPUID_MAX_NUM_LEAVES 5

#endif
