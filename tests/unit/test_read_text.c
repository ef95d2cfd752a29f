/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_read_text.c - the line reader: line ends of every kind, and over-long lines cut into
 * pieces that stay under the limit, cover every byte once and never split a character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

/* The smallest limit the options accept; pieces are easy to reason about at this size. */
#define LIMIT 4096

/* The line the reader read last, and its one field. */
static pii_record rec;
static pii_field field;

/* Reads the next line of text[0..len) from `start` into rec and field. */
static int next_line(const char *text, size_t len, size_t start, bool is_final, size_t max_bytes)
{
    int rc = pii_text_next_line(text, len, start, is_final, max_bytes, &rec, &field);
    cr_assert(rc == 0 || rc == 1, "the line reader returns 0 or 1, got %d", rc);
    if (rc == 1) {
        cr_assert_eq(rec.nfields, 1, "a line is one field");
        cr_assert_eq(rec.fields, &field, "the field is the caller's");
        cr_assert_eq(field.start, rec.start, "the field starts with the line");
        cr_assert_eq(field.end, rec.end, "the field ends with the line's content");
        cr_assert_not(rec.is_unterminated_quote, "text has no quotes to leave open");
    }
    return rc;
}

/* A buffer of `size` bytes (freed by the caller) whose first `n` are `fill`. */
static char *filled(size_t size, char fill, size_t n)
{
    char *text = malloc(size);
    cr_assert_not_null(text, "test allocation");
    memset(text, fill, n);
    return text;
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Reads all of text[0..len) at once and checks the pieces tile it: each starts where the last
 * one's line end stopped, none is longer than max_bytes, none splits a UTF-8 character.
 * Returns the number of pieces; *physical gets the sum of rec.lines. */
static size_t read_all_checked(const char *text, size_t len, size_t max_bytes, size_t *physical)
{
    size_t start = 0;
    size_t pieces = 0;
    *physical = 0;
    while (next_line(text, len, start, true, max_bytes) == 1) {
        cr_assert_eq(rec.start, start, "piece %zu starts where the last one ended", pieces + 1);
        cr_assert_leq(rec.end - rec.start, max_bytes, "piece %zu at %zu is %zu bytes, over %zu",
                      pieces + 1, start, rec.end - rec.start, max_bytes);
        cr_assert_gt(rec.next, start, "piece %zu moves the reader forward", pieces + 1);
        if (rec.end < len)
            cr_assert_not(is_continuation((unsigned char)text[rec.end]),
                          "piece %zu ends at %zu, inside a UTF-8 character", pieces + 1, rec.end);
        if (rec.lines == 0)
            cr_assert_eq(rec.next, rec.end, "a cut piece has no line end to skip");
        *physical += rec.lines;
        start = rec.next;
        pieces++;
    }
    cr_assert_eq(start, len, "the pieces cover the input up to its end");
    return pieces;
}

/* --- line ends ---------------------------------------------------------------------------- */

ParameterizedTestParameters(read_text, lines_end_at_each_kind_of_line_end)
{
    return test_line_ends();
}

ParameterizedTest(struct test_line_end *c, read_text, lines_end_at_each_kind_of_line_end)
{
    char text[256];
    snprintf(text, sizeof text, "お問い合わせ: 090-0000-1234%s%s〒150-0002 東京都渋谷区", c->eol,
             c->eol);
    size_t len = strlen(text);
    size_t eol_len = strlen(c->eol);
    cr_assert_eq(next_line(text, len, 0, true, LIMIT), 1, "%s: line 1", c->label);
    cr_expect_eq(rec.end, strlen("お問い合わせ: 090-0000-1234"), "%s: content without its end",
                 c->label);
    cr_expect_eq(rec.next, rec.end + eol_len, "%s: the whole line end is skipped", c->label);
    cr_expect_eq(rec.lines, 1, "%s: a whole line counts one", c->label);
    cr_assert_eq(next_line(text, len, rec.next, true, LIMIT), 1, "%s: empty line", c->label);
    cr_expect_eq(rec.end, rec.start, "%s: an empty line is an empty field", c->label);
    cr_expect_eq(rec.lines, 1, "%s: and still a line", c->label);
    cr_assert_eq(next_line(text, len, rec.next, true, LIMIT), 1, "%s: last line", c->label);
    cr_expect_eq(rec.end, len, "%s: the last line runs to the end of input", c->label);
    cr_expect_eq(rec.next, len, "%s: nothing is left", c->label);
    cr_expect_eq(next_line(text, len, rec.next, true, LIMIT), 0,
                 "%s: no line after the end of input", c->label);
}

Test(read_text, cr_at_the_end_of_available_text_waits_unless_final)
{
    const char *text = "line one\r\nline two";
    cr_expect_eq(next_line(text, 9, 0, false, LIMIT), 0,
                 "a CR as the last byte may be the first half of a CRLF");
    cr_assert_eq(next_line(text, 10, 0, false, LIMIT), 1, "the LF arrived");
    cr_expect_eq(rec.next, 10, "the CRLF is one line end");
    cr_assert_eq(next_line(text, 9, 0, true, LIMIT), 1, "at the end of input the CR ends the line");
    cr_expect_eq(rec.end, 8, "content ends before the CR");
    cr_expect_eq(rec.next, 9, "the CR alone is the line end");
}

Test(read_text, last_line_without_a_line_end_waits_until_the_end_of_input)
{
    const char *text = "山田太郎 様";
    size_t len = strlen(text);
    cr_expect_eq(next_line(text, len, 0, false, LIMIT), 0, "more of the line may come");
    cr_assert_eq(next_line(text, len, 0, true, LIMIT), 1, "the input ended");
    cr_expect_eq(rec.end, len, "the line is all of it");
    cr_expect_eq(rec.lines, 1, "it is a physical line");
    cr_expect_eq(next_line(text, 0, 0, true, LIMIT), 0, "empty input has no line at all");
}

/* --- long lines --------------------------------------------------------------------------- */

Test(read_text, a_line_of_exactly_the_limit_is_not_cut)
{
    char *text = filled(LIMIT + 2, 'x', LIMIT);
    text[LIMIT] = '\n';
    cr_assert_eq(next_line(text, LIMIT + 1, 0, false, LIMIT), 1, "one line");
    cr_expect_eq(rec.end, LIMIT, "the whole line, not a piece");
    cr_expect_eq(rec.lines, 1, "it ends a physical line");
    text[LIMIT] = 'x';
    text[LIMIT + 1] = '\n';
    cr_assert_eq(next_line(text, LIMIT + 2, 0, false, LIMIT), 1, "a piece");
    cr_expect_eq(rec.lines, 0, "one byte over the limit is cut");
    cr_expect_leq(rec.end, LIMIT, "the piece fits the limit");
    free(text);
}

Test(read_text, an_over_long_line_is_cut_before_its_end_arrives)
{
    char *text = filled(LIMIT + 1, 'x', LIMIT + 1);
    text[100] = ' ';
    cr_expect_eq(next_line(text, LIMIT, 0, false, LIMIT), 0,
                 "at the limit the line may still end in time");
    cr_assert_eq(next_line(text, LIMIT + 1, 0, false, LIMIT), 1,
                 "one byte past the limit without a line end: a piece, without waiting");
    cr_expect_eq(rec.lines, 0, "the piece does not end the physical line");
    cr_expect_eq(rec.end, LIMIT, "the space is more than 1 KiB back: cut at the limit");
    free(text);
}

Test(read_text, a_long_line_is_cut_after_the_last_space_within_the_last_kib)
{
    char *text = filled(LIMIT * 2, 'a', LIMIT * 2);
    text[LIMIT - 1000] = ' ';
    text[LIMIT - 50] = ' ';
    text[LIMIT + 10] = ' ';
    cr_assert_eq(next_line(text, LIMIT * 2, 0, false, LIMIT), 1, "a piece");
    cr_expect_eq(rec.end, LIMIT - 49, "cut right after the last space before the limit");
    cr_expect_eq(rec.next, rec.end, "the next piece starts at the cut");
    free(text);
}

Test(read_text, a_separator_ending_exactly_at_the_limit_fills_the_piece)
{
    char *text = filled(LIMIT * 2, 'a', LIMIT * 2);
    text[LIMIT - 1] = ';';
    text[LIMIT] = ' ';
    cr_assert_eq(next_line(text, LIMIT * 2, 0, false, LIMIT), 1, "a piece");
    cr_expect_eq(rec.end, LIMIT, "the ';' is the last byte that fits; the space does not");
    free(text);
}

struct separator_case {
    char label[32];
    char bytes[8];
};

ParameterizedTestParameters(read_text, a_long_line_is_cut_after_each_kind_of_separator)
{
    static struct separator_case cases[] = {
        {"tab", "\t"},
        {"comma", ","},
        {"semicolon", ";"},
        {"touten U+3001", "、"},
        {"kuten U+3002", "。"},
        {"full-width comma U+FF0C", "，"},
        {"full-width period U+FF0E", "．"},
        {"ideographic space U+3000", "　"},
    };
    return cr_make_param_array(struct separator_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct separator_case *c, read_text,
                  a_long_line_is_cut_after_each_kind_of_separator)
{
    /* Kanji with no separator, and one separator ending 300 bytes before the limit. */
    const char kanji[] = "東京都渋谷区";
    size_t len = 0;
    char *text = malloc(LIMIT * 2 + 16);
    cr_assert_not_null(text, "test allocation");
    size_t sep_len = strlen(c->bytes);
    size_t sep_at = 0;
    while (len < LIMIT * 2) {
        if (sep_at == 0 && len + sep_len >= LIMIT - 300) {
            memcpy(text + len, c->bytes, sep_len);
            sep_at = len;
            len += sep_len;
        }
        memcpy(text + len, kanji + len % 18 / 3 * 3, 3);
        len += 3;
    }
    cr_assert_eq(next_line(text, len, 0, false, LIMIT), 1, "%s: a piece", c->label);
    cr_expect_eq(rec.end, sep_at + sep_len, "%s: cut right after the separator", c->label);
    cr_expect_eq(rec.lines, 0, "%s: a piece", c->label);
    free(text);
}

Test(read_text, without_a_separator_the_cut_falls_on_a_character_boundary)
{
    /* 2, 3 and 4-byte characters; each shift puts the limit at another byte of one. */
    static const char *const chars[] = {"é", "あ", "𠮷"};
    for (size_t shift = 0; shift < 4; shift++) {
        char *text = filled(LIMIT * 2 + 8, 'b', shift);
        size_t len = shift;
        for (size_t i = 0; len < LIMIT * 2; i++) {
            const char *ch = chars[i % 3];
            memcpy(text + len, ch, strlen(ch));
            len += strlen(ch);
        }
        cr_assert_eq(next_line(text, len, 0, false, LIMIT), 1, "shift %zu", shift);
        cr_expect_leq(rec.end, LIMIT, "shift %zu: the piece fits", shift);
        cr_expect_gt(rec.end + 4, LIMIT, "shift %zu: it backs off less than one character", shift);
        cr_expect_not(is_continuation((unsigned char)text[rec.end]),
                      "shift %zu: the cut at %zu is inside a character", shift, rec.end);
        free(text);
    }
}

Test(read_text, a_two_megabyte_line_is_cut_at_spaces_into_pieces_that_cover_it_once)
{
    /* Words of 1 to 15 characters, some Japanese, separated by single spaces. */
    static const char *const words[] = {
        "order", "山田", "090-0000-1234", "a", "東京都渋谷区", "delivery", "様", "x"};
    const size_t size = 2u << 20;
    char *text = malloc(size + 32);
    cr_assert_not_null(text, "test allocation");
    size_t len = 0;
    size_t spaces = 0;
    for (size_t i = 0; len < size; i++) {
        const char *w = words[(i * 7 + i / 3) % (sizeof words / sizeof words[0])];
        memcpy(text + len, w, strlen(w));
        len += strlen(w);
        text[len++] = ' ';
        spaces++;
    }
    text[len++] = '\n';
    const size_t limits[] = {LIMIT, 65536};
    for (size_t k = 0; k < 2; k++) {
        size_t max_bytes = limits[k];
        size_t start = 0;
        size_t covered = 0;
        size_t pieces = 0;
        while (next_line(text, len, start, true, max_bytes) == 1) {
            cr_assert_eq(rec.start, start, "piece %zu follows the last one", pieces + 1);
            cr_assert_leq(rec.end - rec.start, max_bytes, "piece %zu fits %zu bytes", pieces + 1,
                          max_bytes);
            covered += rec.next - rec.start;
            if (rec.next < len - 1) {
                cr_assert_eq(rec.lines, 0, "piece %zu does not end the line", pieces + 1);
                cr_assert_eq(text[rec.end - 1], ' ', "piece %zu ends after a space", pieces + 1);
                cr_assert_gt(rec.end - rec.start + 64, max_bytes,
                             "piece %zu is cut at the last space, near the limit", pieces + 1);
            }
            start = rec.next;
            pieces++;
        }
        cr_expect_eq(rec.lines, 1, "the last piece ends the physical line");
        cr_expect_eq(rec.end, len - 1, "the last piece stops at the LF");
        cr_expect_eq(covered, len, "every byte is covered exactly once (limit %zu)", max_bytes);
        cr_expect_gt(pieces, (len - 1) / max_bytes, "a 2 MB line needs this many pieces");
    }
    free(text);
}

/* --- resuming ----------------------------------------------------------------------------- */

/* Feeds text one byte at a time the way the stream does (consume, compact, append) and logs
 * each piece as "start+length/lines" in input offsets. */
static char *read_fed(const char *input, size_t len, size_t max_bytes, size_t step)
{
    char *log = malloc(len * 32 + 64);
    cr_assert_not_null(log, "test allocation");
    size_t log_len = 0;
    log[0] = '\0';
    char *window = malloc(len + 1);
    cr_assert_not_null(window, "test allocation");
    size_t wlen = 0;
    size_t start = 0;
    size_t base = 0;
    size_t fed = 0;
    for (;;) {
        bool is_final = fed == len;
        while (next_line(window, wlen, start, is_final, max_bytes) == 1) {
            log_len += (size_t)sprintf(log + log_len, "%zu+%zu/%u ", base + rec.start,
                                       rec.end - rec.start, (unsigned)rec.lines);
            start = rec.next;
        }
        if (is_final)
            break;
        memmove(window, window + start, wlen - start);
        wlen -= start;
        base += start;
        start = 0;
        size_t k = len - fed < step ? len - fed : step;
        memcpy(window + wlen, input + fed, k);
        wlen += k;
        fed += k;
    }
    free(window);
    return log;
}

Test(read_text, one_byte_feeding_gives_the_same_lines_as_the_whole_buffer)
{
    /* Every line end, a CR split from its LF, and a line three limits long with and without
     * spaces. */
    size_t cap = LIMIT * 8;
    char *input = malloc(cap);
    cr_assert_not_null(input, "test allocation");
    size_t len = (size_t)sprintf(input, "一行目\r\n二行目\n\r三行目\r\r\n");
    for (size_t i = 0; i < LIMIT * 3; i++)
        input[len++] = i % 3 == 0 ? '\xE3' : i % 3 == 1 ? '\x81' : '\x82';
    input[len++] = '\n';
    for (size_t i = 0; i < LIMIT * 3; i++)
        input[len++] = i % 40 == 39 ? ' ' : 'w';
    len += (size_t)sprintf(input + len, "\r末尾");
    char *whole = read_fed(input, len, LIMIT, len);
    size_t physical;
    size_t pieces = read_all_checked(input, len, LIMIT, &physical);
    cr_assert_eq(physical, 8, "eight physical lines, whatever the pieces");
    cr_assert_gt(pieces, physical, "the long lines were cut");
    char *fed = read_fed(input, len, LIMIT, 1);
    cr_expect_str_eq(fed, whole, "one byte at a time gives the same pieces");
    free(fed);
    char *chunked = read_fed(input, len, LIMIT, 1000);
    cr_expect_str_eq(chunked, whole, "1000 bytes at a time gives the same pieces");
    free(chunked);
    free(whole);
    free(input);
}
