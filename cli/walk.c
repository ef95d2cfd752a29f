/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * walk.c - from the paths on the command line and in --files-from lists to the files to
 * scan. Directories are walked depth first with their entries sorted by the bytes of their
 * names (strcmp, as LC_ALL=C sorts), so two runs over the same tree report in the same
 * order. A path named on the command line or in a list is followed if it is a symbolic link,
 * as grep -r does; links met inside a directory are followed only with --follow, and a
 * directory that is already being walked (same device and inode) is never entered again, so
 * a link cycle cannot loop. Fifos, sockets and devices inside directories are skipped:
 * reading one could block or never end. Nothing is chosen by its name's extension: the
 * library decides what a file holds from its content.
 * Hidden files are scanned like any other: personal data hides there too, but for piiscan's
 * own temporary files, which a killed redact may leave: a partial redacted copy, or a second
 * link to a file that is scanned under its own name.
 *
 * What is left out is decided on a "logical" path: for a PATH below the current directory,
 * its path from there ("a/b/c.csv", without "./"), so that the .piiscanignore files of the
 * current directory and of the directories on the way down apply to it as if "." had been
 * walked; for another PATH, its path from itself. Each .piiscanignore matches the part of
 * the logical path below its own directory; --exclude and --include match the part below
 * the PATH walked (for a file named as PATH, its path as named, or its base name outside
 * the current directory).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ignore.h"

#define IGNORE_FILE_NAME ".piiscanignore"

/* A .piiscanignore in force, where its directory's part of the logical path ends, and for
 * those on the way down to a named PATH, the number of components of that directory. */
struct frame {
    struct ignore *ig;
    size_t base_len;
    size_t depth;
};

/* A directory being walked, for loop detection. */
struct dir_id {
    dev_t dev;
    ino_t ino;
};

struct walk {
    const struct walk_options *wo;
    const struct walk_ops *ops;
    void *user;
    struct frame *frames;
    size_t nframes;
    size_t frames_cap;
    struct dir_id *dirs;
    size_t ndirs;
    size_t dirs_cap;
    dev_t root_dev;
    char *logical; /* see the comment at the top; always NUL-terminated */
    size_t logical_len;
    size_t logical_cap;
    size_t root_off; /* where the part below the PATH walked begins in logical */
    /* The directories on the way down to the last named PATH whose .piiscanignore files are
     * in force (frames with a depth): the next PATH in the same place reuses them, so that a
     * list of many files in few directories reads each ignore file once. */
    char *chain; /* their deepest, as a logical path */
    size_t chain_depth;
    bool has_chain;
    char reason[1024];
};

static const char *special_kind(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "fifo";
    if (S_ISSOCK(mode))
        return "socket";
    if (S_ISCHR(mode))
        return "character device";
    if (S_ISBLK(mode))
        return "block device";
    return "special file";
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* The names in the open directory fd, sorted; "." and ".." left out. fd is consumed. */
static int list_dir(int fd, char ***out, size_t *count, bool *has_ignore_file)
{
    DIR *dir = fdopendir(fd);
    if (dir == NULL) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    size_t cap = 0;
    int saved = 0;
    *has_ignore_file = false;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(dir);
        if (de == NULL) {
            saved = errno;
            break;
        }
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (strcmp(de->d_name, IGNORE_FILE_NAME) == 0)
            *has_ignore_file = true;
        if (n == cap) {
            size_t grown = cap == 0 ? 32 : cap * 2;
            char **bigger = realloc(names, grown * sizeof *bigger);
            if (bigger == NULL) {
                saved = ENOMEM;
                break;
            }
            names = bigger;
            cap = grown;
        }
        names[n] = strdup(de->d_name);
        if (names[n] == NULL) {
            saved = ENOMEM;
            break;
        }
        n++;
    }
    closedir(dir);
    if (saved != 0) {
        free_names(names, n);
        errno = saved;
        return -1;
    }
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *out = names;
    *count = n;
    return 0;
}

