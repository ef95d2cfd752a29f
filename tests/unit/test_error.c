/* SPDX-License-Identifier: BSD-3-Clause */
/* test_error.c - status codes and their messages cannot drift apart. */
#include <criterion/criterion.h>
#include <string.h>

#include "internal.h"

Test(error, every_code_has_its_own_message)
{
    for (int code = PIISCAN_OK; code >= PIISCAN_ERR_MIN; code--) {
        const char *msg = piiscan_strerror(code);
        cr_assert_not_null(msg, "code %d", code);
        cr_expect_str_neq(msg, "unknown error", "code %d has no entry in the table", code);
        for (int other = code + 1; other <= PIISCAN_OK; other++)
            cr_expect_str_neq(msg, piiscan_strerror(other), "codes %d and %d share a message", code,
                              other);
    }
}

Test(error, unknown_codes_get_a_message_not_null)
{
    cr_assert_str_eq(piiscan_strerror(1), "unknown error");
    cr_assert_str_eq(piiscan_strerror(PIISCAN_ERR_MIN - 1), "unknown error");
}

Test(error, set_fills_code_position_and_text)
{
    piiscan_error err;
    int rc = pii_error_set(&err, PIISCAN_ERR_LIMIT, 42, 7, "record at line %d is long", 7);
    cr_assert_eq(rc, PIISCAN_ERR_LIMIT, "pii_error_set returns the code it stores");
    cr_assert_eq(err.code, PIISCAN_ERR_LIMIT);
    cr_assert_eq(err.offset, 42);
    cr_assert_eq(err.line, 7);
    cr_assert_str_eq(err.text, "record at line 7 is long");
}

Test(error, long_messages_are_truncated_and_terminated)
{
    piiscan_error err;
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    pii_error_set(&err, PIISCAN_ERR_FORMAT, 0, 0, "%s", big);
    cr_assert_eq(strlen(err.text), sizeof err.text - 1, "text keeps what fits, NUL-terminated");
}

Test(error, clear_resets_to_ok_without_position)
{
    piiscan_error err;
    pii_error_set(&err, PIISCAN_ERR_IO, 1, 1, "x");
    pii_error_clear(&err);
    cr_assert_eq(err.code, PIISCAN_OK);
    cr_assert_eq(err.offset, UINT64_MAX, "no position means UINT64_MAX");
    cr_assert_str_empty(err.text);
}
