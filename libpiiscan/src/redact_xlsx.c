/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * redact_xlsx.c - span edits on a workbook: only the parts that hold replaced text are
 * rewritten; every other part is copied as it was, compressed bytes, CRC and all.
 *
 * Pass 1 is an ordinary scan (read_xlsx.c): each finding comes with its unit's place in the
 * package (pii_cell: the part, the element - a shared string, a sheet's <c>, a comment, an
 * author, a property, a person - and its byte range in the cell text) and becomes an edit.
 * Edits are sorted by part and element: O(findings) memory, as for text.
 *
 * Pass 2 opens the package with libzip as an archive to modify, replaces each part that has
 * edits by a source that rewrites it while libzip reads it, and lets zip_close() write the
 * result: entries not replaced are copied from the original's compressed bytes, untouched.
 * The output goes to a descriptor (pwrite: libzip seeks back to complete each local header)
 * or to memory. libzip must know a part's size before it writes it, or it writes a Zip64
 * header that some readers refuse, so each rewritten part is run twice: once counting its
 * bytes and their CRC, once handing them over deflated. The deflating is done here, with
 * zlib's default level 6 as Excel's own parts are: libzip 1.7 would deflate at level 9,
 * three times as slow on a large sheet, and ignores a level set for an unchanged method.
 *
 * A part is rewritten as a stream, 64 KiB at a time: expat parses it and the raw bytes are
 * copied through as they are. What is held in memory: the element that holds edits (an
 * <si>, a <c>, a <comment> ...), raw bytes and text, until its end tag, because its masks
 * can only be computed over its whole text (a value may run across rich-text runs, and a
 * reading follows the visible text in the offsets findings count in), bounded by the cell
 * limit; and the bytes of a tag cut by the end of a chunk. Inside that element only the
 * content of the <t> (or <v>, <author> ...) that changed is replaced, so run formatting
 * (<rPr>) and every other byte stay; text is written back escaped as ECMA-376 wants it.
 *
 * Verification checks what pass 2 promises: every part not rewritten has the original's
 * name, method, CRC, sizes and compressed bytes; the cell texts of the original (read again
 * without detection) and of the output (scanned again) agree, sheet by sheet, outside the
 * replaced spans (a BLAKE2b hash per sheet, so memory stays O(sheets)); and no finding of the
 * output touches a replacement, except what a partial mask keeps on purpose.
 *
 * Leaves out: parts the reader does not read (drawings, charts, custom properties), formulas
 * themselves, and parts not in UTF-8 (refused).
 */
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <expat.h>
#include <zip.h>
#include <zlib.h>

#include "redact.h"
#include "xlsx.h"

#define RW_CHUNK_BYTES (64u << 10)
/* Slots of the cache of recent edits: a shared string is found once per cell that shows it. */
#define SEEN_SLOTS 4096
#define HASH_BYTES 16
#define NAME_BYTES 512

/* A replaced span of a workbook. */
typedef struct xedit {
    uint64_t item;     /* pii_cell.item of the element in the original part */
    uint64_t out_item; /* the same in the output part (a shared string keeps its index) */
    /* Bytes of the cell text (visible text, then reading), end exclusive: a cell is at most
     * the record limit, 1 GiB, so 32 bits hold them and an edit takes 48 bytes. */
    uint32_t start;
    uint32_t end;
    uint32_t out_start; /* in the output's cell text */
    uint32_t out_end;
    uint32_t part; /* zip index */
    uint32_t out_kept;
    uint8_t place; /* enum pii_place */
    uint8_t type;  /* piiscan_type */
    /* A reading masked because the visible text of its cell had a replaced span. */
    bool is_reading_whole;
} xedit;

/* The cell texts of one sheet (or docProps, persons), outside the replaced spans, hashed. */
typedef struct segment {
    char *sheet;
    uint64_t units;
    unsigned char hash[HASH_BYTES];
} segment;

enum hook_mode {
    HOOK_SCAN,     /* pass 1: findings become edits */
    HOOK_ORIGINAL, /* verification: the original's texts, without detection */
    HOOK_OUTPUT,   /* verification: the output's texts and findings */
};

