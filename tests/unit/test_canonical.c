/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_canonical.c - one spelling per value: the ways exports type one phone number, e-mail
 * address, name or address give one canonical form, and values of different people do not.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "internal.h"

static void canonical_of(piiscan_type type, const char *value, char *out, size_t size)
{
    size_t n = 0;
    int rc = piiscan_value_canonical(type, value, strlen(value), out, size, &n);
    cr_assert_eq(rc, PIISCAN_OK, "canonical form of \"%s\": %s", value, piiscan_strerror(rc));
    cr_assert_eq(strlen(out), n, "the length given is the length written");
}

/* Arrays, not pointers: Criterion copies parameters into the process that runs the test. */
struct same_case {
    char label[64];
    piiscan_type type;
    char a[96];
    char b[96];
    char want[64];
};

static struct same_case same_cases[] = {
    {"phone with dashes", PIISCAN_TYPE_PHONE, "03-1234-5678", "0312345678", "0312345678"},
    {"phone full width with parentheses", PIISCAN_TYPE_PHONE, "03-1234-5678",
     "０３（１２３４）５６７８", "0312345678"},
    {"phone +81 with spaces", PIISCAN_TYPE_PHONE, "+81 3 1234 5678", "03-1234-5678", "0312345678"},
    {"mobile +81 with dashes", PIISCAN_TYPE_PHONE, "+81-90-1234-5678", "090-1234-5678",
     "09012345678"},
    {"e-mail case", PIISCAN_TYPE_EMAIL, "Taro.Yamada@Example.JP", "taro.yamada@example.jp",
     "taro.yamada@example.jp"},
    {"e-mail full width", PIISCAN_TYPE_EMAIL, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp",
     "taro@example.jp"},
    {"name spaces", PIISCAN_TYPE_NAME, "山田 太郎", "山田　太郎", "山田太郎"},
    {"name honorific of a name column", PIISCAN_TYPE_NAME, "山田太郎 様", "山田太郎", "山田太郎"},
    {"reading half width", PIISCAN_TYPE_NAME, "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ", "ヤマダタロウ"},
    {"reading in hiragana", PIISCAN_TYPE_NAME, "やまだ たろう", "ヤマダタロウ", "ヤマダタロウ"},
    {"foreign name's middle dot", PIISCAN_TYPE_NAME, "マイケル・スミス", "マイケル スミス",
     "マイケルスミス"},
    {"romaji case", PIISCAN_TYPE_NAME, "Taro YAMADA", "taro yamada", "taroyamada"},
    {"address kanji numerals and units", PIISCAN_TYPE_ADDRESS, "港区六本木一丁目二番三号",
     "港区六本木1-2-3", "港区六本木1-2-3"},
    {"address full width and 丁目 with hyphen", PIISCAN_TYPE_ADDRESS, "港区六本木１丁目２－３",
     "港区六本木1-2-3", "港区六本木1-2-3"},
    {"address with and without its prefecture", PIISCAN_TYPE_ADDRESS, "東京都港区六本木1-2-3",
     "港区六本木1-2-3", "港区六本木1-2-3"},
    {"address 番地の", PIISCAN_TYPE_ADDRESS, "東近江市八日市町一二三番地の四",
     "東近江市八日市町123-4", "東近江市八日市町123-4"},
    {"address number after 番地 in kanji", PIISCAN_TYPE_ADDRESS, "三宮町七五番地二十一",
     "三宮町75番地21", "三宮町75-21"},
    {"address with 二十三", PIISCAN_TYPE_ADDRESS, "中野区中央二丁目二十三番", "中野区中央2-23",
     "中野区中央2-23"},
    {"address building named two ways, same room", PIISCAN_TYPE_ADDRESS,
     "港区六本木1-2-3 コーポ森 101号室", "港区六本木一丁目2番3号ｺｰﾎﾟ森101", "港区六本木1-2-3-101"},
    {"address Hokkaido 条 is the town's", PIISCAN_TYPE_ADDRESS,
     "北海道札幌市中央区北十条西五丁目3番地の4", "札幌市中央区北10条西5-3-4",
     "札幌市中央区北10条西5-3-4"},
    {"address ヶ and ケ", PIISCAN_TYPE_ADDRESS, "千代田区霞ヶ関1-2", "千代田区霞ケ関1丁目2番",
     "千代田区霞ケ関1-2"},
    {"address after its postal code", PIISCAN_TYPE_ADDRESS, "〒106-0032 東京都港区六本木1-2-3",
     "港区六本木1-2-3", "港区六本木1-2-3"},
};

