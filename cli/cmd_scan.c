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
#include "progress.h"
#include "state.h"
#include "workers.h"

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
    "      --fingerprints        give each finding the keyed fingerprint of its\n"
    "                            value (jsonl, json, sarif): equal values, however\n"
    "                            written, have equal fingerprints\n"
    "      --key-file=FILE       the site key of the fingerprints (default:\n"
    "                            $PIISCAN_KEY_FILE, else ~/.config/piiscan/site.key,\n"
    "                            made on first use)\n"
    "      --baseline=FILE       report only findings that are not in FILE, an\n"
    "                            earlier report made with --format json\n"
    "                            --fingerprints (or jsonl); exit 0 when nothing\n"
    "                            is new\n"
    "      --config=FILE         read the allow rules from FILE instead of the\n"
    "                            nearest .piiscan.conf at or above each PATH\n"
    "      --no-config           read no .piiscan.conf\n"
    "      --no-allow-marker     report findings on lines that say piiscan:allow\n"
    "      --state=FILE          keep the state of sweeps in FILE (a database,\n"
    "                            made when missing): files unchanged since the\n"
    "                            last sweep are not read again, their stored\n"
    "                            counts stand for them; see 'piiscan state'\n"
    "  -j, --jobs=N              scan N files at a time (default: the number of\n"
    "                            processors); the report keeps the order of -j 1\n"
    "  -q, --quiet               print no report; the exit status tells the result\n"
    "  -v, --verbose             tell on standard error which files were skipped,\n"
    "                            and why\n"
    "  -h, --help                print this help and exit\n"
    "\n" WALK_HELP "\n"
    "On a terminal, a progress line (files, MB, MB/s, ETA) is shown on standard\n"
    "error, except with -q.\n"
    "\n"
    "Exit status: 0 if nothing was found, 1 if personal data was found (also in\n"
    "files unchanged since the last sweep), 2 if a file could not be scanned,\n"
    "the report could not be written, the state file could not be used, or the\n"
    "command line is wrong.\n";

enum {
    OPT_FORMAT = 256,
    OPT_SHOW_VALUES,
    OPT_SUMMARY,
    OPT_FINGERPRINTS,
    OPT_KEY_FILE,
    OPT_BASELINE,
    OPT_CONFIG,
    OPT_NO_CONFIG,
    OPT_NO_ALLOW_MARKER,
    OPT_STATE,
    OPT_CSV_ENCODING,
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    SCANNER_TYPES_LONG_OPTION,
    SCANNER_LONG_OPTIONS,
    {"show-values", no_argument, NULL, OPT_SHOW_VALUES},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"fingerprints", no_argument, NULL, OPT_FINGERPRINTS},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"baseline", required_argument, NULL, OPT_BASELINE},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"no-allow-marker", no_argument, NULL, OPT_NO_ALLOW_MARKER},
    {"state", required_argument, NULL, OPT_STATE},
    {"output", required_argument, NULL, 'o'},
    {"csv-encoding", required_argument, NULL, OPT_CSV_ENCODING},
    {"jobs", required_argument, NULL, 'j'},
    WALK_LONG_OPTIONS,
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The sweep: read-only once the workers run, but for the flags file_done sets, which the
 * gate serialises. */
struct scan {
    const piiscan_scanner *sc;
    const struct output_ops *ops;
    struct output out;
    struct scanner_option_values scanner; /* as given: --state tells sweeps apart by them */
    unsigned jobs;                        /* -j */
    bool is_quiet;
    bool is_verbose;
    bool is_trouble; /* some file could not be scanned */
    struct workers *workers;
    /* What is left out of the report (counted in file_summary.suppressed): findings the
     * config of a file's command-line path allows, and those in the baseline. */
    const struct config_set *configs;
    const struct baseline *baseline; /* --baseline; NULL without */
    const struct site_key *key;      /* computing fingerprints; NULL: none */
    size_t root;                     /* the command-line path being walked; npaths: the list */
    struct walk_options wo;
    struct state *state;        /* --state; NULL without */
    struct report_file *report; /* -o FILE */
    struct stat report_sb;      /* -o FILE as it was at the start, if it existed */
    bool has_report_sb;
    struct progress *progress; /* the progress line; NULL when not shown */
};

