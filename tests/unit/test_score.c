/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_score.c - from candidates to findings: the column's meaning, the threshold, overlaps,
 * order; and, through every detector, ordinary numbers of an order export that must never
 * come out as personal data.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "detect_helpers.h"

TestSuite(score, .init = detect_setup, .fini = detect_teardown);

static void push(pii_candidates *c, piiscan_type type, size_t start, size_t end, double confidence,
                 const char *detector)
{
    cr_assert_eq(pii_candidates_push(c, type, start, end, confidence, detector), PIISCAN_OK,
                 "push a candidate");
}

static void score(pii_candidates *c, enum pii_column column, double threshold)
{
    pii_unit u = {.text = "", .len = 0, .column = column};
    pii_score_unit(&u, c, threshold);
}

Test(score, candidates_grow_past_any_initial_capacity_and_free_resets)
{
    pii_candidates c = {0};
    for (size_t i = 0; i < 1000; i++)
        push(&c, PIISCAN_TYPE_PHONE, i * 2, i * 2 + 1, 0.9, "phone");
    cr_assert_eq(c.len, 1000, "every push is kept");
    cr_expect_eq(c.v[999].start, 1998, "the last candidate is intact after growing");
    pii_candidates_free(&c);
    cr_expect(c.v == NULL && c.len == 0 && c.cap == 0, "free leaves an empty, reusable list");
    pii_candidates_free(NULL);
}

Test(score, a_column_of_the_same_type_raises_and_names_the_evidence)
{
    pii_candidates c = {0};
    push(&c, PIISCAN_TYPE_PHONE, 0, 10, 0.75, "phone");
    score(&c, PII_COL_PHONE, DETECT_THRESHOLD);
    cr_assert_eq(c.len, 1, "the candidate stays");
    cr_expect_geq(c.v[0].confidence, 0.95, "a phone column vouches for a phone (%.2f)",
                  c.v[0].confidence);
    cr_expect_str_eq(c.v[0].detector, "phone/column", "the column is the evidence");
    pii_candidates_free(&c);
}

Test(score, a_same_type_column_never_lowers_a_stronger_candidate)
{
    pii_candidates c = {0};
    push(&c, PIISCAN_TYPE_EMAIL, 0, 10, 0.99, "email");
    score(&c, PII_COL_EMAIL, DETECT_THRESHOLD);
    cr_assert_eq(c.len, 1, "the candidate stays");
    cr_expect_geq(c.v[0].confidence, 0.99, "raising means at least (%.2f)", c.v[0].confidence);
    pii_candidates_free(&c);
}

Test(score, a_not_pii_column_drops_what_would_otherwise_be_reported)
{
    pii_candidates c = {0};
    push(&c, PIISCAN_TYPE_PHONE, 0, 12, 0.9, "phone");
    push(&c, PIISCAN_TYPE_CREDIT_CARD, 20, 39, 0.85, "card");
    score(&c, PII_COL_NOT_PII, DETECT_THRESHOLD);
    cr_expect_eq(c.len, 0, "shapes in an order-number column fall below %.2f; %zu remain",
                 DETECT_THRESHOLD, c.len);
    pii_candidates_free(&c);
}

Test(score, a_column_of_another_number_type_lowers)
{
    pii_candidates c = {0};
    push(&c, PIISCAN_TYPE_POSTAL_CODE, 0, 8, 0.9, "postal");
    score(&c, PII_COL_PHONE, 0.0);
    cr_assert_eq(c.len, 1, "kept at threshold 0");
    cr_expect_lt(c.v[0].confidence, 0.9, "a postal code in a phone column is suspect (%.2f)",
                 c.v[0].confidence);
    cr_expect_str_eq(c.v[0].detector, "postal", "the evidence string is unchanged");
    pii_candidates_free(&c);
}

struct column_case {
    char label[32];
    int column; /* enum pii_column */
};

