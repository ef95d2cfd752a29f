/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stream.c - the begin/feed/finish state machine of one input.
 *
 * Bytes pass through three holding places, each bounded: the head (PII_HEAD_BYTES, until the
 * kind of input is known), the decoder's sample (until the encoding is known) and the window
 * (decoded text from the start of the first record not yet complete). Complete records are
 * cut into units, detected, scored and delivered, then dropped from the window. So memory
 * depends on the chunk size and the longest record, never on the size of the input, and a
 * match that straddles two chunks is seen once, whole, inside its record.
 *
 * A workbook (a zip, or an OLE2 container) is no stream of records: it is read in place from
 * a file or a buffer (or, fed in chunks, held until finish) by read_xlsx.c and cfb.c, whose
 * cells come back through pii_stream_scan_row() and pii_stream_scan_cell() to the same
 * detection and scoring, with their sheet and cell as their place.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

#define READ_CHUNK_BYTES (256u << 10)
/* Longest unit context (the field and the one before it) remembered for the next record: a
 * repeated customer column is short; a long note seldom repeats and would only cost copies. */
#define MEMO_MAX_KEY_BYTES 512

/* A candidate of the record being scanned, held until the record is complete (score.c's
 * record-level evidence). start and end are window offsets for a CSV/TSV/text record, offsets
 * in cells[cell].text for a workbook row. */
struct held {
    pii_candidate c;
    size_t start;
    size_t end;
    uint32_t field;
    size_t cell;
};

/* Where a finding of the current record starts: window byte `at` is on physical line `line`
 * (counted from the record's first line) at character `column` of that line. Findings come in
 * the order they start, so each is found from the last one rather than from its line's start:
 * a long record with many findings is walked once, not once per finding. */
struct place {
    size_t at;
    uint64_t line;
    uint32_t column;
};

/* What one column's unit of the record before gave. An export with a row per ordered item
 * repeats the order's customer columns on every row of the order (29 % of the rows of the
 * benchmark's corpus, bench/gen_orders), and detection depends on nothing but the unit's text, its
 * column's meaning and its context (the field before it): a unit whose context bytes, cut at the
 * same place, and meaning are those remembered has the remembered candidates, without detecting
 * again. */
struct unit_memo {
    char *key; /* MEMO_MAX_KEY_BYTES: window bytes from the context's start to the unit's end */
    size_t key_len;
    size_t unit_at; /* where the unit starts in key: equal bytes cut elsewhere are not equal */
    uint8_t column;
    bool is_valid;
    pii_candidates found; /* offsets in the unit, as detect_unit() leaves them */
};

/* A field that holds one part of a value split over several columns. */
struct split_part {
    piiscan_type type; /* 0: none */
    double confidence;
};

/* The text of one column of a record, for joining split values: a CSV field in the window or
 * a workbook cell. */
struct column_text {
    const char *text; /* NULL: the column is empty or absent */
    size_t len;
};

enum phase {
    PHASE_IDLE,    /* no input begun */
    PHASE_HEAD,    /* collecting the first bytes */
    PHASE_BODY,    /* decoding and scanning */
    PHASE_SKIP,    /* recognised as binary: input is counted and dropped */
    PHASE_PACKAGE, /* a workbook fed in chunks: held until finish (a zip is read from its end) */
    PHASE_DONE,    /* finished */
    PHASE_FAILED,  /* an error; refuses input until the next begin */
};

struct piiscan_stream {
    const piiscan_scanner *sc;
    piiscan_finding_fn fn;
    void *user;
    enum phase phase;
    piiscan_error err;
    piiscan_stats stats;

    piiscan_encoding forced_encoding;
    piiscan_format forced_format;
    char name_hint[24]; /* "x" + the extension of the source name, for pii_sniff_format */

    unsigned char head[PII_HEAD_BYTES];
    size_t head_len;

    pii_decoder dec;
    pii_text window;      /* decoded text; byte 0 starts the first unfinished record */
    uint64_t window_line; /* physical line of window byte 0 */
    bool is_format_known;
    pii_csv csv;
    bool is_in_split_line;
    bool is_marker_line; /* the allow marker was in an earlier piece of this split line */
    size_t text_checked; /* window bytes known to hold no line end */

    uint8_t *columns; /* meaning of each header column (enum pii_column) */
    uint8_t *parts;   /* the number that ends each header cell (電話番号1 -> 1), 0 for none */
    struct split_part *split;        /* per field (workbook: per column) of the current record */
    struct column_text *column_text; /* per column: the record's text, for split values */
    struct unit_memo *memo;          /* per field of a CSV/TSV record, up to PII_MAX_COLUMNS */
    size_t memo_len;                 /* entries allocated */
    size_t ncolumns;
    bool is_header_found;
    size_t first_record_fields;

    /* pii_score_column_may_report for each meaning at the scanner's threshold, asked once
     * rather than for every field. */
    bool column_may_report[PII_COL_COUNT];

    /* Workbooks (read_xlsx.c): the sheet of the current units, rows of it seen so far, the
     * text of a cell and the one before it (its context), and a package fed in chunks. */
    const char *sheet;
    uint64_t sheet_rows;
    char *near;
    size_t near_cap;
    unsigned char *package;
    size_t package_len;
    size_t package_cap;
    /* The redactor's view of a workbook: the unit of the finding being delivered, and a hook
     * that sees every unit (redact_xlsx.c). */
    const pii_cell *finding_cell;
    pii_units_fn units_fn;
    void *units_user;
    bool is_units_only;

    pii_text norm;
    pii_text context_scratch;
    pii_text label_scratch;
    pii_candidates candidates;
    pii_candidates spare; /* the candidates before a deferred detector runs */
    /* deferred_detector() for each meaning: asked once rather than for every field. */
    size_t deferred[PII_COL_COUNT];
    struct place place;      /* of the last finding delivered in the current record */
    piiscan_finding finding; /* the one given to the callback (text input) */
    struct held *held;       /* the current record's candidates */
    size_t nheld;
    size_t held_cap;
    pcre2_match_data *match;
    unsigned char *read_buf;
};

/* ------------------------------------------------------------------------------------------ */

/* In a name column, the name detector claims the whole field (spaces and an honorific aside)
 * above any address candidate's confidence, and the address detector does the same in an
 * address column: a candidate of the other dictionary detector there overlaps the claim and
 * loses to it, so walking the dictionary over every character of the field for it is wasted.
 * Such a detector is deferred: the unit is scored without it, and it runs (and the unit is
 * scored again, with the candidates in their usual order) only when the result does not prove
 * it useless. Returns the detector's index, or ndetectors for none. */
static size_t deferred_detector(const piiscan_scanner *sc, enum pii_column column)
{
    piiscan_type type = pii_column_type(column);
    if (type != PIISCAN_TYPE_NAME && type != PIISCAN_TYPE_ADDRESS)
        return sc->ndetectors;
    for (size_t i = 0; i < sc->ndetectors; i++) {
        if (sc->detectors[i]->max_confidence > 0 && sc->detectors[i]->type != type)
            return i;
    }
    return sc->ndetectors;
}

