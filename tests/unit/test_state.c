/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_state.c - the state of incremental sweeps (cli/state.c): a file is read again exactly
 * when it, the scanner or the rules changed; counts stored for an unchanged file come back
 * as they were; files gone from under the sweep's PATHs are resolved, and only by a complete
 * sweep; a second sweep on the same state is refused while a reader still gets in; records
 * survive a killed sweep; the file is created 0600. Each test works in a fresh directory.
 * Files a test wants to be trusted as unchanged are made, then the test waits out the two
 * seconds in which a file's times may not have ticked yet (state.h).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli.h"
#include "cli_message_stub.h"
#include "state.h"

#define SCANNER_VERSION "1.0.0"
#define RULES           "types=all"

static char dir[64];
static char db_path[128];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "%s/piiscan-state.XXXXXX", "/tmp");
    cr_assert_not_null(mkdtemp(dir), "a temporary directory: %s", strerror(errno));
    snprintf(db_path, sizeof db_path, "%s/state.db", dir);
    test_cli_message[0] = '\0';
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "test_state: could not remove %s\n", dir);
}

TestSuite(state, .init = make_dir, .fini = remove_dir);

/* The path of name in the test's directory, in a buffer of four rotating slots per thread. */
static const char *at(const char *name)
{
    static _Thread_local char slots[4][256];
    static _Thread_local int next;
    char *p = slots[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const char *text)
{
    FILE *fp = fopen(at(name), "w");
    cr_assert_not_null(fp, "creating %s", name);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

/* A file of `bytes` bytes, all `fill`: large enough for a digest when >= 64 KiB. */
static void write_sized(const char *name, size_t bytes, char fill)
{
    char *buf = malloc(bytes);
    cr_assert_not_null(buf);
    memset(buf, fill, bytes);
    int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, buf, bytes), (ssize_t)bytes);
    close(fd);
    free(buf);
}

/* Files younger than two seconds are never trusted as unchanged: wait that out. */
static void wait_past_racy_window(void)
{
    struct timespec ts = {2, 200 * 1000000L};
    nanosleep(&ts, NULL);
}

/* Runs sql on the database at path with SQLite itself, as another program would. */
static void sqlite_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
    cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    sqlite3_close(db);
}

static struct state *open_sweep(const char *version, const char *rules, const char *root)
{
    struct state *st = NULL;
    cr_assert_eq(state_open(db_path, STATE_SWEEP, &st), 0, "opening for a sweep: %s",
                 test_cli_message);
    char root_copy[256];
    snprintf(root_copy, sizeof root_copy, "%s", root != NULL ? root : dir);
    char *roots[] = {root_copy};
    cr_assert_eq(state_sweep_begin(st, version, rules, roots, 1), 0);
    return st;
}

static void end_sweep(struct state *st, bool is_complete)
{
    cr_assert_eq(state_sweep_end(st, NULL, 0, is_complete), 0, "%s", test_cli_message);
    state_close(st);
}

/* What a worker does for one file: check, and record either the stored summary (unchanged)
 * or a scan that found `phones` phone numbers in as many rows. Returns whether it was
 * unchanged, and the summary recorded in *out when out is not NULL. */
static bool visit(struct state *st, const char *name, uint64_t phones, struct file_summary *out)
{
    const char *path = at(name);
    int fd = open(path, O_RDONLY);
    cr_assert_geq(fd, 0, "opening %s", name);
    struct state_file sf;
    cr_assert_eq(state_file_check(st, path, fd, &sf), 0, "%s", test_cli_message);
    struct file_summary fs = {
        .path = path,
        .status = FILE_SCANNED,
        .encoding = PIISCAN_ENCODING_UTF8,
        .format = PIISCAN_FORMAT_CSV,
        .bytes = (uint64_t)sf.sb.st_size,
        .records = 10,
        .findings = phones,
        .rows = phones,
    };
    fs.by_type[PIISCAN_TYPE_PHONE] = phones;
    const struct file_summary *rec = sf.is_unchanged ? &sf.summary : &fs;
    cr_assert_eq(state_file_record(st, path, &sf, fd, rec), 0, "%s", test_cli_message);
    close(fd);
    if (out != NULL)
        *out = *rec;
    return sf.is_unchanged;
}

