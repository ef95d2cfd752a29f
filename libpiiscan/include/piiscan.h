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
} piiscan_status;

/** Lowest (most negative) status code, for tables indexed by code. */
#define PIISCAN_ERR_MIN PIISCAN_ERR_INTERNAL

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
    PIISCAN_FORMAT_XLSX = 4,   /* Office Open XML workbook */
    PIISCAN_FORMAT_BINARY = 5, /* not text: skipped, see piiscan_stats.skip_reason */
} piiscan_format;

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
    uint64_t start, end; /* bytes of the original input, end exclusive */
    uint64_t line;       /* 1-based physical line of start; 0 in xlsx */
    uint32_t field;      /* 1-based CSV/TSV field; 0 when not delimited */
    const char *sheet;   /* xlsx only ("Orders"); NULL otherwise */
    const char *cell;    /* xlsx only ("C12"); NULL otherwise */
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

#ifdef __cplusplus
}
#endif
#endif /* PIISCAN_H */
