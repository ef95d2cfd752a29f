/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_helpers.h - runs detectors and score.c on one unit built the way stream.c builds it:
 * the text normalised by pii_normalize, its digits counted, a pii_context over the record
 * with its own pii_text scratch. Spans are reported in offsets of the test's input, through
 * the normaliser's map, so a test of full-width input states the span it wrote.
 *
 * A suite compiles the detectors once: TestSuite(x, .init = detect_setup, .fini =
 * detect_teardown). The name and address detectors keep no compiled state, so the suites that
 * run only them need no set-up.
 *
 * The detector suites check their cases with the same few calls: detect_expect_one (one
 * finding, with its exact span), detect_expect_none (nothing), detect_confidence (how sure a
 * finding is).
 */
#ifndef PIISCAN_TEST_DETECT_HELPERS_H
#define PIISCAN_TEST_DETECT_HELPERS_H

#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

/* piiscan_options_new's default threshold. */
#define DETECT_THRESHOLD 0.5
/* Run without pii_score_unit: the detector's raw candidates. */
#define DETECT_UNSCORED (-1.0)

static const struct pii_detector *const detect_detectors[PII_DETECTOR_COUNT] = {
    &pii_detector_phone, &pii_detector_postal, &pii_detector_email,   &pii_detector_mynumber,
    &pii_detector_card,  &pii_detector_name,   &pii_detector_address,
};

static struct {
    void *state[PII_DETECTOR_COUNT];
    pcre2_match_data *md;
} detect_compiled;

static inline void detect_setup(void)
{
    for (size_t i = 0; i < PII_DETECTOR_COUNT; i++) {
        piiscan_error err = {0};
        int rc = detect_detectors[i]->compile(&detect_compiled.state[i], &err);
        cr_assert_eq(rc, PIISCAN_OK, "detector %s compiles (%s)", detect_detectors[i]->name,
                     err.text);
    }
    detect_compiled.md = pcre2_match_data_create(PII_MATCH_PAIRS, NULL);
    cr_assert_not_null(detect_compiled.md, "match data for %d pairs", PII_MATCH_PAIRS);
}

static inline void detect_teardown(void)
{
    for (size_t i = 0; i < PII_DETECTOR_COUNT; i++) {
        detect_detectors[i]->free(detect_compiled.state[i]);
        detect_compiled.state[i] = NULL;
    }
    pcre2_match_data_free(detect_compiled.md);
    detect_compiled.md = NULL;
}

/** One unit's run: zero-initialise, fill with detect_unit(), release with detect_free(). */
struct detect_run {
    const char *input;
    pii_text norm;
    pii_text scratch;
    pii_candidates found;
    char description[1024];
};

/** Runs `only` (or every detector when NULL) on `text`, in a column of meaning `column`,
 *  inside `record` (the text itself when NULL); then scores at `threshold` unless it is
 *  DETECT_UNSCORED. */
static inline void detect_unit(struct detect_run *r, const char *record, const char *text,
                               enum pii_column column, const struct pii_detector *only,
                               double threshold)
{
    r->input = text;
    r->found.len = 0;
    cr_assert_eq(pii_normalize(text, strlen(text), &r->norm), PIISCAN_OK, "normalise \"%s\"", text);
    size_t digits = 0;
    for (size_t i = 0; i < r->norm.len; i++)
        digits += r->norm.data[i] >= '0' && r->norm.data[i] <= '9';
    if (record == NULL)
        record = text;
    pii_context ctx = {
        .record = record,
        .record_len = strlen(record),
        .scratch = &r->scratch,
    };
    pii_unit u = {
        .text = r->norm.data,
        .len = r->norm.len,
        .column = column,
        .field = 1,
        .digits = digits,
        .ctx = &ctx,
    };
    for (size_t i = 0; i < PII_DETECTOR_COUNT; i++) {
        if (only != NULL && detect_detectors[i] != only)
            continue;
        int rc =
            detect_detectors[i]->scan(detect_compiled.state[i], detect_compiled.md, &u, &r->found);
        cr_assert_eq(rc, PIISCAN_OK, "detector %s scans \"%s\"", detect_detectors[i]->name, text);
    }
    if (threshold != DETECT_UNSCORED)
        pii_score_unit(&u, &r->found, threshold);
}

static inline void detect_free(struct detect_run *r)
{
    pii_text_free(&r->norm);
    pii_text_free(&r->scratch);
    pii_candidates_free(&r->found);
}

/** Start and end of a candidate in bytes of the input (not of the normalised text). */
static inline void detect_input_span(const struct detect_run *r, const pii_candidate *c,
                                     size_t *start, size_t *end)
{
    *start = r->norm.map[c->start];
    *end = r->norm.map[c->end];
}

/** The first candidate of `type`, or NULL. */
static inline const pii_candidate *detect_find(const struct detect_run *r, piiscan_type type)
{
    for (size_t i = 0; i < r->found.len; i++) {
        if (r->found.v[i].type == type)
            return &r->found.v[i];
    }
    return NULL;
}

