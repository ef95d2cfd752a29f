/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * piiscan.h - find Japanese personal data in text exports.
 *
 * Outline of a scan:
 *   1. piiscan_options_new(), then piiscan_options_set_*() to taste.
 *   2. piiscan_scanner_new(): compiles patterns and tables once. The scanner is immutable
 *      and may be shared by any number of threads; the options may be freed now.
 *   3. piiscan_stream_new() per thread, with the callback that receives findings.
 *   4. Per input: piiscan_stream_begin(), piiscan_stream_feed() with chunks of any size,
 *      piiscan_stream_finish(); or piiscan_stream_scan_fd() / piiscan_stream_scan_buffer(),
 *      which do all three.
 *   5. piiscan_stream_free(), then piiscan_scanner_free().
 *
 * Every fallible function returns PIISCAN_OK (0) or a negative PIISCAN_ERR_* code.
 * The library never prints, never exits, reads no environment variables and keeps no
 * mutable global state.
 */
#ifndef PIISCAN_H
#define PIISCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define PIISCAN_API __declspec(dllexport)
#elif defined(__GNUC__)
#define PIISCAN_API __attribute__((visibility("default")))
#else
#define PIISCAN_API
#endif

/* Major: breaking changes. Minor: additions. Patch: fixes. */
#define PIISCAN_VERSION_MAJOR 0
#define PIISCAN_VERSION_MINOR 1
#define PIISCAN_VERSION_PATCH 0
#define PIISCAN_VERSION_NUMBER \
    (PIISCAN_VERSION_MAJOR * 10000 + PIISCAN_VERSION_MINOR * 100 + PIISCAN_VERSION_PATCH)

/** The version of the library linked at run time, as PIISCAN_VERSION_NUMBER computes it. */
PIISCAN_API unsigned piiscan_version_number(void);
/** The same as "MAJOR.MINOR.PATCH". Static string. */
PIISCAN_API const char *piiscan_version_string(void);

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                    */

/** Status codes. Values are fixed: they are part of the ABI. */
typedef enum piiscan_status {
    PIISCAN_OK = 0,
    PIISCAN_ERR_NOMEM = -1,       /* out of memory */
    PIISCAN_ERR_INVALID = -2,     /* an argument is out of range or NULL */
    PIISCAN_ERR_STATE = -3,       /* call out of order, or on a stream that has failed */
    PIISCAN_ERR_IO = -4,          /* read error on a file descriptor */
    PIISCAN_ERR_LIMIT = -5,       /* input exceeds a configured limit */
    PIISCAN_ERR_ABORTED = -6,     /* the finding callback asked to stop */
    PIISCAN_ERR_ENCODING = -7,    /* the encoding is unknown or cannot be converted */
    PIISCAN_ERR_FORMAT = -8,      /* the input is malformed beyond recovery */
    PIISCAN_ERR_UNSUPPORTED = -9, /* the input is of a kind this build cannot scan */
    PIISCAN_ERR_INTERNAL = -10,   /* a pattern or table failed to compile: a bug */
    PIISCAN_ERR_VERIFY = -11,     /* a redacted output failed its check: keep the original */
} piiscan_status;

/** Lowest (most negative) status code, for tables indexed by code. */
#define PIISCAN_ERR_MIN PIISCAN_ERR_VERIFY

/** Details of the last error. Library text is a lower-case fragment without a file name. */
typedef struct piiscan_error {
    int code;        /* PIISCAN_ERR_* */
    uint64_t offset; /* byte in the input; UINT64_MAX when not about a position */
    uint64_t line;   /* 1-based; 0 when unknown */
    char text[160];  /* e.g. "unterminated quoted field opened at line 12" */
} piiscan_error;

/** A static description of a status code; never NULL, also for unknown codes. */
PIISCAN_API const char *piiscan_strerror(int code);

/* ---------------------------------------------------------------------------------------- */
/* Types of personal data, encodings, formats                                                */

typedef enum piiscan_type {
    PIISCAN_TYPE_NAME = 1,
    PIISCAN_TYPE_ADDRESS = 2,
    PIISCAN_TYPE_PHONE = 3,
    PIISCAN_TYPE_EMAIL = 4,
    PIISCAN_TYPE_POSTAL_CODE = 5,
    PIISCAN_TYPE_MY_NUMBER = 6,
    PIISCAN_TYPE_CREDIT_CARD = 7,
} piiscan_type;

