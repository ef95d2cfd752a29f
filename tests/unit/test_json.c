/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_json.c - JSON strings of the reports: the escaping into memory that the JSON Lines
 * writer uses (json_escape, line_put_string) writes exactly what json_write_string writes on
 * a stream, for every kind of byte, whatever the room left and across a full line buffer; the
 * members it makes once and keeps (type, detector) and the masks it copies without escaping
 * are written as the escaping would write them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "line.h"

/* What json_write_string writes for s[0..len), NUL-terminated; *out_len gets its length. */
static char *stream_form(const char *s, size_t len, size_t *out_len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    cr_assert_not_null(fp);
    json_write_string(fp, s, len);
    cr_assert_eq(fclose(fp), 0);
    *out_len = n;
    return buf;
}

/* A report line that writes into memory: once memory_line_close() has run, *buf (freed by the
 * caller) holds the n bytes it wrote. */
static struct line *memory_line_open(char **buf, size_t *n)
{
    FILE *fp = open_memstream(buf, n);
    cr_assert_not_null(fp);
    struct line *ln = malloc(sizeof *ln);
    cr_assert_not_null(ln);
    ln->fp = fp;
    ln->len = 0;
    return ln;
}

static void memory_line_close(struct line *ln)
{
    line_flush(ln);
    FILE *fp = ln->fp;
    free(ln);
    cr_assert_eq(fclose(fp), 0);
}

/* What line_put_string writes for s[0..len) after `before` bytes already in the line. */
static char *line_form(const char *s, size_t len, size_t before, size_t *out_len)
{
    char *buf = NULL;
    size_t n = 0;
    struct line *ln = memory_line_open(&buf, &n);
    for (size_t i = 0; i < before; i++)
        line_put(ln, "x", 1);
    line_put_string(ln, s, len);
    memory_line_close(ln);
    cr_assert(n >= before);
    memmove(buf, buf + before, n - before);
    *out_len = n - before;
    return buf;
}

/* Every escape there is: quote, backslash, the short control escapes, \u00XX ones, DEL,
 * two-, three- and four-byte UTF-8, and invalid bytes (a lone trail byte, a cut sequence,
 * an overlong form, a surrogate). */
static const char mixed[] = "a\"b\\c\b\f\n\r\t\x01\x1F\x7F é 木＊ 😀 \x80 \xE3\x81 \xC0\xAF "
                            "\xED\xA0\x80 end";

#define FFFD "\xEF\xBF\xBD"

Test(json, each_kind_of_byte_is_written_as_rfc_8259_and_valid_utf_8)
{
    static const char want[] = "\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f é 木＊ 😀 " FFFD
                               " " FFFD FFFD " " FFFD FFFD " " FFFD FFFD FFFD " end\"";
    size_t got_len;
    char *got = stream_form(mixed, sizeof mixed - 1, &got_len);
    cr_expect(got_len == sizeof want - 1 && memcmp(got, want, got_len) == 0,
              "escapes as RFC 8259 has them, UTF-8 kept, each invalid byte U+FFFD: got [%.*s]",
              (int)got_len, got);
    free(got);
}

Test(json, line_strings_are_the_stream_strings_wherever_the_line_stands)
{
    size_t want_len;
    char *want = stream_form(mixed, sizeof mixed - 1, &want_len);
    /* Every position near the end of the line buffer, so that the string is cut by a flush
     * at each of its characters in turn. */
    for (size_t before = 0; before < LINE_BYTES; before += before < LINE_BYTES - 300 ? 97 : 1) {
        size_t got_len;
        char *got = line_form(mixed, sizeof mixed - 1, before, &got_len);
        cr_assert(got_len == want_len && memcmp(got, want, want_len) == 0,
                  "after %zu bytes in the line, the string is written as on a stream", before);
        free(got);
    }
    free(want);
}

Test(json, a_string_longer_than_the_line_buffer_is_written_whole)
{
    size_t len = 3 * LINE_BYTES + 5;
    char *s = malloc(len);
    cr_assert_not_null(s);
    for (size_t i = 0; i < len; i++)
        s[i] = mixed[i % (sizeof mixed - 1)];
    size_t want_len;
    size_t got_len;
    char *want = stream_form(s, len, &want_len);
    char *got = line_form(s, len, 10, &got_len);
    cr_assert(want_len > len, "the escapes make it longer than its %zu bytes", len);
    cr_assert(got_len == want_len && memcmp(got, want, want_len) == 0,
              "a string of %zu bytes goes through the line as it goes to the stream", len);
    free(want);
    free(got);
    free(s);
}

Test(json, escaping_stops_at_a_whole_character_within_the_room)
{
    /* "木" is three bytes and "\n" becomes two: with room for 9 bytes, JSON_ESCAPE_MAX of
     * which must be free before each character, the first two characters go (leaving 4). */
    const char s[] = "\xE6\x9C\xA8\n\xE6\x9C\xA8";
    char out[9 + 1];
    out[9] = '#';
    size_t used = 99;
    size_t n = json_escape(out, 9, s, sizeof s - 1, &used);
    cr_expect_eq(used, 4, "two whole characters are consumed, not %zu bytes", used);
    cr_expect(n == 5 && memcmp(out, "\xE6\x9C\xA8\\n", 5) == 0,
              "they are written as 木 and \\n (%zu bytes)", n);
    cr_expect_eq(out[9], '#', "nothing is written past the room");
    n = json_escape(out, JSON_ESCAPE_MAX - 1, s, sizeof s - 1, &used);
    cr_expect(n == 0 && used == 0, "with less room than one escape, nothing is written");
}

