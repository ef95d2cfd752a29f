/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * walk.h - from the paths of the command line (and of --files-from) to the files to scan,
 * and the options that choose them, which scan and redact share. A command holds a
 * struct walk_options (zero-initialised), adds WALK_SHORT_OPTIONS to its getopt string,
 * WALK_LONG_OPTIONS to its long options, WALK_OPTION_CASES to its switch (calling
 * walk_parse_option), WALK_HELP to its --help, then calls walk_paths and walk_options_free.
 */
#ifndef PIISCAN_CLI_WALK_H
#define PIISCAN_CLI_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

struct ignore;

/** What the walk found. A non-zero return from any callback stops the walk, which then
 *  returns that value. Paths and reasons are borrowed until the callback returns. */
struct walk_ops {
    /** A file to scan. is_named: open it following symbolic links (it came from the command
     *  line or a list, where links are followed, or is a link followed under --follow).
     *  Otherwise it came from a directory and must be opened without following a link that
     *  may have replaced it since (O_NOFOLLOW; ELOOP then means "skipped: symbolic link"). */
    int (*file)(void *user, const char *path, bool is_named);
    /** A path that could not be looked at or listed, or that vanished while the walk went;
     *  errnum is an errno value. Never clean: the command reports it and goes on. */
    int (*error)(void *user, const char *path, int errnum);
    /** A path left out on purpose: "symbolic link", "fifo", "ignored by a/.piiscanignore:3
     *  (*.bak)", "larger than --max-filesize (5000000 bytes)" ... Shown with -v. */
    int (*skip)(void *user, const char *path, const char *reason);
    /** Optional: asked before a directory is walked; a non-NULL (static) reason leaves it
     *  out, through skip(). redact -o leaves out its own output directory with it. */
    const char *(*exclude_dir)(void *user, const char *path, const struct stat *sb);
    /** Optional: a problem that no errno value says, such as a list of --files-from that
     *  holds NUL bytes without -0. When NULL, error() is called with EINVAL instead. */
    int (*error_text)(void *user, const char *path, const char *reason);
};

/** The options of the walk. Zero-initialise, fill with walk_parse_option, free with
 *  walk_options_free. Read-only during walk_paths. */
struct walk_options {
    struct ignore *excludes;       /* --exclude GLOB; NULL when none */
    struct ignore *includes;       /* --include GLOB; NULL when none */
    const char *files_from;        /* --files-from FILE ("-": standard input); borrowed */
    uint64_t max_file_bytes;       /* --max-filesize; 0: no limit */
    bool is_null_separated;        /* -0, --null: the list is separated by NUL bytes */
    bool is_following;             /* -L, --follow: follow symbolic links in directories */
    bool is_one_file_system;       /* --one-file-system: stay on each PATH's file system */
    bool is_skipping_ignore_files; /* --no-ignore: read no .piiscanignore */
};

/* Option codes of the walk's long options: 0x1000 to 0x10ff are the walk's. */
enum {
    WALK_OPT_EXCLUDE = 0x1000,
    WALK_OPT_INCLUDE,
    WALK_OPT_NO_IGNORE,
    WALK_OPT_FILES_FROM,
    WALK_OPT_ONE_FILE_SYSTEM,
    WALK_OPT_MAX_FILESIZE,
};

/** Short options for the getopt string: -0 (--null), -L (--follow). */
#define WALK_SHORT_OPTIONS "0L"

/** Entries of a struct option array (getopt_long), before its terminating zero entry. */
#define WALK_LONG_OPTIONS                                                     \
    {"exclude", required_argument, NULL, WALK_OPT_EXCLUDE},                   \
        {"include", required_argument, NULL, WALK_OPT_INCLUDE},               \
        {"no-ignore", no_argument, NULL, WALK_OPT_NO_IGNORE},                 \
        {"files-from", required_argument, NULL, WALK_OPT_FILES_FROM},         \
        {"null", no_argument, NULL, '0'}, {"follow", no_argument, NULL, 'L'}, \
        {"one-file-system", no_argument, NULL, WALK_OPT_ONE_FILE_SYSTEM},     \
    {                                                                         \
        "max-filesize", required_argument, NULL, WALK_OPT_MAX_FILESIZE        \
    }

