/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_read_xlsx.c - workbooks end to end through the public API. Fixtures are made here:
 * with libxlsxwriter what Excel itself writes (shared strings, numbers, hidden sheets,
 * comments, document properties), with libzip from XML strings what libxlsxwriter cannot
 * (inline strings, rich-text and phonetic runs, t="str", broken and hostile packages), and
 * an OLE2 container byte by byte. Every finding is checked against its cell's text: the bytes
 * at [start, end) of the cell text are the finding's text.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "helpers.h"
#include "piiscan.h"
#include "scan_helpers.h"
#include "xlsx_helpers.h"

#define MAX_FOUND 64

/* test_collect(), after the findings contract for workbooks. */
static int collect_cell(const piiscan_finding *f, void *user)
{
    cr_assert_not_null(f->sheet, "a workbook finding names its sheet");
    cr_assert_not_null(f->cell, "a workbook finding names its cell");
    cr_assert_eq(f->end - f->start, f->text_len, "offsets in the cell text span the value");
    return test_collect(f, user);
}

static piiscan_scanner *sc;
static piiscan_stream *st;
static test_findings got;
static char dir[64];

static void make_stream_with(size_t max_record_bytes)
{
    sc = test_scanner_new(test_options_new(max_record_bytes));
    cr_assert_eq(piiscan_stream_new(sc, collect_cell, &got, &st), PIISCAN_OK);
    got.max = MAX_FOUND;
    snprintf(dir, sizeof dir, "/tmp/piiscan-xlsx.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "a scratch directory for the fixtures");
}

static void make_stream(void)
{
    make_stream_with(0);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0, "the scratch directory is removed");
}

static void free_stream(void)
{
    piiscan_stream_free(st);
    piiscan_scanner_free(sc);
    test_findings_free(&got);
    remove_dir();
}

TestSuite(read_xlsx, .init = make_stream, .fini = free_stream);

static char *path_of(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* ------------------------------------------------------------------------------------------ */
/* Scanning                                                                                   */

static int scan_file(const char *name)
{
    test_findings_clear(&got);
    int fd = open(path_of(name), O_RDONLY);
    cr_assert_geq(fd, 0, "the fixture %s exists", name);
    piiscan_source src = {.name = name};
    int rc = piiscan_stream_scan_fd(st, fd, &src);
    close(fd);
    return rc;
}

static int scan_memory(const char *buf, size_t len, size_t chunk)
{
    test_findings_clear(&got);
    return test_feed(st, buf, len, chunk, NULL);
}

static const test_finding *find_at(const char *sheet, const char *cell)
{
    for (size_t i = 0; i < got.n; i++) {
        if (strcmp(got.v[i].sheet, sheet) == 0 && strcmp(got.v[i].cell, cell) == 0)
            return &got.v[i];
    }
    return NULL;
}

/* The finding at sheet!cell must be `value` of `type` at [start, end) of the cell text
 * `cell_text`, whose bytes there are the value: the findings contract for workbooks. */
static void expect_finding(const char *sheet, const char *cell, piiscan_type type,
                           const char *cell_text, const char *value)
{
    const test_finding *f = find_at(sheet, cell);
    cr_assert_not_null(f, "a finding at %s!%s (%s)", sheet, cell, value);
    cr_expect_eq(f->type, type, "%s!%s is a %s", sheet, cell, piiscan_type_name(type));
    cr_expect_str_eq(f->text, value, "%s!%s holds the value", sheet, cell);
    const char *at = strstr(cell_text, value);
    cr_assert_not_null(at, "the test's own cell text holds the value");
    cr_expect_eq(f->start, (uint64_t)(at - cell_text), "%s!%s starts where the value does", sheet,
                 cell);
    cr_expect_eq(f->end, f->start + strlen(value), "%s!%s ends where the value does", sheet, cell);
    cr_expect(f->end <= strlen(cell_text) &&
                  memcmp(cell_text + f->start, f->text, f->end - f->start) == 0,
              "the cell text's bytes at %s!%s [%llu, %llu) are the finding's", sheet, cell,
              (unsigned long long)f->start, (unsigned long long)f->end);
    cr_expect_eq(f->line, 0, "a workbook finding has no line");
    cr_expect_eq(f->field, 0, "a workbook finding has no field");
}

/* ------------------------------------------------------------------------------------------ */
/* Packages made with libzip from XML strings                                                 */

static char *read_fixture(const char *name, size_t *len)
{
    char *buf = test_read_file(path_of(name), len);
    cr_assert_not_null(buf, "%s is readable", name);
    return buf;
}

/* ------------------------------------------------------------------------------------------ */
/* What Excel writes: libxlsxwriter                                                           */

static void write_customer_workbook(const char *name)
{
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path_of(name), &wo);
    cr_assert_not_null(wb);
    lxw_doc_properties props = {.author = "taro.yamada@example.co.jp",
                                .manager = "jiro.suzuki@example.co.jp"};
    cr_assert_eq(workbook_set_properties(wb, &props), LXW_NO_ERROR);

    lxw_worksheet *ws = workbook_add_worksheet(wb, "顧客");
    worksheet_write_string(ws, 0, 0, "2026年11月 顧客一覧", NULL); /* title row */
    worksheet_write_string(ws, 2, 0, "氏名", NULL);                /* header below it */
    worksheet_write_string(ws, 2, 1, "電話番号", NULL);
    worksheet_write_string(ws, 2, 2, "メールアドレス", NULL);
    worksheet_write_string(ws, 3, 0, "山田 太郎", NULL);
    worksheet_write_string(ws, 3, 1, "090-1234-5678", NULL);
    worksheet_write_string(ws, 3, 2, "yamada@example.jp", NULL);
    worksheet_write_string(ws, 4, 0, "佐藤 花子", NULL);
    worksheet_write_number(ws, 4, 1, 9012345678.0, NULL); /* the leading 0 lost */
    worksheet_write_comment(ws, 4, 0, "折り返し 03-3456-7890 まで");

    lxw_worksheet *hidden = workbook_add_worksheet(wb, "控え");
    worksheet_write_string(hidden, 0, 0, "連絡先 080-2345-6789", NULL);
    worksheet_hide(hidden);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR, "libxlsxwriter writes %s", name);
}

