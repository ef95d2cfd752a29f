/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_normalize.c - folding for matching: full-width ASCII, half-width katakana with voiced
 * marks, dash look-alikes (ー only between digits), and a map from every output byte back to
 * the input character that produced it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "internal.h"

static pii_text out;

static void teardown(void)
{
    pii_text_free(&out);
}

TestSuite(normalize, .fini = teardown);

/* Normalises `in` into the suite's text, checks the result is `want` and that the map is
 * whole: nondecreasing, each byte at the start of an input character, the end at len. */
static void expect_fold(const char *in, const char *want)
{
    size_t len = strlen(in);
    cr_assert_eq(pii_normalize(in, len, &out), PIISCAN_OK);
    cr_expect_eq(out.len, strlen(want), "%s folds to %zu bytes (%s), got %zu (%.*s)", in,
                 strlen(want), want, out.len, (int)out.len, out.data);
    cr_expect_eq(memcmp(out.data, want, out.len < strlen(want) ? out.len : strlen(want)), 0,
                 "%s folds to %s, got %.*s", in, want, (int)out.len, out.data);
    cr_assert_eq(out.map[out.len], len, "%s: map[len] is the input length", in);
    for (size_t i = 0; i < out.len; i++) {
        uint32_t at = out.map[i];
        cr_assert_lt(at, len, "%s: map[%zu] inside the input", in, i);
        cr_assert((in[at] & 0xC0) != 0x80, "%s: map[%zu] = %u starts a character", in, i, at);
        if (i > 0)
            cr_assert_geq(at, out.map[i - 1], "%s: map is nondecreasing at %zu", in, i);
    }
}

struct fold_case {
    char label[40];
    char in[64];
    char want[64];
};

