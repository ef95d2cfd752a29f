/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_ignore.c - the gitignore rules of .piiscanignore files and of --exclude/--include
 * globs (cli/ignore.c): glob matching, then how lines become patterns and which one decides.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "ignore.h"

/* ------------------------------------------------------------------------------------------ */
/* Globs                                                                                      */

/* Arrays, not pointers: Criterion copies parameters into each test's own process. */
struct glob_case {
    char glob[32];
    char text[64];
    bool is_match;
    char why[64];
};

static const struct glob_case glob_cases[] = {
    {"*.csv", "orders.csv", true, "star takes any name part"},
    {"*.csv", "a/orders.csv", false, "star never crosses a slash"},
    {"a/*.csv", "a/orders.csv", true, "star within one component"},
    {"a/*", "a/b/c", false, "a single star stops at the next slash"},
    {"ord?rs.csv", "orders.csv", true, "question mark takes one character"},
    {"a?b", "a/b", false, "question mark never takes a slash"},
    {"?.csv", "顧.csv", true, "question mark takes a whole UTF-8 character"},
    {"??.csv", "顧.csv", false, "one character is not two"},
    {"*??.csv", "顧.csv", false, "a star backtracks by characters, not bytes"},
    {"[abc].csv", "b.csv", true, "bracket set"},
    {"[a-c].csv", "d.csv", false, "bracket range excludes what is outside"},
    {"[!a-c].csv", "d.csv", true, "negated range with !"},
    {"[^a-c].csv", "a.csv", false, "negated range with ^"},
    {"[]x].csv", "].csv", true, "a ] first in brackets is literal"},
    {"[顧客].csv", "客.csv", true, "bracket set of UTF-8 characters"},
    {"[ぁ-ん]*.txt", "あいう.txt", true, "bracket range of UTF-8 characters"},
    {"[[:digit:]]*.csv", "2024.csv", true, "named class"},
    {"[[:digit:]]*.csv", "x2024.csv", false, "named class excludes others"},
    {"[[:nosuch:]].csv", "a.csv", false, "an unknown class matches nothing"},
    {"[abc", "a", false, "an unclosed bracket matches nothing"},
    {"a/[/]b", "a//b", false, "a bracket never matches a slash"},
    {"\\*.csv", "*.csv", true, "escaped star is literal"},
    {"\\*.csv", "a.csv", false, "escaped star does not glob"},
    {"\\[a].csv", "[a].csv", true, "escaped bracket is literal"},
    {"a\\", "a\\", false, "a trailing backslash matches nothing, as in git"},
    {"**/x.csv", "x.csv", true, "leading double star may be no directory"},
    {"**/x.csv", "a/b/x.csv", true, "leading double star takes directories"},
    {"a/**", "a/b/c.csv", true, "trailing double star takes everything inside"},
    {"a/**", "a", false, "trailing double star needs something inside"},
    {"a/**/b", "a/b", true, "middle double star may be no directory"},
    {"a/**/b", "a/x/y/b", true, "middle double star takes several directories"},
    {"a/**/b", "a/xb", false, "middle double star keeps the slashes around it"},
    {"a**b", "a/x/b", false, "a double star inside a component is one star"},
    {"a**b", "axxb", true, "a double star inside a component still globs"},
    {"**", "a/b/c", true, "double star alone takes any path"},
    {"*/x", "a/x", true, "star slash"},
    {"*/x", "a/b/x", false, "star slash is one directory"},
    {"**/a/**/*.csv", "z/a/b/c/d.csv", true, "several double stars"},
    {"*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false,
     "many stars end in time (ABORT_ALL)"},
};

ParameterizedTestParameters(ignore, glob_matches_as_git_wildmatch_does)
{
    return cr_make_param_array(struct glob_case, glob_cases,
                               sizeof glob_cases / sizeof glob_cases[0]);
}

ParameterizedTest(const struct glob_case *c, ignore, glob_matches_as_git_wildmatch_does)
{
    cr_expect_eq(ignore_glob_match(c->glob, c->text), c->is_match, "'%s' on '%s': %s (%s)", c->glob,
                 c->text, c->is_match ? "a match" : "no match", c->why);
}

