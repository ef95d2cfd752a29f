/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_email.c - e-mail addresses: standard ones, the broken ones Japanese carriers
 * issued, full-width ones, with exact spans; file names and handles are not addresses.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_email, .init = detect_setup, .fini = detect_teardown);

ParameterizedTestParameters(detect_email, every_written_form_is_found_with_its_exact_span)
{
    static struct detect_span_case cases[] = {
        {"plain", "taro.yamada@example.co.jp", "taro.yamada@example.co.jp"},
        {"carrier: consecutive dots and a dot before @", "taro..yamada.@docomo.ne.jp",
         "taro..yamada.@docomo.ne.jp"},
        {"carrier: leading dot", ".taro@ezweb.ne.jp", ".taro@ezweb.ne.jp"},
        {"underscore, hyphen and digits", "taro_yamada-1@softbank.ne.jp",
         "taro_yamada-1@softbank.ne.jp"},
        {"plus tag", "taro+shop@gmail.com", "taro+shop@gmail.com"},
        {"upper case", "TARO@EXAMPLE.JP", "TARO@EXAMPLE.JP"},
        {"full-width throughout", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ",
         "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ"},
        {"full-width at sign", "taro＠example.jp", "taro＠example.jp"},
        {"after a label", "メール：taro@example.jp まで", "taro@example.jp"},
        {"in angle brackets", "reply-to: <taro@example.jp>", "taro@example.jp"},
        {"in single quotes", "'taro@example.jp'", "taro@example.jp"},
        {"sentence end", "連絡先はtaro@example.jp.", "taro@example.jp"},
        {"mailto link", "mailto:taro@example.jp", "taro@example.jp"},
        {"deep subdomain", "a@mail.tokyo.example.com", "a@mail.tokyo.example.com"},
        {"IDN top-level domain", "taro@example.xn--wgv71a", "taro@example.xn--wgv71a"},
        {"hyphen inside a label", "taro@my-shop.example.jp", "taro@my-shop.example.jp"},
    };
    return cr_make_param_array(struct detect_span_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_span_case *p, detect_email,
                  every_written_form_is_found_with_its_exact_span)
{
    pii_candidate c = detect_expect_one(p->label, NULL, p->input, PII_COL_NONE, NULL,
                                        PIISCAN_TYPE_EMAIL, p->expected, NULL);
    cr_expect_geq(c.confidence, 0.9, "%s: an address is near certain (%.2f)", p->label,
                  c.confidence);
}

Test(detect_email, a_display_name_before_the_address_is_a_name_finding_of_its_own)
{
    struct detect_run r = {0};
    detect_unit(&r, NULL, "山田太郎 <taro@example.jp>", PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 2, "the display name and the address; got %s", detect_describe(&r));
    size_t start;
    size_t end;
    detect_input_span(&r, &r.found.v[0], &start, &end);
    cr_expect(r.found.v[0].type == PIISCAN_TYPE_NAME && start == 0 && end == strlen("山田太郎"),
              "first the name 山田太郎; got %s", detect_describe(&r));
    detect_input_span(&r, &r.found.v[1], &start, &end);
    cr_expect(r.found.v[1].type == PIISCAN_TYPE_EMAIL && start == strlen("山田太郎 <") &&
                  end == strlen("山田太郎 <taro@example.jp"),
              "then the address alone, without its brackets; got %s", detect_describe(&r));
    detect_free(&r);
}

ParameterizedTestParameters(detect_email, things_with_an_at_sign_that_are_not_addresses)
{
    static struct detect_text_case cases[] = {
        {"retina image name", "icon@2x.png"},
        {"retina image name, three times", "logo@3x.webp"},
        {"image with an upper-case extension", "photo@2x.JPG"},
        {"retina suffix, extension not in the list", "banner@2x.avif"},
        {"style sheet", "theme@latest.css"},
        {"no dot in the domain", "taro@localhost"},
        {"numeric domain", "taro@192.168.0.1"},
        {"one-letter top-level label", "taro@example.c"},
        {"handle without a local part", "@taro_yamada"},
        {"domain without a local part", "@example.com"},
        {"label starting with a hyphen", "taro@-example.com"},
        {"local part longer than 64",
         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@example.jp"},
        {"domain glued to more text", "taro@example.jp_backup"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_email,
                  things_with_an_at_sign_that_are_not_addresses)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_email, DETECT_UNSCORED,
                       "is not an address");
}

Test(detect_email, several_addresses_in_one_line_are_each_found)
{
    const char *input = "to: a@example.jp, b.c@example.com;d@example.org";
    struct detect_run r = {0};
    detect_unit(&r, NULL, input, PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 3, "three addresses; got %s", detect_describe(&r));
    const char *expected[] = {"a@example.jp", "b.c@example.com", "d@example.org"};
    for (size_t i = 0; i < 3; i++) {
        size_t want_start;
        size_t want_end;
        size_t start;
        size_t end;
        detect_expected_span(input, expected[i], &want_start, &want_end);
        detect_input_span(&r, &r.found.v[i], &start, &end);
        cr_expect(start == want_start && end == want_end, "address %zu is %s; got %s", i,
                  expected[i], detect_describe(&r));
    }
    detect_free(&r);
}

Test(detect_email, an_email_column_confirms_and_names_the_evidence)
{
    /* The column is named as the evidence. */
    detect_expect_one("email column", NULL, "taro@example.jp", PII_COL_EMAIL, NULL,
                      PIISCAN_TYPE_EMAIL, NULL, "email/column");
}
