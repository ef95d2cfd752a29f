/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * column.c - what a column header or a context word means.
 *
 * Headers and records are compared in canonical form (pii_canonical_label), so 【ＴＥＬ】,
 * TEL: and tel are one word. The terms (dict/column_header.tsv) and keywords
 * (dict/keyword.tsv) are stored canonical and sorted by byte order; both look-ups find, at
 * each start position, every term that begins there with a few binary searches, so the cost
 * grows with the length of the text, not with the size of the tables. Nothing here
 * allocates except through the caller's scratch text.
 */
#include <string.h>

#include "internal.h"

/* Longer canonical "headers" are sentences or values, not labels (the longest real ones, in
 * Rakuten's order CSV, are about 50 bytes). */
#define LABEL_MAX_BYTES 90
/* More digits than this, after trailing ones are dropped, make a date, amount or address
 * (2024年1月3日, 六本木6丁目10番1号), not a label (郵便番号上3桁 has one). */
#define LABEL_MAX_DIGITS 3
/* Keywords are matched against at most this many bytes from each position. */
#define TERM_MAX_BYTES 255
/* Size of the filter of keyword starts in pii_keyword_mask: ample for a few dozen keywords. */
#define KEYWORD_FILTER_LOG2 10
#define KEYWORD_FILTER_BITS (1u << KEYWORD_FILTER_LOG2)

/* Characters that decorate labels without changing their meaning. */
static bool is_decoration(uint32_t cp)
{
    switch (cp) {
    case ' ':
    case '\t':
    case '\r':
    case '\n':
    case '-':
    case '_':
    case '.':
    case ':':
    case '(':
    case ')':
    case '[':
    case ']':
    case '*':
    case '/':
    case 0x00A0: /* no-break space */
    case 0x200B: /* zero-width space */
    case 0x203B: /* ※ */
    case 0x3000: /* ideographic space, in case normalisation left it */
    case 0x300C: /* 「 */
    case 0x300D: /* 」 */
    case 0x3010: /* 【 */
    case 0x3011: /* 】 */
    case 0x30FB: /* ・ */
    case 0xFEFF: /* byte order mark left at the start of a first header cell */
    case 0xFF62: /* ｢ */
    case 0xFF63: /* ｣ */
    case 0xFF65: /* ･ */
        return true;
    default:
        return false;
    }
}

