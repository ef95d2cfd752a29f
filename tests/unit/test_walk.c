/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_walk.c - the directory walk (cli/walk.c): trees are made in a temporary directory,
 * which is the current directory of each test, and walked with callbacks that write down
 * what they are told, one line per event ("file a/b.csv", "skip a/c: reason",
 * "error a/d: No such file or directory").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "cli.h"
#include "ignore.h"

/* walk.c says what is wrong with an option value through cli_message; the tests keep it. */
static char last_message[512];

void cli_message(const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    (void)path;
}

/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                     */

static char tree_dir[] = "/tmp/piiscan-walk-XXXXXX";

static void make_tree_dir(void)
{
    cr_assert_not_null(mkdtemp(tree_dir), "a temporary directory: %s", strerror(errno));
    cr_assert_eq(chdir(tree_dir), 0, "into it");
}

static void remove_tree_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", tree_dir, tree_dir);
    if (chdir("/") != 0 || system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tree_dir);
}

TestSuite(walk, .init = make_tree_dir, .fini = remove_tree_dir);

/* Makes the directories on the way, then the file with that content. */
static void put(const char *path, const char *content)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *s = strchr(dir + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(dir, 0755) < 0)
            cr_assert_eq(errno, EEXIST, "mkdir %s: %s", dir, strerror(errno));
        *s = '/';
    }
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "create %s: %s", path, strerror(errno));
    fputs(content, fp);
    cr_assert_eq(fclose(fp), 0, "write %s", path);
}

static void link_to(const char *target, const char *path)
{
    cr_assert_eq(symlink(target, path), 0, "symlink %s -> %s: %s", path, target, strerror(errno));
}

/* ------------------------------------------------------------------------------------------ */
/* What the walk says                                                                         */

struct events {
    char text[8192];
    const char *unlink_on_first_file; /* a path removed when the first file is met */
    const char *rmdir_on_first_file;  /* a directory removed then, after it */
};

static void add(struct events *ev, const char *fmt, ...)
{
    size_t n = strlen(ev->text);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ev->text + n, sizeof ev->text - n, fmt, ap);
    va_end(ap);
}

static int on_file(void *user, const char *path, bool is_named)
{
    struct events *ev = user;
    add(ev, "file %s%s\n", path, is_named ? " (follow)" : "");
    if (ev->unlink_on_first_file != NULL) {
        cr_assert_eq(unlink(ev->unlink_on_first_file), 0, "removed in the middle");
        ev->unlink_on_first_file = NULL;
    }
    if (ev->rmdir_on_first_file != NULL) {
        cr_assert_eq(rmdir(ev->rmdir_on_first_file), 0, "removed in the middle");
        ev->rmdir_on_first_file = NULL;
    }
    return 0;
}

static int on_error(void *user, const char *path, int errnum)
{
    add(user, "error %s: %s\n", path, strerror(errnum));
    return 0;
}

static int on_error_text(void *user, const char *path, const char *reason)
{
    add(user, "error %s: %s\n", path, reason);
    return 0;
}

static int on_skip(void *user, const char *path, const char *reason)
{
    add(user, "skip %s: %s\n", path, reason);
    return 0;
}

static const struct walk_ops ops = {
    .file = on_file,
    .error = on_error,
    .skip = on_skip,
    .error_text = on_error_text,
};

/* Walks the PATHs (NULL-terminated) with the options; returns the events. */
static void walk(struct events *ev, const struct walk_options *wo, ...)
{
    char *paths[16];
    size_t n = 0;
    va_list ap;
    va_start(ap, wo);
    for (char *p; (p = va_arg(ap, char *)) != NULL && n < 16;)
        paths[n++] = p;
    va_end(ap);
    cr_assert_eq(walk_paths(wo, &ops, ev, paths, n), 0, "the walk ends by itself");
}

/* The events, against what was expected and why; both shown on a failure. */
static void expect_events(const struct events *ev, const char *expected, const char *why)
{
    cr_expect(strcmp(ev->text, expected) == 0, "%s\n--- expected:\n%s--- got:\n%s", why, expected,
              ev->text);
}

static void option(struct walk_options *wo, int c, const char *arg)
{
    cr_assert_eq(walk_parse_option(wo, c, arg), 0, "option %d %s: %s", c, arg ? arg : "",
                 last_message);
}

/* ------------------------------------------------------------------------------------------ */
/* Order, links, special files                                                                */

