/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * width.c - how many columns a text takes on screen, for the column widths of the report
 * workbook. Japanese text is mostly full-width: a kanji, kana or full-width form takes two
 * columns, half-width katakana one. The rule follows what Japanese fonts draw rather than
 * Unicode's "ambiguous" class: Greek, Cyrillic, ①, ※, arrows and box drawing are two
 * columns wide in MS Gothic and Yu Gothic (CP932 holds them in two bytes). Accented Latin
 * letters are one column, combining marks and zero-width characters none. An invalid byte
 * counts one column (it shows as U+FFFD). A width a little too large only makes a column
 * roomier; one too small cuts off the text.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* The code point at s[0..n) and its length; UINT32_MAX and 1 for an invalid byte. */
static uint32_t decode(const unsigned char *s, size_t n, size_t *len)
{
    size_t k = utf8_valid_len(s, n);
    *len = k > 0 ? k : 1;
    if (k == 0)
        return UINT32_MAX;
    uint32_t cp = k == 1 ? s[0] : k == 2 ? s[0] & 0x1Fu : k == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;
    for (size_t i = 1; i < k; i++)
        cp = cp << 6 | (s[i] & 0x3Fu);
    return cp;
}

unsigned char_width(uint32_t cp)
{
    if (cp == UINT32_MAX)
        return 1;
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
        return 0; /* control characters */
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F) ||
        (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x3099 || cp == 0x309A || cp == 0xFEFF)
        return 0; /* combining marks (the combining dakuten too), zero-width, selectors */
    if (cp < 0x0300)
        return 1; /* ASCII, Latin-1 and the Latin extensions */
    if ((cp >= 0xFF61 && cp <= 0xFF9F) || (cp >= 0xFFE8 && cp <= 0xFFEE))
        return 1; /* half-width katakana and half-width forms: ｱｲｳ */
    if (cp == 0xFFFD)
        return 1;
    return 2;
}

size_t text_width(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t width = 0;
    for (size_t i = 0; i < len;) {
        size_t n;
        uint32_t cp = decode(p + i, len - i, &n);
        width += char_width(cp);
        i += n;
    }
    return width;
}
