/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sniff.c - what an input is: its container (text, xlsx, something binary), its encoding,
 * and for text whether it is CSV, TSV or plain lines.
 *
 * Each question is answered from a bounded sample, by evidence rather than by file name:
 * the extension only breaks ties. Encodings are told apart by UTF-8 validity first,
 * then by which of CP932 and EUC-JP reads as more plausible Japanese. Not handled: UTF-32,
 * ISO-2022-JP, EBCDIC; a BOM-less UTF-16 input without any ASCII is taken for 8-bit text.
 */
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------------------------------ */
/* Head: magic numbers, BOMs, UTF-16 without a BOM, binary                                    */

struct magic {
    const char *bytes;
    size_t len;
    const char *reason;
};

/* Containers that are never text. PDF is skipped until there is a reader for it. */
static const struct magic magics[] = {
    {"%PDF-", 5, "binary file (PDF document)"},
    {"\x89PNG\r\n\x1a\n", 8, "binary file (PNG image)"},
    {"\xFF\xD8\xFF", 3, "binary file (JPEG image)"},
    {"GIF87a", 6, "binary file (GIF image)"},
    {"GIF89a", 6, "binary file (GIF image)"},
    {"\x1F\x8B", 2, "binary file (gzip archive)"},
    {"7z\xBC\xAF\x27\x1C", 6, "binary file (7z archive)"},
    {"\xFD"
     "7zXZ",
     5, "binary file (xz archive)"},
    {"\x28\xB5\x2F\xFD", 4, "binary file (zstd archive)"},
    {"Rar!\x1A\x07", 6, "binary file (RAR archive)"},
    {"\x7F"
     "ELF",
     4, "binary file (ELF executable)"},
    {"SQLite format 3", 16, "binary file (SQLite database)"}, /* with its NUL */
};

static bool starts_with(const unsigned char *s, size_t n, const char *magic, size_t len)
{
    return n >= len && memcmp(s, magic, len) == 0;
}

/* A UTF-16 code unit that does not occur in text: a C0 or C1 control other than tab, line
 * feed, form feed, carriage return and escape; a noncharacter; a low surrogate alone. */
static bool is_bad_unit(uint32_t u)
{
    if (u < 0x20)
        return u != '\t' && u != '\n' && u != '\f' && u != '\r' && u != 0x1B;
    return (u >= 0x7F && u <= 0x9F) || (u >= 0xDC00 && u <= 0xDFFF) || u >= 0xFFFE;
}

static uint32_t unit_at(const unsigned char *p, bool is_le)
{
    return is_le ? (uint32_t)p[1] << 8 | p[0] : (uint32_t)p[0] << 8 | p[1];
}

/* UTF-16 without a BOM: ASCII and Latin-1 characters have a zero high byte, so text shows
 * NULs mostly on one side; binary data decodes to control characters, U+0000 and broken
 * surrogates, which text does not contain. */
static piiscan_encoding utf16_by_nuls(const unsigned char *s, size_t n)
{
    size_t units = n / 2;
    size_t zero_even = 0;
    size_t zero_odd = 0;
    for (size_t i = 0; i < units; i++) {
        zero_even += s[2 * i] == 0;
        zero_odd += s[2 * i + 1] == 0;
    }
    bool is_le = zero_odd > zero_even;
    size_t zero_high = is_le ? zero_odd : zero_even;
    size_t zero_low = is_le ? zero_even : zero_odd;
    /* Enough units to be sure, with ASCII making up a few percent of them (line ends at
     * least) and more zero bytes on the high side than the low one, where text has them
     * only for U+xx00 characters such as 一 (U+4E00). */
    if (units < 4 || zero_high < 2 || zero_high * 32 < units || zero_low >= zero_high)
        return PIISCAN_ENCODING_AUTO;
    size_t bad = 0;
    for (size_t i = 0; i < units; i++) {
        uint32_t u = unit_at(s + 2 * i, is_le);
        if (u < 0xD800 || u > 0xDBFF) {
            bad += is_bad_unit(u);
        } else if (i + 1 < units) { /* a high surrogate cut by the end of the head is fine */
            uint32_t v = unit_at(s + 2 * i + 2, is_le);
            bool is_pair = v >= 0xDC00 && v <= 0xDFFF;
            bad += !is_pair;
            i += is_pair;
        }
    }
    if (bad * 64 > units)
        return PIISCAN_ENCODING_AUTO;
    return is_le ? PIISCAN_ENCODING_UTF16LE : PIISCAN_ENCODING_UTF16BE;
}

