/* SPDX-License-Identifier: BSD-3-Clause */
/* test_stream.c - the begin/feed/finish state machine, end to end through the public API. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "piiscan.h"
#include "scan_helpers.h"

#define MAX_FOUND 64

static piiscan_scanner *sc;
static piiscan_stream *st;
static test_findings got;

static void make_stream_with(size_t max_record_bytes)
{
    sc = test_scanner_new(test_options_new(max_record_bytes));
    cr_assert_eq(piiscan_stream_new(sc, test_collect, &got, &st), PIISCAN_OK);
    got.max = MAX_FOUND;
}

static void make_stream(void)
{
    make_stream_with(0);
}

static void free_stream(void)
{
    piiscan_stream_free(st);
    piiscan_scanner_free(sc);
    test_findings_free(&got);
}

TestSuite(stream, .init = make_stream, .fini = free_stream);

static int scan_in_chunks(const char *buf, size_t len, size_t chunk, const piiscan_source *src)
{
    test_findings_clear(&got);
    return test_feed(st, buf, len, chunk, src);
}

/* Scans a NUL-terminated text in one feed. */
static int scan_whole(const char *text)
{
    return scan_in_chunks(text, strlen(text), strlen(text), NULL);
}

/* Whether one finding of `type` with text `text` was collected. */
static bool has_finding(piiscan_type type, const char *text)
{
    for (size_t i = 0; i < got.n; i++) {
        if (got.v[i].type == type && strcmp(got.v[i].text, text) == 0)
            return true;
    }
    return false;
}

static const char orders_utf8[] =
    "注文番号,お名前,電話番号,郵便番号\r\n"
    "382930-20220705-0123456789,山田太郎,03-1234-5678,〒106-0032\r\n"
    "382930-20220705-0123456790,\"佐藤, 花子\",090-8765-4321,1000001\r\n";

/* The phone of row 2 (line 2, field 3) in every encoding: offsets move, findings do not. */
struct encoded_case {
    const char *label;
    const char *iconv_name;
    const char *bom;
    size_t bom_len;
};

static const struct encoded_case encoded_cases[] = {
    {"UTF-8", "UTF-8", "", 0},
    {"UTF-8 with BOM", "UTF-8", "\xef\xbb\xbf", 3},
    {"CP932", "CP932", "", 0},
    {"EUC-JP", "EUC-JP-MS", "", 0},
    {"UTF-16LE with BOM", "UTF-16LE", "\xff\xfe", 2},
    {"UTF-16BE without BOM", "UTF-16BE", "", 0},
};

Test(stream, findings_point_at_the_original_bytes_in_every_encoding)
{
    for (size_t k = 0; k < sizeof encoded_cases / sizeof *encoded_cases; k++) {
        const struct encoded_case *c = &encoded_cases[k];
        size_t body_len;
        char *body = test_iconv(orders_utf8, strlen(orders_utf8), c->iconv_name, &body_len);
        size_t len = c->bom_len + body_len;
        char *input = malloc(len);
        memcpy(input, c->bom, c->bom_len);
        memcpy(input + c->bom_len, body, body_len);

        cr_assert_eq(scan_in_chunks(input, len, len, NULL), PIISCAN_OK, "%s: %s", c->label,
                     piiscan_stream_error(st)->text);
        const piiscan_stats *stats = piiscan_stream_stats(st);
        cr_expect_eq(stats->format, PIISCAN_FORMAT_CSV, "%s: format", c->label);
        cr_expect_eq(stats->records, 3, "%s: header + 2 rows", c->label);
        cr_expect_eq(stats->header_line, 1, "%s: header row recognised", c->label);
        cr_expect_eq(stats->has_bom, c->bom_len > 0, "%s: BOM", c->label);

        /* Where 03-1234-5678 sits in this encoding. */
        size_t phone_len;
        char *phone = test_iconv("03-1234-5678", 12, c->iconv_name, &phone_len);
        const char *hit = test_memmem(input, len, phone, phone_len);
        cr_assert_not_null(hit, "%s: fixture holds the phone", c->label);
        uint64_t phone_at = (uint64_t)(hit - input);

        bool seen = false;
        for (size_t i = 0; i < got.n; i++) {
            if (got.v[i].type != PIISCAN_TYPE_PHONE || got.v[i].start != phone_at)
                continue;
            seen = true;
            cr_expect_eq(got.v[i].end, phone_at + phone_len, "%s: end of the phone", c->label);
            cr_expect_eq(got.v[i].line, 2, "%s: line", c->label);
            cr_expect_eq(got.v[i].field, 3, "%s: field", c->label);
            cr_expect_str_eq(got.v[i].text, "03-1234-5678", "%s: text is UTF-8", c->label);
        }
        cr_expect(seen, "%s: the phone of row 2 is reported at byte %llu", c->label,
                  (unsigned long long)phone_at);
        free(phone);
        free(input);
        free(body);
    }
}

