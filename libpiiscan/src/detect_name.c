/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_name.c - personal names (氏名): 山田太郎, 山田 太郎, 山田様, ヤマダ タロウ, やまだ たろう,
 * Taro Yamada, YAMADA Taro, and names no dictionary has when an honorific or the column says so.
 *
 * Most common surnames are also place names (98 of the 100 commonest) and many are words (林,
 * 森), so a dictionary hit alone is weak evidence: a surname alone is a candidate below the
 * default threshold, for the record-level evidence to raise. What makes a name:
 *   - a surname and a given name side by side (two dictionary hits, both checked against the
 *     words that make them a place, a product or a company: 松本市, 山田錦, 株式会社山田商店);
 *   - an honorific after it (様 さん 殿 氏 ...; not part of the span), which also carries a
 *     name that no dictionary has (椥辻様) over a short run of kanji or katakana;
 *   - the column: in a name or name-reading column the whole field is the name (score.c
 *     raises the candidate to "name/column").
 * Kana names must fill their run of kana (サトウキビ holds no サトウ), and two readings glued
 * together stay below the threshold (マン+ション, デン+ワ read as names too); romaji names are two
 * capitalised words that are a surname and a given name's romanised readings, in either order.
 * Below the threshold, for record-level evidence: a surname alone (0.3), glued kana (0.4), a
 * surname and given name with more kanji after them or one character each (0.45).
 *
 * Leaves out: names written in Latin letters other than Hepburn, foreign names without an
 * honorific, and given names alone outside a name column.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CONF_FULL_HONORIFIC 0.95 /* 山田太郎様 */
#define CONF_HONORIFIC      0.9  /* 山田様 */
#define CONF_RUN_HONORIFIC  0.8  /* 椥辻様: no dictionary, a run of kanji or kana */
#define CONF_FULL           0.75 /* 山田太郎 */
#define CONF_FULL_KANA      0.7  /* ヤマダ タロウ */
#define CONF_FULL_GLUED     0.4 /* ヤマダタロウ: as often a loanword (マン+ション, デン+ワ) */
#define CONF_ROMAJI         0.7  /* Taro Yamada */
#define CONF_FULL_WEAK      0.45 /* more kanji follows, or each part is one character */
#define CONF_SURNAME        0.3  /* a surname alone: the record must say more */
#define CONF_LABEL          0.8  /* 受付: 比嘉: a surname alone after a person label */
#define CONF_MID_RUN        0.75 /* an honorific name starting inside a run of kanji */
#define CONF_COLUMN         0.5  /* the whole field; score.c raises it */

/* Keys starting at one place: a name, its readings and the context words are few. */
#define MAX_MATCHES 16
/* Characters of an unknown name before an honorific (勘解由小路 is five). */
#define MAX_RUN_CHARS 6
/* Characters of a given name that no dictionary has, between a surname and an honorific. */
#define MAX_GIVEN_CHARS 4

enum script { SC_OTHER, SC_KANJI, SC_KATAKANA, SC_HIRAGANA, SC_UPPER, SC_LOWER, SC_SPACE };

static enum script script_of(uint32_t cp)
{
    if (cp == ' ')
        return SC_SPACE;
    if (cp >= 'A' && cp <= 'Z')
        return SC_UPPER;
    if (cp >= 'a' && cp <= 'z')
        return SC_LOWER;
    if ((cp >= 0x30A1 && cp <= 0x30FA) || cp == 0x30FC)
        return SC_KATAKANA; /* with ー */
    if (cp >= 0x3041 && cp <= 0x3096)
        return SC_HIRAGANA;
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005 ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF))
        return SC_KANJI; /* with 々 */
    return SC_OTHER;
}

static bool is_kana(enum script s)
{
    return s == SC_KATAKANA || s == SC_HIRAGANA;
}

/* The script of the character at s[i] (SC_OTHER at the end). */
static enum script script_at(const char *s, size_t n, size_t i, size_t *len)
{
    if (i >= n) {
        *len = 0;
        return SC_OTHER;
    }
    uint32_t cp;
    *len = pii_utf8_fast(s + i, n - i, &cp);
    return script_of(cp);
}

/* The script of the character that ends at s[i]. */
static enum script script_before(const char *s, size_t i)
{
    if (i == 0)
        return SC_OTHER;
    size_t k = i - 1;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    uint32_t cp;
    pii_utf8_fast(s + k, i - k, &cp);
    return script_of(cp);
}