#define PIISCAN_TYPE_MAX PIISCAN_TYPE_CREDIT_CARD
/** Bit of a type in a type set, as piiscan_options_set_types() takes it. */
#define PIISCAN_TYPE_BIT(t) (1u << (unsigned)(t))
#define PIISCAN_TYPES_ALL   (((1u << (PIISCAN_TYPE_MAX + 1)) - 1) & ~1u)

/** "name", "address", "phone", "email", "postal_code", "my_number", "credit_card";
 *  "unknown" for anything else. Static string. */
PIISCAN_API const char *piiscan_type_name(piiscan_type type);
/** The type whose name is `name`. PIISCAN_ERR_INVALID when there is none. */
PIISCAN_API int piiscan_type_from_name(const char *name, piiscan_type *out);

typedef enum piiscan_encoding {
    PIISCAN_ENCODING_AUTO = 0, /* detect */
    PIISCAN_ENCODING_UTF8 = 1,
    PIISCAN_ENCODING_CP932 = 2, /* Shift_JIS with the Microsoft and NEC extensions */
    PIISCAN_ENCODING_EUCJP = 3, /* EUC-JP with the Microsoft extensions (eucJP-ms) */
    PIISCAN_ENCODING_UTF16LE = 4,
    PIISCAN_ENCODING_UTF16BE = 5,
} piiscan_encoding;

/** "UTF-8", "CP932", "EUC-JP", "UTF-16LE", "UTF-16BE", "auto". Static string. */
PIISCAN_API const char *piiscan_encoding_name(piiscan_encoding enc);
/** Parses an encoding name, case-insensitively, with the usual aliases (sjis, shift_jis,
 *  windows-31j, cp932, eucjp, euc-jp, utf8, utf-16le ...). PIISCAN_ERR_ENCODING if unknown. */
PIISCAN_API int piiscan_encoding_from_name(const char *name, piiscan_encoding *out);

typedef enum piiscan_format {
    PIISCAN_FORMAT_AUTO = 0,   /* detect */
    PIISCAN_FORMAT_TEXT = 1,   /* lines */
    PIISCAN_FORMAT_CSV = 2,    /* RFC 4180, delimiter sniffed (comma, semicolon, pipe) */
    PIISCAN_FORMAT_TSV = 3,    /* tab-separated, with CSV quoting */
    PIISCAN_FORMAT_XLSX = 4,   /* Office Open XML workbook (may be forced); see below */
    PIISCAN_FORMAT_BINARY = 5, /* not text: skipped, see piiscan_stats.skip_reason */
} piiscan_format;

/* Workbooks are zip packages, read from their end: piiscan_stream_scan_fd() and
 * piiscan_stream_scan_buffer() read them in place, while through piiscan_stream_feed() a
 * workbook is held in memory until finish, 64 MiB at most (PIISCAN_ERR_LIMIT past that). In a
 * workbook, stats.records counts rows, stats.fields cells with text, and header_line is the
 * row of the first header found. */

/** "auto", "text", "csv", "tsv", "xlsx", "binary". Static string. */
PIISCAN_API const char *piiscan_format_name(piiscan_format format);

/* ---------------------------------------------------------------------------------------- */
/* Options and the compiled scanner                                                           */

typedef struct piiscan_options piiscan_options; /* mutable builder */
typedef struct piiscan_scanner piiscan_scanner; /* compiled; immutable; share across threads */
typedef struct piiscan_stream piiscan_stream;   /* per-thread scratch; one input at a time */

/** Options with the defaults: every type, threshold 0.5, 4 MiB per record.
 *  *out is written only on success. PIISCAN_ERR_NOMEM. */
PIISCAN_API int piiscan_options_new(piiscan_options **out);
/** Frees the options; NULL does nothing. */
PIISCAN_API void piiscan_options_free(piiscan_options *opt);
/** Which types to report: an OR of PIISCAN_TYPE_BIT(t). PIISCAN_ERR_INVALID for 0 or an
 *  unknown bit. */
