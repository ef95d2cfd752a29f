/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_mynumber.c - My Number: the check digit decides, and only a My Number keyword
 * or column lets twelve digits count at all.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_mynumber, .init = detect_setup, .fini = detect_teardown);

/* The check digit as the ordinance's table of weights gives it, left to right (6 5 4 3 2 7 6 5
 * 4 3 2 for the eleven digits): written independently of the detector's right-to-left Q(n). */
static int check_digit(const char *eleven)
{
    static const int weights[11] = {6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2};
    int sum = 0;
    for (int i = 0; i < 11; i++)
        sum += (eleven[i] - '0') * weights[i];
    int r = sum % 11;
    return r <= 1 ? 0 : 11 - r;
}

/* Arrays, not pointers: Criterion copies parameters into the process that runs the test. */
struct base_case {
    char label[64];
    char eleven[12];
};

ParameterizedTestParameters(detect_mynumber, exactly_the_right_check_digit_is_accepted)
{
    static struct base_case cases[] = {
        {"ascending digits", "12345678901"},
        {"descending digits", "98765432109"},
        {"ones", "11111111111"},
        {"remainder of at most 1, check digit 0", "49601234567"},
        {"pi", "31415926535"},
        {"e", "27182818284"},
        {"zeros", "00000000000"},
    };
    return cr_make_param_array(struct base_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct base_case *p, detect_mynumber, exactly_the_right_check_digit_is_accepted)
{
    int want = check_digit(p->eleven);
    for (int d = 0; d <= 9; d++) {
        char input[64];
        snprintf(input, sizeof input, "マイナンバー %s%d", p->eleven, d);
        struct detect_run r = {0};
        detect_unit(&r, NULL, input, PII_COL_NONE, &pii_detector_mynumber, DETECT_UNSCORED);
        cr_expect_eq(r.found.len, d == want ? 1 : 0, "%s: %s%d %s (the check digit is %d); got %s",
                     p->label, p->eleven, d, d == want ? "is valid" : "is not", want,
                     detect_describe(&r));
        detect_free(&r);
    }
}

ParameterizedTestParameters(detect_mynumber, every_form_with_context_is_found_with_its_exact_span)
{
    static struct detect_record_case cases[] = {
        {"contiguous after マイナンバー", "マイナンバー：123456789018", "123456789018",
         PII_COL_NONE, ""},
        {"hyphens after 個人番号", "個人番号 1234-5678-9018", "1234-5678-9018", PII_COL_NONE, ""},
        {"spaces after My Number", "My Number: 1234 5678 9018", "1234 5678 9018", PII_COL_NONE, ""},
        {"full-width digits", "マイナンバー：１２３４５６７８９０１８", "１２３４５６７８９０１８",
         PII_COL_NONE, ""},
        {"keyword in another field of the record", "987654321093", "987654321093", PII_COL_NONE,
         "山田太郎,マイナンバー,987654321093"},
        {"My Number column", "314159265352", "314159265352", PII_COL_MY_NUMBER, ""},
        {"My Number column, grouped", "3141-5926-5352", "3141-5926-5352", PII_COL_MY_NUMBER, ""},
    };
    return cr_make_param_array(struct detect_record_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_record_case *p, detect_mynumber,
                  every_form_with_context_is_found_with_its_exact_span)
{
    pii_candidate c = detect_expect_one(p->label, p->record[0] != '\0' ? p->record : NULL, p->input,
                                        (enum pii_column)p->column, NULL, PIISCAN_TYPE_MY_NUMBER,
                                        p->expected, NULL);
    cr_expect_geq(c.confidence, 0.9, "%s: context makes it near certain (%.2f)", p->label,
                  c.confidence);
}

struct no_context_case {
    char label[64];
    char input[64];
    char eleven[12]; /* the first eleven digits, to show the check digit passes */
    int last;
};

ParameterizedTestParameters(detect_mynumber, valid_twelve_digits_without_context_are_not_reported)
{
    static struct no_context_case cases[] = {
        {"contiguous", "123456789018", "12345678901", 8},
        {"tracking number that passes the check", "4960-1234-5670", "49601234567", 0},
        {"spaced", "9876 5432 1093", "98765432109", 3},
        {"in a sentence", "伝票番号 314159265352 を発送しました", "31415926535", 2},
    };
    return cr_make_param_array(struct no_context_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct no_context_case *p, detect_mynumber,
                  valid_twelve_digits_without_context_are_not_reported)
{
    cr_assert_eq(check_digit(p->eleven), p->last, "test data: %s%d passes the check digit",
                 p->eleven, p->last);
    struct detect_run r = {0};
    detect_unit(&r, NULL, p->input, PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_expect_eq(detect_count(&r, PIISCAN_TYPE_MY_NUMBER), 0,
                 "%s: \"%s\" has no My Number keyword or column; got %s", p->label, p->input,
                 detect_describe(&r));
    detect_free(&r);
}

ParameterizedTestParameters(detect_mynumber, twelve_digits_inside_longer_numbers_are_not_numbers)
{
    static struct detect_text_case cases[] = {
        {"corporate number (13 digits)", "マイナンバー 1123456789018"},
        {"followed by a digit", "マイナンバー 1234567890181"},
        {"first three groups of a card", "マイナンバー 1234-5678-9018-1234"},
        {"mixed separators", "マイナンバー 1234-5678 9018"},
        {"glued to letters", "マイナンバー A123456789018"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_mynumber,
                  twelve_digits_inside_longer_numbers_are_not_numbers)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_mynumber,
                       DETECT_UNSCORED, "holds no free-standing My Number");
}

Test(detect_mynumber, a_not_pii_column_outweighs_a_keyword_elsewhere_in_the_record)
{
    detect_expect_none("not-pii column", "マイナンバー提出済,123456789018", "123456789018",
                       PII_COL_NOT_PII, NULL, DETECT_THRESHOLD,
                       "in an order-number column keeps its numbers");
}
