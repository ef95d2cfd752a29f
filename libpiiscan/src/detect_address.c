/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_address.c - Japanese addresses (住所): 東京都港区六本木１丁目２番３号 コーポ森 101号室,
 * 港区六本木1-2-3, 六本木一丁目, 大字・字, 郡, Kyoto's 上ル/下ル/東入/西入, in kanji, full-width
 * or Arabic numerals.
 *
 * An address is anchored on the compiled dictionary: a prefecture, a municipality (or county
 * and town or village), or a town name (町域) followed by a block number. A place name alone
 * is no one's address (北海道産, a city in a description), so the confidence comes from what
 * follows the anchor: the town and the block numbers (丁目 番地 番 号, 1-2-3), or a Kyoto
 * direction. A prefecture or municipality followed by a word that makes it an origin, an
 * authority or a station (産, 府警, 公安委員会, 駅) anchors nothing. The span runs from the
 * prefecture (a postal code before it is the postal detector's) over the building and the
 * room, so that a redaction removes them too.
 *
 * Split layouts: in an address, city, street or building column the whole field is the
 * address part (score.c raises it to "address/column"). A prefecture column is NOT reported:
 * a prefecture alone identifies no one, and the other parts of the same record are. Read
 * without a header, a municipality alone (港区, 0.3) or a building and room alone (コーポ森
 * 101号室, 0.4) are candidates below the default threshold, for record-level evidence.
 *
 * A shop's own return address in a header block is an address like any other and is reported
 * at the same confidence: telling it from a customer's needs the document's layout.
 *
 * Leaves out: addresses without a dictionary anchor and without a column (a street and
 * number whose town the postal data lacks), and addresses abroad.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CONF_FULL     0.9  /* prefecture, municipality, block number */
#define CONF_CITY     0.85 /* municipality and block number, no prefecture */
#define CONF_TOWN     0.7  /* town name and block number (六本木1-2-3) */
#define CONF_AREA     0.45 /* prefecture, municipality and town, no number */
#define CONF_PLACE    0.3  /* prefecture and municipality, or municipality alone */
#define CONF_BUILDING 0.4  /* a building and room alone */
#define CONF_COLUMN   0.5  /* the whole field; score.c raises it */

#define MAX_MATCHES      24
#define MAX_TOWN_CHARS   16
#define MAX_BUILDING_TOK 3

static bool is_kanji(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005 ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool is_katakana(uint32_t cp)
{
    return (cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC;
}

static bool is_hiragana(uint32_t cp)
{
    return cp >= 0x3041 && cp <= 0x3096;
}

static uint32_t char_at(const pii_unit *u, size_t i, size_t *len)
{
    if (i >= u->len) {
        *len = 0;
        return 0;
    }
    uint32_t cp;
    *len = pii_utf8_fast(u->text + i, u->len - i, &cp);
    return cp;
}

static bool starts_with(const pii_unit *u, size_t i, const char *word)
{
    size_t n = strlen(word);
    return i + n <= u->len && memcmp(u->text + i, word, n) == 0;
}

static size_t longest_at(const pii_unit *u, size_t pos, unsigned kinds)
{
    if (!pii_trie_may_start(u->text, u->len, pos, kinds))
        return 0;
    pii_trie_match m[MAX_MATCHES];
    size_t n = pii_trie_prefixes(u->text, u->len, pos, m, MAX_MATCHES);
    for (size_t i = n; i > 0; i--) {
        if (m[i - 1].kinds & kinds)
            return m[i - 1].end;
    }
    return 0;
}

/* Whether a word at pos makes the place before it no address (産, 府警, 駅), unless a town
 * name at least as long starts there (駅前中央 is a town). */
static bool is_not_address_at(const pii_unit *u, size_t pos)
{
    size_t neg = longest_at(u, pos, PII_LEX_NOT_ADDRESS_AFTER);
    return neg != 0 && longest_at(u, pos, PII_LEX_TOWN) <= neg;
}

static bool is_kanji_numeral(uint32_t cp)
{
    switch (cp) {
    case 0x3007: /* 〇 */
    case 0x4E00: /* 一 */
    case 0x4E8C: /* 二 */
    case 0x4E09: /* 三 */
    case 0x56DB: /* 四 */
    case 0x4E94: /* 五 */
    case 0x516D: /* 六 */
    case 0x4E03: /* 七 */
    case 0x516B: /* 八 */
    case 0x4E5D: /* 九 */
    case 0x5341: /* 十 */
    case 0x767E: /* 百 */
    case 0x5343: /* 千 */
        return true;
    default:
        return false;
    }
}

/* A number: ASCII digits or kanji numerals (〇一二三四五六七八九十百千). */
static size_t number_at(const pii_unit *u, size_t i)
{
    size_t e = i;
    while (e < u->len && u->text[e] >= '0' && u->text[e] <= '9')
        e++;
    if (e > i)
        return e;
    for (;;) {
        size_t len;
        if (e >= u->len || (unsigned char)u->text[e] < 0x80 ||
            !is_kanji_numeral(char_at(u, e, &len)))
            return e;
        e += len;
    }
}

/* The unit word after a number (丁目 番地 番 号 ...), its end, or 0. */
static size_t unit_after(const pii_unit *u, size_t i)
{
    static const char *const units[] = {"丁目", "番地", "番町", "番", "号", "地割", "条", "線"};
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (starts_with(u, i, units[k]))
            return i + strlen(units[k]);
    }
    return 0;
}

/* Block numbers from i: 1-2-3, 1丁目2番3号, 1丁目2-3, 123番地の4, 一丁目. Returns the end, or
 * 0 when what is there is no block number. One bare number is one only after a town name
 * (is_single_ok: 字山田123, where 番地 is left out), never alone. */
static size_t block_at(const pii_unit *u, size_t i, bool is_single_ok)
{
    size_t e = i;
    size_t parts = 0;
    size_t marks = 0;
    bool is_ascii_only = true;
    for (;;) {
        size_t n = number_at(u, e);
        if (n == e)
            break;
        is_ascii_only = is_ascii_only && u->text[e] >= '0' && u->text[e] <= '9';
        parts++;
        e = n;
        size_t w = unit_after(u, e);
        if (w != 0) {
            marks++;
            e = w;
            if (starts_with(u, e, "-") || starts_with(u, e, "の") || starts_with(u, e, "ノ")) {
                size_t c = e + (u->text[e] == '-' ? 1 : 3);
                if (number_at(u, c) > c)
                    e = c;
            }
            continue;
        }
        if (e < u->len && u->text[e] == '-' && number_at(u, e + 1) > e + 1) {
            e++;
            continue;
        }
        if ((starts_with(u, e, "の") || starts_with(u, e, "ノ")) && number_at(u, e + 3) > e + 3) {
            e += 3;
            continue;
        }
        break;
    }
    if (marks == 0 && (parts == 0 || !is_ascii_only || (parts == 1 && !is_single_ok)))
        return 0;
    /* Glued to more digits, it is a code, not a block number. */
    if (e < u->len && u->text[e] >= '0' && u->text[e] <= '9')
        return 0;
    /* One bare number followed by a letter or a kanji is a quantity (5kg, 5分, 3個). */
    if (marks == 0 && parts == 1 && e < u->len) {
        size_t len;
        uint32_t cp = char_at(u, e, &len);
        if ((cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) || is_kanji(cp))
            return 0;
    }
    return e;
}

/* Kyoto gives directions instead of numbers: 烏丸通三条上ル. */
static size_t kyoto_at(const pii_unit *u, size_t i)
{
    static const char *const dirs[] = {"上ル", "下ル", "東入ル", "西入ル", "東入",   "西入",
                                       "上る", "下る", "東入る", "西入る", "上がる", "下がる"};
    size_t best = 0;
    for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
        if (starts_with(u, i, dirs[k]) && i + strlen(dirs[k]) > best)
            best = i + strlen(dirs[k]);
    }
    return best;
}

/* The town part after the municipality and its block numbers (one space allowed before
 * them); a town may hold numbers of its own (北一条西5丁目). *town_end is where the town's
 * characters end; returns the end of the last block, or 0 when none follows. */
static size_t street_at(const pii_unit *u, size_t i, size_t *town_end, bool *is_kyoto)
{
    size_t e = i;
    size_t last_block = 0;
    /* Hiragana only inside a town name the postal data has (あけぼの町, ひばりが丘): elsewhere it
     * is the sentence going on (中井町から徒歩5分). */
    size_t town = longest_at(u, i, PII_LEX_TOWN);
    *is_kyoto = false;
    *town_end = i;
    for (size_t chars = 0; chars < MAX_TOWN_CHARS; chars++) {
        size_t b = block_at(u, e, e > i);
        if (b != 0) {
            if (last_block == 0)
                *town_end = e;
            last_block = b;
            e = b;
            continue;
        }
        size_t k = kyoto_at(u, e);
        if (k != 0) {
            *is_kyoto = true;
            e = k;
            continue;
        }
        size_t len;
        uint32_t cp = char_at(u, e, &len);
        if (!is_kanji(cp) && !is_katakana(cp) && !(is_hiragana(cp) && e < town))
            break;
        if (chars == 0 && is_not_address_at(u, e))
            break;
        e += len;
    }
    /* Kyoto's directions name the town after them too (東入長刀鉾町). */
    if (*is_kyoto)
        return e > last_block ? e : last_block;
    if (last_block != 0)
        return last_block;
    *town_end = e;
    if (e > i && e < u->len && u->text[e] == ' ') {
        size_t b = block_at(u, e + 1, true);
        if (b != 0)
            return b;
    }
    return *is_kyoto ? e : 0;
}

/* A room: 101, 101号室, 101号, 3F, 3階, #101, 1-101. */
static size_t room_at(const pii_unit *u, size_t i)
{
    size_t e = i;
    if (e < u->len && u->text[e] == '#')
        e++;
    size_t d = e;
    while (e < u->len && ((u->text[e] >= '0' && u->text[e] <= '9') || u->text[e] == '-'))
        e++;
    if (e == d)
        return 0;
    static const char *const marks[] = {"号室", "号", "室", "F", "f", "階"};
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
        if (starts_with(u, e, marks[k]))
            return e + strlen(marks[k]);
    }
    return e;
}

