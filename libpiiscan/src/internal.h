/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * internal.h - structures shared inside libpiiscan/src; never installed.
 *
 * Data flows one way (see ARCHITECTURE.md): original bytes -> sniff -> decode (UTF-8 with a
 * map back to original offsets) -> reader (records and fields) -> normalize (folded UTF-8 with
 * a map back to decoded offsets) -> detectors (candidates) -> score -> findings.
 */
#ifndef PIISCAN_INTERNAL_H
#define PIISCAN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "piiscan.h"

/* Bytes held back at the start of an input to recognise BOMs, UTF-16 and binary files. */
#define PII_HEAD_BYTES 4096
/* Bytes, from the first non-ASCII byte on, scored to choose UTF-8, CP932 or EUC-JP. */
#define PII_ENCODING_SAMPLE_BYTES 16384
/* Decoded bytes looked at to choose between text, CSV and TSV. */
#define PII_FORMAT_SAMPLE_BYTES 8192
/* Records looked at for a header row (it may sit below title rows). */
#define PII_HEADER_SEARCH_RECORDS 20
/* Fields per record whose column meaning is remembered; later fields get none. */
#define PII_MAX_COLUMNS 1024

/* ------------------------------------------------------------------------------------------ */
/* options.c                                                                                   */

struct piiscan_options {
    unsigned types;
    double threshold;
    size_t max_record_bytes;
    bool is_marker_honoured; /* piiscan_options_set_allow_marker */
};

/* ------------------------------------------------------------------------------------------ */
/* error.c                                                                                     */

/** Fills *err (if not NULL) with code, position and a printf-style message; returns code. */
int pii_error_set(piiscan_error *err, int code, uint64_t offset, uint64_t line, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
void pii_error_clear(piiscan_error *err);

/* ------------------------------------------------------------------------------------------ */
/* text.c: a growable UTF-8 buffer with an offset map                                          */

/** map[i] is the offset, in the text this one was made from, of the character that produced
 *  byte i; map[len] is the offset just past the last such character. Offsets are relative to
 *  `base` (an absolute original offset for decoded text, 0 for normalized text). */
typedef struct pii_text {
    char *data;
    uint32_t *map; /* len + 1 entries */
    size_t len;
    size_t cap;
    uint64_t base;
} pii_text;

int pii_text_reserve(pii_text *t, size_t extra);
/** Appends bytes that all map to `from`, and sets map[len] to `next`. */
int pii_text_append(pii_text *t, const char *bytes, size_t n, uint32_t from, uint32_t next);
/** Drops the first n bytes and rebases the map so that it stays relative to the new base. */
void pii_text_consume(pii_text *t, size_t n);
void pii_text_clear(pii_text *t);
void pii_text_free(pii_text *t);

/** A growable byte buffer (redact.c). */
typedef struct pii_bytes {
    unsigned char *data;
    size_t len;
    size_t cap;
} pii_bytes;

int pii_bytes_reserve(pii_bytes *b, size_t extra);
int pii_bytes_put(pii_bytes *b, const void *p, size_t n);
void pii_bytes_free(pii_bytes *b);

/** Writes the UTF-8 form of cp to out (4 bytes room); returns its length. */
size_t pii_utf8_put(uint32_t cp, char *out);
/** Decodes one UTF-8 character of s[0..n); returns its length (1 for an invalid byte, with
 *  *cp = 0xFFFD). n must be >= 1. */
size_t pii_utf8_get(const char *s, size_t n, uint32_t *cp);
/** The offset of the character after the one that starts at s[pos] (pos < len): where a
 *  detector tries again after a match it does not report. */
static inline size_t pii_utf8_next(const char *s, size_t len, size_t pos)
{
    pos++;
    while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80)
        pos++;
    return pos;
}
/** Whether s[0..n) holds a letter a name or an address can be written with (Latin, Greek,
 *  Cyrillic, kana, kanji): a field of digits, dashes or signs such as a mask of ■ does not. */
bool pii_utf8_has_letter(const char *s, size_t n);
/** Whether s[0..n) holds two of the same mask sign in a row (## ■■ ＊＊, the masks a redactor
 *  may write): a name or address field so marked has been redacted, as with '*'. */
