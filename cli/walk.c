/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * walk.c - from the paths on the command line to the files to scan. Directories are walked
 * depth first with their entries sorted by the bytes of their names (strcmp, as LC_ALL=C
 * sorts), so two runs over the same tree report in the same order. A path named on the
 * command line is followed if it is a symbolic link, as grep -r does; links met inside a
 * directory are not, which also keeps a link cycle from looping. Fifos, sockets and devices
 * inside directories are skipped: reading one could block or never end.
 * Hidden files are scanned like any other: personal data hides there too, but for piiscan's
 * own temporary files, which a killed redact may leave: a partial redacted copy, or a second
 * link to a file that is scanned under its own name.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

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

/* The names in a directory, sorted; "." and ".." left out. The directory is closed before
 * the walk descends, so the depth of a tree costs no file descriptors. A directory met in
 * the walk is opened with O_NOFOLLOW: it may have been replaced by a link since lstat. */
static int list_dir(const char *path, bool is_named, char ***out, size_t *count)
{
    int flags = O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC | (is_named ? 0 : O_NOFOLLOW);
    int fd = open(path, flags);
    if (fd < 0)
        return -1;
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
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(dir);
        if (de == NULL) {
            saved = errno;
            break;
        }
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
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

static int walk_dir(const struct walk_ops *ops, void *user, const char *path, bool is_named)
{
    char **names = NULL;
    size_t n = 0;
    if (list_dir(path, is_named, &names, &n) < 0) {
        if (errno == ENOMEM)
            return -1;
        if (errno == ELOOP && !is_named)
            return ops->skip(user, path, "symbolic link");
        return ops->error(user, path, errno);
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char *child = join_path(path, names[i]);
        if (child == NULL) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        struct stat sb;
        const char *excluded = NULL;
        if (lstat(child, &sb) < 0)
            rc = ops->error(user, child, errno);
        else if (S_ISDIR(sb.st_mode) && ops->exclude_dir != NULL &&
                 (excluded = ops->exclude_dir(user, child, &sb)) != NULL)
            rc = ops->skip(user, child, excluded);
        else if (S_ISDIR(sb.st_mode))
            rc = walk_dir(ops, user, child, false);
        else if (S_ISREG(sb.st_mode) && walk_is_temp_name(names[i]))
            rc = ops->skip(user, child, "piiscan temporary file");
        else if (S_ISREG(sb.st_mode))
            rc = ops->file(user, child, false);
        else if (S_ISLNK(sb.st_mode))
            rc = ops->skip(user, child, "symbolic link");
        else
            rc = ops->skip(user, child, special_kind(sb.st_mode));
        free(child);
    }
    free_names(names, n);
    return rc;
}

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

int walk_path(const struct walk_ops *ops, void *user, const char *path)
{
    if (strcmp(path, "-") == 0)
        return ops->file(user, path, true);
    struct stat sb;
    if (stat(path, &sb) < 0)
        return ops->error(user, path, errno);
    const char *excluded = NULL;
    if (S_ISDIR(sb.st_mode) && ops->exclude_dir != NULL &&
        (excluded = ops->exclude_dir(user, path, &sb)) != NULL)
        return ops->skip(user, path, excluded);
    if (S_ISDIR(sb.st_mode))
        return walk_dir(ops, user, path, true);
    /* A pipe named on the command line is what `piiscan scan <(zcat orders.csv.gz)` gives. */
    if (S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode))
        return ops->file(user, path, true);
    return ops->skip(user, path, special_kind(sb.st_mode));
}
