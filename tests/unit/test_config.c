/* SPDX-License-Identifier: BSD-3-Clause */
/* test_config.c - .piiscan.conf (cli/config.c): its rules are read as written, anything not
 * understood is an error naming FILE:LINE, and each path gets the nearest file at or above
 * it, unless someone else could have put it there. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static char dir[64];
static char why[1024];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "%s", "/tmp/piiscan-test-config.XXXXXX");
    cr_assert_not_null(mkdtemp(dir), "a scratch directory");
    why[0] = '\0';
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0, "scratch directory removed");
}

TestSuite(config, .init = make_dir, .fini = remove_dir);

/* Writes `text` to dir/name (directories made), mode 0644; returns the path, in a static
 * buffer that the next call reuses. */
static const char *write_file(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path, 0755);
        *slash = '/';
    }
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "%s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
    chmod(path, 0644);
    return path;
}

static bool allows(const struct config *c, piiscan_type type, const char *value)
{
    return allow_rules_match(c->allow, type, value, strlen(value), NULL);
}

Test(config, example_file_gives_the_rules_it_says)
{
    const char *path =
        write_file(".piiscan.conf", "\xEF\xBB\xBF# the company's own contacts\r\n"
                                    "\r\n"
                                    "[allow]\r\n"
                                    "; reception\r\n"
                                    "phone = 03-1234-5678\r\n"
                                    "  email=info@example.co.jp  \r\n"
                                    "phone.pattern = ^0120\r\n"
                                    "pattern = ^テスト#1$\r\n"
                                    "fingerprint = 0123456789abcdef0123456789abcdef\r\n");
    struct config *c = NULL;
    cr_assert_eq(config_load(path, &c, why, sizeof why), 0, "%s", why);
    cr_expect(allows(c, PIISCAN_TYPE_PHONE, "(03)1234-5678"), "value, CRLF and BOM aside");
    cr_expect(allows(c, PIISCAN_TYPE_EMAIL, "INFO@example.co.jp"), "spaces around key and value");
    cr_expect(allows(c, PIISCAN_TYPE_PHONE, "0120-123-456"), "typed pattern");
    cr_expect_not(allows(c, PIISCAN_TYPE_EMAIL, "0120@example.com"), "typed pattern, other type");
    cr_expect(allows(c, PIISCAN_TYPE_NAME, "テスト#1"), "a '#' inside a value is no comment");
    cr_expect(allow_rules_have_fingerprints(c->allow));
    cr_expect_not(allows(c, PIISCAN_TYPE_PHONE, "03-1234-5679"), "nothing more");
    config_free(c);
}

/* Arrays, not pointers: Criterion hands parameters to a test in another process. */
struct bad_file {
    char label[40];
    char text[160];
    unsigned line;
    char reason[80]; /* a part of the message */
};

static struct bad_file bad_files[] = {
    {"key outside a section", "# x\nphone = 03-1234-5678\n", 2, "outside a section"},
    {"unknown section", "[allow]\n[exclude]\n", 2, "unknown section [exclude]"},
    {"unterminated section", "[allow\n", 1, "ends with ']'"},
    {"unknown key", "[allow]\n\nphones = 03-1234-5678\n", 3, "unknown key 'phones'"},
    {"unknown type of pattern", "[allow]\nfax.pattern = ^03\n", 2, "unknown key 'fax.pattern'"},
    {"no '='", "[allow]\nphone 03-1234-5678\n", 2, "expected KEY = VALUE"},
    {"no value", "[allow]\nphone =\n", 2, "no value"},
    {"no key", "[allow]\n= 03-1234-5678\n", 2, "no key"},
    {"bad pattern", "[allow]\nphone = 03-1234-5678\npattern = [0-9\n", 3, "does not compile"},
    {"value without digits", "[allow]\npostal_code = none\n", 2, "no digits"},
    {"bad fingerprint", "[allow]\nfingerprint = xyz\n", 2, "32 hexadecimal digits"},
    {"not UTF-8", "[allow]\nname = \x8E\x52\x93\x63\n", 2, "not UTF-8"},
};

ParameterizedTestParameters(config, anything_not_understood_is_an_error_at_its_line)
{
    return cr_make_param_array(struct bad_file, bad_files, sizeof bad_files / sizeof *bad_files);
}

ParameterizedTest(struct bad_file *b, config, anything_not_understood_is_an_error_at_its_line)
{
    const char *path = write_file("bad.conf", b->text);
    struct config *c = NULL;
    cr_assert_eq(config_load(path, &c, why, sizeof why), -1, "%s is refused", b->label);
    char where[300];
    snprintf(where, sizeof where, "%s:%u: ", path, b->line);
    cr_expect_eq(strncmp(why, where, strlen(where)), 0, "%s: '%s' starts with '%s'", b->label, why,
                 where);
    cr_expect(strstr(why, b->reason) != NULL, "%s: '%s' says '%s'", b->label, why, b->reason);
}

Test(config, missing_file_named_is_an_error)
{
    struct config *c = NULL;
    cr_assert_eq(config_load("/nonexistent/.piiscan.conf", &c, why, sizeof why), -1);
    cr_assert_str_eq(why, "/nonexistent/.piiscan.conf: No such file or directory");
}

/* config_find() from `path` in the test's directory finds `conf` there (named through
 * `real`, the directory's real path, since /tmp may be a link); `claim` says why. */
static void expect_config_found(const char *real, const char *path, const char *conf,
                                const char *claim)
{
    char from[256];
    char expected[256];
    char *found = NULL;
    snprintf(from, sizeof from, "%s/%s", dir, path);
    snprintf(expected, sizeof expected, "%s/%s", real, conf);
    cr_assert_eq(config_find(from, &found, why, sizeof why), 1, "%s", why);
    cr_expect_str_eq(found, expected, "%s", claim);
    free(found);
}

