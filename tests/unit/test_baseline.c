/* SPDX-License-Identifier: BSD-3-Clause */
/* test_baseline.c - scan --baseline (cli/baseline.c): a report's findings cover the same
 * path, type and fingerprint, as many times as the report has them, wherever they moved;
 * a report that cannot serve as a baseline is refused saying how to make one. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define FP_A "0123456789abcdef0123456789abcdef"
#define FP_B "fedcba9876543210fedcba9876543210"
#define FP_C "00000000000000000000000000000001"

static char path[64];
static char why[1024];
static struct baseline *b;

static void make_name(void)
{
    snprintf(path, sizeof path, "%s", "/tmp/piiscan-test-baseline.XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0, "a scratch file");
    close(fd);
    why[0] = '\0';
    b = NULL;
}

static void remove_file(void)
{
    baseline_free(b);
    unlink(path);
}

TestSuite(baseline, .init = make_name, .fini = remove_file);

static void write_baseline(const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

static void load(const char *text)
{
    write_baseline(text);
    cr_assert_eq(baseline_load(path, &b, why, sizeof why), 0, "%s", why);
}

/* The message of a refused baseline. */
static const char *refusal(const char *text)
{
    write_baseline(text);
    cr_assert_eq(baseline_load(path, &b, why, sizeof why), -1, "refused: %s", text);
    cr_assert_null(b);
    return why;
}

/* A report as --format json writes it: the file's summary, then its findings. */
static const char report[] =
    "{\"files\":[\n"
    " {\"path\":\"orders.csv\",\"status\":\"scanned\",\"encoding\":\"CP932\",\"format\":\"csv\","
    "\"bytes\":300,\"records\":4,\"findings\":3,\"rows\":2,\"by_type\":{\"phone\":3},"
    "\"decode_errors\":0,\"suppressed\":0,\"findings\":[\n"
    "  {\"path\":\"orders.csv\",\"type\":\"phone\",\"start\":61,\"end\":74,\"line\":2,\"field\":3,"
    "\"confidence\":0.97,\"detector\":\"phone/column\",\"masked\":\"090-****-6789\","
    "\"fingerprint\":\"" FP_A "\"},\n"
    "  {\"path\":\"orders.csv\",\"type\":\"phone\",\"start\":90,\"end\":103,\"line\":3,\"field\":3,"
    "\"confidence\":0.97,\"detector\":\"phone/column\",\"masked\":\"090-****-6789\","
    "\"fingerprint\":\"" FP_A "\"},\n"
    "  "
    "{\"path\":\"orders.csv\",\"type\":\"email\",\"start\":120,\"end\":140,\"line\":4,\"field\":4,"
    "\"confidence\":0.97,\"detector\":\"email\",\"masked\":\"****@example.jp\","
    "\"fingerprint\":\"" FP_B "\"}]},\n"
    " {\"path\":\"book.xlsx\",\"status\":\"scanned\",\"findings\":[\n"
    "  {\"path\":\"book.xlsx\",\"type\":\"name\",\"sheet\":\"Orders\",\"cell\":\"B2\",\"start\":0,"
    "\"end\":4,\"confidence\":0.97,\"detector\":\"name/column\",\"masked\":\"山＊＊＊\","
    "\"fingerprint\":\"" FP_C "\"}]},\n"
    " {\"path\":\"clean.txt\",\"status\":\"scanned\",\"findings\":[]},\n"
    " {\"path\":\"photo.jpg\",\"status\":\"skipped\",\"reason\":\"binary\",\"findings\":0}\n"
    "],\"totals\":{\"files\":4,\"findings\":4}}\n";

/* Whether a finding of `type` and fingerprint `fp` in `file` is covered, as a one-finding
 * scan of that file would ask. */
static bool covers_once(const char *file, piiscan_type type, const char *fp)
{
    struct baseline_file bf;
    cr_assert_eq(baseline_file_begin(b, file, &bf), 0);
    bool is_covered = baseline_covers(&bf, type, fp);
    baseline_file_end(&bf);
    return is_covered;
}

