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
/* temp.c and report_file.c: files written under a temporary name, renamed when complete      */

/** Creates ".NAME.piiscan-XXXXXX.tmp" in dirfd, exclusively, mode 0600, locked with flock;
 *  its name goes to tmp. Returns the descriptor, or -1 with errno set. */
int temp_create(int dirfd, const char *name, char *tmp, size_t size);

/** The -o FILE of scan: the report is written to a temporary file beside FILE and replaces
 *  FILE only when complete. */
struct report_file;
/** Creates the temporary file (refusing a FILE that exists and is not a regular file); on
 *  SIGINT, SIGTERM or SIGHUP it is removed before the process dies. Returns 0, or -1 with
 *  *reason set to a static message. */
int report_file_open(const char *path, struct report_file **out, const char **reason);
/** The stream to write the report to (fully buffered). */
FILE *report_file_stream(const struct report_file *rf);
/** The temporary file's path, for a writer that opens the file itself (libxlsxwriter). */
const char *report_file_temp_path(const struct report_file *rf);
/** Flushes and syncs the report, checks that the temporary name still holds the file that
 *  was created, and renames it over FILE. Returns 0, or -1 with *reason set to a static
 *  message after removing the temporary file. Frees rf in either case. */
int report_file_commit(struct report_file *rf, const char **reason);
/** Removes the temporary file, leaving FILE as it was; frees rf. NULL does nothing. */
void report_file_discard(struct report_file *rf);

/* ------------------------------------------------------------------------------------------ */
/* json.c                                                                                     */

/** Writes s[0..len) as a JSON string, quotes included: '"', '\\' and control characters
 *  escaped, valid UTF-8 passed through, each byte of an invalid sequence written as U+FFFD.
 *  Errors are left in ferror(fp). */
void json_write_string(FILE *fp, const char *s, size_t len);
/** The length of the valid UTF-8 sequence at s[0..n) (n > 0), or 0 when s starts with an
 *  invalid one. Strict as RFC 3629 has it: no overlong forms, no surrogates, nothing above
 *  U+10FFFF. The csv and xlsx reports replace what it refuses as JSON does. */
size_t utf8_valid_len(const unsigned char *s, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* width.c and uri.c: text for the report formats                                            */

/** Columns a code point takes on screen: 0, 1, or 2 for full-width (see width.c);
 *  UINT32_MAX stands for an invalid byte (1). */
unsigned char_width(uint32_t cp);
/** Columns the UTF-8 text s[0..len) takes: a kanji or kana 2, ASCII and ｱ 1. */
size_t text_width(const char *s, size_t len);
/** A path as a URI: a percent-encoded relative reference, or file:///... when absolute
 *  (see uri.c). The caller frees it; NULL when out of memory. */
char *uri_of_path(const char *path);

#endif /* PIISCAN_CLI_H */
