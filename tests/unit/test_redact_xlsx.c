/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_redact_xlsx.c - redaction of workbooks through the public API, checked from outside:
 * the parts of the output are compared with libzip (compressed bytes and CRC of every part
 * not rewritten), the cell texts of both are read back through the reader (every cell that
 * was not redacted must read as before), the output is scanned again, and the rewritten XML
 * is compared with what ECMA-376 says it must be. Workbooks are made here: libxlsxwriter for
 * what Excel writes (shared strings, styles, formulas, merged cells, an image, comments,
 * properties), libzip from XML strings (xlsx_helpers.h) for inline strings, rich text,
 * phonetic runs, numbers, persons and hostile packages.
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
#include "internal.h"
#include "piiscan.h"
#include "redact.h"
#include "scan_helpers.h"
#include "xlsx_helpers.h"

static piiscan_scanner *sc;
static char dir[64];

static void setup(void)
{
    sc = test_scanner_new(test_options_new(0));
    snprintf(dir, sizeof dir, "/tmp/piiscan-redact-xlsx.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "a scratch directory for the fixtures");
}

static void teardown(void)
{
    piiscan_scanner_free(sc);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0, "the scratch directory is removed");
}

TestSuite(redact_xlsx, .init = setup, .fini = teardown);

static const char *path_of(const char *name)
{
    static char path[4][128];
    static int next;
    next = (next + 1) % 4;
    snprintf(path[next], sizeof path[next], "%s/%s", dir, name);
    return path[next];
}

static piiscan_redactor *make_redactor(piiscan_mask mask)
{
    piiscan_redact_options *ro;
    cr_assert_eq(piiscan_redact_options_new(&ro), PIISCAN_OK);
    cr_assert_eq(piiscan_redact_options_set_mask(ro, mask), PIISCAN_OK);
    static const unsigned char key[32] = "a test key of thirty-two bytes.";
    cr_assert_eq(piiscan_redact_options_set_token_key(ro, key, sizeof key), PIISCAN_OK);
    piiscan_redactor *rd;
    piiscan_error err;
    cr_assert_eq(piiscan_redactor_new(sc, ro, &rd, &err), PIISCAN_OK, "redactor: %s", err.text);
    piiscan_redact_options_free(ro);
    return rd;
}

static const char *why(const piiscan_redactor *rd)
{
    return piiscan_redactor_error(rd)->text;
}

/* Pass 1, pass 2 to a new file (0600) and verification, as the CLI runs them. */
static int redact_file(piiscan_redactor *rd, const char *in, const char *out)
{
    int fd = open(path_of(in), O_RDONLY);
    cr_assert_geq(fd, 0, "%s exists", in);
    const piiscan_source src = {.name = in};
    int rc = piiscan_redactor_scan_fd(rd, fd, &src);
    if (rc == PIISCAN_OK) {
        int ofd = open(path_of(out), O_RDWR | O_CREAT | O_TRUNC, 0600);
        cr_assert_geq(ofd, 0, "%s can be made", out);
        rc = piiscan_redactor_write_to_fd(rd, fd, ofd);
        if (rc == PIISCAN_OK && lseek(ofd, 0, SEEK_SET) == 0)
            rc = piiscan_redactor_verify_fd(rd, fd, ofd);
        close(ofd);
    }
    close(fd);
    return rc;
}

static void redact_ok(piiscan_mask mask, const char *in, const char *out)
{
    piiscan_redactor *rd = make_redactor(mask);
    cr_assert_eq(redact_file(rd, in, out), PIISCAN_OK, "%s redacted and verified: %s", in, why(rd));
    cr_expect_eq(piiscan_redactor_stats(rd)->format, PIISCAN_FORMAT_XLSX);
    piiscan_redactor_free(rd);
}

/* The inflated bytes of one part, NUL-terminated. */
static char *read_part(const char *name, const char *part)
{
    int zerr;
    zip_t *za = zip_open(path_of(name), ZIP_RDONLY, &zerr);
    cr_assert_not_null(za, "%s opens", name);
    zip_stat_t st;
    cr_assert_eq(zip_stat(za, part, 0, &st), 0, "%s holds %s", name, part);
    char *buf = malloc(st.size + 1);
    cr_assert_not_null(buf);
    zip_file_t *zf = zip_fopen(za, part, 0);
    cr_assert_not_null(zf);
    cr_assert_eq(zip_fread(zf, buf, st.size), (zip_int64_t)st.size, "%s reads whole", part);
    buf[st.size] = '\0';
    zip_fclose(zf);
    zip_discard(za);
    return buf;
}

static void expect_part_has(const char *name, const char *part, const char *xml, const char *what)
{
    char *text = read_part(name, part);
    cr_expect(strstr(text, xml) != NULL, "%s: %s\n  expected: %s\n  in: %s", part, what, xml, text);
    free(text);
}

static bool is_listed(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return true;
    return false;
}

/* The output has the original's parts in their order; each part not listed is the original's
 * byte for byte (method, CRC, sizes and compressed bytes), each listed part was rewritten. */