int piiscan_stream_new(const piiscan_scanner *sc, piiscan_finding_fn fn, void *user,
                       piiscan_stream **out)
{
    if (sc == NULL || fn == NULL || out == NULL)
        return PIISCAN_ERR_INVALID;
    piiscan_stream *st = calloc(1, sizeof *st);
    if (st == NULL)
        return PIISCAN_ERR_NOMEM;
    st->sc = sc;
    st->fn = fn;
    st->user = user;
    st->match = pcre2_match_data_create(PII_MATCH_PAIRS, NULL);
    st->columns = calloc(PII_MAX_COLUMNS, sizeof *st->columns);
    st->parts = calloc(PII_MAX_COLUMNS, sizeof *st->parts);
    st->split = calloc(PII_MAX_COLUMNS, sizeof *st->split);
    st->column_text = calloc(PII_MAX_COLUMNS, sizeof *st->column_text);
    if (st->match == NULL || st->columns == NULL || st->parts == NULL || st->split == NULL ||
        st->column_text == NULL) {
        piiscan_stream_free(st);
        return PIISCAN_ERR_NOMEM;
    }
    for (int c = 0; c < PII_COL_COUNT; c++) {
        st->column_may_report[c] =
            pii_score_column_may_report((enum pii_column)c, sc->opt.threshold);
        st->deferred[c] = deferred_detector(sc, (enum pii_column)c);
    }
    pii_decoder_init(&st->dec, sc->tables);
    pii_csv_init(&st->csv, ',');
    pii_error_clear(&st->err);
    *out = st;
    return PIISCAN_OK;
}

void piiscan_stream_free(piiscan_stream *st)
{
    if (st == NULL)
        return;
    pii_decoder_free(&st->dec);
    pii_csv_free(&st->csv);
    pii_text_free(&st->window);
    pii_text_free(&st->norm);
    pii_text_free(&st->context_scratch);
    pii_text_free(&st->label_scratch);
    pii_candidates_free(&st->candidates);
    pii_candidates_free(&st->spare);
    free(st->held);
    pcre2_match_data_free(st->match);
    free(st->columns);
    free(st->parts);
    free(st->split);
    free(st->column_text);
    for (size_t i = 0; i < st->memo_len; i++) {
        free(st->memo[i].key);
        pii_candidates_free(&st->memo[i].found);
    }
    free(st->memo);
    free(st->read_buf);
    free(st->near);
    free(st->package);
    free(st);
}

const piiscan_error *piiscan_stream_error(const piiscan_stream *st)
{
    return &st->err;
}

const piiscan_stats *piiscan_stream_stats(const piiscan_stream *st)
{
    return &st->stats;
}

/* Keeps only the extension: the name is borrowed for the duration of begin. */
static void remember_extension(piiscan_stream *st, const char *name)
{
    st->name_hint[0] = '\0';
    if (name == NULL)
        return;
    const char *dot = strrchr(name, '.');
    const char *slash = strrchr(name, '/');
    if (dot == NULL || (slash != NULL && dot < slash) || strlen(dot) >= sizeof st->name_hint - 1)
        return;
    st->name_hint[0] = 'x';
    strcpy(st->name_hint + 1, dot);
}

int piiscan_stream_begin(piiscan_stream *st, const piiscan_source *src)
{
    if (st == NULL)
        return PIISCAN_ERR_INVALID;
    pii_error_clear(&st->err);
    memset(&st->stats, 0, sizeof st->stats);
    st->forced_encoding = src != NULL ? src->encoding : PIISCAN_ENCODING_AUTO;
    st->forced_format = src != NULL ? src->format : PIISCAN_FORMAT_AUTO;
    remember_extension(st, src != NULL ? src->name : NULL);
    st->head_len = 0;
    pii_text_clear(&st->window);
    st->window.base = 0;
    st->window_line = 1;
    st->is_format_known = false;
    st->is_in_split_line = false;
    st->is_marker_line = false;
    st->text_checked = 0;
    pii_csv_restart(&st->csv);
    st->is_header_found = false;
    st->ncolumns = 0;
    st->first_record_fields = 0;
    for (size_t i = 0; i < st->memo_len; i++)
        st->memo[i].is_valid = false;
    st->sheet = NULL;
    free(st->package); /* up to PII_PACKAGE_FEED_MAX_BYTES: not kept between inputs */
    st->package = NULL;
    st->package_len = 0;
    st->package_cap = 0;
    st->phase = PHASE_HEAD;
    if (st->forced_format == PIISCAN_FORMAT_BINARY ||
        (unsigned)st->forced_format > PIISCAN_FORMAT_BINARY ||
        (unsigned)st->forced_encoding > PIISCAN_ENCODING_UTF16BE) {
        st->phase = PHASE_FAILED;
        return pii_error_set(&st->err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                             "cannot force this format or encoding on a text stream");
    }
    return PIISCAN_OK;
}

static int fail(piiscan_stream *st, int code)
{
    st->phase = PHASE_FAILED;
    if (st->err.code == PIISCAN_OK)
        pii_error_set(&st->err, code, UINT64_MAX, 0, "%s", piiscan_strerror(code));
    return code;
}

/* ------------------------------------------------------------------------------------------ */
/* Units: detection, scoring and delivery                                                     */

#if defined(__SSE2__)
/* The number of bits set in x < 2^16. */
static inline unsigned count_bits16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0F0Fu;
    return (x + (x >> 8)) & 0x1Fu;
}
#endif

/* The place of window byte `at` of record `rec` (a record begins at the start of a line, a
 * text line cut into pieces aside), found from st->place when it lies before `at`. A line
 * ends at LF, CR LF or a CR alone; a character is counted at its first byte. */
static struct place place_of(piiscan_stream *st, const pii_record *rec, size_t at)
{
    struct place p = st->place;
    if (p.at < rec->start || p.at > at)
        p = (struct place){.at = rec->start, .line = 0, .column = 1};
    const unsigned char *s = (const unsigned char *)st->window.data;
    size_t i = p.at;
#if defined(__SSE2__)
    /* Sixteen bytes at a time while they hold no line end, the last block masked to `at`
     * (findings are close together: most steps are shorter than a block). The characters
     * among the bytes are those that are no UTF-8 continuation (10xxxxxx). The window's
     * bytes up to its length may be read. */
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    const __m128i top2 = _mm_set1_epi8((char)0xC0);
    const __m128i cont = _mm_set1_epi8((char)0x80);
    while (i < at && st->window.len - i >= 16) {
        size_t k = at - i < 16 ? at - i : 16;
        unsigned valid = (1u << k) - 1;
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i ends = _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr));
        if (((unsigned)_mm_movemask_epi8(ends) & valid) != 0)
            break;
        unsigned conts =
            (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top2), cont)) & valid;
        p.column += (uint32_t)(k - count_bits16(conts));
        i += k;
    }
#endif
    /* Eight bytes at a time while they hold no line end, then byte by byte. */
    const uint64_t ones = UINT64_C(0x0101010101010101);
    const uint64_t highs = UINT64_C(0x8080808080808080);
    while (i < at) {
        if (at - i >= 8) {
            uint64_t v;
            memcpy(&v, s + i, sizeof v);
            uint64_t lfs = v ^ (ones * '\n');
            uint64_t crs = v ^ (ones * '\r');
            if (((((lfs - ones) & ~lfs) | ((crs - ones) & ~crs)) & highs) == 0) {
                uint64_t continuation = v & ~(v << 1) & highs;
                p.column += 8 - (uint32_t)(((continuation >> 7) * ones) >> 56);
                i += 8;
                continue;
            }
        }
        if (s[i] == '\n' || s[i] == '\r') {
            p.line += s[i] == '\n' || i + 1 >= st->window.len || s[i + 1] != '\n';
            p.column = 1;
        } else {
            p.column += (s[i] & 0xC0) != 0x80;
        }
        i++;
    }
    p.at = at;
    st->place = p;
    return p;
}