Test(stream, match_split_across_two_feeds_is_reported_once)
{
    const char *text = "連絡先: 090-1234-5678 まで\n";
    size_t len = strlen(text);
    cr_assert_eq(scan_in_chunks(text, len, len, NULL), PIISCAN_OK);
    cr_assert_eq(got.n, 1, "the whole buffer has one phone");
    uint64_t start = got.v[0].start;
    for (size_t cut = 1; cut < len; cut++) {
        test_findings_clear(&got);
        cr_assert_eq(piiscan_stream_begin(st, NULL), PIISCAN_OK);
        cr_assert_eq(piiscan_stream_feed(st, text, cut), PIISCAN_OK);
        cr_assert_eq(piiscan_stream_feed(st, text + cut, len - cut), PIISCAN_OK);
        cr_assert_eq(piiscan_stream_finish(st), PIISCAN_OK);
        cr_expect_eq(got.n, 1, "cut at %zu: found exactly once", cut);
        cr_expect_eq(got.v[0].start, start, "cut at %zu: same start", cut);
    }
}

Test(stream, one_byte_and_random_chunks_give_the_same_findings_as_one_buffer)
{
    size_t len;
    char *cp932 = test_iconv(orders_utf8, strlen(orders_utf8), "CP932", &len);
    cr_assert_eq(scan_in_chunks(cp932, len, len, NULL), PIISCAN_OK);
    test_findings whole = test_findings_take(&got);
    cr_assert_geq(whole.n, 3, "phones and postal codes of both rows");

    cr_assert_eq(scan_in_chunks(cp932, len, 1, NULL), PIISCAN_OK);
    cr_assert_eq(got.n, whole.n, "one-byte feeds: same count");
    for (size_t i = 0; i < whole.n; i++) {
        cr_expect_eq(got.v[i].start, whole.v[i].start, "one-byte feeds: finding %zu start", i);
        cr_expect_eq(got.v[i].end, whole.v[i].end, "one-byte feeds: finding %zu end", i);
    }
    srand(7);
    for (int round = 0; round < 20; round++) {
        size_t chunk = (size_t)rand() % 17 + 1;
        cr_assert_eq(scan_in_chunks(cp932, len, chunk, NULL), PIISCAN_OK);
        cr_assert_eq(got.n, whole.n, "chunks of %zu: same count", chunk);
        for (size_t i = 0; i < whole.n; i++)
            cr_expect_eq(got.v[i].start, whole.v[i].start, "chunks of %zu: finding %zu", chunk, i);
    }
    test_findings_free(&whole);
    free(cp932);
}

Test(stream, header_below_title_rows_gives_columns_their_meaning)
{
    /* Excel dropped the leading 0 of the phone column: only the header says it is a phone. */
    const char *csv = "受注一覧,2022年7月分\n"
                      "出力日,2022-08-01\n"
                      "注文番号,お名前,電話番号\n"
                      "1001,山田太郎,9012345678\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    cr_assert_eq(piiscan_stream_stats(st)->header_line, 3, "header found under two title rows");
    cr_assert(has_finding(PIISCAN_TYPE_PHONE, "9012345678"),
              "the stripped mobile number in the phone column is reported");
}

