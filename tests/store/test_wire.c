/* SPDX-License-Identifier: GPL-2.0-only */
/* The wire codec: error names, header checks, payload splitting, building. */
#include <errno.h>
#include "unit.h"
#include "wire.h"

TEST(errname_roundtrip_for_every_protocol_error)
{
    static const int errs[] = { EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC,
                                EIO, ENOTEMPTY, ENOSYS, EROFS, EBUSY, EAGAIN, EISCONN,
                                E2BIG, EPERM };

    for (unsigned i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
        CHECK_EQ(wire_errnum(wire_errname(errs[i])), errs[i]);
    CHECK_STR(wire_errname(ENOENT), "ENOENT");
    CHECK_STR(wire_errname(E2BIG), "E2BIG");
}

TEST(unknown_errno_and_name_map_to_einval)
{
    CHECK_STR(wire_errname(ENOTTY), "EINVAL");
    CHECK_EQ(wire_errnum("EQUOTA"), EINVAL);
    CHECK_EQ(wire_errnum(""), EINVAL);
}

TEST(header_payload_limit_is_4096)
{
    struct xsd_sockmsg h = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX };

    CHECK_EQ(wire_check_header(&h), 0);
    h.len = XENSTORE_PAYLOAD_MAX + 1;
    CHECK_EQ(wire_check_header(&h), E2BIG);
    h.len = 0xffffffffu;
    CHECK_EQ(wire_check_header(&h), E2BIG);
}

TEST(split_needs_trailing_nul)
{
    const char *argv[4];

    CHECK_EQ(wire_split("abc", 3, argv, 4), -1);
    CHECK_EQ(wire_split("", 0, argv, 4), -1);
    CHECK_EQ(wire_split("a\0b\0", 4, argv, 4), 2);
    CHECK_STR(argv[0], "a");
    CHECK_STR(argv[1], "b");
    CHECK_EQ(wire_split("\0", 1, argv, 4), 1);
    CHECK_STR(argv[0], "");
}

TEST(split_refuses_too_many_strings)
{
    const char *argv[2];

    CHECK_EQ(wire_split("a\0b\0c\0", 6, argv, 2), -1);
    CHECK_EQ(wire_count_strings("a\0b\0c", 5), 2);
}

TEST(build_and_error_messages)
{
    struct wire_msg *m = wire_build(XS_READ, 7, 3, "val", 3);
    struct xsd_sockmsg *h = wire_hdr(m);

    CHECK_EQ(h->type, XS_READ);
    CHECK_EQ(h->req_id, 7);
    CHECK_EQ(h->tx_id, 3);
    CHECK_EQ(h->len, 3);
    CHECK_EQ(m->len, 16 + 3);
    CHECK(m->is_reply);
    free(m);
    m = wire_build_error(9, 0, EACCES);
    h = wire_hdr(m);
    CHECK_EQ(h->type, XS_ERROR);
    CHECK_EQ(h->len, 7);
    CHECK(!memcmp(m->buf + 16, "EACCES", 7));
    free(m);
    m = wire_build(XS_WATCH_EVENT, 0, 0, "p\0t", 4);
    CHECK(!m->is_reply);
    free(m);
}