PIISCAN_API int piiscan_options_set_types(piiscan_options *opt, unsigned types);
/** Report findings whose confidence is at least `threshold` (0..1). PIISCAN_ERR_INVALID. */
PIISCAN_API int piiscan_options_set_threshold(piiscan_options *opt, double threshold);
/** Longest record (a CSV/TSV row, or a text line) kept in memory, in bytes (4096 to 1 GiB).
 *  A longer text line is scanned in pieces; a longer CSV record fails the input with
 *  PIISCAN_ERR_LIMIT. Memory per stream is a small multiple of this. */
PIISCAN_API int piiscan_options_set_max_record_bytes(piiscan_options *opt, size_t bytes);
/** Whether findings on a line that holds the marker "piiscan:allow" are left out (on by
 *  default): the way to say in a file that a value there is no one's personal data (a
 *  company's own number in a template). The marker is looked for in the decoded text, so it
 *  works in every encoding; it is matched exactly, in ASCII lower case. It covers a text line
 *  (a line longer than the record limit from the piece that holds it on), or a whole CSV/TSV
 *  record, also one whose quoted fields span several lines; not a workbook's cells. Findings
 *  left out are counted in piiscan_stats.allowed. Turn it off where the text is not yours to
 *  trust: whoever writes a field of the input (a customer's note in an order export) can hide
 *  that record with it. PIISCAN_ERR_INVALID for a NULL opt. */
PIISCAN_API int piiscan_options_set_allow_marker(piiscan_options *opt, bool is_honoured);

/** Compiles a scanner. Errors go to *err when err is not NULL (PIISCAN_ERR_NOMEM,
 *  PIISCAN_ERR_INTERNAL, PIISCAN_ERR_ENCODING when iconv lacks CP932 or EUC-JP-MS).
 *  *out is written only on success. */
PIISCAN_API int piiscan_scanner_new(const piiscan_options *opt, piiscan_scanner **out,
                                    piiscan_error *err);
/** Frees a scanner; every stream made from it must be freed first. NULL does nothing. */
PIISCAN_API void piiscan_scanner_free(piiscan_scanner *sc);

/* ---------------------------------------------------------------------------------------- */
/* Findings                                                                                   */

typedef struct piiscan_finding {
    piiscan_type type;
    uint64_t start, end; /* bytes of the original input, end exclusive; in xlsx, bytes of the
                            cell text as UTF-8 */
    uint64_t line;       /* 1-based physical line of start; 0 in xlsx */
    uint32_t field;      /* 1-based CSV/TSV field; 0 when not delimited */
    uint32_t column;     /* 1-based column of start in its line, in characters of the decoded
                            text (as SARIF counts them); 0 in xlsx */
    uint64_t record;     /* 1-based record of the input: a CSV/TSV row or text line (as
                            counted in piiscan_stats.records), an xlsx row counted over all
                            sheets; 0 for text outside rows (xlsx comments, properties).
                            Findings with the same record come from the same row. */
    const char *sheet;   /* xlsx only ("Orders"); NULL otherwise */
    const char *cell;    /* xlsx only ("C12", "comment:C12", "creator"); NULL otherwise */
    const char *text;    /* the span decoded to UTF-8; not NUL-terminated */
    size_t text_len;
    double confidence;    /* 0..1 */
    const char *detector; /* static: the detector and the evidence, e.g. "phone/column" */
} piiscan_finding;

/** Called from inside feed/finish, in input order, on the caller's thread. Everything *f
 *  points to is borrowed until the callback returns. Return non-zero to stop: feed/finish
 *  then return PIISCAN_ERR_ABORTED. */
typedef int (*piiscan_finding_fn)(const piiscan_finding *f, void *user);

/* ---------------------------------------------------------------------------------------- */
/* Streams                                                                                    */

/** What the caller knows about an input. Zero-initialise, then fill what is known. */
typedef struct piiscan_source {
    const char *name;          /* file name, for the extension hint; may be NULL; borrowed */
    piiscan_encoding encoding; /* PIISCAN_ENCODING_AUTO to detect */
    piiscan_format format;     /* PIISCAN_FORMAT_AUTO to detect */
} piiscan_source;