static void expect_only_rewritten(const char *in, const char *out, const char *const *rewritten,
                                  size_t n)
{
    int zerr;
    zip_t *a = zip_open(path_of(in), ZIP_RDONLY, &zerr);
    zip_t *b = zip_open(path_of(out), ZIP_RDONLY, &zerr);
    cr_assert(a != NULL && b != NULL, "both packages open");
    zip_int64_t na = zip_get_num_entries(a, 0);
    cr_assert_eq(zip_get_num_entries(b, 0), na, "as many parts as the original");
    size_t seen = 0;
    for (zip_int64_t i = 0; i < na; i++) {
        const char *name = zip_get_name(a, (zip_uint64_t)i, 0);
        cr_assert_str_eq(zip_get_name(b, (zip_uint64_t)i, 0), name, "part %lld in its place",
                         (long long)i);
        zip_stat_t sa;
        zip_stat_t sb;
        cr_assert_eq(zip_stat_index(a, (zip_uint64_t)i, 0, &sa), 0);
        cr_assert_eq(zip_stat_index(b, (zip_uint64_t)i, 0, &sb), 0);
        if (is_listed(name, rewritten, n)) {
            seen++;
            cr_expect_neq(sa.crc, sb.crc, "%s holds personal data: it is rewritten", name);
            continue;
        }
        cr_expect(sa.crc == sb.crc && sa.comp_size == sb.comp_size && sa.size == sb.size &&
                      sa.comp_method == sb.comp_method,
                  "%s is copied: same CRC, sizes and method", name);
        zip_file_t *fa = zip_fopen_index(a, (zip_uint64_t)i, ZIP_FL_COMPRESSED);
        zip_file_t *fb = zip_fopen_index(b, (zip_uint64_t)i, ZIP_FL_COMPRESSED);
        cr_assert(fa != NULL && fb != NULL);
        char *da = malloc(sa.comp_size + 1);
        char *db = malloc(sa.comp_size + 1);
        cr_assert(da != NULL && db != NULL);
        cr_expect_eq(zip_fread(fa, da, sa.comp_size), (zip_int64_t)sa.comp_size);
        cr_expect_eq(zip_fread(fb, db, sa.comp_size), (zip_int64_t)sa.comp_size);
        cr_expect(memcmp(da, db, sa.comp_size) == 0, "%s: the compressed bytes are the same", name);
        free(da);
        free(db);
        zip_fclose(fa);
        zip_fclose(fb);
    }
    cr_expect_eq(seen, n, "every part expected to be rewritten is in the package");
    zip_discard(a);
    zip_discard(b);
}

/* ------------------------------------------------------------------------------------------ */
/* Every text of a workbook, read back through the reader (units without detection)           */

typedef struct text_unit {
    char sheet[64];
    char ref[48];
    bool is_reading;
    char *text;
} text_unit;

typedef struct text_units {
    text_unit *v;
    size_t n;
    size_t cap;
} text_units;

static int keep_units(void *user, const char *sheet, const pii_cell *cells, size_t n)
{
    text_units *t = user;
    for (size_t i = 0; i < n; i++) {
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 64;
            t->v = realloc(t->v, t->cap * sizeof *t->v);
            cr_assert_not_null(t->v);
        }
        text_unit *u = &t->v[t->n++];
        snprintf(u->sheet, sizeof u->sheet, "%s", sheet);
        snprintf(u->ref, sizeof u->ref, "%s", cells[i].ref);
        u->is_reading = cells[i].is_reading;
        u->text = strndup(cells[i].text, cells[i].len);
        cr_assert_not_null(u->text);
    }
    return PIISCAN_OK;
}

static int no_findings(const piiscan_finding *f, void *user)
{
    (void)f;
    (void)user;
    return 0;
}

