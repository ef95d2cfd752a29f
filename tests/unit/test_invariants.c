/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_invariants.c - the promises of ARCHITECTURE.md, checked over every fixture file under
 * tests/data and its CP932, EUC-JP and UTF-16 re-encodings:
 *   - every finding's byte range decodes to exactly the text reported;
 *   - the findings do not depend on how the input is cut into chunks.
 */
#include <criterion/criterion.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"
#include "piiscan.h"
#include "scan_helpers.h"

TestSuite(invariants, .init = test_scanner_setup, .fini = test_scanner_teardown);

static size_t files_checked;
static size_t findings_checked;

static void check_input(const char *label, const char *buf, size_t len)
{
    test_findings whole = {0};
    piiscan_stats stats;
    int rc = test_scan(test_scanner, buf, len, len ? len : 1, NULL, &whole, &stats);
    if (rc != PIISCAN_OK) { /* e.g. a workbook fixture: nothing to compare */
        test_findings_free(&whole);
        return;
    }
    files_checked++;
    for (size_t i = 0; i < whole.n; i++) {
        const test_finding *x = &whole.v[i];
        cr_assert_leq(x->end, len, "%s: finding %zu ends inside the input", label, i);
        cr_assert_lt(x->start, x->end, "%s: finding %zu is not empty", label, i);
        size_t decoded_len;
        char *decoded = test_convert(buf + x->start, (size_t)(x->end - x->start),
                                     test_iconv_name(stats.encoding), NULL, &decoded_len);
        cr_assert_not_null(decoded, "%s: bytes %llu-%llu do not decode from %s", label,
                           (unsigned long long)x->start, (unsigned long long)x->end,
                           test_iconv_name(stats.encoding));
        cr_expect(decoded_len == x->text_len && memcmp(decoded, x->text, decoded_len) == 0,
                  "%s: bytes %llu-%llu decode to \"%.*s\", the finding says \"%s\"", label,
                  (unsigned long long)x->start, (unsigned long long)x->end, (int)decoded_len,
                  decoded, x->text);
        free(decoded);
        findings_checked++;
    }
    static const size_t chunks[] = {1, 3, 4095, 65536};
    for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
        test_findings cut = {0};
        cr_assert_eq(test_scan(test_scanner, buf, len, chunks[k], NULL, &cut, &stats), PIISCAN_OK);
        cr_expect_eq(cut.n, whole.n, "%s: chunks of %zu give %zu findings, whole gives %zu", label,
                     chunks[k], cut.n, whole.n);
        for (size_t i = 0; i < cut.n && i < whole.n; i++)
            cr_expect(cut.v[i].start == whole.v[i].start && cut.v[i].end == whole.v[i].end &&
                          cut.v[i].type == whole.v[i].type,
                      "%s: chunks of %zu: finding %zu differs", label, chunks[k], i);
        test_findings_free(&cut);
    }
    test_findings_free(&whole);
}

/* A UTF-8 fixture is also checked in the other encodings iconv can write it in. */
static void check_file(const char *path, void *unused)
{
    (void)unused;
    size_t len = 0;
    char *buf = test_read_file(path, &len);
    cr_assert_not_null(buf, "read %s", path);
    check_input(path, buf, len);
    size_t utf8_len;
    char *utf8 = test_convert(buf, len, "UTF-8", "UTF-8", &utf8_len);
    if (utf8 != NULL && memchr(buf, '\0', len) == NULL) {
        static const char *const targets[] = {"CP932", "EUC-JP-MS", "UTF-16LE"};
        for (size_t k = 0; k < sizeof targets / sizeof *targets; k++) {
            size_t n;
            char *re = test_convert(buf, len, "UTF-8", targets[k], &n);
            if (re == NULL)
                continue; /* a character the target cannot hold */
            char label[600];
            snprintf(label, sizeof label, "%s as %s", path, targets[k]);
            check_input(label, re, n);
            free(re);
        }
    }
    free(utf8);
    free(buf);
}

Test(invariants, every_finding_decodes_to_its_text_and_chunking_changes_nothing)
{
    test_each_fixture(check_file, NULL);
    cr_assert_gt(files_checked, 10, "the fixtures were found (%zu checked)", files_checked);
    cr_assert_gt(findings_checked, 20, "the fixtures hold findings (%zu checked)",
                 findings_checked);
}
