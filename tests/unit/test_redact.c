/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_redact.c - the redactor through the public API: findings -> edits -> output.
 * The round trip runs over every fixture under tests/data, in UTF-8 (with and without a BOM,
 * with LF and CRLF), CP932, EUC-JP, UTF-16LE with a BOM and UTF-16BE without, in each mask
 * style, and checks the output with the test's own reading of it, not the library's:
 * every byte outside the findings is the same, each replacement is what the mask style
 * says (decoded with iconv here, widths from the test's own table), a new scan finds
 * nothing at a replaced place, rows and fields are the same, and full and partial masks keep
 * every line's display width. Faults: a refusing output, a pipe, an input that changed
 * between the passes, outputs tampered with after writing.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "piiscan.h"
#include "scan_helpers.h"

static const unsigned char test_key[32] = "0123456789abcdef0123456789abcdef";

/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                     */

TestSuite(redact, .init = test_scanner_setup, .fini = test_scanner_teardown);

static piiscan_redactor *make_redactor(piiscan_mask mask)
{
    piiscan_redact_options *ro;
    cr_assert_eq(piiscan_redact_options_new(&ro), PIISCAN_OK);
    cr_assert_eq(piiscan_redact_options_set_mask(ro, mask), PIISCAN_OK);
    cr_assert_eq(piiscan_redact_options_set_token_key(ro, test_key, sizeof test_key), PIISCAN_OK);
    piiscan_redactor *rd;
    piiscan_error err;
    int rc = piiscan_redactor_new(test_scanner, ro, &rd, &err);
    cr_assert_eq(rc, PIISCAN_OK, "a redactor is made: %s", err.text);
    piiscan_redact_options_free(ro);
    return rd;
}

typedef struct buf {
    char *data;
    size_t len;
    size_t cap;
} buf;

static void buf_put(buf *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        cr_assert_not_null(b->data);
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static int to_buf(const void *p, size_t n, void *user)
{
    buf_put(user, p, n);
    return 0;
}

/* The findings of a plain scan, and its stats, forced to an encoding and format or not. */
static int scan(const char *data, size_t len, const piiscan_source *src, test_findings *out,
                piiscan_stats *stats)
{
    return test_scan(test_scanner, data, len, 0, src, out, stats);
}

/* ------------------------------------------------------------------------------------------ */
/* The test's own reading of characters and widths                                            */

static size_t utf8_next(const char *s, size_t n, uint32_t *cp)
{
    unsigned char b = (unsigned char)s[0];
    size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    cr_assert_leq(len, n, "UTF-8 from iconv is complete");
    uint32_t v = len == 1 ? b : len == 2 ? b & 0x1Fu : len == 3 ? b & 0x0Fu : b & 0x07u;
    for (size_t i = 1; i < len; i++)
        v = v << 6 | ((unsigned char)s[i] & 0x3Fu);
    *cp = v;
    return len;
}

/* East Asian Wide and Fullwidth (UAX #11) ranges that Japanese text uses. */
static bool is_east_asian_wide(uint32_t cp)
{
    static const uint32_t ranges[][2] = {
        {0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF},
        {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
        {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6}, {0x20000, 0x3FFFD},
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i][0] && cp <= ranges[i][1])
            return true;
    return false;
}

/* Display width in a Japanese fixed-width layout: 2 for East Asian Wide and Fullwidth, and
 * for the ambiguous characters a Japanese layout shows as zenkaku (those CP932 writes in two
 * bytes: ‐ − ○ Greek ...); 1 otherwise. */
static int width(uint32_t cp)
{
    if (cp < 0x80)
        return 1;
    if (is_east_asian_wide(cp))
        return 2;
    char u[4];
    size_t n = 0;
    if (cp < 0x800) {
        u[n++] = (char)(0xC0 | cp >> 6);
    } else {
        u[n++] = (char)(0xE0 | cp >> 12);
        u[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
    }
    u[n++] = (char)(0x80 | (cp & 0x3F));
    size_t len;
    char *sjis = test_convert(u, n, "UTF-8", "CP932", &len);
    int w = sjis != NULL && len == 2 ? 2 : 1;
    free(sjis);
    return w;
}

/* Display width of each line of UTF-8 text, compared between two texts. */
static void expect_same_line_widths(const char *label, const char *a, size_t na, const char *b,
                                    size_t nb)
{
    size_t ia = 0;
    size_t ib = 0;
    unsigned line = 1;
    while (ia < na || ib < nb) {
        long wa = 0;
        long wb = 0;
        uint32_t cp;
        while (ia < na && a[ia] != '\n') {
            ia += utf8_next(a + ia, na - ia, &cp);
            wa += width(cp);
        }
        while (ib < nb && b[ib] != '\n') {
            ib += utf8_next(b + ib, nb - ib, &cp);
            wb += width(cp);
        }
        cr_expect_eq(wa, wb, "%s: line %u is %ld columns wide, was %ld", label, line, wb, wa);
        if (wa != wb)
            return;
        ia += ia < na;
        ib += ib < nb;
        line++;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* The round trip                                                                             */

struct variant {
    const char *label;
    piiscan_encoding enc;
    bool has_bom;
    bool is_crlf;
};

static const struct variant variants[] = {
    {"UTF-8", PIISCAN_ENCODING_UTF8, false, false},
    {"UTF-8 with BOM and CRLF", PIISCAN_ENCODING_UTF8, true, true},
    {"CP932 with CRLF", PIISCAN_ENCODING_CP932, false, true},
    {"EUC-JP", PIISCAN_ENCODING_EUCJP, false, false},
    {"UTF-16LE with BOM", PIISCAN_ENCODING_UTF16LE, true, false},
    {"UTF-16BE without BOM", PIISCAN_ENCODING_UTF16BE, false, false},
};

static const char *const token_tags[] = {
    [PIISCAN_TYPE_NAME] = "NM",          [PIISCAN_TYPE_ADDRESS] = "ADR",
    [PIISCAN_TYPE_PHONE] = "PHN",        [PIISCAN_TYPE_EMAIL] = "EML",
    [PIISCAN_TYPE_POSTAL_CODE] = "PSTL", [PIISCAN_TYPE_MY_NUMBER] = "MNB",
    [PIISCAN_TYPE_CREDIT_CARD] = "CRD",
};

static size_t round_trips;
static size_t spans_checked;
static buf tokens_seen; /* tokens of the first variant of a fixture, to compare the others */
static bool is_first_variant;
static size_t token_cursor;

/* UTF-8 text in the input's encoding. */
static char *encode(const char *utf8, size_t n, piiscan_encoding enc, size_t *len)
{
    return test_iconv(utf8, n, test_iconv_name(enc), len);
}

/* The replacement of span x (UTF-8 text) as the mask style says, checked against the output
 * at *op; advances *op past it. */
static void check_replacement(const char *label, piiscan_mask mask, piiscan_encoding enc,
                              const test_finding *x, const char *out, size_t out_len, size_t *op)
{
    if (mask == PIISCAN_MASK_TOKEN) {
        const char *tag = token_tags[x->type];
        size_t chars = strlen(tag) + 1 + 16;
        size_t unit = enc == PIISCAN_ENCODING_UTF16LE || enc == PIISCAN_ENCODING_UTF16BE ? 2 : 1;
        cr_assert_leq(*op + chars * unit, out_len, "%s: the token of \"%s\" fits", label, x->text);
        size_t n;
        char *ascii = test_convert(out + *op, chars * unit, test_iconv_name(enc), "UTF-8", &n);
        cr_assert(ascii != NULL && n == chars, "%s: the token of \"%s\" decodes", label, x->text);
        cr_expect(strncmp(ascii, tag, strlen(tag)) == 0 && ascii[strlen(tag)] == '_',
                  "%s: token \"%s\" of a %s starts with %s_", label, ascii,
                  piiscan_type_name(x->type), tag);
        cr_expect_eq(strspn(ascii + strlen(tag) + 1, "bdfghjklmnpqrstw"), 16,
                     "%s: token \"%s\" has 16 letters of bdfghjklmnpqrstw", label, ascii);
        if (is_first_variant)
            buf_put(&tokens_seen, ascii, n);
        else
            cr_expect(token_cursor + n <= tokens_seen.len &&
                          memcmp(tokens_seen.data + token_cursor, ascii, n) == 0,
                      "%s: \"%s\" gets the token it had in the first variant, not %s", label,
                      x->text, ascii);
        token_cursor += n;
        free(ascii);
        *op += chars * unit;
        return;
    }
    /* Full and partial: one character for one, of the same width; partial may keep some. */
    size_t masked = 0;
    size_t chars = 0;
    for (size_t i = 0; i < x->text_len;) {
        uint32_t cp;
        size_t len = utf8_next(x->text + i, x->text_len - i, &cp);
        const char *star = width(cp) == 2 ? "\xEF\xBC\x8A" : "*";
        size_t n_star;
        size_t n_orig;
        char *e_star = encode(star, strlen(star), enc, &n_star);
        char *e_orig = encode(x->text + i, len, enc, &n_orig);
        bool is_star = *op + n_star <= out_len && memcmp(out + *op, e_star, n_star) == 0;
        bool is_orig = mask == PIISCAN_MASK_PARTIAL && *op + n_orig <= out_len &&
                       memcmp(out + *op, e_orig, n_orig) == 0;
        cr_assert(is_star || is_orig,
                  "%s: character %zu of \"%s\" is replaced by a mask of its width%s", label, chars,
                  x->text, mask == PIISCAN_MASK_PARTIAL ? " or kept" : "");
        *op += is_star ? n_star : n_orig;
        masked += is_star;
        chars++;
        free(e_star);
        free(e_orig);
        i += len;
    }
    cr_expect_gt(masked, 0, "%s: something of \"%s\" is masked", label, x->text);
}

static void round_trip(const char *label, const char *in, size_t in_len, piiscan_mask mask)
{
    test_findings found = {0};
    piiscan_stats st_in;
    if (scan(in, in_len, NULL, &found, &st_in) != PIISCAN_OK || st_in.skip_reason != NULL) {
        test_findings_free(&found);
        return; /* not a text input: nothing to redact */
    }
    piiscan_redactor *rd = make_redactor(mask);
    buf out = {0};
    buf_put(&out, "", 0);
    int rc = piiscan_redactor_redact_buffer(rd, in, in_len, NULL, to_buf, &out);
    cr_assert_eq(rc, PIISCAN_OK, "%s: redacted (%s)", label, piiscan_redactor_error(rd)->text);
    const piiscan_redact_stats *rs = piiscan_redactor_stats(rd);
    cr_expect_eq(rs->spans, found.n, "%s: %zu findings, %llu spans replaced", label, found.n,
                 (unsigned long long)rs->spans);
    cr_expect_eq(rs->bytes_out, out.len, "%s: bytes_out counts what was written", label);
    rc = piiscan_redactor_verify_buffer(rd, in, in_len, out.data, out.len);
    cr_expect_eq(rc, PIISCAN_OK, "%s: the library verifies its output (%s)", label,
                 piiscan_redactor_error(rd)->text);

    /* Byte for byte: gaps identical, replacements as the style says. */
    size_t op = 0;
    uint64_t prev = 0;
    uint64_t *out_at = calloc(2 * found.n + 1, sizeof *out_at);
    for (size_t i = 0; i < found.n; i++) {
        const test_finding *x = &found.v[i];
        size_t gap = (size_t)(x->start - prev);
        cr_assert(op + gap <= out.len && memcmp(out.data + op, in + prev, gap) == 0,
                  "%s: the %zu bytes before finding %zu (\"%s\") are unchanged", label, gap, i,
                  x->text);
        op += gap;
        out_at[2 * i] = op;
        check_replacement(label, mask, st_in.encoding, x, out.data, out.len, &op);
        out_at[2 * i + 1] = op;
        prev = x->end;
        spans_checked++;
    }
    cr_assert(out.len - op == in_len - prev && memcmp(out.data + op, in + prev, in_len - prev) == 0,
              "%s: the %zu bytes after the last finding are unchanged", label,
              (size_t)(in_len - prev));

    /* Scanned again: nothing at a replaced place, the same rows and fields. */
    test_findings again = {0};
    piiscan_stats st_out;
    const piiscan_source src = {.encoding = st_in.encoding, .format = st_in.format};
    cr_assert_eq(scan(out.data, out.len, &src, &again, &st_out), PIISCAN_OK, "%s: rescanned",
                 label);
    for (size_t k = 0; k < again.n; k++)
        for (size_t i = 0; i < found.n; i++)
            cr_expect(again.v[k].end <= out_at[2 * i] || again.v[k].start >= out_at[2 * i + 1],
                      "%s: \"%s\" found again at a replaced place", label, again.v[k].text);
    cr_expect_eq(st_out.records, st_in.records, "%s: records %llu -> %llu", label,
                 (unsigned long long)st_in.records, (unsigned long long)st_out.records);
    cr_expect_eq(st_out.fields, st_in.fields, "%s: fields %llu -> %llu", label,
                 (unsigned long long)st_in.fields, (unsigned long long)st_out.fields);
    cr_expect_eq(st_out.has_bom, st_in.has_bom, "%s: the byte order mark stays", label);

    /* Full and partial masks keep each line's display width. */
    if (mask != PIISCAN_MASK_TOKEN) {
        size_t na;
        size_t nb;
        char *a = test_convert(in, in_len, test_iconv_name(st_in.encoding), "UTF-8", &na);
        char *b = test_convert(out.data, out.len, test_iconv_name(st_in.encoding), "UTF-8", &nb);
        if (a != NULL) { /* an input with invalid bytes has no width to keep */
            cr_assert_not_null(b, "%s: the output decodes as the input did", label);
            expect_same_line_widths(label, a, na, b, nb);
        }
        free(a);
        free(b);
    }
    round_trips++;
    free(out_at);
    test_findings_free(&again);
    test_findings_free(&found);
    free(out.data);
    piiscan_redactor_free(rd);
}

/* A fixture in UTF-8 made into every variant; other fixtures as they are. */
static void check_fixture(const char *path, piiscan_mask mask)
{
    size_t len;
    char *raw = test_read_file(path, &len);
    cr_assert_not_null(raw, "read %s", path);
    char label[700];
    snprintf(label, sizeof label, "%s as it is, mask %d", path, (int)mask);
    tokens_seen.len = 0;
    is_first_variant = true;
    token_cursor = 0;
    round_trip(label, raw, len, mask);
    size_t u8_len;
    char *u8 = test_convert(raw, len, "UTF-8", "UTF-8", &u8_len);
    if (u8 != NULL && memchr(raw, '\0', len) == NULL) {
        tokens_seen.len = 0;
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            const struct variant *var = &variants[v];
            buf text = {0};
            buf_put(&text, "", 0);
            for (size_t i = 0; i < u8_len; i++) {
                if (var->is_crlf && u8[i] == '\n' && (i == 0 || u8[i - 1] != '\r'))
                    buf_put(&text, "\r", 1);
                buf_put(&text, &u8[i], 1);
            }
            size_t n;
            char *enc = test_convert(text.data, text.len, "UTF-8", test_iconv_name(var->enc), &n);
            if (enc != NULL) { /* else a character the encoding cannot hold */
                buf input = {0};
                buf_put(&input, "", 0);
                if (var->has_bom) {
                    size_t bn;
                    char *bom = test_iconv("\xEF\xBB\xBF", 3, test_iconv_name(var->enc), &bn);
                    buf_put(&input, bom, bn);
                    free(bom);
                }
                buf_put(&input, enc, n);
                snprintf(label, sizeof label, "%s as %s, mask %d", path, var->label, (int)mask);
                is_first_variant = v == 0;
                token_cursor = 0;
                round_trip(label, input.data, input.len, mask);
                free(input.data);
                free(enc);
            }
            free(text.data);
        }
    }
    free(u8);
    free(raw);
}

/* check_fixture() as test_each_fixture() calls it: user is the mask. */
static void check_fixture_in(const char *path, void *mask)
{
    check_fixture(path, *(const piiscan_mask *)mask);
}

static void every_fixture(piiscan_mask mask)
{
    test_each_fixture(check_fixture_in, &mask);
    free(tokens_seen.data);
    tokens_seen = (buf){0};
    cr_assert_gt(round_trips, 40, "the fixtures were found (%zu round trips)", round_trips);
    cr_assert_gt(spans_checked, 200, "the fixtures hold findings (%zu spans)", spans_checked);
}

Test(redact, full_masks_change_only_the_findings_in_every_encoding_and_keep_widths)
{
    every_fixture(PIISCAN_MASK_FULL);
}

Test(redact, partial_masks_change_only_the_findings_in_every_encoding_and_keep_widths)
{
    every_fixture(PIISCAN_MASK_PARTIAL);
}

Test(redact, tokens_change_only_the_findings_and_are_the_same_in_every_encoding)
{
    every_fixture(PIISCAN_MASK_TOKEN);
}

/* ------------------------------------------------------------------------------------------ */
/* Exact outputs                                                                              */

static char *redact_text(piiscan_mask mask, const char *utf8, const char *to, size_t *out_len)
{
    size_t n;
    char *in = test_iconv(utf8, strlen(utf8), to, &n);
    piiscan_redactor *rd = make_redactor(mask);
    buf out = {0};
    buf_put(&out, "", 0);
    cr_assert_eq(piiscan_redactor_redact_buffer(rd, in, n, NULL, to_buf, &out), PIISCAN_OK);
    piiscan_redactor_free(rd);
    free(in);
    *out_len = out.len;
    return out.data;
}

Test(redact, full_mask_of_a_cp932_csv_is_written_in_cp932)
{
    const char *csv = "氏名,電話番号\n山田,０９０－１２３４－５６７８\n";
    size_t n;
    char *out = redact_text(PIISCAN_MASK_FULL, csv, "CP932", &n);
    size_t en;
    char *expected =
        test_iconv("氏名,電話番号\n＊＊,＊＊＊＊＊＊＊＊＊＊＊＊＊\n",
                   strlen("氏名,電話番号\n＊＊,＊＊＊＊＊＊＊＊＊＊＊＊＊\n"), "CP932", &en);
    cr_expect(n == en && memcmp(out, expected, n) == 0,
              "each full-width character of the name and the phone becomes ＊ (81 96 in CP932)");
    free(expected);
    free(out);
}

Test(redact, partial_mask_of_a_utf16_text_keeps_area_code_and_last_four)
{
    const char *text = "\xEF\xBB\xBF"
                       "電話 090-1234-5678 まで\r\n";
    size_t n;
    char *out = redact_text(PIISCAN_MASK_PARTIAL, text, "UTF-16LE", &n);
    size_t en;
    const char *want = "\xEF\xBB\xBF"
                       "電話 090-****-5678 まで\r\n";
    char *expected = test_iconv(want, strlen(want), "UTF-16LE", &en);
    cr_expect(n == en && memcmp(out, expected, n) == 0,
              "090-****-5678 in UTF-16LE, BOM and CRLF as they were");
    free(expected);
    free(out);
}

/* ------------------------------------------------------------------------------------------ */
/* Faults                                                                                     */

static int refuse(const void *p, size_t n, void *user)
{
    (void)p;
    (void)n;
    (void)user;
    errno = ENOSPC;
    return 1;
}

Test(redact, an_output_that_refuses_bytes_fails_the_redaction_with_its_reason)
{
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    const char *csv = "電話番号\n090-1234-5678\n";
    int rc = piiscan_redactor_redact_buffer(rd, csv, strlen(csv), NULL, refuse, NULL);
    cr_expect_eq(rc, PIISCAN_ERR_IO, "a refused write is an I/O error");
    cr_expect(strstr(piiscan_redactor_error(rd)->text, strerror(ENOSPC)) != NULL,
              "the message carries errno's reason: \"%s\"", piiscan_redactor_error(rd)->text);
    cr_expect_eq(piiscan_redactor_verify_buffer(rd, csv, strlen(csv), "", 0), PIISCAN_ERR_STATE,
                 "a failed write cannot be verified as if it had succeeded");
    piiscan_redactor_free(rd);
}

Test(redact, a_pipe_is_refused_because_redaction_reads_twice)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(write(p[1], "x\n", 2), 2);
    close(p[1]);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_expect_eq(piiscan_redactor_scan_fd(rd, p[0], NULL), PIISCAN_ERR_UNSUPPORTED);
    cr_expect(strstr(piiscan_redactor_error(rd)->text, "seekable") != NULL,
              "the message says why: \"%s\"", piiscan_redactor_error(rd)->text);
    close(p[0]);
    piiscan_redactor_free(rd);
}

static int temp_file(const char *content)
{
    char path[] = "/tmp/piiscan-test-redact-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    unlink(path);
    size_t n = strlen(content);
    cr_assert_eq(write(fd, content, n), (ssize_t)n);
    cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
    return fd;
}

Test(redact, an_input_that_grows_between_the_passes_fails_pass_two)
{
    int fd = temp_file("電話番号\n090-1234-5678\n");
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    cr_assert_eq(piiscan_redactor_scan_fd(rd, fd, NULL), PIISCAN_OK);
    cr_assert_eq(pwrite(fd, "080-1111-2222\n", 14, lseek(fd, 0, SEEK_END)), 14);
    cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
    buf out = {0};
    cr_expect_eq(piiscan_redactor_write_fd(rd, fd, to_buf, &out), PIISCAN_ERR_IO,
                 "the unscanned phone number must not reach the output as if redacted");
    cr_expect(strstr(piiscan_redactor_error(rd)->text, "changed") != NULL, "\"%s\"",
              piiscan_redactor_error(rd)->text);
    free(out.data);
    piiscan_redactor_free(rd);
    close(fd);
}

Test(redact, fd_round_trip_verifies_and_leaves_offsets_where_they_were)
{
    const char *csv = "氏名,電話番号\n山田,090-1234-5678\n";
    int in = temp_file(csv);
    int out = temp_file("");
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_PARTIAL);
    cr_assert_eq(piiscan_redactor_redact_fd(rd, in, NULL, (piiscan_write_fn)NULL, NULL),
                 PIISCAN_ERR_INVALID, "no write callback is refused");
    buf b = {0};
    cr_assert_eq(piiscan_redactor_redact_fd(rd, in, NULL, to_buf, &b), PIISCAN_OK);
    cr_assert_eq(lseek(in, 0, SEEK_CUR), 0, "the input's offset is put back");
    cr_assert_eq(write(out, b.data, b.len), (ssize_t)b.len);
    cr_assert_eq(lseek(out, 0, SEEK_SET), 0);
    cr_expect_eq(piiscan_redactor_verify_fd(rd, in, out), PIISCAN_OK, "%s",
                 piiscan_redactor_error(rd)->text);
    cr_expect(strstr(b.data, "090-****-5678") != NULL, "partial mask in the output: %s", b.data);
    free(b.data);
    piiscan_redactor_free(rd);
    close(in);
    close(out);
}

/* Redacts csv, lets `tamper` change the output, and returns what verification says. */
static int verify_tampered(const char *csv, void (*tamper)(buf *), char *why, size_t why_size)
{
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    buf out = {0};
    cr_assert_eq(piiscan_redactor_redact_buffer(rd, csv, strlen(csv), NULL, to_buf, &out),
                 PIISCAN_OK);
    cr_assert_eq(piiscan_redactor_verify_buffer(rd, csv, strlen(csv), out.data, out.len),
                 PIISCAN_OK, "untampered, the output verifies");
    tamper(&out);
    int rc = piiscan_redactor_verify_buffer(rd, csv, strlen(csv), out.data, out.len);
    snprintf(why, why_size, "%s", piiscan_redactor_error(rd)->text);
    free(out.data);
    piiscan_redactor_free(rd);
    return rc;
}

static const char tamper_csv[] = "氏名,電話番号,メモ\n山田,090-1234-5678,平日\n";

static void flip_byte_outside(buf *b)
{
    b->data[b->len - 2] ^= 1; /* inside 平日 */
}

static void put_value_back(buf *b)
{
    char *at = strstr(b->data, "*************");
    memcpy(at, "090-1234-5678", 13);
}

static void newline_in_mask(buf *b)
{
    strstr(b->data, "*************")[3] = '\n';
}

static void truncate_output(buf *b)
{
    b->len -= 1;
}

Test(redact, verification_fails_on_a_changed_byte_outside_the_findings)
{
    char why[200];
    cr_expect_eq(verify_tampered(tamper_csv, flip_byte_outside, why, sizeof why),
                 PIISCAN_ERR_VERIFY);
    cr_expect(strstr(why, "differs") != NULL, "the message names the byte: \"%s\"", why);
}

Test(redact, verification_fails_when_a_replaced_place_still_reads_as_data)
{
    char why[200];
    cr_expect_eq(verify_tampered(tamper_csv, put_value_back, why, sizeof why), PIISCAN_ERR_VERIFY);
    cr_expect(strstr(why, "still reads as phone") != NULL, "\"%s\"", why);
}

Test(redact, verification_fails_when_the_output_has_other_records)
{
    char why[200];
    cr_expect_eq(verify_tampered(tamper_csv, newline_in_mask, why, sizeof why), PIISCAN_ERR_VERIFY);
    cr_expect(strstr(why, "records") != NULL || strstr(why, "lines") != NULL, "\"%s\"", why);
}

Test(redact, verification_fails_on_a_short_output)
{
    char why[200];
    cr_expect_eq(verify_tampered(tamper_csv, truncate_output, why, sizeof why), PIISCAN_ERR_VERIFY);
    cr_expect(strstr(why, "ends early") != NULL, "\"%s\"", why);
}

Test(redact, verification_says_the_original_changed_when_it_grew_after_the_write)
{
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    buf out = {0};
    size_t n = strlen(tamper_csv);
    cr_assert_eq(piiscan_redactor_redact_buffer(rd, tamper_csv, n, NULL, to_buf, &out), PIISCAN_OK);
    char grown[sizeof tamper_csv + 16];
    snprintf(grown, sizeof grown, "%s080-1111-2222\n", tamper_csv);
    cr_expect_eq(piiscan_redactor_verify_buffer(rd, grown, strlen(grown), out.data, out.len),
                 PIISCAN_ERR_VERIFY, "an unredacted row was added to the original");
    cr_expect(strstr(piiscan_redactor_error(rd)->text, "changed") != NULL, "\"%s\"",
              piiscan_redactor_error(rd)->text);
    free(out.data);
    piiscan_redactor_free(rd);
}

static void put_cp932(buf *b, const char *utf8)
{
    size_t n;
    char *s = test_iconv(utf8, strlen(utf8), "CP932", &n);
    buf_put(b, s, n);
    free(s);
}

Test(redact, stray_lead_bytes_around_values_of_a_large_cp932_file_keep_verifying)
{
    /* Pass 2 decodes what it copies when the input has invalid bytes, across its read chunks
     * (256 KiB): a file of over 1 MiB with lone lead bytes before, after and between values.
     * Read from a descriptor and from memory, the output is the same and verifies. */
    buf in = {0};
    put_cp932(&in, "氏名,電話番号,メモ\n");
    for (unsigned i = 0; in.len < (1u << 20) + 333; i++) {
        put_cp932(&in, "山田,");
        if (i % 3 == 0)
            buf_put(&in, "\x81", 1); /* a lead byte before a digit: invalid on its own */
        char phone[32];
        snprintf(phone, sizeof phone, "090-%04u-%04u", 1000 + i % 9000, 1000 + i * 7 % 9000);
        put_cp932(&in, phone);
        if (i % 5 == 0)
            buf_put(&in, "\x9F", 1);
        put_cp932(&in, i % 2 ? ",平日\n" : ",\xEF\xBD\xB1\n"); /* ｱ: one byte in CP932 */
    }
    static const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL};
    for (size_t m = 0; m < 2; m++) {
        round_trip(m == 0 ? "stray lead bytes, full" : "stray lead bytes, partial", in.data, in.len,
                   masks[m]);
        piiscan_redactor *rd = make_redactor(masks[m]);
        buf from_mem = {0};
        cr_assert_eq(piiscan_redactor_redact_buffer(rd, in.data, in.len, NULL, to_buf, &from_mem),
                     PIISCAN_OK);
        cr_assert_gt(piiscan_redactor_stats(rd)->decode_errors, 0, "the input has invalid bytes");
        int fd = temp_file("");
        cr_assert_eq(write(fd, in.data, in.len), (ssize_t)in.len);
        cr_assert_eq(lseek(fd, 0, SEEK_SET), 0);
        buf from_fd = {0};
        cr_assert_eq(piiscan_redactor_redact_fd(rd, fd, NULL, to_buf, &from_fd), PIISCAN_OK);
        cr_expect(from_fd.len == from_mem.len &&
                      memcmp(from_fd.data, from_mem.data, from_mem.len) == 0,
                  "read in chunks or whole, the output is the same");
        cr_expect_eq(piiscan_redactor_verify_buffer(rd, in.data, in.len, from_fd.data, from_fd.len),
                     PIISCAN_OK, "%s", piiscan_redactor_error(rd)->text);
        close(fd);
        free(from_mem.data);
        free(from_fd.data);
        piiscan_redactor_free(rd);
    }
    free(in.data);
}

Test(redact, a_token_redactor_needs_a_key)
{
    piiscan_redact_options *ro;
    cr_assert_eq(piiscan_redact_options_new(&ro), PIISCAN_OK);
    cr_assert_eq(piiscan_redact_options_set_mask(ro, PIISCAN_MASK_TOKEN), PIISCAN_OK);
    cr_expect_eq(piiscan_redact_options_set_token_key(ro, test_key, 31), PIISCAN_ERR_INVALID,
                 "a key under 32 bytes is refused");
    piiscan_redactor *rd = NULL;
    piiscan_error err;
    cr_expect_eq(piiscan_redactor_new(test_scanner, ro, &rd, &err), PIISCAN_ERR_INVALID);
    cr_expect_null(rd, "*out is written only on success");
    cr_expect(strstr(err.text, "key") != NULL, "\"%s\"", err.text);
    cr_expect_eq(piiscan_redact_options_set_mask(ro, (piiscan_mask)9), PIISCAN_ERR_INVALID);
    piiscan_redact_options_free(ro);
}

Test(redact, a_workbook_is_never_edited_as_bytes)
{
    /* A workbook's text sits in compressed parts: byte edits would destroy it. Whatever the
     * scanner makes of this one, the redactor writes nothing. */
    static const char zip[] = "PK\x03\x04\x14\x00\x00\x00\x08\x00 電話 090-1234-5678";
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    const piiscan_source src = {.name = "book.xlsx"};
    cr_expect_neq(piiscan_redactor_scan_buffer(rd, zip, sizeof zip - 1, &src), PIISCAN_OK);
    buf out = {0};
    cr_expect_eq(piiscan_redactor_write_buffer(rd, zip, sizeof zip - 1, to_buf, &out),
                 PIISCAN_ERR_STATE, "nothing is written after a refused scan");
    cr_expect_eq(out.len, 0);
    free(out.data);
    piiscan_redactor_free(rd);
}

Test(redact, a_binary_input_is_copied_unchanged_and_said_skipped)
{
    unsigned char bin[600];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 7);
    piiscan_redactor *rd = make_redactor(PIISCAN_MASK_FULL);
    buf out = {0};
    cr_assert_eq(piiscan_redactor_redact_buffer(rd, bin, sizeof bin, NULL, to_buf, &out),
                 PIISCAN_OK);
    cr_expect_not_null(piiscan_redactor_stats(rd)->skip_reason);
    cr_expect(out.len == sizeof bin && memcmp(out.data, bin, sizeof bin) == 0, "unchanged");
    cr_expect_eq(piiscan_redactor_verify_buffer(rd, bin, sizeof bin, out.data, out.len),
                 PIISCAN_OK);
    free(out.data);
    piiscan_redactor_free(rd);
}