static void read_texts(const char *name, text_units *out)
{
    memset(out, 0, sizeof *out);
    piiscan_stream *st;
    cr_assert_eq(piiscan_stream_new(sc, no_findings, NULL, &st), PIISCAN_OK);
    pii_stream_set_units_hook(st, keep_units, out, false);
    int fd = open(path_of(name), O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(piiscan_stream_scan_fd(st, fd, NULL), PIISCAN_OK, "%s reads back: %s", name,
                 piiscan_stream_error(st)->text);
    close(fd);
    piiscan_stream_free(st);
}

static void free_texts(text_units *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
}

/* The output has the same texts in the same places; those at the places listed
 * ("Sheet!A1") differ from the original's, every other one is the original's. */
static void expect_texts(const char *in, const char *out, const char *const *redacted, size_t n)
{
    text_units a;
    text_units b;
    read_texts(in, &a);
    read_texts(out, &b);
    cr_assert_eq(b.n, a.n, "as many texts as the original");
    size_t differ = 0;
    for (size_t i = 0; i < a.n; i++) {
        char place[128];
        snprintf(place, sizeof place, "%s!%s", a.v[i].sheet, a.v[i].ref);
        cr_assert_str_eq(b.v[i].sheet, a.v[i].sheet, "text %zu in its sheet", i);
        cr_assert_str_eq(b.v[i].ref, a.v[i].ref, "text %zu in its place", i);
        cr_expect_eq(b.v[i].is_reading, a.v[i].is_reading);
        if (is_listed(place, redacted, n)) {
            differ += strcmp(a.v[i].text, b.v[i].text) != 0;
            cr_expect_str_neq(b.v[i].text, a.v[i].text, "%s is redacted", place);
        } else {
            cr_expect_str_eq(b.v[i].text, a.v[i].text, "%s reads as before", place);
        }
    }
    cr_expect_geq(differ, n, "every place expected redacted was seen");
    free_texts(&a);
    free_texts(&b);
}

typedef struct hits {
    size_t n;
    char where[16][96];
} hits;

static int count_finding(const piiscan_finding *f, void *user)
{
    hits *h = user;
    if (h->n < 16)
        snprintf(h->where[h->n], sizeof h->where[0], "%s!%s %.*s", f->sheet, f->cell,
                 (int)f->text_len, f->text);
    h->n++;
    return 0;
}

static hits scan_findings(const char *name)
{
    hits h = {0};
    piiscan_stream *st;
    cr_assert_eq(piiscan_stream_new(sc, count_finding, &h, &st), PIISCAN_OK);
    int fd = open(path_of(name), O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(piiscan_stream_scan_fd(st, fd, NULL), PIISCAN_OK, "%s scans", name);
    close(fd);
    piiscan_stream_free(st);
    return h;
}

/* ------------------------------------------------------------------------------------------ */
/* What Excel writes: libxlsxwriter                                                           */

/* A 1x1 PNG, for a part that must come through untouched. */
static const unsigned char png[] = {
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00,
    0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82};

/* A customer list as Excel keeps one: a title row, a bold header, names, phones (one typed
 * as a number, which loses its leading 0, in a style of its own), e-mail addresses, a
 * formula, a merged note, a column width, an image, a comment, an author, and a hidden
 * sheet; and text that is no one's, to stay as it is. */
static void write_customers(const char *name)
{
    lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = dir};
    lxw_workbook *wb = workbook_new_opt(path_of(name), &wo);
    cr_assert_not_null(wb);
    lxw_doc_properties props = {.author = "taro.yamada@example.co.jp", .title = "顧客一覧"};
    cr_assert_eq(workbook_set_properties(wb, &props), LXW_NO_ERROR);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *phone = workbook_add_format(wb);
    format_set_num_format(phone, "0##-####-####");

    lxw_worksheet *ws = workbook_add_worksheet(wb, "顧客");
    worksheet_set_column(ws, 0, 0, 24, NULL);
    worksheet_write_string(ws, 0, 0, "2026年11月 顧客一覧", NULL);
    worksheet_write_string(ws, 2, 0, "氏名", bold);
    worksheet_write_string(ws, 2, 1, "電話番号", bold);
    worksheet_write_string(ws, 2, 2, "メールアドレス", bold);
    worksheet_write_string(ws, 2, 3, "ランク", bold);
    worksheet_write_string(ws, 3, 0, "山田 太郎", NULL);
    worksheet_write_string(ws, 3, 1, "090-1234-5678", NULL);
    worksheet_write_string(ws, 3, 2, "yamada@example.jp", NULL);
    worksheet_write_string(ws, 3, 3, "ゴールド", NULL);
    worksheet_write_string(ws, 4, 0, "佐藤 花子", NULL);
    worksheet_write_number(ws, 4, 1, 9012345678.0, phone);
    worksheet_write_string(ws, 4, 3, "シルバー", NULL);
    worksheet_write_formula(ws, 5, 3, "=COUNTA(D4:D5)", NULL);
    worksheet_merge_range(ws, 1, 0, 1, 3, "備考: 月末締め", NULL); /* above the header */
    worksheet_write_comment(ws, 4, 0, "折り返し 03-3456-7890 まで");
    cr_assert_eq(worksheet_insert_image_buffer(ws, 8, 0, png, sizeof png), LXW_NO_ERROR);

    lxw_worksheet *hidden = workbook_add_worksheet(wb, "控え");
    worksheet_write_string(hidden, 0, 0, "連絡先 080-2345-6789", NULL);
    worksheet_write_string(hidden, 1, 0, "在庫表", NULL);
    worksheet_hide(hidden);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR, "libxlsxwriter writes %s", name);
}

/* What the scanner finds in write_customers' workbook, by place. */
static const char *const customer_places[] = {
    "docProps!creator", "docProps!lastModifiedBy", "顧客!A4", "顧客!B4", "顧客!C4", "顧客!A5",
    "顧客!B5",          "顧客!comment:A5",         "控え!A1",
};

Test(redact_xlsx, every_part_without_personal_data_is_copied_byte_for_byte)
{
    write_customers("customers.xlsx");
    redact_ok(PIISCAN_MASK_FULL, "customers.xlsx", "out.xlsx");
    /* The strings, the sheet with the number, the comment and the author. The styles, the
     * workbook, the hidden sheet (its text is a shared string), the drawing, the image, the
     * theme and the relationships are the original's. */
    static const char *const rewritten[] = {"xl/sharedStrings.xml", "xl/worksheets/sheet1.xml",
                                            "xl/comments1.xml", "docProps/core.xml"};
    expect_only_rewritten("customers.xlsx", "out.xlsx", rewritten, 4);
}

Test(redact_xlsx, every_other_cell_reads_as_before_and_a_new_scan_finds_nothing)
{
    write_customers("customers.xlsx");
    hits before = scan_findings("customers.xlsx");
    cr_assert_eq(before.n, sizeof customer_places / sizeof customer_places[0],
                 "the fixture has the findings the test lists: %s | %s | %s | %s | %s | %s | %s | "
                 "%s | %s | %s",
                 before.where[0], before.where[1], before.where[2], before.where[3],
                 before.where[4], before.where[5], before.where[6], before.where[7],
                 before.where[8], before.where[9]);
    redact_ok(PIISCAN_MASK_FULL, "customers.xlsx", "out.xlsx");
    expect_texts("customers.xlsx", "out.xlsx", customer_places,
                 sizeof customer_places / sizeof customer_places[0]);
    hits after = scan_findings("out.xlsx");
    cr_expect_eq(after.n, 0, "a full mask leaves nothing to find (first: %s)", after.where[0]);
}

