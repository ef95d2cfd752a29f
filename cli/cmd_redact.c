/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_redact.c - `piiscan redact`: replace findings in place or in a mirror of the tree.
 *
 * Never lose data. The output is written to a temporary file beside its destination
 * (".NAME.piiscan-XXXXXX.tmp", created O_EXCL, mode 0600, locked while in use), fsync'd,
 * then verified by the library (the bytes outside the findings, a new scan, records and
 * fields); only then, and only if the original still has the size, mtime and inode it had
 * before the scan, is it renamed over the destination and the directory fsync'd. Any failure
 * removes the temporary file and leaves the original as it was. A killed run leaves at most a
 * temporary file; the next run in that directory removes it (only names of that exact shape,
 * owned by us, older than the run, and not locked by a live run) and walks never read it.
 * In place, symbolic links are refused (renaming would replace the link by a file) and so
 * are hard-linked files (renaming would split them); -o takes both.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

#define KEY_MIN_BYTES 32

static const char usage_text[] =
    "Usage: piiscan redact (-o OUTDIR | --in-place) [OPTIONS] PATH...\n";

static const char help_text[] =
    "Replace the personal data found in CSV, TSV and text files by masks or tokens,\n"
    "written in each file's own encoding; every other byte stays as it was. Each\n"
    "output is verified (a new scan, the same rows and fields) before it replaces\n"
    "anything; a file that fails is left untouched and reported.\n"
    "In .xlsx workbooks the cells, comments and document properties that hold\n"
    "personal data are masked; only the parts of the package that hold them are\n"
    "rewritten, every other part (styles, formulas, images, other sheets) is copied\n"
    "as it was, and every other cell must read as before.\n"
    "\n"
    "Where the output goes (one of):\n"
    "  -o, --output=OUTDIR       write a mirror of the input tree under OUTDIR\n"
    "                            (files without findings are copied as they are)\n"
    "      --in-place            replace each file by its redacted version\n"
    "      --backup=SUFFIX       with --in-place, keep the original as NAME+SUFFIX\n"
    "  -n, --dry-run             report what would be replaced, as scan does;\n"
    "                            write nothing\n"
    "\n"
    "Masks:\n"
    "      --mask=STYLE          full (the default): every character becomes * or ＊\n"
    "                            of the same width; partial: keep what identifies\n"
    "                            no one (area code and last 4 digits of a phone,\n"
    "                            first 3 digits of a postal code, an e-mail's domain,\n"
    "                            a card's last 4 digits); token: a keyed pseudonym\n"
    "                            such as PHN_kgtbwmhsqdlrfjnp, the same for the\n"
    "                            same value in every file\n"
    "      --key-file=FILE       the secret of --mask=token: at least 32 bytes, not\n"
    "                            readable by group or others. Make one with\n"
    "                            head -c 32 /dev/urandom > key && chmod 600 key\n"
    "      --mask-char=C         the mask of a half-width character (default *)\n"
    "      --mask-char-wide=C    the mask of a full-width character (default ＊)\n"
    "\n"
    "What to replace, as for scan:\n"
    "      --types=LIST          only these types, comma-separated (default: all)\n"
    "      --min-confidence=X    findings whose confidence is at least X (default 0.5)\n"
    "      --encoding=ENC        read every file as ENC (default: detected)\n"
    "      --max-record-bytes=N  longest CSV/TSV record or text line held in memory\n"
    "                            (default: 4M)\n"
    "\n"
    "Report:\n"
    "      --format=FORMAT       text (the default) or jsonl\n"
    "  -q, --quiet               print no report; the exit status tells the result\n"
    "  -v, --verbose             also tell which files were skipped or left clean\n"
    "  -h, --help                print this help and exit\n"
    "\n" WALK_HELP "\n"
    "Exit status: 0 if nothing was replaced, 1 if something was (or would be, with\n"
    "--dry-run), 2 if a file could not be redacted or the command line is wrong.\n";

