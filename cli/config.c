/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * config.c - .piiscan.conf, the settings that travel with the files they are about. The
 * syntax is INI-like, one setting a line:
 *
 *     # what is no one's personal data here
 *     [allow]
 *     phone = 03-1234-5678
 *     email = info@example.co.jp
 *     phone.pattern = ^0120
 *     pattern = ^テスト
 *     fingerprint = 0f1e2d3c4b5a69788796a5b4c3d2e1f0
 *
 * Blank lines and lines starting with # or ; are ignored; values are taken as written from
 * the first non-space after '=' to the last non-space of the line (no quotes, no trailing
 * comments: a pattern may hold '#'). The file is UTF-8. Anything not understood is an error
 * naming FILE:LINE, never skipped: a misspelt rule would otherwise leave findings reported
 * that the user thinks allowed, or the other way round.
 *
 * Lookup, as .editorconfig's but without merging: each command-line path gets the nearest
 * .piiscan.conf at or above it, so that `piiscan scan a b` with a/.piiscan.conf uses it for a
 * only. A config file found this way must be the user's (or root's) and not writable by
 * others, since it can hide findings.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <limits.h> /* PATH_MAX */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum section {
    SECTION_NONE,
    SECTION_ALLOW,
};

static void say(char *why, size_t size, const char *path, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "PATH:LINE: reason", or "PATH: reason" for line 0. */
static void say(char *why, size_t size, const char *path, unsigned long line, const char *fmt, ...)
{
    int n =
        line > 0 ? snprintf(why, size, "%s:%lu: ", path, line) : snprintf(why, size, "%s: ", path);
    if (n < 0 || (size_t)n >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why + n, size - (size_t)n, fmt, ap);
    va_end(ap);
}

void config_free(struct config *c)
{
    if (c == NULL)
        return;
    free(c->path);
    allow_rules_free(c->allow);
    free(c);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    s[n] = '\0';
    return s;
}

static bool is_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_valid_len(p + i, n - i);
        if (len == 0)
            return false;
        i += len;
    }
    return true;
}

/* One setting of [allow]; reason in why (without file and line) and -1 when it is wrong. */
static int add_allow(struct allow_rules *r, const char *key, const char *value, char *why,
                     size_t size)
{
    piiscan_type type;
    if (piiscan_type_from_name(key, &type) == PIISCAN_OK)
        return allow_rules_add_value(r, type, value, why, size);
    if (strcmp(key, "pattern") == 0)
        return allow_rules_add_pattern(r, 0, value, why, size);
    if (strcmp(key, "fingerprint") == 0)
        return allow_rules_add_fingerprint(r, value, why, size);
    const char *dot = strrchr(key, '.');
    if (dot != NULL && strcmp(dot, ".pattern") == 0) {
        char name[32];
        size_t n = (size_t)(dot - key);
        if (n < sizeof name) {
            memcpy(name, key, n);
            name[n] = '\0';
            if (piiscan_type_from_name(name, &type) == PIISCAN_OK)
                return allow_rules_add_pattern(r, PIISCAN_TYPE_BIT(type), value, why, size);
        }
    }
    snprintf(why, size,
             "unknown key '%s' in [allow] (known: TYPE, TYPE.pattern, pattern, fingerprint; "
             "TYPE is name, address, phone, email, postal_code, my_number or credit_card)",
             key);
    return -1;
}