#define SPLIT_CACHE_SLOTS 16

/* A worker's own: its stream and the file it is scanning. */
struct worker {
    struct scan *s;
    piiscan_stream *st;
    struct job *job;
    struct file_summary fs;
    const struct allow_rules *allow;  /* of the file's command-line path; NULL: none */
    struct baseline_file in_baseline; /* the baseline's part for the file */
    uint64_t last_record;             /* record of the file's last finding, to count rows */
    bool is_stopped;                  /* the sweep is stopping: the scan was cut short on purpose */
    char *mask;                       /* the finding's mask, MASK_BYTES of the longest so far */
    size_t mask_cap;
    /* Whether a detector (the library's static string, found again by its address) is a
     * "/split" one, whose finding is a part of a split value: asked once per detector. */
    struct {
        const char *detector;
        bool is_split;
    } split_cache[SPLIT_CACHE_SLOTS];
};

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

static void warn(const char *message)
{
    cli_message(NULL, "%s", message);
}

/* Whether finding f is left out of the report: allowed by a rule, or in the baseline (where
 * it then uses up one occurrence). Allow rules come first, so that an allowed value never
 * uses up a baseline occurrence that a later finding could need. `fingerprint` is f's hex
 * fingerprint when the sweep computes fingerprints (--fingerprints, --baseline, or a
 * fingerprint rule), else NULL: then neither the baseline nor a fingerprint rule matches. */
static bool is_suppressed(struct worker *wk, const piiscan_finding *f, const char *fingerprint)
{
    if (wk->allow != NULL &&
        allow_rules_match(wk->allow, f->type, f->text, f->text_len, fingerprint))
        return true;
    return wk->s->baseline != NULL && baseline_covers(&wk->in_baseline, f->type, fingerprint);
}

/* The library's callback. A non-zero return stops the current file (the library then
 * returns PIISCAN_ERR_ABORTED), which only happens when the sweep is stopping. */
