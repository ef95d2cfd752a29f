/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_csv.c - CSV for spreadsheets (RFC 4180, see csv_writer.c): a header row, then one row
 * per finding:
 *   path,type,line,field,sheet,cell,start,end,confidence,detector,masked[,value][,fingerprint]
 * (line and field empty in workbooks, sheet and cell empty elsewhere; value only with
 * --show-values). With --summary, one row per file met, skipped and failed ones included:
 *   path,status,encoding,format,bytes,records,findings,rows,<one count per type>,
 *   decode_errors,suppressed,reason
 * UTF-8 with a byte order mark, so that Excel does not read it as CP932; or CP932 without
 * one (--csv-encoding cp932) for the Excel of older Japanese Windows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv_writer.h"
#include "output.h"

struct csv_state {
    struct csv_writer w;
    bool is_out_of_memory;
};

int parse_csv_encoding(const char *arg, bool *is_cp932)
{
    piiscan_encoding enc;
    if (piiscan_encoding_from_name(arg, &enc) != PIISCAN_OK ||
        (enc != PIISCAN_ENCODING_UTF8 && enc != PIISCAN_ENCODING_CP932)) {
        cli_message(NULL, "--csv-encoding: '%s' is not a CSV encoding (expected UTF-8 or CP932)",
                    arg);
        return -1;
    }
    *is_cp932 = enc == PIISCAN_ENCODING_CP932;
    return 0;
}

static void put_text(struct csv_state *cs, const char *s)
{
    if (csv_put_text(&cs->w, s, strlen(s)) != 0)
        cs->is_out_of_memory = true;
}

static void put_header(struct csv_state *cs, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put_text(cs, names[i]);
}

static const char *const finding_columns[] = {
    "path",  "type", "line",       "field",    "sheet",  "cell",
    "start", "end",  "confidence", "detector", "masked",
};

static const char *const summary_columns[] = {
    "path", "status", "encoding", "format", "bytes", "records", "findings", "rows",
};

static const char *const summary_tail_columns[] = {"decode_errors", "suppressed", "reason"};

static int csv_begin(struct output *out)
{
    struct csv_state *cs = calloc(1, sizeof *cs);
    if (cs == NULL)
        return -1;
    if (csv_writer_init(&cs->w, out->fp, out->is_csv_cp932) != 0) {
        free(cs);
        return -1;
    }
    out->state = cs;
    csv_put_bom(&cs->w);
    if (out->is_summary_only) {
        put_header(cs, summary_columns, sizeof summary_columns / sizeof summary_columns[0]);
        for (int t = 1; t <= PIISCAN_TYPE_MAX; t++)
            put_text(cs, piiscan_type_name((piiscan_type)t));
        put_header(cs, summary_tail_columns,
                   sizeof summary_tail_columns / sizeof summary_tail_columns[0]);
    } else {
        put_header(cs, finding_columns, sizeof finding_columns / sizeof finding_columns[0]);
        if (out->is_showing_values)
            put_text(cs, "value");
        if (out->has_fingerprints)
            put_text(cs, "fingerprint");
    }
    csv_end_row(&cs->w);
    return 0;
}

static void csv_file_begin(struct output *out, const char *path)
{
    (void)out;
    (void)path;
}

static void csv_finding(struct output *out, const struct output_finding *of)
{
    struct csv_state *cs = out->state;
    struct csv_writer *w = &cs->w;
    put_text(cs, of->path);
    put_text(cs, piiscan_type_name(of->type));
    if (of->sheet != NULL) {
        csv_put_empty(w);
        csv_put_empty(w);
        put_text(cs, of->sheet);
        put_text(cs, of->cell != NULL ? of->cell : "");
    } else {
        csv_put_u64(w, of->line);
        if (of->field > 0)
            csv_put_u64(w, of->field);
        else
            csv_put_empty(w);
        csv_put_empty(w);
        csv_put_empty(w);
    }
    csv_put_u64(w, of->start);
    csv_put_u64(w, of->end);
    csv_put_hundredths(w, of->confidence);
    put_text(cs, of->detector != NULL ? of->detector : "");
    put_text(cs, of->masked);
    if (out->is_showing_values) {
        if (of->value != NULL && csv_put_text(w, of->value, of->value_len) != 0)
            cs->is_out_of_memory = true;
        else if (of->value == NULL)
            csv_put_empty(w);
    }
    if (out->has_fingerprints)
        put_text(cs, of->fingerprint != NULL ? of->fingerprint : "");
    csv_end_row(w);
}

static void csv_file_end(struct output *out, const struct file_summary *fs)
{
    if (!out->is_summary_only)
        return;
    struct csv_state *cs = out->state;
    struct csv_writer *w = &cs->w;
    put_text(cs, fs->path);
    put_text(cs, file_status_name(fs->status));
    if (fs->encoding != PIISCAN_ENCODING_AUTO)
        put_text(cs, piiscan_encoding_name(fs->encoding));
    else
        csv_put_empty(w);
    if (fs->format != PIISCAN_FORMAT_AUTO)
        put_text(cs, piiscan_format_name(fs->format));
    else
        csv_put_empty(w);
    csv_put_u64(w, fs->bytes);
    csv_put_u64(w, fs->records);
    csv_put_u64(w, fs->findings);
    csv_put_u64(w, fs->rows);
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++)
        csv_put_u64(w, fs->by_type[t]);
    csv_put_u64(w, fs->decode_errors);
    csv_put_u64(w, fs->suppressed);
    put_text(cs, fs->reason != NULL ? fs->reason : "");
    csv_end_row(w);
}

static int csv_end(struct output *out, const struct sweep_totals *totals)
{
    (void)totals;
    struct csv_state *cs = out->state;
    bool is_out_of_memory = cs->is_out_of_memory;
    csv_writer_release(&cs->w);
    free(cs);
    out->state = NULL;
    if (is_out_of_memory) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

const struct output_ops output_csv = {
    .name = "csv",
    .begin = csv_begin,
    .file_begin = csv_file_begin,
    .finding = csv_finding,
    .file_end = csv_file_end,
    .end = csv_end,
};
