/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sniff.c - recognising inputs: BOMs, UTF-16 without a BOM, workbooks and other binary
 * files by their first bytes; CP932 against EUC-JP on short and long samples; CSV, TSV and
 * text from the decoded lines, with the file name only breaking ties.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "codec_helpers.h"
#include "helpers.h"
#include "internal.h"

TestSuite(sniff, .init = codec_setup, .fini = codec_teardown);

static const char orders_utf8[] =
    "注文番号,注文日,氏名,フリガナ,郵便番号,住所,電話番号,商品名,金額\r\n"
    "10001,2024/01/05,山田 太郎,ヤマダ タロウ,150-0002,東京都渋谷区渋谷2-21-1,"
    "090-1234-5678,コーヒー豆（深煎り）200g,\"1,980\"\r\n"
    "10002,2024/01/05,佐藤 花子,サトウ ハナコ,530-0001,大阪府大阪市北区梅田3-1-3,"
    "06-1234-5678,緑茶ティーバッグ【50包】,980\r\n";

static pii_head head_of(const void *s, size_t n)
{
    pii_head h;
    pii_sniff_head(s, n, &h);
    return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Head                                                                                       */

Test(sniff, byte_order_marks_give_the_encoding_and_their_length)
{
    static const struct {
        const char *bom;
        size_t len;
        piiscan_encoding enc;
    } boms[] = {
        {"\xEF\xBB\xBF", 3, PIISCAN_ENCODING_UTF8},
        {"\xFF\xFE", 2, PIISCAN_ENCODING_UTF16LE},
        {"\xFE\xFF", 2, PIISCAN_ENCODING_UTF16BE},
    };
    for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++) {
        char buf[16];
        memcpy(buf, boms[i].bom, boms[i].len);
        memcpy(buf + boms[i].len, "i\0d\0", 4);
        pii_head h = head_of(buf, boms[i].len + 4);
        cr_expect_eq(h.encoding, boms[i].enc, "BOM %zu names %s", i,
                     piiscan_encoding_name(boms[i].enc));
        cr_expect_eq(h.bom_len, boms[i].len, "BOM %zu is skipped whole", i);
        cr_expect_eq(h.format, PIISCAN_FORMAT_AUTO, "a BOM means text");
    }
}

/* Parameters are copied into the test's process: strings live inside them. */
struct utf16_case {
    char charset[12];
    piiscan_encoding enc;
};

ParameterizedTestParameters(sniff, utf16_without_bom_is_recognised_by_its_nul_bytes)
{
    static struct utf16_case cases[] = {{"UTF-16LE", PIISCAN_ENCODING_UTF16LE},
                                        {"UTF-16BE", PIISCAN_ENCODING_UTF16BE}};
    return cr_make_param_array(struct utf16_case, cases, 2);
}

ParameterizedTest(struct utf16_case *c, sniff, utf16_without_bom_is_recognised_by_its_nul_bytes)
{
    size_t len;
    char *csv = test_iconv(orders_utf8, strlen(orders_utf8), c->charset, &len);
    pii_head h = head_of(csv, len);
    cr_expect_eq(h.encoding, c->enc, "an order CSV in %s", c->charset);
    cr_expect_eq(h.bom_len, 0);
    cr_expect_eq(h.format, PIISCAN_FORMAT_AUTO, "UTF-16 text is not binary");
    free(csv);

    /* Mostly kanji: the only zero bytes are those of the line ends. */
    static const char prose[] = "東京都千代田区丸の内一丁目九番地一号\r\n"
                                "大阪府大阪市北区梅田三丁目一番三号\r\n"
                                "愛知県名古屋市中村区名駅一丁目一番四号\r\n";
    char *kanji = test_iconv(prose, strlen(prose), c->charset, &len);
    h = head_of(kanji, len);
    cr_expect_eq(h.encoding, c->enc, "kanji-heavy %s with CRLF line ends", c->charset);
    free(kanji);
}