void pii_sniff_head(const unsigned char *s, size_t n, pii_head *out)
{
    memset(out, 0, sizeof *out);
    out->encoding = PIISCAN_ENCODING_AUTO;
    out->format = PIISCAN_FORMAT_AUTO;
    if (n > PII_HEAD_BYTES)
        n = PII_HEAD_BYTES;
    if (starts_with(s, n, "PK\x03\x04", 4)) {
        out->format = PIISCAN_FORMAT_XLSX;
        out->reason = "xlsx workbook (zip package)";
        return;
    }
    if (starts_with(s, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        /* Binary as well, for a caller that looks at the format only. */
        out->format = PIISCAN_FORMAT_BINARY;
        out->is_unsupported = true;
        out->reason = "legacy .xls or encrypted workbook (OLE2 container)";
        return;
    }
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++) {
        if (starts_with(s, n, magics[i].bytes, magics[i].len)) {
            out->format = PIISCAN_FORMAT_BINARY;
            out->reason = magics[i].reason;
            return;
        }
    }
    if (starts_with(s, n, "\xEF\xBB\xBF", 3)) {
        out->encoding = PIISCAN_ENCODING_UTF8;
        out->bom_len = 3;
        return;
    }
    if (starts_with(s, n, "\xFF\xFE", 2) || starts_with(s, n, "\xFE\xFF", 2)) {
        out->encoding = s[0] == 0xFF ? PIISCAN_ENCODING_UTF16LE : PIISCAN_ENCODING_UTF16BE;
        out->bom_len = 2;
        return;
    }
    size_t nuls = 0;
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned b = s[i];
        if (b == 0)
            nuls++;
        else if ((b < 0x20 || b == 0x7F) && b != '\t' && b != '\n' && b != '\r' && b != '\f' &&
                 b != 0x1B)
            controls++;
    }
    if (nuls > 0) {
        out->encoding = utf16_by_nuls(s, n);
        if (out->encoding == PIISCAN_ENCODING_AUTO) {
            out->format = PIISCAN_FORMAT_BINARY;
            out->reason = "binary file (NUL bytes)";
        }
        return;
    }
    /* Text in any 8-bit encoding has next to no control bytes; one in twenty is data. */
    if (controls * 20 > n) {
        out->format = PIISCAN_FORMAT_BINARY;
        out->reason = "binary file (control bytes)";
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Encoding: UTF-8, CP932 or EUC-JP                                                           */

/* Kanji frequent in names, addresses and order exports (surnames, given names, prefectures,
 * large cities and wards, column words), sorted by code point, nearly all JIS level 1.
 * Both CP932 and EUC-JP read the other's bytes as valid kanji often enough; what tells them
 * apart on a short sample is that the right reading gives common kanji and the wrong one
 * gives random ones. Each entry is 3 bytes of UTF-8, so the string is searched by halving. */
static const char common_kanji[] = "一丁七三上下世並中丸主乃久之九也事二五井京亮人今介付仙代件伊"
                                   "会住佐体何作価便係俊保信修倉個健備優先光児入八六典内円冬分別"
                                   "刻前剛力加勇動務勝勤北区十千南単博原収取受口古台史号合吉名和"
                                   "咲品員哲商啓四団国土地坂坪城埼堀堤場堺塚塩増墨夏外大太夫央奈"
                                   "奥女姫媛子字孝宅宇安宏宗定実室宮家宿富寮小尼尾届屋山岐岡岩岸"
                                   "島崎嵐嶋川工市希帯幌平年幸広店府度庫康式引弘当形彦彩役彼後徳"
                                   "徹心思性恭恵悠愛感成戦戸所手払担拓持振携支政敏数敷文斉斎斗料"
                                   "新方日早明星春昭時晴智書月有服朗望木未本札杉村条来東松板林枚"
                                   "柏柳柴栃栄栗株根桐桑桜梅梨梶棟森業榎様樋模横樹橋次歌正武氏気"
                                   "水永求江池決沖沙沢河治沼況法注洋津浅浜浦浩海消淳清済渋渡港滋"
                                   "滝潟澤瀬熊片牧物状玉現理生用田由男町畑番発白的目直相県真矢知"
                                   "石確磯社神福秀私秋秒税稔稲穂窪立竹笠箱節篠篤紀純紗結絡綾線練"
                                   "縄織署美群義羽翔翼考者聡職自舗船良花英茂茨荒荘菅菊菜菱葉葛蓮"
                                   "藤行衣裕西見言計話認誠課請谷豊貴賀購足路輔輝辺辻込近返送通連"
                                   "進道達遠邉邊郎郡部郵都配酒里重野量金鈴銀鎌長間関阜阪阿限陽隆"
                                   "階雄雅雪電青静順須領額颯飯飾館香馬駅高鳥鹿麻黒齢";

static bool is_common_kanji(uint32_t cp)
{
    char key[4];
    pii_utf8_put(cp, key);
    size_t lo = 0;
    size_t hi = (sizeof common_kanji - 1) / 3;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(common_kanji + 3 * mid, key, 3);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Weights of the evidence one decoded character gives for its encoding. An invalid
 * sequence outweighs several good characters: a real file of that encoding has none. */
enum {
    W_INVALID = -32,
    W_UNLIKELY = -8, /* private use, C1 controls: what a wrong reading produces */
    W_MISPLACED_MARK = -4,
    W_HALFWIDTH_PUNCT = -2,
    W_NONE = 0,
    W_SYMBOL = 1,
    W_KANJI_2 = 1, /* JIS level 2 */
    W_KANJI_1 = 2, /* JIS level 1 */
    W_HALFWIDTH = 3,
    W_JAPANESE = 8, /* kana, CJK punctuation, full-width forms, common kanji */
};

/* JIS X 0208 row (1-94) of a double-byte character, or 0 for JIS X 0212 and others. */
static unsigned jis_row(piiscan_encoding enc, const unsigned char *s, size_t used)
{
    if (used != 2)
        return 0;
    if (enc == PIISCAN_ENCODING_EUCJP)
        return s[0] == 0x8E ? 0 : s[0] - 0xA0u;
    unsigned pair = s[0] <= 0x9F ? s[0] - 0x81u : s[0] - 0xC1u;
    return pair * 2 + 1 + (s[1] >= 0x9F);
}

static bool is_voiceable_halfwidth(uint32_t cp, bool is_semi)
{
    bool is_h_row = cp >= 0xFF8A && cp <= 0xFF8E; /* ﾊ-ﾎ take both marks */
    if (is_semi)
        return is_h_row;
    return is_h_row || cp == 0xFF73 || (cp >= 0xFF76 && cp <= 0xFF84); /* ｳ, ｶ-ﾄ */
}

static int weigh(piiscan_encoding enc, const unsigned char *s, size_t used, uint32_t cp,
                 uint32_t prev)
{
    if ((cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0x3000 && cp <= 0x303F) ||
        (cp >= 0xFF01 && cp <= 0xFF5E))
        return W_JAPANESE;
    if (cp >= 0x4E00 && cp <= 0x9FFF) {
        if (is_common_kanji(cp))
            return W_JAPANESE;
        unsigned row = jis_row(enc, s, used);
        if (row >= 16 && row <= 47)
            return W_KANJI_1;
        return row >= 48 && row <= 84 ? W_KANJI_2 : W_NONE;
    }
    /* Half-width katakana: everyday in CP932 exports, yet also what EUC-JP kanji look like
     * when read as CP932, so single letters count little and marks must follow a kana. */
    if (cp >= 0xFF61 && cp <= 0xFF65) /* ｡｢｣､･: what EUC-JP kana row bytes become */
        return W_HALFWIDTH_PUNCT;
    if (cp == 0xFF70) /* ｰ */
        return prev >= 0xFF66 && prev <= 0xFF9F ? W_HALFWIDTH : W_NONE;
    if (cp == 0xFF9E || cp == 0xFF9F)
        return is_voiceable_halfwidth(prev, cp == 0xFF9F) ? W_HALFWIDTH : W_MISPLACED_MARK;
    if (cp >= 0xFF66 && cp <= 0xFF9D)
        return W_HALFWIDTH;
    if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0xE000 && cp <= 0xF8FF))
        return W_UNLIKELY;
    return W_SYMBOL;
}

