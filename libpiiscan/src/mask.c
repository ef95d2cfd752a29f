/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mask.c - full and partial masks of one span, written in the span's own encoding.
 *
 * Invariant: one mask character per masked character, of the same display width (so a
 * fixed-width layout stays aligned), and kept characters keep their original bytes. The mask
 * characters are checked once, when set, so that no encoding turns them into a delimiter, a
 * quote, a line end, or a character a later scan would read as part of a value.
 * Leaves out: tokens (token.c) and the copying of the bytes around spans (redact.c).
 */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

/* Phone masks keep the area code or mobile prefix (at most five digits with the leading 0,
 * "01564") and the last four digits, as receipts and call logs print them. */
#define PHONE_HEAD_MAX_DIGITS 5
#define TAIL_DIGITS           4
#define POSTAL_HEAD_DIGITS    3 /* 3-digit postal districts name an area, not a house */
/* A designated city's ward (大阪市北区, 札幌市中央区) follows the city within this many
 * characters; ward names have at most four. */
#define WARD_MAX_CHARS 5

static const char *const iconv_names[PII_ENCODINGS] = {
    [PIISCAN_ENCODING_UTF8] = "UTF-8",       [PIISCAN_ENCODING_CP932] = "CP932",
    [PIISCAN_ENCODING_EUCJP] = "EUC-JP-MS",  [PIISCAN_ENCODING_UTF16LE] = "UTF-16LE",
    [PIISCAN_ENCODING_UTF16BE] = "UTF-16BE",
};

int pii_chars_decode(const pii_codec_tables *t, piiscan_encoding enc, const unsigned char *s,
                     size_t n, pii_chars *chars)
{
    chars->len = 0;
    for (size_t at = 0; at < n;) {
        if (chars->len == chars->cap) {
            size_t cap = chars->cap < 64 ? 64 : chars->cap * 2;
            pii_char *v = realloc(chars->v, cap * sizeof *v);
            if (v == NULL)
                return PIISCAN_ERR_NOMEM;
            chars->v = v;
            chars->cap = cap;
        }
        pii_char *c = &chars->v[chars->len++];
        size_t used = pii_decode_char(t, enc, s + at, n - at, true, &c->cp, &c->is_invalid);
        if (used == 0)
            used = 1; /* is_final makes this impossible; never loop forever */
        c->at = at;
        c->len = used;
        at += used;
    }
    return PIISCAN_OK;
}

void pii_chars_free(pii_chars *chars)
{
    free(chars->v);
    memset(chars, 0, sizeof *chars);
}

bool pii_is_wide(uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0xFF61 && cp <= 0xFF9F))
        return false;
    /* Latin letters with accents and the like are narrow everywhere; the few Latin-1 signs
     * that JIS X 0208 holds (§ ¨ ° ± ´ ¶ × ÷) are zenkaku in a Japanese layout. */
    if (cp < 0x0370)
        return cp == 0xA7 || cp == 0xA8 || cp == 0xB0 || cp == 0xB1 || cp == 0xB4 || cp == 0xB6 ||
               cp == 0xD7 || cp == 0xF7;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Mask characters                                                                            */

/* Bytes a mask may not contain in any encoding a byte-oriented tool reads: line ends and
 * other controls, the delimiters piiscan recognises, quotes, and the backslash (the
 * escape of many CSV dialects; 0x5C is also the trail byte that breaks naive CP932 tools). */
static bool is_forbidden_byte(unsigned char b)
{
    return b < 0x20 || b == 0x7F || b == ' ' || b == ',' || b == ';' || b == '|' || b == '"' ||
           b == '\'' || b == '\\';
}

/* Characters a later scan or a spreadsheet would read as something: letters and digits in
 * either width make values (a mask of 'x' turns ****@example.jp into an address), and a
 * cell starting with = + - @ is a formula to a spreadsheet (CSV injection). */