Test(stream, the_same_digits_without_a_phone_header_are_not_reported)
{
    const char *csv = "注文番号,お名前,数量\n1001,山田太郎,9012345678\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    for (size_t i = 0; i < got.n; i++)
        cr_expect_neq(got.v[i].type, PIISCAN_TYPE_PHONE, "reported %s", got.v[i].text);
}

Test(stream, lines_are_counted_across_crlf_lf_cr_and_quoted_newlines)
{
    const char *csv = "a,b\r\n"
                      "\"x\r\ny\",03-1234-5678\n"
                      "c,d\r"
                      "e,090-1234-5678\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    cr_assert_eq(got.n, 2);
    cr_expect_eq(got.v[0].line, 3, "the phone follows a quoted field that spans lines 2 and 3");
    cr_expect_eq(got.v[1].line, 5, "after a CR-only line end");
    cr_expect_eq(piiscan_stream_stats(st)->lines, 5);
    cr_expect_eq(piiscan_stream_stats(st)->records, 4);
}

Test(stream, findings_carry_their_record_and_character_column)
{
    /* UTF-8: 山田 is two characters of six bytes, so byte and character columns differ. */
    const char *csv = "名前,メモ\n"
                      "山田,\"電話\n０３-1234-5678\"\n"
                      "x,tel 090-1234-5678 / 03-9876-5432\n";
    cr_assert_eq(scan_in_chunks(csv, strlen(csv), 7, NULL), PIISCAN_OK);
    size_t phones = 0;
    for (size_t i = 0; i < got.n; i++) {
        if (got.v[i].type != PIISCAN_TYPE_PHONE)
            continue;
        phones++;
        if (strstr(got.v[i].text, "1234-5678") != NULL && got.v[i].line == 3) {
            cr_expect_eq(got.v[i].record, 2, "the quoted field that spans two lines is record 2");
            cr_expect_eq(got.v[i].column, 1, "the phone starts its physical line");
        } else if (strcmp(got.v[i].text, "090-1234-5678") == 0) {
            cr_expect_eq(got.v[i].record, 3);
            cr_expect_eq(got.v[i].column, 7, "after 'x,tel ' (six characters)");
        } else if (strcmp(got.v[i].text, "03-9876-5432") == 0) {
            cr_expect_eq(got.v[i].record, 3, "a second value of the same row, same record");
            cr_expect_eq(got.v[i].column, 23);
        } else {
            cr_assert(false, "unexpected phone %s", got.v[i].text);
        }
    }
    cr_expect_eq(phones, 3, "three phone numbers, got %zu", phones);
}

Test(stream, address_in_a_name_column_that_holds_no_name_is_still_found)
{
    /* A company in the name column is no person: no name claims the field, so the address
     * after it is looked for as in any other field. */
    const char *csv = "お名前,電話番号\n"
                      "有限会社佐藤農園 東京都港区六本木1-2-3,03-1234-5678\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    cr_expect(has_finding(PIISCAN_TYPE_ADDRESS, "東京都港区六本木1-2-3"),
              "the address in the name column is reported");
    cr_expect(has_finding(PIISCAN_TYPE_NAME, "有限会社佐藤農園 東京都港区六本木1-2-3") == false,
              "the company is no name");
}

Test(stream, name_in_an_address_column_that_holds_no_address_is_still_found)
{
    /* An address column holding an e-mail address is no address as a whole: the name before
     * it is looked for as in any other field. */
    const char *csv = "住所,電話番号\n"
                      "山田太郎様 taro@example.jp,03-1234-5678\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    cr_expect(has_finding(PIISCAN_TYPE_NAME, "山田太郎"), "the name in the address column");
    cr_expect(has_finding(PIISCAN_TYPE_EMAIL, "taro@example.jp"), "and the e-mail after it");
}