Test(walk, entries_come_in_byte_order_and_every_extension_is_offered)
{
    put("t/b.csv", "x");
    put("t/a/z", "x");
    put("t/A.xlsx", "x");
    put("t/c.png", "x");
    put("t/noext", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/A.xlsx\n"
                  "file t/a/z\n"
                  "file t/b.csv\n"
                  "file t/c.png\n"
                  "file t/noext\n",
                  "sorted by bytes, directories in place; no name filtered: the library "
                  "decides what a file holds by its content");
}

Test(walk, symlinks_in_directories_not_followed_by_default)
{
    put("t/a.csv", "x");
    put("outside/o.csv", "x");
    link_to("../outside", "t/dir-link");
    link_to("a.csv", "t/file-link");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "skip t/dir-link: symbolic link\n"
                  "skip t/file-link: symbolic link\n",
                  "links inside a directory are skipped, with the reason");
}

Test(walk, follow_enters_links_and_skips_a_loop_by_device_and_inode)
{
    put("t/a.csv", "x");
    put("t/sub/s.csv", "x");
    put("outside/o.csv", "x");
    link_to("../outside", "t/dir-link");
    link_to("..", "t/sub/up"); /* t/sub/up is t: a loop */
    link_to("nowhere", "t/broken");
    struct walk_options wo = {0};
    option(&wo, 'L', NULL);
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "skip t/broken: broken symbolic link\n"
                  "file t/dir-link/o.csv\n"
                  "file t/sub/s.csv\n"
                  "skip t/sub/up: directory loop: already being walked\n",
                  "the linked directory is walked once, the loop back to t is not "
                  "entered, the broken link is said");
    walk_options_free(&wo);
}

Test(walk, follow_opens_linked_files_following_links)
{
    put("t/a.csv", "x");
    link_to("a.csv", "t/b-link.csv");
    struct walk_options wo = {0};
    option(&wo, 'L', NULL);
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "file t/b-link.csv (follow)\n",
                  "a file reached through a link is to be opened following it");
}

Test(walk, fifo_inside_a_directory_skipped_with_its_kind)
{
    put("t/a.csv", "x");
    cr_assert_eq(mkfifo("t/pipe", 0600), 0, "mkfifo");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev, "file t/a.csv\nskip t/pipe: fifo\n", "a fifo could block");
}

Test(walk, piiscan_temporary_files_skipped)
{
    put("t/.a.csv.piiscan-Ab12Cd.tmp", "x");
    put("t/.hidden.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "skip t/.a.csv.piiscan-Ab12Cd.tmp: piiscan temporary file\n"
                  "file t/.hidden.csv\n",
                  "hidden files are scanned; redact's temporary files are not");
}

/* ------------------------------------------------------------------------------------------ */
/* Vanishing and missing files                                                                */

Test(walk, file_vanishing_during_the_walk_is_an_error_not_a_skip)
{
    put("t/a.csv", "x");
    put("t/b.csv", "x");
    put("t/c.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {.unlink_on_first_file = "t/b.csv"};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "error t/b.csv: No such file or directory\n"
                  "file t/c.csv\n",
                  "b.csv was listed, then removed: an error (never clean), and the walk "
                  "goes on");
}

Test(walk, directory_vanishing_during_the_walk_is_an_error)
{
    put("t/a.csv", "x");
    put("t/b/x.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {.unlink_on_first_file = "t/b/x.csv", .rmdir_on_first_file = "t/b"};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "error t/b: No such file or directory\n",
                  "t/b was listed, then removed: an error");
}