static bool is_forbidden_char(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        cp -= 0xFEE0; /* full-width ASCII forms fold to ASCII for this test */
    if (cp == 0x3000)
        return true;
    if (cp >= 0x80)
        return false;
    return is_forbidden_byte((unsigned char)cp) || (cp >= '0' && cp <= '9') ||
           (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cp == '=' || cp == '+' ||
           cp == '-' || cp == '@';
}

/* Converts NUL-terminated UTF-8 to `to`; returns the length, or 0 when it does not convert
 * or does not fit. */
static size_t convert(const char *utf8, const char *to, unsigned char *out, size_t cap)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    if (cd == (iconv_t)-1)
        return 0;
    char in[8];
    size_t n = strlen(utf8);
    if (n >= sizeof in) {
        iconv_close(cd);
        return 0;
    }
    memcpy(in, utf8, n);
    char *ip = in;
    size_t il = n;
    char *op = (char *)out;
    size_t ol = cap;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    if (r == (size_t)-1 || il != 0)
        return 0;
    return cap - ol;
}

int pii_mask_char_check(const char *utf8, bool is_wide, piiscan_error *err)
{
    const char *slot = is_wide ? "wide" : "narrow";
    size_t n = utf8 != NULL ? strlen(utf8) : 0;
    uint32_t cp = 0;
    if (n == 0 || pii_utf8_get(utf8, n, &cp) != n || cp == 0xFFFD)
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                             "the %s mask character must be exactly one UTF-8 character", slot);
    if (is_forbidden_char(cp))
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                             "the %s mask character U+%04X would read as data, a delimiter, a "
                             "quote or a formula",
                             slot, (unsigned)cp);
    if (pii_is_wide(cp) != is_wide || (cp < 0x80 && cp < 0x21))
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                             "the %s mask character U+%04X has display width %d, not %d", slot,
                             (unsigned)cp, pii_is_wide(cp) ? 2 : 1, is_wide ? 2 : 1);
    static const piiscan_encoding legacy[] = {PIISCAN_ENCODING_CP932, PIISCAN_ENCODING_EUCJP};
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++) {
        unsigned char bytes[PII_MASK_CHAR_BYTES];
        size_t len = convert(utf8, iconv_names[legacy[i]], bytes, sizeof bytes);
        if (len == 0)
            return pii_error_set(err, PIISCAN_ERR_ENCODING, UINT64_MAX, 0,
                                 "the %s mask character U+%04X cannot be written in %s", slot,
                                 (unsigned)cp, piiscan_encoding_name(legacy[i]));
        for (size_t k = 0; k < len; k++) {
            if (is_forbidden_byte(bytes[k]))
                return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                                     "the %s mask character U+%04X holds byte 0x%02X in %s, a "
                                     "delimiter, quote or control byte to some tools",
                                     slot, (unsigned)cp, bytes[k],
                                     piiscan_encoding_name(legacy[i]));
        }
        /* After a broken lead byte the narrow mask stands in for a wide one (see
         * pii_mask_span): it must not be able to complete that byte as a CP932 trail byte
         * (0x40-0x7E, 0x80-0xFC). */
        if (!is_wide && legacy[i] == PIISCAN_ENCODING_CP932 && bytes[0] >= 0x40)
            return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                                 "the narrow mask character U+%04X is byte 0x%02X in CP932, "
                                 "which can end a two-byte character; use a sign below '@'",
                                 (unsigned)cp, bytes[0]);
    }
    return PIISCAN_OK;
}

int pii_masker_init(pii_masker *m, const char *narrow, const char *wide, piiscan_error *err)
{
    memset(m, 0, sizeof *m);
    for (int enc = PIISCAN_ENCODING_UTF8; enc < PII_ENCODINGS; enc++) {
        size_t n = convert(narrow, iconv_names[enc], m->narrow[enc], PII_MASK_CHAR_BYTES);
        size_t w = convert(wide, iconv_names[enc], m->wide[enc], PII_MASK_CHAR_BYTES);
        if (n == 0 || w == 0)
            return pii_error_set(err, PIISCAN_ERR_ENCODING, UINT64_MAX, 0,
                                 "iconv cannot write the mask characters in %s", iconv_names[enc]);
        m->narrow_len[enc] = (uint8_t)n;
        m->wide_len[enc] = (uint8_t)w;
    }
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Plans: which characters of a span are kept                                                 */

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); /* ０-９ */
}

