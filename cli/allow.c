/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * allow.c - values that are not personal data: a company's own telephone number, its head
 * office's address, its inquiry mailbox. A rule names a value, a pattern or a fingerprint;
 * a finding any rule allows is left out of the report (and counted as suppressed).
 *
 * Values are compared in a canonical form, so that 03-1234-5678 in the config file allows
 * (03)1234-5678 and ０３１２３４５６７８ in an export. Patterns see the value as found and
 * its canonical form, so that ^0120 allows every free-dial number however it is written.
 * Fingerprints allow a value without writing it down. The rules are built before the sweep
 * and only read during it: matching is safe from any thread (each call brings its own PCRE2
 * match data).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "cli.h"

#define FINGERPRINT_BYTES (FINGERPRINT_HEX_CHARS / 2)
/* Values of findings are short: their canonical form is made on the stack up to this. */
#define CANONICAL_STACK_BYTES 256

struct allowed_value {
    piiscan_type type;
    char *canonical;
    size_t len;
};

struct allowed_pattern {
    unsigned types; /* PIISCAN_TYPE_BIT()s */
    pcre2_code *re;
};

struct allow_rules {
    struct allowed_value *values; /* sorted by type, then canonical form */
    size_t nvalues;
    struct allowed_pattern *patterns;
    size_t npatterns;
    unsigned char (*fingerprints)[FINGERPRINT_BYTES]; /* sorted */
    size_t nfingerprints;
};

struct allow_rules *allow_rules_new(void)
{
    return calloc(1, sizeof(struct allow_rules));
}

void allow_rules_free(struct allow_rules *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nvalues; i++)
        free(r->values[i].canonical);
    free(r->values);
    for (size_t i = 0; i < r->npatterns; i++)
        pcre2_code_free(r->patterns[i].re);
    free(r->patterns);
    free(r->fingerprints);
    free(r);
}

