/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_trie.c - the compiled dictionary round-trips: every entry of every source table in
 * dict/ is found by the trie with its kind and reading, and the walk folds text the way the
 * keys were folded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

TestSuite(trie);

/* The folding dict/trie_keys.sh applies to keys: hiragana -> katakana, full-width ASCII ->
 * ASCII, ASCII upper -> lower case. Written here independently of trie.c. */
static void fold(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    size_t n = strlen(in);
    for (size_t i = 0; i < n && o + 4 < cap;) {
        uint32_t cp;
        i += pii_utf8_get(in + i, n - i, &cp);
        if (cp >= 0x3041 && cp <= 0x3096)
            cp += 0x60;
        else if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        o += pii_utf8_put(cp, out + o);
    }
    out[o] = '\0';
}

static bool list_has(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p != NULL && *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, item, n) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

static unsigned kinds_of(const char *key)
{
    uint32_t node = pii_trie_find(key, strlen(key));
    return node ? pii_trie_nodes[node].kinds & PII_LEX_KIND_MASK : 0;
}

static FILE *open_dict(const char *name)
{
    char path[4096];
    const char *src = getenv("PIISCAN_SRCDIR");
    snprintf(path, sizeof path, "%s/dict/%s", src ? src : ".", name);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "open %s (PIISCAN_SRCDIR is the source tree)", path);
    return f;
}

/* Splits line at tabs into at most max fields; returns how many. */
static size_t split(char *line, char **f, size_t max)
{
    line[strcspn(line, "\r\n")] = '\0';
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        p = strchr(p, '\t');
        if (p == NULL)
            break;
        *p++ = '\0';
    }
    return n;
}

static void check_person_table(const char *name)
{
    FILE *fp = open_dict(name);
    char line[1024];
    size_t checked = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[4];
        cr_assert_eq(split(line, f, 4), 4, "%s: four columns", name);
        unsigned kind = strcmp(f[0], "sei") == 0 ? PII_LEX_SURNAME : PII_LEX_GIVEN;
        char surface[512];
        char reading[512];
        fold(f[1], surface, sizeof surface);
        fold(f[2], reading, sizeof reading);
        uint32_t node = pii_trie_find(surface, strlen(surface));
        cr_assert_neq(node, 0, "%s: %s %s is a key", name, f[0], f[1]);
        cr_assert(pii_trie_nodes[node].kinds & kind, "%s: %s is a %s", name, f[1], f[0]);
        if (strcmp(reading, "*") != 0) {
            cr_assert(list_has(pii_trie_reading(node), reading), "%s: %s is read %s, got %s", name,
                      f[1], reading, pii_trie_reading(node));
            cr_assert(kinds_of(reading) & kind, "%s: the reading %s of %s is a key", name, reading,
                      f[1]);
        }
        checked++;
    }
    fclose(fp);
    cr_assert_gt(checked, 30000, "%s: a full table was read (%zu entries)", name, checked);
}

Test(trie, every_naist_name_is_found_with_its_kind_and_reading)
{
    check_person_table("person_naist.tsv");
}

Test(trie, every_unidic_name_is_found_with_its_kind_and_reading)
{
    check_person_table("person_unidic.tsv");
}

Test(trie, every_prefecture_and_municipality_is_found)
{
    FILE *fp = open_dict("prefecture.tsv");
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[3];
        cr_assert_eq(split(line, f, 3), 3, "prefecture.tsv: three columns");
        cr_assert(kinds_of(f[1]) & PII_LEX_PREFECTURE, "%s is a prefecture", f[1]);
        n++;
    }
    fclose(fp);
    cr_expect_eq(n, 47, "47 prefectures");

    fp = open_dict("municipality.tsv");
    n = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[4];
        cr_assert_eq(split(line, f, 4), 4, "municipality.tsv: four columns");
        cr_assert(kinds_of(f[2]) & PII_LEX_MUNICIPALITY, "%s is a municipality", f[2]);
        const char *gun = strstr(f[2], "郡");
        if (gun != NULL && gun[3] != '\0') {
            char county[256];
            snprintf(county, sizeof county, "%.*s", (int)(gun + 3 - f[2]), f[2]);
            cr_assert(kinds_of(county) & PII_LEX_COUNTY, "%s is a county", county);
            cr_assert(kinds_of(gun + 3) & PII_LEX_MUNICIPALITY, "%s alone is a municipality",
                      gun + 3);
        }
        n++;
    }
    fclose(fp);
    cr_expect_gt(n, 1800, "every municipality was read");
}

Test(trie, every_residential_town_name_is_found)
{
    FILE *fp = open_dict("postal_all.tsv");
    char line[2048];
    size_t n = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        char *f[9];
        cr_assert_eq(split(line, f, 9), 9, "postal_all.tsv: nine columns");
        if (f[5][0] != '\0')
            continue; /* a business code names an office */
        char *paren = strstr(f[3], "（");
        if (paren != NULL)
            *paren = '\0';
        if (strstr(f[3], "場合") || strstr(f[3], "以下に掲載"))
            continue;
        size_t len = strlen(f[3]);
        if (len >= 6 && strcmp(f[3] + len - 6, "一円") == 0)
            continue;
        char town[1024];
        fold(f[3], town, sizeof town);
        if (strlen(town) < 6 || strpbrk(town, "0123456789abcdefghijklmnopqrstuvwxyz"))
            continue;
        cr_assert(kinds_of(town) & PII_LEX_TOWN, "%s is a town", f[3]);
        n++;
    }
    fclose(fp);
    cr_expect_gt(n, 100000, "the residential lines were read (%zu)", n);
}

