// SPDX-License-Identifier: BSD-3-Clause
/*
 * gen_xlsx: turns a CSV export (gen_orders' output) read on stdin into an .xlsx workbook, the
 * corpus of the workbook benchmark. Written with libxlsxwriter as Excel keeps such a list:
 * text in the shared-string table, a bold header row, numbers as numbers (prices, quantities,
 * postal codes, tracking numbers), and one phone number in four typed as digits, which Excel
 * stores as a number without its leading 0. The same CSV always gives the same cells.
 * Leaves out: CSV fields longer than 64 KiB (gen_orders writes none).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#define FIELD_BYTES (64u << 10)
#define MAX_FIELDS  64

static void usage(FILE *to)
{
    fputs("usage: gen_xlsx [-i] OUT.xlsx < export.csv\n"
          "Write the CSV read on stdin (UTF-8) as a workbook: shared strings, numbers as\n"
          "numbers, every fourth phone number as the number Excel makes of its digits.\n"
          "  -i  inline strings (libxlsxwriter's constant-memory mode), not shared ones\n",
          to);
}

/* Reads one CSV field into buf; returns the character after it (',', '\n' or EOF). */
static int read_field(FILE *in, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    int c = getc(in);
    bool is_quoted = c == '"';
    if (is_quoted)
        c = getc(in);
    for (;; c = getc(in)) {
        if (c == EOF)
            break;
        if (is_quoted && c == '"') {
            c = getc(in);
            if (c != '"') {
                is_quoted = false;
                if (c == ',' || c == '\n' || c == EOF)
                    break;
            }
        } else if (!is_quoted && (c == ',' || c == '\n')) {
            break;
        }
        if (c == '\r' && !is_quoted)
            continue;
        if (n + 1 < cap)
            buf[n++] = (char)c;
    }
    buf[n] = '\0';
    *len = n;
    return c;
}

/* Digits only, not starting with 0, short enough to be an exact double. */
static bool is_number(const char *s, size_t n)
{
    if (n == 0 || n > 15 || s[0] == '0')
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* 090-1234-5678 or (090)1234-5678 typed as 09012345678: Excel keeps 9012345678. */
static double phone_as_number(const char *s)
{
    double v = 0;
    for (; *s != '\0'; s++)
        if (*s >= '0' && *s <= '9')
            v = v * 10 + (*s - '0');
    return v;
}

int main(int argc, char **argv)
{
    bool is_inline = false;
    int at = 1;
    if (at < argc && strcmp(argv[at], "-i") == 0) {
        is_inline = true;
        at++;
    }
    if (at + 1 != argc || argv[at][0] == '-') {
        usage(stderr);
        return 2;
    }
    lxw_workbook_options wo = {.constant_memory = is_inline ? LXW_TRUE : LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(argv[at], &wo);
    lxw_worksheet *ws = wb != NULL ? workbook_add_worksheet(wb, "注文") : NULL;
    char *field = malloc(FIELD_BYTES);
    if (ws == NULL || field == NULL) {
        fprintf(stderr, "gen_xlsx: cannot start %s\n", argv[at]);
        return 1;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    bool is_phone[MAX_FIELDS] = {false};
    uint32_t row = 0;
    uint64_t phones = 0;
    int end = 0;
    while (end != EOF) {
        uint16_t col = 0;
        size_t len = 0;
        do {
            end = read_field(stdin, field, FIELD_BYTES, &len);
            if (end == EOF && len == 0 && col == 0)
                break;
            if (row == 0) {
                is_phone[col % MAX_FIELDS] = strstr(field, "電話番号") != NULL;
                worksheet_write_string(ws, row, col, field, bold);
            } else if (is_phone[col % MAX_FIELDS] && len > 0 && phones++ % 4 == 3) {
                worksheet_write_number(ws, row, col, phone_as_number(field), NULL);
            } else if (is_number(field, len)) {
                worksheet_write_number(ws, row, col, strtod(field, NULL), NULL);
            } else if (len > 0) {
                worksheet_write_string(ws, row, col, field, NULL);
            }
            col++;
        } while (end == ',');
        if (col > 0)
            row++;
    }
    free(field);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "gen_xlsx: libxlsxwriter could not write %s\n", argv[at]);
        return 1;
    }
    fprintf(stderr, "gen_xlsx: %u rows\n", (unsigned)row);
    return 0;
}
