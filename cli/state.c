/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * state.c - the state of incremental sweeps in a SQLite database (see state.h).
 *
 * Choices, and why:
 * - WAL journal with synchronous=NORMAL: `piiscan state` reads while a sweep writes, and a
 *   commit is an append to the log, not an fsync; a crash can lose the last batch (those
 *   files are scanned again) but never corrupts. WAL needs shared memory, so the state file
 *   belongs on a local disk, not on the network share being swept.
 * - The sweep lock is flock() on the database file itself, taken before SQLite opens it:
 *   one file to manage, released by the kernel when a sweep dies, and independent of the
 *   fcntl() locks SQLite uses inside the file. Our descriptor stays open until SQLite has
 *   closed, since closing any descriptor of a file drops the process's fcntl() locks on it.
 *   A second sweep is refused at once rather than queued: a nightly job that finds the last
 *   one still running should say so, not pile up behind it.
 * - The file is created here with open(O_CREAT, 0600), before SQLite sees it, so its mode
 *   never depends on the umask; SQLite gives the -wal and -shm files the same mode.
 * - Paths are the keys, as given or as walked: sweeps must name the same PATHs (absolute ones
 *   in cron) to find their files again. Only files under the sweep's PATHs can be deleted.
 * - Identity is size, modification and change times in ns, and inode: the change time cannot
 *   be set back by touch -d, tar or rsync -t, and a new inode is a new file. A file written
 *   to within two seconds of its record keeps no identity: its times may not have ticked
 *   yet (file times follow a coarse clock), as git's "racy clean" entries.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "state.h"

/* 'PIIS': PRAGMA application_id, so that another program's database is never taken for ours
 * (file(1) knows the field too). */
#define STATE_APPLICATION_ID  0x50494953
#define STATE_SCHEMA_VERSION  1
#define STATE_BUSY_TIMEOUT_MS 10000
#define STATE_RACY_NS         (2 * 1000000000LL)
#define STATE_READ_BYTES      (256 * 1024)

static const char schema_sql[] =
    "CREATE TABLE sweep (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    started INTEGER NOT NULL,\n"               /* Unix seconds */
    "    finished INTEGER,\n"                       /* NULL while running, or when killed */
    "    is_complete INTEGER NOT NULL DEFAULT 0,\n" /* every PATH walked to its end */
    "    pid INTEGER NOT NULL,\n"
    "    scanner_version TEXT NOT NULL,\n"
    "    rules_digest TEXT NOT NULL,\n"
    "    roots TEXT NOT NULL,\n" /* the PATHs, one per line */
    "    files INTEGER, scanned INTEGER, unchanged INTEGER, skipped INTEGER, failed INTEGER,\n"
    "    files_with_findings INTEGER, findings INTEGER, bytes INTEGER, exit_status INTEGER\n"
    ");\n"
    "CREATE TABLE file (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    path TEXT NOT NULL UNIQUE,\n"
    "    status TEXT NOT NULL DEFAULT 'failed',\n" /* scanned, skipped or failed */
    "    reason TEXT,\n"
    /* identity at the last scan; mtime_ns NULL when the file must be read again */
    "    size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,\n"
    "    digest BLOB,\n" /* BLAKE2b-256 of the content, files of 64 KiB or more */
    "    scanner_version TEXT, rules_digest TEXT,\n"
    "    encoding INTEGER, format INTEGER, bytes INTEGER, records INTEGER,\n"
    "    decode_errors INTEGER, findings INTEGER NOT NULL DEFAULT 0,\n"
    "    rows INTEGER NOT NULL DEFAULT 0, suppressed INTEGER NOT NULL DEFAULT 0,\n"
    "    first_seen INTEGER NOT NULL REFERENCES sweep(id),\n"
    "    last_seen INTEGER NOT NULL REFERENCES sweep(id),\n"
    "    pii_since INTEGER REFERENCES sweep(id),\n"   /* NULL: holds none */
    "    resolved_in INTEGER REFERENCES sweep(id),\n" /* found clean or gone after holding */
    "    deleted_in INTEGER REFERENCES sweep(id)\n"   /* no longer met */
    ");\n"
    "CREATE TABLE file_count (\n" /* findings by type: counts, never values */
    "    file_id INTEGER NOT NULL REFERENCES file(id) ON DELETE CASCADE,\n"
    "    type TEXT NOT NULL,\n"
    "    count INTEGER NOT NULL,\n"
    "    PRIMARY KEY (file_id, type)\n"
    ") WITHOUT ROWID;\n";

enum {
    SQL_FIND,
    SQL_INSERT,
    SQL_SET_RESULT,
    SQL_SET_SEEN,
    SQL_SET_FAILED,
    SQL_COUNTS_GET,
    SQL_COUNTS_DELETE,
    SQL_COUNTS_INSERT,
    SQL_COUNT,
};