Test(baseline, report_covers_the_same_path_type_and_fingerprint_only)
{
    load(report);
    cr_expect_eq(baseline_findings(b), 4);
    cr_expect(covers_once("orders.csv", PIISCAN_TYPE_PHONE, FP_A));
    cr_expect(covers_once("orders.csv", PIISCAN_TYPE_EMAIL, FP_B));
    cr_expect(covers_once("book.xlsx", PIISCAN_TYPE_NAME, FP_C), "workbook findings too");
    cr_expect_not(covers_once("orders.csv", PIISCAN_TYPE_PHONE, FP_B), "another value");
    cr_expect_not(covers_once("orders.csv", PIISCAN_TYPE_NAME, FP_A), "another type");
    cr_expect_not(covers_once("other.csv", PIISCAN_TYPE_PHONE, FP_A), "another file");
    cr_expect_not(covers_once("orders.csv", PIISCAN_TYPE_PHONE, NULL), "no fingerprint computed");
    cr_expect_not(covers_once("orders.csv", PIISCAN_TYPE_PHONE, "0123"), "not a fingerprint");
}

Test(baseline, two_occurrences_cover_two_and_a_third_is_new)
{
    load(report);
    struct baseline_file bf;
    cr_assert_eq(baseline_file_begin(b, "orders.csv", &bf), 0);
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A), "the first");
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_EMAIL, FP_B), "other values do not interfere");
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A), "the second");
    cr_expect_not(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A), "a third is new");
    cr_expect_not(baseline_covers(&bf, PIISCAN_TYPE_EMAIL, FP_B), "a second e-mail is new");
    baseline_file_end(&bf);

    cr_assert_eq(baseline_file_begin(b, "orders.csv", &bf), 0);
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A), "each scan of a file counts anew");
    baseline_file_end(&bf);
}

Test(baseline, files_matched_at_once_keep_their_own_counts)
{
    /* Two workers, each scanning one file: their counts are their own. */
    load("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n"
         "{\"path\":\"b.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n");
    struct baseline_file a, bb;
    cr_assert_eq(baseline_file_begin(b, "a.csv", &a), 0);
    cr_assert_eq(baseline_file_begin(b, "b.csv", &bb), 0);
    cr_expect(baseline_covers(&a, PIISCAN_TYPE_PHONE, FP_A));
    cr_expect(baseline_covers(&bb, PIISCAN_TYPE_PHONE, FP_A), "b.csv's own occurrence");
    cr_expect_not(baseline_covers(&a, PIISCAN_TYPE_PHONE, FP_A));
    baseline_file_end(&a);
    baseline_file_end(&bb);
}

Test(baseline, json_lines_are_read_too_with_blank_lines_and_crlf)
{
    load("\n{\"path\":\"orders.csv\",\"type\":\"phone\",\"start\":1,\"end\":2,\"line\":9,"
         "\"fingerprint\":\"" FP_A "\"}\r\n"
         "\r\n"
         "  {\"path\":\"orders.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n"
         "{\"path\":\"orders.csv\",\"type\":\"email\",\"fingerprint\":\"" FP_B "\"}");
    cr_expect_eq(baseline_findings(b), 3, "the last line without its line end too");
    struct baseline_file bf;
    cr_assert_eq(baseline_file_begin(b, "orders.csv", &bf), 0);
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A));
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A));
    cr_expect_not(baseline_covers(&bf, PIISCAN_TYPE_PHONE, FP_A));
    cr_expect(baseline_covers(&bf, PIISCAN_TYPE_EMAIL, FP_B));
    baseline_file_end(&bf);
}

Test(baseline, upper_case_fingerprints_match_lower_case_ones)
{
    load("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":"
         "\"0123456789ABCDEF0123456789ABCDEF\"}\n");
    cr_expect(covers_once("a.csv", PIISCAN_TYPE_PHONE, FP_A));
}

Test(baseline, paths_match_as_the_report_writes_them)
{
    /* A CP932 file name (\x8E\x81 \x93\x63) is written in a report with U+FFFD for each byte
     * of it that is not UTF-8; ./ and doubled slashes name the same file. */
    load(
        "{\"path\":\"data/\xEF\xBF\xBD\xEF\xBF\xBD.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A
        "\"}\n"
        "{\"path\":\"./in//x.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n");
    cr_expect(covers_once("data/\x8E\x81.csv", PIISCAN_TYPE_PHONE, FP_A), "invalid UTF-8 name");
    cr_expect(covers_once("in/x.csv", PIISCAN_TYPE_PHONE, FP_A), "./ and // in the report");
    cr_expect(covers_once("./in/x.csv", PIISCAN_TYPE_PHONE, FP_A), "./ in the scan");
    cr_expect_not(covers_once("data/x.csv", PIISCAN_TYPE_PHONE, FP_A));
}

Test(baseline, empty_file_is_an_empty_baseline)
{
    load("");
    cr_expect_eq(baseline_findings(b), 0);
    cr_expect_not(covers_once("a.csv", PIISCAN_TYPE_PHONE, FP_A), "everything is new");
}