static char *join_path(const char *dir, const char *name)
{
    size_t dlen = strlen(dir);
    size_t nlen = strlen(name);
    bool has_slash = dlen > 0 && dir[dlen - 1] == '/';
    char *path = malloc(dlen + !has_slash + nlen + 1);
    if (path == NULL)
        return NULL;
    memcpy(path, dir, dlen);
    if (!has_slash)
        path[dlen++] = '/';
    memcpy(path + dlen, name, nlen + 1);
    return path;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

static int report_text(struct walk *w, const char *path, const char *reason)
{
    if (w->ops->error_text != NULL)
        return w->ops->error_text(w->user, path, reason);
    return w->ops->error(w->user, path, EINVAL);
}

/* ------------------------------------------------------------------------------------------ */
/* The logical path and the rules                                                             */

/* Appends "/name" (or "name" to an empty path); returns the length to restore, or
 * (size_t)-1 when out of memory. */
static size_t logical_push(struct walk *w, const char *name)
{
    size_t mark = w->logical_len;
    size_t nlen = strlen(name);
    size_t need = w->logical_len + 1 + nlen + 1;
    if (need > w->logical_cap) {
        size_t grown = w->logical_cap == 0 ? 256 : w->logical_cap;
        while (grown < need)
            grown *= 2;
        char *bigger = realloc(w->logical, grown);
        if (bigger == NULL) {
            errno = ENOMEM;
            return (size_t)-1;
        }
        w->logical = bigger;
        w->logical_cap = grown;
    }
    if (w->logical_len > 0)
        w->logical[w->logical_len++] = '/';
    memcpy(w->logical + w->logical_len, name, nlen + 1);
    w->logical_len += nlen;
    return mark;
}

static void logical_pop(struct walk *w, size_t mark)
{
    w->logical_len = mark;
    if (w->logical != NULL)
        w->logical[mark] = '\0';
}

static void pop_frames(struct walk *w, size_t keep)
{
    while (w->nframes > keep)
        ignore_free(w->frames[--w->nframes].ig);
}

/* Forgets the ignore files of the way down to the last named PATH. */
static void drop_chain(struct walk *w)
{
    pop_frames(w, 0);
    free(w->chain);
    w->chain = NULL;
    w->has_chain = false;
}

/* Whether the current logical path is left out by the .piiscanignore files in force or by
 * --exclude and --include; when it is, w->reason says why. is_globbed: the globs apply
 * (not to the PATH walked itself). *is_included, when not NULL, gets whether it matched
 * an --include glob. */
static bool is_left_out(struct walk *w, bool is_dir, bool is_globbed, bool is_under_include,
                        bool *is_included)
{
    const struct ignore_pattern *pat = NULL;
    if (is_included != NULL)
        *is_included = false;
    for (size_t i = w->nframes; i-- > 0;) {
        size_t base = w->frames[i].base_len;
        if (base > w->logical_len)
            continue;
        enum ignore_verdict v = ignore_match(w->frames[i].ig, w->logical + base, is_dir, &pat);
        if (v == IGNORE_NEGATED)
            break; /* the deepest file that has a say decides */
        if (v == IGNORE_MATCHED) {
            snprintf(w->reason, sizeof w->reason, "ignored by %s:%u (%s)", pat->source, pat->line,
                     pat->text);
            return true;
        }
    }
    if (!is_globbed)
        return false;
    const char *rel = w->logical + (w->root_off <= w->logical_len ? w->root_off : w->logical_len);
    if (ignore_match(w->wo->excludes, rel, is_dir, &pat) == IGNORE_MATCHED) {
        snprintf(w->reason, sizeof w->reason, "excluded by --exclude '%s'", pat->text);
        return true;
    }
    if (ignore_is_empty(w->wo->includes))
        return false;
    bool is_match = ignore_match(w->wo->includes, rel, is_dir, NULL) == IGNORE_MATCHED;
    if (is_included != NULL)
        *is_included = is_match;
    if (is_dir || is_match || is_under_include)
        return false;
    snprintf(w->reason, sizeof w->reason, "not matched by --include");
    return true;
}

/* Reads a .piiscanignore (name, relative to dirfd; path is what messages show) and puts it
 * in force for the logical paths below base_len. is_listed: its directory listed it, so
 * its absence means it vanished; otherwise (a directory on the way down to a named PATH)
 * it is looked for and may well not be there. Returns 0 or a callback's non-zero value; a
 * file that cannot be read is reported and the walk goes on without it. */
static int push_ignore_file(struct walk *w, int dirfd, const char *name, const char *path,
                            size_t base_len, size_t depth, bool is_listed)
{
    /* O_NONBLOCK: a fifo of that name must not stall the walk; it is refused below. */
    int fd = openat(dirfd, name, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && !is_listed)
        return 0;
    if (fd < 0 && errno == ELOOP)
        return w->ops->skip(w->user, path, "symbolic link, not read for patterns");
    if (fd < 0)
        return w->ops->error(w->user, path, errno);
    int rc = 0;
    struct ignore *ig = NULL;
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        rc = w->ops->error(w->user, path, errno);
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        rc = w->ops->skip(w->user, path, "not a regular file, not read for patterns");
        goto done;
    }
    if (w->nframes == w->frames_cap) {
        size_t grown = w->frames_cap == 0 ? 8 : w->frames_cap * 2;
        struct frame *bigger = realloc(w->frames, grown * sizeof *bigger);
        if (bigger == NULL) {
            errno = ENOMEM;
            rc = -1;
            goto done;
        }
        w->frames = bigger;
        w->frames_cap = grown;
    }
    if (ignore_new(path, &ig) < 0) {
        rc = -1;
        goto done;
    }
    if (ignore_add_fd(ig, fd) < 0) {
        rc = errno == ENOMEM ? -1 : w->ops->error(w->user, path, errno);
        goto done;
    }
    w->frames[w->nframes++] = (struct frame){.ig = ig, .base_len = base_len, .depth = depth};
    ig = NULL;
done:
    ignore_free(ig);
    close(fd);
    return rc;
}

