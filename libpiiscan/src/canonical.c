/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * canonical.c - one spelling per value: the form that keyed fingerprints and redaction
 * tokens are computed from, so that the same person gives the same key however an export
 * typed the value (full width, half-width kana, +81, kanji numerals, 丁目 or a hyphen).
 *
 * Invariant: two spellings of one value that the rules below name give byte-identical output;
 * the output depends on the text alone (no options, no state), so every tool that links the
 * library computes the same keys. Width folding is normalize.c's, place names are the trie's.
 * Leaves out: telling that two different values are one person (that is linking, in the CLI),
 * spelling variants of kanji (斉藤/斎藤, 髙/高), and romaji name order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Decoded characters are handled as code points here; a value is short (one field). */
typedef struct cps {
    uint32_t *v;
    size_t len;
    size_t cap;
} cps;

static int cps_push(cps *c, uint32_t cp)
{
    if (c->len == c->cap) {
        size_t cap = c->cap < 64 ? 64 : c->cap * 2;
        uint32_t *v = realloc(c->v, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ERR_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->len++] = cp;
    return PIISCAN_OK;
}

static int put_cp(pii_bytes *out, uint32_t cp)
{
    char u[4];
    return pii_bytes_put(out, u, pii_utf8_put(cp, u));
}

static bool is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000;
}

/* ------------------------------------------------------------------------------------------ */
/* Numbers: phone, postal code, My Number, card                                                */

static bool is_number_type(piiscan_type type)
{
    return type == PIISCAN_TYPE_PHONE || type == PIISCAN_TYPE_POSTAL_CODE ||
           type == PIISCAN_TYPE_MY_NUMBER || type == PIISCAN_TYPE_CREDIT_CARD;
}

static int canonical_number(piiscan_type type, const char *s, size_t n, pii_bytes *out)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    bool is_plus = i < n && s[i] == '+';
    for (size_t k = 0; k < n; k++) {
        int rc = is_digit((unsigned char)s[k]) ? pii_bytes_put(out, &s[k], 1) : PIISCAN_OK;
        if (rc != PIISCAN_OK)
            return rc;
    }
    /* +81 90-1234-5678 is 090-1234-5678: the national form, with the trunk 0. */
    if (type == PIISCAN_TYPE_PHONE && is_plus && out->len >= 2 && memcmp(out->data, "81", 2) == 0) {
        out->data[0] = '0';
        memmove(out->data + 1, out->data + 2, out->len - 2);
        out->len--;
    }
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Names and e-mail addresses                                                                  */

static bool ends_with(const cps *c, const char *utf8_word, size_t *chars)
{
    uint32_t w[4];
    size_t n = 0;
    for (size_t i = 0, len = strlen(utf8_word); i < len && n < 4; n++)
        i += pii_utf8_get(utf8_word + i, len - i, &w[n]);
    *chars = n;
    if (c->len < n)
        return false;
    for (size_t k = 0; k < n; k++) {
        if (c->v[c->len - n + k] != w[k])
            return false;
    }
    return true;
}

/* Name: widths folded (normalize.c), spaces and the middle dot of foreign names removed,
 * hiragana as katakana (a reading typed either way), romaji in lower case, and an honorific
 * left by a name column (山田太郎 様) removed. A kanji form and its reading stay two values. */
static int canonical_name(const char *s, size_t n, pii_bytes *out)
{
    cps c = {0};
    int rc = PIISCAN_OK;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += pii_utf8_get(s + i, n - i, &cp);
        if (is_space(cp) || cp == 0x30FB)
            continue;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        if (cp >= 0x3041 && cp <= 0x3096)
            cp += 0x60;
        if ((rc = cps_push(&c, cp)) != PIISCAN_OK)
            goto done;
    }
    static const char *const honorifics[] = {"様", "殿", "サマ", "サン"};
    for (size_t h = 0; h < sizeof honorifics / sizeof honorifics[0]; h++) {
        size_t k;
        if (ends_with(&c, honorifics[h], &k) && c.len >= k + 2) {
            c.len -= k;
            break;
        }
    }
    for (size_t i = 0; i < c.len && rc == PIISCAN_OK; i++)
        rc = put_cp(out, c.v[i]);
