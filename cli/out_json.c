/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_json.c - one JSON document for the whole sweep, written as the sweep goes (nothing of
 * it is held in memory), one file or finding per line so that reports diff cleanly:
 *   {"tool":"piiscan","version":"0.1.0","files":[
 *   {"path":"a.csv","findings":[
 *   {"path":"a.csv","type":"phone",...},           each finding as jsonl writes it
 *   {"path":"a.csv","type":"email",...}
 *   ],"summary":{"path":"a.csv","status":"scanned",...}},   json_write_summary's object
 *   {"path":"b.csv","findings":[],"summary":{...}}
 *   ],"totals":{"files":2,...}}
 * Every file the sweep met is in "files", skipped and failed ones too (their summary says
 * why). The summary comes after the findings because it is known only then. With --summary,
 * a file has no "findings" member.
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
#include "line.h"
#include "output.h"

struct json_state {
    bool is_first_file;
    bool is_first_finding;
};

static int json_begin(struct output *out)
{
    struct json_state *js = calloc(1, sizeof *js);
    if (js == NULL)
        return -1;
    js->is_first_file = true;
    out->state = js;
    fputs("{\"tool\":\"piiscan\",\"version\":", out->fp);
    json_write_string(out->fp, PACKAGE_VERSION, strlen(PACKAGE_VERSION));
    fputs(",\"files\":[", out->fp);
    return 0;
}

static void json_file_begin(struct output *out, const char *path)
{
    struct json_state *js = out->state;
    fputs(js->is_first_file ? "\n{\"path\":" : ",\n{\"path\":", out->fp);
    js->is_first_file = false;
    js->is_first_finding = true;
    json_write_string(out->fp, path, strlen(path));
    if (!out->is_summary_only)
        fputs(",\"findings\":[", out->fp);
}

static void json_finding(struct output *out, const struct output_finding *of)
{
    struct json_state *js = out->state;
    struct line ln; /* not zeroed: its buffer is written before it is read */
    ln.fp = out->fp;
    ln.len = 0;
    if (js->is_first_finding)
        LINE_PUT_LITERAL(&ln, "\n");
    else
        LINE_PUT_LITERAL(&ln, ",\n");
    js->is_first_finding = false;
    line_put_finding(&ln, of);
    line_flush(&ln);
}

static void json_file_end(struct output *out, const struct file_summary *fs)
{
    struct json_state *js = out->state;
    if (!out->is_summary_only)
        fputs(js->is_first_finding ? "]" : "\n]", out->fp);
    fputs(",\"summary\":", out->fp);
    json_write_summary(out->fp, fs);
    putc('}', out->fp);
}

static int json_end(struct output *out, const struct sweep_totals *totals)
{
    struct json_state *js = out->state;
    fputs(js->is_first_file ? "],\"totals\":" : "\n],\"totals\":", out->fp);
    json_write_totals(out->fp, totals);
    fputs("}\n", out->fp);
    free(js);
    out->state = NULL;
    return 0;
}

const struct output_ops output_json = {
    .name = "json",
    .begin = json_begin,
    .file_begin = json_file_begin,
    .finding = json_finding,
    .file_end = json_file_end,
    .end = json_end,
};
