/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Pure SVM set-up (svm_vmcb_*, svm_iopm_*, svm_event_*, svm_ioio_*,
 * svm_asid_*): the VMCB a PVH vCPU starts from, the I/O map, event and exit
 * encodings, ASID allocation. No privileged instructions here: VMRUN and
 * the exit loop live in svm.c, so this file is host-tested.
 */
#include "svm_vmcb.h"

_Static_assert(offsetof(struct vmcb, iopm_pa) == 0x040, "vmcb iopm");
_Static_assert(offsetof(struct vmcb, asid) == 0x058, "vmcb asid");
_Static_assert(offsetof(struct vmcb, vintr) == 0x060, "vmcb vintr");
_Static_assert(offsetof(struct vmcb, exit_code) == 0x070, "vmcb exitcode");
_Static_assert(offsetof(struct vmcb, np_ctl) == 0x090, "vmcb np");
_Static_assert(offsetof(struct vmcb, event_inj) == 0x0A8, "vmcb eventinj");
_Static_assert(offsetof(struct vmcb, n_cr3) == 0x0B0, "vmcb ncr3");
_Static_assert(offsetof(struct vmcb, next_rip) == 0x0C8, "vmcb nrip");
_Static_assert(offsetof(struct vmcb, es) == 0x400, "vmcb save");
_Static_assert(offsetof(struct vmcb, tr) == 0x490, "vmcb tr");
_Static_assert(offsetof(struct vmcb, cpl) == 0x4CB, "vmcb cpl");
_Static_assert(offsetof(struct vmcb, efer) == 0x4D0, "vmcb efer");
_Static_assert(offsetof(struct vmcb, cr4) == 0x548, "vmcb cr4");
_Static_assert(offsetof(struct vmcb, rflags) == 0x570, "vmcb rflags");
_Static_assert(offsetof(struct vmcb, rsp) == 0x5D8, "vmcb rsp");
_Static_assert(offsetof(struct vmcb, rax) == 0x5F8, "vmcb rax");
_Static_assert(offsetof(struct vmcb, kernel_gs_base) == 0x620, "vmcb kgs");
_Static_assert(offsetof(struct vmcb, cr2) == 0x640, "vmcb cr2");
_Static_assert(offsetof(struct vmcb, g_pat) == 0x668, "vmcb gpat");
_Static_assert(sizeof(struct vmcb) == 4096, "vmcb size");
/* svm_entry.S hard-codes these. */
_Static_assert(offsetof(struct svm_gprs, rsi) == 24, "gprs rsi");
_Static_assert(offsetof(struct svm_gprs, r8) == 48, "gprs r8");
_Static_assert(offsetof(struct svm_gprs, r15) == 104, "gprs r15");

#define PAT_POWER_ON  0x0007040600070406ull
#define LDT_ATTR      0x0082u           /* present, system type LDT */

static void seg(struct vmcb_seg *s, uint16_t sel, uint16_t attr,
                uint32_t limit)
{
    s->sel = sel;
    s->attr = attr;
    s->limit = limit;
    s->base = 0;
}

static void zero(void *p, size_t n)
{
    volatile uint8_t *b = p;   /* volatile: no memset call freestanding */

    while (n--)
        *b++ = 0;
}

/* Exits: everything that would reach hardware or SVM itself (I/O, MSRs,
 * VMRUN & co, INVD, task switches), CPUID and HLT to emulate, shutdown to
 * catch triple faults, #UD to turn VMCALL into a hypercall, physical
 * interrupts so the host keeps its CPU. CRs are not intercepted. */
static void intercepts(struct vmcb *v)
{
    v->icpt_exc = SVM_EXC_UD;
    v->icpt_misc1 = SVM_MISC1_INTR | SVM_MISC1_NMI | SVM_MISC1_SMI |
                    SVM_MISC1_INIT | SVM_MISC1_CPUID | SVM_MISC1_INVD |
                    SVM_MISC1_HLT | SVM_MISC1_INVLPGA | SVM_MISC1_IOIO |
                    SVM_MISC1_MSR | SVM_MISC1_TASKSW | SVM_MISC1_SHUTDOWN;
    v->icpt_misc2 = SVM_MISC2_VMRUN | SVM_MISC2_VMMCALL | SVM_MISC2_VMLOAD |
                    SVM_MISC2_VMSAVE | SVM_MISC2_STGI | SVM_MISC2_CLGI |
                    SVM_MISC2_SKINIT | SVM_MISC2_MONITOR | SVM_MISC2_MWAIT |
                    SVM_MISC2_XSETBV;
}

void svm_vmcb_init(struct vmcb *v, const struct pvh_entry_state *st,
                   uint64_t iopm_pa, uint64_t msrpm_pa, uint64_t n_cr3,
                   uint32_t asid, uint64_t vmcb_efer)
{
    zero(v, sizeof(*v));
    intercepts(v);
    v->iopm_pa = iopm_pa;
    v->msrpm_pa = msrpm_pa;
    v->asid = asid;
    v->tlb_ctl = SVM_TLB_FLUSH_ALL;
    v->vintr = SVM_VINTR_MASKING;       /* host IF gates physical IRQs */
    v->np_ctl = 1;
    v->n_cr3 = n_cr3;

    seg(&v->cs, st->cs_sel, st->cs_attr, st->seg_limit);
    seg(&v->ds, st->ds_sel, st->ds_attr, st->seg_limit);
    seg(&v->es, st->ds_sel, st->ds_attr, st->seg_limit);
    seg(&v->ss, st->ds_sel, st->ds_attr, st->seg_limit);
    seg(&v->fs, st->ds_sel, st->ds_attr, st->seg_limit);
    seg(&v->gs, st->ds_sel, st->ds_attr, st->seg_limit);
    seg(&v->tr, st->tr_sel, st->tr_attr, st->tr_limit);
    seg(&v->ldtr, 0, LDT_ATTR, 0xFFFF);
    seg(&v->gdtr, 0, 0, 0xFFFF);
    seg(&v->idtr, 0, 0, 0xFFFF);
    v->cpl = 0;
    v->efer = vmcb_efer;
    v->cr0 = st->cr0;
    v->cr4 = st->cr4;
    v->dr6 = 0xFFFF0FF0;
    v->dr7 = 0x400;
    v->rflags = st->rflags;
    v->rip = st->rip;
    v->g_pat = PAT_POWER_ON;
}

