/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * baseline.c - scan --baseline: the findings of an earlier report, so that a later sweep
 * reports only what is new. The report is read with jansson, either as `--format json`
 * writes it ({"files": [{..., "findings": [...]}], "totals": {...}}) or as JSON Lines (one
 * finding a line). Only path, type and fingerprint are kept: a baseline is meant to be
 * committed beside the data it describes, so a report holding values is refused, and so is
 * one without fingerprints, which could only be matched by position or by masked value.
 *
 * Matching is by count, not by position: rows are added and removed above a finding, and its
 * line and offsets change while its fingerprint does not. N occurrences of a path, type and
 * fingerprint in the baseline cover the first N such findings of a scan of that path, in the
 * order the scan finds them; an N+1th is new. Positions cannot pick which of several equal
 * values is the new one without the whole file's findings in hand, and the report is
 * written as the findings come.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

#define FINGERPRINT_BYTES (FINGERPRINT_HEX_CHARS / 2)

/* What the reports of a baseline are made with, for the messages that refuse one. */
#define HOW_TO_MAKE "make one with: piiscan scan --format json --fingerprints PATH... > FILE"

struct baseline_entry {
    const char *path; /* in b->paths */
    unsigned char fingerprint[FINGERPRINT_BYTES];
    uint32_t count;
    piiscan_type type;
};

struct baseline {
    struct baseline_entry *v; /* sorted by path, type, fingerprint; each key once */
    size_t n;
    size_t cap;
    char **paths; /* owned; the entries point into them */
    size_t npaths;
    size_t paths_cap;
    uint64_t findings;
};

/* Where a baseline is being read, for messages. */
struct reader {
    const char *file;
    unsigned long line; /* JSON Lines: 1-based; 0 in a JSON report */
    size_t finding;     /* 1-based, in a JSON report */
    char *why;
    size_t size;
};

static void say(const struct reader *rd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: reason" for JSON Lines, "FILE: finding N: reason" for a report. */
static void say(const struct reader *rd, const char *fmt, ...)
{
    int n;
    if (rd->line > 0)
        n = snprintf(rd->why, rd->size, "%s:%lu: ", rd->file, rd->line);
    else if (rd->finding > 0)
        n = snprintf(rd->why, rd->size, "%s: finding %zu: ", rd->file, rd->finding);
    else
        n = snprintf(rd->why, rd->size, "%s: ", rd->file);
    if (n < 0 || (size_t)n >= rd->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->why + n, rd->size - (size_t)n, fmt, ap);
    va_end(ap);
}

void baseline_free(struct baseline *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->npaths; i++)
        free(b->paths[i]);
    free(b->paths);
    free(b->v);
    free(b);
}

uint64_t baseline_findings(const struct baseline *b)
{
    return b->findings;
}

/* ------------------------------------------------------------------------------------------ */
/* Paths                                                                                      */

/* A path as a report writes it (each byte of an invalid UTF-8 sequence as U+FFFD, which is
 * what a report of a CP932 file name holds), without "./" in front and with one slash between
 * names: `scan ./data` and `scan data/` then name a file alike. NULL when out of memory. */
static char *path_key(const char *path)
{
    size_t len = strlen(path);
    char *key = malloc(3 * len + 1);
    if (key == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)path;
    size_t i = 0;
    while (len - i >= 2 && p[i] == '.' && p[i + 1] == '/') {
        i += 2;
        while (i < len && p[i] == '/')
            i++;
    }
    size_t n = 0;
    while (i < len) {
        size_t c = utf8_valid_len(p + i, len - i);
        if (c == 0) {
            memcpy(key + n, "\xEF\xBF\xBD", 3);
            n += 3;
            i++;
            continue;
        }
        if (!(c == 1 && p[i] == '/' && n > 0 && key[n - 1] == '/')) {
            memcpy(key + n, p + i, c);
            n += c;
        }
        i += c;
    }
    key[n] = '\0';
    return key;
}

/* The key of `path`, kept by the baseline: the previous one again when it is the same, as
 * the findings of a file come together in a report. */
static const char *intern_path(struct baseline *b, const char *path)
{
    char *key = path_key(path);
    if (key == NULL)
        return NULL;
    if (b->npaths > 0 && strcmp(b->paths[b->npaths - 1], key) == 0) {
        free(key);
        return b->paths[b->npaths - 1];
    }
    if (b->npaths == b->paths_cap) {
        size_t cap = b->paths_cap ? 2 * b->paths_cap : 64;
        char **v = realloc(b->paths, cap * sizeof *v);
        if (v == NULL) {
            free(key);
            return NULL;
        }
        b->paths = v;
        b->paths_cap = cap;
    }
    b->paths[b->npaths++] = key;
    return key;
}

