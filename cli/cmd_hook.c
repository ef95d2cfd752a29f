/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_hook.c - `piiscan hook install`: a git pre-commit hook that refuses a commit whose
 * staged content holds personal data. The hook is a POSIX shell script, so that it needs
 * nothing but git and piiscan when it runs. It scans what the commit will hold, not the work
 * tree (which may differ from what is staged): the staged files the commit adds, copies,
 * modifies, renames or changes the type of are checked out from the index into a private
 * temporary directory (mode 0700; links as plain files holding their target, so nothing is
 * read through them), with the staged .piiscanignore files, and `piiscan scan --files-from
 * LIST -0` runs there on the NUL-separated names git gives. Names stay the repository's in
 * the report, values stay masked, and every staged file is scanned in one run.
 * The hook goes where git runs hooks (`git rev-parse --git-path hooks`: core.hooksPath, or
 * the repository's hooks directory, shared by its worktrees). A pre-commit hook that
 * piiscan did not write is only replaced with --force, and kept beside it then.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The line that tells a hook piiscan wrote from any other. */
#define HOOK_MARKER "# piiscan pre-commit hook"

static const char usage_text[] = "Usage: piiscan hook install [--force] [-- SCAN-OPTIONS]\n";

static const char help_text[] =
    "Install a git pre-commit hook in the repository of the current directory. It\n"
    "scans the staged content of the files a commit adds or changes (not the work\n"
    "tree) and refuses the commit when personal data is found or a file cannot be\n"
    "scanned, with a report whose values are masked. SCAN-OPTIONS are passed to\n"
    "piiscan scan, e.g. -- --min-confidence 0.8 --exclude 'fixtures/**'.\n"
    "The hook goes where git runs hooks (core.hooksPath, or .git/hooks); the\n"
    "staged .piiscanignore files apply. git commit --no-verify skips it; deleting\n"
    "the file removes it.\n"
    "\n"
    "Options:\n"
    "  -f, --force               replace a pre-commit hook that piiscan did not\n"
    "                            write (it is kept as pre-commit.before-piiscan)\n"
    "  -h, --help                print this help and exit\n"
    "\n"
    "Exit status: 0 if the hook was installed, 2 if not.\n";

static const struct option long_options[] = {
    {"force", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The script before the command's options, then after them. */
static const char script_head[] =
    "#!/bin/sh\n" HOOK_MARKER ", written by `piiscan hook install`; delete this file to\n"
    "# remove it. It scans what the commit will hold: the staged content of the files the\n"
    "# commit adds, copies, modifies, renames or changes the type of, checked out from the\n"
    "# index into a private temporary directory, with the staged .piiscanignore and\n"
    "# .piiscan.conf files (the allow rules of the one at the top apply).\n"
    "# Personal data found, or a file that cannot be scanned, refuses the commit; the\n"
    "# report masks every value. `git commit --no-verify` skips this hook.\n"
    "# PIISCAN names the command (default: piiscan on PATH, else the one that wrote this).\n"
    "umask 077\n"
    "piiscan=${PIISCAN:-piiscan}\n"
    "command -v \"$piiscan\" >/dev/null 2>&1 || piiscan=";

static const char script_middle[] =
    "\n"
    "if ! command -v \"$piiscan\" >/dev/null 2>&1; then\n"
    "    echo \"piiscan: command not found (install it, or set PIISCAN): commit refused\" >&2\n"
    "    exit 1\n"
    "fi\n"
    "tmp=$(mktemp -d \"${TMPDIR:-/tmp}/piiscan-hook.XXXXXX\") || exit 1\n"
    "trap 'rm -rf \"$tmp\"' EXIT\n"
    "trap 'exit 1' HUP INT TERM\n"
    "git diff --cached --name-only -z --diff-filter=ACMRT --ignore-submodules=all \\\n"
    "    >\"$tmp/staged\" || exit 1\n"
    "[ -s \"$tmp/staged\" ] || exit 0\n"
    "mkdir \"$tmp/index\" &&\n"
    "    git -c core.symlinks=false checkout-index -f -z --stdin --prefix=\"$tmp/index/\" \\\n"
    "        <\"$tmp/staged\" &&\n"
    "    git ls-files -z -- ':(glob)**/.piiscanignore' ':(glob)**/.piiscan.conf' \\\n"
    "        >\"$tmp/ignore\" &&\n"
    "    git -c core.symlinks=false checkout-index -f -z --stdin --prefix=\"$tmp/index/\" \\\n"
    "        <\"$tmp/ignore\" || exit 1\n"
    "(cd \"$tmp/index\" && \"$piiscan\" scan";

static const char script_tail[] =
    " --files-from \"$tmp/staged\" -0)\n"
    "status=$?\n"
    "case $status in\n"
    "0) exit 0 ;;\n"
    "1) echo \"piiscan: personal data in the staged files (masked above): commit refused\" >&2 ;;\n"
    "*) echo \"piiscan: staged files could not be scanned (said above): commit refused\" >&2 ;;\n"
    "esac\n"
    "echo \"piiscan: unstage or redact them (piiscan redact), list fake data in\" \\\n"
    "    \".piiscanignore, or commit with --no-verify\" >&2\n"
    "exit 1\n";

/* Writes s in single quotes for sh: ' becomes '\''. */
static void put_quoted(FILE *fp, const char *s)
{
    fputc('\'', fp);
    for (; *s != '\0'; s++) {
        if (*s == '\'')
            fputs("'\\''", fp);
        else
            fputc(*s, fp);
    }
    fputc('\'', fp);
}

/* The script, into a memory buffer the caller frees; NULL when out of memory. */
static char *make_script(char **scan_args, int nargs, size_t *len)
{
    char *buf = NULL;
    FILE *fp = open_memstream(&buf, len);
    if (fp == NULL)
        return NULL;
    /* The command that writes the hook is the one to fall back on, when PATH has none. */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        n = snprintf(self, sizeof self, "piiscan");
    self[n] = '\0';
    fputs(script_head, fp);
    put_quoted(fp, self);
    fputs(script_middle, fp);
    for (int i = 0; i < nargs; i++) {
        fputc(' ', fp);
        put_quoted(fp, scan_args[i]);
    }
    fputs(script_tail, fp);
    if (fclose(fp) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The directory where git runs hooks, from git itself (it knows core.hooksPath, worktrees
 * and $GIT_DIR); NULL after saying why. */
static char *hooks_dir(void)
{
    FILE *p = popen("git rev-parse --git-path hooks", "r");
    if (p == NULL) {
        cli_message(NULL, "cannot run git: %s", strerror(errno));
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, p);
    int status = pclose(p);
    if (n <= 1 || status != 0) {
        cli_message(NULL, "no git repository here (git rev-parse --git-path hooks failed)");
        free(line);
        return NULL;
    }
    line[n - 1] = '\0'; /* the newline */
    return line;
}

/* mkdir -p, mode 0755 (hooks must be readable by whoever commits). */
static int make_dirs(char *path)
{
    for (char *s = path + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char saved = *s;
        *s = '\0';
        int rc = mkdir(path, 0755);
        int err = errno;
        *s = saved;
        if (rc < 0 && err != EEXIST) {
            errno = err;
            return -1;
        }
        if (saved == '\0')
            return 0;
    }
}

/* Whether the file at path is a hook piiscan wrote; *exists says whether there is one. */
static int look_at_hook(const char *path, bool *exists, bool *is_ours)
{
    *exists = false;
    *is_ours = false;
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT ? 0 : -1;
    *exists = true;
    if (!S_ISREG(sb.st_mode))
        return 0; /* a link or anything else is not ours: we write a regular file */
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char head[512];
    ssize_t n = read(fd, head, sizeof head - 1);
    close(fd);
    if (n < 0)
        return -1;
    head[n] = '\0';
    *is_ours = strstr(head, "\n" HOOK_MARKER) != NULL;
    return 0;
}

/* Writes the script to dir/pre-commit through a temporary file and a rename, so that git
 * never runs half a hook. */
static int write_hook(const char *dir, const char *path, const char *script, size_t len)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s/.pre-commit.XXXXXX", dir) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t n = write(fd, script + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto fail;
        done += (size_t)n;
    }
    if (fchmod(fd, 0755) < 0 || fsync(fd) < 0)
        goto fail;
    if (close(fd) < 0) {
        fd = -1;
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0)
        goto fail;
    return 0;
fail : {
    int saved = errno;
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    errno = saved;
    return -1;
}
}

static int install(bool is_forced, char **scan_args, int nargs)
{
    int status = EXIT_TROUBLE;
    char *script = NULL;
    char *path = NULL;
    char *kept = NULL;
    char *dir = hooks_dir();
    if (dir == NULL)
        goto done;
    size_t len = 0;
    script = make_script(scan_args, nargs, &len);
    path = malloc(strlen(dir) + sizeof "/pre-commit.before-piiscan");
    kept = malloc(strlen(dir) + sizeof "/pre-commit.before-piiscan");
    if (script == NULL || path == NULL || kept == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    sprintf(path, "%s/pre-commit", dir);
    sprintf(kept, "%s/pre-commit.before-piiscan", dir);
    if (make_dirs(dir) < 0) {
        cli_message(dir, "cannot make the hooks directory: %s", strerror(errno));
        goto done;
    }
    bool exists = false;
    bool is_ours = false;
    if (look_at_hook(path, &exists, &is_ours) < 0) {
        cli_message(path, "%s", strerror(errno));
        goto done;
    }
    if (exists && !is_ours && !is_forced) {
        cli_message(path,
                    "a pre-commit hook that piiscan did not write is there; --force replaces "
                    "it and keeps it as %s",
                    kept);
        goto done;
    }
    if (exists && !is_ours && rename(path, kept) < 0) {
        cli_message(path, "cannot keep the hook as %s: %s", kept, strerror(errno));
        goto done;
    }
    if (write_hook(dir, path, script, len) < 0) {
        cli_message(path, "cannot write the hook: %s", strerror(errno));
        goto done;
    }
    printf("%s the pre-commit hook: %s\n", is_ours ? "updated" : "installed", path);
    if (exists && !is_ours)
        printf("the hook that was there is kept as %s\n", kept);
    status = fflush(stdout) == 0 && !ferror(stdout) ? EXIT_CLEAN : EXIT_TROUBLE;
done:
    free(kept);
    free(path);
    free(script);
    free(dir);
    return status;
}

/* Reads -f and -h up to the next word that is no option (or "--"). Returns -1 to go on,
 * or the exit status. */
static int parse_flags(int argc, char **argv, bool *is_forced)
{
    int c;
    while ((c = getopt_long(argc, argv, "+fh", long_options, NULL)) != -1) {
        switch (c) {
        case 'f':
            *is_forced = true;
            break;
        case 'h':
            return print_help(usage_text, help_text);
        default: /* getopt_long has said what is wrong */
            return print_usage_error(usage_text, "hook");
        }
    }
    return -1;
}

int cmd_hook(int argc, char **argv)
{
    bool is_forced = false;
    int status = parse_flags(argc, argv, &is_forced);
    if (status >= 0)
        return status;
    if (optind >= argc || strcmp(argv[optind], "install") != 0) {
        if (optind < argc)
            cli_message(NULL, "unknown action '%s' (expected install)", argv[optind]);
        else
            cli_message(NULL, "no action given (expected install)");
        return print_usage_error(usage_text, "hook");
    }
    optind++; /* options may follow the action too: piiscan hook install --force */
    status = parse_flags(argc, argv, &is_forced);
    if (status >= 0)
        return status;
    /* What follows "--" is for piiscan scan; getopt_long has stepped over the "--". */
    bool has_dashes = strcmp(argv[optind - 1], "--") == 0;
    if (optind < argc && !has_dashes) {
        cli_message(NULL, "unexpected '%s' (options for scan go after --)", argv[optind]);
        return print_usage_error(usage_text, "hook");
    }
    return install(is_forced, argv + optind, argc - optind);
}
