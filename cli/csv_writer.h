/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * csv_writer.h - RFC 4180 cells in UTF-8 or CP932, guarded against formula injection
 * (csv_writer.c says how and why). Write errors stay in ferror(fp).
 */
#ifndef PIISCAN_CLI_CSV_WRITER_H
#define PIISCAN_CLI_CSV_WRITER_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "line.h"

/* A record is built in ln and written with one fwrite when it ends (line.h says why). */
struct csv_writer {
    struct line ln;
    iconv_t cd;          /* UTF-8 -> CP932; (iconv_t)-1 when writing UTF-8 */
    bool is_row_started; /* a cell was written on this row: the next one needs a comma */
    char *cell;          /* the cell being built, in UTF-8; reused */
    size_t len;
    size_t cap;
};

/** Returns 0, or -1 with errno set when CP932 cannot be converted to. */
int csv_writer_init(struct csv_writer *w, FILE *fp, bool is_cp932);
void csv_writer_release(struct csv_writer *w);
/** The UTF-8 byte order mark, so that Excel reads the file as UTF-8; nothing in CP932. */
void csv_put_bom(struct csv_writer *w);
/** A text cell: quoted when needed, ' put first when it would start a formula, invalid
 *  UTF-8 written as U+FFFD. Returns 0, or -1 when out of memory (nothing written). */
int csv_put_text(struct csv_writer *w, const char *s, size_t len);
/** Numbers and an empty cell. */
void csv_put_u64(struct csv_writer *w, uint64_t v);
void csv_put_hundredths(struct csv_writer *w, double x);
void csv_put_empty(struct csv_writer *w);
/** Ends the record with CRLF and writes it. */
void csv_end_row(struct csv_writer *w);

#endif /* PIISCAN_CLI_CSV_WRITER_H */