enum {
    OPT_IN_PLACE = 256,
    OPT_BACKUP,
    OPT_MASK,
    OPT_KEY_FILE,
    OPT_MASK_CHAR,
    OPT_MASK_CHAR_WIDE,
    OPT_FORMAT,
};

static const struct option long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"in-place", no_argument, NULL, OPT_IN_PLACE},
    {"backup", required_argument, NULL, OPT_BACKUP},
    {"dry-run", no_argument, NULL, 'n'},
    {"mask", required_argument, NULL, OPT_MASK},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    {"mask-char", required_argument, NULL, OPT_MASK_CHAR},
    {"mask-char-wide", required_argument, NULL, OPT_MASK_CHAR_WIDE},
    SCANNER_TYPES_LONG_OPTION,
    SCANNER_LONG_OPTIONS,
    {"format", required_argument, NULL, OPT_FORMAT},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    WALK_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

struct redact {
    struct walk_options wo;
    piiscan_redactor *rd;
    piiscan_stream *dry; /* --dry-run: a plain scan that reports like scan does */
    const struct output_ops *ops;
    struct output out;
    bool is_jsonl;
    const char *outdir;
    int outdir_fd;
    struct stat outdir_sb;
    bool is_in_place;
    const char *backup;
    bool is_dry_run;
    struct scanner_option_values scanner;
    bool is_quiet;
    bool is_verbose;
    struct timespec started;
    char **cleaned; /* directories whose stray temporary files were looked for */
    size_t ncleaned;
    const char *path; /* the file at hand */
    bool is_redacted;
    bool is_trouble;
    bool is_out_of_memory;
};

/* ------------------------------------------------------------------------------------------ */
/* Options (the scan options are parsed as cmd_scan.c parses them)                           */

static int parse_mask(const char *arg, piiscan_redact_options *ro, piiscan_mask *mask)
{
    if (strcmp(arg, "full") == 0)
        *mask = PIISCAN_MASK_FULL;
    else if (strcmp(arg, "partial") == 0)
        *mask = PIISCAN_MASK_PARTIAL;
    else if (strcmp(arg, "token") == 0)
        *mask = PIISCAN_MASK_TOKEN;
    else {
        cli_message(NULL, "--mask: unknown style '%s' (expected full, partial or token)", arg);
        return -1;
    }
    return piiscan_redact_options_set_mask(ro, *mask) == PIISCAN_OK ? 0 : -1;
}

static int parse_mask_char(const char *arg, bool is_wide, piiscan_redact_options *ro)
{
    int rc = piiscan_redact_options_set_mask_chars(ro, is_wide ? NULL : arg, is_wide ? arg : NULL);
    if (rc == PIISCAN_OK)
        return 0;
    if (is_wide)
        cli_message(NULL,
                    "--mask-char-wide: '%s' cannot be a mask: it must be one full-width "
                    "character that CP932 and EUC-JP can hold, not a letter or digit, and "
                    "without a delimiter, quote or backslash byte in CP932 (as ソ and 表 have)",
                    arg);
    else
        cli_message(NULL,
                    "--mask-char: '%s' cannot be a mask: it must be one of ! # $ %% & ( ) * . "
                    "/ : < > ?",
                    arg);
    return -1;
}

/* The key is read from a file that only its owner can read, never from the command line,
 * where every user of the machine can see it in the process list. */
static int read_key_file(const char *path, piiscan_redact_options *ro)
{
    unsigned char *key = NULL;
    size_t len = 0;
    if (key_file_read(path, KEY_MIN_BYTES, "whoever reads it can undo the tokens", &key, &len) != 0)
        return -1;
    int status = 0;
    if (piiscan_redact_options_set_token_key(ro, key, len) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        status = -1;
    }
    key_free(key, len);
    return status;
}

/* ------------------------------------------------------------------------------------------ */
/* Reports                                                                                    */

