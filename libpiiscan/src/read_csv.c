/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read_csv.c - CSV/TSV records and their fields in decoded UTF-8 text.
 *
 * RFC 4180 with the delimiter chosen by sniffing (',' ';' '|' or '\t'), read leniently the
 * way Excel does: a quote inside an unquoted field is a literal byte, text between a closing
 * quote and the delimiter stays in the field, and an unterminated quote at the end of input
 * ends the record there (rec->is_unterminated_quote) instead of failing. Fields are reported
 * as window offsets without the outer quotes of a quoted field; doubled quotes ("") are left
 * as they are, so every offset maps back through the decoder's map.
 *
 * Contract with the caller (the stream):
 *   - The window text[0..len) grows at its end between calls. A call looks at the record that
 *     starts at `start`; it returns 1 with *rec when the record ends before len (or at len
 *     when is_final), 0 when more text is needed, PIISCAN_ERR_NOMEM.
 *   - Every position the reader keeps (pos, field_start, fields) is relative to the start of
 *     the partial record. So after a 0 the caller may compact the window, moving the partial
 *     record's bytes unchanged to a new offset, and simply pass the new `start`; calling
 *     pii_csv_restart() after such a move is also correct and costs one rescan of the partial
 *     record (it then sits at the front of the window, so it moves at most once more).
 *   - pii_csv_restart() is required when the bytes at `start` are not the continuation of the
 *     partial record: a new input, or a record dropped after an error.
 *   - After a 1 the reader is ready for a new record at whatever `start` comes next (normally
 *     rec->next). rec->fields stays valid until the next call to pii_csv_next, _restart or
 *     _free; its offsets are absolute window offsets of this call's text.
 *   - With is_final, a 0 means no record is left (start == len). is_final only goes from
 *     false to true for one input.
 *   - The reader has no size limit: the caller compares len - start with its own limit when
 *     0 comes back.
 * The work is linear in the record's length however the text is split: a call resumes at pos,
 * and only a lone CR or a quote that is the last available byte is looked at again when more
 * text arrives (what follows decides its meaning).
 */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Non-zero when one of the eight bytes of v equals the byte repeated in pat. */
static inline uint64_t has_byte(uint64_t v, uint64_t pat)
{
    uint64_t x = v ^ pat;
    return (x - ONES) & ~x & HIGHS;
}

/* Index of the first a, b or c in s[0..n), or n. Sixteen or eight bytes a step: fields are
 * short, so three memchr calls a field would cost more in set-up than they save. */
static size_t find3(const char *s, size_t n, unsigned char a, unsigned char b, unsigned char c)
{
    size_t i = 0;
#if defined(__SSE2__) && defined(__GNUC__)
    /* Sixteen bytes a step where SSE2 is there (x86-64 always). */
    const __m128i va = _mm_set1_epi8((char)a);
    const __m128i vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c);
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                                   _mm_cmpeq_epi8(v, vc));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0)
            return i + (size_t)__builtin_ctz((unsigned)mask);
    }
#endif
    const uint64_t pa = ONES * a;
    const uint64_t pb = ONES * b;
    const uint64_t pc = ONES * c;
    for (; i + 8 <= n; i += 8) {
        uint64_t v;
        memcpy(&v, s + i, sizeof v);
        uint64_t hit = has_byte(v, pa) | has_byte(v, pb) | has_byte(v, pc);
        if (hit != 0) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* has_byte may also flag a byte after a true hit, never one before it: the
             * lowest flag is the first match. */
            return i + (size_t)(__builtin_ctzll(hit) >> 3);
#else
            break;
#endif
        }
    }
    for (; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == a || ch == b || ch == c)
            return i;
    }
    return n;
}

void pii_csv_init(pii_csv *csv, char delimiter)
{
    memset(csv, 0, sizeof *csv);
    csv->delimiter = delimiter;
}

void pii_csv_restart(pii_csv *csv)
{
    csv->pos = 0;
    csv->is_quoted = false;
    csv->is_field_quoted = false;
    csv->nfields = 0;
    csv->field_start = 0;
    csv->lines = 0;
}

void pii_csv_free(pii_csv *csv)
{
    if (csv == NULL)
        return;
    free(csv->fields);
    csv->fields = NULL;
    csv->cap = 0;
    pii_csv_restart(csv);
}

