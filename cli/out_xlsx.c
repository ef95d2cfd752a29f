/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_xlsx.c - the report as an Excel workbook (libxlsxwriter), for the people who act on it:
 *   Summary    one row per file met (path, status, encoding, format, bytes, records, rows
 *              with personal data, findings, one count per type, invalid byte sequences,
 *              suppressed, reason), then, after an empty row, the totals
 *   Findings   one row per finding (path, sheet, cell, line, field, type, masked value,
 *              confidence, detector, the value only with --show-values, the fingerprint
 *              with --fingerprints)
 * Each sheet has a bold header row, frozen, with an autofilter over its rows, and columns as
 * wide as their widest text, full-width characters counting two (width.c). With --summary
 * there is no Findings sheet.
 *
 * libxlsxwriter's constant_memory mode keeps one row per sheet in memory and streams the
 * rest to temporary files (unlinked at once, mode 0600, beside the report), so a report of
 * millions of findings takes no more memory than one of ten. Its rule, rows written in order
 * in each sheet, holds: Summary rows come as files end, Findings rows as findings come. A
 * sheet holds 1,048,576 rows; past that the rows go on in "Findings 2", "Findings 3" ...
 * Column widths are set at the end, before the workbook is closed, which libxlsxwriter allows
 * in that mode since it writes them when it assembles each sheet; an autofilter as soon as a
 * sheet's data rows are done (set_filter).
 *
 * Cells are written as strings, never as formulas, so a value that starts with = stays text
 * (the csv format needs a guard; this one does not). Text is made valid for the XML of the
 * workbook: invalid UTF-8 becomes U+FFFD, a literal _xHHHH_ is escaped so that Excel does not
 * decode it, and a text longer than Excel's 32,767 characters is cut, ending in "…".
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "cli.h"
#include "output.h"

#define CELL_CHARS_MAX   32767 /* Excel's limit for the text of a cell */
#define COLUMN_WIDTH_MAX 80.0  /* wider columns hide their neighbours; the text wraps on */
#define COLUMNS_MAX      32

struct sheet {
    lxw_worksheet *ws;
    lxw_row_t last_row; /* of data: where the autofilter ends */
    bool is_filtered;   /* its autofilter is set */
};

/* One kind of sheet (Summary, Findings) and the sheets of it so far. */
struct sheet_set {
    const char *title;
    const char *columns[COLUMNS_MAX];
    size_t ncolumns;
    struct sheet *sheets;
    size_t nsheets;
    lxw_row_t row;              /* the next row of the last sheet */
    size_t widths[COLUMNS_MAX]; /* widest text of each column, in screen columns */
};

struct xlsx_state {
    lxw_workbook *wb;
    char *tmpdir;
    lxw_format *header;
    lxw_format *total;
    lxw_format *hundredths;
    lxw_format *count;
    struct sheet_set summary;
    struct sheet_set findings;
    char *text; /* a cell's text made valid */
    size_t cap;
    lxw_error error;
    bool is_out_of_memory;
};

static void note_error(struct xlsx_state *xs, lxw_error err)
{
    if (err != LXW_NO_ERROR && xs->error == LXW_NO_ERROR)
        xs->error = err;
}

static void note_width(struct sheet_set *set, lxw_col_t col, size_t width)
{
    if (col < COLUMNS_MAX && width > set->widths[col])
        set->widths[col] = width;
}

/* Whether s[0..n) starts with _xHHHH_ (H a hex digit). */
static bool is_escape_like(const unsigned char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return false;
    for (size_t i = 2; i < 6; i++)
        if (!isxdigit(s[i]))
            return false;
    return true;
}

/* s[0..len) as Excel shows it: valid UTF-8, _xHHHH_ kept literal, at most CELL_CHARS_MAX
 * characters. NULL when out of memory. */
static const char *cell_text(struct xlsx_state *xs, const char *s, size_t len)
{
    /* At worst 3 bytes per input byte (U+FFFD), 7 more per "_x" (the _x005F_ escape). */
    size_t need = 5 * len + 8;
    if (len > (SIZE_MAX - 8) / 5)
        return NULL;
    if (need > xs->cap) {
        char *grown = realloc(xs->text, need);
        if (grown == NULL)
            return NULL;
        xs->text = grown;
        xs->cap = need;
    }
    const unsigned char *p = (const unsigned char *)s;
    char *o = xs->text;
    size_t chars = 0;
    for (size_t i = 0; i < len;) {
        /* Room for an escape (7 characters) and the ellipsis. */
        if (chars + 8 >= CELL_CHARS_MAX) {
            memcpy(o, "\xE2\x80\xA6", 3); /* … */
            o += 3;
            break;
        }
        size_t n = utf8_valid_len(p + i, len - i);
        if (n == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
            o += 3;
            i++;
            chars++;
        } else if (is_escape_like(p + i, len - i)) {
            /* ECMA-376 Part 1, 22.9.2.19: _xHHHH_ in text stands for a character; a
             * literal one is written with its underscore escaped. */
            memcpy(o, "_x005F_", 7);
            o += 7;
            i++;
            chars += 7;
        } else {
            memcpy(o, p + i, n);
            o += n;
            i += n;
            chars++;
        }
    }
    *o = '\0';
    return xs->text;
}

