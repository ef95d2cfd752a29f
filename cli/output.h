/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * output.h - report formats. Each format is one file that exports one `struct output_ops`;
 * cmd_scan picks one by name and calls it from one thread at a time, in the order of a
 * single-threaded sweep whatever the number of workers:
 *     begin, then for each file: file_begin, finding..., file_end; then end.
 * Every file the sweep met gets its file_begin/file_end, also one that was skipped, could
 * not be scanned, or was left out as unchanged by --state. With --summary, finding() is not
 * called. Formats write to out->fp with stdio (or to a file of their own, see writes_file)
 * and leave write errors in ferror(out->fp), which the caller checks; they never print to
 * stderr.
 */
#ifndef PIISCAN_CLI_OUTPUT_H
#define PIISCAN_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <piiscan.h>

/* Indexes of the per-type counters: piiscan_type values are 1..OUTPUT_TYPES-1. */
#define OUTPUT_TYPES 16

struct output {
    FILE *fp;               /* the report: stdout, or -o FILE */
    const char *path;       /* -o FILE; NULL for standard output */
    bool is_showing_values; /* --show-values: the value as found, beside the mask */
    bool is_summary_only;   /* --summary: file_begin/file_end only */
    bool has_fingerprints;  /* --fingerprints: output_finding.fingerprint is set */
    bool is_csv_cp932;      /* --csv-encoding cp932: the csv format writes CP932 */
    const char *file_path;  /* -o: the file being written now (a temporary one, renamed to
                             * path when the report is complete); writes_file formats open
                             * it themselves. NULL for standard output */
    void *state;            /* the format's own, from begin to end */
};

/** One finding, ready to show. Everything is borrowed for the duration of the call. */
struct output_finding {
    const char *path; /* as given or as walked; "-" for standard input */
    piiscan_type type;
    uint64_t start, end; /* bytes of the file (xlsx: of the cell text as UTF-8), end exclusive */
    uint64_t line;       /* 1-based; 0 in xlsx */
    uint32_t column;     /* 1-based, in characters; 0 in xlsx */
    uint32_t field;      /* 1-based CSV/TSV field; 0 when not delimited */
    uint64_t record;     /* see piiscan_finding.record */
    const char *sheet;   /* xlsx only; NULL otherwise */
    const char *cell;    /* xlsx only; NULL otherwise */
    double confidence;
    const char *detector;
    const char *masked;      /* NUL-terminated UTF-8, always present */
    size_t masked_len;       /* strlen(masked) when known; 0: not counted */
    bool is_masked_plain;    /* masked is valid UTF-8 holding no '"', '\\', control character or
                              * DEL: its JSON string is itself in quotes */
    const char *value;       /* the value as found (UTF-8); NULL unless --show-values */
    size_t value_len;        /* bytes of value */
    const char *fingerprint; /* NUL-terminated hex, or NULL when fingerprints are off */
};

/** The report's view of a library finding; value only when it is to be shown. */
static inline struct output_finding output_finding_of(const char *path, const piiscan_finding *f,
                                                      const char *masked, bool with_value)
{
    return (struct output_finding){
        .path = path,
        .type = f->type,
        .start = f->start,
        .end = f->end,
        .line = f->line,
        .column = f->column,
        .field = f->field,
        .record = f->record,
        .sheet = f->sheet,
        .cell = f->cell,
        .confidence = f->confidence,
        .detector = f->detector,
        .masked = masked,
        .value = with_value ? f->text : NULL,
        .value_len = with_value ? f->text_len : 0,
    };
}

enum file_status {
    FILE_SCANNED,   /* read to the end; the counts are complete */
    FILE_SKIPPED,   /* left out on purpose (binary, special file, too big): reason says why */
    FILE_FAILED,    /* could not be scanned (reason); counts hold what was found before */
    FILE_UNCHANGED, /* --state: same as at the last sweep, not read; counts are the stored ones */
};

/** What a file held, for the summaries of json, csv, sarif and xlsx. */
struct file_summary {
    const char *path;
    enum file_status status;
    const char *reason;             /* FILE_SKIPPED, FILE_FAILED: why; NULL otherwise */
    piiscan_encoding encoding;      /* AUTO when unknown */
    piiscan_format format;          /* AUTO when unknown */
    uint64_t bytes;                 /* bytes read (the file's size when unchanged) */
    uint64_t records;               /* rows or lines read */
    uint64_t decode_errors;         /* byte sequences invalid in the encoding */
    uint64_t findings;              /* reported findings */
    uint64_t by_type[OUTPUT_TYPES]; /* reported findings per piiscan_type */
    uint64_t rows;                  /* records with at least one reported finding */
    uint64_t suppressed;            /* findings left out by allow rules or the baseline */
};

/** The whole sweep, for the formats that print totals. */
struct sweep_totals {
    uint64_t files;     /* every file met, whatever its status */
    uint64_t scanned;   /* FILE_SCANNED */
    uint64_t skipped;   /* FILE_SKIPPED */
    uint64_t failed;    /* FILE_FAILED */
    uint64_t unchanged; /* FILE_UNCHANGED */
    uint64_t files_with_findings;
    uint64_t bytes;
    uint64_t findings;
    uint64_t by_type[OUTPUT_TYPES];
    uint64_t rows;
    uint64_t suppressed;
};

struct output_ops {
    const char *name; /* the --format value */
    bool writes_file; /* needs -o FILE (a workbook is not written to a pipe) */
    /** The report of several files is the reports of each, one after the other, made with
     *  begin, file_begin, finding..., file_end and end (without totals) through a `struct
     *  output` of its own: each worker then makes its files' report itself, in parallel. */
    bool is_concatenable;
    bool refuses_summary; /* has no per-file form: --summary is refused */
    /** Returns 0, or -1 with errno set when the report cannot be started. */
    int (*begin)(struct output *out);
    void (*file_begin)(struct output *out, const char *path);
    void (*finding)(struct output *out, const struct output_finding *of);
    void (*file_end)(struct output *out, const struct file_summary *fs);
    /** Returns 0, or -1 with errno set when the report could not be completed. Frees the
     *  format's state in either case. */
    int (*end)(struct output *out, const struct sweep_totals *totals);
};

/* json.c */
/** "scanned", "skipped", "failed", "unchanged". */
const char *file_status_name(enum file_status status);
/** {"name":2,"phone":5}: the non-zero counts, by type name, in type order. */
void json_write_counts(FILE *fp, const uint64_t by_type[OUTPUT_TYPES]);
/** A file's summary as one JSON object (no newline): path, status, reason (when failed or
 *  skipped), encoding and format (when known), bytes, records, findings, rows, by_type,
 *  decode_errors, suppressed. */
void json_write_summary(FILE *fp, const struct file_summary *fs);
/** The totals as one JSON object (no newline): files, scanned, skipped, failed, unchanged,
 *  files_with_findings, bytes, findings, rows, by_type, suppressed. */
void json_write_totals(FILE *fp, const struct sweep_totals *totals);

/* out_csv.c */
/** --csv-encoding: "utf-8" (the default) or "cp932", with the aliases of --encoding. On a
 *  bad value it says why on standard error and returns -1; else 0. */
int parse_csv_encoding(const char *arg, bool *is_cp932);

extern const struct output_ops output_text;
extern const struct output_ops output_jsonl;
extern const struct output_ops output_json;
extern const struct output_ops output_csv;
extern const struct output_ops output_sarif;
extern const struct output_ops output_xlsx;

#endif /* PIISCAN_CLI_OUTPUT_H */