static const char *const sql_text[SQL_COUNT] = {
    [SQL_FIND] = "SELECT id, status, size, mtime_ns, ctime_ns, inode, digest, scanner_version, "
                 "rules_digest, encoding, format, records, decode_errors, findings, rows, "
                 "suppressed, pii_since, resolved_in FROM file WHERE path = ?1",
    [SQL_INSERT] = "INSERT INTO file (path, first_seen, last_seen) VALUES (?1, ?2, ?2)",
    [SQL_SET_RESULT] = "UPDATE file SET last_seen = ?2, deleted_in = NULL, status = ?3, "
                       "reason = ?4, size = ?5, mtime_ns = ?6, ctime_ns = ?7, inode = ?8, "
                       "digest = ?9, scanner_version = ?10, rules_digest = ?11, encoding = ?12, "
                       "format = ?13, bytes = ?14, records = ?15, decode_errors = ?16, "
                       "findings = ?17, rows = ?18, suppressed = ?19, pii_since = ?20, "
                       "resolved_in = ?21 WHERE id = ?1",
    [SQL_SET_SEEN] = "UPDATE file SET last_seen = ?2, deleted_in = NULL, size = ?3, "
                     "mtime_ns = ?4, ctime_ns = ?5, inode = ?6, digest = ?7 WHERE id = ?1",
    [SQL_SET_FAILED] = "UPDATE file SET last_seen = ?2, deleted_in = NULL, status = 'failed', "
                       "reason = ?3, mtime_ns = NULL WHERE id = ?1",
    [SQL_COUNTS_GET] = "SELECT type, count FROM file_count WHERE file_id = ?1",
    [SQL_COUNTS_DELETE] = "DELETE FROM file_count WHERE file_id = ?1",
    [SQL_COUNTS_INSERT] = "INSERT INTO file_count (file_id, type, count) VALUES (?1, ?2, ?3)",
};

struct path_list {
    char **items;
    size_t n, cap;
};

struct state {
    sqlite3 *db;
    char *path;
    int lock_fd; /* holds the flock of a sweep; -1 when reading */
    enum state_mode mode;
    pthread_mutex_t mutex;
    sqlite3_stmt *sql[SQL_COUNT];
    bool is_broken;        /* a database error was reported: the sweep goes on without the state */
    bool is_sweep_running; /* STATE_READ: a sweep held the lock when the state was opened */
    /* the sweep */
    int64_t sweep_id;
    char *scanner_version;
    char *rules_digest;
    struct path_list roots;
    struct path_list kept; /* paths the walk could not look at */
    bool is_in_batch;
    unsigned batch_files;
    struct timespec batch_started;
    /* the report */
    struct state_sweep sweeps[3];
};

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static void say_db_error(struct state *st, const char *what)
{
    cli_message(st->path, "state: %s: %s", what, sqlite3_errmsg(st->db));
}

/* Reports a database error once; later calls of the sweep then do nothing. */
static int broken(struct state *st, const char *what)
{
    if (!st->is_broken)
        say_db_error(st, what);
    st->is_broken = true;
    return -1;
}

