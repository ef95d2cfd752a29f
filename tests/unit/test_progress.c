/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_progress.c - the progress line (cli/progress.c): what it says while the walk is still
 * finding files and once the totals are known, the ETA, that it never wraps on a narrow
 * terminal, and that without a terminal nothing is started. The drawing itself on a real
 * terminal is checked end to end by tests/check_state.sh under script(1).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"

#define MIB (1024 * 1024ULL)

static const char *format(const struct progress_view *v, unsigned columns)
{
    static char buf[256];
    size_t n = progress_format(buf, sizeof buf, v, columns);
    cr_assert_eq(n, strlen(buf), "the returned length is the string's");
    return buf;
}

/* A view and the whole line it makes on a wide terminal. Criterion copies parameters into the
 * process that runs the test: no pointers. */
struct line_case {
    char label[72]; /* the claim */
    struct progress_view view;
    char line[96];
};

ParameterizedTestParameters(progress, the_line_says_what_the_view_holds)
{
    static struct line_case cases[] = {
        {
            "while walking the total is open and no ETA is guessed",
            {.files_done = 12,
             .files_found = 40,
             .bytes_done = 5 * MIB,
             .bytes_found = 9 * MIB,
             .bytes_per_second = 2.5 * MIB},
            "piiscan: 12/40+ files, 5.0 MB, 2.5 MB/s",
        },
        {
            /* 20 MB left at 2 MB/s: ten seconds. */
            "once walked the totals and the ETA are shown",
            {.files_done = 12,
             .files_found = 40,
             .bytes_done = 5 * MIB,
             .bytes_found = 25 * MIB,
             .is_walk_done = true,
             .bytes_per_second = 2 * MIB},
            "piiscan: 12/40 files, 5.0/25.0 MB, 2.0 MB/s, ETA 0:10",
        },
        {
            "without a rate yet neither speed nor ETA is shown",
            {.files_done = 0, .files_found = 3, .bytes_found = 3 * MIB, .is_walk_done = true},
            "piiscan: 0/3 files, 0.0/3.0 MB",
        },
    };
    return cr_make_param_array(struct line_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct line_case *p, progress, the_line_says_what_the_view_holds)
{
    cr_expect_str_eq(format(&p->view, 120), p->line, "%s", p->label);
}

Test(progress, eta_of_hours_has_hours_minutes_and_seconds)
{
    struct progress_view v = {
        .files_done = 1,
        .files_found = 2,
        .bytes_done = 0,
        .bytes_found = 3723 * MIB,
        .is_walk_done = true,
        .bytes_per_second = 1 * MIB,
    };
    cr_expect(strstr(format(&v, 120), ", ETA 1:02:03") != NULL, "3723 s is 1:02:03: %s",
              format(&v, 120));
}

Test(progress, line_is_cut_to_one_less_than_the_terminal_width_so_it_never_wraps)
{
    struct progress_view v = {
        .files_done = 123456,
        .files_found = 654321,
        .bytes_done = 5000 * MIB,
        .bytes_found = 90000 * MIB,
        .is_walk_done = true,
        .bytes_per_second = 30 * MIB,
    };
    cr_expect_eq(strlen(format(&v, 20)), 19, "20 columns: 19 characters");
    cr_expect_leq(strlen(format(&v, 0)), 79, "unknown width: as for 80 columns");
}

Test(progress, nothing_is_started_when_not_wanted_or_not_on_a_terminal)
{
    struct progress *p = (struct progress *)1;
    cr_assert_eq(progress_start(false, &p), 0);
    cr_expect_null(p, "-q: no display");
    /* Criterion's workers have no terminal on standard error. */
    FILE *keep = freopen("/dev/null", "w", stderr);
    cr_assert_not_null(keep);
    p = (struct progress *)1;
    cr_assert_eq(progress_start(true, &p), 0);
    cr_expect_null(p, "standard error is not a terminal: no display");
    /* Every call accepts the NULL display. */
    progress_file_found(p, 10);
    progress_file_done(p, 10);
    progress_walk_done(p);
    progress_pause();
    progress_resume();
    progress_stop(p);
}