/* Keys at one position, summarised. */
struct at {
    pii_trie_match m[MAX_MATCHES];
    size_t n;
};

static void lookup(const pii_unit *u, size_t pos, struct at *a)
{
    a->n = pos < u->len ? pii_trie_prefixes(u->text, u->len, pos, a->m, MAX_MATCHES) : 0;
}

/* The keys at the last few positions looked at: a surname's given name is looked up at the
 * place the scan reaches next, so each position would otherwise be walked twice. */
#define CACHE_SLOTS 4

struct cache {
    size_t pos[CACHE_SLOTS];
    struct at at[CACHE_SLOTS];
    unsigned used;
};

static const struct at *cached_lookup(const pii_unit *u, struct cache *c, size_t pos)
{
    unsigned n = c->used < CACHE_SLOTS ? c->used : CACHE_SLOTS;
    for (unsigned k = 0; k < n; k++) {
        if (c->pos[k] == pos)
            return &c->at[k];
    }
    unsigned slot = c->used++ % CACHE_SLOTS;
    c->pos[slot] = pos;
    lookup(u, pos, &c->at[slot]);
    return &c->at[slot];
}

/* The end of the longest key at a with one of `kinds`, or 0. */
static size_t longest(const struct at *a, unsigned kinds)
{
    for (size_t i = a->n; i > 0; i--) {
        if (a->m[i - 1].kinds & kinds)
            return a->m[i - 1].end;
    }
    return 0;
}

/* Like longest(), for the keys at pos. */
static size_t longest_at(const pii_unit *u, size_t pos, unsigned kinds)
{
    if (!pii_trie_may_start(u->text, u->len, pos, kinds))
        return 0;
    struct at a;
    lookup(u, pos, &a);
    return longest(&a, kinds);
}

/* Where an honorific after `end` ends (one space allowed before it), or 0. An honorific that
 * begins a longer word is not one (氏名). */
static size_t honorific_after(const pii_unit *u, size_t end)
{
    size_t at = end;
    if (at < u->len && u->text[at] == ' ')
        at++;
    if (!pii_trie_may_start(u->text, u->len, at, PII_LEX_HONORIFIC))
        return 0;
    struct at a;
    lookup(u, at, &a);
    size_t h = longest(&a, PII_LEX_HONORIFIC);
    if (h == 0 || longest(&a, PII_LEX_NOT_NAME | PII_LEX_NOT_NAME_AFTER) > h)
        return 0;
    /* After a space only 様, 殿 ... or san: a kana honorific there is a word of its own
     * (りんご サンふじ). Nor is one that a katakana word continues (熱さまシート). */
    size_t len;
    if (at > end && is_kana(script_at(u->text, u->len, at, &len)))
        return 0;
    if (script_at(u->text, u->len, h, &len) == SC_KATAKANA)
        return 0;
    return h;
}

/* Labels that introduce a person in logs and forms (受付: 比嘉, 担当者：大野): a surname
 * alone after one is a person, as after an honorific. Few and fixed, so kept here rather
 * than in the trie, whose kind bits are all taken. */
static const char *const person_labels[] = {
    "担当者", "担当", "受付者", "受付", "対応者", "記入者", "作成者", "差出人", "依頼者",
};

/* Whether a person label, then a colon and spaces or spaces alone, ends right before start. */
static bool label_before(const pii_unit *u, size_t start)
{
    size_t at = start;
    while (at > 0 && u->text[at - 1] == ' ')
        at--;
    if (at > 0 && u->text[at - 1] == ':') {
        at--;
        while (at > 0 && u->text[at - 1] == ' ')
            at--;
    } else if (at == start) {
        return false; /* 担当大野: glued, a word of its own (担当部署) */
    }
    for (size_t k = 0; k < sizeof person_labels / sizeof *person_labels; k++) {
        size_t n = strlen(person_labels[k]);
        if (at >= n && memcmp(u->text + at - n, person_labels[k], n) == 0)
            return true;
    }
    return false;
}

/* After a person label, a run of kanji that stands alone (受付: 躑躅森 -----) is the person
 * whatever the dictionary says, as before an honorific: returns its end, or 0. */