static long score(const pii_codec_tables *t, piiscan_encoding enc, const unsigned char *s, size_t n,
                  bool is_final)
{
    long total = 0;
    uint32_t prev = 0;
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            prev = s[i++];
            continue;
        }
        uint32_t cp;
        bool is_invalid;
        size_t used = pii_decode_char(t, enc, s + i, n - i, is_final, &cp, &is_invalid);
        if (used == 0)
            break;
        total += is_invalid ? W_INVALID : weigh(enc, s + i, used, cp, prev);
        prev = is_invalid ? 0 : cp;
        i += used;
    }
    return total;
}

/* How a sample reads as UTF-8: characters of 3 and 4 bytes (all of Japanese), of 2 bytes
 * (Latin, Greek, Cyrillic ...) with their weight, and invalid sequences. */
struct utf8_reading {
    size_t long_chars;
    size_t short_chars;
    long short_score;
    size_t invalid;
};

static void read_utf8(const pii_codec_tables *t, const unsigned char *s, size_t n, bool is_final,
                      struct utf8_reading *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        bool is_invalid;
        size_t used =
            pii_decode_char(t, PIISCAN_ENCODING_UTF8, s + i, n - i, is_final, &cp, &is_invalid);
        if (used == 0) /* a character cut by the end of the sample */
            break;
        if (is_invalid) {
            out->invalid++;
        } else if (used > 2) {
            out->long_chars++;
        } else {
            out->short_chars++;
            if (cp <= 0x9F)
                out->short_score += W_UNLIKELY;
            else if (cp >= 0xC0 && cp <= 0x24F) /* accented Latin letters: names, places */
                out->short_score += W_JAPANESE;
            else
                out->short_score += W_SYMBOL;
        }
        i += used;
    }
}

