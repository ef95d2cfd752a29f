/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_postal.c - postal codes: the dashed form alone, the bare form only with
 * context, every code checked against Japan Post's list, the span without 〒, and no code
 * carved out of a longer number; the C matcher finds exactly what the PCRE2 pattern it
 * follows finds.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_postal, .init = detect_setup, .fini = detect_teardown);

/* Codes that exist: 150-0001 is Jingumae, Shibuya; 100-0001 Chiyoda, Tokyo. */
#define SHIBUYA 1500001u
#define CHIYODA 1000001u

static void assert_exists(uint32_t code)
{
    cr_assert(pii_postal_code_exists(code), "test data: %07u is in the postal code list", code);
}

ParameterizedTestParameters(detect_postal, every_written_form_is_found_with_its_exact_span)
{
    static struct detect_record_case cases[] = {
        {"dashed", "150-0001", "150-0001", PII_COL_NONE, ""},
        {"postal mark", "〒150-0001", "150-0001", PII_COL_NONE, ""},
        {"postal mark and a space", "〒 150-0001", "150-0001", PII_COL_NONE, ""},
        {"postal mark and an ideographic space", "〒　150-0001", "150-0001", PII_COL_NONE, ""},
        {"postal mark, bare digits", "〒1500001", "1500001", PII_COL_NONE, ""},
        {"circled postal mark", "〶150-0001", "150-0001", PII_COL_NONE, ""},
        {"full-width digits and dash", "１５０－０００１", "１５０－０００１", PII_COL_NONE, ""},
        {"postal mark, full-width", "〒１５０－０００１", "１５０－０００１", PII_COL_NONE, ""},
        {"full-width bare digits after the mark", "〒１５０００01", "１５０００01", PII_COL_NONE,
         ""},
        {"katakana long vowel mark as dash", "150ー0001", "150ー0001", PII_COL_NONE, ""},
        {"bare digits in a postal column", "1500001", "1500001", PII_COL_POSTAL_CODE, ""},
        {"bare digits with 郵便番号 in the record", "1500001", "1500001", PII_COL_NONE,
         "郵便番号,1500001"},
        {"bare digits before an address", "1500001 東京都渋谷区神宮前", "1500001", PII_COL_NONE,
         ""},
        {"bare digits right before an address", "1000001東京都千代田区千代田", "1000001",
         PII_COL_NONE, ""},
        {"dashed before an address", "150-0001 東京都渋谷区神宮前", "150-0001", PII_COL_NONE, ""},
        {"inside a sentence", "送付先は〒100-0001です", "100-0001", PII_COL_NONE, ""},
    };
    return cr_make_param_array(struct detect_record_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_record_case *p, detect_postal,
                  every_written_form_is_found_with_its_exact_span)
{
    assert_exists(SHIBUYA);
    assert_exists(CHIYODA);
    detect_expect_one(p->label, p->record[0] != '\0' ? p->record : NULL, p->input,
                      (enum pii_column)p->column, NULL, PIISCAN_TYPE_POSTAL_CODE, p->expected,
                      NULL);
}

struct negative_case {
    char label[64];
    char input[64];
    uint32_t inner; /* a real code hidden in the input, or 0 */
};

ParameterizedTestParameters(detect_postal, no_code_is_carved_out_of_a_longer_number)
{
    static struct negative_case cases[] = {
        {"bare digits without context", "1500001", SHIBUYA},
        {"three-four inside a phone number", "03-1150-0001", SHIBUYA},
        {"three-seven like an order id", "150-0001234", SHIBUYA},
        {"Amazon order id", "250-1234567-1234567", 0},
        {"four-four", "1150-0001", SHIBUYA},
        {"dashed, continued by digits", "150-0001-2", SHIBUYA},
        {"after letters and a dash (SKU)", "ABC-150-0001", SHIBUYA},
        {"eight digits", "15000012", SHIBUYA},
        {"glued to letters", "150-0001A", SHIBUYA},
        {"after a slash and digits", "12/150-0001", SHIBUYA},
        {"an amount with 円", "1500001円", SHIBUYA},
    };
    return cr_make_param_array(struct negative_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct negative_case *p, detect_postal, no_code_is_carved_out_of_a_longer_number)
{
    if (p->inner != 0)
        assert_exists(p->inner);
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, &pii_detector_postal,
                       DETECT_UNSCORED, "holds no postal code");
}

Test(detect_postal, a_code_that_does_not_exist_is_not_reported_even_with_the_mark)
{
    cr_assert(!pii_postal_code_exists(1234567), "test data: 123-4567 is not a real code");
    const char *inputs[] = {"123-4567", "〒123-4567", "〒1234567"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        detect_expect_none("postal column", NULL, inputs[i], PII_COL_POSTAL_CODE,
                           &pii_detector_postal, DETECT_UNSCORED, "is not in the list");
}

static const pii_candidate *find_postal(struct detect_run *r, const char *record, const char *input,
                                        enum pii_column column)
{
    detect_unit(r, record, input, column, NULL, DETECT_THRESHOLD);
    const pii_candidate *c = detect_find(r, PIISCAN_TYPE_POSTAL_CODE);
    cr_assert_not_null(c, "\"%s\" holds a postal code; got %s", input, detect_describe(r));
    return c;
}

Test(detect_postal, dashed_alone_is_moderate_and_context_raises_it)
{
    assert_exists(SHIBUYA);
    struct detect_run alone = {0};
    struct detect_run mark = {0};
    struct detect_run address = {0};
    double c_alone = find_postal(&alone, NULL, "150-0001", PII_COL_NONE)->confidence;
    double c_mark = find_postal(&mark, NULL, "〒150-0001", PII_COL_NONE)->confidence;
    double c_address =
        find_postal(&address, NULL, "150-0001 東京都渋谷区", PII_COL_NONE)->confidence;
    cr_expect(c_alone >= DETECT_THRESHOLD && c_alone < 0.85,
              "a dashed code alone is reported, moderately (%.2f)", c_alone);
    cr_expect_gt(c_mark, c_alone, "〒 raises it (%.2f > %.2f)", c_mark, c_alone);
    cr_expect_gt(c_address, c_alone, "a following address raises it (%.2f > %.2f)", c_address,
                 c_alone);
    cr_expect_str_eq(mark.found.v[0].detector, "postal/mark", "〒 is named as the evidence");
    cr_expect_str_eq(address.found.v[0].detector, "postal/address",
                     "the address is named as the evidence");
    detect_free(&alone);
    detect_free(&mark);
    detect_free(&address);
}

Test(detect_postal, a_phone_column_lowers_a_dashed_code_below_the_threshold)
{
    assert_exists(SHIBUYA);
    detect_expect_none("phone column", NULL, "150-0001", PII_COL_PHONE, NULL, DETECT_THRESHOLD,
                       "is a postal-looking value in a phone column, which is suspect");
}

Test(detect_postal, a_postal_code_and_a_phone_in_one_line_are_both_found)
{
    const char *input = "〒150-0001 東京都渋谷区神宮前1-2-3 TEL 03-1234-5678";
    struct detect_run r = {0};
    detect_unit(&r, NULL, input, PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 3, "a postal code, the address after it and a phone number; got %s",
                 detect_describe(&r));
    cr_expect_eq(r.found.v[0].type, PIISCAN_TYPE_POSTAL_CODE, "first the postal code; got %s",
                 detect_describe(&r));
    size_t start;
    size_t end;
    detect_input_span(&r, &r.found.v[1], &start, &end);
    cr_expect(r.found.v[1].type == PIISCAN_TYPE_ADDRESS && start == strlen("〒150-0001 ") &&
                  end == strlen("〒150-0001 東京都渋谷区神宮前1-2-3"),
              "then the address, up to its house number; got %s", detect_describe(&r));
    cr_expect_eq(r.found.v[2].type, PIISCAN_TYPE_PHONE, "then the phone; got %s",
                 detect_describe(&r));
    detect_free(&r);
}

/* The detector finds codes through an index by their first three digits: every code of the
 * list, at the edges of its area and at the ends of the list, is still found, and a number
 * next to a code that is not in the list is still refused. */
Test(detect_postal, every_listed_code_is_found_and_its_unlisted_neighbours_are_not)
{
    cr_assert_gt(pii_postal_codes_count, 0, "test data: the postal code list is not empty");
    for (size_t i = 0; i < pii_postal_codes_count; i++) {
        uint32_t code = pii_postal_codes[i];
        bool is_edge = i == 0 || i + 1 == pii_postal_codes_count ||
                       code / 10000 != pii_postal_codes[i - 1] / 10000 ||
                       code / 10000 != pii_postal_codes[i + 1] / 10000;
        if (!is_edge && i % 97 != 0)
            continue;
        uint32_t probes[] = {code, code - 1, code + 1};
        for (size_t k = 0; k < sizeof probes / sizeof probes[0]; k++) {
            uint32_t probe = probes[k];
            if (probe > 9999999 || (k > 0 && probe == code))
                continue;
            char input[32];
            snprintf(input, sizeof input, "〒%03u-%04u", probe / 10000, probe % 10000);
            struct detect_run r = {0};
            detect_unit(&r, NULL, input, PII_COL_NONE, &pii_detector_postal, DETECT_UNSCORED);
            bool is_listed = pii_postal_code_exists(probe);
            cr_expect_eq(r.found.len, is_listed ? 1 : 0,
                         "\"%s\" is %s the list, so %s be reported; got %s", input,
                         is_listed ? "in" : "not in", is_listed ? "must" : "must not",
                         detect_describe(&r));
            detect_free(&r);
        }
    }
}

/* What may follow or precede a code, at the very ends of the unit too: the detector turns
 * units away before matching when they cannot hold a code, and must not turn these away. */
Test(detect_postal, codes_at_the_ends_of_a_unit_and_between_punctuation_are_found)
{
    assert_exists(SHIBUYA);
    const char *inputs[] = {
        "150-0001",       "(150-0001)", "150-0001-",  "150-0001- 東京", "x 150-0001",
        "住所:150-0001",  "150-0001、", "〒1500001",  "1500001 東京都", "-150-0001",
        "tel 150-0001 .", "150-0001/",  "150-0001\t", "「150-0001」",   "150-0001.",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct detect_run r = {0};
        detect_unit(&r, NULL, inputs[i], PII_COL_POSTAL_CODE, &pii_detector_postal,
                    DETECT_UNSCORED);
        cr_expect_eq(r.found.len, 1, "\"%s\" holds one postal code; got %s", inputs[i],
                     detect_describe(&r));
        detect_free(&r);
    }
}

/* Pieces of text near a postal code: codes and parts of them, digits, the signs BEFORE and
 * AFTER look at, the marks, kanji and kana, and bytes that are no valid UTF-8 (a cut kanji,
 * a stray trail byte, half of ¥ and of ￥). */
static const char *const pieces[] = {
    "150-0001", "1500001",  "150-0001", "1500001", "150-", "0001", "150",  "-0001", "12345678",
    "0",        "1",        "2",        "3",       "4",    "5",    "6",    "7",     "8",
    "9",        "0",        "1",        "5",       "7",    "-",    "-",    " ",     " ",
    "〒",       "〶",       "a",        "Z",       "_",    "/",    ".",    "$",     "\\",
    "¥",        "￥",       "円",       "東",      "ー",   ",",    "\xE3", "\x80",  "\xC2",
    "\xA5",     "\xEF\xBF", "\xE3\x80", "\x92",
};

Test(detect_postal, the_matcher_finds_what_the_pattern_finds)
{
    pcre2_code *re;
    piiscan_error err;
    cr_assert_eq(pii_pattern_compile(pii_postal_pattern, 0, &re, &err), PIISCAN_OK, "%s", err.text);
    pcre2_match_data *md = pcre2_match_data_create(4, NULL);
    cr_assert_not_null(md);
    /* A fixed seed: the same strings on every run, so that a failure can be repeated. */
    unsigned long seed = 42;
    size_t matches = 0;
    size_t marks = 0;
    for (int round = 0; round < 100000; round++) {
        char s[128];
        size_t len = 0;
        seed = seed * 6364136223846793005u + 1442695040888963407u;
        size_t npieces = (size_t)(seed >> 33) % 16;
        for (size_t k = 0; k < npieces; k++) {
            seed = seed * 6364136223846793005u + 1442695040888963407u;
            const char *p = pieces[(seed >> 33) % (sizeof pieces / sizeof pieces[0])];
            memcpy(s + len, p, strlen(p));
            len += strlen(p);
        }
        /* Every start the detector can ask for: any byte that is no UTF-8 trail byte. */
        for (size_t pos = 0; pos <= len; pos++) {
            if (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
                continue;
            int rc = pcre2_match(re, (PCRE2_SPTR)s, len, pos, 0, md, NULL);
            cr_assert(rc >= 0 || rc == PCRE2_ERROR_NOMATCH, "pcre2_match failed (%d)", rc);
            size_t ov[6];
            bool is_found = pii_postal_find(s, len, pos, ov);
            cr_assert_eq(is_found, rc >= 0, "[%.*s] from %zu: found %d, the pattern %d", (int)len,
                         s, pos, is_found, rc >= 0);
            if (!is_found)
                continue;
            const PCRE2_SIZE *want = pcre2_get_ovector_pointer(md);
            for (int i = 0; i < 6; i++)
                cr_assert_eq(ov[i], (size_t)want[i],
                             "[%.*s] from %zu: ovector[%d] is %zu, the pattern's %zu", (int)len, s,
                             pos, i, ov[i], (size_t)want[i]);
            matches++;
            marks += ov[2] != SIZE_MAX;
        }
    }
    cr_expect(matches > 1000 && marks > 100, "the strings hold codes (%zu, %zu with a mark)",
              matches, marks);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
}