Test(walk, missing_path_is_an_error_and_the_next_path_is_walked)
{
    put("a.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "missing", "a.csv", NULL);
    expect_events(&ev,
                  "error missing: No such file or directory\n"
                  "file a.csv (follow)\n",
                  "reported, and the sweep goes on");
}

Test(walk, unreadable_directory_reported_and_the_walk_goes_on)
{
    put("t/a/x.csv", "x");
    put("t/b.csv", "x");
    cr_assert_eq(chmod("t/a", 0), 0, "chmod 0");
    /* Root reads any directory: the walk runs as nobody, root kept as the saved user id. */
    bool is_root = geteuid() == 0;
    if (is_root) {
        cr_assert_eq(chmod(tree_dir, 0755), 0, "the tree open to nobody");
        if (seteuid(65534) < 0)
            cr_skip_test("cannot run as nobody: %s", strerror(errno));
    }
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    if (is_root)
        cr_assert_eq(seteuid(0), 0, "root again, to clean up");
    expect_events(&ev, "error t/a: Permission denied\nfile t/b.csv\n",
                  "reported, and the walk goes on");
}

/* ------------------------------------------------------------------------------------------ */
/* --exclude and --include                                                                    */

Test(walk, exclude_leaves_out_matching_files_and_prunes_directories)
{
    put("t/a.csv", "x");
    put("t/a.bak", "x");
    put("t/old/x.csv", "x");
    put("t/sub/old/y.csv", "x");
    put("t/sub/z.bak", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_EXCLUDE, "*.bak");
    option(&wo, WALK_OPT_EXCLUDE, "/old/");
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "skip t/a.bak: excluded by --exclude '*.bak'\n"
                  "file t/a.csv\n"
                  "skip t/old: excluded by --exclude '/old/'\n"
                  "file t/sub/old/y.csv\n"
                  "skip t/sub/z.bak: excluded by --exclude '*.bak'\n",
                  "*.bak at any depth; /old/ anchored to the PATH walked");
    walk_options_free(&wo);
}

Test(walk, include_keeps_matching_files_and_still_descends)
{
    put("t/a.csv", "x");
    put("t/a.txt", "x");
    put("t/d/b.csv", "x");
    put("t/d/b.txt", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_INCLUDE, "*.csv");
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "skip t/a.txt: not matched by --include\n"
                  "file t/d/b.csv\n"
                  "skip t/d/b.txt: not matched by --include\n",
                  "directories are walked; files must match");
    walk_options_free(&wo);
}

Test(walk, include_of_a_directory_keeps_everything_below_it_and_exclude_wins)
{
    put("t/keep/a.txt", "x");
    put("t/keep/deep/b.txt", "x");
    put("t/keep/c.bak", "x");
    put("t/other/d.txt", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_INCLUDE, "keep/");
    option(&wo, WALK_OPT_EXCLUDE, "*.bak");
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "file t/keep/a.txt\n"
                  "skip t/keep/c.bak: excluded by --exclude '*.bak'\n"
                  "file t/keep/deep/b.txt\n"
                  "skip t/other/d.txt: not matched by --include\n",
                  "keep/ includes its contents; --exclude beats --include");
    walk_options_free(&wo);
}

Test(walk, globs_match_below_the_path_walked_with_double_star)
{
    put("t/2023/q1/a.csv", "x");
    put("t/2024/q1/b.csv", "x");
    put("t/2024/c.csv", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_EXCLUDE, "2024/**/*.csv");
    struct events ev = {0};
    walk(&ev, &wo, "./t/", NULL);
    expect_events(&ev,
                  "file ./t/2023/q1/a.csv\n"
                  "skip ./t/2024/c.csv: excluded by --exclude '2024/**/*.csv'\n"
                  "skip ./t/2024/q1/b.csv: excluded by --exclude '2024/**/*.csv'\n",
                  "the glob sees 2024/..., not t/2024/...; ** takes zero or more "
                  "directories");
    walk_options_free(&wo);
}

Test(walk, named_file_is_matched_on_its_path_as_named)
{
    put("fixtures/a.csv", "x");
    put("src/b.csv", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_EXCLUDE, "fixtures/");
    struct events ev = {0};
    walk(&ev, &wo, "fixtures/a.csv", "./src/b.csv", NULL);
    expect_events(&ev,
                  "skip fixtures/a.csv: under fixtures, which is excluded by --exclude "
                  "'fixtures/'\n"
                  "file ./src/b.csv (follow)\n",
                  "a named file is what a walk of . would meet (as a pre-commit hook "
                  "names staged files)");
    walk_options_free(&wo);
}

Test(walk, globs_of_a_named_file_do_not_depend_on_the_path_before_it)
{
    put("sub/x.bak", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_EXCLUDE, "sub/*.bak");
    struct events ev = {0};
    walk(&ev, &wo, "sub", "sub/x.bak", NULL);
    expect_events(&ev,
                  "file sub/x.bak\n"
                  "skip sub/x.bak: excluded by --exclude 'sub/*.bak'\n",
                  "in the walk of sub the glob sees x.bak; named, the file is sub/x.bak");
    walk_options_free(&wo);
}

/* ------------------------------------------------------------------------------------------ */
/* .piiscanignore                                                                             */

