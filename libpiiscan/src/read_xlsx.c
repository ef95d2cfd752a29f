/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read_xlsx.c - the units of an xlsx workbook: every place a person's data can hide.
 *
 * A package is a zip of XML parts (ECMA-376 Part 2). libzip reads the central directory and
 * inflates one part at a time; expat parses it as it comes, 64 KiB at a time, so a sheet is
 * never whole in memory: one row is (its cells, then pii_stream_scan_row). The shared-string
 * table is the exception: sheets index it at random, so it is kept, packed, once per package.
 *
 * Order of units: docProps/core.xml (dc:creator, cp:lastModifiedBy: sheet "docProps", cell
 * "creator", "lastModifiedBy") and docProps/app.xml (Manager: cell "Manager"), then
 * every sheet in workbook order, hidden and very hidden ones too: its rows, then the authors
 * of its comments (cell "comment-author:0": the authorId by which comments name them,
 * 0-based), its comments (cell "comment:C12") and its threaded comments (Excel 365: cell
 * "threaded-comment:C12", one unit per reply, the plain text of its <text>).
 *
 * The cell text that offsets count in: shared strings and inline strings are the text of their
 * runs (ECMA-376 Part 1, 18.4: <t>, or the <t> of each rich-text run <r>), followed by the
 * text of their phonetic runs (<rPh>, the furigana of Japanese Excel), which is scanned as a
 * second unit of the same cell: a finding in a reading starts at or after the length of the
 * visible text. _xHHHH_ escapes (22.4.2.4) are decoded. Numbers are written back as plain
 * decimals ("9.012345678E9" is "9012345678"), formula results stored as strings (t="str")
 * are their text; booleans and errors hold no text.
 *
 * Last, the persons of threaded comments (sheet "persons"), if the workbook has any.
 *
 * Every unit carries its place in the package (pii_cell: part, element, which one), from which
 * redact_xlsx.c finds the XML to rewrite; it shares this file's text rules through xlsx.h.
 *
 * Leaves out: formulas themselves, chart and drawing text, custom properties; writing
 * workbooks (redact_xlsx.c, the report).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <expat.h>
#include <zip.h>

#include "xlsx.h"

#define CHUNK_BYTES     (64u << 10)
#define PART_NAME_BYTES 512
/* Shared-string table and other per-package lists: indexes are 32-bit in Excel. */
#define MAX_SHARED_STRINGS (UINT32_MAX / 2)

/* Relationship types are compared by their last segment: the transitional and the strict
 * namespaces differ before it. */
#define REL_OFFICE_DOCUMENT     "/officeDocument"
#define REL_CORE_PROPERTIES     "/core-properties"
#define REL_SHARED_STRINGS      "/sharedStrings"
#define REL_WORKSHEET           "/worksheet"
#define REL_DIALOGSHEET         "/dialogsheet"
#define REL_MACROSHEET          "/xlMacrosheet"
#define REL_COMMENTS            "/comments"
#define REL_THREADED_COMMENTS   "/threadedComment"
#define REL_PERSONS             "/person"
#define REL_EXTENDED_PROPERTIES "/extended-properties"

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf;

typedef struct rel {
    char *id;
    char *type;
    char *target; /* resolved part name */
} rel;

typedef struct rels {
    rel *v;
    size_t len;
    size_t cap;
} rels;

typedef struct sheet {
    char *name;
    char *rid;
} sheet;

typedef struct shared_string {
    size_t at;        /* in the arena */
    uint32_t visible; /* bytes of the visible text; the reading follows */
    uint32_t len;     /* visible + reading */
} shared_string;

/* A cell of the current row; its text is in the row's arena or in the shared strings. */
typedef struct row_cell {
    uint32_t column;
    bool is_shared;
    size_t at; /* a shared string's index, or where the text is in the row's arena */
    size_t visible;
    size_t len;
    uint64_t element; /* byte offset of its <c> in the sheet part */
    char ref[16];
} row_cell;

/* Rich text (CT_Rst) being read: <si>, <is>, a comment's <text>. */
typedef struct rich {
    bool is_open;
    unsigned in_t;   /* depth inside a <t> */
    unsigned in_rph; /* depth inside a <rPh> */
    buf visible;
    buf reading;
} rich;

enum part_kind {
    PART_RELS,
    PART_WORKBOOK,
    PART_SHARED,
    PART_SHEET,
    PART_COMMENTS,
    PART_CORE,
    PART_PERSONS,
    PART_THREADED
};

