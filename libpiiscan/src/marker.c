/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * marker.c - the inline allow marker. A line of a text file, or a CSV/TSV record, that holds
 * "piiscan:allow" reports none of its findings: the way to say in the file itself that a
 * value is no one's personal data (a company's own telephone number in a template).
 *
 * The marker is looked for in the decoded text (UTF-8), so it is the same seven ASCII letters,
 * a colon and five more in every encoding; it is matched exactly, in lower case, and not in
 * full-width forms, so that it is always something someone typed on purpose.
 */
#include <string.h>

#include "internal.h"

static const char marker[] = "piiscan:allow";
#define MARKER_LEN (sizeof marker - 1)

bool pii_marker_in(const char *s, size_t n)
{
    /* memchr finds the rare 'p' fast; the rest is compared only there. */
    const char *end = s + n;
    while ((size_t)(end - s) >= MARKER_LEN) {
        const char *p = memchr(s, 'p', (size_t)(end - s) - (MARKER_LEN - 1));
        if (p == NULL)
            return false;
        if (memcmp(p + 1, &marker[1], MARKER_LEN - 1) == 0)
            return true;
        s = p + 1;
    }
    return false;
}
