/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_mask.c - full and partial masks of one span, in each encoding, and the checks on
 * configurable mask characters. Inputs are UTF-8 literals turned into the target encoding
 * with iconv here; expected outputs likewise, so every comparison is byte for byte.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "codec_helpers.h"
#include "helpers.h"
#include "redact.h"

TestSuite(mask, .init = codec_setup, .fini = codec_teardown);

/* A masker of the mask characters `narrow` and `wide`. */
static pii_masker masker_of(const char *narrow, const char *wide)
{
    pii_masker m;
    cr_assert_eq(pii_masker_init(&m, narrow, wide, NULL), PIISCAN_OK, "mask characters %s and %s",
                 narrow, wide);
    return m;
}

/* UTF-8 `value` written in `enc` (freed by the caller), its characters decoded into *chars. */
static char *encoded_with_chars(const char *value, piiscan_encoding enc, size_t *n,
                                pii_chars *chars)
{
    char *in = test_iconv(value, strlen(value), test_iconv_name(enc), n);
    cr_assert_eq(pii_chars_decode(codec_tables, enc, (const unsigned char *)in, *n, chars),
                 PIISCAN_OK);
    return in;
}

/* The mask of UTF-8 `value` written in `enc`, decoded back to UTF-8 for comparison; the
 * output's bytes are also checked to be exactly iconv's encoding of that UTF-8. */
static char *mask_in(piiscan_mask mask, piiscan_type type, const char *value, piiscan_encoding enc,
                     const char *narrow, const char *wide)
{
    pii_masker m = masker_of(narrow, wide);
    size_t n;
    pii_chars chars = {0};
    char *in = encoded_with_chars(value, enc, &n, &chars);
    pii_bytes out = {0};
    cr_assert_eq(
        pii_mask_span(&m, mask, type, enc, (const unsigned char *)in, &chars, false, &out, NULL),
        PIISCAN_OK);
    size_t u8_len;
    char *u8 =
        test_convert((const char *)out.data, out.len, test_iconv_name(enc), "UTF-8", &u8_len);
    cr_assert_not_null(u8, "the mask of \"%s\" is valid %s", value, test_iconv_name(enc));
    size_t re_len;
    char *re = test_iconv(u8, u8_len, test_iconv_name(enc), &re_len);
    cr_expect(re_len == out.len && memcmp(re, out.data, re_len) == 0,
              "the mask of \"%s\" is %s as iconv writes it", value, test_iconv_name(enc));
    free(re);
    pii_bytes_free(&out);
    pii_chars_free(&chars);
    free(in);
    return u8;
}

/* Arrays, not pointers: Criterion copies parameters into the process that runs the test. */
struct mask_case {
    char label[64];
    piiscan_type type;
    char value[64];
    char full[96];
    char partial[96];
};