/* ASCII digits in s[0..n), where s[0..readable) may be read (readable >= n). */
static size_t count_digits(const char *s, size_t n, size_t readable)
{
    size_t digits = 0;
    size_t i = 0;
#if defined(__SSE2__)
    /* Sixteen bytes a step, the last block masked to n. Signed compares: bytes from 0x80
     * are negative, below '0'. */
    while (i < n && readable - i >= 16) {
        size_t k = n - i < 16 ? n - i : 16;
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
        digits += count_bits16((unsigned)_mm_movemask_epi8(digit) & ((1u << k) - 1));
        i += k;
    }
#else
    (void)readable;
#endif
    for (; i < n; i++)
        digits += (unsigned)(s[i] - '0') <= 9;
    return digits;
}

/* Delivers the candidate found at window bytes [dstart, dend) of record `rec`. */
static int emit(piiscan_stream *st, const pii_record *rec, size_t dstart, size_t dend,
                uint32_t field, const pii_candidate *c)
{
    struct place at = place_of(st, rec, dstart);
    /* Filled in member by member: the members of text input that no finding sets (sheet,
     * cell, and any added later) stay as calloc left them, and a finding costs no clearing
     * of the whole structure. */
    piiscan_finding *f = &st->finding;
    f->type = c->type;
    f->start = st->window.base + st->window.map[dstart];
    f->end = st->window.base + st->window.map[dend];
    /* A record the reader found on one line is on window_line, whatever CR it holds. */
    f->line = st->window_line + (rec->lines <= 1 ? 0 : at.line);
    f->field = field;
    f->column = at.column;
    f->record = st->stats.records;
    f->text = st->window.data + dstart;
    f->text_len = dend - dstart;
    f->confidence = c->confidence;
    f->detector = c->detector;
    st->stats.findings++;
    if (st->fn(f, st->user) != 0) {
        pii_error_set(&st->err, PIISCAN_ERR_ABORTED, f->start, f->line,
                      "stopped by the finding callback");
        return fail(st, PIISCAN_ERR_ABORTED);
    }
    return PIISCAN_OK;
}

/* Whether a detector whose candidates are at most max_confidence and start at a byte outside
 * ASCII or an ASCII capital could change the scored candidates c of unit u: not when one of
 * them is more confident and covers every place where such a candidate could start. Each of
 * its candidates would then overlap that one and lose to it, before or after the others
 * (overlaps are resolved strongest first), and would change nothing else. */
static bool is_outranked(const pii_unit *u, const pii_candidates *c, double max_confidence)
{
    for (size_t k = 0; k < c->len; k++) {
        const pii_candidate *w = &c->v[k];
        if (w->confidence <= max_confidence)
            continue;
        bool is_covered = true;
        for (size_t i = 0; i < u->len && is_covered; i++) {
            unsigned char b = (unsigned char)u->text[i];
            if (i == w->start) {
                i = w->end - 1;
                continue;
            }
            is_covered = b < 0x80 && !(b >= 'A' && b <= 'Z');
        }
        if (is_covered)
            return true;
    }
    return false;
}

/* Copies c[from..to) to the end of out. */
static int append_candidates(pii_candidates *out, const pii_candidates *c, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const pii_candidate *v = &c->v[i];
        int rc = pii_candidates_push(out, v->type, v->start, v->end, v->confidence, v->detector);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return PIISCAN_OK;
}

/* Runs the deferred detector `d` after all: st->candidates becomes what the detectors found
 * in their usual order (those before d, d's, those after it), unscored. st->spare holds the
 * others' candidates unscored, the first `split` of them from detectors before d. */
static int run_deferred(piiscan_stream *st, size_t d, const pii_unit *unit, size_t split)
{
    const piiscan_scanner *sc = st->sc;
    st->candidates.len = 0;
    int rc = append_candidates(&st->candidates, &st->spare, 0, split);
    if (rc == PIISCAN_OK)
        rc = sc->detectors[d]->scan(sc->state[d], st->match, unit, &st->candidates);
    if (rc == PIISCAN_OK)
        rc = append_candidates(&st->candidates, &st->spare, split, st->spare.len);
    return rc;
}

/* Detects and scores one unit of decoded text[0..len): st->candidates then holds what may be
 * reported once the record is complete, sorted, with offsets in text (the folding undone).
 * Used by every reader. */
static int detect_unit(piiscan_stream *st, const char *text, size_t len, size_t readable,
                       uint32_t field, enum pii_column column, pii_context *ctx)
{
    st->candidates.len = 0;
    if (len == 0)
        return PIISCAN_OK;
    if (!st->column_may_report[column])
        return PIISCAN_OK;
    const piiscan_scanner *sc = st->sc;
    struct pii_survey sv = pii_survey_within(text, len, readable);
    bool may_hold_words = sv.has_non_ascii || sv.has_capital;
    if (!sv.has_digit_or_at && (sc->needs_digit_or_at || !may_hold_words))
        return PIISCAN_OK;
    const uint32_t *nmap = NULL;
    size_t digits = sv.digits;
    /* Most fields of an export hold nothing to fold: for them the text is its own folding. */
    if (sv.needs_folding) {
        int rc = pii_normalize(text, len, &st->norm);
        if (rc != PIISCAN_OK)
            return fail(st, rc);
        text = st->norm.data;
        len = st->norm.len;
        nmap = st->norm.map;
        digits = count_digits(text, len, st->norm.cap);
    }
    pii_unit unit = {
        .text = text,
        .len = len,
        .column = column,
        .field = field,
        .digits = digits,
        .ctx = ctx,
    };
    size_t deferred = may_hold_words ? st->deferred[column] : sc->ndetectors;
    size_t split = 0;
    for (size_t i = 0; i < sc->ndetectors; i++) {
        const struct pii_detector *d = sc->detectors[i];
        if (d->needs_digit_or_at ? !sv.has_digit_or_at : !may_hold_words)
            continue;
        if (digits < d->min_digits) /* it would return at once: spare the call */
            continue;
        if (i == deferred) {
            split = st->candidates.len;
            continue;
        }
        int rc = d->scan(sc->state[i], st->match, &unit, &st->candidates);
        if (rc != PIISCAN_OK)
            return fail(st, rc);
    }
    if (deferred < sc->ndetectors) {
        st->spare.len = 0;
        int rc = append_candidates(&st->spare, &st->candidates, 0, st->candidates.len);
        if (rc != PIISCAN_OK)
            return fail(st, rc);
        pii_score_unit_in_record(&unit, &st->candidates, sc->opt.threshold);
        if (!is_outranked(&unit, &st->candidates, sc->detectors[deferred]->max_confidence)) {
            rc = run_deferred(st, deferred, &unit, split);
            if (rc != PIISCAN_OK)
                return fail(st, rc);
            pii_score_unit_in_record(&unit, &st->candidates, sc->opt.threshold);
        }
    } else {
        if (st->candidates.len == 0)
            return PIISCAN_OK;
        pii_score_unit_in_record(&unit, &st->candidates, sc->opt.threshold);
    }
    if (nmap != NULL) {
        for (size_t i = 0; i < st->candidates.len; i++) {
            st->candidates.v[i].start = nmap[st->candidates.v[i].start];
            st->candidates.v[i].end = nmap[st->candidates.v[i].end];
        }
    }
    return PIISCAN_OK;
}

