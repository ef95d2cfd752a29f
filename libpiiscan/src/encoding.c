/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * encoding.c - CP932, EUC-JP, UTF-16 and UTF-8 to UTF-8, with a map back to original offsets.
 *
 * iconv is the reference for what each double-byte sequence means, but calling it per
 * character (or per chunk, losing track of offsets and stopping at the first bad byte) is too
 * slow and too brittle, so the scanner asks iconv once for every possible sequence and keeps
 * the answers in tables. Decoding is then a table look-up, and ASCII, which is most of any
 * export, is copied in runs. Runs of kanji and kana, most of the rest, take a second table
 * that holds their UTF-8 bytes ready to store (in UTF-8 they are copied, in UTF-16 written
 * directly); everything else takes the general decoder, one character at a time.
 * Invariant: the output is the same for any chunking of the input; invalid sequences become
 * U+FFFD and are counted, never fatal. Not handled: UTF-32, ISO-2022-JP.
 */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h>
#define PII_DECODE_SSE2 1
#endif

#include "internal.h"

/* CP932 lead bytes 0x81-0x9F and 0xE0-0xFC; trail bytes 0x40-0xFC (0x7F is never a trail). */
#define SJIS_LEADS  60
#define SJIS_TRAILS 189
/* JIS X 0208 / 0212 planes in EUC-JP: 94 rows x 94 cells, bytes 0xA1-0xFE. */
#define JIS_SIDE 94
/* Input bytes decoded per output reservation: bounds the slack of the 3x worst case. */
#define DECODE_BLOCK_BYTES 16384
#define REPLACEMENT        0xFFFD

/* The fast path for kanji and kana, which is most of the non-ASCII text of a Japanese export:
 * utf8[row[lead]][trail] is the character's three UTF-8 bytes, in memory order, ready to be
 * stored as one word. A row is indexed by the trail byte itself and row 0 is all zero, so that
 * one look-up replaces the range tests on both bytes. 0 means "not a valid character of three
 * UTF-8 bytes" (a single byte, an invalid pair, Greek or Cyrillic), left to the general path. */
struct pair_table {
    uint8_t row[256];
    uint32_t utf8[1 + JIS_SIDE][256]; /* 94 EUC-JP rows or 60 CP932 leads, after row 0 */
};

/* Every CP932 and EUC-JP-MS character is in the BMP, so 16 bits suffice; 0 means invalid. */
struct pii_codec_tables {
    struct pair_table sjis_pairs;
    struct pair_table euc_pairs;
    uint16_t sjis_single[128];                     /* bytes 0x80-0xFF alone; 0 for leads */
    uint16_t sjis_double[SJIS_LEADS][SJIS_TRAILS]; /* [lead index][trail - 0x40] */
    uint16_t euc_single[128];                      /* bytes 0x80-0xFF alone (C1 controls) */
    uint16_t euc_kana[63];                         /* 0x8E + 0xA1..0xDF: half-width katakana */
    uint16_t euc_0208[JIS_SIDE][JIS_SIDE];         /* 0xA1-0xFE x 0xA1-0xFE */
    uint16_t euc_0212[JIS_SIDE][JIS_SIDE];         /* 0x8F + 0xA1-0xFE x 0xA1-0xFE */
};

static int sjis_lead_index(unsigned b)
{
    if (b >= 0x81 && b <= 0x9F)
        return (int)(b - 0x81);
    if (b >= 0xE0 && b <= 0xFC)
        return (int)(b - 0xE0 + 31);
    return -1;
}

/* The code point iconv gives for exactly one character in[0..n), or 0 when the bytes are
 * invalid, incomplete, or do not make exactly one BMP character. */
static uint16_t ask_iconv(iconv_t cd, const unsigned char *in, size_t n)
{
    char src[4];
    unsigned char dst[8];
    memcpy(src, in, n);
    char *ip = src;
    size_t il = n;
    char *op = (char *)dst;
    size_t ol = sizeof dst;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv(cd, NULL, NULL, NULL, NULL); /* forget any state left by an error */
    if (r == (size_t)-1 || il != 0 || sizeof dst - ol != 4)
        return 0;
    uint32_t cp = dst[0] | (uint32_t)dst[1] << 8 | (uint32_t)dst[2] << 16 | (uint32_t)dst[3] << 24;
    if (cp == 0 || cp > 0xFFFF)
        return 0;
    return (uint16_t)cp;
}