/** Every candidate as "type [start,end) \"text\" confidence detector", for failure messages. */
static inline const char *detect_describe(struct detect_run *r)
{
    size_t n = 0;
    r->description[0] = '\0';
    if (r->found.len == 0)
        snprintf(r->description, sizeof r->description, "nothing");
    for (size_t i = 0; i < r->found.len && n < sizeof r->description; i++) {
        const pii_candidate *c = &r->found.v[i];
        size_t s;
        size_t e;
        detect_input_span(r, c, &s, &e);
        int w = snprintf(r->description + n, sizeof r->description - n,
                         "%s%s [%zu,%zu) \"%.*s\" %.2f %s", i > 0 ? "; " : "",
                         piiscan_type_name(c->type), s, e, (int)(e - s), r->input + s,
                         c->confidence, c->detector);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    return r->description;
}

/** Where `expected` occurs in `input` (it must occur): the span a test expects. */
static inline void detect_expected_span(const char *input, const char *expected, size_t *start,
                                        size_t *end)
{
    const char *at = strstr(input, expected);
    cr_assert_not_null(at, "test table error: \"%s\" does not occur in \"%s\"", expected, input);
    *start = (size_t)(at - input);
    *end = *start + strlen(expected);
}

/** Asserts that scoring at the default threshold reports exactly one finding, of `type`,
 *  spanning `expected` in the input. Returns it. `label` names the case. */
static inline const pii_candidate *detect_assert_one(struct detect_run *r, const char *label,
                                                     piiscan_type type, const char *expected)
{
    size_t want_start;
    size_t want_end;
    detect_expected_span(r->input, expected, &want_start, &want_end);
    cr_assert_eq(r->found.len, 1, "%s: \"%s\" gives one finding, %s; got %s", label, r->input,
                 expected, detect_describe(r));
    const pii_candidate *c = &r->found.v[0];
    size_t start;
    size_t end;
    detect_input_span(r, c, &start, &end);
    cr_assert_eq(c->type, type, "%s: \"%s\" is a %s; got %s", label, r->input,
                 piiscan_type_name(type), detect_describe(r));
    cr_assert(start == want_start && end == want_end, "%s: the span is \"%s\" = [%zu,%zu); got %s",
              label, expected, want_start, want_end, detect_describe(r));
    return c;
}

/** How many candidates of `type` the run holds. */
static inline size_t detect_count(const struct detect_run *r, piiscan_type type)
{
    size_t n = 0;
    for (size_t i = 0; i < r->found.len; i++)
        n += r->found.v[i].type == type;
    return n;
}

/* Rows of the detector suites' tables. Arrays, not pointers: Criterion copies parameters into
 * the process that runs the test, where the addresses of string literals may differ. */

/** A labelled text (one that must hold nothing, say). */
struct detect_text_case {
    char label[64];
    char input[160];
};

/** A text and the span to be found in it, as it occurs in the text. */
struct detect_span_case {
    char label[64];
    char input[160];
    char expected[128];
};

/** The same, in a column and inside a record (empty: the text is the whole record). */
struct detect_record_case {
    char label[64];
    char input[160];
    char expected[128];
    int column; /* enum pii_column */
    char record[96];
};

/** The same, in a column, with the detector string the finding must carry as its evidence. */
struct detect_evidence_case {
    char label[64];
    char input[160];
    char expected[128];
    int column; /* enum pii_column */
    char evidence[32];
};

/** Runs `only` (or every detector when NULL) on `text` inside `record` (NULL: the text alone)
 *  at the default threshold and asserts exactly one finding, of `type`, spanning `expected`
 *  (NULL: the whole text) and, unless `evidence` is NULL, carrying that detector string.
 *  `label` names the case. Returns a copy of the finding. */
static inline pii_candidate detect_expect_one(const char *label, const char *record,
                                              const char *text, enum pii_column column,
                                              const struct pii_detector *only, piiscan_type type,
                                              const char *expected, const char *evidence)
{
    struct detect_run r = {0};
    detect_unit(&r, record, text, column, only, DETECT_THRESHOLD);
    const pii_candidate *c = detect_assert_one(&r, label, type, expected != NULL ? expected : text);
    if (evidence != NULL)
        cr_expect_str_eq(c->detector, evidence, "%s: evidence of \"%s\"; got %s", label, text,
                         detect_describe(&r));
    pii_candidate found = *c;
    detect_free(&r);
    return found;
}

/** Runs `only` (or every detector when NULL) on `text` inside `record` (NULL: the text alone)
 *  at `threshold` and expects no candidate. The failure reads "label: "text" claim; got ...",
 *  so `claim` says what the text is: "breaks the numbering plan". */
static inline void detect_expect_none(const char *label, const char *record, const char *text,
                                      enum pii_column column, const struct pii_detector *only,
                                      double threshold, const char *claim)
{
    struct detect_run r = {0};
    detect_unit(&r, record, text, column, only, threshold);
    cr_expect_eq(r.found.len, 0, "%s: \"%s\" %s; got %s", label, text, claim, detect_describe(&r));
    detect_free(&r);
}

/** The confidence of the first finding of `type` that every detector, scored at the default
 *  threshold, reports in `text` inside `record` (NULL: the text alone); asserts there is one. */
static inline double detect_confidence(const char *record, const char *text, enum pii_column column,
                                       piiscan_type type)
{
    struct detect_run r = {0};
    detect_unit(&r, record, text, column, NULL, DETECT_THRESHOLD);
    const pii_candidate *c = detect_find(&r, type);
    cr_assert_not_null(c, "\"%s\" holds a %s; got %s", text, piiscan_type_name(type),
                       detect_describe(&r));
    double confidence = c->confidence;
    detect_free(&r);
    return confidence;
}

#endif /* PIISCAN_TEST_DETECT_HELPERS_H */
