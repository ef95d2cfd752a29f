/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_mynumber.c - My Number (個人番号), the 12-digit individual number.
 *
 * Twelve digits, bare or grouped 4-4-4 by spaces or hyphens, whose last digit is the check
 * digit of the other eleven (the Cabinet Office ordinance on the individual number, 第五条).
 * One twelve-digit number in ten passes the check, so tracking and order numbers pass too:
 * a candidate needs a My Number keyword in the record (マイナンバー, 個人番号 ...) or a My
 * Number column. Without that it is not even a candidate.
 *
 * Leaves out: the 13-digit corporate number (法人番号), which is public information.
 */

#include "internal.h"

static const char pattern[] =
    PII_NUMBER_BEFORE "(?:\\d{4}([-\\x20])\\d{4}\\1\\d{4}|\\d{12})" PII_NUMBER_AFTER;

#define CONF_KEYWORD 0.95
#define CONF_COLUMN  0.8 /* the column alone; score.c raises it */
#define MIN_DIGITS   12  /* a My Number is twelve digits */

/* d holds 12 digit values. P(n) is the n-th of the first eleven counted from the right,
 * Q(n) = n + 1 for n <= 6 and n - 5 for n >= 7; r = sum P(n) Q(n) mod 11; the check digit is
 * 0 when r <= 1, else 11 - r. */
static bool has_valid_check_digit(const unsigned char *d)
{
    unsigned sum = 0;
    for (unsigned n = 1; n <= 11; n++) {
        unsigned q = n <= 6 ? n + 1 : n - 5;
        sum += d[11 - n] * q;
    }
    unsigned r = sum % 11;
    unsigned check = r <= 1 ? 0 : 11 - r;
    return d[11] == check;
}

static bool is_my_number(const char *s, size_t n)
{
    unsigned char d[12];
    size_t nd = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (nd == sizeof d)
                return false;
            d[nd++] = (unsigned char)(s[i] - '0');
        }
    }
    return nd == sizeof d && has_valid_check_digit(d);
}

static int mynumber_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                         pii_candidates *out)
{
    const pcre2_code *re = state;
    if (u->digits < MIN_DIGITS)
        return PIISCAN_OK;
    pii_match m;
    int rc;
    for (size_t pos = 0; (rc = pii_pattern_find(re, md, u, pos, &m)) == 1;) {
        pos = m.end;
        if (!is_my_number(u->text + m.start, m.end - m.start))
            continue;
        /* The keywords are looked at only now: most units never get this far. */
        unsigned keywords = pii_unit_keywords(u);
        double confidence = CONF_KEYWORD;
        const char *detector = "mynumber/keyword";
        if ((keywords & (1u << PII_COL_MY_NUMBER)) == 0) {
            if (u->column != PII_COL_MY_NUMBER)
                continue;
            confidence = CONF_COLUMN;
            detector = "mynumber/column";
        }
        rc = pii_candidates_push(out, PIISCAN_TYPE_MY_NUMBER, m.start, m.end, confidence, detector);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return rc < 0 ? rc : PIISCAN_OK;
}

static int mynumber_compile(void **state, piiscan_error *err)
{
    return pii_pattern_state_new(pattern, state, err);
}

const struct pii_detector pii_detector_mynumber = {
    .name = "mynumber",
    .type = PIISCAN_TYPE_MY_NUMBER,
    .needs_digit_or_at = true,
    .min_digits = MIN_DIGITS,
    .compile = mynumber_compile,
    .free = pii_pattern_state_free,
    .scan = mynumber_scan,
};
