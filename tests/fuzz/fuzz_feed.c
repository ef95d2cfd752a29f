/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_feed.c - the streaming entry point. Properties checked on every input: feeding it
 * whole and feeding it in small chunks (sizes taken from the input itself) give the same
 * findings, each finding keeps the findings contract (fuzz_collect in helpers.h), and no
 * input crashes, leaks or trips a sanitizer.
 */
#include <stdint.h>
#include <string.h>

#include "helpers.h"
#include "piiscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fuzz_findings whole, pieces;
    memset(&whole, 0, sizeof whole);
    memset(&pieces, 0, sizeof pieces);
    size_t chunk = size > 0 ? (size_t)data[0] % 13 + 1 : 1;
    int rc_whole = fuzz_scan(data, size, size > 0 ? size : 1, &whole);
    int rc_pieces = fuzz_scan(data, size, chunk, &pieces);
    fuzz_expect_same(rc_whole, &whole, rc_pieces, &pieces);
    return 0;
}