/* The autofilter of the last sheet, over its header and data rows. In constant_memory mode
 * libxlsxwriter takes it only while the sheet's last row written is still its last data row:
 * before the totals, before moving on to a new sheet, or at the end. */
static void set_filter(struct xlsx_state *xs, struct sheet_set *set)
{
    if (set->nsheets == 0 || set->sheets[set->nsheets - 1].is_filtered)
        return;
    struct sheet *sh = &set->sheets[set->nsheets - 1];
    note_error(xs,
               worksheet_autofilter(sh->ws, 0, 0, sh->last_row, (lxw_col_t)(set->ncolumns - 1)));
    sh->is_filtered = true;
}

/* The sheet the next row goes to: a new one when the last is full (or there is none). */
static lxw_worksheet *sheet_for_row(struct xlsx_state *xs, struct sheet_set *set)
{
    if (set->nsheets > 0 && set->row < LXW_ROW_MAX)
        return set->sheets[set->nsheets - 1].ws;
    set_filter(xs, set);
    struct sheet *grown = realloc(set->sheets, (set->nsheets + 1) * sizeof *grown);
    if (grown == NULL) {
        xs->is_out_of_memory = true;
        return NULL;
    }
    set->sheets = grown;
    char name[LXW_SHEETNAME_MAX + 1];
    if (set->nsheets == 0)
        snprintf(name, sizeof name, "%s", set->title);
    else
        snprintf(name, sizeof name, "%s %zu", set->title, set->nsheets + 1);
    lxw_worksheet *ws = workbook_add_worksheet(xs->wb, name);
    if (ws == NULL) {
        note_error(xs, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    set->sheets[set->nsheets++] = (struct sheet){.ws = ws, .last_row = 0, .is_filtered = false};
    worksheet_freeze_panes(ws, 1, 0);
    for (size_t c = 0; c < set->ncolumns; c++) {
        note_error(xs, worksheet_write_string(ws, 0, (lxw_col_t)c, set->columns[c], xs->header));
        note_width(set, (lxw_col_t)c, text_width(set->columns[c], strlen(set->columns[c])));
    }
    set->row = 1;
    return ws;
}

static void put_string(struct xlsx_state *xs, struct sheet_set *set, lxw_worksheet *ws,
                       lxw_col_t col, const char *s, size_t len, lxw_format *format)
{
    const char *text = cell_text(xs, s, len);
    if (text == NULL) {
        xs->is_out_of_memory = true;
        return;
    }
    if (*text == '\0')
        return;
    note_error(xs, worksheet_write_string(ws, set->row, col, text, format));
    note_width(set, col, text_width(text, strlen(text)));
}

static void put_text(struct xlsx_state *xs, struct sheet_set *set, lxw_worksheet *ws, lxw_col_t col,
                     const char *s)
{
    put_string(xs, set, ws, col, s, strlen(s), NULL);
}

static void put_number(struct xlsx_state *xs, struct sheet_set *set, lxw_worksheet *ws,
                       lxw_col_t col, uint64_t v, lxw_format *format)
{
    note_error(xs, worksheet_write_number(ws, set->row, col, (double)v, format));
    char digits[32];
    /* "#,##0" adds a comma every three digits. */
    size_t n = (size_t)snprintf(digits, sizeof digits, "%llu", (unsigned long long)v);
    note_width(set, col, n + (n - 1) / 3);
}

/* Ends a row of data: the autofilter reaches it. */
static void end_row(struct sheet_set *set)
{
    set->sheets[set->nsheets - 1].last_row = set->row;
    set->row++;
}

static void set_columns(struct sheet_set *set, size_t n, const char *const *names)
{
    for (size_t i = 0; i < n && set->ncolumns < COLUMNS_MAX; i++)
        set->columns[set->ncolumns++] = names[i];
}

static const char *const summary_head[] = {
    "Path",     "Status", "Encoding", "Format", "Bytes", "Records", "Rows with personal data",
    "Findings",
};
static const char *const summary_tail[] = {"Invalid byte sequences", "Suppressed", "Reason"};
static const char *const finding_columns[] = {
    "Path", "Sheet", "Cell", "Line", "Field", "Type", "Masked value", "Confidence", "Detector",
};

#define SUMMARY_FIRST_TYPE_COLUMN 8
#define FINDING_VALUE_COLUMN      9

static int xlsx_begin(struct output *out)
{
    if (out->file_path == NULL) {
        errno = EINVAL; /* the command refuses xlsx without -o before this */
        return -1;
    }
    struct xlsx_state *xs = calloc(1, sizeof *xs);
    if (xs == NULL)
        return -1;
    out->state = xs;
    const char *slash = strrchr(out->file_path, '/');
    xs->tmpdir =
        slash == NULL ? strdup(".") : strndup(out->file_path, (size_t)(slash - out->file_path) + 1);
    if (xs->tmpdir == NULL)
        goto nomem;
    lxw_workbook_options options = {.constant_memory = LXW_TRUE, .tmpdir = xs->tmpdir};
    xs->wb = workbook_new_opt(out->file_path, &options);
    if (xs->wb == NULL)
        goto nomem;
    lxw_doc_properties properties = {.title = "piiscan report"};
    note_error(xs, workbook_set_properties(xs->wb, &properties));
    xs->header = workbook_add_format(xs->wb);
    xs->total = workbook_add_format(xs->wb);
    xs->hundredths = workbook_add_format(xs->wb);
    xs->count = workbook_add_format(xs->wb);
    if (xs->header == NULL || xs->total == NULL || xs->hundredths == NULL || xs->count == NULL)
        goto nomem;
    format_set_bold(xs->header);
    format_set_bottom(xs->header, LXW_BORDER_THIN);
    format_set_bold(xs->total);
    format_set_num_format(xs->total, "#,##0");
    format_set_num_format(xs->hundredths, "0.00");
    format_set_num_format(xs->count, "#,##0");

    struct sheet_set *sm = &xs->summary;
    sm->title = "Summary";
    set_columns(sm, sizeof summary_head / sizeof summary_head[0], summary_head);
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        set_columns(sm, 1, &name);
    }
    set_columns(sm, sizeof summary_tail / sizeof summary_tail[0], summary_tail);
    if (sheet_for_row(xs, sm) == NULL)
        goto fail;
    if (!out->is_summary_only) {
        struct sheet_set *fd = &xs->findings;
        static const char *const value_column[] = {"Value"};
        static const char *const fingerprint_column[] = {"Fingerprint"};
        fd->title = "Findings";
        set_columns(fd, sizeof finding_columns / sizeof finding_columns[0], finding_columns);
        if (out->is_showing_values)
            set_columns(fd, 1, value_column);
        if (out->has_fingerprints)
            set_columns(fd, 1, fingerprint_column);
        if (sheet_for_row(xs, fd) == NULL)
            goto fail;
    }
    return 0;
nomem:
    xs->is_out_of_memory = true;
fail:
    errno = xs->is_out_of_memory ? ENOMEM : EIO;
    if (xs->wb != NULL)
        lxw_workbook_free(xs->wb);
    free(xs->summary.sheets);
    free(xs->findings.sheets);
    free(xs->tmpdir);
    free(xs);
    out->state = NULL;
    return -1;
}

static void xlsx_file_begin(struct output *out, const char *path)
{
    (void)out;
    (void)path;
}

static void xlsx_finding(struct output *out, const struct output_finding *of)
{
    struct xlsx_state *xs = out->state;
    struct sheet_set *set = &xs->findings;
    lxw_worksheet *ws = sheet_for_row(xs, set);
    if (ws == NULL)
        return;
    put_text(xs, set, ws, 0, of->path);
    if (of->sheet != NULL) {
        put_text(xs, set, ws, 1, of->sheet);
        put_text(xs, set, ws, 2, of->cell != NULL ? of->cell : "");
    } else {
        put_number(xs, set, ws, 3, of->line, NULL);
        if (of->field > 0)
            put_number(xs, set, ws, 4, of->field, NULL);
    }
    put_text(xs, set, ws, 5, piiscan_type_name(of->type));
    put_text(xs, set, ws, 6, of->masked);
    note_error(xs, worksheet_write_number(ws, set->row, 7, of->confidence, xs->hundredths));
    note_width(set, 7, 4);
    put_text(xs, set, ws, 8, of->detector != NULL ? of->detector : "");
    if (of->value != NULL)
        put_string(xs, set, ws, FINDING_VALUE_COLUMN, of->value, of->value_len, NULL);
    if (of->fingerprint != NULL)
        put_text(xs, set, ws, FINDING_VALUE_COLUMN + out->is_showing_values, of->fingerprint);
    end_row(set);
}

static void xlsx_file_end(struct output *out, const struct file_summary *fs)
{
    struct xlsx_state *xs = out->state;
    struct sheet_set *set = &xs->summary;
    lxw_worksheet *ws = sheet_for_row(xs, set);
    if (ws == NULL)
        return;
    put_text(xs, set, ws, 0, fs->path);
    put_text(xs, set, ws, 1, file_status_name(fs->status));
    if (fs->encoding != PIISCAN_ENCODING_AUTO)
        put_text(xs, set, ws, 2, piiscan_encoding_name(fs->encoding));
    if (fs->format != PIISCAN_FORMAT_AUTO)
        put_text(xs, set, ws, 3, piiscan_format_name(fs->format));
    put_number(xs, set, ws, 4, fs->bytes, xs->count);
    put_number(xs, set, ws, 5, fs->records, xs->count);
    put_number(xs, set, ws, 6, fs->rows, xs->count);
    put_number(xs, set, ws, 7, fs->findings, xs->count);
    lxw_col_t col = SUMMARY_FIRST_TYPE_COLUMN;
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++)
        put_number(xs, set, ws, col++, fs->by_type[t], xs->count);
    put_number(xs, set, ws, col++, fs->decode_errors, xs->count);
    put_number(xs, set, ws, col++, fs->suppressed, xs->count);
    if (fs->reason != NULL)
        put_text(xs, set, ws, col, fs->reason);
    end_row(set);
}