/* A complete sweep of the default scanner version and rules that meets one file, `name`, as
 * visit() does. Returns whether the file was unchanged. */
static bool sweep_one(const char *name, uint64_t phones, struct file_summary *out)
{
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    bool is_unchanged = visit(st, name, phones, out);
    end_sweep(st, true);
    return is_unchanged;
}

/* The report's view of one file. */
struct found {
    const char *path;
    bool is_found;
    struct state_entry e;
};

static int find_entry(void *user, const struct state_entry *e)
{
    struct found *f = user;
    if (strcmp(e->path, f->path) == 0) {
        f->is_found = true;
        f->e = *e;
        f->e.path = NULL; /* borrowed only during the callback */
        f->e.reason = NULL;
    }
    return 0;
}

static struct found entry_of(const char *name)
{
    struct state *st = NULL;
    cr_assert_eq(state_open(db_path, STATE_READ, &st), 0, "%s", test_cli_message);
    struct found f = {.path = at(name)};
    cr_assert_eq(state_each_file(st, find_entry, &f), 0);
    state_close(st);
    return f;
}

Test(state, new_state_file_is_made_mode_0600_whatever_the_umask)
{
    mode_t old = umask(0);
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    umask(old);
    struct stat sb;
    cr_assert_eq(stat(db_path, &sb), 0);
    cr_expect_eq(sb.st_mode & 07777, 0600, "state file mode %o, expected 0600",
                 (unsigned)(sb.st_mode & 07777));
    write_file("a.csv", "x\n");
    visit(st, "a.csv", 1, NULL);
    /* The write-ahead log exists while the sweep has it open: it must be as private. */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    cr_assert_eq(stat(wal, &sb), 0, "WAL journal expected while the sweep is open");
    cr_expect_eq(sb.st_mode & 07777, 0600, "-wal mode %o, expected 0600",
                 (unsigned)(sb.st_mode & 07777));
    end_sweep(st, true);
}

Test(state, unchanged_file_is_not_read_again_and_keeps_its_counts)
{
    write_file("a.csv", "name,phone\nA,090-1111-2222\n");
    wait_past_racy_window();
    cr_assert_not(sweep_one("a.csv", 3, NULL), "first sweep: never seen, so scanned");

    struct file_summary fs;
    cr_assert(sweep_one("a.csv", 99, &fs), "second sweep: same file, scanner and rules");
    cr_expect_eq(fs.status, FILE_UNCHANGED);
    cr_expect_eq(fs.findings, 3, "stored findings come back");
    cr_expect_eq(fs.by_type[PIISCAN_TYPE_PHONE], 3, "stored counts by type come back");
    cr_expect_eq(fs.rows, 3);
    cr_expect_eq(fs.records, 10);
    cr_expect_eq(fs.encoding, PIISCAN_ENCODING_UTF8);
    cr_expect_eq(fs.format, PIISCAN_FORMAT_CSV);
    cr_expect_eq(fs.bytes, strlen("name,phone\nA,090-1111-2222\n"), "bytes is the size");

    struct found f = entry_of("a.csv");
    cr_assert(f.is_found);
    cr_expect_eq(f.e.state, STATE_FILE_HOLDS, "unchanged data is still held");
    cr_expect_eq(f.e.pii_since_sweep, 1, "held since the first sweep, not the last");
}

Test(state, file_of_another_size_is_read_again)
{
    write_file("a.csv", "one\n");
    wait_past_racy_window();
    sweep_one("a.csv", 1, NULL);
    write_file("a.csv", "one and two\n");
    wait_past_racy_window();
    cr_expect_not(sweep_one("a.csv", 1, NULL), "a new size means new content");
}

