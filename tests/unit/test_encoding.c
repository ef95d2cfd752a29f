/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_encoding.c - decoding CP932, EUC-JP, UTF-16 and UTF-8 to UTF-8 with an offset map:
 * agreement with iconv, single characters at their edges, invalid input, and the promise that
 * any chunking of the input gives the same text and map.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "codec_helpers.h"
#include "helpers.h"
#include "internal.h"

TestSuite(encoding, .init = codec_setup, .fini = codec_teardown);

/* Order-export rows as a shop system writes them; names and numbers are made up. */
static const char orders_utf8[] =
    "注文番号,注文日,氏名,フリガナ,郵便番号,住所,電話番号,メール,商品名,数量,金額\r\n"
    "10001,2024/01/05,山田 太郎,ヤマダ タロウ,150-0002,東京都渋谷区渋谷2-21-1 ヒカリエ12F,"
    "090-1234-5678,taro@example.jp,コーヒー豆（深煎り）200g,2,\"1,980\"\r\n"
    "10002,2024/01/05,佐藤 花子,ｻﾄｳ ﾊﾅｺ,530-0001,大阪府大阪市北区梅田3-1-3,"
    "06-1234-5678,hanako@example.com,緑茶ティーバッグ【50包】,1,980\r\n";

struct decoded {
    pii_text text;
    piiscan_encoding enc;
    uint64_t errors;
};

static void decoded_free(struct decoded *d)
{
    pii_text_free(&d->text);
}

/* xorshift: reproducible "random" chunk sizes. */
static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

/* Decodes buf in chunks: chunk 0 = all at once, 1 = one byte at a time, otherwise random
 * sizes from 1 to `chunk` bytes with that seed. Pushes are followed by a final empty one. */
static struct decoded decode(piiscan_encoding enc, const char *buf, size_t len, uint32_t chunk)
{
    struct decoded out = {0};
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, enc, 0);
    uint32_t seed = chunk * 2654435761u + 1;
    size_t i = 0;
    while (i < len) {
        size_t n = len - i;
        if (chunk == 1)
            n = 1;
        else if (chunk > 1 && n > 1)
            n = 1 + next_random(&seed) % (n < chunk ? n : chunk);
        cr_assert_eq(pii_decoder_push(&d, (const unsigned char *)buf + i, n, false, &out.text),
                     PIISCAN_OK);
        i += n;
    }
    cr_assert_eq(pii_decoder_push(&d, NULL, 0, true, &out.text), PIISCAN_OK);
    out.enc = d.enc;
    out.errors = d.errors;
    pii_decoder_free(&d);
    return out;
}

/* ------------------------------------------------------------------------------------------ */

/* Every BMP character iconv can write in `charset`, concatenated. */
static char *every_character(const char *charset, size_t *len)
{
    iconv_t cd = iconv_open(charset, "UTF-8");
    cr_assert(cd != (iconv_t)-1, "iconv knows %s", charset);
    size_t cap = 0x10000 * 3;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    size_t n = 0;
    for (uint32_t cp = 0x80; cp <= 0xFFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        char utf8[4];
        char *ip = utf8;
        size_t il = pii_utf8_put(cp, utf8);
        char *op = out + n;
        size_t ol = cap - n;
        if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0)
            n = (size_t)(op - out);
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    *len = n;
    return out;
}

/* Parameters are copied into the test's process: strings live inside them, not behind
 * pointers. */
struct charset_case {
    piiscan_encoding enc;
    char charset[12];
};