/* Masks of other signs than '*': the rescan must know a field of ■ or # for a redacted one,
 * in name and address columns too, or verification would refuse every such redaction. */
Test(redact, masks_of_other_signs_verify_in_name_and_address_columns)
{
    static const char *const encodings[] = {"UTF-8", "CP932", "EUC-JP-MS"};
    static const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL};
    size_t len;
    char *csv = test_read_data("redact/orders.csv", &len);
    for (size_t e = 0; e < sizeof encodings / sizeof encodings[0]; e++) {
        size_t n;
        char *in = test_convert(csv, len, "UTF-8", encodings[e], &n);
        cr_assert_not_null(in, "orders.csv in %s", encodings[e]);
        for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
            piiscan_redact_options *ro;
            cr_assert_eq(piiscan_redact_options_new(&ro), PIISCAN_OK);
            cr_assert_eq(piiscan_redact_options_set_mask(ro, masks[m]), PIISCAN_OK);
            cr_assert_eq(piiscan_redact_options_set_mask_chars(ro, "#", "■"), PIISCAN_OK);
            piiscan_redactor *rd;
            piiscan_error err;
            cr_assert_eq(piiscan_redactor_new(test_scanner, ro, &rd, &err), PIISCAN_OK, "%s",
                         err.text);
            piiscan_redact_options_free(ro);
            buf out = {0};
            buf_put(&out, "", 0);
            int rc = piiscan_redactor_redact_buffer(rd, in, n, NULL, to_buf, &out);
            cr_expect_eq(rc, PIISCAN_OK, "%s, mask %d: redacted (%s)", encodings[e], (int)masks[m],
                         piiscan_redactor_error(rd)->text);
            cr_expect_gt(piiscan_redactor_stats(rd)->spans_by_type[PIISCAN_TYPE_NAME], 0);
            cr_expect_gt(piiscan_redactor_stats(rd)->spans_by_type[PIISCAN_TYPE_ADDRESS], 0);
            cr_expect_eq(piiscan_redactor_verify_buffer(rd, in, n, out.data, out.len), PIISCAN_OK,
                         "%s, mask %d: verified (%s)", encodings[e], (int)masks[m],
                         piiscan_redactor_error(rd)->text);
            test_findings left = {0};
            piiscan_stats st;
            cr_assert_eq(scan(out.data, out.len, NULL, &left, &st), PIISCAN_OK);
            cr_expect_eq(left.n, 0, "%s, mask %d: nothing left to find, found %zu", encodings[e],
                         (int)masks[m], left.n);
            test_findings_free(&left);
            free(out.data);
            piiscan_redactor_free(rd);
        }
        free(in);
    }
    free(csv);
}