/* Separators keep a value's shape in a partial mask: spaces, parentheses, hyphens and
 * every dash look-alike; the long-vowel marks ー and ｰ only after a digit, where they are
 * dashes (elsewhere they are kana). */
static bool is_separator(uint32_t cp, uint32_t prev)
{
    switch (cp) {
    case ' ':
    case 0x3000:
    case '-':
    case '(':
    case ')':
    case 0xFF08: /* （ */
    case 0xFF09: /* ） */
    case 0xFF0D: /* － */
    case 0x2212: /* − */
    case 0x02D7: /* ˗ */
    case 0xFE63: /* ﹣ */
        return true;
    case 0x30FC: /* ー */
    case 0xFF70: /* ｰ */
        return is_digit(prev);
    default:
        return cp >= 0x2010 && cp <= 0x2015; /* ‐ ‑ ‒ – — ― */
    }
}

static size_t count_digits(const pii_chars *chars)
{
    size_t n = 0;
    for (size_t i = 0; i < chars->len; i++)
        n += is_digit(chars->v[i].cp);
    return n;
}

static unsigned digit_value(uint32_t cp)
{
    return cp <= '9' ? cp - '0' : cp - 0xFF10;
}

/* Digits [0, keep_head) and [ndigits - keep_tail, ndigits) are kept, with every non-digit
 * (separators, '+', '〒'); a number too short for that is masked whole. */
static void plan_digits(const pii_chars *chars, size_t keep_head, size_t keep_tail, bool *keep)
{
    size_t ndigits = count_digits(chars);
    if (keep_head + keep_tail >= ndigits) {
        keep_head = 0;
        keep_tail = 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < chars->len; i++) {
        if (!is_digit(chars->v[i].cp)) {
            keep[i] = !chars->v[i].is_invalid;
            continue;
        }
        keep[i] = k < keep_head || k >= ndigits - keep_tail;
        k++;
    }
}

/* A phone number keeps a "+81" country code, its first group (the area code or mobile
 * prefix: the digits before the first separator; 3 digits when it is not grouped, 2 after
 * +81, which drops the trunk 0) and its last four digits. At least one digit stays hidden. */
static void plan_phone(const pii_chars *chars, bool *keep)
{
    size_t ndigits = count_digits(chars);
    size_t first_digit = chars->len;
    bool is_plus = false;
    for (size_t i = 0; i < chars->len; i++) {
        uint32_t cp = chars->v[i].cp;
        if (is_digit(cp)) {
            first_digit = i;
            break;
        }
        if (cp == '+' || cp == 0xFF0B)
            is_plus = true;
    }
    size_t cc = 0;
    if (is_plus && first_digit + 1 < chars->len && digit_value(chars->v[first_digit].cp) == 8 &&
        is_digit(chars->v[first_digit + 1].cp) && digit_value(chars->v[first_digit + 1].cp) == 1)
        cc = 2;
    size_t first_group = 0;
    bool is_grouped = false;
    bool is_gap = false;
    size_t k = 0;
    for (size_t i = 0; i < chars->len; i++) {
        if (!is_digit(chars->v[i].cp)) {
            is_gap = k > cc; /* separators right after +81 do not group the national number */
            continue;
        }
        if (k >= cc) {
            is_grouped = is_grouped || is_gap;
            if (!is_grouped)
                first_group++;
        }
        is_gap = false;
        k++;
    }
    size_t national = ndigits - cc;
    size_t head = is_grouped ? first_group : cc > 0 ? 2 : 3;
    if (head > PHONE_HEAD_MAX_DIGITS)
        head = PHONE_HEAD_MAX_DIGITS;
    if (head + TAIL_DIGITS >= national)
        head = national > TAIL_DIGITS + 1 ? national - TAIL_DIGITS - 1 : 0;
    plan_digits(chars, cc + head, TAIL_DIGITS, keep);
}