static int too_big(struct walk *w, const char *path, const struct stat *sb)
{
    snprintf(w->reason, sizeof w->reason, "larger than --max-filesize (%" PRIu64 " bytes)",
             (uint64_t)sb->st_size);
    return w->ops->skip(w->user, path, w->reason);
}

static bool is_too_big(const struct walk *w, const struct stat *sb)
{
    return w->wo->max_file_bytes > 0 && S_ISREG(sb->st_mode) &&
           (uint64_t)sb->st_size > w->wo->max_file_bytes;
}

/* ------------------------------------------------------------------------------------------ */
/* Directories                                                                                */

static int walk_dir(struct walk *w, const char *path, bool may_follow, bool is_under_include);

/* One entry met in a directory: sb is its lstat, or its target's stat when is_followed. */
static int visit(struct walk *w, const char *path, const char *name, const struct stat *sb,
                 bool is_followed, bool is_under_include)
{
    const struct walk_ops *ops = w->ops;
    if (S_ISLNK(sb->st_mode))
        return ops->skip(w->user, path, "symbolic link");
    if (w->wo->is_one_file_system && sb->st_dev != w->root_dev)
        return ops->skip(w->user, path, "on another file system");
    if (S_ISDIR(sb->st_mode)) {
        const char *excluded = NULL;
        if (ops->exclude_dir != NULL && (excluded = ops->exclude_dir(w->user, path, sb)) != NULL)
            return ops->skip(w->user, path, excluded);
        bool is_included = false;
        if (is_left_out(w, true, true, is_under_include, &is_included))
            return ops->skip(w->user, path, w->reason);
        return walk_dir(w, path, is_followed, is_under_include || is_included);
    }
    if (!S_ISREG(sb->st_mode))
        return ops->skip(w->user, path, special_kind(sb->st_mode));
    if (walk_is_temp_name(name))
        return ops->skip(w->user, path, "piiscan temporary file");
    if (is_left_out(w, false, true, is_under_include, NULL))
        return ops->skip(w->user, path, w->reason);
    if (is_too_big(w, sb))
        return too_big(w, path, sb);
    return ops->file(w->user, path, is_followed);
}

/* Looks at one name of a directory: lstat, or stat through a link under --follow. */
static int visit_name(struct walk *w, const char *path, const char *name, bool is_under_include)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return w->ops->error(w->user, path, errno); /* e.g. removed since it was listed */
    bool is_followed = false;
    if (S_ISLNK(sb.st_mode) && w->wo->is_following) {
        if (stat(path, &sb) < 0) {
            if (errno == ENOENT)
                return w->ops->skip(w->user, path, "broken symbolic link");
            if (errno == ELOOP)
                return w->ops->skip(w->user, path, "symbolic link loop");
            return w->ops->error(w->user, path, errno);
        }
        is_followed = true;
    }
    return visit(w, path, name, &sb, is_followed, is_under_include);
}

