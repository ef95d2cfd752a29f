/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * workers.c - the thread pool and the ordering gate of workers.h. One mutex guards the queue,
 * the list of unreported jobs and the report itself: every write to the report happens with
 * it held, by the worker of the head job or by the thread that ended the job before it, so
 * the formats never see two threads at once. The workers' scanning runs outside it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workers.h"

/* What a job keeps while it waits for its turn (findings, or its report's bytes): past this
 * many bytes its worker waits instead, and so does a worker that finds all jobs together
 * keeping more than KEPT_BYTES_PER_WORKER times the workers. An export holds up to ~50,000
 * findings a MB, ~10 MB of JSON Lines: 16 MiB keeps a sweep of such files parallel. */
#define KEPT_BYTES_LIMIT      (16u << 20)
#define KEPT_BYTES_PER_WORKER (24u << 20)
#define KEPT_BYTES_MAX        (256u << 20)
/* A job that writes its own report hands it to the real one in blocks this large. */
#define REPORT_BLOCK_BYTES (64u << 10)
#define SPARE_BUFFERS      8
/* Jobs submitted but not yet reported, per worker: enough that no worker waits for the walk,
 * few enough that a huge tree is not listed into memory ahead of the scan. */
#define UNREPORTED_PER_WORKER 16
#define MAX_WORKERS           256

/* A finding kept by a job that is not the head: its strings are offsets into job->blob. */
struct kept {
    struct output_finding of;
    size_t masked, value, fingerprint, sheet, cell; /* offsets + 1; 0 for NULL */
};

struct job {
    struct workers *w;
    uint64_t seq;
    char *path;
    bool is_named;
    size_t root;
    bool is_begun; /* file_begin written */
    bool is_done;  /* job_end called */
    struct job *next_queued;
    struct job *next_unreported;
    struct kept *kept;
    size_t nkept, kept_cap;
    char *blob;
    size_t blob_len, blob_cap;
    struct file_summary fs;
    char *reason; /* fs.reason, owned */
    /* A concatenable format is made by the worker itself, into bytes[], through its own
     * `struct output` on a stream that appends there: only handing the bytes over to the
     * report is serialised. */
    bool has_own_report;
    struct output out;
    FILE *fp;
    char *bytes;
    size_t bytes_len, bytes_cap;
    size_t counted; /* of kept bytes, what w->kept_total holds for this job */
};

struct workers {
    const struct workers_ops *ops;
    void *user;
    const struct output_ops *out_ops;
    struct output *out;
    pthread_mutex_t lock;
    pthread_cond_t job_queued;                     /* a job to run, or the end */
    pthread_cond_t head_moved;                     /* a job was reported */
    struct job *queue_head, *queue_tail;           /* to run */
    struct job *unreported_head, *unreported_tail; /* in sweep order */
    size_t unreported;
    size_t max_unreported;
    uint64_t next_seq;
    bool is_closing;            /* no more jobs will come */
    bool is_formatting_in_jobs; /* each job makes its own report (output_ops.is_concatenable) */
    size_t kept_total;          /* bytes kept by the jobs that are not the head */
    /* Buffers of finished own reports, for the next jobs: a fresh buffer of megabytes costs
     * its page faults again, which was a tenth of a sweep's time. */
    struct spare {
        char *bytes;
        size_t cap;
    } spare[SPARE_BUFFERS];
    size_t nspare;
    size_t kept_budget;
    int stop_errno; /* non-zero: stopping */
    struct sweep_totals totals;
    pthread_t *threads;
    unsigned nthreads;
};

unsigned workers_default_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

static void job_free(struct job *job)
{
    if (job == NULL)
        return;
    if (job->fp != NULL)
        fclose(job->fp);
    free(job->bytes);
    free(job->path);
    free(job->kept);
    free(job->blob);
    free(job->reason);
    free(job);
}

static void totals_add(struct sweep_totals *t, const struct file_summary *fs)
{
    t->files++;
    t->scanned += fs->status == FILE_SCANNED;
    t->skipped += fs->status == FILE_SKIPPED;
    t->failed += fs->status == FILE_FAILED;
    t->unchanged += fs->status == FILE_UNCHANGED;
    t->files_with_findings += fs->findings > 0;
    t->bytes += fs->bytes;
    t->findings += fs->findings;
    for (int i = 0; i < OUTPUT_TYPES; i++)
        t->by_type[i] += fs->by_type[i];
    t->rows += fs->rows;
    t->suppressed += fs->suppressed;
}

