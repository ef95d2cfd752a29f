/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_dict.c - the compiled tables agree with the text tables of dict/, and the postal-code
 * and area-code look-ups find what Japan Post and the numbering plan say.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

static bool is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

Test(dict, every_postal_code_of_the_source_table_exists_and_no_other)
{
    size_t len;
    char *text = test_read_source("dict/postal_all.tsv", &len);
    unsigned long lineno = 0;
    size_t distinct = 0;
    uint32_t previous = UINT32_MAX;
    for (char *line = text; line < text + len; line = strchr(line, '\n') + 1) {
        lineno++;
        cr_assert_not_null(strchr(line, '\n'), "line %lu ends with a newline", lineno);
        cr_assert(line[7] == '\t' && is_digits(line, 7), "line %lu starts with 7 digits", lineno);
        uint32_t code = (uint32_t)strtoul(line, NULL, 10);
        cr_expect(pii_postal_code_exists(code), "line %lu: %07u is in the table", lineno,
                  (unsigned)code);
        if (code != previous)
            distinct++;
        previous = code;
    }
    free(text);
    cr_assert_gt(lineno, 0, "postal_all.tsv has lines");
    /* Every table entry was found above, so equal counts mean the table holds nothing else. */
    cr_expect_eq(pii_postal_codes_count, distinct,
                 "the compiled table has one entry per distinct code of the file");
    for (size_t i = 1; i < pii_postal_codes_count; i++)
        cr_assert_lt(pii_postal_codes[i - 1], pii_postal_codes[i],
                     "entries %zu and %zu ascend, as binary search needs", i - 1, i);
}

/* Arrays, not pointers: Criterion runs each parameter in a new process image. */
struct postal_case {
    uint32_t code;
    bool exists;
    char why[96];
};

ParameterizedTestParameters(dict, postal_code_exists_only_for_real_codes)
{
    static struct postal_case cases[] = {
        {1060032, true, "六本木, Minato-ku (residential)"},
        {1000001, true, "千代田, Chiyoda-ku (residential)"},
        {10000, true, "北海道札幌市北区: the smallest code, leading zeros dropped"},
        {1638001, true, "東京都庁: a business code (大口事業所個別番号, JIGYOSYO)"},
        {0, false, "0000000 is no code"},
        {9999999, false, "9999999 is no code"},
        {1060000 + 99, false, "1060099 is not assigned in 六本木's range"},
        {10000000, false, "eight digits"},
    };
    return cr_make_param_array(struct postal_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct postal_case *c, dict, postal_code_exists_only_for_real_codes)
{
    cr_expect_eq(pii_postal_code_exists(c->code), c->exists, "%07u: %s", (unsigned)c->code, c->why);
}

Test(dict, every_area_code_of_the_source_table_is_found_with_its_length)
{
    size_t len;
    char *text = test_read_source("dict/areacode.tsv", &len);
    unsigned long lineno = 0;
    for (char *line = text; line < text + len; line = strchr(line, '\n') + 1) {
        lineno++;
        cr_assert_not_null(strchr(line, '\n'), "line %lu ends with a newline", lineno);
        size_t n = strcspn(line, "\t");
        cr_assert(n >= 2 && n <= 5 && is_digits(line, n), "line %lu: a 2- to 5-digit code", lineno);
        /* Given only the code's digits, no longer code can fit: the code itself must come back. */
        const struct pii_area_code *a = pii_area_code_find(line, n);
        cr_assert_not_null(a, "line %lu: %.*s is found", lineno, (int)n, line);
        cr_expect(strlen(a->code) == n && strncmp(a->code, line, n) == 0,
                  "line %lu: %.*s is found as itself (got %s)", lineno, (int)n, line, a->code);
        cr_expect_eq(a->subscriber_digits, strtoul(line + n + 1, NULL, 10),
                     "line %lu: %s has the subscriber length of the file", lineno, a->code);
        cr_expect_eq(a->subscriber_digits, 10 - n,
                     "%s: area code and subscriber number make 10 digits", a->code);
    }
    free(text);
    cr_expect_eq(pii_area_codes_count, lineno, "one compiled entry per line of areacode.tsv");
}

struct area_case {
    char number[16]; /* national number with its 0 */
    char code[6];    /* "": no area code */
    char why[96];
};

ParameterizedTestParameters(dict, area_code_is_the_longest_that_fits)
{
    static struct area_case cases[] = {
        {"0312345678", "03", "Tokyo, 03-XXXX-XXXX"},
        {"0612345678", "06", "Osaka, 06-XXXX-XXXX"},
        {"0112345678", "011", "Sapporo, 011-XXX-XXXX"},
        {"0467123456", "0467", "Fujisawa: 0467 wins over 046 and 04"},
        {"0461234567", "046", "Atsugi, 046-XXX-XXXX: no 4-digit code 0461 exists"},
        {"0156412345", "01564", "Shintoku, 01564-X-XXXX: 01564 wins over 0156 and 015"},
        {"0156212345", "0156", "0156 when the fifth digit leads to no 5-digit code"},
        {"0151234567", "015", "015 when no 4-digit code fits"},
        {"01564", "01564", "a bare area code is found"},
        {"09012345678", "", "mobile 090 is not a fixed-line area code"},
        {"08012345678", "", "mobile 080"},
        {"07012345678", "", "mobile 070"},
        {"06012345678", "06", "060 (reserved for mobile) is read as Osaka: callers check it"},
        {"05012345678", "", "050 IP phone"},
        {"02012345678", "", "020 pager"},
        {"0120123456", "", "0120 toll-free"},
        {"0800123456", "", "0800 toll-free"},
        {"0570123456", "", "0570 navi dial"},
        {"0990123456", "099", "0990 premium rate fits Kagoshima's 099: callers check it"},
        {"0", "", "too short for any code"},
        {"03-1234", "03", "digits before a separator"},
        {"0x12345678", "", "a non-digit ends the code"},
    };
    return cr_make_param_array(struct area_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct area_case *c, dict, area_code_is_the_longest_that_fits)
{
    const struct pii_area_code *a = pii_area_code_find(c->number, strlen(c->number));
    if (c->code[0] == '\0') {
        cr_expect_null(a, "%s: %s (got %s)", c->number, c->why, a != NULL ? a->code : "");
        return;
    }
    cr_assert_not_null(a, "%s: %s", c->number, c->why);
    cr_expect_str_eq(a->code, c->code, "%s: %s", c->number, c->why);
    cr_expect_eq(a->subscriber_digits, 10 - strlen(c->code), "%s: subscriber digits", c->number);
}

Test(dict, prefectures_are_the_47_in_jis_order)
{
    cr_assert_eq(pii_prefectures_count, 47, "Japan has 47 prefectures");
    cr_expect_str_eq(pii_prefectures[0], "北海道", "JIS X 0401 code 01");
    cr_expect_str_eq(pii_prefectures[12], "東京都", "JIS X 0401 code 13");
    cr_expect_str_eq(pii_prefectures[26], "大阪府", "JIS X 0401 code 27");
    cr_expect_str_eq(pii_prefectures[46], "沖縄県", "JIS X 0401 code 47");
}
