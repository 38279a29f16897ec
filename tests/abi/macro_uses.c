/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Uses the macros that take types, pointers or lvalues (so cannot be
 * compared as constants) and prints what they did. Built once against our
 * headers and once against Xen's (-DAGAINST_XEN); abicheck.py requires the
 * two outputs to be identical.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef AGAINST_XEN
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>
#include <xen/io/console.h>
#else
#include "xen.h"
#include "grant_table.h"
#include "memory.h"
#include "io/console.h"
#endif

static void trap_bits(void)
{
    for (int dpl = 0; dpl < 4; dpl++) {
        for (int ifl = 0; ifl < 2; ifl++) {
            struct trap_info ti;
            int if_arg = ifl ? 7 : 0;   /* any non-zero value means "set" */

            memset(&ti, 0, sizeof(ti));
            TI_SET_DPL(&ti, dpl);
            TI_SET_IF(&ti, if_arg);
            printf("trap dpl=%d if=%d -> flags=%#x get_dpl=%d get_if=%d\n", dpl, ifl,
                   ti.flags, TI_GET_DPL(&ti), TI_GET_IF(&ti));
        }
    }
}

static void handles(void)
{
    static uint8_t buf[4];
    struct xenctl_bitmap map;
    XEN_GUEST_HANDLE(xen_pfn_t) pfns;
    XEN_GUEST_HANDLE_PARAM(void) any;
    xen_pfn_t frame;

    set_xen_guest_handle(map.bitmap, buf);
    set_xen_guest_handle_raw(pfns, &frame);
    set_xen_guest_handle(any, buf);
    printf("handles: bitmap %d pfns %d void %d; sizes %zu %zu %zu\n",
           map.bitmap.p == buf, pfns.p == &frame, any.p == (void *)buf,
           sizeof(XEN_GUEST_HANDLE_64(uint8)), sizeof(pfns), sizeof(any));
}

static void uuid(void)
{
    xen_uuid_t u = XEN_DEFINE_UUID(0x00112233, 0x4455, 0x6677, 0x8899,
                                   0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff);

    printf("uuid:");
    for (size_t i = 0; i < sizeof(u.a); i++)
        printf(" %02x", u.a[i]);
    printf("\n");
}

static void console_masks(void)
{
    struct xencons_interface c;

    printf("console masks: in %u out %u\n", (unsigned)MASK_XENCONS_IDX(1030u, c.in),
           (unsigned)MASK_XENCONS_IDX(5000u, c.out));
}

static void grant_messages(void)
{
    static const char *const msgs[] = GNTTABOP_error_msgs;

    printf("%zu grant status messages\n", sizeof(msgs) / sizeof(msgs[0]));
    for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
        printf("  GNTST %d: %s\n", -(int)i, msgs[i]);
}

int main(void)
{
    trap_bits();
    handles();
    uuid();
    console_masks();
    grant_messages();
    printf("cr3 %#lx pfn %#lx ioreq frame %d\n", (unsigned long)xen_pfn_to_cr3(0x12345),
           (unsigned long)xen_cr3_to_pfn(0x12345678UL), XENMEM_resource_ioreq_server_frame_ioreq(2));
    return 0;
}
