/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_text.c - the growable UTF-8 buffer and its offset map: appending, consuming a prefix
 * with the map rebased, and strict UTF-8 encoding and decoding of single characters.
 */
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "internal.h"

/* map[i] of t as an absolute offset. */
static uint64_t at(const pii_text *t, size_t i)
{
    return t->base + t->map[i];
}

Test(text, append_maps_each_byte_to_its_source_and_sets_the_end)
{
    pii_text t = {0};
    cr_assert_eq(pii_text_append(&t, "a", 1, 0, 1), PIISCAN_OK);
    cr_assert_eq(pii_text_append(&t, "\xE5\xB1\xB1", 3, 1, 3), PIISCAN_OK); /* 山 from 2 bytes */
    cr_assert_eq(pii_text_append(&t, "b", 1, 3, 4), PIISCAN_OK);
    cr_assert_eq(t.len, 5);
    cr_assert_eq(memcmp(t.data,
                        "a\xE5\xB1\xB1"
                        "b",
                        5),
                 0, "bytes appended in order");
    static const uint32_t want[] = {0, 1, 1, 1, 3, 4};
    for (size_t i = 0; i <= t.len; i++)
        cr_expect_eq(t.map[i], want[i], "map[%zu] is %u (all bytes of 山 map to its start)", i,
                     want[i]);
    pii_text_free(&t);
}

Test(text, empty_append_still_records_the_end_offset)
{
    pii_text t = {0};
    cr_assert_eq(pii_text_append(&t, NULL, 0, 7, 7), PIISCAN_OK);
    cr_assert_eq(t.len, 0);
    cr_assert_not_null(t.map, "map[0] exists after an empty append");
    cr_assert_eq(t.map[0], 7, "map[len] is the end offset even when nothing was appended");
    pii_text_free(&t);
}

Test(text, growth_is_geometric_so_capacity_stays_within_twice_the_length)
{
    pii_text t = {0};
    size_t reallocations = 0;
    size_t last_cap = 0;
    for (uint32_t i = 0; i < 100000; i++) {
        cr_assert_eq(pii_text_append(&t, "x", 1, i, i + 1), PIISCAN_OK);
        if (t.cap != last_cap) {
            reallocations++;
            last_cap = t.cap;
        }
    }
    cr_expect_leq(reallocations, 12, "100000 one-byte appends need only ~log2 growths, got %zu",
                  reallocations);
    cr_expect_lt(t.cap, 2 * t.len + 256, "capacity %zu is at most about twice the length", t.cap);
    cr_expect_eq(t.map[t.len], 100000);
    pii_text_free(&t);
}

Test(text, consume_drops_a_prefix_and_keeps_absolute_offsets)
{
    pii_text t = {0};
    t.base = 1000;
    /* "ab山c" decoded from CP932 at original offsets 1000.. : a b 山(2 bytes) c */
    cr_assert_eq(pii_text_append(&t, "a", 1, 0, 1), PIISCAN_OK);
    cr_assert_eq(pii_text_append(&t, "b", 1, 1, 2), PIISCAN_OK);
    cr_assert_eq(pii_text_append(&t, "\xE5\xB1\xB1", 3, 2, 4), PIISCAN_OK);
    cr_assert_eq(pii_text_append(&t, "c", 1, 4, 5), PIISCAN_OK);
    uint64_t before[7];
    for (size_t i = 0; i <= t.len; i++)
        before[i] = at(&t, i);
    pii_text_consume(&t, 2);
    cr_assert_eq(t.base, 1002, "base moves to the original offset of the first kept byte");
    cr_assert_eq(t.len, 4);
    cr_assert_eq(memcmp(t.data,
                        "\xE5\xB1\xB1"
                        "c",
                        4),
                 0);
    cr_expect_eq(t.map[0], 0, "the new first byte is at offset 0 of the new base");
    for (size_t i = 0; i <= t.len; i++)
        cr_expect_eq(at(&t, i), before[i + 2], "byte %zu keeps its original offset %llu", i,
                     (unsigned long long)before[i + 2]);
    pii_text_free(&t);
}

Test(text, consuming_everything_leaves_the_end_at_offset_zero_of_the_new_base)
{
    pii_text t = {0};
    cr_assert_eq(pii_text_append(&t, "abc", 3, 0, 0), PIISCAN_OK);
    t.map[1] = 1;
    t.map[2] = 2;
    t.map[3] = 5; /* a 3-byte character carried after the text ends at 5 */
    pii_text_consume(&t, 3);
    cr_assert_eq(t.len, 0);
    cr_assert_eq(t.base, 5, "base is the end of what was consumed");
    cr_assert_eq(t.map[0], 0, "map[len] stays relative to the new base");
    pii_text_free(&t);
}

