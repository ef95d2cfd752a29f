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

/* The JSON form of an ASCII byte that is not its own: '"', '\\', a control character or DEL.
 * RFC 8259 requires escaping below U+0020; DEL is escaped too so that a report shown on a
 * terminal cannot carry control characters. */
static size_t escape_ascii(char *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    const char *short_form = NULL;
    switch (c) {
    case '"':
        short_form = "\\\"";
        break;
    case '\\':
        short_form = "\\\\";
        break;
    case '\b':
        short_form = "\\b";
        break;
    case '\f':
        short_form = "\\f";
        break;
    case '\n':
        short_form = "\\n";
        break;
    case '\r':
        short_form = "\\r";
        break;
    case '\t':
        short_form = "\\t";
        break;
    default:
        break;
    }
    if (short_form != NULL) {
        memcpy(o, short_form, 2);
        return 2;
    }
    memcpy(o, "\\u00", 4);
    o[4] = hex[c >> 4];
    o[5] = hex[c & 0xF];
    return 6;
}

/* Bytes that are their own JSON form: printable ASCII other than '"' and '\\'. */
static bool is_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

size_t json_escape(char *out, size_t room, const char *s, size_t len, size_t *used)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    size_t o = 0;
    /* No byte becomes more than JSON_ESCAPE_MAX bytes, so the room is checked once for each
     * run of bytes that surely fits rather than once a byte. */
    for (size_t fits; i < len && (fits = (room - o) / JSON_ESCAPE_MAX) > 0;) {
        size_t end = len - i < fits ? len : i + fits;
        while (i < end) {
            unsigned char c = p[i];
            if (is_plain(c)) {
                out[o++] = (char)c;
                i++;
                continue;
            }
            if (c < 0x80) {
                o += escape_ascii(out + o, c);
                i++;
                continue;
            }
            /* Kana and kanji, most of what is not ASCII: a lead byte E1-EC or EE-EF has no
             * overlong or surrogate forms to exclude. */
            if (c >= 0xE1 && c != 0xED && c <= 0xEF && len - i >= 3 && (p[i + 1] & 0xC0) == 0x80 &&
                (p[i + 2] & 0xC0) == 0x80) {
                memcpy(out + o, p + i, 3);
                o += 3;
                i += 3;
                continue;
            }
            size_t n = utf8_valid_len(p + i, len - i);
            if (n == 0) {
                memcpy(out + o, "\xEF\xBF\xBD", 3); /* U+FFFD REPLACEMENT CHARACTER */
                o += 3;
                i++;
                continue;
            }
            /* May end past `end`: its n bytes still take no more than n * JSON_ESCAPE_MAX. */
            memcpy(out + o, p + i, n);
            o += n;
            i += n;
        }
    }
    *used = i;
    return o;
}

void json_write_string(FILE *fp, const char *s, size_t len)
{
    char buf[1024];
    putc('"', fp);
    while (len > 0) {
        size_t used;
        size_t n = json_escape(buf, sizeof buf, s, len, &used);
        fwrite(buf, 1, n, fp);
        s += used;
        len -= used;
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
