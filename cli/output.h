/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * output.h - report formats. Each format is one file that exports one `struct output_ops`;
 * cmd_scan picks one by name and calls it in order: begin, then finding and file_error as
 * the sweep goes, then end. Formats write to out->fp with stdio and leave write errors in
 * ferror(out->fp), which the caller checks; they never print to stderr.
 */
#ifndef PIISCAN_CLI_OUTPUT_H
#define PIISCAN_CLI_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <piiscan.h>

struct output {
    FILE *fp;
    bool is_showing_values; /* --show-values: the value as found, beside or instead of the mask */
};

/** One finding, ready to show. */
struct output_finding {
    const char *path;         /* as given or as walked; "-" for standard input */
    const piiscan_finding *f; /* borrowed from the library's callback */
    const char *masked;       /* NUL-terminated UTF-8, always present */
};

struct output_ops {
    const char *name; /* the --format value */
    void (*begin)(struct output *out);
    void (*finding)(struct output *out, const struct output_finding *of);
    /** A file that could not be scanned (the message is already on stderr). Formats that
     *  carry findings only ignore it; it exists for reports that list failures too. */
    void (*file_error)(struct output *out, const char *path, const char *reason);
    void (*end)(struct output *out);
};

extern const struct output_ops output_text;
extern const struct output_ops output_jsonl;

#endif /* PIISCAN_CLI_OUTPUT_H */