static int out_of_memory(char *why, size_t size)
{
    snprintf(why, size, "out of memory");
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Canonical forms                                                                            */

/* The form values are compared in. It stands for the library's canonical form of a value
 * (the one fingerprints are keyed over) and follows its rules where it matters for a config
 * file: full-width ASCII is folded to ASCII and ideographic spaces to spaces; then a phone
 * number, postal code, My Number or card number is its digits (a phone's +81 becomes the
 * trunk 0), an e-mail address is lower-cased without spaces, and a name or address loses
 * its spaces. out must have room for len bytes (the form is never longer); returns its
 * length. */
static size_t canonical(piiscan_type type, const char *value, size_t len, char *out)
{
    bool is_number = type == PIISCAN_TYPE_PHONE || type == PIISCAN_TYPE_POSTAL_CODE ||
                     type == PIISCAN_TYPE_MY_NUMBER || type == PIISCAN_TYPE_CREDIT_CARD;
    const unsigned char *s = (const unsigned char *)value;
    size_t n = 0;
    bool is_plus = false;
    bool is_start = true;
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        size_t width = 1;
        if (c == 0xEF && i + 2 < len &&
            ((s[i + 1] == 0xBC && s[i + 2] >= 0x81 && s[i + 2] <= 0xBF) ||
             (s[i + 1] == 0xBD && s[i + 2] >= 0x80 && s[i + 2] <= 0x9E))) {
            /* U+FF01..U+FF5E, full-width ASCII: EF BC 81..BF is 0x21..0x5F, EF BD 80..9E is
             * 0x60..0x7E */
            c = s[i + 1] == 0xBC ? s[i + 2] - 0x60u : s[i + 2] - 0x20u;
            width = 3;
        } else if (c == 0xE3 && i + 2 < len && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
            c = ' '; /* U+3000 */
            width = 3;
        }
        bool is_space = c == ' ' || c == '\t';
        if (is_number) {
            if (is_start && c == '+')
                is_plus = true;
            if (c >= '0' && c <= '9')
                out[n++] = (char)c;
        } else if (!is_space) {
            if (width == 1 && c >= 0x80) {
                out[n++] = (char)c; /* a byte of another character, copied as it is */
            } else {
                bool is_upper = c >= 'A' && c <= 'Z';
                out[n++] = (char)(type == PIISCAN_TYPE_EMAIL && is_upper ? c + ('a' - 'A') : c);
            }
        }
        is_start = is_start && is_space;
        i += width;
    }
    if (type == PIISCAN_TYPE_PHONE && is_plus && n >= 2 && out[0] == '8' && out[1] == '1') {
        /* +81 3-1234-5678 is 03-1234-5678; +81 (0)3 ... already has its 0. */
        size_t drop = n > 2 && out[2] == '0' ? 2 : 1;
        out[1] = '0';
        memmove(out, out + drop, n - drop);
        n -= drop;
    }
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* Building                                                                                   */

static int compare_values(const struct allowed_value *a, piiscan_type type, const char *s,
                          size_t len)
{
    if (a->type != type)
        return a->type < type ? -1 : 1;
    int c = memcmp(a->canonical, s, a->len < len ? a->len : len);
    if (c != 0)
        return c;
    return a->len < len ? -1 : a->len > len;
}

/* The index of the first value not less than (type, s): where it is, or would go. */
static size_t value_index(const struct allow_rules *r, piiscan_type type, const char *s, size_t len)
{
    size_t lo = 0;
    size_t hi = r->nvalues;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_values(&r->values[mid], type, s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int allow_rules_add_value(struct allow_rules *r, piiscan_type type, const char *value, char *why,
                          size_t size)
{
    size_t len = strlen(value);
    char *form = malloc(len + 1);
    if (form == NULL)
        return out_of_memory(why, size);
    size_t n = canonical(type, value, len, form);
    if (n == 0) {
        free(form);
        bool is_number = type == PIISCAN_TYPE_PHONE || type == PIISCAN_TYPE_POSTAL_CODE ||
                         type == PIISCAN_TYPE_MY_NUMBER || type == PIISCAN_TYPE_CREDIT_CARD;
        snprintf(why, size, "%s value '%s' has no %s", piiscan_type_name(type), value,
                 is_number ? "digits" : "characters");
        return -1;
    }
    form[n] = '\0';
    size_t at = value_index(r, type, form, n);
    if (at < r->nvalues && compare_values(&r->values[at], type, form, n) == 0) {
        free(form); /* said twice */
        return 0;
    }
    struct allowed_value *v = realloc(r->values, (r->nvalues + 1) * sizeof *v);
    if (v == NULL) {
        free(form);
        return out_of_memory(why, size);
    }
    r->values = v;
    memmove(&v[at + 1], &v[at], (r->nvalues - at) * sizeof *v);
    v[at] = (struct allowed_value){type, form, n};
    r->nvalues++;
    return 0;
}

int allow_rules_add_pattern(struct allow_rules *r, unsigned types, const char *regex, char *why,
                            size_t size)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    /* MATCH_INVALID_UTF: a value holds valid UTF-8, but nothing may ever make a match fail. */
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)regex, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, NULL);
    if (re == NULL) {
        PCRE2_UCHAR message[120];
        if (pcre2_get_error_message(code, message, sizeof message) < 0)
            snprintf((char *)message, sizeof message, "error %d", code);
        snprintf(why, size, "pattern '%s' does not compile at offset %zu: %s", regex,
                 (size_t)offset, (const char *)message);
        return -1;
    }
    /* Without JIT (some architectures, or a hardened kernel) the interpreter matches alike. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    struct allowed_pattern *p = realloc(r->patterns, (r->npatterns + 1) * sizeof *p);
    if (p == NULL) {
        pcre2_code_free(re);
        return out_of_memory(why, size);
    }
    r->patterns = p;
    p[r->npatterns++] = (struct allowed_pattern){types != 0 ? types : PIISCAN_TYPES_ALL, re};
    return 0;
}

static size_t fingerprint_index(const struct allow_rules *r, const unsigned char *fp)
{
    size_t lo = 0;
    size_t hi = r->nfingerprints;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (memcmp(r->fingerprints[mid], fp, FINGERPRINT_BYTES) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int allow_rules_add_fingerprint(struct allow_rules *r, const char *hex, char *why, size_t size)
{
    unsigned char fp[FINGERPRINT_BYTES];
    if (!fingerprint_parse_hex(hex, fp)) {
        snprintf(why, size,
                 "fingerprint '%s' is not %d hexadecimal digits (copy one from the report of "
                 "piiscan scan --fingerprints)",
                 hex, FINGERPRINT_HEX_CHARS);
        return -1;
    }
    size_t at = fingerprint_index(r, fp);
    if (at < r->nfingerprints && memcmp(r->fingerprints[at], fp, FINGERPRINT_BYTES) == 0)
        return 0;
    unsigned char(*v)[FINGERPRINT_BYTES] =
        realloc(r->fingerprints, (r->nfingerprints + 1) * sizeof *v);
    if (v == NULL)
        return out_of_memory(why, size);
    r->fingerprints = v;
    memmove(&v[at + 1], &v[at], (r->nfingerprints - at) * sizeof *v);
    memcpy(v[at], fp, FINGERPRINT_BYTES);
    r->nfingerprints++;
    return 0;
}

bool allow_rules_have_fingerprints(const struct allow_rules *r)
{
    return r != NULL && r->nfingerprints > 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Matching                                                                                   */

static bool pattern_matches(const pcre2_code *re, const char *s, size_t len, pcre2_match_data *md)
{
    /* 0 ("ovector too small") is a match too: no groups are wanted. PCRE2_ERROR_NOMATCH and
     * resource errors (a pathological pattern) are no match: the finding is reported. */
    return pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

static bool patterns_match(const struct allow_rules *r, piiscan_type type, const char *value,
                           size_t len, const char *form, size_t form_len)
{
    pcre2_match_data *md = NULL;
    bool is_allowed = false;
    for (size_t i = 0; i < r->npatterns && !is_allowed; i++) {
        const struct allowed_pattern *p = &r->patterns[i];
        if ((p->types & PIISCAN_TYPE_BIT(type)) == 0)
            continue;
        if (md == NULL)
            md = pcre2_match_data_create(1, NULL);
        if (md == NULL)
            break; /* out of memory: nothing is hidden for want of it */
        is_allowed = pattern_matches(p->re, value, len, md) ||
                     (form != NULL && pattern_matches(p->re, form, form_len, md));
    }
    pcre2_match_data_free(md);
    return is_allowed;
}

bool allow_rules_match(const struct allow_rules *r, piiscan_type type, const char *value,
                       size_t len, const char *fingerprint)
{
    if (r == NULL)
        return false;
    if (r->nfingerprints > 0 && fingerprint != NULL) {
        unsigned char fp[FINGERPRINT_BYTES];
        if (fingerprint_parse_hex(fingerprint, fp)) {
            size_t at = fingerprint_index(r, fp);
            if (at < r->nfingerprints && memcmp(r->fingerprints[at], fp, FINGERPRINT_BYTES) == 0)
                return true;
        }
    }
    if (r->nvalues == 0 && r->npatterns == 0)
        return false;
    char stack[CANONICAL_STACK_BYTES];
    char *form = len <= sizeof stack ? stack : malloc(len);
    size_t form_len = form != NULL ? canonical(type, value, len, form) : 0;
    bool is_allowed = false;
    if (form != NULL && r->nvalues > 0) {
        size_t at = value_index(r, type, form, form_len);
        is_allowed = at < r->nvalues && compare_values(&r->values[at], type, form, form_len) == 0;
    }
    if (!is_allowed && r->npatterns > 0)
        is_allowed = patterns_match(r, type, value, len, form, form_len);
    if (form != stack)
        free(form);
    return is_allowed;
}