/* An e-mail address keeps its last '@' (a quoted local part may hold one) and the domain;
 * the whole local part is masked, dots and hyphens too. */
static void plan_email(const pii_chars *chars, bool *keep)
{
    size_t at_sign = chars->len;
    for (size_t i = 0; i < chars->len; i++) {
        if (chars->v[i].cp == '@' || chars->v[i].cp == 0xFF20)
            at_sign = i;
    }
    for (size_t i = 0; i < chars->len; i++)
        keep[i] = at_sign < chars->len && i >= at_sign && !chars->v[i].is_invalid;
}

static bool is_municipality_suffix(uint32_t cp)
{
    return cp == 0x5E02 /* 市 */ || cp == 0x533A /* 区 */ || cp == 0x753A /* 町 */ ||
           cp == 0x6751 /* 村 */ || cp == 0x90E1 /* 郡 */;
}

/* Characters of the prefecture (都道府県) the span starts with, or 0. */
static size_t prefecture_chars(const pii_chars *chars)
{
    for (size_t p = 0; p < pii_prefectures_count; p++) {
        const char *name = pii_prefectures[p];
        size_t n = strlen(name);
        size_t i = 0;
        size_t at = 0;
        while (at < n && i < chars->len) {
            uint32_t cp;
            at += pii_utf8_get(name + at, n - at, &cp);
            if (chars->v[i].cp != cp)
                break;
            i++;
        }
        if (at == n)
            return i;
    }
    return 0;
}

/* An address keeps its prefecture and municipality: up to the first 市, 区, 町 or 村 with a
 * character before it (市川市, 町田市), through the town after a 郡 (虻田郡倶知安町) and the
 * ward after a designated city (大阪市北区). A name that holds a suffix itself (四日市市) is
 * cut at its first one, which keeps less, never more. The rest is masked, separators kept;
 * a value with no rest is masked whole. */
static void plan_address(const pii_chars *chars, bool *keep)
{
    size_t pref = prefecture_chars(chars);
    size_t kept = pref;
    size_t i = pref + 1;
    while (i < chars->len && !is_municipality_suffix(chars->v[i].cp))
        i++;
    if (i < chars->len) {
        kept = i + 1;
        if (chars->v[i].cp == 0x90E1) { /* 郡: the town or village follows */
            for (size_t j = i + 2; j < chars->len; j++) {
                if (chars->v[j].cp == 0x753A || chars->v[j].cp == 0x6751) {
                    kept = j + 1;
                    break;
                }
            }
        } else if (chars->v[i].cp == 0x5E02) { /* 市: a ward may follow */
            for (size_t j = i + 2; j < chars->len && j <= i + WARD_MAX_CHARS; j++) {
                if (is_digit(chars->v[j].cp) || is_separator(chars->v[j].cp, 0))
                    break;
                if (chars->v[j].cp == 0x533A) {
                    kept = j + 1;
                    break;
                }
            }
        }
    }
    /* A value that is all prefecture and municipality (a ship-city column: 横浜市) would be
     * kept whole, and found again by the next scan: such a value is masked whole. */
    size_t last = chars->len;
    while (last > 0 && is_separator(chars->v[last - 1].cp, last > 1 ? chars->v[last - 2].cp : 0))
        last--;
    if (kept >= last)
        kept = 0;
    uint32_t prev = 0;
    for (size_t k = 0; k < chars->len; k++) {
        keep[k] = !chars->v[k].is_invalid && (k < kept || is_separator(chars->v[k].cp, prev));
        prev = chars->v[k].cp;
    }
}

/* ------------------------------------------------------------------------------------------ */

