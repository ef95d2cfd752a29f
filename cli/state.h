/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * state.h - the state of incremental sweeps (scan --state FILE): a SQLite database of every
 * file a sweep met, with its identity (size, modification and change times, inode, and a
 * BLAKE2b digest of its content), the scanner version and rules that read it, its counts by
 * type, and the sweeps that first saw it, last saw it, first found personal data in it and
 * found it resolved. A file whose identity, scanner version and rules are those of its last
 * scan is not read again: its stored summary stands for it.
 *
 * The database holds counts, never a found value nor anything computed from one.
 *
 * Outline of a sweep (every call is thread-safe: one mutex inside; digests are computed
 * outside it, so workers hash files in parallel):
 *   1. state_open(path, STATE_SWEEP, &st): creates the file (mode 0600) when missing and
 *      takes the sweep lock; a second sweep on the same file is refused.
 *   2. state_sweep_begin(st, scanner version, rules digest, the PATHs of the command line).
 *   3. Per file, on the worker that scans it, with the file open on fd:
 *        struct state_file sf;
 *        state_file_check(st, path, fd, &sf);
 *        if sf.is_unchanged: the file's summary is sf.summary (status FILE_UNCHANGED)
 *        else: scan it into a struct file_summary fs
 *        state_file_record(st, path, &sf, fd, sf.is_unchanged ? &sf.summary : &fs);
 *      A file that could not be opened, or was skipped by the walk:
 *        state_file_record(st, path, NULL, -1, &fs)   (fs.status FILE_FAILED/FILE_SKIPPED)
 *      A directory that could not be listed: state_walk_failed(st, path), so that what it
 *      holds is not taken for deleted.
 *   4. state_sweep_end(st, &totals, exit status, is_complete): only a complete sweep (every
 *      PATH walked to its end) marks the files it did not meet under its PATHs as deleted.
 *   5. state_close(st).
 * Records are committed in batches (every STATE_BATCH_FILES files or second), so a killed
 * sweep keeps what it recorded and a 100,000-file sweep is not 100,000 transactions.
 *
 * Functions that fail say why on standard error ("piiscan: FILE: reason") and return -1.
 */
#ifndef PIISCAN_CLI_STATE_H
#define PIISCAN_CLI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "output.h"

/* Files recorded between two commits, at most; a batch is also committed after a second. */
#define STATE_BATCH_FILES 1000

/* Files at least this large get a content digest, so that a file touched without being
 * changed (a new modification time, a copy, a restore) is proven unchanged without a scan.
 * Smaller files are scanned again instead: that costs about what hashing them would, and no
 * digest is kept of a file small enough for its content to be guessed. */
#define STATE_DIGEST_MIN_BYTES (64 * 1024)
#define STATE_DIGEST_BYTES     32 /* BLAKE2b-256 */

struct state;

enum state_mode {
    STATE_SWEEP, /* read and write; created when missing; exclusive sweep lock */
    STATE_READ,  /* read only, no lock: must exist; works while a sweep runs */
};

/** Opens the state file at path. STATE_SWEEP creates it (mode 0600) when missing and takes
 *  the sweep lock without waiting: when another sweep holds it, says which (pid, start
 *  time) and fails. Refuses a file that is not a piiscan state file, or was made by a newer
 *  piiscan. *out is written only on success. */
int state_open(const char *path, enum state_mode mode, struct state **out);

/** Commits what is pending, releases the lock and frees. Accepts NULL. */
void state_close(struct state *st);

/** Starts a sweep: its row (start time, pid, versions, PATHs) is written. scanner_version
 *  and rules_digest are compared as strings with those a file was last scanned with; any
 *  difference has the file scanned again. roots are the PATHs as given on the command line
 *  (the walked paths start with them); "-" is ignored. Strings are copied. */
int state_sweep_begin(struct state *st, const char *scanner_version, const char *rules_digest,
                      char *const *roots, size_t nroots);

/** What state_file_check learned about one file; the caller's, one per file in flight. */
struct state_file {
    bool is_unchanged;           /* not to be read: summary is what its last scan found */
    struct file_summary summary; /* is_unchanged: status FILE_UNCHANGED, path = the path given,
                                    counts and encoding of the last scan, bytes = size */
    /* For state_file_record: */
    bool is_recordable; /* a regular file (not standard input, not a pipe) */
    struct stat sb;     /* fstat at the check */
    bool has_digest;    /* digest is set (files of STATE_DIGEST_MIN_BYTES or more) */
    unsigned char digest[STATE_DIGEST_BYTES];
};