Test(text, clear_keeps_memory_and_resets_the_end)
{
    pii_text t = {0};
    cr_assert_eq(pii_text_append(&t, "hello", 5, 3, 8), PIISCAN_OK);
    char *data = t.data;
    pii_text_clear(&t);
    cr_assert_eq(t.len, 0);
    cr_assert_eq(t.data, data, "the buffer is kept for reuse");
    cr_assert_eq(t.map[0], 0, "map[0] of an empty text is 0");
    pii_text_free(&t);
    cr_assert_null(t.data, "free leaves the text empty and reusable");
    pii_text_free(&t);
}

struct utf8_case {
    uint32_t cp;
    size_t len;
    unsigned char bytes[4];
};

ParameterizedTestParameters(text, utf8_put_and_get_agree_at_every_length_boundary)
{
    static struct utf8_case cases[] = {
        {0x00, 1, {0x00}},
        {0x7F, 1, {0x7F}},
        {0x80, 2, {0xC2, 0x80}},
        {0x7FF, 2, {0xDF, 0xBF}},
        {0x800, 3, {0xE0, 0xA0, 0x80}},
        {0x5C71, 3, {0xE5, 0xB1, 0xB1}}, /* 山 */
        {0xFFFD, 3, {0xEF, 0xBF, 0xBD}},
        {0xFFFF, 3, {0xEF, 0xBF, 0xBF}},
        {0x10000, 4, {0xF0, 0x90, 0x80, 0x80}},
        {0x20B9F, 4, {0xF0, 0xA0, 0xAE, 0x9F}}, /* 𠮟, outside the BMP */
        {0x10FFFF, 4, {0xF4, 0x8F, 0xBF, 0xBF}},
    };
    return cr_make_param_array(struct utf8_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct utf8_case *c, text, utf8_put_and_get_agree_at_every_length_boundary)
{
    char buf[4];
    size_t n = pii_utf8_put(c->cp, buf);
    cr_assert_eq(n, c->len, "U+%04X takes %zu bytes", c->cp, c->len);
    cr_assert_eq(memcmp(buf, c->bytes, n), 0, "U+%04X is written as the standard bytes", c->cp);
    uint32_t back = 0;
    cr_assert_eq(pii_utf8_get(buf, n, &back), n, "U+%04X reads back whole", c->cp);
    cr_assert_eq(back, c->cp, "U+%04X reads back as itself", c->cp);
}

struct bad_utf8 {
    char label[24];
    size_t len;
    unsigned char bytes[4];
};

ParameterizedTestParameters(text, utf8_get_rejects_what_strict_utf8_forbids)
{
    static struct bad_utf8 cases[] = {
        {"overlong 2-byte NUL", 2, {0xC0, 0x80}},
        {"overlong 2-byte A", 2, {0xC1, 0x81}},
        {"overlong 3-byte", 3, {0xE0, 0x80, 0x80}},
        {"overlong 4-byte", 4, {0xF0, 0x80, 0x80, 0x80}},
        {"surrogate D800", 3, {0xED, 0xA0, 0x80}},
        {"surrogate DFFF", 3, {0xED, 0xBF, 0xBF}},
        {"above U+10FFFF", 4, {0xF4, 0x90, 0x80, 0x80}},
        {"F5 lead", 4, {0xF5, 0x80, 0x80, 0x80}},
        {"stray continuation", 1, {0x80}},
        {"truncated 3-byte", 2, {0xE5, 0xB1}},
        {"ASCII in the middle", 3, {0xE5, 0x41, 0xB1}},
    };
    return cr_make_param_array(struct bad_utf8, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_utf8 *c, text, utf8_get_rejects_what_strict_utf8_forbids)
{
    uint32_t cp = 0;
    size_t n = pii_utf8_get((const char *)c->bytes, c->len, &cp);
    cr_assert_eq(n, 1, "%s: an invalid sequence uses one byte", c->label);
    cr_assert_eq(cp, 0xFFFD, "%s: reads as U+FFFD", c->label);
}

Test(text, utf8_put_writes_a_surrogate_as_the_replacement_character)
{
    char buf[4];
    uint32_t cp;
    cr_assert_eq(pii_utf8_put(0xD800, buf), 3);
    pii_utf8_get(buf, 3, &cp);
    cr_assert_eq(cp, 0xFFFD, "a lone surrogate cannot be UTF-8; U+FFFD says so");
}

Test(text, utf8_next_steps_over_a_whole_character)
{
    const char s[] = "a\xE5\xB1\xB1\xF0\x9F\x93\x9E"
                     "b"; /* a 山 📞 b */
    size_t len = sizeof s - 1;
    cr_assert_eq(pii_utf8_next(s, len, 0), 1, "past the ASCII a");
    cr_assert_eq(pii_utf8_next(s, len, 1), 4, "past the three bytes of 山");
    cr_assert_eq(pii_utf8_next(s, len, 4), 8, "past the four bytes of the receiver emoji");
    cr_assert_eq(pii_utf8_next(s, len, 8), 9, "past the last character: the end");
}

Test(text, utf8_next_stops_at_the_end_inside_a_cut_character)
{
    const char s[] = "\xE5\xB1"; /* 山 without its last byte */
    cr_assert_eq(pii_utf8_next(s, 2, 0), 2, "never past the text");
}
