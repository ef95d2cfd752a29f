/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect_name.c - personal names: every written shape the issue lists is found with the
 * span of the name alone (no honorific), a name no dictionary has is found from its honorific
 * or its column, and place, product, company and station names that hold a surname are not.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(detect_name);

/* The name detector alone: it keeps no compiled state, so the suite needs no set-up. */
static const struct pii_detector *const name = &pii_detector_name;

ParameterizedTestParameters(detect_name, every_written_shape_is_found_without_its_honorific)
{
    static struct detect_evidence_case cases[] = {
        {"surname and given name", "山田太郎", "山田太郎", PII_COL_NONE, "name/dict"},
        {"with a space", "山田 太郎", "山田 太郎", PII_COL_NONE, "name/dict"},
        {"with an ideographic space", "山田　太郎", "山田　太郎", PII_COL_NONE, "name/dict"},
        {"with 様", "山田太郎様", "山田太郎", PII_COL_NONE, "name/honorific"},
        {"with a space and 様", "佐藤 花子 様", "佐藤 花子", PII_COL_NONE, "name/honorific"},
        {"surname with 様", "山田様", "山田", PII_COL_NONE, "name/honorific"},
        {"surname with さん", "山田さん", "山田", PII_COL_NONE, "name/honorific"},
        {"surname with 殿", "鈴木殿", "鈴木", PII_COL_NONE, "name/honorific"},
        {"surname after a person label and a colon", "受付: 比嘉 -----", "比嘉", PII_COL_NONE,
         "name/label"},
        {"surname after 担当者 and a full-width colon", "担当者：大野", "大野", PII_COL_NONE,
         "name/label"},
        {"a name no dictionary has, after a person label", "受付: 躑躅森 -----", "躑躅森",
         PII_COL_NONE, "name/label"},
        {"a full name after a label keeps its whole span", "担当: 山田 太郎", "山田 太郎",
         PII_COL_NONE, "name/dict"},
        {"a run after a label is whole, not its first surname", "受付: 春夏秋冬 -----", "春夏秋冬",
         PII_COL_NONE, "name/label"},
        {"surname with 先生", "田中先生に相談", "田中", PII_COL_NONE, "name/honorific"},
        {"full-width katakana reading", "ヤマダ タロウ", "ヤマダ タロウ", PII_COL_NONE,
         "name/dict"},
        {"half-width katakana reading", "ﾔﾏﾀﾞ ﾀﾛｳ", "ﾔﾏﾀﾞ ﾀﾛｳ", PII_COL_NONE, "name/dict"},
        {"katakana reading with an ideographic space", "スズキ　イチロウ", "スズキ　イチロウ",
         PII_COL_NONE, "name/dict"},
        {"katakana reading glued, with 様", "ヤマダタロウ様", "ヤマダタロウ", PII_COL_NONE,
         "name/honorific"},
        {"hiragana reading", "やまだ たろう", "やまだ たろう", PII_COL_NONE, "name/dict"},
        {"romaji, given name first", "Taro Yamada", "Taro Yamada", PII_COL_NONE, "name/dict"},
        {"romaji, surname in capitals first", "YAMADA Taro", "YAMADA Taro", PII_COL_NONE,
         "name/dict"},
        {"romaji, surname first", "Yamada Taro", "Yamada Taro", PII_COL_NONE, "name/dict"},
        {"romaji with a shortened long vowel", "Ichiro Sato", "Ichiro Sato", PII_COL_NONE,
         "name/dict"},
        {"romaji in a sentence", "Dear Hanako Suzuki, thank you", "Hanako Suzuki", PII_COL_NONE,
         "name/dict"},
        {"in a free-text log", "7月8日 山田太郎様より電話", "山田太郎", PII_COL_NONE,
         "name/honorific"},
        {"quoted, in a free-text log", "「7月8日 山田太郎様より電話」", "山田太郎", PII_COL_NONE,
         "name/honorific"},
        {"after a label", "お届け先：鈴木一郎様", "鈴木一郎", PII_COL_NONE, "name/honorific"},
        {"unknown given name in katakana after a reading, with 様", "タカナシ ハルト様",
         "タカナシ ハルト", PII_COL_NONE, "name/honorific"},
        {"rare surname and modern given name with さん", "小鳥遊陽翔さんから電話", "小鳥遊陽翔",
         PII_COL_NONE, "name/honorific"},
        {"inside a sentence", "本日山田様から返品の連絡あり", "山田", PII_COL_NONE,
         "name/honorific"},
        {"rare surname in the dictionary, with 様", "小鳥遊様", "小鳥遊", PII_COL_NONE,
         "name/honorific"},
        {"no dictionary has it, 様 carries it", "椥辻様", "椥辻", PII_COL_NONE, "name/honorific"},
        {"no dictionary has it, さん carries it", "カーターさん", "カーター", PII_COL_NONE,
         "name/honorific"},
        {"known surname, unknown given name, with 様", "山田陽翔様", "山田陽翔", PII_COL_NONE,
         "name/honorific"},
        {"kanji surname, katakana given name, with 様", "徳永ユミ様", "徳永ユミ", PII_COL_NONE,
         "name/honorific"},
        {"surname alone in a surname column", "山田", "山田", PII_COL_NAME, "name/column"},
        {"given name alone in a given-name column", "太郎", "太郎", PII_COL_NAME, "name/column"},
        {"reading in a kana column", "ヤマダ", "ヤマダ", PII_COL_NAME_KANA, "name/column"},
        {"no dictionary has it, in a name column", "椥辻 陽翔", "椥辻 陽翔", PII_COL_NAME,
         "name/column"},
        {"a name column with 様 and spaces", " 山田 太郎 様 ", "山田 太郎", PII_COL_NAME,
         "name/column"},
        {"a place name in a name column is a name", "松本", "松本", PII_COL_NAME, "name/column"},
    };
    return cr_make_param_array(struct detect_evidence_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_evidence_case *p, detect_name,
                  every_written_shape_is_found_without_its_honorific)
{
    detect_expect_one(p->label, NULL, p->input, (enum pii_column)p->column, name, PIISCAN_TYPE_NAME,
                      p->expected, p->evidence);
}

ParameterizedTestParameters(detect_name, places_products_companies_and_words_are_not_names)
{
    static struct detect_text_case cases[] = {
        {"a city", "松本市"},
        {"a company with 様, the surname glued after its form", "株式会社伊藤園芸様"},
        {"a company form itself before 様", "木酒造株式会社様との共同"},
        {"a company with 様 and a place word in its name", "合同会社森林資源様との共同"},
        {"a word that starts with a label, then a surname", "担当部署 大野"},
        {"a product named for a family's house", "高橋さんちの干し芋 30袋"},
        {"a kin word after the polite prefix", "お孫さんへのギフト"},
        {"the honorific after a one-kanji given name is no kana name", "夫 岳さん宛に届く"},
        {"a role word after the polite prefix", "ご主人様より電話"},
        {"a sweet potato variety: the surname is a place's tail", "鳴門金時 3kg"},
        {"a prefecture and city", "長野県松本市"},
        {"an address", "長野県松本市中央1-2-3"},
        {"a rice variety", "山田錦"},
        {"a sake of that rice", "山田錦 純米大吟醸 720ml"},
        {"a cherry variety", "佐藤錦"},
        {"a cherry with its origin", "山形県産 佐藤錦 500g"},
        {"a leek variety", "松本一本ねぎ"},
        {"a company", "株式会社山田商店"},
        {"a shop", "山田商店"},
        {"forestry", "林業"},
        {"forest", "森林"},
        {"forest in a sentence", "森林の保護と林業の振興"},
        {"a station", "松本駅"},
        {"a station in a sentence", "新宿駅から徒歩5分"},
        {"a station of two surnames", "高田馬場駅"},
        {"a surname alone in free text", "山田"},
        {"a product description", "長野県産 信州りんご サンふじ 5kg"},
        {"katakana word that starts with a surname reading", "サトウキビ"},
        {"a hiragana sentence", "ありがとうございました"},
        {"English words", "Hello World"},
        {"a place in romaji", "Tokyo Tower"},
        {"a company with 様", "株式会社山田商店様"},
        {"a loanword that splits into two readings", "マンション"},
        {"another such loanword", "デンワ"},
        {"a loanword with ヴ", "ヴァイオリン"},
        {"a building after a town", "六本木ハイツ"},
        {"a food that starts with a surname", "博多明太子 切れ子"},
        {"a rice variety in hiragana after a place", "秋田こまち 新米"},
        {"a place and a katakana building", "池袋 サンシャイン"},
        {"a place and a hiragana word", "道頓堀 くいだおれ"},
        {"a company and a product with さま inside", "小林製薬 熱さまシート"},
        {"a particle before 宛名", "請求書の宛名変更のご依頼"},
        {"a place name with さん", "長野県松本市さん"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, detect_name,
                  places_products_companies_and_words_are_not_names)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, name, DETECT_THRESHOLD,
                       "holds no name");
}

Test(detect_name, surname_alone_is_a_weak_candidate_for_record_evidence)
{
    /* Below the threshold on its own; the record (a phone, an address in the same row) is
     * what may raise it. */
    struct detect_run r = {0};
    detect_unit(&r, NULL, "山田", PII_COL_NONE, name, DETECT_UNSCORED);
    const pii_candidate *c = detect_find(&r, PIISCAN_TYPE_NAME);
    cr_assert_not_null(c, "山田 alone is a candidate; got %s", detect_describe(&r));
    cr_expect(c->confidence > 0.0 && c->confidence < DETECT_THRESHOLD,
              "a surname alone stays below the threshold; got %s", detect_describe(&r));
    cr_expect_str_eq(c->detector, "name/dict", "evidence of a bare dictionary hit");
    detect_free(&r);
}

Test(detect_name, glued_kana_reading_alone_is_a_weak_candidate)
{
    /* ヤマダタロウ reads as two names, but so do マンション and デンワ: without a space or an
     * honorific it waits for the column or the record. */
    struct detect_run r = {0};
    detect_unit(&r, NULL, "ヤマダタロウ", PII_COL_NONE, name, DETECT_UNSCORED);
    const pii_candidate *c = detect_find(&r, PIISCAN_TYPE_NAME);
    cr_assert_not_null(c, "ヤマダタロウ is a candidate; got %s", detect_describe(&r));
    cr_expect(c->end - c->start == strlen("ヤマダタロウ") && c->confidence < DETECT_THRESHOLD,
              "the whole run, below the threshold; got %s", detect_describe(&r));
    detect_free(&r);
}

Test(detect_name, two_names_in_one_line_are_two_findings)
{
    struct detect_run r = {0};
    detect_unit(&r, NULL, "担当: 佐藤花子様、受取: 鈴木一郎様", PII_COL_NONE, name,
                DETECT_THRESHOLD);
    cr_assert_eq(r.found.len, 2, "two names; got %s", detect_describe(&r));
    size_t s;
    size_t e;
    detect_input_span(&r, &r.found.v[0], &s, &e);
    cr_expect(e - s == strlen("佐藤花子") && memcmp(r.input + s, "佐藤花子", e - s) == 0,
              "first is 佐藤花子; got %s", detect_describe(&r));
    detect_input_span(&r, &r.found.v[1], &s, &e);
    cr_expect(e - s == strlen("鈴木一郎") && memcmp(r.input + s, "鈴木一郎", e - s) == 0,
              "second is 鈴木一郎; got %s", detect_describe(&r));
    detect_free(&r);
}

Test(detect_name, masked_or_tokenised_name_field_is_not_found_again)
{
    /* A redacted file scanned again: a mask or a token in a name column is no name. */
    const char *fields[] = {"＊＊ ＊＊", "** **", "NM_bdfghjklmnpqrstw"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        detect_expect_none("mask or token", NULL, fields[i], PII_COL_NAME, name, DETECT_THRESHOLD,
                           "in a name column is no name");
}

Test(detect_name, company_in_a_name_column_is_no_person)
{
    /* A shipping label's sender column holds the shop: 株式会社みどり商店 and its reading. */
    const char *values[] = {"株式会社みどり商店", "ｶﾌﾞｼｷｶﾞｲｼｬﾐﾄﾞﾘｼｮｳﾃﾝ", "(株)みどり商店"};
    for (size_t k = 0; k < sizeof values / sizeof *values; k++)
        detect_expect_none("company", NULL, values[k], PII_COL_NAME, name, DETECT_UNSCORED,
                           "in a name column is a company");
    struct detect_run r = {0};
    detect_unit(&r, NULL, "堀 智子", PII_COL_NAME, name, DETECT_UNSCORED);
    cr_expect_eq(r.found.len, 1, "a person in the same column still is one; got %s",
                 detect_describe(&r));
    detect_free(&r);
}

Test(detect_name, empty_placeholder_or_other_value_in_a_name_column_is_not_a_name)
{
    const char *fields[] = {"", "   ", "-", "123", "hanako@example.co.jp", "090-1234-5678"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        detect_expect_none("name field", NULL, fields[i], PII_COL_NAME, name, DETECT_THRESHOLD,
                           "holds no name");
}
