/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * make_xlsx.c - makes the workbooks of the CLI cases at test time (a case's `setup` runs it),
 * so no binary fixture is committed.
 *
 *   make_xlsx SPEC OUT.xlsx    a workbook written by libxlsxwriter, from SPEC's lines
 *                              (fields separated by tabs):
 *                                sheet NAME | hidden NAME     a new (hidden) worksheet
 *                                string A1 TEXT | number B2 VALUE | comment C3 TEXT
 *                                formula D4 =SUM(D2:D3) | merge A1:C1 TEXT
 *                                rich A1 PLAIN|BOLD|PLAIN...  runs, every other one bold
 *                                author NAME                  the document's author
 *   make_xlsx --cfb OUT NAME...  an OLE2 container whose directory holds streams NAME...
 *                              (EncryptedPackage: a password-protected workbook)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

static int make_cfb(const char *out, char **names, int n)
{
    unsigned char b[3 * 512] = {0};
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(b, magic, 8);
    b[0x18] = 0x3E;
    b[0x1A] = 3; /* 512-byte sectors */
    b[0x1C] = 0xFE;
    b[0x1D] = 0xFF;
    b[0x1E] = 9;
    b[0x20] = 6;
    b[0x2C] = 1; /* one FAT sector: sector 0 */
    b[0x30] = 1; /* the directory: sector 1 */
    b[0x39] = 0x10;
    memset(b + 0x3C, 0xFF, 4);
    memset(b + 0x44, 0xFF, 4);
    memset(b + 0x4C, 0xFF, 4 * 109);
    memset(b + 0x4C, 0, 4);
    memset(b + 512, 0xFF, 512);
    static const unsigned char fat[8] = {0xFD, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF};
    memcpy(b + 512, fat, sizeof fat);
    for (int e = 0; e < 4 && e <= n; e++) {
        const char *name = e == 0 ? "Root Entry" : names[e - 1];
        unsigned char *entry = b + 1024 + 128 * e;
        size_t k = strlen(name) < 31 ? strlen(name) : 31;
        for (size_t i = 0; i < k; i++)
            entry[2 * i] = (unsigned char)name[i];
        entry[0x40] = (unsigned char)(2 * (k + 1));
        entry[0x42] = e == 0 ? 5 : 2;
    }
    FILE *f = fopen(out, "wb");
    if (f == NULL || fwrite(b, 1, sizeof b, f) != sizeof b || fclose(f) != 0) {
        perror(out);
        return 1;
    }
    return 0;
}

/* "plain|bold|plain": rich-text runs, every other one bold. */
static int write_rich(lxw_workbook *wb, lxw_worksheet *ws, const char *cell, char *text)
{
    static lxw_format *bold;
    if (bold == NULL) {
        bold = workbook_add_format(wb);
        format_set_bold(bold);
    }
    lxw_rich_string_tuple runs[16];
    lxw_rich_string_tuple *list[17];
    size_t n = 0;
    for (char *run = strtok(text, "|"); run != NULL && n < 16; run = strtok(NULL, "|")) {
        runs[n] = (lxw_rich_string_tuple){.format = n % 2 == 1 ? bold : NULL, .string = run};
        list[n] = &runs[n];
        n++;
    }
    list[n] = NULL;
    return worksheet_write_rich_string(ws, lxw_name_to_row(cell), lxw_name_to_col(cell), list,
                                       NULL) == LXW_NO_ERROR
               ? 0
               : 1;
}

static int make_workbook(const char *spec, const char *out)
{
    FILE *in = fopen(spec, "r");
    if (in == NULL) {
        perror(spec);
        return 1;
    }
    lxw_workbook *wb = workbook_new(out);
    lxw_worksheet *ws = NULL;
    char line[4096];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, in) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        char *kind = strtok(line, "\t");
        char *a = strtok(NULL, "\t");
        char *b = strtok(NULL, "\t");
        if (kind == NULL || a == NULL)
            continue;
        if (strcmp(kind, "sheet") == 0 || strcmp(kind, "hidden") == 0) {
            ws = workbook_add_worksheet(wb, a);
            if (ws != NULL && kind[0] == 'h')
                worksheet_hide(ws);
        } else if (strcmp(kind, "author") == 0) {
            lxw_doc_properties props = {.author = a};
            workbook_set_properties(wb, &props);
        } else if (ws == NULL || b == NULL) {
            rc = 1;
        } else if (strcmp(kind, "string") == 0) {
            worksheet_write_string(ws, lxw_name_to_row(a), lxw_name_to_col(a), b, NULL);
        } else if (strcmp(kind, "number") == 0) {
            worksheet_write_number(ws, lxw_name_to_row(a), lxw_name_to_col(a), atof(b), NULL);
        } else if (strcmp(kind, "comment") == 0) {
            worksheet_write_comment(ws, lxw_name_to_row(a), lxw_name_to_col(a), b);
        } else if (strcmp(kind, "formula") == 0) {
            worksheet_write_formula(ws, lxw_name_to_row(a), lxw_name_to_col(a), b, NULL);
        } else if (strcmp(kind, "merge") == 0) {
            worksheet_merge_range(ws, lxw_name_to_row(a), lxw_name_to_col(a), lxw_name_to_row_2(a),
                                  lxw_name_to_col_2(a), b, NULL);
        } else if (strcmp(kind, "rich") == 0) {
            rc = write_rich(wb, ws, a, b);
        } else {
            rc = 1;
        }
        if (rc != 0)
            fprintf(stderr, "%s: cannot read the line starting %s\n", spec, kind);
    }
    fclose(in);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        fprintf(stderr, "%s: libxlsxwriter failed\n", out);
        rc = 1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--cfb") == 0)
        return make_cfb(argv[2], argv + 3, argc - 3);
    if (argc == 3)
        return make_workbook(argv[1], argv[2]);
    fprintf(stderr, "usage: make_xlsx SPEC OUT.xlsx | make_xlsx --cfb OUT NAME...\n");
    return 2;
}