/* ---------------------------------------------------------------------------------------- */
/* The report, with w->lock held                                                            */

static bool is_reporting(const struct workers *w)
{
    return w->out_ops != NULL && w->stop_errno == 0;
}

static void check_write(struct workers *w)
{
    if (w->stop_errno == 0 && ferror(w->out->fp))
        w->stop_errno = errno != 0 ? errno : EIO;
}

static void write_begin(struct job *job)
{
    struct workers *w = job->w;
    if (!job->is_begun && is_reporting(w))
        w->out_ops->file_begin(w->out, job->path);
    job->is_begun = true;
}

static const char *blob_string(const struct job *job, size_t offset)
{
    return offset == 0 ? NULL : job->blob + offset - 1;
}

/* Writes the findings the job kept, and forgets them. */
static void write_kept(struct job *job)
{
    struct workers *w = job->w;
    write_begin(job);
    for (size_t i = 0; i < job->nkept && is_reporting(w); i++) {
        struct kept *k = &job->kept[i];
        k->of.path = job->path;
        k->of.masked = blob_string(job, k->masked);
        k->of.value = blob_string(job, k->value);
        k->of.fingerprint = blob_string(job, k->fingerprint);
        k->of.sheet = blob_string(job, k->sheet);
        k->of.cell = blob_string(job, k->cell);
        w->out_ops->finding(w->out, &k->of);
        check_write(w);
    }
    job->nkept = 0;
    job->blob_len = 0;
    w->kept_total -= job->counted;
    job->counted = 0;
}

/* Hands the bytes the job's own report made so far to the report. */
static void write_own(struct job *job)
{
    struct workers *w = job->w;
    if (job->bytes_len > 0 && is_reporting(w)) {
        fwrite(job->bytes, 1, job->bytes_len, w->out->fp);
        check_write(w);
    }
    job->bytes_len = 0;
    w->kept_total -= job->counted;
    job->counted = 0;
}

/* Reports the head job, which is done, and every done job after it. */
static void report_done_jobs(struct workers *w)
{
    struct job *job;
    while ((job = w->unreported_head) != NULL && job->is_done) {
        if (job->has_own_report) {
            write_own(job);
        } else {
            write_kept(job);
            if (is_reporting(w)) {
                w->out_ops->file_end(w->out, &job->fs);
                check_write(w);
            }
        }
        totals_add(&w->totals, &job->fs);
        if (w->ops->file_done != NULL)
            w->ops->file_done(w->user, &job->fs);
        w->unreported_head = job->next_unreported;
        if (w->unreported_head == NULL)
            w->unreported_tail = NULL;
        w->unreported--;
        if (job->bytes != NULL && w->nspare < SPARE_BUFFERS) {
            w->spare[w->nspare++] = (struct spare){job->bytes, job->bytes_cap};
            job->bytes = NULL;
        }
        job_free(job);
    }
    pthread_cond_broadcast(&w->head_moved);
}

/* ---------------------------------------------------------------------------------------- */
/* Keeping findings                                                                          */

/* Appends s[0..len) and a NUL to the job's blob; returns its offset + 1, 0 for NULL s, or
 * SIZE_MAX when out of memory. */
static size_t blob_add(struct job *job, const char *s, size_t len)
{
    if (s == NULL)
        return 0;
    if (len + 1 > job->blob_cap - job->blob_len) {
        size_t cap = job->blob_cap != 0 ? job->blob_cap : 4096;
        while (len + 1 > cap - job->blob_len)
            cap *= 2;
        char *blob = realloc(job->blob, cap);
        if (blob == NULL)
            return SIZE_MAX;
        job->blob = blob;
        job->blob_cap = cap;
    }
    size_t at = job->blob_len;
    memcpy(job->blob + at, s, len);
    job->blob[at + len] = '\0';
    job->blob_len += len + 1;
    return at + 1;
}

static size_t blob_add_string(struct job *job, const char *s)
{
    return blob_add(job, s, s != NULL ? strlen(s) : 0);
}

