/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scan_helpers.c - scanners, a finding collector and buffer scans for the suites that scan
 * through the public API; see scan_helpers.h. Linked into each of those suites.
 */
#include "scan_helpers.h"

#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

piiscan_options *test_options_new(size_t max_record_bytes)
{
    piiscan_options *opt;
    cr_assert_eq(piiscan_options_new(&opt), PIISCAN_OK, "default options");
    if (max_record_bytes != 0)
        cr_assert_eq(piiscan_options_set_max_record_bytes(opt, max_record_bytes), PIISCAN_OK,
                     "a record limit of %zu bytes", max_record_bytes);
    return opt;
}

piiscan_scanner *test_scanner_new(piiscan_options *opt)
{
    piiscan_scanner *sc;
    piiscan_error err = {0};
    cr_assert_eq(piiscan_scanner_new(opt, &sc, &err), PIISCAN_OK, "scanner: %s", err.text);
    piiscan_options_free(opt);
    return sc;
}

piiscan_scanner *test_scanner;

void test_scanner_setup(void)
{
    test_scanner = test_scanner_new(test_options_new(0));
}

void test_scanner_teardown(void)
{
    piiscan_scanner_free(test_scanner);
    test_scanner = NULL;
}

/* A NUL-terminated copy of s[0..n), or NULL for NULL. */
static char *copy_of(const char *s, size_t n)
{
    if (s == NULL)
        return NULL;
    char *c = malloc(n + 1);
    cr_assert_not_null(c, "memory for a copy of %zu bytes", n);
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

int test_collect(const piiscan_finding *f, void *user)
{
    test_findings *s = user;
    if (s->max != 0)
        cr_assert_lt(s->n, s->max, "more findings than the test expects");
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 32;
        test_finding *v = realloc(s->v, cap * sizeof *v);
        cr_assert_not_null(v, "memory for %zu findings", cap);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (test_finding){
        .type = f->type,
        .start = f->start,
        .end = f->end,
        .line = f->line,
        .record = f->record,
        .field = f->field,
        .column = f->column,
        .sheet = f->sheet != NULL ? copy_of(f->sheet, strlen(f->sheet)) : NULL,
        .cell = f->cell != NULL ? copy_of(f->cell, strlen(f->cell)) : NULL,
        .text = copy_of(f->text, f->text_len),
        .text_len = f->text_len,
        .confidence = f->confidence,
        .detector = f->detector,
    };
    return s->stop_after != 0 && s->n >= s->stop_after;
}

void test_findings_clear(test_findings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].sheet);
        free(s->v[i].cell);
        free(s->v[i].text);
    }
    s->n = 0;
}

void test_findings_free(test_findings *s)
{
    test_findings_clear(s);
    free(s->v);
    memset(s, 0, sizeof *s);
}

test_findings test_findings_take(test_findings *s)
{
    test_findings taken = {.v = s->v, .n = s->n, .cap = s->cap};
    s->v = NULL;
    s->n = 0;
    s->cap = 0;
    return taken;
}

int test_feed(piiscan_stream *st, const void *buf, size_t len, size_t chunk,
              const piiscan_source *src)
{
    if (chunk == 0)
        return piiscan_stream_scan_buffer(st, buf, len, src);
    const char *bytes = buf;
    int rc = piiscan_stream_begin(st, src);
    for (size_t at = 0; rc == PIISCAN_OK && at < len; at += chunk)
        rc = piiscan_stream_feed(st, bytes + at, len - at < chunk ? len - at : chunk);
    return rc == PIISCAN_OK ? piiscan_stream_finish(st) : rc;
}

int test_scan(const piiscan_scanner *sc, const void *buf, size_t len, size_t chunk,
              const piiscan_source *src, test_findings *out, piiscan_stats *stats)
{
    piiscan_stream *st;
    cr_assert_eq(piiscan_stream_new(sc, test_collect, out, &st), PIISCAN_OK, "a stream");
    int rc = test_feed(st, buf, len, chunk, src);
    if (stats != NULL)
        *stats = *piiscan_stream_stats(st);
    piiscan_stream_free(st);
    return rc;
}
