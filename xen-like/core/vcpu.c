/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vCPUs: pause nesting, online state (VCPUOP_up/down), the saved context
 * the toolstack sets and reads, and where the vcpu_info lives. Not here:
 * loading the context into hardware (arch/), scheduling (schedule.c).
 */
#include "domain.h"
#include "errno.h"
#include "mm.h"
#include "evtchn.h"
#include "schedule.h"
#include "sched.h"

#define PAGE_SIZE 4096

void vcpu_pause(struct vcpu *v)
{
    env_lock(&v->domain->lock);
    v->pause_count++;
    env_unlock(&v->domain->lock);
    schedule_vcpu_update(v);
}

void vcpu_unpause(struct vcpu *v)
{
    env_lock(&v->domain->lock);
    if (v->pause_count)
        v->pause_count--;
    env_unlock(&v->domain->lock);
    schedule_vcpu_update(v);
}

bool vcpu_may_run(struct vcpu *v)
{
    struct domain *d = v->domain;

    return v->is_up && !v->pause_count && !d->pause_count && !d->is_dying;
}

int vcpu_set_context(struct vcpu *v, const struct vcpu_guest_context *ctx)
{
    struct vcpu_guest_context *copy = NULL;

    if (ctx) {
        copy = env_zalloc(sizeof(*copy));
        if (!copy)
            return -XEN_ENOMEM;
        memcpy(copy, ctx, sizeof(*copy));
    }
    env_lock(&v->domain->lock);
    env_free(v->ctx);
    v->ctx = copy;
    /* No context = Xen's vcpu_reset: back to uninitialised and down. */
    v->is_initialised = copy != NULL;
    v->is_up = copy && (copy->flags & VGCF_online);
    env_unlock(&v->domain->lock);
    schedule_vcpu_update(v);
    return 0;
}

void vcpu_get_context(struct vcpu *v, struct vcpu_guest_context *ctx)
{
    env_lock(&v->domain->lock);
    if (v->ctx)
        memcpy(ctx, v->ctx, sizeof(*ctx));
    else
        memset(ctx, 0, sizeof(*ctx));
    if (v->is_up)
        ctx->flags |= VGCF_online;
    env_unlock(&v->domain->lock);
}

int vcpu_up(struct vcpu *v)
{
    env_lock(&v->domain->lock);
    if (!v->is_initialised) {
        env_unlock(&v->domain->lock);
        env_log(LOG_WARN, "d%u: VCPUOP_up: vCPU %u has no context", v->domain->domid, v->id);
        return -XEN_EINVAL;
    }
    v->is_up = true;
    env_unlock(&v->domain->lock);
    schedule_vcpu_update(v);
    return 0;
}

int vcpu_down(struct vcpu *v)
{
    struct domain *d = v->domain;
    bool others_up = false;

    env_lock(&d->lock);
    v->is_up = false;
    for (unsigned int i = 0; i < d->max_vcpus; i++)
        others_up |= d->vcpus[i]->is_up;
    env_unlock(&d->lock);
    schedule_vcpu_update(v);
    /* The last vCPU going down powers the domain off, as in Xen. */
    if (!others_up)
        domain_shutdown(d, SHUTDOWN_poweroff);
    return 0;
}

bool vcpu_is_up(struct vcpu *v)
{
    return __atomic_load_n(&v->is_up, __ATOMIC_RELAXED);
}

static int register_checks(struct vcpu *v, uint32_t offset)
{
    const char *why = NULL;

    if (offset > PAGE_SIZE - sizeof(struct vcpu_info))
        why = "vcpu_info would cross the page";
    else if (offset & (_Alignof(struct vcpu_info) - 1))
        why = "misaligned vcpu_info";
    else if (v->vcpu_info_mfn != MFN_INVALID)
        why = "already registered";
    if (!why)
        return 0;
    env_log(LOG_WARN, "d%u: VCPUOP_register_vcpu_info: vCPU %u: %s", v->domain->domid,
            v->id, why);
    return -XEN_EINVAL;
}

int vcpu_register_info(struct vcpu *v, uint64_t gfn, uint32_t offset)
{
    struct domain *d = v->domain;
    struct vcpu_info *new_info;
    mfn_t mfn;
    int rc;

    if (mm_get_gfn(d, gfn, true, &mfn)) {
        env_log(LOG_WARN, "d%u: VCPUOP_register_vcpu_info: gfn %#llx is not RAM", d->domid,
                (unsigned long long)gfn);
        return -XEN_EINVAL;
    }
    env_lock(&d->lock);
    rc = register_checks(v, offset);
    if (rc) {
        env_unlock(&d->lock);
        mm_put_frame(mfn);
        return rc;
    }
    new_info = (struct vcpu_info *)((char *)env_frame_va(mfn) + offset);
    if (v->vcpu_info)
        memcpy(new_info, v->vcpu_info, sizeof(*new_info));
    else
        memset(new_info, 0, sizeof(*new_info));
    /* Make the guest rescan everything: events may have moved under it. */
    __atomic_store_n(&new_info->evtchn_pending_sel, ~(xen_ulong_t)0, __ATOMIC_RELEASE);
    __atomic_store_n(&new_info->evtchn_upcall_pending, 1, __ATOMIC_RELEASE);
    v->vcpu_info = new_info;
    v->vcpu_info_mfn = mfn;
    env_unlock(&d->lock);
    env_vcpu_kick(v);
    return 0;
}

void vcpu_runstate_to_guest(struct vcpu *v)
{
    struct vcpu_runstate_info rs;
    guest_addr_t a = __atomic_load_n(&v->runstate_guest, __ATOMIC_RELAXED);

    if (!a || !v->sched)
        return;
    schedule_runstate(v, &rs);
    env_copy_to_guest(v, a, &rs, sizeof(rs));
}

