/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * line.h - a piece of a JSON report built in memory and written with one fwrite. A finding
 * is a dozen short pieces, and a stdio call per piece cost more than the scan that found it;
 * jsonl, json and sarif build their objects here. Everything written is valid JSON in valid
 * UTF-8 (strings go through json_write_string's rules).
 */
#ifndef PIISCAN_CLI_LINE_H
#define PIISCAN_CLI_LINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "output.h"

/* jsonl gathers a file's lines in one line buffer: this is also the size of its writes, and
 * 64 KiB ones cost the report 5 % less than 8 KiB ones. */
#define LINE_BYTES 65536

struct line {
    FILE *fp;
    size_t len;
    char buf[LINE_BYTES];
};

/** Writes what the line holds to its FILE and empties it. Errors stay in ferror(fp). */
void line_flush(struct line *ln);
/** line_put's way when the bytes do not fit: out of line, so that line_put inlines. */
void line_put_slow(struct line *ln, const char *s, size_t n);

/** Appends n raw bytes (already JSON). */
static inline void line_put(struct line *ln, const char *s, size_t n)
{
    if (n > LINE_BYTES - ln->len) {
        line_put_slow(ln, s, n);
        return;
    }
    memcpy(ln->buf + ln->len, s, n);
    ln->len += n;
}

#define LINE_PUT_LITERAL(ln, lit) line_put((ln), (lit), sizeof(lit) - 1)

/** Appends a number in decimal. */
void line_put_u64(struct line *ln, uint64_t v);
/** Appends s[0..n) as a JSON string, quotes included. */
void line_put_string(struct line *ln, const char *s, size_t n);
/** Appends ,"key":"s" (key is plain ASCII, s is NUL-terminated). */
void line_put_member(struct line *ln, const char *key, const char *s);
/** Appends x as printf's "%.2f" writes it. */
void line_put_hundredths(struct line *ln, double x);
/** Appends a finding as the JSON object jsonl writes on each line (no newline); the json
 *  format's findings are the same objects. See out_jsonl.c for its keys. */
void line_put_finding(struct line *ln, const struct output_finding *of);
/** The same object after its path member: `{"path":` and the path are the caller's. */
void line_put_finding_rest(struct line *ln, const struct output_finding *of);

/* The "type" and "detector" members of findings as made before: their values are strings
 * the library keeps for the whole run, found again by their address (one string may be both
 * a type's name and a detector: "email"). */
#define LINE_CACHE_SLOTS  32
#define LINE_MEMBER_BYTES 64
struct line_cache {
    struct {
        const char *key;   /* the member's name ("type", "detector") */
        const char *value; /* the string, or NULL for an empty slot */
        unsigned char len;
        char json[LINE_MEMBER_BYTES]; /* ,"type":"phone" */
    } slot[LINE_CACHE_SLOTS];
};
/** line_put_finding_rest with the members of cache (zeroed before its first use). */
void line_put_finding_rest_cached(struct line *ln, const struct output_finding *of,
                                  struct line_cache *cache);

#endif /* PIISCAN_CLI_LINE_H */
