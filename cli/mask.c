/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mask.c - masking of found values for display. A mask shows enough to recognise the kind
 * of value and to find it again in the file (the area code, the last four digits, the mail
 * domain) and nothing that identifies the person: no digits beyond the stated ones, and an
 * e-mail's local part always shows as one character and "***", whatever its length.
 * A masked character becomes '*' when it is narrow and '＊' (U+FF0A) when it is wide, so a
 * mask lines up with the value in a terminal. Works on the UTF-8 the library delivers, where
 * digits may be full-width (０-９) as they were in the file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define WIDE_STAR "\xEF\xBC\x8A" /* U+FF0A FULLWIDTH ASTERISK */

/* Phone masks keep the area code or mobile prefix; Japanese area codes have at most five
 * digits with the leading 0 ("01564"). */
#define PHONE_HEAD_MAX_DIGITS 5
#define TAIL_DIGITS           4

struct chr {
    size_t at; /* byte offset in the value */
    size_t len;
    uint32_t cp;
    bool is_invalid;
};

/* One UTF-8 character of s[0..n); an invalid byte is a character of its own. */
static inline struct chr next_chr(const unsigned char *s, size_t n, size_t at)
{
    struct chr c = {.at = at, .len = 1, .cp = s[at], .is_invalid = false};
    unsigned char b = s[at];
    size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
    if (len == 0 || at + len > n) {
        c.is_invalid = true;
        return c;
    }
    uint32_t cp = len == 1 ? b : len == 2 ? b & 0x1Fu : len == 3 ? b & 0x0Fu : b & 0x07u;
    for (size_t i = 1; i < len; i++) {
        if ((s[at + i] & 0xC0) != 0x80) {
            c.is_invalid = true;
            return c;
        }
        cp = cp << 6 | (s[at + i] & 0x3Fu);
    }
    c.len = len;
    c.cp = cp;
    return c;
}

static inline bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); /* ０-９ */
}

static unsigned digit_value(uint32_t cp)
{
    return cp <= '9' ? cp - '0' : cp - 0xFF10;
}

/* Wide in a terminal: everything beyond ASCII except half-width katakana (U+FF61-FF9F). */
static bool is_wide(const struct chr *c)
{
    return !c->is_invalid && c->cp >= 0x80 && !(c->cp >= 0xFF61 && c->cp <= 0xFF9F);
}

struct masker {
    const char *value;
    char *out;
    size_t len;
    bool is_plain; /* no character kept so far needs a JSON escape or is invalid UTF-8 */
};

static inline void put_bytes(struct masker *m, const char *s, size_t n)
{
    memcpy(m->out + m->len, s, n);
    m->len += n;
}

/* Whether a character next_chr read is one JSON writes as it is: printable ASCII but '"' and
 * '\\', or a sequence that is valid UTF-8 in the strict sense of json.c (next_chr lets
 * overlong forms, surrogates and leads above F4 pass). */
static inline bool is_json_plain(const struct chr *c, unsigned char lead)
{
    switch (c->len) {
    case 1:
        return c->cp >= 0x20 && c->cp < 0x7F && c->cp != '"' && c->cp != '\\';
    case 2:
        return c->cp >= 0x80;
    case 3:
        return c->cp >= 0x800 && (c->cp < 0xD800 || c->cp > 0xDFFF);
    default:
        return lead <= 0xF4 && c->cp >= 0x10000 && c->cp <= 0x10FFFF;
    }
}

static inline void keep(struct masker *m, const struct chr *c)
{
    if (c->is_invalid) {
        put_bytes(m, "?", 1); /* never copy a byte that would make the mask invalid UTF-8 */
        return;
    }
    put_bytes(m, m->value + c->at, c->len);
    if (!is_json_plain(c, (unsigned char)m->value[c->at]))
        m->is_plain = false;
}

static inline void hide(struct masker *m, const struct chr *c)
{
    if (is_wide(c))
        put_bytes(m, WIDE_STAR, sizeof WIDE_STAR - 1);
    else
        put_bytes(m, "*", 1);
}

/* The value of the k-th digit (0-based), or 10 when there are fewer digits. */
static unsigned nth_digit(const unsigned char *s, size_t n, size_t k)
{
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        at += c.len;
        if (is_digit(c.cp) && k-- == 0)
            return digit_value(c.cp);
    }
    return 10;
}

static bool starts_with_plus(const unsigned char *s, size_t n)
{
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        at += c.len;
        if (c.cp != ' ' && c.cp != 0x3000)
            return c.cp == '+' || c.cp == 0xFF0B; /* ＋ */
    }
    return false;
}

/* Which digits of a phone number stay visible: a "+81" country code (*skip digits), then
 * *head digits of the national number (its first group: the area code or mobile prefix),
 * then the last TAIL_DIGITS. */
static void phone_plan(const unsigned char *s, size_t n, size_t ndigits, size_t *skip, size_t *head)
{
    bool is_intl = starts_with_plus(s, n) && nth_digit(s, n, 0) == 8 && nth_digit(s, n, 1) == 1;
    size_t cc = is_intl ? 2 : 0;
    size_t first_group = 0;
    bool is_grouped = false;
    bool is_gap = false; /* a separator since the last national digit */
    size_t k = 0;
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        at += c.len;
        if (!is_digit(c.cp)) {
            is_gap = k > cc; /* separators after "+81" do not group the national number */
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
    /* Ungrouped: "090" of 09012345678; "90" after +81, which drops the leading 0; "03" of
     * 0312345678, since 03, 04 and 06 are the two-digit area codes and a third digit would
     * be the subscriber's. */
    size_t h = is_grouped ? first_group : is_intl ? 2 : 3;
    unsigned second = nth_digit(s, n, 1);
    if (!is_grouped && !is_intl && national == 10 && nth_digit(s, n, 0) == 0 &&
        (second == 3 || second == 4 || second == 6))
        h = 2;
    if (h > PHONE_HEAD_MAX_DIGITS)
        h = PHONE_HEAD_MAX_DIGITS;
    /* A short or oddly grouped number still gets at least one hidden digit. */
    if (h + TAIL_DIGITS >= national)
        h = national > TAIL_DIGITS + 1 ? national - TAIL_DIGITS - 1 : 0;
    *skip = cc;
    *head = h;
}

static size_t count_digits(const unsigned char *s, size_t n)
{
    size_t count = 0;
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        at += c.len;
        if (is_digit(c.cp))
            count++;
    }
    return count;
}