static struct mask_case cases[] = {
    {"mobile, grouped", PIISCAN_TYPE_PHONE, "090-1234-5678", "*************", "090-****-5678"},
    {"Tokyo, 2-digit area code", PIISCAN_TYPE_PHONE, "03-1234-5678", "************",
     "03-****-5678"},
    {"ungrouped mobile", PIISCAN_TYPE_PHONE, "09012345678", "***********", "090****5678"},
    {"international", PIISCAN_TYPE_PHONE, "+81-90-1234-5678", "****************",
     "+81-90-****-5678"},
    {"parenthesised area code", PIISCAN_TYPE_PHONE, "(045)671-2345", "*************",
     "(045)***-2345"},
    {"full-width digits and dashes", PIISCAN_TYPE_PHONE, "０９０－１２３４－５６７８",
     "＊＊＊＊＊＊＊＊＊＊＊＊＊", "０９０－＊＊＊＊－５６７８"},
    {"long-vowel mark as dash", PIISCAN_TYPE_PHONE, "０８０ー１２３４ー５６７８",
     "＊＊＊＊＊＊＊＊＊＊＊＊＊", "０８０ー＊＊＊＊ー５６７８"},
    {"postal code", PIISCAN_TYPE_POSTAL_CODE, "150-0002", "********", "150-****"},
    {"postal code, full width", PIISCAN_TYPE_POSTAL_CODE, "５３０－０００１", "＊＊＊＊＊＊＊＊",
     "５３０－＊＊＊＊"},
    {"e-mail", PIISCAN_TYPE_EMAIL, "taro.yamada@example.jp", "**********************",
     "***********@example.jp"},
    {"card", PIISCAN_TYPE_CREDIT_CARD, "4111 1111 1111 1111", "*******************",
     "**** **** **** 1111"},
    {"My Number", PIISCAN_TYPE_MY_NUMBER, "1234 5678 9018", "**************", "**** **** ****"},
    {"name with half-width kana: ﾀﾞ is two characters", PIISCAN_TYPE_NAME, "ﾔﾏﾀﾞ ﾀﾛｳ", "********",
     "********"},
    {"name in kanji", PIISCAN_TYPE_NAME, "山田　太郎", "＊＊＊＊＊", "＊＊＊＊＊"},
    {"address, Tokyo ward", PIISCAN_TYPE_ADDRESS, "東京都渋谷区渋谷2-21-1 テストビル5F",
     "＊＊＊＊＊＊＊＊*******＊＊＊＊＊**", "東京都渋谷区＊＊*-**-* ＊＊＊＊＊**"},
    {"address, designated city and ward", PIISCAN_TYPE_ADDRESS, "大阪府大阪市北区梅田3-1-3",
     "＊＊＊＊＊＊＊＊＊＊*****", "大阪府大阪市北区＊＊*-*-*"},
    {"address, district and town", PIISCAN_TYPE_ADDRESS, "北海道虻田郡倶知安町南1条",
     "＊＊＊＊＊＊＊＊＊＊＊*＊", "北海道虻田郡倶知安町＊*＊"},
    {"address, city named with 市", PIISCAN_TYPE_ADDRESS, "千葉県市川市八幡2-1",
     "＊＊＊＊＊＊＊＊***", "千葉県市川市＊＊*-*"},
    {"address without prefecture", PIISCAN_TYPE_ADDRESS, "渋谷区渋谷2-21-1", "＊＊＊＊＊******",
     "渋谷区＊＊*-**-*"},
};