/* The totals, after an empty row, outside the autofilter so that sorting leaves them last. */
static void put_totals(struct xlsx_state *xs, const struct sweep_totals *t)
{
    struct sheet_set *set = &xs->summary;
    set_filter(xs, set);
    if (set->row < LXW_ROW_MAX)
        set->row++;
    lxw_worksheet *ws = sheet_for_row(xs, set);
    if (ws == NULL)
        return;
    char files[160];
    snprintf(files, sizeof files,
             "%llu files: %llu scanned, %llu skipped, %llu failed, %llu unchanged",
             (unsigned long long)t->files, (unsigned long long)t->scanned,
             (unsigned long long)t->skipped, (unsigned long long)t->failed,
             (unsigned long long)t->unchanged);
    note_error(xs, worksheet_write_string(ws, set->row, 0, "Total", xs->total));
    note_error(xs, worksheet_write_string(ws, set->row, 1, files, xs->total));
    put_number(xs, set, ws, 4, t->bytes, xs->total);
    put_number(xs, set, ws, 6, t->rows, xs->total);
    put_number(xs, set, ws, 7, t->findings, xs->total);
    lxw_col_t col = SUMMARY_FIRST_TYPE_COLUMN;
    for (int i = 1; i <= PIISCAN_TYPE_MAX; i++)
        put_number(xs, set, ws, col++, t->by_type[i], xs->total);
    col++; /* invalid byte sequences: not summed over files */
    put_number(xs, set, ws, col, t->suppressed, xs->total);
    set->row++;
}

