/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device spec strings of xl.cfg: disk (xl-disk-configuration: positional
 * target,format,vdev,access or key=value) and vif (key=value list), parsed
 * and validated. Devices are not created yet; the toolstack checks them.
 */
#ifndef DOM0_SPEC_H
#define DOM0_SPEC_H

#include <stddef.h>

struct disk_spec {
    char target[256];
    char format[8];         /* raw, qcow, qcow2, vhd, qed */
    char vdev[16];          /* xvda, hdb, sdc, ... */
    char devtype[8];        /* disk, cdrom */
    char backendtype[8];    /* phy, qdisk, tap, or "" */
    int readonly;
};

struct vif_spec {
    unsigned char mac[6];
    int has_mac;
    char bridge[64];
    char ip[64];
    char type[8];           /* vif, ioemu */
    char vifname[32];
    char model[32];
    char script[128];
    char backend[64];
    char rate[64];
    unsigned int mtu;
};

/* 0, or -1 with the reason in why (the caller adds file:line). */
int spec_disk(const char *s, struct disk_spec *d, char *why, size_t why_len);
int spec_vif(const char *s, struct vif_spec *v, char *why, size_t why_len);

#endif