Test(redact_xlsx, styles_formulas_merged_cells_and_widths_survive)
{
    write_customers("customers.xlsx");
    redact_ok(PIISCAN_MASK_FULL, "customers.xlsx", "out.xlsx");
    static const char *const kept[] = {
        "<col min=\"1\" max=\"1\" width=\"24.7109375\" customWidth=\"1\"/>",
        "<f>COUNTA(D4:D5)</f>",
        "<mergeCells count=\"1\"><mergeCell ref=\"A2:D2\"/></mergeCells>",
        "<drawing r:id=\"rId1\"/><legacyDrawing r:id=\"rId2\"/>",
        "<c r=\"A3\" s=\"1\" t=\"s\"><v>1</v></c>",
    };
    char *was = read_part("customers.xlsx", "xl/worksheets/sheet1.xml");
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++) {
        cr_assert(strstr(was, kept[i]) != NULL, "the fixture has %s: %s", kept[i],
                  strstr(was, "</sheetData>"));
        expect_part_has("out.xlsx", "xl/worksheets/sheet1.xml", kept[i], "kept as it was");
    }
    free(was);
    /* The number keeps its style (s="2": the phone format), now as text. */
    expect_part_has("out.xlsx", "xl/worksheets/sheet1.xml",
                    "<c r=\"B5\" s=\"2\" t=\"inlineStr\"><is><t>**********</t></is></c>",
                    "the number's mask as an inline string in its style");
}

/* ------------------------------------------------------------------------------------------ */
/* What libxlsxwriter cannot write: libzip from XML strings                                   */

#define HEADER_ROW                                                        \
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>氏名</t></is></c>" \
    "<c r=\"B1\" t=\"inlineStr\"><is><t>電話番号</t></is></c>"        \
    "<c r=\"C1\" t=\"inlineStr\"><is><t>備考</t></is></c>"              \
    "<c r=\"D1\" t=\"inlineStr\"><is><t>商品コード</t></is></c></row>"

Test(redact_xlsx, inline_string_is_masked_where_it_stands)
{
    const char *sheet = SHEET_OPEN HEADER_ROW
        "<row r=\"2\"><c r=\"C2\" s=\"3\" t=\"inlineStr\"><is><t>TEL 03-1234-5678</t></is></c>"
        "<c r=\"D2\" t=\"inlineStr\"><is><t>A-100</t></is></c></row>" SHEET_CLOSE;
    test_write_package(path_of("inline.xlsx"), sheet, NULL, NULL, 0);
    redact_ok(PIISCAN_MASK_FULL, "inline.xlsx", "out.xlsx");
    expect_part_has("out.xlsx", "xl/worksheets/sheet1.xml",
                    "<c r=\"C2\" s=\"3\" t=\"inlineStr\"><is><t>TEL ************</t></is></c>"
                    "<c r=\"D2\" t=\"inlineStr\"><is><t>A-100</t></is></c>",
                    "the number masked inside its <t>, the tag and the next cell untouched");
}

Test(redact_xlsx, value_across_rich_text_runs_is_masked_in_each_run_keeping_its_format)
{
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>携帯 090-12</t></r>"
                               "<r><rPr><i/></rPr><t xml:space=\"preserve\">34-5678 まで</t></r>"
                               "</si></sst>";
    test_write_package(path_of("rich.xlsx"), sheet, sst, NULL, 0);
    redact_ok(PIISCAN_MASK_FULL, "rich.xlsx", "out.xlsx");
    /* 090-12 | 34-5678: six characters masked in the bold run, seven in the italic one. */
    expect_part_has("out.xlsx", "xl/sharedStrings.xml",
                    "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>携帯 ******</t></r>"
                    "<r><rPr><i/></rPr><t xml:space=\"preserve\">******* まで</t></r></si>",
                    "each run masked where the value is, its <rPr> untouched");
}

/* 山田 太郎 under 氏名 with its furigana: ヤマダ over 山田 (characters 0-2), タロウ over 太郎. */
static const char reading_sst[] =
    SST_OPEN "<si><t>山田 太郎</t><rPh sb=\"0\" eb=\"2\"><t>ヤマダ</t></rPh>"
             "<rPh sb=\"3\" eb=\"5\"><t>タロウ</t></rPh><phoneticPr fontId=\"1\"/></si></sst>";

Test(redact_xlsx, furigana_of_a_masked_name_is_masked_too)
{
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    test_write_package(path_of("furigana.xlsx"), sheet, reading_sst, NULL, 0);
    redact_ok(PIISCAN_MASK_FULL, "furigana.xlsx", "out.xlsx");
    /* A reading of a name is the name: every kana of both readings becomes a wide mask, and
     * sb/eb still point at the same characters, as a full mask keeps the length. */
    expect_part_has("out.xlsx", "xl/sharedStrings.xml",
                    "<si><t>＊＊*＊＊</t><rPh sb=\"0\" eb=\"2\"><t>＊＊＊</t></rPh>"
                    "<rPh sb=\"3\" eb=\"5\"><t>＊＊＊</t></rPh><phoneticPr fontId=\"1\"/></si>",
                    "the name and both of its readings masked");
}