Test(state, small_file_with_a_new_mtime_is_read_again)
{
    write_file("a.csv", "abc\n");
    wait_past_racy_window();
    sweep_one("a.csv", 1, NULL);
    /* Same size, same bytes, another modification time: below 64 KiB no digest is kept. */
    struct timespec times[2] = {{0, UTIME_OMIT}, {1000000000, 0}};
    cr_assert_eq(utimensat(AT_FDCWD, at("a.csv"), times, 0), 0);
    wait_past_racy_window();
    cr_expect_not(sweep_one("a.csv", 1, NULL), "a new mtime with no digest means a new scan");
}

Test(state, large_file_touched_but_same_bytes_is_proven_unchanged_by_its_digest)
{
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES + 10, 'a');
    wait_past_racy_window();
    sweep_one("big.csv", 2, NULL);
    /* Rewritten with the same bytes: new mtime, ctime and inode. */
    cr_assert_eq(unlink(at("big.csv")), 0);
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES + 10, 'a');
    wait_past_racy_window();
    struct file_summary fs;
    cr_expect(sweep_one("big.csv", 0, &fs), "same bytes: unchanged whatever the stat says");
    cr_expect_eq(fs.by_type[PIISCAN_TYPE_PHONE], 2, "and its stored counts stand");
}

Test(state, large_file_of_same_size_but_other_bytes_is_read_again)
{
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES + 10, 'a');
    wait_past_racy_window();
    sweep_one("big.csv", 2, NULL);
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES + 10, 'b');
    wait_past_racy_window();
    cr_expect_not(sweep_one("big.csv", 0, NULL), "same size, other bytes: scanned again");
}

Test(state, other_scanner_version_or_rules_read_everything_again)
{
    write_file("a.csv", "a\n");
    write_file("b.csv", "b\n");
    wait_past_racy_window();
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    visit(st, "a.csv", 1, NULL);
    visit(st, "b.csv", 0, NULL);
    end_sweep(st, true);

    st = open_sweep("1.0.1", RULES, NULL);
    cr_expect_not(visit(st, "a.csv", 1, NULL), "new scanner version: a.csv read again");
    cr_expect_not(visit(st, "b.csv", 0, NULL), "new scanner version: b.csv read again");
    end_sweep(st, true);

    st = open_sweep("1.0.1", "types=phone", NULL);
    cr_expect_not(visit(st, "a.csv", 1, NULL), "new rules: a.csv read again");
    cr_expect_not(visit(st, "b.csv", 0, NULL), "new rules: b.csv read again");
    end_sweep(st, true);

    st = open_sweep("1.0.1", "types=phone", NULL);
    cr_expect(visit(st, "a.csv", 1, NULL), "same version and rules again: unchanged");
    end_sweep(st, true);
}

Test(state, recently_written_file_is_read_again_at_the_next_sweep)
{
    write_file("a.csv", "a\n");
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    visit(st, "a.csv", 1, NULL); /* within two seconds of its write */
    end_sweep(st, true);
    wait_past_racy_window();
    cr_expect_not(sweep_one("a.csv", 1, NULL),
                  "a write in the same clock tick as the check could have gone unseen");
}

Test(state, file_written_during_its_scan_is_read_again_at_the_next_sweep)
{
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES, 'a');
    wait_past_racy_window();
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    const char *path = at("big.csv");
    int fd = open(path, O_RDONLY);
    struct state_file sf;
    cr_assert_eq(state_file_check(st, path, fd, &sf), 0);
    cr_assert(sf.has_digest, "hashed before its scan");
    /* During the scan: other bytes, then the first ones back. The scan may have read either;
     * the digest of the bytes now there is the one taken before the scan. */
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES, 'b');
    write_sized("big.csv", STATE_DIGEST_MIN_BYTES, 'a');
    struct file_summary fs = {.path = path, .status = FILE_SCANNED};
    cr_assert_eq(state_file_record(st, path, &sf, fd, &fs), 0);
    close(fd);
    end_sweep(st, true);
    wait_past_racy_window();
    cr_expect_not(sweep_one("big.csv", 0, NULL),
                  "changed while it was read: its digest proves nothing about the scan");
}