piiscan_encoding pii_sniff_encoding(const pii_codec_tables *t, const unsigned char *s, size_t n,
                                    bool is_final)
{
    struct utf8_reading u;
    read_utf8(t, s, n, is_final, &u);
    /* Valid also with a few stray bytes among many characters (a damaged export is still
     * UTF-8): CP932 and EUC-JP read as UTF-8 fail at nearly every non-ASCII character. */
    size_t valid = u.long_chars + u.short_chars;
    bool is_valid = u.invalid == 0 || (valid >= 8 && u.invalid * 32 <= valid);
    /* Japanese takes 3 bytes a character in UTF-8. A few 2-byte characters alone are also
     * what a short CP932 or EUC-JP sample can be (ﾕｲ is Armenian ղ, 蓮 Coptic Ϣ): weigh them. */
    if (is_valid && (u.long_chars > 0 || u.short_chars >= 4))
        return PIISCAN_ENCODING_UTF8;
    long cp932 = score(t, PIISCAN_ENCODING_CP932, s, n, is_final);
    long eucjp = score(t, PIISCAN_ENCODING_EUCJP, s, n, is_final);
    if (is_valid && u.short_score >= cp932 && u.short_score >= eucjp)
        return PIISCAN_ENCODING_UTF8;
    /* Japanese UTF-8 with more damage than the ratio above allows, in a short sample: still
     * UTF-8 when it reads better than the double-byte readings, which stumble on every
     * 3-byte character. */
    if (u.long_chars > 0) {
        long utf8 = score(t, PIISCAN_ENCODING_UTF8, s, n, is_final);
        if (utf8 > cp932 && utf8 > eucjp)
            return PIISCAN_ENCODING_UTF8;
    }
    /* A tie goes to CP932: it is what Windows and most Japanese business software write. */
    return eucjp > cp932 ? PIISCAN_ENCODING_EUCJP : PIISCAN_ENCODING_CP932;
}

