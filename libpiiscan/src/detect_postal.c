/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_postal.c - Japanese postal codes (郵便番号): 123-4567, 〒123-4567, 〒1234567.
 *
 * Every candidate must be in Japan Post's list. The dashed form is distinctive enough to
 * report alone, at a moderate confidence; seven bare digits are any number, so they count only
 * with context: the postal mark 〒 in front, a postal-code keyword in the record, a
 * prefecture right after (the address that follows a postal code), or a postal-code column.
 * The span is the digits: 〒 is a label, not part of the code.
 *
 * Leaves out: codes written with spaces (123 4567), the old 3- and 5-digit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Group 1: the postal mark (〒, or 〶 as some fonts and forms have it); group 2: the code.
 * pii_postal_find matches it in C: a call to pcre2_match cost more than the rest of the
 * detector, and a unit is tried again after each code that is not reported. */
const char pii_postal_pattern[] =
    "(?:([〒〶])\\x20?)?" PII_NUMBER_BEFORE "(\\d{3}-\\d{4}|\\d{7})" PII_NUMBER_AFTER;

#define CONF_DASHED       0.7
#define CONF_CONTEXT      0.9 /* dashed, with a keyword in the record */
#define CONF_BARE_CONTEXT 0.85
#define CONF_ADDRESS      0.9 /* a prefecture follows */
#define CONF_MARK         0.97
#define CONF_COLUMN       0.5 /* bare, only because of the column; score.c raises it */
#define MIN_DIGITS        7   /* a code is seven digits */

/* Postal codes by their first three digits (the area): a look-up searches one area's codes,
 * a hundred or so, instead of the whole list. */
#define POSTAL_AREAS     1000
#define POSTAL_AREA_SIZE 10000u

struct postal_state {
    /* pii_postal_codes[area[k]..area[k + 1]) are the codes from k * POSTAL_AREA_SIZE on. */
    uint32_t area[POSTAL_AREAS + 1];
};

/* The index of the first code >= value in pii_postal_codes (its count when none is). */
static uint32_t first_code_from(uint32_t value)
{
    size_t lo = 0;
    size_t hi = pii_postal_codes_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pii_postal_codes[mid] < value)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* pii_postal_code_exists, answered from the area index. */