/* Walks a directory. may_follow: path may be a symbolic link (a named PATH, or --follow);
 * a directory met in the walk is opened with O_NOFOLLOW, since it may have been replaced by
 * a link since lstat. The directory is closed before the walk descends, so the depth of a
 * tree costs no file descriptors. */
static int walk_dir(struct walk *w, const char *path, bool may_follow, bool is_under_include)
{
    int flags = O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC | (may_follow ? 0 : O_NOFOLLOW);
    int fd = open(path, flags);
    if (fd < 0 && errno == ELOOP && !may_follow)
        return w->ops->skip(w->user, path, "symbolic link");
    if (fd < 0)
        return w->ops->error(w->user, path, errno);
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        int saved = errno;
        close(fd);
        return w->ops->error(w->user, path, saved);
    }
    for (size_t i = 0; i < w->ndirs; i++) {
        if (w->dirs[i].dev == sb.st_dev && w->dirs[i].ino == sb.st_ino) {
            close(fd);
            return w->ops->skip(w->user, path, "directory loop: already being walked");
        }
    }
    if (w->ndirs == w->dirs_cap) {
        size_t grown = w->dirs_cap == 0 ? 16 : w->dirs_cap * 2;
        struct dir_id *bigger = realloc(w->dirs, grown * sizeof *bigger);
        if (bigger == NULL) {
            close(fd);
            errno = ENOMEM;
            return -1;
        }
        w->dirs = bigger;
        w->dirs_cap = grown;
    }
    int dupfd = dup(fd); /* the ignore file is opened relative to the directory listed */
    int dup_errno = dupfd < 0 ? errno : 0;
    char **names = NULL;
    size_t n = 0;
    bool has_ignore_file = false;
    if (list_dir(fd, &names, &n, &has_ignore_file) < 0) {
        int saved = errno;
        if (dupfd >= 0)
            close(dupfd);
        if (saved == ENOMEM) {
            errno = ENOMEM;
            return -1;
        }
        return w->ops->error(w->user, path, saved);
    }
    w->dirs[w->ndirs++] = (struct dir_id){.dev = sb.st_dev, .ino = sb.st_ino};
    size_t frames_before = w->nframes;
    int rc = 0;
    if (has_ignore_file && !w->wo->is_skipping_ignore_files) {
        char *ignore_path = join_path(path, IGNORE_FILE_NAME);
        if (ignore_path == NULL) {
            errno = ENOMEM;
            rc = -1;
        } else if (dupfd < 0) {
            rc = w->ops->error(w->user, ignore_path, dup_errno);
        } else {
            /* Its patterns match below this directory: "x" for PATH/x, or x itself for ".". */
            size_t base = w->logical_len + (w->logical_len > 0);
            rc = push_ignore_file(w, dupfd, IGNORE_FILE_NAME, ignore_path, base, SIZE_MAX, true);
        }
        free(ignore_path);
    }
    if (dupfd >= 0)
        close(dupfd);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *child = join_path(path, names[i]);
        size_t mark = child != NULL ? logical_push(w, names[i]) : (size_t)-1;
        if (child == NULL || mark == (size_t)-1) {
            free(child);
            errno = ENOMEM;
            rc = -1;
            break;
        }
        rc = visit_name(w, child, names[i], is_under_include);
        logical_pop(w, mark);
        free(child);
    }
    pop_frames(w, frames_before);
    w->ndirs--;
    free_names(names, n);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* PATHs                                                                                      */

/* Puts in w->logical the path from the current directory of a PATH, without "." and empty
 * components. Returns 1, 0 when the PATH is absolute or climbs with "..", -1 when out of
 * memory. */
static int set_logical(struct walk *w, const char *path)
{
    logical_pop(w, 0);
    if (path[0] == '/')
        return 0;
    char comp[NAME_MAX + 1];
    for (const char *s = path; *s != '\0';) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.') {
            logical_pop(w, 0);
            return 0;
        }
        if (n >= sizeof comp) {
            logical_pop(w, 0);
            return 0; /* no such name; stat has said so already */
        }
        if (n > 0 && !(n == 1 && s[0] == '.')) {
            memcpy(comp, s, n);
            comp[n] = '\0';
            if (logical_push(w, comp) == (size_t)-1)
                return -1;
        }
        s += n;
        while (*s == '/')
            s++;
    }
    return 1;
}

