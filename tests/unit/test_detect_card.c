/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_card.c - payment card numbers: Luhn, the issuer's prefix and length, the card
 * groupings, and confidence that follows grouping and context. JAN codes never qualify.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_card, .init = detect_setup, .fini = detect_teardown);

/* Luhn written out here, so the tests do not trust the detector's own. */
static bool luhn(const char *digits)
{
    size_t n = strlen(digits);
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        int v = digits[n - 1 - i] - '0';
        if (i % 2 == 1)
            v = v * 2 > 9 ? v * 2 - 9 : v * 2;
        sum += v;
    }
    return sum % 10 == 0;
}

ParameterizedTestParameters(detect_card, every_issuer_prefix_and_length_is_recognised)
{
    static struct detect_text_case cases[] = {
        {"Visa, 16", "4111111111111111"},           {"Visa, 19", "4111111111111111110"},
        {"Mastercard 51-55", "5555555555554444"},   {"Mastercard 2221-2720", "2221000000000009"},
        {"American Express 34", "340000000000009"}, {"American Express 37", "378282246310005"},
        {"JCB 3528-3589", "3530111333300000"},      {"JCB 3566", "3566002020360505"},
        {"Diners 300-305, 14", "30569309025904"},   {"Diners 36, 14", "36227206271667"},
        {"Diners 38, 14", "38520000023237"},        {"Discover 6011", "6011111111111117"},
        {"Discover 644-649", "6440000000000005"},   {"Discover 65", "6500000000000002"},
        {"UnionPay 62, 16", "6200000000000005"},    {"UnionPay 62, 19", "6200000000000000000"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_card,
                  every_issuer_prefix_and_length_is_recognised)
{
    cr_assert(luhn(p->input), "test data: %s passes Luhn", p->input);
    detect_expect_one(p->label, NULL, p->input, PII_COL_NONE, NULL, PIISCAN_TYPE_CREDIT_CARD, NULL,
                      NULL);
}

ParameterizedTestParameters(detect_card, every_grouping_is_found_with_its_exact_span)
{
    static struct detect_span_case cases[] = {
        {"4-4-4-4 with spaces", "4111 1111 1111 1111", "4111 1111 1111 1111"},
        {"4-4-4-4 with hyphens", "4111-1111-1111-1111", "4111-1111-1111-1111"},
        {"4-6-5 (American Express)", "3782 822463 10005", "3782 822463 10005"},
        {"4-6-4 (Diners)", "3056-930902-5904", "3056-930902-5904"},
        {"4-4-4-4-3 (19 digits)", "6200 0000 0000 0000 000", "6200 0000 0000 0000 000"},
        {"full-width digits and dashes", "４１１１－１１１１－１１１１－１１１１",
         "４１１１－１１１１－１１１１－１１１１"},
        {"after a label", "カード番号：4111111111111111", "4111111111111111"},
        {"4-4-4-4 followed by an unrelated group of three", "4111 1111 1111 1111 123",
         "4111 1111 1111 1111"},
        {"after a quantity and a space", "数量 2 4111 1111 1111 1111", "4111 1111 1111 1111"},
    };
    return cr_make_param_array(struct detect_span_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_span_case *p, detect_card,
                  every_grouping_is_found_with_its_exact_span)
{
    detect_expect_one(p->label, NULL, p->input, PII_COL_NONE, NULL, PIISCAN_TYPE_CREDIT_CARD,
                      p->expected, NULL);
}

struct invalid_case {
    char label[64];
    char input[96];
    bool is_luhn_valid; /* what the digits do for Luhn, checked before the detector runs */
};

ParameterizedTestParameters(detect_card, numbers_no_issuer_would_issue_are_not_cards)
{
    static struct invalid_case cases[] = {
        {"Visa failing Luhn", "4111111111111112", false},
        {"grouped Visa failing Luhn", "4111 1111 1111 1112", false},
        {"no issuer starts with 1", "1234567812345670", true},
        {"no issuer starts with 9", "9999999999999995", true},
        {"American Express with 16 digits", "3782822463100052", true},
        {"Visa with 15 digits", "411111111111116", true},
        {"Mastercard with 15 digits", "511111111111115", true},
        {"JAN-13 with a valid check digit", "4901234567894", true},
        {"20 digits", "35301113333000000000", true},
    };
    return cr_make_param_array(struct invalid_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct invalid_case *p, detect_card, numbers_no_issuer_would_issue_are_not_cards)
{
    char digits[32];
    size_t n = 0;
    for (const char *s = p->input; *s != '\0' && n + 1 < sizeof digits; s++) {
        if (*s >= '0' && *s <= '9')
            digits[n++] = *s;
    }
    digits[n] = '\0';
    cr_assert_eq(luhn(digits), p->is_luhn_valid, "test data: Luhn of %s", digits);
    /* With a card keyword: context must not rescue an invalid number. */
    detect_expect_none(p->label, "カード番号", p->input, PII_COL_NONE, &pii_detector_card,
                       DETECT_UNSCORED, "is not a card number");
}

ParameterizedTestParameters(detect_card, card_digits_inside_other_numbers_are_not_cards)
{
    static struct detect_text_case cases[] = {
        {"inside a longer digit run", "94111111111111111"},
        {"mixed separators", "4111-1111 1111-1111"},
        {"continued by a hyphen and digits", "4111-1111-1111-1111-22"},
        {"glued to letters", "ID4111111111111111"},
        {"after a dash joined to digits", "12-4111111111111111"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_card,
                  card_digits_inside_other_numbers_are_not_cards)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_card, DETECT_UNSCORED,
                       "holds no free-standing card number");
}

Test(detect_card, grouping_and_context_raise_confidence_in_that_order)
{
    const piiscan_type card = PIISCAN_TYPE_CREDIT_CARD;
    double bare = detect_confidence(NULL, "4111111111111111", PII_COL_NONE, card);
    double grouped = detect_confidence(NULL, "4111 1111 1111 1111", PII_COL_NONE, card);
    double keyword = detect_confidence("クレジットカード,4111111111111111", "4111111111111111",
                                       PII_COL_NONE, card);
    double column = detect_confidence(NULL, "4111111111111111", PII_COL_CREDIT_CARD, card);
    cr_expect(bare >= DETECT_THRESHOLD && bare < 0.7, "bare digits are a modest finding (%.2f)",
              bare);
    cr_expect_gt(grouped, bare, "card grouping raises it (%.2f > %.2f)", grouped, bare);
    cr_expect_geq(keyword, 0.95, "a card keyword makes it near certain (%.2f)", keyword);
    cr_expect_geq(column, 0.95, "a card column makes it near certain (%.2f)", column);
}

Test(detect_card, a_jan_code_is_never_a_card_even_in_a_card_column)
{
    struct detect_run r = {0};
    detect_unit(&r, "カード番号", "4901234567894", PII_COL_CREDIT_CARD, NULL, DETECT_THRESHOLD);
    cr_expect_eq(detect_count(&r, PIISCAN_TYPE_CREDIT_CARD), 0, "13 digits are too short; got %s",
                 detect_describe(&r));
    detect_free(&r);
}

Test(detect_card, a_not_pii_column_drops_a_bare_number)
{
    detect_expect_none("not-pii column", NULL, "4111111111111111", PII_COL_NOT_PII, NULL,
                       DETECT_THRESHOLD, "in an order-number column keeps its numbers");
}