static int put_mask_char(const pii_masker *m, piiscan_encoding enc, const pii_char *c,
                         pii_bytes *out)
{
    if (c->is_invalid) {
        /* Bytes that are no character: one narrow mask each, which keeps a legacy layout's
         * byte width and never copies the bad bytes. */
        for (size_t k = 0; k < c->len; k++) {
            int rc = pii_bytes_put(out, m->narrow[enc], m->narrow_len[enc]);
            if (rc != PIISCAN_OK)
                return rc;
        }
        return PIISCAN_OK;
    }
    if (pii_is_wide(c->cp))
        return pii_bytes_put(out, m->wide[enc], m->wide_len[enc]);
    return pii_bytes_put(out, m->narrow[enc], m->narrow_len[enc]);
}

int pii_mask_span(const pii_masker *m, piiscan_mask mask, piiscan_type type, piiscan_encoding enc,
                  const unsigned char *s, const pii_chars *chars, bool is_after_lead_byte,
                  pii_bytes *out, size_t *kept_lead)
{
    if (enc <= PIISCAN_ENCODING_AUTO || enc >= PII_ENCODINGS)
        enc = PIISCAN_ENCODING_UTF8;
    bool *keep = calloc(chars->len + 1, sizeof *keep);
    if (keep == NULL)
        return PIISCAN_ERR_NOMEM;
    if (mask == PIISCAN_MASK_PARTIAL) {
        switch (type) {
        case PIISCAN_TYPE_PHONE:
            plan_phone(chars, keep);
            break;
        case PIISCAN_TYPE_POSTAL_CODE:
            plan_digits(chars, POSTAL_HEAD_DIGITS, 0, keep);
            break;
        case PIISCAN_TYPE_CREDIT_CARD:
            plan_digits(chars, 0, TAIL_DIGITS, keep); /* as receipts print them (PCI DSS 3.4) */
            break;
        case PIISCAN_TYPE_MY_NUMBER:
            plan_digits(chars, 0, 0, keep);
            break;
        case PIISCAN_TYPE_EMAIL:
            plan_email(chars, keep);
            break;
        case PIISCAN_TYPE_ADDRESS:
            plan_address(chars, keep);
            break;
        case PIISCAN_TYPE_NAME:
        default:
            break; /* nothing of a name is anonymous */
        }
    }
    /* A line end inside a value (an address typed on two lines, in a quoted CSV field or a
     * cell) is the file's structure, not the value's: masking it would join the lines. So is
     * a double quote: masking the closing quote of a field with text after it ("..."x, as
     * Excel reads it) would run the field on into the next. */
    for (size_t i = 0; i < chars->len; i++)
        keep[i] = keep[i] || pii_is_structure(&chars->v[i]);
    int rc = PIISCAN_OK;
    size_t start = out->len;
    bool is_lead = true;
    for (size_t i = 0; i < chars->len && rc == PIISCAN_OK; i++) {
        const pii_char *c = &chars->v[i];
        if (!keep[i] && is_lead) {
            is_lead = false;
            if (kept_lead != NULL)
                *kept_lead = out->len - start;
        }
        if (keep[i]) {
            rc = pii_bytes_put(out, s + c->at, c->len);
        } else if (i == 0 && is_after_lead_byte && !c->is_invalid && pii_is_wide(c->cp)) {
            /* A broken lead byte before the span would take the first byte of a wide mask
             * as its trail byte and shift every character after it; two narrow masks keep
             * the width (and, in CP932, the byte count) and cannot be taken. */
            rc = pii_bytes_put(out, m->narrow[enc], m->narrow_len[enc]);
            if (rc == PIISCAN_OK)
                rc = pii_bytes_put(out, m->narrow[enc], m->narrow_len[enc]);
        } else {
            rc = put_mask_char(m, enc, c, out);
        }
    }
    if (is_lead && kept_lead != NULL)
        *kept_lead = out->len - start;
    free(keep);
    return rc;
}