/* How many leading components a and b have in common (a component is a whole name). */
static size_t common_depth(const char *a, const char *b)
{
    size_t depth = 0;
    for (;;) {
        size_t na = strcspn(a, "/");
        size_t nb = strcspn(b, "/");
        if (na == 0 || na != nb || memcmp(a, b, na) != 0)
            return depth;
        depth++;
        if (a[na] == '\0' || b[nb] == '\0')
            return depth;
        a += na + 1;
        b += nb + 1;
    }
}

/* For a PATH below the current directory (its logical path set): puts in force the
 * .piiscanignore files of the current directory and of each directory on the way down, and
 * checks each of those directories, then the PATH itself, as the walk of "." would have.
 * *is_out tells whether it is left out (w->reason says why); *is_under_include whether a
 * directory on the way matched --include. Returns 0 or a callback's non-zero value. */
static int enter_parents(struct walk *w, bool is_dir, bool *is_out, bool *is_under_include)
{
    *is_out = false;
    *is_under_include = false;
    if (w->logical_len == 0) {
        drop_chain(w); /* "." itself: its own file is read as it is walked */
        return 0;
    }
    char *full = strdup(w->logical);
    if (full == NULL) {
        errno = ENOMEM;
        return -1;
    }
    bool is_reading = !w->wo->is_skipping_ignore_files;
    bool is_globbed = !is_dir; /* a named directory is the root of its globs */
    int rc = 0;
    /* What the last PATH loaded on the way down is kept as far as the two ways agree. */
    size_t kept = 0;
    if (w->has_chain) {
        char *slash = strrchr(full, '/');
        if (slash != NULL && w->chain != NULL) {
            *slash = '\0';
            kept = common_depth(full, w->chain);
            *slash = '/';
        }
        if (kept > w->chain_depth)
            kept = w->chain_depth;
        size_t keep = w->nframes;
        while (keep > 0 && w->frames[keep - 1].depth > kept)
            keep--;
        pop_frames(w, keep);
    } else if (is_reading) {
        rc = push_ignore_file(w, AT_FDCWD, IGNORE_FILE_NAME, IGNORE_FILE_NAME, 0, 0, false);
    }
    w->has_chain = true;
    free(w->chain);
    w->chain = NULL;
    w->chain_depth = 0;
    logical_pop(w, 0);
    size_t depth = 0;
    for (char *s = full; rc == 0;) {
        char *slash = strchr(s, '/');
        if (slash != NULL)
            *slash = '\0';
        if (logical_push(w, s) == (size_t)-1) {
            rc = -1;
            break;
        }
        if (slash == NULL)
            break; /* the PATH itself */
        depth++;
        bool is_included = false;
        if (is_left_out(w, true, is_globbed, *is_under_include, &is_included)) {
            char why[sizeof w->reason];
            memcpy(why, w->reason, sizeof why);
            /* Bounded so that the whole fits in w->reason (1024 bytes). */
            snprintf(w->reason, sizeof w->reason, "under %.400s, which is %.600s", w->logical, why);
            *is_out = true;
            break;
        }
        *is_under_include = *is_under_include || is_included;
        if (is_reading && depth > kept) {
            size_t len = w->logical_len;
            if (logical_push(w, IGNORE_FILE_NAME) == (size_t)-1) {
                rc = -1;
                break;
            }
            rc = push_ignore_file(w, AT_FDCWD, w->logical, w->logical, len + 1, depth, false);
            logical_pop(w, len);
        }
        free(w->chain);
        w->chain = strdup(w->logical);
        if (w->chain == NULL) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        w->chain_depth = depth;
        s = slash + 1;
    }
    free(full);
    if (rc == 0 && !*is_out)
        *is_out = is_left_out(w, is_dir, is_globbed, *is_under_include, NULL);
    return rc;
}

