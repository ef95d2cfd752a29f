/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * progress.c - the progress line on standard error (see progress.h). Workers only add to
 * atomic counters; a thread of its own samples them five times a second, works out a rate
 * over the last ten seconds (a sweep that skips unchanged files and then reads a large one
 * changes pace, and an average since the start would hide it), and redraws the line with a
 * carriage return and an erase to its end. One process-wide recursive mutex serialises
 * everything written to the terminal while the line is shown.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define TICK_NS      (200 * 1000000LL) /* at most five redraws a second */
#define RATE_SAMPLES 50                /* ten seconds of ticks */
#define RATE_MIN_NS  (1000000000LL)    /* a rate over less than a second says little */
#define LINE_BYTES   256
#define MIB          1048576.0

struct sample {
    int64_t ns;
    uint64_t bytes;
};

struct progress {
    _Atomic uint64_t files_done;
    _Atomic uint64_t files_found;
    _Atomic uint64_t bytes_done;
    _Atomic uint64_t bytes_found;
    atomic_bool is_walk_done;
    pthread_t thread;
    pthread_mutex_t wake_mutex;
    pthread_cond_t wake;
    bool is_stopping;
    struct sample samples[RATE_SAMPLES]; /* a ring, oldest at head once full */
    size_t nsamples;
    size_t head;
};

/* The terminal: who may write to it, and whether the line is on it. */
static pthread_once_t term_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t term_mutex;
static bool is_line_shown;                /* under term_mutex */
static atomic_bool is_active;             /* a display is running */
static _Thread_local unsigned pause_held; /* progress_pause() calls of this thread */

static void term_init(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&term_mutex, &attr);
    pthread_mutexattr_destroy(&attr);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void write_all(const char *s, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDERR_FILENO, s, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* a display is not worth an error */
        s += n;
        len -= (size_t)n;
    }
}

static void erase_locked(void)
{
    if (is_line_shown)
        write_all("\r\033[K", 4);
    is_line_shown = false;
}

void progress_pause(void)
{
    if (!atomic_load(&is_active))
        return;
    pthread_mutex_lock(&term_mutex);
    pause_held++;
    erase_locked();
}

void progress_resume(void)
{
    if (pause_held == 0)
        return;
    pause_held--;
    pthread_mutex_unlock(&term_mutex);
}

/* "1:02:03" or "2:03". */
static void format_duration(char *buf, size_t size, uint64_t seconds)
{
    if (seconds >= 3600)
        snprintf(buf, size, "%" PRIu64 ":%02u:%02u", seconds / 3600, (unsigned)(seconds / 60 % 60),
                 (unsigned)(seconds % 60));
    else
        snprintf(buf, size, "%u:%02u", (unsigned)(seconds / 60), (unsigned)(seconds % 60));
}

size_t progress_format(char *buf, size_t size, const struct progress_view *v, unsigned columns)
{
    char line[LINE_BYTES];
    int n;
    if (v->is_walk_done)
        n = snprintf(line, sizeof line, "piiscan: %" PRIu64 "/%" PRIu64 " files, %.1f/%.1f MB",
                     v->files_done, v->files_found, v->bytes_done / MIB, v->bytes_found / MIB);
    else
        n = snprintf(line, sizeof line, "piiscan: %" PRIu64 "/%" PRIu64 "+ files, %.1f MB",
                     v->files_done, v->files_found, v->bytes_done / MIB);
    size_t len = n > 0 ? (size_t)n : 0;
    if (v->bytes_per_second > 0 && len < sizeof line) {
        n = snprintf(line + len, sizeof line - len, ", %.1f MB/s", v->bytes_per_second / MIB);
        len += n > 0 ? (size_t)n : 0;
        if (v->is_walk_done && len < sizeof line) {
            uint64_t left = v->bytes_found > v->bytes_done ? v->bytes_found - v->bytes_done : 0;
            char eta[32];
            format_duration(eta, sizeof eta, (uint64_t)((double)left / v->bytes_per_second + 0.5));
            n = snprintf(line + len, sizeof line - len, ", ETA %s", eta);
            len += n > 0 ? (size_t)n : 0;
        }
    }
    if (len >= sizeof line)
        len = sizeof line - 1;
    /* The line must never wrap: a carriage return only goes back to the start of the last
     * row, and the rows above it would stay on the screen. */
    size_t width = (columns > 0 ? columns : 80) - 1;
    if (len > width)
        len = width;
    if (size == 0)
        return 0;
    if (len >= size)
        len = size - 1;
    memcpy(buf, line, len);
    buf[len] = '\0';
    return len;
}