/* Whether the code unit at s, of `unit` bytes (1, or 2 for UTF-16LE), is CR or LF. */
static bool is_line_end_unit(const char *s, size_t unit)
{
    return (s[0] == '\r' || s[0] == '\n') && (unit == 1 || s[1] == '\0');
}

/* The redaction of in[0..n) with `mask`, which must write and then verify. */
static buf redact_verified(piiscan_mask mask, const char *in, size_t n, const char *label)
{
    piiscan_redactor *rd = make_redactor(mask);
    buf out = {0};
    buf_put(&out, "", 0);
    int rc = piiscan_redactor_redact_buffer(rd, in, n, NULL, to_buf, &out);
    cr_assert_eq(rc, PIISCAN_OK, "%s: written: %s", label, piiscan_redactor_error(rd)->text);
    rc = piiscan_redactor_verify_buffer(rd, in, n, out.data, out.len);
    cr_assert_eq(rc, PIISCAN_OK, "%s: verified: %s", label, piiscan_redactor_error(rd)->text);
    piiscan_redactor_free(rd);
    return out;
}

/* An address typed on two lines in one cell holds a line break; here a lone CR and a lone LF,
 * as mixed files have them. Every mask keeps the file's lines: full and partial masks leave
 * each line end where it was, a token is followed by the value's line ends, a space between
 * the CR and the LF that text kept apart (else they would read as one CRLF). */