ParameterizedTestParameters(mask, every_style_in_every_encoding)
{
    return cr_make_param_array(struct mask_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct mask_case *p, mask, every_style_in_every_encoding)
{
    for (int enc = PIISCAN_ENCODING_UTF8; enc <= PIISCAN_ENCODING_UTF16BE; enc++) {
        char *full = mask_in(PIISCAN_MASK_FULL, p->type, p->value, enc, "*", "＊");
        cr_expect_str_eq(full, p->full, "%s in %s: full mask of %s", p->label, test_iconv_name(enc),
                         p->value);
        free(full);
        char *partial = mask_in(PIISCAN_MASK_PARTIAL, p->type, p->value, enc, "*", "＊");
        cr_expect_str_eq(partial, p->partial, "%s in %s: partial mask of %s", p->label,
                         test_iconv_name(enc), p->value);
        free(partial);
    }
}

Test(mask, wide_asterisk_has_the_bytes_each_encoding_gives_it)
{
    pii_masker m = masker_of("*", "＊");
    static const struct {
        piiscan_encoding enc;
        const char *bytes;
        size_t len;
    } want[] = {
        {PIISCAN_ENCODING_UTF8, "\xEF\xBC\x8A", 3}, {PIISCAN_ENCODING_CP932, "\x81\x96", 2},
        {PIISCAN_ENCODING_EUCJP, "\xA1\xF6", 2},    {PIISCAN_ENCODING_UTF16LE, "\x0A\xFF", 2},
        {PIISCAN_ENCODING_UTF16BE, "\xFF\x0A", 2},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cr_expect(m.wide_len[want[i].enc] == want[i].len &&
                      memcmp(m.wide[want[i].enc], want[i].bytes, want[i].len) == 0,
                  "＊ in %s", test_iconv_name(want[i].enc));
    }
    cr_expect(m.narrow_len[PIISCAN_ENCODING_UTF16LE] == 2 &&
                  memcmp(m.narrow[PIISCAN_ENCODING_UTF16LE], "*\0", 2) == 0,
              "* is two bytes in UTF-16");
}

Test(mask, configured_characters_are_used_with_their_widths)
{
    char *s = mask_in(PIISCAN_MASK_FULL, PIISCAN_TYPE_PHONE, "０３-1234", PIISCAN_ENCODING_CP932,
                      "#", "●");
    cr_expect_str_eq(s, "●●#####", "wide digits get ●, narrow ones #");
    free(s);
}

struct char_case {
    char label[64];
    char utf8[8];
    bool is_wide;
    int rc;
};

static struct char_case char_cases[] = {
    {"the default narrow", "*", false, PIISCAN_OK},
    {"the default wide", "＊", true, PIISCAN_OK},
    {"a hash", "#", false, PIISCAN_OK},
    {"a black circle, wide", "●", true, PIISCAN_OK},
    {"･ is 0xA5 in CP932: it could end a broken two-byte character", "･", false,
     PIISCAN_ERR_INVALID},
    {"~ is 0x7E, a CP932 trail byte", "~", false, PIISCAN_ERR_INVALID},
    {"empty", "", false, PIISCAN_ERR_INVALID},
    {"two characters", "**", false, PIISCAN_ERR_INVALID},
    {"a letter makes values (x***@example.jp is an address)", "x", false, PIISCAN_ERR_INVALID},
    {"a digit makes numbers", "0", false, PIISCAN_ERR_INVALID},
    {"a full-width letter folds to a letter", "Ａ", true, PIISCAN_ERR_INVALID},
    {"a comma is a delimiter", ",", false, PIISCAN_ERR_INVALID},
    {"a full-width comma folds to one", "，", true, PIISCAN_ERR_INVALID},
    {"a tab is a delimiter", "\t", false, PIISCAN_ERR_INVALID},
    {"a quote", "\"", false, PIISCAN_ERR_INVALID},
    {"a newline", "\n", false, PIISCAN_ERR_INVALID},
    {"a space", " ", false, PIISCAN_ERR_INVALID},
    {"= starts a spreadsheet formula", "=", false, PIISCAN_ERR_INVALID},
    {"- starts a spreadsheet formula", "-", false, PIISCAN_ERR_INVALID},
    {"@ starts a spreadsheet formula", "@", false, PIISCAN_ERR_INVALID},
    {"a wide character in the narrow slot", "●", false, PIISCAN_ERR_INVALID},
    {"a narrow character in the wide slot", "#", true, PIISCAN_ERR_INVALID},
    {"表 is 0x95 0x5C in CP932, a backslash to byte tools", "表", true, PIISCAN_ERR_INVALID},
    {"an emoji CP932 cannot hold", "\xF0\x9F\x98\x80", true, PIISCAN_ERR_ENCODING},
    {"invalid UTF-8", "\xFF", false, PIISCAN_ERR_INVALID},
};

ParameterizedTestParameters(mask, mask_characters_are_checked_when_set)
{
    return cr_make_param_array(struct char_case, char_cases,
                               sizeof char_cases / sizeof char_cases[0]);
}

ParameterizedTest(struct char_case *p, mask, mask_characters_are_checked_when_set)
{
    piiscan_error err = {0};
    int rc = pii_mask_char_check(p->utf8, p->is_wide, &err);
    cr_expect_eq(rc, p->rc, "%s: got %d (%s), expected %d", p->label, rc, err.text, p->rc);
    piiscan_redact_options *ro;
    cr_assert_eq(piiscan_redact_options_new(&ro), PIISCAN_OK);
    rc = piiscan_redact_options_set_mask_chars(ro, p->is_wide ? NULL : p->utf8,
                                               p->is_wide ? p->utf8 : NULL);
    cr_expect_eq(rc, p->rc, "%s: the public setter agrees", p->label);
    piiscan_redact_options_free(ro);
}

Test(mask, widths_follow_the_zenkaku_rule)
{
    cr_expect(!pii_is_wide('A'), "ASCII is narrow");
    cr_expect(!pii_is_wide(0xFF76), "ｶ half-width katakana is narrow");
    cr_expect(!pii_is_wide(0xFF9E), "ﾞ the half-width voiced mark is a narrow character");
    cr_expect(!pii_is_wide(0xE9), "é is narrow");
    cr_expect(pii_is_wide(0xD7), "× is zenkaku in JIS X 0208");
    cr_expect(pii_is_wide(0x3042), "あ is wide");
    cr_expect(pii_is_wide(0xFF10), "０ is wide");
    cr_expect(pii_is_wide(0x2010), "‐ is two bytes in CP932: zenkaku");
}

Test(mask, the_kept_start_of_a_partial_address_is_measured)
{
    /* Verification lets a later scan find the prefecture and municipality again, but only
     * inside the bytes the mask kept at its start. */
    pii_masker m = masker_of("*", "＊");
    size_t n;
    pii_chars chars = {0};
    char *in = encoded_with_chars("東京都渋谷区渋谷2-21-1", PIISCAN_ENCODING_CP932, &n, &chars);
    pii_bytes out = {0};
    size_t kept = 99;
    cr_assert_eq(pii_mask_span(&m, PIISCAN_MASK_PARTIAL, PIISCAN_TYPE_ADDRESS,
                               PIISCAN_ENCODING_CP932, (const unsigned char *)in, &chars, false,
                               &out, &kept),
                 PIISCAN_OK);
    cr_expect_eq(kept, 12, "東京都渋谷区 is 12 bytes in CP932, got %zu", kept);
    kept = 99;
    out.len = 0;
    cr_assert_eq(pii_mask_span(&m, PIISCAN_MASK_FULL, PIISCAN_TYPE_ADDRESS, PIISCAN_ENCODING_CP932,
                               (const unsigned char *)in, &chars, false, &out, &kept),
                 PIISCAN_OK);
    cr_expect_eq(kept, 0, "a full mask keeps nothing");
    pii_bytes_free(&out);
    pii_chars_free(&chars);
    free(in);
}

Test(mask, after_a_broken_lead_byte_a_wide_first_character_gets_two_narrow_masks)
{
    /* EUC-JP 0x8E then a kanji from row 0x60 on is invalid, so the kanji decodes on its own;
     * ＊ (A1 F6) in its place would make 8E A1 a half-width katakana and shift the rest. */
    pii_masker m = masker_of("*", "＊");
    size_t n;
    pii_chars chars = {0};
    char *in = encoded_with_chars("渡辺", PIISCAN_ENCODING_EUCJP, &n, &chars);
    pii_bytes out = {0};
    cr_assert_eq(pii_mask_span(&m, PIISCAN_MASK_FULL, PIISCAN_TYPE_NAME, PIISCAN_ENCODING_EUCJP,
                               (const unsigned char *)in, &chars, true, &out, NULL),
                 PIISCAN_OK);
    cr_expect(out.len == 4 && memcmp(out.data, "**\xA1\xF6", 4) == 0,
              "渡 becomes ** (the same width), 辺 becomes ＊ as usual");
    out.len = 0;
    cr_assert_eq(pii_mask_span(&m, PIISCAN_MASK_FULL, PIISCAN_TYPE_NAME, PIISCAN_ENCODING_EUCJP,
                               (const unsigned char *)in, &chars, false, &out, NULL),
                 PIISCAN_OK);
    cr_expect(out.len == 4 && memcmp(out.data, "\xA1\xF6\xA1\xF6", 4) == 0, "＊＊ otherwise");
    pii_bytes_free(&out);
    pii_chars_free(&chars);
    free(in);
}

Test(mask, invalid_bytes_in_a_span_are_masked_byte_by_byte)
{
    pii_masker m = masker_of("*", "＊");
    const unsigned char in[] = {'0', 0x81, '9'}; /* 0x81 then '9' is no CP932 character */
    pii_chars chars = {0};
    cr_assert_eq(pii_chars_decode(codec_tables, PIISCAN_ENCODING_CP932, in, sizeof in, &chars),
                 PIISCAN_OK);
    pii_bytes out = {0};
    cr_assert_eq(pii_mask_span(&m, PIISCAN_MASK_PARTIAL, PIISCAN_TYPE_NAME, PIISCAN_ENCODING_CP932,
                               in, &chars, false, &out, NULL),
                 PIISCAN_OK);
    for (size_t i = 0; i < out.len; i++)
        cr_expect_neq(out.data[i], 0x81, "an invalid byte is never copied");
    cr_expect_eq(out.len, sizeof in, "as many narrow masks as bytes: the byte width is kept");
    pii_bytes_free(&out);
    pii_chars_free(&chars);
}