/* ------------------------------------------------------------------------------------------ */
/* Format: text, CSV or TSV                                                                   */

/* Records looked at per delimiter; a sample of short lines has more, and they add nothing. */
#define FORMAT_RECORDS 512

static const char delimiters[] = {'\t', ',', ';', '|'};

struct tally {
    size_t records; /* complete, non-blank records looked at */
    size_t agree;   /* of them, records with the most common delimiter count */
    size_t present; /* of them, records with the delimiter at all */
    unsigned mode;  /* the most common count */
};

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* Counts `delim` outside quotes in each record of s[0..n) into counts[]; returns how many
 * records. RFC 4180 quoting: a quote opens a quoted field only at its start, and a quoted
 * field may hold delimiters and line ends. CR, LF and CRLF end records, as in the reader.
 * The record cut by the end of the sample is left out unless it is the only one. */
static size_t count_delimiters(const char *s, size_t n, char delim, unsigned *counts)
{
    size_t records = 0;
    size_t start = 0;
    unsigned count = 0;
    bool is_quoted = false;
    bool is_field_start = true;
    for (size_t i = 0; i <= n && records < FORMAT_RECORDS; i++) {
        bool is_end = i == n;
        char c = is_end ? '\n' : s[i];
        if (is_quoted && !is_end) {
            if (c == '"') {
                if (i + 1 < n && s[i + 1] == '"')
                    i++;
                else
                    is_quoted = false;
            }
            continue;
        }
        if (c == '"' && is_field_start) {
            is_quoted = true;
            is_field_start = false;
        } else if (c == delim) {
            count++;
            is_field_start = true;
        } else if (c == '\n' || c == '\r') {
            bool is_complete = !is_end || records == 0;
            if (is_complete && !is_quoted && !is_blank(s + start, i - start))
                counts[records++] = count;
            start = i + 1;
            count = 0;
            is_field_start = true;
        } else {
            is_field_start = false;
        }
    }
    return records;
}

/* The count most of counts[0..n) share, by majority vote: a delimiter is only accepted when
 * four records in five agree, so a plurality that is not a majority never matters. */
static void tally_counts(const unsigned *counts, size_t n, struct tally *out)
{
    unsigned candidate = 0;
    size_t votes = 0;
    for (size_t i = 0; i < n; i++) {
        if (votes == 0)
            candidate = counts[i];
        votes += counts[i] == candidate ? 1 : (size_t)-1;
    }
    out->records = n;
    out->mode = candidate;
    out->agree = 0;
    out->present = 0;
    for (size_t i = 0; i < n; i++) {
        out->agree += counts[i] == candidate;
        out->present += counts[i] > 0;
    }
}

static bool is_consistent(const struct tally *t)
{
    return t->records > 0 && t->mode > 0 && t->agree * 5 >= t->records * 4;
}

/* Tallies `delim` over the sample. Title rows above a table ("受注一覧,2022年7月分") have
 * fewer delimiters than the table: up to as many leading records as follow them are skipped
 * when that makes the rest consistent and each skipped record has fewer delimiters. */