Test(stream, binary_input_is_skipped_with_a_reason)
{
    const char data[] = "\x7f"
                        "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0 03-1234-5678";
    cr_assert_eq(scan_in_chunks(data, sizeof data - 1, 4, NULL), PIISCAN_OK);
    const piiscan_stats *stats = piiscan_stream_stats(st);
    cr_assert_eq(stats->format, PIISCAN_FORMAT_BINARY);
    cr_assert_not_null(stats->skip_reason, "a skipped input says why");
    cr_assert_eq(got.n, 0, "nothing is scanned in a binary input");
}

Test(stream, workbook_is_an_error_not_a_clean_file)
{
    const char data[] = "PK\x03\x04\x14\0\0\0\x08\0";
    int rc = scan_in_chunks(data, sizeof data - 1, sizeof data - 1, NULL);
    cr_assert_eq(rc, PIISCAN_ERR_FORMAT, "the start of a zip without its directory is broken");
    cr_assert_str_neq(piiscan_stream_error(st)->text, "", "the error says what the input is");
}

Test(stream, feed_after_an_error_is_refused_until_the_next_begin)
{
    const char data[] = "PK\x03\x04\x14\0\0\0\x08\0";
    cr_assert_eq(scan_in_chunks(data, sizeof data - 1, sizeof data - 1, NULL), PIISCAN_ERR_FORMAT);
    cr_assert_eq(piiscan_stream_feed(st, "x", 1), PIISCAN_ERR_STATE);
    cr_assert_eq(piiscan_stream_finish(st), PIISCAN_ERR_STATE);
    const char *ok = "TEL 03-1234-5678\n";
    cr_assert_eq(scan_in_chunks(ok, strlen(ok), 3, NULL), PIISCAN_OK, "begin starts afresh");
    cr_assert_eq(got.n, 1);
}

Test(stream, feed_without_begin_is_refused)
{
    cr_assert_eq(piiscan_stream_feed(st, "x", 1), PIISCAN_ERR_STATE);
}

Test(stream, callback_returning_nonzero_aborts_the_scan)
{
    const char *text = "03-1234-5678\n06-1234-5678\n011-123-4567\n";
    test_findings_clear(&got);
    got.stop_after = 1;
    cr_assert_eq(piiscan_stream_begin(st, NULL), PIISCAN_OK);
    int rc = piiscan_stream_feed(st, text, strlen(text));
    if (rc == PIISCAN_OK)
        rc = piiscan_stream_finish(st);
    cr_assert_eq(rc, PIISCAN_ERR_ABORTED);
    cr_assert_eq(got.n, 1, "no finding after the callback said stop");
}

Test(stream, unterminated_quote_past_the_limit_fails_naming_its_line)
{
    free_stream();
    make_stream_with(4096);
    size_t len = 3 * 4096;
    char *csv = malloc(len);
    memset(csv, 'x', len);
    memcpy(csv, "a,b\nc,\"open", 11);
    int rc = scan_in_chunks(csv, len, 1000, NULL);
    cr_assert_eq(rc, PIISCAN_ERR_LIMIT);
    cr_assert_eq(piiscan_stream_error(st)->line, 2, "the record opened on line 2");
    cr_assert(strstr(piiscan_stream_error(st)->text, "unterminated") != NULL, "%s",
              piiscan_stream_error(st)->text);
    free(csv);
}

Test(stream, overlong_text_line_is_scanned_in_pieces)
{
    free_stream();
    make_stream_with(4096);
    size_t len = 64 * 1024;
    char *text = malloc(len);
    for (size_t i = 0; i < len; i++)
        text[i] = i % 50 == 49 ? ' ' : 'w';
    memcpy(text + 40000, " 090-1234-5678 ", 15);
    cr_assert_eq(scan_in_chunks(text, len, len, &(piiscan_source){.format = PIISCAN_FORMAT_TEXT}),
                 PIISCAN_OK, "%s", piiscan_stream_error(st)->text);
    cr_assert_eq(got.n, 1, "the phone inside a 64 KiB line is found once");
    cr_assert_eq(got.v[0].start, 40001);
    cr_assert_eq(piiscan_stream_stats(st)->split_lines, 1);
    free(text);
}

