/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helpers.h - what the fuzz targets share: the one scanner they all fuzz (default
 * options, a 64 KiB record limit so that inputs stay quick), a redactor per mask style, a
 * finding collector that aborts on a finding breaking the findings contract, scans of a
 * buffer whole or in chunks, and the output buffer of a redaction. A failed property is an
 * abort(), which both libFuzzer and the replay driver (replay.c) report; everything here
 * builds with and without --enable-fuzzers.
 */
#ifndef PIISCAN_FUZZ_HELPERS_H
#define PIISCAN_FUZZ_HELPERS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "piiscan.h"

/* The scanner of every target, made on first use and kept for the process. */
static inline piiscan_scanner *fuzz_scanner(void)
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

/* A redactor of fuzz_scanner() per mask style, made on first use and kept for the process. */
static inline piiscan_redactor *fuzz_redactor(piiscan_mask mask)
{
    static piiscan_redactor *rd[4];
    if (rd[mask] == NULL) {
        static const unsigned char key[32] = "fuzzing key, 32 bytes long ....";
        piiscan_redact_options *ro;
        if (piiscan_redact_options_new(&ro) != PIISCAN_OK ||
            piiscan_redact_options_set_mask(ro, mask) != PIISCAN_OK ||
            piiscan_redact_options_set_token_key(ro, key, sizeof key) != PIISCAN_OK ||
            piiscan_redactor_new(fuzz_scanner(), ro, &rd[mask], NULL) != PIISCAN_OK)
            abort();
        piiscan_redact_options_free(ro);
    }
    return rd[mask];
}

#define FUZZ_MAX_FINDINGS 4096

/* The places of a scan's findings, the first FUZZ_MAX_FINDINGS of them. */
struct fuzz_findings {
    size_t n;
    uint64_t start[FUZZ_MAX_FINDINGS];
    uint64_t end[FUZZ_MAX_FINDINGS];
    int type[FUZZ_MAX_FINDINGS];
};

/* A piiscan_finding_fn that keeps the place of each finding in the fuzz_findings `user` and
 * aborts on one that breaks the contract: a finding always covers bytes; a workbook's has both
 * a sheet and a cell, text's neither; a workbook's offsets count the cell text in UTF-8 (a
 * text's count the original bytes, CP932 ones too). */
static inline int fuzz_collect(const piiscan_finding *f, void *user)
{
    struct fuzz_findings *found = user;
    if (f->start >= f->end || f->text_len == 0 || (f->sheet == NULL) != (f->cell == NULL) ||
        (f->sheet != NULL && f->end - f->start != f->text_len))
        abort();
    if (found->n < FUZZ_MAX_FINDINGS) {
        found->start[found->n] = f->start;
        found->end[found->n] = f->end;
        found->type[found->n] = (int)f->type;
        found->n++;
    }
    return 0;
}

/* Scans data on a new stream of fuzz_scanner(), fed `chunk` bytes at a time (0: the buffer
 * handed over whole); returns the scan's status. */
static inline int fuzz_scan(const uint8_t *data, size_t size, size_t chunk,
                            struct fuzz_findings *found)
{
    piiscan_stream *st;
    if (piiscan_stream_new(fuzz_scanner(), fuzz_collect, found, &st) != PIISCAN_OK)
        abort();
    int rc;
    if (chunk == 0) {
        rc = piiscan_stream_scan_buffer(st, data, size, NULL);
    } else {
        rc = piiscan_stream_begin(st, NULL);
        for (size_t at = 0; rc == PIISCAN_OK && at < size; at += chunk)
            rc = piiscan_stream_feed(st, data + at, size - at < chunk ? size - at : chunk);
        if (rc == PIISCAN_OK)
            rc = piiscan_stream_finish(st);
    }
    piiscan_stream_free(st);
    return rc;
}

/* Aborts unless two scans of the same input ended the same way with the same findings. */
static inline void fuzz_expect_same(int rc_a, const struct fuzz_findings *a, int rc_b,
                                    const struct fuzz_findings *b)
{
    if (rc_a != rc_b || a->n != b->n)
        abort();
    for (size_t i = 0; i < a->n; i++) {
        if (a->start[i] != b->start[i] || a->end[i] != b->end[i] || a->type[i] != b->type[i])
            abort();
    }
}

/* A redaction's output, grown by fuzz_put(); the caller frees data. */
struct fuzz_output {
    unsigned char *data;
    size_t len;
    size_t cap;
};

/* A piiscan_write_fn that appends to the fuzz_output `user`. */
static inline int fuzz_put(const void *p, size_t n, void *user)
{
    struct fuzz_output *o = user;
    if (o->len + n > o->cap) {
        size_t cap = (o->len + n) * 2;
        unsigned char *grown = realloc(o->data, cap);
        if (grown == NULL)
            abort();
        o->data = grown;
        o->cap = cap;
    }
    memcpy(o->data + o->len, p, n);
    o->len += n;
    return 0;
}

#endif /* PIISCAN_FUZZ_HELPERS_H */