ParameterizedTestParameters(encoding, decoding_agrees_with_iconv_on_every_character)
{
    static struct charset_case cases[] = {{PIISCAN_ENCODING_CP932, "CP932"},
                                          {PIISCAN_ENCODING_EUCJP, "EUC-JP-MS"}};
    return cr_make_param_array(struct charset_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct charset_case *c, encoding, decoding_agrees_with_iconv_on_every_character)
{
    size_t len;
    char *bytes = every_character(c->charset, &len);
    cr_assert_gt(len, 13000, "%s holds JIS X 0208 at least (%zu bytes)", c->charset, len);
    size_t want_len;
    char *want = test_convert(bytes, len, c->charset, "UTF-8", &want_len);
    cr_assert_not_null(want, "iconv reads back what it wrote in %s", c->charset);
    struct decoded got = decode(c->enc, bytes, len, 0);
    cr_expect_eq(got.errors, 0, "%s: no sequence iconv wrote is invalid", c->charset);
    cr_assert_eq(got.text.len, want_len, "%s: as many UTF-8 bytes as iconv gives", c->charset);
    size_t diff = 0;
    while (diff < want_len && got.text.data[diff] == want[diff])
        diff++;
    cr_assert_eq(diff, want_len, "%s: same text as iconv; first difference at byte %zu", c->charset,
                 diff);
    decoded_free(&got);
    free(want);
    free(bytes);
}

/* ------------------------------------------------------------------------------------------ */

struct char_case {
    char label[48];
    piiscan_encoding enc;
    unsigned char bytes[6];
    size_t n;
    bool is_final;
    size_t used; /* 0: more input needed */
    uint32_t cp;
    bool is_invalid;
};

ParameterizedTestParameters(encoding, one_character_decodes_at_its_edges)
{
    static struct char_case cases[] = {
        {"UTF-8 3-byte", PIISCAN_ENCODING_UTF8, {0xE5, 0xB1, 0xB1}, 3, true, 3, 0x5C71, false},
        {"UTF-8 4-byte",
         PIISCAN_ENCODING_UTF8,
         {0xF0, 0x9F, 0x98, 0x80},
         4,
         true,
         4,
         0x1F600,
         false},
        {"UTF-8 cut, more to come", PIISCAN_ENCODING_UTF8, {0xE5, 0xB1}, 2, false, 0, 0, false},
        {"UTF-8 cut at the end", PIISCAN_ENCODING_UTF8, {0xE5, 0xB1}, 2, true, 2, 0xFFFD, true},
        {"UTF-8 overlong", PIISCAN_ENCODING_UTF8, {0xC0, 0xAF}, 2, true, 1, 0xFFFD, true},
        {"UTF-8 surrogate", PIISCAN_ENCODING_UTF8, {0xED, 0xA0, 0x80}, 3, true, 1, 0xFFFD, true},
        {"UTF-8 above U+10FFFF",
         PIISCAN_ENCODING_UTF8,
         {0xF4, 0x90, 0x80, 0x80},
         4,
         true,
         1,
         0xFFFD,
         true},
        {"UTF-8 bad byte keeps the ASCII after it",
         PIISCAN_ENCODING_UTF8,
         {0xE5, 0x41},
         2,
         false,
         1,
         0xFFFD,
         true},
        {"CP932 kanji 山", PIISCAN_ENCODING_CP932, {0x8E, 0x52}, 2, true, 2, 0x5C71, false},
        {"CP932 NEC row 13 ①", PIISCAN_ENCODING_CP932, {0x87, 0x40}, 2, true, 2, 0x2460, false},
        {"CP932 half-width ｱ", PIISCAN_ENCODING_CP932, {0xB1}, 1, true, 1, 0xFF71, false},
        {"CP932 lead, more to come", PIISCAN_ENCODING_CP932, {0x8E}, 1, false, 0, 0, false},
        {"CP932 lead at the end", PIISCAN_ENCODING_CP932, {0x8E}, 1, true, 1, 0xFFFD, true},
        {"CP932 lead before a comma",
         PIISCAN_ENCODING_CP932,
         {0x8E, ','},
         2,
         true,
         1,
         0xFFFD,
         true},
        {"CP932 0x80 alone", PIISCAN_ENCODING_CP932, {0x80}, 1, true, 1, 0xFFFD, true},
        {"EUC-JP kanji 山", PIISCAN_ENCODING_EUCJP, {0xBB, 0xB3}, 2, true, 2, 0x5C71, false},
        {"EUC-JP half-width ｱ", PIISCAN_ENCODING_EUCJP, {0x8E, 0xB1}, 2, true, 2, 0xFF71, false},
        {"EUC-JP JIS X 0212 丂",
         PIISCAN_ENCODING_EUCJP,
         {0x8F, 0xB0, 0xA1},
         3,
         true,
         3,
         0x4E02,
         false},
        {"EUC-JP 0212, more to come", PIISCAN_ENCODING_EUCJP, {0x8F, 0xB0}, 2, false, 0, 0, false},
        {"EUC-JP lead before ASCII",
         PIISCAN_ENCODING_EUCJP,
         {0xBB, 'a'},
         2,
         false,
         1,
         0xFFFD,
         true},
        {"EUC-JP byte 0xA0", PIISCAN_ENCODING_EUCJP, {0xA0}, 1, true, 1, 0xFFFD, true},
        {"UTF-16LE ASCII", PIISCAN_ENCODING_UTF16LE, {'A', 0}, 2, true, 2, 'A', false},
        {"UTF-16BE 山", PIISCAN_ENCODING_UTF16BE, {0x5C, 0x71}, 2, true, 2, 0x5C71, false},
        {"UTF-16LE surrogate pair",
         PIISCAN_ENCODING_UTF16LE,
         {0x3D, 0xD8, 0x00, 0xDE},
         4,
         true,
         4,
         0x1F600,
         false},
        {"UTF-16BE surrogate pair",
         PIISCAN_ENCODING_UTF16BE,
         {0xD8, 0x3D, 0xDE, 0x00},
         4,
         true,
         4,
         0x1F600,
         false},
        {"UTF-16LE high surrogate, more to come",
         PIISCAN_ENCODING_UTF16LE,
         {0x3D, 0xD8, 0x00},
         3,
         false,
         0,
         0,
         false},
        {"UTF-16LE lone high surrogate",
         PIISCAN_ENCODING_UTF16LE,
         {0x3D, 0xD8, 'A', 0},
         4,
         true,
         2,
         0xFFFD,
         true},
        {"UTF-16LE lone low surrogate",
         PIISCAN_ENCODING_UTF16LE,
         {0x00, 0xDE},
         2,
         true,
         2,
         0xFFFD,
         true},
        {"UTF-16LE odd byte at the end", PIISCAN_ENCODING_UTF16LE, {'A'}, 1, true, 1, 0xFFFD, true},
    };
    return cr_make_param_array(struct char_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct char_case *c, encoding, one_character_decodes_at_its_edges)
{
    uint32_t cp = 0;
    bool is_invalid = false;
    size_t used =
        pii_decode_char(codec_tables, c->enc, c->bytes, c->n, c->is_final, &cp, &is_invalid);
    cr_assert_eq(used, c->used, "%s: uses %zu bytes, not %zu", c->label, c->used, used);
    if (used == 0)
        return;
    cr_expect_eq(cp, c->cp, "%s: U+%04X, not U+%04X", c->label, c->cp, cp);
    cr_expect_eq(is_invalid, c->is_invalid, "%s: invalid is %d", c->label, c->is_invalid);
}

/* ------------------------------------------------------------------------------------------ */

struct chunk_case {
    char label[20];
    piiscan_encoding enc; /* what the decoder is told; AUTO to detect */
    char charset[12];     /* what iconv writes */
    piiscan_encoding want;
};

ParameterizedTestParameters(encoding, any_chunking_gives_the_same_text_and_map)
{
    static struct chunk_case cases[] = {
        {"CP932", PIISCAN_ENCODING_CP932, "CP932", PIISCAN_ENCODING_CP932},
        {"EUC-JP", PIISCAN_ENCODING_EUCJP, "EUC-JP-MS", PIISCAN_ENCODING_EUCJP},
        {"UTF-8", PIISCAN_ENCODING_UTF8, "UTF-8", PIISCAN_ENCODING_UTF8},
        {"UTF-16LE", PIISCAN_ENCODING_UTF16LE, "UTF-16LE", PIISCAN_ENCODING_UTF16LE},
        {"UTF-16BE", PIISCAN_ENCODING_UTF16BE, "UTF-16BE", PIISCAN_ENCODING_UTF16BE},
        {"CP932 detected", PIISCAN_ENCODING_AUTO, "CP932", PIISCAN_ENCODING_CP932},
        {"EUC-JP detected", PIISCAN_ENCODING_AUTO, "EUC-JP-MS", PIISCAN_ENCODING_EUCJP},
        {"UTF-8 detected", PIISCAN_ENCODING_AUTO, "UTF-8", PIISCAN_ENCODING_UTF8},
    };
    return cr_make_param_array(struct chunk_case, cases, sizeof cases / sizeof cases[0]);
}

static void expect_same(const struct decoded *a, const struct decoded *b, const char *label,
                        const char *how)
{
    cr_assert_eq(a->enc, b->enc, "%s, %s: same encoding", label, how);
    cr_assert_eq(a->errors, b->errors, "%s, %s: same error count", label, how);
    cr_assert_eq(a->text.len, b->text.len, "%s, %s: same length", label, how);
    cr_assert_eq(memcmp(a->text.data, b->text.data, a->text.len), 0, "%s, %s: same text", label,
                 how);
    cr_assert_eq(memcmp(a->text.map, b->text.map, (a->text.len + 1) * sizeof *a->text.map), 0,
                 "%s, %s: same map, end included", label, how);
}

ParameterizedTest(struct chunk_case *c, encoding, any_chunking_gives_the_same_text_and_map)
{
    /* Long enough (about 60 KB) that detection decides on a full sample, with invalid
     * bytes in the middle so that chunk edges fall inside bad sequences too. */
    size_t row_len;
    char *rows = test_iconv(orders_utf8, strlen(orders_utf8), c->charset, &row_len);
    size_t reps = 150;
    size_t len = reps * row_len + 3;
    char *buf = malloc(len);
    cr_assert_not_null(buf);
    for (size_t i = 0; i < reps; i++)
        memcpy(buf + i * row_len, rows, row_len);
    memcpy(buf + len - 3, "\xE5\xB1", 2); /* a character cut short, then ASCII */
    buf[len - 1] = '\n';
    buf[row_len / 2] = (char)0xFF; /* invalid in every encoding here but UTF-16 */

    struct decoded whole = decode(c->enc, buf, len, 0);
    cr_assert_eq(whole.enc, c->want, "%s: decoded as %s", c->label, piiscan_encoding_name(c->want));
    cr_assert_gt(whole.errors, 0, "%s: the planted bytes count as errors", c->label);
    struct decoded bytewise = decode(c->enc, buf, len, 1);
    expect_same(&whole, &bytewise, c->label, "one byte at a time");
    decoded_free(&bytewise);
    static const uint32_t spans[] = {3, 7, 64, 5000};
    for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
        struct decoded chunked = decode(c->enc, buf, len, spans[k]);
        expect_same(&whole, &chunked, c->label, "random chunks");
        decoded_free(&chunked);
    }
    decoded_free(&whole);
    free(buf);
    free(rows);
}

/* ------------------------------------------------------------------------------------------ */
/* The fast paths (runs of ASCII in blocks, runs of double-byte characters by one look-up)
 * must give what decoding one character at a time gives, wherever the runs start and end. */

/* What the decoder must give for the whole of buf: pii_decode_char from byte to byte, each
 * character's bytes mapped to its first byte. */
static struct decoded decode_by_character(piiscan_encoding enc, const char *buf, size_t len)
{
    struct decoded out = {0};
    cr_assert_eq(pii_text_reserve(&out.text, 4 * len + 4), PIISCAN_OK);
    const unsigned char *s = (const unsigned char *)buf;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        bool is_invalid;
        size_t used = pii_decode_char(codec_tables, enc, s + i, len - i, true, &cp, &is_invalid);
        cr_assert_gt(used, 0, "a final character always uses a byte");
        size_t w = pii_utf8_put(cp, out.text.data + out.text.len);
        for (size_t k = 0; k < w; k++)
            out.text.map[out.text.len + k] = (uint32_t)i;
        out.text.len += w;
        out.errors += is_invalid;
        i += used;
    }
    out.text.map[out.text.len] = (uint32_t)len;
    out.enc = enc;
    return out;
}