/* Ends the current field at record offset `at` (its terminator). A quoted field whose closing
 * quote came right before the terminator ends before that quote. */
static int end_field(pii_csv *csv, size_t at)
{
    if (csv->nfields == csv->cap) {
        size_t cap = csv->cap == 0 ? 16 : csv->cap * 2;
        if (cap > SIZE_MAX / sizeof *csv->fields)
            return PIISCAN_ERR_NOMEM;
        pii_field *fields = realloc(csv->fields, cap * sizeof *fields);
        if (fields == NULL)
            return PIISCAN_ERR_NOMEM;
        csv->fields = fields;
        csv->cap = cap;
    }
    size_t end = at;
    if (csv->is_field_quoted && !csv->is_quoted)
        end = at - 1;
    csv->fields[csv->nfields].start = csv->field_start;
    csv->fields[csv->nfields].end = end;
    csv->nfields++;
    csv->field_start = at + 1;
    csv->is_field_quoted = false;
    return PIISCAN_OK;
}

/* Hands the finished record to the caller in window offsets and resets for the next one. */
static int finish(pii_csv *csv, size_t start, size_t end, size_t next, pii_record *rec)
{
    for (size_t i = 0; i < csv->nfields; i++) {
        csv->fields[i].start += start;
        csv->fields[i].end += start;
    }
    rec->start = start;
    rec->end = start + end;
    rec->next = start + next;
    rec->lines = csv->lines + 1;
    rec->is_unterminated_quote = csv->is_quoted;
    rec->fields = csv->fields;
    rec->nfields = csv->nfields;
    pii_csv_restart(csv);
    return 1;
}

/* Line ends in s[from..to) inside quotes: each CR, and each LF not right after a CR (so CRLF
 * counts once even when split across calls). s[from - 1] exists: it is at least the quote. */
static uint32_t count_line_ends(const char *s, size_t from, size_t to)
{
    uint32_t n = 0;
    const char *p = s + from;
    const char *end = s + to;
    while (p < end && (p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    p = s + from;
    while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        if (p[-1] != '\r')
            n++;
        p++;
    }
    return n;
}

int pii_csv_next(pii_csv *csv, const char *text, size_t len, size_t start, bool is_final,
                 pii_record *rec)
{
    const char *s = text + start;
    const size_t n = len - start;
    const unsigned char delim = (unsigned char)csv->delimiter;
    size_t pos = csv->pos;
    int rc;

    while (pos < n) {
        if (csv->is_quoted) {
            /* Only a quote ends quoted text: memchr runs at full speed over long fields. */
            const char *q = memchr(s + pos, '"', n - pos);
            size_t at = q == NULL ? n : (size_t)(q - s);
            csv->lines += count_line_ends(s, pos, at);
            pos = at;
            if (pos == n)
                break;
            if (pos + 1 == n && !is_final)
                break; /* a doubled quote or a closing one: the next byte tells */
            if (pos + 1 < n && s[pos + 1] == '"') {
                pos += 2;
                continue;
            }
            csv->is_quoted = false;
            pos++;
            if (pos < n && s[pos] != (char)delim && s[pos] != '\r' && s[pos] != '\n')
                csv->is_field_quoted = false; /* text after the closing quote stays in */
            continue;
        }
        if (pos == csv->field_start && !csv->is_field_quoted && s[pos] == '"') {
            csv->is_quoted = true;
            csv->is_field_quoted = true;
            csv->field_start = pos + 1;
            pos++;
            continue;
        }
        pos += find3(s + pos, n - pos, delim, '\r', '\n');
        if (pos == n)
            break;
        if (s[pos] == (char)delim) {
            rc = end_field(csv, pos);
            if (rc < 0)
                goto fail;
            pos++;
            continue;
        }
        size_t next = pos + 1;
        if (s[pos] == '\r') {
            if (next == n && !is_final)
                break; /* a LF may follow in the next text */
            if (next < n && s[next] == '\n')
                next++;
        }
        rc = end_field(csv, pos);
        if (rc < 0)
            goto fail;
        return finish(csv, start, pos, next, rec);
    }
    csv->pos = pos;
    if (!is_final || n == 0)
        return 0;
    /* End of input without a line end: the last record ends at len, quoted or not. */
    rc = end_field(csv, n);
    if (rc < 0)
        goto fail;
    return finish(csv, start, n, n, rec);
fail:
    csv->pos = pos;
    return rc;
}
