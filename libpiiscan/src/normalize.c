/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * normalize.c - folds decoded text so that one pattern matches every way Japanese data is
 * typed: full-width ASCII, half-width katakana, and the many dashes between phone digits.
 *
 * Invariant: every output byte maps to the input character that produced it, and the output
 * is never longer than valid input, so spans found in it map back exactly. Deliberately not
 * NFKC: only the characters listed here change (yen signs, circled digits, kanji variants
 * stay as they are), and ー stays a long vowel mark unless it stands between digits.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

/* U+FF61..U+FF9F, half-width katakana and punctuation, as their full-width forms (NFKC,
 * except that the voiced marks become the spacing ゛ ゜ when they follow no kana). */
static const uint16_t halfwidth_kana[63] = {
    0x3002, 0x300C, 0x300D, 0x3001, 0x30FB, 0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9,
    0x30E3, 0x30E5, 0x30E7, 0x30C3, 0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB,
    0x30AD, 0x30AF, 0x30B1, 0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1,
    0x30C4, 0x30C6, 0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5,
    0x30D8, 0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9,
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3, 0x309B, 0x309C,
};

#define HW_VOICED      0xFF9E /* ﾞ */
#define HW_SEMI_VOICED 0xFF9F /* ﾟ */

/* The full-width form of half-width kana `hw` followed by `mark`, or 0 if they do not
 * compose (ｶﾞ -> ガ, ﾊﾟ -> パ, ｳﾞ -> ヴ, ﾜﾞ -> ヷ, ｦﾞ -> ヺ). */
static uint32_t compose(uint32_t hw, uint32_t mark)
{
    uint32_t full = halfwidth_kana[hw - 0xFF61];
    bool is_h_row = hw >= 0xFF8A && hw <= 0xFF8E; /* ﾊ-ﾎ */
    if (mark == HW_SEMI_VOICED)
        return is_h_row ? full + 2 : 0;
    if (is_h_row || (hw >= 0xFF76 && hw <= 0xFF84)) /* ｶ-ﾄ: the voiced form follows */
        return full + 1;
    if (hw == 0xFF73)
        return 0x30F4;
    if (hw == 0xFF9C)
        return 0x30F7;
    if (hw == 0xFF66)
        return 0x30FA;
    return 0;
}

/* Dashes that are always a hyphen in data, whatever surrounds them. */
static bool is_dash(uint32_t cp)
{
    switch (cp) {
    case 0x02D7: /* ˗ modifier minus */
    case 0x2010: /* ‐ hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* ‒ figure dash */
    case 0x2013: /* – en dash */
    case 0x2043: /* ⁃ hyphen bullet */
    case 0x2212: /* − minus */
    case 0x2796: /* ➖ heavy minus */
    case 0xFE63: /* ﹣ small hyphen-minus */
        return true;
    default:
        return false;
    }
}

static bool is_katakana(uint32_t cp)
{
    return cp >= 0x30A1 && cp <= 0x30FC;
}

/* Whether the character at s[0..n) (possibly none) folds to an ASCII digit. */
static bool starts_with_digit(const char *s, size_t n)
{
    if (n == 0)
        return false;
    if (s[0] >= '0' && s[0] <= '9')
        return true;
    uint32_t cp;
    pii_utf8_fast(s, n, &cp);
    return cp >= 0xFF10 && cp <= 0xFF19;
}

bool pii_is_ascii(const char *s, size_t n)
{
    const uint64_t high = UINT64_C(0x8080808080808080);
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, s + i, sizeof w);
        if ((w[0] | w[1] | w[2] | w[3]) & high)
            return false;
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, sizeof w);
        if (w & high)
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

enum { BYTE_DIGIT = 1, BYTE_AT = 2, BYTE_LEAD = 4, BYTE_CAPITAL = 8 };