/** What a stream learned about its current input. Owned by the stream; valid until the
 *  next begin or free. Fields are only ever appended. */
typedef struct piiscan_stats {
    uint64_t bytes;            /* input bytes fed */
    uint64_t lines;            /* physical lines */
    uint64_t records;          /* CSV/TSV rows, or text lines */
    uint64_t findings;         /* findings delivered */
    uint64_t decode_errors;    /* byte sequences invalid in the encoding (replaced by U+FFFD) */
    uint64_t ragged_records;   /* CSV/TSV rows whose field count differs from the header's */
    uint64_t split_lines;      /* text lines longer than the record limit, scanned in pieces */
    piiscan_encoding encoding; /* detected or forced; AUTO until known */
    piiscan_format format;     /* detected or forced; AUTO until known */
    bool has_bom;
    char delimiter;          /* ',', '\t', ';', '|' for CSV/TSV; 0 otherwise */
    uint64_t header_line;    /* 1-based line of the recognised header row; 0 if none */
    const char *skip_reason; /* static; non-NULL when the input was skipped (binary) */
    uint64_t fields;         /* fields of all records (CSV/TSV cells; one per text record) */
    uint64_t allowed;        /* findings left out by the "piiscan:allow" marker; not in
                              * findings (see piiscan_options_set_allow_marker) */
} piiscan_stats;

/** A stream for one thread. The callback receives findings; `user` is passed through.
 *  *out is written only on success. PIISCAN_ERR_NOMEM, PIISCAN_ERR_INVALID. */
PIISCAN_API int piiscan_stream_new(const piiscan_scanner *sc, piiscan_finding_fn fn, void *user,
                                   piiscan_stream **out);
/** Starts a new input, forgetting the previous one (also after an error). `src` may be NULL
 *  (detect everything) and is borrowed for this call only. */
PIISCAN_API int piiscan_stream_begin(piiscan_stream *st, const piiscan_source *src);
/** Scans the next chunk of the current input. Findings are delivered to the stream's
 *  callback before this returns. Any chunk size works; matches across chunks are found once.
 *  Returns PIISCAN_OK, or PIISCAN_ERR_* with details in piiscan_stream_error(st); after an
 *  error the stream refuses input with PIISCAN_ERR_STATE until the next begin.
 *  Not thread-safe on one stream; different streams may run in parallel. */
PIISCAN_API int piiscan_stream_feed(piiscan_stream *st, const void *buf, size_t len);
/** Ends the current input: scans what is still buffered. Same errors as feed. */
PIISCAN_API int piiscan_stream_finish(piiscan_stream *st);
/** begin + feed everything read from `fd` until end of file + finish. The descriptor is
 *  not closed. PIISCAN_ERR_IO (errno text in the error) on a read error. Stops reading early
 *  when the input is recognised as binary. */
PIISCAN_API int piiscan_stream_scan_fd(piiscan_stream *st, int fd, const piiscan_source *src);
/** begin + feed + finish over one buffer. */
PIISCAN_API int piiscan_stream_scan_buffer(piiscan_stream *st, const void *buf, size_t len,
                                           const piiscan_source *src);
/** The last error of the stream: code PIISCAN_OK when there is none. Owned by the stream. */
PIISCAN_API const piiscan_error *piiscan_stream_error(const piiscan_stream *st);
/** Facts about the current (or just finished) input. Owned by the stream. */
PIISCAN_API const piiscan_stats *piiscan_stream_stats(const piiscan_stream *st);
/** Frees a stream; NULL does nothing. */
PIISCAN_API void piiscan_stream_free(piiscan_stream *st);

/* ---------------------------------------------------------------------------------------- */
/* Canonical values and keyed fingerprints                                                    */
/*
 * A value found in one export is often typed differently in another: full-width digits, +81,
 * a hiragana reading, kanji numerals. The canonical form is one spelling per value, and a
 * fingerprint is a keyed hash of it, so that the same person's values can be counted and
 * linked across files without keeping the values. Both are pure functions of their
 * arguments: safe from any thread, the same in every program that links the library.
 */