static void tally_delimiter(const char *s, size_t n, char delim, struct tally *out)
{
    unsigned counts[FORMAT_RECORDS];
    size_t records = count_delimiters(s, n, delim, counts);
    tally_counts(counts, records, out);
    unsigned most_skipped = 0;
    for (size_t skip = 1; !is_consistent(out) && 2 * skip <= records; skip++) {
        if (counts[skip - 1] > most_skipped)
            most_skipped = counts[skip - 1];
        struct tally rest;
        tally_counts(counts + skip, records - skip, &rest);
        if (is_consistent(&rest) && most_skipped < rest.mode)
            *out = rest;
    }
}

/* ".csv" -> ',', ".tsv" and ".tab" -> '\t', ".txt" -> 'T', otherwise 0. */
static char extension_hint(const char *name)
{
    if (name == NULL)
        return 0;
    const char *dot = strrchr(name, '.');
    if (dot == NULL || strchr(dot, '/') != NULL)
        return 0;
    static const struct {
        const char *ext;
        char hint;
    } hints[] = {{".csv", ','}, {".tsv", '\t'}, {".tab", '\t'}, {".txt", 'T'}};
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        const char *e = hints[i].ext;
        size_t k = 0;
        while (e[k] != '\0' && (dot[k] | 0x20) == e[k])
            k++;
        if (e[k] == '\0' && dot[k] == '\0')
            return hints[i].hint;
    }
    return 0;
}

/* Whether a beats b: more records agree, then more fields per record, then the name's
 * hint, then the earlier delimiter (tab first). */
static bool is_better(const struct tally *a, bool is_a_hinted, const struct tally *b,
                      bool is_b_hinted)
{
    size_t lhs = a->agree * b->records;
    size_t rhs = b->agree * a->records;
    if (lhs != rhs)
        return lhs > rhs;
    if (a->mode != b->mode)
        return a->mode > b->mode;
    return is_a_hinted && !is_b_hinted;
}

piiscan_format pii_sniff_format(const char *text, size_t n, const char *name, char *delimiter)
{
    struct tally tallies[sizeof delimiters];
    char hint = extension_hint(name);
    int best = -1;
    int ragged_hinted = -1;
    for (size_t i = 0; i < sizeof delimiters; i++) {
        const struct tally *t = &tallies[i];
        bool is_hinted = delimiters[i] == hint;
        tally_delimiter(text, n, delimiters[i], &tallies[i]);
        if (!is_consistent(t)) {
            /* A name that says delimited lets a ragged file in if most records have the
             * delimiter, as long as no other delimiter is consistent. */
            if (is_hinted && t->present * 5 >= t->records * 4 && t->present > 0)
                ragged_hinted = (int)i;
            continue;
        }
        /* A .txt name asks for every record to agree, on more than one record. */
        if (hint == 'T' && (t->agree != t->records || t->records < 2))
            continue;
        if (best < 0 || is_better(t, is_hinted, &tallies[best], delimiters[best] == hint))
            best = (int)i;
    }
    if (best < 0)
        best = ragged_hinted;
    if (best < 0) {
        *delimiter = 0;
        return PIISCAN_FORMAT_TEXT;
    }
    *delimiter = delimiters[best];
    return *delimiter == '\t' ? PIISCAN_FORMAT_TSV : PIISCAN_FORMAT_CSV;
}

static const char *const format_names[] = {
    [PIISCAN_FORMAT_AUTO] = "auto", [PIISCAN_FORMAT_TEXT] = "text",
    [PIISCAN_FORMAT_CSV] = "csv",   [PIISCAN_FORMAT_TSV] = "tsv",
    [PIISCAN_FORMAT_XLSX] = "xlsx", [PIISCAN_FORMAT_BINARY] = "binary",
};

const char *piiscan_format_name(piiscan_format format)
{
    if ((unsigned)format >= sizeof format_names / sizeof format_names[0])
        return "unknown";
    return format_names[format];
}