/* One PATH of the command line (is_listed false) or of a list. */
static int walk_root(struct walk *w, const char *path, bool is_listed)
{
    const struct walk_ops *ops = w->ops;
    if (strcmp(path, "-") == 0 && !is_listed) {
        if (w->wo->files_from != NULL && strcmp(w->wo->files_from, "-") == 0)
            return report_text(w, path,
                               "standard input is read as the list of --files-from; it cannot "
                               "be scanned as well");
        return ops->file(w->user, path, true);
    }
    struct stat sb;
    if (stat(path, &sb) < 0)
        return ops->error(w->user, path, errno);
    bool is_dir = S_ISDIR(sb.st_mode);
    w->root_dev = sb.st_dev;
    w->ndirs = 0;
    int below = set_logical(w, path);
    if (below < 0)
        return -1;
    int rc = 0;
    bool is_out = false;
    bool is_under_include = false;
    w->root_off = 0; /* a named file's globs see its whole path; a directory's, below it */
    if (below)
        rc = enter_parents(w, is_dir, &is_out, &is_under_include);
    else
        drop_chain(w); /* the ignore files of the current directory do not apply */
    if (rc == 0 && !below && !is_dir) {
        /* Outside the current directory a named file's globs see its base name. */
        const char *slash = strrchr(path, '/');
        if (logical_push(w, slash != NULL ? slash + 1 : path) == (size_t)-1)
            rc = -1;
        else
            is_out = is_left_out(w, false, true, false, NULL);
    }
    w->root_off = is_dir ? w->logical_len + (w->logical_len > 0) : 0;
    const char *excluded = NULL;
    if (rc != 0) {
        /* a callback stopped the walk, or memory ran out */
    } else if (is_out) {
        rc = ops->skip(w->user, path, w->reason);
    } else if (is_dir && ops->exclude_dir != NULL &&
               (excluded = ops->exclude_dir(w->user, path, &sb)) != NULL) {
        rc = ops->skip(w->user, path, excluded);
    } else if (is_dir) {
        rc = walk_dir(w, path, true, false);
    } else if (is_too_big(w, &sb)) {
        rc = too_big(w, path, &sb);
    } else if (S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode)) {
        /* A pipe named on the command line is what `piiscan scan <(zcat x.csv.gz)` gives. */
        rc = ops->file(w->user, path, true);
    } else {
        rc = ops->skip(w->user, path, special_kind(sb.st_mode));
    }
    logical_pop(w, 0);
    return rc;
}

/* The PATHs of --files-from, one per line or per NUL-terminated name, each walked as a
 * PATH of the command line. Relative paths are taken from the current directory. */
static int walk_list(struct walk *w)
{
    const struct walk_options *wo = w->wo;
    bool is_stdin = strcmp(wo->files_from, "-") == 0;
    const char *shown = is_stdin ? "(standard input)" : wo->files_from;
    FILE *fp = is_stdin ? stdin : fopen(wo->files_from, "re");
    if (fp == NULL)
        return w->ops->error(w->user, shown, errno);
    int sep = wo->is_null_separated ? '\0' : '\n';
    char *line = NULL;
    size_t cap = 0;
    bool has_sep = false;
    int rc = 0;
    for (;;) {
        errno = 0;
        ssize_t n = getdelim(&line, &cap, sep, fp);
        if (n < 0) {
            if (ferror(fp))
                rc = w->ops->error(w->user, shown, errno != 0 ? errno : EIO);
            else if (errno == ENOMEM)
                rc = -1;
            break;
        }
        bool is_ended = n > 0 && line[n - 1] == (char)sep;
        if (is_ended) {
            line[--n] = '\0';
            has_sep = true;
        }
        if (n == 0)
            continue;
        if (!wo->is_null_separated && memchr(line, '\0', (size_t)n) != NULL) {
            rc = report_text(w, shown,
                             "the list holds NUL bytes: a list made by find -print0 or git "
                             "-z needs -0 (--null)");
            break;
        }
        if (wo->is_null_separated && !has_sep && memchr(line, '\n', (size_t)n) != NULL) {
            rc = report_text(w, shown,
                             "the list has lines but no NUL byte: with -0 (--null) it would "
                             "be one name; drop -0 for a list of lines");
            break;
        }
        /* A list names files: "-" there is a file of that name, not standard input. */
        rc = walk_root(w, strcmp(line, "-") == 0 ? "./-" : line, true);
        if (rc != 0)
            break;
    }
    free(line);
    if (!is_stdin)
        fclose(fp);
    return rc;
}