static int keep(struct job *job, const struct output_finding *of)
{
    if (job->nkept == job->kept_cap) {
        size_t cap = job->kept_cap != 0 ? job->kept_cap * 2 : 64;
        struct kept *kept = realloc(job->kept, cap * sizeof *kept);
        if (kept == NULL)
            return -1;
        job->kept = kept;
        job->kept_cap = cap;
    }
    struct kept k = {.of = *of};
    k.masked = blob_add_string(job, of->masked);
    k.value = blob_add(job, of->value, of->value_len);
    k.fingerprint = blob_add_string(job, of->fingerprint);
    k.sheet = blob_add_string(job, of->sheet);
    k.cell = blob_add_string(job, of->cell);
    if (k.masked == SIZE_MAX || k.value == SIZE_MAX || k.fingerprint == SIZE_MAX ||
        k.sheet == SIZE_MAX || k.cell == SIZE_MAX)
        return -1;
    job->kept[job->nkept++] = k;
    return 0;
}

static size_t kept_bytes(const struct job *job)
{
    return job->blob_len + job->nkept * sizeof(struct kept);
}

/* Whether a job that is not the head must wait for its turn rather than keep more. */
static bool must_wait(const struct workers *w, const struct job *job, size_t bytes)
{
    return job != w->unreported_head &&
           (bytes >= KEPT_BYTES_LIMIT || w->kept_total >= w->kept_budget);
}

/* The stream of a job's own report appends to job->bytes. */
static ssize_t own_report_write(void *cookie, const char *buf, size_t size)
{
    struct job *job = cookie;
    if (size > job->bytes_cap - job->bytes_len) {
        size_t cap = job->bytes_cap != 0 ? job->bytes_cap : REPORT_BLOCK_BYTES;
        while (size > cap - job->bytes_len)
            cap *= 2;
        char *bytes = realloc(job->bytes, cap);
        if (bytes == NULL) {
            errno = ENOMEM;
            return -1;
        }
        job->bytes = bytes;
        job->bytes_cap = cap;
    }
    memcpy(job->bytes + job->bytes_len, buf, size);
    job->bytes_len += size;
    return (ssize_t)size;
}

/* Starts the job's own report: the format's begin and file_begin on a stream of its own. On
 * failure the job is reported the usual way. Called on the job's worker, outside the lock. */
static void own_report_open(struct job *job)
{
    struct workers *w = job->w;
    static const cookie_io_functions_t io = {.write = own_report_write};
    pthread_mutex_lock(&w->lock);
    if (w->nspare > 0) {
        struct spare sp = w->spare[--w->nspare];
        job->bytes = sp.bytes;
        job->bytes_cap = sp.cap;
    }
    pthread_mutex_unlock(&w->lock);
    job->fp = fopencookie(job, "w", io);
    if (job->fp == NULL)
        return;
    job->out = *w->out;
    job->out.fp = job->fp;
    job->out.state = NULL;
    if (w->out_ops->begin(&job->out) != 0) {
        fclose(job->fp);
        job->fp = NULL;
        return;
    }
    w->out_ops->file_begin(&job->out, job->path);
    job->has_own_report = true;
}

/* Counts in w->kept_total what the job's own report holds now. With the lock held. */
static void count_own_report(struct job *job)
{
    job->w->kept_total += job->bytes_len - job->counted;
    job->counted = job->bytes_len;
}

/* After a finding of a job with its own report: hands its bytes over when it is the head and
 * has a block, or waits for its turn when it keeps too much. With the lock held. */
static void own_report_settle(struct job *job)
{
    struct workers *w = job->w;
    count_own_report(job);
    if (must_wait(w, job, job->bytes_len)) {
        while (job != w->unreported_head && w->stop_errno == 0)
            pthread_cond_wait(&w->head_moved, &w->lock);
    }
    if (job == w->unreported_head && job->bytes_len >= REPORT_BLOCK_BYTES)
        write_own(job);
}

