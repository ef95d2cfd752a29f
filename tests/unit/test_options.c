/* SPDX-License-Identifier: BSD-3-Clause */
/* test_options.c - options are checked when set, so a scanner never sees a bad value. */
#include <criterion/criterion.h>
#include <math.h>

#include "internal.h"

static piiscan_options *opt;

static void make_options(void)
{
    cr_assert_eq(piiscan_options_new(&opt), PIISCAN_OK);
}

static void free_options(void)
{
    piiscan_options_free(opt);
}

TestSuite(options, .init = make_options, .fini = free_options);

Test(options, defaults_report_every_type_at_half_confidence)
{
    cr_assert_eq(opt->types, PIISCAN_TYPES_ALL);
    cr_assert_float_eq(opt->threshold, 0.5, 1e-9);
    cr_assert_geq(opt->max_record_bytes, 1u << 20, "a realistic row fits by default");
}

Test(options, threshold_outside_zero_to_one_is_refused)
{
    cr_assert_eq(piiscan_options_set_threshold(opt, -0.1), PIISCAN_ERR_INVALID);
    cr_assert_eq(piiscan_options_set_threshold(opt, 1.01), PIISCAN_ERR_INVALID);
    cr_assert_eq(piiscan_options_set_threshold(opt, NAN), PIISCAN_ERR_INVALID);
    cr_assert_float_eq(opt->threshold, 0.5, 1e-9, "a refused value leaves the old one");
    cr_assert_eq(piiscan_options_set_threshold(opt, 0.8), PIISCAN_OK);
    cr_assert_float_eq(opt->threshold, 0.8, 1e-9);
}

Test(options, empty_or_unknown_type_sets_are_refused)
{
    cr_assert_eq(piiscan_options_set_types(opt, 0), PIISCAN_ERR_INVALID);
    cr_assert_eq(piiscan_options_set_types(opt, 1u), PIISCAN_ERR_INVALID, "bit 0 is no type");
    cr_assert_eq(piiscan_options_set_types(opt, 1u << 20), PIISCAN_ERR_INVALID);
    cr_assert_eq(piiscan_options_set_types(opt, PIISCAN_TYPE_BIT(PIISCAN_TYPE_PHONE)), PIISCAN_OK);
    cr_assert_eq(opt->types, PIISCAN_TYPE_BIT(PIISCAN_TYPE_PHONE));
}

Test(options, tiny_record_limit_is_refused)
{
    cr_assert_eq(piiscan_options_set_max_record_bytes(opt, 100), PIISCAN_ERR_INVALID);
    cr_assert_eq(piiscan_options_set_max_record_bytes(opt, 65536), PIISCAN_OK);
    cr_assert_eq(opt->max_record_bytes, 65536);
}

Test(options, type_names_round_trip)
{
    for (unsigned t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        piiscan_type back = 0;
        const char *name = piiscan_type_name((piiscan_type)t);
        cr_assert_eq(piiscan_type_from_name(name, &back), PIISCAN_OK, "%s parses", name);
        cr_assert_eq(back, t, "%s maps back to %u", name, t);
    }
    piiscan_type ignored;
    cr_assert_eq(piiscan_type_from_name("telephone", &ignored), PIISCAN_ERR_INVALID);
    cr_assert_str_eq(piiscan_type_name((piiscan_type)99), "unknown");
}
