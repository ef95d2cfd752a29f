/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_token.c - keyed pseudonyms: the same person gives the same token however the value
 * was typed, another value or key gives another token, and the construction is the one the
 * header documents (recomputed here with libsodium directly, so a change of it is caught).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <sodium.h>
#include <string.h>

#include "helpers.h"
#include "redact.h"

static unsigned char key[PII_TOKEN_KEY_BYTES];

static void make_key(void)
{
    cr_assert_eq(pii_token_init(), PIISCAN_OK);
    static const unsigned char material[40] = "a key file of forty bytes, for the test";
    pii_token_key(material, sizeof material, key);
}

TestSuite(token, .init = make_key);

/* The token of decoded UTF-8 `value`, NUL-terminated in out: tokens hash the canonical form
 * (canonical.c), so that the same person gets the same token whatever the spelling. */
static void token_of(piiscan_type type, const char *value, const unsigned char *k, char *out)
{
    pii_text scratch = {0};
    pii_bytes norm = {0};
    cr_assert_eq(pii_canonical(type, value, strlen(value), &scratch, &norm), PIISCAN_OK);
    size_t n = pii_token_text(k, type, norm.data, norm.len, out);
    cr_assert_lt(n, PII_TOKEN_MAX_CHARS);
    out[n] = '\0';
    pii_text_free(&scratch);
    pii_bytes_free(&norm);
}

/* Arrays, not pointers: Criterion copies parameters into the process that runs the test. */
struct same_case {
    char label[48];
    piiscan_type type;
    char a[48];
    char b[48];
};

static struct same_case same_cases[] = {
    {"dashes or none", PIISCAN_TYPE_PHONE, "090-1234-5678", "09012345678"},
    {"full-width digits and dashes", PIISCAN_TYPE_PHONE, "090-1234-5678",
     "０９０－１２３４－５６７８"},
    {"+81 is the national number", PIISCAN_TYPE_PHONE, "090-1234-5678", "+81 90 1234 5678"},
    {"parentheses", PIISCAN_TYPE_PHONE, "045-671-2345", "(045)671-2345"},
    {"e-mail case", PIISCAN_TYPE_EMAIL, "Taro.Yamada@Example.JP", "taro.yamada@example.jp"},
    {"full-width e-mail", PIISCAN_TYPE_EMAIL, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"},
    {"postal code with and without dash", PIISCAN_TYPE_POSTAL_CODE, "150-0002", "1500002"},
    {"card grouping", PIISCAN_TYPE_CREDIT_CARD, "4111 1111 1111 1111", "4111-1111-1111-1111"},
    {"name spacing and half-width kana", PIISCAN_TYPE_NAME, "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"},
    {"reading in hiragana or katakana", PIISCAN_TYPE_NAME, "やまだ たろう", "ヤマダタロウ"},
    {"address kanji numerals or hyphens", PIISCAN_TYPE_ADDRESS, "港区六本木一丁目二番三号",
     "港区六本木1-2-3"},
};

ParameterizedTestParameters(token, same_person_same_token)
{
    return cr_make_param_array(struct same_case, same_cases,
                               sizeof same_cases / sizeof same_cases[0]);
}

ParameterizedTest(struct same_case *p, token, same_person_same_token)
{
    char ta[PII_TOKEN_MAX_CHARS];
    char tb[PII_TOKEN_MAX_CHARS];
    token_of(p->type, p->a, key, ta);
    token_of(p->type, p->b, key, tb);
    cr_expect_str_eq(ta, tb, "%s: \"%s\" and \"%s\" are one value", p->label, p->a, p->b);
}

Test(token, other_value_type_or_key_gives_another_token)
{
    char a[PII_TOKEN_MAX_CHARS];
    char b[PII_TOKEN_MAX_CHARS];
    token_of(PIISCAN_TYPE_PHONE, "090-1234-5678", key, a);
    token_of(PIISCAN_TYPE_PHONE, "090-1234-5679", key, b);
    cr_expect_str_neq(a, b, "one digit more is another person");
    unsigned char other[PII_TOKEN_KEY_BYTES];
    memcpy(other, key, sizeof other);
    other[0] ^= 1;
    token_of(PIISCAN_TYPE_PHONE, "090-1234-5678", other, b);
    cr_expect_str_neq(a, b, "another key, another pseudonym");
    token_of(PIISCAN_TYPE_MY_NUMBER, "090123456789", key, a);
    token_of(PIISCAN_TYPE_CREDIT_CARD, "090123456789", key, b);
    cr_expect_str_neq(a + strlen("MNB_"), b + strlen("CRD_"),
                      "the same digits as two types are two values");
}

Test(token, tokens_are_a_tag_and_sixteen_consonants_without_digits)
{
    static const struct {
        piiscan_type type;
        const char *value;
        const char *tag;
    } tags[] = {
        {PIISCAN_TYPE_PHONE, "03-1234-5678", "PHN_"},
        {PIISCAN_TYPE_EMAIL, "a@example.jp", "EML_"},
        {PIISCAN_TYPE_POSTAL_CODE, "150-0002", "PSTL_"},
        {PIISCAN_TYPE_MY_NUMBER, "123456789018", "MNB_"},
        {PIISCAN_TYPE_CREDIT_CARD, "4111111111111111", "CRD_"},
        {PIISCAN_TYPE_NAME, "山田", "NM_"},
        {PIISCAN_TYPE_ADDRESS, "東京都", "ADR_"},
    };
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
        char t[PII_TOKEN_MAX_CHARS];
        token_of(tags[i].type, tags[i].value, key, t);
        size_t n = strlen(tags[i].tag);
        cr_expect(strncmp(t, tags[i].tag, n) == 0, "%s starts with %s", t, tags[i].tag);
        cr_expect_eq(strlen(t), n + 16, "%s: tag and 16 letters", t);
        cr_expect_eq(strspn(t + n, "bdfghjklmnpqrstw"), 16, "%s: the 16 consonants only", t);
    }
}

