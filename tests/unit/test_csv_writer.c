/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_csv_writer.c - the cells of the csv report: RFC 4180 quoting, the formula guard,
 * invalid UTF-8, the byte order mark, and the CP932 variant with its visible replacement.
 * CP932 expectations are made from UTF-8 with iconv here, never written as raw bytes.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "helpers.h"

struct sink {
    FILE *fp;
    char *buf;
    size_t len;
    struct csv_writer w;
};

static void sink_open(struct sink *s, bool is_cp932)
{
    s->buf = NULL;
    s->len = 0;
    s->fp = open_memstream(&s->buf, &s->len);
    cr_assert_not_null(s->fp);
    cr_assert_eq(csv_writer_init(&s->w, s->fp, is_cp932), 0, "iconv knows CP932");
}

/* Closes the stream; the bytes written are in s->buf[0..s->len). */
static void sink_close(struct sink *s)
{
    csv_writer_release(&s->w);
    cr_assert_eq(fclose(s->fp), 0);
}

/* The bytes of one text cell written alone on its record, without the record's CRLF. */
static char *one_cell(const char *text, size_t len, bool is_cp932, size_t *out_len)
{
    struct sink s;
    sink_open(&s, is_cp932);
    cr_assert_eq(csv_put_text(&s.w, text, len), 0);
    csv_end_row(&s.w);
    sink_close(&s);
    cr_assert(s.len >= 2 && memcmp(s.buf + s.len - 2, "\r\n", 2) == 0, "the record ends in CRLF");
    *out_len = s.len - 2;
    return s.buf;
}

static void expect_cell(const char *text, const char *expected, const char *why)
{
    size_t n;
    char *got = one_cell(text, strlen(text), false, &n);
    cr_expect(n == strlen(expected) && memcmp(got, expected, n) == 0,
              "%s: [%s] is written [%s], not [%.*s]", why, text, expected, (int)n, got);
    free(got);
}

Test(csv_writer, plain_text_is_written_without_quotes)
{
    expect_cell("orders.csv", "orders.csv", "nothing to quote");
    expect_cell("090-****-5678", "090-****-5678", "a mask that starts with a digit");
    expect_cell("", "", "an empty text is an empty cell");
}

Test(csv_writer, commas_quotes_and_line_breaks_are_quoted_and_quotes_doubled)
{
    expect_cell("a,b", "\"a,b\"", "a comma");
    expect_cell("say \"hi\"", "\"say \"\"hi\"\"\"", "quotes are doubled inside quotes");
    expect_cell("line1\nline2", "\"line1\nline2\"", "LF");
    expect_cell("line1\r\nline2", "\"line1\r\nline2\"", "CRLF");
}

struct formula_case {
    char text[16];
    char expected[20];
};

ParameterizedTestParameters(csv_writer, formula_starts_get_an_apostrophe)
{
    static struct formula_case cases[] = {
        {"=1+2", "'=1+2"},
        {"+81-90-****", "'+81-90-****"},
        {"-2", "'-2"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tx", "'\tx"},
        {"\rx", "\"'\rx\""},
        {"=A1,B1", "\"'=A1,B1\""},
        {"a=b", "a=b"},
    };
    return cr_make_param_array(struct formula_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct formula_case *c, csv_writer, formula_starts_get_an_apostrophe)
{
    /* The ' goes inside the quotes, where a spreadsheet sees it as the cell's first
     * character; only the first character matters. */
    expect_cell(c->text, c->expected, "a spreadsheet must not take it for a formula");
}

Test(csv_writer, invalid_utf8_becomes_replacement_characters)
{
    size_t n;
    char *got = one_cell("a\x83\x8c"
                         "b",
                         4, false, &n);
    const char *expected = "a\xEF\xBF\xBD\xEF\xBF\xBD"
                           "b";
    cr_expect(n == strlen(expected) && memcmp(got, expected, n) == 0,
              "each byte of a CP932 sequence in a UTF-8 report is one U+FFFD");
    free(got);
}

Test(csv_writer, rows_end_in_crlf_and_cells_are_separated_by_commas)
{
    struct sink s;
    sink_open(&s, false);
    csv_put_text(&s.w, "path", 4);
    csv_put_u64(&s.w, 12);
    csv_put_empty(&s.w);
    csv_put_hundredths(&s.w, 0.965);
    csv_end_row(&s.w);
    csv_put_u64(&s.w, 0);
    csv_end_row(&s.w);
    sink_close(&s);
    const char *expected = "path,12,,0.96\r\n0\r\n";
    cr_expect(s.len == strlen(expected) && memcmp(s.buf, expected, s.len) == 0,
              "two records, RFC 4180 style (0.965 is 0.96499... in binary), got [%.*s]", (int)s.len,
              s.buf);
    free(s.buf);
}

Test(csv_writer, utf8_reports_start_with_a_bom_and_cp932_ones_do_not)
{
    struct sink s;
    sink_open(&s, false);
    csv_put_bom(&s.w);
    sink_close(&s);
    cr_expect(s.len == 3 && memcmp(s.buf, "\xEF\xBB\xBF", 3) == 0,
              "Excel needs the BOM to read UTF-8");
    free(s.buf);
    sink_open(&s, true);
    csv_put_bom(&s.w);
    sink_close(&s);
    cr_expect_eq(s.len, 0, "CP932 has no byte order mark");
    free(s.buf);
}

static void expect_cp932(const char *text, const char *expected_utf8, const char *why)
{
    size_t n;
    char *got = one_cell(text, strlen(text), true, &n);
    size_t m;
    char *expected = test_iconv(expected_utf8, strlen(expected_utf8), "CP932", &m);
    cr_expect(n == m && memcmp(got, expected, n) == 0, "%s: [%s] is written as CP932 [%s]", why,
              text, expected_utf8);
    free(expected);
    free(got);
}

Test(csv_writer, cp932_reports_hold_japanese_in_cp932)
{
    expect_cp932("東京都港区", "東京都港区", "kanji");
    expect_cp932("山＊*＊＊", "山＊*＊＊", "a mask with a full-width asterisk");
    expect_cp932("ﾔﾏﾀﾞ", "ﾔﾏﾀﾞ", "half-width katakana");
    expect_cp932("髙橋 ①", "髙橋 ①", "IBM and NEC extensions");
    expect_cp932("\"a,b\"", "\"\"\"a,b\"\"\"", "quoting is the same");
}

Test(csv_writer, characters_cp932_lacks_become_geta_marks)
{
    expect_cp932("𠮷野家", "〓野家", "a kanji beyond the BMP");
    expect_cp932("café 😀!", "caf〓 〓!", "accented letters and emoji");
    expect_cp932("a\xff"
                 "b",
                 "a〓b", "an invalid byte (U+FFFD first)");
}

Test(csv_writer, a_long_cp932_cell_converts_whole)
{
    /* Longer than one conversion chunk, with a character CP932 lacks in the middle. */
    size_t count = 3000;
    char *text = malloc(count * 3 + 5);
    char *expected = malloc(count * 3 + 5);
    cr_assert(text != NULL && expected != NULL);
    size_t at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(text + at, i == count / 2 ? "\xF0\xA0\xAE\xB7" : "あ", i == count / 2 ? 4 : 3);
        at += i == count / 2 ? 4 : 3;
    }
    text[at] = '\0';
    at = 0;
    for (size_t i = 0; i < count; i++) {
        memcpy(expected + at, i == count / 2 ? "〓" : "あ", 3);
        at += 3;
    }
    expected[at] = '\0';
    expect_cp932(text, expected, "3000 characters");
    free(text);
    free(expected);
}