static void fill_cp932(pii_codec_tables *t, iconv_t cd)
{
    unsigned char s[2];
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        if (sjis_lead_index(b) >= 0)
            continue;
        s[0] = (unsigned char)b;
        t->sjis_single[b - 0x80] = ask_iconv(cd, s, 1);
    }
    for (unsigned b = 0x81; b <= 0xFC; b++) {
        int lead = sjis_lead_index(b);
        if (lead < 0)
            continue;
        s[0] = (unsigned char)b;
        for (unsigned tr = 0x40; tr <= 0xFC; tr++) {
            if (tr == 0x7F)
                continue;
            s[1] = (unsigned char)tr;
            t->sjis_double[lead][tr - 0x40] = ask_iconv(cd, s, 2);
        }
    }
}

static bool is_euc_byte(unsigned b)
{
    return b >= 0xA1 && b <= 0xFE;
}

static void fill_eucjp(pii_codec_tables *t, iconv_t cd)
{
    unsigned char s[3];
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        if (b == 0x8E || b == 0x8F || is_euc_byte(b))
            continue;
        s[0] = (unsigned char)b;
        t->euc_single[b - 0x80] = ask_iconv(cd, s, 1);
    }
    s[0] = 0x8E;
    for (unsigned c = 0xA1; c <= 0xDF; c++) {
        s[1] = (unsigned char)c;
        t->euc_kana[c - 0xA1] = ask_iconv(cd, s, 2);
    }
    for (unsigned r = 0xA1; r <= 0xFE; r++) {
        for (unsigned c = 0xA1; c <= 0xFE; c++) {
            s[0] = (unsigned char)r;
            s[1] = (unsigned char)c;
            t->euc_0208[r - 0xA1][c - 0xA1] = ask_iconv(cd, s, 2);
            s[0] = 0x8F;
            s[1] = (unsigned char)r;
            s[2] = (unsigned char)c;
            t->euc_0212[r - 0xA1][c - 0xA1] = ask_iconv(cd, s, 3);
        }
    }
}

/* The pair_table entry for code point c: its UTF-8 bytes when they are three, 0 otherwise. */
static uint32_t pair_entry(uint32_t c)
{
    if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    unsigned char bytes[4] = {0};
    pii_utf8_put(c, (char *)bytes);
    uint32_t word;
    memcpy(&word, bytes, sizeof word); /* memory order, whatever the host's byte order */
    return word;
}

/* The fast-path tables, from the code-point tables: the same characters, nothing more. */
static void fill_pairs(pii_codec_tables *t)
{
    for (unsigned b = 0x81; b <= 0xFC; b++) {
        int lead = sjis_lead_index(b);
        if (lead < 0)
            continue;
        t->sjis_pairs.row[b] = (uint8_t)(1 + lead);
        for (unsigned tr = 0x40; tr <= 0xFC; tr++)
            if (tr != 0x7F)
                t->sjis_pairs.utf8[1 + lead][tr] = pair_entry(t->sjis_double[lead][tr - 0x40]);
    }
    for (unsigned r = 0xA1; r <= 0xFE; r++) {
        t->euc_pairs.row[r] = (uint8_t)(1 + r - 0xA1);
        for (unsigned c = 0xA1; c <= 0xFE; c++)
            t->euc_pairs.utf8[1 + r - 0xA1][c] = pair_entry(t->euc_0208[r - 0xA1][c - 0xA1]);
    }
}