Test(read_xlsx, every_place_libxlsxwriter_writes_is_found_with_sheet_and_cell)
{
    write_customer_workbook("customers.xlsx");
    cr_assert_eq(scan_file("customers.xlsx"), PIISCAN_OK, "scan: %s",
                 piiscan_stream_error(st)->text);
    const piiscan_stats *stats = piiscan_stream_stats(st);
    cr_expect_eq(stats->format, PIISCAN_FORMAT_XLSX);
    cr_expect_eq(stats->header_line, 3, "the header row sits below a title and a blank row");

    expect_finding("顧客", "B4", PIISCAN_TYPE_PHONE, "090-1234-5678", "090-1234-5678");
    expect_finding("顧客", "C4", PIISCAN_TYPE_EMAIL, "yamada@example.jp", "yamada@example.jp");
    expect_finding("顧客", "B5", PIISCAN_TYPE_PHONE, "9012345678", "9012345678");
    expect_finding("顧客", "comment:A5", PIISCAN_TYPE_PHONE, "折り返し 03-3456-7890 まで",
                   "03-3456-7890");
    expect_finding("控え", "A1", PIISCAN_TYPE_PHONE, "連絡先 080-2345-6789", "080-2345-6789");
    expect_finding("docProps", "creator", PIISCAN_TYPE_EMAIL, "taro.yamada@example.co.jp",
                   "taro.yamada@example.co.jp");
    expect_finding("docProps", "Manager", PIISCAN_TYPE_EMAIL, "jiro.suzuki@example.co.jp",
                   "jiro.suzuki@example.co.jp");
}

