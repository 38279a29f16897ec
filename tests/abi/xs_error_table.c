/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Prints io/xs_wire.h's xsd_errors table (the error names xenstore puts on
 * the wire and the errno values they map to). Built once against our
 * header and once against Xen's (-DAGAINST_XEN); abicheck.py requires the
 * two outputs to be identical.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#ifdef AGAINST_XEN
#include <xen/io/xs_wire.h>
#else
#include "io/xs_wire.h"
#endif

int main(void)
{
    size_t n = sizeof(xsd_errors) / sizeof(xsd_errors[0]);

    printf("%zu entries\n", n);
    for (size_t i = 0; i < n; i++)
        printf("%zu: %d %s\n", i, xsd_errors[i].errnum, xsd_errors[i].errstring);
    return 0;
}