static size_t label_run(const pii_unit *u, size_t start)
{
    if (!label_before(u, start))
        return 0;
    size_t end = start;
    size_t chars = 0;
    size_t len;
    while (script_at(u->text, u->len, end, &len) == SC_KANJI && chars <= MAX_RUN_CHARS) {
        end += len;
        chars++;
    }
    if (chars == 0 || chars > MAX_RUN_CHARS)
        return 0;
    enum script next = script_at(u->text, u->len, end, &len);
    if (end < u->len && next != SC_SPACE && next != SC_OTHER)
        return 0;
    return end;
}

/* Ends of the keys that end a word which makes a following name unlikely (株式会社, 県):
 * remembered from earlier positions, since the scan goes forward. */
struct blockers {
    size_t end[16];
    size_t next; /* slots used, as a count that wraps over the oldest */
};

static bool is_blocked(const struct blockers *b, size_t pos)
{
    size_t used = b->next < 16 ? b->next : 16;
    for (size_t i = 0; i < used; i++) {
        if (b->end[i] == pos)
            return true;
    }
    return false;
}

static void block(struct blockers *b, size_t end)
{
    b->end[b->next % 16] = end;
    b->next++;
}

static size_t skip_space(const pii_unit *u, size_t pos)
{
    return pos < u->len && u->text[pos] == ' ' ? pos + 1 : pos;
}

/* A name found at one position. */
struct found {
    size_t end;
    double confidence;
    const char *detector;
};

/* A given name no dictionary has (陽翔, 蒼空) after a surname: up to MAX_GIVEN_CHARS characters
 * of the surname's script from g0, then an honorific. Returns the end of the name, or 0. */
static size_t unknown_given(const pii_unit *u, size_t g0, enum script sc)
{
    size_t at = g0;
    size_t len;
    for (size_t chars = 0; chars < MAX_GIVEN_CHARS; chars++) {
        if (script_at(u->text, u->len, at, &len) != sc)
            break;
        if (longest_at(u, at, PII_LEX_NOT_NAME_AFTER | PII_LEX_NOT_NAME | PII_LEX_HONORIFIC))
            break;
        at += len;
    }
    if (at == g0 || honorific_after(u, at) == 0)
        return 0;
    return at;
}

/* A surname at [start, s) that is not the beginning of a place or a word that contains it
 * (松本市, 森林), nor followed by a word that makes it a place, product or company (松本駅,
 * 山田錦, 山田商店): then, its given name, honorific and confidence. */