int pii_codec_tables_new(pii_codec_tables **out, piiscan_error *err)
{
    static const char *const charsets[] = {"CP932", "EUC-JP-MS"};
    iconv_t cd[2] = {(iconv_t)-1, (iconv_t)-1};
    int rc = PIISCAN_OK;
    pii_codec_tables *t = calloc(1, sizeof *t);
    if (t == NULL) {
        rc = pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < 2; i++) {
        cd[i] = iconv_open("UTF-32LE", charsets[i]);
        if (cd[i] == (iconv_t)-1) {
            rc = pii_error_set(err, PIISCAN_ERR_ENCODING, UINT64_MAX, 0,
                               "iconv cannot convert from %s", charsets[i]);
            goto cleanup;
        }
    }
    fill_cp932(t, cd[0]);
    fill_eucjp(t, cd[1]);
    fill_pairs(t);
    *out = t;
    t = NULL;
cleanup:
    for (size_t i = 0; i < 2; i++)
        if (cd[i] != (iconv_t)-1)
            iconv_close(cd[i]);
    pii_codec_tables_free(t);
    return rc;
}

void pii_codec_tables_free(pii_codec_tables *t)
{
    free(t);
}

/* ------------------------------------------------------------------------------------------ */
/* One character                                                                              */

/* Each decoder below returns the bytes used, 0 for "need more" (only when !is_final), and
 * for an invalid sequence the longest prefix that could have started a valid one (at least
 * one byte), so that a stray byte never swallows the ASCII after it. */

static size_t invalid(size_t used, uint32_t *cp, bool *is_invalid)
{
    *cp = REPLACEMENT;
    *is_invalid = true;
    return used;
}