typedef struct xlsx {
    piiscan_stream *st;
    piiscan_error *err;
    size_t max_cell_bytes;
    zip_t *za;
    uint64_t bytes_read; /* uncompressed, all parts */
    char *chunk;

    /* The part being parsed. */
    XML_Parser parser;
    const char *part;
    uint32_t part_index; /* in the zip: the place of the units it holds */
    uint32_t shared_part;
    enum part_kind kind;
    int rc; /* set by a handler that stopped the parser */
    unsigned depth;
    bool is_not_workbook;
    uint64_t events; /* handler calls: a part that feeds none holds one giant token */

    rels *rels; /* filled by a relationships part */
    sheet *sheets;
    size_t nsheets;
    size_t sheets_cap;

    char *arena; /* shared strings, packed */
    size_t arena_len;
    size_t arena_cap;
    shared_string *strings;
    size_t nstrings;
    size_t strings_cap;

    rich rich;
    buf text; /* <v> of a cell, a core property, an author */
    bool in_text;

    /* Sheets. */
    const char *sheet_name;
    bool in_sheet_data;
    uint64_t row;
    uint64_t next_row;
    uint32_t next_column;
    bool in_cell;
    uint32_t column;
    uint64_t element; /* byte offset of the start tag of the <c>, <comment>, <author> ... */
    char cell_type[12];
    char ref[16];
    row_cell *cells;
    size_t ncells;
    size_t cells_cap;
    buf row_text;
    pii_cell *units;
    size_t units_cap;

    /* Comments. */
    bool in_authors;
    bool in_comment;
    uint32_t authors;
    char comment_ref[40];
} xlsx;

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static int nomem(xlsx *x)
{
    return pii_error_set(x->err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
}

static int buf_put(buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *data = realloc(b->data, cap);
        if (data == NULL)
            return PIISCAN_ERR_NOMEM;
        b->data = data;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return PIISCAN_OK;
}

void *pii_xlsx_grow(void *v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return v;
    size_t c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    void *p = realloc(v, c * size);
    if (p != NULL)
        *cap = c;
    return p;
}

/* Prefixes are the writer's choice ("x:c" and "c" are the same cell), so names are compared
 * by their local part, and an attribute's prefix only tells that it has a namespace (r:id).
 * Parsing without expat's namespace processing is the same test and a third faster. */
const char *pii_xlsx_local_name(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon != NULL ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *local, bool is_namespaced)
{
    for (size_t i = 0; atts[i] != NULL; i += 2) {
        const char *bar = strchr(atts[i], ':');
        if ((bar != NULL) != is_namespaced)
            continue;
        if (strcmp(bar != NULL ? bar + 1 : atts[i], local) == 0)
            return atts[i + 1];
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Stops the parser from inside a handler with an error already set. */
static void stop(xlsx *x, int rc)
{
    if (x->rc == PIISCAN_OK)
        x->rc = rc;
    XML_StopParser(x->parser, XML_FALSE);
}

/* "AB12" -> column 27 (0-based), row 12; false when it is no cell reference. */
static bool parse_ref(const char *s, uint32_t *column, uint64_t *row)
{
    uint64_t c = 0;
    size_t i = 0;
    for (; s[i] >= 'A' && s[i] <= 'Z' && i < 4; i++)
        c = c * 26 + (uint64_t)(s[i] - 'A' + 1);
    if (i == 0 || c > UINT32_MAX)
        return false;
    uint64_t r = 0;
    size_t digits = 0;
    for (; s[i] >= '0' && s[i] <= '9' && digits < 10; i++, digits++)
        r = r * 10 + (uint64_t)(s[i] - '0');
    if (digits == 0 || s[i] != '\0' || r == 0)
        return false;
    *column = (uint32_t)(c - 1);
    *row = r;
    return true;
}

static void make_ref(uint32_t column, uint64_t row, char *out, size_t cap)
{
    char letters[8];
    size_t n = 0;
    uint64_t c = (uint64_t)column + 1;
    while (c > 0 && n < sizeof letters) {
        letters[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    char digits[24];
    size_t nd = 0;
    do {
        digits[nd++] = (char)('0' + row % 10);
        row /= 10;
    } while (row > 0);
    size_t at = 0;
    while (n > 0 && at + 1 < cap)
        out[at++] = letters[--n];
    while (nd > 0 && at + 1 < cap)
        out[at++] = digits[--nd];
    out[at] = '\0';
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* ECMA-376 Part 1, 22.4.2.4 (ST_Xstring): a character XML cannot hold is written _xHHHH_,
 * and a literal "_x" that would read as one is written _x005F_x. Decoded in place: the
 * UTF-8 of one UTF-16 unit is never longer than its seven-byte escape. */
size_t pii_xlsx_unescape(char *s, size_t n)
{
    if (n < 7 || memchr(s, '_', n) == NULL)
        return n;
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '_' && i + 7 <= n && s[i + 1] == 'x' && s[i + 6] == '_') {
            int d[4];
            for (int k = 0; k < 4; k++)
                d[k] = hex_value(s[i + 2 + k]);
            if (d[0] >= 0 && d[1] >= 0 && d[2] >= 0 && d[3] >= 0) {
                uint32_t cp = (uint32_t)(d[0] << 12 | d[1] << 8 | d[2] << 4 | d[3]);
                if (cp >= 0xD800 && cp <= 0xDFFF)
                    cp = 0xFFFD;
                out += pii_utf8_put(cp, s + out);
                i += 7;
                continue;
            }
        }
        s[out++] = s[i++];
    }
    return out;
}

static void decode_escapes(buf *b)
{
    if (b->data == NULL)
        return;
    b->len = pii_xlsx_unescape(b->data, b->len);
    b->data[b->len] = '\0';
}

/* A number as Excel stores it ("9.012345678E9", "-12.50", "1E-3") written back as a plain
 * decimal ("9012345678", "-12.5", "0.001"), so that a phone or card column of numbers reads
 * as its digits. Returns the length in out, or 0 when s is not such a number (then it is
 * scanned as it stands). */
size_t pii_xlsx_plain_decimal(const char *s, size_t n, char *out, size_t cap)
{
    char digits[64];
    size_t nd = 0;
    size_t i = 0;
    bool is_negative = false;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        is_negative = s[i++] == '-';
    long point = -1;
    for (; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (nd == sizeof digits)
                return 0;
            if (nd == 0 && s[i] == '0' && point < 0)
                continue; /* leading zeros of the integer part */
            digits[nd++] = s[i];
        } else if (s[i] == '.' && point < 0) {
            point = (long)nd;
        } else {
            break;
        }
    }
    if (point < 0)
        point = (long)nd;
    long exponent = 0;
    if (i < n && (s[i] == 'E' || s[i] == 'e')) {
        i++;
        bool is_negative_exponent = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            is_negative_exponent = s[i++] == '-';
        size_t start = i;
        for (; i < n && s[i] >= '0' && s[i] <= '9' && i - start < 4; i++)
            exponent = exponent * 10 + (s[i] - '0');
        if (i == start)
            return 0;
        if (is_negative_exponent)
            exponent = -exponent;
    }
    if (i != n || exponent > 40 || exponent < -40)
        return 0;
    point += exponent;
    /* digits[0..nd) with the decimal point before digits[point]. */
    size_t at = 0;
    char text[160];
    if (is_negative)
        text[at++] = '-';
    if (point <= 0) {
        text[at++] = '0';
    } else {
        for (long k = 0; k < point; k++)
            text[at++] = k < (long)nd ? digits[k] : '0';
    }
    size_t before_fraction = at;
    text[at++] = '.';
    for (long k = point < 0 ? point : 0; k < 0; k++)
        text[at++] = '0';
    for (long k = point > 0 ? point : 0; k < (long)nd; k++)
        text[at++] = digits[k];
    while (at > before_fraction + 1 && text[at - 1] == '0')
        at--;
    if (at == before_fraction + 1)
        at = before_fraction;
    if (at == 2 && text[0] == '-' && text[1] == '0')
        at = 1, text[0] = '0'; /* -0 */
    if (at > cap)
        return 0;
    memcpy(out, text, at);
    return at;
}

/* Joins a relationship target to the directory of the part that names it ("xl/" +
 * "worksheets/sheet1.xml"), or takes it from the root ("/xl/..."), resolving "..". */
static bool resolve_target(const char *source, const char *target, char *out, size_t cap)
{
    char joined[PART_NAME_BYTES * 2];
    if (target[0] == '/') {
        snprintf(joined, sizeof joined, "%s", target + 1);
    } else {
        const char *slash = strrchr(source, '/');
        int dir = slash != NULL ? (int)(slash - source + 1) : 0;
        snprintf(joined, sizeof joined, "%.*s%s", dir, source, target);
    }
    size_t at = 0;
    const char *p = joined;
    while (*p != '\0') {
        const char *end = strchr(p, '/');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            while (at > 0 && out[at - 1] == '/')
                at--;
            while (at > 0 && out[at - 1] != '/')
                at--;
        } else if (!(n == 1 && p[0] == '.') && n > 0) {
            if (at + n + 2 > cap)
                return false;
            memcpy(out + at, p, n);
            at += n;
            if (end != NULL)
                out[at++] = '/';
        }
        p += n + (end != NULL);
    }
    out[at] = '\0';
    return at > 0 && out[at - 1] != '/';
}

/* "xl/worksheets/sheet1.xml" -> "xl/worksheets/_rels/sheet1.xml.rels" */
static void rels_name(const char *part, char *out, size_t cap)
{
    const char *slash = strrchr(part, '/');
    int dir = slash != NULL ? (int)(slash - part + 1) : 0;
    snprintf(out, cap, "%.*s_rels/%s.rels", dir, part, part + dir);
}

static void rels_clear(rels *r)
{
    for (size_t i = 0; i < r->len; i++) {
        free(r->v[i].id);
        free(r->v[i].type);
        free(r->v[i].target);
    }
    r->len = 0;
}

static void rels_free(rels *r)
{
    rels_clear(r);
    free(r->v);
    r->v = NULL;
    r->cap = 0;
}

static const rel *rel_by_type(const rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->len; i++) {
        if (ends_with(r->v[i].type, suffix))
            return &r->v[i];
    }
    return NULL;
}

static const rel *rel_by_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->len; i++) {
        if (strcmp(r->v[i].id, id) == 0)
            return &r->v[i];
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Rich text                                                                                  */

static void rich_open(rich *r)
{
    r->is_open = true;
    r->in_t = 0;
    r->in_rph = 0;
    r->visible.len = 0;
    r->reading.len = 0;
}

/* Elements inside a rich string: only <t> holds text; a <t> inside <rPh> is the reading. */
static void rich_start(rich *r, const char *local)
{
    if (strcmp(local, "t") == 0)
        r->in_t++;
    else if (strcmp(local, "rPh") == 0)
        r->in_rph++;
}

static void rich_end(rich *r, const char *local)
{
    if (strcmp(local, "t") == 0 && r->in_t > 0)
        r->in_t--;
    else if (strcmp(local, "rPh") == 0 && r->in_rph > 0)
        r->in_rph--;
}

static int rich_text(xlsx *x, const char *s, size_t n)
{
    rich *r = &x->rich;
    if (r->in_t == 0)
        return PIISCAN_OK;
    buf *b = r->in_rph > 0 ? &r->reading : &r->visible;
    if (r->visible.len + r->reading.len + n > x->max_cell_bytes)
        return PIISCAN_ERR_LIMIT;
    return buf_put(b, s, n) != PIISCAN_OK ? PIISCAN_ERR_NOMEM : PIISCAN_OK;
}

static void rich_close(rich *r)
{
    r->is_open = false;
    decode_escapes(&r->visible);
    decode_escapes(&r->reading);
}

static int cell_too_long(xlsx *x, const char *what)
{
    pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0, "%s: %s is longer than %zu bytes",
                  x->part, what, x->max_cell_bytes);
    return PIISCAN_ERR_LIMIT;
}