Test(baseline, finding_without_fingerprint_is_refused_saying_how_to_make_one)
{
    const char *msg =
        refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n"
                "{\"path\":\"a.csv\",\"type\":\"phone\",\"masked\":\"03-****-5678\"}"
                "\n");
    char where[128];
    snprintf(where, sizeof where, "%s:2: ", path);
    cr_expect_eq(strncmp(msg, where, strlen(where)), 0, "names file and line: %s", msg);
    cr_expect(strstr(msg, "no fingerprint") != NULL, "%s", msg);
    cr_expect(strstr(msg, "piiscan scan --format json --fingerprints") != NULL, "%s", msg);
}

Test(baseline, report_finding_without_fingerprint_is_refused_naming_the_finding)
{
    const char *msg =
        refusal("{\"files\":[{\"path\":\"a.csv\",\"findings\":[{\"path\":\"a.csv\",\"type\":"
                "\"phone\",\"fingerprint\":\"" FP_A "\"},{\"path\":\"a.csv\",\"type\":\"name\"}]}],"
                "\"totals\":{}}");
    char where[128];
    snprintf(where, sizeof where, "%s: finding 2: ", path);
    cr_expect_eq(strncmp(msg, where, strlen(where)), 0, "names the finding: %s", msg);
    cr_expect(strstr(msg, "--fingerprints") != NULL, "%s", msg);
}

Test(baseline, report_holding_values_is_refused)
{
    const char *msg = refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"value\":\"03-1234-5678\","
                              "\"fingerprint\":\"" FP_A "\"}\n");
    cr_expect(strstr(msg, "holds values") != NULL, "a baseline is kept, values are not: %s", msg);
}

Test(baseline, summaries_are_refused)
{
    const char *msg = refusal("{\"path\":\"a.csv\",\"status\":\"scanned\",\"findings\":2}\n");
    cr_expect(strstr(msg, "--summary") != NULL, "jsonl --summary: %s", msg);
    msg = refusal("{\"files\":[{\"path\":\"a.csv\",\"status\":\"scanned\",\"findings\":2}],"
                  "\"totals\":{}}\n");
    cr_expect(strstr(msg, "--summary") != NULL, "json --summary: %s", msg);
}

Test(baseline, what_is_not_a_report_is_refused_with_its_place)
{
    const char *msg =
        refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n"
                "{\"path\":\"a.csv\",\n");
    char where[128];
    snprintf(where, sizeof where, "%s:2: not JSON", path);
    cr_expect_eq(strncmp(msg, where, strlen(where)), 0, "%s", msg);

    msg = refusal("\n\n{\"files\": [\n  {\"path\": \"a.csv\", \"findings\": [}\n");
    snprintf(where, sizeof where, "%s:4: not JSON", path);
    cr_expect_eq(strncmp(msg, where, strlen(where)), 0, "line of the whole file: %s", msg);

    msg = refusal("{\"files\":{}}");
    cr_expect(strstr(msg, "no \"files\" array") != NULL, "%s", msg);
    msg = refusal("{\"files\":[],\"totals\":{}}\n{\"files\":[]}");
    cr_expect(strstr(msg, "more than one JSON value") != NULL, "%s", msg);
    msg = refusal("{\"path\":\"a.csv\",\"type\":\"fax\",\"fingerprint\":\"" FP_A "\"}");
    cr_expect(strstr(msg, "unknown type 'fax'") != NULL, "%s", msg);
    msg = refusal("[1,2]");
    cr_expect(strstr(msg, "a finding is a JSON object") != NULL, "%s", msg);
    msg = refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"} {}\n");
    cr_expect(strstr(msg, ":1: not JSON Lines") != NULL, "one value a line: %s", msg);
    msg = refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"}\n"
                  "{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"" FP_A "\"} {}\n");
    cr_expect(strstr(msg, ":2: not JSON") != NULL, "one value a line: %s", msg);
    msg = refusal("{\"path\":\"a.csv\",\"type\":\"phone\",\"fingerprint\":\"xyz\"}");
    cr_expect(strstr(msg, "32 hexadecimal digits") != NULL, "%s", msg);
}

Test(baseline, missing_file_is_refused)
{
    cr_assert_eq(baseline_load("/nonexistent/baseline.json", &b, why, sizeof why), -1);
    cr_expect_str_eq(why, "/nonexistent/baseline.json: No such file or directory");
}