static size_t decode_utf8(const unsigned char *s, size_t n, bool is_final, uint32_t *cp,
                          bool *is_invalid)
{
    unsigned b = s[0];
    size_t len;
    uint32_t c;
    unsigned lo = 0x80; /* the second byte's bounds exclude overlongs, surrogates, >U+10FFFF */
    unsigned hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
        c = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        c = b & 0x0F;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        c = b & 0x07;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        return invalid(1, cp, is_invalid);
    }
    for (size_t i = 1; i < len; i++) {
        if (i >= n)
            return is_final ? invalid(i, cp, is_invalid) : 0;
        unsigned x = s[i];
        if (x < lo || x > hi)
            return invalid(i, cp, is_invalid);
        c = (c << 6) | (x & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = c;
    return len;
}

static size_t decode_cp932(const pii_codec_tables *t, const unsigned char *s, size_t n,
                           bool is_final, uint32_t *cp, bool *is_invalid)
{
    unsigned b = s[0];
    int lead = sjis_lead_index(b);
    if (lead < 0) {
        uint16_t c = t->sjis_single[b - 0x80];
        if (c == 0)
            return invalid(1, cp, is_invalid);
        *cp = c;
        return 1;
    }
    if (n < 2)
        return is_final ? invalid(1, cp, is_invalid) : 0;
    unsigned tr = s[1];
    if (tr < 0x40 || tr > 0xFC || tr == 0x7F)
        return invalid(1, cp, is_invalid);
    uint16_t c = t->sjis_double[lead][tr - 0x40];
    if (c == 0) /* an unassigned pair: an ASCII trail is left to stand on its own */
        return invalid(tr < 0x80 ? 1 : 2, cp, is_invalid);
    *cp = c;
    return 2;
}

static size_t decode_eucjp(const pii_codec_tables *t, const unsigned char *s, size_t n,
                           bool is_final, uint32_t *cp, bool *is_invalid)
{
    unsigned b = s[0];
    uint16_t c;
    size_t len;
    if (b == 0x8E) { /* SS2: half-width katakana */
        if (n < 2)
            return is_final ? invalid(1, cp, is_invalid) : 0;
        if (s[1] < 0xA1 || s[1] > 0xDF)
            return invalid(1, cp, is_invalid);
        c = t->euc_kana[s[1] - 0xA1];
        len = 2;
    } else if (b == 0x8F) { /* SS3: JIS X 0212 */
        for (size_t i = 1; i < 3; i++) {
            if (i >= n)
                return is_final ? invalid(i, cp, is_invalid) : 0;
            if (!is_euc_byte(s[i]))
                return invalid(i, cp, is_invalid);
        }
        c = t->euc_0212[s[1] - 0xA1][s[2] - 0xA1];
        len = 3;
    } else if (is_euc_byte(b)) {
        if (n < 2)
            return is_final ? invalid(1, cp, is_invalid) : 0;
        if (!is_euc_byte(s[1]))
            return invalid(1, cp, is_invalid);
        c = t->euc_0208[b - 0xA1][s[1] - 0xA1];
        len = 2;
    } else {
        c = t->euc_single[b - 0x80];
        len = 1;
    }
    if (c == 0)
        return invalid(len, cp, is_invalid);
    *cp = c;
    return len;
}

static size_t decode_utf16(const unsigned char *s, size_t n, bool is_final, bool is_be,
                           uint32_t *cp, bool *is_invalid)
{
    if (n < 2)
        return is_final ? invalid(1, cp, is_invalid) : 0;
    uint32_t u = is_be ? (uint32_t)s[0] << 8 | s[1] : (uint32_t)s[1] << 8 | s[0];
    if (u >= 0xDC00 && u <= 0xDFFF)
        return invalid(2, cp, is_invalid);
    if (u >= 0xD800 && u <= 0xDBFF) {
        if (n < 4)
            return is_final ? invalid(2, cp, is_invalid) : 0;
        uint32_t v = is_be ? (uint32_t)s[2] << 8 | s[3] : (uint32_t)s[3] << 8 | s[2];
        if (v < 0xDC00 || v > 0xDFFF)
            return invalid(2, cp, is_invalid);
        *cp = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
        return 4;
    }
    *cp = u;
    return 2;
}

/* t is read only for CP932 and EUC-JP: pii_utf8_get passes NULL. */
size_t pii_decode_char(const pii_codec_tables *t, piiscan_encoding enc, const unsigned char *s,
                       size_t n, bool is_final, uint32_t *cp, bool *is_invalid)
{
    *is_invalid = false;
    if (n == 0)
        return 0;
    if (s[0] < 0x80 && enc != PIISCAN_ENCODING_UTF16LE && enc != PIISCAN_ENCODING_UTF16BE) {
        *cp = s[0];
        return 1;
    }
    switch (enc) {
    case PIISCAN_ENCODING_CP932:
        return decode_cp932(t, s, n, is_final, cp, is_invalid);
    case PIISCAN_ENCODING_EUCJP:
        return decode_eucjp(t, s, n, is_final, cp, is_invalid);
    case PIISCAN_ENCODING_UTF16LE:
        return decode_utf16(s, n, is_final, false, cp, is_invalid);
    case PIISCAN_ENCODING_UTF16BE:
        return decode_utf16(s, n, is_final, true, cp, is_invalid);
    case PIISCAN_ENCODING_UTF8:
    case PIISCAN_ENCODING_AUTO:
    default:
        return decode_utf8(s, n, is_final, cp, is_invalid);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The incremental decoder                                                                    */

/* Length of the run of ASCII bytes at the start of s[0..n), eight bytes at a time. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t high = w & UINT64_C(0x8080808080808080);
        if (high != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return i + (size_t)(__builtin_ctzll(high) >> 3); /* the first byte from 0x80 */
#else
            break;
#endif
        }
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

/* Copies n ASCII bytes whose first is at map offset `at`; out has room. The map loop is
 * kept trivial so that the compiler vectorises it. */
static void put_ascii(pii_text *out, const unsigned char *s, size_t n, uint32_t at)
{
    memcpy(out->data + out->len, s, n);
    uint32_t *m = out->map + out->len;
    for (size_t k = 0; k < n; k++)
        m[k] = at + (uint32_t)k;
    out->len += n;
    out->map[out->len] = at + (uint32_t)n;
}

/* Copies the run of ASCII bytes at the start of s[0..n) (s[0] is ASCII) to data, and the
 * offsets from + k of its bytes to map; returns its length. Both have room for 3 entries per
 * byte of s: whole blocks of 16 are stored before the end of the run is known, and what lies
 * past it is overwritten by the next character or is beyond the text's length. */
static size_t copy_ascii(const unsigned char *s, size_t n, char *data, uint32_t *map, uint32_t from)
{
    size_t k = 0;
#if defined(PII_DECODE_SSE2)
    /* Runs are short in an export (a field or two: 13 bytes on average in the benchmark), so
     * one block usually settles the run, with no call to memcpy. */
    const __m128i four = _mm_set1_epi32(4);
    __m128i offsets = _mm_add_epi32(_mm_set1_epi32((int)from), _mm_setr_epi32(0, 1, 2, 3));
    while (k + 16 <= n) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(const void *)(s + k));
        _mm_storeu_si128((__m128i *)(void *)(data + k), bytes);
        for (size_t q = 0; q < 16; q += 4) {
            _mm_storeu_si128((__m128i *)(void *)(map + k + q), offsets);
            offsets = _mm_add_epi32(offsets, four);
        }
        unsigned high = (unsigned)_mm_movemask_epi8(bytes);
        if (high != 0)
            return k + (size_t)__builtin_ctz(high); /* the first byte from 0x80 */
        k += 16;
    }
#endif
    /* The tail of the span, shorter than a block (or every run without SSE2). */
    size_t run = k + ascii_run(s + k, n - k);
    memcpy(data + k, s + k, run - k);
    for (; k < run; k++)
        map[k] = from + (uint32_t)k;
    return run;
}

