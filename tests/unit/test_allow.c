/* SPDX-License-Identifier: BSD-3-Clause */
/* test_allow.c - allow rules (cli/allow.c): a value allows its other spellings and nothing
 * else, a pattern sees the value as found and its canonical form, a fingerprint allows only
 * itself, and bad rules are refused with the reason. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "cli.h"

static struct allow_rules *rules;
static char why[512];

static void make_rules(void)
{
    rules = allow_rules_new();
    cr_assert_not_null(rules);
    why[0] = '\0';
}

static void free_rules(void)
{
    allow_rules_free(rules);
}

TestSuite(allow, .init = make_rules, .fini = free_rules);

static bool allows(piiscan_type type, const char *value, const char *fingerprint)
{
    return allow_rules_match(rules, type, value, strlen(value), fingerprint);
}

/* Arrays, not pointers: Criterion hands parameters to a test in another process. */
struct spelling {
    char label[48];
    piiscan_type type;
    char rule[64];  /* as written in the config file */
    char found[64]; /* as found in a file */
    bool is_allowed;
};

static struct spelling spellings[] = {
    {"phone as written", PIISCAN_TYPE_PHONE, "03-1234-5678", "03-1234-5678", true},
    {"phone with parentheses", PIISCAN_TYPE_PHONE, "03-1234-5678", "(03)1234-5678", true},
    {"phone in full width", PIISCAN_TYPE_PHONE, "03-1234-5678", "０３－１２３４－５６７８", true},
    {"phone with +81", PIISCAN_TYPE_PHONE, "03-1234-5678", "+81 3-1234-5678", true},
    {"phone with +81 (0)", PIISCAN_TYPE_PHONE, "03-1234-5678", "+81 (0)3-1234-5678", true},
    {"rule with +81", PIISCAN_TYPE_PHONE, "+81-3-1234-5678", "03 1234 5678", true},
    {"another phone", PIISCAN_TYPE_PHONE, "03-1234-5678", "03-1234-5679", false},
    {"a longer phone", PIISCAN_TYPE_PHONE, "03-1234-5678", "03-1234-56789", false},
    {"81 without + is no country code", PIISCAN_TYPE_PHONE, "03-1234-5678", "81-3-1234-5678",
     false},
    {"postal code with 〒", PIISCAN_TYPE_POSTAL_CODE, "100-0005", "〒１００−０００５", true},
    {"e-mail in capitals", PIISCAN_TYPE_EMAIL, "info@example.co.jp", "Info@Example.CO.JP", true},
    {"e-mail in full width", PIISCAN_TYPE_EMAIL, "info@example.co.jp",
     "ｉｎｆｏ＠ｅｘａｍｐｌｅ.co.jp", true},
    {"another mailbox", PIISCAN_TYPE_EMAIL, "info@example.co.jp", "sales@example.co.jp", false},
    {"name with an ideographic space", PIISCAN_TYPE_NAME, "山田 太郎", "山田　太郎", true},
    {"name without a space", PIISCAN_TYPE_NAME, "山田 太郎", "山田太郎", true},
    {"another name", PIISCAN_TYPE_NAME, "山田 太郎", "山田 次郎", false},
    {"address with full-width digits", PIISCAN_TYPE_ADDRESS, "東京都千代田区丸の内1-1-1",
     "東京都千代田区丸の内１-１-１", true},
};

ParameterizedTestParameters(allow, value_allows_its_spellings_and_no_other_value)
{
    return cr_make_param_array(struct spelling, spellings, sizeof spellings / sizeof *spellings);
}

ParameterizedTest(struct spelling *c, allow, value_allows_its_spellings_and_no_other_value)
{
    cr_assert_eq(allow_rules_add_value(rules, c->type, c->rule, why, sizeof why), 0, "%s: %s",
                 c->label, why);
    cr_assert_eq(allows(c->type, c->found, NULL), c->is_allowed, "%s: rule '%s', found '%s'",
                 c->label, c->rule, c->found);
}

Test(allow, value_allows_only_its_own_type)
{
    cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_PHONE, "0312345678", why, sizeof why),
                 0);
    cr_assert(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", NULL));
    cr_assert_not(allows(PIISCAN_TYPE_MY_NUMBER, "0312345678", NULL),
                  "the same digits as another type are another value");
}

Test(allow, many_values_are_all_found)
{
    char value[32];
    for (int i = 999; i >= 0; i--) { /* added out of order: the rules keep them sorted */
        snprintf(value, sizeof value, "03-1234-%04d", i * 7);
        cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_PHONE, value, why, sizeof why), 0);
    }
    cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_PHONE, "03-1234-0007", why, sizeof why),
                 0, "a value said twice is no error");
    for (int i = 0; i < 7000; i++) {
        snprintf(value, sizeof value, "03-1234-%04d", i);
        cr_assert_eq(allows(PIISCAN_TYPE_PHONE, value, NULL), i % 7 == 0, "%s", value);
    }
}

