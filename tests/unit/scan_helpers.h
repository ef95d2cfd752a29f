/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scan_helpers.h - what the suites that scan through the public API share: a scanner made
 * from options, a finding callback that keeps a copy of every finding (its strings too, so
 * they outlive the callback), and a scan of a buffer fed in chunks of any size or handed over
 * whole. Every failure to build or allocate fails the test. The detector suites, which run
 * detectors on one unit below the API, use detect_helpers.h instead.
 */
#ifndef PIISCAN_TEST_SCAN_HELPERS_H
#define PIISCAN_TEST_SCAN_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "piiscan.h"

/** A finding as the callback saw it. The strings are the test's own copies, NUL-terminated;
 *  sheet and cell are NULL outside a workbook. */
typedef struct test_finding {
    piiscan_type type;
    uint64_t start;
    uint64_t end;
    uint64_t line;
    uint64_t record;
    uint32_t field;
    uint32_t column;
    char *sheet;
    char *cell;
    char *text;
    size_t text_len;
    double confidence;
    const char *detector; /* static in the library */
} test_finding;

/** The findings of a scan, in the order reported. Zero-initialise; set `max` and `stop_after`
 *  before scanning if wanted; release with test_findings_free(). */
typedef struct test_findings {
    test_finding *v;
    size_t n;
    size_t cap;
    size_t max;        /* more findings than this fail the test; 0: no bound */
    size_t stop_after; /* the callback asks to stop once it holds this many; 0: never */
} test_findings;

/** Default options, with `max_record_bytes` when not 0. */
piiscan_options *test_options_new(size_t max_record_bytes);

/** The scanner of `opt`, which it frees. */
piiscan_scanner *test_scanner_new(piiscan_options *opt);

/** The scanner of default options of a suite whose tests share one:
 *  TestSuite(x, .init = test_scanner_setup, .fini = test_scanner_teardown). */
extern piiscan_scanner *test_scanner;
void test_scanner_setup(void);
void test_scanner_teardown(void);

/** A piiscan_finding_fn that appends a copy of *f to the test_findings given as `user`. */
int test_collect(const piiscan_finding *f, void *user);

/** Forgets the findings; `max` and `stop_after` stay. */
void test_findings_clear(test_findings *s);

/** Frees the findings and zeroes *s, settings included. */
void test_findings_free(test_findings *s);

/** The findings of *s, handed over to the caller (who frees them); *s is left empty with its
 *  settings, ready for the next scan. */
test_findings test_findings_take(test_findings *s);

/** One input through `st`: begin, feed `chunk` bytes at a time, finish; `chunk` 0 hands the
 *  buffer over whole with piiscan_stream_scan_buffer. Returns the first status that is not
 *  PIISCAN_OK, or PIISCAN_OK. */
int test_feed(piiscan_stream *st, const void *buf, size_t len, size_t chunk,
              const piiscan_source *src);

/** test_feed() on a stream of its own of `sc`, whose findings go to `out`; the stream's stats
 *  are copied to `stats` (unless NULL) before the stream is freed. */
int test_scan(const piiscan_scanner *sc, const void *buf, size_t len, size_t chunk,
              const piiscan_source *src, test_findings *out, piiscan_stats *stats);

#endif /* PIISCAN_TEST_SCAN_HELPERS_H */