/* Kanji and kana in long runs, ASCII runs of every length from 1 to 40 (across the 16-byte
 * blocks of the ASCII path) between single kanji, and the characters that leave the pair
 * path: half-width katakana, Greek and signs of two UTF-8 bytes, NEC and IBM extensions. */
static char *mixed_text(size_t *len)
{
    static const char run[] = "東京都千代田区千代田一丁目一番一号やまだたろうヤマダタロウ";
    static const char odd[] = "ｱｲｳｴｵﾞﾟ α×÷§ ①Ⅹ㈱ 髙﨑 ～－∥";
    static const char ascii[] = "0123456789abcdefghijklmnopqrstuvwxyz,.-@";
    size_t cap = 40 * sizeof run + 41 * (sizeof ascii + 4) + sizeof odd + 1;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    size_t n = 0;
    for (size_t k = 0; k < 40; k++) {
        memcpy(text + n, run, sizeof run - 1);
        n += sizeof run - 1;
    }
    for (size_t k = 1; k <= 40; k++) {
        memcpy(text + n, ascii, k);
        n += k;
        memcpy(text + n, "山", strlen("山"));
        n += strlen("山");
    }
    memcpy(text + n, odd, sizeof odd - 1);
    n += sizeof odd - 1;
    text[n] = '\0';
    *len = n;
    return text;
}