int pii_canonical_label(const char *s, size_t n, pii_text *out)
{
    int rc = pii_normalize(s, n, out);
    if (rc != PIISCAN_OK)
        return rc;
    /* Compacted in place, map with data, so that the map still leads back to s. */
    size_t w = 0;
    uint32_t end = 0;
    for (size_t r = 0; r < out->len;) {
        uint32_t cp;
        size_t k = pii_utf8_get(out->data + r, out->len - r, &cp);
        if (!is_decoration(cp)) {
            for (size_t i = 0; i < k; i++) {
                char c = out->data[r + i];
                out->data[w + i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
                out->map[w + i] = out->map[r + i];
            }
            w += k;
            end = out->map[r + k];
        }
        r += k;
    }
    if (w < out->len) {
        out->len = w;
        out->map[w] = end;
        out->data[w] = '\0';
    }
    return PIISCAN_OK;
}

/* Byte order of a term against s[0..n), as strcmp would order them. */
static int compare_term(const struct pii_term *t, const char *s, size_t n)
{
    int r = memcmp(t->text, s, t->len < n ? t->len : n);
    if (r != 0)
        return r;
    return (t->len > n) - (t->len < n);
}

/* Walks the terms that are prefixes of a text, longest first. If t is the greatest term
 * <= s, every other term that is a prefix of s sorts before t and is also a prefix of t, so
 * it is at most as long as what t and s share: search again below t for that shorter
 * prefix. Each step is one binary search and most positions take one or two. */
struct prefix_walk {
    const struct pii_term *terms;
    size_t count; /* terms[0..count) are still candidates */
    const char *s;
    size_t n; /* candidates are prefixes of s[0..n) */
};

static const struct pii_term *next_prefix_term(struct prefix_walk *w)
{
    while (w->n > 0 && w->count > 0) {
        size_t lo = 0;
        size_t hi = w->count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (compare_term(&w->terms[mid], w->s, w->n) <= 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0)
            break;
        const struct pii_term *t = &w->terms[lo - 1];
        size_t common = 0;
        size_t max = t->len < w->n ? t->len : w->n;
        while (common < max && t->text[common] == w->s[common])
            common++;
        w->count = lo - 1;
        if (common == t->len) {
            w->n = common - 1;
            return t;
        }
        w->n = common;
    }
    return NULL;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* An e-mail address, a date or an address in a data row is not a header, whatever words it
 * contains: header detection asks about every cell of the first rows. */
static bool is_value(const char *s, size_t n)
{
    if (n > LABEL_MAX_BYTES || memchr(s, '@', n) != NULL)
        return true;
    size_t digits = 0;
    for (size_t i = 0; i < n; i++)
        digits += is_digit(s[i]);
    return digits > LABEL_MAX_DIGITS;
}

/* Trailing digits number repeated columns (電話番号1..3, ship-address-1, BillAddress2) and are
 * dropped before matching; a label of digits only means nothing. Then a term equal to the
 * label decides. Otherwise the longest suffix or contains term wins, and between two of one
 * length the one that ends later: compounds end with their head noun (メールフラグ is a
 * flag, 住所番地 the street part), in Japanese and in English (buyer-phone-number). */
enum pii_column pii_column_lookup(const char *label, size_t n, pii_text *scratch)
{
    if (pii_canonical_label(label, n, scratch) != PIISCAN_OK)
        return PII_COL_NONE;
    const char *s = scratch->data;
    size_t len = scratch->len;
    while (len > 0 && is_digit(s[len - 1]))
        len--;
    if (len == 0 || is_value(s, len))
        return PII_COL_NONE;

    const struct pii_term *best = NULL;
    size_t best_end = 0;
    for (size_t i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue; /* inside a UTF-8 character: no term starts here */
        struct prefix_walk w = {pii_column_terms, pii_column_terms_count, s + i, len - i};
        const struct pii_term *t;
        while ((t = next_prefix_term(&w)) != NULL) {
            size_t end = i + t->len;
            if (i == 0 && end == len)
                return (enum pii_column)t->meaning;
            if (t->match == PII_MATCH_EXACT || (t->match == PII_MATCH_SUFFIX && end != len))
                continue;
            if (best == NULL || t->len > best->len || (t->len == best->len && end > best_end)) {
                best = t;
                best_end = end;
            }
        }
    }
    return best != NULL ? (enum pii_column)best->meaning : PII_COL_NONE;
}

/* A hash of the 3 bytes at p, below KEYWORD_FILTER_BITS (Knuth's multiplicative hash). */
static unsigned hash3(const char *p)
{
    uint32_t v = (uint32_t)(unsigned char)p[0] << 16 | (uint32_t)(unsigned char)p[1] << 8 |
                 (uint32_t)(unsigned char)p[2];
    return (v * 2654435761u) >> (32 - KEYWORD_FILTER_LOG2);
}

unsigned pii_keyword_mask(const char *s, size_t n)
{
    /* Every keyword is at least 3 bytes long (one kanji or kana, or tel, zip, fax: compile.sh
     * enforces it), so a position can only start one if its first 3 bytes start one. In
     * Japanese text nearly every lead byte (E3, E5..E9) is one some keyword starts with; the
     * filter of first 3 bytes leaves a search for 19 of 376 positions of a Rakuten-shaped
     * order row, and made the mask 4x faster there. Once every meaning of the table is found,
     * the rest cannot add a bit. */
    uint32_t filter[KEYWORD_FILTER_BITS / 32] = {0};
    unsigned all = 0;
    for (size_t k = 0; k < pii_keywords_count; k++) {
        unsigned h = hash3(pii_keywords[k].text);
        filter[h / 32] |= 1u << (h % 32);
        all |= 1u << pii_keywords[k].meaning;
    }
    unsigned mask = 0;
    for (size_t i = 0; i + 3 <= n && mask != all; i++) {
        unsigned h = hash3(s + i);
        if ((filter[h / 32] & (1u << (h % 32))) == 0)
            continue;
        size_t rest = n - i < TERM_MAX_BYTES ? n - i : TERM_MAX_BYTES;
        struct prefix_walk w = {pii_keywords, pii_keywords_count, s + i, rest};
        const struct pii_term *t;
        while ((t = next_prefix_term(&w)) != NULL)
            mask |= 1u << t->meaning;
    }
    return mask;
}

piiscan_type pii_column_type(enum pii_column c)
{
    switch (c) {
    case PII_COL_NAME:
    case PII_COL_NAME_KANA:
        return PIISCAN_TYPE_NAME;
    case PII_COL_ADDRESS:
    case PII_COL_PREFECTURE:
    case PII_COL_CITY:
    case PII_COL_STREET:
    case PII_COL_BUILDING:
        return PIISCAN_TYPE_ADDRESS;
    case PII_COL_PHONE:
        return PIISCAN_TYPE_PHONE;
    case PII_COL_POSTAL_CODE:
        return PIISCAN_TYPE_POSTAL_CODE;
    case PII_COL_EMAIL:
        return PIISCAN_TYPE_EMAIL;
    case PII_COL_MY_NUMBER:
        return PIISCAN_TYPE_MY_NUMBER;
    case PII_COL_CREDIT_CARD:
        return PIISCAN_TYPE_CREDIT_CARD;
    case PII_COL_NONE:
    case PII_COL_NOT_PII:
    case PII_COL_COUNT:
        break;
    }
    return (piiscan_type)0;
}

/* Computed on the first question about a record, so records without a candidate cost
 * nothing. A failed canonicalisation (out of memory) is not cached: it counts as no
 * keywords now and is tried again on the next question. */
unsigned pii_context_keywords(pii_context *ctx)
{
    if (ctx->is_keywords_known)
        return ctx->keywords;
    if (pii_canonical_label(ctx->record, ctx->record_len, ctx->scratch) != PIISCAN_OK)
        return 0;
    ctx->keywords = pii_keyword_mask(ctx->scratch->data, ctx->scratch->len);
    ctx->is_keywords_known = true;
    return ctx->keywords;
}

unsigned pii_unit_keywords(const pii_unit *u)
{
    if (u->column != PII_COL_NONE)
        return 1u << u->column;
    return u->ctx != NULL ? pii_context_keywords(u->ctx) : 0;
}