static void check_context_table(const char *name)
{
    static const struct {
        const char *kind;
        unsigned bit;
    } kinds[] = {
        {"honorific", PII_LEX_HONORIFIC},
        {"not_name_after", PII_LEX_NOT_NAME_AFTER},
        {"not_name_before", PII_LEX_NOT_NAME_BEFORE},
        {"not_name", PII_LEX_NOT_NAME},
        {"not_address_after", PII_LEX_NOT_ADDRESS_AFTER},
        {"building", PII_LEX_BUILDING},
    };
    FILE *fp = open_dict(name);
    char line[1024];
    size_t n = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *f[2];
        cr_assert_eq(split(line, f, 2), 2, "%s: two columns", name);
        unsigned bit = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            if (strcmp(kinds[k].kind, f[0]) == 0)
                bit = kinds[k].bit;
        }
        cr_assert_neq(bit, 0, "%s: known kind %s", name, f[0]);
        cr_assert(kinds_of(f[1]) & bit, "%s: %s is a %s word", name, f[1], f[0]);
        n++;
    }
    fclose(fp);
    cr_expect_gt(n, 10, "%s was read", name);
}

Test(trie, every_context_word_is_found_with_its_kind)
{
    check_context_table("name_context.tsv");
    check_context_table("address_context.tsv");
}

Test(trie, romanised_readings_are_keys_in_every_hepburn_spelling)
{
    const char *surnames[] = {"yamada", "sato", "satou", "satoh",  "ito",
                              "itoh",   "ohno", "ono",   "suzuki", "takahashi"};
    for (size_t i = 0; i < sizeof surnames / sizeof surnames[0]; i++) {
        unsigned k = kinds_of(surnames[i]);
        cr_expect((k & PII_LEX_SURNAME) && (k & PII_LEX_READING), "%s is a surname's reading",
                  surnames[i]);
    }
    const char *given[] = {"taro", "tarou", "ichiro", "hanako", "shota"};
    for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
        cr_expect(kinds_of(given[i]) & PII_LEX_GIVEN, "%s is a given name's reading", given[i]);
    cr_expect(kinds_of("YAMADA") & PII_LEX_SURNAME, "capitals fold to the same key");
}

Test(trie, prefixes_lists_every_key_starting_here_shortest_first)
{
    const char *text = "山田太郎";
    pii_trie_match m[16];
    size_t n = pii_trie_prefixes(text, strlen(text), 0, m, 16);
    cr_assert_geq(n, 1, "山田 starts 山田太郎");
    bool has_yamada = false;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            cr_expect_gt(m[i].end, m[i - 1].end, "ends ascend");
        if (m[i].end == strlen("山田"))
            has_yamada = (m[i].kinds & PII_LEX_SURNAME) != 0;
    }
    cr_expect(has_yamada, "山田 is found as a surname at 0");
    n = pii_trie_prefixes(text, strlen(text), strlen("山田"), m, 16);
    bool has_taro = false;
    for (size_t i = 0; i < n; i++)
        has_taro = has_taro || (m[i].end == strlen(text) && (m[i].kinds & PII_LEX_GIVEN));
    cr_expect(has_taro, "太郎 is found as a given name at 6");
}

Test(trie, hiragana_text_matches_katakana_keys)
{
    const char *text = "やまだ";
    pii_trie_match m[16];
    size_t n = pii_trie_prefixes(text, strlen(text), 0, m, 16);
    cr_assert_geq(n, 1, "やまだ is found");
    cr_expect(m[n - 1].end == strlen(text) && (m[n - 1].kinds & PII_LEX_SURNAME),
              "やまだ is the reading ヤマダ of a surname");
}

Test(trie, text_that_is_no_key_finds_nothing)
{
    const char *texts[] = {"xqzv", "。", "12345", "\xE2\x98\x83"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        pii_trie_match m[4];
        cr_expect_eq(pii_trie_prefixes(texts[i], strlen(texts[i]), 0, m, 4), 0,
                     "\"%s\" starts no key", texts[i]);
        cr_expect_eq(pii_trie_find(texts[i], strlen(texts[i])), 0, "\"%s\" is no key", texts[i]);
    }
}

Test(trie, commonest_surnames_carry_the_top_tier)
{
    const char *top[] = {"佐藤", "鈴木", "高橋", "田中"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
        uint32_t node = pii_trie_find(top[i], strlen(top[i]));
        cr_assert_neq(node, 0, "%s is a key", top[i]);
        cr_expect_eq(PII_LEX_TIER(pii_trie_nodes[node].kinds), 3, "%s is among the 100 commonest",
                     top[i]);
    }
}
