/* SPDX-License-Identifier: BSD-3-Clause */
/* test_marker.c - a line or record that says piiscan:allow reports none of its findings, in
 * every encoding, and only when the option is on. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "internal.h"
#include "scan_helpers.h"

#define MAX_FOUND 32

/* Scans buf with the marker honoured or not, feeding `chunk` bytes at a time (0: whole). The
 * caller frees the findings. */
static test_findings scan(const char *buf, size_t len, bool is_honoured, size_t chunk,
                          size_t max_record, uint64_t *allowed)
{
    piiscan_options *opt = test_options_new(max_record);
    cr_assert_eq(piiscan_options_set_allow_marker(opt, is_honoured), PIISCAN_OK);
    piiscan_scanner *sc = test_scanner_new(opt);
    test_findings got = {.max = MAX_FOUND};
    piiscan_stream *st;
    cr_assert_eq(piiscan_stream_new(sc, test_collect, &got, &st), PIISCAN_OK);
    if (chunk == 0)
        chunk = len > 0 ? len : 1;
    cr_assert_eq(test_feed(st, buf, len, chunk, NULL), PIISCAN_OK, "%s",
                 piiscan_stream_error(st)->text);
    *allowed = piiscan_stream_stats(st)->allowed;
    piiscan_stream_free(st);
    piiscan_scanner_free(sc);
    return got;
}

Test(marker, found_anywhere_in_the_text_and_only_as_written)
{
    cr_assert(pii_marker_in("piiscan:allow", 13), "the marker alone");
    cr_assert(pii_marker_in("03-1234-5678 # piiscan:allow (reception)", 40), "inside a line");
    cr_assert(pii_marker_in("ppiiscan:allow", 14), "after a false start at 'p'");
    cr_assert_not(pii_marker_in("piiscan:allo", 12), "cut short");
    cr_assert_not(pii_marker_in("piiscan:allow", 12), "the length bounds the search");
    cr_assert_not(pii_marker_in("PIISCAN:ALLOW", 13), "upper case is not the marker");
    cr_assert_not(pii_marker_in("piiscan: allow", 14), "a space inside is not the marker");
    const char *wide = "ｐｉｉｓｃａｎ：ａｌｌｏｗ";
    cr_assert_not(pii_marker_in(wide, strlen(wide)), "full-width forms are not the marker");
    cr_assert_not(pii_marker_in("", 0), "empty text");
}

static const char notes_utf8[] = "代表番号 03-3456-7890 piiscan:allow\n"
                                 "担当者の携帯 090-2345-6789\n"
                                 "FAX 03-3456-7891 piiscan:allow info@example.co.jp\n"
                                 "お客様 080-1234-5678\n";

struct encoding_case {
    char iconv_name[16]; /* an array: Criterion hands parameters to another process */
};

static struct encoding_case encodings[] = {
    {"UTF-8"}, {"CP932"}, {"EUC-JP-MS"}, {"UTF-16LE"}, {"UTF-16BE"},
};

ParameterizedTestParameters(marker, marked_lines_report_nothing_in_every_encoding)
{
    return cr_make_param_array(struct encoding_case, encodings,
                               sizeof encodings / sizeof *encodings);
}

ParameterizedTest(struct encoding_case *c, marker, marked_lines_report_nothing_in_every_encoding)
{
    size_t len;
    char *text = test_iconv(notes_utf8, strlen(notes_utf8), c->iconv_name, &len);
    uint64_t allowed;
    test_findings got = scan(text, len, true, 0, 0, &allowed);
    cr_assert_eq(got.n, 2, "%s: only the phones of the unmarked lines 2 and 4", c->iconv_name);
    cr_expect_eq(got.v[0].line, 2, "%s", c->iconv_name);
    cr_expect_str_eq(got.v[0].text, "090-2345-6789", "%s", c->iconv_name);
    cr_expect_eq(got.v[1].line, 4, "%s", c->iconv_name);
    cr_expect_str_eq(got.v[1].text, "080-1234-5678", "%s", c->iconv_name);
    cr_expect_eq(allowed, 3, "%s: two phones and an e-mail address on the marked lines",
                 c->iconv_name);
    /* Fed a byte at a time, the marker and the values straddle every chunk boundary. */
    test_findings bytewise = scan(text, len, true, 1, 0, &allowed);
    cr_expect_eq(bytewise.n, 2, "%s, one byte a feed", c->iconv_name);
    cr_expect_eq(allowed, 3, "%s, one byte a feed", c->iconv_name);
    test_findings_free(&bytewise);
    test_findings_free(&got);
    free(text);
}

Test(marker, turned_off_every_line_is_reported)
{
    uint64_t allowed;
    test_findings got = scan(notes_utf8, strlen(notes_utf8), false, 0, 0, &allowed);
    cr_assert_eq(got.n, 5, "all four phones and the e-mail address");
    cr_assert_eq(allowed, 0, "nothing is left out with the option off");
    test_findings_free(&got);
}

Test(marker, covers_a_whole_csv_record_across_its_quoted_line_breaks)
{
    /* The marker is on line 3, inside the quoted note of the record that starts on line 2. */
    static const char csv[] = "氏名,電話番号,備考\n"
                              "山田 太郎,03-3456-7890,\"本社代表\n"
                              "piiscan:allow\"\n"
                              "佐藤 花子,090-2345-6789,\n";
    uint64_t allowed;
    test_findings got = scan(csv, strlen(csv), true, 0, 0, &allowed);
    cr_assert_eq(got.n, 2, "only the name and phone of the unmarked record");
    cr_expect_eq(got.v[0].line, 4);
    cr_expect_eq(got.v[1].line, 4);
    cr_expect_eq(allowed, 2, "the name and the phone of the marked record");
    test_findings_free(&got);
}

Test(marker, on_a_line_cut_into_pieces_covers_its_piece_and_those_after_it)
{
    /* A 4096-byte record limit cuts the 7000-byte line 1 into pieces: the marker near its
     * start covers the phone near its end, and not line 2. */
    size_t cap = 8192;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t n = (size_t)snprintf(text, cap, "piiscan:allow 電話 03-3456-7890 ");
    for (; n < 7000; n++)
        text[n] = n % 50 == 0 ? ' ' : 'x';
    n += (size_t)snprintf(text + n, cap - n, " 電話 090-2345-6789\n電話 080-1234-5678\n");
    uint64_t allowed;
    test_findings all = scan(text, n, false, 0, 4096, &allowed);
    cr_assert_eq(all.n, 3, "without the marker: two phones on line 1, one on line 2");
    cr_assert_eq(all.v[1].line, 1, "the second phone of line 1 is in a later piece");
    test_findings got = scan(text, n, true, 0, 4096, &allowed);
    cr_assert_eq(got.n, 1, "only the phone of line 2");
    cr_expect_eq(got.v[0].line, 2);
    cr_expect_str_eq(got.v[0].text, "080-1234-5678");
    cr_expect_eq(allowed, 2, "both phones of line 1, in its first and last pieces");
    test_findings_free(&got);
    test_findings_free(&all);
    free(text);
}

Test(marker, honoured_by_default_and_refused_without_options)
{
    piiscan_options *opt;
    cr_assert_eq(piiscan_options_new(&opt), PIISCAN_OK);
    cr_expect(opt->is_marker_honoured, "the marker works unless turned off");
    piiscan_options_free(opt);
    cr_expect_eq(piiscan_options_set_allow_marker(NULL, true), PIISCAN_ERR_INVALID);
}
