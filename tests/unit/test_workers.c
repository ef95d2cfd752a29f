/* SPDX-License-Identifier: BSD-3-Clause */
/* The workers and their gate: whatever the number of threads and the time each file takes,
 * the report comes out as a single-threaded sweep would write it. */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "workers.h"

/* The report, as one line per call, in the order the gate made them. */
struct log {
    pthread_mutex_t lock; /* the gate must never call two at once; this checks it does not */
    char **lines;
    size_t n, cap;
    size_t file_done;
    uint64_t findings_done;
};

static struct log logged;

static void log_line(const char *fmt, const char *a, unsigned long b)
{
    cr_assert_eq(pthread_mutex_trylock(&logged.lock), 0, "the report was entered twice at once");
    if (logged.n == logged.cap) {
        logged.cap = logged.cap ? logged.cap * 2 : 1024;
        logged.lines = realloc(logged.lines, logged.cap * sizeof *logged.lines);
        cr_assert_not_null(logged.lines);
    }
    char buf[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral" /* fmt is one of three literals here */
    snprintf(buf, sizeof buf, fmt, a, b);
#pragma GCC diagnostic pop
    logged.lines[logged.n++] = strdup(buf);
    pthread_mutex_unlock(&logged.lock);
}

static int fake_begin(struct output *out)
{
    (void)out;
    return 0;
}

static void fake_file_begin(struct output *out, const char *path)
{
    (void)out;
    log_line("begin %s%lu", path, 0);
}

static void fake_finding(struct output *out, const struct output_finding *of)
{
    (void)out;
    log_line("finding %s %lu", of->masked, (unsigned long)of->start);
}

static void fake_file_end(struct output *out, const struct file_summary *fs)
{
    (void)out;
    log_line("end %s %lu", fs->path, (unsigned long)fs->findings);
}

static int fake_end(struct output *out, const struct sweep_totals *t)
{
    (void)out;
    (void)t;
    return 0;
}

static const struct output_ops fake_output = {
    .name = "fake",
    .begin = fake_begin,
    .file_begin = fake_file_begin,
    .finding = fake_finding,
    .file_end = fake_file_end,
    .end = fake_end,
};

/* A job's path says what it does: "f<N>:<findings>:<microseconds between findings>". */
static void fake_run(void *user, void *ctx, struct job *job)
{
    (void)user;
    (void)ctx;
    unsigned n, count, pause_us;
    cr_assert_eq(sscanf(job_path(job), "f%u:%u:%u", &n, &count, &pause_us), 3);
    struct file_summary fs = {.status = FILE_SCANNED};
    char masked[64];
    for (unsigned i = 0; i < count; i++) {
        if (pause_us > 0)
            nanosleep(&(struct timespec){0, (long)pause_us * 1000}, NULL);
        snprintf(masked, sizeof masked, "f%u#%u", n, i);
        const struct output_finding of = {.path = "ignored", .start = i, .masked = masked};
        if (job_finding(job, &of) != 0) {
            fs.status = FILE_FAILED;
            fs.reason = "stopped";
            break;
        }
        fs.findings++;
        fs.by_type[PIISCAN_TYPE_PHONE]++;
    }
    job_end(job, &fs);
}

static void *fake_thread_begin(void *user)
{
    return user;
}

static void fake_thread_end(void *user, void *ctx)
{
    (void)user;
    (void)ctx;
}

static void fake_file_done(void *user, const struct file_summary *fs)
{
    (void)user;
    logged.file_done++;
    logged.findings_done += fs->findings;
}

static const struct workers_ops fake_ops = {
    .thread_begin = fake_thread_begin,
    .thread_end = fake_thread_end,
    .run = fake_run,
    .file_done = fake_file_done,
};

static void reset(void)
{
    for (size_t i = 0; i < logged.n; i++)
        free(logged.lines[i]);
    free(logged.lines);
    memset(&logged, 0, sizeof logged);
    pthread_mutex_init(&logged.lock, NULL);
}

TestSuite(workers, .init = reset, .fini = reset);

/* What a single-threaded sweep of the same jobs writes. */
static void expect_in_order(const unsigned *counts, size_t njobs)
{
    size_t at = 0;
    char want[256];
    for (size_t j = 0; j < njobs; j++) {
        char path[64];
        cr_assert_lt(at, logged.n, "the report stops before job %zu", j);
        snprintf(want, sizeof want, "begin f%zu:", j);
        cr_assert_eq(strncmp(logged.lines[at], want, strlen(want)), 0,
                     "line %zu: expected the begin of job %zu, got '%s'", at, j, logged.lines[at]);
        strcpy(path, logged.lines[at] + strlen("begin "));
        path[strlen(path) - 1] = '\0'; /* the %lu of log_line */
        at++;
        for (unsigned i = 0; i < counts[j]; i++, at++) {
            snprintf(want, sizeof want, "finding f%zu#%u %u", j, i, i);
            cr_assert_lt(at, logged.n);
            cr_assert_str_eq(logged.lines[at], want, "line %zu", at);
        }
        snprintf(want, sizeof want, "end %s %u", path, counts[j]);
        cr_assert_lt(at, logged.n);
        cr_assert_str_eq(logged.lines[at], want, "line %zu", at);
        at++;
    }
    cr_assert_eq(at, logged.n, "nothing after the last job");
}

static struct workers *start(unsigned threads, struct output *out)
{
    struct workers *w = NULL;
    cr_assert_eq(workers_new(threads, &fake_ops, &logged, &fake_output, out, &w), 0);
    return w;
}

Test(workers, four_workers_report_jobs_of_random_lengths_in_submission_order)
{
    enum { NJOBS = 120 };
    unsigned counts[NJOBS];
    struct output out = {.fp = stdout};
    struct workers *w = start(4, &out);
    srand(7);
    for (unsigned j = 0; j < NJOBS; j++) {
        counts[j] = (unsigned)rand() % 20;
        char path[64];
        /* Early jobs slow, later ones fast: later jobs finish first and must wait. */
        snprintf(path, sizeof path, "f%u:%u:%u", j, counts[j], (NJOBS - j) * 10);
        cr_assert_eq(workers_submit(w, path, false, 0), 0);
    }
    cr_assert_eq(workers_finish(w), 0);
    expect_in_order(counts, NJOBS);
    cr_expect_eq(logged.file_done, NJOBS, "file_done once per file");
    uint64_t sum = 0;
    for (unsigned j = 0; j < NJOBS; j++)
        sum += counts[j];
    cr_expect_eq(workers_totals(w)->findings, sum);
    cr_expect_eq(workers_totals(w)->by_type[PIISCAN_TYPE_PHONE], sum);
    cr_expect_eq(workers_totals(w)->files, NJOBS);
    workers_free(w);
}

Test(workers, a_job_that_outgrows_its_buffer_waits_for_its_turn_and_loses_nothing)
{
    /* Job 0 is slow; job 1 has far more findings than a job may keep (4 MiB): its worker
     * must wait until job 0 is reported, then write straight through. */
    unsigned counts[] = {50, 200000, 3};
    struct output out = {.fp = stdout};
    struct workers *w = start(2, &out);
    cr_assert_eq(workers_submit(w, "f0:50:2000", false, 0), 0);
    cr_assert_eq(workers_submit(w, "f1:200000:0", false, 0), 0);
    cr_assert_eq(workers_submit(w, "f2:3:0", false, 0), 0);
    cr_assert_eq(workers_finish(w), 0);
    expect_in_order(counts, 3);
    workers_free(w);
}

Test(workers, files_the_walk_reports_itself_keep_their_place)
{
    struct output out = {.fp = stdout};
    struct workers *w = start(3, &out);
    cr_assert_eq(workers_submit(w, "f0:5:3000", false, 0), 0);
    const struct file_summary missing = {
        .path = "f1:0:0", .status = FILE_FAILED, .reason = "No such file or directory"};
    cr_assert_eq(workers_report(w, &missing), 0);
    cr_assert_eq(workers_submit(w, "f2:4:0", false, 0), 0);
    cr_assert_eq(workers_finish(w), 0);
    unsigned counts[] = {5, 0, 4};
    expect_in_order(counts, 3);
    cr_expect_eq(workers_totals(w)->failed, 1);
    cr_expect_eq(workers_totals(w)->scanned, 2);
    workers_free(w);
}

Test(workers, quiet_sweep_writes_nothing_but_every_file_is_done_in_order)
{
    struct output out = {.fp = stdout};
    struct workers *w = NULL;
    cr_assert_eq(workers_new(2, &fake_ops, &logged, NULL, &out, &w), 0);
    for (unsigned j = 0; j < 10; j++) {
        char path[64];
        snprintf(path, sizeof path, "f%u:%u:0", j, j);
        cr_assert_eq(workers_submit(w, path, false, 0), 0);
    }
    cr_assert_eq(workers_finish(w), 0);
    cr_expect_eq(logged.n, 0, "no report lines with no report");
    cr_expect_eq(logged.file_done, 10);
    cr_expect_eq(logged.findings_done, 45, "0 + 1 + ... + 9 findings still counted");
    workers_free(w);
}

Test(workers, stopping_ends_running_jobs_and_refuses_new_ones)
{
    struct output out = {.fp = stdout};
    struct workers *w = start(2, &out);
    cr_assert_eq(workers_submit(w, "f0:1000:1000", false, 0), 0);
    nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    workers_stop(w, EIO);
    cr_expect_neq(workers_submit(w, "f1:1:0", false, 0), 0, "no new job once stopping");
    cr_expect_eq(workers_finish(w), EIO, "the reason it stopped");
    cr_expect_lt(logged.findings_done, 1000, "the running job was cut short");
    workers_free(w);
}

/* A format whose files' reports concatenate: each worker writes its own files' lines, with a
 * state of its own made by begin and freed by end, and the report is still in order. */
struct line_state {
    unsigned long findings;
};

static int line_begin(struct output *out)
{
    out->state = calloc(1, sizeof(struct line_state));
    return out->state != NULL ? 0 : -1;
}

static void line_file_begin(struct output *out, const char *path)
{
    fprintf(out->fp, "begin %s\n", path);
}

static void line_finding(struct output *out, const struct output_finding *of)
{
    struct line_state *ls = out->state;
    ls->findings++;
    fprintf(out->fp, "finding %s %lu\n", of->masked, (unsigned long)of->start);
}

static void line_file_end(struct output *out, const struct file_summary *fs)
{
    struct line_state *ls = out->state;
    cr_assert_eq(ls->findings, fs->findings, "file_end sees the state its findings built");
    ls->findings = 0;
    fprintf(out->fp, "end %s %lu\n", fs->path, (unsigned long)fs->findings);
}

static int line_end(struct output *out, const struct sweep_totals *t)
{
    (void)t;
    free(out->state);
    out->state = NULL;
    return 0;
}

static const struct output_ops line_output = {
    .name = "lines",
    .is_concatenable = true,
    .begin = line_begin,
    .file_begin = line_file_begin,
    .finding = line_finding,
    .file_end = line_file_end,
    .end = line_end,
};

/* Runs the jobs with `threads` workers into a temporary file and returns its text. */
static char *concatenated_report(unsigned threads, const char *const *jobs, size_t njobs)
{
    FILE *fp = tmpfile();
    cr_assert_not_null(fp);
    struct output out = {.fp = fp};
    cr_assert_eq(line_begin(&out), 0);
    struct workers *w = NULL;
    cr_assert_eq(workers_new(threads, &fake_ops, &logged, &line_output, &out, &w), 0);
    for (size_t j = 0; j < njobs; j++) {
        if (jobs[j][0] == '!') {
            const struct file_summary failed = {.path = jobs[j], .status = FILE_FAILED};
            cr_assert_eq(workers_report(w, &failed), 0);
        } else {
            cr_assert_eq(workers_submit(w, jobs[j], false, 0), 0);
        }
    }
    cr_assert_eq(workers_finish(w), 0);
    workers_free(w);
    line_end(&out, NULL);
    long size = ftell(fp);
    cr_assert_gt(size, 0);
    char *text = calloc(1, (size_t)size + 1);
    rewind(fp);
    cr_assert_eq(fread(text, 1, (size_t)size, fp), (size_t)size);
    fclose(fp);
    return text;
}

Test(workers, files_each_worker_reports_itself_come_out_as_one_worker_writes_them)
{
    /* Slow first jobs, a job far past what a worker may keep (16 MiB of lines), a file the
     * walk could not read: every order of finishing must give the -j 1 report. */
    static const char *const jobs[] = {
        "f0:40:3000", "f1:1000000:0", "f2:3:0", "!missing", "f3:50:1000", "f4:0:0", "f5:7:0",
    };
    char *one = concatenated_report(1, jobs, sizeof jobs / sizeof jobs[0]);
    char *four = concatenated_report(4, jobs, sizeof jobs / sizeof jobs[0]);
    cr_assert(strlen(one) > 1000000 * 20, "the big job's lines are all there");
    cr_assert(strcmp(one, four) == 0, "4 workers write what 1 writes (%zu and %zu bytes)",
              strlen(one), strlen(four));
    cr_expect(strstr(four, "begin f2:3:0\nfinding f2#0 0\n") != NULL);
    cr_expect(strstr(four, "end !missing 0\nbegin f3:50:1000\n") != NULL,
              "the walk's failure in its place");
    free(one);
    free(four);
}