done:
    free(c.v);
    return rc;
}

static int canonical_email(const char *s, size_t n, pii_bytes *out)
{
    for (size_t k = 0; k < n; k++) {
        char ch = s[k];
        if (ch == ' ' || ch == '\t')
            continue;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        int rc = pii_bytes_put(out, &ch, 1);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Addresses                                                                                   */

/* 〇一二三四五六七八九 as 0-9; 十百千 as 10, 100, 1000; -1 for anything else. */
static int kanji_numeral(uint32_t cp)
{
    static const uint32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                      0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int d = 0; d < 10; d++) {
        if (cp == digits[d])
            return d;
    }
    if (cp == 0x5341)
        return 10;
    if (cp == 0x767E)
        return 100;
    if (cp == 0x5343)
        return 1000;
    return -1;
}

static bool matches_at(const cps *c, size_t i, const char *utf8_word)
{
    for (size_t k = 0, len = strlen(utf8_word); k < len; i++) {
        uint32_t w;
        k += pii_utf8_get(utf8_word + k, len - k, &w);
        if (i >= c->len || c->v[i] != w)
            return false;
    }
    return true;
}

/* The unit words that follow a number in an address. Town units (条 線 地割 番町) name a
 * part of the town itself (北十条西, 二番町); block units (丁目 番地 番 号) start the block. */
static bool is_town_unit_at(const cps *c, size_t i)
{
    return matches_at(c, i, "条") || matches_at(c, i, "線") || matches_at(c, i, "地割") ||
           matches_at(c, i, "番町");
}

static bool is_block_unit_at(const cps *c, size_t i)
{
    return matches_at(c, i, "丁目") || matches_at(c, i, "番") || matches_at(c, i, "号");
}

/* Whether a block unit (番地 番 号 丁目) ends just before i: 百二十三番地の四. */
static bool is_block_unit_end(const cps *c, size_t i)
{
    return (i >= 2 && matches_at(c, i - 2, "番地")) || (i >= 1 && matches_at(c, i - 1, "番")) ||
           (i >= 1 && matches_at(c, i - 1, "号")) || (i >= 2 && matches_at(c, i - 2, "丁目"));
}

/* The value of the kanji numeral run c[s..e): 二十三 = 23, 百二 = 102, 一〇一 = 101. */
static uint32_t numeral_value(const cps *c, size_t s, size_t e)
{
    uint32_t total = 0;
    uint32_t cur = 0;
    bool has_cur = false;
    for (size_t i = s; i < e; i++) {
        int v = kanji_numeral(c->v[i]);
        if (v < 10) {
            cur = cur * 10 + (uint32_t)v; /* positional: 一〇一 */
            has_cur = true;
            continue;
        }
        total += (has_cur ? cur : 1) * (uint32_t)v;
        cur = 0;
        has_cur = false;
    }
    return total + cur;
}

/* Kanji numerals that are numbers of the address (before a unit word, a hyphen or の and a
 * number; after a hyphen, a digit or a block unit: 七五番地二十一) become ASCII digits; those
 * inside place names (六本木, 八丁堀, 三鷹) stay, since nothing there is ever written in digits. */
static int fold_numerals(const cps *in, cps *out)
{
    for (size_t i = 0; i < in->len;) {
        if (kanji_numeral(in->v[i]) < 0) {
            int rc = cps_push(out, in->v[i++]);
            if (rc != PIISCAN_OK)
                return rc;
            continue;
        }
        size_t e = i;
        while (e < in->len && kanji_numeral(in->v[e]) >= 0)
            e++;
        bool is_no = e + 1 < in->len && (in->v[e] == 0x306E || in->v[e] == 0x30CE) &&
                     (is_digit(in->v[e + 1]) || kanji_numeral(in->v[e + 1]) >= 0);
        bool is_number = is_town_unit_at(in, e) || is_block_unit_at(in, e) ||
                         (e < in->len && (in->v[e] == '-' || is_digit(in->v[e]))) || is_no ||
                         (i > 0 && (in->v[i - 1] == '-' || is_digit(in->v[i - 1]))) ||
                         is_block_unit_end(in, i) ||
                         (i > 1 && (in->v[i - 1] == 0x306E || in->v[i - 1] == 0x30CE) &&
                          (is_digit(in->v[i - 2]) || is_block_unit_end(in, i - 1)));
        if (!is_number) {
            for (; i < e; i++) {
                int rc = cps_push(out, in->v[i]);
                if (rc != PIISCAN_OK)
                    return rc;
            }
            continue;
        }
        char digits[16];
        int n = snprintf(digits, sizeof digits, "%u", numeral_value(in, i, e));
        for (int k = 0; k < n; k++) {
            int rc = cps_push(out, (uint32_t)digits[k]);
            if (rc != PIISCAN_OK)
                return rc;
        }
        i = e;
    }
    return PIISCAN_OK;
}

/* Where the prefecture ends when a municipality or county follows it (UTF-8 offset), else 0. */
static size_t droppable_prefecture(const char *s, size_t n)
{
    if (n == 0 || !pii_trie_may_start(s, n, 0, PII_LEX_PREFECTURE))
        return 0;
    pii_trie_match m[24];
    size_t k = pii_trie_prefixes(s, n, 0, m, 24);
    size_t pref = 0;
    for (size_t i = 0; i < k; i++) {
        if (m[i].kinds & PII_LEX_PREFECTURE)
            pref = m[i].end;
    }
    if (pref == 0 || pref >= n ||
        !pii_trie_may_start(s, n, pref, PII_LEX_MUNICIPALITY | PII_LEX_COUNTY))
        return 0;
    k = pii_trie_prefixes(s, n, pref, m, 24);
    for (size_t i = 0; i < k; i++) {
        if (m[i].kinds & (PII_LEX_MUNICIPALITY | PII_LEX_COUNTY))
            return pref;
    }
    return 0;
}

/* The length of a postal code (123-4567, 1234567) that starts an address, else 0: it is a
 * value of its own, and one export writes it before the address, another in a column. */
static size_t leading_postal_code(const char *s, size_t n)
{
    size_t e = 0;
    size_t digits = 0;
    while (e < n && (is_digit((unsigned char)s[e]) || (s[e] == '-' && e == 3))) {
        digits += s[e] != '-';
        e++;
    }
    return digits == 7 && e < n ? e : 0;
}

/* Address: municipality, town and block numbers. Widths folded, spaces removed, ヶ/ヵ as
 * ケ/カ, kanji numerals of numbers as digits; from the first number that is not part of the
 * town's name (北10条 is) on, only the numbers are kept, joined by '-': 一丁目二番三号,
 * 1丁目2-3, 1-2-3 and 1-2-3 コーポ森 101号室 give 1-2-3 (and -101). The prefecture is
 * left out when a municipality follows it: split exports put it in a column of its own that
 * is not reported (a prefecture alone identifies no one), and 渋谷区神宮前1-2-3 must be the
 * key of 東京都渋谷区神宮前1-2-3 too. A building's name is left out (コーポ森, ｺｰﾎﾟ森, 森コーポ
 * are typed every way); its room number is kept, so two flats of one building stay two. */
static int canonical_address(const char *s, size_t n, pii_bytes *out)
{
    cps raw = {0};
    cps c = {0};
    pii_bytes tmp = {0};
    int rc = PIISCAN_OK;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += pii_utf8_get(s + i, n - i, &cp);
        if (is_space(cp) || cp == 0x3012) /* 〒 */
            continue;
        if (cp == 0x30F6) /* ヶ */
            cp = 0x30B1;
        else if (cp == 0x30F5) /* ヵ */
            cp = 0x30AB;
        if ((rc = put_cp(&tmp, cp)) != PIISCAN_OK)
            goto done;
    }
    size_t skip = leading_postal_code((const char *)tmp.data, tmp.len);
    skip += droppable_prefecture((const char *)tmp.data + skip, tmp.len - skip);
    for (size_t i = skip; i < tmp.len;) {
        uint32_t cp;
        i += pii_utf8_get((const char *)tmp.data + i, tmp.len - i, &cp);
        if ((rc = cps_push(&raw, cp)) != PIISCAN_OK)
            goto done;
    }
    if ((rc = fold_numerals(&raw, &c)) != PIISCAN_OK)
        goto done;
    /* The block starts at the first run of digits that no town unit follows. */
    size_t block = c.len;
    for (size_t i = 0; i < c.len; i++) {
        if (!is_digit(c.v[i]) || (i > 0 && is_digit(c.v[i - 1])))
            continue;
        size_t e = i;
        while (e < c.len && is_digit(c.v[e]))
            e++;
        if (!is_town_unit_at(&c, e)) {
            block = i;
            break;
        }
        i = e;
    }
    for (size_t i = 0; i < block && rc == PIISCAN_OK; i++)
        rc = put_cp(out, c.v[i]);
    bool is_first = true;
    for (size_t i = block; i < c.len && rc == PIISCAN_OK;) {
        if (!is_digit(c.v[i])) {
            i++;
            continue;
        }
        if (!is_first)
            rc = pii_bytes_put(out, "-", 1);
        is_first = false;
        for (; i < c.len && is_digit(c.v[i]) && rc == PIISCAN_OK; i++)
            rc = put_cp(out, c.v[i]);
    }
done:
    free(raw.v);
    free(c.v);
    pii_bytes_free(&tmp);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */

int pii_canonical(piiscan_type type, const char *text, size_t len, pii_text *scratch,
                  pii_bytes *out)
{
    out->len = 0;
    /* Full-width digits and letters fold to ASCII, half-width kana to full-width, dashes to
     * '-', U+3000 to a space: the widths a value was typed in do not make another person. */
    int rc = pii_normalize(text, len, scratch);
    if (rc != PIISCAN_OK)
        return rc;
    const char *s = scratch->data;
    size_t n = scratch->len;
    if (is_number_type(type))
        return canonical_number(type, s, n, out);
    switch (type) {
    case PIISCAN_TYPE_EMAIL:
        return canonical_email(s, n, out);
    case PIISCAN_TYPE_NAME:
        return canonical_name(s, n, out);
    case PIISCAN_TYPE_ADDRESS:
        return canonical_address(s, n, out);
    default:
        return PIISCAN_ERR_INVALID;
    }
}

int piiscan_value_canonical(piiscan_type type, const char *text, size_t len, char *out, size_t size,
                            size_t *out_len)
{
    if ((text == NULL && len > 0) || out_len == NULL || (out == NULL && size > 0) ||
        type < PIISCAN_TYPE_NAME || type > PIISCAN_TYPE_MAX)
        return PIISCAN_ERR_INVALID;
    pii_text scratch = {0};
    pii_bytes value = {0};
    int rc = pii_canonical(type, text != NULL ? text : "", len, &scratch, &value);
    if (rc != PIISCAN_OK)
        goto done;
    *out_len = value.len;
    if (value.len >= size) {
        rc = PIISCAN_ERR_LIMIT;
        goto done;
    }
    if (value.len > 0)
        memcpy(out, value.data, value.len);
    out[value.len] = '\0';
done:
    pii_text_free(&scratch);
    pii_bytes_free(&value);
    return rc;
}
