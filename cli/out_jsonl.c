/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_jsonl.c - JSON Lines: one object per finding, keys always in the same order so that
 * reports diff cleanly:
 *   path, type, start, end, line, field (CSV/TSV only)           text, CSV and TSV files
 *   path, type, sheet, cell, start, end                          workbooks
 * then confidence (two decimals), detector, masked, and value with --show-values.
 * start and end are byte offsets in the file as stored (end exclusive), in its own
 * encoding, so `dd skip=START count=END-START` cuts the value out of it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

static void jsonl_begin(struct output *out)
{
    (void)out;
}

static void write_key(FILE *fp, const char *key)
{
    fprintf(fp, ",\"%s\":", key);
}

static void write_cstring(FILE *fp, const char *key, const char *s)
{
    write_key(fp, key);
    json_write_string(fp, s, strlen(s));
}

static void jsonl_finding(struct output *out, const struct output_finding *of)
{
    const piiscan_finding *f = of->f;
    FILE *fp = out->fp;
    fputs("{\"path\":", fp);
    json_write_string(fp, of->path, strlen(of->path));
    write_cstring(fp, "type", piiscan_type_name(f->type));
    if (f->sheet != NULL) {
        write_cstring(fp, "sheet", f->sheet);
        write_cstring(fp, "cell", f->cell != NULL ? f->cell : "");
        fprintf(fp, ",\"start\":%" PRIu64 ",\"end\":%" PRIu64, f->start, f->end);
    } else {
        fprintf(fp, ",\"start\":%" PRIu64 ",\"end\":%" PRIu64 ",\"line\":%" PRIu64, f->start,
                f->end, f->line);
        if (f->field > 0)
            fprintf(fp, ",\"field\":%" PRIu32, f->field);
    }
    /* The C locale is never changed, so the decimal separator is always '.'. */
    fprintf(fp, ",\"confidence\":%.2f", f->confidence);
    write_cstring(fp, "detector", f->detector != NULL ? f->detector : "");
    write_cstring(fp, "masked", of->masked);
    if (out->is_showing_values) {
        write_key(fp, "value");
        json_write_string(fp, f->text, f->text_len);
    }
    fputs("}\n", fp);
}

/* The message is on stderr already; each line of this report is a finding. */
static void jsonl_file_error(struct output *out, const char *path, const char *reason)
{
    (void)out;
    (void)path;
    (void)reason;
}

static void jsonl_end(struct output *out)
{
    (void)out;
}

const struct output_ops output_jsonl = {
    .name = "jsonl",
    .begin = jsonl_begin,
    .finding = jsonl_finding,
    .file_error = jsonl_file_error,
    .end = jsonl_end,
};