Test(token, construction_is_keyed_blake2b_over_type_and_normalised_value)
{
    /* As documented: key = BLAKE2b-256 keyed by the label over the material; token body =
     * the first 8 bytes of BLAKE2b-128 keyed by that key over "phone:09012345678". */
    static const unsigned char material[40] = "a key file of forty bytes, for the test";
    static const char label[] = "piiscan token key v1";
    unsigned char k[32];
    crypto_generichash(k, sizeof k, material, sizeof material, (const unsigned char *)label,
                       strlen(label));
    unsigned char h[16];
    const char msg[] = "phone:09012345678";
    crypto_generichash(h, sizeof h, (const unsigned char *)msg, strlen(msg), k, sizeof k);
    static const char letters[] = "bdfghjklmnpqrstw";
    char want[PII_TOKEN_MAX_CHARS] = "PHN_";
    for (size_t i = 0; i < 8; i++) {
        want[4 + 2 * i] = letters[h[i] >> 4];
        want[5 + 2 * i] = letters[h[i] & 15];
    }
    want[20] = '\0';
    char got[PII_TOKEN_MAX_CHARS];
    token_of(PIISCAN_TYPE_PHONE, "+81-90-1234-5678", key, got);
    cr_expect_str_eq(got, want, "the documented construction, recomputed with libsodium");
}

Test(token, tokens_read_as_no_column_header_and_no_keyword)
{
    /* A token in a header row must not make it a header, nor one beside a value a keyword
     * for it: the verification of a redaction would then see another file. */
    pii_text label = {0};
    pii_text canon = {0};
    for (unsigned n = 0; n < 3000; n++) {
        char value[32];
        char t[PII_TOKEN_MAX_CHARS];
        piiscan_type type = (piiscan_type)(1 + n % PIISCAN_TYPE_MAX);
        snprintf(value, sizeof value, "090-%04u-%04u", n, n * 7 % 10000);
        token_of(type, value, key, t);
        cr_assert_eq(pii_column_lookup(t, strlen(t), &label), PII_COL_NONE,
                     "%s reads as a column header", t);
        cr_assert_eq(pii_canonical_label(t, strlen(t), &canon), PIISCAN_OK);
        cr_assert_eq(pii_keyword_mask(canon.data, canon.len), 0, "%s holds a keyword", t);
    }
    pii_text_free(&label);
    pii_text_free(&canon);
}

Test(token, ascii_is_written_in_each_encoding)
{
    pii_bytes b = {0};
    cr_assert_eq(pii_ascii_encode(PIISCAN_ENCODING_UTF16BE, "AB", 2, &b), PIISCAN_OK);
    cr_expect(b.len == 4 && memcmp(b.data, "\0A\0B", 4) == 0, "UTF-16BE: 00 41 00 42");
    b.len = 0;
    cr_assert_eq(pii_ascii_encode(PIISCAN_ENCODING_UTF16LE, "AB", 2, &b), PIISCAN_OK);
    cr_expect(b.len == 4 && memcmp(b.data, "A\0B\0", 4) == 0, "UTF-16LE: 41 00 42 00");
    b.len = 0;
    cr_assert_eq(pii_ascii_encode(PIISCAN_ENCODING_CP932, "AB", 2, &b), PIISCAN_OK);
    cr_expect(b.len == 2 && memcmp(b.data, "AB", 2) == 0, "CP932: ASCII as it is");
    pii_bytes_free(&b);
}