/** The case labels of the walk's options in a getopt_long switch:
 *      WALK_OPTION_CASES
 *          rc = walk_parse_option(&wo, c, optarg);
 *          break;                                                                          */
#define WALK_OPTION_CASES          \
    case '0':                      \
    case 'L':                      \
    case WALK_OPT_EXCLUDE:         \
    case WALK_OPT_INCLUDE:         \
    case WALK_OPT_NO_IGNORE:       \
    case WALK_OPT_FILES_FROM:      \
    case WALK_OPT_ONE_FILE_SYSTEM: \
    case WALK_OPT_MAX_FILESIZE

/** The --help lines of the walk's options (a string literal, ending in a newline). */
#define WALK_HELP                                                                    \
    "Which files (see FILE SELECTION in piiscan(1)):\n"                              \
    "      --exclude=GLOB        leave out the files and directories that match\n"   \
    "                            GLOB; repeatable\n"                                 \
    "      --include=GLOB        scan only the files that match GLOB, or are in a\n" \
    "                            directory that does; repeatable; --exclude wins.\n" \
    "                            A GLOB has gitignore syntax (* ? [..] **); it\n"    \
    "                            matches the path below the PATH walked, or the\n"   \
    "                            base name when it holds no '/'\n"                   \
    "      --no-ignore           read no .piiscanignore files (gitignore syntax,\n"  \
    "                            each applying to its directory and below)\n"        \
    "      --files-from=FILE     also scan the paths listed in FILE, one per line\n" \
    "                            ('-': standard input), as if they were PATHs\n"     \
    "  -0, --null                names in the list end with a NUL byte (find\n"      \
    "                            -print0, git diff --name-only -z)\n"                \
    "  -L, --follow              follow symbolic links inside directories; a link\n" \
    "                            back to a directory being walked is skipped\n"      \
    "      --one-file-system     do not walk into other file systems (mounts)\n"     \
    "      --max-filesize=SIZE   skip files bigger than SIZE bytes; K, M and G\n"    \
    "                            suffixes\n"

/** Applies one walk option (c is its getopt code, arg its value). On a bad value it says why
 *  on standard error, naming the option, and returns -1; else 0 (-1 with a message when
 *  out of memory too). */
int walk_parse_option(struct walk_options *wo, int c, const char *arg);

/** Frees what walk_parse_option allocated; the struct may then be reused after zeroing. */
void walk_options_free(struct walk_options *wo);

/** Walks each of paths[0..npaths), then each path of wo->files_from. A file is passed on,
 *  a directory walked recursively with its entries in byte order of their names; see
 *  piiscan(1), FILE SELECTION, for what is left out and why. "-" names standard input
 *  (on the command line only). Returns 0, or the first non-zero value a callback returned
 *  (-1 with errno ENOMEM when out of memory). Not thread-safe; the callbacks run on the
 *  caller's thread. */
int walk_paths(const struct walk_options *wo, const struct walk_ops *ops, void *user,
               char *const *paths, size_t npaths);
/** The two halves of walk_paths, for a caller that must know which PATH a file came from:
 *  the paths alone (a "-" among them still conflicts with --files-from -), and the list. */
int walk_roots(const struct walk_options *wo, const struct walk_ops *ops, void *user,
               char *const *paths, size_t npaths);
int walk_files_from(const struct walk_options *wo, const struct walk_ops *ops, void *user);

/** True for the names of piiscan's temporary files, ".NAME.piiscan-XXXXXX.tmp" (X a letter
 *  or digit): the walk leaves them out, and redact removes those a killed run left. */
bool walk_is_temp_name(const char *name);

/** Parses a size with an optional binary suffix (65536, 64K, 4M, 1G) into *out. Returns 0,
 *  or -1 when arg is no size. */
int walk_parse_size(const char *arg, uint64_t *out);

#endif /* PIISCAN_CLI_WALK_H */