Test(redact, line_ends_inside_a_value_stay_with_every_mask)
{
    const char *csv = "氏名,住所\n山田太郎,\"東京都渋谷区神宮前1-2-3\rサンハイツ\n101号\"\n";
    const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL};
    const char *const encodings[] = {"UTF-8", "CP932", "UTF-16LE"};
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        for (size_t e = 0; e < sizeof encodings / sizeof encodings[0]; e++) {
            size_t in_len;
            char *in = test_iconv(csv, strlen(csv), encodings[e], &in_len);
            buf redacted = redact_verified(masks[m], in, in_len, encodings[e]);
            char *out = redacted.data;
            size_t n = redacted.len;
            cr_assert_eq(n, in_len, "mask %d in %s keeps the length", (int)masks[m], encodings[e]);
            size_t unit = strcmp(encodings[e], "UTF-16LE") == 0 ? 2 : 1;
            for (size_t i = 0; i < n; i += unit)
                cr_assert(is_line_end_unit(in + i, unit) == is_line_end_unit(out + i, unit),
                          "mask %d in %s: byte %zu is a line end in one and not the other",
                          (int)masks[m], encodings[e], i);
            free(in);
            free(out);
        }
    }
    buf redacted = redact_verified(PIISCAN_MASK_TOKEN, csv, strlen(csv), "token");
    char *out = redacted.data;
    const char *tag = strstr(out, "\"ADR_");
    cr_assert_not_null(tag, "the address became a token: %s", out);
    cr_assert(strncmp(tag + 5 + 16, "\r \n \"\n", 6) == 0,
              "the token is followed by the CR and the LF, kept apart as the text kept them, "
              "then the closing quote: %s",
              out);
    free(out);
}