/* Classes of the bytes pii_survey() stops at; all others are passed over with one look-up. */
static const uint8_t byte_class[256] = {
    ['0'] = BYTE_DIGIT,   ['1'] = BYTE_DIGIT,   ['2'] = BYTE_DIGIT,   ['3'] = BYTE_DIGIT,
    ['4'] = BYTE_DIGIT,   ['5'] = BYTE_DIGIT,   ['6'] = BYTE_DIGIT,   ['7'] = BYTE_DIGIT,
    ['8'] = BYTE_DIGIT,   ['9'] = BYTE_DIGIT,   ['@'] = BYTE_AT,      [0xCB] = BYTE_LEAD,
    [0xE2] = BYTE_LEAD,   [0xE3] = BYTE_LEAD,   [0xEF] = BYTE_LEAD,   ['A'] = BYTE_CAPITAL,
    ['B'] = BYTE_CAPITAL, ['C'] = BYTE_CAPITAL, ['D'] = BYTE_CAPITAL, ['E'] = BYTE_CAPITAL,
    ['F'] = BYTE_CAPITAL, ['G'] = BYTE_CAPITAL, ['H'] = BYTE_CAPITAL, ['I'] = BYTE_CAPITAL,
    ['J'] = BYTE_CAPITAL, ['K'] = BYTE_CAPITAL, ['L'] = BYTE_CAPITAL, ['M'] = BYTE_CAPITAL,
    ['N'] = BYTE_CAPITAL, ['O'] = BYTE_CAPITAL, ['P'] = BYTE_CAPITAL, ['Q'] = BYTE_CAPITAL,
    ['R'] = BYTE_CAPITAL, ['S'] = BYTE_CAPITAL, ['T'] = BYTE_CAPITAL, ['U'] = BYTE_CAPITAL,
    ['V'] = BYTE_CAPITAL, ['W'] = BYTE_CAPITAL, ['X'] = BYTE_CAPITAL, ['Y'] = BYTE_CAPITAL,
    ['Z'] = BYTE_CAPITAL,
};

/* The survey byte by byte from p[i] on, adding to what sv, *has_at, *is_wide_hint and *high
 * hold. Stops where nothing more is to be learnt: a field to fold has its digits counted
 * again after folding, and holds a byte outside ASCII, so once it may also hold a number the
 * survey is done (what it left uncounted, the caller does not use). */
static void survey_bytes(const unsigned char *p, size_t n, size_t i, struct pii_survey *svp,
                         bool *has_at_p, bool *is_wide_hint_p, unsigned char *high_p)
{
    struct pii_survey sv = *svp;
    bool is_wide_hint = *is_wide_hint_p;
    bool has_at = *has_at_p;
    /* Every byte is or-ed in rather than classed: outside ASCII is the common case in
     * Japanese text, and a branch per byte would cost the number-only scans. */
    unsigned char high = *high_p;
    for (; i < n; i++) {
        high |= p[i];
        uint8_t c = byte_class[p[i]];
        if (c == 0)
            continue;
        if (c == BYTE_DIGIT) {
            sv.digits++;
        } else if (c == BYTE_AT) {
            has_at = true;
        } else if (c == BYTE_CAPITAL) {
            sv.has_capital = true;
        } else if (p[i] == 0xEF) { /* full-width forms, half-width kana, U+FE63 */
            sv.needs_folding = true;
            if (i + 2 < n && p[i + 1] == 0xBC && p[i + 2] >= 0x90 && p[i + 2] <= 0xA0)
                is_wide_hint = true;
        } else if (p[i] != 0xE3) {
            sv.needs_folding = true; /* CB (U+02D7) or E2 (dashes, U+2500) */
        } else if (i + 2 < n && ((p[i + 1] == 0x80 && p[i + 2] == 0x80) ||
                                 (p[i + 1] == 0x83 && p[i + 2] == 0xBC))) {
            sv.needs_folding = true; /* U+3000, U+30FC */
        }
        /* A field to fold has its digits counted again after folding, and holds a byte
         * outside ASCII: once it may also hold a number, nothing more is to be learnt. */
        if (sv.needs_folding && (sv.digits > 0 || has_at || is_wide_hint))
            break;
    }
    *svp = sv;
    *has_at_p = has_at;
    *is_wide_hint_p = is_wide_hint;
    *high_p = high;
}