/* Holds candidate c, found at [start, end) of the record's field or cell, until the record is
 * complete. */
static int hold(piiscan_stream *st, const pii_candidate *c, size_t start, size_t end,
                uint32_t field, size_t cell)
{
    if (st->nheld == st->held_cap) {
        size_t cap = st->held_cap == 0 ? 16 : st->held_cap * 2;
        if (cap < st->held_cap || cap > SIZE_MAX / sizeof *st->held)
            return fail(st, PIISCAN_ERR_NOMEM);
        struct held *v = realloc(st->held, cap * sizeof *v);
        if (v == NULL)
            return fail(st, PIISCAN_ERR_NOMEM);
        st->held = v;
        st->held_cap = cap;
    }
    st->held[st->nheld++] = (struct held){*c, start, end, field, cell};
    return PIISCAN_OK;
}

/* Applies the record's evidence to its held candidates and keeps those to report, in the
 * order they were held (field, then start). */
static void settle_record(piiscan_stream *st)
{
    double threshold = st->sc->opt.threshold;
    bool is_supported = false;
    for (size_t i = 0; i < st->nheld && !is_supported; i++)
        is_supported = pii_score_record_supports(&st->held[i].c, threshold);
    size_t n = 0;
    for (size_t i = 0; i < st->nheld; i++) {
        if (pii_score_record_apply(&st->held[i].c, is_supported, threshold))
            st->held[n++] = st->held[i];
    }
    st->nheld = n;
}

/* Holds the candidates `found` in field f (offsets in the field) until the record is done. */
static int hold_field(piiscan_stream *st, const pii_field *f, uint32_t field,
                      const pii_candidates *found)
{
    int rc = PIISCAN_OK;
    for (size_t i = 0; rc == PIISCAN_OK && i < found->len; i++) {
        const pii_candidate *c = &found->v[i];
        rc = hold(st, c, f->start + c->start, f->start + c->end, field, 0);
    }
    return rc;
}

static int scan_unit(piiscan_stream *st, const pii_field *f, uint32_t field, enum pii_column column,
                     pii_context *ctx)
{
    int rc = detect_unit(st, st->window.data + f->start, f->end - f->start,
                         st->window.len - f->start, field, column, ctx);
    return rc == PIISCAN_OK ? hold_field(st, f, field, &st->candidates) : rc;
}

/* The memo of field `i` (< PII_MAX_COLUMNS), the table grown to hold it; NULL without memory. */
static struct unit_memo *memo_of(piiscan_stream *st, size_t i)
{
    if (i >= st->memo_len) {
        size_t len = st->memo_len == 0 ? 32 : st->memo_len;
        while (len <= i)
            len *= 2;
        if (len > PII_MAX_COLUMNS)
            len = PII_MAX_COLUMNS;
        struct unit_memo *v = realloc(st->memo, len * sizeof *v);
        if (v == NULL)
            return NULL;
        memset(v + st->memo_len, 0, (len - st->memo_len) * sizeof *v);
        st->memo = v;
        st->memo_len = len;
    }
    return &st->memo[i];
}

/* scan_unit() for field i of a CSV/TSV record, whose context starts at window byte `near`:
 * the candidates of the same column of the record before when the unit repeats it. A unit
 * detected anew leaves its candidates in the memo by swapping buffers, not by copying. */
static int scan_field_unit(piiscan_stream *st, const pii_record *rec, size_t i, size_t near,
                           enum pii_column column, pii_context *ctx)
{
    const pii_field *f = &rec->fields[i];
    uint32_t field = (uint32_t)(i + 1);
    if (i >= PII_MAX_COLUMNS)
        return scan_unit(st, f, field, column, ctx);
    struct unit_memo *m = memo_of(st, i);
    if (m == NULL)
        return fail(st, PIISCAN_ERR_NOMEM);
    const char *key = st->window.data + near;
    size_t key_len = f->end - near;
    size_t unit_at = f->start - near;
    bool is_repeat = m->is_valid && m->key_len == key_len && m->unit_at == unit_at &&
                     m->column == column && memcmp(m->key, key, key_len) == 0;
    if (!is_repeat) {
        int rc = detect_unit(st, st->window.data + f->start, f->end - f->start,
                             st->window.len - f->start, field, column, ctx);
        if (rc != PIISCAN_OK)
            return rc;
        pii_candidates found = m->found;
        m->found = st->candidates;
        st->candidates = found;
        m->is_valid = false;
        if (key_len <= MEMO_MAX_KEY_BYTES) {
            if (m->key == NULL && (m->key = malloc(MEMO_MAX_KEY_BYTES)) == NULL)
                return fail(st, PIISCAN_ERR_NOMEM);
            memcpy(m->key, key, key_len);
            m->key_len = key_len;
            m->unit_at = unit_at;
            m->column = (uint8_t)column;
            m->is_valid = true;
        }
    }
    return hold_field(st, f, field, &m->found);
}

/* Whether record `rec` holds the allow marker, so that none of its findings is reported: a
 * CSV/TSV record whole, since a row is one person's and a marker in its note field is meant
 * for the row, whichever physical line of a quoted field it is on. A text line too long to
 * hold is scanned in pieces (rec->lines is 0 for all but the last); the marker then covers
 * its piece and the pieces after it, the earlier ones being delivered already. Only a record
 * with findings, or a piece, is searched. */
static bool is_allowed_by_marker(piiscan_stream *st, const pii_record *rec)
{
    if (!st->sc->opt.is_marker_honoured)
        return false;
    bool is_piece = rec->lines == 0;
    bool is_allowed = st->is_marker_line;
    if (!is_allowed && (st->nheld > 0 || is_piece))
        is_allowed = pii_marker_in(st->window.data + rec->start, rec->end - rec->start);
    st->is_marker_line = is_allowed && is_piece;
    return is_allowed;
}

/* Delivers the findings of record `rec`, whose candidates are held. */
static int emit_record(piiscan_stream *st, const pii_record *rec)
{
    settle_record(st);
    if (is_allowed_by_marker(st, rec)) {
        st->stats.allowed += st->nheld;
        st->nheld = 0;
    }
    int rc = PIISCAN_OK;
    st->place = (struct place){.at = rec->start, .line = 0, .column = 1};
    for (size_t i = 0; rc == PIISCAN_OK && i < st->nheld; i++) {
        const struct held *h = &st->held[i];
        rc = emit(st, rec, h->start, h->end, h->field, &h->c);
    }
    st->nheld = 0;
    return rc;
}

/* The single digit that ends a header cell, spaces aside: 電話番号1 -> 1; else 0. */
static uint8_t part_number(const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == ' ')
        n--;
    if (n < 2 || s[n - 1] < '1' || s[n - 1] > '9' || (s[n - 2] >= '0' && s[n - 2] <= '9'))
        return 0;
    return (uint8_t)(s[n - 1] - '0');
}

/* A header row names at least two columns we know, and most of its non-empty cells are
 * names we know: a data row with one label-like value (a key-value row) is not a header. */
static bool is_header(size_t known, size_t nonempty)
{
    return known >= 2 && known * 10 >= nonempty * 3;
}