/** Bytes of a fingerprint. */
#define PIISCAN_FINGERPRINT_BYTES 16
/** Length of a fingerprint key, in bytes (BLAKE2b's key sizes). */
#define PIISCAN_FINGERPRINT_KEY_MIN_BYTES 16
#define PIISCAN_FINGERPRINT_KEY_MAX_BYTES 64

/** Writes the canonical form of a found value (decoded UTF-8 text[0..len), as
 *  piiscan_finding.text gives it) to out as NUL-terminated UTF-8, and its length (without the
 *  NUL) to *out_len. For every type: full-width ASCII, half-width katakana and dash
 *  look-alikes are folded as for matching. Then:
 *    phone: the national digits (+81 3 1234 5678, 03(1234)5678, ０３－１２３４－５６７８ give
 *           0312345678); postal code, My Number, card: the digits;
 *    email: spaces removed, ASCII lower-cased;
 *    name:  spaces and ・ removed, hiragana as katakana, romaji lower-cased, a trailing 様 殿
 *           さま さん removed; a kanji form and its kana reading stay two values;
 *    address: spaces and 〒 removed, ヶ ヵ as ケ カ; the prefecture left out when a
 *           municipality follows it (split exports do not report a prefecture column);
 *           kanji numerals of numbers as digits (二十三 = 23); from the first number that is
 *           not part of the town's name (北10条 is) on, only the numbers, joined by '-':
 *           東京都港区六本木一丁目二番三号, 港区六本木1-2-3 and 港区六本木１丁目２－３ all give
 *           港区六本木1-2-3; a building's name is left out, its room number kept (-101).
 *  The form is never longer than 2 * len + 1 bytes. PIISCAN_ERR_LIMIT when out has fewer
 *  than *out_len + 1 bytes (nothing is written; *out_len says how many are needed);
 *  PIISCAN_ERR_INVALID for an unknown type or NULL pointers; PIISCAN_ERR_NOMEM. */
PIISCAN_API int piiscan_value_canonical(piiscan_type type, const char *text, size_t len, char *out,
                                        size_t size, size_t *out_len);

/** The keyed fingerprint of a found value: BLAKE2b-128 keyed by `key` (key_len from
 *  PIISCAN_FINGERPRINT_KEY_MIN_BYTES to _MAX_BYTES; use random bytes kept secret: whoever has
 *  the key can test guesses of a value), personalised "piiscan-fp-v1", over "TYPE:CANONICAL"
 *  (TYPE as piiscan_type_name() gives it, CANONICAL as piiscan_value_canonical()). Equal
 *  canonical forms give equal fingerprints under one key; another key gives unrelated ones.
 *  Writes PIISCAN_FINGERPRINT_BYTES to out. PIISCAN_ERR_INVALID for a bad key length, an
 *  unknown type, NULL pointers, or a value whose canonical form is empty (it identifies no
 *  one); PIISCAN_ERR_INTERNAL when libsodium cannot start; PIISCAN_ERR_NOMEM. */
PIISCAN_API int piiscan_fingerprint(const unsigned char *key, size_t key_len, piiscan_type type,
                                    const char *text, size_t len,
                                    unsigned char out[PIISCAN_FINGERPRINT_BYTES]);

