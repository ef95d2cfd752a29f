/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - what the files of the piiscan command share: subcommands, messages, the directory
 * walk, masking and the JSON string writer. The command is an ordinary client of
 * <piiscan.h>; nothing here reaches into the library's sources.
 */
#ifndef PIISCAN_CLI_H
#define PIISCAN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include <piiscan.h>

#define PROGRAM_NAME "piiscan"

/* Exit statuses, as grep has them: nothing found, something found, trouble. */
enum {
    EXIT_CLEAN = 0,
    EXIT_FOUND = 1,
    EXIT_TROUBLE = 2,
};

/* ------------------------------------------------------------------------------------------ */
/* main.c                                                                                     */

/** A subcommand: takes its own argv (argv[0] is the command's name), returns the exit status. */
typedef int (*command_fn)(int argc, char **argv);

/** "piiscan: PATH: message" on stderr; without the PATH part when path is NULL. */
void cli_message(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ------------------------------------------------------------------------------------------ */
/* cmd_scan.c                                                                                 */

int cmd_scan(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* cmd_redact.c                                                                               */

int cmd_redact(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* cmd_hook.c                                                                                 */

int cmd_hook(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* walk.c, ignore.c: the files to scan, from the paths on the command line                    */

#include "walk.h"

/* ------------------------------------------------------------------------------------------ */
/* option_values.c: values of the options scan and redact share                             */

/** Each parses its option's value into the options (or *out); on a bad value it says why on
 *  standard error, naming the option, and returns -1; else 0. */
int parse_types(const char *arg, piiscan_options *opt);
int parse_confidence(const char *arg, piiscan_options *opt);
int parse_encoding(const char *arg, piiscan_encoding *out);
int parse_record_bytes(const char *arg, piiscan_options *opt);

/* ------------------------------------------------------------------------------------------ */
/* mask.c: values shown without what identifies a person                                     */

/** The masked form of a found value (UTF-8) for display, as a NUL-terminated string that
 *  the caller frees; NULL when out of memory. See piiscan.1 (OUTPUT) for the rules. */
char *mask_value(piiscan_type type, const char *value, size_t len);
/** The masked form of one part of a value split over columns (電話番号2 of 電話番号1-3):
 *  every digit hidden, since the other parts are printed beside it. Freed by the caller. */
char *mask_split_part(const char *value, size_t len);

/* ------------------------------------------------------------------------------------------ */
/* json.c                                                                                     */

/** Writes s[0..len) as a JSON string, quotes included: '"', '\\' and control characters
 *  escaped, valid UTF-8 passed through, each byte of an invalid sequence written as U+FFFD.
 *  Errors are left in ferror(fp). */
void json_write_string(FILE *fp, const char *s, size_t len);

#endif /* PIISCAN_CLI_H */