/* The end of a word: up to a space, a comma or sentence punctuation, or the end. */
static size_t token_end(const pii_unit *u, size_t i)
{
    size_t e = i;
    while (e < u->len) {
        size_t len;
        uint32_t cp = char_at(u, e, &len);
        if (cp == ' ' || cp == '\t' || cp == ',' || cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C ||
            cp == '(' || cp == ')' || cp == 0x300C || cp == 0x300D)
            break;
        e += len;
    }
    return e;
}

/* Whether [i, e) holds a building word (コーポ, ハイツ, 号室 ...). */
static bool has_building_word(const pii_unit *u, size_t i, size_t e)
{
    while (i < e) {
        size_t b = longest_at(u, i, PII_LEX_BUILDING);
        if (b != 0 && b <= e)
            return true;
        size_t len;
        char_at(u, i, &len);
        i += len;
    }
    return false;
}

/* The end of the first room inside [s, e) (グリーンコート柊705号 in 705号に変更...), or 0. */
static size_t room_inside(const pii_unit *u, size_t s, size_t e)
{
    for (size_t p = s; p < e; p++) {
        if (u->text[p] >= '0' && u->text[p] <= '9' &&
            (p == s || u->text[p - 1] < '0' || u->text[p - 1] > '9')) {
            size_t r = room_at(u, p);
            if (r > p && r <= e)
                return r;
        }
    }
    return 0;
}