int job_finding(struct job *job, const struct output_finding *of)
{
    struct workers *w = job->w;
    if (job->has_own_report) {
        struct output_finding now = *of;
        now.path = job->path;
        w->out_ops->finding(&job->out, &now);
        if (ferror(job->fp)) {
            workers_stop(w, ENOMEM);
            return -1;
        }
        /* A stop is noticed at the next block: at most 64 KiB of report later. */
        if (job->bytes_len < REPORT_BLOCK_BYTES)
            return 0;
        pthread_mutex_lock(&w->lock);
        own_report_settle(job);
        int rc = w->stop_errno != 0 ? -1 : 0;
        pthread_mutex_unlock(&w->lock);
        return rc;
    }
    pthread_mutex_lock(&w->lock);
    if (w->out_ops == NULL || w->stop_errno != 0)
        goto done;
    if (must_wait(w, job, kept_bytes(job))) {
        while (job != w->unreported_head && w->stop_errno == 0)
            pthread_cond_wait(&w->head_moved, &w->lock);
    }
    if (w->stop_errno != 0)
        goto done;
    if (job == w->unreported_head) {
        write_kept(job);
        if (is_reporting(w)) {
            struct output_finding now = *of;
            now.path = job->path;
            w->out_ops->finding(w->out, &now);
            check_write(w);
        }
    } else {
        size_t before = kept_bytes(job);
        if (keep(job, of) != 0) {
            w->stop_errno = ENOMEM;
            pthread_cond_broadcast(&w->head_moved);
        }
        w->kept_total += kept_bytes(job) - before;
        job->counted += kept_bytes(job) - before;
    }
done:;
    int rc = w->stop_errno != 0 ? -1 : 0;
    pthread_mutex_unlock(&w->lock);
    return rc;
}

void job_end(struct job *job, const struct file_summary *fs)
{
    struct workers *w = job->w;
    job->fs = *fs;
    job->fs.path = job->path;
    if (fs->reason != NULL) {
        job->reason = strdup(fs->reason);
        job->fs.reason = job->reason != NULL ? job->reason : "out of memory";
    }
    if (job->has_own_report) {
        /* file_end, then end, which frees the job's format state and flushes what it holds;
         * the totals of one file are no report's: none are given. */
        static const struct sweep_totals no_totals;
        w->out_ops->file_end(&job->out, &job->fs);
        int rc = w->out_ops->end(&job->out, &no_totals);
        if (rc != 0 || fflush(job->fp) == EOF || ferror(job->fp))
            workers_stop(w, ENOMEM);
    }
    pthread_mutex_lock(&w->lock);
    if (job->has_own_report)
        count_own_report(job);
    job->is_done = true;
    if (job == w->unreported_head)
        report_done_jobs(w);
    pthread_mutex_unlock(&w->lock);
}

const char *job_path(const struct job *job)
{
    return job->path;
}

bool job_is_named(const struct job *job)
{
    return job->is_named;
}

size_t job_root(const struct job *job)
{
    return job->root;
}

/* ---------------------------------------------------------------------------------------- */
/* The pool                                                                                  */

static void *worker_main(void *arg)
{
    struct workers *w = arg;
    void *ctx = w->ops->thread_begin(w->user);
    if (ctx == NULL)
        workers_stop(w, ENOMEM);
    for (;;) {
        pthread_mutex_lock(&w->lock);
        while (w->queue_head == NULL && !w->is_closing)
            pthread_cond_wait(&w->job_queued, &w->lock);
        struct job *job = w->queue_head;
        if (job != NULL) {
            w->queue_head = job->next_queued;
            if (w->queue_head == NULL)
                w->queue_tail = NULL;
        }
        bool is_stopping = w->stop_errno != 0;
        pthread_mutex_unlock(&w->lock);
        if (job == NULL)
            break;
        if (is_stopping) {
            const struct file_summary dropped = {.status = FILE_FAILED, .reason = "not scanned"};
            job_end(job, &dropped);
            continue;
        }
        if (w->is_formatting_in_jobs)
            own_report_open(job);
        w->ops->run(w->user, ctx, job);
    }
    if (ctx != NULL)
        w->ops->thread_end(w->user, ctx);
    return NULL;
}

