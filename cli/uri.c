/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uri.c - a file's path as a URI (RFC 3986), for SARIF's artifactLocation.uri. A relative
 * path becomes a relative reference, an absolute one a file: URI. Every byte but the
 * unreserved characters and '/' is percent-encoded, with upper-case hex: a space, '%', '#'
 * and '?' would otherwise change what the reference means, a ':' in the first segment would
 * read as a scheme, and a name's bytes (UTF-8, or CP932 on an old share) travel as they are,
 * so the consumer gets the exact file name back by decoding.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool is_kept(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '/';
}

char *uri_of_path(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    const char *prefix = "";
    if (path[0] == '/') {
        /* "//x" would name a host: one slash after "file://" is the root. */
        while (path[1] == '/')
            path++;
        prefix = "file://";
    } else {
        /* "./a.csv" is "a.csv"; consumers that compare URIs need not resolve dot segments. */
        while (path[0] == '.' && path[1] == '/') {
            path += 2;
            while (path[0] == '/')
                path++;
        }
    }
    size_t n = strlen(prefix);
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++)
        n += is_kept(*p) ? 1 : 3;
    char *uri = malloc(n + 1);
    if (uri == NULL)
        return NULL;
    char *o = uri;
    for (const char *p = prefix; *p != '\0'; p++)
        *o++ = *p;
    for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
        if (is_kept(*p)) {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 0x0F];
        }
    }
    *o = '\0';
    return uri;
}