Test(state, deleted_file_that_held_data_is_resolved_by_a_complete_sweep_only)
{
    write_file("gone.csv", "x\n");
    write_file("kept.csv", "y\n");
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    visit(st, "gone.csv", 2, NULL);
    visit(st, "kept.csv", 1, NULL);
    end_sweep(st, true);
    cr_assert_eq(unlink(at("gone.csv")), 0);

    st = open_sweep(SCANNER_VERSION, RULES, NULL);
    visit(st, "kept.csv", 1, NULL);
    end_sweep(st, false); /* stopped early: it may just not have got there */
    cr_expect_eq(entry_of("gone.csv").e.state, STATE_FILE_HOLDS,
                 "an incomplete sweep resolves nothing");

    sweep_one("kept.csv", 1, NULL);
    struct found f = entry_of("gone.csv");
    cr_assert(f.is_found, "the row is kept for the report");
    cr_expect_eq(f.e.state, STATE_FILE_DELETED);
    cr_expect_eq(f.e.resolved_sweep, 3,
                 "resolved by the third sweep, the first complete one "
                 "that did not meet it");
    cr_expect_eq(f.e.pii_since_sweep, 0, "no longer held");
    cr_expect_eq(entry_of("kept.csv").e.state, STATE_FILE_HOLDS);
}

Test(state, file_found_clean_after_holding_data_is_resolved)
{
    write_file("a.csv", "x\n");
    sweep_one("a.csv", 2, NULL);
    write_file("a.csv", "cleaned\n");
    sweep_one("a.csv", 0, NULL);
    struct found f = entry_of("a.csv");
    cr_expect_eq(f.e.state, STATE_FILE_CLEAN);
    cr_expect_eq(f.e.resolved_sweep, 2);
    cr_expect_eq(f.e.summary.by_type[PIISCAN_TYPE_PHONE], 0, "counts are the last scan's");
}

Test(state, files_outside_the_sweeps_paths_or_under_an_unreadable_one_are_not_deleted)
{
    cr_assert_eq(mkdir(at("one"), 0755), 0);
    cr_assert_eq(mkdir(at("two"), 0755), 0);
    cr_assert_eq(mkdir(at("one/locked"), 0755), 0);
    write_file("one/a.csv", "a\n");
    write_file("one/locked/b.csv", "b\n");
    write_file("two/c.csv", "c\n");
    write_file("onetwo.csv", "d\n"); /* "one" is a prefix of its name, not a parent */
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    visit(st, "one/a.csv", 1, NULL);
    visit(st, "one/locked/b.csv", 1, NULL);
    visit(st, "two/c.csv", 1, NULL);
    visit(st, "onetwo.csv", 1, NULL);
    end_sweep(st, true);

    /* Sweep "one" only, and pretend its subdirectory could not be listed. */
    st = open_sweep(SCANNER_VERSION, RULES, at("one"));
    visit(st, "one/a.csv", 1, NULL);
    cr_assert_eq(state_walk_failed(st, at("one/locked")), 0);
    end_sweep(st, true);
    cr_expect_eq(entry_of("two/c.csv").e.state, STATE_FILE_HOLDS, "not under the sweep's PATH");
    cr_expect_eq(entry_of("onetwo.csv").e.state, STATE_FILE_HOLDS, "a name, not a directory");
    cr_expect_eq(entry_of("one/locked/b.csv").e.state, STATE_FILE_HOLDS,
                 "under a directory the walk could not list: kept, not deleted");
}