static int exec(struct state *st, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cli_message(st->path, "state: %s", msg != NULL ? msg : sqlite3_errmsg(st->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int64_t ns_of(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static bool same_identity(const struct stat *a, const struct stat *b)
{
    return a->st_size == b->st_size && a->st_ino == b->st_ino &&
           ns_of(a->st_mtim) == ns_of(b->st_mtim) && ns_of(a->st_ctim) == ns_of(b->st_ctim);
}

static int list_add(struct path_list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n] = strdup(s);
    if (l->items[l->n] == NULL)
        return -1;
    l->n++;
    return 0;
}

static void list_free(struct path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

/* path is prefix itself or lies under it ("a/b" under "a" and "a/", not under "ab"). */
static bool is_under(const char *path, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(path, prefix, n) != 0)
        return false;
    return path[n] == '\0' || path[n] == '/' || (n > 0 && prefix[n - 1] == '/');
}

static bool is_under_any(const char *path, const struct path_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        if (is_under(path, l->items[i]))
            return true;
    }
    return false;
}

static void sweep_row_free(struct state_sweep *sw)
{
    free(sw->scanner_version);
    free(sw->rules_digest);
    free(sw->roots);
    memset(sw, 0, sizeof *sw);
}

/* ------------------------------------------------------------------------------------------ */
/* Opening                                                                                    */

/* Another sweep holds the lock: say which, from its row, as far as it can be read. */
static void say_busy(const char *path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    bool is_said = false;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_busy_timeout(db, 1000) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT pid, started FROM sweep WHERE finished IS NULL "
                           "ORDER BY id DESC LIMIT 1",
                           -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
        time_t started = (time_t)sqlite3_column_int64(q, 1);
        struct tm tm;
        char when[32] = "?";
        if (localtime_r(&started, &tm) != NULL)
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
        cli_message(path,
                    "another sweep is using this state file (pid %" PRId64 ", started %s); "
                    "not starting a second one",
                    (int64_t)sqlite3_column_int64(q, 0), when);
        is_said = true;
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (!is_said)
        cli_message(path, "another sweep is using this state file; not starting a second one");
}

/* Checks that the database is ours and of a schema we know; creates the schema in an empty
 * one (mode STATE_SWEEP). */
static int check_schema(struct state *st)
{
    sqlite3_stmt *q = NULL;
    int64_t app_id = 0;
    int64_t version = 0;
    int64_t objects = 0;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT (SELECT application_id FROM pragma_application_id), "
                                "(SELECT user_version FROM pragma_user_version), "
                                "(SELECT count(*) FROM sqlite_schema)",
                                -1, &q, NULL);
    if (rc == SQLITE_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        app_id = sqlite3_column_int64(q, 0);
        version = sqlite3_column_int64(q, 1);
        objects = sqlite3_column_int64(q, 2);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(q);
    if (rc == SQLITE_NOTADB) {
        cli_message(st->path, "not a piiscan state file (not a SQLite database)");
        return -1;
    }
    if (rc != SQLITE_OK) {
        say_db_error(st, "cannot read");
        return -1;
    }
    if (app_id == 0 && version == 0 && objects == 0) {
        if (st->mode == STATE_READ) {
            cli_message(st->path, "no sweep has been recorded in this state file yet");
            return -1;
        }
        char create[sizeof schema_sql + 128];
        snprintf(create, sizeof create,
                 "BEGIN IMMEDIATE;\n%sPRAGMA application_id = %d;\nPRAGMA user_version = %d;\n"
                 "COMMIT;",
                 schema_sql, STATE_APPLICATION_ID, STATE_SCHEMA_VERSION);
        if (exec(st, create) != 0) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        return 0;
    }
    if (app_id != STATE_APPLICATION_ID) {
        cli_message(st->path, "not a piiscan state file (a SQLite database of another program)");
        return -1;
    }
    if (version > STATE_SCHEMA_VERSION) {
        cli_message(st->path,
                    "state file of a newer piiscan (schema %" PRId64 "; this one reads %d)",
                    version, STATE_SCHEMA_VERSION);
        return -1;
    }
    return 0;
}

static int prepare_statements(struct state *st)
{
    for (int i = 0; i < SQL_COUNT; i++) {
        if (sqlite3_prepare_v3(st->db, sql_text[i], -1, SQLITE_PREPARE_PERSISTENT, &st->sql[i],
                               NULL) != SQLITE_OK) {
            say_db_error(st, "cannot prepare");
            return -1;
        }
    }
    return 0;
}

/* Whether a sweep holds the lock now: a shared flock that cannot be had. Asked before SQLite
 * opens the file, since closing this descriptor would drop any fcntl() lock SQLite held. */
static bool is_sweep_running(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return false;
    bool is_locked = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
    close(fd);
    return is_locked;
}

int state_open(const char *path, enum state_mode mode, struct state **out)
{
    if (sodium_init() < 0) {
        cli_message(NULL, "cannot initialise libsodium");
        return -1;
    }
    struct state *st = calloc(1, sizeof *st);
    if (st == NULL)
        goto nomem;
    st->lock_fd = -1;
    st->mode = mode;
    st->path = strdup(path);
    if (st->path == NULL || pthread_mutex_init(&st->mutex, NULL) != 0) {
        free(st->path);
        free(st);
        st = NULL;
        goto nomem;
    }
    int flags = SQLITE_OPEN_EXRESCODE | SQLITE_OPEN_NOMUTEX; /* our mutex guards every call */
    if (mode == STATE_SWEEP) {
        st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
        if (st->lock_fd < 0) {
            cli_message(path, "cannot open the state file: %s", strerror(errno));
            goto fail;
        }
        struct stat sb;
        if (fstat(st->lock_fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
            cli_message(path, "the state file must be a regular file");
            goto fail;
        }
        if (flock(st->lock_fd, LOCK_EX | LOCK_NB) < 0) {
            if (errno == EWOULDBLOCK)
                say_busy(path);
            else
                cli_message(path, "cannot lock the state file: %s", strerror(errno));
            goto fail;
        }
        flags |= SQLITE_OPEN_READWRITE;
    } else {
        if (access(path, F_OK) < 0) {
            cli_message(path, "cannot open the state file: %s", strerror(errno));
            goto fail;
        }
        st->is_sweep_running = is_sweep_running(path);
        /* Read-write even to read: a WAL database is read through its shared-memory index. */
        flags |= access(path, W_OK) == 0 ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    }
    if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
        cli_message(path, "cannot open the state file: %s",
                    st->db != NULL ? sqlite3_errmsg(st->db) : strerror(ENOMEM));
        goto fail;
    }
    sqlite3_busy_timeout(st->db, STATE_BUSY_TIMEOUT_MS);
    if (check_schema(st) != 0)
        goto fail;
    if (mode == STATE_SWEEP) {
        if (exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;") != 0)
            goto fail;
    } else if (exec(st, "PRAGMA query_only = 1;") != 0) {
        goto fail;
    }
    if (exec(st, "PRAGMA foreign_keys = ON;") != 0 || prepare_statements(st) != 0)
        goto fail;
    *out = st;
    return 0;
nomem:
    cli_message(path, "%s", strerror(ENOMEM));
    return -1;
fail:
    state_close(st);
    return -1;
}

static int commit_batch(struct state *st)
{
    if (!st->is_in_batch)
        return 0;
    st->is_in_batch = false;
    st->batch_files = 0;
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return broken(st, "cannot commit");
    }
    return 0;
}

void state_close(struct state *st)
{
    if (st == NULL)
        return;
    if (st->db != NULL) {
        commit_batch(st);
        for (int i = 0; i < SQL_COUNT; i++)
            sqlite3_finalize(st->sql[i]);
        sqlite3_close(st->db);
    }
    /* Only now: closing a descriptor of the file would drop SQLite's fcntl() locks on it. */
    if (st->lock_fd >= 0)
        close(st->lock_fd);
    for (size_t i = 0; i < sizeof st->sweeps / sizeof st->sweeps[0]; i++)
        sweep_row_free(&st->sweeps[i]);
    list_free(&st->roots);
    list_free(&st->kept);
    free(st->scanner_version);
    free(st->rules_digest);
    pthread_mutex_destroy(&st->mutex);
    free(st->path);
    free(st);
}

/* ------------------------------------------------------------------------------------------ */
/* The sweep                                                                                  */

int state_sweep_begin(struct state *st, const char *scanner_version, const char *rules_digest,
                      char *const *roots, size_t nroots)
{
    size_t roots_len = 1;
    for (size_t i = 0; i < nroots; i++)
        roots_len += strlen(roots[i]) + 1;
    char *joined = malloc(roots_len);
    st->scanner_version = strdup(scanner_version);
    st->rules_digest = strdup(rules_digest);
    if (joined == NULL || st->scanner_version == NULL || st->rules_digest == NULL)
        goto nomem;
    joined[0] = '\0';
    for (size_t i = 0; i < nroots; i++) {
        if (strcmp(roots[i], "-") == 0)
            continue;
        if (list_add(&st->roots, roots[i]) != 0)
            goto nomem;
        strcat(joined, roots[i]);
        strcat(joined, "\n");
    }
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(st->db,
                                "INSERT INTO sweep (started, pid, scanner_version, rules_digest, "
                                "roots) VALUES (?1, ?2, ?3, ?4, ?5)",
                                -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, (int64_t)time(NULL));
        sqlite3_bind_int64(q, 2, (int64_t)getpid());
        sqlite3_bind_text(q, 3, scanner_version, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 4, rules_digest, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 5, joined, -1, SQLITE_STATIC);
        rc = sqlite3_step(q);
    }
    sqlite3_finalize(q);
    free(joined);
    if (rc != SQLITE_DONE) {
        say_db_error(st, "cannot record the sweep");
        return -1;
    }
    st->sweep_id = sqlite3_last_insert_rowid(st->db);
    return 0;
nomem:
    free(joined);
    cli_message(st->path, "%s", strerror(ENOMEM));
    return -1;
}

/* Opens a batch when none is open, so that records share transactions. */
static int batch_begin(struct state *st)
{
    if (st->is_in_batch)
        return 0;
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return broken(st, "cannot begin a transaction");
    st->is_in_batch = true;
    st->batch_files = 0;
    clock_gettime(CLOCK_MONOTONIC, &st->batch_started);
    return 0;
}

/* Commits after STATE_BATCH_FILES files or a second, whichever comes first. */
static int batch_count(struct state *st)
{
    st->batch_files++;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (st->batch_files >= STATE_BATCH_FILES ||
        ns_of(now) - ns_of(st->batch_started) >= 1000000000LL)
        return commit_batch(st);
    return 0;
}

/* Reads the file on fd from its start with pread (the descriptor's offset stays where the
 * scan expects it) into a BLAKE2b-256 digest. */
static int digest_fd(int fd, unsigned char digest[STATE_DIGEST_BYTES])
{
    unsigned char *buf = malloc(STATE_READ_BYTES);
    if (buf == NULL)
        return -1;
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, STATE_DIGEST_BYTES);
    off_t at = 0;
    int rc = 0;
    for (;;) {
        ssize_t n = pread(fd, buf, STATE_READ_BYTES, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0)
            break;
        crypto_generichash_update(&h, buf, (size_t)n);
        at += n;
    }
    if (rc == 0)
        crypto_generichash_final(&h, digest, STATE_DIGEST_BYTES);
    free(buf);
    return rc;
}