/* Walks paths[0..npaths), then the list when is_listing. */
static int walk_some(const struct walk_options *wo, const struct walk_ops *ops, void *user,
                     char *const *paths, size_t npaths, bool is_listing)
{
    struct walk w = {.wo = wo, .ops = ops, .user = user};
    int rc = 0;
    for (size_t i = 0; i < npaths && rc == 0; i++)
        rc = walk_root(&w, paths[i], false);
    if (rc == 0 && is_listing && wo->files_from != NULL)
        rc = walk_list(&w);
    int saved = errno;
    drop_chain(&w);
    free(w.frames);
    free(w.dirs);
    free(w.logical);
    errno = saved;
    return rc;
}

int walk_paths(const struct walk_options *wo, const struct walk_ops *ops, void *user,
               char *const *paths, size_t npaths)
{
    return walk_some(wo, ops, user, paths, npaths, true);
}

int walk_roots(const struct walk_options *wo, const struct walk_ops *ops, void *user,
               char *const *paths, size_t npaths)
{
    return walk_some(wo, ops, user, paths, npaths, false);
}

int walk_files_from(const struct walk_options *wo, const struct walk_ops *ops, void *user)
{
    return walk_some(wo, ops, user, NULL, 0, true);
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                    */

int walk_parse_size(const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(arg, &end, 10);
    unsigned shift = 0;
    bool is_valid = end != arg && errno == 0 && arg[0] >= '0' && arg[0] <= '9';
    if (is_valid && *end != '\0') {
        switch (*end) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            is_valid = false;
            break;
        }
        is_valid = is_valid && end[1] == '\0';
    }
    if (!is_valid || n > (UINT64_MAX >> shift))
        return -1;
    *out = (uint64_t)n << shift;
    return 0;
}

static int add_glob(struct ignore **list, const char *option, const char *arg)
{
    if (arg[0] == '\0') {
        cli_message(NULL, "%s: empty GLOB", option);
        return -1;
    }
    if (arg[0] == '!') {
        cli_message(NULL,
                    "%s: '%s': a GLOB cannot start with '!' (negation is for .piiscanignore "
                    "files; write \\! for a name that starts with '!')",
                    option, arg);
        return -1;
    }
    if (*list == NULL && ignore_new(option, list) < 0) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return -1;
    }
    if (ignore_add_line(*list, arg, strlen(arg), 0, false) < 0) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return -1;
    }
    return 0;
}

int walk_parse_option(struct walk_options *wo, int c, const char *arg)
{
    switch (c) {
    case '0':
        wo->is_null_separated = true;
        return 0;
    case 'L':
        wo->is_following = true;
        return 0;
    case WALK_OPT_EXCLUDE:
        return add_glob(&wo->excludes, "--exclude", arg);
    case WALK_OPT_INCLUDE:
        return add_glob(&wo->includes, "--include", arg);
    case WALK_OPT_NO_IGNORE:
        wo->is_skipping_ignore_files = true;
        return 0;
    case WALK_OPT_FILES_FROM:
        if (wo->files_from != NULL) {
            cli_message(NULL, "--files-from: given twice; put the paths in one list");
            return -1;
        }
        wo->files_from = arg;
        return 0;
    case WALK_OPT_ONE_FILE_SYSTEM:
        wo->is_one_file_system = true;
        return 0;
    case WALK_OPT_MAX_FILESIZE:
        if (walk_parse_size(arg, &wo->max_file_bytes) < 0 || wo->max_file_bytes == 0) {
            cli_message(NULL,
                        "--max-filesize: '%s' is not a size in bytes (at least 1; K, M "
                        "and G suffixes)",
                        arg);
            return -1;
        }
        return 0;
    default:
        cli_message(NULL, "unknown walk option %d", c);
        return -1;
    }
}

void walk_options_free(struct walk_options *wo)
{
    ignore_free(wo->excludes);
    ignore_free(wo->includes);
    wo->excludes = NULL;
    wo->includes = NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* piiscan's temporary files                                                                  */

/* ".piiscan-" 6 letters or digits ".tmp", after a dot and at least one character. */
#define TEMP_SUFFIX_CHARS 19

bool walk_is_temp_name(const char *name)
{
    size_t n = strlen(name);
    if (n < 2 + TEMP_SUFFIX_CHARS || name[0] != '.')
        return false;
    const char *s = name + n - TEMP_SUFFIX_CHARS;
    if (memcmp(s, ".piiscan-", 9) != 0 || memcmp(s + 15, ".tmp", 4) != 0)
        return false;
    for (size_t i = 9; i < 15; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}
