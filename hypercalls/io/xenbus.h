/* SPDX-License-Identifier: MIT */
/*
 * The xenbus device states. Each end of a split device writes its state,
 * as a decimal number, to the "state" node of its own xenstore directory
 * and watches the other end's. The usual handshake:
 *   backend  InitWait      (its features are published)
 *   frontend Initialised   (ring-ref, event-channel published)
 *   backend  Connected  -> frontend Connected
 *   either   Closing -> Closed when the device goes away.
 */
#ifndef XENLIKE_PUB_IO_XENBUS_H
#define XENLIKE_PUB_IO_XENBUS_H

#ifndef __ASSEMBLY__
enum xenbus_state {
    XenbusStateUnknown      = 0,    /* no "state" node yet */
    XenbusStateInitialising = 1,    /* setting up */
    XenbusStateInitWait     = 2,    /* waiting for the peer's details */
    XenbusStateInitialised  = 3,    /* details published, waiting to connect */
    XenbusStateConnected    = 4,    /* the device works */
    XenbusStateClosing      = 5,    /* asked to shut down */
    XenbusStateClosed       = 6,    /* shut down; the device may be removed */
    XenbusStateReconfiguring = 7,   /* changing parameters (backend) */
    XenbusStateReconfigured = 8
};
typedef enum xenbus_state XenbusState;
#endif

#endif