static bool column_is(sqlite3_stmt *q, int col, const char *s)
{
    const unsigned char *v = sqlite3_column_text(q, col);
    return v != NULL && strcmp((const char *)v, s) == 0;
}

/* The counts of a file, from file_count, into by_type. */
static int read_counts(struct state *st, int64_t file_id, uint64_t by_type[OUTPUT_TYPES])
{
    sqlite3_stmt *q = st->sql[SQL_COUNTS_GET];
    sqlite3_bind_int64(q, 1, file_id);
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        piiscan_type type;
        const char *name = (const char *)sqlite3_column_text(q, 0);
        if (name != NULL && piiscan_type_from_name(name, &type) == PIISCAN_OK &&
            (unsigned)type < OUTPUT_TYPES)
            by_type[type] = (uint64_t)sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* What a lookup of a file's row needs to keep once the statement is reset. */
struct stored {
    bool is_found;
    bool is_candidate; /* scanned with this sweep's scanner and rules */
    bool has_identity;
    struct stat sb; /* size, inode, times, when has_identity (size always) */
    bool has_digest;
    unsigned char digest[STATE_DIGEST_BYTES];
};

int state_file_check(struct state *st, const char *path, int fd, struct state_file *sf)
{
    memset(sf, 0, sizeof *sf);
    sf->summary.path = path;
    if (strcmp(path, "-") == 0 || fstat(fd, &sf->sb) < 0 || !S_ISREG(sf->sb.st_mode))
        return 0;
    sf->is_recordable = true;

    struct stored old = {0};
    pthread_mutex_lock(&st->mutex);
    if (st->is_broken || st->sweep_id == 0) {
        pthread_mutex_unlock(&st->mutex);
        return -1;
    }
    sqlite3_stmt *q = st->sql[SQL_FIND];
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        old.is_found = true;
        old.is_candidate = column_is(q, 1, "scanned") && column_is(q, 7, st->scanner_version) &&
                           column_is(q, 8, st->rules_digest) &&
                           sqlite3_column_type(q, 2) != SQLITE_NULL;
        old.sb.st_size = (off_t)sqlite3_column_int64(q, 2);
        old.has_identity = sqlite3_column_type(q, 3) != SQLITE_NULL;
        int64_t mtime = sqlite3_column_int64(q, 3);
        int64_t ctime = sqlite3_column_int64(q, 4);
        old.sb.st_mtim = (struct timespec){mtime / 1000000000LL, mtime % 1000000000LL};
        old.sb.st_ctim = (struct timespec){ctime / 1000000000LL, ctime % 1000000000LL};
        old.sb.st_ino = (ino_t)sqlite3_column_int64(q, 5);
        if (sqlite3_column_bytes(q, 6) == STATE_DIGEST_BYTES) {
            old.has_digest = true;
            memcpy(old.digest, sqlite3_column_blob(q, 6), STATE_DIGEST_BYTES);
        }
        /* The summary it would have if unchanged; used only then. */
        struct file_summary *fs = &sf->summary;
        fs->status = FILE_UNCHANGED;
        fs->encoding = (piiscan_encoding)sqlite3_column_int(q, 9);
        fs->format = (piiscan_format)sqlite3_column_int(q, 10);
        fs->bytes = (uint64_t)sf->sb.st_size;
        fs->records = (uint64_t)sqlite3_column_int64(q, 11);
        fs->decode_errors = (uint64_t)sqlite3_column_int64(q, 12);
        fs->findings = (uint64_t)sqlite3_column_int64(q, 13);
        fs->rows = (uint64_t)sqlite3_column_int64(q, 14);
        fs->suppressed = (uint64_t)sqlite3_column_int64(q, 15);
        int64_t id = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        if (old.is_candidate && fs->findings > 0 && read_counts(st, id, fs->by_type) != 0)
            rc = SQLITE_ERROR;
        else
            rc = SQLITE_DONE;
    } else {
        sqlite3_reset(q);
    }
    sqlite3_clear_bindings(q);
    if (rc != SQLITE_DONE) {
        broken(st, "cannot look a file up");
        pthread_mutex_unlock(&st->mutex);
        memset(&sf->summary, 0, sizeof sf->summary);
        sf->summary.path = path;
        return -1;
    }
    pthread_mutex_unlock(&st->mutex);

    /* Hashing happens outside the mutex, so that workers hash in parallel. */
    bool is_large = sf->sb.st_size >= STATE_DIGEST_MIN_BYTES;
    if (old.is_candidate && old.has_identity && same_identity(&old.sb, &sf->sb)) {
        sf->is_unchanged = true;
        sf->has_digest = old.has_digest;
        memcpy(sf->digest, old.digest, sizeof sf->digest);
    } else if (is_large) {
        sf->has_digest = digest_fd(fd, sf->digest) == 0;
        /* Touched, copied or restored, but the same bytes: nothing to read again. */
        sf->is_unchanged = sf->has_digest && old.is_candidate && old.has_digest &&
                           old.sb.st_size == sf->sb.st_size &&
                           memcmp(old.digest, sf->digest, STATE_DIGEST_BYTES) == 0;
    }
    if (!sf->is_unchanged) {
        memset(&sf->summary, 0, sizeof sf->summary);
        sf->summary.path = path;
    }
    return 0;
}

