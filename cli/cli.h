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
#include <stdint.h>
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
/* cmd_state.c (the state file itself: state.h; the progress line: progress.h)               */

int cmd_state(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* walk.c: the files to scan, from the paths on the command line                              */

/** What the walk found. A non-zero return from any callback stops the walk, which then
 *  returns that value. */
struct walk_ops {
    /** A file to scan. is_named: the path came from the command line (symbolic links have
     *  been followed); otherwise it came from a directory and must be opened without
     *  following a link that may have replaced it since. */
    int (*file)(void *user, const char *path, bool is_named);
    /** A path that could not be looked at or listed; errnum is an errno value. */
    int (*error)(void *user, const char *path, int errnum);
    /** A path left out on purpose; reason is static ("symbolic link", "fifo" ...). */
    int (*skip)(void *user, const char *path, const char *reason);
    /** Optional: asked before a directory is walked; a non-NULL (static) reason leaves it
     *  out, through skip(). redact -o leaves out its own output directory with it. */
    const char *(*exclude_dir)(void *user, const char *path, const struct stat *sb);
};

/** True for the names of piiscan's temporary files, ".NAME.piiscan-XXXXXX.tmp" (X a letter
 *  or digit): the walk leaves them out, and redact removes those a killed run left. */
bool walk_is_temp_name(const char *name);

/** Walks one command-line path: a file is passed on, a directory is walked recursively with
 *  its entries in byte order of their names. Symbolic links inside directories are not
 *  followed; fifos, sockets and devices inside directories are skipped. Returns 0, or the
 *  first non-zero value a callback returned (-1 with errno ENOMEM when out of memory). */
int walk_path(const struct walk_ops *ops, void *user, const char *path);

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
