/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_phone.c - Japanese telephone numbers, however they are written.
 *
 * A PCRE2 pattern finds what is shaped like a number: domestic (a leading 0, grouped by '-',
 * '.', a space or parentheses, or not at all) or international (+81, with the trunk 0 dropped,
 * kept, or kept as "(0)"). The digits are then checked against the numbering plan
 * (電気通信番号計画): mobile, IP, pager and the non-geographic services by their prefix and
 * length; fixed lines as 10 digits behind an area code (市外局番) from the dictionary. A
 * grouped number must group its area code plausibly: the first group may not be longer than
 * the longest area code that prefixes the number (0467-12-3456 and 046-712-3456 are the same
 * Kanagawa number; 0312-34-5678 is not how anyone writes a Tokyo number).
 *
 * Leaves out: foreign numbers, extensions (内線), short numbers (110, 119, 104).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A number must stand alone (PII_NUMBER_BEFORE, PII_NUMBER_AFTER): not glued to letters,
 * digits or '_', not continued through '-' from an alphanumeric (SKU ABC-0312-3456, order
 * 382930-20220705-0123456789), not a part of a date, decimal or path ('/' or '.' after a
 * digit), and not an amount (¥, 円). "TEL" and "FAX" directly in front are the exception that
 * proves the rule. */
#define BEFORE \
    "(?:(?<=(?<![A-Za-z])(?i:tel|fax))|(?<=(?<![A-Za-z])(?i:tel|fax)-)|" PII_NUMBER_BEFORE ")"

/* Shapes only; the digits are checked in C. Groups 1 and 2 hold a separator so that a number
 * is grouped one way throughout (03-1234-5678, 03 1234 5678), not 03-1234 5678. */
static const char pattern[] =
    BEFORE "(?:"
           /* +81, then the trunk 0 dropped, kept, or kept as "(0)" */
           "\\+81[-\\x20]?(?:\\(0\\)[-\\x20]?)?"
           "(?:\\d{1,5}([-.\\x20])\\d{1,4}\\1\\d{3,4}"        /* +81-3-1234-5678 */
           "|\\d{1,5}\\(\\d{1,4}\\)\\d{3,4}"                  /* +81 3(1234)5678 */
           "|\\d{1,5}[-\\x20]\\d{5,8}"                        /* +81 3 12345678 */
           "|\\d{9,11})"                                      /* +81312345678 */
           "|\\(0\\d{1,4}\\)\\x20?\\d{1,4}[-.\\x20]?\\d{3,4}" /* (03)1234-5678, (03) 1234 5678 */
           "|0\\d{1,4}\\(\\d{1,4}\\)\\d{3,4}"                 /* 03(1234)5678 */
           "|0\\d{1,4}([-.\\x20])\\d{1,4}\\2\\d{3,4}"         /* 03-1234-5678, 0120 123 456 */
           "|0\\d{1,4}[-\\x20]\\d{5,8}"                       /* 03-12345678 */
           "|0\\d{9,10}"                                      /* 0312345678, 09012345678 */
           ")" PII_NUMBER_AFTER;

#define CONF_GROUPED        0.9  /* grouped or +81: people write phone numbers that way */
#define CONF_UNGROUPED      0.75 /* 10-11 bare digits could still be an id */
#define CONF_RECORD_KEYWORD 0.95
#define CONF_LABEL          0.97 /* TEL: or 電話 right in front */
#define CONF_EXCEL_STRIPPED 0.6  /* only in phone columns, where score.c raises it */
#define NATIONAL_MAX_DIGITS 11
/* The shortest number: nine digits, a landline whose leading 0 a spreadsheet dropped. */
#define MIN_DIGITS 9

/* Numbers that are not geographic (dict/phone_types.tsv): a prefix, the length of the whole
 * national number, and whether the digit after the prefix may be 0 (070-0xxx-xxxx is not
 * allocated, which also keeps 0800 free dial apart from 080 mobiles). A number with one of
 * these prefixes is never a fixed line, even where an area code would fit (0990 and 099). */
struct phone_class {
    char prefix[5];
    unsigned char prefix_len; /* strlen(prefix), kept so that a look-up calls nothing */
    unsigned char digits;
    bool is_zero_next_ok;
};

static const struct phone_class classes[] = {
    {"0120", 4, 10, true}, /* free dial (フリーダイヤル) */
    {"0800", 4, 11, true}, /* free dial, the newer block */
    {"0570", 4, 10, true}, /* unified numbers (ナビダイヤル) */
    {"0990", 4, 10, true}, /* premium rate (ダイヤルQ2) */
    {"020", 3, 11, true},  /* pagers and M2M */
    {"050", 3, 11, false}, /* IP telephony */
    {"060", 3, 10, true},  /* personal numbers (UPT) */
    {"060", 3, 11, false}, /* mobile */
    {"070", 3, 11, false}, /* mobile */
    {"080", 3, 11, false}, /* mobile */
    {"090", 3, 11, false}, /* mobile */
};

