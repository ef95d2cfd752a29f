/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_read_csv.c - the CSV/TSV record reader on real-shaped exports: quoting, line ends,
 * lenient cases, and resuming over text that arrives a byte at a time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

/* A Rakuten-style order export (all fields quoted, CRLF rows) with a comma inside an address
 * and a multi-line comment holding doubled quotes. Names and numbers are made up. */
static const char rakuten[] =
    "\"受注番号\",\"注文者名字\",\"注文者名前\",\"注文者郵便番号1\",\"注文者郵便番号2\","
    "\"注文者住所：都道府県\",\"注文者住所：町以降\",\"注文者電話番号1\",\"コメント\"\r\n"
    "\"123456-20240105-0000000001\",\"山田\",\"花子\",\"150\",\"0002\",\"東京都\","
    "\"渋谷2丁目21-1, ヒカリエ12F\",\"090\",\"[配送日時指定:]\r\n1月7日(日)\r\n"
    "\"\"置き配\"\"希望\"\r\n"
    "\"123456-20240105-0000000002\",\"佐藤\",\"一郎\",\"530\",\"0001\",\"大阪府\","
    "\"梅田3-1-3，大阪駅前ビル\",\"06\",\"\"\r\n";

/* The reader of each test, comma-delimited unless the test reopens it, and the record it
 * read last. */
static pii_csv csv;
static pii_record rec;

static void open_reader(void)
{
    pii_csv_init(&csv, ',');
}

static void close_reader(void)
{
    pii_csv_free(&csv);
}

static void reopen_reader(char delimiter)
{
    pii_csv_free(&csv);
    pii_csv_init(&csv, delimiter);
}

TestSuite(read_csv, .init = open_reader, .fini = close_reader);

/* Field i of rec as a NUL-terminated copy (freed by the caller). */
static char *field_text(const char *text, size_t i)
{
    size_t n = rec.fields[i].end - rec.fields[i].start;
    char *s = malloc(n + 1);
    cr_assert_not_null(s, "test allocation");
    memcpy(s, text + rec.fields[i].start, n);
    s[n] = '\0';
    return s;
}

static void expect_field(const char *text, size_t i, const char *want, const char *why)
{
    cr_assert_lt(i, rec.nfields, "field %zu should exist: %s", i + 1, why);
    char *got = field_text(text, i);
    cr_expect_str_eq(got, want, "field %zu: %s", i + 1, why);
    free(got);
}

/* Reads the next record of a NUL-terminated window from `start` into rec. */
static int next_in(const char *text, size_t start, bool is_final)
{
    int rc = pii_csv_next(&csv, text, strlen(text), start, is_final, &rec);
    cr_assert_geq(rc, 0, "the reader only fails for lack of memory");
    return rc;
}

/* --- a record log, to compare two ways of reading the same input ------------------------- */

typedef struct log {
    char *s;
    size_t len;
    size_t cap;
} log_t;