static void finish_sheets(struct xlsx_state *xs, struct sheet_set *set)
{
    set_filter(xs, set);
    for (size_t i = 0; i < set->nsheets; i++) {
        lxw_worksheet *ws = set->sheets[i].ws;
        for (size_t c = 0; c < set->ncolumns; c++) {
            double width = (double)set->widths[c] + 2.0;
            if (width > COLUMN_WIDTH_MAX)
                width = COLUMN_WIDTH_MAX;
            note_error(xs, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL));
        }
    }
}

static int xlsx_end(struct output *out, const struct sweep_totals *totals)
{
    struct xlsx_state *xs = out->state;
    put_totals(xs, totals);
    finish_sheets(xs, &xs->summary);
    finish_sheets(xs, &xs->findings);
    errno = 0;
    note_error(xs, workbook_close(xs->wb)); /* frees the workbook, whatever it returns */
    int saved = errno;
    bool is_out_of_memory = xs->is_out_of_memory || xs->error == LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error error = xs->error;
    free(xs->summary.sheets);
    free(xs->findings.sheets);
    free(xs->text);
    free(xs->tmpdir);
    free(xs);
    out->state = NULL;
    if (is_out_of_memory) {
        errno = ENOMEM;
        return -1;
    }
    if (error != LXW_NO_ERROR) {
        /* libxlsxwriter leaves the reason of a failed write (ENOSPC ...) in errno. */
        errno = saved != 0 ? saved : EIO;
        return -1;
    }
    return 0;
}

const struct output_ops output_xlsx = {
    .name = "xlsx",
    .writes_file = true,
    .begin = xlsx_begin,
    .file_begin = xlsx_file_begin,
    .finding = xlsx_finding,
    .file_end = xlsx_file_end,
    .end = xlsx_end,
};
