/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_state.c - `piiscan state`: what the sweeps recorded in a state file (scan --state):
 * which files still hold personal data and since when, with their counts by type, and what
 * is new or resolved since the previous sweep. "New" and "resolved" compare the last
 * complete sweep with the complete one before it. The state holds counts only, so nothing
 * here needs masking. Reads without the sweep lock: it works while a sweep runs, and shows
 * the state as far as that sweep has committed it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "state.h"

static const char usage_text[] =
    "Usage: piiscan state --state=FILE [--format=text|json] [--new|--resolved|--all]\n";

static const char help_text[] =
    "Report what the sweeps of 'piiscan scan --state FILE' recorded: the files\n"
    "that still hold personal data, since when, and their counts by type; which\n"
    "are new and which were resolved (found clean, or deleted) since the sweep\n"
    "before the last.\n"
    "\n"
    "Options:\n"
    "      --state=FILE     the state file of the sweeps\n"
    "      --format=FORMAT  text (the default) or json\n"
    "      --new            list only the files found holding personal data\n"
    "                       since the previous sweep\n"
    "      --resolved       list only the files resolved since the previous sweep\n"
    "      --all            list every file of the state\n"
    "  -h, --help           print this help and exit\n"
    "\n"
    "Exit status: 0 if no file holds personal data, 1 if some file does, 2 if\n"
    "the state file cannot be read or holds no complete sweep.\n";

enum {
    OPT_STATE = 256,
    OPT_FORMAT,
    OPT_NEW,
    OPT_RESOLVED,
    OPT_ALL,
};

