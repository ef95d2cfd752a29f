/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xlsx_helpers.h - workbooks built at test time with libzip from XML strings, shared by the
 * workbook suites (test_read_xlsx, test_redact_xlsx): the frame of a one-sheet workbook
 * ("Orders") and the parts a test adds, for what libxlsxwriter cannot write (inline strings,
 * rich-text and phonetic runs, t="str", broken and hostile packages).
 */
#ifndef PIISCAN_TEST_XLSX_HELPERS_H
#define PIISCAN_TEST_XLSX_HELPERS_H

#include <stddef.h>
#include <string.h>

#include <criterion/criterion.h>
#include <zip.h>

/* A part: its name and bytes (len 0: a NUL-terminated string). */
typedef struct test_part {
    const char *name;
    const char *xml;
    size_t len;
} test_part;

static const char test_content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char test_root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char test_one_sheet_workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Orders\" sheetId=\"1\" rel:id=\"rId1\"/></sheets></workbook>";
static const char test_workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/></Relationships>";

#define SHEET_OPEN                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
#define SHEET_CLOSE "</sheetData></worksheet>"
#define SST_OPEN                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

/* Writes a package of the standard frame plus `sheet` (xl/worksheets/sheet1.xml) and `sst`
 * (xl/sharedStrings.xml, may be NULL) plus `extra` parts (a part of the frame's name replaces
 * it) to `path`. */
static inline void test_write_package(const char *path, const char *sheet, const char *sst,
                                      const test_part *extra, size_t nextra)
{
    int zerr;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    cr_assert_not_null(za, "libzip makes %s", path);
    test_part parts[16] = {
        {"[Content_Types].xml", test_content_types, 0},
        {"_rels/.rels", test_root_rels, 0},
        {"xl/workbook.xml", test_one_sheet_workbook, 0},
        {"xl/_rels/workbook.xml.rels", test_workbook_rels, 0},
        {"xl/worksheets/sheet1.xml", sheet, 0},
        {"xl/sharedStrings.xml", sst, 0},
    };
    size_t n = 6;
    for (size_t i = 0; i < nextra && n < 16; i++)
        parts[n++] = extra[i];
    for (size_t i = 0; i < n; i++) {
        if (parts[i].xml == NULL)
            continue;
        size_t len = parts[i].len != 0 ? parts[i].len : strlen(parts[i].xml);
        zip_source_t *s = zip_source_buffer(za, parts[i].xml, len, 0);
        cr_assert_not_null(s);
        cr_assert_geq(zip_file_add(za, parts[i].name, s, ZIP_FL_OVERWRITE), 0, "%s added",
                      parts[i].name);
    }
    cr_assert_eq(zip_close(za), 0, "libzip writes %s", path);
}

#endif /* PIISCAN_TEST_XLSX_HELPERS_H */