int workers_new(unsigned threads, const struct workers_ops *ops, void *user,
                const struct output_ops *out_ops, struct output *out, struct workers **result)
{
    if (threads < 1)
        threads = 1;
    if (threads > MAX_WORKERS)
        threads = MAX_WORKERS;
    struct workers *w = calloc(1, sizeof *w);
    if (w == NULL)
        return -1;
    w->ops = ops;
    w->user = user;
    w->out_ops = out_ops;
    w->out = out;
    w->max_unreported = (size_t)threads * UNREPORTED_PER_WORKER;
    w->kept_budget = (size_t)threads * KEPT_BYTES_PER_WORKER;
    if (w->kept_budget > KEPT_BYTES_MAX)
        w->kept_budget = KEPT_BYTES_MAX; /* many cores need not mean much memory */
    /* One worker is always the head and writes straight through; on a terminal each finding
     * shows as it is found. */
    w->is_formatting_in_jobs =
        out_ops != NULL && out_ops->is_concatenable && threads > 1 && !isatty(fileno(out->fp));
    w->threads = calloc(threads, sizeof *w->threads);
    if (w->threads == NULL) {
        free(w);
        return -1;
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->job_queued, NULL);
    pthread_cond_init(&w->head_moved, NULL);
    for (unsigned i = 0; i < threads; i++) {
        int rc = pthread_create(&w->threads[i], NULL, worker_main, w);
        if (rc != 0) {
            workers_stop(w, rc);
            break;
        }
        w->nthreads++;
    }
    if (w->nthreads == 0) {
        int rc = w->stop_errno;
        workers_free(w);
        errno = rc;
        return -1;
    }
    *result = w;
    return 0;
}

/* Appends a job to the unreported list, waiting for room; w->lock held. */
static int add_unreported(struct workers *w, struct job *job)
{
    while (w->unreported >= w->max_unreported && w->stop_errno == 0)
        pthread_cond_wait(&w->head_moved, &w->lock);
    if (w->stop_errno != 0)
        return -1;
    job->seq = w->next_seq++;
    if (w->unreported_tail != NULL)
        w->unreported_tail->next_unreported = job;
    else
        w->unreported_head = job;
    w->unreported_tail = job;
    w->unreported++;
    return 0;
}

static struct job *job_new(struct workers *w, const char *path, bool is_named)
{
    struct job *job = calloc(1, sizeof *job);
    if (job == NULL)
        return NULL;
    job->w = w;
    job->is_named = is_named;
    job->path = strdup(path);
    if (job->path == NULL) {
        free(job);
        return NULL;
    }
    return job;
}

int workers_submit(struct workers *w, const char *path, bool is_named, size_t root)
{
    struct job *job = job_new(w, path, is_named);
    if (job == NULL)
        return -1;
    job->root = root;
    pthread_mutex_lock(&w->lock);
    if (add_unreported(w, job) != 0) {
        pthread_mutex_unlock(&w->lock);
        job_free(job);
        errno = ECANCELED;
        return -1;
    }
    if (w->queue_tail != NULL)
        w->queue_tail->next_queued = job;
    else
        w->queue_head = job;
    w->queue_tail = job;
    pthread_cond_signal(&w->job_queued);
    pthread_mutex_unlock(&w->lock);
    return 0;
}

int workers_report(struct workers *w, const struct file_summary *fs)
{
    struct job *job = job_new(w, fs->path, true);
    if (job == NULL)
        return -1;
    pthread_mutex_lock(&w->lock);
    if (add_unreported(w, job) != 0) {
        pthread_mutex_unlock(&w->lock);
        job_free(job);
        errno = ECANCELED;
        return -1;
    }
    pthread_mutex_unlock(&w->lock);
    job_end(job, fs);
    return 0;
}

void workers_stop(struct workers *w, int errnum)
{
    pthread_mutex_lock(&w->lock);
    if (w->stop_errno == 0)
        w->stop_errno = errnum != 0 ? errnum : EIO;
    pthread_cond_broadcast(&w->head_moved);
    pthread_cond_broadcast(&w->job_queued);
    pthread_mutex_unlock(&w->lock);
}

int workers_finish(struct workers *w)
{
    pthread_mutex_lock(&w->lock);
    w->is_closing = true;
    pthread_cond_broadcast(&w->job_queued);
    pthread_mutex_unlock(&w->lock);
    for (unsigned i = 0; i < w->nthreads; i++)
        pthread_join(w->threads[i], NULL);
    w->nthreads = 0;
    return w->stop_errno;
}

const struct sweep_totals *workers_totals(const struct workers *w)
{
    return &w->totals;
}

void workers_free(struct workers *w)
{
    if (w == NULL)
        return;
    if (w->nthreads > 0)
        workers_finish(w);
    while (w->unreported_head != NULL) {
        struct job *job = w->unreported_head;
        w->unreported_head = job->next_unreported;
        job_free(job);
    }
    for (size_t i = 0; i < w->nspare; i++)
        free(w->spare[i].bytes);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->job_queued);
    pthread_cond_destroy(&w->head_moved);
    free(w->threads);
    free(w);
}