Test(redact_xlsx, tokens_move_the_readings_to_the_masked_text)
{
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    test_write_package(path_of("furigana.xlsx"), sheet, reading_sst, NULL, 0);
    redact_ok(PIISCAN_MASK_TOKEN, "furigana.xlsx", "out.xlsx");
    char *sst = read_part("out.xlsx", "xl/sharedStrings.xml");
    /* The visible text is one token (NM_ and 16 letters: 19 characters) for the whole name,
     * so a reading of any of its characters covers the token: sb 0, eb 19. */
    const char *t = strstr(sst, "<si><t>NM_");
    cr_assert_not_null(t, "the name is a token: %s", sst);
    cr_expect_eq(strlen(t + 7) > 19 ? t[7 + 19] : 0, '<', "the token is 19 characters: %s", sst);
    /* The readings are one text (ヤマダタロウ), masked whole: one token where it starts, in
     * the first <rPh>; the second is left empty. Both now cover the token, sb 0 to eb 19. */
    cr_expect(strstr(sst, "<rPh sb=\"0\" eb=\"19\"><t>NM_") != NULL,
              "the first reading covers the token and is a token: %s", sst);
    cr_expect(strstr(sst, "</rPh><rPh sb=\"0\" eb=\"19\"><t></t></rPh>") != NULL,
              "the second reading is empty and covers the token: %s", sst);
    cr_expect(strstr(sst, "ヤマダ") == NULL && strstr(sst, "タロウ") == NULL,
              "no reading is left: %s", sst);
    free(sst);
}

Test(redact_xlsx, number_that_lost_its_leading_zero_becomes_an_inline_string)
{
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"B2\" s=\"4\"><v>9.012345678E9</v></c></row>"
                              "<row r=\"3\"><c r=\"B3\" s=\"4\"><f>B2</f><v>9012345678</v></c>"
                              "<c r=\"D3\"><v>9012345678</v></c></row>" SHEET_CLOSE;
    test_write_package(path_of("numbers.xlsx"), sheet, NULL, NULL, 0);
    redact_ok(PIISCAN_MASK_FULL, "numbers.xlsx", "out.xlsx");
    /* The plain digits (9012345678) masked, as text; a formula's cached result becomes a
     * string result (t="str") so the formula stays; a product code is no phone. */
    expect_part_has("out.xlsx", "xl/worksheets/sheet1.xml",
                    "<row r=\"2\"><c r=\"B2\" s=\"4\" t=\"inlineStr\"><is><t>**********</t></is>"
                    "</c></row><row r=\"3\"><c r=\"B3\" s=\"4\" t=\"str\"><f>B2</f>"
                    "<v>**********</v></c><c r=\"D3\"><v>9012345678</v></c></row>",
                    "the numbers of the phone column as text masks");
}

Test(redact_xlsx, shared_string_is_masked_for_every_cell_that_shows_it)
{
    /* 0312345678 is a phone under 電話番号 and looks like nothing under 商品コード, but it is
     * one shared string: masking it for one cell masks it for both (see redact_xlsx.c). */
    const char *sheet = SHEET_OPEN HEADER_ROW
        "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c><c r=\"D2\" t=\"s\"><v>0</v></c></row>"
        "<row r=\"3\"><c r=\"D3\" t=\"s\"><v>1</v></c></row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><t>0312345678</t></si><si><t>0398765432</t></si></sst>";
    test_write_package(path_of("shared.xlsx"), sheet, sst, NULL, 0);
    hits before = scan_findings("shared.xlsx");
    cr_assert_eq(before.n, 1, "one finding, under 電話番号 (%s)", before.where[0]);
    cr_assert(strncmp(before.where[0], "Orders!B2 ", 10) == 0, "at B2: %s", before.where[0]);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_assert_eq(redact_file(rd, "shared.xlsx", "out.xlsx"), PIISCAN_OK, "%s", why(rd));
    cr_expect_eq(piiscan_redactor_stats(rd)->spans, 1, "one string replaced, once");
    piiscan_redactor_free(rd);
    expect_part_has("out.xlsx", "xl/sharedStrings.xml",
                    "<si><t>**********</t></si><si><t>0398765432</t></si>",
                    "the string of B2 and D2 masked, D3's own string kept");
    static const char *const places[] = {"Orders!B2", "Orders!D2"};
    expect_texts("shared.xlsx", "out.xlsx", places, 2);
}