struct pii_workbook {
    xedit *v;
    size_t n;
    size_t cap;
    /* 1 + the index in v of a recent edit, by a hash of its place and span: the repeats of a
     * shared string's findings (one per cell that shows it, thousands in a long list of
     * orders) are dropped as they come rather than kept and sorted away in settle. */
    uint32_t seen[SEEN_SLOTS];
    enum hook_mode mode;
    /* Pass 1: the units of the current row (borrowed from the stream during the row), and
     * the cell of a comment whose reading is yet to come. */
    const pii_cell *row;
    size_t nrow;
    bool has_pending;
    xedit pending;
    /* Verification. */
    segment *segs;
    size_t nsegs;
    size_t segs_cap;
    size_t seg_at;
    bool has_seg;
    segment seg;
    crypto_generichash_state hs;
};

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static int set_error(piiscan_redactor *rd, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the redactor's error once: the first reason is the one reported. */
static int set_error(piiscan_redactor *rd, int code, const char *fmt, ...)
{
    if (rd->err.code != PIISCAN_OK)
        return rd->err.code;
    char text[sizeof rd->err.text];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return pii_error_set(&rd->err, code, UINT64_MAX, 0, "%s", text);
}

static int nomem(piiscan_redactor *rd)
{
    return set_error(rd, PIISCAN_ERR_NOMEM, "out of memory");
}

/* An attribute without a prefix (t, sb, eb, displayName, userId), as read_xlsx.c takes them:
 * x:t="s" is not the cell's type to it, so it is not here either. */
static const char *find_att(const char *const *atts, const char *name)
{
    for (size_t i = 0; atts[i] != NULL; i += 2) {
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* The byte offset of the k-th character of s[0..n). */
static size_t utf8_skip(const char *s, size_t n, size_t k)
{
    size_t i = 0;
    while (i < n && k > 0) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        k--;
    }
    return i;
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

/* Element text written back: XML's specials escaped and, for ST_Xstring (ECMA-376 Part 1,
 * 22.4.2.4: shared, inline and cell strings, authors), a control character as _xHHHH_ and
 * the underscore of a literal "_xHHHH_" as _x005F_, so that reading it back gives the same
 * text. Properties (core.xml) know no such escapes: a carriage return becomes &#13;. */
static int put_text(pii_bytes *b, const char *s, size_t n, bool is_xstring)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char esc[12];
        const char *e = NULL;
        if (c == '&')
            e = "&amp;";
        else if (c == '<')
            e = "&lt;";
        else if (c == '>')
            e = "&gt;";
        else if (c == '\r' && !is_xstring)
            e = "&#13;";
        else if (c < 0x20 && c != '\t' && c != '\n') {
            snprintf(esc, sizeof esc, "_x%04X_", c);
            e = esc;
        } else if (is_xstring && c == '_' && i + 7 <= n && s[i + 1] == 'x' && is_hex(s[i + 2]) &&
                   is_hex(s[i + 3]) && is_hex(s[i + 4]) && is_hex(s[i + 5]) && s[i + 6] == '_')
            e = "_x005F_";
        int rc = e != NULL ? pii_bytes_put(b, e, strlen(e)) : pii_bytes_put(b, &s[i], 1);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* An attribute value: attribute normalisation would turn a raw tab or line end into a space. */
static int put_att_value(pii_bytes *b, const char *s)
{
    for (; *s != '\0'; s++) {
        const char *e = NULL;
        switch (*s) {
        case '&':
            e = "&amp;";
            break;
        case '<':
            e = "&lt;";
            break;
        case '"':
            e = "&quot;";
            break;
        case '\t':
            e = "&#9;";
            break;
        case '\n':
            e = "&#10;";
            break;
        case '\r':
            e = "&#13;";
            break;
        default:
            break;
        }
        int rc = e != NULL ? pii_bytes_put(b, e, strlen(e)) : pii_bytes_put(b, s, 1);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* One attribute of a start tag: a space, then key="value" with the value escaped. */
static int put_att(pii_bytes *b, const char *key, const char *value)
{
    int rc = pii_bytes_put(b, " ", 1);
    if (rc == PIISCAN_OK)
        rc = pii_bytes_put(b, key, strlen(key));
    if (rc == PIISCAN_OK)
        rc = pii_bytes_put(b, "=\"", 2);
    if (rc == PIISCAN_OK)
        rc = put_att_value(b, value);
    if (rc == PIISCAN_OK)
        rc = pii_bytes_put(b, "\"", 1);
    return rc;
}

/* A start tag from its name and attributes, with up to two attributes given new values
 * (added when missing); is_empty for an empty-element tag. */
static int put_tag(pii_bytes *b, const char *name, const char *const *atts, const char *k1,
                   const char *v1, const char *k2, const char *v2, bool is_empty)
{
    bool has1 = false;
    bool has2 = false;
    int rc = pii_bytes_put(b, "<", 1);
    if (rc == PIISCAN_OK)
        rc = pii_bytes_put(b, name, strlen(name));
    for (size_t i = 0; rc == PIISCAN_OK && atts[i] != NULL; i += 2) {
        const char *value = atts[i + 1];
        if (k1 != NULL && strcmp(atts[i], k1) == 0)
            value = v1, has1 = true;
        else if (k2 != NULL && strcmp(atts[i], k2) == 0)
            value = v2, has2 = true;
        rc = put_att(b, atts[i], value);
    }
    for (int k = 0; k < 2 && rc == PIISCAN_OK; k++) {
        const char *key = k == 0 ? k1 : k2;
        const char *value = k == 0 ? v1 : v2;
        if (key == NULL || (k == 0 ? has1 : has2))
            continue;
        rc = put_att(b, key, value);
    }
    if (rc == PIISCAN_OK)
        rc = is_empty ? pii_bytes_put(b, "/>", 2) : pii_bytes_put(b, ">", 1);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The workbook state of a redactor                                                           */

int pii_workbook_new(pii_workbook **out)
{
    pii_workbook *wb = calloc(1, sizeof *wb);
    if (wb == NULL)
        return PIISCAN_ERR_NOMEM;
    *out = wb;
    return PIISCAN_OK;
}

static void segments_clear(pii_workbook *wb)
{
    for (size_t i = 0; i < wb->nsegs; i++)
        free(wb->segs[i].sheet);
    wb->nsegs = 0;
    wb->seg_at = 0;
    if (wb->has_seg)
        free(wb->seg.sheet);
    wb->has_seg = false;
}

void pii_workbook_free(pii_workbook *wb)
{
    if (wb == NULL)
        return;
    segments_clear(wb);
    free(wb->segs);
    free(wb->v);
    free(wb);
}

void pii_workbook_clear(pii_workbook *wb)
{
    wb->n = 0;
    memset(wb->seen, 0, sizeof wb->seen);
    wb->mode = HOOK_SCAN;
    wb->row = NULL;
    wb->nrow = 0;
    wb->has_pending = false;
    segments_clear(wb);
}

static bool same_place(const xedit *e, const pii_cell *c)
{
    return e->part == c->part && e->item == c->item && e->place == c->place;
}

/* Orders edits by part, element and start; of two with the same start, the longer first. */
static int by_place(const void *pa, const void *pb)
{
    const xedit *a = pa;
    const xedit *b = pb;
    if (a->part != b->part)
        return a->part < b->part ? -1 : 1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->place != b->place)
        return a->place < b->place ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? 1 : a->end > b->end ? -1 : 0;
}

/* The first edit of an element: by its place in the original, or (is_output) in the output. */
static size_t edits_of(const pii_workbook *wb, uint32_t part, uint64_t item, uint8_t place,
                       bool is_output)
{
    size_t lo = 0;
    size_t hi = wb->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const xedit *e = &wb->v[mid];
        uint64_t it = is_output ? e->out_item : e->item;
        bool is_less = e->part != part ? e->part < part : it != item ? it < item : e->place < place;
        if (is_less)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool is_of(const xedit *e, uint32_t part, uint64_t item, uint8_t place, bool is_output)
{
    return e->part == part && (is_output ? e->out_item : e->item) == item && e->place == place;
}

/* ------------------------------------------------------------------------------------------ */
/* Pass 1: findings become edits                                                              */

static bool is_same_edit(const xedit *a, const xedit *b)
{
    return a->part == b->part && a->item == b->item && a->place == b->place &&
           a->start == b->start && a->end == b->end && a->type == b->type;
}

static int add_edit(pii_workbook *wb, const xedit *e)
{
    uint64_t h = (e->item * 0x9E3779B97F4A7C15u) ^ ((uint64_t)e->start << 20) ^
                 ((uint64_t)e->end << 40) ^ ((uint64_t)e->part << 8) ^ e->place;
    h ^= h >> 29;
    uint32_t *slot = &wb->seen[h % SEEN_SLOTS];
    if (*slot != 0 && *slot <= wb->n && is_same_edit(&wb->v[*slot - 1], e))
        return PIISCAN_OK;
    xedit *v = pii_xlsx_grow(wb->v, &wb->cap, wb->n + 1, sizeof *v);
    if (v == NULL)
        return PIISCAN_ERR_NOMEM;
    wb->v = v;
    v[wb->n++] = *e;
    if (wb->n <= UINT32_MAX)
        *slot = (uint32_t)wb->n;
    return PIISCAN_OK;
}

/* The furigana (<rPh>) of a cell is the reading of its visible text: the reading of a masked
 * name is the name, of an address the address. So when the visible text of a cell has a
 * replaced span, its whole reading is replaced too (the runs' sb/eb say which characters a
 * reading belongs to, but a reading masked whole cannot leak what a partial one might). */
static int add_reading(pii_workbook *wb, const xedit *visible, const pii_cell *reading)
{
    xedit e = *visible;
    e.start = (uint32_t)reading->offset;
    e.end = (uint32_t)(reading->offset + reading->len);
    e.is_reading_whole = true;
    return add_edit(wb, &e);
}

static int check_output_finding(piiscan_redactor *rd, const pii_cell *c, const piiscan_finding *f);

/* A finding in a cell that shows a shared string is an edit of the string itself (its place
 * is its index in the table), so the mask appears in every cell that shows it, also in a
 * cell where the same text was not found (under a header that is no person's, or with no
 * header at all). Decided so on purpose: the value was personal data where it was found, the
 * same text elsewhere in the workbook is most likely the same person's (a name in a notes
 * column, a phone number on a second sheet), and giving the found cell an inline copy of
 * its own would leave the value in the table and in those cells, which is what redaction
 * must remove. Masking a coincidental namesake (a surname that is also a product name) costs
 * a little information; the report counts the string once. */
int pii_workbook_finding(piiscan_redactor *rd, const piiscan_finding *f)
{
    pii_workbook *wb = rd->wb;
    const pii_cell *c = pii_stream_finding_cell(rd->st);
    if (c == NULL || c->place == PII_PLACE_NONE) {
        set_error(rd, PIISCAN_ERR_INTERNAL, "%.40s!%.40s: a finding without its place", f->sheet,
                  f->cell != NULL ? f->cell : "");
        return 1;
    }
    if (wb->mode == HOOK_OUTPUT)
        return check_output_finding(rd, c, f);
    if (f->end <= f->start || wb->mode != HOOK_SCAN)
        return 0;
    if (f->end > UINT32_MAX) {
        set_error(rd, PIISCAN_ERR_LIMIT, "%.40s!%.40s: a cell longer than 4 GiB", f->sheet,
                  f->cell);
        return 1;
    }
    xedit e = {
        .part = c->part,
        .item = c->item,
        .place = c->place,
        .start = (uint32_t)f->start,
        .end = (uint32_t)f->end,
        .type = (uint8_t)f->type,
    };
    int rc = add_edit(wb, &e);
    if (rc == PIISCAN_OK && !c->is_reading) {
        /* A row's units come before its findings; a comment's reading comes after. */
        const pii_cell *reading = NULL;
        for (size_t i = 0; i < wb->nrow && reading == NULL; i++) {
            if (wb->row[i].is_reading && same_place(&e, &wb->row[i]))
                reading = &wb->row[i];
        }
        if (reading != NULL) {
            rc = add_reading(wb, &e, reading);
        } else {
            wb->has_pending = true;
            wb->pending = e;
        }
    }
    if (rc != PIISCAN_OK) {
        nomem(rd);
        return 1;
    }
    return 0;
}

void pii_workbook_settle(piiscan_redactor *rd)
{
    pii_workbook *wb = rd->wb;
    if (wb->n > 1)
        qsort(wb->v, wb->n, sizeof *wb->v, by_place);
    size_t n = 0;
    for (size_t i = 0; i < wb->n; i++) {
        xedit *e = &wb->v[i];
        xedit *last = n > 0 ? &wb->v[n - 1] : NULL;
        if (last != NULL && last->part == e->part && last->item == e->item &&
            last->place == e->place && e->start < last->end) {
            if (e->end > last->end)
                last->end = e->end;
            last->is_reading_whole = last->is_reading_whole && e->is_reading_whole;
            continue;
        }
        wb->v[n++] = *e;
    }
    wb->n = n;
    /* A reading replaced along with its cell is part of that replacement, not another. */
    for (size_t i = 0; i < n; i++) {
        if (wb->v[i].is_reading_whole)
            continue;
        rd->stats.spans++;
        if (wb->v[i].type < 16)
            rd->stats.spans_by_type[wb->v[i].type]++;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Verification: the cell texts, sheet by sheet                                               */

static int segment_open(pii_workbook *wb, const char *sheet)
{
    wb->seg.sheet = strdup(sheet);
    if (wb->seg.sheet == NULL)
        return PIISCAN_ERR_NOMEM;
    wb->seg.units = 0;
    crypto_generichash_init(&wb->hs, NULL, 0, HASH_BYTES);
    wb->has_seg = true;
    return PIISCAN_OK;
}

static int segment_close(piiscan_redactor *rd)
{
    pii_workbook *wb = rd->wb;
    wb->has_seg = false;
    crypto_generichash_final(&wb->hs, wb->seg.hash, HASH_BYTES);
    if (wb->mode == HOOK_ORIGINAL) {
        segment *v = pii_xlsx_grow(wb->segs, &wb->segs_cap, wb->nsegs + 1, sizeof *v);
        if (v == NULL) {
            free(wb->seg.sheet);
            return nomem(rd);
        }
        wb->segs = v;
        v[wb->nsegs++] = wb->seg;
        return PIISCAN_OK;
    }
    segment *was = wb->seg_at < wb->nsegs ? &wb->segs[wb->seg_at] : NULL;
    const segment *now = &wb->seg;
    int rc = PIISCAN_OK;
    if (was == NULL)
        rc = set_error(rd, PIISCAN_ERR_VERIFY,
                       "the output has cells in %.40s where the original "
                       "has none",
                       now->sheet);
    else if (strcmp(was->sheet, now->sheet) != 0)
        rc = set_error(rd, PIISCAN_ERR_VERIFY,
                       "the output has cells in %.40s where the original has %.40s's", now->sheet,
                       was->sheet);
    else if (was->units != now->units)
        rc = set_error(rd, PIISCAN_ERR_VERIFY,
                       "the output has %llu texts in %.40s where the original has %llu",
                       (unsigned long long)now->units, now->sheet, (unsigned long long)was->units);
    else if (sodium_memcmp(was->hash, now->hash, HASH_BYTES) != 0)
        rc = set_error(rd, PIISCAN_ERR_VERIFY,
                       "%.40s: the text of a cell differs from the original's outside the "
                       "replaced spans",
                       now->sheet);
    wb->seg_at++;
    free(wb->seg.sheet);
    return rc;
}

/* Hashes a unit's place and text with its replaced spans left out (each a marker and its
 * type): the original's spans, or the output's. */
static void hash_unit(pii_workbook *wb, const pii_cell *c, bool is_output)
{
    crypto_generichash_update(&wb->hs, (const unsigned char *)c->ref, strlen(c->ref) + 1);
    const unsigned char kind = c->is_reading;
    crypto_generichash_update(&wb->hs, &kind, 1);
    const unsigned char *text = (const unsigned char *)c->text;
    uint64_t from = c->offset;
    uint64_t to = c->offset + c->len;
    uint64_t pos = from;
    for (size_t i = edits_of(wb, c->part, c->item, c->place, is_output);
         i < wb->n && is_of(&wb->v[i], c->part, c->item, c->place, is_output); i++) {
        const xedit *e = &wb->v[i];
        uint64_t s = is_output ? e->out_start : e->start;
        uint64_t t = is_output ? e->out_end : e->end;
        if (t <= from || s >= to)
            continue;
        if (s < pos)
            s = pos;
        if (t > to)
            t = to;
        crypto_generichash_update(&wb->hs, text + (pos - from), s - pos);
        const unsigned char mark[2] = {0xFF, e->type}; /* 0xFF is never UTF-8 */
        crypto_generichash_update(&wb->hs, mark, sizeof mark);
        pos = t;
    }
    crypto_generichash_update(&wb->hs, text + (pos - from), to - pos);
    const unsigned char end = 0xFE;
    crypto_generichash_update(&wb->hs, &end, 1);
    wb->seg.units++;
}

int pii_workbook_units(void *user, const char *sheet, const pii_cell *cells, size_t n)
{
    piiscan_redactor *rd = user;
    pii_workbook *wb = rd->wb;
    if (wb->mode == HOOK_SCAN) {
        wb->row = cells;
        wb->nrow = n;
        if (wb->has_pending) {
            wb->has_pending = false;
            for (size_t i = 0; i < n; i++) {
                if (cells[i].is_reading && same_place(&wb->pending, &cells[i]) &&
                    add_reading(wb, &wb->pending, &cells[i]) != PIISCAN_OK)
                    return nomem(rd);
            }
        }
        return PIISCAN_OK;
    }
    if (sheet == NULL)
        sheet = "";
    if (!wb->has_seg || strcmp(wb->seg.sheet, sheet) != 0) {
        int rc = wb->has_seg ? segment_close(rd) : PIISCAN_OK;
        if (rc == PIISCAN_OK && segment_open(wb, sheet) != PIISCAN_OK)
            rc = nomem(rd);
        if (rc != PIISCAN_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++)
        hash_unit(wb, &cells[i], wb->mode == HOOK_OUTPUT);
    return PIISCAN_OK;
}

static int check_output_finding(piiscan_redactor *rd, const pii_cell *c, const piiscan_finding *f)
{
    pii_workbook *wb = rd->wb;
    for (size_t i = edits_of(wb, c->part, c->item, c->place, true);
         i < wb->n && is_of(&wb->v[i], c->part, c->item, c->place, true); i++) {
        const xedit *e = &wb->v[i];
        if (e->out_end <= f->start || e->out_start >= f->end)
            continue;
        if (f->start >= e->out_start && f->end <= e->out_start + e->out_kept)
            continue; /* what a partial mask keeps, as in text */
        set_error(rd, PIISCAN_ERR_VERIFY,
                  "%.40s!%.40s: the replacement of bytes %llu-%llu of its text still reads as %s",
                  f->sheet, f->cell, (unsigned long long)e->start, (unsigned long long)e->end,
                  piiscan_type_name(f->type));
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Pass 2: rewriting one part                                                                 */

/* A <t> of rich text, or the text of a <v>, <author> or property. */
typedef struct run {
    uint64_t cs; /* its raw content: bytes [cs, ce) of the part */
    uint64_t ce;
    size_t at; /* its decoded text in w->text */
    size_t len;
    size_t cell_at; /* where that text is in the cell text */
    size_t new_at;  /* its new text in w->fresh */
    size_t new_len;
    bool is_reading;
    bool is_changed;
} run;

/* A start tag kept for rewriting: its name and attributes, NUL-terminated in w->strs. */
typedef struct saved_tag {
    size_t at;
    size_t natts;
} saved_tag;

/* A <rPh> start tag: its sb/eb (characters of the visible text) move when tokens change the
 * text's length. */
typedef struct rph {
    uint64_t at;
    uint64_t len;
    saved_tag tag;
} rph;

/* Raw bytes [start, end) of the part replaced by w->reps[at..at+len). */
typedef struct repl {
    uint64_t start;
    uint64_t end;
    size_t at;
    size_t len;
} repl;

/* The replacement of one edit of the element held. */
typedef struct piece {
    size_t at; /* in w->reps */
    size_t len;
    size_t kept;
    size_t chars_old;
    size_t chars_new;
    bool is_whole; /* a token: written whole where its span starts */
} piece;

typedef struct rewriter {
    piiscan_redactor *rd;
    zip_t *za; /* the original, read-only */
    zip_uint64_t index;
    char name[NAME_BYTES];
    bool is_shared; /* the shared-string table: elements are counted, not located */
    size_t first;   /* its edits: rd->wb->v[first..last) */
    size_t last;
    time_t mtime;
    bool has_mtime;
    bool is_measured;
    uint64_t size;
    uint32_t crc;     /* of the rewritten bytes, from the counting run */
    uint32_t run_crc; /* of the bytes of the counting run so far */
    z_stream z;
    bool has_z;
    bool is_z_done;
    uint64_t max_hold_bytes;
    zip_error_t error;

    /* One run over the part. */
    bool is_counting;
    zip_file_t *zf;
    XML_Parser p;
    char *chunk;
    bool is_eof;
    int rc;
    size_t next; /* the next edit */
    uint64_t si; /* <si> seen */
    bool in_si;
    unsigned depth;
    pii_bytes raw; /* raw bytes [raw_base, raw_base + raw.len) of the part */
    uint64_t raw_base;
    uint64_t copied; /* raw bytes before this are written out */
    uint64_t safe;   /* the end of the last event: no element starts before it */
    pii_bytes out;   /* written, not yet handed to libzip */
    size_t out_at;
    uint64_t out_pos; /* bytes of the part written in this run */

    /* The element held. */
    bool is_holding;
    uint8_t place;
    uint64_t hold_at;
    uint64_t hold_tag_len;
    unsigned hold_depth;
    size_t item_last;
    char cell_type[12];
    saved_tag cell_tag;
    bool has_formula;
    bool is_rich_open;
    unsigned in_t;
    unsigned in_rph;
    bool in_v;
    bool has_v;
    uint64_t v_at; /* <v>: start tag, content, end */
    uint64_t v_cs;
    uint64_t v_ce;
    uint64_t v_end;
    bool in_plain;
    bool has_text;   /* a comment's <text> was seen */
    bool is_tangled; /* text of a reading in a visible run, or the other way round */
    run *runs;
    size_t nruns;
    size_t runs_cap;
    rph *rphs;
    size_t nrphs;
    size_t rphs_cap;
    repl *repls;
    size_t nrepls;
    size_t repls_cap;
    piece *pieces;
    size_t pieces_cap;
    const char **ptrs; /* a saved tag's strings */
    size_t ptrs_cap;
    pii_bytes text;  /* decoded text of the runs */
    pii_bytes vtext; /* of the <v> */
    pii_bytes cell;  /* the cell text: visible runs, then readings */
    pii_bytes fresh; /* the new text of every run */
    pii_bytes reps;  /* replacements: of edits, then of raw ranges */
    pii_bytes strs;  /* saved tags */
} rewriter;

static void fail(rewriter *w, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the first error of a run and stops the parser if one is running. */
static void fail(rewriter *w, int code, const char *fmt, ...)
{
    if (w->rc == PIISCAN_OK) {
        char text[sizeof w->rd->err.text];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof text, fmt, ap);
        va_end(ap);
        set_error(w->rd, code, "%s", text);
        w->rc = code;
    }
    if (w->p != NULL)
        XML_StopParser(w->p, XML_FALSE);
}

static void fail_nomem(rewriter *w)
{
    fail(w, PIISCAN_ERR_NOMEM, "out of memory");
}

static xedit *edit_at(const rewriter *w, size_t i)
{
    return &w->rd->wb->v[i];
}

static int put(rewriter *w, const void *p, size_t n)
{
    w->out_pos += n;
    if (w->is_counting) {
        /* zlib's crc32 takes a uInt length. */
        for (size_t at = 0; at < n;) {
            uInt k = n - at > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uInt)(n - at);
            w->run_crc = (uint32_t)crc32(w->run_crc, (const Bytef *)p + at, k);
            at += k;
        }
        return PIISCAN_OK;
    }
    return pii_bytes_put(&w->out, p, n);
}

/* Writes raw bytes [from, to) of the part, which the raw window holds. */
static int put_raw(rewriter *w, uint64_t from, uint64_t to)
{
    if (to <= from)
        return PIISCAN_OK;
    return put(w, w->raw.data + (from - w->raw_base), (size_t)(to - from));
}

static int copy_until(rewriter *w, uint64_t to)
{
    if (to <= w->copied)
        return PIISCAN_OK;
    int rc = put_raw(w, w->copied, to);
    w->copied = to;
    return rc;
}

static int save_tag(rewriter *w, const char *name, const char **atts, saved_tag *out)
{
    out->at = w->strs.len;
    out->natts = 0;
    int rc = pii_bytes_put(&w->strs, name, strlen(name) + 1);
    for (size_t i = 0; rc == PIISCAN_OK && atts[i] != NULL; i += 2, out->natts++) {
        rc = pii_bytes_put(&w->strs, atts[i], strlen(atts[i]) + 1);
        if (rc == PIISCAN_OK)
            rc = pii_bytes_put(&w->strs, atts[i + 1], strlen(atts[i + 1]) + 1);
    }
    return rc;
}

/* The strings of a saved tag as expat gave them: w->ptrs = {key, value, ..., NULL}. */
static const char *load_tag(rewriter *w, const saved_tag *t)
{
    const char **v = pii_xlsx_grow(w->ptrs, &w->ptrs_cap, 2 * t->natts + 1, sizeof *v);
    if (v == NULL)
        return NULL;
    w->ptrs = v;
    const char *s = (const char *)w->strs.data + t->at;
    const char *name = s;
    s += strlen(s) + 1;
    for (size_t i = 0; i < 2 * t->natts; i++) {
        v[i] = s;
        s += strlen(s) + 1;
    }
    v[2 * t->natts] = NULL;
    return name;
}

/* The element's text is one run of w->text[0..len). */
static int one_run(rewriter *w, uint64_t cs, uint64_t ce)
{
    run *v = pii_xlsx_grow(w->runs, &w->runs_cap, 1, sizeof *v);
    if (v == NULL)
        return PIISCAN_ERR_NOMEM;
    w->runs = v;
    v[0] = (run){.cs = cs, .ce = ce, .len = w->text.len};
    w->nruns = 1;
    return PIISCAN_OK;
}

static int add_repl(rewriter *w, uint64_t start, uint64_t end, size_t at)
{
    repl *v = pii_xlsx_grow(w->repls, &w->repls_cap, w->nrepls + 1, sizeof *v);
    if (v == NULL)
        return PIISCAN_ERR_NOMEM;
    w->repls = v;
    v[w->nrepls++] = (repl){start, end, at, w->reps.len - at};
    return PIISCAN_OK;
}

/* ECMA-376's _x escapes decoded run by run, as read_xlsx.c decodes the cell text; the text
 * buffer is compacted as runs shrink. */
/* Joins the runs' texts in cell order (visible runs, then readings) into out, each kind
 * unescaped as one text when is_joined (as read_xlsx.c decodes them). */
static int join_runs(rewriter *w, pii_bytes *out, bool is_joined)
{
    out->len = 0;
    for (int pass = 0; pass < 2; pass++) {
        size_t from = out->len;
        for (size_t i = 0; i < w->nruns; i++) {
            const run *r = &w->runs[i];
            if (r->is_reading == (pass == 1) &&
                pii_bytes_put(out, w->text.data + r->at, r->len) != PIISCAN_OK)
                return PIISCAN_ERR_NOMEM;
        }
        if (is_joined && out->len > from)
            out->len = from + pii_xlsx_unescape((char *)out->data + from, out->len - from);
    }
    return PIISCAN_OK;
}

static int unescape_runs(rewriter *w)
{
    int rc = join_runs(w, &w->fresh, true);
    if (rc != PIISCAN_OK)
        return rc;
    size_t at = 0;
    for (size_t i = 0; i < w->nruns; i++) {
        run *r = &w->runs[i];
        size_t n = 0;
        if (r->len > 0) {
            char *s = (char *)w->text.data + r->at;
            n = pii_xlsx_unescape(s, r->len);
            memmove(w->text.data + at, s, n);
        }
        r->at = at;
        r->len = n;
        at += n;
    }
    w->text.len = at;
    /* An escape cut in two by a run boundary (_x00 | 41_) reads as one character in the
     * joined text the offsets count in, and as seven in the runs: not rewritten. */
    rc = join_runs(w, &w->cell, false);
    if (rc == PIISCAN_OK &&
        (w->cell.len != w->fresh.len ||
         (w->cell.len > 0 && memcmp(w->cell.data, w->fresh.data, w->cell.len) != 0))) {
        fail(w, PIISCAN_ERR_UNSUPPORTED,
             "%s: the element at byte %llu has an _xHHHH_ escape split across rich-text runs: "
             "not rewritten",
             w->name, (unsigned long long)w->hold_at);
        rc = w->rc;
    }
    return rc;
}

/* The new text of every run: the edits of the element held, [next, item_last), applied to
 * the cell text (its visible runs in document order, then its readings, as the reader
 * joins them). Full and partial masks give one character per character, so a span that
 * runs across rich-text runs is masked in each run, which keeps its formatting; a token is
 * written where its span starts. Sets each edit's place in the output's cell text. */
static int remask(rewriter *w)
{
    piiscan_redactor *rd = w->rd;
    w->cell.len = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < w->nruns; i++) {
            run *r = &w->runs[i];
            if (r->is_reading != (pass == 1))
                continue;
            r->cell_at = w->cell.len;
            if (pii_bytes_put(&w->cell, w->text.data + r->at, r->len) != PIISCAN_OK)
                return PIISCAN_ERR_NOMEM;
        }
    }
    const char *cell = (const char *)w->cell.data;
    size_t nedits = w->item_last - w->next;
    piece *pieces = pii_xlsx_grow(w->pieces, &w->pieces_cap, nedits, sizeof *pieces);
    if (pieces == NULL)
        return PIISCAN_ERR_NOMEM;
    w->pieces = pieces;
    w->reps.len = 0;
    for (size_t k = 0; k < nedits; k++) {
        const xedit *e = edit_at(w, w->next + k);
        if (e->end > w->cell.len || e->start >= e->end) {
            fail(w, PIISCAN_ERR_VERIFY,
                 "%s: the text at byte %llu is not the text that was scanned (the package "
                 "changed?)",
                 w->name, (unsigned long long)w->hold_at);
            return w->rc;
        }
        piece *pc = &pieces[k];
        pc->at = w->reps.len;
        int rc = pii_redact_replacement(rd, (piiscan_type)e->type, PIISCAN_ENCODING_UTF8,
                                        (const unsigned char *)cell + e->start,
                                        (size_t)(e->end - e->start), false, &w->reps, &pc->kept);
        if (rc != PIISCAN_OK)
            return rc;
        pc->len = w->reps.len - pc->at;
        pc->chars_old = utf8_chars(cell + e->start, (size_t)(e->end - e->start));
        pc->chars_new = utf8_chars((const char *)w->reps.data + pc->at, pc->len);
        pc->is_whole = rd->mask == PIISCAN_MASK_TOKEN || pc->chars_old != pc->chars_new;
    }
    w->fresh.len = 0;
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < w->nruns; i++) {
            run *r = &w->runs[i];
            if (r->is_reading != (pass == 1))
                continue;
            r->new_at = w->fresh.len;
            r->is_changed = false;
            size_t p = r->cell_at;
            size_t end = r->cell_at + r->len;
            while (p < end) {
                while (k < nedits && edit_at(w, w->next + k)->end <= p)
                    k++;
                xedit *e = k < nedits ? edit_at(w, w->next + k) : NULL;
                int rc;
                if (e == NULL || e->start >= end) {
                    rc = pii_bytes_put(&w->fresh, cell + p, end - p);
                    p = end;
                } else if (p < e->start) {
                    rc = pii_bytes_put(&w->fresh, cell + p, (size_t)e->start - p);
                    p = (size_t)e->start;
                } else {
                    const piece *pc = &pieces[k];
                    const char *rep = (const char *)w->reps.data + pc->at;
                    size_t q = e->end < end ? (size_t)e->end : end;
                    if (p == e->start)
                        e->out_start = (uint32_t)w->fresh.len;
                    if (pc->is_whole) {
                        rc = p == e->start ? pii_bytes_put(&w->fresh, rep, pc->len) : PIISCAN_OK;
                    } else {
                        const char *span = cell + e->start;
                        size_t from = utf8_chars(span, p - (size_t)e->start);
                        size_t to = utf8_chars(span, q - (size_t)e->start);
                        size_t a = utf8_skip(rep, pc->len, from);
                        size_t b = utf8_skip(rep, pc->len, to);
                        rc = pii_bytes_put(&w->fresh, rep + a, b - a);
                    }
                    r->is_changed = true;
                    p = q;
                    if (q == e->end) {
                        e->out_end = (uint32_t)w->fresh.len;
                        e->out_kept = pc->kept <= UINT32_MAX ? (uint32_t)pc->kept : 0;
                    }
                }
                if (rc != PIISCAN_OK)
                    return rc;
            }
            r->new_len = w->fresh.len - r->new_at;
        }
    }
    return PIISCAN_OK;
}

/* Where character i of the visible text is once tokens have replaced its spans: sb (a start)
 * moves to the start of a span it falls in, eb (an end) to its end. */
static uint64_t move_char(rewriter *w, size_t visible, uint64_t i, bool is_end)
{
    const char *cell = (const char *)w->cell.data;
    int64_t delta = 0;
    for (size_t k = 0; k < w->item_last - w->next; k++) {
        const xedit *e = edit_at(w, w->next + k);
        if (e->end > visible)
            break;
        const piece *pc = &w->pieces[k];
        uint64_t cs = utf8_chars(cell, (size_t)e->start);
        uint64_t ce = cs + pc->chars_old;
        if (i <= cs)
            break;
        if (i >= ce) {
            delta += (int64_t)pc->chars_new - (int64_t)pc->chars_old;
            continue;
        }
        return (uint64_t)((int64_t)(is_end ? cs + pc->chars_new : cs) + delta);
    }
    return (uint64_t)((int64_t)i + delta);
}

/* sb and eb of each <rPh> rewritten when the visible text changed length (tokens). */
static int move_readings(rewriter *w)
{
    size_t visible = 0;
    bool is_moved = false;
    for (size_t i = 0; i < w->nruns; i++)
        visible += w->runs[i].is_reading ? 0 : w->runs[i].len;
    for (size_t k = 0; k < w->item_last - w->next; k++)
        is_moved |= edit_at(w, w->next + k)->end <= visible &&
                    w->pieces[k].chars_old != w->pieces[k].chars_new;
    for (size_t i = 0; is_moved && i < w->nrphs; i++) {
        const rph *r = &w->rphs[i];
        const char *name = load_tag(w, &r->tag);
        if (name == NULL)
            return PIISCAN_ERR_NOMEM;
        const char *sb = find_att(w->ptrs, "sb");
        const char *eb = find_att(w->ptrs, "eb");
        char *end_sb;
        char *end_eb;
        if (sb == NULL || eb == NULL)
            continue;
        unsigned long long s = strtoull(sb, &end_sb, 10);
        unsigned long long e = strtoull(eb, &end_eb, 10);
        if (*end_sb != '\0' || *end_eb != '\0')
            continue;
        char new_sb[24];
        char new_eb[24];
        snprintf(new_sb, sizeof new_sb, "%llu",
                 (unsigned long long)move_char(w, visible, s, false));
        snprintf(new_eb, sizeof new_eb, "%llu", (unsigned long long)move_char(w, visible, e, true));
        bool is_empty = r->len >= 2 && w->raw.data[r->at + r->len - 2 - w->raw_base] == '/';
        size_t at = w->reps.len;
        int rc = put_tag(&w->reps, name, w->ptrs, "sb", new_sb, "eb", new_eb, is_empty);
        if (rc == PIISCAN_OK)
            rc = add_repl(w, r->at, r->at + r->len, at);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

static int by_start(const void *pa, const void *pb)
{
    const repl *a = pa;
    const repl *b = pb;
    return a->start < b->start ? -1 : a->start > b->start;
}

/* A number replaced by its mask is no number: the cell becomes an inline string (or, under
 * a formula, a string result), keeping its place and style. A phone number typed into Excel
 * loses its leading 0 and is stored as a number (9012345678); its mask is text, and writing
 * it as an inline string rather than a new shared string leaves the shared-string table and
 * its indexes alone. */
static int replace_number(rewriter *w)
{
    const run *r = &w->runs[0];
    const char *text = (const char *)w->fresh.data + r->new_at;
    const char *name = load_tag(w, &w->cell_tag);
    if (name == NULL)
        return PIISCAN_ERR_NOMEM;
    size_t at = w->reps.len;
    int rc = put_tag(&w->reps, name, w->ptrs, "t", w->has_formula ? "str" : "inlineStr", NULL, NULL,
                     false);
    if (rc == PIISCAN_OK)
        rc = add_repl(w, w->hold_at, w->hold_at + w->hold_tag_len, at);
    if (rc != PIISCAN_OK)
        return rc;
    at = w->reps.len;
    if (w->has_formula) {
        rc = put_text(&w->reps, text, r->new_len, true);
        return rc != PIISCAN_OK ? rc : add_repl(w, w->v_cs, w->v_ce, at);
    }
    /* The children take the prefix the cell's own name has ("x:c" -> "x:is", "x:t"). */
    const char *colon = strchr(name, ':');
    int prefix = colon != NULL ? (int)(colon - name + 1) : 0;
    char open[96];
    char close[96];
    snprintf(open, sizeof open, "<%.*sis><%.*st>", prefix, name, prefix, name);
    snprintf(close, sizeof close, "</%.*st></%.*sis>", prefix, name, prefix, name);
    rc = pii_bytes_put(&w->reps, open, strlen(open));
    if (rc == PIISCAN_OK)
        rc = put_text(&w->reps, text, r->new_len, true);
    if (rc == PIISCAN_OK)
        rc = pii_bytes_put(&w->reps, close, strlen(close));
    return rc != PIISCAN_OK ? rc : add_repl(w, w->v_at, w->v_end, at);
}

/* The element held ends at hold_end: its text as the reader made it, the new texts, and the
 * element written with only the changed contents replaced. */
static int rewrite_element(rewriter *w, uint64_t hold_end)
{
    if (w->in_t > 0 || w->is_tangled) {
        /* <si><t>a<si>b</si>...: the reader ends the string at the inner </si> (as here), with
         * a <t> still open, whose raw text runs on past the element; or text and reading
         * nested in each other: no run to rewrite them in. */
        fail(w, PIISCAN_ERR_UNSUPPORTED,
             "%s: the element at byte %llu has its text and readings nested in each other: not "
             "rewritten",
             w->name, (unsigned long long)w->hold_at);
        return w->rc;
    }
    bool is_number = false;
    /* Properties and threaded comments are plain strings: read_xlsx.c decodes no _xHHHH_. */
    bool is_xstring = w->place != PII_PLACE_PROPERTY && w->place != PII_PLACE_THREADED;
    if (w->place == PII_PLACE_CELL) {
        const char *t = w->cell_type;
        size_t rich = 0;
        for (size_t i = 0; i < w->nruns; i++)
            rich += w->runs[i].len;
        if (strcmp(t, "inlineStr") == 0 && rich > 0) {
            int rc = unescape_runs(w);
            if (rc != PIISCAN_OK)
                return rc;
        } else if (!w->has_v || w->vtext.len == 0 || strcmp(t, "b") == 0 || strcmp(t, "e") == 0 ||
                   strcmp(t, "s") == 0) {
            fail(w, PIISCAN_ERR_VERIFY, "%s: the cell at byte %llu holds no text to replace",
                 w->name, (unsigned long long)w->hold_at);
            return w->rc;
        } else {
            /* As read_xlsx.c: a number in Excel's form is its plain decimal, any other text
             * of a <v> is unescaped. */
            char plain[160];
            size_t n = 0;
            is_number = strcmp(t, "n") == 0;
            if (is_number)
                n = pii_xlsx_plain_decimal((const char *)w->vtext.data, w->vtext.len, plain,
                                           sizeof plain);
            w->text.len = 0;
            int rc = n > 0 ? pii_bytes_put(&w->text, plain, n)
                           : pii_bytes_put(&w->text, w->vtext.data, w->vtext.len);
            if (rc != PIISCAN_OK)
                return rc;
            if (n == 0)
                w->text.len = pii_xlsx_unescape((char *)w->text.data, w->text.len);
            if (one_run(w, w->v_cs, w->v_ce) != PIISCAN_OK)
                return PIISCAN_ERR_NOMEM;
            w->nrphs = 0; /* readings of an <is> the reader did not use */
        }
    } else if (is_xstring) {
        int rc = unescape_runs(w);
        if (rc != PIISCAN_OK)
            return rc;
    }
    w->nrepls = 0;
    int rc = remask(w);
    if (rc != PIISCAN_OK)
        return rc;
    if (is_number) {
        rc = replace_number(w);
    } else {
        for (size_t i = 0; rc == PIISCAN_OK && i < w->nruns; i++) {
            const run *r = &w->runs[i];
            if (!r->is_changed)
                continue;
            size_t at = w->reps.len;
            rc =
                put_text(&w->reps, (const char *)w->fresh.data + r->new_at, r->new_len, is_xstring);
            if (rc == PIISCAN_OK)
                rc = add_repl(w, r->cs, r->ce, at);
        }
        if (rc == PIISCAN_OK && w->nrphs > 0)
            rc = move_readings(w);
    }
    if (rc != PIISCAN_OK)
        return rc;
    if (w->nrepls > 1)
        qsort(w->repls, w->nrepls, sizeof *w->repls, by_start);
    uint64_t pos = w->hold_at;
    for (size_t i = 0; rc == PIISCAN_OK && i < w->nrepls; i++) {
        const repl *r = &w->repls[i];
        if (r->start < pos || r->end > hold_end) {
            fail(w, PIISCAN_ERR_INTERNAL, "%s: overlapping replacements at byte %llu", w->name,
                 (unsigned long long)r->start);
            return w->rc;
        }
        rc = put_raw(w, pos, r->start);
        if (rc == PIISCAN_OK)
            rc = put(w, w->reps.data + r->at, r->len);
        pos = r->end;
    }
    if (rc == PIISCAN_OK)
        rc = put_raw(w, pos, hold_end);
    w->copied = hold_end;
    w->is_holding = false;
    w->next = w->item_last;
    return rc;
}

/* <person displayName="..." userId="...">: the start tag is all there is to rewrite. */
static int rewrite_person(rewriter *w, const char *name, const char **atts, uint64_t at,
                          uint64_t count)
{
    int rc = copy_until(w, at);
    if (rc != PIISCAN_OK)
        return rc;
    size_t last = w->next;
    while (last < w->last && edit_at(w, last)->item == at)
        last++;
    for (size_t i = w->next; i < last; i++)
        edit_at(w, i)->out_item = w->out_pos;
    const char *values[2] = {NULL, NULL};
    size_t value_at[2] = {0, 0};
    static const char *const keys[2] = {"displayName", "userId"};
    w->strs.len = 0;
    size_t from = w->next;
    for (int k = 0; k < 2; k++) {
        uint8_t place = k == 0 ? PII_PLACE_PERSON_NAME : PII_PLACE_PERSON_USER;
        size_t to = from;
        while (to < last && edit_at(w, to)->place == place)
            to++;
        if (to == from)
            continue;
        const char *value = find_att(atts, keys[k]);
        if (value == NULL) {
            fail(w, PIISCAN_ERR_VERIFY, "%s: the person at byte %llu has no %s", w->name,
                 (unsigned long long)at, keys[k]);
            return w->rc;
        }
        w->text.len = 0;
        rc = pii_bytes_put(&w->text, value, strlen(value));
        if (rc == PIISCAN_OK)
            rc = one_run(w, 0, 0);
        if (rc != PIISCAN_OK)
            return rc;
        w->next = from;
        w->item_last = to;
        rc = remask(w);
        if (rc != PIISCAN_OK)
            return rc;
        value_at[k] = w->strs.len;
        rc = pii_bytes_put(&w->strs, w->fresh.data + w->runs[0].new_at, w->runs[0].new_len);
        if (rc == PIISCAN_OK)
            rc = pii_bytes_put(&w->strs, "", 1);
        if (rc != PIISCAN_OK)
            return rc;
        values[k] = "";
        from = to;
    }
    for (int k = 0; k < 2; k++) {
        if (values[k] != NULL)
            values[k] = (const char *)w->strs.data + value_at[k];
    }
    bool is_empty = count >= 2 && w->raw.data[at + count - 2 - w->raw_base] == '/';
    w->reps.len = 0;
    rc = put_tag(&w->reps, name, atts, values[0] != NULL ? keys[0] : NULL, values[0],
                 values[1] != NULL ? keys[1] : NULL, values[1], is_empty);
    if (rc == PIISCAN_OK)
        rc = put(w, w->reps.data, w->reps.len);
    w->copied = at + count;
    w->next = last;
    return rc;
}

/* The element at `at` holds edits: held until its end. */
static int hold(rewriter *w, const char *name, const char **atts, uint64_t at, uint64_t count)
{
    int rc = copy_until(w, at);
    if (rc != PIISCAN_OK)
        return rc;
    const xedit *first = edit_at(w, w->next);
    w->item_last = w->next;
    while (w->item_last < w->last && edit_at(w, w->item_last)->item == first->item &&
           edit_at(w, w->item_last)->place == first->place)
        w->item_last++;
    for (size_t i = w->next; i < w->item_last; i++)
        edit_at(w, i)->out_item = w->is_shared ? first->item : w->out_pos;
    w->is_holding = true;
    w->place = first->place;
    w->hold_at = at;
    w->hold_tag_len = count;
    w->hold_depth = w->depth;
    w->nruns = 0;
    w->nrphs = 0;
    w->text.len = 0;
    w->vtext.len = 0;
    w->strs.len = 0;
    w->has_formula = false;
    w->is_rich_open = w->place == PII_PLACE_SHARED;
    w->in_t = 0;
    w->in_rph = 0;
    w->in_v = false;
    w->has_v = false;
    w->in_plain = false;
    w->has_text = false;
    w->is_tangled = false;
    if (w->place == PII_PLACE_CELL) {
        const char *t = find_att(atts, "t");
        snprintf(w->cell_type, sizeof w->cell_type, "%s", t != NULL ? t : "n");
        rc = save_tag(w, name, atts, &w->cell_tag);
    } else if (w->place == PII_PLACE_AUTHOR || w->place == PII_PLACE_PROPERTY) {
        rc = one_run(w, at + count, at + count);
        w->in_plain = true;
    }
    return rc;
}

/* The reader's rich text (read_xlsx.c): only <t> holds text; a <t> inside <rPh> is the
 * reading. */
static void rich_start(rewriter *w, const char *name, const char *local, const char **atts,
                       uint64_t at, uint64_t count)
{
    if (strcmp(local, "t") == 0) {
        if (w->in_t++ > 0)
            return;
        run *v = pii_xlsx_grow(w->runs, &w->runs_cap, w->nruns + 1, sizeof *v);
        if (v == NULL) {
            fail_nomem(w);
            return;
        }
        w->runs = v;
        v[w->nruns++] = (run){
            .cs = at + count, .ce = at + count, .at = w->text.len, .is_reading = w->in_rph > 0};
    } else if (strcmp(local, "rPh") == 0) {
        if (w->in_rph++ > 0)
            return;
        rph *v = pii_xlsx_grow(w->rphs, &w->rphs_cap, w->nrphs + 1, sizeof *v);
        if (v == NULL) {
            fail_nomem(w);
            return;
        }
        w->rphs = v;
        v[w->nrphs] = (rph){.at = at, .len = count};
        if (save_tag(w, name, atts, &v[w->nrphs].tag) != PIISCAN_OK)
            fail_nomem(w);
        w->nrphs++;
    }
}

static void rich_end(rewriter *w, const char *local, uint64_t at, uint64_t count)
{
    if (strcmp(local, "t") == 0 && w->in_t > 0) {
        if (--w->in_t > 0)
            return;
        run *r = &w->runs[w->nruns - 1];
        r->ce = count > 0 ? at : r->cs;
        r->len = w->text.len - r->at;
    } else if (strcmp(local, "rPh") == 0 && w->in_rph > 0) {
        w->in_rph--;
    }
}

static void rich_reset(rewriter *w)
{
    w->is_rich_open = true;
    w->nruns = 0;
    w->nrphs = 0;
    w->text.len = 0;
    w->in_t = 0;
    w->in_rph = 0;
}

static void held_start(rewriter *w, const char *name, const char *local, const char **atts,
                       uint64_t at, uint64_t count)
{
    if (w->is_rich_open) {
        rich_start(w, name, local, atts, at, count);
    } else if (w->place == PII_PLACE_CELL) {
        if (strcmp(local, "v") == 0) {
            w->in_v = true;
            w->has_v = true;
            w->v_at = at;
            w->v_cs = w->v_ce = w->v_end = at + count;
            w->vtext.len = 0;
        } else if (strcmp(local, "is") == 0) {
            rich_reset(w);
        } else if (strcmp(local, "f") == 0) {
            w->has_formula = true;
        }
    } else if (w->place == PII_PLACE_COMMENT && strcmp(local, "text") == 0) {
        /* The reader scans each <text> as a unit of the same place, its offsets from 0. */
        if (w->has_text) {
            fail(w, PIISCAN_ERR_UNSUPPORTED,
                 "%s: the comment at byte %llu has two texts: not rewritten", w->name,
                 (unsigned long long)w->hold_at);
            return;
        }
        w->has_text = true;
        rich_reset(w);
    } else if (w->place == PII_PLACE_THREADED && strcmp(local, "text") == 0) {
        if (w->nruns > 0) {
            fail(w, PIISCAN_ERR_UNSUPPORTED,
                 "%s: the threaded comment at byte %llu has two texts: not rewritten", w->name,
                 (unsigned long long)w->hold_at);
            return;
        }
        if (one_run(w, at + count, at + count) != PIISCAN_OK)
            fail_nomem(w);
        w->in_plain = true;
    }
}

static void held_end(rewriter *w, const char *local, uint64_t at, uint64_t count)
{
    int rc = PIISCAN_OK;
    uint8_t place = w->place;
    if (place == PII_PLACE_SHARED && strcmp(local, "si") == 0) {
        w->in_si = false;
        rc = rewrite_element(w, at + count);
    } else if (w->is_rich_open) {
        if ((place == PII_PLACE_CELL && strcmp(local, "is") == 0) ||
            (place == PII_PLACE_COMMENT && strcmp(local, "text") == 0))
            w->is_rich_open = false;
        else
            rich_end(w, local, at, count);
    } else if (place == PII_PLACE_CELL && w->in_v && strcmp(local, "v") == 0) {
        w->in_v = false;
        if (count > 0) {
            w->v_ce = at;
            w->v_end = at + count;
        }
    } else if (place == PII_PLACE_THREADED && w->in_plain && strcmp(local, "text") == 0) {
        run *r = &w->runs[0];
        r->ce = count > 0 ? at : r->cs;
        r->len = w->text.len;
        w->in_plain = false;
    } else if ((place == PII_PLACE_CELL && strcmp(local, "c") == 0) ||
               (place == PII_PLACE_COMMENT && strcmp(local, "comment") == 0) ||
               (place == PII_PLACE_THREADED && strcmp(local, "threadedComment") == 0)) {
        rc = rewrite_element(w, count > 0 ? at + count : w->hold_at + w->hold_tag_len);
    } else if (place == PII_PLACE_AUTHOR || place == PII_PLACE_PROPERTY) {
        /* read_xlsx.c ends a property at the first end tag, an author at </author>. */
        if (place == PII_PLACE_AUTHOR && strcmp(local, "author") != 0)
            return;
        if (w->depth != w->hold_depth) {
            fail(w, PIISCAN_ERR_UNSUPPORTED,
                 "%s: the property at byte %llu holds elements: not rewritten", w->name,
                 (unsigned long long)w->hold_at);
            return;
        }
        run *r = &w->runs[0];
        r->ce = count > 0 ? at : r->cs;
        r->len = w->text.len;
        rc = rewrite_element(w, count > 0 ? at + count : w->hold_at + w->hold_tag_len);
    }
    if (rc != PIISCAN_OK && w->rc == PIISCAN_OK)
        fail(w, rc, "%s", rc == PIISCAN_ERR_NOMEM ? "out of memory" : piiscan_strerror(rc));
}

/* Outside an element held: is this the next element with edits? Shared strings are counted
 * (their index is their place); other elements are known by the byte offset of their tag. */
static void find_element(rewriter *w, const char *name, const char *local, const char **atts,
                         uint64_t at, uint64_t count)
{
    int rc = PIISCAN_OK;
    if (w->is_shared) {
        if (w->in_si || strcmp(local, "si") != 0)
            return;
        uint64_t index = w->si++;
        w->in_si = true;
        if (w->next < w->last && edit_at(w, w->next)->item == index)
            rc = hold(w, name, atts, at, count);
    } else if (w->next < w->last) {
        const xedit *e = edit_at(w, w->next);
        if (at < e->item)
            return;
        if (at > e->item) {
            fail(w, PIISCAN_ERR_VERIFY,
                 "%s: no element at byte %llu, where text to replace was found (the package "
                 "changed?)",
                 w->name, (unsigned long long)e->item);
            return;
        }
        rc = e->place == PII_PLACE_PERSON_NAME || e->place == PII_PLACE_PERSON_USER
                 ? rewrite_person(w, name, atts, at, count)
                 : hold(w, name, atts, at, count);
    }
    if (rc != PIISCAN_OK)
        fail(w, rc, "%s", rc == PIISCAN_ERR_NOMEM ? "out of memory" : piiscan_strerror(rc));
}

static void XMLCALL on_start(void *user, const char *name, const char **atts)
{
    rewriter *w = user;
    if (w->rc != PIISCAN_OK)
        return;
    uint64_t at = (uint64_t)XML_GetCurrentByteIndex(w->p);
    uint64_t count = (uint64_t)XML_GetCurrentByteCount(w->p);
    w->depth++;
    w->safe = at + count;
    const char *local = pii_xlsx_local_name(name);
    if (w->is_holding)
        held_start(w, name, local, atts, at, count);
    else
        find_element(w, name, local, atts, at, count);
}

static void XMLCALL on_end(void *user, const char *name)
{
    rewriter *w = user;
    if (w->rc != PIISCAN_OK)
        return;
    uint64_t at = (uint64_t)XML_GetCurrentByteIndex(w->p);
    uint64_t count = (uint64_t)XML_GetCurrentByteCount(w->p);
    if (count > 0)
        w->safe = at + count;
    const char *local = pii_xlsx_local_name(name);
    if (w->is_holding)
        held_end(w, local, at, count);
    else if (w->is_shared && w->in_si && strcmp(local, "si") == 0)
        w->in_si = false;
    w->depth--;
}

static void XMLCALL on_text(void *user, const char *s, int len)
{
    rewriter *w = user;
    if (w->rc != PIISCAN_OK || !w->is_holding)
        return;
    pii_bytes *b = NULL;
    if (w->is_rich_open) {
        /* read_xlsx.c puts each piece of text where the nesting says at that moment (an <rPh>
         * inside a <t> makes a reading of what follows); a run here has one kind. */
        if (w->in_t > 0) {
            b = &w->text;
            w->is_tangled |= w->runs[w->nruns - 1].is_reading != (w->in_rph > 0);
        }
    } else if (w->place == PII_PLACE_CELL)
        b = w->in_v ? &w->vtext : NULL;
    else if (w->in_plain)
        b = &w->text;
    if (b != NULL && pii_bytes_put(b, s, (size_t)len) != PIISCAN_OK)
        fail_nomem(w);
}

static void XMLCALL on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    rewriter *w = user;
    fail(w, PIISCAN_ERR_FORMAT, "%s: " PII_XLSX_DOCTYPE_REFUSED, w->name);
}

/* Raw bytes are copied through, so the part must be in UTF-8 (Excel writes nothing else). */
static void XMLCALL on_xml_decl(void *user, const XML_Char *version, const XML_Char *encoding,
                                int standalone)
{
    (void)version;
    (void)standalone;
    rewriter *w = user;
    if (encoding != NULL && strcasecmp(encoding, "UTF-8") != 0)
        fail(w, PIISCAN_ERR_UNSUPPORTED, "%s: a part in %.20s cannot be rewritten (only UTF-8)",
             w->name, encoding);
}

static void run_end(rewriter *w)
{
    if (w->has_z)
        deflateEnd(&w->z);
    w->has_z = false;
    if (w->p != NULL)
        XML_ParserFree(w->p);
    w->p = NULL;
    if (w->zf != NULL)
        zip_fclose(w->zf);
    w->zf = NULL;
}

static int run_begin(rewriter *w, bool is_counting)
{
    run_end(w);
    w->is_counting = is_counting;
    w->is_eof = false;
    w->rc = PIISCAN_OK;
    w->next = w->first;
    w->si = 0;
    w->in_si = false;
    w->depth = 0;
    w->raw.len = 0;
    w->raw_base = 0;
    w->copied = 0;
    w->safe = 0;
    w->out.len = 0;
    w->out_at = 0;
    w->out_pos = 0;
    w->run_crc = (uint32_t)crc32(0, Z_NULL, 0);
    w->is_holding = false;
    w->is_z_done = false;
    if (w->chunk == NULL && (w->chunk = malloc(RW_CHUNK_BYTES)) == NULL)
        return nomem(w->rd);
    if (!is_counting) {
        memset(&w->z, 0, sizeof w->z);
        /* Raw deflate (no zlib header), as a zip entry holds it. */
        if (deflateInit2(&w->z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            return nomem(w->rd);
        w->has_z = true;
    }
    w->zf = zip_fopen_index(w->za, w->index, 0);
    if (w->zf == NULL)
        return set_error(w->rd, PIISCAN_ERR_FORMAT, "%s: %s", w->name, zip_strerror(w->za));
    w->p = XML_ParserCreate(NULL);
    if (w->p == NULL)
        return nomem(w->rd);
    XML_SetUserData(w->p, w);
    XML_SetElementHandler(w->p, on_start, on_end);
    XML_SetCharacterDataHandler(w->p, on_text);
    XML_SetStartDoctypeDeclHandler(w->p, on_doctype);
    XML_SetXmlDeclHandler(w->p, on_xml_decl);
    return PIISCAN_OK;
}

/* Reads, parses and writes the next chunk of the part. */
static int run_step(rewriter *w)
{
    zip_int64_t n = zip_fread(w->zf, w->chunk, RW_CHUNK_BYTES);
    if (n < 0)
        return set_error(w->rd, PIISCAN_ERR_FORMAT, "%s: %s", w->name, zip_file_strerror(w->zf));
    if (n > 0 && pii_bytes_put(&w->raw, w->chunk, (size_t)n) != PIISCAN_OK)
        return nomem(w->rd);
    if (w->raw_base == 0 && w->raw.len >= 2) {
        const unsigned char *b = w->raw.data;
        if ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF) || b[0] == 0 ||
            b[1] == 0)
            return set_error(w->rd, PIISCAN_ERR_UNSUPPORTED,
                             "%s: a part in UTF-16 cannot be rewritten (only UTF-8)", w->name);
    }
    if (XML_Parse(w->p, w->chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
        if (w->rc != PIISCAN_OK)
            return w->rc;
        return set_error(w->rd, PIISCAN_ERR_FORMAT, "%s: %s at line %lu", w->name,
                         XML_ErrorString(XML_GetErrorCode(w->p)),
                         (unsigned long)XML_GetCurrentLineNumber(w->p));
    }
    if (w->rc != PIISCAN_OK)
        return w->rc;
    int rc = PIISCAN_OK;
    if (n == 0) {
        w->is_eof = true;
        if (w->is_holding || w->next < w->last)
            return set_error(w->rd, PIISCAN_ERR_VERIFY,
                             "%s: %zu places with text to replace were not found in it (the "
                             "package changed?)",
                             w->name, w->last - w->next);
        rc = copy_until(w, w->raw_base + w->raw.len);
    } else if (!w->is_holding) {
        rc = copy_until(w, w->safe);
    }
    if (rc != PIISCAN_OK)
        return nomem(w->rd);
    /* Bytes already written are dropped: what stays is a held element and a cut tag. */
    size_t drop = (size_t)(w->copied - w->raw_base);
    if (drop > 0) {
        memmove(w->raw.data, w->raw.data + drop, w->raw.len - drop);
        w->raw.len -= drop;
        w->raw_base = w->copied;
    }
    if (w->raw.len > w->max_hold_bytes)
        return set_error(w->rd, PIISCAN_ERR_LIMIT,
                         "%s: the element at byte %llu that holds text to replace is longer "
                         "than %llu MiB",
                         w->name, (unsigned long long)w->hold_at,
                         (unsigned long long)(w->max_hold_bytes >> 20));
    return PIISCAN_OK;
}

static void rewriter_free(rewriter *w)
{
    if (w == NULL)
        return;
    run_end(w);
    free(w->chunk);
    pii_bytes_free(&w->raw);
    pii_bytes_free(&w->out);
    pii_bytes_free(&w->text);
    pii_bytes_free(&w->vtext);
    pii_bytes_free(&w->cell);
    pii_bytes_free(&w->fresh);
    pii_bytes_free(&w->reps);
    pii_bytes_free(&w->strs);
    free(w->runs);
    free(w->rphs);
    free(w->repls);
    free(w->pieces);
    free(w->ptrs);
    zip_error_fini(&w->error);
    free(w);
}

/* The first run counts the bytes the part will have: libzip asks before it writes. */
static int measure(rewriter *w)
{
    int rc = run_begin(w, true);
    while (rc == PIISCAN_OK && !w->is_eof)
        rc = run_step(w);
    run_end(w);
    if (rc != PIISCAN_OK)
        return rc;
    w->size = w->out_pos;
    w->crc = w->run_crc;
    w->is_measured = true;
    return PIISCAN_OK;
}

static zip_int64_t zip_failed(rewriter *w)
{
    zip_error_set(&w->error, ZIP_ER_INTERNAL, 0);
    return -1;
}

/* The rewritten bytes, deflated. libzip deflates a replaced part whatever the original's
 * method was, so a stored part comes out deflated too, as it would from libzip. */
static zip_int64_t read_deflated(rewriter *w, unsigned char *data, size_t len)
{
    z_stream *z = &w->z;
    z->next_out = data;
    z->avail_out = len > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uInt)len;
    uInt room = z->avail_out;
    while (z->avail_out > 0 && !w->is_z_done) {
        if (w->out_at == w->out.len && !w->is_eof) {
            w->out.len = w->out_at = 0;
            if (run_step(w) != PIISCAN_OK)
                return zip_failed(w);
            continue;
        }
        size_t left = w->out.len - w->out_at;
        z->next_in = w->out.data + w->out_at;
        z->avail_in = left > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uInt)left;
        uInt given = z->avail_in;
        bool is_last = w->is_eof && given == left;
        int r = deflate(z, is_last ? Z_FINISH : Z_NO_FLUSH);
        w->out_at += given - z->avail_in;
        if (r == Z_STREAM_END) {
            w->is_z_done = true;
        } else if (r != Z_OK && r != Z_BUF_ERROR) {
            set_error(w->rd, PIISCAN_ERR_INTERNAL, "%s: deflate failed (%d)", w->name, r);
            return zip_failed(w);
        }
    }
    return (zip_int64_t)(room - z->avail_out);
}

/* A zip source that is the rewritten part. */
static zip_int64_t part_cb(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    rewriter *w = user;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        if ((!w->is_measured && measure(w) != PIISCAN_OK) || run_begin(w, false) != PIISCAN_OK)
            return zip_failed(w);
        return 0;
    case ZIP_SOURCE_READ: {
        zip_int64_t n = read_deflated(w, data, (size_t)len);
        if (n == 0 && w->out_pos != w->size) {
            set_error(w->rd, PIISCAN_ERR_INTERNAL,
                      "%s: rewritten as %llu bytes, but counted as %llu", w->name,
                      (unsigned long long)w->out_pos, (unsigned long long)w->size);
            return zip_failed(w);
        }
        return n;
    }
    case ZIP_SOURCE_CLOSE:
        run_end(w);
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &w->error);
        if (st == NULL)
            return -1;
        if (!w->is_measured && measure(w) != PIISCAN_OK)
            return zip_failed(w);
        zip_stat_init(st);
        st->size = w->size;
        st->valid |= ZIP_STAT_SIZE;
        /* Already deflated: libzip copies the bytes and takes the CRC from here. */
        st->comp_method = ZIP_CM_DEFLATE;
        st->crc = w->crc;
        st->valid |= ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
        if (w->has_mtime) {
            st->mtime = w->mtime;
            st->valid |= ZIP_STAT_MTIME;
        }
        return sizeof *st;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&w->error, data, len);
    case ZIP_SOURCE_FREE:
        rewriter_free(w);
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              ZIP_SOURCE_SUPPORTS, -1);
    default:
        zip_error_set(&w->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Pass 2: the package                                                                        */

/* The package read as an archive to modify, written to a pii_output: libzip seeks back in
 * what it wrote to complete each local header, so the output is random access. */
typedef struct archive {
    pii_package_source in;
    const pii_output *out;
    uint64_t wpos;
    uint64_t wlen;
} archive;

static int archive_write(archive *a, const void *data, size_t n)
{
    if (a->out->fd < 0) {
        pii_bytes *m = a->out->mem;
        uint64_t end = a->wpos + n;
        if (end > m->len) {
            if (pii_bytes_reserve(m, (size_t)(end - m->len)) != PIISCAN_OK) {
                zip_error_set(&a->in.error, ZIP_ER_MEMORY, 0);
                return -1;
            }
            if (a->wpos > m->len)
                memset(m->data + m->len, 0, (size_t)(a->wpos - m->len));
            m->len = (size_t)end;
        }
        memcpy(m->data + a->wpos, data, n);
        return 0;
    }
    const char *p = data;
    size_t done = 0;
    while (done < n) {
        ssize_t k =
            pwrite(a->out->fd, p + done, n - done, (off_t)(a->out->offset + a->wpos + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            zip_error_set(&a->in.error, ZIP_ER_WRITE, errno);
            return -1;
        }
        done += (size_t)k;
    }
    return 0;
}

static zip_int64_t archive_cb(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    archive *a = user;
    switch (cmd) {
    case ZIP_SOURCE_BEGIN_WRITE:
        a->wpos = 0;
        a->wlen = 0;
        if (a->out->fd < 0)
            a->out->mem->len = 0;
        return 0;
    case ZIP_SOURCE_WRITE:
        if (archive_write(a, data, (size_t)len) != 0)
            return -1;
        a->wpos += len;
        if (a->wpos > a->wlen)
            a->wlen = a->wpos;
        return (zip_int64_t)len;
    case ZIP_SOURCE_SEEK_WRITE: {
        zip_int64_t pos = zip_source_seek_compute_offset(a->wpos, a->wlen, data, len, &a->in.error);
        if (pos < 0)
            return -1;
        a->wpos = (uint64_t)pos;
        return 0;
    }
    case ZIP_SOURCE_TELL_WRITE:
        return (zip_int64_t)a->wpos;
    case ZIP_SOURCE_COMMIT_WRITE:
    case ZIP_SOURCE_ROLLBACK_WRITE:
    case ZIP_SOURCE_REMOVE:
        return 0; /* the caller owns the output, and discards it on failure */
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
            ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS,
            ZIP_SOURCE_BEGIN_WRITE, ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
            ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE, ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
    default:
        return pii_package_source_cmd(&a->in, data, len, cmd);
    }
}

/* A workbook without edits is copied byte for byte. */
static int copy_package(piiscan_redactor *rd, const pii_package *in, const pii_output *out)
{
    archive a = {.out = out};
    zip_error_init(&a.in.error);
    unsigned char *buf = rd->buf_a;
    for (uint64_t at = 0; at < in->len;) {
        int64_t n = pii_package_read(in, at, buf, PII_REDACT_IO_BYTES);
        if (n <= 0)
            return set_error(rd, PIISCAN_ERR_IO, "read error: %s",
                             n < 0 ? strerror(errno) : "the input became shorter");
        a.wpos = at;
        if (archive_write(&a, buf, (size_t)n) != 0)
            return set_error(rd,
                             zip_error_code_zip(&a.in.error) == ZIP_ER_MEMORY ? PIISCAN_ERR_NOMEM
                                                                              : PIISCAN_ERR_IO,
                             "cannot write the output: %s", strerror(errno));
        at += (uint64_t)n;
    }
    rd->stats.bytes_out = in->len;
    return PIISCAN_OK;
}

static int replace_part(piiscan_redactor *rd, zip_t *za, zip_t *orig, size_t first, size_t last)
{
    const xedit *e = &rd->wb->v[first];
    rewriter *w = calloc(1, sizeof *w);
    if (w == NULL)
        return nomem(rd);
    w->rd = rd;
    w->za = orig;
    w->index = e->part;
    w->is_shared = e->place == PII_PLACE_SHARED;
    w->first = first;
    w->last = last;
    w->max_hold_bytes = PII_XLSX_MAX_TOKEN_BYTES + 4 * (uint64_t)rd->sc->opt.max_record_bytes;
    zip_error_init(&w->error);
    const char *name = zip_get_name(orig, e->part, ZIP_FL_ENC_RAW);
    snprintf(w->name, sizeof w->name, "%s", name != NULL ? name : "?");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(orig, e->part, 0, &st) == 0 && (st.valid & ZIP_STAT_MTIME)) {
        w->mtime = st.mtime;
        w->has_mtime = true;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_function_create(part_cb, w, &ze);
    zip_error_fini(&ze);
    if (src == NULL) {
        rewriter_free(w);
        return nomem(rd);
    }
    if (zip_file_replace(za, e->part, src, 0) < 0) {
        zip_source_free(src); /* frees w */
        return set_error(rd, PIISCAN_ERR_INTERNAL, "cannot replace a part: %s", zip_strerror(za));
    }
    return PIISCAN_OK;
}

int pii_workbook_write(piiscan_redactor *rd, const pii_package *in, const pii_output *out)
{
    pii_workbook *wb = rd->wb;
    rd->stats.bytes_out = 0;
    if (wb->n == 0)
        return copy_package(rd, in, out);
    pii_package_source orig_src;
    zip_t *orig = NULL;
    zip_t *za = NULL;
    int rc = pii_package_zip_open(in, &orig_src, &orig, &rd->err);
    if (rc != PIISCAN_OK)
        return rc;
    archive a = {.in = {.pkg = in}, .out = out};
    zip_error_init(&a.in.error);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_function_create(archive_cb, &a, &ze);
    if (zs == NULL) {
        zip_error_fini(&a.in.error);
        rc = nomem(rd);
        goto done;
    }
    za = zip_open_from_source(zs, 0, &ze);
    if (za == NULL) {
        zip_source_free(zs);
        rc = set_error(rd, PIISCAN_ERR_FORMAT, "not a readable zip package: %s",
                       zip_error_strerror(&ze));
        goto done;
    }
    for (size_t i = 0; i < wb->n && rc == PIISCAN_OK;) {
        size_t j = i;
        while (j < wb->n && wb->v[j].part == wb->v[i].part)
            j++;
        rc = replace_part(rd, za, orig, i, j);
        i = j;
    }
    if (rc == PIISCAN_OK && zip_close(za) != 0) {
        zip_error_t *e = zip_get_error(za);
        int code = zip_error_code_zip(e) == ZIP_ER_WRITE    ? PIISCAN_ERR_IO
                   : zip_error_code_zip(e) == ZIP_ER_MEMORY ? PIISCAN_ERR_NOMEM
                                                            : PIISCAN_ERR_FORMAT;
        rc = set_error(rd, code, "cannot write the workbook: %s", zip_error_strerror(e));
    } else if (rc == PIISCAN_OK) {
        za = NULL; /* closed */
        rd->stats.bytes_out = a.wlen;
    }
done:
    if (za != NULL)
        zip_discard(za);
    zip_error_fini(&ze);
    zip_discard(orig);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Verification                                                                               */

/* Parts not rewritten: the same name, method, CRC, sizes and compressed bytes. Rewritten
 * parts: the same name and place. */
static int compare_parts(piiscan_redactor *rd, zip_t *a, zip_t *b)
{
    pii_workbook *wb = rd->wb;
    zip_int64_t na = zip_get_num_entries(a, 0);
    zip_int64_t nb = zip_get_num_entries(b, 0);
    if (na != nb)
        return set_error(rd, PIISCAN_ERR_VERIFY,
                         "the output has %lld parts where the original "
                         "has %lld",
                         (long long)nb, (long long)na);
    size_t k = 0;
    for (zip_int64_t i = 0; i < na; i++) {
        zip_uint64_t index = (zip_uint64_t)i;
        const char *name = zip_get_name(a, index, ZIP_FL_ENC_RAW);
        const char *other = zip_get_name(b, index, ZIP_FL_ENC_RAW);
        if (name == NULL || other == NULL || strcmp(name, other) != 0)
            return set_error(rd, PIISCAN_ERR_VERIFY,
                             "part %lld of the output is not the "
                             "original's %.200s",
                             (long long)i, name != NULL ? name : "?");
        while (k < wb->n && wb->v[k].part < index)
            k++;
        if (k < wb->n && wb->v[k].part == index)
            continue; /* rewritten: its text is compared by the scans */
        zip_stat_t sa;
        zip_stat_t sb;
        if (zip_stat_index(a, index, 0, &sa) != 0 || zip_stat_index(b, index, 0, &sb) != 0)
            return set_error(rd, PIISCAN_ERR_VERIFY, "%.200s: cannot be read in the output", name);
        if (sa.comp_method != sb.comp_method || sa.crc != sb.crc || sa.size != sb.size ||
            sa.comp_size != sb.comp_size || sa.encryption_method != sb.encryption_method)
            return set_error(rd, PIISCAN_ERR_VERIFY,
                             "%.200s: not copied as it was (method, CRC or size differ)", name);
        zip_file_t *fa = zip_fopen_index(a, index, ZIP_FL_COMPRESSED | ZIP_FL_ENCRYPTED);
        zip_file_t *fb = zip_fopen_index(b, index, ZIP_FL_COMPRESSED | ZIP_FL_ENCRYPTED);
        int rc = PIISCAN_OK;
        if (fa == NULL || fb == NULL)
            rc = set_error(rd, PIISCAN_ERR_VERIFY, "%.200s: cannot be read in the output", name);
        while (rc == PIISCAN_OK) {
            zip_int64_t ra = zip_fread(fa, rd->buf_a, PII_REDACT_IO_BYTES);
            zip_int64_t rb = ra > 0 ? zip_fread(fb, rd->buf_b, (zip_uint64_t)ra) : ra;
            if (ra < 0 || rb != ra || (ra > 0 && memcmp(rd->buf_a, rd->buf_b, (size_t)ra) != 0))
                rc = set_error(rd, PIISCAN_ERR_VERIFY,
                               "%.200s: its compressed bytes differ from the original's", name);
            if (ra <= 0)
                break;
        }
        if (fa != NULL)
            zip_fclose(fa);
        if (fb != NULL)
            zip_fclose(fb);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Scans a package with the units hook in `mode`: the original's texts without detection,
 * or the output's texts and findings. */
static int scan_texts(piiscan_redactor *rd, const pii_package *pkg, enum hook_mode mode)
{
    pii_workbook *wb = rd->wb;
    wb->mode = mode;
    pii_stream_set_units_hook(rd->st, pii_workbook_units, rd, mode == HOOK_OUTPUT);
    const piiscan_source src = {.format = PIISCAN_FORMAT_XLSX};
    int rc;
    if (pkg->buf != NULL) {
        rc = piiscan_stream_scan_buffer(rd->st, pkg->buf, (size_t)pkg->len, &src);
    } else if (lseek(pkg->fd, (off_t)pkg->offset, SEEK_SET) < 0) {
        rc = set_error(rd, PIISCAN_ERR_IO, "cannot seek: %s", strerror(errno));
    } else {
        rc = piiscan_stream_scan_fd(rd->st, pkg->fd, &src);
    }
    if (rc == PIISCAN_OK && wb->has_seg)
        rc = segment_close(rd);
    if (rc != PIISCAN_OK && rd->err.code == PIISCAN_OK) {
        const piiscan_error *e = piiscan_stream_error(rd->st);
        set_error(rd, PIISCAN_ERR_VERIFY, "the %s does not scan as a workbook: %s",
                  mode == HOOK_OUTPUT ? "output" : "original", e->text);
    }
    wb->mode = HOOK_SCAN;
    pii_stream_set_units_hook(rd->st, pii_workbook_units, rd, true);
    return rc != PIISCAN_OK ? rd->err.code : PIISCAN_OK;
}

static int compare_bytes(piiscan_redactor *rd, const pii_package *a, const pii_package *b)
{
    if (a->len != b->len)
        return set_error(rd, PIISCAN_ERR_VERIFY,
                         "the copy has %llu bytes where the original "
                         "has %llu",
                         (unsigned long long)b->len, (unsigned long long)a->len);
    for (uint64_t at = 0; at < a->len;) {
        int64_t na = pii_package_read(a, at, rd->buf_a, PII_REDACT_IO_BYTES);
        int64_t nb = pii_package_read(b, at, rd->buf_b, PII_REDACT_IO_BYTES);
        if (na <= 0 || nb != na)
            return set_error(rd, PIISCAN_ERR_IO, "read error: %s",
                             na < 0 || nb < 0 ? strerror(errno) : "a file became shorter");
        if (memcmp(rd->buf_a, rd->buf_b, (size_t)na) != 0)
            return set_error(rd, PIISCAN_ERR_VERIFY,
                             "the copy differs from the original near "
                             "byte %llu",
                             (unsigned long long)at);
        at += (uint64_t)na;
    }
    return PIISCAN_OK;
}

int pii_workbook_verify(piiscan_redactor *rd, const pii_package *original,
                        const pii_package *output)
{
    pii_workbook *wb = rd->wb;
    if (wb->n == 0)
        return compare_bytes(rd, original, output);
    pii_package_source sa;
    pii_package_source sb;
    zip_t *a = NULL;
    zip_t *b = NULL;
    piiscan_error ignored;
    int rc = pii_package_zip_open(original, &sa, &a, &rd->err);
    if (rc == PIISCAN_OK && pii_package_zip_open(output, &sb, &b, &ignored) != PIISCAN_OK)
        rc =
            set_error(rd, PIISCAN_ERR_VERIFY, "the output is not a readable zip: %s", ignored.text);
    if (rc == PIISCAN_OK)
        rc = compare_parts(rd, a, b);
    if (a != NULL)
        zip_discard(a);
    if (b != NULL)
        zip_discard(b);
    segments_clear(wb);
    if (rc == PIISCAN_OK)
        rc = scan_texts(rd, original, HOOK_ORIGINAL);
    if (rc == PIISCAN_OK) {
        rd->is_verifying = true;
        rc = scan_texts(rd, output, HOOK_OUTPUT);
        rd->is_verifying = false;
    }
    if (rc == PIISCAN_OK && wb->seg_at < wb->nsegs)
        rc = set_error(rd, PIISCAN_ERR_VERIFY, "the output lacks the cells of %.40s",
                       wb->segs[wb->seg_at].sheet);
    const piiscan_stats *o = piiscan_stream_stats(rd->st);
    if (rc == PIISCAN_OK && (o->records != rd->scanned.records || o->fields != rd->scanned.fields))
        rc = set_error(rd, PIISCAN_ERR_VERIFY,
                       "the output has %llu rows and %llu cells where the input has %llu and "
                       "%llu",
                       (unsigned long long)o->records, (unsigned long long)o->fields,
                       (unsigned long long)rd->scanned.records,
                       (unsigned long long)rd->scanned.fields);
    segments_clear(wb);
    return rc;
}
