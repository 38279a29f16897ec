/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Domains: the domid table, creation with Xen 4.17's config checks, the
 * reference count that decides when a dying domain is freed, pause counts
 * and shutdown. Not here: memory (mm.c), scheduling (schedule.c), ports and
 * grants (evtchn.c, gnttab.c), domctl marshalling (domctl.c).
 */
#include "domain.h"
#include "domctl.h"
#include "errno.h"
#include "evtchn.h"
#include "gnttab.h"
#include "mm.h"
#include "schedule.h"

static struct domain *domtab[DOMID_FIRST_RESERVED];
static unsigned int nr_domains;
static domid_t domid_rover;
static struct env_lock domlist_lock = ENV_LOCK_INIT(LOCK_RANK_DOMLIST, "domlist");

#define EVTCHN_2L_MAX_PORTS 4096    /* 64 selector bits x 64 bits */
#define KNOWN_CDF (XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap | XEN_DOMCTL_CDF_s3_integrity | \
                   XEN_DOMCTL_CDF_oos_off | XEN_DOMCTL_CDF_xs_domain | \
                   XEN_DOMCTL_CDF_iommu | XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu)

/* Increment unless already zero: a domain at zero is being freed. */
static bool ref_if_live(struct domain *d)
{
    unsigned int old = __atomic_load_n(&d->refcnt, __ATOMIC_RELAXED);

    while (old) {
        if (__atomic_compare_exchange_n(&d->refcnt, &old, old + 1, false,
                                        __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
            return true;
    }
    return false;
}

static struct domain *lookup(domid_t domid, bool want_dying)
{
    struct domain *d;

    if (domid >= DOMID_FIRST_RESERVED)
        return NULL;
    env_lock(&domlist_lock);
    d = domtab[domid];
    if (d && ((!want_dying && d->is_dying) || !ref_if_live(d)))
        d = NULL;
    env_unlock(&domlist_lock);
    return d;
}

struct domain *domain_get(domid_t domid)
{
    return lookup(domid, false);
}

struct domain *domain_get_any(domid_t domid)
{
    return lookup(domid, true);
}

struct domain *domain_get_next(domid_t from)
{
    struct domain *d = NULL;

    env_lock(&domlist_lock);
    for (unsigned int id = from; id < DOMID_FIRST_RESERVED && !d; id++)
        if (domtab[id] && ref_if_live(domtab[id]))
            d = domtab[id];
    env_unlock(&domlist_lock);
    return d;
}

unsigned int domain_count(void)
{
    return __atomic_load_n(&nr_domains, __ATOMIC_RELAXED);
}

void domain_ref(struct domain *d)
{
    __atomic_add_fetch(&d->refcnt, 1, __ATOMIC_RELAXED);
}

static void vcpu_free(struct vcpu *v)
{
    schedule_vcpu_destroy(v);
    env_free(v->ctx);
    env_free(v);
}

/* Last reference gone: nothing else can reach d any more. */
static void domain_free(struct domain *d)
{
    env_lock(&domlist_lock);
    if (domtab[d->domid] == d) {
        domtab[d->domid] = NULL;
        nr_domains--;
    }
    env_unlock(&domlist_lock);
    gnttab_domain_free(d);
    evtchn_domain_free(d);
    for (unsigned int i = 0; d->vcpus && i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_free(d->vcpus[i]);
    env_free(d->vcpus);
    schedule_domain_destroy(d);
    mm_domain_free(d);
    env_log(LOG_INFO, "d%u: freed", d->domid);
    env_free(d);
}

void domain_put(struct domain *d)
{
    if (__atomic_sub_fetch(&d->refcnt, 1, __ATOMIC_ACQ_REL) == 0)
        domain_free(d);
}

int domain_alloc_domid(domid_t *out)
{
    int rc = -XEN_ENOMEM;

    env_lock(&domlist_lock);
    for (unsigned int n = 0; n < DOMID_FIRST_RESERVED - 1; n++) {
        domid_rover = (unsigned int)domid_rover + 1 >= DOMID_FIRST_RESERVED ? 1 : domid_rover + 1;
        if (!domtab[domid_rover]) {
            *out = domid_rover;
            rc = 0;
            break;
        }
    }
    env_unlock(&domlist_lock);
    return rc;
}

static int check_emulation(domid_t domid, const struct xen_domctl_createdomain *cfg,
                           bool privileged)
{
    uint32_t em = cfg->arch.emulation_flags;
    bool hvm = cfg->flags & XEN_DOMCTL_CDF_hvm;

    if (em & ~XEN_X86_EMU_ALL) {
        env_log(LOG_WARN, "d%u: createdomain: invalid emulation bitmap %#x", domid, em);
        return -XEN_EINVAL;
    }
    if (cfg->arch.misc_flags & ~XEN_X86_MSR_RELAXED) {
        env_log(LOG_WARN, "d%u: createdomain: invalid misc flags %#x", domid,
                cfg->arch.misc_flags);
        return -XEN_EINVAL;
    }
    if (hvm && privileged &&
        em != (XEN_X86_EMU_VPCI | XEN_X86_EMU_LAPIC | XEN_X86_EMU_IOAPIC) &&
        em != XEN_X86_EMU_LAPIC)
        goto bad;
    if (hvm && !privileged && em != (XEN_X86_EMU_ALL & ~XEN_X86_EMU_VPCI) &&
        em != XEN_X86_EMU_LAPIC)
        goto bad;
    if (!hvm && em != 0 && em != XEN_X86_EMU_PIT)
        goto bad;
    return 0;
bad:
    env_log(LOG_WARN, "d%u: createdomain: emulator selection %#x not allowed for %s domain",
            domid, em, hvm ? "an HVM" : "a PV");
    return -XEN_EOPNOTSUPP;
}

/* Xen 4.17's sanitise_domain_config + the grant-table limit checks. */
static int check_config(domid_t domid, const struct xen_domctl_createdomain *cfg,
                        bool privileged)
{
    const char *why = NULL;
    unsigned int gver = XEN_DOMCTL_GRANT_version(cfg->grant_opts);

    if (cfg->flags & ~KNOWN_CDF)
        why = "unknown CDF flags";
    else if (cfg->grant_opts & ~XEN_DOMCTL_GRANT_version_mask)
        why = "unknown grant options";
    else if (cfg->max_vcpus < 1 || cfg->max_vcpus > DOMAIN_MAX_VCPUS)
        why = "max_vcpus out of range";
    else if ((cfg->flags & XEN_DOMCTL_CDF_hap) && !(cfg->flags & XEN_DOMCTL_CDF_hvm))
        why = "HAP requested for a non-HVM guest";
    else if (cfg->flags & XEN_DOMCTL_CDF_iommu)
        why = "IOMMU requested but not available";
    else if (cfg->iommu_opts)
        why = "IOMMU options without an IOMMU";
    else if (cfg->flags & (XEN_DOMCTL_CDF_nested_virt | XEN_DOMCTL_CDF_vpmu |
                           XEN_DOMCTL_CDF_s3_integrity))
        why = "nested virt, vPMU and S3 integrity are not supported";
    else if (cfg->vmtrace_size)
        why = "vmtrace is not available";
    else if (gver != 1)
        why = "grant table version must be 1";
    else if (cfg->max_grant_frames == 0 || cfg->max_grant_frames > DOMAIN_DEFAULT_GNT_FRAMES)
        why = "max_grant_frames out of range";
    else if (cfg->max_maptrack_frames > DOMAIN_DEFAULT_MAPTRACK)
        why = "max_maptrack_frames out of range";
    if (why) {
        env_log(LOG_WARN, "d%u: createdomain: %s", domid, why);
        return -XEN_EINVAL;
    }
    if (cfg->cpupool_id) {
        env_log(LOG_WARN, "d%u: createdomain: no cpupool %u (only pool 0)", domid,
                cfg->cpupool_id);
        return -XEN_ESRCH;          /* Xen's cpupool_add_domain */
    }
    return check_emulation(domid, cfg, privileged);
}

static int vcpus_create(struct domain *d)
{
    d->vcpus = env_zalloc(sizeof(*d->vcpus) * d->max_vcpus);
    if (!d->vcpus)
        return -XEN_ENOMEM;
    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        struct vcpu *v = env_zalloc(sizeof(*v));

        if (!v)
            return -XEN_ENOMEM;
        v->domain = d;
        v->id = i;
        v->vcpu_info_mfn = MFN_INVALID;
        if (i < XEN_LEGACY_MAX_VCPUS)
            v->vcpu_info = &d->shared_info->vcpu_info[i];
        d->vcpus[i] = v;
        if (schedule_vcpu_init(v))
            return -XEN_ENOMEM;
    }
    return 0;
}

static void apply_config(struct domain *d, const struct xen_domctl_createdomain *cfg)
{
    d->cdf_flags = cfg->flags;
    d->ssidref = cfg->ssidref;
    d->emulation_flags = cfg->arch.emulation_flags;
    d->misc_flags = cfg->arch.misc_flags;
    d->max_vcpus = cfg->max_vcpus;
    d->max_evtchn_port = cfg->max_evtchn_port < EVTCHN_2L_MAX_PORTS - 1 ?
                         cfg->max_evtchn_port : EVTCHN_2L_MAX_PORTS - 1;
    d->max_grant_frames = cfg->max_grant_frames < 0 ? DOMAIN_DEFAULT_GNT_FRAMES
                                                    : (unsigned int)cfg->max_grant_frames;
    d->max_maptrack_frames = cfg->max_maptrack_frames < 0 ? DOMAIN_DEFAULT_MAPTRACK
                                                    : (unsigned int)cfg->max_maptrack_frames;
    memcpy(d->handle, cfg->handle, sizeof(d->handle));
    d->shutdown_code = DOMAIN_SHUTDOWN_CODE_INVALID;
    /* Born paused by the toolstack, as in Xen: it unpauses when built. */
    d->controller_pause_count = 1;
    d->pause_count = 1;
}

static int domain_init_parts(struct domain *d)
{
    int rc;

    if ((rc = mm_domain_init(d)) || (rc = schedule_domain_init(d)) ||
        (rc = vcpus_create(d)))
        return rc;
    if ((rc = evtchn_domain_init(d, d->max_evtchn_port + 1)))
        return rc;
    return gnttab_domain_init(d, d->max_grant_frames, d->max_maptrack_frames);
}

/* Undo whatever domain_init_parts managed; the frames' references free d. */
static void domain_release(struct domain *d)
{
    if (d->gnttab)
        gnttab_domain_destroy(d);
    if (d->evtchn)
        evtchn_domain_destroy(d);
    for (unsigned int i = 0; d->vcpus && i < d->max_vcpus; i++)
        if (d->vcpus[i])
            vcpu_release(d->vcpus[i]);
    mm_domain_relinquish(d);
}

static int domain_insert(struct domain *d)
{
    int rc = 0;

    env_lock(&domlist_lock);
    if (domtab[d->domid])
        rc = -XEN_EEXIST;
    else {
        domtab[d->domid] = d;
        nr_domains++;
        d->refcnt++;                /* the table's reference */
    }
    env_unlock(&domlist_lock);
    return rc;
}

int domain_create(domid_t domid, const struct xen_domctl_createdomain *cfg,
                  bool privileged, struct domain **out)
{
    struct domain *d;
    int rc;

    if (domid >= DOMID_FIRST_RESERVED) {
        env_log(LOG_WARN, "d%u: createdomain: reserved domid", domid);
        return -XEN_EINVAL;
    }
    if ((rc = check_config(domid, cfg, privileged)))
        return rc;
    d = env_zalloc(sizeof(*d));
    if (!d)
        return -XEN_ENOMEM;
    d->domid = domid;
    d->is_privileged = privileged;
    d->refcnt = 1;                  /* the caller's */
    d->shared_info_mfn = MFN_INVALID;
    env_lock_init(&d->lock, LOCK_RANK_DOMAIN, "domain");
    apply_config(d, cfg);
    rc = domain_init_parts(d);
    if (!rc)
        rc = domain_insert(d);
    if (rc)
        goto out_release;
    env_log(LOG_INFO, "d%u: created (%u vCPUs, flags %#x%s)", domid, d->max_vcpus,
            d->cdf_flags, privileged ? ", control domain" : "");
    *out = d;
    return 0;

out_release:
    env_log(LOG_WARN, "d%u: createdomain failed: %d", domid, rc);
    d->is_dying = true;
    domain_release(d);
    domain_put(d);
    return rc;
}

static void notify_dom_exc(void)
{
    struct domain *ctl = domain_get(0);

    if (!ctl)
        return;
    if (ctl->evtchn)
        evtchn_send_global_virq(ctl, VIRQ_DOM_EXC);
    domain_put(ctl);
}

int domain_kill(struct domain *d)
{
    env_lock(&d->lock);
    if (d->is_dying) {
        env_unlock(&d->lock);
        return 0;                   /* Xen: killing a dead domain succeeds */
    }
    d->is_dying = true;
    d->pause_count++;
    env_unlock(&d->lock);
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        schedule_vcpu_update(d->vcpus[i]);
    env_log(LOG_INFO, "d%u: destroyed; freed when the last reference goes", d->domid);
    domain_release(d);
    notify_dom_exc();
    domain_put(d);                  /* the table's reference */
    return 0;
}

static void update_all_vcpus(struct domain *d)
{
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        schedule_vcpu_update(d->vcpus[i]);
}

void domain_pause(struct domain *d)
{
    env_lock(&d->lock);
    d->pause_count++;
    env_unlock(&d->lock);
    update_all_vcpus(d);
}

void domain_unpause(struct domain *d)
{
    env_lock(&d->lock);
    if (d->pause_count)
        d->pause_count--;
    env_unlock(&d->lock);
    update_all_vcpus(d);
}

bool domain_is_paused(struct domain *d)
{
    return __atomic_load_n(&d->controller_pause_count, __ATOMIC_RELAXED) != 0;
}

int domain_pause_by_controller(struct domain *d)
{
    env_lock(&d->lock);
    if (d->controller_pause_count >= DOMAIN_MAX_CONTROLLER_PAUSE) {
        env_unlock(&d->lock);
        env_log(LOG_WARN, "d%u: pausedomain: controller pause count at its limit", d->domid);
        return -XEN_EOVERFLOW;
    }
    d->controller_pause_count++;
    d->pause_count++;
    env_unlock(&d->lock);
    update_all_vcpus(d);
    return 0;
}

int domain_unpause_by_controller(struct domain *d)
{
    env_lock(&d->lock);
    if (!d->controller_pause_count) {
        env_unlock(&d->lock);
        env_log(LOG_WARN, "d%u: unpausedomain: not paused by the controller", d->domid);
        return -XEN_EINVAL;
    }
    d->controller_pause_count--;
    d->pause_count--;
    if (!d->controller_pause_count)
        d->creation_finished = true;
    env_unlock(&d->lock);
    update_all_vcpus(d);
    return 0;
}

void domain_shutdown(struct domain *d, uint8_t reason)
{
    env_lock(&d->lock);
    if (d->is_shutting_down || d->is_dying) {
        env_unlock(&d->lock);
        return;                     /* the first reason sticks, as in Xen */
    }
    d->is_shutting_down = true;
    /* A code set earlier by SCHEDOP_shutdown_code wins, as in Xen. */
    if (d->shutdown_code == DOMAIN_SHUTDOWN_CODE_INVALID)
        d->shutdown_code = reason;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        d->vcpus[i]->pause_count++;
    env_unlock(&d->lock);
    update_all_vcpus(d);
    env_log(LOG_INFO, "d%u: shutdown, reason %u", d->domid, d->shutdown_code);
    notify_dom_exc();
}

static uint32_t dominf_flags(struct domain *d)
{
    uint32_t f = 0;
    bool running = false, all_blocked = true;

    for (unsigned int i = 0; i < d->max_vcpus; i++) {
        running |= schedule_vcpu_running(d->vcpus[i]);
        all_blocked &= !d->vcpus[i]->is_up || schedule_vcpu_blocked(d->vcpus[i]);
    }
    f |= d->is_dying ? XEN_DOMINF_dying : 0;
    f |= (d->cdf_flags & XEN_DOMCTL_CDF_hvm) ? XEN_DOMINF_hvm_guest : 0;
    f |= (d->cdf_flags & XEN_DOMCTL_CDF_hap) ? XEN_DOMINF_hap : 0;
    f |= (d->cdf_flags & XEN_DOMCTL_CDF_xs_domain) ? XEN_DOMINF_xs_domain : 0;
    f |= domain_is_paused(d) ? XEN_DOMINF_paused : 0;
    f |= running ? XEN_DOMINF_running : 0;
    f |= all_blocked ? XEN_DOMINF_blocked : 0;
    if (d->is_shutting_down)
        f |= XEN_DOMINF_shutdown |
             ((uint32_t)(d->shutdown_code & XEN_DOMINF_shutdownmask) << XEN_DOMINF_shutdownshift);
    return f;
}

void domain_getinfo(struct domain *d, struct xen_domctl_getdomaininfo *info)
{
    unsigned int online = 0;

    for (unsigned int i = 0; i < d->max_vcpus; i++)
        online += d->vcpus[i]->is_up;
    memset(info, 0, sizeof(*info));
    info->domain = d->domid;
    info->flags = dominf_flags(d);
    info->tot_pages = mm_tot_pages(d);
    info->max_pages = mm_max_pages(d);
    info->shared_info_frame = mm_shared_info_gfn(d);
    info->cpu_time = schedule_domain_runtime(d);
    info->nr_online_vcpus = online;
    info->max_vcpu_id = d->max_vcpus - 1;
    info->ssidref = d->ssidref;
    memcpy(info->handle, d->handle, sizeof(info->handle));
    info->gpaddr_bits = MM_GFN_BITS + 12;
    info->arch_config.emulation_flags = d->emulation_flags;
    info->arch_config.misc_flags = d->misc_flags;
}

void domain_set_handle(struct domain *d, const xen_domain_handle_t handle)
{
    env_lock(&d->lock);
    memcpy(d->handle, handle, sizeof(d->handle));
    env_unlock(&d->lock);
}

void domain_set_time_offset(struct domain *d, int64_t seconds)
{
    env_lock(&d->lock);
    d->time_offset_seconds = seconds;
    env_unlock(&d->lock);
}

int domain_hvm_param(struct domain *d, uint32_t index, uint64_t *value, bool set)
{
    if (index >= DOMAIN_NR_HVM_PARAMS)
        return -XEN_EINVAL;
    env_lock(&d->lock);
    if (set)
        d->hvm_params[index] = *value;
    else
        *value = d->hvm_params[index];
    env_unlock(&d->lock);
    return 0;
}

struct vcpu *domain_vcpu(struct domain *d, unsigned int id)
{
    return id < d->max_vcpus ? d->vcpus[id] : NULL;
}

void domain_resume(struct domain *d)
{
    env_lock(&d->lock);
    if (d->is_shutting_down) {
        for (unsigned int i = 0; i < d->max_vcpus; i++)
            d->vcpus[i]->pause_count--;     /* the pause domain_shutdown took */
    }
    d->is_shutting_down = false;
    d->shutdown_code = DOMAIN_SHUTDOWN_CODE_INVALID;
    env_unlock(&d->lock);
    update_all_vcpus(d);
}

void domain_set_shutdown_code(struct domain *d, uint8_t code)
{
    env_lock(&d->lock);
    if (d->shutdown_code == DOMAIN_SHUTDOWN_CODE_INVALID)
        d->shutdown_code = code;
    env_unlock(&d->lock);
}

int domain_set_max_vcpus(struct domain *d, unsigned int max)
{
    if (max != d->max_vcpus) {
        env_log(LOG_WARN, "d%u: max_vcpus: %u differs from the %u set at creation",
                d->domid, max, d->max_vcpus);
        return -XEN_EINVAL;
    }
    return 0;
}