/* Reads the settings of fp into c; -1 with why on the first error. */
static int parse(FILE *fp, struct config *c, char *why, size_t size)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned long line = 0;
    enum section section = SECTION_NONE;
    int rc = 0;
    char reason[512];
    while (rc == 0 && (got = getline(&buf, &cap, fp)) >= 0) {
        line++;
        size_t n = (size_t)got;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            n--;
        buf[n] = '\0';
        char *s = buf;
        if (line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3; /* a byte order mark, as Windows editors write */
        if (strlen(s) != n - (size_t)(s - buf)) {
            say(why, size, c->path, line, "NUL byte in the line");
            rc = -1;
            break;
        }
        if (!is_valid_utf8(s, strlen(s))) {
            say(why, size, c->path, line, "not UTF-8 (save the file as UTF-8)");
            rc = -1;
            break;
        }
        s = trim(s);
        if (*s == '\0' || *s == '#' || *s == ';')
            continue;
        if (*s == '[') {
            size_t len = strlen(s);
            if (s[len - 1] != ']') {
                say(why, size, c->path, line, "a section header ends with ']'");
                rc = -1;
                break;
            }
            s[len - 1] = '\0';
            const char *name = trim(s + 1);
            if (strcmp(name, "allow") != 0) {
                say(why, size, c->path, line, "unknown section [%s] (known: [allow])", name);
                rc = -1;
                break;
            }
            section = SECTION_ALLOW;
            continue;
        }
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            say(why, size, c->path, line, "expected KEY = VALUE, a [section] or a # comment");
            rc = -1;
            break;
        }
        *eq = '\0';
        const char *key = trim(s);
        const char *value = trim(eq + 1);
        if (*key == '\0' || *value == '\0') {
            say(why, size, c->path, line, "%s",
                *key == '\0' ? "no key before '='" : "no value after '='");
            rc = -1;
            break;
        }
        if (section == SECTION_NONE) {
            say(why, size, c->path, line, "'%s' outside a section (put it under [allow])", key);
            rc = -1;
            break;
        }
        if (add_allow(c->allow, key, value, reason, sizeof reason) != 0) {
            say(why, size, c->path, line, "%s", reason);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(fp)) {
        say(why, size, c->path, 0, "%s", strerror(errno));
        rc = -1;
    }
    free(buf);
    return rc;
}