/* ------------------------------------------------------------------------------------------ */
/* Parts: relationships, workbook, shared strings, core properties                           */

static void rels_start(xlsx *x, const char *local, const char **atts)
{
    if (strcmp(local, "Relationship") != 0)
        return;
    const char *id = attr(atts, "Id", false);
    const char *type = attr(atts, "Type", false);
    const char *target = attr(atts, "Target", false);
    const char *mode = attr(atts, "TargetMode", false);
    if (id == NULL || type == NULL || target == NULL ||
        (mode != NULL && strcmp(mode, "External") == 0))
        return;
    /* The source of "_rels/.rels" is the package root; of "xl/_rels/workbook.xml.rels" the
     * part "xl/workbook.xml", whose directory is what targets are relative to. */
    char source[PART_NAME_BYTES];
    const char *r = strstr(x->part, "_rels/");
    /* "x": any file name in that directory. */
    snprintf(source, sizeof source, "%.*sx", r != NULL ? (int)(r - x->part) : 0, x->part);
    char resolved[PART_NAME_BYTES];
    if (!resolve_target(source, target, resolved, sizeof resolved))
        return;
    rels *rs = x->rels;
    if (rs->len >= PII_XLSX_MAX_ENTRIES) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0, "%s: more than %d relationships",
                      x->part, PII_XLSX_MAX_ENTRIES);
        stop(x, PIISCAN_ERR_LIMIT);
        return;
    }
    rel *v = pii_xlsx_grow(rs->v, &rs->cap, rs->len + 1, sizeof *v);
    if (v == NULL) {
        stop(x, nomem(x));
        return;
    }
    rs->v = v;
    rel *e = &v[rs->len];
    e->id = strdup(id);
    e->type = strdup(type);
    e->target = strdup(resolved);
    rs->len++;
    if (e->id == NULL || e->type == NULL || e->target == NULL)
        stop(x, nomem(x));
}

static void workbook_start(xlsx *x, const char *local, const char **atts)
{
    if (x->depth == 1 && strcmp(local, "workbook") != 0) {
        x->is_not_workbook = true; /* the office document of a .docx or .pptx */
        XML_StopParser(x->parser, XML_FALSE);
        return;
    }
    if (strcmp(local, "sheet") != 0)
        return;
    const char *name = attr(atts, "name", false);
    const char *rid = attr(atts, "id", true);
    if (name == NULL || rid == NULL)
        return;
    if (x->nsheets >= PII_XLSX_MAX_ENTRIES) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0, "%s: more than %d sheets", x->part,
                      PII_XLSX_MAX_ENTRIES);
        stop(x, PIISCAN_ERR_LIMIT);
        return;
    }
    sheet *v = pii_xlsx_grow(x->sheets, &x->sheets_cap, x->nsheets + 1, sizeof *v);
    if (v == NULL) {
        stop(x, nomem(x));
        return;
    }
    x->sheets = v;
    v[x->nsheets].name = strdup(name);
    v[x->nsheets].rid = strdup(rid);
    x->nsheets++;
    if (v[x->nsheets - 1].name == NULL || v[x->nsheets - 1].rid == NULL)
        stop(x, nomem(x));
}

