/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hex.c - a fingerprint as reports and config files write it: 32 hex digits. Read back by the
 * allow rules and by baselines, without the key or anything else of fingerprint.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool fingerprint_parse_hex(const char *hex, unsigned char out[PIISCAN_FINGERPRINT_BYTES])
{
    for (size_t i = 0; i < PIISCAN_FINGERPRINT_BYTES; i++) {
        int hi = hex_digit(hex[2 * i]);
        int lo = hi < 0 ? -1 : hex_digit(hex[2 * i + 1]);
        if (lo < 0)
            return false;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[FINGERPRINT_HEX_CHARS] == '\0';
}