Test(state, failed_file_keeps_what_it_held_and_is_read_again)
{
    write_file("a.csv", "x\n");
    wait_past_racy_window();
    sweep_one("a.csv", 4, NULL);

    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    struct file_summary failed = {
        .path = at("a.csv"), .status = FILE_FAILED, .reason = "Permission denied"};
    cr_assert_eq(state_file_record(st, at("a.csv"), NULL, -1, &failed), 0);
    end_sweep(st, true);
    struct found f = entry_of("a.csv");
    cr_expect_eq(f.e.state, STATE_FILE_HOLDS, "an unreadable file is not a clean one");
    cr_expect_eq(f.e.summary.by_type[PIISCAN_TYPE_PHONE], 4, "its last counts stand");
    cr_expect_eq(f.e.summary.status, FILE_FAILED);

    cr_expect_not(sweep_one("a.csv", 4, NULL), "a failed file is read again");
}

Test(state, second_sweep_on_the_same_state_is_refused_and_says_by_whom)
{
    struct state *first = open_sweep(SCANNER_VERSION, RULES, NULL);
    struct state *second = NULL;
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &second), -1, "the lock is held");
    cr_expect_null(second);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %d", (int)getpid());
    cr_expect(strstr(test_cli_message, "another sweep") != NULL &&
                  strstr(test_cli_message, pid) != NULL,
              "the message names the other sweep: %s", test_cli_message);

    /* A reader gets in meanwhile, and sees the sweep running. */
    struct state *reader = NULL;
    cr_assert_eq(state_open(db_path, STATE_READ, &reader), 0, "%s", test_cli_message);
    const struct state_sweep *last;
    const struct state_sweep *previous;
    const struct state_sweep *unfinished;
    cr_assert_eq(state_sweeps(reader, &last, &previous, &unfinished), 0);
    cr_expect_eq(last->id, 0, "no complete sweep yet");
    cr_expect_eq(unfinished->id, 1);
    cr_expect(unfinished->is_running, "its lock is held");
    state_close(reader);
    end_sweep(first, true);

    cr_assert_eq(state_open(db_path, STATE_SWEEP, &second), 0, "free again: %s", test_cli_message);
    state_close(second);
}

/* A sweep of the test's directory begun in a child process, where Criterion's assertions do
 * not reach the parent: it exits 3 when the state cannot be opened. */
static struct state *child_begins_sweep(void)
{
    struct state *st = NULL;
    if (state_open(db_path, STATE_SWEEP, &st) != 0)
        _exit(3);
    char *roots[] = {dir};
    state_sweep_begin(st, SCANNER_VERSION, RULES, roots, 1);
    return st;
}

Test(state, second_process_is_refused_while_the_first_sweeps)
{
    int ready[2];
    int done[2];
    cr_assert_eq(pipe(ready), 0);
    cr_assert_eq(pipe(done), 0);
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        struct state *st = child_begins_sweep();
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
            _exit(4);
        state_sweep_end(st, NULL, 0, true);
        state_close(st);
        _exit(0);
    }
    char c;
    cr_assert_eq(read(ready[0], &c, 1), 1, "the first sweep has started");
    struct state *st = NULL;
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &st), -1, "refused while the first runs");
    c = 'd';
    cr_assert_eq(write(done[1], &c, 1), 1);
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the first sweep ended well");
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &st), 0, "taken once the first has ended");
    state_close(st);
}

static int count_rows(void *user, const struct state_entry *e)
{
    (void)e;
    ++*(int *)user;
    return 0;
}

Test(state, killed_sweep_keeps_the_batches_it_committed)
{
    enum { FILES = 2 * STATE_BATCH_FILES + 500 };
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0) {
        struct state *st = child_begins_sweep();
        for (int i = 0; i < FILES; i++) {
            char path[256];
            snprintf(path, sizeof path, "%s/f%05d.csv", dir, i);
            struct file_summary fs = {.path = path, .status = FILE_SKIPPED, .reason = "binary"};
            if (state_file_record(st, path, NULL, -1, &fs) != 0)
                _exit(4);
        }
        _exit(0); /* killed: no end, no close */
    }
    int status;
    cr_assert_eq(waitpid(child, &status, 0), child);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    struct state *st = NULL;
    cr_assert_eq(state_open(db_path, STATE_SWEEP, &st), 0, "the lock died with its process");
    state_close(st);
    cr_assert_eq(state_open(db_path, STATE_READ, &st), 0);
    int n = 0;
    cr_assert_eq(state_each_file(st, count_rows, &n), 0);
    state_close(st);
    cr_expect_geq(n, 2 * STATE_BATCH_FILES, "whole batches survive: %d of %d", n, FILES);
    cr_expect_lt(n, FILES, "the last batch was never committed");
}