/* Numbers: separators and other non-digits stay, digits are hidden except
 * [0, head) after `skip` shown digits, and the last `tail`. ndigits is count_digits(s, n),
 * which the caller has counted already. */
static void mask_digits(struct masker *m, const unsigned char *s, size_t n, size_t ndigits,
                        size_t skip, size_t head, size_t tail)
{
    if (skip + head + tail >= ndigits) {
        /* Never show a whole number; hide everything rather than guess. */
        skip = 0;
        head = 0;
        tail = 0;
    }
    size_t k = 0;
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        at += c.len;
        if (!is_digit(c.cp)) {
            keep(m, &c);
            continue;
        }
        if (k < skip + head || k >= ndigits - tail)
            keep(m, &c);
        else
            hide(m, &c);
        k++;
    }
}

/* Everything but the first character hidden; three-byte characters (kana, kanji), nearly
 * all of a name or an address that is not ASCII, are read in line. */
static void mask_text(struct masker *m, const unsigned char *s, size_t n)
{
    if (n == 0)
        return;
    struct chr first = next_chr(s, n, 0);
    keep(m, &first);
    for (size_t at = first.len; at < n;) {
        if (s[at] >= 0xE0 && s[at] < 0xF0 && n - at >= 3 && (s[at + 1] & 0xC0) == 0x80 &&
            (s[at + 2] & 0xC0) == 0x80) {
            uint32_t cp = (s[at] & 0x0Fu) << 12 | (s[at + 1] & 0x3Fu) << 6 | (s[at + 2] & 0x3Fu);
            struct chr c = {.at = at, .len = 3, .cp = cp, .is_invalid = false};
            hide(m, &c);
            at += 3;
            continue;
        }
        struct chr c = next_chr(s, n, at);
        hide(m, &c);
        at += c.len;
    }
}

static void mask_email(struct masker *m, const unsigned char *s, size_t n)
{
    size_t at_sign = n; /* the last '@' or '＠': a quoted local part may hold one too */
    for (size_t at = 0; at < n;) {
        struct chr c = next_chr(s, n, at);
        if (c.cp == '@' || c.cp == 0xFF20)
            at_sign = at;
        at += c.len;
    }
    if (at_sign == n) {
        mask_text(m, s, n);
        return;
    }
    if (at_sign > 0) {
        struct chr first = next_chr(s, n, 0);
        keep(m, &first);
    }
    put_bytes(m, "***", 3);
    for (size_t at = at_sign; at < n;) {
        struct chr c = next_chr(s, n, at);
        keep(m, &c);
        at += c.len;
    }
}

size_t mask_value_into(piiscan_type type, const char *value, size_t len, char *out, bool *is_plain)
{
    struct masker m = {.value = value, .out = out, .len = 0, .is_plain = true};
    const unsigned char *s = (const unsigned char *)value;
    size_t ndigits = 0;
    size_t skip = 0;
    size_t head = 0;
    switch (type) {
    case PIISCAN_TYPE_PHONE:
        ndigits = count_digits(s, len);
        phone_plan(s, len, ndigits, &skip, &head);
        mask_digits(&m, s, len, ndigits, skip, head, TAIL_DIGITS);
        break;
    case PIISCAN_TYPE_POSTAL_CODE:
        /* "106-****": the first three name the area */
        mask_digits(&m, s, len, count_digits(s, len), 0, 3, 0);
        break;
    case PIISCAN_TYPE_MY_NUMBER:
        mask_digits(&m, s, len, count_digits(s, len), 0, 0, 0);
        break;
    case PIISCAN_TYPE_CREDIT_CARD:
        /* as receipts print them (PCI DSS 3.4) */
        mask_digits(&m, s, len, count_digits(s, len), 0, 0, TAIL_DIGITS);
        break;
    case PIISCAN_TYPE_EMAIL:
        mask_email(&m, s, len);
        break;
    case PIISCAN_TYPE_NAME:
    case PIISCAN_TYPE_ADDRESS:
    default:
        mask_text(&m, s, len);
        break;
    }
    m.out[m.len] = '\0';
    if (is_plain != NULL)
        *is_plain = m.is_plain;
    return m.len;
}

size_t mask_split_part_into(const char *value, size_t len, char *out, bool *is_plain)
{
    /* every digit hidden */
    return mask_value_into(PIISCAN_TYPE_MY_NUMBER, value, len, out, is_plain);
}

char *mask_value(piiscan_type type, const char *value, size_t len)
{
    if (len > MASK_VALUE_MAX)
        return NULL;
    char *out = malloc(MASK_BYTES(len));
    if (out == NULL)
        return NULL;
    mask_value_into(type, value, len, out, NULL);
    return out;
}

char *mask_split_part(const char *value, size_t len)
{
    return mask_value(PIISCAN_TYPE_MY_NUMBER, value, len); /* that rule hides every digit */
}