/* ---------------------------------------------------------------------------------------- */
/* Redaction                                                                                  */
/*
 * Outline of a redaction (each step after a scanner exists, as for a scan):
 *   1. piiscan_redact_options_new(), then piiscan_redact_options_set_*() to taste.
 *   2. piiscan_redactor_new(scanner, options): one per thread, like a stream (it owns one).
 *      The options may be freed now.
 *   3. Per input: piiscan_redactor_scan_fd() (pass 1: the findings become edits), then
 *      piiscan_redactor_write_fd() (pass 2: the input is copied to a write callback with each
 *      edit applied), then piiscan_redactor_verify_fd() on the output before trusting it.
 *      piiscan_redactor_redact_fd() does passes 1 and 2; the _buffer functions do the same
 *      on memory.
 *   4. piiscan_redactor_free(), then piiscan_scanner_free().
 *
 * Only the bytes of a finding's span change; every other byte, the byte order mark and the
 * line ends included, is copied as it was. Replacements are written in the input's own
 * encoding and never contain a delimiter, a quote, a line end or a NUL.
 * Memory: the edits are kept from pass 1 to pass 2, about 40 bytes per finding, plus the
 * stream's bounded buffers; the input itself is never held whole.
 *
 * Workbooks (.xlsx): a finding is a span of a cell's text, so pass 2 rewrites the package's
 * parts that hold replaced text (the shared strings, a sheet's inline strings and values,
 * comments, document properties) and copies every other part as it was, compressed bytes
 * included; styles, formulas, merged cells, images and other sheets are untouched. Inside a
 * rewritten part only the text of the elements that changed is replaced: rich-text runs keep
 * their formatting (a value split over runs is masked in each), the phonetic reading (<rPh>)
 * of a cell whose text was masked is masked whole, a shared string is masked for every cell
 * that shows it, and a number (a phone number that lost its leading 0) becomes an inline
 * string holding its mask. A zip is written with random access: piiscan_redactor_write_to_fd()
 * writes it in place; the _fd and _buffer write functions assemble it in memory first.
 * Verification compares the parts not rewritten (compressed bytes, CRC, sizes) and the text of
 * every cell outside the replaced spans, and scans the output again. Parts in another encoding
 * than UTF-8 are refused (PIISCAN_ERR_UNSUPPORTED), as Excel never writes them. Memory: the
 * shared-string table (as for a scan), about 48 bytes per replaced span (a shared string
 * shown in many cells is one span), and the one element being rewritten.
 */

/** How a span is replaced. */
typedef enum piiscan_mask {
    /* Every character becomes a mask character of the same display width: '*' for a
     * half-width character (ASCII, half-width katakana, accented Latin letters), '＊' for a
     * full-width one (CJK, kana, full-width forms, and the signs CP932 writes in two bytes). */
    PIISCAN_MASK_FULL = 1,
    /* As FULL, but what identifies no one is kept as it was, and so are the separators
     * ('-', spaces, parentheses and their full-width and dash look-alikes): a phone number
     * keeps its first group (the area code or mobile prefix, after any +81) and its last four
     * digits; a postal code its first three digits; an e-mail address its '@' and domain; an
     * address its prefecture and municipality (市区町村, with the ward of a designated city
     * and the 郡 of a town); a card number its last four digits; a name and a My Number
     * nothing. A number too short to keep that much is masked whole. */
    PIISCAN_MASK_PARTIAL = 2,
    /* The span becomes a keyed pseudonym, TAG_ then 16 of the letters bdfghjklmnpqrstw (64
     * bits of keyed BLAKE2b, four bits a letter): PHN_ (phone), EML_ (e-mail), PSTL_ (postal
     * code), MNB_ (My Number), CRD_ (card), NM_ (name), ADR_ (address). The hash is over the
     * canonical value (piiscan_value_canonical(): a phone number's national digits, a
     * lower-cased e-mail address, a name without spaces, an address with its numbers as
     * digits), so the same value gives the same token in every file, every encoding and
     * every spelling, and records can still be joined. Letters only, no digits and no
     * word the column headers or keywords know: a token never looks like a number or context
     * to a later scan. Display width is not kept. Needs
     * piiscan_redact_options_set_token_key(). */
    PIISCAN_MASK_TOKEN = 3,
} piiscan_mask;

typedef struct piiscan_redact_options piiscan_redact_options; /* mutable builder */
typedef struct piiscan_redactor piiscan_redactor;             /* per-thread; one input at a time */

/** Redaction options with the defaults: PIISCAN_MASK_FULL, mask characters "*" and "＊",
 *  no key. *out is written only on success. PIISCAN_ERR_NOMEM. */
PIISCAN_API int piiscan_redact_options_new(piiscan_redact_options **out);
/** Frees the options and wipes the key they hold; NULL does nothing. */
PIISCAN_API void piiscan_redact_options_free(piiscan_redact_options *ro);
/** Chooses the mask style. PIISCAN_ERR_INVALID for a value not in piiscan_mask. */
PIISCAN_API int piiscan_redact_options_set_mask(piiscan_redact_options *ro, piiscan_mask mask);
/** The mask characters, each one character of NUL-terminated UTF-8 (copied): `narrow` for
 *  half-width characters, an ASCII sign below '@' (! # $ % & ( ) * . / : < > ?, bytes that
 *  no CP932 character can end with); `wide` for the others, a character of display width 2.
 *  Either may be NULL to keep the current one. Refused with PIISCAN_ERR_INVALID: more or
 *  less than one character, a letter or digit (in any width), a space, a control character,
 *  a delimiter or quote (, ; | TAB " ' \), '=', '+', '-' and '@' (they make a spreadsheet read
 *  a cell as a formula or an address), a character of the other width, and a character
 *  whose CP932 or EUC-JP bytes contain one of those. PIISCAN_ERR_ENCODING when CP932 or
 *  EUC-JP cannot hold it. */