void vcpu_register_runstate(struct vcpu *v, guest_addr_t addr)
{
    env_lock(&v->domain->lock);
    v->runstate_guest = addr;
    env_unlock(&v->domain->lock);
    vcpu_runstate_to_guest(v);
}

#define TIMER_MIN_PERIOD_NS 1000000ULL      /* Xen: at least 1 ms */
#define TIMER_FAR_NS        (1ULL << 50)    /* "about 13 days": a wrapped deadline */
#define TIMER_FALLBACK_NS   100000000ULL    /* Xen's answer to one: fire in 100 ms */

int vcpu_set_singleshot(struct vcpu *v, uint64_t deadline_ns, bool future_only)
{
    if (future_only && deadline_ns < env_now_ns())
        return -XEN_ETIME;
    env_lock(&v->domain->lock);
    v->singleshot_ns = deadline_ns ? deadline_ns : 1;
    env_unlock(&v->domain->lock);
    return 0;
}

void vcpu_stop_singleshot(struct vcpu *v)
{
    env_lock(&v->domain->lock);
    v->singleshot_ns = 0;
    env_unlock(&v->domain->lock);
}

int vcpu_set_periodic(struct vcpu *v, uint64_t period_ns)
{
    if (period_ns && (period_ns < TIMER_MIN_PERIOD_NS || period_ns > (uint64_t)INT64_MAX)) {
        env_log(LOG_WARN, "d%u: VCPUOP_set_periodic_timer: vCPU %u: period %llu ns out of range",
                v->domain->domid, v->id, (unsigned long long)period_ns);
        return -XEN_EINVAL;
    }
    env_lock(&v->domain->lock);
    v->periodic_ns = period_ns;
    env_unlock(&v->domain->lock);
    return 0;
}

void vcpu_set_timer_op(struct vcpu *v, int64_t timeout_ns)
{
    uint64_t now = env_now_ns();

    if (!timeout_ns) {
        vcpu_stop_singleshot(v);
        return;
    }
    /* Negative or absurdly far deadlines come from wrapped guest clocks. */
    if (timeout_ns < 0 || (((uint64_t)timeout_ns - now) >> 50) != 0)
        vcpu_set_singleshot(v, now + TIMER_FALLBACK_NS, false);
    else
        vcpu_set_singleshot(v, (uint64_t)timeout_ns, false);
}

static uint64_t periodic_due(struct vcpu *v)
{
    return v->periodic_ns ? v->periodic_last_ns + v->periodic_ns : 0;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return !a || (b && b < a) ? b : a;
}

uint64_t vcpu_timer_next(struct vcpu *v)
{
    uint64_t t;

    env_lock(&v->domain->lock);
    t = earliest(earliest(v->singleshot_ns, periodic_due(v)),
                 __atomic_load_n(&v->poll_deadline_ns, __ATOMIC_RELAXED));
    env_unlock(&v->domain->lock);
    return t;
}

void vcpu_timer_run(struct vcpu *v, uint64_t now)
{
    bool fire = false, poll_over;

    env_lock(&v->domain->lock);
    if (v->singleshot_ns && now >= v->singleshot_ns) {
        v->singleshot_ns = 0;
        fire = true;
    }
    if (v->periodic_ns && now >= periodic_due(v)) {
        v->periodic_last_ns = now;      /* missed periods collapse into one */
        fire = true;
    }
    poll_over = __atomic_load_n(&v->poll_deadline_ns, __ATOMIC_RELAXED) &&
                now >= __atomic_load_n(&v->poll_deadline_ns, __ATOMIC_RELAXED);
    env_unlock(&v->domain->lock);
    if (fire && v->domain->evtchn)
        evtchn_send_virq(v, VIRQ_TIMER);
    if (poll_over)
        schedule_wake(v);               /* the poll timed out */
}

static bool upcall_due(struct vcpu *v)
{
    struct vcpu_info *vi = v->vcpu_info;

    return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) &&
           !__atomic_load_n(&vi->evtchn_upcall_mask, __ATOMIC_ACQUIRE);
}

int vcpu_poll(struct vcpu *v, const uint32_t *ports, unsigned int n, uint64_t deadline_ns)
{
    int rc;

    if (upcall_due(v))
        return 0;                       /* Xen: events to deliver, no sleep */
    rc = evtchn_poll_begin(v, ports, n);
    if (rc) {
        if (rc > 0)
            evtchn_poll_end(v);
        return rc < 0 ? rc : 0;
    }
    __atomic_store_n(&v->poll_deadline_ns, deadline_ns, __ATOMIC_RELAXED);
    __atomic_store_n(&v->polling, true, __ATOMIC_SEQ_CST);
    schedule_sleep(v);
    /* A sender on another CPU may have cleared the mark and kicked while v
     * was still runnable: that kick woke nothing, so wake v ourselves. */
    if (!evtchn_poll_marked(v))
        schedule_wake(v);
    return 0;
}

void vcpu_poll_done(struct vcpu *v)
{
    if (!__atomic_exchange_n(&v->polling, false, __ATOMIC_SEQ_CST))
        return;
    /* Lock-free: the event path wakes us with evtchn locks held. */
    evtchn_poll_end(v);
    __atomic_store_n(&v->poll_deadline_ns, 0, __ATOMIC_RELAXED);
}

void vcpu_release(struct vcpu *v)
{
    mfn_t mfn;

    env_lock(&v->domain->lock);
    mfn = v->vcpu_info_mfn;
    v->vcpu_info_mfn = MFN_INVALID;
    if (mfn != MFN_INVALID)
        v->vcpu_info = NULL;
    env_unlock(&v->domain->lock);
    if (mfn != MFN_INVALID)
        mm_put_frame(mfn);
}