Test(walk, ignore_files_at_several_levels_with_negation)
{
    put("t/.piiscanignore", "# old exports\n*.bak\nlogs/\n");
    put("t/a.bak", "x");
    put("t/a.csv", "x");
    put("t/logs/l.csv", "x");
    put("t/sub/.piiscanignore", "!keep.bak\n");
    put("t/sub/keep.bak", "x");
    put("t/sub/other.bak", "x");
    put("t/sub/deeper/.piiscanignore", "keep.bak\n!logs/\n");
    put("t/sub/deeper/keep.bak", "x");
    put("t/sub/deeper/logs/d.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    cr_expect_str_eq(
        ev.text,
        "file t/.piiscanignore\n"
        "skip t/a.bak: ignored by t/.piiscanignore:2 (*.bak)\n"
        "file t/a.csv\n"
        "skip t/logs: ignored by t/.piiscanignore:3 (logs/)\n"
        "file t/sub/.piiscanignore\n"
        "file t/sub/deeper/.piiscanignore\n"
        "skip t/sub/deeper/keep.bak: ignored by t/sub/deeper/.piiscanignore:1 (keep.bak)\n"
        "file t/sub/deeper/logs/d.csv\n"
        "file t/sub/keep.bak\n"
        "skip t/sub/other.bak: ignored by t/.piiscanignore:2 (*.bak)\n",
        "each file applies below its directory; the deepest file with a matching pattern "
        "decides, a negation included");
}

Test(walk, ignore_file_patterns_are_anchored_to_their_directory)
{
    put("t/sub/.piiscanignore", "/a.csv\nx/b.csv\n");
    put("t/sub/a.csv", "x");
    put("t/sub/x/a.csv", "x");
    put("t/sub/x/b.csv", "x");
    put("t/a.csv", "x");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_NO_IGNORE, NULL);
    struct events with = {0};
    walk(&with, &wo, "t", NULL);
    struct walk_options plain = {0};
    struct events ev = {0};
    walk(&ev, &plain, "t", NULL);
    expect_events(&ev,
                  "file t/a.csv\n"
                  "file t/sub/.piiscanignore\n"
                  "skip t/sub/a.csv: ignored by t/sub/.piiscanignore:1 (/a.csv)\n"
                  "file t/sub/x/a.csv\n"
                  "skip t/sub/x/b.csv: ignored by t/sub/.piiscanignore:2 (x/b.csv)\n",
                  "/a.csv is sub/a.csv only; x/b.csv is sub/x/b.csv");
    cr_expect_eq(strstr(with.text, "skip"), NULL, "--no-ignore reads no ignore file: %s",
                 with.text);
}

Test(walk, ignored_directory_cannot_be_reopened_by_a_negation_inside)
{
    put(".piiscanignore", "build/\n!build/keep.csv\n");
    put("build/keep.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, ".", NULL);
    expect_events(&ev,
                  "file ./.piiscanignore\n"
                  "skip ./build: ignored by ./.piiscanignore:1 (build/)\n",
                  "as in git: a file under an ignored directory stays ignored");
}

Test(walk, named_paths_obey_the_ignore_files_on_the_way_down)
{
    put(".piiscanignore", "fixtures/\n");
    put("fixtures/a.csv", "x");
    put("src/.piiscanignore", "*.gen.csv\n");
    put("src/b.gen.csv", "x");
    put("src/c.csv", "x");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "fixtures/a.csv", "src/b.gen.csv", "src/c.csv", "fixtures", NULL);
    expect_events(&ev,
                  "skip fixtures/a.csv: under fixtures, which is ignored by "
                  ".piiscanignore:1 (fixtures/)\n"
                  "skip src/b.gen.csv: ignored by src/.piiscanignore:1 (*.gen.csv)\n"
                  "file src/c.csv (follow)\n"
                  "skip fixtures: ignored by .piiscanignore:1 (fixtures/)\n",
                  "the ignore files of . and src apply to named paths below them");
}

Test(walk, named_paths_in_one_directory_read_its_ignore_file_once)
{
    put("d/x.csv", "x");
    put("d/y.csv", "x");
    put("e/z.csv", "x");
    cr_assert_eq(mkdir("d/.piiscanignore", 0755), 0, "an ignore file that cannot be read");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "d/x.csv", "./d/y.csv", "e/z.csv", "d/x.csv", NULL);
    expect_events(&ev,
                  "skip d/.piiscanignore: not a regular file, not read for patterns\n"
                  "file d/x.csv (follow)\n"
                  "file ./d/y.csv (follow)\n"
                  "file e/z.csv (follow)\n"
                  "skip d/.piiscanignore: not a regular file, not read for patterns\n"
                  "file d/x.csv (follow)\n",
                  "a list of files in one directory looks at its ignore file once; another "
                  "directory in between makes it looked at again");
}