PIISCAN_API int piiscan_redact_options_set_mask_chars(piiscan_redact_options *ro,
                                                      const char *narrow, const char *wide);
/** The secret of PIISCAN_MASK_TOKEN: at least 32 bytes, at most 1 MiB, copied (the options
 *  and the redactor wipe their copies when freed). The hashing key is BLAKE2b-256 of these
 *  bytes (keyed with the label "piiscan token key v1"), so any length gives a full-strength
 *  key; a token is the first 8 bytes of BLAKE2b-128 under that key over "TYPE:CANONICAL",
 *  TYPE as piiscan_type_name() gives it, CANONICAL as piiscan_value_canonical(). Keep the
 *  key out of command lines and logs: whoever has it can test guesses of a value against its
 *  token. PIISCAN_ERR_INVALID, PIISCAN_ERR_NOMEM. */
PIISCAN_API int piiscan_redact_options_set_token_key(piiscan_redact_options *ro,
                                                     const unsigned char *key, size_t len);

/** What a redaction did, or (after scan only) would do. Owned by the redactor; valid until
 *  its next scan or free. Fields are only ever appended. */
typedef struct piiscan_redact_stats {
    uint64_t spans;             /* spans replaced (after scan: to be replaced) */
    uint64_t spans_by_type[16]; /* the same, indexed by piiscan_type; [0] unused */
    uint64_t bytes_in;          /* bytes of the input */
    uint64_t bytes_out;         /* bytes written (0 until written) */
    piiscan_encoding encoding;  /* of the input, and so of the masks */
    piiscan_format format;
    bool has_bom;
    const char *skip_reason; /* static; non-NULL when the input was not scanned (binary):
                              * nothing is replaced and it is copied unchanged */
    uint64_t decode_errors;  /* byte sequences of the input invalid in its encoding; a mask
                              * after a broken CP932/EUC-JP lead byte may pair with it, which
                              * verification then reports */
} piiscan_redact_stats;

/** Receives the output of a redaction, in order, in pieces of any size. Return non-zero to
 *  stop: the redaction then fails with PIISCAN_ERR_IO (the callback may set errno, which is
 *  reported). */
typedef int (*piiscan_write_fn)(const void *buf, size_t len, void *user);

/** A redactor for one thread: it owns a private stream of `sc` (which must outlive it) and
 *  copies what it needs of `ro` (which may be freed afterwards); the mask characters are
 *  encoded for every encoding here, once. Starts libsodium (sodium_init(), which is
 *  idempotent and thread-safe). Errors go to *err when not NULL:
 *  PIISCAN_ERR_NOMEM; PIISCAN_ERR_INVALID for PIISCAN_MASK_TOKEN without a key;
 *  PIISCAN_ERR_ENCODING when iconv cannot encode the mask characters; PIISCAN_ERR_INTERNAL
 *  when the hash library cannot start. *out is written only on success. */
PIISCAN_API int piiscan_redactor_new(const piiscan_scanner *sc, const piiscan_redact_options *ro,
                                     piiscan_redactor **out, piiscan_error *err);
/** Frees a redactor and wipes its key; NULL does nothing. */
PIISCAN_API void piiscan_redactor_free(piiscan_redactor *rd);
/** Pass 1: scans the input read from `fd` (from its current offset to the end) and keeps its
 *  findings as edits; the offset is then put back. `src` as for piiscan_stream_begin. The
 *  input must be seekable: PIISCAN_ERR_UNSUPPORTED for a pipe or terminal. Otherwise the
 *  errors of piiscan_stream_scan_fd, with details in piiscan_redactor_error(). stats.format
 *  says whether the input is a workbook. */