static bool read_header(piiscan_stream *st, const pii_record *rec)
{
    size_t known = 0;
    size_t nonempty = 0;
    size_t n = rec->nfields < PII_MAX_COLUMNS ? rec->nfields : PII_MAX_COLUMNS;
    for (size_t i = 0; i < n; i++) {
        const pii_field *f = &rec->fields[i];
        enum pii_column c = PII_COL_NONE;
        if (f->end > f->start) {
            nonempty++;
            c = pii_column_lookup(st->window.data + f->start, f->end - f->start,
                                  &st->label_scratch);
        }
        st->columns[i] = (uint8_t)c;
        st->parts[i] = part_number(st->window.data + f->start, f->end - f->start);
        known += c != PII_COL_NONE;
    }
    if (!is_header(known, nonempty))
        return false;
    st->ncolumns = n;
    return true;
}

/* Trims spaces from window bytes [*start, *end). */
static void trim(const char *s, size_t *start, size_t *end)
{
    while (*start < *end && s[*start] == ' ')
        (*start)++;
    while (*end > *start && s[*end - 1] == ' ')
        (*end)--;
}

/* Appends column text t, which must be 1 to 5 ASCII or full-width digits (spaces around
 * aside), to `out`; false if not. */
static bool append_digits(const struct column_text *t, char *out, size_t *len)
{
    size_t start = 0;
    size_t end = t->len;
    if (t->text == NULL)
        return false;
    trim(t->text, &start, &end);
    const unsigned char *p = (const unsigned char *)t->text;
    size_t digits = 0;
    for (size_t i = start; i < end; digits++) {
        if (digits == 5)
            return false;
        if (p[i] >= '0' && p[i] <= '9') {
            out[(*len)++] = (char)p[i];
            i++;
        } else if (i + 2 < end && p[i] == 0xEF && p[i + 1] == 0xBC && p[i + 2] >= 0x90 &&
                   p[i + 2] <= 0x99) { /* ０-９ */
            out[(*len)++] = (char)('0' + p[i + 2] - 0x90);
            i += 3;
        } else {
            return false;
        }
    }
    return digits > 0;
}

/* Rakuten's exports split phone numbers and postal codes over numbered columns (電話番号1-3,
 * 郵便番号1-2): no part is personal data alone, together they are. Consecutive columns of
 * one meaning numbered from 1 are joined with '-' and given to that type's detector; when it
 * accepts the whole, every part is reported, each over its own field. */
static int find_split_values(piiscan_stream *st, const struct column_text *cols, size_t n)
{
    memset(st->split, 0, n * sizeof *st->split);
    const piiscan_scanner *sc = st->sc;
    for (size_t i = 0; i + 1 < n; i++) {
        enum pii_column meaning = (enum pii_column)st->columns[i];
        piiscan_type type = meaning == PII_COL_PHONE         ? PIISCAN_TYPE_PHONE
                            : meaning == PII_COL_POSTAL_CODE ? PIISCAN_TYPE_POSTAL_CODE
                                                             : 0;
        if (type == 0 || st->parts[i] != 1)
            continue;
        size_t last = i;
        while (last + 1 < n && last - i < 2 && st->columns[last + 1] == meaning &&
               st->parts[last + 1] == st->parts[last] + 1)
            last++;
        if (last == i)
            continue;
        char joined[3 * 6];
        size_t len = 0;
        bool is_digits = true;
        for (size_t k = i; k <= last && is_digits; k++) {
            if (k > i)
                joined[len++] = '-';
            is_digits = append_digits(&cols[k], joined, &len);
        }
        for (size_t d = 0; is_digits && d < sc->ndetectors; d++) {
            if (sc->detectors[d]->type != type)
                continue;
            pii_unit unit = {
                .text = joined,
                .len = len,
                .column = meaning,
                .digits = len - (last - i),
            };
            st->candidates.len = 0;
            int rc = sc->detectors[d]->scan(sc->state[d], st->match, &unit, &st->candidates);
            if (rc != PIISCAN_OK)
                return fail(st, rc);
            pii_score_unit(&unit, &st->candidates, sc->opt.threshold);
            if (st->candidates.len == 1 && st->candidates.v[0].start == 0 &&
                st->candidates.v[0].end == len)
                for (size_t k = i; k <= last; k++)
                    st->split[k] = (struct split_part){type, st->candidates.v[0].confidence};
        }
        i = last;
    }
    return PIISCAN_OK;
}

/* One part of a split value, whose split[] entry is `part`: bytes [start, end) of the text
 * (spaces trimmed here) of CSV field `field` or workbook cell `cell`. */
static int hold_split_part(piiscan_stream *st, const struct split_part *part, const char *text,
                           size_t start, size_t end, uint32_t field, size_t cell)
{
    static const char *const detectors[] = {
        [PIISCAN_TYPE_PHONE] = "phone/split",
        [PIISCAN_TYPE_POSTAL_CODE] = "postal/split",
    };
    trim(text, &start, &end);
    pii_candidate c = {
        .type = part->type,
        .confidence = part->confidence,
        .detector = detectors[part->type],
    };
    return hold(st, &c, start, end, field, cell);
}

/* The words that support a finding are looked for near it: in its own field and the field
 * before it (a key-value row: 個人番号,1234 5678 9018), or in its text line. Wider windows
 * mostly add noise: a product name with カード in it says nothing about the next field. */
