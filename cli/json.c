/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * json.c - the JSON string writer. Its output is always valid JSON in valid UTF-8, whatever
 * the bytes: file names on Unix are bytes, and a CP932 name must not break a JSON Lines
 * consumer. Valid UTF-8 passes through unchanged (no \u escapes for non-ASCII). Also the
 * per-file summary object that json, jsonl --summary and the state report share, and the
 * totals of a sweep that json and sarif print.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

/* Strict as RFC 3629 has it: no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t utf8_valid_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong below U+0800 */
        else if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong below U+10000 */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    }
    return len;
}

void json_write_string(FILE *fp, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    putc('"', fp);
    while (i < len) {
        unsigned char c = p[i];
        size_t n = utf8_valid_len(p + i, len - i);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", fp); /* U+FFFD REPLACEMENT CHARACTER */
            i++;
            continue;
        }
        if (n > 1) {
            fwrite(p + i, 1, n, fp);
            i += n;
            continue;
        }
        switch (c) {
        case '"':
            fputs("\\\"", fp);
            break;
        case '\\':
            fputs("\\\\", fp);
            break;
        case '\b':
            fputs("\\b", fp);
            break;
        case '\f':
            fputs("\\f", fp);
            break;
        case '\n':
            fputs("\\n", fp);
            break;
        case '\r':
            fputs("\\r", fp);
            break;
        case '\t':
            fputs("\\t", fp);
            break;
        default:
            /* RFC 8259 requires escaping below U+0020; DEL is escaped too so that a report
             * shown on a terminal cannot carry control characters. */
            if (c < 0x20 || c == 0x7F)
                fprintf(fp, "\\u%04x", (unsigned)c);
            else
                putc(c, fp);
            break;
        }
        i++;
    }
    putc('"', fp);
}

static const char *const status_names[] = {
    [FILE_SCANNED] = "scanned",
    [FILE_SKIPPED] = "skipped",
    [FILE_FAILED] = "failed",
    [FILE_UNCHANGED] = "unchanged",
};

const char *file_status_name(enum file_status status)
{
    return status_names[status];
}

void json_write_counts(FILE *fp, const uint64_t by_type[OUTPUT_TYPES])
{
    putc('{', fp);
    bool is_first = true;
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        if (by_type[t] == 0)
            continue;
        fprintf(fp, "%s\"%s\":%" PRIu64, is_first ? "" : ",", piiscan_type_name((piiscan_type)t),
                by_type[t]);
        is_first = false;
    }
    putc('}', fp);
}

void json_write_summary(FILE *fp, const struct file_summary *fs)
{
    fputs("{\"path\":", fp);
    json_write_string(fp, fs->path, strlen(fs->path));
    fprintf(fp, ",\"status\":\"%s\"", file_status_name(fs->status));
    if (fs->reason != NULL) {
        fputs(",\"reason\":", fp);
        json_write_string(fp, fs->reason, strlen(fs->reason));
    }
    if (fs->encoding != PIISCAN_ENCODING_AUTO)
        fprintf(fp, ",\"encoding\":\"%s\"", piiscan_encoding_name(fs->encoding));
    if (fs->format != PIISCAN_FORMAT_AUTO)
        fprintf(fp, ",\"format\":\"%s\"", piiscan_format_name(fs->format));
    fprintf(fp,
            ",\"bytes\":%" PRIu64 ",\"records\":%" PRIu64 ",\"findings\":%" PRIu64
            ",\"rows\":%" PRIu64 ",\"by_type\":",
            fs->bytes, fs->records, fs->findings, fs->rows);
    json_write_counts(fp, fs->by_type);
    fprintf(fp, ",\"decode_errors\":%" PRIu64 ",\"suppressed\":%" PRIu64 "}", fs->decode_errors,
            fs->suppressed);
}

void json_write_totals(FILE *fp, const struct sweep_totals *t)
{
    fprintf(fp,
            "{\"files\":%" PRIu64 ",\"scanned\":%" PRIu64 ",\"skipped\":%" PRIu64
            ",\"failed\":%" PRIu64 ",\"unchanged\":%" PRIu64 ",\"files_with_findings\":%" PRIu64
            ",\"bytes\":%" PRIu64 ",\"findings\":%" PRIu64 ",\"rows\":%" PRIu64 ",\"by_type\":",
            t->files, t->scanned, t->skipped, t->failed, t->unchanged, t->files_with_findings,
            t->bytes, t->findings, t->rows);
    json_write_counts(fp, t->by_type);
    fprintf(fp, ",\"suppressed\":%" PRIu64 "}", t->suppressed);
}
