/* SPDX-License-Identifier: GPL-2.0-only */
/* Force-included when runtime/string.c is built for the host tests: its
 * functions get rt_ names so they do not replace the C library's. */
#define memcpy rt_memcpy
#define memset rt_memset
#define memmove rt_memmove
#define memcmp rt_memcmp
#define strlen rt_strlen
#define strnlen rt_strnlen
#define strcmp rt_strcmp
#define strncmp rt_strncmp
#define strchr rt_strchr
#define strlcpy rt_strlcpy
