/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * disk= and vif= spec strings (see spec.h), with xl's keys and value sets.
 * Not here: creating the backends (devices come later).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

#define SPEC_MAX 1024

static int why_fail(char *why, size_t len, const char *msg, const char *arg)
{
    snprintf(why, len, msg, arg);
    return -1;
}

static int set_str(char *dst, size_t size, const char *val, const char *key, char *why,
                   size_t why_len)
{
    if (strlen(val) >= size) {
        snprintf(why, why_len, "%s value '%.40s' longer than %zu characters", key, val,
                 size - 1);
        return -1;
    }
    strcpy(dst, val);
    return 0;
}

static int one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (!strcmp(v, *set))
            return 1;
    return 0;
}

static const char *const formats[] = { "raw", "qcow", "qcow2", "vhd", "qed", NULL };
static const char *const accesses[] = { "r", "ro", "w", "rw", NULL };

/* xvd[a-z]+, hd[a-z], sd[a-z]+, with an optional partition number. */
static int is_vdev(const char *s)
{
    const char *p = s;

    if (!strncmp(s, "xvd", 3))
        p = s + 3;
    else if (!strncmp(s, "hd", 2) || !strncmp(s, "sd", 2))
        p = s + 2;
    else
        return 0;
    if (!islower((unsigned char)*p))
        return 0;
    while (islower((unsigned char)*p))
        p++;
    while (isdigit((unsigned char)*p))
        p++;
    return !*p && p - s < 16;
}

static int disk_key(struct disk_spec *d, const char *k, const char *v, char *why, size_t wl)
{
    if (!strcmp(k, "target"))
        return set_str(d->target, sizeof(d->target), v, k, why, wl);
    if (!strcmp(k, "format")) {
        if (!one_of(v, formats))
            return why_fail(why, wl, "format '%.40s' unknown (raw, qcow, qcow2, vhd, qed)", v);
        return set_str(d->format, sizeof(d->format), v, k, why, wl);
    }
    if (!strcmp(k, "vdev")) {
        if (!is_vdev(v))
            return why_fail(why, wl, "vdev '%.40s' is not a disk name (xvda, hda, sda...)", v);
        return set_str(d->vdev, sizeof(d->vdev), v, k, why, wl);
    }
    if (!strcmp(k, "access")) {
        if (!one_of(v, accesses))
            return why_fail(why, wl, "access '%.40s' unknown (r, ro, w, rw)", v);
        d->readonly = v[0] == 'r' && strcmp(v, "rw");
        return 0;
    }
    if (!strcmp(k, "devtype")) {
        if (strcmp(v, "disk") && strcmp(v, "cdrom"))
            return why_fail(why, wl, "devtype '%.40s' unknown (disk, cdrom)", v);
        return set_str(d->devtype, sizeof(d->devtype), v, k, why, wl);
    }
    if (!strcmp(k, "backendtype")) {
        if (strcmp(v, "phy") && strcmp(v, "qdisk") && strcmp(v, "tap"))
            return why_fail(why, wl, "backendtype '%.40s' unknown (phy, qdisk, tap)", v);
        return set_str(d->backendtype, sizeof(d->backendtype), v, k, why, wl);
    }
    return why_fail(why, wl, "unknown disk parameter '%.40s'", k);
}

/* A positional token is recognised by its form, as xl's lexer does. */
static int disk_positional(struct disk_spec *d, const char *t, char *why, size_t wl)
{
    if (one_of(t, formats) && !d->format[0])
        return disk_key(d, "format", t, why, wl);
    if (one_of(t, accesses))
        return disk_key(d, "access", t, why, wl);
    if (is_vdev(t) && !d->vdev[0])
        return disk_key(d, "vdev", t, why, wl);
    if (!strcmp(t, "cdrom") || !strcmp(t, "devtype=cdrom"))
        return disk_key(d, "devtype", "cdrom", why, wl);
    if (d->target[0])
        return why_fail(why, wl, "unexpected '%.40s' (target already given)", t);
    if (!strncmp(t, "phy:", 4) || !strncmp(t, "file:", 5)) {
        snprintf(d->backendtype, sizeof(d->backendtype), "%s", t[0] == 'p' ? "phy" : "qdisk");
        t = strchr(t, ':') + 1;
    }
    return disk_key(d, "target", t, why, wl);
}

