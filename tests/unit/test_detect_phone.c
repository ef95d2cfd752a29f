/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_phone.c - Japanese phone numbers: every way they are written is found with its
 * exact span, numbers outside the numbering plan are not, and the boundaries keep order
 * numbers, dates and codes out.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_phone, .init = detect_setup, .fini = detect_teardown);

ParameterizedTestParameters(detect_phone, every_written_form_is_found_with_its_exact_span)
{
    static struct detect_span_case cases[] = {
        {"dashed Tokyo number", "03-1234-5678", "03-1234-5678"},
        {"ungrouped Tokyo number", "0312345678", "0312345678"},
        {"exchange in parentheses", "03(1234)5678", "03(1234)5678"},
        {"area code in parentheses", "(03)1234-5678", "(03)1234-5678"},
        {"area code in parentheses and a space", "(03) 1234-5678", "(03) 1234-5678"},
        {"full-width digits and dash", "０３－１２３４－５６７８", "０３－１２３４－５６７８"},
        {"full-width with a long vowel mark as dash", "０３ー１２３４ー５６７８",
         "０３ー１２３４ー５６７８"},
        {"minus sign between digits", "03−1234−5678", "03−1234−5678"},
        {"dots between groups", "03.1234.5678", "03.1234.5678"},
        {"mobile with spaces", "090 1234 5678", "090 1234 5678"},
        {"mobile with ideographic spaces", "090　1234　5678", "090　1234　5678"},
        {"mobile with dashes", "090-1234-5678", "090-1234-5678"},
        {"ungrouped mobile", "09012345678", "09012345678"},
        {"mobile 070", "070-2345-6789", "070-2345-6789"},
        {"mobile 080", "080-2345-6789", "080-2345-6789"},
        {"+81 with dashes", "+81-90-1234-5678", "+81-90-1234-5678"},
        {"+81 with spaces", "+81 90 1234 5678", "+81 90 1234 5678"},
        {"+81 with the trunk 0 in parentheses", "+81 (0)3-1234-5678", "+81 (0)3-1234-5678"},
        {"+81 ungrouped", "+81312345678", "+81312345678"},
        {"+81 with the trunk 0 kept", "+81-090-1234-5678", "+81-090-1234-5678"},
        {"TEL: label", "TEL:03-1234-5678", "03-1234-5678"},
        {"TEL. label", "TEL.03-1234-5678", "03-1234-5678"},
        {"Tel with a full-width colon", "Tel：03-1234-5678", "03-1234-5678"},
        {"電話 with a full-width colon", "電話：090-1234-5678", "090-1234-5678"},
        {"telephone sign", "☎03-1234-5678", "03-1234-5678"},
        {"TEL glued to the number", "TEL03-1234-5678", "03-1234-5678"},
        {"free dial 0120", "0120-123-456", "0120-123-456"},
        {"navi dial 0570", "0570-012-345", "0570-012-345"},
        {"free dial 0800", "0800-123-4567", "0800-123-4567"},
        {"IP phone 050", "050-1234-5678", "050-1234-5678"},
        {"pager / M2M 020", "020-1234-5678", "020-1234-5678"},
        {"premium rate 0990", "0990-123-456", "0990-123-456"},
        {"four-digit area code", "0467-12-3456", "0467-12-3456"},
        {"four-digit area code written short", "046-712-3456", "046-712-3456"},
        {"ungrouped four-digit area code", "0467123456", "0467123456"},
        {"five-digit area code", "01564-1-2345", "01564-1-2345"},
        {"two groups", "03-12345678", "03-12345678"},
        {"Osaka", "06-6123-4567", "06-6123-4567"},
        {"inside a sentence", "お問い合わせは03-1234-5678まで", "03-1234-5678"},
        {"after a quantity and a space", "数量 2 090-1234-5678", "090-1234-5678"},
        {"followed by a space and more digits", "090 1234 5678 12", "090 1234 5678"},
        {"at a sentence end", "連絡は090-1234-5678.", "090-1234-5678"},
    };
    return cr_make_param_array(struct detect_span_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_span_case *p, detect_phone,
                  every_written_form_is_found_with_its_exact_span)
{
    detect_expect_one(p->label, NULL, p->input, PII_COL_NONE, NULL, PIISCAN_TYPE_PHONE, p->expected,
                      NULL);
}

ParameterizedTestParameters(detect_phone, numbers_outside_the_numbering_plan_are_not_phones)
{
    static struct detect_text_case cases[] = {
        {"mobile one digit short", "090-1234-567"},
        {"mobile one digit long", "090-1234-56789"},
        {"mobile with 0 after the prefix", "090-0123-4567"},
        {"free dial 0120 with 11 digits", "0120-1234-5678"},
        {"navi dial 0570 with 11 digits", "0570-123-4567"},
        {"030 is not allocated", "030-1234-5678"},
        {"010 is the international prefix", "010-1234-5678"},
        {"first group longer than the area code", "0312-34-5678"},
        {"fixed line with 11 digits", "03-1234-56789"},
        {"fixed line with 9 digits", "03-123-4567"},
        {"free dial grouped like a mobile", "012-0123-456"},
        {"mobile grouped like a fixed line", "0901-234-5678"},
        {"+81 with a fixed line one digit short", "+81-3-123-4567"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_phone,
                  numbers_outside_the_numbering_plan_are_not_phones)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_phone, DETECT_UNSCORED,
                       "breaks the numbering plan");
}

ParameterizedTestParameters(detect_phone, numbers_joined_to_other_text_are_not_phones)
{
    static struct detect_text_case cases[] = {
        {"SKU with letters", "ABC-0312-3456"},
        {"SKU with letters and a full number", "ABC-0312345678"},
        {"end of a Rakuten order number", "382930-20220705-0123456789"},
        {"inside a longer digit run", "103123456789"},
        {"letters right after", "0312345678abc"},
        {"continued by a dash and digits", "03-1234-5678-9"},
        {"after a slash and digits", "12/0312345678"},
        {"decimal", "1.0312345678"},
        {"after an underscore", "file_0312345678"},
        {"an amount in yen", "¥0312345678"},
        {"an amount with 円", "0312345678円"},
        {"hotel is not tel", "hotel0312345678"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_phone,
                  numbers_joined_to_other_text_are_not_phones)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_phone, DETECT_UNSCORED,
                       "has no free-standing phone number");
}

Test(detect_phone, two_numbers_in_one_line_are_both_found)
{
    const char *input = "TEL 03-1234-5678 / FAX 03-1234-5679";
    struct detect_run r = {0};
    detect_unit(&r, NULL, input, PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 2, "a phone and a fax number; got %s", detect_describe(&r));
    size_t start;
    size_t end;
    detect_input_span(&r, &r.found.v[1], &start, &end);
    cr_expect_eq(start, strlen("TEL 03-1234-5678 / FAX "), "the fax number starts after FAX; %s",
                 detect_describe(&r));
    detect_free(&r);
}

static double confidence_of(const char *input, const char *record, enum pii_column column)
{
    return detect_confidence(record, input, column, PIISCAN_TYPE_PHONE);
}

Test(detect_phone, grouping_is_more_convincing_than_bare_digits)
{
    double grouped = confidence_of("03-1234-5678", NULL, PII_COL_NONE);
    double bare = confidence_of("0312345678", NULL, PII_COL_NONE);
    cr_expect_gt(grouped, bare, "03-1234-5678 (%.2f) is surer than 0312345678 (%.2f)", grouped,
                 bare);
    cr_expect_geq(bare, DETECT_THRESHOLD, "a valid bare number is still reported (%.2f)", bare);
}

Test(detect_phone, a_label_in_front_makes_it_near_certain)
{
    double plain = confidence_of("03-1234-5678", NULL, PII_COL_NONE);
    double labelled = confidence_of("TEL:03-1234-5678", NULL, PII_COL_NONE);
    cr_expect_gt(labelled, plain, "TEL: raises the confidence (%.2f > %.2f)", labelled, plain);
    cr_expect_geq(labelled, 0.95, "TEL: right in front is near certain (%.2f)", labelled);
}

Test(detect_phone, a_phone_keyword_elsewhere_in_the_record_raises_confidence)
{
    double plain = confidence_of("0312345678", "山田,0312345678", PII_COL_NONE);
    double keyword = confidence_of("0312345678", "山田,電話番号,0312345678", PII_COL_NONE);
    cr_expect_gt(keyword, plain, "電話番号 in the record raises a bare number (%.2f > %.2f)",
                 keyword, plain);
}

Test(detect_phone, the_evidence_is_named_in_the_detector_string)
{
    struct detect_run r = {0};
    detect_unit(&r, NULL, "電話：090-1234-5678", PII_COL_NONE, NULL, DETECT_THRESHOLD);
    const pii_candidate *c = detect_find(&r, PIISCAN_TYPE_PHONE);
    cr_assert_not_null(c, "a labelled mobile number; got %s", detect_describe(&r));
    cr_expect_str_eq(c->detector, "phone/keyword", "the label is the evidence");
    detect_free(&r);
}

ParameterizedTestParameters(detect_phone, a_phone_column_restores_the_zero_a_spreadsheet_dropped)
{
    static struct detect_text_case cases[] = {
        {"mobile without its 0", "9012345678"},
        {"Tokyo number without its 0", "312345678"},
        {"with spaces around", " 9012345678 "},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_phone,
                  a_phone_column_restores_the_zero_a_spreadsheet_dropped)
{
    const char *digits = p->input + strspn(p->input, " ");
    char expected[16];
    snprintf(expected, sizeof expected, "%.*s", (int)strspn(digits, "0123456789"), digits);
    pii_candidate c = detect_expect_one(p->label, NULL, p->input, PII_COL_PHONE, NULL,
                                        PIISCAN_TYPE_PHONE, expected, "phone/column");
    cr_expect_geq(c.confidence, 0.95, "%s: the phone column vouches for it (%.2f)", p->label,
                  c.confidence);
}

Test(detect_phone, digits_without_the_zero_are_not_phones_outside_a_phone_column)
{
    detect_expect_none("no phone column", NULL, "9012345678", PII_COL_NONE, NULL, DETECT_THRESHOLD,
                       "is just a number without a phone column");
}

Test(detect_phone, a_phone_column_does_not_make_any_number_a_phone)
{
    detect_expect_none("phone column", NULL, "100000000", PII_COL_PHONE, NULL, DETECT_THRESHOLD,
                       "is 0100000000, which starts with the international prefix");
}

Test(detect_phone, a_phone_column_raises_and_a_not_pii_column_lowers)
{
    double none = confidence_of("0312345678", NULL, PII_COL_NONE);
    double phone = confidence_of("0312345678", NULL, PII_COL_PHONE);
    cr_expect_geq(phone, 0.95, "a phone column makes 0312345678 near certain (%.2f)", phone);
    cr_expect_gt(phone, none, "the column raises it (%.2f > %.2f)", phone, none);

    detect_expect_none("not-pii column", NULL, "03-1234-5678", PII_COL_NOT_PII, NULL,
                       DETECT_THRESHOLD, "in an order-number column is not reported");
}

Test(detect_phone, a_number_in_an_email_address_is_reported_as_the_address)
{
    detect_expect_one("phone number as a local part", NULL, "09012345678@docomo.ne.jp",
                      PII_COL_NONE, NULL, PIISCAN_TYPE_EMAIL, NULL, NULL);
}

/* Prefixes of the numbers that are never fixed lines (mobile, IP, free dial ...). */
static bool is_non_geographic(const char *number)
{
    static const char *const prefixes[] = {"0120", "0800", "0570", "0990", "020",
                                           "050",  "060",  "070",  "080",  "090"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        if (strncmp(number, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    }
    return false;
}

static size_t phones_in(const char *input)
{
    struct detect_run r = {0};
    detect_unit(&r, NULL, input, PII_COL_NONE, &pii_detector_phone, DETECT_UNSCORED);
    size_t n = r.found.len;
    detect_free(&r);
    return n;
}

/* The detector looks area codes up in its own table by the four digits after the 0: for
 * every such prefix it must agree with the dictionary's longest match, ungrouped, grouped at
 * the area code, and grouped one digit too late. */
Test(detect_phone, every_fixed_line_prefix_agrees_with_the_area_code_dictionary)
{
    for (unsigned key = 0; key < 10000; key++) {
        char number[16];
        snprintf(number, sizeof number, "0%04u23456", key);
        if (is_non_geographic(number))
            continue;
        const struct pii_area_code *area = pii_area_code_find(number, 10);
        size_t found = phones_in(number);
        cr_expect_eq(found, area != NULL ? 1 : 0, "%s has %s area code, so %s; got %zu", number,
                     area != NULL ? "an" : "no", area != NULL ? "a phone" : "no phone", found);
        if (area == NULL)
            continue;
        size_t len = strlen(area->code);
        char grouped[24];
        /* first group, then 6 - len digits, then four: 03-1234-5678, 0467-12-3456 */
        snprintf(grouped, sizeof grouped, "%.*s-%.*s-%s", (int)len, number, (int)(6 - len),
                 number + len, number + 6);
        cr_expect_eq(phones_in(grouped), 1, "%s groups its area code %s as written", grouped,
                     area->code);
        if (len < 5) {
            snprintf(grouped, sizeof grouped, "%.*s-%.*s-%s", (int)len + 1, number, (int)(5 - len),
                     number + len + 1, number + 6);
            cr_expect_eq(phones_in(grouped), 0, "%s has a first group longer than its area code %s",
                         grouped, area->code);
        }
    }
}