Test(sniff, zip_package_is_taken_for_a_workbook)
{
    static const char zip[] = "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
    pii_head h = head_of(zip, sizeof zip - 1);
    cr_assert_eq(h.format, PIISCAN_FORMAT_XLSX);
    cr_assert_str_eq(h.reason, "xlsx workbook (zip package)");
    cr_assert(!h.is_unsupported, "an xlsx is a format piiscan knows");
}

Test(sniff, ole2_container_is_an_unsupported_legacy_workbook)
{
    static const char cfb[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00\x00\x00\x00\x00\x00";
    pii_head h = head_of(cfb, sizeof cfb - 1);
    cr_assert(h.is_unsupported, "CFB is recognised but cannot be scanned");
    cr_assert_str_eq(h.reason, "legacy .xls or encrypted workbook (OLE2 container)");
    cr_assert_eq(h.format, PIISCAN_FORMAT_BINARY, "and it is not text either");
}

struct magic_case {
    char label[16];
    unsigned char bytes[16];
    size_t len;
};

ParameterizedTestParameters(sniff, common_binary_formats_are_skipped_with_their_name)
{
    static struct magic_case cases[] = {
        {"PDF", "%PDF-1.7\n%\xE2\xE3\xCF\xD3", 14},
        {"PNG", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16},
        {"JPEG", "\xFF\xD8\xFF\xE0\0\x10JFIF", 10},
        {"GIF", "GIF89a\x01\0\x01\0", 10},
        {"gzip", "\x1F\x8B\x08\0\0\0\0\0", 8},
        {"7z", "7z\xBC\xAF\x27\x1C\0\x04", 8},
        {"ELF",
         "\x7F"
         "ELF\x02\x01\x01",
         7},
    };
    return cr_make_param_array(struct magic_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct magic_case *c, sniff, common_binary_formats_are_skipped_with_their_name)
{
    pii_head h = head_of(c->bytes, c->len);
    cr_assert_eq(h.format, PIISCAN_FORMAT_BINARY, "%s is binary", c->label);
    cr_assert_not_null(h.reason, "%s has a reason", c->label);
    cr_expect_not_null(strstr(h.reason, c->label), "the reason \"%s\" names %s", h.reason,
                       c->label);
}

Test(sniff, nul_bytes_that_do_not_make_utf16_mean_binary)
{
    size_t len;
    char *cp932 = test_iconv(orders_utf8, strlen(orders_utf8), "CP932", &len);
    cp932[len / 2] = '\0';
    pii_head h = head_of(cp932, len);
    cr_expect_eq(h.format, PIISCAN_FORMAT_BINARY, "a NUL amid CP932 text");
    cr_expect_str_eq(h.reason, "binary file (NUL bytes)");
    free(cp932);

    unsigned char all[512];
    for (size_t i = 0; i < sizeof all; i++)
        all[i] = (unsigned char)(i * 7);
    h = head_of(all, sizeof all);
    cr_expect_eq(h.format, PIISCAN_FORMAT_BINARY, "every byte value, NULs on both sides");

    h = head_of("a\0", 2);
    cr_expect_eq(h.format, PIISCAN_FORMAT_BINARY, "one UTF-16 unit is too little to be sure");
}

Test(sniff, many_control_bytes_mean_binary_but_escape_and_form_feed_do_not)
{
    unsigned char data[200];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = i % 4 == 0 ? (unsigned char)(i % 31 + 1) : 'a';
    pii_head h = head_of(data, sizeof data);
    cr_expect_eq(h.format, PIISCAN_FORMAT_BINARY, "a control byte every fourth byte");
    cr_expect_str_eq(h.reason, "binary file (control bytes)");

    static const char printer[] = "\x1B[1mreport\x1B[0m\f\tname\r\n";
    h = head_of(printer, sizeof printer - 1);
    cr_expect_eq(h.format, PIISCAN_FORMAT_AUTO, "ESC and FF occur in printed reports");
}

Test(sniff, legacy_encoded_text_is_left_to_the_encoding_sniffer)
{
    static const char *const charsets[] = {"CP932", "EUC-JP-MS", "UTF-8"};
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *text = test_iconv(orders_utf8, strlen(orders_utf8), charsets[i], &len);
        pii_head h = head_of(text, len);
        cr_expect_eq(h.format, PIISCAN_FORMAT_AUTO, "%s text is text", charsets[i]);
        cr_expect_eq(h.encoding, PIISCAN_ENCODING_AUTO, "%s has no BOM to go by", charsets[i]);
        cr_expect_null(h.reason);
        free(text);
    }
    pii_head h = head_of("", 0);
    cr_expect_eq(h.format, PIISCAN_FORMAT_AUTO, "an empty input is (empty) text");
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding                                                                                   */

/* The sniffer's answer for `utf8` written in `charset`, from the first non-ASCII byte on (as
 * the decoder gives it), as a whole input or as the head of a longer one. */
static piiscan_encoding sniff_as(const char *utf8, const char *charset, bool is_final)
{
    size_t len;
    char *bytes = test_iconv(utf8, strlen(utf8), charset, &len);
    size_t skip = 0;
    while (skip < len && (unsigned char)bytes[skip] < 0x80)
        skip++;
    piiscan_encoding got =
        pii_sniff_encoding(codec_tables, (const unsigned char *)bytes + skip, len - skip, is_final);
    free(bytes);
    return got;
}

static void expect_told_apart(const char *utf8)
{
    for (int is_final = 0; is_final <= 1; is_final++) {
        piiscan_encoding got = sniff_as(utf8, "CP932", is_final);
        cr_expect_eq(got, PIISCAN_ENCODING_CP932, "%s in CP932 (final %d), not %s", utf8, is_final,
                     piiscan_encoding_name(got));
        got = sniff_as(utf8, "EUC-JP-MS", is_final);
        cr_expect_eq(got, PIISCAN_ENCODING_EUCJP, "%s in EUC-JP (final %d), not %s", utf8, is_final,
                     piiscan_encoding_name(got));
        got = sniff_as(utf8, "UTF-8", is_final);
        cr_expect_eq(got, PIISCAN_ENCODING_UTF8, "%s in UTF-8 (final %d), not %s", utf8, is_final,
                     piiscan_encoding_name(got));
    }
}

struct sample {
    char text[256];
};

ParameterizedTestParameters(sniff, short_samples_are_told_apart_in_every_encoding)
{
    static struct sample cases[] = {
        {"山田太郎"},
        {"佐藤 花子"},
        {"ヤマダ"},
        {"コーヒー"},
        {"カタカナ"},
        {"やまだ　たろう"},
        {"東京都渋谷区神宮前1-2-3"},
        {"10001,2024/01/05,山田 太郎,ヤマダ タロウ,150-0002,東京都渋谷区渋谷2-21-1,"
         "090-1234-5678,コーヒー豆（深煎り）200g,\"1,980\"\r\n"},
        {"1001,佐藤 花子,ｻﾄｳ ﾊﾅｺ,530-0001,大阪府大阪市北区梅田3-1-3\r\n"},
        {"様"},
        {"株式会社"},
    };
    return cr_make_param_array(struct sample, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct sample *s, sniff, short_samples_are_told_apart_in_every_encoding)
{
    expect_told_apart(s->text);
}

Test(sniff, the_hundred_commonest_surnames_are_told_apart_alone)
{
    /* Japan's most frequent family names, each the whole sample: the hardest case, where
     * both readings are valid and only plausibility decides. */
    static const char *const surnames[] = {
        "佐藤", "鈴木", "高橋",   "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
        "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林",   "斎藤", "清水",
        "山崎", "森",   "池田",   "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
        "前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
        "斉藤", "福田", "太田",   "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦",
        "原田", "中川", "松田",   "竹内", "小野", "田村", "中山", "和田", "石田", "森田",
        "上田", "原",   "内田",   "柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本",
        "大野", "小島", "谷口",   "今井", "工藤", "高田", "増田", "丸山", "杉山", "村田",
        "大塚", "新井", "小山",   "平野", "藤本", "河野", "上野", "野口", "武田", "松井",
        "千葉", "岩崎", "菅原",   "木下", "久保", "佐野", "野村", "松尾", "市川", "菊地",
    };
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++)
        expect_told_apart(surnames[i]);
}

Test(sniff, halfwidth_kana_reads_as_cp932)
{
    static const char *const names[] = {"ﾔﾏﾀﾞ ﾀﾛｳ", "ﾀｶﾊｼ", "ｽｽﾞｷ", "ｺﾊﾞﾔｼ", "ｲｼｶﾜ", "ﾌｼﾞｲ", "ﾕｲ"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        piiscan_encoding got = sniff_as(names[i], "CP932", true);
        cr_expect_eq(got, PIISCAN_ENCODING_CP932, "%s in CP932, not %s", names[i],
                     piiscan_encoding_name(got));
    }
}

Test(sniff, a_whole_export_is_told_apart_from_its_first_sample)
{
    static const char *const charsets[] = {"CP932", "EUC-JP-MS", "UTF-8"};
    static const piiscan_encoding want[] = {PIISCAN_ENCODING_CP932, PIISCAN_ENCODING_EUCJP,
                                            PIISCAN_ENCODING_UTF8};
    for (size_t k = 0; k < 3; k++) {
        size_t row_len;
        char *rows = test_iconv(orders_utf8, strlen(orders_utf8), charsets[k], &row_len);
        unsigned char *sample = malloc(PII_ENCODING_SAMPLE_BYTES);
        cr_assert_not_null(sample);
        for (size_t i = 0; i < PII_ENCODING_SAMPLE_BYTES; i++)
            sample[i] = (unsigned char)rows[i % row_len];
        /* Cut anywhere, even inside a character: it is the head of a longer input. */
        piiscan_encoding got =
            pii_sniff_encoding(codec_tables, sample, PII_ENCODING_SAMPLE_BYTES, false);
        cr_expect_eq(got, want[k], "a full sample of %s, not %s", charsets[k],
                     piiscan_encoding_name(got));
        free(sample);
        free(rows);
    }
}

Test(sniff, utf8_cut_inside_a_character_is_still_utf8)
{
    static const char name[] = "山田太郎"; /* 12 bytes; cut the last character short */
    const unsigned char *s = (const unsigned char *)name;
    cr_expect_eq(pii_sniff_encoding(codec_tables, s, 10, false), PIISCAN_ENCODING_UTF8,
                 "the rest of 郎 may come with the next bytes");
    /* A truncated export: three whole characters outweigh one cut short, which the decoder
     * then counts as invalid; read as CP932 the same bytes are garbage. */
    cr_expect_eq(pii_sniff_encoding(codec_tables, s, 10, true), PIISCAN_ENCODING_UTF8,
                 "at the end of input the cut character is damage, not another encoding");
}

Test(sniff, short_japanese_utf8_with_a_damaged_byte_is_still_utf8)
{
    static const char text[] = "連絡先 TEL 03-1234-5678 \xff 備考\nメール taro@example.jp\n";
    const unsigned char *s = (const unsigned char *)strchr(text, '\xe9'); /* from 連 on */
    size_t n = strlen((const char *)s);
    cr_expect_eq(pii_sniff_encoding(codec_tables, s, n, true), PIISCAN_ENCODING_UTF8,
                 "one bad byte among eight Japanese characters is damage, not CP932");
}

Test(sniff, utf8_with_a_stray_bad_byte_is_still_utf8)
{
    char text[512];
    snprintf(text, sizeof text, "%s", orders_utf8);
    char *p = strstr(text, "山田");
    p[1] = 'X'; /* break one character */
    piiscan_encoding got =
        pii_sniff_encoding(codec_tables, (const unsigned char *)text, strlen(text), true);
    cr_expect_eq(got, PIISCAN_ENCODING_UTF8, "one damaged character among many, not %s",
                 piiscan_encoding_name(got));
}

Test(sniff, accented_latin_in_utf8_is_not_taken_for_kana)
{
    static const char *const words[] = {"café", "Müller", "Straße"};
    for (size_t i = 0; i < 3; i++) {
        piiscan_encoding got = sniff_as(words[i], "UTF-8", true);
        cr_expect_eq(got, PIISCAN_ENCODING_UTF8, "%s in UTF-8, not %s", words[i],
                     piiscan_encoding_name(got));
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Format                                                                                     */

static piiscan_format format_of(const char *text, const char *name, char *delimiter)
{
    *delimiter = 'x';
    return pii_sniff_format(text, strlen(text), name, delimiter);
}

Test(sniff, quoted_commas_and_line_ends_do_not_break_a_csv)
{
    static const char csv[] = "id,name,address,memo\r\n"
                              "1,山田 太郎,\"東京都渋谷区渋谷2-21-1, 12F\",\"置き配\r\n希望\"\r\n"
                              "2,佐藤 花子,大阪府大阪市北区梅田3-1-3,\"\"\r\n"
                              "3,\"鈴木, 一郎\",\"福岡県, 福岡市\",\"a \"\"quoted\"\" word\"\r\n"
                              "4,高橋,京都府,\"x\ny\nz\"\r\n";
    char delimiter;
    cr_assert_eq(format_of(csv, NULL, &delimiter), PIISCAN_FORMAT_CSV);
    cr_assert_eq(delimiter, ',');
}

Test(sniff, consistent_tabs_make_a_tsv)
{
    static const char tsv[] = "氏名\t電話\t住所\n山田\t03-1234-5678\t東京都, 千代田区\n"
                              "佐藤\t06-1234-5678\t大阪府\n";
    char delimiter;
    cr_assert_eq(format_of(tsv, NULL, &delimiter), PIISCAN_FORMAT_TSV);
    cr_assert_eq(delimiter, '\t');
}

Test(sniff, semicolons_and_pipes_delimit_too)
{
    char delimiter;
    cr_expect_eq(format_of("a;b;c\n1;2,5;3\n4;5;6\n", NULL, &delimiter), PIISCAN_FORMAT_CSV);
    cr_expect_eq(delimiter, ';', "semicolons, with a decimal comma in a field");
    cr_expect_eq(format_of("a|b\n1|2\n3|4\n", NULL, &delimiter), PIISCAN_FORMAT_CSV);
    cr_expect_eq(delimiter, '|');
}

Test(sniff, prose_is_text)
{
    static const char prose[] = "お世話になっております。\n"
                                "ご注文の商品は、明日発送いたします。\n"
                                "Thanks, we will ship it tomorrow, as agreed.\n"
                                "ご不明な点がございましたら、お問い合わせください。\n";
    char delimiter;
    cr_assert_eq(format_of(prose, NULL, &delimiter), PIISCAN_FORMAT_TEXT);
    cr_assert_eq(delimiter, 0, "no delimiter for text");
}

Test(sniff, a_csv_name_does_not_make_undelimited_lines_csv)
{
    char delimiter;
    cr_assert_eq(format_of("山田太郎\n佐藤花子\n鈴木一郎\n", "orders.csv", &delimiter),
                 PIISCAN_FORMAT_TEXT, "one column with no delimiter anywhere is text");
}

Test(sniff, a_ragged_file_is_csv_only_when_its_name_says_so)
{
    static const char ragged[] = "a,b\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n";
    char delimiter;
    cr_expect_eq(format_of(ragged, NULL, &delimiter), PIISCAN_FORMAT_TEXT,
                 "counts 1,2,1,3,2 agree too little on their own");
    cr_expect_eq(format_of(ragged, "export.CSV", &delimiter), PIISCAN_FORMAT_CSV,
                 "a .csv whose every record has commas");
    cr_expect_eq(delimiter, ',');
}

Test(sniff, the_name_breaks_a_tie_between_delimiters)
{
    static const char both[] = "a,b\tc\n1,2\t3\n4,5\t6\n";
    char delimiter;
    cr_expect_eq(format_of(both, "x.csv", &delimiter), PIISCAN_FORMAT_CSV);
    cr_expect_eq(delimiter, ',', "one comma and one tab per line: the .csv name decides");
    cr_expect_eq(format_of(both, "x.tsv", &delimiter), PIISCAN_FORMAT_TSV);
    cr_expect_eq(format_of(both, NULL, &delimiter), PIISCAN_FORMAT_TSV, "tab first otherwise");
}

Test(sniff, evidence_outweighs_the_name)
{
    static const char tsv[] = "id\tname\tphone\n1\t山田\t03-1234-5678\n2\t佐藤\t06-1234-5678\n";
    char delimiter;
    cr_expect_eq(format_of(tsv, "export.csv", &delimiter), PIISCAN_FORMAT_TSV,
                 "a tab-separated file named .csv is TSV");
    static const char csv[] = "id,name\n1,山田\n2,佐藤\n";
    cr_expect_eq(format_of(csv, "notes.txt", &delimiter), PIISCAN_FORMAT_CSV,
                 "a .txt whose every line agrees is CSV");
    cr_expect_eq(format_of("Hello, world\n", "notes.txt", &delimiter), PIISCAN_FORMAT_TEXT,
                 "but one line of a .txt is not enough");
}

Test(sniff, title_rows_above_the_header_do_not_hide_a_csv)
{
    static const char csv[] = "受注一覧\r\n出力日 2024/01/05\r\n"
                              "id,name,phone\r\n1,a,b\r\n2,c,d\r\n3,e,f\r\n4,g,h\r\n"
                              "5,i,j\r\n6,k,l\r\n7,m,n\r\n8,o,p\r\n9,q,r\r\n10,s,";
    char delimiter;
    cr_assert_eq(format_of(csv, NULL, &delimiter), PIISCAN_FORMAT_CSV,
                 "two title lines among ten records; the cut last record is ignored");
    cr_assert_eq(delimiter, ',');
}

Test(sniff, title_rows_with_fewer_delimiters_are_skipped_over_a_short_table)
{
    static const char csv[] = "受注一覧,2022年7月分\n"
                              "出力日,2022-08-01\n"
                              "注文番号,お名前,電話番号\n"
                              "1001,山田太郎,9012345678\n";
    char delimiter;
    cr_expect_eq(format_of(csv, NULL, &delimiter), PIISCAN_FORMAT_CSV,
                 "two title rows with one comma above two rows with two");
    static const char prose[] = "Dear customer, thank you, truly.\nBest, Shop\nTel, 03\n";
    cr_expect_eq(format_of(prose, NULL, &delimiter), PIISCAN_FORMAT_TEXT,
                 "leading lines with more commas than the rest are not title rows");
}

Test(sniff, carriage_returns_alone_end_records_as_in_the_reader)
{
    static const char csv[] = "a,b\r\"x\r\ny\",03-1234-5678\rc,d\re,090-1234-5678\r";
    char delimiter;
    cr_assert_eq(format_of(csv, NULL, &delimiter), PIISCAN_FORMAT_CSV,
                 "old Mac line ends: four records of two fields");
}

Test(sniff, format_names_are_the_documented_words)
{
    static const char *const names[] = {"auto", "text", "csv", "tsv", "xlsx", "binary"};
    for (int f = PIISCAN_FORMAT_AUTO; f <= PIISCAN_FORMAT_BINARY; f++)
        cr_expect_str_eq(piiscan_format_name((piiscan_format)f), names[f]);
    cr_expect_str_eq(piiscan_format_name((piiscan_format)99), "unknown");
}
