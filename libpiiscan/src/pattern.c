/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pattern.c - the detectors' PCRE2 patterns: compiling them, and finding their matches.
 *
 * Every pattern is compiled the same way: UTF mode, with PCRE2_MATCH_INVALID_UTF so that a
 * stray invalid byte can never make pcre2_match() fail or read past a character (and no
 * per-call UTF check is needed), then JIT. The compiled code is immutable afterwards and is
 * shared by every thread; each thread brings its own match data. A detector walks a unit's
 * matches with pii_pattern_find and decides itself where to look next: past a match it
 * reports, or one character on from one it turns down.
 */
#include <stdint.h>

#include "internal.h"

int pii_pattern_compile(const char *pattern, uint32_t flags, pcre2_code **out, piiscan_error *err)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                      flags | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &offset, NULL);
    if (re == NULL) {
        if (code == PCRE2_ERROR_HEAP_FAILED)
            return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
        PCRE2_UCHAR message[120];
        if (pcre2_get_error_message(code, message, sizeof message) < 0)
            message[0] = '\0';
        return pii_error_set(err, PIISCAN_ERR_INTERNAL, UINT64_MAX, 0,
                             "pattern does not compile at offset %zu: %s", (size_t)offset,
                             (const char *)message);
    }
    /* JIT is an optimisation: without it (no JIT support in this build of PCRE2, or no
     * executable memory allowed) pcre2_match() runs the interpreter on the same code. */
    (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    *out = re;
    return PIISCAN_OK;
}

int pii_pattern_state_new(const char *pattern, void **state, piiscan_error *err)
{
    pcre2_code *re;
    int rc = pii_pattern_compile(pattern, 0, &re, err);
    if (rc == PIISCAN_OK)
        *state = re;
    return rc;
}

void pii_pattern_state_free(void *state)
{
    pcre2_code_free(state);
}

int pii_pattern_find(const pcre2_code *re, pcre2_match_data *md, const pii_unit *u, size_t pos,
                     pii_match *m)
{
    if (pos >= u->len)
        return 0;
    int rc = pcre2_match(re, (PCRE2_SPTR)u->text, u->len, pos, 0, md, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc < 0)
        return PIISCAN_ERR_INTERNAL;
    m->ov = pcre2_get_ovector_pointer(md);
    m->start = m->ov[0];
    m->end = m->ov[1];
    return 1;
}
