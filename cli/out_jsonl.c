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
 *
 * A large export has millions of findings, so lines are gathered in one buffer and written
 * a block at a time within a file (at once on a terminal, where each should show as it is
 * found, and outside file_begin and file_end, which redact's dry run does not call), and the
 * start of the object, `{"path":` and the file's escaped path, is made once per file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "line.h"
#include "output.h"

#define HEAD_LITERAL "{\"path\":\""

struct jsonl_state {
    struct line ln;   /* lines not yet written */
    bool is_terminal; /* each line written as it is made */
    bool is_in_file;  /* between file_begin and file_end, where lines are gathered */
    const char *path; /* file_begin's path, whose object start is in head; NULL: none */
    char *head;       /* {"path":"PATH" */
    size_t head_len;
    struct line_cache cache; /* the type and detector members */
};

static int jsonl_begin(struct output *out)
{
    struct jsonl_state *js = calloc(1, sizeof *js);
    if (js == NULL)
        return -1;
    js->ln.fp = out->fp;
    js->ln.len = 0;
    js->is_terminal = isatty(fileno(out->fp));
    js->is_in_file = false;
    js->path = NULL;
    js->head = NULL;
    js->head_len = 0;
    out->state = js;
    return 0;
}

static void jsonl_finding(struct output *out, const struct output_finding *of)
{
    struct jsonl_state *js = out->state;
    if (of->path == js->path) {
        line_put(&js->ln, js->head, js->head_len);
    } else {
        LINE_PUT_LITERAL(&js->ln, "{\"path\":");
        line_put_string(&js->ln, of->path, strlen(of->path));
    }
    line_put_finding_rest_cached(&js->ln, of, &js->cache);
    LINE_PUT_LITERAL(&js->ln, "\n");
    /* redact's dry run calls neither file_begin nor file_end, and prints between findings */
    if (js->is_terminal || !js->is_in_file)
        line_flush(&js->ln);
}

/* The object start for path's findings; without memory for it they are made the long way. */
static void jsonl_file_begin(struct output *out, const char *path)
{
    struct jsonl_state *js = out->state;
    free(js->head);
    js->head = NULL;
    js->path = NULL;
    js->is_in_file = true;
    size_t len = strlen(path);
    if (len > (SIZE_MAX - 64) / JSON_ESCAPE_MAX)
        return;
    size_t room = len * JSON_ESCAPE_MAX + JSON_ESCAPE_MAX;
    char *head = malloc(sizeof HEAD_LITERAL + room);
    if (head == NULL)
        return;
    memcpy(head, HEAD_LITERAL, sizeof HEAD_LITERAL - 1);
    size_t used;
    size_t n = sizeof HEAD_LITERAL - 1;
    n += json_escape(head + n, room, path, len, &used);
    head[n++] = '"';
    js->head = head;
    js->head_len = n;
    js->path = path;
}

/* Each line is a finding; with --summary, each line is a file's summary instead. */
static void jsonl_file_end(struct output *out, const struct file_summary *fs)
{
    struct jsonl_state *js = out->state;
    line_flush(&js->ln);
    free(js->head);
    js->head = NULL;
    js->path = NULL;
    js->is_in_file = false;
    if (!out->is_summary_only)
        return;
    json_write_summary(out->fp, fs);
    putc('\n', out->fp);
}

static int jsonl_end(struct output *out, const struct sweep_totals *totals)
{
    (void)totals;
    struct jsonl_state *js = out->state;
    if (js != NULL) {
        line_flush(&js->ln);
        free(js->head);
        free(js);
        out->state = NULL;
    }
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
