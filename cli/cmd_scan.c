/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_scan.c - `piiscan scan`: scan files and directories, report what was found.
 * One scanner and one stream serve the whole sweep, file after file. A file that cannot be
 * scanned is reported on stderr and the sweep goes on; it makes the exit status 2, so it is
 * never taken for a clean one. Findings reach the report as the library delivers them,
 * including those of a file that fails later on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

#define STDOUT_BUFFER_BYTES (64 * 1024)

static const struct output_ops *const formats[] = {
    &output_text, &output_jsonl, &output_json, &output_csv, &output_sarif, &output_xlsx,
};

static const char usage_text[] = "Usage: piiscan scan [OPTIONS] PATH...\n";

static const char help_text[] =
    "Report Japanese personal data (names, addresses, phone numbers, postal codes,\n"
    "e-mail addresses, My Number, credit card numbers) found in CSV, TSV and text\n"
    "files in UTF-8, CP932 (Shift_JIS), EUC-JP or UTF-16, and in .xlsx workbooks.\n"
    "A directory is scanned recursively, its entries in sorted order; '-' is\n"
    "standard input. Found values are masked.\n"
    "\n"
    "Options:\n"
    "      --format=FORMAT       report format: text (the default), jsonl, json,\n"
    "                            csv, sarif, or xlsx (a workbook: needs -o)\n"
    "  -o, --output=FILE         write the report to FILE (mode 0600); FILE is\n"
    "                            replaced only by a complete report\n"
    "      --csv-encoding=ENC    encoding of the csv format: UTF-8 (the default,\n"
    "                            with a BOM) or CP932\n"
    "      --types=LIST          report only these types, comma-separated:\n"
    "                            name, address, phone, email, postal_code,\n"
    "                            my_number, credit_card (default: all)\n"
    "      --min-confidence=X    report findings whose confidence is at least X,\n"
    "                            from 0 to 1 (default: 0.5)\n"
    "      --encoding=ENC        read every file as ENC: UTF-8, CP932, EUC-JP,\n"
    "                            UTF-16LE or UTF-16BE (default: auto, detected\n"
    "                            for each file)\n"
    "      --max-record-bytes=N  longest CSV/TSV record or text line held in\n"
    "                            memory, from 4096 to 1G; K, M and G\n"
    "                            suffixes (default: 4M)\n"
    "      --show-values         show found values as they are, not masked\n"
    "      --summary             report each file's counts by type instead of\n"
    "                            its findings (not with sarif)\n"
    "  -q, --quiet               print no report; the exit status tells the result\n"
    "  -v, --verbose             tell on standard error which files were skipped,\n"
    "                            and why\n"
    "  -h, --help                print this help and exit\n"
    "\n"
    "Exit status: 0 if nothing was found, 1 if personal data was found, 2 if a\n"
    "file could not be scanned, the report could not be written, or the command\n"
    "line is wrong.\n";

enum {
    OPT_FORMAT = 256,
    OPT_TYPES,
    OPT_MIN_CONFIDENCE,
    OPT_ENCODING,
    OPT_MAX_RECORD_BYTES,
    OPT_SHOW_VALUES,
    OPT_SUMMARY,
    OPT_CSV_ENCODING,
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"types", required_argument, NULL, OPT_TYPES},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD_BYTES},
    {"show-values", no_argument, NULL, OPT_SHOW_VALUES},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"output", required_argument, NULL, 'o'},
    {"csv-encoding", required_argument, NULL, OPT_CSV_ENCODING},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct scan {
    piiscan_stream *st;
    const struct output_ops *ops;
    struct output out;
    struct report_file *report; /* -o FILE */
    piiscan_encoding encoding;
    const char *path;       /* the file being scanned */
    struct file_summary fs; /* of the file being scanned */
    uint64_t last_record;   /* record of the file's last finding, to count rows */
    struct sweep_totals totals;
    bool is_quiet;
    bool is_verbose;
    bool is_found;   /* something was found, in any file */
    bool is_trouble; /* some file could not be scanned */
    bool is_out_of_memory;
    int write_errno; /* non-zero once standard output failed: the sweep stops */
};

static int usage_error(void)
{
    fprintf(stderr, "%sTry 'piiscan scan --help' for more information.\n", usage_text);
    return EXIT_TROUBLE;
}