#if defined(__SSE2__)
/* The sum of the sixteen byte counters in v. */
static inline size_t sum_bytes(__m128i v)
{
    __m128i sums = _mm_sad_epu8(v, _mm_setzero_si128());
    return (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
}

/* Sixteen bytes of p[i..n) at a time, with the bytes after them up to p[i + 18) (readable):
 * the same classes as byte_class[], and the three-byte sequences behind its lead bytes
 * (U+3000, U+30FC, full-width digits and at sign) from the same block loaded one and two
 * bytes on. A sequence counts only when it ends inside the text, as the bytewise survey has
 * it. Everything stays in vectors (digits in byte counters, emptied every 255 blocks) until
 * the end. Returns where the bytewise survey takes over. */
static size_t survey_blocks(const unsigned char *p, size_t n, size_t readable,
                            struct pii_survey *sv, bool *has_at, bool *is_wide_hint,
                            unsigned char *high)
{
    const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i digits = _mm_setzero_si128();
    __m128i at = _mm_setzero_si128();
    __m128i capital = _mm_setzero_si128();
    __m128i highs = _mm_setzero_si128();
    __m128i fold = _mm_setzero_si128();
    __m128i wide = _mm_setzero_si128();
    size_t blocks = 0;
    size_t i = 0;
    while (i < n && readable - i >= 18) {
        size_t k = n - i < 16 ? n - i : 16;
        /* A sequence starting in lane j ends in lane j + 2, which must be inside the text. */
        size_t k3 = n - i < 18 ? (n - i > 2 ? n - i - 2 : 0) : 16;
        __m128i valid = _mm_cmplt_epi8(lane, _mm_set1_epi8((char)k));
        __m128i valid3 = _mm_cmplt_epi8(lane, _mm_set1_epi8((char)k3));
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(p + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(p + i + 2));
        /* Signed compares: bytes from 0x80 are negative, below every ASCII class. */
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
        __m128i e3 = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3));
        __m128i ef = _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF));
        __m128i dash = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xCB)));
        __m128i space3000 = _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0x80)),
                                          _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)0x80)));
        __m128i mark30fc = _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0x83)),
                                         _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)0xBC)));
        /* EF BC 90..A0: the third byte less 0x90 is at most 0x10, unsigned. */
        __m128i third = _mm_sub_epi8(v2, _mm_set1_epi8((char)0x90));
        __m128i wide_form =
            _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBC)),
                          _mm_cmpeq_epi8(_mm_min_epu8(third, _mm_set1_epi8(0x10)), third));
        digits = _mm_sub_epi8(digits, _mm_and_si128(digit, valid));
        at = _mm_or_si128(at, _mm_and_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('@')), valid));
        capital = _mm_or_si128(capital, _mm_and_si128(upper, valid));
        highs = _mm_or_si128(highs, _mm_and_si128(v, valid));
        fold = _mm_or_si128(fold, _mm_and_si128(_mm_or_si128(dash, ef), valid));
        fold = _mm_or_si128(
            fold, _mm_and_si128(_mm_and_si128(e3, _mm_or_si128(space3000, mark30fc)), valid3));
        wide = _mm_or_si128(wide, _mm_and_si128(_mm_and_si128(ef, wide_form), valid3));
        i += k;
        if (++blocks == 255) {
            sv->digits += sum_bytes(digits);
            digits = _mm_setzero_si128();
            blocks = 0;
        }
    }
    sv->digits += sum_bytes(digits);
    sv->has_capital = sv->has_capital || _mm_movemask_epi8(capital) != 0;
    sv->needs_folding = sv->needs_folding || _mm_movemask_epi8(fold) != 0;
    *has_at = *has_at || _mm_movemask_epi8(at) != 0;
    *is_wide_hint = *is_wide_hint || _mm_movemask_epi8(wide) != 0;
    *high |= _mm_movemask_epi8(highs) != 0 ? 0x80 : 0;
    return i;
}
#endif

struct pii_survey pii_survey_within(const char *s, size_t n, size_t readable)
{
    const unsigned char *p = (const unsigned char *)s;
    struct pii_survey sv = {false, false, false, false, 0};
    bool is_wide_hint = false;
    bool has_at = false;
    unsigned char high = 0;
    size_t i = 0;
#if defined(__SSE2__)
    i = survey_blocks(p, n, readable, &sv, &has_at, &is_wide_hint, &high);
#else
    (void)readable;
#endif
    if (!(sv.needs_folding && (sv.digits > 0 || has_at || is_wide_hint)))
        survey_bytes(p, n, i, &sv, &has_at, &is_wide_hint, &high);
    sv.has_digit_or_at = sv.digits > 0 || has_at || is_wide_hint;
    sv.has_non_ascii = (high & 0x80) != 0 || sv.needs_folding;
    return sv;
}

