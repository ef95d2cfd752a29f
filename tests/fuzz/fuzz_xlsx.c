/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_xlsx.c - the workbook reader. The first byte of an input chooses what the rest is:
 * '0' the package itself (any bytes: broken zips, OLE2 containers); '1' the XML of
 * xl/worksheets/sheet1.xml and '2' the XML of xl/sharedStrings.xml, each put into an
 * otherwise valid package made here with libzip, so a text corpus reaches the XML handlers.
 * Properties checked on every input: scanning the package from one buffer and feeding it in
 * small chunks give the same status and findings; a finding's offsets span its text, and it
 * names both its sheet and cell or neither; a package that scans can be redacted in each mask
 * style (or is refused for a documented reason: a part not in UTF-8, an escape split across
 * runs, an element past the limit), and the output passes the library's verification: every
 * part not rewritten the same, every other cell's text the same (a new scan may still object
 * to a mask, as fuzz_redact explains); nothing crashes, leaks or trips a sanitizer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "helpers.h"
#include "piiscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The redaction round trip of a package that scans. */
static void redact(const unsigned char *package, size_t len)
{
    static const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL,
                                         PIISCAN_MASK_TOKEN};
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        piiscan_redactor *rd = fuzz_redactor(masks[m]);
        if (piiscan_redactor_scan_buffer(rd, package, len, NULL) != PIISCAN_OK)
            abort(); /* it scanned with a stream of the same scanner */
        if (piiscan_redactor_stats(rd)->format != PIISCAN_FORMAT_XLSX)
            return; /* text (an input that only looked like a package) is fuzz_redact's */
        struct fuzz_output o = {0};
        int rc = piiscan_redactor_write_buffer(rd, package, len, fuzz_put, &o);
        const char *why = piiscan_redactor_error(rd)->text;
        if (rc != PIISCAN_OK && rc != PIISCAN_ERR_UNSUPPORTED && rc != PIISCAN_ERR_LIMIT) {
            fprintf(stderr, "mask %d: write: %s\n", (int)masks[m], why);
            abort();
        }
        if (rc == PIISCAN_OK) {
            rc = piiscan_redactor_verify_buffer(rd, package, len, o.data, o.len);
            if (rc != PIISCAN_OK &&
                (rc != PIISCAN_ERR_VERIFY || strstr(why, "still reads as") == NULL)) {
                fprintf(stderr, "mask %d: verify: %s\n", (int)masks[m], why);
                abort();
            }
        }
        free(o.data);
    }
}

static const char content_types[] =
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
static const char root_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char workbook[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char workbook_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
static const char default_sheet[] =
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row>"
    "</sheetData></worksheet>";
static const char default_strings[] =
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<si><t>氏名</t></si><si><t>電話番号</t></si><si><t>山田</t></si>"
    "<si><t>090-1234-5678</t></si></sst>";

static int add(zip_t *za, const char *name, const void *p, size_t n)
{
    zip_source_t *s = zip_source_buffer(za, p, n, 0);
    if (s == NULL)
        return -1;
    if (zip_file_add(za, name, s, 0) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

/* A package in memory around the fuzzed part; NULL when libzip cannot make one. */
static unsigned char *make_package(const char *sheet, size_t sheet_len, const char *strings,
                                   size_t strings_len, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (out == NULL)
        return NULL;
    zip_source_keep(out);
    zip_t *za = zip_open_from_source(out, ZIP_TRUNCATE, &ze);
    unsigned char *buf = NULL;
    if (za == NULL)
        goto done;
    if (add(za, "[Content_Types].xml", content_types, sizeof content_types - 1) != 0 ||
        add(za, "_rels/.rels", root_rels, sizeof root_rels - 1) != 0 ||
        add(za, "xl/workbook.xml", workbook, sizeof workbook - 1) != 0 ||
        add(za, "xl/_rels/workbook.xml.rels", workbook_rels, sizeof workbook_rels - 1) != 0 ||
        add(za, "xl/worksheets/sheet1.xml", sheet, sheet_len) != 0 ||
        add(za, "xl/sharedStrings.xml", strings, strings_len) != 0 || zip_close(za) != 0) {
        zip_discard(za);
        goto done;
    }
    zip_stat_t st;
    if (zip_source_stat(out, &st) != 0 || zip_source_open(out) != 0)
        goto done;
    buf = malloc(st.size ? st.size : 1);
    if (buf != NULL && zip_source_read(out, buf, st.size) != (zip_int64_t)st.size) {
        free(buf);
        buf = NULL;
    }
    *len = st.size;
    zip_source_close(out);
done:
    zip_source_free(out);
    zip_error_fini(&ze);
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_findings whole, pieces;
    if (size == 0 || data[0] < '0' || data[0] > '2')
        return 0; /* the other first bytes are left to fuzz_feed */
    if (data[0] == '0' && (size < 5 || (memcmp(data + 1, "PK\x03\x04", 4) != 0 &&
                                        memcmp(data + 1, "\xD0\xCF\x11\xE0", 4) != 0)))
        return 0; /* not a package: text is fuzz_feed's */
    const uint8_t *package = data + 1;
    size_t len = size - 1;
    unsigned char *made = NULL;
    if (data[0] == '1' || data[0] == '2') {
        bool is_sheet = data[0] == '1';
        made = make_package(is_sheet ? (const char *)package : default_sheet,
                            is_sheet ? len : sizeof default_sheet - 1,
                            is_sheet ? default_strings : (const char *)package,
                            is_sheet ? sizeof default_strings - 1 : len, &len);
        if (made == NULL)
            return 0;
        package = made;
    }
    memset(&whole, 0, sizeof whole);
    memset(&pieces, 0, sizeof pieces);
    int rc_whole = fuzz_scan(package, len, 0, &whole);
    int rc_pieces = fuzz_scan(package, len, 4093, &pieces);
    fuzz_expect_same(rc_whole, &whole, rc_pieces, &pieces);
    if (rc_whole == PIISCAN_OK)
        redact(package, len);
    free(made);
    return 0;
}