Test(walk, symlinked_ignore_file_is_not_read)
{
    put("t/real", "*.csv\n");
    put("t/a.csv", "x");
    link_to("real", "t/.piiscanignore");
    struct walk_options wo = {0};
    struct events ev = {0};
    walk(&ev, &wo, "t", NULL);
    expect_events(&ev,
                  "skip t/.piiscanignore: symbolic link, not read for patterns\n"
                  "skip t/.piiscanignore: symbolic link\n"
                  "file t/a.csv\n"
                  "file t/real\n",
                  "as git does for .gitignore: a link could bring patterns from "
                  "anywhere");
}

/* ------------------------------------------------------------------------------------------ */
/* --max-filesize, --one-file-system                                                          */

Test(walk, max_filesize_skips_bigger_files_with_a_reason)
{
    put("t/small.csv", "0123456789"); /* 10 bytes: at the limit */
    put("t/big.csv", "0123456789a");  /* 11 bytes */
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_MAX_FILESIZE, "10");
    struct events ev = {0};
    walk(&ev, &wo, "t", "t/big.csv", NULL);
    expect_events(&ev,
                  "skip t/big.csv: larger than --max-filesize (11 bytes)\n"
                  "file t/small.csv\n"
                  "skip t/big.csv: larger than --max-filesize (11 bytes)\n",
                  "at the limit is scanned, above it is not, named or walked");
}

Test(walk, one_file_system_stays_off_other_mounts)
{
    /* A directory on another file system than the tree, reached by a followed link: a
     * mount point inside the tree would need privileges this test may not have. */
    static const char *const candidates[] = {"/dev/shm", "/run", "/run/user", "/var/tmp"};
    struct stat here;
    cr_assert_eq(stat(".", &here), 0, "stat .");
    char other[64] = "";
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0] && other[0] == '\0'; i++) {
        struct stat sb;
        if (stat(candidates[i], &sb) < 0 || sb.st_dev == here.st_dev)
            continue;
        snprintf(other, sizeof other, "%s/piiscan-walk-XXXXXX", candidates[i]);
        if (mkdtemp(other) == NULL)
            other[0] = '\0';
    }
    if (other[0] == '\0')
        cr_skip_test("no writable directory on another file system than %s", tree_dir);
    char inside[96];
    snprintf(inside, sizeof inside, "%s/o.csv", other);
    put(inside, "x");
    put("t/a.csv", "x");
    link_to(other, "t/mnt");
    struct walk_options wo = {0};
    option(&wo, 'L', NULL);
    struct events crossing = {0};
    walk(&crossing, &wo, "t", NULL);
    option(&wo, WALK_OPT_ONE_FILE_SYSTEM, NULL);
    struct events staying = {0};
    walk(&staying, &wo, "t", NULL);
    unlink(inside);
    rmdir(other);
    expect_events(&crossing, "file t/a.csv\nfile t/mnt/o.csv\n",
                  "without the option the other file system is walked");
    expect_events(&staying, "file t/a.csv\nskip t/mnt: on another file system\n",
                  "with it, its st_dev keeps it out");
}

/* ------------------------------------------------------------------------------------------ */
/* --files-from                                                                               */

static void write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "create %s", path);
    cr_assert_eq(fwrite(bytes, 1, n, fp), n, "write %s", path);
    cr_assert_eq(fclose(fp), 0, "close %s", path);
}

Test(walk, files_from_reads_one_path_per_line_after_the_command_line)
{
    put("a.csv", "x");
    put("d/b.csv", "x");
    put("d/c.csv", "x");
    put("-", "x");
    static const char list[] = "d\n\na.csv\n-\nmissing.csv";
    write_bytes("list", list, sizeof list - 1);
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "list");
    struct events ev = {0};
    walk(&ev, &wo, "d/c.csv", NULL);
    expect_events(&ev,
                  "file d/c.csv (follow)\n"
                  "file d/b.csv\n"
                  "file d/c.csv\n"
                  "file a.csv (follow)\n"
                  "file ./- (follow)\n"
                  "error missing.csv: No such file or directory\n",
                  "PATHs first, then the list; a directory in the list is walked; empty "
                  "lines name nothing; '-' in a list is a file; the last line needs no "
                  "newline");
}