static bool try_dictionary(const pii_unit *u, struct cache *cache, size_t start, struct found *f)
{
    /* The surnames that start here, longest first: the look-ups below may reuse the slot. */
    const struct at *a = cached_lookup(u, cache, start);
    size_t place =
        longest(a, PII_LEX_PREFECTURE | PII_LEX_MUNICIPALITY | PII_LEX_COUNTY | PII_LEX_NOT_NAME);
    size_t surnames[MAX_MATCHES];
    size_t nsurnames = 0;
    for (size_t k = a->n; k > 0; k--) {
        if ((a->m[k - 1].kinds & PII_LEX_SURNAME) && place <= a->m[k - 1].end)
            surnames[nsurnames++] = a->m[k - 1].end;
    }
    size_t lead_len;
    enum script lead = script_at(u->text, u->len, start, &lead_len);
    bool is_found = false;
    for (size_t k = 0; k < nsurnames && !is_found; k++) {
        size_t s = surnames[k];
        size_t len;
        enum script last = script_before(u->text, s);
        /* A kana surname must start and end its kana run (サトウキビ, アサトウ), and be two
         * characters at least: one kana is a particle (の宛名, が様). */
        bool kana = is_kana(lead) || is_kana(last);
        if (kana && (script_before(u->text, start) == lead || s - start < 6))
            continue;

        /* The given name: longest, unless a word that is no name is as long (錦, 一本ねぎ). */
        size_t g0 = skip_space(u, s);
        bool spaced = g0 > s;
        const struct at *ga = cached_lookup(u, cache, g0);
        size_t g = 0;
        for (size_t j = ga->n; j > 0 && g == 0; j--) {
            const pii_trie_match *gm = &ga->m[j - 1];
            if (!(gm->kinds & PII_LEX_GIVEN))
                continue;
            if (longest(ga, PII_LEX_NOT_NAME_AFTER | PII_LEX_NOT_NAME | PII_LEX_MUNICIPALITY |
                                PII_LEX_PREFECTURE) >= gm->end)
                break;
            if (kana && script_at(u->text, u->len, gm->end, &len) == lead)
                continue; /* the kana run goes on */
            if (kana && script_at(u->text, u->len, g0, &len) != lead)
                continue; /* サンふじ: one name is written in one script */
            enum script gs = script_at(u->text, u->len, g0, &len);
            /* 六本木ハイツ, 池袋 サンシャイン: a loanword after a kanji word, unless an
             * honorific shows a katakana given name (徳永ユミ様). */
            if (!kana && gs == SC_KATAKANA && honorific_after(u, gm->end) == 0)
                continue;
            if (!kana && gs == SC_HIRAGANA &&
                script_at(u->text, u->len, gm->end, &len) == SC_HIRAGANA)
                continue; /* 堀 くいだおれ: the hiragana word goes on */
            if (kana && !spaced && lead == SC_HIRAGANA)
                continue; /* a hiragana sentence splits into names anywhere */
            if (longest_at(u, gm->end, PII_LEX_NOT_NAME_AFTER) != 0 &&
                honorific_after(u, gm->end) == 0)
                continue;
            if (!spaced && longest(ga, PII_LEX_HONORIFIC) >= gm->end)
                break; /* 山田さん: さん is read as a given name too */
            g = gm->end;
        }

        size_t unknown = unknown_given(u, g0, lead);
        if (unknown != 0 && unknown > g) {
            /* 原 陽葵 様: the honorific shows the given name goes on past the dictionary's. */
            f->end = unknown;
            f->confidence = CONF_FULL_HONORIFIC;
            f->detector = "name/honorific";
            is_found = true;
            break;
        }
        if (g != 0) {
            size_t h = honorific_after(u, g);
            f->end = g;
            f->detector = h ? "name/honorific" : "name/dict";
            if (h != 0)
                f->confidence = CONF_FULL_HONORIFIC;
            else if (kana && spaced)
                f->confidence = CONF_FULL_KANA;
            else if (kana) {
                f->confidence = CONF_FULL_GLUED;
                f->detector = PII_EVIDENCE_KANA_ALONE;
            } else if (!spaced && script_at(u->text, u->len, g0, &len) == SC_HIRAGANA)
                f->confidence = CONF_FULL_WEAK; /* 秋田こまち: a kanji word and a kana one */
            else if (script_at(u->text, u->len, g, &len) == SC_KANJI ||
                     (s - start <= 3 && g - g0 <= 3))
                f->confidence = CONF_FULL_WEAK;
            else
                f->confidence = CONF_FULL;
            is_found = true;
            break;
        }
        if (kana && script_at(u->text, u->len, s, &len) == lead)
            continue;
        if (longest_at(u, s, PII_LEX_NOT_NAME_AFTER) != 0)
            continue;
        size_t h = honorific_after(u, s);
        f->end = s;
        f->confidence = h ? CONF_HONORIFIC : CONF_SURNAME;
        f->detector = h ? "name/honorific" : kana ? PII_EVIDENCE_KANA_ALONE : "name/dict";
        if (h == 0 && label_before(u, start)) {
            f->confidence = CONF_LABEL;
            f->detector = "name/label";
        }
        is_found = true;
    }
    return is_found;
}

/* A name that no dictionary has, carried by the honorific after it: a run of up to
 * MAX_RUN_CHARS kanji or katakana from a word boundary, with no word in it that makes it a
 * company or place (山田商店様). */
static bool try_run(const pii_unit *u, size_t start, bool is_word_start, struct found *f)
{
    size_t len;
    enum script sc = script_at(u->text, u->len, start, &len);
    if (sc != SC_KANJI && sc != SC_KATAKANA)
        return false;
    if (!is_word_start && script_before(u->text, start) == sc)
        return false;
    if (start > 0 && u->text[start - 1] >= '0' && u->text[start - 1] <= '9')
        return false; /* 8日, 3階: a counter after a number */
    if (longest_at(u, start,
                   PII_LEX_NOT_NAME | PII_LEX_PREFECTURE | PII_LEX_MUNICIPALITY |
                       PII_LEX_NOT_NAME_BEFORE) != 0)
        return false;
    size_t at = start;
    bool is_spaced = false;
    for (size_t chars = 0; chars < MAX_RUN_CHARS; chars++) {
        /* One character and an honorific is a word more often than a name (拝殿, 宮殿). */
        if (chars > 1) {
            size_t h = honorific_after(u, at);
            if (h != 0) {
                f->end = at;
                f->confidence = CONF_RUN_HONORIFIC;
                f->detector = "name/honorific";
                return true;
            }
            /* One space between surname and given name (椥辻 鉄夫 様). */
            if (!is_spaced && chars >= 2 && at + 1 < u->len && u->text[at] == ' ' &&
                script_at(u->text, u->len, at + 1, &len) == sc) {
                is_spaced = true;
                at++;
            }
        }
        if (script_at(u->text, u->len, at, &len) != sc)
            return false;
        if (chars > 0 && longest_at(u, at, PII_LEX_NOT_NAME_AFTER | PII_LEX_NOT_NAME) != 0)
            return false;
        at += len;
    }
    return false;
}