/* Labels that announce a phone number when written right in front of it, with their
 * lengths in bytes. */
#define LABEL(s)        \
    {                   \
        s, sizeof s - 1 \
    }
static const struct label {
    const char *text;
    size_t len;
} labels[] = {
    /* telephone number, telephone, mobile number, mobile, contact */
    LABEL("電話番号"),
    LABEL("電話"),
    LABEL("携帯番号"),
    LABEL("携帯"),
    LABEL("連絡先"),
    /* the telephone signs and the receiver emoji */
    LABEL("☎"),
    LABEL("℡"),
    LABEL("\xF0\x9F\x93\x9E"),
    /* Latin labels, matched without regard to case */
    LABEL("tel"),
    LABEL("fax"),
    LABEL("phone"),
    LABEL("mobile"),
};

/* National numbers start with 0, and area codes have at most five digits with it: the four
 * digits after the 0 decide the area code of a fixed line. */
#define AREA_KEYS 10000

struct phone_state {
    pcre2_code *re;
    /* The length of the longest area code that prefixes 0 followed by the four digits of
     * the index (pii_area_code_find's answer), 0 for none: a fixed line is checked with one
     * look-up instead of up to four binary searches. */
    uint8_t area_len[AREA_KEYS];
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

static bool equals_nocase(const char *s, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lower(s[i]) != lower(t[i]))
            return false;
    }
    return true;
}

/* d[0..n) is a national number with its leading 0; `first` is the length of its first group
 * as written, or 0 when the number was written without groups. */
static bool is_valid_number(const struct phone_state *ps, const char *d, size_t n, size_t first)
{
    if (n < 10 || d[0] != '0')
        return false;
    bool is_non_geographic = false;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        const struct phone_class *c = &classes[i];
        size_t plen = c->prefix_len;
        /* Every prefix starts with 0, as d does: the second digit tells most apart. */
        if (d[1] != c->prefix[1] || memcmp(d, c->prefix, plen) != 0)
            continue;
        is_non_geographic = true;
        if (n == c->digits && (first == 0 || first == plen) &&
            (c->is_zero_next_ok || d[plen] != '0'))
            return true;
    }
    if (is_non_geographic)
        return false;
    if (n != 10)
        return false;
    /* Ten digits, all of them digits: the first five are the key. */
    size_t key = (size_t)(d[1] - '0') * 1000 + (size_t)(d[2] - '0') * 100 +
                 (size_t)(d[3] - '0') * 10 + (size_t)(d[4] - '0');
    size_t area = ps->area_len[key];
    if (area == 0)
        return false;
    return first == 0 || (first >= 2 && first <= area);
}

/* The national number of the match s[0..len): its digits with the leading 0, and the length
 * of the first group as written (0 when ungrouped). False when it cannot be one. */
static bool parse_number(const char *s, size_t len, char *d, size_t *n, size_t *first)
{
    size_t i = 0;
    size_t nd = 0;
    size_t runs = 0;
    size_t first_run = 0;
    bool is_in_run = false;
    bool is_intl = s[0] == '+';
    if (is_intl) {
        i = 3; /* "+81" */
        d[nd++] = '0';
    }
    for (; i < len; i++) {
        if (!is_digit(s[i])) {
            is_in_run = false;
            continue;
        }
        if (!is_in_run) {
            is_in_run = true;
            runs++;
        }
        /* After +81 the trunk 0 is dropped ("+81 3"), kept ("+81 03") or set apart in
         * "(0)": the one 0 we put in front stands for all three. */
        if (is_intl && nd == 1 && s[i] == '0') {
            if (runs == 1 && i + 1 < len && s[i + 1] == ')')
                runs = 0; /* "(0)" is not a group of its own */
            continue;
        }
        if (nd == NATIONAL_MAX_DIGITS)
            return false;
        d[nd++] = s[i];
        if (runs == 1)
            first_run = nd;
    }
    *n = nd;
    *first = runs > 1 ? first_run : 0;
    return true;
}

/* A label such as "TEL:", "電話番号：" or "☎" right before s[start], with at most a few
 * separators between. */
