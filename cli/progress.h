/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * progress.h - the one-line progress display of a sweep on standard error:
 *     piiscan: 1234/5678 files, 456.7/1234.5 MB, 38.2 MB/s, ETA 0:20
 * (while the walk is still finding files: "1234/5678+ files, 456.7 MB, 38.2 MB/s"). MB are
 * MiB, as in bench/. A thread of its own redraws it five times a second, so workers only
 * add to atomic counters; it is cleared when the sweep ends.
 *
 * Anything else written to the terminal while it is shown must be framed by
 * progress_pause() and progress_resume(), which erase the line and let it be drawn again:
 * cli_message() does so, and so must the report when it goes to the same terminal.
 */
#ifndef PIISCAN_CLI_PROGRESS_H
#define PIISCAN_CLI_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress;

/** Starts the display when is_wanted (not -q) and standard error is a terminal; else *out
 *  is NULL, which every function below accepts and ignores. Returns 0, or -1 when the
 *  display thread cannot be started (the sweep can go on without it). */
int progress_start(bool is_wanted, struct progress **out);

/** The walk met a file of this many bytes (the totals known so far). */
void progress_file_found(struct progress *p, uint64_t bytes);
/** The walk has met every file: the totals are final and an ETA can be shown. */
void progress_walk_done(struct progress *p);
/** A file is done (scanned, skipped, failed or unchanged); bytes as in file_found. */
void progress_file_done(struct progress *p, uint64_t bytes);

/** Clears the line, stops the thread and frees. Accepts NULL. */
void progress_stop(struct progress *p);

/** Around any other output to the terminal, from any thread; nest freely. No-ops when no
 *  display is running. */
void progress_pause(void);
void progress_resume(void);

/** What the line shows. */
struct progress_view {
    uint64_t files_done, files_found;
    uint64_t bytes_done, bytes_found;
    bool is_walk_done;       /* totals final: bytes_found is shown, and the ETA */
    double bytes_per_second; /* recent rate; 0 while unknown */
};

/** The line for v, without control characters, cut to columns - 1 characters so that it
 *  never wraps (columns 0: 80). Returns its length. Pure, for the tests. */
size_t progress_format(char *buf, size_t size, const struct progress_view *v, unsigned columns);

#endif /* PIISCAN_CLI_PROGRESS_H */