/* Whether [s, e) is a short room number alone: 1 to 4 digits, then 号室, 号 or 室 or nothing
 * (not 090-1234-5678, which room_at would also take). */
static bool is_short_room(const pii_unit *u, size_t s, size_t e)
{
    size_t d = s;
    while (d < e && u->text[d] >= '0' && u->text[d] <= '9')
        d++;
    if (d == s || d - s > 4)
        return false;
    return d == e || (starts_with(u, d, "号室") && d + 6 == e) ||
           (starts_with(u, d, "号") && d + 3 == e) || (starts_with(u, d, "室") && d + 3 == e);
}

/* Whether a building's own name starts at s: katakana (ステラ光ヶ丘, フォレスト欅台). */
static bool is_katakana_at(const pii_unit *u, size_t s)
{
    size_t len;
    uint32_t cp = s < u->len ? char_at(u, s, &len) : 0;
    return cp >= 0x30A1 && cp <= 0x30FA;
}

/* The building and room after an address ending at i (each after an optional space). */
static size_t building_after(const pii_unit *u, size_t i, bool *has_room)
{
    size_t e = i;
    *has_room = false;
    for (size_t tok = 0; tok < MAX_BUILDING_TOK; tok++) {
        size_t s = e < u->len && u->text[e] == ' ' ? e + 1 : e;
        size_t te = token_end(u, s);
        if (te == s)
            break;
        size_t r = room_at(u, s);
        if (r == te) {
            e = te;
            *has_room = true;
            continue;
        }
        if (!has_building_word(u, s, te)) {
            /* A building's own name, when a room follows it: メゾン・ド・X 101. The first
             * token after the block must look like one (katakana, then a short room), as a
             * phone number would pass for a room. */
            size_t s2 = te < u->len && u->text[te] == ' ' ? te + 1 : te;
            size_t r2 = room_at(u, s2);
            bool is_named = tok > 0 || (is_katakana_at(u, s) && r2 != 0 &&
                                        is_short_room(u, s2, token_end(u, s2)));
            size_t glued = tok == 0 && is_katakana_at(u, s) ? room_inside(u, s, te) : 0;
            if (glued != 0 && glued == te) { /* フォレスト欅台406 */
                e = te;
                *has_room = true;
                break;
            }
            if (!is_named || r2 == 0 || r2 != token_end(u, s2))
                break;
        } else {
            /* A room ends the address: what is glued after it is the sentence. */
            size_t in = room_inside(u, s, te);
            if (in != 0 && in < te) {
                e = in;
                *has_room = true;
                break;
            }
        }
        e = te;
    }
    return e;
}