/* ------------------------------------------------------------------------------------------ */
/* Lists                                                                                      */

static struct ignore *from_text(const char *text)
{
    struct ignore *ig = NULL;
    cr_assert_eq(ignore_new("t/.piiscanignore", &ig), 0, "a new list");
    cr_assert_eq(ignore_add_buffer(ig, text, strlen(text)), 0, "lines added");
    return ig;
}

static enum ignore_verdict verdict(const struct ignore *ig, const char *path, bool is_dir)
{
    return ignore_match(ig, path, is_dir, NULL);
}

Test(ignore, comments_and_blank_lines_add_no_pattern)
{
    struct ignore *ig = from_text("# orders.csv\n\n   \n");
    cr_expect(ignore_is_empty(ig), "a comment, an empty line and blanks name nothing");
    cr_expect_eq(verdict(ig, "# orders.csv", false), IGNORE_NONE, "a comment is no pattern");
    ignore_free(ig);
}

Test(ignore, escaped_hash_and_bang_are_literal)
{
    struct ignore *ig = from_text("\\#notes.txt\n\\!keep.csv\n");
    cr_expect_eq(verdict(ig, "#notes.txt", false), IGNORE_MATCHED, "\\# names a file '#...'");
    cr_expect_eq(verdict(ig, "!keep.csv", false), IGNORE_MATCHED, "\\! names a file '!...'");
    cr_expect_eq(verdict(ig, "keep.csv", false), IGNORE_NONE, "\\! is no negation");
    ignore_free(ig);
}

Test(ignore, trailing_spaces_dropped_unless_escaped)
{
    struct ignore *ig = from_text("a.csv   \nb\\ \n");
    cr_expect_eq(verdict(ig, "a.csv", false), IGNORE_MATCHED, "trailing spaces are not part");
    cr_expect_eq(verdict(ig, "b ", false), IGNORE_MATCHED, "an escaped space is kept");
    cr_expect_eq(verdict(ig, "b", false), IGNORE_NONE, "...and needed");
    ignore_free(ig);
}

Test(ignore, crlf_lines_and_a_byte_order_mark_are_read_as_plain_lines)
{
    struct ignore *ig = from_text("\xEF\xBB\xBF"
                                  "a.csv\r\nb.csv\r\n");
    cr_expect_eq(verdict(ig, "a.csv", false), IGNORE_MATCHED, "BOM is not part of line 1");
    cr_expect_eq(verdict(ig, "b.csv", false), IGNORE_MATCHED, "CR is not part of the line");
    ignore_free(ig);
}

Test(ignore, negation_reincludes_and_the_last_match_decides)
{
    struct ignore *ig = from_text("*.csv\n!keep*.csv\nkeep-not.csv\n");
    const struct ignore_pattern *pat = NULL;
    cr_expect_eq(ignore_match(ig, "a.csv", false, &pat), IGNORE_MATCHED, "*.csv");
    cr_assert_not_null(pat, "the deciding pattern is given");
    cr_expect_eq(pat->line, 1, "line of *.csv");
    cr_expect_str_eq(pat->source, "t/.piiscanignore", "the list's source");
    cr_expect_eq(ignore_match(ig, "keep1.csv", false, &pat), IGNORE_NEGATED,
                 "!keep*.csv comes later");
    cr_expect_eq(pat->line, 2, "line of !keep*.csv");
    cr_expect(pat->is_negated, "a negated pattern says so");
    cr_expect_eq(verdict(ig, "keep-not.csv", false), IGNORE_MATCHED, "line 3 comes last");
    ignore_free(ig);
}

Test(ignore, trailing_slash_matches_directories_only)
{
    struct ignore *ig = from_text("logs/\n");
    cr_expect_eq(verdict(ig, "logs", true), IGNORE_MATCHED, "the directory logs");
    cr_expect_eq(verdict(ig, "a/logs", true), IGNORE_MATCHED, "at any depth");
    cr_expect_eq(verdict(ig, "logs", false), IGNORE_NONE, "a file named logs is not");
    ignore_free(ig);
}

