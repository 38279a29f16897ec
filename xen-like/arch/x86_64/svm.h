/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SVM container for PVH vCPUs (svm_*): per-CPU SVM state, per-domain
 * nested paging kept in step with core's p2m, per-vCPU VMCB/registers/MSRs/
 * x2APIC, the exit handlers and event injection. Machine services come
 * through struct svm_host (filled in by svm_boot.c), which keeps this file
 * free of the boot code's internals. PVH hypercalls: svm_hcall.c.
 */
#ifndef ARCH_SVM_H
#define ARCH_SVM_H

#include <stdbool.h>
#include <stdint.h>
#include "domain.h"
#include "msr_policy.h"
#include "npt.h"
#include "svm_vmcb.h"
#include "vlapic.h"

#define SVM_NAME_MAX 32
#define SVM_MAX_VCPUS 8              /* per domain, for now */
#define SVM_MAX_DOMAINS 16           /* with SVM state at one time */
#define SVM_MAX_VCPUS_ALL (SVM_MAX_DOMAINS * SVM_MAX_VCPUS)

/* What the machine provides. */
struct svm_host {
    /* 2^order zeroed contiguous pages: machine address, or NPT_NO_PAGE. */
    uint64_t (*alloc_pages)(unsigned int order);
    void (*free_pages)(uint64_t maddr, unsigned int order);
    void *(*va)(uint64_t maddr);
    /* A guest's console bytes (one write; may lack a final newline). */
    void (*console)(const char *domain, const char *s, size_t n);
    uint64_t tsc_hz;             /* guest TSC = host TSC */
};
void svm_host_set(const struct svm_host *h);

/* Per physical CPU: EFER.SVME, the host save area, ASIDs. 0 or -XEN_ENODEV. */
int svm_cpu_init(unsigned int cpu);

struct svm_domain {
    struct domain *d;
    char name[SVM_NAME_MAX];
    struct npt npt;
    bool npt_stale;              /* rebuild before the next run (a p2m change
                                    too large to follow entry by entry) */
    uint64_t npt_gen;            /* bumped on every NPT change (TLB flush) */
    unsigned int nr_vcpus, vcpus_down;
    struct svm_vcpu *vcpus[SVM_MAX_VCPUS];   /* by vCPU id */
    /* Console input for a domain that reads it with CONSOLEIO_read (the
     * control domain: its hvc0 is console_io + VIRQ_CONSOLE, no ring). */
    char con_in[256];
    uint32_t con_in_prod, con_in_cons;
    /* XENMEM_memory_map's answer (the builder's map); 0 entries: -ENOSYS. */
    struct hvm_memmap_table_entry memmap[PVH_MEMMAP_MAX];
    unsigned int nr_memmap;
};

/* Exit classes counted per vCPU: where a guest's time in the hypervisor
 * goes (printed when the domain ends). */
enum svm_exit_kind {
    SVM_EXIT_K_INTR,             /* a physical interrupt (timer, IPI) */
    SVM_EXIT_K_HCALL,            /* VMMCALL */
    SVM_EXIT_K_MSR,              /* x2APIC and other intercepted MSRs */
    SVM_EXIT_K_NPF,              /* nested page fault (MMIO, missing entry) */
    SVM_EXIT_K_HLT,
    SVM_EXIT_K_IO,
    SVM_EXIT_K_OTHER,
    SVM_EXIT_KINDS
};