PIISCAN_API int piiscan_redactor_scan_fd(piiscan_redactor *rd, int fd, const piiscan_source *src);
/** Pass 1 over a buffer. */
PIISCAN_API int piiscan_redactor_scan_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                             const piiscan_source *src);
/** Pass 2: reads the input scanned by piiscan_redactor_scan_fd() again, from the same
 *  offset, and hands it to `write` with every edit applied. PIISCAN_ERR_STATE without a
 *  successful scan just before; PIISCAN_ERR_IO on a read error, when `write` refuses, or
 *  when the input is not the length it had in pass 1 (it changed in between). A failed
 *  write may have delivered part of the output: discard it. */
PIISCAN_API int piiscan_redactor_write_fd(piiscan_redactor *rd, int fd, piiscan_write_fn write,
                                          void *user);
/** Pass 2 over the buffer given to piiscan_redactor_scan_buffer(), which must be unchanged. */
PIISCAN_API int piiscan_redactor_write_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                              piiscan_write_fn write, void *user);
/** Pass 2 to a file: as piiscan_redactor_write_fd(), but the output is written to `out_fd`
 *  from its current offset, which is left after the output. The way to write a workbook
 *  without holding it in memory: libzip writes a package with random access, so out_fd must
 *  be a seekable file open for writing (PIISCAN_ERR_UNSUPPORTED otherwise), and should be
 *  empty from that offset on. For a text input, any descriptor works. PIISCAN_ERR_IO (errno
 *  text in the error) when writing fails: discard what was written. PIISCAN_ERR_UNSUPPORTED
 *  for a workbook part that is not UTF-8 and for text that cannot be rewritten where it
 *  stands (an _xHHHH_ escape split across rich-text runs); PIISCAN_ERR_LIMIT for an element
 *  to rewrite longer than 16 MiB and four times the record limit. */
PIISCAN_API int piiscan_redactor_write_to_fd(piiscan_redactor *rd, int fd, int out_fd);
/** piiscan_redactor_scan_fd() then piiscan_redactor_write_fd(). */
PIISCAN_API int piiscan_redactor_redact_fd(piiscan_redactor *rd, int fd, const piiscan_source *src,
                                           piiscan_write_fn write, void *user);
/** piiscan_redactor_scan_buffer() then piiscan_redactor_write_buffer(). */
PIISCAN_API int piiscan_redactor_redact_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                               const piiscan_source *src, piiscan_write_fn write,
                                               void *user);
/** Checks an output of the last pass 2 against its input, both read from their current
 *  offsets (which are left where they were): every byte outside the edits is the same; a
 *  new scan of the output, in the input's encoding and format, finds nothing that overlaps
 *  a replaced span; and it has the same records, fields, lines, decoding errors, encoding,
 *  format, delimiter and byte order mark. For a workbook: every part not rewritten has the
 *  original's name, method, CRC, sizes and compressed bytes; every cell's text (and comment,
 *  author, property) is the original's outside the replaced spans, sheet by sheet; and a new
 *  scan finds nothing that overlaps a replacement. PIISCAN_OK when all hold; PIISCAN_ERR_VERIFY
 *  with the first difference in piiscan_redactor_error() when one does not (a redaction
 *  that does not verify must not replace anything); PIISCAN_ERR_IO on a read error;
 *  PIISCAN_ERR_STATE without a pass 2 just before. */
PIISCAN_API int piiscan_redactor_verify_fd(piiscan_redactor *rd, int original_fd, int output_fd);
/** The same check on memory. */
PIISCAN_API int piiscan_redactor_verify_buffer(piiscan_redactor *rd, const void *original,
                                               size_t original_len, const void *output,
                                               size_t output_len);
/** Facts about the current input's redaction. Owned by the redactor. */
PIISCAN_API const piiscan_redact_stats *piiscan_redactor_stats(const piiscan_redactor *rd);
/** The last error of the redactor: code PIISCAN_OK when there is none. Owned by it. */
PIISCAN_API const piiscan_error *piiscan_redactor_error(const piiscan_redactor *rd);

#ifdef __cplusplus
}
#endif
#endif /* PIISCAN_H */