static void bind_text_or_null(sqlite3_stmt *q, int col, const char *s)
{
    if (s != NULL)
        sqlite3_bind_text(q, col, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, col);
}

static void bind_id_or_null(sqlite3_stmt *q, int col, int64_t id)
{
    if (id != 0)
        sqlite3_bind_int64(q, col, id);
    else
        sqlite3_bind_null(q, col);
}

/* Binds the identity columns size, mtime, ctime, inode, digest from col on. */
static void bind_identity(sqlite3_stmt *q, int col, const struct stat *sb, bool is_trusted,
                          const unsigned char *digest)
{
    if (sb != NULL)
        sqlite3_bind_int64(q, col, (int64_t)sb->st_size);
    else
        sqlite3_bind_null(q, col);
    if (sb != NULL && is_trusted) {
        sqlite3_bind_int64(q, col + 1, ns_of(sb->st_mtim));
        sqlite3_bind_int64(q, col + 2, ns_of(sb->st_ctim));
        sqlite3_bind_int64(q, col + 3, (int64_t)sb->st_ino);
    } else {
        sqlite3_bind_null(q, col + 1);
        sqlite3_bind_null(q, col + 2);
        sqlite3_bind_null(q, col + 3);
    }
    if (digest != NULL)
        sqlite3_bind_blob(q, col + 4, digest, STATE_DIGEST_BYTES, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, col + 4);
}

static int step_done(sqlite3_stmt *q)
{
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Replaces the counts of a file; had_findings: it may have counts to delete first. */
static int write_counts(struct state *st, int64_t id, bool had_findings,
                        const uint64_t by_type[OUTPUT_TYPES])
{
    sqlite3_stmt *q = st->sql[SQL_COUNTS_DELETE];
    sqlite3_bind_int64(q, 1, id);
    if (had_findings && step_done(q) != 0)
        return -1;
    q = st->sql[SQL_COUNTS_INSERT];
    for (int t = 1; t < OUTPUT_TYPES; t++) {
        const char *name = piiscan_type_name((piiscan_type)t);
        if (by_type[t] == 0 || name == NULL)
            continue;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 3, (int64_t)by_type[t]);
        if (step_done(q) != 0)
            return -1;
    }
    return 0;
}

/* The row of path, made when missing: its id, present run of finds, last resolution, and
 * whether it has counts. */