static void log_printf(log_t *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void log_printf(log_t *log, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    cr_assert_geq(n, 0, "vsnprintf");
    if (log->len + (size_t)n + 1 > log->cap) {
        log->cap = (log->len + (size_t)n + 1) * 2;
        log->s = realloc(log->s, log->cap);
        cr_assert_not_null(log->s, "test allocation");
    }
    va_start(ap, fmt);
    vsnprintf(log->s + log->len, log->cap - log->len, fmt, ap);
    va_end(ap);
    log->len += (size_t)n;
}

/* One line per record, in absolute input offsets: place, line count, flag and each field. */
static void log_record(log_t *log, const char *window, uint64_t base, const pii_record *r)
{
    log_printf(log, "[%llu,%llu) next=%llu lines=%u%s:", (unsigned long long)(base + r->start),
               (unsigned long long)(base + r->end), (unsigned long long)(base + r->next),
               (unsigned)r->lines, r->is_unterminated_quote ? " unterminated" : "");
    for (size_t i = 0; i < r->nfields; i++) {
        const pii_field *f = &r->fields[i];
        log_printf(log, " %llu<%.*s>", (unsigned long long)(base + f->start),
                   (int)(f->end - f->start), window + f->start);
    }
    log_printf(log, "\n");
}

static char *read_whole(const char *input, size_t len, char delimiter)
{
    pii_csv reader;
    pii_csv_init(&reader, delimiter);
    log_t log = {0};
    log_printf(&log, "%s", "");
    size_t start = 0;
    pii_record r;
    int rc;
    while ((rc = pii_csv_next(&reader, input, len, start, true, &r)) == 1) {
        log_record(&log, input, 0, &r);
        cr_assert_gt(r.next, start, "each record moves the reader forward");
        start = r.next;
    }
    cr_assert_eq(rc, 0, "reading ends without an error");
    cr_assert_eq(start, len, "the records cover the whole input");
    pii_csv_free(&reader);
    return log.s;
}

/* Feeds input `step` bytes at a time the way the stream does: records are consumed as they
 * complete, the window is compacted so the partial record moves to the front, and the reader
 * is called on an exactly-sized copy of the window (so ASan sees any read past len). */
static char *read_fed(const char *input, size_t len, char delimiter, size_t step,
                      bool is_restart_on_move)
{
    pii_csv reader;
    pii_csv_init(&reader, delimiter);
    log_t log = {0};
    log_printf(&log, "%s", "");
    char *window = malloc(len + 1);
    cr_assert_not_null(window, "test allocation");
    size_t wlen = 0;
    size_t start = 0;
    uint64_t base = 0;
    size_t fed = 0;
    for (;;) {
        bool is_final = fed == len;
        for (;;) {
            char *exact = malloc(wlen + 1);
            cr_assert_not_null(exact, "test allocation");
            memcpy(exact, window, wlen);
            pii_record r;
            int rc = pii_csv_next(&reader, exact, wlen, start, is_final, &r);
            cr_assert_geq(rc, 0, "the reader only fails for lack of memory");
            if (rc == 1) {
                log_record(&log, exact, base, &r);
                start = r.next;
            }
            free(exact);
            if (rc == 0)
                break;
        }
        if (is_final)
            break;
        if (start > 0) {
            memmove(window, window + start, wlen - start);
            wlen -= start;
            base += start;
            start = 0;
            if (is_restart_on_move && wlen > 0)
                pii_csv_restart(&reader);
        }
        size_t k = len - fed < step ? len - fed : step;
        memcpy(window + wlen, input + fed, k);
        wlen += k;
        fed += k;
    }
    cr_assert_eq(base + start, len, "the records cover the whole input");
    free(window);
    pii_csv_free(&reader);
    return log.s;
}

/* --- quoting ------------------------------------------------------------------------------ */

Test(read_csv, quoted_japanese_field_keeps_its_comma)
{
    cr_assert_eq(next_in(rakuten, 0, false), 1, "the header row is complete");
    cr_expect_eq(rec.nfields, 9, "the header has 9 columns");
    expect_field(rakuten, 8, "コメント", "last header label without its quotes");
    cr_assert_eq(next_in(rakuten, rec.next, false), 1, "order row 1 is complete");
    cr_expect_eq(rec.nfields, 9, "the comma inside the quoted address does not split it");
    expect_field(rakuten, 6, "渋谷2丁目21-1, ヒカリエ12F", "address with a comma");
    expect_field(rakuten, 1, "山田", "family name");
}

Test(read_csv, line_ends_inside_quotes_stay_in_the_field_and_count_as_lines)
{
    size_t header_next;
    cr_assert_eq(next_in(rakuten, 0, false), 1, "header row");
    header_next = rec.next;
    cr_assert_eq(next_in(rakuten, header_next, false), 1, "order row 1");
    expect_field(rakuten, 8, "[配送日時指定:]\r\n1月7日(日)\r\n\"\"置き配\"\"希望",
                 "the comment keeps its two CRLFs and its doubled quotes");
    cr_expect_eq(rec.lines, 3, "a row with two CRLFs inside quotes spans 3 physical lines");
    cr_expect_eq(rakuten[rec.end], '\r', "the record's content ends before its own CRLF");
    cr_expect_eq(rec.next, rec.end + 2, "the next record starts after the CRLF");
    cr_assert_eq(next_in(rakuten, rec.next, false), 1, "order row 2");
    expect_field(rakuten, 6, "梅田3-1-3，大阪駅前ビル", "full-width comma is text");
    expect_field(rakuten, 8, "", "an empty quoted comment");
    cr_expect_eq(rec.next, strlen(rakuten), "row 2 is the last row");
    cr_expect_eq(next_in(rakuten, rec.next, true), 0,
                 "no record after the last line end at the end of input");
}

Test(read_csv, lone_cr_and_lf_inside_quotes_each_count_as_a_line)
{
    const char *text = "\"a\rb\nc\r\nd\",e\n";
    cr_assert_eq(next_in(text, 0, false), 1, "one record");
    cr_expect_eq(rec.nfields, 2, "the line ends are inside the first field");
    expect_field(text, 0, "a\rb\nc\r\nd", "CR, LF and CRLF all stay in the field");
    cr_expect_eq(rec.lines, 4, "CR, LF and CRLF are three line ends: four lines");
}

Test(read_csv, field_offsets_exclude_outer_quotes_and_keep_doubled_quotes)
{
    const char *text = "\"say \"\"hi\"\"\",x\n";
    cr_assert_eq(next_in(text, 0, false), 1, "one record");
    cr_expect_eq(rec.fields[0].start, 1, "the field starts after the opening quote");
    cr_expect_eq(rec.fields[0].end, 11, "the field ends before the closing quote");
    expect_field(text, 0, "say \"\"hi\"\"", "doubled quotes are not unescaped");
    expect_field(text, 1, "x", "the field after the quoted one");
}

Test(read_csv, quote_inside_an_unquoted_field_is_literal)
{
    const char *text = "5\" floppy,a\"b\"c\n";
    cr_assert_eq(next_in(text, 0, false), 1, "one record");
    cr_expect_eq(rec.nfields, 2, "the quotes open nothing");
    expect_field(text, 0, "5\" floppy", "a quote after text is a literal byte");
    expect_field(text, 1, "a\"b\"c", "quotes in the middle stay literal");
}

Test(read_csv, text_after_a_closing_quote_stays_in_the_field)
{
    const char *text = "\"abc\"def,\"x\"\"\"y\"z,last\n";
    cr_assert_eq(next_in(text, 0, false), 1, "one record");
    cr_expect_eq(rec.nfields, 3, "the trailing text does not start a field");
    expect_field(text, 0, "abc\"def", "from after the opening quote to the delimiter");
    expect_field(text, 1, "x\"\"\"y\"z", "quotes after the closing quote are literal");
    expect_field(text, 2, "last", "the next field is intact");
}

Test(read_csv, unterminated_quote_ends_the_record_at_end_of_input)
{
    const char *text = "1,\"open field\nstill open,\"\"";
    size_t len = strlen(text);
    cr_expect_eq(next_in(text, 0, false), 0,
                 "before the end of input an open quote waits for its closing quote");
    cr_assert_eq(next_in(text, 0, true), 1, "at the end of input it is a record");
    cr_expect(rec.is_unterminated_quote, "the record is flagged");
    cr_expect_eq(rec.nfields, 2, "the delimiter inside the open quote does not split");
    cr_expect_eq(rec.end, len, "the record ends at the end of input");
    cr_expect_eq(rec.next, len, "nothing follows");
    cr_expect_eq(rec.lines, 2, "the LF inside the open quote counts");
    expect_field(text, 1, "open field\nstill open,\"\"", "the field runs to the end");
}

Test(read_csv, quote_at_the_end_of_available_text_waits_to_tell_escape_from_close)
{
    char text[64] = "\"a\"\"";
    cr_assert_eq(next_in(text, 0, false), 0, "the field is still open");
    strcpy(text, "\"a\"");
    pii_csv_restart(&csv);
    cr_assert_eq(next_in(text, 0, false), 0,
                 "a last quote may be the first half of a doubled quote");
    strcat(text, "\"b\",c\n");
    cr_assert_eq(next_in(text, 0, false), 1, "the record ends at the LF");
    expect_field(text, 0, "a\"\"b", "the two quotes were a doubled quote");
    expect_field(text, 1, "c", "second field");
}

Test(read_csv, closing_quote_at_end_of_input_is_excluded_from_the_field)
{
    const char *text = "x,\"abc\"";
    cr_assert_eq(next_in(text, 0, true), 1, "the last record has no line end");
    cr_expect_not(rec.is_unterminated_quote, "the quote was closed");
    expect_field(text, 1, "abc", "without its closing quote");
    cr_expect_eq(rec.end, strlen(text), "the record ends at the end of input");
}

/* --- line ends ---------------------------------------------------------------------------- */

ParameterizedTestParameters(read_csv, records_end_at_each_kind_of_line_end)
{
    return test_line_ends();
}

ParameterizedTest(struct test_line_end *c, read_csv, records_end_at_each_kind_of_line_end)
{
    char text[256];
    snprintf(text, sizeof text, "氏名,電話%s山田 太郎,090-0000-1234%s%s末尾,x", c->eol, c->eol,
             c->eol);
    size_t eol_len = strlen(c->eol);
    cr_assert_eq(next_in(text, 0, true), 1, "%s: header", c->label);
    cr_expect_eq(rec.next, rec.end + eol_len, "%s: the line end is skipped whole", c->label);
    cr_assert_eq(next_in(text, rec.next, true), 1, "%s: row", c->label);
    expect_field(text, 1, "090-0000-1234", c->label);
    cr_expect_eq(rec.lines, 1, "%s: an unquoted row is one line", c->label);
    cr_assert_eq(next_in(text, rec.next, true), 1, "%s: empty line", c->label);
    cr_expect_eq(rec.nfields, 1, "%s: an empty line is a record with one field", c->label);
    cr_expect_eq(rec.fields[0].start, rec.fields[0].end, "%s: that field is empty", c->label);
    cr_assert_eq(next_in(text, rec.next, true), 1, "%s: last row", c->label);
    expect_field(text, 0, "末尾", c->label);
    cr_expect_eq(rec.next, strlen(text), "%s: the last row ends at the end of input", c->label);
}

Test(read_csv, cr_at_the_end_of_available_text_waits_for_a_possible_lf)
{
    char text[32] = "a,b\r";
    cr_assert_eq(next_in(text, 0, false), 0, "a LF may still follow the CR");
    strcat(text, "\nc");
    cr_assert_eq(next_in(text, 0, false), 1, "the CRLF ends the record");
    cr_expect_eq(rec.end, 3, "content ends before the CR");
    cr_expect_eq(rec.next, 5, "the CRLF is one line end, not two");
    cr_expect_eq(next_in("a,b\r", 0, true), 1, "at end of input a CR just ends");
    cr_expect_eq(rec.next, 4, "the lone CR is the line end");
}

Test(read_csv, cr_followed_by_other_text_ends_a_record_at_once)
{
    const char *text = "a,b\rc,d\r";
    cr_assert_eq(next_in(text, 0, false), 1, "the CR before c ends a record");
    cr_expect_eq(rec.next, 4, "the next record starts at c");
    cr_expect_eq(next_in(text, rec.next, false), 0, "the final CR waits: it may be half of a CRLF");
}

Test(read_csv, end_of_input_without_a_line_end_ends_the_last_record)
{
    const char *text = "a,b\nc,d";
    cr_assert_eq(next_in(text, 0, false), 1, "first row");
    size_t second = rec.next;
    cr_expect_eq(next_in(text, second, false), 0, "more of row 2 may come");
    cr_assert_eq(next_in(text, second, true), 1, "at the end it is complete");
    expect_field(text, 1, "d", "the last field runs to the end of input");
    cr_expect_eq(rec.next, strlen(text), "nothing is left");
    cr_expect_eq(next_in(text, rec.next, true), 0, "no empty record after it");
}

/* --- rows and delimiters ------------------------------------------------------------------ */

Test(read_csv, ragged_rows_keep_their_own_field_counts)
{
    const char *text = "a,b,c\nonly\n1,2,3,4,\"5,5\"\n,\n";
    const size_t want[] = {3, 1, 5, 2};
    size_t start = 0;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_assert_eq(next_in(text, start, true), 1, "row %zu", i + 1);
        cr_expect_eq(rec.nfields, want[i], "row %zu has %zu fields", i + 1, want[i]);
        start = rec.next;
    }
    cr_expect_eq(rec.fields[0].start, rec.fields[0].end, "',' gives two empty fields");
    cr_expect_eq(next_in(text, start, true), 0, "four rows in all");
}

