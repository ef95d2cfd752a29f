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
/** A command's --help: its usage and help texts on standard output; the exit status (2 when
 *  they could not be written). */
int print_help(const char *usage, const char *help);
/** A command's usage on standard error after a wrong command line, with where to read more;
 *  returns EXIT_TROUBLE. */
int print_usage_error(const char *usage, const char *command);

/* ------------------------------------------------------------------------------------------ */
/* cmd_scan.c                                                                                 */

int cmd_scan(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* cmd_redact.c                                                                               */

int cmd_redact(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* cmd_people.c                                                                               */

int cmd_people(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* fingerprint.c: key files, the site key and the fingerprints of found values               */

/** Reads a key file that only its owner can read (a regular file, no group or other
 *  permission bits, min_bytes to 1 MiB); `risk` says in the refusal what an open key allows.
 *  On success *out (freed with key_free) and *out_len; else says why and returns -1. */
int key_file_read(const char *path, size_t min_bytes, const char *risk, unsigned char **out,
                  size_t *out_len);
/** Wipes and frees a key read by key_file_read; NULL does nothing. */
void key_free(unsigned char *key, size_t len);

/** The key of the fingerprints. */
struct site_key {
    unsigned char bytes[PIISCAN_FINGERPRINT_KEY_MAX_BYTES];
    size_t len;
};

#define FINGERPRINT_HEX_CHARS (2 * PIISCAN_FINGERPRINT_BYTES)

/** Loads the site key from option_path (--key-file; NULL when not given), else from
 *  $PIISCAN_KEY_FILE, else from ${XDG_CONFIG_HOME:-$HOME/.config}/piiscan/site.key. A
 *  missing key at the last two is made (32 random bytes, 0600, directories 0700), and
 *  standard error says so; one named by --key-file must exist. Refused like redact's key
 *  file when group or others may read it. Says why and returns -1 on failure. */
int site_key_load(const char *option_path, struct site_key *out);
/** Wipes the key from memory. */
void site_key_wipe(struct site_key *k);
/** The fingerprint of a found value under the site key, in lower-case hex (NUL-terminated).
 *  Safe from any thread (the key is only read). PIISCAN_OK, or the error of
 *  piiscan_fingerprint(): PIISCAN_ERR_INVALID for a value that identifies no one (nothing of
 *  it is left in its canonical form), in which case it has no fingerprint. */
int fingerprint_hex(const struct site_key *k, piiscan_type type, const char *text, size_t len,
                    char out[FINGERPRINT_HEX_CHARS + 1]);
/** hex.c: the bytes of a fingerprint written as FINGERPRINT_HEX_CHARS hex digits (either
 *  case), as reports and config files carry it; false when hex is not one. */
bool fingerprint_parse_hex(const char *hex, unsigned char out[PIISCAN_FINGERPRINT_BYTES]);

/* ------------------------------------------------------------------------------------------ */
/* cmd_state.c (the state file itself: state.h; the progress line: progress.h)               */

int cmd_state(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* cmd_hook.c                                                                                 */

int cmd_hook(int argc, char **argv);

/* ------------------------------------------------------------------------------------------ */
/* walk.c, ignore.c: the files to scan, from the paths on the command line                    */

#include "walk.h"

/* ------------------------------------------------------------------------------------------ */
/* option_values.c: values of the options that several commands share                       */

/* The scanner's options, which scan, redact and people take alike. A command adds
 * SCANNER_TYPES_LONG_OPTION (people has no --types) and SCANNER_LONG_OPTIONS to its long
 * options, SCANNER_OPTION_CASES to its getopt_long switch (calling scanner_option_parse), and
 * keeps a zero-initialised struct scanner_option_values. Codes 0x1100 to 0x11ff are theirs
 * (the walk's are 0x1000 to 0x10ff). */
enum {
    SCANNER_OPT_TYPES = 0x1100,
    SCANNER_OPT_MIN_CONFIDENCE,
    SCANNER_OPT_ENCODING,
    SCANNER_OPT_MAX_RECORD_BYTES,
};

/** The --types entry of a struct option array (getopt_long). */
#define SCANNER_TYPES_LONG_OPTION                           \
    {                                                       \
        "types", required_argument, NULL, SCANNER_OPT_TYPES \
    }

/** The entries of --min-confidence, --encoding and --max-record-bytes. */
#define SCANNER_LONG_OPTIONS                                                      \
    {"min-confidence", required_argument, NULL, SCANNER_OPT_MIN_CONFIDENCE},      \
        {"encoding", required_argument, NULL, SCANNER_OPT_ENCODING},              \
    {                                                                             \
        "max-record-bytes", required_argument, NULL, SCANNER_OPT_MAX_RECORD_BYTES \
    }

/** The case labels of the scanner's options in a getopt_long switch:
 *      SCANNER_OPTION_CASES
 *          rc = scanner_option_parse(&values, opt, c, optarg);
 *          break;                                                                          */
#define SCANNER_OPTION_CASES         \
    case SCANNER_OPT_TYPES:          \
    case SCANNER_OPT_MIN_CONFIDENCE: \
    case SCANNER_OPT_ENCODING:       \
    case SCANNER_OPT_MAX_RECORD_BYTES

/** What the scanner's options were given: the values as written (NULL when not given), for
 *  what must tell one sweep's settings from another's (scan --state), and the encoding every
 *  file is read in (PIISCAN_ENCODING_AUTO, the zero, unless --encoding). */
struct scanner_option_values {
    const char *types;
    const char *min_confidence;
    const char *max_record_bytes;
    piiscan_encoding encoding;
};

/** Parses the value `arg` of scanner option `c` (a SCANNER_OPT_*) into opt, or into
 *  v->encoding, and records it in *v. On a bad value it says why on standard error, naming
 *  the option, and returns -1; else 0. */
int scanner_option_parse(struct scanner_option_values *v, piiscan_options *opt, int c,
                         const char *arg);
/** The value of -j/--jobs: 1 to 256; else it says why and returns -1. */
int parse_jobs(const char *arg, unsigned *out);

/* ------------------------------------------------------------------------------------------ */
/* mask.c: values shown without what identifies a person                                     */

/** The masked form of a found value (UTF-8) for display, as a NUL-terminated string that
 *  the caller frees; NULL when out of memory. See piiscan.1 (OUTPUT) for the rules. */
char *mask_value(piiscan_type type, const char *value, size_t len);
/** The masked form of one part of a value split over columns (電話番号2 of 電話番号1-3):
 *  every digit hidden, since the other parts are printed beside it. Freed by the caller. */
char *mask_split_part(const char *value, size_t len);
/** Room a mask of a len-byte value needs, its NUL included: a hidden character grows at most
 *  from 2 bytes to 3 (U+0080-07FF to ＊), and an e-mail adds "***" to one kept character. */
#define MASK_BYTES(len) ((len)*2 + 16)
/** The longest value whose MASK_BYTES does not overflow. */
#define MASK_VALUE_MAX ((SIZE_MAX - 16) / 2)
/** mask_value and mask_split_part into out, which has MASK_BYTES(len) bytes (len at most
 *  MASK_VALUE_MAX), without allocating; return the mask's length (without its NUL). Unless
 *  is_plain is NULL, *is_plain says whether the mask is valid UTF-8 that holds no '"', '\\',
 *  control character or DEL (output_finding.is_masked_plain). */
size_t mask_value_into(piiscan_type type, const char *value, size_t len, char *out, bool *is_plain);
size_t mask_split_part_into(const char *value, size_t len, char *out, bool *is_plain);

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
/** The most bytes json_escape writes for one character (a control character's \u00XX). */
#define JSON_ESCAPE_MAX 6
/** json_write_string's escaping into memory, without the quotes: writes whole characters of
 *  s[0..len) to out while at least JSON_ESCAPE_MAX bytes of room are left, sets *used to the
 *  bytes of s consumed and returns the bytes written. */
size_t json_escape(char *out, size_t room, const char *s, size_t len, size_t *used);
/** The length of the valid UTF-8 sequence (RFC 3629) at s[0..n), n >= 1; 0 when s starts
 *  with an invalid one, which json_write_string writes as U+FFFD. */
size_t utf8_valid_len(const unsigned char *s, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* allow.c: values that are not personal data (the config file's [allow] rules)              */

/** Rules that leave a finding out of the report: a value (compared in canonical form: a phone
 *  number's national digits, an e-mail address in lower case ...), a PCRE2 pattern (matched
 *  against the value as found and against its canonical form) or a fingerprint. Built once
 *  (config.c), then read only: allow_rules_match() may be called from any thread. */
struct allow_rules;

/** Empty rules; NULL when out of memory. */
struct allow_rules *allow_rules_new(void);
void allow_rules_free(struct allow_rules *r);
/** Add a rule. On a bad one (or out of memory) they write the reason into why[0..size), a
 *  fragment without file or line, and return -1; else 0. A pattern applies to the types of
 *  `types` (PIISCAN_TYPE_BIT), or to all of them when types is 0. */
int allow_rules_add_value(struct allow_rules *r, piiscan_type type, const char *value, char *why,
                          size_t size);
int allow_rules_add_pattern(struct allow_rules *r, unsigned types, const char *regex, char *why,
                            size_t size);
int allow_rules_add_fingerprint(struct allow_rules *r, const char *hex, char *why, size_t size);
/** Whether a fingerprint rule is among the rules: the sweep must then compute fingerprints. */
bool allow_rules_have_fingerprints(const struct allow_rules *r);
/** Whether a finding of `type` whose decoded value is value[0..len) (UTF-8) is allowed by a
 *  rule. `fingerprint` is its hex fingerprint, or NULL when none was computed (fingerprint
 *  rules then cannot match). Thread-safe. */
bool allow_rules_match(const struct allow_rules *r, piiscan_type type, const char *value,
                       size_t len, const char *fingerprint);

/* ------------------------------------------------------------------------------------------ */
/* config.c: .piiscan.conf, the settings that travel with the files                          */

#define CONFIG_NAME ".piiscan.conf"

/** The settings of one config file. */
struct config {
    char *path;                /* as given, or as found */
    struct allow_rules *allow; /* [allow]; NULL only in a config_set, for a file found but not
                                * used (see config_set_new) */
};

/** Reads config file `path`. On an error, why[0..size) says "PATH:LINE: reason" (or "PATH:
 *  reason") and -1 is returned; else 0 and *out, freed with config_free(). */
int config_load(const char *path, struct config **out, char *why, size_t size);
void config_free(struct config *c);
/** The config file for command-line path `path`: .piiscan.conf in the directory it names (a
 *  file's own directory; the current directory for "-"), else in the nearest parent that
 *  has one. Returns 1 with *found (malloc'd; the absolute path), 0 when there is none or the
 *  path does not exist, -1 with why. */
int config_find(const char *path, char **found, char *why, size_t size);

/** The configs of one sweep, made before it starts and then read only: one per command-line
 *  path, each file read once. */
struct config_set;

/** With `given` (--config FILE) every path gets that file; else, with is_lookup, each path
 *  gets config_find's; else none. A config file found (not given) that belongs to another
 *  user than the caller or root, or that others may write, is not used, since its rules can
 *  hide findings: warn() gets a message ("PATH: warning: ...") once for it. A file that
 *  cannot be read or parsed is an error: -1 with why. */
int config_set_new(const char *given, bool is_lookup, char *const *paths, size_t npaths,
                   void (*warn)(const char *message), struct config_set **out, char *why,
                   size_t size);
void config_set_free(struct config_set *set);
/** The allow rules of command-line path number i; NULL when it has no config. */
const struct allow_rules *config_set_allow(const struct config_set *set, size_t i);
/** Whether any rule of any config is a fingerprint. */
bool config_set_has_fingerprints(const struct config_set *set);
/** Says which config files the set uses and their versions (path, modification time, size),
 *  for --state: stored results stand only while the rules are the same. -1 when buf is too
 *  small or a file cannot be looked at. */
int config_set_describe(const struct config_set *set, char *buf, size_t size);

/* ------------------------------------------------------------------------------------------ */
/* baseline.c: scan --baseline, the findings of an earlier report                            */

/** The findings of an earlier report (--format json, or JSON Lines), as path, type and
 *  fingerprint with their counts: never values. Loaded once, then read only. */
struct baseline;

/** What a baseline covers in one file being scanned: owned by whoever scans that file (all
 *  its findings come from one thread), so no lock is needed. */
struct baseline_file {
    const struct baseline_entry *v; /* the baseline's entries for the file */
    uint32_t *used;                 /* occurrences of each already matched in this scan */
    size_t n;
};

/** Reads a report. On an error, why[0..size) says what is wrong and how to make a good one
 *  (with PATH:LINE for JSON Lines) and -1 is returned; else 0 and *out. */
int baseline_load(const char *path, struct baseline **out, char *why, size_t size);
void baseline_free(struct baseline *b);
/** Findings in the baseline, all files. */
uint64_t baseline_findings(const struct baseline *b);
/** Starts matching the findings of file `path` (as the walk names it) against the baseline.
 *  -1 when out of memory; else 0. End with baseline_file_end(). */
int baseline_file_begin(const struct baseline *b, const char *path, struct baseline_file *bf);
/** Whether a finding of `type` with hex `fingerprint` (NULL: none computed) is in the
 *  baseline: N occurrences of a path, type and fingerprint there cover the first N here, in
 *  the order they are found; positions are not compared, since rows come and go above. */
bool baseline_covers(struct baseline_file *bf, piiscan_type type, const char *fingerprint);
void baseline_file_end(struct baseline_file *bf);

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