static bool has_label_before(const char *s, size_t start)
{
    size_t i = start;
    for (int skipped = 0; i > 0 && skipped < 4; skipped++) {
        char c = s[i - 1];
        if (c == ' ' || c == ':' || c == '.' || c == '=' || c == ')' || c == ']' || c == '\t') {
            i--;
        } else if (i >= 3 && (memcmp(s + i - 3, "】", 3) == 0 || memcmp(s + i - 3, "」", 3) == 0)) {
            i -= 3;
        } else {
            break;
        }
    }
    for (size_t k = 0; k < sizeof labels / sizeof labels[0]; k++) {
        size_t n = labels[k].len;
        if (i < n || !equals_nocase(s + i - n, labels[k].text, n))
            continue;
        /* "hotel:" is not "tel:" */
        if (is_alpha(labels[k].text[0]) && i > n && is_alpha(s[i - n - 1]))
            continue;
        return true;
    }
    return false;
}

static unsigned record_keywords(const pii_unit *u)
{
    return pii_unit_keywords(u);
}

static int report(const pii_unit *u, size_t start, size_t end, double confidence,
                  pii_candidates *out)
{
    const char *detector = "phone";
    if (has_label_before(u->text, start)) {
        confidence = CONF_LABEL;
        detector = "phone/keyword";
    } else if (record_keywords(u) & (1u << PII_COL_PHONE)) {
        if (confidence < CONF_RECORD_KEYWORD)
            confidence = CONF_RECORD_KEYWORD;
        detector = "phone/keyword";
    }
    return pii_candidates_push(out, PIISCAN_TYPE_PHONE, start, end, confidence, detector);
}

/* A spreadsheet that took a phone column for numbers dropped the leading 0 (9012345678).
 * Looked for only when the header says the column holds phone numbers. */
static int scan_stripped_zero(const struct phone_state *ps, const pii_unit *u, pii_candidates *out)
{
    size_t start = 0;
    size_t end = u->len;
    while (start < end && u->text[start] == ' ')
        start++;
    while (end > start && u->text[end - 1] == ' ')
        end--;
    size_t n = end - start;
    if ((n != 9 && n != 10) || u->text[start] == '0')
        return PIISCAN_OK;
    char d[NATIONAL_MAX_DIGITS + 1];
    d[0] = '0';
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(u->text[start + i]))
            return PIISCAN_OK;
        d[i + 1] = u->text[start + i];
    }
    if (!is_valid_number(ps, d, n + 1, 0))
        return PIISCAN_OK;
    return pii_candidates_push(out, PIISCAN_TYPE_PHONE, start, end, CONF_EXCEL_STRIPPED,
                               "phone/column");
}

static int phone_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                      pii_candidates *out)
{
    const struct phone_state *ps = state;
    if (u->digits < MIN_DIGITS)
        return PIISCAN_OK;
    if (u->column == PII_COL_PHONE) {
        int rc = scan_stripped_zero(ps, u, out);
        if (rc != PIISCAN_OK)
            return rc;
    }
    if (u->digits < 10)
        return PIISCAN_OK;
    pii_match m;
    int rc;
    for (size_t pos = 0; (rc = pii_pattern_find(ps->re, md, u, pos, &m)) == 1;) {
        size_t start = m.start;
        size_t end = m.end;
        char d[NATIONAL_MAX_DIGITS];
        size_t n = 0;
        size_t first = 0;
        if (!parse_number(u->text + start, end - start, d, &n, &first) ||
            !is_valid_number(ps, d, n, first)) {
            pos = pii_utf8_next(u->text, u->len, start);
            continue;
        }
        bool is_grouped = first != 0 || u->text[start] == '+';
        rc = report(u, start, end, is_grouped ? CONF_GROUPED : CONF_UNGROUPED, out);
        if (rc != PIISCAN_OK)
            return rc;
        pos = end;
    }
    return rc < 0 ? rc : PIISCAN_OK;
}

static int phone_compile(void **state, piiscan_error *err)
{
    struct phone_state *ps = calloc(1, sizeof *ps);
    if (ps == NULL)
        return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    int rc = pii_pattern_compile(pattern, 0, &ps->re, err);
    if (rc != PIISCAN_OK) {
        free(ps);
        return rc;
    }
    for (size_t key = 0; key < AREA_KEYS; key++) {
        char d[5] = {'0', (char)('0' + key / 1000), (char)('0' + key / 100 % 10),
                     (char)('0' + key / 10 % 10), (char)('0' + key % 10)};
        const struct pii_area_code *area = pii_area_code_find(d, sizeof d);
        ps->area_len[key] = area != NULL ? (uint8_t)strlen(area->code) : 0;
    }
    *state = ps;
    return PIISCAN_OK;
}

static void phone_free(void *state)
{
    struct phone_state *ps = state;
    if (ps == NULL)
        return;
    pcre2_code_free(ps->re);
    free(ps);
}

const struct pii_detector pii_detector_phone = {
    .name = "phone",
    .type = PIISCAN_TYPE_PHONE,
    .needs_digit_or_at = true,
    .min_digits = MIN_DIGITS,
    .compile = phone_compile,
    .free = phone_free,
    .scan = phone_scan,
};