static const struct option long_options[] = {
    {"state", required_argument, NULL, OPT_STATE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"new", no_argument, NULL, OPT_NEW},
    {"resolved", no_argument, NULL, OPT_RESOLVED},
    {"all", no_argument, NULL, OPT_ALL},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

enum selection {
    SELECT_HOLDING,
    SELECT_NEW,
    SELECT_RESOLVED,
    SELECT_ALL,
};

struct report {
    FILE *fp;
    bool is_json;
    enum selection selection;
    int64_t previous_id; /* the complete sweep before the last; 0 when none */
    uint64_t holding, new_ones, resolved;
    bool is_first; /* no file written yet (json) */
};

/* "2024-05-02 02:00:03" in local time for text; "2024-05-02T02:00:03Z" for JSON. */
static void format_time(char *buf, size_t size, int64_t t, bool is_json)
{
    time_t tt = (time_t)t;
    struct tm tm;
    bool ok = is_json ? gmtime_r(&tt, &tm) != NULL : localtime_r(&tt, &tm) != NULL;
    if (!ok || strftime(buf, size, is_json ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(buf, size, "%" PRId64, t);
}

static bool is_new(const struct report *r, const struct state_entry *e)
{
    return e->state == STATE_FILE_HOLDS && e->pii_since_sweep > r->previous_id;
}

static bool is_resolved(const struct report *r, const struct state_entry *e)
{
    return e->state != STATE_FILE_HOLDS && e->resolved_sweep > r->previous_id;
}

static int count_file(void *user, const struct state_entry *e)
{
    struct report *r = user;
    r->holding += e->state == STATE_FILE_HOLDS;
    r->new_ones += is_new(r, e);
    r->resolved += is_resolved(r, e);
    return 0;
}

static bool is_selected(const struct report *r, const struct state_entry *e)
{
    switch (r->selection) {
    case SELECT_HOLDING:
        return e->state == STATE_FILE_HOLDS;
    case SELECT_NEW:
        return is_new(r, e);
    case SELECT_RESOLVED:
        return is_resolved(r, e);
    case SELECT_ALL:
        return true;
    }
    return false;
}

static void text_counts(FILE *fp, const struct file_summary *fs)
{
    fprintf(fp, "%" PRIu64 " finding%s in %" PRIu64 " row%s (", fs->findings,
            fs->findings == 1 ? "" : "s", fs->rows, fs->rows == 1 ? "" : "s");
    const char *sep = "";
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        if (fs->by_type[t] == 0)
            continue;
        fprintf(fp, "%s%s %" PRIu64, sep, piiscan_type_name((piiscan_type)t), fs->by_type[t]);
        sep = ", ";
    }
    putc(')', fp);
}

/* Why a file that held personal data no longer does. */
static const char *resolution(const struct state_entry *e)
{
    switch (e->state) {
    case STATE_FILE_DELETED:
        return "deleted";
    case STATE_FILE_SKIPPED:
        return "no longer read (skipped)";
    default:
        return "no personal data found";
    }
}

static void text_file(struct report *r, const struct state_entry *e)
{
    FILE *fp = r->fp;
    char when[32];
    fputs(e->path, fp);
    fputs(": ", fp);
    switch (e->state) {
    case STATE_FILE_HOLDS:
        text_counts(fp, &e->summary);
        format_time(when, sizeof when, e->pii_since, false);
        fprintf(fp, " since %s%s", when, is_new(r, e) ? ", new" : "");
        if (e->summary.status == FILE_FAILED)
            fprintf(fp, "; could not be scanned at the last sweep: %s",
                    e->reason != NULL ? e->reason : "unknown reason");
        break;
    default:
        if (is_resolved(r, e)) {
            format_time(when, sizeof when, e->resolved_at, false);
            fprintf(fp, "resolved %s: %s", when, resolution(e));
        } else if (e->state == STATE_FILE_DELETED) {
            format_time(when, sizeof when, e->deleted_at, false);
            fprintf(fp, "deleted %s", when);
        } else if (e->state == STATE_FILE_FAILED) {
            fprintf(fp, "could not be scanned: %s", e->reason != NULL ? e->reason : "?");
        } else if (e->state == STATE_FILE_SKIPPED) {
            fprintf(fp, "skipped: %s", e->reason != NULL ? e->reason : "?");
        } else {
            fputs("clean", fp);
        }
        break;
    }
    putc('\n', fp);
}

static void json_time(FILE *fp, const char *key, int64_t t)
{
    if (t == 0)
        return;
    char when[32];
    format_time(when, sizeof when, t, true);
    fprintf(fp, ",\"%s\":\"%s\"", key, when);
}

static const char *const state_names[] = {
    [STATE_FILE_HOLDS] = "holds",     [STATE_FILE_CLEAN] = "clean",
    [STATE_FILE_SKIPPED] = "skipped", [STATE_FILE_FAILED] = "failed",
    [STATE_FILE_DELETED] = "deleted",
};

static void json_file(struct report *r, const struct state_entry *e)
{
    FILE *fp = r->fp;
    fputs(r->is_first ? "\n{\"path\":" : ",\n{\"path\":", fp);
    r->is_first = false;
    json_write_string(fp, e->path, strlen(e->path));
    fprintf(fp, ",\"state\":\"%s\",\"new\":%s,\"resolved\":%s", state_names[e->state],
            is_new(r, e) ? "true" : "false", is_resolved(r, e) ? "true" : "false");
    json_time(fp, "since", e->pii_since);
    json_time(fp, "resolved_at", e->resolved_at);
    json_time(fp, "deleted_at", e->deleted_at);
    json_time(fp, "first_seen", e->first_seen);
    json_time(fp, "last_seen", e->last_seen);
    fprintf(fp, ",\"status\":\"%s\"", file_status_name(e->summary.status));
    if (e->reason != NULL) {
        fputs(",\"reason\":", fp);
        json_write_string(fp, e->reason, strlen(e->reason));
    }
    fprintf(fp, ",\"findings\":%" PRIu64 ",\"rows\":%" PRIu64 ",\"by_type\":", e->summary.findings,
            e->summary.rows);
    json_write_counts(fp, e->summary.by_type);
    putc('}', fp);
}

static int print_file(void *user, const struct state_entry *e)
{
    struct report *r = user;
    if (!is_selected(r, e))
        return 0;
    if (r->is_json)
        json_file(r, e);
    else
        text_file(r, e);
    return ferror(r->fp) ? 1 : 0;
}

static void json_sweep(FILE *fp, const char *key, const struct state_sweep *sw)
{
    fprintf(fp, ",\"%s\":", key);
    if (sw->id == 0) {
        fputs("null", fp);
        return;
    }
    fprintf(fp, "{\"id\":%" PRId64, sw->id);
    json_time(fp, "started", sw->started);
    json_time(fp, "finished", sw->finished);
    fprintf(fp, ",\"complete\":%s", sw->is_complete ? "true" : "false");
    if (!sw->is_complete)
        fprintf(fp, ",\"running\":%s", sw->is_running ? "true" : "false");
    fprintf(fp, ",\"pid\":%" PRId64 ",\"scanner_version\":", sw->pid);
    json_write_string(fp, sw->scanner_version, strlen(sw->scanner_version));
    fputs(",\"rules\":", fp);
    json_write_string(fp, sw->rules_digest, strlen(sw->rules_digest));
    fputs(",\"paths\":[", fp);
    const char *s = sw->roots;
    for (const char *nl; (nl = strchr(s, '\n')) != NULL; s = nl + 1) {
        if (s != sw->roots)
            putc(',', fp);
        json_write_string(fp, s, (size_t)(nl - s));
    }
    const struct sweep_totals *t = &sw->totals;
    fprintf(fp,
            "],\"files\":%" PRIu64 ",\"scanned\":%" PRIu64 ",\"unchanged\":%" PRIu64
            ",\"skipped\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"files_with_findings\":%" PRIu64
            ",\"findings\":%" PRIu64 ",\"bytes\":%" PRIu64,
            t->files, t->scanned, t->unchanged, t->skipped, t->failed, t->files_with_findings,
            t->findings, t->bytes);
    if (sw->exit_status >= 0)
        fprintf(fp, ",\"exit_status\":%d", sw->exit_status);
    putc('}', fp);
}

static void text_header(const struct report *r, const struct state_sweep *last,
                        const struct state_sweep *previous, const struct state_sweep *unfinished)
{
    FILE *fp = r->fp;
    char started[32];
    char finished[32];
    format_time(started, sizeof started, last->started, false);
    format_time(finished, sizeof finished, last->finished, false);
    const struct sweep_totals *t = &last->totals;
    fprintf(fp,
            "last sweep: %s to %s, %" PRIu64 " files: %" PRIu64 " scanned, %" PRIu64
            " unchanged, %" PRIu64 " skipped, %" PRIu64 " failed; exit status %d\n",
            started, finished, t->files, t->scanned, t->unchanged, t->skipped, t->failed,
            last->exit_status);
    if (previous->id != 0) {
        format_time(started, sizeof started, previous->started, false);
        fprintf(fp, "previous sweep: %s\n", started);
    } else {
        fputs("previous sweep: none\n", fp);
    }
    if (unfinished->id != 0) {
        format_time(started, sizeof started, unfinished->started, false);
        if (unfinished->is_running)
            fprintf(fp, "a sweep is running since %s (pid %" PRId64 ")\n", started,
                    unfinished->pid);
        else
            fprintf(fp, "the sweep started %s did not finish\n", started);
    }
    fprintf(fp,
            "%" PRIu64 " file%s hold%s personal data (%" PRIu64 " new); %" PRIu64
            " resolved since the previous sweep\n",
            r->holding, r->holding == 1 ? "" : "s", r->holding == 1 ? "s" : "", r->new_ones,
            r->resolved);
}

static int report(struct state *st, const char *path, struct report *r)
{
    const struct state_sweep *last;
    const struct state_sweep *previous;
    const struct state_sweep *unfinished;
    if (state_sweeps(st, &last, &previous, &unfinished) != 0)
        return EXIT_TROUBLE;
    if (last->id == 0) {
        if (unfinished->id != 0 && unfinished->is_running)
            cli_message(path, "no complete sweep yet: the first one is running (pid %" PRId64 ")",
                        unfinished->pid);
        else
            cli_message(path, "no complete sweep yet");
        return EXIT_TROUBLE;
    }
    r->previous_id = previous->id;
    if (state_each_file(st, count_file, r) != 0)
        return EXIT_TROUBLE;
    FILE *fp = r->fp;
    if (r->is_json) {
        fputs("{\"state_file\":", fp);
        json_write_string(fp, path, strlen(path));
        json_sweep(fp, "last_sweep", last);
        json_sweep(fp, "previous_sweep", previous);
        json_sweep(fp, "unfinished_sweep", unfinished);
        fprintf(fp,
                ",\"holding\":%" PRIu64 ",\"new\":%" PRIu64 ",\"resolved\":%" PRIu64 ",\"files\":[",
                r->holding, r->new_ones, r->resolved);
        r->is_first = true;
    } else {
        text_header(r, last, previous, unfinished);
    }
    int rc = state_each_file(st, print_file, r);
    if (rc < 0)
        return EXIT_TROUBLE;
    if (r->is_json)
        fputs(r->is_first ? "]}\n" : "\n]}\n", fp);
    if (fflush(fp) == EOF || ferror(fp)) {
        cli_message(NULL, "error writing to standard output");
        return EXIT_TROUBLE;
    }
    return r->holding > 0 ? EXIT_FOUND : EXIT_CLEAN;
}

int cmd_state(int argc, char **argv)
{
    const char *path = NULL;
    struct report r = {.fp = stdout, .selection = SELECT_HOLDING};
    int c;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        switch (c) {
        case OPT_STATE:
            path = optarg;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "json") == 0) {
                r.is_json = true;
            } else if (strcmp(optarg, "text") == 0) {
                r.is_json = false;
            } else {
                cli_message(NULL, "--format: unknown format '%s' (expected text or json)", optarg);
                return EXIT_TROUBLE;
            }
            break;
        case OPT_NEW:
            r.selection = SELECT_NEW;
            break;
        case OPT_RESOLVED:
            r.selection = SELECT_RESOLVED;
            break;
        case OPT_ALL:
            r.selection = SELECT_ALL;
            break;
        case 'h':
            return print_help(usage_text, help_text);
        default:
            return print_usage_error(usage_text, "state");
        }
    }
    if (optind < argc) {
        cli_message(NULL, "unexpected argument '%s'", argv[optind]);
        return print_usage_error(usage_text, "state");
    }
    if (path == NULL) {
        cli_message(NULL, "no state file (give --state FILE, as to scan)");
        return print_usage_error(usage_text, "state");
    }
    struct state *st = NULL;
    if (state_open(path, STATE_READ, &st) != 0)
        return EXIT_TROUBLE;
    int status = report(st, path, &r);
    state_close(st);
    return status;
}
