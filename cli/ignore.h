/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ignore.h - lists of gitignore-style patterns: a .piiscanignore file, or the globs of
 * --exclude and --include. The rules are those of gitignore(5): '#' comments, '!' negation,
 * a trailing '/' for directories only, a leading or inner '/' anchoring the pattern to the
 * list's directory (otherwise the base name is matched at any depth), '*' '?' '[...]' that
 * never match '/', "**" across directories, and '\' escaping. Within a list the last
 * matching pattern decides. Matching is by bytes, but '?' and a bracket expression take a
 * whole UTF-8 character, so "?.csv" matches "顧.csv".
 */
#ifndef PIISCAN_CLI_IGNORE_H
#define PIISCAN_CLI_IGNORE_H

#include <stdbool.h>
#include <stddef.h>

/** An ordered list of patterns from one source. */
struct ignore;

/** One pattern, as written, with where it was written. */
struct ignore_pattern {
    const char *text;   /* the line as written (trailing blanks and CR removed) */
    const char *source; /* the file's path, or "--exclude"; owned by the list */
    unsigned line;      /* 1-based line in the file; 0 for a command-line glob */
    bool is_negated;    /* "!pattern": matched paths are not ignored after all */
};

enum ignore_verdict {
    IGNORE_NONE = 0, /* no pattern matched */
    IGNORE_MATCHED,  /* the last matching pattern is a plain one */
    IGNORE_NEGATED,  /* the last matching pattern is a "!" one */
};

/** A new empty list whose patterns say they come from `source` (copied). Returns 0, or -1
 *  with errno ENOMEM. */
int ignore_new(const char *source, struct ignore **out);
/** Frees a list; NULL does nothing. */
void ignore_free(struct ignore *ig);

/** Adds one pattern (line[0..len), no line end). is_from_file: a line of a .piiscanignore,
 *  where blank lines and '#' comments add nothing, trailing spaces and a CR are dropped and
 *  a leading '!' negates; otherwise a glob of --exclude or --include, taken as it is.
 *  Returns 0, or -1 with errno ENOMEM. */
int ignore_add_line(struct ignore *ig, const char *line, size_t len, unsigned lineno,
                    bool is_from_file);
/** Adds every line of a buffer (LF or CRLF line ends). Returns 0, or -1 with errno ENOMEM. */
int ignore_add_buffer(struct ignore *ig, const char *buf, size_t len);
/** Adds the lines of an open file, read to its end (at most 16 MiB: a bigger one fails with
 *  EFBIG). Returns 0, or -1 with errno set. The descriptor stays open. */
int ignore_add_fd(struct ignore *ig, int fd);

/** The verdict of the list on `path`, relative to the list's directory ("a/b.csv", no
 *  leading "./" or '/'); is_dir says whether it is a directory. *which, when not NULL, gets
 *  the deciding pattern (borrowed from the list), or NULL. */
enum ignore_verdict ignore_match(const struct ignore *ig, const char *path, bool is_dir,
                                 const struct ignore_pattern **which);

/** True when the number of patterns in the list is 0. */
bool ignore_is_empty(const struct ignore *ig);

/** True when `text` matches the gitignore glob `glob` as a whole, with '/' matched only by
 *  '/' and by "**" (wildmatch with pathname semantics). Exposed for the tests. */
bool ignore_glob_match(const char *glob, const char *text);

#endif /* PIISCAN_CLI_IGNORE_H */