/* Sets the map entries of a character of up to three UTF-8 bytes to its offset `at`. With
 * SSE2 it is one store of four entries, the fourth overwritten by what follows: the callers
 * leave room for it. */
static inline void map_character(uint32_t *map, uint32_t at)
{
#if defined(PII_DECODE_SSE2)
    _mm_storeu_si128((__m128i *)(void *)map, _mm_set1_epi32((int)at));
#else
    map[0] = map[1] = map[2] = at;
#endif
}

/* Decodes the run of valid double-byte characters at the start of s[0..n) through pt into
 * data, and their offsets (from + the character's first byte) into map; returns the input bytes
 * used, 0 when s does not start with such a character, and the output bytes in *out_len. Each
 * character is one look-up, then one store of a word of four bytes and (with SSE2) one of four
 * map entries: the fourth of each is overwritten by what follows, and the room for 3 bytes per
 * input byte leaves 6 for each pair. */
static size_t copy_pairs(const struct pair_table *pt, const unsigned char *s, size_t n, char *data,
                         uint32_t *map, uint32_t from, size_t *out_len)
{
    size_t i = 0;
    size_t len = 0;
    while (i + 1 < n) {
        uint32_t utf8 = pt->utf8[pt->row[s[i]]][s[i + 1]];
        if (utf8 == 0)
            break;
        memcpy(data + len, &utf8, sizeof utf8);
        map_character(map + len, from + (uint32_t)i);
        len += 3;
        i += 2;
    }
    *out_len = len;
    return i;
}

/* Copies the run of valid UTF-8 characters of three bytes (kanji and kana) at the start of
 * s[0..n) to data, each byte's map entry the offset from + its character's first byte;
 * returns its length, 0 when s does not start with one. The bounds on the second byte are
 * decode_utf8's (no overlong form, no surrogate), so the bytes are copied as they are. */
