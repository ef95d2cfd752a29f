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
#include "cli_message_stub.h"
#include "ignore.h"

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

/* The events, against what was expected and why; both shown on a failure. */
static void expect_events(const struct events *ev, const char *expected, const char *why)
{
    cr_expect(strcmp(ev->text, expected) == 0, "%s\n--- expected:\n%s--- got:\n%s", why, expected,
              ev->text);
}

static void option(struct walk_options *wo, int c, const char *arg)
{
    cr_assert_eq(walk_parse_option(wo, c, arg), 0, "option %d %s: %s", c, arg ? arg : "",
                 test_cli_message);
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "create %s", path);
    cr_assert_eq(fwrite(bytes, 1, n, fp), n, "write %s", path);
    cr_assert_eq(fclose(fp), 0, "close %s", path);
}

/* ------------------------------------------------------------------------------------------ */
/* A walk case: the tree a test makes, the options and PATHs it walks with, what it expects   */

/* Each list ends at its first empty entry. */
struct walk_case {
    const char *files[12]; /* regular files holding "x" */
    struct {
        const char *path;
        const char *content;
    } texts[4]; /* files whose content matters: ignore files, lists, sizes */
    struct {
        const char *target;
        const char *path;
    } links[4]; /* symbolic links, made after the files */
    struct {
        int c; /* as getopt_long returns it */
        const char *arg;
    } options[4];
    char *paths[8];                   /* the PATHs walked, in order */
    const char *unlink_on_first_file; /* see struct events */
    const char *rmdir_on_first_file;
    const char *expected; /* the events, one line each */
    const char *why;
};

/* Makes the files, the texts and then the links of the case. */
static void make_tree(const struct walk_case *c)
{
    for (size_t i = 0; i < 12 && c->files[i] != NULL; i++)
        put(c->files[i], "x");
    for (size_t i = 0; i < 4 && c->texts[i].path != NULL; i++)
        put(c->texts[i].path, c->texts[i].content);
    for (size_t i = 0; i < 4 && c->links[i].path != NULL; i++)
        link_to(c->links[i].target, c->links[i].path);
}

/* Walks the case's PATHs with its options; adds the events to ev. */
static void walk_case(const struct walk_case *c, struct events *ev)
{
    struct walk_options wo = {0};
    for (size_t i = 0; i < 4 && c->options[i].c != 0; i++)
        option(&wo, c->options[i].c, c->options[i].arg);
    size_t n = 0;
    while (n < 8 && c->paths[n] != NULL)
        n++;
    ev->unlink_on_first_file = c->unlink_on_first_file;
    ev->rmdir_on_first_file = c->rmdir_on_first_file;
    cr_assert_eq(walk_paths(&wo, &ops, ev, c->paths, n), 0, "the walk ends by itself");
    walk_options_free(&wo);
}

/* Walks the case (its tree already made) and expects its events. */
static void expect_walk(const struct walk_case *c)
{
    struct events ev = {0};
    walk_case(c, &ev);
    expect_events(&ev, c->expected, c->why);
}

/* ------------------------------------------------------------------------------------------ */
/* Order, links, special files                                                                */