struct pii_survey pii_survey(const char *s, size_t n)
{
    return pii_survey_within(s, n, n);
}

/* pii_utf8_get, with the three-byte characters of Japanese text decoded in line (a lead byte
 * E1-EC or EE-EF has no overlong or surrogate forms to exclude). */
static inline size_t get_char(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n >= 3 && p[0] >= 0xE1 && p[0] <= 0xEF && p[0] != 0xED && (p[1] & 0xC0) == 0x80 &&
        (p[2] & 0xC0) == 0x80) {
        *cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3Fu);
        return 3;
    }
    return pii_utf8_get(s, n, cp);
}

int pii_normalize(const char *in, size_t len, pii_text *out)
{
    pii_text_clear(out);
    out->base = 0;
    /* Valid input never grows, so one reservation serves all but invalid bytes. */
    int rc = pii_text_reserve(out, len);
    if (rc != PIISCAN_OK)
        return rc;
    if (pii_is_ascii(in, len)) { /* callers should skip the call; if not, be quick */
        memcpy(out->data, in, len);
        for (size_t k = 0; k <= len; k++)
            out->map[k] = (uint32_t)k;
        out->len = len;
        return PIISCAN_OK;
    }
    uint32_t prev = 0; /* the last character written */
    size_t i = 0;
    while (i < len) {
        size_t run = 0;
        while (i + run < len && (unsigned char)in[i + run] < 0x80)
            run++;
        if (run > 0) {
            memcpy(out->data + out->len, in + i, run);
            for (size_t k = 0; k < run; k++)
                out->map[out->len + k] = (uint32_t)(i + k);
            out->len += run;
            i += run;
            prev = (unsigned char)in[i - 1];
            continue;
        }
        uint32_t cp;
        size_t used = get_char(in + i, len - i, &cp);
        /* Kana, kanji and CJK punctuation (U+3001..U+FDFF but ー) never fold: copied as they
         * are, which is what re-encoding them would write. */
        if (used == 3 && cp >= 0x3001 && cp < 0xFE00 && cp != 0x30FC) {
            memcpy(out->data + out->len, in + i, 3);
            uint32_t *m = out->map + out->len;
            m[0] = m[1] = m[2] = (uint32_t)i;
            out->len += 3;
            prev = cp;
            i += 3;
            continue;
        }
        size_t next = i + used;
        if (used == 1) { /* an invalid byte, as U+FFFD: 3 bytes for 1 */
            rc = pii_text_reserve(out, 3 + len - i);
            if (rc != PIISCAN_OK)
                return rc;
        }
        bool is_between_digits =
            prev >= '0' && prev <= '9' && starts_with_digit(in + next, len - next);
        if (cp >= 0xFF01 && cp <= 0xFF5E) {
            cp -= 0xFEE0; /* full-width ASCII, ＠ and － included */
        } else if (cp == 0x3000) {
            cp = ' ';
        } else if (is_dash(cp)) {
            cp = '-';
        } else if (cp == 0x30FC || cp == 0xFF70 || cp == 0x2500) {
            /* ー ｰ ─: long vowel marks (or a box line) unless they join digits. */
            cp = is_between_digits ? '-' : cp == 0xFF70 ? 0x30FC : cp;
        } else if (cp == 0x2014 || cp == 0x2015) {
            /* — ―: some converters write ー as these after katakana. */
            if (!is_katakana(prev))
                cp = '-';
        } else if (cp >= 0xFF61 && cp <= 0xFF9F) {
            uint32_t mark = 0;
            if (next < len)
                pii_utf8_get(in + next, len - next, &mark);
            uint32_t composed = 0;
            if (cp < HW_VOICED && (mark == HW_VOICED || mark == HW_SEMI_VOICED))
                composed = compose(cp, mark);
            if (composed != 0) {
                cp = composed;
                next += 3;
            } else {
                cp = halfwidth_kana[cp - 0xFF61];
            }
        }
        size_t w = pii_utf8_put(cp, out->data + out->len);
        for (size_t k = 0; k < w; k++)
            out->map[out->len + k] = (uint32_t)i;
        out->len += w;
        prev = cp;
        i = next;
    }
    out->map[out->len] = (uint32_t)len;
    return PIISCAN_OK;
}