ParameterizedTestParameters(score, free_text_columns_leave_confidence_alone)
{
    static struct column_case cases[] = {
        {"no header", PII_COL_NONE},    {"name", PII_COL_NAME},
        {"address", PII_COL_ADDRESS},   {"prefecture", PII_COL_PREFECTURE},
        {"building", PII_COL_BUILDING},
    };
    return cr_make_param_array(struct column_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct column_case *p, score, free_text_columns_leave_confidence_alone)
{
    pii_candidates c = {0};
    push(&c, PIISCAN_TYPE_POSTAL_CODE, 0, 8, 0.7, "postal");
    score(&c, (enum pii_column)p->column, DETECT_THRESHOLD);
    cr_assert_eq(c.len, 1, "%s column: the candidate stays", p->label);
    cr_expect_eq(c.v[0].confidence, 0.7, "%s column: a postal code is at home here (%.2f)",
                 p->label, c.v[0].confidence);
    pii_candidates_free(&c);
}

/* Candidates scored together outside any column, and those that must survive, by start. */
struct survivor_case {
    char label[72]; /* the claim */
    struct {
        int type; /* piiscan_type */
        size_t start;
        size_t end;
        double confidence;
        char detector[8];
    } in[4];
    size_t n_in;
    double threshold;
    struct {
        int type;
        size_t start;
    } out[4];
    size_t n_out;
    char why[48]; /* why that many survive */
};

ParameterizedTestParameters(score, overlaps_and_the_threshold_decide_which_candidates_survive)
{
    static struct survivor_case cases[] = {
        {.label = "the threshold is inclusive",
         .in = {{PIISCAN_TYPE_PHONE, 0, 10, 0.6, "phone"},
                {PIISCAN_TYPE_PHONE, 20, 30, 0.59, "phone"}},
         .n_in = 2,
         .threshold = 0.6,
         .out = {{PIISCAN_TYPE_PHONE, 0}},
         .n_out = 1,
         .why = "0.6 is kept at threshold 0.6, 0.59 is not"},
        {.label = "of two overlapping candidates the more confident wins",
         .in = {{PIISCAN_TYPE_PHONE, 0, 11, 0.75, "phone"},
                {PIISCAN_TYPE_EMAIL, 0, 24, 0.95, "email"}},
         .n_in = 2,
         .threshold = DETECT_THRESHOLD,
         .out = {{PIISCAN_TYPE_EMAIL, 0}},
         .n_out = 1,
         .why = "the e-mail address (0.95) beats the phone"},
        {.label = "on a tie the longer span wins",
         .in = {{PIISCAN_TYPE_POSTAL_CODE, 0, 8, 0.9, "postal"},
                {PIISCAN_TYPE_PHONE, 4, 16, 0.9, "phone"}},
         .n_in = 2,
         .threshold = DETECT_THRESHOLD,
         .out = {{PIISCAN_TYPE_PHONE, 4}},
         .n_out = 1,
         .why = "the longer span wins the tie"},
        /* [0,10) 0.95 overlaps [8,20) 0.9 which overlaps [18,30) 0.95: the weak middle goes. */
        {.label = "a chain of overlaps keeps the strong ends",
         .in = {{PIISCAN_TYPE_CREDIT_CARD, 18, 30, 0.95, "card"},
                {PIISCAN_TYPE_PHONE, 8, 20, 0.9, "phone"},
                {PIISCAN_TYPE_EMAIL, 0, 10, 0.95, "email"}},
         .n_in = 3,
         .threshold = DETECT_THRESHOLD,
         .out = {{PIISCAN_TYPE_EMAIL, 0}, {PIISCAN_TYPE_CREDIT_CARD, 18}},
         .n_out = 2,
         .why = "both ends survive"},
        {.label = "disjoint candidates all survive, sorted by start",
         .in = {{PIISCAN_TYPE_PHONE, 40, 52, 0.9, "phone"},
                {PIISCAN_TYPE_POSTAL_CODE, 0, 8, 0.7, "postal"},
                {PIISCAN_TYPE_EMAIL, 20, 35, 0.95, "email"},
                {PIISCAN_TYPE_PHONE, 8, 18, 0.75, "phone"}}, /* touches, does not overlap */
         .n_in = 4,
         .threshold = DETECT_THRESHOLD,
         .out = {{PIISCAN_TYPE_POSTAL_CODE, 0},
                 {PIISCAN_TYPE_PHONE, 8},
                 {PIISCAN_TYPE_EMAIL, 20},
                 {PIISCAN_TYPE_PHONE, 40}},
         .n_out = 4,
         .why = "nothing overlaps"},
    };
    return cr_make_param_array(struct survivor_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct survivor_case *p, score,
                  overlaps_and_the_threshold_decide_which_candidates_survive)
{
    pii_candidates c = {0};
    for (size_t i = 0; i < p->n_in; i++)
        push(&c, (piiscan_type)p->in[i].type, p->in[i].start, p->in[i].end, p->in[i].confidence,
             p->in[i].detector);
    score(&c, PII_COL_NONE, p->threshold);
    cr_assert_eq(c.len, p->n_out, "%s: %s; %zu survive", p->label, p->why, c.len);
    for (size_t i = 0; i < p->n_out; i++)
        cr_expect(c.v[i].type == (piiscan_type)p->out[i].type && c.v[i].start == p->out[i].start,
                  "%s: survivor %zu is the %s at %zu; got the %s at %zu", p->label, i,
                  piiscan_type_name((piiscan_type)p->out[i].type), p->out[i].start,
                  piiscan_type_name(c.v[i].type), c.v[i].start);
    pii_candidates_free(&c);
}

ParameterizedTestParameters(score, ordinary_numbers_of_an_order_export_are_not_personal_data)
{
    static struct detect_text_case cases[] = {
        {"ISO date", "2022-07-05"},
        {"date with slashes", "2022/07/05"},
        {"Japanese date", "2022年7月5日"},
        {"compact date", "20220705"},
        {"date with dots", "2022.07.05"},
        {"compact timestamp", "20220705123456"},
        {"time", "12:34:56"},
        {"timestamp with an offset", "2022-07-05T12:34:56+09:00"},
        {"date and time", "2022/07/05 12:34:56"},
        {"Rakuten order number", "382930-20220705-0123456789"},
        {"Amazon order id", "250-1234567-1234567"},
        {"tracking number, grouped", "4960-1234-5678"},
        {"tracking number, bare", "496012345678"},
        {"JAN code", "4901234567894"},
        {"SKU", "ABC-0312-3456"},
        {"price with a yen sign", "¥12,800"},
        {"price with 円", "12,800円"},
        {"quantity", "数量 3"},
        {"quantity with a counter", "12個"},
        {"times a quantity", "x12"},
        {"points", "合計 1,280点"},
        {"a whole order line", "2022/07/05 382930-20220705-0123456789 4901234567894 ¥12,800 x2"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, score,
                  ordinary_numbers_of_an_order_export_are_not_personal_data)
{
    detect_expect_none(p->label, NULL, p->input, PII_COL_NONE, NULL, DETECT_THRESHOLD,
                       "is not personal data");
}

ParameterizedTestParameters(score, look_alikes_in_not_pii_columns_are_not_reported)
{
    static struct detect_text_case cases[] = {
        {"order number shaped like a phone", "0312345678"},
        {"SKU shaped like a phone", "090-1234-5678"},
        {"tracking number shaped like a postal code", "150-0001"},
        {"order number shaped like a card", "4111111111111111"},
    };
    return cr_make_param_array(struct detect_text_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct detect_text_case *p, score,
                  look_alikes_in_not_pii_columns_are_not_reported)
{
    /* The same value outside the column is reported, or the test proves nothing. */
    struct detect_run free_text = {0};
    detect_unit(&free_text, NULL, p->input, PII_COL_NONE, NULL, DETECT_THRESHOLD);
    cr_assert_eq(free_text.found.len, 1, "%s: \"%s\" is reported in free text; got %s", p->label,
                 p->input, detect_describe(&free_text));
    detect_free(&free_text);

    detect_expect_none(p->label, NULL, p->input, PII_COL_NOT_PII, NULL, DETECT_THRESHOLD,
                       "in an order-number column");
}

Test(score, detection_is_skipped_in_a_not_pii_column_only_when_no_candidate_could_survive)
{
    /* The gate must agree with the scorer: where it says "skip", even a candidate of the
     * highest possible confidence is dropped, and where it says "scan", one survives. */
    const double thresholds[] = {0.0, 0.25, 0.3, 0.31, DETECT_THRESHOLD, 0.9};
    for (size_t i = 0; i < sizeof thresholds / sizeof *thresholds; i++) {
        pii_candidates c = {0};
        push(&c, PIISCAN_TYPE_PHONE, 0, 10, 1.0, "phone");
        score(&c, PII_COL_NOT_PII, thresholds[i]);
        bool may = pii_score_column_may_report(PII_COL_NOT_PII, thresholds[i]);
        cr_expect_eq(may, c.len == 1,
                     "at threshold %.2f the gate says %s but the scorer kept %zu candidates",
                     thresholds[i], may ? "scan" : "skip", c.len);
        pii_candidates_free(&c);
    }
    cr_expect(!pii_score_column_may_report(PII_COL_NOT_PII, DETECT_THRESHOLD),
              "an order-number column needs no detection at the default threshold");
}

Test(score, detection_is_never_skipped_in_a_column_that_may_hold_personal_data)
{
    for (int col = PII_COL_NONE; col < PII_COL_COUNT; col++) {
        if (col == PII_COL_NOT_PII)
            continue;
        cr_expect(pii_score_column_may_report((enum pii_column)col, 0.99),
                  "column meaning %d only lowers other types by a factor: still scanned", col);
    }
}