static void shared_end_string(xlsx *x)
{
    rich_close(&x->rich);
    const buf *vis = &x->rich.visible;
    const buf *rd = &x->rich.reading;
    if (x->nstrings >= MAX_SHARED_STRINGS) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0, "%s: too many strings", x->part);
        stop(x, PIISCAN_ERR_LIMIT);
        return;
    }
    shared_string *v = pii_xlsx_grow(x->strings, &x->strings_cap, x->nstrings + 1, sizeof *v);
    if (v == NULL) {
        stop(x, nomem(x));
        return;
    }
    x->strings = v;
    size_t need = x->arena_len + vis->len + rd->len;
    /* The one table kept whole: its bytes and index are bounded, not only the package. */
    if (need + (x->nstrings + 1) * sizeof *v > PII_XLSX_MAX_SHARED_BYTES) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                      "%s: the shared strings take more than %llu MiB", x->part,
                      (unsigned long long)(PII_XLSX_MAX_SHARED_BYTES >> 20));
        stop(x, PIISCAN_ERR_LIMIT);
        return;
    }
    if (need > x->arena_cap) {
        size_t cap = x->arena_cap ? x->arena_cap : 4096;
        while (cap < need)
            cap *= 2;
        char *a = realloc(x->arena, cap);
        if (a == NULL) {
            stop(x, nomem(x));
            return;
        }
        x->arena = a;
        x->arena_cap = cap;
    }
    shared_string *e = &v[x->nstrings++];
    e->at = x->arena_len;
    e->visible = (uint32_t)vis->len;
    e->len = (uint32_t)(vis->len + rd->len);
    if (vis->len > 0)
        memcpy(x->arena + x->arena_len, vis->data, vis->len);
    if (rd->len > 0)
        memcpy(x->arena + x->arena_len + vis->len, rd->data, rd->len);
    x->arena_len = need;
}

/* ------------------------------------------------------------------------------------------ */
/* Sheets                                                                                     */

static int flush_row(xlsx *x)
{
    if (x->ncells == 0)
        return PIISCAN_OK;
    pii_cell *u = pii_xlsx_grow(x->units, &x->units_cap, 2 * x->ncells, sizeof *u);
    if (u == NULL)
        return nomem(x);
    x->units = u;
    size_t n = 0;
    for (size_t i = 0; i < x->ncells; i++) {
        const row_cell *c = &x->cells[i];
        const char *text =
            c->is_shared ? x->arena + x->strings[c->at].at : x->row_text.data + c->at;
        pii_cell unit = {
            .text = text,
            .len = c->visible,
            .column = c->column,
            .ref = c->ref,
            .part = c->is_shared ? x->shared_part : x->part_index,
            .place = c->is_shared ? PII_PLACE_SHARED : PII_PLACE_CELL,
            .item = c->is_shared ? (uint64_t)c->at : c->element,
        };
        if (c->visible > 0)
            u[n++] = unit;
        if (c->len > c->visible) {
            unit.text = text + c->visible;
            unit.len = c->len - c->visible;
            unit.offset = c->visible;
            unit.is_reading = true;
            u[n++] = unit;
        }
    }
    int rc = pii_stream_scan_row(x->st, x->row, u, n);
    x->ncells = 0;
    x->row_text.len = 0;
    return rc;
}

/* Adds the current cell to the row, its text copied (from x->text, or the inline string). */
static int add_cell(xlsx *x, bool is_shared, size_t index, const char *text, size_t visible,
                    size_t len)
{
    if (x->ncells >= PII_XLSX_MAX_ROW_CELLS) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                      "%s: row %llu has more than %d cells", x->part, (unsigned long long)x->row,
                      PII_XLSX_MAX_ROW_CELLS);
        return PIISCAN_ERR_LIMIT;
    }
    if (!is_shared && x->row_text.len + len > x->max_cell_bytes) {
        pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                      "%s: row %llu is longer than %zu bytes", x->part, (unsigned long long)x->row,
                      x->max_cell_bytes);
        return PIISCAN_ERR_LIMIT;
    }
    row_cell *v = pii_xlsx_grow(x->cells, &x->cells_cap, x->ncells + 1, sizeof *v);
    if (v == NULL)
        return nomem(x);
    x->cells = v;
    row_cell *c = &v[x->ncells];
    c->column = x->column;
    c->is_shared = is_shared;
    c->visible = visible;
    c->len = len;
    c->element = x->element;
    memcpy(c->ref, x->ref, sizeof c->ref);
    if (is_shared) {
        c->at = index;
    } else {
        c->at = x->row_text.len;
        if (len > 0 && buf_put(&x->row_text, text, len) != PIISCAN_OK)
            return nomem(x);
    }
    x->ncells++;
    return PIISCAN_OK;
}

static void sheet_cell_start(xlsx *x, const char **atts)
{
    x->in_cell = true;
    x->text.len = 0;
    x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
    const char *r = attr(atts, "r", false);
    uint64_t row = x->row;
    uint32_t column = x->next_column;
    /* The reference is optional (ECMA-376 Part 1, 18.3.1.4): without it, or with one that
     * is no A1 reference, the cell is the next one; its text is scanned either way. */
    if (r == NULL || !parse_ref(r, &column, &row)) {
        column = x->next_column;
        row = x->row;
    }
    x->column = column;
    x->next_column = column < UINT32_MAX ? column + 1 : column;
    make_ref(column, row, x->ref, sizeof x->ref);
    x->rich.visible.len = 0; /* an inline string is only what this cell's <is> holds */
    x->rich.reading.len = 0;
    const char *t = attr(atts, "t", false);
    snprintf(x->cell_type, sizeof x->cell_type, "%s", t != NULL ? t : "n");
}