void svm_vmcb_sipi(struct vmcb *v, uint8_t vector)
{
    seg(&v->cs, (uint16_t)(vector << 8), 0x009B, 0xFFFF);    /* 16-bit code */
    v->cs.base = (uint64_t)vector << 12;
    seg(&v->ds, 0, 0x0093, 0xFFFF);
    seg(&v->es, 0, 0x0093, 0xFFFF);
    seg(&v->ss, 0, 0x0093, 0xFFFF);
    seg(&v->fs, 0, 0x0093, 0xFFFF);
    seg(&v->gs, 0, 0x0093, 0xFFFF);
    seg(&v->tr, 0, 0x008B, 0xFFFF);
    seg(&v->ldtr, 0, LDT_ATTR, 0xFFFF);
    seg(&v->gdtr, 0, 0, 0xFFFF);
    seg(&v->idtr, 0, 0, 0xFFFF);
    v->cpl = 0;
    v->cr0 = 0x10;                      /* ET; real mode, paging off */
    v->cr3 = 0;
    v->cr4 = 0;
    v->efer = 1ull << 12;               /* SVME: the guest sees 0 */
    v->rflags = 2;
    v->rip = 0;
    v->rsp = 0;
    v->rax = 0;
    v->dr6 = 0xFFFF0FF0;
    v->dr7 = 0x400;
    v->event_inj = 0;
    v->int_state = 0;
    v->tlb_ctl = SVM_TLB_FLUSH_ALL;
}

void svm_iopm_build(uint8_t *iopm, size_t len)
{
    while (len--)
        *iopm++ = 0xFF;
}

uint64_t svm_event_extint(uint8_t vector)
{
    return SVM_EVT_VALID | ((uint64_t)SVM_EVT_EXTINT << 8) | vector;
}

uint64_t svm_event_exception(uint8_t vector, bool has_err, uint32_t err)
{
    return SVM_EVT_VALID | ((uint64_t)SVM_EVT_EXC << 8) | vector |
           (has_err ? SVM_EVT_ERR_VALID | (uint64_t)err << 32 : 0);
}

void svm_ioio_decode(uint64_t info1, struct svm_ioio *io)
{
    io->in = info1 & 1;
    io->string = info1 & (1u << 2);
    io->rep = info1 & (1u << 3);
    io->size = info1 & (1u << 6) ? 4 : info1 & (1u << 5) ? 2 : 1;
    io->port = (uint16_t)(info1 >> 16);
}

const char *svm_exit_name(uint64_t code)
{
    switch (code) {
    case SVM_EXIT_UD: return "#UD";
    case SVM_EXIT_INTR: return "INTR";
    case SVM_EXIT_NMI: return "NMI";
    case SVM_EXIT_SMI: return "SMI";
    case SVM_EXIT_INIT: return "INIT";
    case SVM_EXIT_VINTR: return "VINTR";
    case SVM_EXIT_CPUID: return "CPUID";
    case SVM_EXIT_INVD: return "INVD";
    case SVM_EXIT_HLT: return "HLT";
    case SVM_EXIT_INVLPGA: return "INVLPGA";
    case SVM_EXIT_IOIO: return "IOIO";
    case SVM_EXIT_MSR: return "MSR";
    case SVM_EXIT_TASKSW: return "TASK_SWITCH";
    case SVM_EXIT_SHUTDOWN: return "SHUTDOWN";
    case SVM_EXIT_VMRUN: return "VMRUN";
    case SVM_EXIT_VMMCALL: return "VMMCALL";
    case SVM_EXIT_VMLOAD: return "VMLOAD";
    case SVM_EXIT_VMSAVE: return "VMSAVE";
    case SVM_EXIT_STGI: return "STGI";
    case SVM_EXIT_CLGI: return "CLGI";
    case SVM_EXIT_SKINIT: return "SKINIT";
    case SVM_EXIT_MONITOR: return "MONITOR";
    case SVM_EXIT_MWAIT: return "MWAIT";
    case SVM_EXIT_XSETBV: return "XSETBV";
    case SVM_EXIT_NPF: return "NPF";
    case SVM_EXIT_INVALID: return "INVALID";
    }
    return "?";
}

void svm_asid_space_init(struct svm_asid_space *s, uint32_t nr_asids)
{
    s->next = 1;                        /* ASID 0 is the host's */
    s->max = nr_asids < 2 ? 2 : nr_asids;   /* SVM guarantees >= 2 */
    s->generation = 1;
}

bool svm_asid_assign(struct svm_asid_space *s, struct svm_asid *a)
{
    bool flush = false;

    if (a->asid && a->generation == s->generation)
        return false;
    if (s->next >= s->max) {
        /* Out of ASIDs: start a generation; every vCPU re-assigns. */
        s->generation++;
        s->next = 1;
        flush = true;
    }
    a->asid = s->next++;
    a->generation = s->generation;
    return flush;
}