struct svm_vcpu {
    struct vcpu *v;
    struct svm_domain *sd;
    struct vmcb *vmcb;
    uint64_t vmcb_pa;
    struct svm_gprs gprs;
    struct msr_vcpu msr;
    struct vlapic lapic;
    struct svm_asid asid;
    uint64_t fpu_pa;             /* XSAVE area (4 KiB, standard format) */
    uint64_t xcr0;
    bool down;                   /* HLT with IF=0 */
    bool wait_sipi;              /* an AP before its STARTUP IPI */
    bool nmi_pending;
    bool blocked;                /* HLT: waiting for an event (the runner's) */
    uint64_t last_npf_gpa;       /* see exit_npf */
    uint64_t npt_gen_seen;       /* sd->npt_gen this vCPU's TLB reflects */
    uint64_t exits, hypercalls;
    uint64_t exits_by[SVM_EXIT_KINDS];  /* by enum svm_exit_kind */
    uint64_t nr_continued;       /* core hypercalls stopped to run again */
    bool in_hypercall;           /* core is running one of its hypercalls */
    bool continued;              /* ... and asked to continue it later */
};

enum svm_run {
    SVM_RUN_AGAIN,               /* handled: VMRUN again */
    SVM_RUN_BLOCKED,             /* HLT: wait for an event or the timer */
    SVM_RUN_PREEMPTED,           /* a physical interrupt is waiting */
    SVM_RUN_DEAD,                /* the domain is shut down or crashed */
};

/* The domain's NPT, built from its p2m. NULL (after a log line) on failure. */
struct svm_domain *svm_domain_create(struct domain *d, const char *name,
                                     unsigned long npt_max_tables);
/* What svm_domain_destroy gave back (for its log line). */
struct svm_freed {
    unsigned int vcpus;
    unsigned long pages;         /* VMCB + XSAVE page per vCPU, NPT tables */
    unsigned long npt_tables;
};
/* Free every vCPU's VMCB, XSAVE area and registration, the NPT and sd
 * itself. The domain's vCPUs must never run again; core's domain is not
 * touched (the caller drops its reference after). f may be NULL. */
void svm_domain_destroy(struct svm_domain *sd, struct svm_freed *f);
/* vCPU v starts at st (vCPU 0: the PVH entry); BSP if v->id == 0. Other
 * vCPUs wait for INIT/STARTUP from the BSP's x2APIC, as on a PC. */
struct svm_vcpu *svm_vcpu_create(struct svm_domain *sd, struct vcpu *v,
                                 const struct pvh_entry_state *st);

/* One VMRUN and the handling of its exit, on physical CPU cpu. */
enum svm_run svm_vcpu_run(struct svm_vcpu *s, unsigned int cpu);
/* A blocked vCPU has something to do (event, LAPIC vector, timer). */
bool svm_vcpu_runnable(struct svm_vcpu *s);

/* Refresh v's pvclock (and the domain's wallclock) in its vcpu_info. Guest
 * system time is the hypervisor's (env_now_ns), as in Xen, so core's vCPU
 * timer deadlines are in the guest's own time base. */
void svm_update_time(struct svm_vcpu *s);

/* The guest's paging state for guest_walk, and GVA copies (-XEN_EFAULT). */
int svm_copy_from_guest(struct svm_vcpu *s, void *dst, uint64_t gva, size_t n);
/* Brings one gfn of the NPT in line with the p2m (core reports each p2m
 * change through env_p2m_changed); every vCPU flushes before it runs. */
void svm_npt_sync(struct svm_domain *sd, uint64_t gfn);
int svm_copy_to_guest(struct svm_vcpu *s, uint64_t gva, const void *src,
                      size_t n);
/* The svm_vcpu of a core vCPU, or NULL (not an SVM vCPU). */
struct svm_vcpu *svm_vcpu_of(struct vcpu *v);

/* svm_hcall.c: a VMMCALL (or VMCALL) with the guest's registers. False
 * when the call is to be continued: leave RIP on the instruction. */
bool svm_hypercall(struct svm_vcpu *s);

/* Queue console input for sd's CONSOLEIO_read and raise VIRQ_CONSOLE;
 * false (the byte is dropped) when the buffer is full. */
bool svm_console_input(struct svm_domain *sd, char c);

/* Crash the domain: a log line naming it, the reason and where. */
void svm_crash(struct svm_vcpu *s, const char *why);

extern const struct svm_host *svm_host;

#endif
