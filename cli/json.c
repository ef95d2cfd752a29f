/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.c - the JSON string writer. Its output is always valid JSON in valid UTF-8, whatever
 * the bytes: file names on Unix are bytes, and a CP932 name must not break a JSON Lines
 * consumer. Valid UTF-8 passes through unchanged (no \u escapes for non-ASCII).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "cli.h"

/* The length of the valid UTF-8 sequence at s[0..n), or 0 when s starts with an invalid one.
 * Strict as RFC 3629 has it: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return len;
}

void json_write_string(FILE *fp, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    putc('"', fp);
    while (i < len) {
        unsigned char c = p[i];
        size_t n = utf8_valid_len(p + i, len - i);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", fp); /* U+FFFD REPLACEMENT CHARACTER */
            i++;
            continue;
        }
        if (n > 1) {
            fwrite(p + i, 1, n, fp);
            i += n;
            continue;
        }
        switch (c) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\b':
            fputs("\\b", fp);
            break;
        case '\f':
            fputs("\\f", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            /* RFC 8259 requires escaping below U+0020; DEL is escaped too so that a report
             * shown on a terminal cannot carry control characters. */
            if (c < 0x20 || c == 0x7F)
                fprintf(fp, "\\u%04x", (unsigned)c);
            else
                putc(c, fp);
            break;
        }
        i++;
    }
    putc('"', fp);
}