static int find_or_insert(struct state *st, const char *path, int64_t *id, int64_t *pii_since,
                          int64_t *resolved_in, bool *had_findings)
{
    sqlite3_stmt *q = st->sql[SQL_FIND];
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        *pii_since = sqlite3_column_int64(q, 16);
        *resolved_in = sqlite3_column_int64(q, 17);
        *had_findings = sqlite3_column_int64(q, 13) > 0;
    }
    sqlite3_reset(q);
    sqlite3_clear_bindings(q);
    if (rc == SQLITE_ROW)
        return 0;
    if (rc != SQLITE_DONE)
        return -1;
    q = st->sql[SQL_INSERT];
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, st->sweep_id);
    if (step_done(q) != 0)
        return -1;
    *id = sqlite3_last_insert_rowid(st->db);
    *pii_since = 0;
    *resolved_in = 0;
    *had_findings = false;
    return 0;
}

/* Written to so recently that its times may not have moved yet at the next write. */
static bool is_racy(const struct stat *sb)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return ns_of(now) - ns_of(sb->st_mtim) < STATE_RACY_NS ||
           ns_of(now) - ns_of(sb->st_ctim) < STATE_RACY_NS;
}

static int record_locked(struct state *st, const char *path, const struct state_file *sf, int fd,
                         const struct file_summary *fs)
{
    int64_t id;
    int64_t pii_since;
    int64_t resolved_in;
    bool had_findings;
    if (batch_begin(st) != 0)
        return -1;
    if (find_or_insert(st, path, &id, &pii_since, &resolved_in, &had_findings) != 0)
        return broken(st, "cannot record a file");
    bool has_identity = sf != NULL && (fs->status == FILE_SCANNED || fs->status == FILE_UNCHANGED);
    bool is_trusted = false;
    const unsigned char *digest = NULL;
    if (has_identity) {
        /* Written to during its scan: what was read may match neither the digest taken
         * before nor the file as it is now, so the next sweep reads it again. */
        struct stat now_sb;
        bool is_changed = fd >= 0 && (fstat(fd, &now_sb) < 0 || !same_identity(&sf->sb, &now_sb));
        is_trusted = !is_changed && !is_racy(&sf->sb);
        if (!is_changed && sf->has_digest)
            digest = sf->digest;
    }
    sqlite3_stmt *q;
    if (fs->status == FILE_UNCHANGED) {
        q = st->sql[SQL_SET_SEEN];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, st->sweep_id);
        bind_identity(q, 3, &sf->sb, is_trusted, digest);
    } else if (fs->status == FILE_FAILED && fs->findings == 0) {
        /* What it held before still stands: an unreadable file is not a clean one. */
        q = st->sql[SQL_SET_FAILED];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, st->sweep_id);
        bind_text_or_null(q, 3, fs->reason);
    } else {
        bool is_holding = fs->findings > 0;
        if (is_holding && pii_since == 0) {
            pii_since = st->sweep_id;
            resolved_in = 0;
        } else if (!is_holding && pii_since != 0) {
            pii_since = 0;
            resolved_in = st->sweep_id;
        }
        q = st->sql[SQL_SET_RESULT];
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, st->sweep_id);
        sqlite3_bind_text(q, 3, file_status_name(fs->status), -1, SQLITE_STATIC);
        bind_text_or_null(q, 4, fs->reason);
        bind_identity(q, 5, fs->status == FILE_SCANNED && sf != NULL ? &sf->sb : NULL, is_trusted,
                      fs->status == FILE_SCANNED ? digest : NULL);
        sqlite3_bind_text(q, 10, st->scanner_version, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 11, st->rules_digest, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 12, (int)fs->encoding);
        sqlite3_bind_int(q, 13, (int)fs->format);
        sqlite3_bind_int64(q, 14, (int64_t)fs->bytes);
        sqlite3_bind_int64(q, 15, (int64_t)fs->records);
        sqlite3_bind_int64(q, 16, (int64_t)fs->decode_errors);
        sqlite3_bind_int64(q, 17, (int64_t)fs->findings);
        sqlite3_bind_int64(q, 18, (int64_t)fs->rows);
        sqlite3_bind_int64(q, 19, (int64_t)fs->suppressed);
        bind_id_or_null(q, 20, pii_since);
        bind_id_or_null(q, 21, resolved_in);
        if (step_done(q) != 0 || write_counts(st, id, had_findings, fs->by_type) != 0)
            return broken(st, "cannot record a file");
        return batch_count(st);
    }
    if (step_done(q) != 0)
        return broken(st, "cannot record a file");
    return batch_count(st);
}

int state_file_record(struct state *st, const char *path, const struct state_file *sf, int fd,
                      const struct file_summary *fs)
{
    if (strcmp(path, "-") == 0 || (sf != NULL && !sf->is_recordable))
        return 0;
    pthread_mutex_lock(&st->mutex);
    int rc = -1;
    if (!st->is_broken && st->sweep_id != 0)
        rc = record_locked(st, path, sf, fd, fs);
    pthread_mutex_unlock(&st->mutex);
    return rc;
}

int state_walk_failed(struct state *st, const char *path)
{
    pthread_mutex_lock(&st->mutex);
    int rc = list_add(&st->kept, path);
    pthread_mutex_unlock(&st->mutex);
    if (rc != 0)
        cli_message(NULL, "%s", strerror(ENOMEM));
    return rc;
}

/* The files of the state under the sweep's PATHs that it did not meet are gone: deleted, and
 * resolved if they held personal data. Rows already gone before the previous complete sweep
 * are forgotten: no report looks further back. */
