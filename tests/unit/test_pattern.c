/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pattern.c - the detectors' PCRE2 patterns (libpiiscan/src/pattern.c): a match is the
 * leftmost at or after the position asked for, with its groups, and a unit's end or text
 * without a match gives none.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "internal.h"

static pcre2_code *re;
static pcre2_match_data *md;

/* A number and the letters before it, as two groups. */
static void compile(void)
{
    piiscan_error err = {0};
    cr_assert_eq(pii_pattern_compile("([a-z]+)-(\\d+)", 0, &re, &err), PIISCAN_OK, "%s", err.text);
    md = pcre2_match_data_create(PII_MATCH_PAIRS, NULL);
    cr_assert_not_null(md, "match data");
}

static void release(void)
{
    pcre2_match_data_free(md);
    pcre2_code_free(re);
}

TestSuite(pattern, .init = compile, .fini = release);

static pii_unit unit_of(const char *text)
{
    return (pii_unit){.text = text, .len = strlen(text)};
}

Test(pattern, find_gives_the_leftmost_match_at_or_after_pos_with_its_groups)
{
    pii_unit u = unit_of("ab-12 cd-345");
    pii_match m;
    cr_assert_eq(pii_pattern_find(re, md, &u, 0, &m), 1, "ab-12 from the start");
    cr_assert_eq(m.start, 0);
    cr_assert_eq(m.end, 5);
    cr_assert_eq(pii_pattern_find(re, md, &u, 1, &m), 1, "b-12 from inside the first");
    cr_assert_eq(m.start, 1);
    cr_assert_eq(pii_pattern_find(re, md, &u, 5, &m), 1, "cd-345 after the first");
    cr_assert_eq(m.start, 6);
    cr_assert_eq(m.end, 12);
    cr_assert_eq(m.ov[2], 6, "group 1, the letters, starts the match");
    cr_assert_eq(m.ov[3], 8);
    cr_assert_eq(m.ov[4], 9, "group 2, the digits, follows the '-'");
    cr_assert_eq(m.ov[5], 12);
}

Test(pattern, find_past_the_last_match_or_at_the_end_gives_none)
{
    pii_unit u = unit_of("ab-12 cd");
    pii_match m;
    cr_assert_eq(pii_pattern_find(re, md, &u, 2, &m), 0, "from the - on, no letters precede a -");
    cr_assert_eq(pii_pattern_find(re, md, &u, u.len, &m), 0, "nothing at the end");
    cr_assert_eq(pii_pattern_find(re, md, &u, u.len + 1, &m), 0, "nor past it");
}