/* A Latin word at pos: [pos, *end), capitalised (Yamada, YAMADA). */
static bool capitalised_word(const pii_unit *u, size_t pos, size_t *end)
{
    const char *s = u->text;
    if (pos >= u->len || !(s[pos] >= 'A' && s[pos] <= 'Z'))
        return false;
    size_t e = pos + 1;
    size_t upper = 1;
    while (e < u->len && ((s[e] >= 'a' && s[e] <= 'z') || (s[e] >= 'A' && s[e] <= 'Z'))) {
        upper += s[e] >= 'A' && s[e] <= 'Z';
        e++;
    }
    if (e - pos < 2 || (upper != 1 && upper != e - pos))
        return false;
    if (e < u->len && ((unsigned char)s[e] >= 0x80 || (s[e] >= '0' && s[e] <= '9')))
        return false;
    *end = e;
    return true;
}

static unsigned romaji_kinds(const pii_unit *u, size_t start, size_t end)
{
    uint32_t node = pii_trie_find(u->text + start, end - start);
    if (node == 0)
        return 0;
    unsigned k = pii_trie_nodes[node].kinds;
    return (k & PII_LEX_READING) ? k & (PII_LEX_SURNAME | PII_LEX_GIVEN) : 0;
}

/* Two capitalised words that are a surname and a given name in romaji, either order. */
static bool try_romaji(const pii_unit *u, size_t start, struct found *f)
{
    size_t e1;
    if (!capitalised_word(u, start, &e1))
        return false;
    unsigned k1 = romaji_kinds(u, start, e1);
    if (k1 == 0)
        return false;
    size_t s2 = e1;
    if (s2 < u->len && u->text[s2] == ',')
        s2++;
    if (s2 >= u->len || u->text[s2] != ' ')
        return false;
    s2++;
    size_t e2;
    if (!capitalised_word(u, s2, &e2))
        return false;
    unsigned k2 = romaji_kinds(u, s2, e2);
    if (!((k1 & PII_LEX_SURNAME) && (k2 & PII_LEX_GIVEN)) &&
        !((k1 & PII_LEX_GIVEN) && (k2 & PII_LEX_SURNAME)))
        return false;
    size_t h = honorific_after(u, e2);
    if (h == 0 && e2 < u->len && u->text[e2] == '-')
        h = honorific_after(u, e2 + 1);
    f->end = e2;
    f->confidence = h ? CONF_FULL_HONORIFIC : CONF_ROMAJI;
    f->detector = h ? "name/honorific" : "name/dict";
    return true;
}

/* [*start, *end) without surrounding spaces and a trailing honorific. */
static void trim_field(const pii_unit *u, size_t *start, size_t *end)
{
    size_t s = 0;
    size_t e = u->len;
    while (s < e && pii_is_blank(u->text[s]))
        s++;
    while (e > s && pii_is_blank(u->text[e - 1]))
        e--;
    /* An honorific at the very end: find one that starts after s and ends at e. */
    for (size_t k = e; k > s + 1;) {
        k--;
        if (((unsigned char)u->text[k] & 0xC0) == 0x80)
            continue;
        if (e - k > 12)
            break;
        if (!pii_trie_may_start(u->text, u->len, k, PII_LEX_HONORIFIC))
            continue;
        struct at a;
        lookup(u, k, &a);
        for (size_t i = 0; i < a.n; i++) {
            if ((a.m[i].kinds & PII_LEX_HONORIFIC) && a.m[i].end == e) {
                e = k;
                while (e > s && u->text[e - 1] == ' ')
                    e--;
                *start = s;
                *end = e;
                return;
            }
        }
    }
    *start = s;
    *end = e;
}

/* The end of a company form (株式会社, ㈱, 一般社団法人, カブシキガイシャ: a not-name-before
 * word of two characters or more, or a one-character ㈱ ㈲) that starts at pos, or 0. The
 * one-character words of that kind (県, 市, 町, 駅) block only the name right after them. */
