/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * score.c - from the detectors' candidates to the findings of one unit.
 *
 * Evidence model. Each rule lives in exactly one place:
 *
 *   1. The value's shape, validated (detect_*.c). A detector reports a candidate only when the
 *      value passes its check: the numbering plan and the area-code table for phones, Japan
 *      Post's list for postal codes, the check digit for My Number, Luhn and the issuer's
 *      prefix and length for cards, the syntax and a real-looking domain for e-mail. Its base
 *      confidence says how rarely that shape is anything else: a grouped phone number 0.9, the
 *      same digits ungrouped 0.75, a dashed postal code 0.7, a grouped card 0.85, ungrouped
 *      0.6, an e-mail address 0.95.
 *   2. Evidence next to the value or near it (detect_*.c), because only the detector knows
 *      which words matter to it: a label right before the value (TEL:, 電話, ☎, 〒), context
 *      keywords in the value's field and the field before it, or in its text line
 *      (pii_unit_keywords: 電話, 郵便番号, マイナンバー, カード番号 ...; in a column whose
 *      header has a meaning, that meaning stands in for them), a prefecture right after a
 *      postal code. Such evidence raises the candidate to 0.85-0.97 and names itself in the
 *      detector string ("phone/keyword", "postal/mark", "postal/address").
 *   3. Gates (detect_*.c): shapes that are too common to report alone are candidates only
 *      with context. Bare 7-digit postal codes need 〒, a keyword, a following prefecture or
 *      a postal-code column; 12-digit My Numbers need a keyword or a My Number column; a phone
 *      number whose leading 0 a spreadsheet dropped is looked for only in a phone column.
 *   4. The column's meaning (here, and only here), from the CSV header:
 *        - the column says this type: confidence raised to at least 0.97, evidence "<x>/column";
 *        - the column says not personal data (order number, tracking number, SKU, JAN, date,
 *          price, product): confidence x 0.3, so a shape that merely looks like personal data
 *          (0.9 at most without a label) falls below the default threshold of 0.5;
 *        - the column says another specific type (phone, postal code, e-mail, My Number,
 *          card): confidence x 0.6, since a value of one type in another's column is more
 *          often a look-alike (a postal-looking number in a phone column);
 *        - name, address or no header: unchanged.
 *   5. Other personal data in the same record (here, pii_score_record_*): a name or address
 *      candidate too weak to report alone (a surname alone 0.3, two kana readings glued 0.4,
 *      a doubtful surname and given name 0.45; a municipality alone 0.3, a place without
 *      numbers 0.45, a building and room alone 0.4) that stands as a word of its own (spaces,
 *      punctuation or the field's edges around it: not 平 in 平日のみ) is held until its
 *      record (a CSV row, a text line, a worksheet row) is complete. If the record holds another
 * finding at or above the threshold (a phone, an e-mail, a postal code, a name, an address ...),
 * the weak candidate is raised by 0.3, at most to 0.85, with evidence "name/record" or
 *      "address/record": a surname next to a phone number is a person, the same surname in a
 *      product list is not. Weak candidates never support each other. A weak name in kana
 *      alone (a surname's reading: シルバー reads as Silva; two readings glued together) is
 *      not raised: the record says nothing about whether a katakana word is a loanword.
 *   6. Threshold (here): candidates below it are dropped; those of a record are delivered
 *      together, in input order (field, then start), once the record is complete, so memory
 *      stays bounded by the record.
 *   7. Overlaps (here, per unit, held weak candidates included): of candidates whose spans
 *      overlap, the more confident wins; on a tie the longer span; on a tie the earlier.
 *      Survivors are sorted by start.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define COLUMN_SAME_TYPE_CONFIDENCE 0.97
#define COLUMN_NOT_PII_FACTOR       0.3
#define COLUMN_OTHER_TYPE_FACTOR    0.6
#define RECORD_RAISE                0.3
#define RECORD_CAP                  0.85

int pii_candidates_push(pii_candidates *c, piiscan_type type, size_t start, size_t end,
                        double confidence, const char *detector)
{
    if (c->len == c->cap) {
        size_t cap = c->cap == 0 ? 16 : c->cap * 2;
        if (cap < c->cap || cap > SIZE_MAX / sizeof *c->v)
            return PIISCAN_ERR_NOMEM;
        pii_candidate *v = realloc(c->v, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ERR_NOMEM;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->len++] = (pii_candidate){
        .type = type,
        .start = start,
        .end = end,
        .confidence = confidence,
        .detector = detector,
    };
    return PIISCAN_OK;
}

void pii_candidates_free(pii_candidates *c)
{
    if (c == NULL)
        return;
    free(c->v);
    c->v = NULL;
    c->len = 0;
    c->cap = 0;
}

/* The evidence string of a candidate confirmed by its column; static. */
static const char *column_evidence(piiscan_type t)
{
    switch (t) {
    case PIISCAN_TYPE_NAME:
        return "name/column";
    case PIISCAN_TYPE_ADDRESS:
        return "address/column";
    case PIISCAN_TYPE_PHONE:
        return "phone/column";
    case PIISCAN_TYPE_EMAIL:
        return "email/column";
    case PIISCAN_TYPE_POSTAL_CODE:
        return "postal/column";
    case PIISCAN_TYPE_MY_NUMBER:
        return "mynumber/column";
    case PIISCAN_TYPE_CREDIT_CARD:
        return "card/column";
    }
    return NULL;
}

/* Types whose columns hold one kind of value, so that another type found there is suspect.
 * Name and address columns are free text where a phone or postal code is at home. */
static bool is_specific_type(piiscan_type t)
{
    return t == PIISCAN_TYPE_PHONE || t == PIISCAN_TYPE_POSTAL_CODE || t == PIISCAN_TYPE_EMAIL ||
           t == PIISCAN_TYPE_MY_NUMBER || t == PIISCAN_TYPE_CREDIT_CARD;
}

static void apply_column(enum pii_column column, pii_candidate *c)
{
    if (column == PII_COL_NONE)
        return;
    if (column == PII_COL_NOT_PII) {
        c->confidence *= COLUMN_NOT_PII_FACTOR;
        return;
    }
    piiscan_type t = pii_column_type(column);
    if (t == c->type) {
        if (c->confidence < COLUMN_SAME_TYPE_CONFIDENCE)
            c->confidence = COLUMN_SAME_TYPE_CONFIDENCE;
        if (column_evidence(t) != NULL)
            c->detector = column_evidence(t);
    } else if (is_specific_type(t)) {
        c->confidence *= COLUMN_OTHER_TYPE_FACTOR;
    }
}

bool pii_score_column_may_report(enum pii_column column, double threshold)
{
    /* Candidates are at most 1, and the product rounds monotonically: no candidate of a
     * not-personal-data column can beat a threshold above the factor itself. */
    return !(column == PII_COL_NOT_PII && 1.0 * COLUMN_NOT_PII_FACTOR < threshold);
}

static int by_start(const void *pa, const void *pb)
{
    const pii_candidate *a = pa;
    const pii_candidate *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return (int)a->type - (int)b->type;
}

/* Strongest first: confidence, then length, then position, then type (for a total order,
 * so that the result never depends on qsort's choices). */
static int by_strength(const void *pa, const void *pb)
{
    const pii_candidate *a = pa;
    const pii_candidate *b = pb;
    if (a->confidence != b->confidence)
        return a->confidence > b->confidence ? -1 : 1;
    size_t alen = a->end - a->start;
    size_t blen = b->end - b->start;
    if (alen != blen)
        return alen > blen ? -1 : 1;
    return by_start(pa, pb);
}

static bool overlaps(const pii_candidate *a, const pii_candidate *b)
{
    return a->start < b->end && b->start < a->end;
}

/* Keeps the strongest candidates of v[0..n) that do not overlap a stronger one; moves them
 * to the front and returns how many. A cluster is small (the candidates of one value), so
 * the quadratic check does not matter. */
static size_t resolve_cluster(pii_candidate *v, size_t n)
{
    qsort(v, n, sizeof *v, by_strength);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        bool is_free = true;
        for (size_t k = 0; k < kept && is_free; k++)
            is_free = !overlaps(&v[k], &v[i]);
        if (is_free)
            v[kept++] = v[i];
    }
    return kept;
}

/* Types whose weak candidates wait for the rest of their record. */
static bool is_record_type(piiscan_type t)
{
    return t == PIISCAN_TYPE_NAME || t == PIISCAN_TYPE_ADDRESS;
}

/* A character that continues a word: kanji, kana, the iteration mark, letters and digits. */
static bool is_word_char(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || cp == 0x3005 ||
           (cp >= 0x3041 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

/* Whether [start, end) of the unit stands as a word of its own: the unit's edges, spaces or
 * punctuation on both sides. A weak candidate glued to more text (平 in 平日のみ) is a piece
 * of another word far more often than a name, whatever the record holds. */
static bool stands_alone(const pii_unit *u, size_t start, size_t end)
{
    if (start > 0) {
        size_t b = start - 1;
        while (b > 0 && ((unsigned char)u->text[b] & 0xC0) == 0x80)
            b--;
        uint32_t cp;
        pii_utf8_fast(u->text + b, start - b, &cp);
        if (is_word_char(cp))
            return false;
    }
    if (end < u->len) {
        uint32_t cp;
        pii_utf8_fast(u->text + end, u->len - end, &cp);
        if (is_word_char(cp))
            return false;
    }
    return true;
}

/* pii_score_unit, keeping name and address candidates that stand alone down to weak_floor. */
static void score(const pii_unit *u, pii_candidates *c, double threshold, double weak_floor)
{
    size_t n = 0;
    for (size_t i = 0; i < c->len; i++) {
        pii_candidate cand = c->v[i];
        apply_column(u->column, &cand);
        if (cand.confidence > 1.0)
            cand.confidence = 1.0;
        double floor = threshold;
        if (is_record_type(cand.type) && cand.start < cand.end && cand.end <= u->len &&
            stands_alone(u, cand.start, cand.end))
            floor = weak_floor;
        if (cand.confidence < floor || cand.end <= cand.start)
            continue;
        c->v[n++] = cand;
    }
    c->len = n;
    if (n < 2)
        return;

    /* Overlap is resolved per cluster of transitively overlapping spans, so that one long
     * line with thousands of candidates costs n log n, not n squared. */
    qsort(c->v, n, sizeof *c->v, by_start);
    size_t out = 0;
    size_t i = 0;
    while (i < n) {
        size_t j = i + 1;
        size_t end = c->v[i].end;
        while (j < n && c->v[j].start < end) {
            if (c->v[j].end > end)
                end = c->v[j].end;
            j++;
        }
        size_t kept = j - i == 1 ? 1 : resolve_cluster(&c->v[i], j - i);
        memmove(&c->v[out], &c->v[i], kept * sizeof *c->v);
        out += kept;
        i = j;
    }
    c->len = out;
    qsort(c->v, out, sizeof *c->v, by_start);
}

void pii_score_unit(const pii_unit *u, pii_candidates *c, double threshold)
{
    score(u, c, threshold, threshold);
}

void pii_score_unit_in_record(const pii_unit *u, pii_candidates *c, double threshold)
{
    /* Only a candidate that the raise can lift to the threshold is worth keeping. */
    double floor = threshold;
    if (threshold <= RECORD_CAP)
        floor = threshold - RECORD_RAISE;
    score(u, c, threshold, floor);
}

bool pii_score_record_supports(const pii_candidate *c, double threshold)
{
    return c->confidence >= threshold;
}

bool pii_score_record_apply(pii_candidate *c, bool is_supported, double threshold)
{
    if (c->confidence >= threshold)
        return true;
    if (!is_supported || !is_record_type(c->type) ||
        strcmp(c->detector, PII_EVIDENCE_KANA_ALONE) == 0)
        return false;
    double raised = c->confidence + RECORD_RAISE;
    c->confidence = raised < RECORD_CAP ? raised : RECORD_CAP;
    c->detector = c->type == PIISCAN_TYPE_NAME ? "name/record" : "address/record";
    return c->confidence >= threshold;
}