struct fast_case {
    char label[12];
    piiscan_encoding enc;
    char charset[12];
};

ParameterizedTestParameters(encoding, decoder_gives_what_one_character_at_a_time_gives)
{
    static struct fast_case cases[] = {
        {"CP932", PIISCAN_ENCODING_CP932, "CP932"},
        {"EUC-JP", PIISCAN_ENCODING_EUCJP, "EUC-JP-MS"},
        {"UTF-8", PIISCAN_ENCODING_UTF8, "UTF-8"},
        {"UTF-16LE", PIISCAN_ENCODING_UTF16LE, "UTF-16LE"},
        {"UTF-16BE", PIISCAN_ENCODING_UTF16BE, "UTF-16BE"},
    };
    return cr_make_param_array(struct fast_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fast_case *c, encoding, decoder_gives_what_one_character_at_a_time_gives)
{
    size_t text_len;
    char *text = mixed_text(&text_len);
    size_t len;
    char *buf = test_iconv(text, text_len, c->charset, &len);
    /* Stray bytes planted every 97 bytes inside the long run of kanji and kana: each shifts
     * the pairs after it by one byte, ends a run, or cuts a pair, as corruption would (0xDC
     * and 0xD8 make lone surrogates of UTF-16; 0xE0 and 0xED before UTF-8 continuation bytes
     * make overlong forms and surrogates). */
    static const unsigned char strays[] = {0x80, 0xFF, 0x85, 0x8E, 0x8F, 0x7F,
                                           0xDC, 0xD8, 0xE0, 0xED, 0xFD};
    for (size_t at = 50, k = 0; at < 40 * 60; at += 97, k++)
        buf[at] = (char)strays[k % sizeof strays];

    struct decoded want = decode_by_character(c->enc, buf, len);
    cr_assert_gt(want.errors, 0, "%s: the planted bytes are invalid", c->label);
    struct decoded whole = decode(c->enc, buf, len, 0);
    expect_same(&want, &whole, c->label, "all at once");
    decoded_free(&whole);
    static const uint32_t spans[] = {1, 2, 3, 17, 40};
    for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
        struct decoded chunked = decode(c->enc, buf, len, spans[k]);
        expect_same(&want, &chunked, c->label, "in chunks");
        decoded_free(&chunked);
    }
    decoded_free(&want);
    free(buf);
    free(text);
}

