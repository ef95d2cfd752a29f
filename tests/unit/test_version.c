/* SPDX-License-Identifier: BSD-3-Clause */
/* test_version.c - the header and the linked library agree on the version. */
#include <criterion/criterion.h>
#include <stdio.h>

#include "piiscan.h"

Test(version, number_matches_the_header)
{
    cr_assert_eq(piiscan_version_number(), PIISCAN_VERSION_NUMBER);
}

Test(version, string_matches_the_number)
{
    char expected[32];
    snprintf(expected, sizeof expected, "%d.%d.%d", PIISCAN_VERSION_MAJOR, PIISCAN_VERSION_MINOR,
             PIISCAN_VERSION_PATCH);
    cr_assert_str_eq(piiscan_version_string(), expected);
}