/** Decides whether the file open on fd (readable, any offset: it is read with pread, which
 *  leaves the offset alone) must be scanned. Unchanged when its size, modification and
 *  change times (ns) and inode are those of its last scan, or, when they differ but the size
 *  does not, when its content digest is; and the scanner version and rules are the sweep's.
 *  Files that must be scanned are hashed here (when large enough), before the scan reads
 *  them. On error (-1), *sf says "scan it" and the sweep can go on without the state. */
int state_file_check(struct state *st, const char *path, int fd, struct state_file *sf);

/** Records what the sweep found for path: fs->status FILE_SCANNED, FILE_UNCHANGED (fs is
 *  sf->summary), FILE_SKIPPED or FILE_FAILED. sf is the check's, or NULL when the file was
 *  never opened; fd, when >= 0, is stat'ed again so that a file written to during its scan
 *  is read again at the next sweep. A file written to in the last two seconds is too (its
 *  times may not have ticked yet). A failed file keeps what it held before, and is read
 *  again next time. Standard input ("-") and pipes are not recorded. */
int state_file_record(struct state *st, const char *path, const struct state_file *sf, int fd,
                      const struct file_summary *fs);

/** A path the walk could not look at or list: what the state has under it is kept as it
 *  is, not taken for deleted, at the end of the sweep. */
int state_walk_failed(struct state *st, const char *path);

/** Ends the sweep: its totals and exit status are written and everything is committed.
 *  is_complete: every PATH was walked to its end, so files of the state under a PATH that
 *  the sweep did not meet are gone: they are marked deleted and, if they held personal
 *  data, resolved. A sweep that stopped early (is_complete false) resolves nothing. */
int state_sweep_end(struct state *st, const struct sweep_totals *totals, int exit_status,
                    bool is_complete);

/* ------------------------------------------------------------------------------------------ */
/* The state report (piiscan state) reads the database through these.                        */

/** A sweep's row. Times are Unix seconds; finished is 0 for a sweep that did not finish. */
struct state_sweep {
    int64_t id;
    int64_t started, finished;
    bool is_complete;
    bool is_running; /* unfinished, and its process held the lock when the state was opened */
    int64_t pid;
    char *scanner_version, *rules_digest, *roots; /* owned by the state; roots one per line */
    struct sweep_totals totals;
    int exit_status; /* -1 while unknown */
};

enum state_file_state {
    STATE_FILE_HOLDS,   /* personal data found at its last scan (or before a failed one) */
    STATE_FILE_CLEAN,   /* read, nothing found */
    STATE_FILE_SKIPPED, /* not read: binary, special file */
    STATE_FILE_FAILED,  /* could not be scanned last time, and held nothing before */
    STATE_FILE_DELETED, /* no longer met under the sweep's PATHs */
};

/** A file's row, for the report. Times are Unix seconds of the sweeps' starts; 0 for none. */
struct state_entry {
    const char *path; /* borrowed until the callback returns */
    enum state_file_state state;
    const char *reason; /* status skipped or failed: why; else NULL */
    struct file_summary summary;
    int64_t first_seen, last_seen;
    int64_t pii_since;   /* first sweep of the present run of finds; 0 when none */
    int64_t resolved_at; /* sweep that found it clean or gone, after it held data; 0: none */
    int64_t deleted_at;  /* sweep that no longer met it; 0 when present */
    int64_t pii_since_sweep, resolved_sweep; /* the same, as sweep ids */
};

/** The last complete sweep (id 0 when there is none), the complete sweep before it, and the
 *  latest unfinished one (running or killed) after it. Owned by st, valid until the next
 *  call or close. Returns 0 or -1. */
int state_sweeps(struct state *st, const struct state_sweep **last,
                 const struct state_sweep **previous, const struct state_sweep **unfinished);

/** Calls fn for every file of the state, in byte order of the paths; a non-zero return
 *  stops and is returned. Returns 0, the callback's value, or -1 on a database error. */
int state_each_file(struct state *st, int (*fn)(void *user, const struct state_entry *e),
                    void *user);

#endif /* PIISCAN_CLI_STATE_H */
