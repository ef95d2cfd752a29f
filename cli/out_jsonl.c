/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_jsonl.c - JSON Lines: one object per finding, keys always in the same order so that
 * reports diff cleanly:
 *   path, type, start, end, line, field (CSV/TSV only)           text, CSV and TSV files
 *   path, type, sheet, cell, start, end                          workbooks
 * then confidence (two decimals), detector, masked, value with --show-values and
 * fingerprint with --fingerprints. With --summary, one object per file instead (json.c).
 * start and end are byte offsets in the file as stored (end exclusive), in its own
 * encoding, so `dd skip=START count=END-START` cuts the value out of it. The object is built
 * in line.c, which the json format shares.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include "cli.h"
#include "line.h"
#include "output.h"

static int jsonl_begin(struct output *out)
{
    (void)out;
    return 0;
}

static void jsonl_finding(struct output *out, const struct output_finding *of)
{
    struct line ln = {.fp = out->fp, .len = 0};
    line_put_finding(&ln, of);
    LINE_PUT_LITERAL(&ln, "\n");
    line_flush(&ln);
}

static void jsonl_file_begin(struct output *out, const char *path)
{
    (void)out;
    (void)path;
}

/* Each line is a finding; with --summary, each line is a file's summary instead. */
static void jsonl_file_end(struct output *out, const struct file_summary *fs)
{
    if (!out->is_summary_only)
        return;
    json_write_summary(out->fp, fs);
    putc('\n', out->fp);
}

static int jsonl_end(struct output *out, const struct sweep_totals *totals)
{
    (void)out;
    (void)totals;
    return 0;
}

const struct output_ops output_jsonl = {
    .is_concatenable = true,
    .name = "jsonl",
    .begin = jsonl_begin,
    .file_begin = jsonl_file_begin,
    .finding = jsonl_finding,
    .file_end = jsonl_file_end,
    .end = jsonl_end,
};