static size_t company_at(const pii_unit *u, size_t pos)
{
    pii_trie_match m[MAX_MATCHES];
    size_t n = pii_trie_prefixes(u->text, u->len, pos, m, MAX_MATCHES);
    size_t end = 0;
    for (size_t k = 0; k < n; k++) {
        if (!(m[k].kinds & PII_LEX_NOT_NAME_BEFORE) || m[k].end <= end)
            continue;
        size_t chars = 0;
        for (size_t b = pos; b < m[k].end; b++)
            chars += ((unsigned char)u->text[b] & 0xC0) != 0x80;
        bool is_mark = m[k].end - pos == 3 && (unsigned char)u->text[pos] == 0xE3 &&
                       (unsigned char)u->text[pos + 1] == 0x88 &&
                       ((unsigned char)u->text[pos + 2] == 0xB1 ||
                        (unsigned char)u->text[pos + 2] == 0xB2); /* ㈱ ㈲ */
        if (chars >= 2 || is_mark)
            end = m[k].end;
    }
    return end;
}

/* Whether text s..e holds a company form anywhere: such a value in a name column (the
 * sender's company on a shipping label) is no person's name. */
static bool has_company(const pii_unit *u, size_t s, size_t e)
{
    for (size_t k = s; k < e; k++) {
        if (((unsigned char)u->text[k] & 0xC0) == 0x80)
            continue;
        if (pii_trie_may_start(u->text, e, k, PII_LEX_NOT_NAME_BEFORE) && company_at(u, k) != 0)
            return true;
    }
    return false;
}

static int name_compile(void **state, piiscan_error *err)
{
    (void)err;
    *state = NULL;
    return PIISCAN_OK;
}

static void name_free(void *state)
{
    (void)state;
}