Test(read_xlsx, file_buffer_and_any_chunk_size_give_the_same_findings)
{
    write_customer_workbook("customers.xlsx");
    cr_assert_eq(scan_file("customers.xlsx"), PIISCAN_OK);
    test_findings from_file = test_findings_take(&got);
    cr_assert_gt(from_file.n, 0, "the fixture has findings to compare");
    size_t len;
    char *buf = read_fixture("customers.xlsx", &len);
    static const size_t chunks[] = {0, 1, 7, 4096, 65536};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        cr_assert_eq(scan_memory(buf, len, chunks[k]), PIISCAN_OK, "chunks of %zu: %s", chunks[k],
                     piiscan_stream_error(st)->text);
        cr_assert_eq(got.n, from_file.n, "chunks of %zu find as many as the file", chunks[k]);
        for (size_t i = 0; i < got.n; i++) {
            cr_expect_str_eq(got.v[i].cell, from_file.v[i].cell, "finding %zu's cell", i);
            cr_expect_eq(got.v[i].start, from_file.v[i].start, "finding %zu's start", i);
            cr_expect_str_eq(got.v[i].text, from_file.v[i].text, "finding %zu's value", i);
        }
    }
    test_findings_free(&from_file);
    free(buf);
}

Test(read_xlsx, comment_author_is_scanned_as_a_name_of_its_own)
{
    lxw_workbook *wb = workbook_new(path_of("author.xlsx"));
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Sheet1");
    lxw_comment_options co = {.author = "hanako@example.jp"};
    worksheet_write_comment_opt(ws, 1, 2, "確認済み", &co);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    cr_assert_eq(scan_file("author.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    /* libxlsxwriter lists an empty default author first: this one is authorId 1. */
    expect_finding("Sheet1", "comment-author:1", PIISCAN_TYPE_EMAIL, "hanako@example.jp",
                   "hanako@example.jp");
    cr_expect_null(find_at("Sheet1", "comment:C2"), "the comment's own text holds nothing");
}

/* ------------------------------------------------------------------------------------------ */
/* What libxlsxwriter cannot write                                                            */

Test(read_xlsx, inline_rich_text_and_formula_strings_are_scanned)
{
    const char *sheet =
        SHEET_OPEN "<row r=\"1\">"
                   "<c r=\"A1\" t=\"inlineStr\"><is><t>TEL 03-1234-5678</t></is></c>"
                   /* a number split over two runs of different fonts is one value */
                   "<c r=\"B1\" t=\"s\"><v>0</v></c>"
                   "<c r=\"C1\" t=\"str\"><f>A2&amp;\"\"</f><v>mail: sato@example.jp</v></c>"
                   "</row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><r><rPr><b/></rPr><t>携帯 090-12</t></r>"
                               "<r><t xml:space=\"preserve\">34-5678 </t></r></si></sst>";
    test_write_package(path_of("rich.xlsx"), sheet, sst, NULL, 0);
    cr_assert_eq(scan_file("rich.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("Orders", "A1", PIISCAN_TYPE_PHONE, "TEL 03-1234-5678", "03-1234-5678");
    expect_finding("Orders", "B1", PIISCAN_TYPE_PHONE, "携帯 090-1234-5678 ", "090-1234-5678");
    expect_finding("Orders", "C1", PIISCAN_TYPE_EMAIL, "mail: sato@example.jp", "sato@example.jp");
}

Test(read_xlsx, phonetic_reading_is_scanned_after_the_visible_text_of_its_cell)
{
    /* <rPh> holds the furigana of the characters sb..eb of the visible text; its text is
     * placed after the visible text, so offsets there start at the visible text's length. */
    const char *sheet =
        SHEET_OPEN "<row r=\"2\"><c r=\"D2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><t>連絡</t><rPh sb=\"0\" eb=\"2\"><t>r@example.jp</t></rPh>"
                               "<phoneticPr fontId=\"1\"/></si></sst>";
    test_write_package(path_of("reading.xlsx"), sheet, sst, NULL, 0);
    cr_assert_eq(scan_file("reading.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("Orders", "D2", PIISCAN_TYPE_EMAIL, "連絡r@example.jp", "r@example.jp");
    cr_expect_eq(got.v[0].start, strlen("連絡"), "the reading starts after the visible text");
}

Test(read_xlsx, excel_escapes_in_strings_are_decoded)
{
    /* _x000A_ is a line feed written the ECMA-376 way; _x0040_ an at sign. */
    const char *sheet = SHEET_OPEN "<row><c t=\"inlineStr\"><is><t>a_x000A_k_x0040_example.jp"
                                   "</t></is></c></row>" SHEET_CLOSE;
    test_write_package(path_of("escape.xlsx"), sheet, NULL, NULL, 0);
    cr_assert_eq(scan_file("escape.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("Orders", "A1", PIISCAN_TYPE_EMAIL, "a\nk@example.jp", "k@example.jp");
}

Test(read_xlsx, numbers_in_excel_form_become_plain_digits_in_a_phone_column)
{
    const char *sheet =
        SHEET_OPEN "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>氏名</t></is></c>"
                   "<c r=\"B1\" t=\"inlineStr\"><is><t>電話番号</t></is></c></row>"
                   "<row r=\"2\"><c r=\"B2\"><v>9.012345678E9</v></c></row>"
                   "<row r=\"3\"><c r=\"B3\"><v>3.3456789E8</v></c></row>" SHEET_CLOSE;
    test_write_package(path_of("numbers.xlsx"), sheet, NULL, NULL, 0);
    cr_assert_eq(scan_file("numbers.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("Orders", "B2", PIISCAN_TYPE_PHONE, "9012345678", "9012345678");
    expect_finding("Orders", "B3", PIISCAN_TYPE_PHONE, "334567890", "334567890");
}

/* ------------------------------------------------------------------------------------------ */
/* Broken and hostile packages                                                                */

static void expect_error(int rc, int code, const char *words)
{
    cr_expect_eq(rc, code, "%s (%s)", piiscan_strerror(code), piiscan_stream_error(st)->text);
    cr_expect(strstr(piiscan_stream_error(st)->text, words) != NULL, "the message says \"%s\": %s",
              words, piiscan_stream_error(st)->text);
    cr_expect_eq(piiscan_stream_feed(st, "x", 1), PIISCAN_ERR_STATE,
                 "a failed stream refuses input");
}

Test(read_xlsx, truncated_zip_is_a_format_error)
{
    write_customer_workbook("whole.xlsx");
    size_t len;
    char *buf = read_fixture("whole.xlsx", &len);
    expect_error(scan_memory(buf, len - 30, 0), PIISCAN_ERR_FORMAT, "zip");
    free(buf);
}

Test(read_xlsx, malformed_sheet_xml_names_the_part_and_the_line)
{
    const char *sheet = SHEET_OPEN "\n<row>\n<c><v>1</c></row>" SHEET_CLOSE;
    test_write_package(path_of("bad.xlsx"), sheet, NULL, NULL, 0);
    expect_error(scan_file("bad.xlsx"), PIISCAN_ERR_FORMAT,
                 "xl/worksheets/sheet1.xml: mismatched tag at line 3");
}

Test(read_xlsx, document_type_declaration_is_refused)
{
    const char *sheet = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaa\">"
                        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><worksheet>&b;</worksheet>";
    test_write_package(path_of("dtd.xlsx"), sheet, NULL, NULL, 0);
    expect_error(scan_file("dtd.xlsx"), PIISCAN_ERR_FORMAT, "document type declaration");
}

Test(read_xlsx, zip_bomb_part_is_refused_by_its_ratio)
{
    size_t n = 32u << 20; /* 32 MiB of zeros deflate to about 32 KiB */
    char *zeros = calloc(1, n);
    cr_assert_not_null(zeros);
    int zerr;
    zip_t *za = zip_open(path_of("bomb.xlsx"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za);
    const char *names[] = {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml",
                           "xl/_rels/workbook.xml.rels"};
    const char *xml[] = {test_content_types, test_root_rels, test_one_sheet_workbook,
                         test_workbook_rels};
    for (size_t i = 0; i < 4; i++)
        zip_file_add(za, names[i], zip_source_buffer(za, xml[i], strlen(xml[i]), 0), 0);
    zip_file_add(za, "xl/worksheets/sheet1.xml", zip_source_buffer(za, zeros, n, 0), 0);
    cr_assert_eq(zip_close(za), 0);
    free(zeros);
    expect_error(scan_file("bomb.xlsx"), PIISCAN_ERR_LIMIT, "xl/worksheets/sheet1.xml");
}

Test(read_xlsx, too_many_parts_is_a_limit_error)
{
    int zerr;
    zip_t *za = zip_open(path_of("many.xlsx"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za);
    for (int i = 0; i <= 10000; i++) {
        char name[32];
        snprintf(name, sizeof name, "p/%d", i);
        zip_file_add(za, name, zip_source_buffer(za, "", 0, 0), 0);
    }
    cr_assert_eq(zip_close(za), 0);
    expect_error(scan_file("many.xlsx"), PIISCAN_ERR_LIMIT, "parts");
}

Test(read_xlsx, cell_longer_than_the_record_limit_is_a_limit_error)
{
    free_stream();
    make_stream_with(4096);
    char *sheet = malloc(8192);
    cr_assert_not_null(sheet);
    int n = snprintf(sheet, 8192, "%s<row><c t=\"inlineStr\"><is><t>", SHEET_OPEN);
    memset(sheet + n, 'x', 5000);
    snprintf(sheet + n + 5000, 8192 - (size_t)n - 5000, "</t></is></c></row>%s", SHEET_CLOSE);
    test_write_package(path_of("long.xlsx"), sheet, NULL, NULL, 0);
    free(sheet);
    expect_error(scan_file("long.xlsx"), PIISCAN_ERR_LIMIT, "longer than 4096 bytes");
}

Test(read_xlsx, shared_string_index_out_of_range_is_a_format_error)
{
    const char *sheet = SHEET_OPEN "<row><c r=\"A1\" t=\"s\"><v>5</v></c></row>" SHEET_CLOSE;
    test_write_package(path_of("index.xlsx"), sheet, SST_OPEN "<si><t>a</t></si></sst>", NULL, 0);
    expect_error(scan_file("index.xlsx"), PIISCAN_ERR_FORMAT, "shared string 5");
}

Test(read_xlsx, zip_without_a_workbook_is_skipped_with_a_reason)
{
    int zerr;
    zip_t *za = zip_open(path_of("plain.zip"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za);
    const char *text = "TEL 03-1234-5678\n";
    zip_file_add(za, "notes.txt", zip_source_buffer(za, text, strlen(text), 0), 0);
    cr_assert_eq(zip_close(za), 0);
    cr_assert_eq(scan_file("plain.zip"), PIISCAN_OK, "%s", piiscan_stream_error(st)->text);
    cr_expect_eq(piiscan_stream_stats(st)->format, PIISCAN_FORMAT_BINARY);
    cr_expect_not_null(piiscan_stream_stats(st)->skip_reason, "a skipped input says why");
}

/* A minimal OLE2 container ([MS-CFB]): header, one FAT sector, one directory sector holding
 * the root and the streams named. */
static char *make_cfb(const char *const *streams, size_t n, size_t *len)
{
    *len = 3 * 512;
    unsigned char *b = calloc(1, *len);
    cr_assert_not_null(b);
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(b, magic, 8);
    b[0x18] = 0x3E;                 /* minor version */
    b[0x1A] = 3;                    /* major version: 512-byte sectors */
    b[0x1C] = 0xFE, b[0x1D] = 0xFF; /* byte order */
    b[0x1E] = 9;                    /* sector shift */
    b[0x20] = 6;                    /* mini sector shift */
    b[0x2C] = 1;                    /* FAT sectors */
    b[0x30] = 1;                    /* first directory sector */
    memset(b + 0x3C, 0xFF, 4);      /* no mini FAT */
    b[0x39] = 0x10;                 /* mini stream cutoff 4096 */
    memset(b + 0x44, 0xFF, 4);      /* no DIFAT sectors */
    memset(b + 0x4C, 0xFF, 4 * 109);
    memset(b + 0x4C, 0, 4); /* FAT in sector 0 */
    unsigned char *fat = b + 512;
    memset(fat, 0xFF, 512);
    static const unsigned char fatsect[4] = {0xFD, 0xFF, 0xFF, 0xFF};
    static const unsigned char end[4] = {0xFE, 0xFF, 0xFF, 0xFF};
    memcpy(fat, fatsect, 4);
    memcpy(fat + 4, end, 4);
    unsigned char *d = b + 1024;
    const char *names[4] = {"Root Entry", NULL, NULL, NULL};
    for (size_t i = 0; i < n && i < 3; i++)
        names[i + 1] = streams[i];
    for (size_t e = 0; e < 4 && names[e] != NULL; e++) {
        unsigned char *entry = d + 128 * e;
        size_t k = strlen(names[e]);
        for (size_t i = 0; i < k; i++)
            entry[2 * i] = (unsigned char)names[e][i];
        entry[0x40] = (unsigned char)(2 * (k + 1));
        entry[0x42] = e == 0 ? 5 : 2;
    }
    return (char *)b;
}

Test(read_xlsx, encrypted_workbook_is_an_error_never_clean)
{
    const char *streams[] = {"EncryptionInfo", "EncryptedPackage"};
    size_t len;
    char *cfb = make_cfb(streams, 2, &len);
    expect_error(scan_memory(cfb, len, 100), PIISCAN_ERR_UNSUPPORTED,
                 "encrypted workbook: cannot scan");
    free(cfb);
}

Test(read_xlsx, legacy_xls_is_reported_unsupported)
{
    const char *streams[] = {"Workbook"};
    size_t len;
    char *cfb = make_cfb(streams, 1, &len);
    expect_error(scan_memory(cfb, len, 0), PIISCAN_ERR_UNSUPPORTED, "legacy .xls workbook");
    free(cfb);
}

Test(read_xlsx, ole2_container_with_a_broken_directory_is_an_error)
{
    const char *streams[] = {"Workbook"};
    size_t len;
    char *cfb = make_cfb(streams, 1, &len);
    expect_error(scan_memory(cfb, 1000, 0), PIISCAN_ERR_UNSUPPORTED, "directory");
    free(cfb);
}

Test(read_xlsx, header_of_one_sheet_does_not_carry_over_to_the_next)
{
    lxw_workbook *wb = workbook_new(path_of("two.xlsx"));
    lxw_worksheet *first = workbook_add_worksheet(wb, "Orders");
    worksheet_write_string(first, 0, 0, "氏名", NULL);
    worksheet_write_string(first, 0, 1, "電話番号", NULL);
    worksheet_write_number(first, 1, 1, 9012345678.0, NULL);
    lxw_worksheet *second = workbook_add_worksheet(wb, "Stock");
    worksheet_write_string(second, 0, 0, "商品名", NULL);
    worksheet_write_string(second, 0, 1, "在庫", NULL);
    worksheet_write_number(second, 1, 1, 9012345678.0, NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    cr_assert_eq(scan_file("two.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("Orders", "B2", PIISCAN_TYPE_PHONE, "9012345678", "9012345678");
    cr_expect_null(find_at("Stock", "B2"),
                   "a bare number under a header that is not a phone's is no phone");
    cr_expect_eq(piiscan_stream_stats(st)->records, 4, "two rows in each sheet");
    cr_expect_eq(piiscan_stream_stats(st)->fields, 6, "cells with text: 2 + 1 in each sheet");
}

static int stop_at_first(const piiscan_finding *f, void *user)
{
    (void)f;
    int *calls = user;
    return ++*calls > 0;
}

Test(read_xlsx, callback_can_stop_a_workbook_scan)
{
    write_customer_workbook("customers.xlsx");
    int calls = 0;
    piiscan_stream *stopping;
    cr_assert_eq(piiscan_stream_new(sc, stop_at_first, &calls, &stopping), PIISCAN_OK);
    int fd = open(path_of("customers.xlsx"), O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_expect_eq(piiscan_stream_scan_fd(stopping, fd, NULL), PIISCAN_ERR_ABORTED);
    cr_expect_eq(calls, 1, "no finding is delivered after the callback said stop");
    close(fd);
    piiscan_stream_free(stopping);
}

Test(read_xlsx, giant_attribute_is_a_limit_error_not_a_memory_hog)
{
    /* Stored, not deflated, so that the ratio limit does not see it first. */
    size_t n = (size_t)17 << 20;
    char *sheet = malloc(n + 64);
    cr_assert_not_null(sheet);
    int head = snprintf(sheet, 64, "<worksheet a=\"");
    memset(sheet + head, 'x', n);
    strcpy(sheet + head + n, "\"/>");
    int zerr;
    zip_t *za = zip_open(path_of("token.xlsx"), ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za);
    const char *names[] = {"_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                           "xl/worksheets/sheet1.xml"};
    const char *xml[] = {test_root_rels, test_one_sheet_workbook, test_workbook_rels, sheet};
    for (size_t i = 0; i < 4; i++) {
        zip_int64_t at =
            zip_file_add(za, names[i], zip_source_buffer(za, xml[i], strlen(xml[i]), 0), 0);
        cr_assert_geq(at, 0);
        cr_assert_eq(zip_set_file_compression(za, (zip_uint64_t)at, ZIP_CM_STORE, 0), 0);
    }
    cr_assert_eq(zip_close(za), 0);
    free(sheet);
    expect_error(scan_file("token.xlsx"), PIISCAN_ERR_LIMIT, "longer than 16 MiB");
}

Test(read_xlsx, workbook_fed_in_chunks_is_held_only_up_to_its_limit)
{
    size_t chunk = (size_t)1 << 20;
    char *buf = calloc(1, chunk);
    cr_assert_not_null(buf);
    memcpy(buf, "PK\x03\x04", 4);
    cr_assert_eq(piiscan_stream_begin(st, NULL), PIISCAN_OK);
    int rc = PIISCAN_OK;
    size_t fed = 0;
    for (; rc == PIISCAN_OK && fed <= (size_t)80 << 20; fed += chunk) {
        rc = piiscan_stream_feed(st, buf, chunk);
        buf[0] = 0;
    }
    free(buf);
    cr_expect_eq(fed, (size_t)65 << 20, "the 65th MiB is refused");
    expect_error(rc, PIISCAN_ERR_LIMIT, "scan it from a file");
}

Test(read_xlsx, threaded_comment_text_is_scanned_with_its_cell)
{
    /* Excel 365 keeps a comment thread in xl/threadedComments/ (plain text, no _x escapes). */
    static const char sheet_rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.microsoft.com/office/2017/10/"
        "relationships/threadedComment\" Target=\"../threadedComments/threadedComment1.xml\"/>"
        "</Relationships>";
    static const char threaded[] =
        "<ThreadedComments "
        "xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\">"
        "<threadedComment ref=\"C3\" personId=\"{0}\" id=\"{1}\"><text>済 k_x0040_ex.jp "
        "mail: hanako@example.jp</text></threadedComment></ThreadedComments>";
    const test_part extra[] = {{"xl/worksheets/_rels/sheet1.xml.rels", sheet_rels, 0},
                               {"xl/threadedComments/threadedComment1.xml", threaded, 0}};
    test_write_package(path_of("thread.xlsx"), SHEET_OPEN SHEET_CLOSE, NULL, extra, 2);
    cr_assert_eq(scan_file("thread.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    cr_expect_eq(got.n, 1, "the escape is no at sign here: one address only");
    expect_finding("Orders", "threaded-comment:C3", PIISCAN_TYPE_EMAIL,
                   "済 k_x0040_ex.jp mail: hanako@example.jp", "hanako@example.jp");
}

Test(read_xlsx, threaded_comment_persons_are_scanned)
{
    /* Excel 365 names the author of a threaded comment in xl/persons/person.xml. */
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"http://schemas.microsoft.com/office/2017/10/"
        "relationships/person\" Target=\"persons/person.xml\"/></Relationships>";
    static const char persons[] =
        "<personList "
        "xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\">"
        "<person displayName=\"山田 太郎\" id=\"{0}\" userId=\"S::t.yamada@example.co.jp::1\" "
        "providerId=\"AD\"/></personList>";
    const test_part extra[] = {{"xl/_rels/workbook.xml.rels", rels, 0},
                               {"xl/persons/person.xml", persons, 0}};
    test_write_package(path_of("persons.xlsx"), SHEET_OPEN SHEET_CLOSE, NULL, extra, 2);
    cr_assert_eq(scan_file("persons.xlsx"), PIISCAN_OK, "scan: %s", piiscan_stream_error(st)->text);
    expect_finding("persons", "person:0:userId", PIISCAN_TYPE_EMAIL, "S::t.yamada@example.co.jp::1",
                   "t.yamada@example.co.jp");
}