static int file_failed(struct redact *r, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int file_failed(struct redact *r, const char *path, const char *fmt, ...)
{
    char reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    cli_message(path, "%s", reason);
    r->is_trouble = true;
    return 0;
}

static int on_walk_error(void *user, const char *path, int errnum)
{
    return file_failed(user, path, "%s", strerror(errnum));
}

static int on_walk_error_text(void *user, const char *path, const char *reason)
{
    return file_failed(user, path, "%s", reason);
}

static int on_skip(void *user, const char *path, const char *reason)
{
    const struct redact *r = user;
    if (r->is_verbose)
        cli_message(path, "skipped: %s", reason);
    return 0;
}

static const char *on_exclude_dir(void *user, const char *path, const struct stat *sb)
{
    const struct redact *r = user;
    (void)path;
    if (r->outdir != NULL && sb->st_dev == r->outdir_sb.st_dev && sb->st_ino == r->outdir_sb.st_ino)
        return "the output directory";
    return NULL;
}

/* One line per redacted file: PATH: N replaced (TYPE COUNT, ...)[ -> OUTPUT]. */
static void report(struct redact *r, const char *path, const char *dest,
                   const piiscan_redact_stats *rs)
{
    if (r->is_quiet)
        return;
    FILE *fp = stdout;
    if (r->is_jsonl) {
        fputs("{\"path\":", fp);
        json_write_string(fp, path, strlen(path));
        if (dest != NULL) {
            fputs(",\"output\":", fp);
            json_write_string(fp, dest, strlen(dest));
        }
        fprintf(fp, ",\"replaced\":%" PRIu64 ",\"types\":{", rs->spans);
        bool is_first = true;
        for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
            if (rs->spans_by_type[t] == 0)
                continue;
            fprintf(fp, "%s\"%s\":%" PRIu64, is_first ? "" : ",",
                    piiscan_type_name((piiscan_type)t), rs->spans_by_type[t]);
            is_first = false;
        }
        fprintf(fp, "},\"encoding\":\"%s\"}\n", piiscan_encoding_name(rs->encoding));
        return;
    }
    fprintf(fp, "%s: %" PRIu64 " replaced (", path, rs->spans);
    bool is_first = true;
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        if (rs->spans_by_type[t] == 0)
            continue;
        fprintf(fp, "%s%s %" PRIu64, is_first ? "" : ", ", piiscan_type_name((piiscan_type)t),
                rs->spans_by_type[t]);
        is_first = false;
    }
    fputc(')', fp);
    if (dest != NULL)
        fprintf(fp, " -> %s", dest);
    fputc('\n', fp);
}

/* The dry run reports findings as scan does. */
static int on_dry_finding(const piiscan_finding *f, void *user)
{
    struct redact *r = user;
    r->is_redacted = true;
    if (r->is_quiet)
        return 0;
    char *masked = mask_value(f->type, f->text, f->text_len);
    if (masked == NULL) {
        r->is_out_of_memory = true;
        return 1;
    }
    const struct output_finding of =
        output_finding_of(r->path, f, masked, r->out.is_showing_values);
    r->ops->finding(&r->out, &of);
    free(masked);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Files and directories                                                                     */

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool is_older(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Removes the temporary files a killed run left in a directory: exact name shape, regular,
 * ours, older than this run, and not locked by a run still going. Once per directory. */
static void remove_strays(struct redact *r, int dirfd, const char *dir)
{
    for (size_t i = 0; i < r->ncleaned; i++)
        if (strcmp(r->cleaned[i], dir) == 0)
            return;
    char **grown = realloc(r->cleaned, (r->ncleaned + 1) * sizeof *grown);
    char *copy = strdup(dir);
    if (grown == NULL || copy == NULL) {
        free(copy);
        if (grown != NULL)
            r->cleaned = grown;
        return; /* only tidiness is lost */
    }
    r->cleaned = grown;
    r->cleaned[r->ncleaned++] = copy;
    int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (d == NULL) {
        if (fd >= 0)
            close(fd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!walk_is_temp_name(de->d_name))
            continue;
        struct stat sb;
        if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode) ||
            sb.st_uid != geteuid() || !is_older(&sb.st_mtim, &r->started))
            continue;
        int t = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (t < 0)
            continue;
        if (flock(t, LOCK_EX | LOCK_NB) == 0 && unlinkat(dirfd, de->d_name, 0) == 0 &&
            r->is_verbose) {
            char shown[4096];
            snprintf(shown, sizeof shown, "%s/%s", dir, de->d_name);
            cli_message(shown, "removed a temporary file left by an interrupted run");
        }
        close(t);
    }
    closedir(d);
}