static int sheet_cell_end(xlsx *x)
{
    x->in_cell = false;
    const char *t = x->cell_type;
    const buf *vis = &x->rich.visible;
    const buf *rd = &x->rich.reading;
    if (strcmp(t, "inlineStr") == 0 && vis->len + rd->len > 0) {
        x->text.len = 0;
        if (buf_put(&x->text, vis->data != NULL ? vis->data : "", vis->len) != PIISCAN_OK ||
            buf_put(&x->text, rd->data != NULL ? rd->data : "", rd->len) != PIISCAN_OK)
            return nomem(x);
        return add_cell(x, false, 0, x->text.data, vis->len, vis->len + rd->len);
    }
    if (x->text.len == 0 || strcmp(t, "b") == 0 || strcmp(t, "e") == 0)
        return PIISCAN_OK;
    if (strcmp(t, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long long i = strtoull(x->text.data, &end, 10);
        if (errno != 0 || *end != '\0' || i >= x->nstrings) {
            pii_error_set(x->err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0,
                          "%s: cell %s names shared string %.20s of %zu", x->part, x->ref,
                          x->text.data, x->nstrings);
            return PIISCAN_ERR_FORMAT;
        }
        const shared_string *s = &x->strings[i];
        if (s->len == 0)
            return PIISCAN_OK;
        return add_cell(x, true, (size_t)i, NULL, s->visible, s->len);
    }
    if (strcmp(t, "n") == 0) {
        char plain[160];
        size_t n = pii_xlsx_plain_decimal(x->text.data, x->text.len, plain, sizeof plain);
        if (n > 0)
            return add_cell(x, false, 0, plain, n, n);
    }
    decode_escapes(&x->text); /* t="str", "d", or a number not in Excel's form */
    return add_cell(x, false, 0, x->text.data, x->text.len, x->text.len);
}

static void sheet_start(xlsx *x, const char *local, const char **atts)
{
    if (x->rich.is_open) {
        rich_start(&x->rich, local);
        return;
    }
    if (!x->in_sheet_data) {
        if (strcmp(local, "sheetData") == 0)
            x->in_sheet_data = true;
        return;
    }
    if (strcmp(local, "row") == 0) {
        const char *r = attr(atts, "r", false);
        uint64_t row = x->next_row;
        if (r != NULL) {
            char *end;
            errno = 0;
            row = strtoull(r, &end, 10);
            if (errno != 0 || *end != '\0' || row == 0) {
                pii_error_set(x->err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0, "%s: bad row number",
                              x->part);
                stop(x, PIISCAN_ERR_FORMAT);
                return;
            }
        }
        x->row = row;
        x->next_row = row + 1;
        x->next_column = 0;
        x->ncells = 0;
        x->row_text.len = 0;
    } else if (strcmp(local, "c") == 0) {
        sheet_cell_start(x, atts);
    } else if (x->in_cell && strcmp(local, "v") == 0) {
        x->in_text = true;
        x->text.len = 0;
    } else if (x->in_cell && strcmp(local, "is") == 0) {
        rich_open(&x->rich);
    }
}

static void sheet_end(xlsx *x, const char *local)
{
    if (x->rich.is_open) {
        if (strcmp(local, "is") == 0)
            rich_close(&x->rich);
        else
            rich_end(&x->rich, local);
        return;
    }
    if (!x->in_sheet_data)
        return;
    int rc = PIISCAN_OK;
    if (strcmp(local, "v") == 0) {
        x->in_text = false;
    } else if (strcmp(local, "c") == 0) {
        rc = sheet_cell_end(x);
    } else if (strcmp(local, "row") == 0) {
        rc = flush_row(x);
    } else if (strcmp(local, "sheetData") == 0) {
        x->in_sheet_data = false;
        rc = flush_row(x); /* cells outside any <row>, in a damaged part */
    }
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* Comments and core properties                                                               */

/* A unit outside the rows, whose element started at x->element. */
static int scan_unit(xlsx *x, const char *ref, const char *text, size_t visible, size_t len,
                     enum pii_column column, enum pii_place place)
{
    pii_cell cell = {
        .text = text,
        .len = visible,
        .ref = ref,
        .part = x->part_index,
        .place = (uint8_t)place,
        .item = x->element,
    };
    int rc = PIISCAN_OK;
    if (visible > 0)
        rc = pii_stream_scan_cell(x->st, &cell, column);
    if (rc == PIISCAN_OK && len > visible) {
        cell.text = text + visible;
        cell.len = len - visible;
        cell.offset = visible;
        cell.is_reading = true;
        rc = pii_stream_scan_cell(x->st, &cell, column);
    }
    return rc;
}

static void comments_start(xlsx *x, const char *local, const char **atts)
{
    if (x->rich.is_open) {
        rich_start(&x->rich, local);
        return;
    }
    if (strcmp(local, "authors") == 0) {
        x->in_authors = true;
    } else if (x->in_authors && strcmp(local, "author") == 0) {
        x->in_text = true;
        x->text.len = 0;
        x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
    } else if (strcmp(local, "comment") == 0) {
        x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
        const char *ref = attr(atts, "ref", false);
        snprintf(x->comment_ref, sizeof x->comment_ref, "comment:%.24s", ref != NULL ? ref : "");
        x->in_comment = true;
    } else if (x->in_comment && strcmp(local, "text") == 0) {
        rich_open(&x->rich);
    }
}

static void comments_end(xlsx *x, const char *local)
{
    int rc = PIISCAN_OK;
    if (x->rich.is_open) {
        if (strcmp(local, "text") != 0) {
            rich_end(&x->rich, local);
            return;
        }
        rich_close(&x->rich);
        const buf *vis = &x->rich.visible;
        const buf *rd = &x->rich.reading;
        x->text.len = 0;
        if (buf_put(&x->text, vis->data != NULL ? vis->data : "", vis->len) != PIISCAN_OK ||
            buf_put(&x->text, rd->data != NULL ? rd->data : "", rd->len) != PIISCAN_OK)
            rc = nomem(x);
        else
            rc = scan_unit(x, x->comment_ref, x->text.data, vis->len, vis->len + rd->len,
                           PII_COL_NONE, PII_PLACE_COMMENT);
    } else if (strcmp(local, "authors") == 0) {
        x->in_authors = false;
    } else if (x->in_authors && strcmp(local, "author") == 0) {
        x->in_text = false;
        char ref[40];
        snprintf(ref, sizeof ref, "comment-author:%u", (unsigned)x->authors++);
        decode_escapes(&x->text);
        rc = scan_unit(x, ref, x->text.data, x->text.len, x->text.len, PII_COL_NAME,
                       PII_PLACE_AUTHOR);
    } else if (strcmp(local, "comment") == 0) {
        x->in_comment = false;
    }
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* Threaded comments (the parts in xl/threadedComments/, Excel 365): each <threadedComment>,
 * a comment or a reply, holds its text as a plain string in <text>. Excel writes a legacy
 * copy into the comments part too: both are read, so both are masked. */
static void threaded_start(xlsx *x, const char *local, const char **atts)
{
    if (strcmp(local, "threadedComment") == 0) {
        x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
        const char *ref = attr(atts, "ref", false);
        snprintf(x->comment_ref, sizeof x->comment_ref, "threaded-comment:%.20s",
                 ref != NULL ? ref : "");
        x->in_comment = true;
    } else if (x->in_comment && strcmp(local, "text") == 0) {
        x->in_text = true;
        x->text.len = 0;
    }
}

static void threaded_end(xlsx *x, const char *local)
{
    int rc = PIISCAN_OK;
    if (x->in_text && strcmp(local, "text") == 0) {
        x->in_text = false;
        rc = scan_unit(x, x->comment_ref, x->text.data != NULL ? x->text.data : "", x->text.len,
                       x->text.len, PII_COL_NONE, PII_PLACE_THREADED);
    } else if (strcmp(local, "threadedComment") == 0) {
        x->in_comment = false;
    }
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* The properties that name people: dc:creator and cp:lastModifiedBy (core), Manager
 * (extended, docProps/app.xml). */
static const char *person_property(const char *local)
{
    static const char *const names[] = {"creator", "lastModifiedBy", "Manager"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(local, names[i]) == 0)
            return names[i];
    }
    return NULL;
}

static void core_start(xlsx *x, const char *local)
{
    if (x->depth == 2 && person_property(local) != NULL) {
        x->in_text = true;
        x->text.len = 0;
        x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
    }
}

static void core_end(xlsx *x, const char *local)
{
    if (!x->in_text)
        return;
    x->in_text = false;
    /* The element's own name is the place: "creator", "lastModifiedBy", "Manager". */
    const char *place = person_property(local);
    int rc = scan_unit(x, place != NULL ? place : "creator", x->text.data, x->text.len, x->text.len,
                       PII_COL_NAME, PII_PLACE_PROPERTY);
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* The authors of threaded comments (Excel 365): their legacy comments name them by a GUID,
 * and xl/persons/person.xml has the name (displayName) and often an account (userId, an
 * e-mail address). Place: sheet "persons", cell "person:N" and "person:N:userId". */
static void persons_start(xlsx *x, const char *local, const char **atts)
{
    if (strcmp(local, "person") != 0)
        return;
    char ref[40];
    snprintf(ref, sizeof ref, "person:%u", (unsigned)x->authors);
    x->element = (uint64_t)XML_GetCurrentByteIndex(x->parser);
    const char *name = attr(atts, "displayName", false);
    int rc = PIISCAN_OK;
    if (name != NULL)
        rc = scan_unit(x, ref, name, strlen(name), strlen(name), PII_COL_NAME,
                       PII_PLACE_PERSON_NAME);
    const char *user = attr(atts, "userId", false);
    if (rc == PIISCAN_OK && user != NULL) {
        snprintf(ref, sizeof ref, "person:%u:userId", (unsigned)x->authors);
        rc = scan_unit(x, ref, user, strlen(user), strlen(user), PII_COL_NONE,
                       PII_PLACE_PERSON_USER);
    }
    x->authors++;
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* ------------------------------------------------------------------------------------------ */
/* expat handlers                                                                             */

static void XMLCALL on_start(void *user, const char *name, const char **atts)
{
    xlsx *x = user;
    if (x->rc != PIISCAN_OK)
        return; /* stopped: expat may still finish the event at hand */
    x->events++;
    x->depth++;
    const char *local = pii_xlsx_local_name(name);
    switch (x->kind) {
    case PART_RELS:
        rels_start(x, local, atts);
        break;
    case PART_WORKBOOK:
        workbook_start(x, local, atts);
        break;
    case PART_SHARED:
        if (x->rich.is_open)
            rich_start(&x->rich, local);
        else if (strcmp(local, "si") == 0)
            rich_open(&x->rich);
        break;
    case PART_SHEET:
        sheet_start(x, local, atts);
        break;
    case PART_COMMENTS:
        comments_start(x, local, atts);
        break;
    case PART_CORE:
        core_start(x, local);
        break;
    case PART_PERSONS:
        persons_start(x, local, atts);
        break;
    case PART_THREADED:
        threaded_start(x, local, atts);
        break;
    }
}

static void XMLCALL on_end(void *user, const char *name)
{
    xlsx *x = user;
    if (x->rc != PIISCAN_OK)
        return;
    x->events++;
    const char *local = pii_xlsx_local_name(name);
    switch (x->kind) {
    case PART_SHARED:
        if (x->rich.is_open && strcmp(local, "si") == 0)
            shared_end_string(x);
        else if (x->rich.is_open)
            rich_end(&x->rich, local);
        break;
    case PART_SHEET:
        sheet_end(x, local);
        break;
    case PART_COMMENTS:
        comments_end(x, local);
        break;
    case PART_THREADED:
        threaded_end(x, local);
        break;
    case PART_CORE:
        core_end(x, local);
        break;
    case PART_RELS:
    case PART_WORKBOOK:
    case PART_PERSONS:
        break;
    }
    x->depth--;
}

static void XMLCALL on_text(void *user, const char *s, int len)
{
    xlsx *x = user;
    if (x->rc != PIISCAN_OK)
        return;
    x->events++;
    int rc = PIISCAN_OK;
    if (x->rich.is_open) {
        rc = rich_text(x, s, (size_t)len);
        if (rc == PIISCAN_ERR_LIMIT)
            rc = cell_too_long(x, x->kind == PART_SHARED ? "a shared string" : "a cell");
        else if (rc != PIISCAN_OK)
            rc = nomem(x);
    } else if (x->in_text) {
        if (x->text.len + (size_t)len > x->max_cell_bytes)
            rc = cell_too_long(x, "a cell");
        else if (buf_put(&x->text, s, (size_t)len) != PIISCAN_OK)
            rc = nomem(x);
    }
    if (rc != PIISCAN_OK)
        stop(x, rc);
}

/* A package part has no business declaring a DTD (PII_XLSX_DOCTYPE_REFUSED). */
static void XMLCALL on_doctype(void *user, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    xlsx *x = user;
    pii_error_set(x->err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0, "%s: " PII_XLSX_DOCTYPE_REFUSED,
                  x->part);
    stop(x, PIISCAN_ERR_FORMAT);
}

/* ------------------------------------------------------------------------------------------ */
/* Parts of the zip                                                                           */

static int zip_failure(xlsx *x, const char *part, zip_error_t *ze)
{
    int code = PIISCAN_ERR_FORMAT;
    int z = zip_error_code_zip(ze);
    if (z == ZIP_ER_MEMORY)
        return nomem(x);
    if (z == ZIP_ER_NOPASSWD || z == ZIP_ER_WRONGPASSWD || z == ZIP_ER_ENCRNOTSUPP)
        code = PIISCAN_ERR_UNSUPPORTED;
    if (z == ZIP_ER_READ)
        code = PIISCAN_ERR_IO;
    return pii_error_set(x->err, code, UINT64_MAX, 0, "%s: %s", part, zip_error_strerror(ze));
}

/* Parses one part. A part that is not in the package is PIISCAN_OK with *is_found false. */
static int parse_part(xlsx *x, const char *name, enum part_kind kind, bool *is_found)
{
    *is_found = false;
    zip_int64_t index = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (index < 0)
        return PIISCAN_OK;
    *is_found = true;
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat_index(x->za, (zip_uint64_t)index, 0, &zs) != 0)
        return zip_failure(x, name, zip_get_error(x->za));
    if ((zs.valid & ZIP_STAT_SIZE) && (zs.valid & ZIP_STAT_COMP_SIZE) &&
        zs.size > PII_XLSX_RATIO_MIN_BYTES && zs.size / PII_XLSX_MAX_RATIO > zs.comp_size)
        return pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                             "%s: compressed more than %d to 1 (a zip bomb?)", name,
                             PII_XLSX_MAX_RATIO);
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)index, 0);
    if (zf == NULL)
        return zip_failure(x, name, zip_get_error(x->za));
    XML_Parser p = XML_ParserCreate(NULL);
    if (p == NULL) {
        zip_fclose(zf);
        return nomem(x);
    }
    x->parser = p;
    x->part = name;
    x->part_index = (uint32_t)index;
    if (kind == PART_SHARED)
        x->shared_part = (uint32_t)index;
    x->kind = kind;
    x->rc = PIISCAN_OK;
    x->depth = 0;
    x->in_text = false;
    x->rich.is_open = false;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    int rc = PIISCAN_OK;
    uint64_t part_bytes = 0;
    uint64_t events = x->events;
    uint64_t quiet_bytes = 0; /* fed since the last event: expat holds a token whole */
    for (;;) {
        zip_int64_t n = zip_fread(zf, x->chunk, CHUNK_BYTES);
        if (n < 0) {
            rc = zip_failure(x, name, zip_file_get_error(zf));
            break;
        }
        part_bytes += (uint64_t)n;
        x->bytes_read += (uint64_t)n;
        quiet_bytes = x->events != events ? (uint64_t)n : quiet_bytes + (uint64_t)n;
        events = x->events;
        if (quiet_bytes > PII_XLSX_MAX_TOKEN_BYTES) {
            rc = pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                               "%s: a tag, attribute or comment longer than %llu MiB", name,
                               (unsigned long long)(PII_XLSX_MAX_TOKEN_BYTES >> 20));
            break;
        }
        /* The central directory's sizes are checked at open; these are the bytes inflated,
         * whatever the directory claimed. */
        if (x->bytes_read > PII_XLSX_MAX_TOTAL_BYTES) {
            rc = pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                               "%s: the package expands to more than %llu bytes", name,
                               (unsigned long long)PII_XLSX_MAX_TOTAL_BYTES);
            break;
        }
        if (part_bytes > PII_XLSX_RATIO_MIN_BYTES && (zs.valid & ZIP_STAT_COMP_SIZE) &&
            part_bytes / PII_XLSX_MAX_RATIO > zs.comp_size) {
            rc = pii_error_set(x->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                               "%s: compressed more than %d to 1 (a zip bomb?)", name,
                               PII_XLSX_MAX_RATIO);
            break;
        }
        if (XML_Parse(p, x->chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (x->rc != PIISCAN_OK) {
                rc = x->rc; /* a handler stopped it, with the error set */
            } else if (x->is_not_workbook) {
                rc = PIISCAN_OK;
            } else {
                rc = pii_error_set(x->err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0, "%s: %s at line %lu",
                                   name, XML_ErrorString(XML_GetErrorCode(p)),
                                   (unsigned long)XML_GetCurrentLineNumber(p));
            }
            break;
        }
        if (n == 0)
            break;
    }
    zip_fclose(zf);
    XML_ParserFree(p);
    x->parser = NULL;
    return rc;
}