ParameterizedTestParameters(normalize, folds_what_japanese_data_mixes)
{
    static struct fold_case cases[] = {
        {"half-width name", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"},
        {"full-width phone", "０３－１２３４－５６７８", "03-1234-5678"},
        {"long vowel between digits", "090ー1234ー5678", "090-1234-5678"},
        {"long vowel in a word", "コーヒー", "コーヒー"},
        {"half-width long vowel", "ｺｰﾋｰ", "コーヒー"},
        {"half-width long vowel, digits", "03ｰ1234ｰ5678", "03-1234-5678"},
        {"full-width digits around ー", "０３ー１２", "03-12"},
        {"box line between digits", "03─1234", "03-1234"},
        {"box line elsewhere", "──見出し──", "──見出し──"},
        {"ー after a digit, before a letter", "3ーA", "3ーA"},
        {"ideographic space", "山田　太郎", "山田 太郎"},
        {"full-width at sign", "taro＠example．jp", "taro@example.jp"},
        {"voiced ｶﾞ", "ｶﾞｯｺｳ", "ガッコウ"},
        {"semi-voiced ﾊﾟ", "ﾊﾟﾝ", "パン"},
        {"ｳﾞ", "ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"},
        {"ﾜﾞ", "ﾜﾞ", "ヷ"},
        {"mark that composes with nothing", "ｱﾞ", "ア゛"},
        {"mark alone", "ﾟ", "゜"},
        {"half-width punctuation", "｢ｱ｣､ｲ｡･", "「ア」、イ。・"},
        {"em dash after katakana", "コ―ヒ―", "コ―ヒ―"},
        {"horizontal bar between digits", "03―1234", "03-1234"},
        {"em dash in a sentence", "東京—大阪", "東京-大阪"},
        {"minus sign", "03−1234−5678", "03-1234-5678"},
        {"hyphen and en dash", "03‐1234–5678", "03-1234-5678"},
        {"small hyphen-minus, heavy minus", "03﹣1234➖5678", "03-1234-5678"},
        {"modifier minus, hyphen bullet", "03˗1234⁃5678", "03-1234-5678"},
        {"yen signs stay", "￥1,980 ¥500", "￥1,980 ¥500"},
        {"circled digits stay", "①②", "①②"},
        {"full-width yen-like forms stay", "￠￡", "￠￡"},
        {"kanji stay", "東京都渋谷区", "東京都渋谷区"},
    };
    return cr_make_param_array(struct fold_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fold_case *c, normalize, folds_what_japanese_data_mixes)
{
    expect_fold(c->in, c->want);
    if (strcmp(c->in, c->want) != 0)
        cr_expect(pii_survey(c->in, strlen(c->in)).needs_folding,
                  "%s: a text that folds must never be passed over as already folded", c->label);
}

Test(normalize, plain_japanese_and_ascii_need_no_folding)
{
    static const char *const texts[] = {"東京都渋谷区神南1-2-3", "やまだ たろう", "ヤマダタロウ",
                                        "山田太郎様", "taro@example.jp"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        cr_expect_not(pii_survey(texts[i], strlen(texts[i])).needs_folding, "%s", texts[i]);
        cr_assert_eq(pii_normalize(texts[i], strlen(texts[i]), &out), PIISCAN_OK);
        cr_expect(out.len == strlen(texts[i]) && memcmp(out.data, texts[i], out.len) == 0,
                  "%s: and indeed folds to itself", texts[i]);
    }
}

Test(normalize, composed_kana_maps_to_the_first_of_its_two_characters)
{
    static const char in[] = "ﾔﾏﾀﾞ";
    cr_assert_eq(pii_normalize(in, strlen(in), &out), PIISCAN_OK);
    cr_assert_eq(out.len, 9, "ヤ マ ダ, 3 bytes each");
    cr_expect_eq(out.map[6], 6, "ダ starts at ﾀ (byte 6), not at ﾞ (byte 9)");
    cr_expect_eq(out.map[8], 6, "every byte of ダ maps to ﾀ");
    cr_expect_eq(out.map[9], 12, "the end is past ﾞ");
}

Test(normalize, folded_phone_maps_each_digit_back_to_its_full_width_original)
{
    static const char in[] = "TEL：０３－１２３４－５６７８";
    cr_assert_eq(pii_normalize(in, strlen(in), &out), PIISCAN_OK);
    cr_assert_eq(out.len, 4 + 12, "TEL: and 12 ASCII characters");
    cr_assert_eq(memcmp(out.data, "TEL:03-1234-5678", out.len), 0);
    for (size_t i = 3; i < out.len; i++)
        cr_expect_eq(out.map[i], 3 + 3 * (i - 3),
                     "output byte %zu comes from the full-width character at %zu", i,
                     3 + 3 * (i - 3));
    cr_expect_eq(out.map[out.len], strlen(in));
}

Test(normalize, ascii_comes_through_unchanged_with_an_identity_map)
{
    static const char in[] = "id,name,phone\n1,Taro,03-1234-5678\n";
    size_t len = strlen(in);
    cr_assert(pii_is_ascii(in, len));
    cr_assert_eq(pii_normalize(in, len, &out), PIISCAN_OK);
    cr_assert_eq(out.len, len);
    cr_assert_eq(memcmp(out.data, in, len), 0, "ASCII is already folded");
    for (size_t i = 0; i <= len; i++)
        cr_expect_eq(out.map[i], i, "identity map at %zu", i);
}

Test(normalize, output_is_cleared_first_and_never_longer_than_valid_input)
{
    cr_assert_eq(pii_normalize("ｱｲｳｴｵ", strlen("ｱｲｳｴｵ"), &out), PIISCAN_OK);
    cr_assert_eq(pii_normalize("０１", strlen("０１"), &out), PIISCAN_OK);
    cr_assert_eq(out.len, 2, "the previous result is gone");
    cr_assert_eq(memcmp(out.data, "01", 2), 0);
    cr_assert_eq(pii_normalize("", 0, &out), PIISCAN_OK);
    cr_assert_eq(out.len, 0);
    cr_assert_eq(out.map[0], 0, "empty input: map[0] is 0");
}

Test(normalize, invalid_utf8_becomes_the_replacement_character)
{
    static const char in[] = "a\xFF"
                             "b";
    cr_assert_eq(pii_normalize(in, 3, &out), PIISCAN_OK);
    cr_assert_eq(out.len, 5, "a, U+FFFD, b");
    cr_assert_eq(memcmp(out.data,
                        "a\xEF\xBF\xBD"
                        "b",
                        5),
                 0, "matchers get valid UTF-8 whatever came in");
    cr_expect_eq(out.map[1], 1);
    cr_expect_eq(out.map[4], 2);
}

Test(normalize, is_ascii_finds_one_high_byte_at_any_position_and_alignment)
{
    char buf[80];
    memset(buf, 'a', sizeof buf);
    for (size_t start = 0; start < 8; start++) {
        for (size_t n = 0; n + start <= sizeof buf; n++) {
            cr_assert(pii_is_ascii(buf + start, n), "all ASCII (start %zu, length %zu)", start, n);
            for (size_t k = 0; k < n; k++) {
                buf[start + k] = (char)0x80;
                bool got = pii_is_ascii(buf + start, n);
                buf[start + k] = 'a';
                cr_assert(!got, "high byte at %zu of %zu (start %zu)", k, n, start);
            }
        }
    }
}

Test(normalize, survey_sees_digits_at_signs_and_their_full_width_forms)
{
    struct pii_survey sv = pii_survey("tel 03-1234-5678", 16);
    cr_expect(sv.has_digit_or_at && !sv.needs_folding, "ASCII digits: detect, no folding");
    cr_expect(!sv.has_non_ascii && !sv.has_capital, "lower-case ASCII: no name to look for");
    cr_expect_eq(sv.digits, 10);
    sv = pii_survey("山田太郎", strlen("山田太郎"));
    cr_expect(!sv.has_digit_or_at && !sv.needs_folding, "kanji alone: no number, no folding");
    cr_expect(sv.has_non_ascii, "kanji alone: a name may be there");
    sv = pii_survey("０３", strlen("０３"));
    cr_expect(sv.has_digit_or_at && sv.needs_folding, "full-width digits: fold, then detect");
    sv = pii_survey("taro＠example.jp", strlen("taro＠example.jp"));
    cr_expect(sv.has_digit_or_at && sv.needs_folding, "a full-width at sign counts");
    sv = pii_survey("ｶﾀｶﾅ", strlen("ｶﾀｶﾅ"));
    cr_expect(!sv.has_digit_or_at && sv.needs_folding, "half-width kana fold, no number");
    cr_expect(sv.has_non_ascii, "half-width kana may be a name's reading");
}

Test(normalize, survey_of_a_field_inside_longer_text_sees_the_field_alone)
{
    /* A field of a record is surveyed where it lies, with the rest of the record after it
     * readable: what follows the field (a digit, an at sign, a capital, the middle of
     * U+3000, U+30FC or a full-width digit) must change nothing. Each text is cut at every
     * length and surveyed both ways. */
    static const char *const texts[] = {
        "東京都渋谷区神南一丁目のマンション　三〇一号室,0312345678,Taro@example.jp",
        "ヤマダ　タロウ様ご依頼分ー１２３４５６７８９０１２３４５６７８９０",
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@＠ｶﾀｶﾅ‐—",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t total = strlen(texts[t]);
        for (size_t n = 0; n <= total; n++) {
            char *field = malloc(n + 1);
            cr_assert_not_null(field);
            memcpy(field, texts[t], n);
            struct pii_survey alone = pii_survey(field, n);
            struct pii_survey within = pii_survey_within(texts[t], n, total);
            free(field);
            cr_expect_eq(within.has_digit_or_at, alone.has_digit_or_at, "text %zu cut at %zu", t,
                         n);
            cr_expect_eq(within.has_non_ascii, alone.has_non_ascii, "text %zu cut at %zu", t, n);
            cr_expect_eq(within.needs_folding, alone.needs_folding, "text %zu cut at %zu", t, n);
            if (!alone.needs_folding) {
                cr_expect_eq(within.digits, alone.digits, "text %zu cut at %zu", t, n);
                cr_expect_eq(within.has_capital, alone.has_capital, "text %zu cut at %zu", t, n);
            }
        }
    }
}

Test(normalize, survey_sees_capitals_that_romaji_names_need)
{
    struct pii_survey sv = pii_survey("Taro Yamada", 11);
    cr_expect(sv.has_capital && !sv.has_non_ascii && !sv.has_digit_or_at,
              "romaji name: a capital, nothing else");
    sv = pii_survey("express delivery", 16);
    cr_expect(!sv.has_capital && !sv.has_non_ascii && !sv.has_digit_or_at,
              "lower-case ASCII words hold no name nor number to look for");
}