Test(read_csv, a_record_with_many_fields_is_read_whole)
{
    const size_t nfields = 100000;
    char *text = malloc(nfields * 2 + 1);
    cr_assert_not_null(text, "test allocation");
    for (size_t i = 0; i < nfields; i++) {
        text[2 * i] = (char)('0' + i % 10);
        text[2 * i + 1] = i + 1 < nfields ? ';' : '\n';
    }
    text[nfields * 2] = '\0';
    reopen_reader(';');
    cr_assert_eq(next_in(text, 0, false), 1, "one record");
    cr_assert_eq(rec.nfields, nfields, "every field is kept");
    cr_expect_eq(rec.fields[nfields - 1].start, 2 * (nfields - 1), "last field's place");
    cr_expect_eq(text[rec.fields[12345].start], '5', "field 12346 holds its digit");
    free(text);
}

struct delimiter_case {
    char label[16];
    char delimiter;
};

ParameterizedTestParameters(read_csv, each_delimiter_splits_and_the_others_are_text)
{
    static struct delimiter_case cases[] = {
        {"comma", ','},
        {"semicolon", ';'},
        {"pipe", '|'},
        {"tab", '\t'},
    };
    return cr_make_param_array(struct delimiter_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct delimiter_case *c, read_csv, each_delimiter_splits_and_the_others_are_text)
{
    char d = c->delimiter;
    char others[4];
    size_t k = 0;
    for (const char *p = ",;|\t"; *p != '\0'; p++) {
        if (*p != d)
            others[k++] = *p;
    }
    others[k] = '\0';
    /* Unquoted fields hold the other delimiters; the quoted one holds this one as well. */
    char text[256];
    snprintf(text, sizeof text, "山田%s%c\"%s%c\"\"\"%c鈴木%s\n", others, d, others, d, d, others);
    reopen_reader(d);
    cr_assert_eq(next_in(text, 0, false), 1, "%s: one record", c->label);
    cr_expect_eq(rec.nfields, 3, "%s: only the chosen delimiter splits", c->label);
    char want[32];
    snprintf(want, sizeof want, "山田%s", others);
    expect_field(text, 0, want, c->label);
    snprintf(want, sizeof want, "%s%c\"\"", others, d);
    expect_field(text, 1, want, c->label);
    snprintf(want, sizeof want, "鈴木%s", others);
    expect_field(text, 2, want, c->label);
}

/* --- resuming ----------------------------------------------------------------------------- */

/* Every shape above in one input, with line ends that land on chunk edges. */
static char *mixed_input(size_t *len)
{
    static const char tail[] = "a,\"b\"\"\",c\r\n"
                               "\r\n"
                               "\n"
                               "x\ry\r"
                               "\"q\r\nr\",\"s\"t,u\"v\n"
                               ",,\n"
                               "5\" floppy,\"x\"\"\"\n"
                               "\"last, unterminated\r\n";
    size_t n = strlen(rakuten) + strlen(tail);
    char *s = malloc(n + 1);
    cr_assert_not_null(s, "test allocation");
    strcpy(s, rakuten);
    strcat(s, tail);
    *len = n;
    return s;
}

Test(read_csv, one_byte_feeding_gives_the_same_records_as_the_whole_buffer)
{
    size_t len;
    char *input = mixed_input(&len);
    char *whole = read_whole(input, len, ',');
    cr_assert_gt(strlen(whole), 0, "the whole-buffer read found records");
    cr_assert(strstr(whole, " unterminated") != NULL, "the input ends inside a quote");
    char *kept = read_fed(input, len, ',', 1, false);
    cr_expect_str_eq(kept, whole, "one byte at a time, state kept across window moves");
    char *restarted = read_fed(input, len, ',', 1, true);
    cr_expect_str_eq(restarted, whole, "one byte at a time, restarted after each move");
    for (size_t step = 2; step <= 17; step += 5) {
        char *chunked = read_fed(input, len, ',', step, false);
        cr_expect_str_eq(chunked, whole, "%zu bytes at a time", step);
        free(chunked);
    }
    free(restarted);
    free(kept);
    free(whole);
    free(input);
}

Test(read_csv, a_one_megabyte_record_fed_a_byte_at_a_time_is_scanned_once)
{
    /* A quoted field with doubled quotes and CRLFs, then an unquoted one: both states. */
    const size_t n = 1u << 20;
    char *text = malloc(n + 16);
    cr_assert_not_null(text, "test allocation");
    size_t len = 0;
    size_t line_ends = 0;
    text[len++] = '"';
    while (len < n / 2) {
        const char *piece = len % 1000 < 3 ? "\r\n" : len % 97 == 0 ? "\"\"" : "あ";
        memcpy(text + len, piece, strlen(piece));
        line_ends += piece[0] == '\r';
        len += strlen(piece);
    }
    text[len++] = '"';
    text[len++] = ',';
    size_t second = len;
    for (; len < n; len++)
        text[len] = (char)('a' + len % 26);
    text[len++] = '\r';
    text[len++] = '\n';

    int rc = 0;
    size_t avail;
    size_t poisoned = 0;
    for (avail = 1; avail <= len; avail++) {
        rc = pii_csv_next(&csv, text, avail, 0, false, &rec);
        if (rc != 0)
            break;
        /* The reader resumes from pos; only a last quote or CR may be looked at again. */
        if (csv.pos + 1 < avail)
            cr_assert_fail("after %zu bytes the reader resumes at %zu: it would rescan", avail,
                           csv.pos);
        /* Against the contract, overwrite what was scanned (all but the byte before pos, which
         * tells a CRLF's LF from a lone LF) with line ends: a reader that looked back at them
         * would end the record early. This proves each byte is scanned once, without timing. */
        for (; poisoned + 1 < csv.pos; poisoned++)
            text[poisoned] = '\n';
    }
    cr_assert_eq(rc, 1, "the record completes");
    cr_expect_eq(avail, len, "it completes when its LF arrives, not earlier");
    cr_expect_eq(rec.nfields, 2, "two fields");
    cr_expect_eq(rec.fields[1].start, second, "the unquoted field starts after the comma");
    cr_expect_eq(rec.lines, line_ends + 1, "every CRLF inside the quotes counts once");
    cr_expect_eq(rec.next, len, "the record ends with the input");
    free(text);
}

Test(read_csv, a_new_record_after_restart_forgets_the_partial_one)
{
    cr_assert_eq(next_in("\"open,a", 0, false), 0, "a partial quoted record");
    pii_csv_restart(&csv);
    cr_assert_eq(next_in("x,y\n", 0, false), 1, "a new input's first record");
    cr_expect_eq(rec.nfields, 2, "read afresh, not as the rest of the quoted field");
    expect_field("x,y\n", 0, "x", "first field of the new input");
    /* Freed here and again by the suite's fini: freeing twice is harmless. */
    pii_csv_free(&csv);
}