static int parse_format(const char *arg, const struct output_ops **out)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(arg, formats[i]->name) == 0) {
            *out = formats[i];
            return 0;
        }
    }
    cli_message(NULL,
                "--format: unknown format '%s' (expected text, jsonl, json, csv, sarif or xlsx)",
                arg);
    return -1;
}

/* Options that do not go together; says which on standard error. -q with -o still writes
 * the report: it asks for nothing on standard output, which -o leaves empty anyway. */
static int check_report_options(struct scan *s, bool has_csv_encoding)
{
    if (s->out.path != NULL && strcmp(s->out.path, "-") == 0)
        s->out.path = NULL; /* -o - is standard output, as usual */
    if (s->ops->writes_file && s->out.path == NULL) {
        cli_message(NULL,
                    "--format %s writes a workbook, which needs -o FILE (it is not "
                    "written to standard output)",
                    s->ops->name);
        return -1;
    }
    if (s->ops->refuses_summary && s->out.is_summary_only) {
        cli_message(NULL,
                    "--summary: --format %s has no per-file summary (use json, csv or "
                    "xlsx)",
                    s->ops->name);
        return -1;
    }
    if (has_csv_encoding && s->ops != &output_csv) {
        cli_message(NULL, "--csv-encoding: only --format csv has one");
        return -1;
    }
    if (s->out.path != NULL)
        s->is_quiet = false;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The sweep                                                                                  */

/* The library's callback. A non-zero return stops the current file (the library then
 * returns PIISCAN_ERR_ABORTED), which only happens when the report cannot go on. */
static int on_finding(const piiscan_finding *f, void *user)
{
    struct scan *s = user;
    s->is_found = true;
    s->fs.findings++;
    s->fs.by_type[(unsigned)f->type < OUTPUT_TYPES ? f->type : 0]++;
    if (f->record != 0 && f->record != s->last_record) {
        s->fs.rows++;
        s->last_record = f->record;
    }
    if (s->is_quiet || s->out.is_summary_only)
        return 0;
    bool is_split_part = f->detector != NULL && strstr(f->detector, "/split") != NULL;
    char *masked = is_split_part ? mask_split_part(f->text, f->text_len)
                                 : mask_value(f->type, f->text, f->text_len);
    if (masked == NULL) {
        s->is_out_of_memory = true;
        return 1;
    }
    const struct output_finding of =
        output_finding_of(s->path, f, masked, s->out.is_showing_values);
    s->ops->finding(&s->out, &of);
    free(masked);
    if (ferror(s->out.fp)) {
        s->write_errno = errno != 0 ? errno : EIO;
        return 1;
    }
    return 0;
}

static void file_start(struct scan *s, const char *path)
{
    s->path = path;
    memset(&s->fs, 0, sizeof s->fs);
    s->fs.path = path;
    s->last_record = 0;
    if (!s->is_quiet)
        s->ops->file_begin(&s->out, path);
}

static void totals_add(struct sweep_totals *t, const struct file_summary *fs)
{
    t->files++;
    t->scanned += fs->status == FILE_SCANNED;
    t->skipped += fs->status == FILE_SKIPPED;
    t->failed += fs->status == FILE_FAILED;
    t->unchanged += fs->status == FILE_UNCHANGED;
    t->files_with_findings += fs->findings > 0;
    t->bytes += fs->bytes;
    t->findings += fs->findings;
    for (int i = 0; i < OUTPUT_TYPES; i++)
        t->by_type[i] += fs->by_type[i];
    t->rows += fs->rows;
    t->suppressed += fs->suppressed;
}

/* Ends the file begun by file_start: its summary goes to the report and the totals. */
static void file_finish(struct scan *s, enum file_status status, const char *reason)
{
    s->fs.status = status;
    s->fs.reason = reason;
    totals_add(&s->totals, &s->fs);
    if (!s->is_quiet)
        s->ops->file_end(&s->out, &s->fs);
    s->path = NULL;
}

/* A file that could not be scanned: named on stderr, and the sweep's status becomes 2. */
static int file_failed(struct scan *s, const char *path, const char *reason)
{
    cli_message(path, "%s", reason);
    s->is_trouble = true;
    if (s->path == NULL)
        file_start(s, path);
    file_finish(s, FILE_FAILED, reason);
    return 0;
}

static int on_walk_error(void *user, const char *path, int errnum)
{
    return file_failed(user, path, strerror(errnum));
}

static int on_skip(void *user, const char *path, const char *reason)
{
    struct scan *s = user;
    if (s->is_verbose)
        cli_message(path, "skipped: %s", reason);
    if (s->path == NULL)
        file_start(s, path);
    file_finish(s, FILE_SKIPPED, reason);
    return 0;
}

/* The library's message, with the line when it knows one and the message does not say. */
static void describe_error(const piiscan_error *e, int rc, char *buf, size_t size)
{
    const char *text = e->text[0] != '\0' ? e->text : piiscan_strerror(rc);
    char line[32] = "";
    if (e->line > 0) {
        char needle[32];
        snprintf(needle, sizeof needle, "line %" PRIu64, e->line);
        const char *at = strstr(text, needle);
        size_t n = strlen(needle);
        bool is_said = at != NULL && (at[n] < '0' || at[n] > '9');
        if (!is_said)
            snprintf(line, sizeof line, " (line %" PRIu64 ")", e->line);
    }
    snprintf(buf, size, "%s%s", text, line);
}

static int on_file(void *user, const char *path, bool is_named)
{
    struct scan *s = user;
    bool is_stdin = is_named && strcmp(path, "-") == 0;
    int fd = 0;
    if (!is_stdin) {
        /* O_NOFOLLOW: a file met in a directory may have been replaced by a link since. */
        int flags = O_RDONLY | O_NOCTTY | O_CLOEXEC | (is_named ? 0 : O_NOFOLLOW);
        fd = open(path, flags);
        if (fd < 0 && errno == ELOOP && !is_named)
            return on_skip(s, path, "symbolic link");
        if (fd < 0)
            return file_failed(s, path, strerror(errno));
    }
    const piiscan_source src = {
        .name = path,
        .encoding = s->encoding,
        .format = PIISCAN_FORMAT_AUTO,
    };
    file_start(s, path);
    int rc = piiscan_stream_scan_fd(s->st, fd, &src);
    const piiscan_stats *stats = piiscan_stream_stats(s->st);
    if (stats != NULL) {
        s->fs.encoding = stats->encoding;
        s->fs.format = stats->format;
        s->fs.bytes = stats->bytes;
        s->fs.records = stats->records;
        s->fs.decode_errors = stats->decode_errors;
    }
    if (!is_stdin)
        close(fd);
    if (s->write_errno != 0 || s->is_out_of_memory)
        return -1;
    if (rc < 0) {
        char reason[256]; /* piiscan_error.text (160 bytes) and " (line N)" */
        describe_error(piiscan_stream_error(s->st), rc, reason, sizeof reason);
        return file_failed(s, path, reason);
    }
    if (stats != NULL && stats->skip_reason != NULL)
        return on_skip(s, path, stats->skip_reason);
    /* Never silent: replaced bytes may hide a value, or say the encoding was guessed wrong. */
    if (stats != NULL && stats->decode_errors > 0)
        cli_message(path, "warning: %" PRIu64 " byte sequence%s invalid in %s, read as U+FFFD",
                    stats->decode_errors, stats->decode_errors == 1 ? "" : "s",
                    piiscan_encoding_name(stats->encoding));
    file_finish(s, FILE_SCANNED, NULL);
    return 0;
}

static const struct walk_ops walk_ops = {
    .file = on_file,
    .error = on_walk_error,
    .skip = on_skip,
};

static int sweep(struct scan *s, char **paths, int npaths)
{
    if (!s->is_quiet && s->ops->begin(&s->out) != 0) {
        cli_message(s->out.path, "cannot start the report: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    for (int i = 0; i < npaths; i++) {
        if (walk_path(&walk_ops, s, paths[i]) != 0) {
            if (s->write_errno == 0)
                s->is_out_of_memory = true; /* the walk's only reason to stop by itself */
            break;
        }
    }
    /* end() also frees the format's state, so it is called after a failure too. */
    if (!s->is_quiet) {
        int write_errno = 0;
        if (s->ops->end(&s->out, &s->totals) != 0)
            write_errno = errno != 0 ? errno : EIO;
        else if (fflush(s->out.fp) == EOF || ferror(s->out.fp))
            write_errno = errno != 0 ? errno : EIO;
        if (s->write_errno == 0)
            s->write_errno = write_errno;
    }
    /* -o FILE: replaced only by a complete report; else the temporary file goes. */
    struct report_file *report = s->report;
    s->report = NULL;
    if (report != NULL && s->write_errno == 0 && !s->is_out_of_memory) {
        const char *reason;
        if (report_file_commit(report, &reason) != 0) {
            cli_message(s->out.path, "cannot write the report: %s", reason);
            return EXIT_TROUBLE;
        }
    } else {
        report_file_discard(report);
    }
    if (s->is_out_of_memory) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return EXIT_TROUBLE;
    }
    if (s->write_errno != 0) {
        if (s->out.path != NULL)
            cli_message(s->out.path, "cannot write the report: %s", strerror(s->write_errno));
        else
            cli_message(NULL, "error writing to standard output: %s", strerror(s->write_errno));
        return EXIT_TROUBLE;
    }
    if (s->is_trouble)
        return EXIT_TROUBLE;
    return s->is_found ? EXIT_FOUND : EXIT_CLEAN;
}

int cmd_scan(int argc, char **argv)
{
    struct scan s = {
        .ops = &output_text,
        .out = {.fp = stdout},
        .encoding = PIISCAN_ENCODING_AUTO,
    };
    piiscan_options *opt = NULL;
    piiscan_scanner *sc = NULL;
    int status = EXIT_TROUBLE;
    bool has_csv_encoding = false;
    if (piiscan_options_new(&opt) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    int c;
    while ((c = getopt_long(argc, argv, "qvho:", long_options, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case OPT_FORMAT:
            rc = parse_format(optarg, &s.ops);
            break;
        case OPT_TYPES:
            rc = parse_types(optarg, opt);
            break;
        case OPT_MIN_CONFIDENCE:
            rc = parse_confidence(optarg, opt);
            break;
        case OPT_ENCODING:
            rc = parse_encoding(optarg, &s.encoding);
            break;
        case OPT_MAX_RECORD_BYTES:
            rc = parse_record_bytes(optarg, opt);
            break;
        case OPT_SHOW_VALUES:
            s.out.is_showing_values = true;
            break;
        case OPT_SUMMARY:
            s.out.is_summary_only = true;
            break;
        case 'o':
            s.out.path = optarg;
            break;
        case OPT_CSV_ENCODING:
            rc = parse_csv_encoding(optarg, &s.out.is_csv_cp932);
            has_csv_encoding = true;
            break;
        case 'q':
            s.is_quiet = true;
            break;
        case 'v':
            s.is_verbose = true;
            break;
        case 'h':
            fputs(usage_text, stdout);
            fputs(help_text, stdout);
            status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
            goto done;
        default: /* getopt_long has said what is wrong */
            status = usage_error();
            goto done;
        }
        if (rc != 0)
            goto done;
    }
    if (optind >= argc) {
        cli_message(NULL, "no PATH to scan (use . for the current directory, - for standard "
                          "input)");
        status = usage_error();
        goto done;
    }
    if (check_report_options(&s, has_csv_encoding) != 0) {
        status = usage_error();
        goto done;
    }
    piiscan_error err = {0};
    int rc = piiscan_scanner_new(opt, &sc, &err);
    if (rc != PIISCAN_OK) {
        cli_message(NULL, "cannot prepare the scanner: %s",
                    err.text[0] != '\0' ? err.text : piiscan_strerror(rc));
        goto done;
    }
    piiscan_options_free(opt);
    opt = NULL;
    if (piiscan_stream_new(sc, on_finding, &s, &s.st) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    if (s.out.path != NULL) {
        const char *reason;
        if (report_file_open(s.out.path, &s.report, &reason) != 0) {
            cli_message(s.out.path, "cannot write the report: %s", reason);
            goto done;
        }
        s.out.fp = report_file_stream(s.report);
        s.out.file_path = report_file_temp_path(s.report);
    }
    /* Fully buffered into a file or a pipe: a report of many findings costs few writes. A
     * terminal keeps stdio's line buffering, so that a long sweep shows its progress. */
    if (!s.is_quiet && !isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER_BYTES);
    status = sweep(&s, argv + optind, argc - optind);
done:
    report_file_discard(s.report);
    piiscan_stream_free(s.st);
    piiscan_scanner_free(sc);
    piiscan_options_free(opt);
    return status;
}