Test(redact_xlsx, comments_threads_authors_properties_and_persons_are_masked)
{
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"http://schemas.microsoft.com/office/2017/10/"
        "relationships/person\" Target=\"persons/person.xml\"/></Relationships>";
    static const char sheet_rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/comments\" Target=\"../comments1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.microsoft.com/office/2017/10/"
        "relationships/threadedComment\" Target=\"../threadedComments/threadedComment1.xml\"/>"
        "</Relationships>";
    /* Excel 365 keeps a comment's thread here and a legacy copy in comments1.xml. */
    static const char threaded[] =
        "<ThreadedComments "
        "xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\">"
        "<threadedComment ref=\"B2\" personId=\"{0}\" id=\"{1}\"><text>折り返し 03-3456-7890"
        "</text></threadedComment><threadedComment ref=\"B2\" personId=\"{0}\" id=\"{2}\" "
        "parentId=\"{1}\"><text>了解です &amp; 送付済み</text></threadedComment>"
        "</ThreadedComments>";
    static const char comments[] =
        "<comments xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<authors><author>hanako@example.jp</author></authors>"
        "<commentList><comment ref=\"B2\" authorId=\"0\"><text><r><rPr><b/></rPr>"
        "<t>確認係:</t></r><r><t xml:space=\"preserve\"> 折り返し 03-3456-7890</t></r>"
        "</text></comment></commentList></comments>";
    static const char core[] =
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
        "metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
        "<dc:title>在庫</dc:title><dc:creator>jiro@example.co.jp</dc:creator>"
        "<cp:lastModifiedBy>jiro@example.co.jp</cp:lastModifiedBy></cp:coreProperties>";
    static const char root[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
        "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        "</Relationships>";
    static const char persons[] =
        "<personList "
        "xmlns=\"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments\">"
        "<person displayName=\"t.yamada@example.co.jp\" id=\"{0}\" "
        "userId=\"S::t.yamada@example.co.jp::1\" providerId=\"AD\"/></personList>";
    const test_part extra[] = {
        {"_rels/.rels", root, 0},
        {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/_rels/sheet1.xml.rels", sheet_rels, 0},
        {"xl/comments1.xml", comments, 0},
        {"docProps/core.xml", core, 0},
        {"xl/persons/person.xml", persons, 0},
        {"xl/threadedComments/threadedComment1.xml", threaded, 0},
    };
    const char *sheet = SHEET_OPEN
        "<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>済</t></is></c></row>" SHEET_CLOSE;
    test_write_package(path_of("notes.xlsx"), sheet, NULL, extra, 7);
    redact_ok(PIISCAN_MASK_PARTIAL, "notes.xlsx", "out.xlsx");
    /* A partial mask keeps an e-mail's domain and a phone's area code and last four digits;
     * the comment's bold run is no one's. */
    expect_part_has("out.xlsx", "xl/comments1.xml",
                    "<authors><author>******@example.jp</author></authors>"
                    "<commentList><comment ref=\"B2\" authorId=\"0\"><text><r><rPr><b/></rPr>"
                    "<t>確認係:</t></r><r><t xml:space=\"preserve\"> 折り返し 03-****-7890</t>"
                    "</r></text></comment>",
                    "the author's address and the comment's phone masked in their elements");
    expect_part_has("out.xlsx", "docProps/core.xml",
                    "<dc:title>在庫</dc:title><dc:creator>****@example.co.jp</dc:creator>"
                    "<cp:lastModifiedBy>****@example.co.jp</cp:lastModifiedBy>",
                    "creator and last editor masked, the title kept");
    expect_part_has("out.xlsx", "xl/threadedComments/threadedComment1.xml",
                    "<text>折り返し 03-****-7890</text></threadedComment>"
                    "<threadedComment ref=\"B2\" personId=\"{0}\" id=\"{2}\" "
                    "parentId=\"{1}\"><text>了解です &amp; 送付済み</text>",
                    "the thread's phone masked as in its legacy copy, the reply untouched");
    expect_part_has("out.xlsx", "xl/persons/person.xml",
                    "<person displayName=\"********@example.co.jp\" id=\"{0}\" "
                    "userId=\"S::********@example.co.jp::1\" providerId=\"AD\"/>",
                    "the person's name and account masked in their attributes");
    hits after = scan_findings("out.xlsx");
    cr_expect_eq(after.n, 0, "a new scan finds nothing (first: %s)", after.where[0]);
}

Test(redact_xlsx, escapes_are_written_back_so_the_text_reads_the_same)
{
    /* _x000D_ is a carriage return, _x0040_ an at sign, _x005F_x0031_ a literal "_x0031_". */
    const char *sheet = SHEET_OPEN HEADER_ROW
        "<row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>a_x000D_ &amp; k_x0040_example.jp "
        "_x005F_x0031_</t></is></c></row>" SHEET_CLOSE;
    test_write_package(path_of("escape.xlsx"), sheet, NULL, NULL, 0);
    redact_ok(PIISCAN_MASK_FULL, "escape.xlsx", "out.xlsx");
    expect_part_has("out.xlsx", "xl/worksheets/sheet1.xml",
                    "<t>a_x000D_ &amp; ************ _x005F_x0031_</t>",
                    "the mask in place, every escape written back");
    static const char *const places[] = {"Orders!C2"};
    expect_texts("escape.xlsx", "out.xlsx", places, 1);
}

Test(redact_xlsx, partial_mask_keeps_what_identifies_no_one)
{
    write_customers("customers.xlsx");
    redact_ok(PIISCAN_MASK_PARTIAL, "customers.xlsx", "out.xlsx");
    expect_part_has("out.xlsx", "xl/sharedStrings.xml", "<si><t>090-****-5678</t></si>",
                    "a mobile number keeps its prefix and last four digits");
    expect_part_has("out.xlsx", "xl/sharedStrings.xml", "<si><t>連絡先 080-****-6789</t></si>",
                    "so does one inside a longer text");
}

Test(redact_xlsx, clean_workbook_is_copied_byte_for_byte)
{
    lxw_workbook *wb = workbook_new(path_of("clean.xlsx"));
    lxw_worksheet *ws = workbook_add_worksheet(wb, "在庫");
    worksheet_write_string(ws, 0, 0, "商品名", NULL);
    worksheet_write_string(ws, 1, 0, "ボールペン", NULL);
    cr_assert_eq(workbook_close(wb), LXW_NO_ERROR);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_assert_eq(redact_file(rd, "clean.xlsx", "out.xlsx"), PIISCAN_OK, "%s", why(rd));
    cr_expect_eq(piiscan_redactor_stats(rd)->spans, 0);
    piiscan_redactor_free(rd);
    size_t na = 0;
    size_t nb = 0;
    char *a = test_read_file(path_of("clean.xlsx"), &na);
    char *b = test_read_file(path_of("out.xlsx"), &nb);
    cr_assert(a != NULL && b != NULL);
    cr_expect(na == nb && memcmp(a, b, na) == 0, "nothing to replace: the copy is the original");
    free(a);
    free(b);
}

/* Checks a rewritten part in the directory of `name`: deflated, with the size of its bytes
 * (libzip's consistency check and its CRC check on reading do the rest). */
static void expect_deflated(const char *name, const char *part)
{
    int zerr;
    zip_t *za = zip_open(path_of(name), ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    cr_assert_not_null(za, "%s passes libzip's consistency check", name);
    zip_stat_t st;
    cr_assert_eq(zip_stat(za, part, 0, &st), 0);
    cr_expect_eq(st.comp_method, ZIP_CM_DEFLATE, "%s is deflated", part);
    zip_discard(za);
    char *text = read_part(name, part); /* fails on a CRC error */
    cr_expect_eq(strlen(text), st.size, "the size in the directory is the part's");
    free(text);
}

Test(redact_xlsx, rewritten_parts_are_deflated_with_their_size_and_crc)
{
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><t>TEL 03-1234-5678</t></si></sst>";
    test_write_package(path_of("stored.xlsx"), sheet, sst, NULL, 0);
    /* The shared strings stored (method 0), as some writers leave small parts. */
    int zerr;
    zip_t *za = zip_open(path_of("stored.xlsx"), 0, &zerr);
    cr_assert_not_null(za);
    zip_int64_t i = zip_name_locate(za, "xl/sharedStrings.xml", 0);
    cr_assert(i >= 0 && zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0) == 0);
    cr_assert_eq(zip_close(za), 0);
    redact_ok(PIISCAN_MASK_FULL, "stored.xlsx", "out.xlsx");
    expect_deflated("out.xlsx", "xl/sharedStrings.xml");
    expect_part_has("out.xlsx", "xl/sharedStrings.xml", "<si><t>TEL ************</t></si>",
                    "masked");
    write_customers("customers.xlsx");
    redact_ok(PIISCAN_MASK_FULL, "customers.xlsx", "out2.xlsx");
    expect_deflated("out2.xlsx", "xl/sharedStrings.xml");
    expect_deflated("out2.xlsx", "xl/worksheets/sheet1.xml");
}

static int to_memory(const void *buf, size_t len, void *user)
{
    pii_bytes *b = user;
    return pii_bytes_put(b, buf, len) != PIISCAN_OK;
}

Test(redact_xlsx, buffers_and_descriptors_write_the_same_workbook)
{
    write_customers("customers.xlsx");
    redact_ok(PIISCAN_MASK_TOKEN, "customers.xlsx", "out.xlsx");
    size_t n = 0;
    char *in = test_read_file(path_of("customers.xlsx"), &n);
    cr_assert_not_null(in);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_TOKEN);
    pii_bytes out = {0};
    cr_assert_eq(piiscan_redactor_redact_buffer(rd, in, n, NULL, to_memory, &out), PIISCAN_OK, "%s",
                 why(rd));
    cr_expect_eq(piiscan_redactor_verify_buffer(rd, in, n, out.data, out.len), PIISCAN_OK, "%s",
                 why(rd));
    size_t m = 0;
    char *file = test_read_file(path_of("out.xlsx"), &m);
    cr_assert_not_null(file);
    cr_expect(m == out.len && memcmp(file, out.data, m) == 0,
              "the same bytes through a callback as to a file");
    cr_expect_eq(piiscan_redactor_stats(rd)->bytes_out, out.len);
    free(file);
    free(in);
    pii_bytes_free(&out);
    piiscan_redactor_free(rd);
}

/* ------------------------------------------------------------------------------------------ */
/* Failures: nothing is written, or what was written does not verify                          */

Test(redact_xlsx, truncated_workbook_fails_and_nothing_is_written)
{
    write_customers("whole.xlsx");
    size_t n = 0;
    char *buf = test_read_file(path_of("whole.xlsx"), &n);
    cr_assert_not_null(buf);
    FILE *f = fopen(path_of("cut.xlsx"), "wb");
    cr_assert(f != NULL && fwrite(buf, 1, n - 40, f) == n - 40 && fclose(f) == 0);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_expect_eq(redact_file(rd, "cut.xlsx", "out.xlsx"), PIISCAN_ERR_FORMAT, "%s", why(rd));
    cr_expect(strstr(why(rd), "zip") != NULL, "the message says why: %s", why(rd));
    int fd = open(path_of("cut.xlsx"), O_RDONLY);
    int ofd = open(path_of("none.xlsx"), O_RDWR | O_CREAT | O_TRUNC, 0600);
    cr_expect_eq(piiscan_redactor_write_to_fd(rd, fd, ofd), PIISCAN_ERR_STATE,
                 "no pass 2 after a failed scan");
    struct stat sb;
    cr_expect(fstat(ofd, &sb) == 0 && sb.st_size == 0, "nothing written");
    close(fd);
    close(ofd);
    size_t m = 0;
    char *after = test_read_file(path_of("cut.xlsx"), &m);
    cr_expect(m == n - 40 && memcmp(after, buf, m) == 0, "the input is untouched");
    free(after);
    free(buf);
    piiscan_redactor_free(rd);
}

/* Redacting `in` with full masks fails with `code`, and the message holds `words` and, unless
 * NULL, `more_words`: it names what was refused and why. */
static void expect_refused(const char *in, int code, const char *words, const char *more_words)
{
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_expect_eq(redact_file(rd, in, "out.xlsx"), code, "%s", why(rd));
    cr_expect(strstr(why(rd), words) != NULL &&
                  (more_words == NULL || strstr(why(rd), more_words) != NULL),
              "%s: the message says %s%s%s: %s", in, words, more_words != NULL ? " and " : "",
              more_words != NULL ? more_words : "", why(rd));
    piiscan_redactor_free(rd);
}

Test(redact_xlsx, part_in_utf16_is_refused_not_rewritten)
{
    /* No XML declaration: it would say UTF-8, which the byte order mark contradicts. */
    const char *xml = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
                      "<si><t>TEL 03-1234-5678</t></si></sst>";
    size_t len;
    char *utf16 = test_iconv(xml, strlen(xml), "UTF-16", &len); /* with its byte order mark */
    const char *sheet =
        SHEET_OPEN "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    const test_part extra[] = {{"xl/sharedStrings.xml", utf16, len}};
    test_write_package(path_of("utf16.xlsx"), sheet, NULL, extra, 1);
    free(utf16);
    /* The message names the part and why. */
    expect_refused("utf16.xlsx", PIISCAN_ERR_UNSUPPORTED, "xl/sharedStrings.xml", "UTF-16");
}

Test(redact_xlsx, escape_split_across_runs_is_refused_not_rewritten)
{
    /* _x00 | 40_ is one at sign to the reader, which joins the runs first: the e-mail address
     * is found, but its offsets do not fall on the runs' own texts. */
    const char *sheet =
        SHEET_OPEN HEADER_ROW "<row r=\"2\"><c r=\"C2\" t=\"s\"><v>0</v></c></row>" SHEET_CLOSE;
    const char *sst = SST_OPEN "<si><r><t>mail k_x00</t></r><r><t>40_example.jp</t></r></si></sst>";
    test_write_package(path_of("split.xlsx"), sheet, sst, NULL, 0);
    hits found = scan_findings("split.xlsx");
    cr_assert_eq(found.n, 1, "the address is found in the joined text");
    expect_refused("split.xlsx", PIISCAN_ERR_UNSUPPORTED, "split across rich-text runs", NULL);
}

Test(redact_xlsx, document_type_declaration_fails_the_scan)
{
    const char *sheet = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"090-1234-5678\">]>"
                        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&a;</t></is></c>"
                        "</row></sheetData></worksheet>";
    test_write_package(path_of("dtd.xlsx"), sheet, NULL, NULL, 0);
    expect_refused("dtd.xlsx", PIISCAN_ERR_FORMAT, "document type declaration", NULL);
}

/* Replaces `part` of the package `name` by `xml` with libzip, every other part copied. */
static void tamper(const char *name, const char *part, const char *xml)
{
    int zerr;
    zip_t *za = zip_open(path_of(name), 0, &zerr);
    cr_assert_not_null(za);
    zip_int64_t i = zip_name_locate(za, part, 0);
    cr_assert_geq(i, 0, "%s holds %s", name, part);
    zip_source_t *s = zip_source_buffer(za, xml, strlen(xml), 0);
    cr_assert_eq(zip_file_replace(za, (zip_uint64_t)i, s, 0), 0);
    cr_assert_eq(zip_close(za), 0);
}

/* Redacts customers.xlsx, alters the output with `edit` and verifies again. */
static void expect_tamper_caught(const char *part, const char *from, const char *to,
                                 const char *words)
{
    write_customers("customers.xlsx");
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_assert_eq(redact_file(rd, "customers.xlsx", "out.xlsx"), PIISCAN_OK, "%s", why(rd));
    char *xml = read_part("out.xlsx", part);
    char *at = strstr(xml, from);
    cr_assert_not_null(at, "%s holds %s", part, from);
    char *changed = malloc(strlen(xml) + strlen(to) + 1);
    cr_assert_not_null(changed);
    snprintf(changed, strlen(xml) + strlen(to) + 1, "%.*s%s%s", (int)(at - xml), xml, to,
             at + strlen(from));
    tamper("out.xlsx", part, changed);
    int fd = open(path_of("customers.xlsx"), O_RDONLY);
    int ofd = open(path_of("out.xlsx"), O_RDONLY);
    cr_expect_eq(piiscan_redactor_verify_fd(rd, fd, ofd), PIISCAN_ERR_VERIFY,
                 "%s altered: verification fails", part);
    cr_expect(strstr(why(rd), words) != NULL, "the message says \"%s\": %s", words, why(rd));
    close(fd);
    close(ofd);
    free(xml);
    free(changed);
    piiscan_redactor_free(rd);
}

Test(redact_xlsx, verification_fails_when_a_copied_part_was_altered)
{
    expect_tamper_caught("xl/styles.xml", "<b/>", "<i/>", "xl/styles.xml: not copied as it was");
}

Test(redact_xlsx, verification_fails_when_another_cell_of_a_rewritten_part_was_altered)
{
    expect_tamper_caught("xl/sharedStrings.xml", "ゴールド", "ブロンズ",
                         "differs from the original's outside the replaced spans");
}

Test(redact_xlsx, verification_fails_when_a_mask_was_undone)
{
    expect_tamper_caught("xl/sharedStrings.xml", "*************", "090-1234-5678",
                         "still reads as phone");
}

Test(redact_xlsx, workbook_changed_after_the_scan_is_not_written)
{
    write_customers("customers.xlsx");
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    int fd = open(path_of("customers.xlsx"), O_RDWR);
    cr_assert_geq(fd, 0);
    cr_assert_eq(piiscan_redactor_scan_fd(rd, fd, NULL), PIISCAN_OK, "%s", why(rd));
    cr_assert_eq(pwrite(fd, "PK", 2, lseek(fd, 0, SEEK_END)), 2, "the file grows");
    int ofd = open(path_of("out.xlsx"), O_RDWR | O_CREAT | O_TRUNC, 0600);
    cr_expect_eq(piiscan_redactor_write_to_fd(rd, fd, ofd), PIISCAN_ERR_IO, "%s", why(rd));
    cr_expect(strstr(why(rd), "it changed") != NULL, "%s", why(rd));
    close(fd);
    close(ofd);
    piiscan_redactor_free(rd);
}