Test(stream, invalid_bytes_are_counted_and_the_rest_is_still_scanned)
{
    const char text[] = "\xe3\x81\x82\xff\xfe 03-1234-5678\n";
    cr_assert_eq(scan_in_chunks(text, sizeof text - 1, 2, NULL), PIISCAN_OK);
    cr_assert_gt(piiscan_stream_stats(st)->decode_errors, 0);
    cr_assert_eq(got.n, 1);
}

Test(stream, forced_encoding_is_used_as_given)
{
    size_t len;
    char *eucjp =
        test_iconv("電話 03-1234-5678\n", strlen("電話 03-1234-5678\n"), "EUC-JP-MS", &len);
    piiscan_source src = {.encoding = PIISCAN_ENCODING_EUCJP};
    cr_assert_eq(scan_in_chunks(eucjp, len, len, &src), PIISCAN_OK);
    cr_assert_eq(piiscan_stream_stats(st)->encoding, PIISCAN_ENCODING_EUCJP);
    cr_assert_eq(got.n, 1);
    cr_assert_eq(got.v[0].start, 5, "電話 is 4 bytes in EUC-JP, then a space");
    free(eucjp);
}

Test(stream, scan_fd_reads_a_file_to_the_end)
{
    char path[] = "/tmp/piiscan-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *text = "メール taro@example.jp\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    lseek(fd, 0, SEEK_SET);
    test_findings_clear(&got);
    cr_assert_eq(piiscan_stream_scan_fd(st, fd, NULL), PIISCAN_OK);
    close(fd);
    unlink(path);
    cr_assert_eq(got.n, 1);
    cr_assert_str_eq(got.v[0].text, "taro@example.jp");
}

Test(stream, scan_fd_on_a_bad_descriptor_is_an_io_error)
{
    cr_assert_eq(piiscan_stream_scan_fd(st, -1, NULL), PIISCAN_ERR_IO);
    cr_assert(strstr(piiscan_stream_error(st)->text, strerror(EBADF)) != NULL, "%s",
              piiscan_stream_error(st)->text);
}

/* Every reader in every encoding: the same findings (type, line, field, text), each at the
 * offset where its bytes sit in that encoding. */
struct reader_case {
    const char *label;
    const char *utf8;
    piiscan_format format;
    size_t findings;
};

static const struct reader_case reader_cases[] = {
    {"csv",
     "氏名,電話番号,メール,郵便番号\r\n"
     "山田太郎,０９０－１２３４－５６７８,taro＠example.jp,〒106-0032\r\n"
     "\"佐藤, 花子\",06-6123-4567,hanako@example.co.jp,530-0001\r\n",
     PIISCAN_FORMAT_CSV, 8},
    {"tsv",
     "氏名\t電話番号\tメール\t郵便番号\n"
     "山田太郎\t０９０－１２３４－５６７８\ttaro＠example.jp\t〒106-0032\n"
     "佐藤花子\t06-6123-4567\thanako@example.co.jp\t530-0001\n",
     PIISCAN_FORMAT_TSV, 8},
    {"text",
     "7月8日 山田太郎様より電話。連絡先は ０９０－１２３４－５６７８ です。\n"
     "メールは taro＠example.jp、住所は 〒106-0032 東京都港区六本木。\n"
     "佐藤様 TEL 06-6123-4567 hanako@example.co.jp\n",
     PIISCAN_FORMAT_TEXT, 8},
};