/* The rate over the samples of the last ten seconds; 0 until a second has passed. */
static double sample_rate(struct progress *p, int64_t ns, uint64_t bytes)
{
    size_t slot = (p->head + p->nsamples) % RATE_SAMPLES;
    if (p->nsamples == RATE_SAMPLES) {
        slot = p->head;
        p->head = (p->head + 1) % RATE_SAMPLES;
    } else {
        p->nsamples++;
    }
    p->samples[slot] = (struct sample){ns, bytes};
    const struct sample *oldest = &p->samples[p->head];
    int64_t span = ns - oldest->ns;
    if (span < RATE_MIN_NS)
        return 0;
    return (double)(bytes - oldest->bytes) * 1e9 / (double)span;
}

static void draw(struct progress *p)
{
    struct progress_view v = {
        .files_done = atomic_load(&p->files_done),
        .files_found = atomic_load(&p->files_found),
        .bytes_done = atomic_load(&p->bytes_done),
        .bytes_found = atomic_load(&p->bytes_found),
        .is_walk_done = atomic_load(&p->is_walk_done),
    };
    v.bytes_per_second = sample_rate(p, now_ns(), v.bytes_done);
    unsigned columns = 0;
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0)
        columns = ws.ws_col;
    char line[LINE_BYTES + 8];
    line[0] = '\r';
    size_t len = 1 + progress_format(line + 1, LINE_BYTES, &v, columns);
    memcpy(line + len, "\033[K", 3);
    len += 3;
    pthread_mutex_lock(&term_mutex);
    write_all(line, len);
    is_line_shown = true;
    pthread_mutex_unlock(&term_mutex);
}

static void *run(void *arg)
{
    struct progress *p = arg;
    pthread_mutex_lock(&p->wake_mutex);
    while (!p->is_stopping) {
        pthread_mutex_unlock(&p->wake_mutex);
        draw(p);
        pthread_mutex_lock(&p->wake_mutex);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        int64_t ns = (int64_t)until.tv_nsec + TICK_NS;
        until.tv_sec += ns / 1000000000LL;
        until.tv_nsec = ns % 1000000000LL;
        while (!p->is_stopping &&
               pthread_cond_timedwait(&p->wake, &p->wake_mutex, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&p->wake_mutex);
    return NULL;
}

int progress_start(bool is_wanted, struct progress **out)
{
    *out = NULL;
    const char *term = getenv("TERM");
    /* A dumb terminal (an editor's shell buffer) cannot erase a line. */
    if (!is_wanted || !isatty(STDERR_FILENO) || (term != NULL && strcmp(term, "dumb") == 0))
        return 0;
    pthread_once(&term_once, term_init);
    struct progress *p = calloc(1, sizeof *p);
    if (p == NULL)
        return -1;
    pthread_condattr_t attr;
    if (pthread_condattr_init(&attr) != 0) {
        free(p);
        return -1;
    }
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&p->wake, &attr);
    pthread_condattr_destroy(&attr);
    if (rc != 0) {
        free(p);
        return -1;
    }
    pthread_mutex_init(&p->wake_mutex, NULL);
    atomic_store(&is_active, true);
    if (pthread_create(&p->thread, NULL, run, p) != 0) {
        atomic_store(&is_active, false);
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->wake_mutex);
        free(p);
        return -1;
    }
    *out = p;
    return 0;
}

void progress_file_found(struct progress *p, uint64_t bytes)
{
    if (p == NULL)
        return;
    atomic_fetch_add(&p->files_found, 1);
    atomic_fetch_add(&p->bytes_found, bytes);
}

void progress_walk_done(struct progress *p)
{
    if (p != NULL)
        atomic_store(&p->is_walk_done, true);
}

void progress_file_done(struct progress *p, uint64_t bytes)
{
    if (p == NULL)
        return;
    atomic_fetch_add(&p->files_done, 1);
    atomic_fetch_add(&p->bytes_done, bytes);
}

void progress_stop(struct progress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->wake_mutex);
    p->is_stopping = true;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->wake_mutex);
    pthread_join(p->thread, NULL);
    pthread_mutex_lock(&term_mutex);
    erase_locked();
    atomic_store(&is_active, false);
    pthread_mutex_unlock(&term_mutex);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->wake_mutex);
    free(p);
}
