/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ignore.c - gitignore-style pattern lists (.piiscanignore, --exclude, --include).
 * A line is parsed once into a glob and its flags; matching follows git's wildmatch with
 * pathname semantics, including its two early exits (ABORT_ALL: the rest of the text cannot
 * match; ABORT_TO_STARSTAR: only an enclosing "**" may still match), which keep a pattern
 * with many stars from costing more than a few passes over the path. Case-sensitive, as
 * names on a Linux file system are. No I/O but ignore_add_fd; the walk decides what to read.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ignore.h"

/* A .piiscanignore is a few lines; a bigger file is no list of patterns. */
#define IGNORE_MAX_FILE_BYTES (16u << 20)

struct rule {
    struct ignore_pattern pub;
    char *glob;       /* without '!', the leading '/' and the trailing '/' */
    char *text;       /* what pub.text shows */
    bool is_dir_only; /* "name/" */
    bool is_anchored; /* held a '/' before its end: matched on the whole relative path */
};

struct ignore {
    char *source;
    struct rule *rules;
    size_t count;
    size_t cap;
};

int ignore_new(const char *source, struct ignore **out)
{
    struct ignore *ig = calloc(1, sizeof *ig);
    if (ig == NULL)
        return -1;
    ig->source = strdup(source);
    if (ig->source == NULL) {
        free(ig);
        errno = ENOMEM;
        return -1;
    }
    *out = ig;
    return 0;
}

void ignore_free(struct ignore *ig)
{
    if (ig == NULL)
        return;
    for (size_t i = 0; i < ig->count; i++) {
        free(ig->rules[i].glob);
        free(ig->rules[i].text);
    }
    free(ig->rules);
    free(ig->source);
    free(ig);
}

bool ignore_is_empty(const struct ignore *ig)
{
    return ig == NULL || ig->count == 0;
}

/* Trailing spaces go, unless a backslash escapes them (gitignore(5)). */
static size_t trim_trailing_spaces(const char *s, size_t len)
{
    size_t end = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\\' && i + 1 < len) {
            i++;
            end = i + 1;
        } else if (s[i] != ' ') {
            end = i + 1;
        }
    }
    return end;
}

int ignore_add_line(struct ignore *ig, const char *line, size_t len, unsigned lineno,
                    bool is_from_file)
{
    if (is_from_file) {
        if (len > 0 && line[len - 1] == '\r')
            len--;
        len = trim_trailing_spaces(line, len);
        if (len == 0 || line[0] == '#')
            return 0;
    }
    const char *p = line;
    size_t n = len;
    bool is_negated = false;
    if (is_from_file && p[0] == '!') {
        is_negated = true;
        p++;
        n--;
    }
    bool is_dir_only = false;
    if (n > 0 && p[n - 1] == '/' && (n < 2 || p[n - 2] != '\\')) {
        is_dir_only = true;
        n--;
    }
    bool is_anchored = memchr(p, '/', n) != NULL;
    if (n > 0 && p[0] == '/') {
        p++;
        n--;
    }
    if (n == 0)
        return 0; /* "/", "!" and "!/" name nothing */
    if (ig->count == ig->cap) {
        size_t grown = ig->cap == 0 ? 8 : ig->cap * 2;
        struct rule *bigger = realloc(ig->rules, grown * sizeof *bigger);
        if (bigger == NULL)
            return -1;
        ig->rules = bigger;
        ig->cap = grown;
    }
    char *glob = strndup(p, n);
    char *text = strndup(line, len);
    if (glob == NULL || text == NULL) {
        free(glob);
        free(text);
        errno = ENOMEM;
        return -1;
    }
    ig->rules[ig->count++] = (struct rule){
        .pub = {.text = text, .source = ig->source, .line = lineno, .is_negated = is_negated},
        .glob = glob,
        .text = text,
        .is_dir_only = is_dir_only,
        .is_anchored = is_anchored,
    };
    return 0;
}

