/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_file.c - `scan -o FILE`: the report is written to ".FILE.piiscan-XXXXXX.tmp" beside
 * FILE (temp.c: exclusive, mode 0600, in the same directory so that the rename is atomic),
 * synced, and renamed over FILE only once it is complete. Until then FILE keeps its old
 * contents; a failed or interrupted report leaves no partial file behind.
 *
 * A workbook is written by libxlsxwriter, which opens the path itself. It opens the
 * temporary file we created (0600, ours, O_EXCL), so the mode is right whatever the umask;
 * before the rename, the name is checked to still hold the file created here, so that a
 * file slipped in under that name in a shared directory is never put in place.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define REPORT_BUFFER_BYTES (64 * 1024)

struct report_file {
    int dirfd;
    FILE *fp;
    char *dir;       /* FILE's directory, as given ("." when none) */
    char *name;      /* FILE's last component */
    char *temp_path; /* dir/tmp */
    char tmp[320];   /* the temporary file's name in dirfd */
    char *buffer;    /* stdio's buffer, set by setvbuf */
};

/* The temporary file to remove when a signal ends the process. One report at a time. */
static char *volatile signal_temp_path;

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Only async-signal-safe calls: unlink, then the signal again with its default action
 * (SA_RESETHAND restored it), delivered once the handler returns. */
static void on_signal(int sig)
{
    int saved = errno;
    char *path = signal_temp_path;
    if (path != NULL)
        unlink(path);
    raise(sig);
    errno = saved;
}

static void watch_signals(char *temp_path)
{
    signal_temp_path = temp_path;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
        struct sigaction old;
        /* A signal ignored by the parent (nohup) stays ignored. */
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

static void unwatch_signals(void)
{
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
        struct sigaction old;
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler == on_signal)
            signal(cleanup_signals[i], SIG_DFL);
    }
    signal_temp_path = NULL;
}

static void report_file_free(struct report_file *rf)
{
    if (rf->fp != NULL)
        fclose(rf->fp);
    if (rf->dirfd >= 0)
        close(rf->dirfd);
    free(rf->buffer);
    free(rf->dir);
    free(rf->name);
    free(rf->temp_path);
    free(rf);
}

/* What is at FILE now: nothing, or a regular file, may be replaced. */
static const char *check_destination(int dirfd, const char *name)
{
    struct stat sb;
    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0)
        return errno == ENOENT ? NULL : strerror(errno);
    if (S_ISDIR(sb.st_mode))
        return strerror(EISDIR);
    if (!S_ISREG(sb.st_mode))
        return "not a regular file (a link, device or fifo is never replaced)";
    return NULL;
}

int report_file_open(const char *path, struct report_file **out, const char **reason)
{
    struct report_file *rf = calloc(1, sizeof *rf);
    if (rf == NULL)
        goto nomem;
    rf->dirfd = -1;
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        *reason = strerror(EISDIR);
        goto fail;
    }
    rf->name = strdup(base);
    if (slash == NULL)
        rf->dir = strdup(".");
    else if (slash == path)
        rf->dir = strdup("/");
    else
        rf->dir = strndup(path, (size_t)(slash - path));
    if (rf->name == NULL || rf->dir == NULL)
        goto nomem;
    rf->dirfd = open(rf->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rf->dirfd < 0) {
        *reason = strerror(errno);
        goto fail;
    }
    *reason = check_destination(rf->dirfd, rf->name);
    if (*reason != NULL)
        goto fail;
    int fd = temp_create(rf->dirfd, rf->name, rf->tmp, sizeof rf->tmp);
    if (fd < 0) {
        *reason = strerror(errno);
        goto fail;
    }
    size_t n = strlen(rf->dir) + 1 + strlen(rf->tmp) + 1;
    rf->temp_path = malloc(n);
    rf->buffer = malloc(REPORT_BUFFER_BYTES);
    rf->fp = fdopen(fd, "w");
    if (rf->temp_path == NULL || rf->buffer == NULL || rf->fp == NULL) {
        if (rf->fp == NULL)
            close(fd);
        unlinkat(rf->dirfd, rf->tmp, 0);
        goto nomem;
    }
    snprintf(rf->temp_path, n, "%s/%s", rf->dir, rf->tmp);
    setvbuf(rf->fp, rf->buffer, _IOFBF, REPORT_BUFFER_BYTES);
    watch_signals(rf->temp_path);
    *out = rf;
    return 0;
nomem:
    *reason = strerror(ENOMEM);
fail:
    if (rf != NULL)
        report_file_free(rf);
    return -1;
}

FILE *report_file_stream(const struct report_file *rf)
{
    return rf->fp;
}

const char *report_file_temp_path(const struct report_file *rf)
{
    return rf->temp_path;
}

int report_file_commit(struct report_file *rf, const char **reason)
{
    struct stat ours;
    struct stat named;
    *reason = NULL;
    if (fflush(rf->fp) == EOF || ferror(rf->fp) || fsync(fileno(rf->fp)) < 0 ||
        fstat(fileno(rf->fp), &ours) < 0) {
        *reason = strerror(errno != 0 ? errno : EIO);
        goto fail;
    }
    if (fstatat(rf->dirfd, rf->tmp, &named, AT_SYMLINK_NOFOLLOW) < 0 ||
        named.st_dev != ours.st_dev || named.st_ino != ours.st_ino) {
        *reason = "its temporary file was replaced or removed while it was written";
        goto fail;
    }
    *reason = check_destination(rf->dirfd, rf->name);
    if (*reason != NULL)
        goto fail;
    if (renameat(rf->dirfd, rf->tmp, rf->dirfd, rf->name) < 0) {
        *reason = strerror(errno);
        goto fail;
    }
    /* The rename is durable once the directory is; a failure here loses nothing written. */
    fsync(rf->dirfd);
    unwatch_signals();
    report_file_free(rf);
    return 0;
fail:
    report_file_discard(rf);
    return -1;
}

void report_file_discard(struct report_file *rf)
{
    if (rf == NULL)
        return;
    unlinkat(rf->dirfd, rf->tmp, 0);
    unwatch_signals();
    report_file_free(rf);
}
