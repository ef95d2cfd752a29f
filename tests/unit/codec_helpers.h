/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * codec_helpers.h - the codec tables (encoding.c) that the suites of the decoders and of what
 * uses them (encoding, sniff, mask) build for each test:
 * TestSuite(x, .init = codec_setup, .fini = codec_teardown), then codec_tables.
 */
#ifndef PIISCAN_TEST_CODEC_HELPERS_H
#define PIISCAN_TEST_CODEC_HELPERS_H

#include <criterion/criterion.h>

#include "internal.h"

static pii_codec_tables *codec_tables;

static inline void codec_setup(void)
{
    piiscan_error err = {0};
    int rc = pii_codec_tables_new(&codec_tables, &err);
    cr_assert_eq(rc, PIISCAN_OK, "tables build from iconv (%s)", err.text);
}

static inline void codec_teardown(void)
{
    pii_codec_tables_free(codec_tables);
    codec_tables = NULL;
}

#endif /* PIISCAN_TEST_CODEC_HELPERS_H */