static int resolve_deleted(struct state *st)
{
    sqlite3_stmt *q = NULL;
    sqlite3_stmt *u = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    size_t cap = 0;
    int rc = sqlite3_prepare_v2(st->db,
                                "SELECT id, path FROM file WHERE last_seen < ?1 AND "
                                "deleted_in IS NULL",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(q, 1, st->sweep_id);
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        const char *path = (const char *)sqlite3_column_text(q, 1);
        if (path == NULL || !is_under_any(path, &st->roots) || is_under_any(path, &st->kept))
            continue;
        if (n == cap) {
            size_t new_cap = cap ? cap * 2 : 64;
            int64_t *more = realloc(ids, new_cap * sizeof *ids);
            if (more == NULL)
                goto fail;
            ids = more;
            cap = new_cap;
        }
        ids[n++] = sqlite3_column_int64(q, 0);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    rc = sqlite3_prepare_v2(
        st->db,
        "UPDATE file SET deleted_in = ?2, mtime_ns = NULL, "
        "resolved_in = CASE WHEN pii_since IS NULL THEN resolved_in ELSE ?2 END, "
        "pii_since = NULL WHERE id = ?1",
        -1, &u, NULL);
    if (rc != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(u, 1, ids[i]);
        sqlite3_bind_int64(u, 2, st->sweep_id);
        if (step_done(u) != 0)
            goto fail;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    free(ids);
    char purge[256];
    snprintf(purge, sizeof purge,
             "DELETE FROM file WHERE deleted_in <= (SELECT max(id) FROM sweep WHERE "
             "is_complete AND id < %" PRId64 ")",
             st->sweep_id);
    return exec(st, purge);
fail:
    sqlite3_finalize(q);
    sqlite3_finalize(u);
    free(ids);
    return broken(st, "cannot resolve deleted files");
}

int state_sweep_end(struct state *st, const struct sweep_totals *totals, int exit_status,
                    bool is_complete)
{
    pthread_mutex_lock(&st->mutex);
    int rc = -1;
    if (st->is_broken || st->sweep_id == 0)
        goto done;
    if (batch_begin(st) != 0)
        goto done;
    if (is_complete && resolve_deleted(st) != 0)
        goto done;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(st->db,
                           "UPDATE sweep SET finished = ?2, is_complete = ?3, files = ?4, "
                           "scanned = ?5, unchanged = ?6, skipped = ?7, failed = ?8, "
                           "files_with_findings = ?9, findings = ?10, bytes = ?11, "
                           "exit_status = ?12 WHERE id = ?1",
                           -1, &q, NULL) != SQLITE_OK) {
        broken(st, "cannot record the end of the sweep");
        goto done;
    }
    const struct sweep_totals zero = {0};
    const struct sweep_totals *t = totals != NULL ? totals : &zero;
    sqlite3_bind_int64(q, 1, st->sweep_id);
    sqlite3_bind_int64(q, 2, (int64_t)time(NULL));
    sqlite3_bind_int(q, 3, is_complete);
    sqlite3_bind_int64(q, 4, (int64_t)t->files);
    sqlite3_bind_int64(q, 5, (int64_t)t->scanned);
    sqlite3_bind_int64(q, 6, (int64_t)t->unchanged);
    sqlite3_bind_int64(q, 7, (int64_t)t->skipped);
    sqlite3_bind_int64(q, 8, (int64_t)t->failed);
    sqlite3_bind_int64(q, 9, (int64_t)t->files_with_findings);
    sqlite3_bind_int64(q, 10, (int64_t)t->findings);
    sqlite3_bind_int64(q, 11, (int64_t)t->bytes);
    sqlite3_bind_int(q, 12, exit_status);
    rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(q);
    if (rc != 0) {
        broken(st, "cannot record the end of the sweep");
        goto done;
    }
    rc = commit_batch(st);
done:
    pthread_mutex_unlock(&st->mutex);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The report                                                                                 */

static char *column_strdup(sqlite3_stmt *q, int col)
{
    const unsigned char *s = sqlite3_column_text(q, col);
    return strdup(s != NULL ? (const char *)s : "");
}

#define SWEEP_COLUMNS                                                                       \
    "id, started, coalesce(finished, 0), is_complete, pid, scanner_version, rules_digest, " \
    "roots, coalesce(files, 0), coalesce(scanned, 0), coalesce(unchanged, 0), "             \
    "coalesce(skipped, 0), coalesce(failed, 0), coalesce(files_with_findings, 0), "         \
    "coalesce(findings, 0), coalesce(bytes, 0), coalesce(exit_status, -1) FROM sweep "

/* One sweep row into *sw (id 0 when the query finds none). */
static int read_sweep(struct state *st, const char *where, int64_t arg, struct state_sweep *sw)
{
    sweep_row_free(sw);
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT " SWEEP_COLUMNS "%s", where);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(q, 1, arg);
        rc = sqlite3_step(q);
    }
    if (rc == SQLITE_ROW) {
        sw->id = sqlite3_column_int64(q, 0);
        sw->started = sqlite3_column_int64(q, 1);
        sw->finished = sqlite3_column_int64(q, 2);
        sw->is_complete = sqlite3_column_int(q, 3) != 0;
        sw->pid = sqlite3_column_int64(q, 4);
        sw->scanner_version = column_strdup(q, 5);
        sw->rules_digest = column_strdup(q, 6);
        sw->roots = column_strdup(q, 7);
        sw->totals.files = (uint64_t)sqlite3_column_int64(q, 8);
        sw->totals.scanned = (uint64_t)sqlite3_column_int64(q, 9);
        sw->totals.unchanged = (uint64_t)sqlite3_column_int64(q, 10);
        sw->totals.skipped = (uint64_t)sqlite3_column_int64(q, 11);
        sw->totals.failed = (uint64_t)sqlite3_column_int64(q, 12);
        sw->totals.files_with_findings = (uint64_t)sqlite3_column_int64(q, 13);
        sw->totals.findings = (uint64_t)sqlite3_column_int64(q, 14);
        sw->totals.bytes = (uint64_t)sqlite3_column_int64(q, 15);
        sw->exit_status = sqlite3_column_int(q, 16);
        if (sw->scanner_version == NULL || sw->rules_digest == NULL || sw->roots == NULL) {
            sqlite3_finalize(q);
            cli_message(NULL, "%s", strerror(ENOMEM));
            return -1;
        }
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        say_db_error(st, "cannot read the sweeps");
        return -1;
    }
    return 0;
}

int state_sweeps(struct state *st, const struct state_sweep **last,
                 const struct state_sweep **previous, const struct state_sweep **unfinished)
{
    pthread_mutex_lock(&st->mutex);
    int rc = read_sweep(st, "WHERE is_complete ORDER BY id DESC LIMIT ?1", 1, &st->sweeps[0]);
    if (rc == 0)
        rc = read_sweep(st, "WHERE is_complete AND id < ?1 ORDER BY id DESC LIMIT 1",
                        st->sweeps[0].id, &st->sweeps[1]);
    if (rc == 0)
        rc = read_sweep(st, "WHERE NOT is_complete AND id > ?1 ORDER BY id DESC LIMIT 1",
                        st->sweeps[0].id, &st->sweeps[2]);
    if (rc == 0 && st->sweeps[2].id != 0 && st->sweeps[2].finished == 0)
        st->sweeps[2].is_running = st->is_sweep_running;
    pthread_mutex_unlock(&st->mutex);
    *last = &st->sweeps[0];
    *previous = &st->sweeps[1];
    *unfinished = &st->sweeps[2];
    return rc;
}

int state_each_file(struct state *st, int (*fn)(void *user, const struct state_entry *e),
                    void *user)
{
    static const char sql[] =
        "SELECT f.id, f.path, f.status, f.reason, f.encoding, f.format, f.bytes, f.records, "
        "f.decode_errors, f.findings, f.rows, f.suppressed, first.started, last.started, "
        "pii.started, res.started, del.started, f.pii_since, f.resolved_in, f.deleted_in "
        "FROM file f JOIN sweep first ON first.id = f.first_seen "
        "JOIN sweep last ON last.id = f.last_seen "
        "LEFT JOIN sweep pii ON pii.id = f.pii_since "
        "LEFT JOIN sweep res ON res.id = f.resolved_in "
        "LEFT JOIN sweep del ON del.id = f.deleted_in ORDER BY f.path";
    pthread_mutex_lock(&st->mutex);
    sqlite3_stmt *q = NULL;
    int ret = 0;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &q, NULL);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        if ((rc = sqlite3_step(q)) != SQLITE_ROW)
            break;
        struct state_entry e = {0};
        e.path = (const char *)sqlite3_column_text(q, 1);
        const char *status = (const char *)sqlite3_column_text(q, 2);
        e.reason = (const char *)sqlite3_column_text(q, 3);
        struct file_summary *fs = &e.summary;
        fs->path = e.path;
        fs->reason = e.reason;
        fs->status = FILE_SCANNED;
        if (status != NULL && strcmp(status, "skipped") == 0)
            fs->status = FILE_SKIPPED;
        else if (status != NULL && strcmp(status, "failed") == 0)
            fs->status = FILE_FAILED;
        fs->encoding = (piiscan_encoding)sqlite3_column_int(q, 4);
        fs->format = (piiscan_format)sqlite3_column_int(q, 5);
        fs->bytes = (uint64_t)sqlite3_column_int64(q, 6);
        fs->records = (uint64_t)sqlite3_column_int64(q, 7);
        fs->decode_errors = (uint64_t)sqlite3_column_int64(q, 8);
        fs->findings = (uint64_t)sqlite3_column_int64(q, 9);
        fs->rows = (uint64_t)sqlite3_column_int64(q, 10);
        fs->suppressed = (uint64_t)sqlite3_column_int64(q, 11);
        e.first_seen = sqlite3_column_int64(q, 12);
        e.last_seen = sqlite3_column_int64(q, 13);
        e.pii_since = sqlite3_column_int64(q, 14);
        e.resolved_at = sqlite3_column_int64(q, 15);
        e.deleted_at = sqlite3_column_int64(q, 16);
        e.pii_since_sweep = sqlite3_column_int64(q, 17);
        e.resolved_sweep = sqlite3_column_int64(q, 18);
        if (e.path == NULL)
            continue;
        if (read_counts(st, sqlite3_column_int64(q, 0), fs->by_type) != 0) {
            rc = SQLITE_ERROR;
            break;
        }
        if (sqlite3_column_type(q, 19) != SQLITE_NULL)
            e.state = STATE_FILE_DELETED;
        else if (e.pii_since_sweep != 0)
            e.state = STATE_FILE_HOLDS;
        else if (fs->status == FILE_FAILED)
            e.state = STATE_FILE_FAILED;
        else if (fs->status == FILE_SKIPPED)
            e.state = STATE_FILE_SKIPPED;
        else
            e.state = STATE_FILE_CLEAN;
        ret = fn(user, &e);
        if (ret != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE) {
        say_db_error(st, "cannot read the files");
        ret = -1;
    }
    pthread_mutex_unlock(&st->mutex);
    return ret;
}
