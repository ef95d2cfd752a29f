/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_column.c - column headers of real order exports get their meaning, decorated and
 * width-variant headers too, data values are not mistaken for headers, and context keywords
 * are found in running text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "helpers.h"
#include "internal.h"

static const char *const meaning_names[PII_COL_COUNT] = {
    [PII_COL_NONE] = "none",
    [PII_COL_NOT_PII] = "not_pii",
    [PII_COL_NAME] = "name",
    [PII_COL_NAME_KANA] = "name_kana",
    [PII_COL_ADDRESS] = "address",
    [PII_COL_PREFECTURE] = "prefecture",
    [PII_COL_CITY] = "city",
    [PII_COL_STREET] = "street",
    [PII_COL_BUILDING] = "building",
    [PII_COL_PHONE] = "phone",
    [PII_COL_POSTAL_CODE] = "postal_code",
    [PII_COL_EMAIL] = "email",
    [PII_COL_MY_NUMBER] = "my_number",
    [PII_COL_CREDIT_CARD] = "credit_card",
};

static const char *meaning_name(enum pii_column c)
{
    return (unsigned)c < PII_COL_COUNT ? meaning_names[c] : "out of range";
}

static enum pii_column lookup(const char *label)
{
    pii_text scratch = {0};
    enum pii_column c = pii_column_lookup(label, strlen(label), &scratch);
    pii_text_free(&scratch);
    return c;
}

/* ------------------------------------------------------------------------------------------ */
/* Headers of real exports                                                                    */

/* Arrays, not pointers: Criterion runs each parameter in a new process image. */
struct header_case {
    char label[128];
    enum pii_column want;
    char source[64];
};

