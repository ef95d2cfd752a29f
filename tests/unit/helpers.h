/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helpers.h - shared by the unit tests: input in CP932, EUC-JP-MS and UTF-16 made at test
 * time with iconv from UTF-8 literals (no raw legacy bytes in the tree), and fixture files,
 * one by name or all of them in turn.
 * Every buffer returned is malloc'd, NUL-terminated past its length, and freed by the caller.
 */
#ifndef PIISCAN_TEST_HELPERS_H
#define PIISCAN_TEST_HELPERS_H

#include <dirent.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "piiscan.h"

/* The iconv name of an encoding the library reports or is told: "CP932", "EUC-JP-MS"... */
static inline const char *test_iconv_name(piiscan_encoding enc)
{
    switch (enc) {
    case PIISCAN_ENCODING_CP932:
        return "CP932";
    case PIISCAN_ENCODING_EUCJP:
        return "EUC-JP-MS";
    case PIISCAN_ENCODING_UTF16LE:
        return "UTF-16LE";
    case PIISCAN_ENCODING_UTF16BE:
        return "UTF-16BE";
    default:
        return "UTF-8";
    }
}

/* src[0..n) converted from `from` to `to` (NULL means "UTF-8"), or NULL when iconv does not
 * know a charset or the bytes do not convert completely. */
static inline char *test_convert(const char *src, size_t n, const char *from, const char *to,
                                 size_t *out_len)
{
    iconv_t cd = iconv_open(to != NULL ? to : "UTF-8", from);
    if (cd == (iconv_t)-1)
        return NULL;
    size_t cap = 4 * n + 8; /* UTF-8 -> UTF-16 at most doubles; 4x covers every pair here */
    char *in = malloc(n + 1);
    char *out = malloc(cap);
    cr_assert(in != NULL && out != NULL, "memory for a %zu-byte conversion", n);
    memcpy(in, src, n);
    char *ip = in;
    size_t il = n;
    char *op = out;
    size_t ol = cap - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    iconv_close(cd);
    free(in);
    if (r == (size_t)-1 || il != 0) {
        free(out);
        return NULL;
    }
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}

/* UTF-8 src[0..n) in `tocode` ("CP932", "EUC-JP-MS", "UTF-16LE", "UTF-16BE"); fails the test
 * when iconv cannot make it, since then the fixture itself is wrong. */
static inline char *test_iconv(const char *utf8, size_t n, const char *tocode, size_t *out_len)
{
    char *out = test_convert(utf8, n, "UTF-8", tocode, out_len);
    cr_assert_not_null(out, "iconv turns the UTF-8 fixture into %s", tocode);
    return out;
}

/* The whole file at `path`, or NULL when it cannot be read. */
static inline char *test_read_file(const char *path, size_t *out_len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096;
    size_t len = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        len += fread(buf + len, 1, cap - 1 - len, f);
        if (len < cap - 1)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL)
            free(buf);
        buf = bigger;
        cap *= 2;
    }
    bool is_error = ferror(f) != 0;
    fclose(f);
    if (buf == NULL || is_error) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    *out_len = len;
    return buf;
}

/* The file `name` under the directory that the environment variable `var` names. */
static inline char *test_read_under(const char *var, const char *name, size_t *out_len)
{
    const char *dir = getenv(var);
    cr_assert_not_null(dir, "%s is set by make check", var);
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/%s", dir, name);
    cr_assert(w > 0 && (size_t)w < sizeof path, "path of %s fits", name);
    char *buf = test_read_file(path, out_len);
    cr_assert_not_null(buf, "%s can be read", path);
    return buf;
}

/* A fixture under $PIISCAN_TEST_DATA, e.g. "sniff/orders.csv". */
static inline char *test_read_data(const char *name, size_t *out_len)
{
    return test_read_under("PIISCAN_TEST_DATA", name, out_len);
}

/* A file of the source tree ($PIISCAN_SRCDIR), e.g. "dict/areacode.tsv". */
static inline char *test_read_source(const char *name, size_t *out_len)
{
    return test_read_under("PIISCAN_SRCDIR", name, out_len);
}

/* Calls fn(path, user) for every regular file below `dir` smaller than 1 MiB, in name order,
 * leaving out names that start with a dot and not following links. */
static inline void test_each_file(const char *dir, void (*fn)(const char *path, void *user),
                                  void *user)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    cr_assert_geq(n, 0, "list %s", dir);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        struct stat sb;
        if (names[i]->d_name[0] != '.' && lstat(path, &sb) == 0) {
            if (S_ISDIR(sb.st_mode))
                test_each_file(path, fn, user);
            else if (S_ISREG(sb.st_mode) && sb.st_size < (1 << 20))
                fn(path, user);
        }
        free(names[i]);
    }
    free(names);
}

/* test_each_file() over every fixture under $PIISCAN_TEST_DATA. */
static inline void test_each_fixture(void (*fn)(const char *path, void *user), void *user)
{
    const char *data = getenv("PIISCAN_TEST_DATA");
    cr_assert_not_null(data, "PIISCAN_TEST_DATA is set by make check");
    test_each_file(data, fn, user);
}

/* The line ends every reader takes (LF, CRLF, a lone CR), as the parameters of a
 * ParameterizedTest: ParameterizedTestParameters(x, y) { return test_line_ends(); }. */
struct test_line_end {
    char label[16];
    char eol[4];
};

static inline struct criterion_test_params test_line_ends(void)
{
    static struct test_line_end ends[] = {{"LF", "\n"}, {"CRLF", "\r\n"}, {"lone CR", "\r"}};
    return cr_make_param_array(struct test_line_end, ends, sizeof ends / sizeof ends[0]);
}

/* The first occurrence of needle in hay, or NULL. */
static inline const char *test_memmem(const char *hay, size_t n, const char *needle, size_t k)
{
    if (k == 0)
        return hay;
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

#endif /* PIISCAN_TEST_HELPERS_H */