/* Skips a postal code and its mark at the start of a field: it is the postal detector's. */
static size_t skip_postal(const pii_unit *u, size_t s)
{
    size_t e = s;
    if (starts_with(u, e, "〒"))
        e += 3;
    while (e < u->len && u->text[e] == ' ')
        e++;
    size_t d = e;
    while (e < u->len && ((u->text[e] >= '0' && u->text[e] <= '9') || u->text[e] == '-'))
        e++;
    if (e - d < 7 || e - d > 8)
        return s;
    while (e < u->len && u->text[e] == ' ')
        e++;
    return e;
}

/* Whether [i, e) has an ASCII digit or 丁目: 川北六条 alone is a town, not an address. */
static bool has_digit_or_chome(const pii_unit *u, size_t i, size_t e)
{
    for (size_t k = i; k < e; k++) {
        if (u->text[k] >= '0' && u->text[k] <= '9')
            return true;
    }
    for (size_t k = i; k + 6 <= e; k++) {
        if (memcmp(u->text + k, "丁目", 6) == 0)
            return true;
    }
    return false;
}

struct address {
    size_t end;
    double confidence;
    const char *detector;
};

/* An address anchored at i, or false. */
static bool address_at(const pii_unit *u, size_t i, struct address *a)
{
    if (!pii_trie_may_start(u->text, u->len, i,
                            PII_LEX_PREFECTURE | PII_LEX_MUNICIPALITY | PII_LEX_COUNTY |
                                PII_LEX_TOWN))
        return false;
    pii_trie_match m[MAX_MATCHES];
    size_t n = pii_trie_prefixes(u->text, u->len, i, m, MAX_MATCHES);
    size_t pref = 0;
    size_t muni = 0;
    size_t town = 0;
    for (size_t k = 0; k < n; k++) {
        if (m[k].kinds & PII_LEX_PREFECTURE)
            pref = m[k].end;
        if (m[k].kinds & (PII_LEX_MUNICIPALITY | PII_LEX_COUNTY))
            muni = m[k].end;
        if (m[k].kinds & PII_LEX_TOWN)
            town = m[k].end;
    }
    if (pref == 0 && muni == 0 && town == 0)
        return false;

    size_t at = i;
    bool has_pref = false;
    bool has_muni = false;
    if (pref != 0 && pref >= muni) {
        if (is_not_address_at(u, pref))
            return false;
        has_pref = true;
        at = pref;
        muni = longest_at(u, at, PII_LEX_MUNICIPALITY | PII_LEX_COUNTY);
    }
    /* Up to three levels: 郡 + 町村, 市 + 区. */
    for (int level = 0; level < 3 && muni != 0; level++) {
        if (is_not_address_at(u, muni) &&
            longest_at(u, muni, PII_LEX_MUNICIPALITY | PII_LEX_COUNTY) == 0)
            return false;
        has_muni = true;
        at = muni;
        muni = longest_at(u, at, PII_LEX_MUNICIPALITY | PII_LEX_COUNTY);
    }

    size_t town_end;
    bool is_kyoto;
    size_t block;
    if (!has_pref && !has_muni) {
        /* A town name alone anchors only with a block number right after it. */
        block = block_at(u, town, false);
        if (block == 0 && town < u->len && u->text[town] == ' ')
            block = block_at(u, town + 1, false);
        if (block == 0 || !has_digit_or_chome(u, town, block))
            return false;
        bool has_room;
        a->end = building_after(u, block, &has_room);
        a->confidence = CONF_TOWN;
        a->detector = "address/town";
        return true;
    }
    if (!has_muni)
        return false; /* 新潟県魚沼産: a prefecture needs its municipality */
    block = street_at(u, at, &town_end, &is_kyoto);
    if (block != 0) {
        bool has_room;
        a->end = building_after(u, block, &has_room);
        a->confidence = has_pref ? CONF_FULL : CONF_CITY;
        a->detector = "address/dict";
        return true;
    }
    a->end = town_end;
    a->confidence = has_pref && town_end > at ? CONF_AREA : CONF_PLACE;
    a->detector = "address/dict";
    return true;
}