static int name_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                     pii_candidates *out)
{
    (void)state;
    (void)md;
    if (u->column == PII_COL_NAME || u->column == PII_COL_NAME_KANA) {
        size_t s;
        size_t e;
        trim_field(u, &s, &e);
        /* An e-mail address or a phone number in a name column (a workbook's creator, a
         * contact column) is that, not a name: its own detector reports it. */
        size_t digits = 0;
        for (size_t k = s; k < e; k++)
            digits += u->text[k] >= '0' && u->text[k] <= '9';
        bool is_other = memchr(u->text + s, '@', e - s) != NULL || digits >= 7;
        if (e > s && !is_other && pii_utf8_has_letter(u->text + s, e - s) &&
            !pii_trie_is_redacted(u->text, s, e) && !pii_utf8_has_mask_run(u->text + s, e - s) &&
            !has_company(u, s, e))
            return pii_candidates_push(out, PIISCAN_TYPE_NAME, s, e, CONF_COLUMN, "name/column");
        return PIISCAN_OK;
    }

    struct blockers blocked = {0}; /* ends of 株式会社, 県 ...: no name right after */
    struct blockers known = {0};   /* ends of words that are no names: 本日, 森林 */
    size_t inside_word_until = 0;  /* positions inside a not-name word, up to here */
    struct cache cache;
    cache.used = 0;
    size_t i = 0;
    while (i < u->len) {
        unsigned char c = (unsigned char)u->text[i];
        if (c < 0x80 && !(c >= 'A' && c <= 'Z')) {
            i++;
            continue;
        }
        struct found f = {0};
        bool is_found = false;
        bool is_run = false; /* a run may hold a dictionary name further on: 本日山田様 */
        if (c < 0x80) {
            is_found =
                (i == 0 || !((u->text[i - 1] | 0x20) >= 'a' && (u->text[i - 1] | 0x20) <= 'z')) &&
                try_romaji(u, i, &f);
        } else {
            /* Inside a run of kana no name starts (a kana name fills its run), and a
             * sentence is mostly such runs: skip them without a look-up. */
            size_t len0;
            enum script sc = script_at(u->text, u->len, i, &len0);
            if (is_kana(sc) && script_before(u->text, i) == sc) {
                i += len0;
                continue;
            }
            const struct at *a = cached_lookup(u, &cache, i);
            size_t before = longest(a, PII_LEX_NOT_NAME_BEFORE | PII_LEX_PREFECTURE |
                                           PII_LEX_MUNICIPALITY | PII_LEX_COUNTY);
            size_t word = longest(a, PII_LEX_NOT_NAME | PII_LEX_PREFECTURE | PII_LEX_MUNICIPALITY |
                                         PII_LEX_COUNTY);
            /* A kana honorific right after a word (岳さん) is that word's, never the start of
             * a kana name (さん read as a surname). */
            enum script prev = script_before(u->text, i);
            bool is_honorific = is_kana(sc) && (prev == SC_KANJI || prev == SC_KATAKANA) &&
                                longest(a, PII_LEX_HONORIFIC) != 0;
            if (!is_blocked(&blocked, i) && i >= inside_word_until && !is_honorific) {
                is_found = try_dictionary(u, &cache, i, &f);
                /* A surname that starts inside a run of kanji whose beginning no word
                 * explains (椥辻様 is no 辻様) yields to the run with its honorific. */
                if (is_found && f.confidence > CONF_RUN_HONORIFIC &&
                    script_before(u->text, i) == SC_KANJI && !is_blocked(&known, i))
                    f.confidence = CONF_MID_RUN;
                /* Without an honorific, a name inside a run of kanji that no word explains
                 * (門金時 in 鳴門金時) is as likely the tail of another word: weak. */
                if (is_found && f.confidence > CONF_FULL_WEAK &&
                    strcmp(f.detector, "name/dict") == 0 && script_before(u->text, i) == SC_KANJI &&
                    !is_blocked(&known, i))
                    f.confidence = CONF_FULL_WEAK;
                /* A dictionary name longer than the run (山田 太郎) keeps its own span. */
                bool is_strong =
                    is_found && f.confidence >= CONF_LABEL && strcmp(f.detector, "name/label") != 0;
                size_t labelled = is_strong ? 0 : label_run(u, i);
                if (labelled != 0 && (!is_found || f.end <= labelled)) {
                    f = (struct found){
                        .end = labelled, .confidence = CONF_LABEL, .detector = "name/label"};
                    is_found = true;
                }
                struct found r;
                if ((!is_found || f.confidence < CONF_RUN_HONORIFIC) &&
                    try_run(u, i, is_blocked(&known, i), &r)) {
                    f = r;
                    is_found = true;
                    is_run = true;
                }
            }
            if (before != 0)
                block(&blocked, before);
            /* After a company form, the run of kanji is the company's name (株式会社伊藤園芸様):
             * no name starts inside the form or that run. */
            size_t company = before != 0 ? company_at(u, i) : 0;
            if (company != 0) {
                size_t clen;
                while (script_at(u->text, u->len, company, &clen) == SC_KANJI)
                    company += clen;
                if (company > inside_word_until)
                    inside_word_until = company;
            }
            if (word != 0) {
                block(&known, word);
                /* No name starts inside 本日 or 森林. */
                if (word > inside_word_until)
                    inside_word_until = word;
            }
        }
        /* お孫さん, ご主人様, お客様: after the polite prefix お or ご, kanji before an
         * honorific are a kin or role word, not a name. */
        if (is_found && i >= 3 && c >= 0x80 &&
            (memcmp(u->text + i - 3, "お", 3) == 0 || memcmp(u->text + i - 3, "ご", 3) == 0)) {
            size_t clen;
            if (script_at(u->text, u->len, i, &clen) == SC_KANJI)
                is_found = false;
        }
        /* A town and its block number (野田1-2-3) is an address, not a name. */
        if (is_found && f.end < u->len &&
            ((u->text[f.end] >= '0' && u->text[f.end] <= '9') || u->text[f.end] == '-'))
            is_found = false;
        if (is_found) {
            int rc =
                pii_candidates_push(out, PIISCAN_TYPE_NAME, i, f.end, f.confidence, f.detector);
            if (rc != PIISCAN_OK)
                return rc;
            if (!is_run && f.confidence > CONF_FULL_WEAK) {
                i = f.end;
                continue;
            }
        }
        size_t len = 1;
        if (c >= 0x80) {
            uint32_t cp;
            len = pii_utf8_fast(u->text + i, u->len - i, &cp);
        }
        i += len;
    }
    return PIISCAN_OK;
}

const struct pii_detector pii_detector_name = {
    .name = "name",
    .type = PIISCAN_TYPE_NAME,
    .needs_digit_or_at = false,
    .max_confidence = CONF_FULL_HONORIFIC, /* the highest of the CONF_ above */
    .compile = name_compile,
    .free = name_free,
    .scan = name_scan,
};