static bool code_exists(const struct postal_state *ps, uint32_t code)
{
    if (code >= POSTAL_AREAS * POSTAL_AREA_SIZE)
        return pii_postal_code_exists(code);
    size_t k = code / POSTAL_AREA_SIZE;
    size_t lo = ps->area[k];
    size_t hi = ps->area[k + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pii_postal_codes[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ps->area[k + 1] && pii_postal_codes[lo] == code;
}

/* A prefecture name (the start of an address) at s[pos], after optional spaces. */
static bool is_address_after(const char *s, size_t len, size_t pos)
{
    while (pos < len && s[pos] == ' ')
        pos++;
    /* Every prefecture starts with a kanji: a three-byte UTF-8 sequence. */
    if (len - pos < 3 || (unsigned char)s[pos] < 0xE0)
        return false;
    for (size_t i = 0; i < pii_prefectures_count; i++) {
        size_t n = strlen(pii_prefectures[i]);
        if (n <= len - pos && memcmp(s + pos, pii_prefectures[i], n) == 0)
            return true;
    }
    return false;
}

static uint32_t code_value(const char *s, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '-')
            v = v * 10 + (uint32_t)(s[i] - '0');
    }
    return v;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [A-Za-z0-9_], the characters BEFORE and AFTER forbid next to a code. */
static bool is_word(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

/* The part of AFTER that a code ending at s[end] must pass. */
static bool may_end_at(const char *s, size_t len, size_t end)
{
    if (end == len)
        return true;
    if (is_word(s[end]))
        return false;
    return !(s[end] == '-' && end + 1 < len && is_word(s[end + 1]));
}

/* False when the pattern cannot match s[0..len): no run of exactly seven digits and no
 * three digits, '-', four digits, with the word boundaries that BEFORE and AFTER require
 * (a necessary condition only; the pattern has the last word). A phone number or an address
 * is turned away here without a call to pcre2_match per digit. */
static bool may_hold_code(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (!is_digit(s[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && is_digit(s[i]))
            i++;
        if (start > 0 && is_word(s[start - 1]))
            continue;
        size_t run = i - start;
        if (run == 7 && may_end_at(s, len, i))
            return true;
        if (run == 3 && i + 5 <= len && s[i] == '-' && is_digit(s[i + 1]) && is_digit(s[i + 2]) &&
            is_digit(s[i + 3]) && is_digit(s[i + 4]) && may_end_at(s, len, i + 5))
            return true;
    }
    return false;
}

static bool is_mark_at(const char *s, size_t at)
{
    const unsigned char *p = (const unsigned char *)s + at;
    return p[0] == 0xE3 && p[1] == 0x80 && (p[2] == 0x92 || p[2] == 0xB6); /* 〒 〶 */
}

/* BEFORE at s[d]. */
static bool may_start_at(const char *s, size_t d)
{
    const unsigned char *p = (const unsigned char *)s;
    if (d == 0)
        return true;
    char c = s[d - 1];
    if (is_word(c) || c == '$' || c == '\\')
        return false;
    if (d >= 2 &&
        ((c == '-' && is_word(s[d - 2])) || ((c == '/' || c == '.') && is_digit(s[d - 2])) ||
         (p[d - 2] == 0xC2 && p[d - 1] == 0xA5))) /* ¥ */
        return false;
    return !(d >= 3 && p[d - 3] == 0xEF && p[d - 2] == 0xBF && p[d - 1] == 0xA5); /* ￥ */
}

/* AFTER at s[e], e <= len. */
static bool may_end_after(const char *s, size_t len, size_t e)
{
    if (!may_end_at(s, len, e))
        return false;
    if (e + 1 < len && (s[e] == '/' || s[e] == '.') && is_digit(s[e + 1]))
        return false;
    return !(e + 3 <= len && (unsigned char)s[e] == 0xE5 && (unsigned char)s[e + 1] == 0x86 &&
             (unsigned char)s[e + 2] == 0x86); /* 円 */
}

bool pii_postal_find(const char *s, size_t len, size_t pos, size_t ov[6])
{
    /* The code's digits start at the first place where BEFORE, the code and AFTER all hold (a
     * mark before a later code would overlap the digits of an earlier one); the mark, when it
     * is there and not before pos, starts the match. */
    for (size_t d = pos; d + 7 <= len; d++) {
        if (!is_digit(s[d]) || !may_start_at(s, d))
            continue;
        size_t e;
        if (d + 8 <= len && is_digit(s[d + 1]) && is_digit(s[d + 2]) && s[d + 3] == '-' &&
            is_digit(s[d + 4]) && is_digit(s[d + 5]) && is_digit(s[d + 6]) && is_digit(s[d + 7]))
            e = d + 8;
        else if (is_digit(s[d + 1]) && is_digit(s[d + 2]) && is_digit(s[d + 3]) &&
                 is_digit(s[d + 4]) && is_digit(s[d + 5]) && is_digit(s[d + 6]))
            e = d + 7;
        else
            continue;
        if (!may_end_after(s, len, e))
            continue;
        size_t mark = SIZE_MAX;
        if (d >= pos + 3 && is_mark_at(s, d - 3))
            mark = d - 3;
        else if (d >= pos + 4 && s[d - 1] == ' ' && is_mark_at(s, d - 4))
            mark = d - 4;
        ov[0] = mark != SIZE_MAX ? mark : d;
        ov[1] = e;
        ov[2] = mark;
        ov[3] = mark != SIZE_MAX ? mark + 3 : SIZE_MAX;
        ov[4] = d;
        ov[5] = e;
        return true;
    }
    return false;
}

/* The confidence and evidence of a valid code at text[start..end), or 0 when it should not
 * be reported. Context is consulted from the cheapest to the costliest. */
static double weigh(const pii_unit *u, size_t start, size_t end, bool has_mark,
                    const char **detector)
{
    bool is_dashed = end - start == 8;
    if (has_mark) {
        *detector = "postal/mark";
        return CONF_MARK;
    }
    if (is_address_after(u->text, u->len, end)) {
        *detector = "postal/address";
        return CONF_ADDRESS;
    }
    unsigned keywords = pii_unit_keywords(u);
    if (keywords & (1u << PII_COL_POSTAL_CODE)) {
        *detector = "postal/keyword";
        return is_dashed ? CONF_CONTEXT : CONF_BARE_CONTEXT;
    }
    if (is_dashed && (keywords & (1u << PII_COL_ADDRESS))) {
        *detector = "postal/keyword";
        return CONF_CONTEXT;
    }
    if (is_dashed) {
        *detector = "postal";
        return CONF_DASHED;
    }
    if (u->column == PII_COL_POSTAL_CODE) {
        *detector = "postal/column";
        return CONF_COLUMN;
    }
    return 0;
}

static int postal_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                       pii_candidates *out)
{
    const struct postal_state *ps = state;
    if (u->digits < MIN_DIGITS || !may_hold_code(u->text, u->len))
        return PIISCAN_OK;
    (void)md;
    size_t pos = 0;
    size_t ov[6];
    while (pos < u->len && pii_postal_find(u->text, u->len, pos, ov)) {
        bool has_mark = ov[2] != SIZE_MAX;
        size_t start = ov[4];
        size_t end = ov[5];
        const char *detector = NULL;
        double confidence = 0;
        if (code_exists(ps, code_value(u->text + start, end - start)))
            confidence = weigh(u, start, end, has_mark, &detector);
        if (confidence > 0) {
            int rc = pii_candidates_push(out, PIISCAN_TYPE_POSTAL_CODE, start, end, confidence,
                                         detector);
            if (rc != PIISCAN_OK)
                return rc;
            pos = end;
        } else {
            pos = pii_utf8_next(u->text, u->len, ov[0]);
        }
    }
    return PIISCAN_OK;
}

static int postal_compile(void **state, piiscan_error *err)
{
    struct postal_state *ps = calloc(1, sizeof *ps);
    if (ps == NULL)
        return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    for (uint32_t k = 0; k <= POSTAL_AREAS; k++)
        ps->area[k] = first_code_from(k * POSTAL_AREA_SIZE);
    *state = ps;
    return PIISCAN_OK;
}

static void postal_free(void *state)
{
    struct postal_state *ps = state;
    if (ps == NULL)
        return;
    free(ps);
}

const struct pii_detector pii_detector_postal = {
    .name = "postal",
    .type = PIISCAN_TYPE_POSTAL_CODE,
    .needs_digit_or_at = true,
    .min_digits = MIN_DIGITS,
    .compile = postal_compile,
    .free = postal_free,
    .scan = postal_scan,
};