Test(stream, every_reader_in_every_encoding_finds_the_same_values)
{
    for (size_t r = 0; r < sizeof reader_cases / sizeof *reader_cases; r++) {
        const struct reader_case *rc = &reader_cases[r];
        test_findings reference = {0};
        for (size_t k = 0; k < sizeof encoded_cases / sizeof *encoded_cases; k++) {
            const struct encoded_case *c = &encoded_cases[k];
            size_t body_len;
            char *body = test_iconv(rc->utf8, strlen(rc->utf8), c->iconv_name, &body_len);
            size_t len = c->bom_len + body_len;
            char *input = malloc(len);
            memcpy(input, c->bom, c->bom_len);
            memcpy(input + c->bom_len, body, body_len);
            cr_assert_eq(scan_in_chunks(input, len, 7, NULL), PIISCAN_OK, "%s %s: %s", rc->label,
                         c->label, piiscan_stream_error(st)->text);
            cr_expect_eq(piiscan_stream_stats(st)->format, rc->format, "%s %s: format", rc->label,
                         c->label);
            cr_expect_eq(got.n, rc->findings, "%s %s: number of findings", rc->label, c->label);
            for (size_t i = 0; i < got.n; i++) {
                /* The reported text, written in this encoding, is what sits at the offsets. */
                size_t want_len;
                char *want =
                    test_iconv(got.v[i].text, strlen(got.v[i].text), c->iconv_name, &want_len);
                cr_expect_eq(got.v[i].end - got.v[i].start, want_len, "%s %s: length of %s",
                             rc->label, c->label, got.v[i].text);
                cr_expect(got.v[i].end <= len &&
                              memcmp(input + got.v[i].start, want, want_len) == 0,
                          "%s %s: bytes at %llu are %s", rc->label, c->label,
                          (unsigned long long)got.v[i].start, got.v[i].text);
                free(want);
            }
            if (k == 0) {
                reference = test_findings_take(&got);
            } else {
                for (size_t i = 0; i < got.n && i < reference.n; i++) {
                    cr_expect(got.v[i].type == reference.v[i].type &&
                                  got.v[i].line == reference.v[i].line &&
                                  got.v[i].field == reference.v[i].field &&
                                  strcmp(got.v[i].text, reference.v[i].text) == 0,
                              "%s %s: finding %zu is %s, in UTF-8 it is %s", rc->label, c->label, i,
                              got.v[i].text, reference.v[i].text);
                }
            }
            free(input);
            free(body);
        }
        test_findings_free(&reference);
    }
}

Test(stream, values_split_over_numbered_columns_are_found_part_by_part)
{
    /* Rakuten's layout: 電話番号1-3 and 郵便番号1-2. The second row is no phone (no 012
     * area code takes 4567-8901) and no postal code (999-9999 does not exist). */
    const char *csv = "注文番号,注文者電話番号1,注文者電話番号2,注文者電話番号3,注文者郵便番号1,"
                      "注文者郵便番号2\n"
                      "382930-20220705-0123456789,070,9347,0783,802,0001\n"
                      "382930-20220705-0123456790,012,4567,8901,999,9999\n";
    cr_assert_eq(scan_in_chunks(csv, strlen(csv), 5, NULL), PIISCAN_OK);
    cr_assert_eq(got.n, 5, "three phone parts and two postal parts in row 2 only");
    static const char *const texts[] = {"070", "9347", "0783", "802", "0001"};
    for (size_t i = 0; i < got.n; i++) {
        cr_expect_str_eq(got.v[i].text, texts[i], "part %zu", i);
        cr_expect_eq(got.v[i].field, i + 2, "part %zu is its own field", i);
        cr_expect_eq(got.v[i].type, i < 3 ? PIISCAN_TYPE_PHONE : PIISCAN_TYPE_POSTAL_CODE);
        const char *at = strstr(csv, "\n382930-20220705-0123456789,") + 28;
        cr_expect_eq(got.v[i].start, (uint64_t)(strstr(at, texts[i]) - csv), "offset of %s",
                     texts[i]);
    }
}

Test(stream, numbered_columns_of_other_meanings_are_not_joined)
{
    const char *csv = "商品番号1,商品番号2,商品番号3\n070,9347,0783\n";
    cr_assert_eq(scan_whole(csv), PIISCAN_OK);
    cr_assert_eq(got.n, 0, "product numbers that look like phone parts are not joined");
}