Test(walk, files_from_with_null_takes_names_with_newlines_and_spaces)
{
    put("a b.csv", "x");
    put("line\nbreak.csv", "x");
    put("顧客.csv", "x");
    static const char list[] = "a b.csv\0line\nbreak.csv\0顧客.csv\0";
    write_bytes("list0", list, sizeof list - 1);
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "list0");
    option(&wo, '0', NULL);
    struct events ev = {0};
    walk(&ev, &wo, NULL);
    expect_events(&ev,
                  "file a b.csv (follow)\n"
                  "file line\nbreak.csv (follow)\n"
                  "file 顧客.csv (follow)\n",
                  "as find -print0 and git diff -z write them");
}

Test(walk, files_from_on_standard_input)
{
    put("a.csv", "x");
    write_bytes("list", "a.csv\n", 6);
    cr_assert_not_null(freopen("list", "r", stdin), "stdin from the list");
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "-");
    struct events ev = {0};
    walk(&ev, &wo, "-", NULL);
    expect_events(&ev,
                  "error -: standard input is read as the list of --files-from; it cannot "
                  "be scanned as well\n"
                  "file a.csv (follow)\n",
                  "'-' is the list, so it cannot be a PATH too");
}

Test(walk, files_from_with_nul_bytes_needs_null)
{
    put("a.csv", "x");
    write_bytes("list0", "a.csv\0a.csv\0", 12);
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "list0");
    struct events ev = {0};
    walk(&ev, &wo, NULL);
    expect_events(&ev,
                  "error list0: the list holds NUL bytes: a list made by find -print0 or "
                  "git -z needs -0 (--null)\n",
                  "a -print0 list read by lines is refused, not read as odd names");
}

Test(walk, files_from_with_null_but_only_lines_is_refused)
{
    write_bytes("list", "a.csv\nb.csv\n", 12);
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "list");
    option(&wo, '0', NULL);
    struct events ev = {0};
    walk(&ev, &wo, NULL);
    expect_events(&ev,
                  "error list: the list has lines but no NUL byte: with -0 (--null) it "
                  "would be one name; drop -0 for a list of lines\n",
                  "a list of lines read with -0 would be one name");
}

Test(walk, files_from_missing_list_is_an_error)
{
    struct walk_options wo = {0};
    option(&wo, WALK_OPT_FILES_FROM, "no-such-list");
    struct events ev = {0};
    walk(&ev, &wo, NULL);
    expect_events(&ev, "error no-such-list: No such file or directory\n", "said");
}

/* ------------------------------------------------------------------------------------------ */
/* Option values                                                                              */

Test(walk, sizes_take_binary_suffixes)
{
    uint64_t n = 0;
    cr_expect(walk_parse_size("512", &n) == 0 && n == 512, "plain bytes");
    cr_expect(walk_parse_size("64K", &n) == 0 && n == 65536, "K is 1024");
    cr_expect(walk_parse_size("4m", &n) == 0 && n == 4u << 20, "m is 1024 K");
    cr_expect(walk_parse_size("2G", &n) == 0 && n == 2ull << 30, "G is 1024 M");
    cr_expect_eq(walk_parse_size("-1", &n), -1, "no negative size");
    cr_expect_eq(walk_parse_size("1KB", &n), -1, "one suffix letter only");
    cr_expect_eq(walk_parse_size("", &n), -1, "no empty size");
    cr_expect_eq(walk_parse_size("99999999999999999999", &n), -1, "no overflow");
    cr_expect_eq(walk_parse_size("17179869184G", &n), -1, "no overflow through the suffix");
}

Test(walk, bad_option_values_are_refused_with_a_message)
{
    struct walk_options wo = {0};
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_MAX_FILESIZE, "0"), -1, "0 bytes");
    cr_expect(strstr(last_message, "--max-filesize") != NULL, "names the option: %s", last_message);
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_EXCLUDE, "!*.csv"), -1, "a leading !");
    cr_expect(strstr(last_message, "--exclude") != NULL, "names the option: %s", last_message);
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_INCLUDE, ""), -1, "an empty glob");
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_FILES_FROM, "a"), 0, "one list");
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_FILES_FROM, "b"), -1, "not two");
    walk_options_free(&wo);
}