int config_load(const char *path, struct config **out, char *why, size_t size)
{
    struct config *c = calloc(1, sizeof *c);
    if (c == NULL || (c->path = strdup(path)) == NULL || (c->allow = allow_rules_new()) == NULL) {
        config_free(c);
        say(why, size, path, 0, "%s", strerror(ENOMEM));
        return -1;
    }
    FILE *fp = fopen(path, "re");
    if (fp == NULL) {
        say(why, size, path, 0, "%s", strerror(errno));
        config_free(c);
        return -1;
    }
    int rc = parse(fp, c, why, size);
    fclose(fp);
    if (rc != 0) {
        config_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Lookup                                                                                     */

/* The absolute directory whose .piiscan.conf applies first to `path`; NULL with errno. */
static char *start_directory(const char *path)
{
    if (strcmp(path, "-") == 0)
        return realpath(".", NULL);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return NULL;
    if (S_ISDIR(sb.st_mode))
        return realpath(path, NULL);
    char *dir = strdup(path);
    if (dir == NULL)
        return NULL;
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = '\0';
    else
        *slash = '\0';
    char *abs = realpath(dir, NULL);
    free(dir);
    return abs;
}

int config_find(const char *path, char **found, char *why, size_t size)
{
    char *dir = start_directory(path);
    if (dir == NULL) {
        if (errno == ENOMEM) {
            say(why, size, path, 0, "%s", strerror(errno));
            return -1;
        }
        return 0; /* a missing path: the walk says so */
    }
    size_t len = strlen(dir);
    char *candidate = malloc(len + sizeof "/" CONFIG_NAME);
    if (candidate == NULL) {
        free(dir);
        say(why, size, path, 0, "%s", strerror(ENOMEM));
        return -1;
    }
    int rc = 0;
    for (;;) {
        bool is_root = len == 1 && dir[0] == '/';
        memcpy(candidate, dir, len);
        snprintf(candidate + len, sizeof "/" CONFIG_NAME, "%s%s", is_root ? "" : "/", CONFIG_NAME);
        struct stat sb;
        if (stat(candidate, &sb) == 0) {
            if (!S_ISREG(sb.st_mode)) {
                say(why, size, candidate, 0, "not a regular file");
                rc = -1;
            } else {
                rc = 1;
            }
            break;
        }
        /* A directory we may not look into holds no config of ours. */
        if (errno != ENOENT && errno != ENOTDIR && errno != EACCES) {
            say(why, size, candidate, 0, "%s", strerror(errno));
            rc = -1;
            break;
        }
        if (is_root)
            break;
        while (len > 1 && dir[len - 1] != '/')
            len--;
        if (len > 1)
            len--; /* the slash, unless it is the root */
    }
    free(dir);
    if (rc == 1)
        *found = candidate;
    else
        free(candidate);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The configs of a sweep                                                                     */

struct config_set {
    struct config **configs; /* each file once */
    size_t nconfigs;
    struct config **of_path; /* per command-line path; NULL entries for none */
    size_t npaths;
};

void config_set_free(struct config_set *set)
{
    if (set == NULL)
        return;
    for (size_t i = 0; i < set->nconfigs; i++)
        config_free(set->configs[i]);
    free(set->configs);
    free(set->of_path);
    free(set);
}

/* Whether a config file found (not named) may be used: not when someone else could have put
 * it there (anyone may create /tmp/.piiscan.conf). It is then left out, which can only make
 * the report longer, with a warning; an error would let anyone stop every scan below it. */
static bool is_trusted(const char *path, void (*warn)(const char *message))
{
    struct stat sb;
    const char *reason;
    if (stat(path, &sb) != 0)
        reason = strerror(errno);
    else if ((sb.st_mode & S_IWOTH) != 0)
        reason = "anyone may write it";
    else if (sb.st_uid != geteuid() && sb.st_uid != 0)
        reason = "it belongs to another user";
    else
        return true;
    char message[PATH_MAX + 256];
    say(message, sizeof message, path, 0,
        "warning: not used, since %s (its rules can hide findings): fix its owner or mode, "
        "or name it with --config",
        reason);
    warn(message);
    return false;
}

/* The config of `path`, read (or, found but not trusted, left out) the first time a
 * command-line path needs it; *out is NULL for one left out. -1 with why. */
static int config_of(struct config_set *set, const char *path, bool is_found,
                     void (*warn)(const char *message), struct config **out, char *why, size_t size)
{
    for (size_t i = 0; i < set->nconfigs; i++) {
        if (strcmp(set->configs[i]->path, path) == 0) {
            *out = set->configs[i]->allow != NULL ? set->configs[i] : NULL;
            return 0;
        }
    }
    struct config **v = realloc(set->configs, (set->nconfigs + 1) * sizeof *v);
    if (v == NULL) {
        say(why, size, path, 0, "%s", strerror(ENOMEM));
        return -1;
    }
    set->configs = v;
    struct config *c;
    if (is_found && !is_trusted(path, warn)) {
        c = calloc(1, sizeof *c); /* remembered, so that it is warned about once */
        if (c == NULL || (c->path = strdup(path)) == NULL) {
            free(c);
            say(why, size, path, 0, "%s", strerror(ENOMEM));
            return -1;
        }
    } else if (config_load(path, &c, why, size) != 0) {
        return -1;
    }
    v[set->nconfigs++] = c;
    *out = c->allow != NULL ? c : NULL;
    return 0;
}

int config_set_new(const char *given, bool is_lookup, char *const *paths, size_t npaths,
                   void (*warn)(const char *message), struct config_set **out, char *why,
                   size_t size)
{
    struct config_set *set = calloc(1, sizeof *set);
    if (set == NULL || (set->of_path = calloc(npaths ? npaths : 1, sizeof *set->of_path)) == NULL) {
        free(set);
        snprintf(why, size, "%s", strerror(ENOMEM));
        return -1;
    }
    set->npaths = npaths;
    for (size_t i = 0; i < npaths && (given != NULL || is_lookup); i++) {
        int rc;
        if (given != NULL) {
            rc = config_of(set, given, false, warn, &set->of_path[i], why, size);
        } else {
            char *found = NULL;
            rc = config_find(paths[i], &found, why, size);
            if (rc == 1)
                rc = config_of(set, found, true, warn, &set->of_path[i], why, size);
            free(found);
        }
        if (rc < 0) {
            config_set_free(set);
            return -1;
        }
    }
    *out = set;
    return 0;
}

const struct allow_rules *config_set_allow(const struct config_set *set, size_t i)
{
    if (set == NULL || i >= set->npaths || set->of_path[i] == NULL)
        return NULL;
    return set->of_path[i]->allow;
}

bool config_set_has_fingerprints(const struct config_set *set)
{
    for (size_t i = 0; set != NULL && i < set->nconfigs; i++) {
        if (set->configs[i]->allow != NULL && allow_rules_have_fingerprints(set->configs[i]->allow))
            return true;
    }
    return false;
}

int config_set_describe(const struct config_set *set, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; set != NULL && i < set->nconfigs; i++) {
        struct stat sb;
        if (set->configs[i]->allow == NULL)
            continue;
        if (stat(set->configs[i]->path, &sb) != 0)
            return -1;
        int n = snprintf(buf + len, size - len, "%s@%lld.%09ld:%lld;", set->configs[i]->path,
                         (long long)sb.st_mtim.tv_sec, sb.st_mtim.tv_nsec, (long long)sb.st_size);
        if (n < 0 || (size_t)n >= size - len)
            return -1;
        len += (size_t)n;
    }
    return 0;
}