static int scan_fields(piiscan_stream *st, const pii_record *rec, bool has_columns)
{
    bool is_delimited = st->stats.format != PIISCAN_FORMAT_TEXT;
    st->nheld = 0;
    if (has_columns) {
        size_t n = rec->nfields < st->ncolumns ? rec->nfields : st->ncolumns;
        for (size_t i = 0; i < n; i++) {
            const pii_field *f = &rec->fields[i];
            st->column_text[i] =
                (struct column_text){st->window.data + f->start, f->end - f->start};
        }
        int rc = find_split_values(st, st->column_text, n);
        if (rc != PIISCAN_OK)
            return rc;
    }
    for (size_t i = 0; i < rec->nfields; i++) {
        enum pii_column column = PII_COL_NONE;
        if (has_columns && i < st->ncolumns)
            column = (enum pii_column)st->columns[i];
        if (column != PII_COL_NONE && st->split[i].type != 0) {
            int rc = hold_split_part(st, &st->split[i], st->window.data, rec->fields[i].start,
                                     rec->fields[i].end, (uint32_t)(i + 1), 0);
            if (rc != PIISCAN_OK)
                return rc;
            continue;
        }
        size_t near = rec->fields[i > 0 ? i - 1 : 0].start;
        pii_context ctx = {
            .record = st->window.data + near,
            .record_len = rec->fields[i].end - near,
            .scratch = &st->context_scratch,
        };
        int rc = is_delimited ? scan_field_unit(st, rec, i, near, column, &ctx)
                              : scan_unit(st, &rec->fields[i], 0, column, &ctx);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return emit_record(st, rec);
}

static int scan_record(piiscan_stream *st, const pii_record *rec)
{
    st->stats.records++;
    st->stats.fields += rec->nfields;
    bool is_delimited =
        st->stats.format == PIISCAN_FORMAT_CSV || st->stats.format == PIISCAN_FORMAT_TSV;
    if (is_delimited) {
        if (!st->is_header_found && st->stats.records <= PII_HEADER_SEARCH_RECORDS &&
            read_header(st, rec)) {
            /* Still scanned below, column-blind: a row mistaken for a header must not hide
             * its data. */
            st->is_header_found = true;
            st->stats.header_line = st->window_line;
            return scan_fields(st, rec, false);
        }
        size_t expected = st->is_header_found ? st->ncolumns : st->first_record_fields;
        if (st->stats.records == 1)
            st->first_record_fields = rec->nfields;
        else if (rec->nfields != expected)
            st->stats.ragged_records++;
    }
    return scan_fields(st, rec, is_delimited && st->is_header_found);
}

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                    */

static void decide_format(piiscan_stream *st)
{
    char delimiter = 0;
    piiscan_format format = st->forced_format;
    if (format == PIISCAN_FORMAT_AUTO) {
        size_t n =
            st->window.len < PII_FORMAT_SAMPLE_BYTES ? st->window.len : PII_FORMAT_SAMPLE_BYTES;
        format = pii_sniff_format(st->window.data, n, st->name_hint[0] ? st->name_hint : NULL,
                                  &delimiter);
    } else if (format == PIISCAN_FORMAT_CSV) {
        size_t n =
            st->window.len < PII_FORMAT_SAMPLE_BYTES ? st->window.len : PII_FORMAT_SAMPLE_BYTES;
        if (pii_sniff_format(st->window.data, n, "x.csv", &delimiter) != PIISCAN_FORMAT_CSV)
            delimiter = ',';
    } else if (format == PIISCAN_FORMAT_TSV) {
        delimiter = '\t';
    }
    st->stats.format = format;
    st->stats.delimiter = format == PIISCAN_FORMAT_TEXT ? 0 : delimiter;
    pii_csv_restart(&st->csv); /* keeps the field array of earlier inputs */
    st->csv.delimiter = delimiter != 0 ? delimiter : ',';
    st->is_format_known = true;
}

static int record_too_long(piiscan_stream *st, bool is_unterminated_quote)
{
    uint64_t at = st->window.base + st->window.map[0];
    if (is_unterminated_quote)
        pii_error_set(&st->err, PIISCAN_ERR_LIMIT, at, st->window_line,
                      "unterminated quoted field opened at line %llu (record over %zu bytes)",
                      (unsigned long long)st->window_line, st->sc->opt.max_record_bytes);
    else
        pii_error_set(&st->err, PIISCAN_ERR_LIMIT, at, st->window_line,
                      "record at line %llu is longer than %zu bytes",
                      (unsigned long long)st->window_line, st->sc->opt.max_record_bytes);
    return fail(st, PIISCAN_ERR_LIMIT);
}

static bool has_line_end(const char *s, size_t n)
{
    return memchr(s, '\n', n) != NULL || memchr(s, '\r', n) != NULL;
}

static int scan_window(piiscan_stream *st, bool is_final)
{
    if (!st->is_format_known) {
        if (!is_final && st->window.len < PII_FORMAT_SAMPLE_BYTES)
            return PIISCAN_OK;
        decide_format(st);
    }
    const size_t max = st->sc->opt.max_record_bytes;
    bool is_text = st->stats.format == PIISCAN_FORMAT_TEXT;
    size_t at = 0;
    while (at < st->window.len) {
        /* The line reader keeps no state: spare it rescans of a line that grows by small
         * feeds until its end or the limit is in the window. */
        if (is_text && at == 0 && !is_final && st->window.len <= max &&
            !has_line_end(st->window.data + st->text_checked, st->window.len - st->text_checked)) {
            st->text_checked = st->window.len;
            break;
        }
        pii_record rec;
        pii_field line_field;
        int got;
        if (is_text)
            got = pii_text_next_line(st->window.data, st->window.len, at, is_final, max, &rec,
                                     &line_field);
        else
            got = pii_csv_next(&st->csv, st->window.data, st->window.len, at, is_final, &rec);
        if (got < 0)
            return fail(st, got);
        if (got == 0)
            break;
        /* Also a record that the end of input completed: the limit is the same for all. */
        if (!is_text && rec.next - rec.start > max) {
            pii_text_consume(&st->window, at);
            return record_too_long(st, rec.is_unterminated_quote);
        }
        if (is_text) {
            if (rec.lines == 0 && !st->is_in_split_line)
                st->stats.split_lines++;
            st->is_in_split_line = rec.lines == 0;
        }
        int rc = scan_record(st, &rec);
        if (rc != PIISCAN_OK)
            return rc;
        st->stats.lines += rec.lines;
        st->window_line += rec.lines;
        at = rec.next;
    }
    /* The CSV reader keeps positions relative to the partial record, so it survives this. */
    if (at > 0) {
        pii_text_consume(&st->window, at);
        st->text_checked = 0;
    }
    if (!is_text && st->window.len > max)
        return record_too_long(st, st->csv.is_quoted);
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Bytes                                                                                      */

/* Bytes decoded before the window is scanned. The window's text and its offset map (four
 * bytes per byte of text) are read again for every field and finding: a window of a few tens
 * of KiB stays in the processor's cache between the decoding and the scan, one decoded from
 * a large chunk at once does not. */
#define DECODE_PIECE_BYTES (32u << 10)

static int decode_and_scan(piiscan_stream *st, const unsigned char *buf, size_t len, bool is_final)
{
    do {
        size_t piece = len < DECODE_PIECE_BYTES ? len : DECODE_PIECE_BYTES;
        bool is_last = piece == len;
        int rc = pii_decoder_push(&st->dec, buf, piece, is_final && is_last, &st->window);
        if (rc != PIISCAN_OK)
            return fail(st, rc);
        st->stats.encoding = st->dec.enc;
        st->stats.decode_errors = st->dec.errors;
        rc = scan_window(st, is_final && is_last);
        if (rc != PIISCAN_OK || is_last)
            return rc;
        buf += piece;
        len -= piece;
    } while (len > 0);
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* Workbooks: units from read_xlsx.c, with their sheet and cell as their place                */

const pii_cell *pii_stream_finding_cell(const piiscan_stream *st)
{
    return st->finding_cell;
}

void pii_stream_set_units_hook(piiscan_stream *st, pii_units_fn fn, void *user, bool is_detecting)
{
    st->units_fn = fn;
    st->units_user = user;
    st->is_units_only = fn != NULL && !is_detecting;
}

/* Hands units to the hook; PIISCAN_OK when there is none. */
static int show_units(piiscan_stream *st, const pii_cell *cells, size_t n)
{
    if (st->units_fn == NULL)
        return PIISCAN_OK;
    int rc = st->units_fn(st->units_user, st->sheet, cells, n);
    return rc != PIISCAN_OK ? fail(st, rc) : PIISCAN_OK;
}

void pii_stream_sheet_begin(piiscan_stream *st, const char *sheet)
{
    st->sheet = sheet;
    st->sheet_rows = 0;
    st->is_header_found = false;
    st->ncolumns = 0;
}

/* Delivers the findings of a workbook record (a row, or one unit outside the rows), whose
 * candidates are held with the index of their cell in cells[]. */
static int emit_cells(piiscan_stream *st, const pii_cell *cells, uint64_t record)
{
    settle_record(st);
    for (size_t i = 0; i < st->nheld; i++) {
        const struct held *h = &st->held[i];
        const pii_cell *cell = &cells[h->cell];
        piiscan_finding finding = {
            .type = h->c.type,
            .start = cell->offset + h->start,
            .end = cell->offset + h->end,
            .record = record,
            .sheet = st->sheet,
            .cell = cell->ref,
            .text = cell->text + h->start,
            .text_len = h->end - h->start,
            .confidence = h->c.confidence,
            .detector = h->c.detector,
        };
        st->stats.findings++;
        st->finding_cell = cell;
        int stop = st->fn(&finding, st->user);
        st->finding_cell = NULL;
        if (stop != 0) {
            st->nheld = 0;
            pii_error_set(&st->err, PIISCAN_ERR_ABORTED, UINT64_MAX, 0,
                          "stopped by the finding callback");
            return fail(st, PIISCAN_ERR_ABORTED);
        }
    }
    st->nheld = 0;
    return PIISCAN_OK;
}

/* A cell's context is its text and the cell's before it, as a CSV field's is. */
/* Detects in `cell` (cells[index] of its record) and holds its candidates. */
static int scan_cell_near(piiscan_stream *st, const pii_cell *cells, size_t index,
                          const pii_cell *before, enum pii_column column)
{
    const pii_cell *cell = &cells[index];
    pii_context ctx = {
        .record = cell->text, .record_len = cell->len, .scratch = &st->context_scratch};
    if (before != NULL) {
        size_t need = before->len + 1 + cell->len;
        if (need > st->near_cap) {
            char *near = realloc(st->near, need);
            if (near == NULL)
                return fail(st, PIISCAN_ERR_NOMEM);
            st->near = near;
            st->near_cap = need;
        }
        memcpy(st->near, before->text, before->len);
        st->near[before->len] = '\t';
        memcpy(st->near + before->len + 1, cell->text, cell->len);
        ctx.record = st->near;
        ctx.record_len = need;
    }
    int rc = detect_unit(st, cell->text, cell->len, cell->len, 0, column, &ctx);
    for (size_t i = 0; rc == PIISCAN_OK && i < st->candidates.len; i++) {
        const pii_candidate *c = &st->candidates.v[i];
        rc = hold(st, c, c->start, c->end, 0, index);
    }
    return rc;
}

int pii_stream_scan_cell(piiscan_stream *st, const pii_cell *cell, enum pii_column column)
{
    st->nheld = 0;
    int rc = show_units(st, cell, 1);
    if (rc != PIISCAN_OK || st->is_units_only)
        return rc;
    rc = scan_cell_near(st, cell, 0, NULL, column);
    return rc != PIISCAN_OK ? rc : emit_cells(st, cell, 0);
}

/* read_header for a row of cells, which may skip columns. */
static bool read_cell_header(piiscan_stream *st, const pii_cell *cells, size_t n)
{
    size_t known = 0;
    size_t nonempty = 0;
    size_t width = 0;
    memset(st->columns, PII_COL_NONE, PII_MAX_COLUMNS * sizeof *st->columns);
    memset(st->parts, 0, PII_MAX_COLUMNS * sizeof *st->parts);
    for (size_t i = 0; i < n; i++) {
        const pii_cell *cell = &cells[i];
        if (cell->offset != 0 || cell->column >= PII_MAX_COLUMNS)
            continue;
        nonempty++;
        enum pii_column c = pii_column_lookup(cell->text, cell->len, &st->label_scratch);
        st->columns[cell->column] = (uint8_t)c;
        st->parts[cell->column] = part_number(cell->text, cell->len);
        known += c != PII_COL_NONE;
        width = (size_t)cell->column + 1;
    }
    if (!is_header(known, nonempty))
        return false;
    st->ncolumns = width;
    return true;
}

int pii_stream_scan_row(piiscan_stream *st, uint64_t row, const pii_cell *cells, size_t n)
{
    st->stats.records++;
    /* A header row is still scanned, column-blind, as in CSV. */
    bool has_columns = st->is_header_found;
    st->nheld = 0;
    int rc = show_units(st, cells, n);
    if (rc != PIISCAN_OK)
        return rc;
    if (st->is_units_only) {
        for (size_t i = 0; i < n; i++)
            st->stats.fields += cells[i].offset == 0;
        return PIISCAN_OK;
    }
    if (!st->is_header_found && ++st->sheet_rows <= PII_HEADER_SEARCH_RECORDS &&
        read_cell_header(st, cells, n)) {
        st->is_header_found = true;
        if (st->stats.header_line == 0)
            st->stats.header_line = row;
    }
    if (has_columns) {
        /* Cells may skip columns: the columns without a cell are empty. */
        memset(st->column_text, 0, st->ncolumns * sizeof *st->column_text);
        for (size_t i = 0; i < n; i++) {
            if (cells[i].offset == 0 && cells[i].column < st->ncolumns)
                st->column_text[cells[i].column] =
                    (struct column_text){cells[i].text, cells[i].len};
        }
        rc = find_split_values(st, st->column_text, st->ncolumns);
        if (rc != PIISCAN_OK)
            return rc;
    }
    for (size_t i = 0; i < n; i++) {
        st->stats.fields += cells[i].offset == 0;
        enum pii_column column = PII_COL_NONE;
        if (has_columns && cells[i].column < st->ncolumns)
            column = (enum pii_column)st->columns[cells[i].column];
        const struct split_part *part = column != PII_COL_NONE ? &st->split[cells[i].column] : NULL;
        if (part != NULL && part->type != 0 && cells[i].offset == 0) {
            rc = hold_split_part(st, part, cells[i].text, 0, cells[i].len, 0, i);
            if (rc != PIISCAN_OK)
                return rc;
            continue;
        }
        rc = scan_cell_near(st, cells, i, i > 0 ? &cells[i - 1] : NULL, column);
        if (rc != PIISCAN_OK)
            return rc;
    }
    return emit_cells(st, cells, st->stats.records);
}

/* A zip (xlsx) or an OLE2 container (encrypted workbook, .xls) is read at random, not as a
 * stream of bytes; forcing XLSX takes any input for one. */
static bool is_package(const piiscan_stream *st, const pii_head *head)
{
    if (st->forced_format == PIISCAN_FORMAT_XLSX)
        return true;
    return st->forced_format == PIISCAN_FORMAT_AUTO &&
           (head->format == PIISCAN_FORMAT_XLSX || head->is_unsupported);
}

static int keep_package(piiscan_stream *st, const unsigned char *p, size_t len)
{
    if (len > PII_PACKAGE_FEED_MAX_BYTES - st->package_len) {
        pii_error_set(&st->err, PIISCAN_ERR_LIMIT, UINT64_MAX, 0,
                      "a workbook fed in chunks is held in memory, up to %zu MiB: scan it from "
                      "a file or one buffer",
                      PII_PACKAGE_FEED_MAX_BYTES >> 20);
        return fail(st, PIISCAN_ERR_LIMIT);
    }
    if (st->package_len + len > st->package_cap) {
        size_t cap = st->package_cap ? st->package_cap : PII_HEAD_BYTES * 16;
        while (cap < st->package_len + len)
            cap *= 2;
        unsigned char *bigger = realloc(st->package, cap);
        if (bigger == NULL)
            return fail(st, PIISCAN_ERR_NOMEM);
        st->package = bigger;
        st->package_cap = cap;
    }
    memcpy(st->package + st->package_len, p, len);
    st->package_len += len;
    return PIISCAN_OK;
}

/* Scans a whole package; the stream is then done or failed. */
static int scan_package(piiscan_stream *st, const pii_package *pkg)
{
    static const unsigned char cfb_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    unsigned char magic[8] = {0};
    const char *skip_reason = NULL;
    int rc;
    if (pii_package_read(pkg, 0, magic, sizeof magic) == (int64_t)sizeof magic &&
        memcmp(magic, cfb_magic, sizeof magic) == 0) {
        st->stats.format = PIISCAN_FORMAT_BINARY;
        rc = pii_cfb_classify(pkg, &skip_reason, &st->err);
    } else {
        st->stats.format = PIISCAN_FORMAT_XLSX;
        st->stats.encoding = PIISCAN_ENCODING_UTF8;
        rc = pii_xlsx_scan(st, pkg, st->sc->opt.max_record_bytes, &skip_reason, &st->err);
    }
    if (rc != PIISCAN_OK)
        return fail(st, rc);
    if (skip_reason != NULL) {
        st->stats.format = PIISCAN_FORMAT_BINARY;
        st->stats.encoding = PIISCAN_ENCODING_AUTO;
        st->stats.skip_reason = skip_reason;
    }
    st->phase = PHASE_DONE;
    return PIISCAN_OK;
}

/* The head is complete (or the input ended): decide what kind of input this is. */
static int start_body(piiscan_stream *st, bool is_final)
{
    pii_head head;
    pii_sniff_head(st->head, st->head_len, &head);
    bool is_forced_text = st->forced_format != PIISCAN_FORMAT_AUTO;
    if (is_package(st, &head)) {
        st->phase = PHASE_PACKAGE;
        return keep_package(st, st->head, st->head_len);
    }
    /* A forced encoding still skips binaries: only a forced format says "this is text". */
    if (head.format == PIISCAN_FORMAT_BINARY && !is_forced_text) {
        st->stats.format = PIISCAN_FORMAT_BINARY;
        st->stats.skip_reason = head.reason;
        st->phase = PHASE_SKIP;
        return PIISCAN_OK;
    }
    piiscan_encoding enc = st->forced_encoding;
    size_t skip = 0;
    if (head.bom_len > 0 && (enc == PIISCAN_ENCODING_AUTO || enc == head.encoding)) {
        skip = head.bom_len;
        st->stats.has_bom = true;
    }
    if (enc == PIISCAN_ENCODING_AUTO)
        enc = head.encoding; /* UTF-16 by BOM or NUL pattern, or still AUTO */
    pii_decoder_reset(&st->dec, enc, skip);
    st->window.base = skip;
    st->phase = PHASE_BODY;
    return decode_and_scan(st, st->head + skip, st->head_len - skip, is_final);
}

int piiscan_stream_feed(piiscan_stream *st, const void *buf, size_t len)
{
    if (st == NULL || (buf == NULL && len > 0))
        return PIISCAN_ERR_INVALID;
    if (st->phase != PHASE_HEAD && st->phase != PHASE_BODY && st->phase != PHASE_SKIP &&
        st->phase != PHASE_PACKAGE)
        return PIISCAN_ERR_STATE;
    const unsigned char *p = buf;
    st->stats.bytes += len;
    if (len == 0) /* buf may be NULL: nothing to copy or skip over */
        return PIISCAN_OK;
    if (st->phase == PHASE_HEAD) {
        size_t take = PII_HEAD_BYTES - st->head_len;
        if (take > len)
            take = len;
        memcpy(st->head + st->head_len, p, take);
        st->head_len += take;
        p += take;
        len -= take;
        if (st->head_len < PII_HEAD_BYTES)
            return PIISCAN_OK;
        int rc = start_body(st, false);
        if (rc != PIISCAN_OK)
            return rc;
    }
    if (st->phase == PHASE_SKIP || len == 0)
        return PIISCAN_OK;
    if (st->phase == PHASE_PACKAGE)
        return keep_package(st, p, len);
    return decode_and_scan(st, p, len, false);
}

int piiscan_stream_finish(piiscan_stream *st)
{
    if (st == NULL)
        return PIISCAN_ERR_INVALID;
    if (st->phase != PHASE_HEAD && st->phase != PHASE_BODY && st->phase != PHASE_SKIP &&
        st->phase != PHASE_PACKAGE)
        return PIISCAN_ERR_STATE;
    int rc = PIISCAN_OK;
    bool was_head = st->phase == PHASE_HEAD;
    if (was_head)
        rc = start_body(st, true);
    if (rc != PIISCAN_OK)
        return rc;
    if (st->phase == PHASE_PACKAGE) {
        static const unsigned char nothing[1];
        pii_package pkg = {
            .buf = st->package != NULL ? st->package : nothing, .fd = -1, .len = st->package_len};
        return scan_package(st, &pkg);
    }
    if (!was_head && st->phase == PHASE_BODY)
        rc = decode_and_scan(st, NULL, 0, true);
    if (rc != PIISCAN_OK)
        return rc;
    if (st->phase == PHASE_BODY && st->stats.encoding == PIISCAN_ENCODING_AUTO)
        st->stats.encoding = PIISCAN_ENCODING_UTF8; /* all ASCII, which is valid UTF-8 */
    st->phase = PHASE_DONE;
    return PIISCAN_OK;
}

int piiscan_stream_scan_buffer(piiscan_stream *st, const void *buf, size_t len,
                               const piiscan_source *src)
{
    int rc = piiscan_stream_begin(st, src);
    if (rc != PIISCAN_OK)
        return rc;
    if (buf != NULL) {
        /* A workbook in one buffer is read in place, not copied. */
        pii_head head;
        pii_sniff_head(buf, len < PII_HEAD_BYTES ? len : PII_HEAD_BYTES, &head);
        if (is_package(st, &head)) {
            st->stats.bytes = len;
            pii_package pkg = {.buf = buf, .fd = -1, .len = len};
            return scan_package(st, &pkg);
        }
    }
    rc = piiscan_stream_feed(st, buf, len);
    if (rc == PIISCAN_OK)
        rc = piiscan_stream_finish(st);
    return rc;
}

int piiscan_stream_scan_fd(piiscan_stream *st, int fd, const piiscan_source *src)
{
    int rc = piiscan_stream_begin(st, src);
    if (rc != PIISCAN_OK)
        return rc;
    if (st->read_buf == NULL) {
        st->read_buf = malloc(READ_CHUNK_BYTES);
        if (st->read_buf == NULL)
            return fail(st, PIISCAN_ERR_NOMEM);
    }
    /* A workbook in a regular file is read in place from here (pread), not fed. */
    off_t start = lseek(fd, 0, SEEK_CUR);
    for (;;) {
        ssize_t n = read(fd, st->read_buf, READ_CHUNK_BYTES);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            pii_error_set(&st->err, PIISCAN_ERR_IO, st->stats.bytes, 0, "read error: %s",
                          strerror(errno));
            return fail(st, PIISCAN_ERR_IO);
        }
        if (n == 0)
            break;
        rc = piiscan_stream_feed(st, st->read_buf, (size_t)n);
        if (rc != PIISCAN_OK)
            return rc;
        if (st->phase == PHASE_SKIP)
            break;
        struct stat sb;
        if (st->phase == PHASE_PACKAGE && start >= 0 && fstat(fd, &sb) == 0 &&
            S_ISREG(sb.st_mode) && sb.st_size >= start) {
            pii_package pkg = {
                .fd = fd, .offset = (uint64_t)start, .len = (uint64_t)(sb.st_size - start)};
            st->stats.bytes = pkg.len;
            rc = scan_package(st, &pkg);
            lseek(fd, 0, SEEK_END); /* as if read to the end, as for any other input */
            return rc;
        }
    }
    return piiscan_stream_finish(st);
}