/* ------------------------------------------------------------------------------------------ */
/* Findings                                                                                   */

static const char *string_member(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Adds one finding object of a report; -1 with the reason said. */
static int add_finding(struct baseline *b, const json_t *f, const struct reader *rd)
{
    if (!json_is_object(f)) {
        say(rd, "a finding is a JSON object");
        return -1;
    }
    const char *path = string_member(f, "path");
    const char *type_name = string_member(f, "type");
    if (path == NULL || type_name == NULL) {
        say(rd, "not a finding of a piiscan report (no path or type); %s", HOW_TO_MAKE);
        return -1;
    }
    if (json_object_get(f, "value") != NULL) {
        say(rd, "the report holds values (--show-values) and a baseline must not: %s", HOW_TO_MAKE);
        return -1;
    }
    piiscan_type type;
    if (piiscan_type_from_name(type_name, &type) != PIISCAN_OK) {
        say(rd, "unknown type '%s'", type_name);
        return -1;
    }
    const json_t *fp = json_object_get(f, "fingerprint");
    if (fp == NULL) {
        say(rd, "a finding of %s has no fingerprint: %s", path, HOW_TO_MAKE);
        return -1;
    }
    struct baseline_entry e = {.type = type, .count = 1};
    if (!json_is_string(fp) || !fingerprint_parse_hex(json_string_value(fp), e.fingerprint)) {
        say(rd, "fingerprint of a finding of %s is not %d hexadecimal digits", path,
            FINGERPRINT_HEX_CHARS);
        return -1;
    }
    e.path = intern_path(b, path);
    if (e.path == NULL) {
        say(rd, "%s", strerror(ENOMEM));
        return -1;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        struct baseline_entry *v = realloc(b->v, cap * sizeof *v);
        if (v == NULL) {
            say(rd, "%s", strerror(ENOMEM));
            return -1;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = e;
    b->findings++;
    return 0;
}

/* A JSON report: {"files": [{summary..., "findings": [finding...]}...], "totals": {...}}. */
static int add_report(struct baseline *b, const json_t *root, struct reader *rd)
{
    const json_t *files = json_object_get(root, "files");
    if (!json_is_array(files)) {
        say(rd, "not a piiscan report (no \"files\" array); %s", HOW_TO_MAKE);
        return -1;
    }
    size_t i;
    const json_t *file;
    json_array_foreach(files, i, file)
    {
        const json_t *findings = json_object_get(file, "findings");
        if (json_is_array(findings)) {
            size_t k;
            const json_t *f;
            json_array_foreach(findings, k, f)
            {
                rd->finding++;
                if (add_finding(b, f, rd) != 0)
                    return -1;
            }
        } else if (json_is_integer(findings) && json_integer_value(findings) > 0) {
            /* A summary with a count and no list: made with --summary. */
            say(rd, "the report counts findings without listing them (--summary); %s", HOW_TO_MAKE);
            return -1;
        }
    }
    return 0;
}

/* One value of JSON Lines: a finding, or a file's summary of a --summary report. */
static int add_line(struct baseline *b, const json_t *f, const struct reader *rd)
{
    if (json_object_get(f, "status") != NULL && json_object_get(f, "type") == NULL) {
        say(rd, "a file's summary, not a finding (--summary); %s", HOW_TO_MAKE);
        return -1;
    }
    return add_finding(b, f, rd);
}

/* JSON Lines: each non-blank line a finding, from line rd->line of fp on. */
static int add_lines(struct baseline *b, FILE *fp, struct reader *rd)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    rd->line--; /* counted as each line is read */
    while (rc == 0 && (got = getline(&buf, &cap, fp)) >= 0) {
        rd->line++;
        size_t n = (size_t)got;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
            n--;
        size_t at = 0;
        while (at < n && buf[at] == ' ')
            at++;
        if (at == n)
            continue;
        json_error_t err;
        json_t *f = json_loadb(buf + at, n - at, 0, &err);
        if (f == NULL) {
            say(rd, "not JSON: %s", err.text);
            rc = -1;
            break;
        }
        rc = add_line(b, f, rd);
        json_decref(f);
    }
    if (rc == 0 && ferror(fp)) {
        rd->line = 0;
        say(rd, "%s", strerror(errno));
        rc = -1;
    }
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                    */

static int compare_keys(const struct baseline_entry *a, const char *path, piiscan_type type,
                        const unsigned char *fp)
{
    int c = a->path == path ? 0 : strcmp(a->path, path);
    if (c != 0)
        return c;
    if (a->type != type)
        return a->type < type ? -1 : 1;
    return memcmp(a->fingerprint, fp, FINGERPRINT_BYTES);
}

static int compare_entries(const void *pa, const void *pb)
{
    const struct baseline_entry *b = pb;
    return compare_keys(pa, b->path, b->type, b->fingerprint);
}

/* Sorts the entries and makes each key one entry with its count. */
static void merge(struct baseline *b)
{
    if (b->n == 0)
        return;
    qsort(b->v, b->n, sizeof *b->v, compare_entries);
    size_t n = 1;
    for (size_t i = 1; i < b->n; i++) {
        struct baseline_entry *last = &b->v[n - 1];
        if (compare_entries(last, &b->v[i]) == 0 && last->count < UINT32_MAX)
            last->count++;
        else
            b->v[n++] = b->v[i];
    }
    b->n = n;
}

/* The first non-blank byte of fp, put back; EOF when there is none. Counts the line ends
 * passed in *lines. */
static int first_byte(FILE *fp, unsigned long *lines)
{
    int c;
    while ((c = getc(fp)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        *lines += c == '\n';
    if (c != EOF)
        ungetc(c, fp);
    return c;
}

/* Reads the report or JSON Lines of fp into b; -1 with the reason said. */
static int read_baseline(struct baseline *b, FILE *fp, struct reader *rd)
{
    /* A report is one JSON value over many lines; JSON Lines is a value a line. The first
     * value tells them apart: an object with "files" is a report. jansson stops reading
     * right after it, so JSON Lines go on from there (also from a pipe), a line at a time. */
    unsigned long line = 1;
    if (first_byte(fp, &line) == EOF)
        return 0; /* empty: nothing was found then */
    json_error_t err;
    json_t *first = json_loadf(fp, JSON_DISABLE_EOF_CHECK, &err);
    if (first == NULL) {
        rd->line = line + (err.line > 1 ? (unsigned long)err.line - 1 : 0);
        say(rd, "not JSON: %s; %s", err.text, HOW_TO_MAKE);
        return -1;
    }
    int rc;
    if (json_object_get(first, "files") != NULL) {
        rc = add_report(b, first, rd);
        unsigned long after = 0;
        if (rc == 0 && first_byte(fp, &after) != EOF) {
            rd->finding = 0;
            say(rd, "more than one JSON value, and a report is one");
            rc = -1;
        }
    } else {
        rd->line = line;
        rc = add_line(b, first, rd);
        int c;
        while (rc == 0 && (c = getc(fp)) != EOF && c != '\n') {
            if (c != ' ' && c != '\t' && c != '\r') {
                say(rd, "not JSON Lines: more than one value on the line");
                rc = -1;
            }
        }
        rd->line++;
        if (rc == 0)
            rc = add_lines(b, fp, rd);
    }
    json_decref(first);
    return rc;
}

int baseline_load(const char *path, struct baseline **out, char *why, size_t size)
{
    struct reader rd = {.file = path, .why = why, .size = size};
    struct baseline *b = calloc(1, sizeof *b);
    if (b == NULL) {
        say(&rd, "%s", strerror(ENOMEM));
        return -1;
    }
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        say(&rd, "%s", strerror(errno));
        baseline_free(b);
        return -1;
    }
    int rc = read_baseline(b, fp, &rd);
    if (rc == 0 && ferror(fp)) {
        rd.line = 0;
        rd.finding = 0;
        say(&rd, "%s", strerror(errno));
        rc = -1;
    }
    fclose(fp);
    if (rc != 0) {
        baseline_free(b);
        return -1;
    }
    merge(b);
    *out = b;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Matching                                                                                   */

int baseline_file_begin(const struct baseline *b, const char *path, struct baseline_file *bf)
{
    *bf = (struct baseline_file){0};
    char *key = path_key(path);
    if (key == NULL)
        return -1;
    size_t lo = 0;
    size_t hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(b->v[mid].path, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < b->n && strcmp(b->v[end].path, key) == 0)
        end++;
    free(key);
    if (end == lo)
        return 0;
    bf->used = calloc(end - lo, sizeof *bf->used);
    if (bf->used == NULL)
        return -1;
    bf->v = &b->v[lo];
    bf->n = end - lo;
    return 0;
}

bool baseline_covers(struct baseline_file *bf, piiscan_type type, const char *fingerprint)
{
    unsigned char fp[FINGERPRINT_BYTES];
    if (bf->n == 0 || fingerprint == NULL || !fingerprint_parse_hex(fingerprint, fp))
        return false;
    const char *path = bf->v[0].path;
    size_t lo = 0;
    size_t hi = bf->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (compare_keys(&bf->v[mid], path, type, fp) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == bf->n || compare_keys(&bf->v[lo], path, type, fp) != 0 ||
        bf->used[lo] == bf->v[lo].count)
        return false;
    bf->used[lo]++;
    return true;
}

void baseline_file_end(struct baseline_file *bf)
{
    free(bf->used);
    *bf = (struct baseline_file){0};
}