static size_t copy_utf8(const unsigned char *s, size_t n, char *data, uint32_t *map, uint32_t from)
{
    size_t i = 0;
    while (i + 2 < n) {
        unsigned b = s[i];
        unsigned c1 = s[i + 1];
        if ((b & 0xF0) != 0xE0 || (c1 & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80)
            break;
        if ((b == 0xE0 && c1 < 0xA0) || (b == 0xED && c1 > 0x9F))
            break;
        memcpy(data + i, s + i, 3);
        map_character(map + i, from + (uint32_t)i);
        i += 3;
    }
    return i;
}

/* Decodes the run of UTF-16 units outside the surrogates at the start of s[0..n) into data
 * and map, as copy_pairs does; a surrogate, paired or not, ends the run and is left to the
 * general decoder. Each unit's 1 to 3 bytes of UTF-8 are written as decode_utf16 and
 * pii_utf8_put would write them. */
static size_t copy_utf16(const unsigned char *s, size_t n, bool is_be, char *data, uint32_t *map,
                         uint32_t from, size_t *out_len)
{
    size_t i = 0;
    size_t len = 0;
    while (i + 1 < n) {
        uint32_t u = is_be ? (uint32_t)s[i] << 8 | s[i + 1] : (uint32_t)s[i + 1] << 8 | s[i];
        if (u >= 0xD800 && u <= 0xDFFF)
            break;
        map_character(map + len, from + (uint32_t)i);
        if (u < 0x80) {
            data[len++] = (char)u;
        } else if (u < 0x800) {
            data[len] = (char)(0xC0 | u >> 6);
            data[len + 1] = (char)(0x80 | (u & 0x3F));
            len += 2;
        } else {
            data[len] = (char)(0xE0 | u >> 12);
            data[len + 1] = (char)(0x80 | (u >> 6 & 0x3F));
            data[len + 2] = (char)(0x80 | (u & 0x3F));
            len += 3;
        }
        i += 2;
    }
    *out_len = len;
    return i;
}

/* Decodes the complete characters of s[0..n), the first at map offset `at`, into out, which
 * has room for 3 bytes per input byte. Returns the bytes used: n, or less when s ends inside
 * a character and !is_final. The output and the decoder's fields are held in locals: stores
 * through a char pointer may alias anything, and would make the compiler reload them after
 * every character. */
static size_t decode_span(pii_decoder *d, const unsigned char *s, size_t n, bool is_final,
                          uint32_t at, pii_text *out)
{
    const piiscan_encoding enc = d->enc;
    const pii_codec_tables *const t = d->tables;
    const bool is_ascii_compatible =
        enc != PIISCAN_ENCODING_UTF16LE && enc != PIISCAN_ENCODING_UTF16BE;
    /* Chosen once per span, not per character. EUC-JP's SS2 (0x8E) and SS3 (0x8F) are in
     * row 0 of its table, so they fall to the general path like any invalid pair. */
    const struct pair_table *const pairs = enc == PIISCAN_ENCODING_CP932   ? &t->sjis_pairs
                                           : enc == PIISCAN_ENCODING_EUCJP ? &t->euc_pairs
                                                                           : NULL;
    char *const data = out->data;
    uint32_t *const map = out->map;
    size_t len = out->len;
    uint64_t errors = 0;
    size_t i = 0;
    while (i < n) {
        if (is_ascii_compatible && s[i] < 0x80) {
            size_t run = copy_ascii(s + i, n - i, data + len, map + len, at + (uint32_t)i);
            len += run;
            i += run;
            continue;
        }
        /* Runs of the characters that need no general decoding; the test on enc is the same
         * for every character of the span, so it costs no misprediction. */
        size_t w = 0;
        size_t used = 0;
        if (pairs != NULL) {
            used = copy_pairs(pairs, s + i, n - i, data + len, map + len, at + (uint32_t)i, &w);
        } else if (enc == PIISCAN_ENCODING_UTF8) {
            used = copy_utf8(s + i, n - i, data + len, map + len, at + (uint32_t)i);
            w = used;
        } else if (!is_ascii_compatible) {
            used = copy_utf16(s + i, n - i, enc == PIISCAN_ENCODING_UTF16BE, data + len, map + len,
                              at + (uint32_t)i, &w);
        }
        if (used > 0) {
            len += w;
            i += used;
            continue;
        }
        /* Single bytes, invalid or cut pairs, SS2/SS3, other UTF-8, UTF-16 surrogates. */
        uint32_t cp;
        bool is_invalid;
        used = pii_decode_char(t, enc, s + i, n - i, is_final, &cp, &is_invalid);
        if (used == 0)
            break;
        errors += is_invalid;
        w = pii_utf8_put(cp, data + len);
        for (size_t k = 0; k < w; k++)
            map[len + k] = at + (uint32_t)i;
        len += w;
        i += used;
    }
    map[len] = at + (uint32_t)i;
    out->len = len;
    d->errors += errors;
    return i;
}

/* Decodes s[0..n), whose first byte is at original offset `pos`, after the carried bytes
 * (which sit just before it). A character cut by the end of s is carried to the next call. */
static int feed(pii_decoder *d, const unsigned char *s, size_t n, uint64_t pos, bool is_final,
                pii_text *out)
{
    int rc;
    if (d->carry_len > 0) {
        /* Finish the carried character from a small copy: a carry is at most 3 bytes and a
         * character at most 4, so 16 bytes always settle it unless s itself is that short. */
        unsigned char tmp[sizeof d->carry * 2];
        size_t take = n < sizeof tmp - d->carry_len ? n : sizeof tmp - d->carry_len;
        size_t held = d->carry_len + take;
        memcpy(tmp, d->carry, d->carry_len);
        if (take > 0)
            memcpy(tmp + d->carry_len, s, take);
        rc = pii_text_reserve(out, 3 * held);
        if (rc != PIISCAN_OK)
            return rc;
        uint32_t at = (uint32_t)(pos - d->carry_len - out->base);
        size_t used = decode_span(d, tmp, held, is_final && take == n, at, out);
        if (used < d->carry_len) {
            d->carry_len = held - used;
            memmove(d->carry, tmp + used, d->carry_len);
            return PIISCAN_OK;
        }
        size_t skip = used - d->carry_len;
        d->carry_len = 0;
        if (skip == n) /* also when s is NULL at the end of input: no pointer arithmetic */
            return PIISCAN_OK;
        s += skip;
        n -= skip;
        pos += skip;
    }
    while (n > 0) {
        size_t block = n < DECODE_BLOCK_BYTES ? n : DECODE_BLOCK_BYTES;
        rc = pii_text_reserve(out, 3 * block);
        if (rc != PIISCAN_OK)
            return rc;
        bool is_last = block == n;
        size_t used =
            decode_span(d, s, block, is_final && is_last, (uint32_t)(pos - out->base), out);
        s += used;
        n -= used;
        pos += used;
        if (is_last && used < block) {
            memcpy(d->carry, s, n);
            d->carry_len = n;
            break;
        }
    }
    return PIISCAN_OK;
}

void pii_decoder_init(pii_decoder *d, const pii_codec_tables *t)
{
    memset(d, 0, sizeof *d);
    d->tables = t;
}

void pii_decoder_reset(pii_decoder *d, piiscan_encoding enc, uint64_t pos)
{
    d->enc = enc;
    d->carry_len = 0;
    d->sample_len = 0;
    d->pos = pos;
    d->errors = 0;
}

int pii_decoder_push(pii_decoder *d, const unsigned char *buf, size_t len, bool is_final,
                     pii_text *out)
{
    if (buf == NULL)
        len = 0;
    int rc = pii_text_reserve(out, 0); /* so that map[len] exists even for an empty push */
    if (rc != PIISCAN_OK)
        return rc;
    if (d->enc == PIISCAN_ENCODING_AUTO) {
        size_t i = 0;
        if (d->sample_len == 0) {
            /* ASCII means the same in every candidate: pass it on before anything is known. */
            size_t run = ascii_run(buf, len);
            rc = pii_text_reserve(out, run);
            if (rc != PIISCAN_OK)
                return rc;
            if (run > 0)
                put_ascii(out, buf, run, (uint32_t)(d->pos - out->base));
            d->pos += run;
            i = run;
            if (i == len)
                return PIISCAN_OK;
        }
        if (d->sample == NULL) {
            d->sample = malloc(PII_ENCODING_SAMPLE_BYTES);
            if (d->sample == NULL)
                return PIISCAN_ERR_NOMEM;
            d->sample_cap = PII_ENCODING_SAMPLE_BYTES;
        }
        size_t take = len - i;
        if (take > d->sample_cap - d->sample_len)
            take = d->sample_cap - d->sample_len;
        if (take > 0)
            memcpy(d->sample + d->sample_len, buf + i, take);
        d->sample_len += take;
        d->pos += take;
        i += take;
        if (d->sample_len < d->sample_cap && !is_final)
            return PIISCAN_OK;
        /* A full sample is a prefix even when it happens to end the input, so that the choice
         * does not depend on how the input was cut into chunks. */
        bool is_whole = d->sample_len < d->sample_cap;
        d->enc = pii_sniff_encoding(d->tables, d->sample, d->sample_len, is_whole);
        size_t held = d->sample_len;
        d->sample_len = 0;
        rc = feed(d, d->sample, held, d->pos - held, is_final && i == len, out);
        if (rc != PIISCAN_OK)
            return rc;
        if (i == len) /* also when buf is NULL at the end of input: no pointer arithmetic */
            return PIISCAN_OK;
        buf += i;
        len -= i;
    }
    rc = feed(d, buf, len, d->pos, is_final, out);
    if (rc == PIISCAN_OK)
        d->pos += len;
    return rc;
}

void pii_decoder_free(pii_decoder *d)
{
    if (d == NULL)
        return;
    free(d->sample);
    d->sample = NULL;
    d->sample_cap = 0;
    d->sample_len = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                      */

static const char *const encoding_names[] = {
    [PIISCAN_ENCODING_AUTO] = "auto",        [PIISCAN_ENCODING_UTF8] = "UTF-8",
    [PIISCAN_ENCODING_CP932] = "CP932",      [PIISCAN_ENCODING_EUCJP] = "EUC-JP",
    [PIISCAN_ENCODING_UTF16LE] = "UTF-16LE", [PIISCAN_ENCODING_UTF16BE] = "UTF-16BE",
};

const char *piiscan_encoding_name(piiscan_encoding enc)
{
    if ((unsigned)enc >= sizeof encoding_names / sizeof encoding_names[0])
        return "unknown";
    return encoding_names[enc];
}

/* Case-insensitive in ASCII only, whatever the locale. */
static bool same_name(const char *a, const char *b)
{
    for (;; a++, b++) {
        unsigned x = (unsigned char)*a;
        unsigned y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (x != y)
            return false;
        if (x == '\0')
            return true;
    }
}

int piiscan_encoding_from_name(const char *name, piiscan_encoding *out)
{
    /* Aliases in lower case: the names iconv, Windows and the Web use for each. */
    static const struct {
        const char *name;
        piiscan_encoding enc;
    } aliases[] = {
        {"auto", PIISCAN_ENCODING_AUTO},        {"utf-8", PIISCAN_ENCODING_UTF8},
        {"utf8", PIISCAN_ENCODING_UTF8},        {"cp932", PIISCAN_ENCODING_CP932},
        {"ms932", PIISCAN_ENCODING_CP932},      {"windows-31j", PIISCAN_ENCODING_CP932},
        {"sjis", PIISCAN_ENCODING_CP932},       {"shift_jis", PIISCAN_ENCODING_CP932},
        {"shift-jis", PIISCAN_ENCODING_CP932},  {"shiftjis", PIISCAN_ENCODING_CP932},
        {"x-sjis", PIISCAN_ENCODING_CP932},     {"ms_kanji", PIISCAN_ENCODING_CP932},
        {"euc-jp", PIISCAN_ENCODING_EUCJP},     {"eucjp", PIISCAN_ENCODING_EUCJP},
        {"euc_jp", PIISCAN_ENCODING_EUCJP},     {"euc-jp-ms", PIISCAN_ENCODING_EUCJP},
        {"eucjp-ms", PIISCAN_ENCODING_EUCJP},   {"eucjpms", PIISCAN_ENCODING_EUCJP},
        {"ujis", PIISCAN_ENCODING_EUCJP},       {"x-euc-jp", PIISCAN_ENCODING_EUCJP},
        {"utf-16le", PIISCAN_ENCODING_UTF16LE}, {"utf16le", PIISCAN_ENCODING_UTF16LE},
        {"utf-16be", PIISCAN_ENCODING_UTF16BE}, {"utf16be", PIISCAN_ENCODING_UTF16BE},
    };
    if (name == NULL || out == NULL)
        return PIISCAN_ERR_INVALID;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (same_name(name, aliases[i].name)) {
            *out = aliases[i].enc;
            return PIISCAN_OK;
        }
    }
    return PIISCAN_ERR_ENCODING;
}
