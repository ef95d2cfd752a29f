/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * text.c - a growable UTF-8 buffer whose every byte knows where it came from.
 *
 * Invariant: map has len + 1 valid entries once anything was reserved; map[len] is the offset
 * just past the last character, so a span [i, j) of the text came from [map[i], map[j]).
 * Offsets are relative to base and fit in 32 bits: a window never holds 4 GiB.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int pii_text_reserve(pii_text *t, size_t extra)
{
    if (extra > SIZE_MAX / 8 - t->len)
        return PIISCAN_ERR_NOMEM;
    size_t need = t->len + extra;
    if (t->map != NULL && need <= t->cap)
        return PIISCAN_OK;
    /* Doubling keeps appends amortised O(1); 256 avoids a string of tiny reallocations. */
    size_t cap = t->cap < 256 ? 256 : t->cap;
    while (cap < need)
        cap *= 2;
    char *data = realloc(t->data, cap);
    if (data == NULL)
        return PIISCAN_ERR_NOMEM;
    t->data = data;
    bool had_map = t->map != NULL;
    uint32_t *map = realloc(t->map, (cap + 1) * sizeof *map);
    if (map == NULL)
        return PIISCAN_ERR_NOMEM; /* data grew but cap did not: still consistent */
    t->map = map;
    if (!had_map)
        t->map[t->len] = 0;
    t->cap = cap;
    return PIISCAN_OK;
}

int pii_text_append(pii_text *t, const char *bytes, size_t n, uint32_t from, uint32_t next)
{
    int rc = pii_text_reserve(t, n);
    if (rc != PIISCAN_OK)
        return rc;
    if (n > 0)
        memcpy(t->data + t->len, bytes, n);
    for (size_t i = 0; i < n; i++)
        t->map[t->len + i] = from;
    t->len += n;
    t->map[t->len] = next;
    return PIISCAN_OK;
}

void pii_text_consume(pii_text *t, size_t n)
{
    if (n == 0 || t->map == NULL)
        return;
    if (n > t->len)
        n = t->len;
    uint32_t shift = t->map[n];
    size_t rest = t->len - n;
    memmove(t->data, t->data + n, rest);
    for (size_t i = 0; i <= rest; i++)
        t->map[i] = t->map[n + i] - shift;
    t->len = rest;
    t->base += shift;
}

void pii_text_clear(pii_text *t)
{
    t->len = 0;
    if (t->map != NULL)
        t->map[0] = 0;
}

void pii_text_free(pii_text *t)
{
    if (t == NULL)
        return;
    free(t->data);
    free(t->map);
    memset(t, 0, sizeof *t);
}

size_t pii_utf8_put(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    /* A surrogate or an out-of-range value cannot be written as UTF-8: say so visibly. */
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t pii_utf8_get(const char *s, size_t n, uint32_t *cp)
{
    /* One strict UTF-8 decoder serves both: the decoder's, at the end of input. */
    bool is_invalid;
    size_t used = pii_decode_char(NULL, PIISCAN_ENCODING_UTF8, (const unsigned char *)s, n, true,
                                  cp, &is_invalid);
    return is_invalid ? 1 : used;
}

/* Latin (ASCII and accented), Greek, Cyrillic, kana and kanji; also 々 and 〆. Not 〇, which
 * fills placeholders (〇〇様), nor ー alone, nor any sign. */
static bool is_letter(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x4FF) ||
           c == 0x3005 || c == 0x3006 || (c >= 0x3041 && c <= 0x3096) ||
           (c >= 0x30A1 && c <= 0x30FA) || (c >= 0x31F0 && c <= 0x31FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xFF66 && c <= 0xFF9D) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

bool pii_utf8_has_letter(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += pii_utf8_fast(s + i, n - i, &cp);
        if (is_letter(cp))
            return true;
    }
    return false;
}

/* The signs a redactor may mask with (piiscan_redact_options_set_mask_chars): the narrow
 * ones, and any wide character that is no letter, digit, space or the marks that repeat in
 * real text (ー 〃 ・ 、 。 〇). */
static bool is_mask_sign(uint32_t c)
{
    if (c < 0x80)
        return c != 0 && strchr("!#$%&*/<>?", (int)c) != NULL;
    if (c < 0x2000 || is_letter(c) || (c >= 0xFF10 && c <= 0xFF19))
        return false;
    return c != 0x3000 && c != 0x30FC && c != 0x3003 && c != 0x30FB && c != 0x3001 && c != 0x3002 &&
           c != 0x3007 && c != 0xFF70 && c != 0xFFFD;
}

bool pii_utf8_has_mask_run(const char *s, size_t n)
{
    uint32_t last = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += pii_utf8_fast(s + i, n - i, &cp);
        if (cp == last && is_mask_sign(cp))
            return true;
        last = cp;
    }
    return false;
}
