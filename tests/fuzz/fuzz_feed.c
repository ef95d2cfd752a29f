/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_feed.c - the streaming entry point. Property checked on every input: feeding it whole
 * and feeding it in small chunks (sizes taken from the input itself) give the same findings,
 * and no input crashes, leaks or trips a sanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FINDINGS 4096

struct found {
    size_t n;
    uint64_t start[MAX_FINDINGS];
    uint64_t end[MAX_FINDINGS];
    int type[MAX_FINDINGS];
};

static int collect(const piiscan_finding *f, void *user)
{
    struct found *found = user;
    if (f->start >= f->end || f->text_len == 0)
        abort(); /* a finding always covers bytes */
    if (found->n < MAX_FINDINGS) {
        found->start[found->n] = f->start;
        found->end[found->n] = f->end;
        found->type[found->n] = (int)f->type;
        found->n++;
    }
    return 0;
}

static piiscan_scanner *scanner(void)
{
    static piiscan_scanner *sc;
    if (sc == NULL) {
        piiscan_options *opt;
        if (piiscan_options_new(&opt) != PIISCAN_OK ||
            piiscan_options_set_max_record_bytes(opt, 1u << 16) != PIISCAN_OK ||
            piiscan_scanner_new(opt, &sc, NULL) != PIISCAN_OK)
            abort();
        piiscan_options_free(opt);
    }
    return sc;
}

static int scan(const uint8_t *data, size_t size, size_t chunk, struct found *found)
{
    piiscan_stream *st;
    if (piiscan_stream_new(scanner(), collect, found, &st) != PIISCAN_OK)
        abort();
    int rc = piiscan_stream_begin(st, NULL);
    for (size_t at = 0; rc == PIISCAN_OK && at < size; at += chunk)
        rc = piiscan_stream_feed(st, data + at, size - at < chunk ? size - at : chunk);
    if (rc == PIISCAN_OK)
        rc = piiscan_stream_finish(st);
    piiscan_stream_free(st);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct found whole, pieces;
    memset(&whole, 0, sizeof whole);
    memset(&pieces, 0, sizeof pieces);
    size_t chunk = size > 0 ? (size_t)data[0] % 13 + 1 : 1;
    int rc_whole = scan(data, size, size > 0 ? size : 1, &whole);
    int rc_pieces = scan(data, size, chunk, &pieces);
    if (rc_whole != rc_pieces || whole.n != pieces.n)
        abort();
    for (size_t i = 0; i < whole.n; i++) {
        if (whole.start[i] != pieces.start[i] || whole.end[i] != pieces.end[i] ||
            whole.type[i] != pieces.type[i])
            abort();
    }
    return 0;
}