/* A building and its room with no address before them (a split building column by content). */
static bool building_at(const pii_unit *u, size_t i, struct address *a)
{
    size_t b = longest_at(u, i, PII_LEX_BUILDING);
    if (b == 0)
        return false;
    bool has_room;
    size_t e = building_after(u, i, &has_room);
    if (!has_room || e <= b)
        return false;
    a->end = e;
    a->confidence = CONF_BUILDING;
    a->detector = "address/building";
    return true;
}

/* A field of signs only (a redactor's ■ or # mask, a placeholder) holds no address. */
static bool has_letter_or_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            return true;
    }
    return pii_utf8_has_letter(s, n);
}

static int address_compile(void **state, piiscan_error *err)
{
    (void)err;
    *state = NULL;
    return PIISCAN_OK;
}

static void address_free(void *state)
{
    (void)state;
}

static int address_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                        pii_candidates *out)
{
    (void)state;
    (void)md;
    switch (u->column) {
    case PII_COL_PREFECTURE:
        return PIISCAN_OK; /* see the file comment */
    case PII_COL_ADDRESS:
    case PII_COL_CITY:
    case PII_COL_STREET:
    case PII_COL_BUILDING: {
        size_t s = 0;
        size_t e = u->len;
        while (s < e && pii_is_blank(u->text[s]))
            s++;
        s = skip_postal(u, s);
        while (e > s && pii_is_blank(u->text[e - 1]))
            e--;
        if (e > s && has_letter_or_digit(u->text + s, e - s) &&
            memchr(u->text + s, '@', e - s) == NULL && !pii_trie_is_redacted(u->text, s, e) &&
            !pii_utf8_has_mask_run(u->text + s, e - s))
            return pii_candidates_push(out, PIISCAN_TYPE_ADDRESS, s, e, CONF_COLUMN,
                                       "address/column");
        return PIISCAN_OK;
    }
    default:
        break;
    }

    size_t i = 0;
    while (i < u->len) {
        unsigned char c = (unsigned char)u->text[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* No place name or building starts inside a run of hiragana (the particles and
         * endings of a sentence): skip them without a look-up. */
        size_t len;
        uint32_t cp = char_at(u, i, &len);
        if (is_hiragana(cp) && i >= 3 && is_hiragana(char_at(u, i - 3, &len))) {
            i += 3;
            continue;
        }
        struct address a;
        if (address_at(u, i, &a) || building_at(u, i, &a)) {
            int rc =
                pii_candidates_push(out, PIISCAN_TYPE_ADDRESS, i, a.end, a.confidence, a.detector);
            if (rc != PIISCAN_OK)
                return rc;
            if (a.confidence >= CONF_TOWN) {
                i = a.end;
                continue;
            }
        }
        char_at(u, i, &len);
        i += len;
    }
    return PIISCAN_OK;
}

const struct pii_detector pii_detector_address = {
    .name = "address",
    .type = PIISCAN_TYPE_ADDRESS,
    .needs_digit_or_at = false,
    .max_confidence = CONF_FULL, /* the highest of the CONF_ above */
    .compile = address_compile,
    .free = address_free,
    .scan = address_scan,
};
