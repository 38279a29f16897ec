/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Error and warning reporting for the toolstack library: every failure is
 * a sentence naming the step, never a bare number.
 */
#include <stdio.h>
#include <string.h>

#include "tk.h"
#include "errno.h"

static const struct { int code; const char *name, *text; } xen_errors[] = {
    { XEN_EPERM, "EPERM", "operation not permitted" },
    { XEN_ENOENT, "ENOENT", "no such entry" },
    { XEN_ESRCH, "ESRCH", "no such domain" },
    { XEN_EIO, "EIO", "I/O error" },
    { XEN_E2BIG, "E2BIG", "argument too large" },
    { XEN_ENOMEM, "ENOMEM", "out of memory" },
    { XEN_EACCES, "EACCES", "permission denied (or interface version mismatch)" },
    { XEN_EFAULT, "EFAULT", "bad address" },
    { XEN_EBUSY, "EBUSY", "busy" },
    { XEN_EEXIST, "EEXIST", "already exists" },
    { XEN_EINVAL, "EINVAL", "invalid argument" },
    { XEN_ENOSPC, "ENOSPC", "no space left" },
    { XEN_ENOSYS, "ENOSYS", "not implemented by this hypervisor" },
    { XEN_EAGAIN, "EAGAIN", "try again" },
    { XEN_EOPNOTSUPP, "EOPNOTSUPP", "not supported" },
};

static const char *err_text(long rc)
{
    for (unsigned int i = 0; i < sizeof(xen_errors) / sizeof(xen_errors[0]); i++)
        if (-rc == xen_errors[i].code)
            return xen_errors[i].text;
    return "unknown error";
}

const char *tk_errname(long rc)
{
    for (unsigned int i = 0; i < sizeof(xen_errors) / sizeof(xen_errors[0]); i++)
        if (-rc == xen_errors[i].code)
            return xen_errors[i].name;
    return "E?";
}

int tk_fail(struct tk *tk, const char *step, const char *fmt, ...)
{
    va_list ap;
    int n = snprintf(tk->err, sizeof(tk->err), "%s: ", step);

    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof(tk->err))
        vsnprintf(tk->err + n, sizeof(tk->err) - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

int tk_prefix(struct tk *tk, const char *fmt, ...)
{
    char old[sizeof(tk->err)];
    va_list ap;
    int n;

    memcpy(old, tk->err, sizeof(old));
    va_start(ap, fmt);
    n = vsnprintf(tk->err, sizeof(tk->err), fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 3 < sizeof(tk->err)) {
        size_t l = strnlen(old, sizeof(tk->err) - (size_t)n - 3);

        memcpy(tk->err + n, ": ", 2);
        memcpy(tk->err + n + 2, old, l);
        tk->err[n + 2 + l] = '\0';
    }
    return -1;
}

int tk_hvfail(struct tk *tk, const char *step, long rc)
{
    return tk_fail(tk, step, "hypervisor refused: %s (%s, %ld)", err_text(rc), tk_errname(rc),
                   rc);
}

void tk_warn(struct tk *tk, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (tk->warn)
        tk->warn(tk->warn_ctx, buf);
    else
        fprintf(stderr, "%s\n", buf);
}