static int parse_rels(xlsx *x, const char *name, rels *out)
{
    rels_clear(out);
    x->rels = out;
    bool is_found;
    return parse_part(x, name, PART_RELS, &is_found);
}

static int missing_part(xlsx *x, const char *part, const char *named_in)
{
    return pii_error_set(x->err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0,
                         "%s: named in %s but not in the package", part, named_in);
}

static int scan_sheet(xlsx *x, const sheet *sh, const rel *r, const char *workbook_rels,
                      rels *scratch)
{
    pii_stream_sheet_begin(x->st, sh->name);
    x->in_sheet_data = false;
    x->row = 0;
    x->next_row = 1;
    x->ncells = 0;
    x->row_text.len = 0;
    bool is_found;
    int rc = parse_part(x, r->target, PART_SHEET, &is_found);
    if (rc != PIISCAN_OK)
        return rc;
    if (!is_found)
        return missing_part(x, r->target, workbook_rels);
    char name[PART_NAME_BYTES];
    rels_name(r->target, name, sizeof name);
    rc = parse_rels(x, name, scratch);
    for (size_t i = 0; rc == PIISCAN_OK && i < scratch->len; i++) {
        bool is_threaded = ends_with(scratch->v[i].type, REL_THREADED_COMMENTS);
        if (!is_threaded && !ends_with(scratch->v[i].type, REL_COMMENTS))
            continue;
        x->in_authors = false;
        x->in_comment = false;
        x->in_text = false;
        x->authors = 0;
        rc = parse_part(x, scratch->v[i].target, is_threaded ? PART_THREADED : PART_COMMENTS,
                        &is_found);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The package                                                                                */

int64_t pii_package_read(const pii_package *pkg, uint64_t at, void *out, size_t n)
{
    if (at >= pkg->len)
        return 0;
    if (n > pkg->len - at)
        n = (size_t)(pkg->len - at);
    if (pkg->buf != NULL) {
        memcpy(out, pkg->buf + at, n);
        return (int64_t)n;
    }
    size_t got = 0;
    while (got < n) {
        ssize_t r = pread(pkg->fd, (char *)out + got, n - got, (off_t)(pkg->offset + at + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (int64_t)got;
}

/* A zip source over a pii_package, so a file is read in place (pread) and a buffer without
 * a copy, through the same code. */
zip_int64_t pii_package_source_cmd(pii_package_source *s, void *data, zip_uint64_t len,
                                   zip_source_cmd_t cmd)
{
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        s->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        int64_t n = pii_package_read(s->pkg, s->pos, data, len);
        if (n < 0) {
            zip_error_set(&s->error, ZIP_ER_READ, errno);
            return -1;
        }
        s->pos += (uint64_t)n;
        return n;
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        zip_stat_t *zs = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->error);
        if (zs == NULL)
            return -1;
        zip_stat_init(zs);
        zs->size = s->pkg->len;
        zs->valid |= ZIP_STAT_SIZE;
        return sizeof *zs;
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->error, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&s->error);
        return 0;
    case ZIP_SOURCE_SEEK: {
        zip_int64_t pos = zip_source_seek_compute_offset(s->pos, s->pkg->len, data, len, &s->error);
        if (pos < 0)
            return -1;
        s->pos = (uint64_t)pos;
        return 0;
    }
    case ZIP_SOURCE_TELL:
        return (zip_int64_t)s->pos;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(
            ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
            ZIP_SOURCE_FREE, ZIP_SOURCE_SEEK, ZIP_SOURCE_TELL, ZIP_SOURCE_SUPPORTS, -1);
    default:
        zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

static zip_int64_t source_cb(void *user, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    return pii_package_source_cmd(user, data, len, cmd);
}

int pii_package_zip_open(const pii_package *pkg, pii_package_source *src, zip_t **out,
                         piiscan_error *err)
{
    src->pkg = pkg;
    src->pos = 0;
    zip_error_init(&src->error);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_function_create(source_cb, src, &ze);
    if (zs == NULL) {
        zip_error_fini(&ze);
        zip_error_fini(&src->error);
        return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    }
    zip_t *za = zip_open_from_source(zs, ZIP_RDONLY, &ze);
    if (za == NULL) {
        zip_source_free(zs);
        int rc = zip_error_code_zip(&ze) == ZIP_ER_MEMORY
                     ? pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory")
                     : pii_error_set(err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0,
                                     "not a readable zip package (truncated?): %s",
                                     zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    int rc = PIISCAN_OK;
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n > PII_XLSX_MAX_ENTRIES)
        rc = pii_error_set(err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                           "the package has %lld parts, more than %d", (long long)n,
                           PII_XLSX_MAX_ENTRIES);
    uint64_t total = 0;
    for (zip_int64_t i = 0; rc == PIISCAN_OK && i < n; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
            total += st.size;
        if (total > PII_XLSX_MAX_TOTAL_BYTES)
            rc = pii_error_set(err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                               "the package expands to more than %llu bytes",
                               (unsigned long long)PII_XLSX_MAX_TOTAL_BYTES);
    }
    if (rc != PIISCAN_OK) {
        zip_discard(za);
        return rc;
    }
    *out = za;
    return PIISCAN_OK;
}

static void xlsx_free(xlsx *x)
{
    if (x->za != NULL)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        free(x->sheets[i].name);
        free(x->sheets[i].rid);
    }
    free(x->sheets);
    free(x->arena);
    free(x->strings);
    free(x->rich.visible.data);
    free(x->rich.reading.data);
    free(x->text.data);
    free(x->cells);
    free(x->row_text.data);
    free(x->units);
    free(x->chunk);
}

static int scan_core_properties(xlsx *x, const rels *root)
{
    const rel *core = rel_by_type(root, REL_CORE_PROPERTIES);
    const char *name = core != NULL ? core->target : "docProps/core.xml";
    pii_stream_sheet_begin(x->st, "docProps");
    bool is_found;
    int rc = parse_part(x, name, PART_CORE, &is_found);
    const rel *app = rel_by_type(root, REL_EXTENDED_PROPERTIES);
    if (rc == PIISCAN_OK && app != NULL)
        rc = parse_part(x, app->target, PART_CORE, &is_found);
    return rc;
}

int pii_xlsx_scan(piiscan_stream *st, const pii_package *pkg, size_t max_cell_bytes,
                  const char **skip_reason, piiscan_error *err)
{
    xlsx x = {.st = st, .err = err, .max_cell_bytes = max_cell_bytes};
    rels root = {0};
    rels book = {0};
    rels scratch = {0};
    pii_package_source src;
    *skip_reason = NULL;
    x.chunk = malloc(CHUNK_BYTES);
    if (x.chunk == NULL)
        return nomem(&x);
    int rc = pii_package_zip_open(pkg, &src, &x.za, err);
    if (rc != PIISCAN_OK)
        goto done;
    rc = parse_rels(&x, "_rels/.rels", &root);
    if (rc != PIISCAN_OK)
        goto done;
    const rel *office = rel_by_type(&root, REL_OFFICE_DOCUMENT);
    const char *workbook = office != NULL ? office->target : "xl/workbook.xml";
    bool is_found;
    rc = parse_part(&x, workbook, PART_WORKBOOK, &is_found);
    if (rc != PIISCAN_OK)
        goto done;
    if (!is_found || x.is_not_workbook) {
        *skip_reason = "binary file (zip archive without a workbook)";
        goto done;
    }
    rc = scan_core_properties(&x, &root);
    if (rc != PIISCAN_OK)
        goto done;
    char book_rels[PART_NAME_BYTES];
    rels_name(workbook, book_rels, sizeof book_rels);
    rc = parse_rels(&x, book_rels, &book);
    if (rc != PIISCAN_OK)
        goto done;
    const rel *shared = rel_by_type(&book, REL_SHARED_STRINGS);
    if (shared != NULL) {
        rc = parse_part(&x, shared->target, PART_SHARED, &is_found);
        if (rc != PIISCAN_OK)
            goto done;
    }
    for (size_t i = 0; i < x.nsheets; i++) {
        const rel *r = rel_by_id(&book, x.sheets[i].rid);
        if (r == NULL) {
            rc = pii_error_set(err, PIISCAN_ERR_FORMAT, UINT64_MAX, 0,
                               "%s: sheet %.40s has no relationship %.20s", book_rels,
                               x.sheets[i].name, x.sheets[i].rid);
            goto done;
        }
        /* Chart sheets hold no cells. */
        if (!ends_with(r->type, REL_WORKSHEET) && !ends_with(r->type, REL_DIALOGSHEET) &&
            !ends_with(r->type, REL_MACROSHEET))
            continue;
        rc = scan_sheet(&x, &x.sheets[i], r, book_rels, &scratch);
        if (rc != PIISCAN_OK)
            goto done;
    }
    const rel *persons = rel_by_type(&book, REL_PERSONS);
    if (persons != NULL) {
        pii_stream_sheet_begin(st, "persons");
        x.authors = 0;
        rc = parse_part(&x, persons->target, PART_PERSONS, &is_found);
    }
done:
    rels_free(&root);
    rels_free(&book);
    rels_free(&scratch);
    xlsx_free(&x);
    return rc;
}