/* A finding object's members after its path, made with the cache (or without, cache NULL). */
static char *finding_form(const struct output_finding *of, struct line_cache *cache, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    struct line *ln = memory_line_open(&buf, &n);
    if (cache != NULL)
        line_put_finding_rest_cached(ln, of, cache);
    else
        line_put_finding_rest(ln, of);
    memory_line_close(ln);
    *len = n;
    return buf;
}

Test(json, cached_members_are_the_members_made_each_time)
{
    struct line_cache *cache = calloc(1, sizeof *cache);
    cr_assert_not_null(cache);
    /* The same string as a type's name and as a detector, then detectors that share their
     * cache slots with others: each member must still get its own value. */
    static const char long_detector[] = "a-detector-name-far-too-long-for-a-slot-of-the-cache/x";
    const char *detectors[] = {
        piiscan_type_name(PIISCAN_TYPE_EMAIL),
        "phone/column",
        "email",
        "name/\"quoted\"",
        long_detector,
        piiscan_type_name(PIISCAN_TYPE_PHONE),
    };
    const piiscan_type types[] = {PIISCAN_TYPE_EMAIL, PIISCAN_TYPE_PHONE, PIISCAN_TYPE_NAME};
    for (int round = 0; round < 2; round++) {
        for (size_t d = 0; d < sizeof detectors / sizeof detectors[0]; d++) {
            for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
                const struct output_finding of = {
                    .path = "x.csv",
                    .type = types[t],
                    .start = 4294967296u + d,
                    .end = 4294967306u + t,
                    .line = 7,
                    .field = 3,
                    .confidence = 0.97,
                    .detector = detectors[d],
                    .masked = "090-****-5678",
                };
                size_t want_len;
                size_t got_len;
                char *want = finding_form(&of, NULL, &want_len);
                char *got = finding_form(&of, cache, &got_len);
                cr_assert(got_len == want_len && memcmp(got, want, want_len) == 0,
                          "type %s with detector [%s] (round %d): [%.*s], not [%.*s]",
                          piiscan_type_name(types[t]), detectors[d], round, (int)want_len, want,
                          (int)got_len, got);
                free(want);
                free(got);
            }
        }
    }
    free(cache);
}

Test(json, a_mask_said_plain_is_written_as_the_escaping_writes_it)
{
    /* Values whose kept characters need an escape or are not strict UTF-8 (an overlong '/',
     * a surrogate, a lead above F4), and ordinary ones. */
    static const struct {
        piiscan_type type;
        const char *value;
    } cases[] = {
        {PIISCAN_TYPE_EMAIL, "\"a\\\"b\"@example.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@exa\x7Fmple.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@ex\x01\x1F.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@\xC0\xAF.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@\xED\xA0\x80.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@\xF8\x90\x80\x80.jp"},
        {PIISCAN_TYPE_EMAIL, "taro@例え.jp"},
        {PIISCAN_TYPE_PHONE, "090\"1234\\5678"},
        {PIISCAN_TYPE_PHONE, "(090)1234-5678"},
        {PIISCAN_TYPE_POSTAL_CODE, "１５０－０００２"},
        {PIISCAN_TYPE_NAME, "\\山田"},
        {PIISCAN_TYPE_NAME, "\xE0\x80\xAF田"},
        {PIISCAN_TYPE_NAME, "ﾔﾏﾀﾞ"},
        {PIISCAN_TYPE_ADDRESS, "東京都渋谷区\"1-2-3\""},
    };
    size_t plain = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].value);
        char *mask = malloc(MASK_BYTES(len));
        cr_assert_not_null(mask);
        bool is_plain = false;
        size_t n = mask_value_into(cases[i].type, cases[i].value, len, mask, &is_plain);
        cr_assert_eq(n, strlen(mask), "the length returned is the mask's");
        struct output_finding of = {
            .path = "x.csv",
            .type = cases[i].type,
            .detector = "d",
            .masked = mask,
            .masked_len = n,
            .is_masked_plain = is_plain,
        };
        size_t want_len;
        size_t got_len;
        char *got = finding_form(&of, NULL, &got_len);
        of.is_masked_plain = false;
        char *want = finding_form(&of, NULL, &want_len);
        cr_expect(got_len == want_len && memcmp(got, want, want_len) == 0,
                  "the mask of [%s] (plain: %d) is written [%.*s], not [%.*s]", cases[i].value,
                  is_plain, (int)want_len, want, (int)got_len, got);
        plain += is_plain;
        free(got);
        free(want);
        free(mask);
    }
    cr_expect(plain >= 5, "the ordinary values are plain (%zu of them)", plain);
    cr_expect(plain < sizeof cases / sizeof cases[0], "the others are not");
}

Test(json, the_usual_detectors_are_kept_in_the_cache)
{
    /* A cache that keeps nothing would pass the test above: the members it keeps are known. */
    struct line_cache *cache = calloc(1, sizeof *cache);
    cr_assert_not_null(cache);
    static const char *const detectors[] = {"name/column", "address/building", "phone/keyword"};
    for (size_t d = 0; d < sizeof detectors / sizeof detectors[0]; d++) {
        const struct output_finding of = {
            .path = "x.csv", .type = PIISCAN_TYPE_NAME, .detector = detectors[d], .masked = "x"};
        size_t len;
        free(finding_form(&of, cache, &len));
        bool is_kept = false;
        for (size_t i = 0; i < LINE_CACHE_SLOTS; i++)
            is_kept = is_kept || cache->slot[i].value == detectors[d];
        cr_expect(is_kept, "%s is kept after its first use", detectors[d]);
    }
    free(cache);
}