bool pii_utf8_has_mask_run(const char *s, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* encoding.c: CP932 / EUC-JP / UTF-16 / UTF-8 -> UTF-8                                        */

/** Code-point tables for the double-byte encodings, built once from iconv when the scanner is
 *  compiled (iconv is the reference; the tables let decoding run without a call per
 *  character). Immutable afterwards; shared by every stream. */
typedef struct pii_codec_tables pii_codec_tables;

int pii_codec_tables_new(pii_codec_tables **out, piiscan_error *err);
void pii_codec_tables_free(pii_codec_tables *t);

/** Decodes one character of s[0..n) in `enc` (not AUTO). Returns the bytes it used; 0 when
 *  s ends inside a character and !is_final (more input needed). An invalid sequence gives
 *  *cp = 0xFFFD, *is_invalid = true and uses at least one byte. */
size_t pii_decode_char(const pii_codec_tables *t, piiscan_encoding enc, const unsigned char *s,
                       size_t n, bool is_final, uint32_t *cp, bool *is_invalid);

/** Incremental decoder of one input. While `enc` is AUTO, ASCII bytes pass through (they mean
 *  the same in UTF-8, CP932 and EUC-JP) and bytes from the first non-ASCII byte on are held
 *  in `sample` until PII_ENCODING_SAMPLE_BYTES or the end of input, then scored. */
typedef struct pii_decoder {
    const pii_codec_tables *tables;
    piiscan_encoding enc;
    unsigned char carry[8]; /* an incomplete character at the end of the last chunk */
    size_t carry_len;
    unsigned char *sample;
    size_t sample_len;
    size_t sample_cap;
    uint64_t pos;    /* original offset of the next byte not yet decoded or held */
    uint64_t errors; /* invalid sequences so far */
} pii_decoder;

void pii_decoder_init(pii_decoder *d, const pii_codec_tables *t);
/** Starts an input at original offset `pos` (after a BOM) in `enc` (AUTO to detect). */
void pii_decoder_reset(pii_decoder *d, piiscan_encoding enc, uint64_t pos);
/** Decodes buf into out (appending text and map; out->base is not changed, map entries are
 *  original offsets minus out->base). With is_final, everything held is decoded. */
int pii_decoder_push(pii_decoder *d, const unsigned char *buf, size_t len, bool is_final,
                     pii_text *out);
void pii_decoder_free(pii_decoder *d);

/* ------------------------------------------------------------------------------------------ */
/* sniff.c: format and encoding detection                                                      */

typedef struct pii_head {
    piiscan_encoding encoding; /* from a BOM or the NUL pattern of UTF-16; AUTO otherwise */
    size_t bom_len;
    piiscan_format format; /* XLSX for a zip package, BINARY, or AUTO (text of some kind) */
    const char *reason;    /* static; why BINARY / XLSX / unsupported, NULL otherwise */
    bool is_unsupported;   /* a container we recognise but cannot scan (e.g. CFB, .xls) */
} pii_head;

/** Looks at the first bytes of an input (up to PII_HEAD_BYTES; fewer at end of input). */
void pii_sniff_head(const unsigned char *s, size_t n, pii_head *out);
/** Chooses UTF-8, CP932 or EUC-JP for a sample that starts at a non-ASCII byte, by strict
 *  UTF-8 validity first, then by scoring how Japanese each decoding reads. */
piiscan_encoding pii_sniff_encoding(const pii_codec_tables *t, const unsigned char *s, size_t n,
                                    bool is_final);
/** Chooses TEXT, CSV or TSV from decoded text and the file name's extension (may be NULL);
 *  sets *delimiter for CSV/TSV. */
piiscan_format pii_sniff_format(const char *text, size_t n, const char *name, char *delimiter);

/* ------------------------------------------------------------------------------------------ */
/* normalize.c: folding for matching                                                           */

/** Folds decoded UTF-8 for matching: full-width ASCII -> ASCII, U+3000 -> space, half-width
 *  katakana -> full-width (with voiced marks composed), dash look-alikes -> '-' (ー and ｰ only
 *  between digits). out is cleared first; out->map is relative to `in`. */
int pii_normalize(const char *in, size_t len, pii_text *out);
/** True when s[0..n) is all ASCII (normalisation would be the identity). */
bool pii_is_ascii(const char *s, size_t n);
/** What one look at each byte of decoded text tells, for stream.c to decide whether the
 *  unit needs detection at all: whether it holds a digit or an at sign, in ASCII or full
 *  width (U+FF10..U+FF20 = EF BC 90..A0; what the number and e-mail detectors need), whether
 *  it holds a byte outside ASCII or an ASCII capital letter (what a name or an address needs:
 *  Japanese text, or romaji such as Taro Yamada), whether pii_normalize could change it (false
 *  means it certainly would not: Japanese text without full-width forms, half-width kana or
 *  dashes), and its ASCII digits. Most text fields of an export hold neither digit nor at
 *  sign. */
struct pii_survey {
    bool has_digit_or_at;
    bool has_non_ascii;
    bool has_capital; /* exact only when !needs_folding (then has_non_ascii is true anyway) */
    bool needs_folding;
    size_t digits; /* exact only when !needs_folding */
};

struct pii_survey pii_survey(const char *s, size_t n);
/** pii_survey of s[0..n), where s[0..readable) may be read (readable >= n): the bytes past
 *  the text let it be looked at in whole blocks. */
struct pii_survey pii_survey_within(const char *s, size_t n, size_t readable);

/* ------------------------------------------------------------------------------------------ */
/* marker.c: the inline allow marker                                                           */

/** True when decoded text s[0..n) holds the marker "piiscan:allow". */
bool pii_marker_in(const char *s, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* canonical.c: one spelling per value, for keys that must not depend on how it was typed     */

/** The canonical form of decoded UTF-8 text[0..len) of `type`, as piiscan_value_canonical()
 *  documents it, into out (cleared first). scratch is working space. PIISCAN_ERR_NOMEM. */
int pii_canonical(piiscan_type type, const char *text, size_t len, pii_text *scratch,
                  pii_bytes *out);

/* ------------------------------------------------------------------------------------------ */
/* column.c: what a column header or a keyword means                                           */

/** Meanings of column headers and context keywords (dict/column_header.tsv, dict/keyword.tsv).
 *  Keep in step with the names dict/compile.sh accepts. */
enum pii_column {
    PII_COL_NONE = 0,
    PII_COL_NOT_PII, /* order number, tracking number, SKU, JAN, date, price, product */
    PII_COL_NAME,
    PII_COL_NAME_KANA,
    PII_COL_ADDRESS,
    PII_COL_PREFECTURE,
    PII_COL_CITY,
    PII_COL_STREET,
    PII_COL_BUILDING,
    PII_COL_PHONE,
    PII_COL_POSTAL_CODE,
    PII_COL_EMAIL,
    PII_COL_MY_NUMBER,
    PII_COL_CREDIT_CARD,
    PII_COL_COUNT
};

/** How a term in dict/column_header.tsv matches a canonical header. */
enum pii_term_match { PII_MATCH_EXACT = 0, PII_MATCH_CONTAINS = 1, PII_MATCH_SUFFIX = 2 };

struct pii_term {
    const char *text; /* canonical form, see pii_canonical_label */
    uint8_t len;      /* bytes */
    uint8_t meaning;  /* enum pii_column */
    uint8_t match;    /* enum pii_term_match */
};

/** Canonical form of a header label or keyword: normalised, ASCII lower-cased, without
 *  spaces and the punctuation that decorates labels (- _ . ・ : ( ) [ ] 【 】 「 」 * ※ /). */
int pii_canonical_label(const char *s, size_t n, pii_text *out);
/** The meaning of a header cell (decoded UTF-8). scratch is caller-owned working space. */
enum pii_column pii_column_lookup(const char *label, size_t n, pii_text *scratch);
/** A bit (1u << meaning) for each meaning whose keywords occur in canonical text s[0..n). */
unsigned pii_keyword_mask(const char *s, size_t n);
/** The type a meaning implies for a detector, or 0 (NONE, NOT_PII). */
piiscan_type pii_column_type(enum pii_column c);

/* ------------------------------------------------------------------------------------------ */
/* dict_data.c: generated by dict/compile.sh from the dict/ tables at build time              */

struct pii_area_code {
    char code[6];              /* with the leading 0, e.g. "03", "0467", "01564" */
    uint8_t subscriber_digits; /* 10 - strlen(code) */
};

extern const uint32_t pii_postal_codes[]; /* every valid 7-digit code, ascending, unique */
extern const size_t pii_postal_codes_count;
extern const struct pii_area_code pii_area_codes[]; /* sorted by strcmp of code */
extern const size_t pii_area_codes_count;
extern const struct pii_term pii_column_terms[]; /* sorted by strcmp of text */
extern const size_t pii_column_terms_count;
extern const struct pii_term pii_keywords[]; /* sorted by strcmp of text */
extern const size_t pii_keywords_count;
extern const char *const pii_prefectures[]; /* the 47, e.g. "北海道", "東京都" */
extern const size_t pii_prefectures_count;

/** True when the 7-digit code is in Japan Post's list. */
bool pii_postal_code_exists(uint32_t code);
/** detect_postal.c's pattern for a postal code (PCRE2 syntax), which pii_postal_find follows:
 *  group 1 the postal mark, group 2 the code. */
extern const char pii_postal_pattern[];
/** The leftmost match of pii_postal_pattern in s[0..len) that starts at or after pos, as
 *  pcre2_match finds it: ov[0..1] the match, ov[2..3] the mark (SIZE_MAX, SIZE_MAX when
 *  there is none), ov[4..5] the code. False when there is no match. */
bool pii_postal_find(const char *s, size_t len, size_t pos, size_t ov[6]);
/** The longest area code that prefixes the national number `digits` (starting with 0), or
 *  NULL. */
const struct pii_area_code *pii_area_code_find(const char *digits, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* Detectors: detect_*.c                                                                       */

/** Record-level context, computed lazily: a detector asks only when it has a candidate. */
typedef struct pii_context {
    const char *record; /* text near the unit (its field and the one before, or its line) */
    size_t record_len;
    pii_text *scratch; /* per-stream working space for the canonical record */
    unsigned keywords; /* pii_keyword_mask() of the canonical record */
    bool is_keywords_known;
} pii_context;

/** Bits (1u << enum pii_column) of the meanings whose keywords occur in the record. */
unsigned pii_context_keywords(pii_context *ctx);

typedef struct pii_unit pii_unit;
/** The context a detector weighs: the column's meaning alone when the header gave the unit
 *  one (in a table the header is the context, and the record's words are not looked at),
 *  else pii_context_keywords() of the unit's context. */
unsigned pii_unit_keywords(const pii_unit *u);

/** One unit of text to scan: a CSV/TSV field or a text line, normalised. */
struct pii_unit {
    const char *text; /* normalised UTF-8 */
    size_t len;
    enum pii_column column; /* meaning of the column header; PII_COL_NONE in text */
    uint32_t field;         /* 1-based field; 0 in text */
    size_t digits;          /* number of ASCII digits in text, for quick rejection */
    pii_context *ctx;
};

typedef struct pii_candidate {
    piiscan_type type;
    size_t start; /* in the unit's normalised text, end exclusive */
    size_t end;
    double confidence;    /* 0..1: pii_score_column_may_report relies on the bound */
    const char *detector; /* static */
} pii_candidate;

typedef struct pii_candidates {
    pii_candidate *v;
    size_t len;
    size_t cap;
} pii_candidates;

int pii_candidates_push(pii_candidates *c, piiscan_type type, size_t start, size_t end,
                        double confidence, const char *detector);
void pii_candidates_free(pii_candidates *c);

/** A detector. compile() builds its immutable state (owned by the scanner, shared by
 *  threads); scan() runs on one unit with the calling stream's match data. */
struct pii_detector {
    const char *name;
    piiscan_type type;
    /* True when every value it finds holds a digit or an at sign, so that a unit without
     * either needs no scan by it (pii_survey). */
    bool needs_digit_or_at;
    /* The fewest ASCII digits (pii_unit.digits) in a unit where it can find anything: a unit
     * with fewer needs no scan by it. 0 when it has no such bound. */
    size_t min_digits;
    /* For the name and address detectors, 0 for the others: the highest confidence of a
     * candidate, which, outside the detector's own columns, starts at a byte outside ASCII or
     * at an ASCII capital letter. In a column of the other of the two types, whose whole field
     * that type's detector claims above this, the detector need not run (stream.c). */
    double max_confidence;
    int (*compile)(void **state, piiscan_error *err);
    void (*free)(void *state);
    int (*scan)(const void *state, pcre2_match_data *md, const pii_unit *u, pii_candidates *out);
};

extern const struct pii_detector pii_detector_phone;
extern const struct pii_detector pii_detector_postal;
extern const struct pii_detector pii_detector_email;
extern const struct pii_detector pii_detector_mynumber;
extern const struct pii_detector pii_detector_card;

/** Compiles a PCRE2 pattern (UTF, JIT when available) for a detector. */
int pii_pattern_compile(const char *pattern, uint32_t flags, pcre2_code **out, piiscan_error *err);
/** A detector's whole state when it is one pattern: compile() and free() for such
 *  detectors; scan() gets the pcre2_code itself. */
int pii_pattern_state_new(const char *pattern, void **state, piiscan_error *err);
void pii_pattern_state_free(void *state);

/** A match of a detector's pattern in a unit's text: the span [start, end) and the match
 *  data's ovector, which holds the groups (valid until the next match with the same data). */
typedef struct pii_match {
    size_t start;
    size_t end;
    const PCRE2_SIZE *ov;
} pii_match;

/** The leftmost match of re in u->text that starts at or after pos, found with md (the calling
 *  stream's match data). Returns 1 with *m, 0 when there is none (always when pos is at the
 *  end), or PIISCAN_ERR_INTERNAL when PCRE2 fails. */
int pii_pattern_find(const pcre2_code *re, pcre2_match_data *md, const pii_unit *u, size_t pos,
                     pii_match *m);

/* The boundaries of a number in the patterns of the number detectors (postal code, My Number,
 * card; the phone detector's end): not glued to letters, digits or '_', not continued through
 * '-' from an alphanumeric, not inside a date, decimal or path, not an amount. So
 * 03-1234-5678 holds no 234-5678 and 250-1234567 no 250-1234. */
#define PII_NUMBER_BEFORE "(?<![A-Za-z0-9_])(?<![A-Za-z0-9_]-)(?<![0-9][/.])(?<![¥￥$\\\\])"
#define PII_NUMBER_AFTER  "(?![A-Za-z0-9_])(?!-[A-Za-z0-9_])(?![/.][0-9])(?!円)"
/** Match data large enough for every detector's pattern. */
#define PII_MATCH_PAIRS 16

/* ------------------------------------------------------------------------------------------ */
/* trie.c, dict_trie.c: the compiled dictionary of names, places and context words            */

/* What a key is (bits; a key may be several: 松本 is a surname and a town). Keep in step with
 * dict/trie_keys.sh. */
#define PII_LEX_SURNAME           0x0001u /* 姓: written form, or with READING its reading */
#define PII_LEX_GIVEN             0x0002u /* 名 */
#define PII_LEX_PREFECTURE        0x0004u /* 都道府県 */
#define PII_LEX_MUNICIPALITY      0x0008u /* 市区町村, 政令市 and its 区 alone too */
#define PII_LEX_TOWN              0x0010u /* 町域 from the postal data */
#define PII_LEX_HONORIFIC         0x0020u /* 様 さん 殿 氏 ... */
#define PII_LEX_NOT_NAME_AFTER    0x0040u /* 市 駅 店 産 錦 ...: what precedes is no person */
#define PII_LEX_NOT_NAME_BEFORE   0x0080u /* 株式会社 県 ...: what follows is no person */
#define PII_LEX_NOT_NAME          0x0100u /* 林業 森林: a word that contains a surname */
#define PII_LEX_NOT_ADDRESS_AFTER 0x0200u /* 産 警 公安委員会: the place is no address */
#define PII_LEX_BUILDING          0x0400u /* コーポ ハイツ 号室 ... */
#define PII_LEX_COUNTY            0x0800u /* 郡 */
#define PII_LEX_READING           0x1000u /* the key is a name's katakana reading or romaji */
#define PII_LEX_KIND_MASK         0x1FFFu
/** Frequency tier of a name (JUMAN): 3 = 100 commonest, 2 = 1,000 commonest, 1 = ranked. */
#define PII_LEX_TIER(word) ((unsigned)(word) >> 13)

/* The trie: node 0 is the root; the children of node i are nodes first .. first + count - 1,
 * sorted by label (pii_trie_label: a UTF-16 code unit of the key). kinds is 0 where no key
 * ends, else kinds | tier << 13. Generated by dict/trie_gen; immutable. */
struct pii_trie_node {
    uint32_t first;
    uint16_t count;
    uint16_t kinds;
};
extern const uint16_t pii_trie_label[];
extern const struct pii_trie_node pii_trie_nodes[];
extern const uint16_t pii_trie_root[65536]; /* child of the root by label: 1 + rank, or 0 */
/* By first UTF-16 unit: the kinds (PII_LEX_*) of every key that starts with it. */
extern const uint16_t pii_trie_root_kinds[65536];
extern const size_t pii_trie_node_count;
extern const size_t pii_trie_key_count;
extern const uint32_t pii_trie_reading_node[]; /* ascending */
extern const uint32_t pii_trie_reading_at[];   /* offsets into pii_trie_readings */
extern const size_t pii_trie_reading_count;
extern const char pii_trie_readings[]; /* NUL-terminated comma-separated katakana lists */
extern const size_t pii_trie_readings_size;

/** Space, tab and the line ends: what a column's claim on a whole field leaves out at its
 *  ends (a quoted field may end with the line end of a value typed on two lines). */
static inline bool pii_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/** pii_utf8_get with fast paths for ASCII and well-formed three-byte characters (kana and
 *  kanji), which are nearly all of the text the dictionary detectors walk. n >= 1. */
static inline size_t pii_utf8_fast(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if ((p[0] & 0xF0) == 0xE0 && n >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
        uint32_t c =
            ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
            *cp = c;
            return 3;
        }
    }
    return pii_utf8_get(s, n, cp);
}

/** A key found in the text: it spans [start, end) of the text. */
typedef struct pii_trie_match {
    uint32_t end;
    uint32_t node;
    uint16_t kinds; /* PII_LEX_* | tier << 13 */
} pii_trie_match;

/** Every key that starts at s[pos] (a character boundary), shortest first, at most max of
 *  them; returns how many. The text is matched folded: hiragana as katakana, ASCII letters
 *  in lower case. Thread-safe (reads only the embedded tables). */
size_t pii_trie_prefixes(const char *s, size_t n, size_t pos, pii_trie_match *out, size_t max);
/** False when no key of `kinds` starts at s[pos] (a character boundary): a table look-up
 *  that spares the walk. True at the end of the text is never returned. */
bool pii_trie_may_start(const char *s, size_t n, size_t pos, unsigned kinds);
/** The node where exactly the key s[0..n) ends, or 0 when it is not a key. */
uint32_t pii_trie_find(const char *s, size_t n);
/** The comma-separated katakana readings stored with a written name's node, or NULL. */
const char *pii_trie_reading(uint32_t node);

/** Whether a name or address column's field s[start..end) is redacted: it holds a mask
 *  character ('*'; '＊' is '*' once normalised; a partial mask keeps only what identifies no
 *  one, a prefecture and municipality) or is a redaction token (NM_, ADR_ ... and 16
 *  letters). Such a field is not reported again, so that a redacted file rescans clean. */
bool pii_trie_is_redacted(const char *s, size_t start, size_t end);

/** Name and address detectors (detect_name.c, detect_address.c). Names need neither digits nor
 *  '@' in a unit (needs_digit_or_at is false): stream.c scans a unit for them when it holds
 *  a byte outside ASCII or a capital letter. Their weak candidates wait for the record's
 *  other findings (pii_score_record_apply). */
extern const struct pii_detector pii_detector_name;
extern const struct pii_detector pii_detector_address;
/** The evidence of a weak name written in kana alone, a surname's reading (シルバー reads as
 *  Silva) or two readings glued together (ヤマダタロウ): as often a loanword, which the rest
 *  of its record does not make a name. */
#define PII_EVIDENCE_KANA_ALONE "name/kana"

/* ------------------------------------------------------------------------------------------ */
/* score.c                                                                                     */

/** Adjusts candidates by the unit's column meaning, drops those below threshold and resolves
 *  overlaps (the stronger wins; ties go to the longer span); leaves them sorted by start. */
void pii_score_unit(const pii_unit *u, pii_candidates *c, double threshold);
/** pii_score_unit for a unit whose record is not complete yet: name and address candidates
 *  below the threshold that record-level evidence could still raise to it are kept (and take
 *  part in resolving overlaps); pii_score_record_apply decides on them. */
void pii_score_unit_in_record(const pii_unit *u, pii_candidates *c, double threshold);
/** Record-level evidence: whether candidate c, scored by pii_score_unit_in_record, is a
 *  finding that supports the weak name and address candidates of its record. */
bool pii_score_record_supports(const pii_candidate *c, double threshold);
/** Raises a weak name or address candidate when its record holds a supporting finding
 *  (is_supported), then applies the threshold: returns whether c is reported. */
bool pii_score_record_apply(pii_candidate *c, bool is_supported, double threshold);
/** False when no candidate, whatever its detector, can reach `threshold` in a unit of this
 *  column once the column's meaning is applied (candidates are dropped below the threshold
 *  before overlaps are resolved, so such a unit needs no detection at all). */
bool pii_score_column_may_report(enum pii_column column, double threshold);

/* ------------------------------------------------------------------------------------------ */
/* read_csv.c / read_text.c: records and fields in decoded text                               */

typedef struct pii_field {
    size_t start; /* offsets in the decoded window; surrounding quotes excluded */
    size_t end;
} pii_field;

typedef struct pii_record {
    size_t start;   /* first byte of the record in the window */
    size_t end;     /* first byte after the record's content (before its line end) */
    size_t next;    /* first byte of the next record (after the line end) */
    uint32_t lines; /* physical lines the record spans (1 + line ends inside quotes) */
    bool is_unterminated_quote;
    pii_field *fields; /* borrowed from the reader until the next call */
    size_t nfields;
} pii_record;

/** CSV/TSV record scanner that resumes where it stopped, so feeding one byte at a time costs
 *  no rescans. */
typedef struct pii_csv {
    char delimiter;
    size_t pos;     /* next window byte to look at, relative to the record start */
    bool is_quoted; /* inside a quoted field */
    bool is_field_quoted;
    pii_field *fields;
    size_t nfields;
    size_t cap;
    size_t field_start;
    uint32_t lines;
} pii_csv;

void pii_csv_init(pii_csv *csv, char delimiter);
/** Looks for the end of the record that starts at window offset `start`. Returns 1 and fills
 *  *rec when the record is complete in text[start..len) (at len itself only when is_final),
 *  0 when more text is needed, PIISCAN_ERR_NOMEM. */
int pii_csv_next(pii_csv *csv, const char *text, size_t len, size_t start, bool is_final,
                 pii_record *rec);
/** Forgets the partial record (the window was compacted or a new input begins). */
void pii_csv_restart(pii_csv *csv);
void pii_csv_free(pii_csv *csv);

/** Finds the next line in text[start..len): returns 1 with *rec filled (one field, the whole
 *  line), 0 when more text is needed. A line longer than max_bytes is cut at the last space
 *  or punctuation before the limit (else at a character boundary) and rec->lines is 0 for
 *  the first pieces. */
int pii_text_next_line(const char *text, size_t len, size_t start, bool is_final, size_t max_bytes,
                       pii_record *rec, pii_field *field);

/* ------------------------------------------------------------------------------------------ */
/* scanner.c                                                                                   */

#define PII_DETECTOR_COUNT 7

struct piiscan_scanner {
    struct piiscan_options opt;
    pii_codec_tables *tables;
    const struct pii_detector *detectors[PII_DETECTOR_COUNT];
    void *state[PII_DETECTOR_COUNT];
    size_t ndetectors;
    /* Every compiled detector needs a digit or an at sign: units without one are skipped
     * (--types phone,email ...). */
    bool needs_digit_or_at;
};

/* ------------------------------------------------------------------------------------------ */
/* stream.c: units of a workbook, delivered by read_xlsx.c                                    */

/** One unit of a workbook: a cell's text, the phonetic reading of a cell, a comment, an
 *  author, a document property. The findings in it carry the sheet of the last
 *  pii_stream_sheet_begin() and `ref` as their cell, and offsets `offset` + their place in
 *  `text`: a reading follows its cell's visible text (see read_xlsx.c). */
typedef struct pii_cell {
    const char *text; /* UTF-8, borrowed for the call */
    size_t len;
    size_t offset;   /* of text in the cell text as findings count it */
    uint32_t column; /* 0-based (A = 0): the header's meaning of the column applies */
    const char *ref; /* "C12", "comment:C12", "creator": NUL-terminated, borrowed */
    /* Where the text sits in the package, for redact_xlsx.c: the zip index of its part, the
     * kind of element that holds it, and which one: a shared string's index in the table,
     * else the byte offset (as expat counts it in the inflated part) of the element's start
     * tag. Units of one cell (its text and its reading) share their place. */
    uint32_t part;
    uint8_t place;   /* enum pii_place */
    bool is_reading; /* the phonetic reading (<rPh>) of the cell, after its visible text */
    uint64_t item;
} pii_cell;

/** The elements a workbook's text comes from (ECMA-376 Part 1 names). */
enum pii_place {
    PII_PLACE_NONE = 0,
    PII_PLACE_SHARED,      /* <si> of the shared strings; item is its index */
    PII_PLACE_CELL,        /* <c> of a sheet: its <v>, or its inline <is> */
    PII_PLACE_COMMENT,     /* <comment> of a comments part: its <text> */
    PII_PLACE_AUTHOR,      /* <author> of a comments part */
    PII_PLACE_PROPERTY,    /* dc:creator, cp:lastModifiedBy (core), Manager (app) */
    PII_PLACE_PERSON_NAME, /* <person displayName> of threaded comments */
    PII_PLACE_PERSON_USER, /* <person userId> */
    PII_PLACE_THREADED,    /* <threadedComment> of Excel 365: its <text> */
};

/** Starts a sheet (or "docProps"): forgets the header row of the last one. `sheet` is
 *  borrowed until the next call or the end of the input. */
void pii_stream_sheet_begin(piiscan_stream *st, const char *sheet);
/** Scans the units of one row (1-based `row`), left to right: the first rows of a sheet are
 *  looked at for a header row, as in CSV, and later cells get their column's meaning.
 *  A unit whose offset is not 0 (a reading) is no header label. PIISCAN_ERR_* as feed. */
int pii_stream_scan_row(piiscan_stream *st, uint64_t row, const pii_cell *cells, size_t n);
/** Scans one unit outside the rows (a comment, an author, a property) with the meaning
 *  `column` (PII_COL_NAME for an author). */
int pii_stream_scan_cell(piiscan_stream *st, const pii_cell *cell, enum pii_column column);
/** The unit a finding being delivered comes from: valid inside the finding callback of a
 *  workbook's finding (NULL otherwise). redact_xlsx.c finds a finding's place with it. */
const pii_cell *pii_stream_finding_cell(const piiscan_stream *st);

/** Sees the units of a workbook before they are scanned: one call per row (its cells and
 *  their readings, left to right) and one per unit outside the rows, with the current sheet.
 *  A non-zero return is an error code that fails the input. */
typedef int (*pii_units_fn)(void *user, const char *sheet, const pii_cell *cells, size_t n);
/** Installs (fn non-NULL) or removes a units hook. With is_detecting false the units are
 *  counted and handed to the hook, but not scanned: no finding is delivered (redact_xlsx.c
 *  reads a workbook's text this way to compare it). */
void pii_stream_set_units_hook(piiscan_stream *st, pii_units_fn fn, void *user, bool is_detecting);

/* ------------------------------------------------------------------------------------------ */
/* read_xlsx.c, cfb.c: packages that need random access                                       */

/* Limits against zip bombs and hostile packages; each is a PIISCAN_ERR_LIMIT naming it. */
#define PII_XLSX_MAX_ENTRIES      10000
#define PII_XLSX_MAX_TOTAL_BYTES  (UINT64_C(1) << 30)   /* uncompressed, all parts read */
#define PII_XLSX_MAX_RATIO        100                   /* uncompressed : compressed, per part */
#define PII_XLSX_RATIO_MIN_BYTES  (UINT64_C(1) << 20)   /* parts smaller than this may be denser */
#define PII_XLSX_MAX_ROW_CELLS    16384                 /* Excel's columns A..XFD */
#define PII_XLSX_MAX_SHARED_BYTES (UINT64_C(256) << 20) /* the shared strings, kept whole */
#define PII_XLSX_MAX_TOKEN_BYTES  (UINT64_C(16) << 20)  /* XML without an event: one token */
/* A package fed in chunks (piiscan_stream_feed) is held in memory until finish, since a zip
 * is read from its end; past this, PIISCAN_ERR_LIMIT says to scan it from a file. */
#define PII_PACKAGE_FEED_MAX_BYTES ((size_t)64 << 20)

/** Where a package is read: buf[0..len) when buf is not NULL, else fd from `offset` (with
 *  pread, so the descriptor's position is not used), `len` bytes. */
typedef struct pii_package {
    const unsigned char *buf;
    int fd;
    uint64_t offset;
    uint64_t len;
} pii_package;

/** Reads up to n bytes at `at`; returns the bytes read (short only at the end), or -1 with
 *  errno set. */
int64_t pii_package_read(const pii_package *pkg, uint64_t at, void *out, size_t n);

/** Scans an xlsx package (zip) into `st`: document properties, then each sheet in workbook
 *  order (hidden ones too) with its comments. A zip that holds no workbook sets *skip_reason
 *  (static) and returns PIISCAN_OK. Errors go to *err: PIISCAN_ERR_FORMAT (corrupt zip or
 *  XML, naming the part), PIISCAN_ERR_LIMIT, PIISCAN_ERR_UNSUPPORTED (an encrypted entry),
 *  PIISCAN_ERR_NOMEM, PIISCAN_ERR_IO, or the stream's own. `max_cell_bytes` bounds a cell. */
int pii_xlsx_scan(piiscan_stream *st, const pii_package *pkg, size_t max_cell_bytes,
                  const char **skip_reason, piiscan_error *err);

/** Says what an OLE2 (CFB) container holds, from the names in its directory: always an
 *  error (PIISCAN_ERR_UNSUPPORTED "encrypted workbook: cannot scan" for an EncryptedPackage,
 *  "legacy .xls workbook: not supported" for a Workbook or Book stream), except for a
 *  container with neither, which sets *skip_reason (static; another Office file) and
 *  returns PIISCAN_OK. */
int pii_cfb_classify(const pii_package *pkg, const char **skip_reason, piiscan_error *err);

#endif /* PIISCAN_INTERNAL_H */