struct worker {
    struct state *st;
    int first;
    int n;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = w->first; i < w->first + w->n; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%03d.csv", i);
        visit(w->st, name, (uint64_t)(i % 3), NULL);
    }
    return NULL;
}

Test(state, workers_check_and_record_in_parallel)
{
    enum { THREADS = 4, EACH = 50 };
    for (int i = 0; i < THREADS * EACH; i++) {
        char name[32];
        snprintf(name, sizeof name, "t%03d.csv", i);
        /* Some large enough to be hashed outside the mutex, while others record. */
        if (i % 10 == 0)
            write_sized(name, STATE_DIGEST_MIN_BYTES, 'x');
        else
            write_file(name, "x\n");
    }
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (struct worker){st, t * EACH, EACH};
        cr_assert_eq(pthread_create(&threads[t], NULL, work, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        pthread_join(threads[t], NULL);
    end_sweep(st, true);
    for (int i = 0; i < THREADS * EACH; i += 7) {
        char name[32];
        snprintf(name, sizeof name, "t%03d.csv", i);
        struct found f = entry_of(name);
        cr_assert(f.is_found, "%s recorded", name);
        cr_expect_eq(f.e.summary.by_type[PIISCAN_TYPE_PHONE], (uint64_t)(i % 3),
                     "%s has its own counts", name);
    }
}

Test(state, database_of_another_program_or_no_database_is_refused)
{
    write_file("notes.txt", "this is not a database, and it is longer than a header would be "
                            "so that SQLite reads it as a file that is not one\n");
    struct state *st = NULL;
    snprintf(db_path, sizeof db_path, "%s", at("notes.txt"));
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &st), -1);
    cr_expect(strstr(test_cli_message, "not a piiscan state file") != NULL, "%s", test_cli_message);

    snprintf(db_path, sizeof db_path, "%s", at("other.db"));
    sqlite_exec(db_path, "CREATE TABLE t (x)");
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &st), -1);
    cr_expect(strstr(test_cli_message, "another program") != NULL, "%s", test_cli_message);
}

Test(state, state_of_a_newer_schema_is_refused)
{
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    end_sweep(st, true);
    sqlite_exec(db_path, "PRAGMA user_version = 99");
    cr_expect_eq(state_open(db_path, STATE_SWEEP, &st), -1);
    cr_expect(strstr(test_cli_message, "newer piiscan") != NULL, "%s", test_cli_message);
}

Test(state, reading_a_missing_state_file_fails_and_creates_nothing)
{
    struct state *st = NULL;
    cr_expect_eq(state_open(db_path, STATE_READ, &st), -1);
    cr_expect_neq(access(db_path, F_OK), 0, "state only reads: no file made");
}

Test(state, standard_input_and_pipes_are_never_recorded)
{
    struct state *st = open_sweep(SCANNER_VERSION, RULES, NULL);
    int p[2];
    cr_assert_eq(pipe(p), 0);
    struct state_file sf;
    cr_assert_eq(state_file_check(st, at("fifo"), p[0], &sf), 0);
    cr_expect_not(sf.is_recordable, "a pipe has no identity to compare");
    struct file_summary fs = {.path = "-", .status = FILE_SCANNED, .findings = 1};
    cr_assert_eq(state_file_record(st, "-", NULL, -1, &fs), 0);
    cr_assert_eq(state_file_record(st, at("fifo"), &sf, p[0], &fs), 0);
    close(p[0]);
    close(p[1]);
    end_sweep(st, true);
    cr_expect_not(entry_of("fifo").is_found);
}