ParameterizedTestParameters(column, real_export_headers_get_their_meaning)
{
    static struct header_case cases[] = {
        /* Rakuten RMS, current order CSV */
        {"注文番号", PII_COL_NOT_PII, "Rakuten RMS"},
        {"注文日時", PII_COL_NOT_PII, "Rakuten RMS"},
        {"注文者郵便番号1", PII_COL_POSTAL_CODE, "Rakuten RMS"},
        {"注文者郵便番号2", PII_COL_POSTAL_CODE, "Rakuten RMS"},
        {"注文者住所都道府県", PII_COL_PREFECTURE, "Rakuten RMS"},
        {"注文者住所郡市区", PII_COL_CITY, "Rakuten RMS"},
        {"注文者住所それ以降の住所", PII_COL_STREET, "Rakuten RMS"},
        {"注文者姓", PII_COL_NAME, "Rakuten RMS"},
        {"注文者名", PII_COL_NAME, "Rakuten RMS"},
        {"注文者姓カナ", PII_COL_NAME_KANA, "Rakuten RMS"},
        {"注文者名カナ", PII_COL_NAME_KANA, "Rakuten RMS"},
        {"注文者電話番号1", PII_COL_PHONE, "Rakuten RMS"},
        {"注文者電話番号2", PII_COL_PHONE, "Rakuten RMS"},
        {"注文者電話番号3", PII_COL_PHONE, "Rakuten RMS"},
        {"注文者メールアドレス", PII_COL_EMAIL, "Rakuten RMS"},
        {"送付先姓", PII_COL_NAME, "Rakuten RMS"},
        {"送付先名", PII_COL_NAME, "Rakuten RMS"},
        {"送付先郵便番号1", PII_COL_POSTAL_CODE, "Rakuten RMS"},
        {"送付先電話番号1", PII_COL_PHONE, "Rakuten RMS"},
        {"商品名", PII_COL_NOT_PII, "Rakuten RMS"},
        {"商品番号", PII_COL_NOT_PII, "Rakuten RMS"},
        {"単価", PII_COL_NOT_PII, "Rakuten RMS"},
        {"個数", PII_COL_NOT_PII, "Rakuten RMS"},
        {"お荷物伝票番号", PII_COL_NOT_PII, "Rakuten RMS"},
        /* Rakuten RMS, older CSV (full-width digits and colons) */
        {"受注番号", PII_COL_NOT_PII, "Rakuten RMS (old)"},
        {"注文者名字", PII_COL_NAME, "Rakuten RMS (old)"},
        {"注文者名前フリガナ", PII_COL_NAME_KANA, "Rakuten RMS (old)"},
        {"注文者郵便番号１", PII_COL_POSTAL_CODE, "Rakuten RMS (old)"},
        {"注文者住所：都道府県", PII_COL_PREFECTURE, "Rakuten RMS (old)"},
        {"注文者住所：都市区", PII_COL_CITY, "Rakuten RMS (old)"},
        {"注文者住所：町以降", PII_COL_STREET, "Rakuten RMS (old)"},
        {"注文者電話番号３", PII_COL_PHONE, "Rakuten RMS (old)"},
        {"クレジットカード番号", PII_COL_CREDIT_CARD, "Rakuten RMS (old)"},
        {"クレジットカード名義人", PII_COL_NAME, "Rakuten RMS (old)"},
        {"クレジットカード有効期限", PII_COL_NOT_PII, "Rakuten RMS (old)"},
        {"メールフラグ", PII_COL_NOT_PII, "Rakuten RMS (old): a flag, not a mail"},
        {"購入履歴修正催促メールフラグ", PII_COL_NOT_PII, "Rakuten RMS (old)"},
        {"メールキャリアコード", PII_COL_NOT_PII, "Rakuten RMS (old)"},
        {"送付先合計金額", PII_COL_NOT_PII, "Rakuten RMS (old)"},
        /* Amazon.co.jp order report */
        {"order-id", PII_COL_NOT_PII, "Amazon"},
        {"order-item-id", PII_COL_NOT_PII, "Amazon"},
        {"purchase-date", PII_COL_NOT_PII, "Amazon"},
        {"payments-date", PII_COL_NOT_PII, "Amazon"},
        {"buyer-email", PII_COL_EMAIL, "Amazon"},
        {"buyer-name", PII_COL_NAME, "Amazon"},
        {"buyer-phone-number", PII_COL_PHONE, "Amazon"},
        {"sku", PII_COL_NOT_PII, "Amazon"},
        {"product-name", PII_COL_NOT_PII, "Amazon: the product's name, not a person's"},
        {"quantity-purchased", PII_COL_NOT_PII, "Amazon"},
        {"currency", PII_COL_NOT_PII, "Amazon"},
        {"item-price", PII_COL_NOT_PII, "Amazon"},
        {"shipping-price", PII_COL_NOT_PII, "Amazon"},
        {"recipient-name", PII_COL_NAME, "Amazon"},
        {"ship-address-1", PII_COL_ADDRESS, "Amazon"},
        {"ship-address-2", PII_COL_ADDRESS, "Amazon"},
        {"ship-address-3", PII_COL_ADDRESS, "Amazon"},
        {"ship-city", PII_COL_CITY, "Amazon"},
        {"ship-state", PII_COL_PREFECTURE, "Amazon: 都道府県 in a JP report"},
        {"ship-postal-code", PII_COL_POSTAL_CODE, "Amazon"},
        {"ship-phone-number", PII_COL_PHONE, "Amazon"},
        {"bill-address-1", PII_COL_ADDRESS, "Amazon"},
        {"bill-city", PII_COL_CITY, "Amazon"},
        {"bill-state", PII_COL_PREFECTURE, "Amazon"},
        {"bill-postal-code", PII_COL_POSTAL_CODE, "Amazon"},
        {"purchase-order-number", PII_COL_NOT_PII, "Amazon"},
        {"buyer-company-name", PII_COL_NOT_PII, "Amazon: a company, not a person"},
        {"ship-service-level", PII_COL_NONE, "Amazon: no meaning we use"},
        /* Yahoo! Shopping */
        {"OrderId", PII_COL_NOT_PII, "Yahoo! Shopping"},
        {"OrderTime", PII_COL_NOT_PII, "Yahoo! Shopping"},
        {"BillName", PII_COL_NAME, "Yahoo! Shopping"},
        {"BillFirstName", PII_COL_NAME, "Yahoo! Shopping"},
        {"BillLastName", PII_COL_NAME, "Yahoo! Shopping"},
        {"BillFirstNameKana", PII_COL_NAME_KANA, "Yahoo! Shopping"},
        {"BillLastNameKana", PII_COL_NAME_KANA, "Yahoo! Shopping"},
        {"BillZipCode", PII_COL_POSTAL_CODE, "Yahoo! Shopping"},
        {"BillPrefecture", PII_COL_PREFECTURE, "Yahoo! Shopping"},
        {"BillCity", PII_COL_CITY, "Yahoo! Shopping"},
        {"BillAddress1", PII_COL_ADDRESS, "Yahoo! Shopping"},
        {"BillAddress2", PII_COL_ADDRESS, "Yahoo! Shopping"},
        {"BillPhoneNumber", PII_COL_PHONE, "Yahoo! Shopping"},
        {"BillMailAddress", PII_COL_EMAIL, "Yahoo! Shopping: mail address, not address"},
        {"ShipName", PII_COL_NAME, "Yahoo! Shopping"},
        {"ShipZipCode", PII_COL_POSTAL_CODE, "Yahoo! Shopping"},
        {"ShipPhoneNumber", PII_COL_PHONE, "Yahoo! Shopping"},
        {"ItemId", PII_COL_NOT_PII, "Yahoo! Shopping"},
        {"UnitPrice", PII_COL_NOT_PII, "Yahoo! Shopping"},
        {"ShipMethod", PII_COL_NOT_PII, "Yahoo! Shopping"},
        /* own stores and generic Japanese headers */
        {"氏名", PII_COL_NAME, "generic"},
        {"お名前", PII_COL_NAME, "generic"},
        {"名前", PII_COL_NAME, "generic"},
        {"姓", PII_COL_NAME, "generic"},
        {"名", PII_COL_NAME, "generic"},
        {"セイ", PII_COL_NAME_KANA, "generic"},
        {"メイ", PII_COL_NAME_KANA, "generic"},
        {"フリガナ", PII_COL_NAME_KANA, "generic"},
        {"ふりがな", PII_COL_NAME_KANA, "generic"},
        {"カナ", PII_COL_NAME_KANA, "generic"},
        {"氏名(カナ)", PII_COL_NAME_KANA, "generic: kana is the head noun"},
        {"お名前（フリガナ）", PII_COL_NAME_KANA, "generic"},
        {"注文者", PII_COL_NAME, "generic"},
        {"購入者", PII_COL_NAME, "generic"},
        {"宛名", PII_COL_NAME, "generic"},
        {"受取人", PII_COL_NAME, "generic"},
        {"送付先", PII_COL_ADDRESS, "generic"},
        {"お届け先", PII_COL_ADDRESS, "generic"},
        {"お届け先名", PII_COL_NAME, "generic"},
        {"受取人住所", PII_COL_ADDRESS, "generic: the party word yields to the field"},
        {"住所", PII_COL_ADDRESS, "generic"},
        {"住所2", PII_COL_ADDRESS, "generic"},
        {"都道府県", PII_COL_PREFECTURE, "generic"},
        {"市区町村", PII_COL_CITY, "generic"},
        {"番地", PII_COL_STREET, "generic"},
        {"住所（番地）", PII_COL_STREET, "generic: 番地 ends the compound"},
        {"建物名", PII_COL_BUILDING, "generic"},
        {"番地・建物名", PII_COL_BUILDING, "generic"},
        {"マンション名・部屋番号", PII_COL_BUILDING, "generic"},
        {"電話番号", PII_COL_PHONE, "generic"},
        {"TEL", PII_COL_PHONE, "generic"},
        {"携帯", PII_COL_PHONE, "generic"},
        {"携帯電話", PII_COL_PHONE, "generic"},
        {"携帯メール", PII_COL_EMAIL, "generic: the mail of a mobile"},
        {"連絡先", PII_COL_PHONE, "generic"},
        {"FAX", PII_COL_PHONE, "generic"},
        {"郵便番号", PII_COL_POSTAL_CODE, "generic"},
        {"〒", PII_COL_POSTAL_CODE, "generic"},
        {"〒番号", PII_COL_POSTAL_CODE, "generic"},
        {"郵便番号（上3桁）", PII_COL_POSTAL_CODE, "generic: one inner digit is allowed"},
        {"メールアドレス", PII_COL_EMAIL, "generic"},
        {"メール", PII_COL_EMAIL, "generic"},
        {"E-mail", PII_COL_EMAIL, "generic"},
        {"個人番号", PII_COL_MY_NUMBER, "generic"},
        {"マイナンバー", PII_COL_MY_NUMBER, "generic"},
        {"カード番号", PII_COL_CREDIT_CARD, "generic"},
        {"card number", PII_COL_CREDIT_CARD, "generic"},
        {"ポイントカード番号", PII_COL_NOT_PII, "generic: a loyalty card"},
        /* not personal data */
        {"伝票番号", PII_COL_NOT_PII, "generic"},
        {"追跡番号", PII_COL_NOT_PII, "generic"},
        {"問合せ番号", PII_COL_NOT_PII, "generic"},
        {"お問い合わせ伝票番号", PII_COL_NOT_PII, "generic"},
        {"JAN", PII_COL_NOT_PII, "generic"},
        {"JANコード", PII_COL_NOT_PII, "generic"},
        {"商品コード", PII_COL_NOT_PII, "generic"},
        {"SKU", PII_COL_NOT_PII, "generic"},
        {"型番", PII_COL_NOT_PII, "generic"},
        {"日付", PII_COL_NOT_PII, "generic"},
        {"注文日", PII_COL_NOT_PII, "generic"},
        {"金額", PII_COL_NOT_PII, "generic"},
        {"価格", PII_COL_NOT_PII, "generic"},
        {"数量", PII_COL_NOT_PII, "generic"},
        {"会社名", PII_COL_NOT_PII, "generic: 名 alone would say name"},
        {"配送方法名", PII_COL_NOT_PII, "generic: 名 alone would say name"},
        {"銀行名", PII_COL_NOT_PII, "generic: a bank, not a person"},
        {"口座名義", PII_COL_NAME, "generic: the account holder"},
        {"メール便", PII_COL_NOT_PII, "generic: a delivery service"},
        {"備考", PII_COL_NONE, "generic: free text has no meaning"},
    };
    return cr_make_param_array(struct header_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct header_case *c, column, real_export_headers_get_their_meaning)
{
    enum pii_column got = lookup(c->label);
    cr_expect_eq(got, c->want, "%s: \"%s\" should mean %s, got %s", c->source, c->label,
                 meaning_name(c->want), meaning_name(got));
}

ParameterizedTestParameters(column, decorated_and_width_variant_headers_still_resolve)
{
    static struct header_case cases[] = {
        {"ＴＥＬ", PII_COL_PHONE, "full-width ASCII"},
        {"ｔｅｌ１", PII_COL_PHONE, "full-width lower case and digit"},
        {"Tel.", PII_COL_PHONE, "abbreviation dot"},
        {"ﾃﾞﾝﾜ番号", PII_COL_PHONE, "half-width katakana with a voiced mark"},
        {"ﾌﾘｶﾞﾅ", PII_COL_NAME_KANA, "half-width katakana"},
        {"ﾒｰﾙｱﾄﾞﾚｽ", PII_COL_EMAIL, "half-width long vowel mark between kana"},
        {"【電話番号】", PII_COL_PHONE, "lenticular brackets"},
        {"電話番号：", PII_COL_PHONE, "full-width colon"},
        {"電話番号:", PII_COL_PHONE, "ASCII colon"},
        {"「郵便番号」", PII_COL_POSTAL_CODE, "corner brackets"},
        {"※メールアドレス", PII_COL_EMAIL, "reference mark"},
        {"*氏名", PII_COL_NAME, "required-field asterisk"},
        {"お名前　（姓）", PII_COL_NAME, "ideographic space and parentheses"},
        {"Ship_Address_1", PII_COL_ADDRESS, "underscores and upper case"},
        {"SHIP-POSTAL-CODE", PII_COL_POSTAL_CODE, "upper case"},
        {"[email]", PII_COL_EMAIL, "square brackets"},
        {"e-mail / メール", PII_COL_EMAIL, "slash and spaces"},
        {" 住所 ", PII_COL_ADDRESS, "surrounding spaces"},
        {"\xEF\xBB\xBF注文番号", PII_COL_NOT_PII, "byte order mark before the first header"},
        {"お届け先2", PII_COL_ADDRESS, "a numbered exact term: the digit is dropped first"},
        {"name1", PII_COL_NAME, "a numbered suffix term"},
        {"宛名２", PII_COL_NAME, "a full-width digit is dropped too"},
        {"kana_name(full width)", PII_COL_NAME_KANA,
         "kana found where the exact term kananame also starts"},
    };
    return cr_make_param_array(struct header_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct header_case *c, column, decorated_and_width_variant_headers_still_resolve)
{
    enum pii_column got = lookup(c->label);
    cr_expect_eq(got, c->want, "%s: \"%s\" should mean %s, got %s", c->source, c->label,
                 meaning_name(c->want), meaning_name(got));
}

ParameterizedTestParameters(column, data_values_are_not_headers)
{
    static struct header_case cases[] = {
        {"yamada@mail.example.com", PII_COL_NONE, "an e-mail address contains \"mail\""},
        {"2024年1月3日", PII_COL_NONE, "a date ends in 日"},
        {"港区六本木6-10-1 六本木マンション101号室", PII_COL_NONE,
         "an address holding マンション and 号室"},
        {"090-1234-5678", PII_COL_NONE, "a phone number: digits only once canonical"},
        {"12345", PII_COL_NONE, "digits only"},
        {"", PII_COL_NONE, "empty"},
        {"・　・", PII_COL_NONE, "decoration only"},
        {"お客様からのご要望により、ご注文の商品を別のお届け先住所へ変更いたしました。",
         PII_COL_NONE, "a sentence is longer than any label"},
    };
    return cr_make_param_array(struct header_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct header_case *c, column, data_values_are_not_headers)
{
    enum pii_column got = lookup(c->label);
    cr_expect_eq(got, c->want, "%s: \"%s\" should mean %s, got %s", c->source, c->label,
                 meaning_name(c->want), meaning_name(got));
}

/* ------------------------------------------------------------------------------------------ */
/* The tables                                                                                 */

static void expect_canonical(const struct pii_term *t, const char *table)
{
    pii_text out = {0};
    cr_assert_eq(pii_canonical_label(t->text, t->len, &out), PIISCAN_OK, "canonical form");
    cr_expect(out.len == t->len && memcmp(out.data, t->text, t->len) == 0,
              "%s: \"%s\" is not canonical (it becomes \"%.*s\"), so it could never match", table,
              t->text, (int)out.len, out.data != NULL ? out.data : "");
    cr_expect_eq(strlen(t->text), t->len, "%s: \"%s\": stored length", table, t->text);
    pii_text_free(&out);
}

Test(column, every_term_and_keyword_is_already_canonical)
{
    for (size_t i = 0; i < pii_column_terms_count; i++)
        expect_canonical(&pii_column_terms[i], "column_header.tsv");
    for (size_t i = 0; i < pii_keywords_count; i++)
        expect_canonical(&pii_keywords[i], "keyword.tsv");
}

Test(column, terms_and_keywords_are_sorted_and_unique_as_binary_search_needs)
{
    for (size_t i = 1; i < pii_column_terms_count; i++)
        cr_expect_lt(strcmp(pii_column_terms[i - 1].text, pii_column_terms[i].text), 0,
                     "column terms %zu and %zu: \"%s\" < \"%s\"", i - 1, i,
                     pii_column_terms[i - 1].text, pii_column_terms[i].text);
    for (size_t i = 1; i < pii_keywords_count; i++)
        cr_expect_lt(strcmp(pii_keywords[i - 1].text, pii_keywords[i].text), 0,
                     "keywords %zu and %zu: \"%s\" < \"%s\"", i - 1, i, pii_keywords[i - 1].text,
                     pii_keywords[i].text);
}

/* Counts the data lines (not empty, not # comments) of a dict/ table. */
static size_t count_table_lines(const char *name)
{
    char relative[256];
    snprintf(relative, sizeof relative, "dict/%s", name);
    size_t len;
    char *text = test_read_source(relative, &len);
    size_t n = 0;
    for (const char *line = text; line < text + len; line = strchr(line, '\n') + 1) {
        cr_assert_not_null(strchr(line, '\n'), "%s ends with a newline", name);
        n += line[0] != '#' && line[0] != '\n';
    }
    free(text);
    return n;
}

Test(column, compiled_tables_hold_every_line_of_their_source)
{
    cr_expect_eq(pii_column_terms_count, count_table_lines("column_header.tsv"),
                 "one compiled term per line of column_header.tsv");
    cr_expect_eq(pii_keywords_count, count_table_lines("keyword.tsv"),
                 "one compiled keyword per line of keyword.tsv");
}

Test(column, every_term_alone_as_a_header_means_its_own_meaning)
{
    for (size_t i = 0; i < pii_column_terms_count; i++) {
        const struct pii_term *t = &pii_column_terms[i];
        enum pii_column got = lookup(t->text);
        cr_expect_eq(got, t->meaning, "header \"%s\" equals a term of meaning %s, got %s", t->text,
                     meaning_name(t->meaning), meaning_name(got));
    }
}

Test(column, single_character_terms_never_match_inside_a_word)
{
    for (size_t i = 0; i < pii_column_terms_count; i++) {
        const struct pii_term *t = &pii_column_terms[i];
        uint32_t cp;
        if (pii_utf8_get(t->text, t->len, &cp) == t->len)
            cr_expect_neq(t->match, PII_MATCH_CONTAINS,
                          "\"%s\" is one character: contains would match it anywhere", t->text);
    }
    cr_expect_eq(lookup("名古屋"), PII_COL_NONE, "名 starts 名古屋 but does not end it");
}

/* ------------------------------------------------------------------------------------------ */
/* Canonical form                                                                             */

Test(column, canonical_label_folds_width_case_and_decoration)
{
    static const char label[] = "【ＴＥＬ・携帯】 ";
    pii_text out = {0};
    cr_assert_eq(pii_canonical_label(label, strlen(label), &out), PIISCAN_OK, "canonical form");
    cr_expect(out.len == strlen("tel携帯") && memcmp(out.data, "tel携帯", out.len) == 0,
              "【ＴＥＬ・携帯】 becomes tel携帯, got \"%.*s\"", (int)out.len, out.data);
    /* The map still leads back into the label: t comes from Ｔ after 【 (3 bytes), 携 from
     * after 【ＴＥＬ・ (3 + 3 * 3 + 3 bytes). */
    cr_assert_geq(out.len, 4, "room for the map checks");
    cr_expect_eq(out.map[0], 3, "t maps to the Ｔ at byte 3");
    cr_expect_eq(out.map[3], 15, "携 maps to byte 15");
    pii_text_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* Keywords and context                                                                       */

#define BIT(c) (1u << (c))

static unsigned keywords_of(const char *record)
{
    pii_text scratch = {0};
    pii_context ctx = {.record = record, .record_len = strlen(record), .scratch = &scratch};
    unsigned mask = pii_context_keywords(&ctx);
    pii_text_free(&scratch);
    return mask;
}

struct keyword_case {
    char record[160];
    unsigned want;
    char why[64];
};

ParameterizedTestParameters(column, keywords_are_found_inside_running_text)
{
    static struct keyword_case cases[] = {
        {"お問い合わせは電話03-1234-5678まで", BIT(PII_COL_PHONE), "電話 mid-sentence"},
        {"ＴＥＬ：0467-12-3456", BIT(PII_COL_PHONE), "full-width TEL at the start"},
        {"連絡先 ☎ 090 1234 5678", BIT(PII_COL_PHONE), "連絡先 and ☎"},
        {"〒106-0032 東京都港区六本木", BIT(PII_COL_POSTAL_CODE), "〒 first"},
        {"Zip: 1060032", BIT(PII_COL_POSTAL_CODE), "zip in upper and lower case"},
        {"E-Mail: taro@example.jp", BIT(PII_COL_EMAIL), "e-mail becomes email, holds mail"},
        {"マイナンバー：123456789012", BIT(PII_COL_MY_NUMBER), "マイナンバー"},
        {"カード番号 4111 1111 1111 1111 (VISA)", BIT(PII_COL_CREDIT_CARD), "カード番号 and visa"},
        {"山田様 TEL 03-1234-5678 / メール yamada@example.jp / 〒100-0001",
         BIT(PII_COL_PHONE) | BIT(PII_COL_EMAIL) | BIT(PII_COL_POSTAL_CODE),
         "three meanings in one record"},
        {"本日は晴天なり。価格は1,980円です。", 0, "no keyword"},
        {"値引き後マイナス500円", 0, "マイナス (minus) is not マイナ(ンバー)"},
        {"末尾にfax", BIT(PII_COL_PHONE), "a keyword at the very end"},
    };
    return cr_make_param_array(struct keyword_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct keyword_case *c, column, keywords_are_found_inside_running_text)
{
    unsigned got = keywords_of(c->record);
    cr_expect_eq(got, c->want, "%s: \"%s\" should give mask %#x, got %#x", c->why, c->record,
                 c->want, got);
}

Test(column, keyword_mask_reports_every_meaning_of_the_table)
{
    for (size_t i = 0; i < pii_keywords_count; i++) {
        const struct pii_term *k = &pii_keywords[i];
        char text[300];
        snprintf(text, sizeof text, "xx%sxx", k->text);
        cr_expect(pii_keyword_mask(text, strlen(text)) & BIT(k->meaning),
                  "\"%s\" inside a word gives bit %s", k->text, meaning_name(k->meaning));
    }
}

/* The mask a plain search for every keyword gives. */
static unsigned naive_mask(const char *s, size_t n)
{
    unsigned mask = 0;
    for (size_t k = 0; k < pii_keywords_count; k++)
        if (test_memmem(s, n, pii_keywords[k].text, pii_keywords[k].len) != NULL)
            mask |= BIT(pii_keywords[k].meaning);
    return mask;
}

Test(column, keyword_mask_agrees_with_a_plain_search_for_each_keyword)
{
    /* Keywords glued to each other, to Japanese text and to the ends of the text: every
     * placement the filter and the prefix walk could get wrong. */
    static const char *const fillers[] = {"", "x", "の", "山田様", "123"};
    char text[512];
    for (size_t a = 0; a < pii_keywords_count; a++) {
        for (size_t f = 0; f < sizeof fillers / sizeof fillers[0]; f++) {
            size_t b = (a * 7 + f) % pii_keywords_count;
            int n = snprintf(text, sizeof text, "%s%s%s%s", fillers[f], pii_keywords[a].text,
                             pii_keywords[b].text, fillers[f]);
            cr_assert(n > 0 && (size_t)n < sizeof text, "test text fits");
            for (size_t cut = 0; cut <= (size_t)n; cut++) {
                cr_expect_eq(pii_keyword_mask(text, cut), naive_mask(text, cut),
                             "\"%.*s\": mask of the first %zu bytes", (int)cut, text, cut);
            }
        }
    }
}

Test(column, context_keywords_are_computed_once_per_record)
{
    pii_text scratch = {0};
    char record[] = "電話 03-1234-5678";
    pii_context ctx = {.record = record, .record_len = strlen(record), .scratch = &scratch};
    cr_expect_eq(pii_context_keywords(&ctx), BIT(PII_COL_PHONE), "電話 gives phone");
    cr_expect(ctx.is_keywords_known, "the mask is cached in the context");
    /* A record changed behind the context's back shows the cache is what answers. */
    memcpy(record, "メール", strlen("メール"));
    cr_expect_eq(pii_context_keywords(&ctx), BIT(PII_COL_PHONE),
                 "the second question is answered from the cache, not recomputed");
    pii_text_free(&scratch);
}

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                      */

Test(column, each_meaning_implies_its_detector_type)
{
    static const piiscan_type want[PII_COL_COUNT] = {
        [PII_COL_NONE] = 0,
        [PII_COL_NOT_PII] = 0,
        [PII_COL_NAME] = PIISCAN_TYPE_NAME,
        [PII_COL_NAME_KANA] = PIISCAN_TYPE_NAME,
        [PII_COL_ADDRESS] = PIISCAN_TYPE_ADDRESS,
        [PII_COL_PREFECTURE] = PIISCAN_TYPE_ADDRESS,
        [PII_COL_CITY] = PIISCAN_TYPE_ADDRESS,
        [PII_COL_STREET] = PIISCAN_TYPE_ADDRESS,
        [PII_COL_BUILDING] = PIISCAN_TYPE_ADDRESS,
        [PII_COL_PHONE] = PIISCAN_TYPE_PHONE,
        [PII_COL_POSTAL_CODE] = PIISCAN_TYPE_POSTAL_CODE,
        [PII_COL_EMAIL] = PIISCAN_TYPE_EMAIL,
        [PII_COL_MY_NUMBER] = PIISCAN_TYPE_MY_NUMBER,
        [PII_COL_CREDIT_CARD] = PIISCAN_TYPE_CREDIT_CARD,
    };
    for (int c = 0; c < PII_COL_COUNT; c++)
        cr_expect_eq(pii_column_type((enum pii_column)c), want[c], "%s implies type %d",
                     meaning_name((enum pii_column)c), (int)want[c]);
}