/* A broken byte inside a value is masked with the value (one narrow mask a byte): the output
 * has fewer invalid sequences than the input by exactly those, which the verification allows;
 * one outside every value stays as it was. */
Test(redact, an_invalid_byte_inside_a_value_is_masked_and_the_output_verifies)
{
    const char *const encodings[] = {"UTF-8", "CP932"};
    for (size_t e = 0; e < sizeof encodings / sizeof encodings[0]; e++) {
        buf in = {0};
        size_t n;
        char *part = test_iconv("氏名,住所,メモ\n山田,東京都渋谷区",
                                strlen("氏名,住所,メモ\n山田,東京都渋谷区"), encodings[e], &n);
        buf_put(&in, part, n);
        free(part);
        buf_put(&in, "\xff", 1);
        part = test_iconv("神宮前1-2-3,平日", strlen("神宮前1-2-3,平日"), encodings[e], &n);
        buf_put(&in, part, n);
        free(part);
        buf_put(&in, "\xff\n", 2);
        buf out = redact_verified(PIISCAN_MASK_FULL, in.data, in.len, encodings[e]);
        cr_assert_eq(out.len, in.len, "%s: a mask a byte keeps the length", encodings[e]);
        size_t broken = 0;
        for (size_t i = 0; i < out.len; i++)
            broken += (unsigned char)out.data[i] == 0xFF;
        cr_assert_eq(broken, 1, "%s: the byte in the address is masked, the one in メモ kept",
                     encodings[e]);
        cr_assert_eq((unsigned char)out.data[out.len - 2], 0xFF,
                     "%s: the byte outside every value is where it was", encodings[e]);
        free(in.data);
        free(out.data);
    }
}

/* Text after a field's closing quote stays in the field ("佐藤 花子"様, as Excel reads it), so
 * the closing quote is inside the name: every mask keeps it (masked, the field would run on
 * into the next line), and the output verifies. */
Test(redact, a_quote_inside_a_value_stays_with_every_mask)
{
    const char *csv = "氏名,電話番号\n\"佐藤 花子\"様,090-1234-5678\n山田 太郎,03-1234-5678\n";
    const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL, PIISCAN_MASK_TOKEN};
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        char label[32];
        snprintf(label, sizeof label, "mask %d", (int)masks[m]);
        buf out = redact_verified(masks[m], csv, strlen(csv), label);
        size_t quotes = 0;
        for (size_t i = 0; i < out.len; i++)
            quotes += out.data[i] == '"';
        cr_assert_eq(quotes, 2, "%s: both quotes stay: %s", label, out.data);
        cr_assert_null(strstr(out.data, "佐藤"), "%s: the name is replaced: %s", label, out.data);
        free(out.data);
    }
}