Test(walk, entries_come_in_byte_order_and_every_extension_is_offered)
{
    static const struct walk_case c = {
        .files = {"t/b.csv", "t/a/z", "t/A.xlsx", "t/c.png", "t/noext"},
        .paths = {"t"},
        .expected = "file t/A.xlsx\n"
                    "file t/a/z\n"
                    "file t/b.csv\n"
                    "file t/c.png\n"
                    "file t/noext\n",
        .why = "sorted by bytes, directories in place; no name filtered: the library decides "
               "what a file holds by its content",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, symlinks_in_directories_not_followed_by_default)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "outside/o.csv"},
        .links = {{"../outside", "t/dir-link"}, {"a.csv", "t/file-link"}},
        .paths = {"t"},
        .expected = "file t/a.csv\n"
                    "skip t/dir-link: symbolic link\n"
                    "skip t/file-link: symbolic link\n",
        .why = "links inside a directory are skipped, with the reason",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, follow_enters_links_and_skips_a_loop_by_device_and_inode)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "t/sub/s.csv", "outside/o.csv"},
        .links = {{"../outside", "t/dir-link"},
                  {"..", "t/sub/up"}, /* t/sub/up is t: a loop */
                  {"nowhere", "t/broken"}},
        .options = {{'L', NULL}},
        .paths = {"t"},
        .expected = "file t/a.csv\n"
                    "skip t/broken: broken symbolic link\n"
                    "file t/dir-link/o.csv\n"
                    "file t/sub/s.csv\n"
                    "skip t/sub/up: directory loop: already being walked\n",
        .why = "the linked directory is walked once, the loop back to t is not entered, the "
               "broken link is said",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, follow_opens_linked_files_following_links)
{
    static const struct walk_case c = {
        .files = {"t/a.csv"},
        .links = {{"a.csv", "t/b-link.csv"}},
        .options = {{'L', NULL}},
        .paths = {"t"},
        .expected = "file t/a.csv\n"
                    "file t/b-link.csv (follow)\n",
        .why = "a file reached through a link is to be opened following it",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, fifo_inside_a_directory_skipped_with_its_kind)
{
    static const struct walk_case c = {
        .files = {"t/a.csv"},
        .paths = {"t"},
        .expected = "file t/a.csv\nskip t/pipe: fifo\n",
        .why = "a fifo could block",
    };
    make_tree(&c);
    cr_assert_eq(mkfifo("t/pipe", 0600), 0, "mkfifo");
    expect_walk(&c);
}

Test(walk, piiscan_temporary_files_skipped)
{
    static const struct walk_case c = {
        .files = {"t/.a.csv.piiscan-Ab12Cd.tmp", "t/.hidden.csv"},
        .paths = {"t"},
        .expected = "skip t/.a.csv.piiscan-Ab12Cd.tmp: piiscan temporary file\n"
                    "file t/.hidden.csv\n",
        .why = "hidden files are scanned; redact's temporary files are not",
    };
    make_tree(&c);
    expect_walk(&c);
}

/* ------------------------------------------------------------------------------------------ */
/* Vanishing and missing files                                                                */

Test(walk, file_vanishing_during_the_walk_is_an_error_not_a_skip)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "t/b.csv", "t/c.csv"},
        .paths = {"t"},
        .unlink_on_first_file = "t/b.csv",
        .expected = "file t/a.csv\n"
                    "error t/b.csv: No such file or directory\n"
                    "file t/c.csv\n",
        .why = "b.csv was listed, then removed: an error (never clean), and the walk goes on",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, directory_vanishing_during_the_walk_is_an_error)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "t/b/x.csv"},
        .paths = {"t"},
        .unlink_on_first_file = "t/b/x.csv",
        .rmdir_on_first_file = "t/b",
        .expected = "file t/a.csv\n"
                    "error t/b: No such file or directory\n",
        .why = "t/b was listed, then removed: an error",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, missing_path_is_an_error_and_the_next_path_is_walked)
{
    static const struct walk_case c = {
        .files = {"a.csv"},
        .paths = {"missing", "a.csv"},
        .expected = "error missing: No such file or directory\n"
                    "file a.csv (follow)\n",
        .why = "reported, and the sweep goes on",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, unreadable_directory_reported_and_the_walk_goes_on)
{
    static const struct walk_case c = {
        .files = {"t/a/x.csv", "t/b.csv"},
        .paths = {"t"},
        .expected = "error t/a: Permission denied\nfile t/b.csv\n",
        .why = "reported, and the walk goes on",
    };
    make_tree(&c);
    cr_assert_eq(chmod("t/a", 0), 0, "chmod 0");
    /* Root reads any directory: the walk runs as nobody, root kept as the saved user id. */
    bool is_root = geteuid() == 0;
    if (is_root) {
        cr_assert_eq(chmod(tree_dir, 0755), 0, "the tree open to nobody");
        if (seteuid(65534) < 0)
            cr_skip_test("cannot run as nobody: %s", strerror(errno));
    }
    struct events ev = {0};
    walk_case(&c, &ev);
    if (is_root)
        cr_assert_eq(seteuid(0), 0, "root again, to clean up");
    expect_events(&ev, c.expected, c.why);
}

/* ------------------------------------------------------------------------------------------ */
/* --exclude and --include                                                                    */

Test(walk, exclude_leaves_out_matching_files_and_prunes_directories)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "t/a.bak", "t/old/x.csv", "t/sub/old/y.csv", "t/sub/z.bak"},
        .options = {{WALK_OPT_EXCLUDE, "*.bak"}, {WALK_OPT_EXCLUDE, "/old/"}},
        .paths = {"t"},
        .expected = "skip t/a.bak: excluded by --exclude '*.bak'\n"
                    "file t/a.csv\n"
                    "skip t/old: excluded by --exclude '/old/'\n"
                    "file t/sub/old/y.csv\n"
                    "skip t/sub/z.bak: excluded by --exclude '*.bak'\n",
        .why = "*.bak at any depth; /old/ anchored to the PATH walked",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, include_keeps_matching_files_and_still_descends)
{
    static const struct walk_case c = {
        .files = {"t/a.csv", "t/a.txt", "t/d/b.csv", "t/d/b.txt"},
        .options = {{WALK_OPT_INCLUDE, "*.csv"}},
        .paths = {"t"},
        .expected = "file t/a.csv\n"
                    "skip t/a.txt: not matched by --include\n"
                    "file t/d/b.csv\n"
                    "skip t/d/b.txt: not matched by --include\n",
        .why = "directories are walked; files must match",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, include_of_a_directory_keeps_everything_below_it_and_exclude_wins)
{
    static const struct walk_case c = {
        .files = {"t/keep/a.txt", "t/keep/deep/b.txt", "t/keep/c.bak", "t/other/d.txt"},
        .options = {{WALK_OPT_INCLUDE, "keep/"}, {WALK_OPT_EXCLUDE, "*.bak"}},
        .paths = {"t"},
        .expected = "file t/keep/a.txt\n"
                    "skip t/keep/c.bak: excluded by --exclude '*.bak'\n"
                    "file t/keep/deep/b.txt\n"
                    "skip t/other/d.txt: not matched by --include\n",
        .why = "keep/ includes its contents; --exclude beats --include",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, globs_match_below_the_path_walked_with_double_star)
{
    static const struct walk_case c = {
        .files = {"t/2023/q1/a.csv", "t/2024/q1/b.csv", "t/2024/c.csv"},
        .options = {{WALK_OPT_EXCLUDE, "2024/**/*.csv"}},
        .paths = {"./t/"},
        .expected = "file ./t/2023/q1/a.csv\n"
                    "skip ./t/2024/c.csv: excluded by --exclude '2024/**/*.csv'\n"
                    "skip ./t/2024/q1/b.csv: excluded by --exclude '2024/**/*.csv'\n",
        .why = "the glob sees 2024/..., not t/2024/...; ** takes zero or more directories",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, named_file_is_matched_on_its_path_as_named)
{
    static const struct walk_case c = {
        .files = {"fixtures/a.csv", "src/b.csv"},
        .options = {{WALK_OPT_EXCLUDE, "fixtures/"}},
        .paths = {"fixtures/a.csv", "./src/b.csv"},
        .expected = "skip fixtures/a.csv: under fixtures, which is excluded by --exclude "
                    "'fixtures/'\n"
                    "file ./src/b.csv (follow)\n",
        .why = "a named file is what a walk of . would meet (as a pre-commit hook names staged "
               "files)",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, globs_of_a_named_file_do_not_depend_on_the_path_before_it)
{
    static const struct walk_case c = {
        .files = {"sub/x.bak"},
        .options = {{WALK_OPT_EXCLUDE, "sub/*.bak"}},
        .paths = {"sub", "sub/x.bak"},
        .expected = "file sub/x.bak\n"
                    "skip sub/x.bak: excluded by --exclude 'sub/*.bak'\n",
        .why = "in the walk of sub the glob sees x.bak; named, the file is sub/x.bak",
    };
    make_tree(&c);
    expect_walk(&c);
}

/* ------------------------------------------------------------------------------------------ */
/* .piiscanignore                                                                             */

Test(walk, ignore_files_at_several_levels_with_negation)
{
    static const struct walk_case c = {
        .texts = {{"t/.piiscanignore", "# old exports\n*.bak\nlogs/\n"},
                  {"t/sub/.piiscanignore", "!keep.bak\n"},
                  {"t/sub/deeper/.piiscanignore", "keep.bak\n!logs/\n"}},
        .files = {"t/a.bak", "t/a.csv", "t/logs/l.csv", "t/sub/keep.bak", "t/sub/other.bak",
                  "t/sub/deeper/keep.bak", "t/sub/deeper/logs/d.csv"},
        .paths = {"t"},
        .expected =
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
        .why = "each file applies below its directory; the deepest file with a matching pattern "
               "decides, a negation included",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, ignore_file_patterns_are_anchored_to_their_directory)
{
    static const struct walk_case c = {
        .texts = {{"t/sub/.piiscanignore", "/a.csv\nx/b.csv\n"}},
        .files = {"t/sub/a.csv", "t/sub/x/a.csv", "t/sub/x/b.csv", "t/a.csv"},
        .paths = {"t"},
        .expected = "file t/a.csv\n"
                    "file t/sub/.piiscanignore\n"
                    "skip t/sub/a.csv: ignored by t/sub/.piiscanignore:1 (/a.csv)\n"
                    "file t/sub/x/a.csv\n"
                    "skip t/sub/x/b.csv: ignored by t/sub/.piiscanignore:2 (x/b.csv)\n",
        .why = "/a.csv is sub/a.csv only; x/b.csv is sub/x/b.csv",
    };
    static const struct walk_case no_ignore = {
        .options = {{WALK_OPT_NO_IGNORE, NULL}},
        .paths = {"t"},
    };
    make_tree(&c);
    struct events with = {0};
    walk_case(&no_ignore, &with);
    expect_walk(&c);
    cr_expect_eq(strstr(with.text, "skip"), NULL, "--no-ignore reads no ignore file: %s",
                 with.text);
}

Test(walk, ignored_directory_cannot_be_reopened_by_a_negation_inside)
{
    static const struct walk_case c = {
        .texts = {{".piiscanignore", "build/\n!build/keep.csv\n"}},
        .files = {"build/keep.csv"},
        .paths = {"."},
        .expected = "file ./.piiscanignore\n"
                    "skip ./build: ignored by ./.piiscanignore:1 (build/)\n",
        .why = "as in git: a file under an ignored directory stays ignored",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, named_paths_obey_the_ignore_files_on_the_way_down)
{
    static const struct walk_case c = {
        .texts = {{".piiscanignore", "fixtures/\n"}, {"src/.piiscanignore", "*.gen.csv\n"}},
        .files = {"fixtures/a.csv", "src/b.gen.csv", "src/c.csv"},
        .paths = {"fixtures/a.csv", "src/b.gen.csv", "src/c.csv", "fixtures"},
        .expected = "skip fixtures/a.csv: under fixtures, which is ignored by "
                    ".piiscanignore:1 (fixtures/)\n"
                    "skip src/b.gen.csv: ignored by src/.piiscanignore:1 (*.gen.csv)\n"
                    "file src/c.csv (follow)\n"
                    "skip fixtures: ignored by .piiscanignore:1 (fixtures/)\n",
        .why = "the ignore files of . and src apply to named paths below them",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, named_paths_in_one_directory_read_its_ignore_file_once)
{
    static const struct walk_case c = {
        .files = {"d/x.csv", "d/y.csv", "e/z.csv"},
        .paths = {"d/x.csv", "./d/y.csv", "e/z.csv", "d/x.csv"},
        .expected = "skip d/.piiscanignore: not a regular file, not read for patterns\n"
                    "file d/x.csv (follow)\n"
                    "file ./d/y.csv (follow)\n"
                    "file e/z.csv (follow)\n"
                    "skip d/.piiscanignore: not a regular file, not read for patterns\n"
                    "file d/x.csv (follow)\n",
        .why = "a list of files in one directory looks at its ignore file once; another "
               "directory in between makes it looked at again",
    };
    make_tree(&c);
    cr_assert_eq(mkdir("d/.piiscanignore", 0755), 0, "an ignore file that cannot be read");
    expect_walk(&c);
}

Test(walk, symlinked_ignore_file_is_not_read)
{
    static const struct walk_case c = {
        .texts = {{"t/real", "*.csv\n"}},
        .files = {"t/a.csv"},
        .links = {{"real", "t/.piiscanignore"}},
        .paths = {"t"},
        .expected = "skip t/.piiscanignore: symbolic link, not read for patterns\n"
                    "skip t/.piiscanignore: symbolic link\n"
                    "file t/a.csv\n"
                    "file t/real\n",
        .why = "as git does for .gitignore: a link could bring patterns from anywhere",
    };
    make_tree(&c);
    expect_walk(&c);
}

/* ------------------------------------------------------------------------------------------ */
/* --max-filesize, --one-file-system                                                          */

Test(walk, max_filesize_skips_bigger_files_with_a_reason)
{
    static const struct walk_case c = {
        .texts = {{"t/small.csv", "0123456789"}, /* 10 bytes: at the limit */
                  {"t/big.csv", "0123456789a"}}, /* 11 bytes */
        .options = {{WALK_OPT_MAX_FILESIZE, "10"}},
        .paths = {"t", "t/big.csv"},
        .expected = "skip t/big.csv: larger than --max-filesize (11 bytes)\n"
                    "file t/small.csv\n"
                    "skip t/big.csv: larger than --max-filesize (11 bytes)\n",
        .why = "at the limit is scanned, above it is not, named or walked",
    };
    make_tree(&c);
    expect_walk(&c);
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
    static const struct walk_case crossing = {
        .options = {{'L', NULL}},
        .paths = {"t"},
        .expected = "file t/a.csv\nfile t/mnt/o.csv\n",
        .why = "without the option the other file system is walked",
    };
    static const struct walk_case staying = {
        .options = {{'L', NULL}, {WALK_OPT_ONE_FILE_SYSTEM, NULL}},
        .paths = {"t"},
        .expected = "file t/a.csv\nskip t/mnt: on another file system\n",
        .why = "with it, its st_dev keeps it out",
    };
    struct events crossed = {0};
    walk_case(&crossing, &crossed);
    struct events stayed = {0};
    walk_case(&staying, &stayed);
    unlink(inside);
    rmdir(other);
    expect_events(&crossed, crossing.expected, crossing.why);
    expect_events(&stayed, staying.expected, staying.why);
}

/* ------------------------------------------------------------------------------------------ */
/* --files-from                                                                               */

Test(walk, files_from_reads_one_path_per_line_after_the_command_line)
{
    static const struct walk_case c = {
        .files = {"a.csv", "d/b.csv", "d/c.csv", "-"},
        .texts = {{"list", "d\n\na.csv\n-\nmissing.csv"}},
        .options = {{WALK_OPT_FILES_FROM, "list"}},
        .paths = {"d/c.csv"},
        .expected = "file d/c.csv (follow)\n"
                    "file d/b.csv\n"
                    "file d/c.csv\n"
                    "file a.csv (follow)\n"
                    "file ./- (follow)\n"
                    "error missing.csv: No such file or directory\n",
        .why = "PATHs first, then the list; a directory in the list is walked; empty lines name "
               "nothing; '-' in a list is a file; the last line needs no newline",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, files_from_with_null_takes_names_with_newlines_and_spaces)
{
    static const struct walk_case c = {
        .files = {"a b.csv", "line\nbreak.csv", "顧客.csv"},
        .options = {{WALK_OPT_FILES_FROM, "list0"}, {'0', NULL}},
        .expected = "file a b.csv (follow)\n"
                    "file line\nbreak.csv (follow)\n"
                    "file 顧客.csv (follow)\n",
        .why = "as find -print0 and git diff -z write them",
    };
    make_tree(&c);
    static const char list[] = "a b.csv\0line\nbreak.csv\0顧客.csv\0";
    write_bytes("list0", list, sizeof list - 1);
    expect_walk(&c);
}

Test(walk, files_from_on_standard_input)
{
    static const struct walk_case c = {
        .files = {"a.csv"},
        .texts = {{"list", "a.csv\n"}},
        .options = {{WALK_OPT_FILES_FROM, "-"}},
        .paths = {"-"},
        .expected = "error -: standard input is read as the list of --files-from; it cannot be "
                    "scanned as well\n"
                    "file a.csv (follow)\n",
        .why = "'-' is the list, so it cannot be a PATH too",
    };
    make_tree(&c);
    cr_assert_not_null(freopen("list", "r", stdin), "stdin from the list");
    expect_walk(&c);
}

Test(walk, files_from_with_nul_bytes_needs_null)
{
    static const struct walk_case c = {
        .files = {"a.csv"},
        .options = {{WALK_OPT_FILES_FROM, "list0"}},
        .expected = "error list0: the list holds NUL bytes: a list made by find -print0 or git "
                    "-z needs -0 (--null)\n",
        .why = "a -print0 list read by lines is refused, not read as odd names",
    };
    make_tree(&c);
    write_bytes("list0", "a.csv\0a.csv\0", 12);
    expect_walk(&c);
}

Test(walk, files_from_with_null_but_only_lines_is_refused)
{
    static const struct walk_case c = {
        .texts = {{"list", "a.csv\nb.csv\n"}},
        .options = {{WALK_OPT_FILES_FROM, "list"}, {'0', NULL}},
        .expected = "error list: the list has lines but no NUL byte: with -0 (--null) it would "
                    "be one name; drop -0 for a list of lines\n",
        .why = "a list of lines read with -0 would be one name",
    };
    make_tree(&c);
    expect_walk(&c);
}

Test(walk, files_from_missing_list_is_an_error)
{
    static const struct walk_case c = {
        .options = {{WALK_OPT_FILES_FROM, "no-such-list"}},
        .expected = "error no-such-list: No such file or directory\n",
        .why = "said",
    };
    expect_walk(&c);
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
    cr_expect(strstr(test_cli_message, "--max-filesize") != NULL, "names the option: %s",
              test_cli_message);
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_EXCLUDE, "!*.csv"), -1, "a leading !");
    cr_expect(strstr(test_cli_message, "--exclude") != NULL, "names the option: %s",
              test_cli_message);
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_INCLUDE, ""), -1, "an empty glob");
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_FILES_FROM, "a"), 0, "one list");
    cr_expect_eq(walk_parse_option(&wo, WALK_OPT_FILES_FROM, "b"), -1, "not two");
    walk_options_free(&wo);
}
