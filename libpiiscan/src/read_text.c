/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * read_text.c - lines of decoded UTF-8 text, cut into pieces when too long.
 *
 * A line ends at LF, CRLF or a lone CR (old Mac exports); a CR as the last available byte
 * waits for more text unless the input is final, so a CRLF split between chunks is one line
 * end. A line longer than max_bytes (minified JSON, a log with no line ends) is handed out in
 * pieces of at most max_bytes, cut after a word or clause separator when one lies in the last
 * PIECE_LOOKBACK bytes, else at a UTF-8 character boundary; a piece never splits a character.
 * The reader keeps no state: each call looks at text[start..len) afresh with memchr, so a call
 * costs at most max_bytes + 1 bytes of search (a line that arrives in many small chunks is
 * searched again from its start each time, within that bound).
 */
#include <string.h>

#include "internal.h"

/* How far back from the limit a separator is looked for: far enough to find a space or a
 * Japanese clause mark in prose, near enough that pieces stay close to the limit. */
#define PIECE_LOOKBACK 1024

/* True when a piece may end right after s[i]: an ASCII space, tab, comma or semicolon, or the
 * last byte of 、。，．or the ideographic space (U+3001, U+3002, U+FF0C, U+FF0E, U+3000). */
static bool ends_separator(const unsigned char *s, size_t i)
{
    unsigned char c = s[i];
    if (c == ' ' || c == '\t' || c == ',' || c == ';')
        return true;
    if (i < 2 || (c & 0xC0) != 0x80)
        return false;
    if (s[i - 2] == 0xE3 && s[i - 1] == 0x80)
        return c == 0x80 || c == 0x81 || c == 0x82;
    if (s[i - 2] == 0xEF && s[i - 1] == 0xBC)
        return c == 0x8C || c == 0x8E;
    return false;
}

static bool is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Where a piece of the over-long line s[0..n) ends; n > max_bytes. */
static size_t cut_at(const unsigned char *s, size_t n, size_t max_bytes)
{
    size_t lo = max_bytes > PIECE_LOOKBACK ? max_bytes - PIECE_LOOKBACK : 0;
    for (size_t i = max_bytes; i > lo; i--) {
        if (ends_separator(s, i - 1))
            return i;
    }
    /* No separator: back off to the start of the character that crosses the limit (a UTF-8
     * character has at most three continuation bytes; more means invalid text, cut anywhere). */
    size_t cut = max_bytes;
    for (int k = 0; k < 3 && cut > 0 && is_continuation(s[cut]); k++)
        cut--;
    if (cut == 0) {
        /* A limit smaller than one character: the piece holds that whole character. */
        cut = 1;
        while (cut < n && cut < 4 && is_continuation(s[cut]))
            cut++;
    } else if (is_continuation(s[cut])) {
        cut = max_bytes;
    }
    return cut;
}

int pii_text_next_line(const char *text, size_t len, size_t start, bool is_final, size_t max_bytes,
                       pii_record *rec, pii_field *field)
{
    const char *s = text + start;
    size_t n = len - start;
    if (n == 0)
        return 0; /* nothing yet, or no line left at the end of input */
    /* A line end at s[max_bytes] still ends a line of exactly max_bytes. */
    size_t span = n > max_bytes ? max_bytes + 1 : n;

    /* LF first, then CR only before it: a file without CRs costs no search to its end. */
    const char *lf = memchr(s, '\n', span);
    size_t lf_at = lf == NULL ? span : (size_t)(lf - s);
    const char *cr = memchr(s, '\r', lf_at);
    size_t end;
    size_t next;
    uint32_t lines = 1;
    if (cr != NULL) {
        end = (size_t)(cr - s);
        next = end + 1;
        if (next == n && !is_final)
            return 0; /* a LF may follow in the next text */
        if (next < n && s[next] == '\n')
            next++;
    } else if (lf != NULL) {
        end = lf_at;
        next = end + 1;
    } else if (n > max_bytes) {
        end = cut_at((const unsigned char *)s, n, max_bytes);
        next = end;
        lines = 0;
    } else if (is_final) {
        end = n;
        next = n;
    } else {
        return 0;
    }
    field->start = start;
    field->end = start + end;
    rec->start = start;
    rec->end = start + end;
    rec->next = start + next;
    rec->lines = lines;
    rec->is_unterminated_quote = false;
    rec->fields = field;
    rec->nfields = 1;
    return 1;
}