Test(encoding, utf8_runs_of_kanji_stop_at_overlong_forms_and_surrogates)
{
    /* Between kanji: U+07FF written overlong in three bytes, U+D800 and U+DFFF (surrogates),
     * then the edges that are valid (U+0800, U+D7FF, U+E000, U+FFFF), a character of four
     * bytes, and a sequence cut by a kanji. Each invalid form is one U+FFFD per byte that
     * decode_utf8 rejects, whatever path the kanji around it took. */
    static const char input[] = "漢字\xE0\x9F\xBF漢\xED\xA0\x80字\xED\xBF\xBF漢"
                                "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF字𠮷漢\xE6\x97字";
    size_t len = sizeof input - 1;
    struct decoded want = decode_by_character(PIISCAN_ENCODING_UTF8, input, len);
    cr_assert_eq(want.errors, 10, "three invalid bytes in each of three forms, one cut sequence");
    struct decoded whole = decode(PIISCAN_ENCODING_UTF8, input, len, 0);
    expect_same(&want, &whole, "UTF-8", "all at once");
    for (uint32_t chunk = 1; chunk <= 5; chunk++) {
        struct decoded chunked = decode(PIISCAN_ENCODING_UTF8, input, len, chunk);
        expect_same(&want, &chunked, "UTF-8", "in chunks");
        decoded_free(&chunked);
    }
    decoded_free(&whole);
    decoded_free(&want);
}

/* Decodes buf in two pushes cut at `cut`, then the final empty one. */
static struct decoded decode_cut(piiscan_encoding enc, const char *buf, size_t len, size_t cut)
{
    struct decoded out = {0};
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, enc, 0);
    const unsigned char *s = (const unsigned char *)buf;
    cr_assert_eq(pii_decoder_push(&d, s, cut, false, &out.text), PIISCAN_OK);
    cr_assert_eq(pii_decoder_push(&d, s + cut, len - cut, false, &out.text), PIISCAN_OK);
    cr_assert_eq(pii_decoder_push(&d, NULL, 0, true, &out.text), PIISCAN_OK);
    out.enc = d.enc;
    out.errors = d.errors;
    pii_decoder_free(&d);
    return out;
}