typedef int token_fn(void *obj, char *tok, char *why, size_t wl);

static int split(const char *s, token_fn *fn, void *obj, char *why, size_t wl)
{
    char buf[SPEC_MAX + 1], *tok, *save = NULL;

    if (strlen(s) > SPEC_MAX)
        return why_fail(why, wl, "spec longer than %s characters", "1024");
    strcpy(buf, s);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        for (char *e = tok + strlen(tok); e > tok && e[-1] == ' ';)
            *--e = '\0';
        if (*tok && fn(obj, tok, why, wl))
            return -1;
    }
    return 0;
}

static int disk_token(void *obj, char *tok, char *why, size_t wl)
{
    char *eq = strchr(tok, '=');

    if (!eq)
        return disk_positional(obj, tok, why, wl);
    *eq = '\0';
    return disk_key(obj, tok, eq + 1, why, wl);
}

int spec_disk(const char *s, struct disk_spec *d, char *why, size_t why_len)
{
    memset(d, 0, sizeof(*d));
    strcpy(d->devtype, "disk");
    if (split(s, disk_token, d, why, why_len))
        return -1;
    if (!d->vdev[0])
        return why_fail(why, why_len, "disk '%.60s' names no vdev (e.g. xvda)", s);
    if (!d->target[0] && strcmp(d->devtype, "cdrom"))
        return why_fail(why, why_len, "disk '%.60s' has no target", s);
    if (!d->format[0])
        strcpy(d->format, "raw");
    return 0;
}

/* xx:xx:xx:xx:xx:xx; a multicast address cannot be a NIC's. */
static int parse_mac(const char *v, unsigned char mac[6], char *why, size_t wl)
{
    for (int i = 0; i < 6; i++) {
        if (!isxdigit((unsigned char)v[0]) || !isxdigit((unsigned char)v[1]) ||
            (i < 5 && v[2] != ':') || (i == 5 && v[2]))
            return why_fail(why, wl, "mac '%.40s' is not xx:xx:xx:xx:xx:xx", v - 3 * i);
        mac[i] = (unsigned char)strtoul((char[3]){ v[0], v[1], 0 }, NULL, 16);
        v += 3;
    }
    if (mac[0] & 1)
        return why_fail(why, wl, "mac %s is a multicast address", "given");
    return 0;
}

static int vif_token(void *obj, char *tok, char *why, size_t wl)
{
    struct vif_spec *v = obj;
    char *eq = strchr(tok, '='), *val;

    if (!eq)
        return why_fail(why, wl, "vif parameter '%.40s' is not key=value", tok);
    *eq = '\0';
    val = eq + 1;
    if (!strcmp(tok, "mac")) {
        v->has_mac = 1;
        return parse_mac(val, v->mac, why, wl);
    }
    if (!strcmp(tok, "type")) {
        if (strcmp(val, "vif") && strcmp(val, "ioemu"))
            return why_fail(why, wl, "vif type '%.40s' unknown (vif, ioemu)", val);
        return set_str(v->type, sizeof(v->type), val, tok, why, wl);
    }
    if (!strcmp(tok, "mtu")) {
        char *end;
        unsigned long m = strtoul(val, &end, 10);

        if (*end || !*val || m < 68 || m > 65535)
            return why_fail(why, wl, "mtu '%.40s' not a number in 68..65535", val);
        v->mtu = (unsigned int)m;
        return 0;
    }
#define STR_KEY(k) if (!strcmp(tok, #k)) return set_str(v->k, sizeof(v->k), val, #k, why, wl)
    STR_KEY(bridge);
    STR_KEY(ip);
    STR_KEY(vifname);
    STR_KEY(model);
    STR_KEY(script);
    STR_KEY(backend);
    STR_KEY(rate);
#undef STR_KEY
    return why_fail(why, wl, "unknown vif parameter '%.40s'", tok);
}

int spec_vif(const char *s, struct vif_spec *v, char *why, size_t why_len)
{
    memset(v, 0, sizeof(*v));
    strcpy(v->type, "vif");
    v->mtu = 1500;
    return split(s, vif_token, v, why, why_len);
}