ParameterizedTestParameters(canonical, spellings_of_one_value_have_one_form)
{
    return cr_make_param_array(struct same_case, same_cases,
                               sizeof same_cases / sizeof same_cases[0]);
}

ParameterizedTest(struct same_case *p, canonical, spellings_of_one_value_have_one_form)
{
    char a[256];
    char b[256];
    canonical_of(p->type, p->a, a, sizeof a);
    canonical_of(p->type, p->b, b, sizeof b);
    cr_expect_str_eq(a, p->want, "%s: \"%s\"", p->label, p->a);
    cr_expect_str_eq(b, p->want, "%s: \"%s\"", p->label, p->b);
}

struct other_case {
    char label[64];
    piiscan_type type;
    char a[96];
    char b[96];
};

static struct other_case other_cases[] = {
    {"kanji form and reading are two keys", PIISCAN_TYPE_NAME, "山田太郎", "ヤマダタロウ"},
    {"two given names", PIISCAN_TYPE_NAME, "山田太郎", "山田花子"},
    {"another room of the building", PIISCAN_TYPE_ADDRESS, "港区六本木1-2-3 コーポ森101",
     "港区六本木1-2-3 コーポ森102"},
    {"another block", PIISCAN_TYPE_ADDRESS, "港区六本木一丁目二番三号", "港区六本木1-2-4"},
    {"place names keep their numerals", PIISCAN_TYPE_ADDRESS, "港区六本木1-2-3", "港区6本木1-2-3"},
    {"another number after 番地", PIISCAN_TYPE_ADDRESS, "三宮町七五番地二十一", "三宮町75番地22"},
    {"another phone", PIISCAN_TYPE_PHONE, "03-1234-5678", "03-1234-5679"},
};

ParameterizedTestParameters(canonical, different_values_have_different_forms)
{
    return cr_make_param_array(struct other_case, other_cases,
                               sizeof other_cases / sizeof other_cases[0]);
}

ParameterizedTest(struct other_case *p, canonical, different_values_have_different_forms)
{
    char a[256];
    char b[256];
    canonical_of(p->type, p->a, a, sizeof a);
    canonical_of(p->type, p->b, b, sizeof b);
    cr_expect_str_neq(a, b, "%s: \"%s\" and \"%s\"", p->label, p->a, p->b);
}

Test(canonical, too_small_a_buffer_is_refused_with_the_size_needed)
{
    char out[4] = "xyz";
    size_t n = 0;
    int rc = piiscan_value_canonical(PIISCAN_TYPE_PHONE, "03-1234-5678", 12, out, sizeof out, &n);
    cr_expect_eq(rc, PIISCAN_ERR_LIMIT, "10 digits and a NUL do not fit in 4 bytes");
    cr_expect_eq(n, 10, "the length needed is said");
    cr_expect_str_eq(out, "xyz", "nothing is written");
    char big[11];
    cr_expect_eq(
        piiscan_value_canonical(PIISCAN_TYPE_PHONE, "03-1234-5678", 12, big, sizeof big, &n),
        PIISCAN_OK, "10 digits and the NUL fit in 11 bytes");
}

Test(canonical, unknown_type_and_null_are_invalid)
{
    char out[16];
    size_t n;
    cr_expect_eq(piiscan_value_canonical((piiscan_type)0, "x", 1, out, sizeof out, &n),
                 PIISCAN_ERR_INVALID);
    cr_expect_eq(piiscan_value_canonical((piiscan_type)99, "x", 1, out, sizeof out, &n),
                 PIISCAN_ERR_INVALID);
    cr_expect_eq(piiscan_value_canonical(PIISCAN_TYPE_NAME, NULL, 1, out, sizeof out, &n),
                 PIISCAN_ERR_INVALID);
    cr_expect_eq(piiscan_value_canonical(PIISCAN_TYPE_NAME, "x", 1, out, sizeof out, NULL),
                 PIISCAN_ERR_INVALID);
}

Test(canonical, form_is_never_longer_than_twice_the_input_and_one)
{
    /* 千 (3 bytes) is 1000 (4 bytes): the only growth, and the header promises a bound. */
    static const char *const values[] = {"港区千代田千番", "一千-千", "千"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char out[64];
        size_t n;
        size_t len = strlen(values[i]);
        cr_assert_eq(
            piiscan_value_canonical(PIISCAN_TYPE_ADDRESS, values[i], len, out, sizeof out, &n),
            PIISCAN_OK);
        cr_expect_leq(n, 2 * len + 1, "\"%s\" gives %zu bytes", values[i], n);
    }
}