ParameterizedTestParameters(encoding, long_double_byte_run_cut_anywhere_gives_the_same_text_and_map)
{
    static struct fast_case cases[] = {
        {"CP932", PIISCAN_ENCODING_CP932, "CP932"},
        {"EUC-JP", PIISCAN_ENCODING_EUCJP, "EUC-JP-MS"},
    };
    return cr_make_param_array(struct fast_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fast_case *c, encoding,
                  long_double_byte_run_cut_anywhere_gives_the_same_text_and_map)
{
    /* 150 characters without a break, an unassigned pair in the middle (JIS row 9 is empty in
     * both encodings), between ASCII. */
    static const char utf8[] = "id,"
                               "山田太郎やまだたろうヤマダタロウ東京都千代田区千代田一丁目"
                               "山田花子やまだはなこヤマダハナコ大阪府大阪市北区梅田三丁目"
                               "佐藤一郎さとういちろうサトウイチロウ神奈川県横浜市西区みなとみらい"
                               "鈴木次郎すずきじろうスズキジロウ愛知県名古屋市中村区名駅一丁目"
                               "高橋三郎たかはしさぶろうタカハシサブロウ福岡県福岡市博多区博多駅前"
                               ",end\n";
    size_t len;
    char *buf = test_iconv(utf8, strlen(utf8), c->charset, &len);
    size_t mid = 3 + 2 * 75; /* the 76th character: both encodings use two bytes for each */
    buf[mid] = c->enc == PIISCAN_ENCODING_CP932 ? (char)0x85 : (char)0xA9;
    buf[mid + 1] = c->enc == PIISCAN_ENCODING_CP932 ? (char)0x9F : (char)0xA1;

    struct decoded whole = decode(c->enc, buf, len, 0);
    struct decoded want = decode_by_character(c->enc, buf, len);
    expect_same(&want, &whole, c->label, "all at once");
    cr_assert_eq(whole.errors, 1, "%s: the one unassigned pair is the one error", c->label);
    for (size_t cut = 0; cut <= len; cut++) {
        struct decoded two = decode_cut(c->enc, buf, len, cut);
        char how[32];
        snprintf(how, sizeof how, "cut at byte %zu", cut);
        expect_same(&whole, &two, c->label, how);
        decoded_free(&two);
    }
    decoded_free(&want);
    decoded_free(&whole);
    free(buf);
}

ParameterizedTestParameters(encoding, every_byte_pair_decodes_as_the_one_character_decoder_says)
{
    static struct fast_case cases[] = {
        {"CP932", PIISCAN_ENCODING_CP932, "CP932"},
        {"EUC-JP", PIISCAN_ENCODING_EUCJP, "EUC-JP-MS"},
    };
    return cr_make_param_array(struct fast_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fast_case *c, encoding,
                  every_byte_pair_decodes_as_the_one_character_decoder_says)
{
    /* Each of the 65536 pairs, then an ASCII byte, then a kana that a broken pair might eat:
     * the look-up table of the pair path must accept exactly the pairs that the general
     * decoder does. */
    size_t tail_len;
    char *tail = test_iconv("xア", strlen("xア"), c->charset, &tail_len);
    char buf[8];
    cr_assert_leq(2 + tail_len, sizeof buf);
    memcpy(buf + 2, tail, tail_len);
    size_t len = 2 + tail_len;
    size_t fast = 0;
    for (unsigned b = 0; b < 256; b++) {
        for (unsigned t = 0; t < 256; t++) {
            buf[0] = (char)b;
            buf[1] = (char)t;
            struct decoded want = decode_by_character(c->enc, buf, len);
            struct decoded got = decode(c->enc, buf, len, 0);
            char how[24];
            snprintf(how, sizeof how, "pair %02X %02X", b, t);
            expect_same(&want, &got, c->label, how);
            /* a pair that made three UTF-8 bytes, 'x' coming from byte 2 */
            fast += want.errors == 0 && want.text.map[2] == 0 && want.text.map[3] == 2;
            decoded_free(&got);
            decoded_free(&want);
        }
    }
    /* JIS X 0208 alone has 6879 characters of three UTF-8 bytes, all pairs. */
    cr_assert_gt(fast, 6800, "%s: the pairs of kanji and kana were among them (%zu)", c->label,
                 fast);
    free(tail);
}

/* ------------------------------------------------------------------------------------------ */

Test(encoding, odd_utf16_tail_split_across_pushes_ends_as_one_invalid_unit)
{
    /* "ab" and half a unit, cut inside the second unit, then the end of input (buf NULL):
     * the carried byte is finished from nothing. Under UBSan this once stepped a NULL
     * pointer forward. */
    static const unsigned char bytes[] = {'a', 0, 'b', 0, 'c'};
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, PIISCAN_ENCODING_UTF16LE, 0);
    pii_text out = {0};
    cr_assert_eq(pii_decoder_push(&d, bytes, 3, false, &out), PIISCAN_OK);
    cr_assert_eq(pii_decoder_push(&d, bytes + 3, 2, false, &out), PIISCAN_OK);
    cr_assert_eq(pii_decoder_push(&d, NULL, 0, true, &out), PIISCAN_OK);
    cr_expect_eq(d.errors, 1, "the lone last byte is one invalid sequence");
    cr_expect(out.len == 5 && memcmp(out.data, "ab\xef\xbf\xbd", 5) == 0,
              "ab then U+FFFD, got %zu bytes", out.len);
    cr_expect_eq(out.map[out.len], 5, "the end maps to the end of the input");
    pii_text_free(&out);
    pii_decoder_free(&d);
}

Test(encoding, utf16le_csv_with_bom_decodes_with_offsets_after_the_bom)
{
    static const char csv[] = "氏名,電話\r\n山田 太郎,03-1234-5678\r\n";
    size_t body_len;
    char *body = test_iconv(csv, strlen(csv), "UTF-16LE", &body_len);
    size_t len = body_len + 2;
    unsigned char *file = malloc(len);
    cr_assert_not_null(file);
    memcpy(file, "\xFF\xFE", 2);
    memcpy(file + 2, body, body_len);

    pii_head head;
    pii_sniff_head(file, len, &head);
    cr_assert_eq(head.encoding, PIISCAN_ENCODING_UTF16LE, "FF FE is the UTF-16LE BOM");
    cr_assert_eq(head.bom_len, 2);

    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, head.encoding, head.bom_len);
    pii_text out = {0};
    out.base = head.bom_len;
    cr_assert_eq(pii_decoder_push(&d, file + 2, len - 2, true, &out), PIISCAN_OK);
    cr_assert_eq(out.len, strlen(csv), "the CSV comes back as its UTF-8 self");
    cr_assert_eq(memcmp(out.data, csv, out.len), 0, "same bytes as the UTF-8 source");
    cr_expect_eq(d.errors, 0);
    /* 山 is the 8th UTF-16 unit: original offset 2 + 7 * 2. */
    const char *yama = strstr(csv, "山");
    size_t k = (size_t)(yama - csv);
    cr_expect_eq(out.base + out.map[k], 16, "山 starts at byte 16 of the file");
    cr_expect_eq(out.base + out.map[k + 2], 16, "every byte of 山 maps to its start");
    cr_expect_eq(out.base + out.map[out.len], len, "the end maps to the end of the file");
    pii_text_free(&out);
    pii_decoder_free(&d);
    free(file);
    free(body);
}

