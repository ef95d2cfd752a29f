/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trie.c - look-ups in the compiled dictionary (dict_trie.c, made by dict/trie_gen from the
 * tables of dict/): person names with their readings and romanisations, prefectures,
 * municipalities, town names and the context words of names and addresses, in one trie.
 *
 * A detector asks, at a character of its unit, for every key that starts there; one walk down
 * the trie answers for all the dictionaries at once. The text is folded as it is walked
 * (hiragana as katakana, ASCII letters in lower case), so that the keys need one spelling.
 * The tables are const data in the library: nothing is built or loaded at run time.
 *
 * Also here, shared by the two dictionary detectors: whether a name or address column's value
 * is already redacted (a mask or a token), which must not be reported again.
 */
#include <string.h>

#include "internal.h"

/* The child of `node` labelled `unit`, or 0 (the root is never a child). The root's children
 * are nodes 1.. in label order, found through a direct table. */
static uint32_t child(uint32_t node, uint16_t unit)
{
    if (node == 0)
        return pii_trie_root[unit];
    uint32_t lo = pii_trie_nodes[node].first;
    uint32_t hi = lo + pii_trie_nodes[node].count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint16_t l = pii_trie_label[mid];
        if (l == unit)
            return mid;
        if (l < unit)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* One step down for code point cp, folded the way dict/trie_keys.sh folds keys. */
static uint32_t step(uint32_t node, uint32_t cp)
{
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    else if (cp >= 0x3041 && cp <= 0x3096)
        cp += 0x60; /* hiragana -> katakana */
    if (cp > 0xFFFF) {
        cp -= 0x10000;
        node = child(node, (uint16_t)(0xD800 + (cp >> 10)));
        if (node == 0)
            return 0;
        return child(node, (uint16_t)(0xDC00 + (cp & 0x3FF)));
    }
    return child(node, (uint16_t)cp);
}

size_t pii_trie_prefixes(const char *s, size_t n, size_t pos, pii_trie_match *out, size_t max)
{
    size_t found = 0;
    uint32_t node = 0;
    size_t i = pos;
    while (i < n && found < max) {
        uint32_t cp;
        i += pii_utf8_fast(s + i, n - i, &cp);
        node = step(node, cp);
        if (node == 0)
            break;
        if (pii_trie_nodes[node].kinds != 0) {
            out[found++] = (pii_trie_match){
                .end = (uint32_t)i,
                .node = node,
                .kinds = pii_trie_nodes[node].kinds,
            };
        }
        if (pii_trie_nodes[node].count == 0)
            break;
    }
    return found;
}

bool pii_trie_may_start(const char *s, size_t n, size_t pos, unsigned kinds)
{
    if (pos >= n)
        return false;
    uint32_t cp;
    pii_utf8_fast(s + pos, n - pos, &cp);
    if (cp >= 'A' && cp <= 'Z')
        cp += 'a' - 'A';
    else if (cp >= 0x3041 && cp <= 0x3096)
        cp += 0x60;
    if (cp > 0xFFFF)
        cp = 0xD800 + ((cp - 0x10000) >> 10);
    return (pii_trie_root_kinds[cp] & kinds) != 0;
}

uint32_t pii_trie_find(const char *s, size_t n)
{
    uint32_t node = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        i += pii_utf8_fast(s + i, n - i, &cp);
        node = step(node, cp);
        if (node == 0)
            return 0;
    }
    return pii_trie_nodes[node].kinds != 0 ? node : 0;
}

const char *pii_trie_reading(uint32_t node)
{
    size_t lo = 0;
    size_t hi = pii_trie_reading_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pii_trie_reading_node[mid] == node)
            return pii_trie_readings + pii_trie_reading_at[mid];
        if (pii_trie_reading_node[mid] < node)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

bool pii_trie_is_redacted(const char *s, size_t start, size_t end)
{
    if (memchr(s + start, '*', end - start) != NULL)
        return true;
    /* A redactor writes a value's line ends and quotes after its token, spaced as they were;
     * quotes kept in a field (an escaped "") may stand before it. */
    while (end > start &&
           (s[end - 1] == '"' || s[end - 1] == '\r' || s[end - 1] == '\n' || s[end - 1] == ' '))
        end--;
    while (start < end && (s[start] == '"' || s[start] == ' '))
        start++;
    /* A token: an upper-case tag, '_', then 16 letters of the token alphabet. */
    size_t tag = start;
    while (tag < end && s[tag] >= 'A' && s[tag] <= 'Z')
        tag++;
    if (tag == start || tag >= end || s[tag] != '_' || end - tag - 1 != 16)
        return false;
    for (size_t k = tag + 1; k < end; k++) {
        if (s[k] == '\0' || strchr("bdfghjklmnpqrstw", s[k]) == NULL)
            return false;
    }
    return true;
}
