/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_card.c - payment card numbers (PAN).
 *
 * 14 to 19 digits, bare or in the groupings card faces and forms use (4-4-4-4, 4-6-5 for
 * American Express, 4-6-4 for Diners, 4-4-4-4-3 for 19 digits), with a valid Luhn check digit
 * and a prefix and length that an issuer uses. Luhn alone lets one number in ten through;
 * the issuer table removes most of the rest (a 13-digit JAN code is never long enough).
 * A card keyword in the record (カード番号, クレジットカード ...) makes a candidate near
 * certain; so does a card column, which score.c applies.
 *
 * Leaves out: masked numbers (4111-****-****-1111), which are no longer personal data.
 */
#include <string.h>

#include "internal.h"

/* Longest grouping first; one separator throughout (group 1 or 2). */
static const char pattern[] =
    PII_NUMBER_BEFORE "(?:\\d{4}([-\\x20])\\d{4}\\1\\d{4}\\1\\d{4}(?:\\1\\d{3})?"
                      "|\\d{4}([-\\x20])\\d{6}\\2\\d{4,5}"
                      "|\\d{14,19})" PII_NUMBER_AFTER;

#define CONF_BARE    0.6
#define CONF_GROUPED 0.85
#define CONF_KEYWORD 0.97
#define MAX_DIGITS   19
#define MIN_DIGITS   14 /* the shortest card number (Diners) */

/* Issuer identification ranges: numbers whose first strlen(lo) digits lie in [lo, hi]
 * lexically, with the lengths (bit n set: n digits) the issuer issues there. */
#define LEN(n)    (1u << (n))
#define LEN_16_19 (LEN(16) | LEN(17) | LEN(18) | LEN(19))

struct issuer {
    const char *lo;
    const char *hi;
    uint32_t lengths;
};

static const struct issuer issuers[] = {
    {"4", "4", LEN(16) | LEN(19)},       /* Visa */
    {"51", "55", LEN(16)},               /* Mastercard */
    {"2221", "2720", LEN(16)},           /* Mastercard, 2-series */
    {"34", "34", LEN(15)},               /* American Express */
    {"37", "37", LEN(15)},               /* American Express */
    {"3528", "3589", LEN_16_19},         /* JCB */
    {"300", "305", LEN(14) | LEN_16_19}, /* Diners Club */
    {"36", "36", LEN(14) | LEN_16_19},   /* Diners Club International */
    {"38", "39", LEN(14) | LEN_16_19},   /* Diners Club */
    {"6011", "6011", LEN_16_19},         /* Discover */
    {"644", "649", LEN_16_19},           /* Discover */
    {"65", "65", LEN_16_19},             /* Discover */
    {"62", "62", LEN_16_19},             /* UnionPay */
};

static bool passes_luhn(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

static bool has_issuer(const char *d, size_t n)
{
    for (size_t i = 0; i < sizeof issuers / sizeof issuers[0]; i++) {
        const struct issuer *is = &issuers[i];
        size_t plen = strlen(is->lo);
        if (memcmp(d, is->lo, plen) >= 0 && memcmp(d, is->hi, plen) <= 0 &&
            (is->lengths & LEN(n)) != 0)
            return true;
    }
    return false;
}

static bool is_card(const char *d, size_t n)
{
    return n >= 14 && n <= MAX_DIGITS && has_issuer(d, n) && passes_luhn(d, n);
}

static int card_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                     pii_candidates *out)
{
    const pcre2_code *re = state;
    if (u->digits < MIN_DIGITS)
        return PIISCAN_OK;
    pii_match m;
    int rc;
    for (size_t pos = 0; (rc = pii_pattern_find(re, md, u, pos, &m)) == 1;) {
        size_t start = m.start;
        size_t end = m.end;
        char d[MAX_DIGITS];
        size_t n = 0;
        for (size_t i = start; i < end; i++) {
            if (u->text[i] >= '0' && u->text[i] <= '9')
                d[n++] = u->text[i];
        }
        bool is_grouped = n != end - start;
        /* 4-4-4-4-3 that fails may be 4-4-4-4 followed by an unrelated group of three. */
        if (!is_card(d, n) && n == 19 && is_grouped) {
            n = 16;
            end = start + 19;
        }
        if (!is_card(d, n)) {
            pos = pii_utf8_next(u->text, u->len, start);
            continue;
        }
        double confidence = is_grouped ? CONF_GROUPED : CONF_BARE;
        const char *detector = "card";
        unsigned keywords = pii_unit_keywords(u);
        if (keywords & (1u << PII_COL_CREDIT_CARD)) {
            confidence = CONF_KEYWORD;
            detector = "card/keyword";
        }
        rc = pii_candidates_push(out, PIISCAN_TYPE_CREDIT_CARD, start, end, confidence, detector);
        if (rc != PIISCAN_OK)
            return rc;
        pos = end;
    }
    return rc < 0 ? rc : PIISCAN_OK;
}

static int card_compile(void **state, piiscan_error *err)
{
    return pii_pattern_state_new(pattern, state, err);
}

const struct pii_detector pii_detector_card = {
    .name = "card",
    .type = PIISCAN_TYPE_CREDIT_CARD,
    .needs_digit_or_at = true,
    .min_digits = MIN_DIGITS,
    .compile = card_compile,
    .free = pii_pattern_state_free,
    .scan = card_scan,
};