Test(config, nearest_file_at_or_above_a_path_is_found)
{
    write_file(".piiscan.conf", "[allow]\n");
    write_file("a/b/.piiscan.conf", "[allow]\n");
    write_file("a/b/c/orders.csv", "x\n");
    write_file("a/notes.txt", "x\n");
    char *real = realpath(dir, NULL); /* /tmp may be a link */
    cr_assert_not_null(real);
    expect_config_found(real, "a/b/c/orders.csv", "a/b/.piiscan.conf",
                        "a file: from its directory up");
    expect_config_found(real, "a/b", "a/b/.piiscan.conf", "a directory: its own first");
    expect_config_found(real, "a/notes.txt", ".piiscan.conf", "not one below the path");

    char path[256];
    char *found = NULL;
    snprintf(path, sizeof path, "%s/a/missing.csv", dir);
    cr_expect_eq(config_find(path, &found, why, sizeof why), 0, "a path that is not there");
    free(real);
}

Test(config, standard_input_uses_the_current_directory)
{
    write_file("d/.piiscan.conf", "[allow]\n");
    char *cwd = getcwd(NULL, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/d", dir);
    cr_assert_eq(chdir(path), 0);
    char *found = NULL;
    cr_expect_eq(config_find("-", &found, why, sizeof why), 1, "%s", why);
    cr_expect(found != NULL && strstr(found, "/d/.piiscan.conf") != NULL, "%s", found);
    free(found);
    cr_assert_eq(chdir(cwd), 0);
    free(cwd);
}

static char warned[4][1024];
static size_t nwarned;

static void collect_warning(const char *message)
{
    if (nwarned < 4)
        snprintf(warned[nwarned], sizeof warned[nwarned], "%s", message);
    nwarned++;
}

Test(config, each_path_gets_its_own_file_read_once)
{
    write_file("a/.piiscan.conf", "[allow]\nphone = 03-1234-5678\n");
    write_file("a/x.csv", "x\n");
    write_file("a/y.csv", "x\n");
    write_file("b/z.csv", "x\n");
    char a_x[256], a_y[256], b_z[256];
    snprintf(a_x, sizeof a_x, "%s/a/x.csv", dir);
    snprintf(a_y, sizeof a_y, "%s/a/y.csv", dir);
    snprintf(b_z, sizeof b_z, "%s/b/z.csv", dir);
    char *paths[] = {a_x, b_z, a_y};
    struct config_set *set = NULL;
    cr_assert_eq(config_set_new(NULL, true, paths, 3, collect_warning, &set, why, sizeof why), 0,
                 "%s", why);
    const struct allow_rules *x = config_set_allow(set, 0);
    cr_assert_not_null(x, "a/x.csv has a/.piiscan.conf");
    cr_expect(allow_rules_match(x, PIISCAN_TYPE_PHONE, "0312345678", 10, NULL));
    cr_expect_neq(config_set_allow(set, 1), x, "b/z.csv is not below a/.piiscan.conf");
    cr_expect_eq(config_set_allow(set, 2), x, "the same file is read once");
    cr_expect_not(config_set_has_fingerprints(set));
    config_set_free(set);

    cr_assert_eq(config_set_new(NULL, false, paths, 3, collect_warning, &set, why, sizeof why), 0);
    cr_expect_null(config_set_allow(set, 0), "no lookup (--no-config)");
    config_set_free(set);
}

Test(config, file_given_applies_to_every_path)
{
    char given[256];
    snprintf(given, sizeof given, "%s",
             write_file("given.conf", "[allow]\nfingerprint = 0123456789abcdef0123456789abcdef\n"));
    char *paths[] = {"-", "/nonexistent"};
    struct config_set *set = NULL;
    cr_assert_eq(config_set_new(given, true, paths, 2, collect_warning, &set, why, sizeof why), 0,
                 "%s", why);
    cr_expect_not_null(config_set_allow(set, 0));
    cr_expect_eq(config_set_allow(set, 1), config_set_allow(set, 0));
    cr_expect(config_set_has_fingerprints(set), "the sweep must compute fingerprints");
    config_set_free(set);

    write_file("given.conf", "[allow]\nfoo = 1\n");
    cr_expect_eq(config_set_new(given, true, paths, 2, collect_warning, &set, why, sizeof why), -1,
                 "a bad file given is an error");
    cr_expect(strstr(why, "given.conf:2: unknown key") != NULL, "%s", why);
}

Test(config, file_others_may_write_is_not_used_and_warned_about_once)
{
    char conf[256];
    snprintf(conf, sizeof conf, "%s", write_file("w/.piiscan.conf", "[allow]\nphone = 0\n"));
    chmod(conf, 0666);
    write_file("w/x.csv", "x\n");
    char path[256];
    snprintf(path, sizeof path, "%s/w/x.csv", dir);
    char *paths[] = {path, path};
    struct config_set *set = NULL;
    nwarned = 0;
    cr_assert_eq(config_set_new(NULL, true, paths, 2, collect_warning, &set, why, sizeof why), 0,
                 "%s", why);
    cr_expect_null(config_set_allow(set, 0), "its rules could hide findings");
    cr_expect_null(config_set_allow(set, 1));
    cr_assert_eq(nwarned, 1, "one warning for the file, not one per path");
    cr_expect(strstr(warned[0], "/w/.piiscan.conf: warning: not used, since anyone may write it") !=
                  NULL,
              "%s", warned[0]);
    config_set_free(set);

    cr_assert_eq(config_set_new(conf, true, paths, 2, collect_warning, &set, why, sizeof why), 0,
                 "%s", why);
    cr_expect_not_null(config_set_allow(set, 0), "named with --config, it is used");
    config_set_free(set);
}
