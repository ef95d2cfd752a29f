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

static const struct output_ops *const formats[] = {&output_text, &output_jsonl};

static const char usage_text[] = "Usage: piiscan scan [OPTIONS] PATH...\n";

static const char help_text[] =
    "Report Japanese personal data (names, addresses, phone numbers, postal codes,\n"
    "e-mail addresses, My Number, credit card numbers) found in CSV, TSV and text\n"
    "files in UTF-8, CP932 (Shift_JIS), EUC-JP or UTF-16, and in .xlsx workbooks.\n"
    "A directory is scanned recursively, its entries in sorted order; '-' is\n"
    "standard input. Found values are masked.\n"
    "\n"
    "Options:\n"
    "      --format=FORMAT       report format: text (the default) or jsonl\n"
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
    "  -q, --quiet               print no report; the exit status tells the result\n"
    "  -v, --verbose             tell on standard error which files were skipped,\n"
    "                            and why\n"
    "  -h, --help                print this help and exit\n"
    "\n" WALK_HELP "\n"
    "Exit status: 0 if nothing was found, 1 if personal data was found, 2 if a\n"
    "file could not be scanned or the command line is wrong.\n";

enum {
    OPT_FORMAT = 256,
    OPT_TYPES,
    OPT_MIN_CONFIDENCE,
    OPT_ENCODING,
    OPT_MAX_RECORD_BYTES,
    OPT_SHOW_VALUES,
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"types", required_argument, NULL, OPT_TYPES},
    {"min-confidence", required_argument, NULL, OPT_MIN_CONFIDENCE},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD_BYTES},
    {"show-values", no_argument, NULL, OPT_SHOW_VALUES},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    WALK_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

struct scan {
    struct walk_options wo;
    piiscan_stream *st;
    const struct output_ops *ops;
    struct output out;
    piiscan_encoding encoding;
    const char *path; /* the file being scanned */
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
    cli_message(NULL, "--format: unknown format '%s' (expected text or jsonl)", arg);
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* The sweep                                                                                  */

/* The library's callback. A non-zero return stops the current file (the library then
 * returns PIISCAN_ERR_ABORTED), which only happens when the report cannot go on. */
static int on_finding(const piiscan_finding *f, void *user)
{
    struct scan *s = user;
    s->is_found = true;
    if (s->is_quiet)
        return 0;
    bool is_split_part = f->detector != NULL && strstr(f->detector, "/split") != NULL;
    char *masked = is_split_part ? mask_split_part(f->text, f->text_len)
                                 : mask_value(f->type, f->text, f->text_len);
    if (masked == NULL) {
        s->is_out_of_memory = true;
        return 1;
    }
    const struct output_finding of = {
        .path = s->path,
        .f = f,
        .masked = masked,
    };
    s->ops->finding(&s->out, &of);
    free(masked);
    if (ferror(s->out.fp)) {
        s->write_errno = errno != 0 ? errno : EIO;
        return 1;
    }
    return 0;
}

static int file_failed(struct scan *s, const char *path, const char *reason)
{
    cli_message(path, "%s", reason);
    s->is_trouble = true;
    if (!s->is_quiet)
        s->ops->file_error(&s->out, path, reason);
    return 0;
}

static int on_walk_error(void *user, const char *path, int errnum)
{
    return file_failed(user, path, strerror(errnum));
}

static int on_walk_error_text(void *user, const char *path, const char *reason)
{
    return file_failed(user, path, reason);
}

static int on_skip(void *user, const char *path, const char *reason)
{
    const struct scan *s = user;
    if (s->is_verbose)
        cli_message(path, "skipped: %s", reason);
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
    s->path = path;
    int rc = piiscan_stream_scan_fd(s->st, fd, &src);
    if (!is_stdin)
        close(fd);
    if (s->write_errno != 0 || s->is_out_of_memory)
        return -1;
    if (rc < 0) {
        char reason[256]; /* piiscan_error.text (160 bytes) and " (line N)" */
        describe_error(piiscan_stream_error(s->st), rc, reason, sizeof reason);
        return file_failed(s, path, reason);
    }
    const piiscan_stats *stats = piiscan_stream_stats(s->st);
    if (stats != NULL && stats->skip_reason != NULL)
        return on_skip(s, path, stats->skip_reason);
    /* Never silent: replaced bytes may hide a value, or say the encoding was guessed wrong. */
    if (stats != NULL && stats->decode_errors > 0)
        cli_message(path, "warning: %" PRIu64 " byte sequence%s invalid in %s, read as U+FFFD",
                    stats->decode_errors, stats->decode_errors == 1 ? "" : "s",
                    piiscan_encoding_name(stats->encoding));
    return 0;
}

static const struct walk_ops walk_ops = {
    .file = on_file,
    .error = on_walk_error,
    .skip = on_skip,
    .error_text = on_walk_error_text,
};

static int sweep(struct scan *s, char **paths, int npaths)
{
    if (!s->is_quiet)
        s->ops->begin(&s->out);
    if (walk_paths(&s->wo, &walk_ops, s, paths, (size_t)npaths) != 0 && s->write_errno == 0)
        s->is_out_of_memory = true; /* the walk's only reason to stop by itself */
    if (!s->is_quiet && s->write_errno == 0) {
        s->ops->end(&s->out);
        if (fflush(s->out.fp) == EOF || ferror(s->out.fp))
            s->write_errno = errno != 0 ? errno : EIO;
    }
    if (s->is_out_of_memory) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return EXIT_TROUBLE;
    }
    if (s->write_errno != 0) {
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
    if (piiscan_options_new(&opt) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    int c;
    while ((c = getopt_long(argc, argv, "qvh" WALK_SHORT_OPTIONS, long_options, NULL)) != -1) {
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
    if (optind >= argc && s.wo.files_from == NULL) {
        cli_message(NULL, "no PATH to scan (use . for the current directory, - for standard "
                          "input)");
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
    /* Fully buffered into a file or a pipe: a report of many findings costs few writes. A
     * terminal keeps stdio's line buffering, so that a long sweep shows its progress. */
    if (!s.is_quiet && !isatty(STDOUT_FILENO))
        setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER_BYTES);
    status = sweep(&s, argv + optind, argc - optind);
done:
    piiscan_stream_free(s.st);
    piiscan_scanner_free(sc);
    piiscan_options_free(opt);
    walk_options_free(&s.wo);
    return status;
}
