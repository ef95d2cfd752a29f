/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * csv_writer.c - cells of a CSV report, as RFC 4180 has them: fields separated by commas,
 * records ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF, and a
 * quote inside doubled. Text is UTF-8 (each byte of an invalid sequence becomes U+FFFD), or
 * CP932 for the Excel of older Japanese Windows, where a character CP932 lacks becomes
 * 〓 (U+3013 GETA MARK, the mark Japanese print uses for a missing glyph; CP932 0x81AC) so
 * that the loss shows and the cell keeps its length in characters.
 *
 * Formula injection: Excel, LibreOffice and Google Sheets take a cell that starts with = + -
 * or @ (or a tab or CR, which they strip first) as a formula, and a formula can run commands
 * or send the sheet's contents away (=HYPERLINK, DDE). File names and found values come from
 * the files scanned, which anyone may have written, so such a text cell gets a leading ' : the
 * spreadsheet then shows the text as it is (OWASP's advice). Numbers are never text cells.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv_writer.h"

#define GETA_CP932    "\x81\xAC" /* 〓 U+3013 */
#define CONVERT_CHUNK 4096

int csv_writer_init(struct csv_writer *w, FILE *fp, bool is_cp932)
{
    memset(w, 0, sizeof *w);
    w->ln.fp = fp;
    w->cd = (iconv_t)-1;
    if (is_cp932) {
        w->cd = iconv_open("CP932", "UTF-8");
        if (w->cd == (iconv_t)-1)
            return -1;
    }
    return 0;
}

void csv_writer_release(struct csv_writer *w)
{
    if (w->cd != (iconv_t)-1)
        iconv_close(w->cd);
    w->cd = (iconv_t)-1;
    free(w->cell);
    w->cell = NULL;
    w->cap = 0;
}

void csv_put_bom(struct csv_writer *w)
{
    /* Excel reads a CSV without a BOM in the system's code page (CP932 in Japan). */
    if (w->cd == (iconv_t)-1) {
        LINE_PUT_LITERAL(&w->ln, "\xEF\xBB\xBF");
        line_flush(&w->ln);
    }
}

static bool reserve(struct csv_writer *w, size_t more)
{
    if (w->len + more <= w->cap)
        return true;
    size_t cap = w->cap > 0 ? w->cap : 256;
    while (cap < w->len + more)
        cap *= 2;
    char *grown = realloc(w->cell, cap);
    if (grown == NULL)
        return false;
    w->cell = grown;
    w->cap = cap;
    return true;
}

/* Writes the cell built in w->cell, converted to CP932 when asked. The cell is valid UTF-8,
 * so EILSEQ means a character CP932 lacks: it becomes 〓 and the next one is tried. */
static void write_cell(struct csv_writer *w)
{
    if (w->cd == (iconv_t)-1) {
        line_put(&w->ln, w->cell, w->len);
        return;
    }
    char *in = w->cell;
    size_t in_left = w->len;
    char out[CONVERT_CHUNK];
    while (in_left > 0) {
        char *o = out;
        size_t out_left = sizeof out;
        size_t rc = iconv(w->cd, &in, &in_left, &o, &out_left);
        int err = errno;
        line_put(&w->ln, out, sizeof out - out_left);
        if (rc != (size_t)-1 || err == E2BIG)
            continue;
        /* EILSEQ, or EINVAL on a sequence cut short: neither is possible in valid UTF-8 but
         * for characters CP932 has no code for. */
        LINE_PUT_LITERAL(&w->ln, GETA_CP932);
        size_t n = utf8_valid_len((const unsigned char *)in, in_left);
        n = n == 0 ? 1 : n;
        in += n;
        in_left -= n;
        iconv(w->cd, NULL, NULL, NULL, NULL);
    }
}

static void separate(struct csv_writer *w)
{
    if (w->is_row_started)
        LINE_PUT_LITERAL(&w->ln, ",");
    w->is_row_started = true;
}

int csv_put_text(struct csv_writer *w, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    bool is_quoted = false;
    bool is_formula = len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                                  s[0] == '\t' || s[0] == '\r');
    for (size_t i = 0; i < len && !is_quoted; i++)
        is_quoted = p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
    /* At most 3 bytes per input byte (U+FFFD), plus a quote doubled, the ' and two quotes. */
    w->len = 0;
    if (len > (SIZE_MAX - 3) / 3 || !reserve(w, 3 * len + 3))
        return -1;
    if (is_quoted)
        w->cell[w->len++] = '"';
    if (is_formula)
        w->cell[w->len++] = '\'';
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) { /* ASCII, most of a report: no sequence to check */
            if (p[i] == '"')
                w->cell[w->len++] = '"';
            w->cell[w->len++] = (char)p[i++];
            continue;
        }
        size_t n = utf8_valid_len(p + i, len - i);
        if (n == 0) {
            memcpy(w->cell + w->len, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
            w->len += 3;
            i++;
            continue;
        }
        memcpy(w->cell + w->len, p + i, n);
        w->len += n;
        i += n;
    }
    if (is_quoted)
        w->cell[w->len++] = '"';
    separate(w);
    write_cell(w);
    return 0;
}

void csv_put_u64(struct csv_writer *w, uint64_t v)
{
    separate(w);
    line_put_u64(&w->ln, v);
}

void csv_put_hundredths(struct csv_writer *w, double x)
{
    separate(w);
    line_put_hundredths(&w->ln, x);
}

void csv_put_empty(struct csv_writer *w)
{
    separate(w);
}

void csv_end_row(struct csv_writer *w)
{
    LINE_PUT_LITERAL(&w->ln, "\r\n");
    line_flush(&w->ln);
    w->is_row_started = false;
}