Test(ignore, pattern_without_slash_matches_the_base_name_at_any_depth)
{
    struct ignore *ig = from_text("secret.csv\n");
    cr_expect_eq(verdict(ig, "secret.csv", false), IGNORE_MATCHED, "at the top");
    cr_expect_eq(verdict(ig, "a/b/secret.csv", false), IGNORE_MATCHED, "deeper");
    cr_expect_eq(verdict(ig, "a/secret.csv.bak", false), IGNORE_NONE, "whole name only");
    ignore_free(ig);
}

Test(ignore, leading_or_inner_slash_anchors_to_the_list_directory)
{
    struct ignore *ig = from_text("/top.csv\ndoc/old.csv\n");
    cr_expect_eq(verdict(ig, "top.csv", false), IGNORE_MATCHED, "/top.csv at the top");
    cr_expect_eq(verdict(ig, "a/top.csv", false), IGNORE_NONE, "/top.csv not deeper");
    cr_expect_eq(verdict(ig, "doc/old.csv", false), IGNORE_MATCHED, "doc/old.csv at the top");
    cr_expect_eq(verdict(ig, "a/doc/old.csv", false), IGNORE_NONE, "an inner slash anchors");
    ignore_free(ig);
}

Test(ignore, double_star_patterns_in_a_list)
{
    struct ignore *ig = from_text("**/tmp/\narchive/**\n");
    cr_expect_eq(verdict(ig, "tmp", true), IGNORE_MATCHED, "**/tmp/ at the top");
    cr_expect_eq(verdict(ig, "x/y/tmp", true), IGNORE_MATCHED, "**/tmp/ deeper");
    cr_expect_eq(verdict(ig, "archive/2020/a.csv", false), IGNORE_MATCHED, "archive/**");
    cr_expect_eq(verdict(ig, "archive", true), IGNORE_NONE, "archive/** not archive itself");
    ignore_free(ig);
}

Test(ignore, a_lone_slash_or_bang_names_nothing)
{
    struct ignore *ig = from_text("/\n!\n!/\n");
    cr_expect(ignore_is_empty(ig), "no pattern from '/', '!' or '!/'");
    ignore_free(ig);
}

Test(ignore, option_globs_are_taken_as_they_are)
{
    struct ignore *ig = NULL;
    cr_assert_eq(ignore_new("--exclude", &ig), 0, "a new list");
    cr_assert_eq(ignore_add_line(ig, "#x ", 3, 0, false), 0, "a glob added");
    cr_expect_eq(verdict(ig, "#x ", false), IGNORE_MATCHED,
                 "'#' and trailing spaces are part of a command-line glob");
    ignore_free(ig);
}

Test(ignore, file_read_from_a_descriptor)
{
    char name[] = "/tmp/piiscan-ignore-XXXXXX";
    int fd = mkstemp(name);
    cr_assert(fd >= 0, "a temporary file");
    unlink(name);
    const char text[] = "*.bak\n!important.bak\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1), "written");
    lseek(fd, 0, SEEK_SET);
    struct ignore *ig = NULL;
    cr_assert_eq(ignore_new("x", &ig), 0, "a new list");
    cr_assert_eq(ignore_add_fd(ig, fd), 0, "read: %s", strerror(errno));
    close(fd);
    cr_expect_eq(verdict(ig, "a.bak", false), IGNORE_MATCHED, "line 1 read");
    cr_expect_eq(verdict(ig, "important.bak", false), IGNORE_NEGATED, "line 2 read");
    ignore_free(ig);
}

Test(ignore, no_list_matches_nothing)
{
    cr_expect_eq(ignore_match(NULL, "a", false, NULL), IGNORE_NONE, "a NULL list is empty");
    cr_expect(ignore_is_empty(NULL), "and says so");
    ignore_free(NULL);
}