/* The part of a walked path that the mirror repeats under OUTDIR: without leading '/' and
 * "./"; NULL when it climbs out with "..". */
static const char *mirror_path(const char *path)
{
    const char *p = path;
    for (;;) {
        while (*p == '/')
            p++;
        if (p[0] == '.' && p[1] == '/')
            p += 2;
        else
            break;
    }
    for (const char *s = p; *s != '\0';) {
        size_t n = strcspn(s, "/");
        if (n == 2 && s[0] == '.' && s[1] == '.')
            return NULL;
        s += n;
        while (*s == '/')
            s++;
    }
    return *p != '\0' ? p : NULL;
}

/* Opens (making them, mode 0700) the directories of `rel` under the output directory, one
 * level at a time without following links, so the mirror cannot be led out of OUTDIR. */
static int open_mirror_dir(struct redact *r, const char *rel)
{
    int fd = dup(r->outdir_fd);
    if (fd < 0)
        return -1;
    const char *s = rel;
    for (;;) {
        size_t n = strcspn(s, "/");
        if (s[n] == '\0')
            return fd; /* the last component is the file's name */
        char comp[256];
        if (n == 0 || n >= sizeof comp) {
            s += n + (s[n] == '/');
            if (n == 0)
                continue;
            close(fd);
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(comp, s, n);
        comp[n] = '\0';
        if (strcmp(comp, ".") != 0) {
            if (mkdirat(fd, comp, 0700) < 0 && errno != EEXIST) {
                int saved = errno;
                close(fd);
                errno = saved;
                return -1;
            }
            int next = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            int saved = errno;
            close(fd);
            errno = saved;
            if (next < 0)
                return -1;
            fd = next;
        }
        s += n + 1;
    }
}

/* What one file needs between its steps. */
struct job {
    const char *path;   /* as walked */
    char *dest;         /* what is replaced: the path in place, or under OUTDIR */
    const char *name;   /* the last component of dest */
    int dirfd;          /* dest's directory */
    int fd;             /* the input */
    struct stat before; /* the input before the scan */
    int tmp_fd;
    char tmp[300];
};

static void job_end(struct job *j, bool is_keeping_tmp)
{
    if (j->tmp_fd >= 0) {
        close(j->tmp_fd);
        if (!is_keeping_tmp)
            unlinkat(j->dirfd, j->tmp, 0);
    }
    if (j->fd >= 0)
        close(j->fd);
    if (j->dirfd >= 0)
        close(j->dirfd);
    free(j->dest);
}

static const char *redactor_reason(const struct redact *r)
{
    const piiscan_error *e = piiscan_redactor_error(r->rd);
    return e->text[0] != '\0' ? e->text : piiscan_strerror(e->code);
}

/* Keeps the original beside it as NAME+SUFFIX: a new link under a temporary name, renamed
 * over any older backup, so that a backup is never half there. */
static int make_backup(struct redact *r, struct job *j)
{
    char backup[512];
    char link_tmp[300];
    if (snprintf(backup, sizeof backup, "%s%s", j->name, r->backup) >= (int)sizeof backup) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = temp_create(j->dirfd, j->name, link_tmp, sizeof link_tmp);
    if (fd < 0)
        return -1;
    close(fd);
    unlinkat(j->dirfd, link_tmp, 0);
    if (linkat(j->dirfd, j->name, j->dirfd, link_tmp, 0) < 0)
        return -1;
    if (renameat(j->dirfd, link_tmp, j->dirfd, backup) < 0) {
        int saved = errno;
        unlinkat(j->dirfd, link_tmp, 0);
        errno = saved;
        return -1;
    }
    return 0;
}

static int redact_file(struct redact *r, struct job *j)
{
    const piiscan_source src = {.name = j->path, .encoding = r->scanner.encoding};
    if (piiscan_redactor_scan_fd(r->rd, j->fd, &src) != PIISCAN_OK)
        return file_failed(r, j->path, "%s", redactor_reason(r));
    const piiscan_redact_stats *rs = piiscan_redactor_stats(r->rd);
    if (rs->skip_reason != NULL)
        return on_skip(r, j->path, r->is_in_place ? rs->skip_reason : "binary, not copied");
    if (rs->spans == 0 && r->is_in_place) {
        if (r->is_verbose)
            cli_message(j->path, "nothing to replace");
        return 0;
    }
    j->tmp_fd = temp_create(j->dirfd, j->name, j->tmp, sizeof j->tmp);
    if (j->tmp_fd < 0)
        return file_failed(r, j->path, "cannot create a temporary file beside %s: %s", j->dest,
                           strerror(errno));
    /* Written in place: a workbook is a zip, which libzip writes with random access. */
    if (piiscan_redactor_write_to_fd(r->rd, j->fd, j->tmp_fd) != PIISCAN_OK)
        return file_failed(r, j->path, "not redacted: %s", redactor_reason(r));
    if (fsync(j->tmp_fd) < 0)
        return file_failed(r, j->path, "not redacted: cannot flush the output: %s",
                           strerror(errno));
    if (lseek(j->tmp_fd, 0, SEEK_SET) < 0 ||
        piiscan_redactor_verify_fd(r->rd, j->fd, j->tmp_fd) != PIISCAN_OK)
        return file_failed(r, j->path, "not redacted: the output failed verification: %s",
                           redactor_reason(r));
    if (r->is_in_place) {
        /* The replacement gets the original's permissions, and its owner when we may. */
        if (geteuid() == 0 && fchown(j->tmp_fd, j->before.st_uid, j->before.st_gid) < 0)
            return file_failed(r, j->path, "not redacted: cannot give the owner back: %s",
                               strerror(errno));
        if (fchmod(j->tmp_fd, j->before.st_mode & 07777) < 0)
            return file_failed(r, j->path, "not redacted: cannot give the mode back: %s",
                               strerror(errno));
    }
    /* The last look before the rename: the input is still what was scanned, and in place
     * the name still leads to it. */
    struct stat now;
    struct stat named;
    if (fstat(j->fd, &now) < 0 || !same_file(&now, &j->before) ||
        (r->is_in_place && (fstatat(j->dirfd, j->name, &named, AT_SYMLINK_NOFOLLOW) < 0 ||
                            !same_file(&named, &j->before))))
        return file_failed(r, j->path,
                           "not redacted: the file changed while it was being "
                           "redacted; it is left as it is");
    if (r->is_in_place && r->backup != NULL && make_backup(r, j) < 0)
        return file_failed(r, j->path, "not redacted: cannot keep a backup: %s", strerror(errno));
    if (renameat(j->dirfd, j->tmp, j->dirfd, j->name) < 0)
        return file_failed(r, j->path, "not redacted: cannot rename the output into place: %s",
                           strerror(errno));
    close(j->tmp_fd);
    j->tmp_fd = -1;
    /* The rename is durable once the directory is. */
    if (fsync(j->dirfd) < 0)
        return file_failed(r, j->dest, "redacted, but the directory could not be flushed: %s",
                           strerror(errno));
    if (rs->spans > 0) {
        r->is_redacted = true;
        report(r, j->path, r->is_in_place ? NULL : j->dest, rs);
    } else if (r->is_verbose) {
        cli_message(j->path, "nothing to replace; copied");
    }
    return 0;
}

static int dry_run(struct redact *r, struct job *j)
{
    const piiscan_source src = {.name = j->path, .encoding = r->scanner.encoding};
    r->path = j->path;
    if (piiscan_stream_scan_fd(r->dry, j->fd, &src) != PIISCAN_OK) {
        if (r->is_out_of_memory)
            return -1;
        const piiscan_error *e = piiscan_stream_error(r->dry);
        return file_failed(r, j->path, "%s", e->text[0] ? e->text : piiscan_strerror(e->code));
    }
    const piiscan_stats *st = piiscan_stream_stats(r->dry);
    if (st->skip_reason != NULL)
        return on_skip(r, j->path, st->skip_reason);
    return 0;
}

static char *split_dir(const char *path, const char **name)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        *name = path;
        return strdup(".");
    }
    *name = slash + 1;
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static int on_file(void *user, const char *path, bool is_named)
{
    struct redact *r = user;
    if (strcmp(path, "-") == 0)
        return file_failed(r, path, "standard input cannot be redacted: it is read twice");
    struct job j = {.path = path, .dirfd = -1, .fd = -1, .tmp_fd = -1};
    int status = 0;
    char *dir = NULL;
    if (r->is_in_place) {
        struct stat lsb;
        if (lstat(path, &lsb) < 0) {
            status = file_failed(r, path, "%s", strerror(errno));
            goto done;
        }
        if (S_ISLNK(lsb.st_mode)) {
            status = file_failed(r, path,
                                 "is a symbolic link: not redacted in place, which would "
                                 "replace the link by a file (name its target, or use -o)");
            goto done;
        }
        j.dest = strdup(path);
        dir = split_dir(path, &j.name);
        if (j.dest == NULL || dir == NULL)
            goto nomem;
        j.name = j.dest + (j.name - path);
        j.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (j.dirfd < 0) {
            status = file_failed(r, path, "cannot open its directory: %s", strerror(errno));
            goto done;
        }
        if (!r->is_dry_run)
            remove_strays(r, j.dirfd, dir);
        j.fd = openat(j.dirfd, j.name, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
    } else {
        /* A link named on the command line is followed, as scan does; one met in the walk
         * may have replaced a file since lstat, so it is not. */
        j.fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC | (is_named ? 0 : O_NOFOLLOW));
    }
    if (j.fd < 0 && errno == ELOOP && !is_named) {
        status = on_skip(r, path, "symbolic link");
        goto done;
    }
    if (j.fd < 0 || fstat(j.fd, &j.before) < 0) {
        status = file_failed(r, path, "%s", strerror(errno));
        goto done;
    }
    if (!S_ISREG(j.before.st_mode)) {
        status = file_failed(r, path, "not a regular file: not redacted");
        goto done;
    }
    if (r->is_in_place && j.before.st_nlink > 1) {
        status = file_failed(r, path,
                             "has %ju hard links: not redacted in place, which would split "
                             "them (use -o)",
                             (uintmax_t)j.before.st_nlink);
        goto done;
    }
    if (r->is_in_place && geteuid() != 0 && j.before.st_uid != geteuid()) {
        status = file_failed(r, path,
                             "belongs to another user: not redacted in place, which would "
                             "make it yours");
        goto done;
    }
    if (r->is_dry_run) {
        status = dry_run(r, &j);
        goto done;
    }
    if (!r->is_in_place) {
        const char *rel = mirror_path(path);
        if (rel == NULL) {
            status = file_failed(r, path, "has '..' in it: it has no place in the mirror");
            goto done;
        }
        size_t n = strlen(r->outdir) + 1 + strlen(rel) + 1;
        j.dest = malloc(n);
        if (j.dest == NULL)
            goto nomem;
        snprintf(j.dest, n, "%s/%s", r->outdir, rel);
        j.name = strrchr(j.dest, '/') + 1;
        j.dirfd = open_mirror_dir(r, rel);
        if (j.dirfd < 0) {
            status = file_failed(r, path, "cannot make its directory under %s: %s", r->outdir,
                                 strerror(errno));
            goto done;
        }
        dir = split_dir(j.dest, &rel);
        if (dir == NULL)
            goto nomem;
        remove_strays(r, j.dirfd, dir);
        struct stat there;
        if (fstatat(j.dirfd, j.name, &there, AT_SYMLINK_NOFOLLOW) == 0 &&
            there.st_dev == j.before.st_dev && there.st_ino == j.before.st_ino) {
            status = file_failed(r, path, "the output would replace the input (use --in-place)");
            goto done;
        }
    }
    status = redact_file(r, &j);
    goto done;
nomem:
    r->is_out_of_memory = true;
    status = -1;
done:
    job_end(&j, false);
    free(dir);
    return status;
}