int ignore_add_buffer(struct ignore *ig, const char *buf, size_t len)
{
    unsigned lineno = 0;
    size_t start = 0;
    /* A UTF-8 byte order mark, as Windows editors write, is not part of the first pattern. */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        start = 3;
    while (start < len) {
        const char *nl = memchr(buf + start, '\n', len - start);
        size_t end = nl != NULL ? (size_t)(nl - buf) : len;
        if (ignore_add_line(ig, buf + start, end - start, ++lineno, true) < 0)
            return -1;
        start = end + 1;
    }
    return 0;
}

int ignore_add_fd(struct ignore *ig, int fd)
{
    char *buf = NULL;
    size_t len = 0;
    size_t cap = 0;
    for (;;) {
        if (len == cap) {
            if (cap >= IGNORE_MAX_FILE_BYTES) {
                free(buf);
                errno = EFBIG;
                return -1;
            }
            size_t grown = cap == 0 ? 4096 : cap * 2;
            char *bigger = realloc(buf, grown);
            if (bigger == NULL) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = bigger;
            cap = grown;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            free(buf);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    int rc = ignore_add_buffer(ig, buf, len);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* wildmatch                                                                                  */

enum {
    WM_MATCH = 0,
    WM_NOMATCH = 1,
    WM_ABORT_ALL = -1,
    WM_ABORT_TO_STARSTAR = -2,
};

/* The character at s: a well-formed UTF-8 sequence, or one byte. A stray byte b gets
 * 0x110000 + b, a value no character has, so it equals only the same stray byte. */
static size_t next_char(const unsigned char *s, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
    if (b < 0x80 || n == 1) {
        *cp = b < 0x80 ? b : 0x110000u + b;
        return 1;
    }
    uint32_t c = b & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0x110000u + b;
            return 1;
        }
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    bool is_overlong = (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
    if (is_overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *cp = 0x110000u + b;
        return 1;
    }
    *cp = c;
    return n;
}

static bool in_named_class(const char *name, size_t len, uint32_t c)
{
    static const struct {
        const char *name;
        const char *members;
    } classes[] = {
        {"alpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
        {"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        {"lower", "abcdefghijklmnopqrstuvwxyz"},
        {"digit", "0123456789"},
        {"xdigit", "0123456789ABCDEFabcdef"},
        {"alnum", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
        {"space", " \t\n\v\f\r"},
        {"blank", " \t"},
        {"punct", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"},
    };
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
        if (strlen(classes[i].name) == len && memcmp(classes[i].name, name, len) == 0)
            return c != 0 && c < 0x80 && strchr(classes[i].members, (int)c) != NULL;
    }
    return false;
}

static bool is_class_name(const char *name, size_t len)
{
    static const char *const names[] = {"alpha", "upper", "lower", "digit", "xdigit",
                                        "alnum", "space", "blank", "punct"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
            return true;
    }
    return false;
}

/* A bracket expression at *pp ('['), against the character c. Moves *pp past its ']'.
 * Returns 1 when c is in it, 0 when not, -1 when it is never closed or names no class. */
static int match_class(const unsigned char **pp, uint32_t c)
{
    const unsigned char *p = *pp + 1;
    bool is_negated = *p == '!' || *p == '^';
    if (is_negated)
        p++;
    bool is_in = false;
    bool is_first = true;
    for (;;) {
        if (*p == '\0')
            return -1;
        if (*p == ']' && !is_first)
            break;
        is_first = false;
        uint32_t lo;
        if (p[0] == '[' && p[1] == ':') {
            const char *end = strstr((const char *)p + 2, ":]");
            if (end == NULL)
                return -1;
            const char *name = (const char *)p + 2;
            size_t len = (size_t)(end - name);
            if (!is_class_name(name, len))
                return -1;
            if (in_named_class(name, len, c))
                is_in = true;
            p = (const unsigned char *)end + 2;
            continue;
        }
        if (*p == '\\') {
            p++;
            if (*p == '\0')
                return -1;
        }
        p += next_char(p, &lo);
        if (p[0] == '-' && p[1] != ']' && p[1] != '\0') {
            p++;
            if (*p == '\\') {
                p++;
                if (*p == '\0')
                    return -1;
            }
            uint32_t hi;
            p += next_char(p, &hi);
            if (lo <= c && c <= hi)
                is_in = true;
        } else if (c == lo) {
            is_in = true;
        }
    }
    *pp = p + 1;
    return is_in != is_negated;
}

static int dowild(const unsigned char *p, const unsigned char *text, const unsigned char *start)
{
    while (*p != '\0') {
        unsigned char pc = *p;
        unsigned char t = *text;
        uint32_t cp;
        if (t == '\0' && pc != '*')
            return WM_ABORT_ALL;
        switch (pc) {
        case '\\':
            p++;
            if (*p == '\0')
                return WM_ABORT_ALL; /* a trailing backslash matches nothing, as in git */
            if (t != *p)
                return WM_NOMATCH;
            p++;
            text++;
            break;
        case '?':
            if (t == '/')
                return WM_NOMATCH;
            text += next_char(text, &cp);
            p++;
            break;
        case '[': {
            if (t == '/')
                return WM_NOMATCH;
            size_t n = next_char(text, &cp);
            int in = match_class(&p, cp);
            if (in < 0)
                return WM_ABORT_ALL;
            if (in == 0)
                return WM_NOMATCH;
            text += n;
            break;
        }
        case '*': {
            const unsigned char *first = p;
            while (*p == '*')
                p++;
            bool is_starstar = false;
            /* "**" crosses directories only as a whole path component, as in "**" + "/b",
             * "a/" + "**" or "a/" + "**" + "/b"; elsewhere it is one '*'. */
            if (p - first >= 2 && (first == start || first[-1] == '/') &&
                (*p == '\0' || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
                if (*p == '/' && dowild(p + 1, text, start) == WM_MATCH)
                    return WM_MATCH; /* "**" + "/" may stand for no directory at all */
                is_starstar = true;
            }
            if (*p == '\0') {
                if (!is_starstar && strchr((const char *)text, '/') != NULL)
                    return WM_ABORT_TO_STARSTAR;
                return WM_MATCH;
            }
            if (!is_starstar && *p == '/') {
                const char *slash = strchr((const char *)text, '/');
                if (slash == NULL)
                    return WM_ABORT_ALL;
                text = (const unsigned char *)slash;
                break;
            }
            while (*text != '\0') {
                int r = dowild(p, text, start);
                if (r != WM_NOMATCH) {
                    if (!is_starstar || r != WM_ABORT_TO_STARSTAR)
                        return r;
                } else if (!is_starstar && *text == '/') {
                    return WM_ABORT_TO_STARSTAR;
                }
                text += next_char(text, &cp);
            }
            return WM_ABORT_ALL;
        }
        default:
            if (t != pc)
                return WM_NOMATCH;
            p++;
            text++;
            break;
        }
    }
    return *text != '\0' ? WM_NOMATCH : WM_MATCH;
}

bool ignore_glob_match(const char *glob, const char *text)
{
    const unsigned char *p = (const unsigned char *)glob;
    return dowild(p, (const unsigned char *)text, p) == WM_MATCH;
}

enum ignore_verdict ignore_match(const struct ignore *ig, const char *path, bool is_dir,
                                 const struct ignore_pattern **which)
{
    if (which != NULL)
        *which = NULL;
    if (ig == NULL)
        return IGNORE_NONE;
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    for (size_t i = ig->count; i-- > 0;) {
        const struct rule *r = &ig->rules[i];
        if (r->is_dir_only && !is_dir)
            continue;
        if (!ignore_glob_match(r->glob, r->is_anchored ? path : base))
            continue;
        if (which != NULL)
            *which = &r->pub;
        return r->pub.is_negated ? IGNORE_NEGATED : IGNORE_MATCHED;
    }
    return IGNORE_NONE;
}