Test(encoding, invalid_bytes_are_replaced_counted_and_never_swallow_ascii)
{
    /* 0x80 and 0xFF stand for nothing in CP932; 0x85 0x40 is an unassigned pair (JIS row 9
     * is empty) whose trail '@' must survive; a lead byte at the very end is cut short. */
    size_t check_len;
    cr_assert_null(test_convert("\x85\x40", 2, "CP932", "UTF-8", &check_len),
                   "precondition: iconv rejects 0x85 0x40 too");
    static const char input[] = "a\x80"
                                "b\x85@c\xFF"
                                "d\x8E";
    struct decoded got = decode(PIISCAN_ENCODING_CP932, input, sizeof input - 1, 1);
    static const char want[] = "a\xEF\xBF\xBD"
                               "b\xEF\xBF\xBD@c\xEF\xBF\xBD"
                               "d\xEF\xBF\xBD";
    cr_assert_eq(got.text.len, sizeof want - 1);
    cr_assert_eq(memcmp(got.text.data, want, got.text.len), 0,
                 "each invalid sequence becomes one U+FFFD and the ASCII stays");
    cr_assert_eq(got.errors, 4, "four invalid sequences counted, not %llu",
                 (unsigned long long)got.errors);
    cr_expect_eq(got.text.map[1], 1, "the first U+FFFD maps to the 0x80 byte");
    cr_expect_eq(got.text.map[got.text.len - 1], 8, "the last U+FFFD maps to the cut lead");
    cr_expect_eq(got.text.map[got.text.len], 9, "the end is past the cut lead");
    decoded_free(&got);
}

Test(encoding, map_points_each_decoded_byte_at_its_original_character)
{
    /* a 山 ｱ b in CP932: bytes 0, 1-2, 3, 4. */
    size_t len;
    char *cp932 = test_iconv("a山ｱb", strlen("a山ｱb"), "CP932", &len);
    cr_assert_eq(len, 5);
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, PIISCAN_ENCODING_CP932, 100);
    pii_text out = {0};
    out.base = 90; /* the caller's base: map entries are offsets minus 90 */
    cr_assert_eq(pii_decoder_push(&d, (const unsigned char *)cp932, len, true, &out), PIISCAN_OK);
    cr_assert_eq(out.len, 8, "a, 3 bytes of 山, 3 bytes of ｱ, b");
    static const uint32_t want[] = {10, 11, 11, 11, 13, 13, 13, 14, 15};
    for (size_t i = 0; i <= out.len; i++)
        cr_expect_eq(out.map[i], want[i], "map[%zu] = %u (original %u - base 90)", i, want[i],
                     want[i] + 90);
    pii_text_free(&out);
    pii_decoder_free(&d);
    free(cp932);
}

Test(encoding, offsets_stay_right_when_the_caller_consumes_between_pushes)
{
    size_t len;
    char *euc = test_iconv(orders_utf8, strlen(orders_utf8), "EUC-JP-MS", &len);
    struct decoded whole = decode(PIISCAN_ENCODING_EUCJP, euc, len, 0);

    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, PIISCAN_ENCODING_EUCJP, 0);
    pii_text window = {0};
    size_t done = 0; /* decoded bytes already consumed */
    for (size_t i = 0; i < len; i += 37) {
        size_t n = len - i < 37 ? len - i : 37;
        cr_assert_eq(pii_decoder_push(&d, (const unsigned char *)euc + i, n, i + n == len, &window),
                     PIISCAN_OK);
        for (size_t k = 0; k < window.len; k++)
            cr_assert_eq(window.base + window.map[k], (uint64_t)whole.text.map[done + k],
                         "decoded byte %zu keeps its original offset", done + k);
        size_t keep = window.len / 3; /* consume most, keep a tail, like a record reader */
        done += window.len - keep;
        pii_text_consume(&window, window.len - keep);
    }
    cr_assert_eq(done + window.len, whole.text.len, "all text came out");
    cr_assert_eq(window.base + window.map[window.len], len, "the end is the end of the input");
    pii_text_free(&window);
    pii_decoder_free(&d);
    decoded_free(&whole);
    free(euc);
}