static int on_finding(const piiscan_finding *f, void *user)
{
    struct worker *wk = user;
    const struct scan *s = wk->s;
    char hex[FINGERPRINT_HEX_CHARS + 1];
    const char *fingerprint = NULL;
    if (s->key != NULL && fingerprint_hex(s->key, f->type, f->text, f->text_len, hex) == 0)
        fingerprint = hex;
    if (is_suppressed(wk, f, fingerprint)) {
        wk->fs.suppressed++;
        return 0;
    }
    wk->fs.findings++;
    wk->fs.by_type[(unsigned)f->type < OUTPUT_TYPES ? f->type : 0]++;
    if (f->record != 0 && f->record != wk->last_record) {
        wk->fs.rows++;
        wk->last_record = f->record;
    }
    if (s->is_quiet || s->out.is_summary_only)
        return 0;
    size_t slot = ((uintptr_t)f->detector >> 3) % SPLIT_CACHE_SLOTS;
    if (wk->split_cache[slot].detector != f->detector || f->detector == NULL) {
        wk->split_cache[slot].detector = f->detector;
        wk->split_cache[slot].is_split =
            f->detector != NULL && strstr(f->detector, "/split") != NULL;
    }
    if (f->text_len > MASK_VALUE_MAX || MASK_BYTES(f->text_len) > wk->mask_cap) {
        size_t cap = f->text_len > MASK_VALUE_MAX ? 0 : MASK_BYTES(f->text_len);
        cap = cap != 0 && cap < 256 ? 256 : cap;
        char *mask = cap != 0 ? realloc(wk->mask, cap) : NULL;
        if (mask == NULL) {
            workers_stop(s->workers, ENOMEM);
            wk->is_stopped = true;
            return 1;
        }
        wk->mask = mask;
        wk->mask_cap = cap;
    }
    bool is_plain;
    size_t masked_len = wk->split_cache[slot].is_split
                            ? mask_split_part_into(f->text, f->text_len, wk->mask, &is_plain)
                            : mask_value_into(f->type, f->text, f->text_len, wk->mask, &is_plain);
    struct output_finding of =
        output_finding_of(job_path(wk->job), f, wk->mask, s->out.is_showing_values);
    of.masked_len = masked_len;
    of.is_masked_plain = is_plain;
    if (s->out.has_fingerprints)
        of.fingerprint = fingerprint;
    int rc = job_finding(wk->job, &of);
    if (rc != 0) {
        wk->is_stopped = true;
        return 1;
    }
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

/* Every file the walk found ends here, so that the progress line counts it done. */
static void end_job(struct worker *wk, enum file_status status, const char *reason)
{
    wk->fs.status = status;
    wk->fs.reason = reason;
    progress_file_done(wk->s->progress, wk->fs.bytes);
    job_end(wk->job, &wk->fs);
    wk->job = NULL;
}

/* A file that could not be opened: the state keeps what it held (and reads it next time). */
static void record_unopened(const struct scan *s, const char *path, int errnum)
{
    if (s->state == NULL)
        return;
    const struct file_summary fs = {
        .path = path, .status = FILE_FAILED, .reason = strerror(errnum)};
    state_file_record(s->state, path, NULL, -1, &fs);
}

/* Scans one file on a worker thread. */
static void run_job(void *user, void *ctx, struct job *job)
{
    (void)user;
    struct worker *wk = ctx;
    const struct scan *s = wk->s;
    const char *path = job_path(job);
    bool is_named = job_is_named(job);
    memset(&wk->fs, 0, sizeof wk->fs);
    wk->job = job;
    wk->allow = config_set_allow(s->configs, job_root(job));
    wk->last_record = 0;
    wk->is_stopped = false;
    bool is_stdin = is_named && strcmp(path, "-") == 0;
    int fd = 0;
    if (!is_stdin) {
        /* O_NOFOLLOW: a file met in a directory may have been replaced by a link since. */
        int flags = O_RDONLY | O_NOCTTY | O_CLOEXEC | (is_named ? 0 : O_NOFOLLOW);
        fd = open(path, flags);
        if (fd < 0 && errno == ELOOP && !is_named) {
            end_job(wk, FILE_SKIPPED, "symbolic link");
            return;
        }
        if (fd < 0) {
            int errnum = errno;
            record_unopened(s, path, errnum);
            end_job(wk, FILE_FAILED, strerror(errnum));
            return;
        }
    }
    struct state_file sf;
    bool has_sf = false;
    if (!is_stdin && s->state != NULL) {
        /* On a state error the file is scanned all the same; the error is said once. */
        state_file_check(s->state, path, fd, &sf);
        has_sf = true;
        if (sf.is_unchanged) {
            wk->fs = sf.summary;
            state_file_record(s->state, path, &sf, fd, &wk->fs); /* seen in this sweep */
            close(fd);
            end_job(wk, FILE_UNCHANGED, NULL);
            return;
        }
    }
    const piiscan_source src = {
        .name = path,
        .encoding = s->scanner.encoding,
        .format = PIISCAN_FORMAT_AUTO,
    };
    if (s->baseline != NULL && baseline_file_begin(s->baseline, path, &wk->in_baseline) != 0) {
        if (!is_stdin)
            close(fd);
        workers_stop(s->workers, ENOMEM);
        end_job(wk, FILE_FAILED, strerror(ENOMEM));
        return;
    }
    int rc = piiscan_stream_scan_fd(wk->st, fd, &src);
    if (s->baseline != NULL)
        baseline_file_end(&wk->in_baseline);
    const piiscan_stats *stats = piiscan_stream_stats(wk->st);
    if (stats != NULL) {
        wk->fs.suppressed += stats->allowed;
        wk->fs.encoding = stats->encoding;
        wk->fs.format = stats->format;
        wk->fs.bytes = stats->bytes;
        wk->fs.records = stats->records;
        wk->fs.decode_errors = stats->decode_errors;
    }
    char reason[256]; /* piiscan_error.text (160 bytes) and " (line N)" */
    if (wk->is_stopped) {
        wk->fs.status = FILE_FAILED;
        wk->fs.reason = "not scanned to the end: the sweep stopped";
    } else if (rc < 0) {
        describe_error(piiscan_stream_error(wk->st), rc, reason, sizeof reason);
        wk->fs.status = FILE_FAILED;
        wk->fs.reason = reason;
    } else if (stats != NULL && stats->skip_reason != NULL) {
        wk->fs.status = FILE_SKIPPED;
        wk->fs.reason = stats->skip_reason;
    } else {
        wk->fs.status = FILE_SCANNED;
    }
    /* Recorded while the file is still open: the state compares it with what was checked. */
    if (has_sf) {
        wk->fs.path = path;
        state_file_record(s->state, path, &sf, fd, &wk->fs);
    }
    if (!is_stdin)
        close(fd);
    end_job(wk, wk->fs.status, wk->fs.reason);
}

static void *thread_begin(void *user)
{
    struct scan *s = user;
    struct worker *wk = calloc(1, sizeof *wk);
    if (wk == NULL)
        return NULL;
    wk->s = s;
    if (piiscan_stream_new(s->sc, on_finding, wk, &wk->st) != PIISCAN_OK) {
        free(wk);
        return NULL;
    }
    return wk;
}

static void thread_end(void *user, void *ctx)
{
    (void)user;
    struct worker *wk = ctx;
    piiscan_stream_free(wk->st);
    free(wk->mask);
    free(wk);
}

/* In sweep order, so that messages come out as a single-threaded sweep would print them. */
static void file_done(void *user, const struct file_summary *fs)
{
    struct scan *s = user;
    switch (fs->status) {
    case FILE_FAILED:
        s->is_trouble = true;
        cli_message(fs->path, "%s", fs->reason);
        break;
    case FILE_SKIPPED:
        if (s->is_verbose)
            cli_message(fs->path, "skipped: %s", fs->reason);
        break;
    case FILE_SCANNED:
        /* Never silent: replaced bytes may hide a value, or say the encoding was guessed
         * wrong. */
        if (fs->decode_errors > 0)
            cli_message(fs->path,
                        "warning: %" PRIu64 " byte sequence%s invalid in %s, read as U+FFFD",
                        fs->decode_errors, fs->decode_errors == 1 ? "" : "s",
                        piiscan_encoding_name(fs->encoding));
        break;
    case FILE_UNCHANGED:
        break;
    }
}

static const struct workers_ops workers_ops = {
    .thread_begin = thread_begin,
    .thread_end = thread_end,
    .run = run_job,
    .file_done = file_done,
};

/* The walk's callbacks, on the main thread: files go to the workers, the rest straight to
 * the report in its place. A non-zero return stops the walk: the sweep is stopping. */
static int report_unscanned(struct scan *s, const char *path, enum file_status status,
                            const char *reason);

static int on_walk_file(void *user, const char *path, bool is_named)
{
    struct scan *s = user;
    bool is_stdin = is_named && strcmp(path, "-") == 0;
    struct stat sb;
    bool has_sb = !is_stdin && (s->has_report_sb || s->progress != NULL) && stat(path, &sb) == 0;
    /* The report of an earlier run, which this one replaces, is not personal data to find. */
    if (has_sb && s->has_report_sb && sb.st_dev == s->report_sb.st_dev &&
        sb.st_ino == s->report_sb.st_ino)
        return report_unscanned(s, path, FILE_SKIPPED, "the report being written (-o)");
    if (s->progress != NULL)
        progress_file_found(s->progress, has_sb && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0);
    return workers_submit(s->workers, path, is_named, s->root) != 0 ? -1 : 0;
}

static int report_unscanned(struct scan *s, const char *path, enum file_status status,
                            const char *reason)
{
    const struct file_summary fs = {.path = path, .status = status, .reason = reason};
    return workers_report(s->workers, &fs) != 0 ? -1 : 0;
}

static int on_walk_error(void *user, const char *path, int errnum)
{
    struct scan *s = user;
    /* Maybe a directory: what the state has under it is kept, not taken for deleted, and
     * no file of its name is recorded. */
    if (s->state != NULL)
        state_walk_failed(s->state, path);
    return report_unscanned(s, path, FILE_FAILED, strerror(errnum));
}

static int on_skip(void *user, const char *path, const char *reason)
{
    return report_unscanned(user, path, FILE_SKIPPED, reason);
}

static int on_walk_error_text(void *user, const char *path, const char *reason)
{
    return report_unscanned(user, path, FILE_FAILED, reason);
}

static const struct walk_ops walk_ops = {
    .error_text = on_walk_error_text,
    .file = on_walk_file,
    .error = on_walk_error,
    .skip = on_skip,
};

/* A report written to the terminal shares it with the progress line: each call to the
 * format is wrapped so that the line is taken away before and drawn again after. */
static const struct output_ops *terminal_report;

static int terminal_begin(struct output *out)
{
    progress_pause();
    int rc = terminal_report->begin(out);
    fflush(out->fp);
    progress_resume();
    return rc;
}

static void terminal_file_begin(struct output *out, const char *path)
{
    progress_pause();
    terminal_report->file_begin(out, path);
    fflush(out->fp);
    progress_resume();
}

static void terminal_finding(struct output *out, const struct output_finding *of)
{
    progress_pause();
    terminal_report->finding(out, of);
    fflush(out->fp);
    progress_resume();
}

static void terminal_file_end(struct output *out, const struct file_summary *fs)
{
    progress_pause();
    terminal_report->file_end(out, fs);
    fflush(out->fp);
    progress_resume();
}

static int terminal_end(struct output *out, const struct sweep_totals *totals)
{
    progress_pause();
    int rc = terminal_report->end(out, totals);
    fflush(out->fp);
    progress_resume();
    return rc;
}

static const struct output_ops terminal_ops = {
    .name = "terminal",
    .begin = terminal_begin,
    .file_begin = terminal_file_begin,
    .finding = terminal_finding,
    .file_end = terminal_file_end,
    .end = terminal_end,
};

static int sweep(struct scan *s, char **paths, int npaths)
{
    const struct output_ops *report = s->is_quiet ? NULL : s->ops;
    if (report != NULL && s->out.path == NULL && isatty(fileno(s->out.fp))) {
        terminal_report = report;
        report = &terminal_ops;
    }
    if (progress_start(!s->is_quiet, &s->progress) != 0)
        s->progress = NULL; /* the sweep goes on without it */
    if (report != NULL && report->begin(&s->out) != 0) {
        progress_stop(s->progress);
        cli_message(s->out.path, "cannot start the report: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    if (workers_new(s->jobs, &workers_ops, s, report, &s->out, &s->workers) != 0) {
        progress_stop(s->progress);
        cli_message(NULL, "cannot start the workers: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    /* One walk per PATH, so that each file is known to come from its PATH (whose config
     * applies), then the --files-from list (the config of the current directory). */
    bool is_complete = true;
    for (int i = 0; i <= npaths && is_complete; i++) {
        s->root = (size_t)i;
        if (i == npaths && s->wo.files_from == NULL)
            break;
        int rc = i < npaths ? walk_roots(&s->wo, &walk_ops, s, paths + i, 1)
                            : walk_files_from(&s->wo, &walk_ops, s);
        if (rc != 0) {
            if (errno == ENOMEM) /* the walk's own reason to stop; else the workers' */
                workers_stop(s->workers, ENOMEM);
            is_complete = false;
        }
    }
    progress_walk_done(s->progress);
    int stop_errno = workers_finish(s->workers);
    progress_stop(s->progress);
    s->progress = NULL;
    const struct sweep_totals *totals = workers_totals(s->workers);
    /* end() also frees the format's state, so it is called after a failure too. */
    if (report != NULL) {
        int end_errno = 0;
        if (report->end(&s->out, totals) != 0 || fflush(s->out.fp) == EOF || ferror(s->out.fp))
            end_errno = errno != 0 ? errno : EIO;
        if (stop_errno == 0)
            stop_errno = end_errno;
    }
    /* -o FILE: replaced only by a complete report; else the temporary file goes. */
    struct report_file *report_file = s->report;
    s->report = NULL;
    if (report_file != NULL && stop_errno == 0) {
        const char *reason;
        if (report_file_commit(report_file, &reason) != 0) {
            cli_message(s->out.path, "cannot write the report: %s", reason);
            stop_errno = -1; /* said */
        }
    } else {
        report_file_discard(report_file);
    }
    /* Unchanged files that held personal data still do: their stored counts are in totals. */
    bool is_found = totals->findings > 0;
    int status = EXIT_CLEAN;
    if (stop_errno == ENOMEM) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        status = EXIT_TROUBLE;
    } else if (stop_errno != 0) {
        if (stop_errno > 0 && s->out.path != NULL)
            cli_message(s->out.path, "cannot write the report: %s", strerror(stop_errno));
        else if (stop_errno > 0)
            cli_message(NULL, "error writing to standard output: %s", strerror(stop_errno));
        status = EXIT_TROUBLE;
    } else if (s->is_trouble) {
        status = EXIT_TROUBLE;
    } else if (is_found) {
        status = EXIT_FOUND;
    }
    /* A sweep that stopped early records what it met but resolves no deleted file. */
    if (s->state != NULL &&
        state_sweep_end(s->state, totals, status, is_complete && stop_errno == 0) != 0)
        status = EXIT_TROUBLE;
    workers_free(s->workers);
    s->workers = NULL;
    return status;
}

/* The rules a file's stored result depends on: the options that change what is found or left
 * out, and the config files and baseline in force. */
static int begin_state_sweep(struct scan *s, char **paths, int npaths, bool has_marker,
                             const char *baseline_path)
{
    char configs[4096];
    if (config_set_describe(s->configs, configs, sizeof configs) != 0)
        snprintf(configs, sizeof configs, "unknown");
    char baseline[1024] = "none";
    struct stat sb;
    if (baseline_path != NULL && stat(baseline_path, &sb) == 0)
        snprintf(baseline, sizeof baseline, "%s@%lld.%09ld:%lld", baseline_path,
                 (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec, (long long)sb.st_size);
    char rules[8192];
    snprintf(rules, sizeof rules,
             "types=%s;min-confidence=%s;encoding=%s;max-record-bytes=%s;marker=%d;"
             "configs=%s;baseline=%s",
             s->scanner.types != NULL ? s->scanner.types : "all",
             s->scanner.min_confidence != NULL ? s->scanner.min_confidence : "default",
             piiscan_encoding_name(s->scanner.encoding),
             s->scanner.max_record_bytes != NULL ? s->scanner.max_record_bytes : "default",
             has_marker, configs, baseline);
    return state_sweep_begin(s->state, piiscan_version_string(), rules, paths, (size_t)npaths);
}

int cmd_scan(int argc, char **argv)
{
    struct scan s = {
        .ops = &output_text,
        .out = {.fp = stdout},
        .jobs = workers_default_count(),
    };
    piiscan_options *opt = NULL;
    piiscan_scanner *sc = NULL;
    struct baseline *baseline = NULL;
    struct config_set *configs = NULL;
    const char *baseline_path = NULL;
    const char *config_path = NULL;
    const char *key_path = NULL;
    const char *state_path = NULL;
    bool has_marker = true;
    bool has_csv_encoding = false;
    char **config_paths = NULL;
    struct site_key key = {0};
    bool is_config_lookup = true;
    char why[1024];
    int status = EXIT_TROUBLE;
    if (piiscan_options_new(&opt) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    int c;
    while ((c = getopt_long(argc, argv, "j:o:qvh" WALK_SHORT_OPTIONS, long_options, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case OPT_FORMAT:
            rc = parse_format(optarg, &s.ops);
            break;
        SCANNER_OPTION_CASES:
            rc = scanner_option_parse(&s.scanner, opt, c, optarg);
            break;
        case OPT_SHOW_VALUES:
            s.out.is_showing_values = true;
            break;
        case OPT_SUMMARY:
            s.out.is_summary_only = true;
            break;
        case OPT_FINGERPRINTS:
            s.out.has_fingerprints = true;
            break;
        case OPT_KEY_FILE:
            key_path = optarg;
            break;
        case OPT_BASELINE:
            baseline_path = optarg;
            break;
        case OPT_CONFIG:
            config_path = optarg;
            break;
        case OPT_NO_CONFIG:
            is_config_lookup = false;
            break;
        case OPT_NO_ALLOW_MARKER:
            has_marker = false;
            rc = piiscan_options_set_allow_marker(opt, false);
            break;
        case OPT_STATE:
            state_path = optarg;
            break;
        case 'o':
            s.out.path = optarg;
            break;
        case OPT_CSV_ENCODING:
            rc = parse_csv_encoding(optarg, &s.out.is_csv_cp932);
            has_csv_encoding = true;
            break;
        case 'j':
            rc = parse_jobs(optarg, &s.jobs);
            break;
        WALK_OPTION_CASES:
            rc = walk_parse_option(&s.wo, c, optarg);
            break;
        case 'q':
            s.is_quiet = true;
            break;
        case 'v':
            s.is_verbose = true;
            break;
        case 'h':
            status = print_help(usage_text, help_text);
            goto done;
        default: /* getopt_long has said what is wrong */
            status = print_usage_error(usage_text, "scan");
            goto done;
        }
        if (rc != 0)
            goto done;
    }
    if (optind >= argc && s.wo.files_from == NULL) {
        cli_message(NULL, "no PATH to scan (use . for the current directory, - for standard "
                          "input)");
        status = print_usage_error(usage_text, "scan");
        goto done;
    }
    if (check_report_options(&s, has_csv_encoding) != 0) {
        status = print_usage_error(usage_text, "scan");
        goto done;
    }
    if (config_path != NULL && !is_config_lookup) {
        cli_message(NULL, "--config and --no-config cannot go together");
        status = print_usage_error(usage_text, "scan");
        goto done;
    }
    /* Both are read before anything is scanned: a bad one is an error, never a sweep that
     * reports more (or less) than the user meant. */
    /* The paths of a --files-from list take the config of the current directory, looked
     * up as for one more PATH, ".". */
    size_t npaths = (size_t)(argc - optind);
    config_paths = calloc(npaths + 1, sizeof *config_paths);
    if (config_paths == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    memcpy(config_paths, argv + optind, npaths * sizeof *config_paths);
    config_paths[npaths] = ".";
    if (config_set_new(config_path, is_config_lookup, config_paths,
                       npaths + (s.wo.files_from != NULL), warn, &configs, why, sizeof why) != 0) {
        cli_message(NULL, "%s", why);
        goto done;
    }
    s.configs = configs;
    if (baseline_path != NULL) {
        if (baseline_load(baseline_path, &baseline, why, sizeof why) != 0) {
            cli_message(NULL, "%s", why);
            goto done;
        }
        s.baseline = baseline;
    }
    /* Baselines and fingerprint rules match by fingerprint: the key is needed for them too. */
    if (s.out.has_fingerprints || baseline != NULL || config_set_has_fingerprints(configs)) {
        if (site_key_load(key_path, &key) != 0)
            goto done;
        s.key = &key;
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
    s.sc = sc;
    /* Fully buffered into a file or a pipe: a report of many findings costs few writes. A
     * terminal keeps stdio's line buffering, so that a long sweep shows its progress. */
    if (!s.is_quiet && !isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER_BYTES);
    if (s.out.path != NULL) {
        const char *reason;
        if (report_file_open(s.out.path, &s.report, &reason) != 0) {
            cli_message(s.out.path, "cannot write the report: %s", reason);
            goto done;
        }
        s.out.fp = report_file_stream(s.report);
        s.out.file_path = report_file_temp_path(s.report);
        s.has_report_sb = stat(s.out.path, &s.report_sb) == 0;
    }
    if (state_path != NULL) {
        if (state_open(state_path, STATE_SWEEP, &s.state) != 0 ||
            begin_state_sweep(&s, argv + optind, argc - optind, has_marker, baseline_path) != 0)
            goto done;
    }
    status = sweep(&s, argv + optind, argc - optind);
done:
    free(config_paths);
    walk_options_free(&s.wo);
    report_file_discard(s.report);
    state_close(s.state);
    site_key_wipe(&key);
    baseline_free(baseline);
    config_set_free(configs);
    piiscan_scanner_free(sc);
    piiscan_options_free(opt);
    return status;
}