Test(allow, value_without_digits_or_characters_is_refused)
{
    cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_PHONE, "abc", why, sizeof why), -1);
    cr_assert(strstr(why, "no digits") != NULL, "the reason: %s", why);
    cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_NAME, "\xE3\x80\x80 ", why, sizeof why),
                 -1, "spaces alone");
    cr_assert(strstr(why, "no characters") != NULL, "the reason: %s", why);
}

Test(allow, pattern_sees_the_value_as_found_and_its_canonical_form)
{
    cr_assert_eq(allow_rules_add_pattern(rules, PIISCAN_TYPE_BIT(PIISCAN_TYPE_PHONE), "^0120", why,
                                         sizeof why),
                 0, "%s", why);
    cr_assert(allows(PIISCAN_TYPE_PHONE, "0120-123-456", NULL), "as found");
    cr_assert(allows(PIISCAN_TYPE_PHONE, "(0120)123-456", NULL), "only the canonical form");
    cr_assert(allows(PIISCAN_TYPE_PHONE, "０１２０－１２３－４５６", NULL), "full width");
    cr_assert_not(allows(PIISCAN_TYPE_PHONE, "03-0120-4567", NULL), "0120 not at the start");
}

Test(allow, typed_pattern_applies_to_its_type_and_untyped_to_all)
{
    cr_assert_eq(allow_rules_add_pattern(rules, PIISCAN_TYPE_BIT(PIISCAN_TYPE_EMAIL),
                                         "@example\\.co\\.jp$", why, sizeof why),
                 0, "%s", why);
    cr_assert(allows(PIISCAN_TYPE_EMAIL, "sales@example.co.jp", NULL));
    cr_assert_not(allows(PIISCAN_TYPE_ADDRESS, "sales@example.co.jp", NULL), "only e-mail");
    cr_assert_eq(allow_rules_add_pattern(rules, 0, "^テスト", why, sizeof why), 0, "%s", why);
    cr_assert(allows(PIISCAN_TYPE_NAME, "テスト太郎", NULL), "UTF-8 patterns, any type");
    cr_assert(allows(PIISCAN_TYPE_ADDRESS, "テスト県テスト市", NULL), "any type");
    cr_assert_not(allows(PIISCAN_TYPE_NAME, "山田テスト", NULL));
}

Test(allow, pattern_that_does_not_compile_is_refused_with_its_offset)
{
    cr_assert_eq(allow_rules_add_pattern(rules, 0, "^0120(", why, sizeof why), -1);
    cr_assert(strstr(why, "'^0120('") != NULL, "names the pattern: %s", why);
    cr_assert(strstr(why, "offset 6") != NULL, "says where: %s", why);
    cr_assert(strstr(why, "parenthesis") != NULL, "says what, in PCRE2's words: %s", why);
}

Test(allow, fingerprint_allows_only_itself_and_needs_one_computed)
{
    cr_assert_not(allow_rules_have_fingerprints(rules));
    cr_assert_eq(
        allow_rules_add_fingerprint(rules, "0123456789ABCDEF0123456789abcdef", why, sizeof why), 0,
        "either case: %s", why);
    cr_assert(allow_rules_have_fingerprints(rules), "the sweep must compute fingerprints");
    cr_assert(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", "0123456789abcdef0123456789abcdef"));
    cr_assert(allows(PIISCAN_TYPE_NAME, "山田", "0123456789abcdef0123456789abcdef"),
              "a fingerprint is the value's whatever the text");
    cr_assert_not(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", "0123456789abcdef0123456789abcdee"));
    cr_assert_not(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", NULL), "none computed");
    cr_assert_not(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", "0123"), "not a fingerprint");
}

Test(allow, fingerprint_not_32_hex_digits_is_refused)
{
    const char *bad[] = {"0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdef0",
                         "0123456789abcdef0123456789abcdeg", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        cr_assert_eq(allow_rules_add_fingerprint(rules, bad[i], why, sizeof why), -1, "'%s'",
                     bad[i]);
        cr_assert(strstr(why, "32 hexadecimal digits") != NULL, "the reason: %s", why);
    }
}

Test(allow, empty_rules_allow_nothing)
{
    cr_assert_not(allows(PIISCAN_TYPE_PHONE, "03-1234-5678", "0123456789abcdef0123456789abcdef"));
    cr_assert_not(allow_rules_match(NULL, PIISCAN_TYPE_PHONE, "0", 1, NULL), "no rules at all");
}

Test(allow, long_values_are_compared_whole)
{
    char value[1200];
    memset(value, 'a', sizeof value - 1);
    value[sizeof value - 1] = '\0';
    cr_assert_eq(allow_rules_add_value(rules, PIISCAN_TYPE_ADDRESS, value, why, sizeof why), 0);
    cr_assert(allows(PIISCAN_TYPE_ADDRESS, value, NULL), "longer than the stack buffer");
    value[1000] = 'b';
    cr_assert_not(allows(PIISCAN_TYPE_ADDRESS, value, NULL), "a difference far in");
}
