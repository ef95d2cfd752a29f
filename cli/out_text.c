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

static void text_begin(struct output *out)
{
    (void)out;
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
    const piiscan_finding *f = of->f;
    FILE *fp = out->fp;
    fputs(of->path, fp);
    if (f->sheet != NULL) {
        putc(':', fp);
        write_clean(fp, f->sheet, strlen(f->sheet));
        putc('!', fp);
        if (f->cell != NULL)
            write_clean(fp, f->cell, strlen(f->cell));
    } else if (f->field > 0) {
        fprintf(fp, ":%" PRIu64 ":%" PRIu32, f->line, f->field);
    } else {
        fprintf(fp, ":%" PRIu64, f->line);
    }
    fprintf(fp, ": %s ", piiscan_type_name(f->type));
    if (out->is_showing_values)
        write_clean(fp, f->text, f->text_len);
    else
        write_clean(fp, of->masked, strlen(of->masked));
    putc('\n', fp);
}

/* The message is on stderr already; this report carries findings only. */
static void text_file_error(struct output *out, const char *path, const char *reason)
{
    (void)out;
    (void)path;
    (void)reason;
}

static void text_end(struct output *out)
{
    (void)out;
}

const struct output_ops output_text = {
    .name = "text",
    .begin = text_begin,
    .finding = text_finding,
    .file_error = text_file_error,
    .end = text_end,
};
