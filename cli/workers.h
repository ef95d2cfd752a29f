/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * workers.h - a pool of threads that scan files, and the gate that puts what they report in
 * the order of a single-threaded sweep. The walk submits files in its order; each job is run
 * by one worker; the worker of the oldest unreported job (the head) writes straight to the
 * report, the others keep their findings until their job becomes the head. A worker whose
 * kept findings grow past a limit waits for its turn, so memory stays bounded by the number
 * of workers, whatever the sizes of the files.
 */
#ifndef PIISCAN_CLI_WORKERS_H
#define PIISCAN_CLI_WORKERS_H

#include <stdbool.h>

#include "output.h"

struct workers;
struct job;

struct workers_ops {
    /** Called once on each worker thread before its first job: the thread's own context (a
     *  stream), or NULL when it cannot be made (the sweep then stops, out of memory). */
    void *(*thread_begin)(void *user);
    void (*thread_end)(void *user, void *ctx);
    /** Scans job_path(job), reports its findings with job_finding and ends with job_end. */
    void (*run)(void *user, void *ctx, struct job *job);
    /** Called for each file in sweep order, once its report is written (also when the report
     *  is quiet): the place for messages that must come out in order, and for state. Runs
     *  with the gate held: keep it short. */
    void (*file_done)(void *user, const struct file_summary *fs);
};

/** Starts `threads` workers. out_ops NULL: no report is written (-q), the summaries still
 *  reach file_done. Returns 0, or -1 with errno set. */
int workers_new(unsigned threads, const struct workers_ops *ops, void *user,
                const struct output_ops *out_ops, struct output *out, struct workers **result);

/** Queues a file (the path is copied), met under command-line path number `root`; waits
 *  while too many files are queued or unreported. Returns 0, or -1 with errno set (ENOMEM;
 *  ECANCELED once the sweep is stopping). */
int workers_submit(struct workers *w, const char *path, bool is_named, size_t root);

/** Reports, in its place in the sweep, a file the walk did not submit (one it could not read
 *  or left out): fs is copied. Returns as workers_submit. */
int workers_report(struct workers *w, const struct file_summary *fs);

/** Stops the sweep: queued jobs are dropped, running ones end at their next finding. For a
 *  report that cannot be written or a lack of memory; errnum says which. */
void workers_stop(struct workers *w, int errnum);

/** Waits for every job, joins the workers, and returns 0, or the errno of the reason the sweep
 *  stopped (a write error of the report, ENOMEM). */
int workers_finish(struct workers *w);

/** Totals of the files reported so far. */
const struct sweep_totals *workers_totals(const struct workers *w);

/** Frees the pool; workers_finish first. NULL does nothing. */
void workers_free(struct workers *w);

/* From inside ops->run, on the job's worker thread: */

const char *job_path(const struct job *job);
bool job_is_named(const struct job *job);
/** The number of the command-line path the file was met under (its config applies). */
size_t job_root(const struct job *job);
/** Reports a finding (copied when kept). Returns 0, or -1 when the sweep is stopping: the
 *  worker should stop scanning the file and end the job. */
int job_finding(struct job *job, const struct output_finding *of);
/** Ends the job with its summary (copied; fs->path is replaced by the job's path). */
void job_end(struct job *job, const struct file_summary *fs);

/** The number of workers when -j is not given: the processors online, 1 at least. */
unsigned workers_default_count(void);

#endif /* PIISCAN_CLI_WORKERS_H */