static const struct walk_ops walk_ops = {
    .file = on_file,
    .error = on_walk_error,
    .skip = on_skip,
    .exclude_dir = on_exclude_dir,
    .error_text = on_walk_error_text,
};

static int sweep(struct redact *r, char **paths, int npaths)
{
    /* Text and JSON Lines, the dry run's formats, need no file_begin/file_end. */
    if (r->is_dry_run && !r->is_quiet && r->ops->begin(&r->out) != 0) {
        cli_message(NULL, "cannot start the report: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    if (walk_paths(&r->wo, &walk_ops, r, paths, (size_t)npaths) != 0)
        r->is_out_of_memory = true; /* the walk's only reason to stop by itself */
    const struct sweep_totals no_totals = {0};
    if (r->is_dry_run && !r->is_quiet)
        r->ops->end(&r->out, &no_totals);
    if (fflush(stdout) == EOF || ferror(stdout)) {
        cli_message(NULL, "error writing to standard output: %s", strerror(errno));
        return EXIT_TROUBLE;
    }
    if (r->is_out_of_memory) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return EXIT_TROUBLE;
    }
    if (r->is_trouble)
        return EXIT_TROUBLE;
    return r->is_redacted ? EXIT_FOUND : EXIT_CLEAN;
}

/* OUTDIR is made (mode 0700) when missing; its parent must exist. */
static int open_outdir(struct redact *r)
{
    if (mkdir(r->outdir, 0700) < 0 && errno != EEXIST) {
        cli_message(r->outdir, "cannot make the output directory: %s", strerror(errno));
        return -1;
    }
    r->outdir_fd = open(r->outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r->outdir_fd < 0 || fstat(r->outdir_fd, &r->outdir_sb) < 0) {
        cli_message(r->outdir, "cannot open the output directory: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int cmd_redact(int argc, char **argv)
{
    struct redact r = {
        .ops = &output_text,
        .out = {.fp = stdout},
        .outdir_fd = -1,
    };
    piiscan_options *opt = NULL;
    piiscan_redact_options *ro = NULL;
    piiscan_scanner *sc = NULL;
    piiscan_mask mask = PIISCAN_MASK_FULL;
    const char *key_file = NULL;
    int status = EXIT_TROUBLE;
    if (piiscan_options_new(&opt) != PIISCAN_OK || piiscan_redact_options_new(&ro) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    int c;
    while ((c = getopt_long(argc, argv, "o:nqvh" WALK_SHORT_OPTIONS, long_options, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case 'o':
            r.outdir = optarg;
            break;
        case OPT_IN_PLACE:
            r.is_in_place = true;
            break;
        case OPT_BACKUP:
            r.backup = optarg;
            break;
        case 'n':
            r.is_dry_run = true;
            break;
        case OPT_MASK:
            rc = parse_mask(optarg, ro, &mask);
            break;
        case OPT_KEY_FILE:
            key_file = optarg;
            break;
        case OPT_MASK_CHAR:
            rc = parse_mask_char(optarg, false, ro);
            break;
        case OPT_MASK_CHAR_WIDE:
            rc = parse_mask_char(optarg, true, ro);
            break;
        SCANNER_OPTION_CASES:
            rc = scanner_option_parse(&r.scanner, opt, c, optarg);
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "jsonl") == 0) {
                r.is_jsonl = true;
                r.ops = &output_jsonl;
            } else if (strcmp(optarg, "text") != 0) {
                cli_message(NULL, "--format: unknown format '%s' (expected text or jsonl)", optarg);
                rc = -1;
            }
            break;
        WALK_OPTION_CASES:
            rc = walk_parse_option(&r.wo, c, optarg);
            break;
        case 'q':
            r.is_quiet = true;
            break;
        case 'v':
            r.is_verbose = true;
            break;
        case 'h':
            status = print_help(usage_text, help_text);
            goto done;
        default: /* getopt_long has said what is wrong */
            status = print_usage_error(usage_text, "redact");
            goto done;
        }
        if (rc != 0)
            goto done;
    }
    if ((r.outdir != NULL) == r.is_in_place && !r.is_dry_run) {
        cli_message(NULL, "say where the output goes: -o OUTDIR or --in-place (exactly one)");
        status = print_usage_error(usage_text, "redact");
        goto done;
    }
    if (r.outdir != NULL && r.is_in_place) {
        cli_message(NULL, "-o and --in-place exclude each other");
        status = print_usage_error(usage_text, "redact");
        goto done;
    }
    if (r.backup != NULL && (!r.is_in_place || r.backup[0] == '\0' || strchr(r.backup, '/'))) {
        cli_message(NULL, "--backup needs --in-place and a SUFFIX without '/'");
        status = print_usage_error(usage_text, "redact");
        goto done;
    }
    if (mask == PIISCAN_MASK_TOKEN && key_file == NULL) {
        cli_message(NULL, "--mask=token needs --key-file (make one with head -c 32 "
                          "/dev/urandom > KEY && chmod 600 KEY)");
        status = print_usage_error(usage_text, "redact");
        goto done;
    }
    if (key_file != NULL && read_key_file(key_file, ro) != 0)
        goto done;
    if (optind >= argc && r.wo.files_from == NULL) {
        cli_message(NULL, "no PATH to redact");
        status = print_usage_error(usage_text, "redact");
        goto done;
    }
    /* A redaction masks what is on a line that says piiscan:allow too: the marker is for
     * reviewing reports, and a customer who typed it into an export's note field must not
     * keep that row out of a redacted copy. */
    piiscan_options_set_allow_marker(opt, false);
    piiscan_error err = {0};
    int rc = piiscan_scanner_new(opt, &sc, &err);
    if (rc == PIISCAN_OK)
        rc = piiscan_redactor_new(sc, ro, &r.rd, &err);
    if (rc == PIISCAN_OK && r.is_dry_run)
        rc = piiscan_stream_new(sc, on_dry_finding, &r, &r.dry);
    if (rc != PIISCAN_OK) {
        cli_message(NULL, "cannot prepare the redactor: %s",
                    err.text[0] != '\0' ? err.text : piiscan_strerror(rc));
        goto done;
    }
    piiscan_redact_options_free(ro); /* the key is wiped with it */
    ro = NULL;
    if (r.outdir != NULL && !r.is_dry_run && open_outdir(&r) != 0)
        goto done;
    /* A dry run makes nothing, but still leaves an existing output directory out. */
    if (r.outdir != NULL && r.is_dry_run && stat(r.outdir, &r.outdir_sb) != 0)
        memset(&r.outdir_sb, 0, sizeof r.outdir_sb);
    /* Past RLIMIT_FSIZE, write() fails with EFBIG instead of the signal killing the run
     * with a temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    clock_gettime(CLOCK_REALTIME, &r.started);
    status = sweep(&r, argv + optind, argc - optind);
done:
    for (size_t i = 0; i < r.ncleaned; i++)
        free(r.cleaned[i]);
    free(r.cleaned);
    if (r.outdir_fd >= 0)
        close(r.outdir_fd);
    piiscan_stream_free(r.dry);
    piiscan_redactor_free(r.rd);
    piiscan_scanner_free(sc);
    piiscan_redact_options_free(ro);
    piiscan_options_free(opt);
    walk_options_free(&r.wo);
    return status;
}