Test(encoding, detection_passes_ascii_on_at_once_and_holds_the_rest_until_sure)
{
    size_t len;
    char *cp932 =
        test_iconv("id,name\n1,山田太郎\n", strlen("id,name\n1,山田太郎\n"), "CP932", &len);
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, PIISCAN_ENCODING_AUTO, 0);
    pii_text out = {0};
    const unsigned char *p = (const unsigned char *)cp932;
    cr_assert_eq(pii_decoder_push(&d, p, 10, false, &out), PIISCAN_OK);
    cr_assert_eq(out.len, 10, "the ASCII head is decoded before the encoding is known");
    cr_assert_eq(d.enc, PIISCAN_ENCODING_AUTO);
    cr_assert_eq(pii_decoder_push(&d, p + 10, len - 10, false, &out), PIISCAN_OK);
    cr_assert_eq(out.len, 10, "bytes from the first non-ASCII one on are held");
    cr_assert_eq(d.enc, PIISCAN_ENCODING_AUTO, "a short sample waits for the end of input");
    cr_assert_eq(pii_decoder_push(&d, NULL, 0, true, &out), PIISCAN_OK);
    cr_assert_eq(d.enc, PIISCAN_ENCODING_CP932, "decided at the end of input");
    static const char want[] = "id,name\n1,山田太郎\n";
    cr_assert_eq(out.len, sizeof want - 1);
    cr_assert_eq(memcmp(out.data, want, out.len), 0, "the held bytes are decoded as CP932");
    pii_text_free(&out);
    pii_decoder_free(&d);
    free(cp932);
}

Test(encoding, detection_decides_as_soon_as_the_sample_is_full)
{
    size_t row_len;
    char *row = test_iconv(orders_utf8, strlen(orders_utf8), "EUC-JP-MS", &row_len);
    size_t reps = PII_ENCODING_SAMPLE_BYTES / row_len + 2;
    pii_decoder d;
    pii_decoder_init(&d, codec_tables);
    pii_decoder_reset(&d, PIISCAN_ENCODING_AUTO, 0);
    pii_text out = {0};
    for (size_t i = 0; i < reps; i++)
        cr_assert_eq(pii_decoder_push(&d, (const unsigned char *)row, row_len, false, &out),
                     PIISCAN_OK);
    cr_assert_eq(d.enc, PIISCAN_ENCODING_EUCJP, "decided before the end of input");
    cr_assert_gt(out.len, PII_ENCODING_SAMPLE_BYTES, "and the held sample was decoded");
    cr_assert_eq(d.errors, 0);
    pii_text_free(&out);
    pii_decoder_free(&d);
    free(row);
}

Test(encoding, all_ascii_input_stays_undecided_and_comes_through_unchanged)
{
    static const char ascii[] = "id,phone\n1,03-1234-5678\n";
    struct decoded got = decode(PIISCAN_ENCODING_AUTO, ascii, sizeof ascii - 1, 1);
    cr_assert_eq(got.enc, PIISCAN_ENCODING_AUTO, "nothing tells the encodings apart");
    cr_assert_eq(got.text.len, sizeof ascii - 1);
    cr_assert_eq(memcmp(got.text.data, ascii, got.text.len), 0);
    for (size_t i = 0; i <= got.text.len; i++)
        cr_expect_eq(got.text.map[i], i, "ASCII maps to itself at %zu", i);
    decoded_free(&got);
}

/* ------------------------------------------------------------------------------------------ */

Test(encoding, names_round_trip_and_aliases_are_case_insensitive)
{
    for (int e = PIISCAN_ENCODING_AUTO; e <= PIISCAN_ENCODING_UTF16BE; e++) {
        piiscan_encoding back = (piiscan_encoding)-1;
        const char *name = piiscan_encoding_name((piiscan_encoding)e);
        cr_assert_eq(piiscan_encoding_from_name(name, &back), PIISCAN_OK, "%s parses", name);
        cr_expect_eq(back, (piiscan_encoding)e, "%s names encoding %d", name, e);
    }
    static const struct {
        const char *name;
        piiscan_encoding enc;
    } aliases[] = {
        {"Shift_JIS", PIISCAN_ENCODING_CP932},   {"SJIS", PIISCAN_ENCODING_CP932},
        {"Windows-31J", PIISCAN_ENCODING_CP932}, {"eucjp", PIISCAN_ENCODING_EUCJP},
        {"EUC-JP-MS", PIISCAN_ENCODING_EUCJP},   {"utf8", PIISCAN_ENCODING_UTF8},
        {"UTF-16le", PIISCAN_ENCODING_UTF16LE},
    };
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        piiscan_encoding e;
        cr_assert_eq(piiscan_encoding_from_name(aliases[i].name, &e), PIISCAN_OK, "%s parses",
                     aliases[i].name);
        cr_expect_eq(e, aliases[i].enc, "%s is %s", aliases[i].name,
                     piiscan_encoding_name(aliases[i].enc));
    }
    piiscan_encoding e;
    cr_expect_eq(piiscan_encoding_from_name("latin1", &e), PIISCAN_ERR_ENCODING,
                 "an encoding piiscan does not decode is refused");
    cr_expect_eq(piiscan_encoding_from_name("utf-8x", &e), PIISCAN_ERR_ENCODING,
                 "a prefix is not a match");
    cr_expect_str_eq(piiscan_encoding_name((piiscan_encoding)42), "unknown");
}
