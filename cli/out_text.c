/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_text.c - the default report, one line per finding in grep's shape so that the usual
 * tools (sort, cut -d:, an editor's quickfix list) work on it:
 *   PATH:LINE:FIELD: TYPE VALUE    CSV and TSV files
 *   PATH:LINE: TYPE VALUE          text files
 *   PATH:SHEET!CELL: TYPE VALUE    workbooks
 * VALUE is the mask, or the value as found with --show-values. Paths are written as they
 * are, like grep does; JSON Lines is the format for names with odd bytes. Control characters
 * in values show as '?'.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

static int text_begin(struct output *out)
{
    (void)out;
    return 0;
}

/* Control characters (a line break inside a quoted CSV field) would break the one-line-per-
 * finding shape, and escape sequences do not belong on a terminal: they show as '?'. */
static void write_clean(FILE *fp, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        putc(c < 0x20 || c == 0x7F ? '?' : c, fp);
    }
}

static void text_finding(struct output *out, const struct output_finding *of)
{
    FILE *fp = out->fp;
    fputs(of->path, fp);
    if (of->sheet != NULL) {
        putc(':', fp);
        write_clean(fp, of->sheet, strlen(of->sheet));
        putc('!', fp);
        if (of->cell != NULL)
            write_clean(fp, of->cell, strlen(of->cell));
    } else if (of->field > 0) {
        fprintf(fp, ":%" PRIu64 ":%" PRIu32, of->line, of->field);
    } else {
        fprintf(fp, ":%" PRIu64, of->line);
    }
    fprintf(fp, ": %s ", piiscan_type_name(of->type));
    if (of->value != NULL)
        write_clean(fp, of->value, of->value_len);
    else
        write_clean(fp, of->masked, strlen(of->masked));
    putc('\n', fp);
}

static void text_file_begin(struct output *out, const char *path)
{
    (void)out;
    (void)path;
}

/* With --summary, one line for each file that holds something:
 *   PATH: 12 findings in 5 rows (name 5, phone 5, postal_code 2)
 * Failures are on stderr already; clean files are left out, as grep -c would not. A file
 * left unread as unchanged (--state) gets its line without --summary too: its findings were
 * not read again, and the report must still say where the data is. */
static void text_file_end(struct output *out, const struct file_summary *fs)
{
    if ((!out->is_summary_only && fs->status != FILE_UNCHANGED) || fs->findings == 0)
        return;
    FILE *fp = out->fp;
    fputs(fs->path, fp);
    fprintf(fp, ": %" PRIu64 " finding%s in %" PRIu64 " row%s (", fs->findings,
            fs->findings == 1 ? "" : "s", fs->rows, fs->rows == 1 ? "" : "s");
    const char *sep = "";
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        if (fs->by_type[t] == 0)
            continue;
        fprintf(fp, "%s%s %" PRIu64, sep, piiscan_type_name((piiscan_type)t), fs->by_type[t]);
        sep = ", ";
    }
    fputs(fs->status == FILE_UNCHANGED ? "; unchanged since the last sweep)\n" : ")\n", fp);
}

static int text_end(struct output *out, const struct sweep_totals *totals)
{
    (void)out;
    (void)totals;
    return 0;
}

const struct output_ops output_text = {
    .is_concatenable = true,
    .name = "text",
    .begin = text_begin,
    .file_begin = text_file_begin,
    .finding = text_finding,
    .file_end = text_file_end,
    .end = text_end,
};
