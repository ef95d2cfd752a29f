/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_option_values.c - the scanner's options as scan, redact and people parse them
 * (cli/option_values.c): each value reaches the scanner's options and is kept as written, for
 * scan --state to tell one sweep's settings from another's. The options are read back through
 * the library's internal header, since the public API has no getters.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli.h"
#include "cli_message_stub.h"
#include "internal.h"

static piiscan_options *opt;

static void make_options(void)
{
    cr_assert_eq(piiscan_options_new(&opt), PIISCAN_OK);
    test_cli_message[0] = '\0';
}

static void free_options(void)
{
    piiscan_options_free(opt);
}

TestSuite(option_values, .init = make_options, .fini = free_options);

Test(option_values, each_value_is_kept_as_written)
{
    struct scanner_option_values v = {0};
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_TYPES, "phone,email"), 0);
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MIN_CONFIDENCE, "0.30"), 0);
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MAX_RECORD_BYTES, "64K"), 0);
    cr_assert_str_eq(v.types, "phone,email", "--types as written");
    cr_assert_str_eq(v.min_confidence, "0.30", "--min-confidence as written, not as 0.3");
    cr_assert_str_eq(v.max_record_bytes, "64K", "--max-record-bytes as written, not 65536");
}

Test(option_values, values_not_given_stay_unset_and_the_encoding_auto)
{
    struct scanner_option_values v = {0};
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MIN_CONFIDENCE, "0.7"), 0);
    cr_assert_null(v.types, "no --types given");
    cr_assert_null(v.max_record_bytes, "no --max-record-bytes given");
    cr_assert_eq(v.encoding, PIISCAN_ENCODING_AUTO, "detected for each file without --encoding");
}

Test(option_values, values_reach_the_scanner_options)
{
    struct scanner_option_values v = {0};
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_TYPES, "phone,credit_card"), 0);
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MIN_CONFIDENCE, "0.8"), 0);
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_ENCODING, "CP932"), 0);
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MAX_RECORD_BYTES, "1M"), 0);
    cr_assert_eq(opt->types,
                 PIISCAN_TYPE_BIT(PIISCAN_TYPE_PHONE) | PIISCAN_TYPE_BIT(PIISCAN_TYPE_CREDIT_CARD),
                 "the two types of --types");
    cr_assert_float_eq(opt->threshold, 0.8, 1e-9, "--min-confidence is the threshold");
    cr_assert_eq(opt->max_record_bytes, (size_t)1 << 20, "1M is 2^20 bytes");
    cr_assert_eq(v.encoding, PIISCAN_ENCODING_CP932, "--encoding is kept for the sources");
}

Test(option_values, bad_value_is_refused_naming_its_option)
{
    struct scanner_option_values v = {0};
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_MIN_CONFIDENCE, "1.5"), -1);
    cr_assert_not_null(strstr(test_cli_message, "--min-confidence"), "said: %s", test_cli_message);
    cr_assert_float_eq(opt->threshold, 0.5, 1e-9, "the default stands after a refusal");
    cr_assert_eq(scanner_option_parse(&v, opt, SCANNER_OPT_ENCODING, "latin1"), -1);
    cr_assert_not_null(strstr(test_cli_message, "--encoding"), "said: %s", test_cli_message);
    cr_assert_eq(v.encoding, PIISCAN_ENCODING_AUTO, "an unknown encoding is not taken");
}

Test(option_values, code_of_another_option_is_refused)
{
    struct scanner_option_values v = {0};
    cr_assert_eq(scanner_option_parse(&v, opt, 'q', "x"), -1, "-q is not a scanner option");
    cr_assert_neq(test_cli_message[0], '\0', "it says why");
}
