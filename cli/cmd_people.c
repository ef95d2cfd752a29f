/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd_people.c - `piiscan people`: how many distinct people's data sits under the paths, how
 * many in each file, and where one person appears, without keeping anyone's values: values
 * become keyed fingerprints (fingerprint.c) as they are found, and only 8-byte prefixes of
 * them are kept for linking (link.c).
 *
 * What a record is: the findings of one CSV/TSV row or one xlsx row; in a text file, the
 * findings of a block of lines, each within TEXT_GAP_LINES of the last and within
 * TEXT_SPAN_LINES of the first (an inquiry log writes a person over a few lines). Findings in
 * adjacent columns join into one value (名字 + 名前, 市区町村 + 番地 + 建物, 電話番号1-3), and a
 * record splits into mentions of several people where a kind of value comes again (an order
 * row holds the orderer and the recipient; a carrier row the recipient and the sender).
 * A mention with a name or a strong identifier is a person's; linking is link.c's.
 *
 * --find-* needs a second pass over the same files, which assigns the same record ids in the
 * same order, and prints the places of the records whose person was found: positions,
 * fingerprints and masked samples, never a value.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "state.h"
#include "link.h"

#define TEXT_GAP_LINES  2
#define TEXT_SPAN_LINES 10
#define TOP_FILES       10
#define MAX_TARGETS     4096

static const char usage_text[] = "Usage: piiscan people [OPTIONS] PATH...\n";

static const char help_text[] =
    "Count the distinct people whose data the files hold: the values of a row (or\n"
    "of a few lines of text) are one person's; people are linked across rows and\n"
    "files by a shared phone number, e-mail address or My Number, or by the same\n"
    "name at the same address, through keyed fingerprints of the values (never by\n"
    "a name alone or an address alone). No value is printed or kept.\n"
    "\n"
    "Options:\n"
    "      --format=FORMAT       text (the default) or json\n"
    "      --find-phone=NUMBER   also list every place where the person with this\n"
    "      --find-email=ADDRESS  phone number, e-mail address or name appears (by\n"
    "      --find-name=NAME      fingerprint; the value itself is not printed)\n"
    "      --key-file=FILE       the site key of the fingerprints (default:\n"
    "                            $PIISCAN_KEY_FILE, else\n"
    "                            ${XDG_CONFIG_HOME:-~/.config}/piiscan/site.key,\n"
    "                            made on first use)\n"
    "      --min-confidence=X    count findings whose confidence is at least X\n"
    "                            (default: 0.5)\n"
    "      --encoding=ENC        read every file as ENC (default: auto)\n"
    "      --max-record-bytes=N  longest record held in memory (default: 4M)\n"
    "      --state=FILE          count the people of the files that a sweep's state\n"
    "                            (scan --state FILE) says hold personal data, with\n"
    "                            the PATHs if any are given\n"
    "      --list-records        print instead, for each record of a person, a line\n"
    "                            PATH TAB LINE TAB FIELD TAB PERSON (the person a\n"
    "                            number; no value), to check the linking\n"
    "  -q, --quiet               print no report; the exit status tells the result\n"
    "  -v, --verbose             tell on standard error which files were skipped\n"
    "  -h, --help                print this help and exit\n"
    "\n"
    "Exit status: 0 if no one's data was found, 1 if some was, 2 if a file could\n"
    "not be scanned or the command line is wrong.\n";

enum {
    OPT_FORMAT = 256,
    OPT_FIND_PHONE,
    OPT_FIND_EMAIL,
    OPT_FIND_NAME,
    OPT_KEY_FILE,
    OPT_LIST_RECORDS,
    OPT_STATE,
};

static const struct option long_options[] = {
    {"format", required_argument, NULL, OPT_FORMAT},
    {"find-phone", required_argument, NULL, OPT_FIND_PHONE},
    {"find-email", required_argument, NULL, OPT_FIND_EMAIL},
    {"find-name", required_argument, NULL, OPT_FIND_NAME},
    {"key-file", required_argument, NULL, OPT_KEY_FILE},
    SCANNER_LONG_OPTIONS,
    {"list-records", no_argument, NULL, OPT_LIST_RECORDS},
    {"state", required_argument, NULL, OPT_STATE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The kinds of value a mention holds one of: a second one starts another mention. */
enum kind { K_NAME, K_READING, K_ADDRESS, K_PHONE, K_EMAIL, K_MY_NUMBER, K_OTHER };

/* One finding of the current record, its strings copied into the record's arena. */
struct item {
    piiscan_type type;
    enum kind kind;
    uint32_t column; /* CSV field or xlsx column (1-based); 0 in text */
    bool is_split_part;
    uint64_t line;
    uint32_t field;
    size_t text, text_len; /* offsets in the arena */
    size_t sheet, cell;    /* offsets in the arena; SIZE_MAX when none */
};

struct file {
    char *path;
    uint32_t first_id; /* record ids first_id .. the next file's first_id - 1 */
    uint32_t people;
};

struct people {
    piiscan_stream *st;
    struct linker *lk;
    struct site_key key;
    struct scanner_option_values scanner;
    bool is_json;
    bool is_quiet;
    bool is_verbose;
    bool is_trouble;
    bool is_out_of_memory;
    bool is_second_pass;
    bool is_listing; /* --list-records */
    /* The current record. */
    struct item *items;
    size_t nitems, cap_items;
    char *arena;
    size_t arena_len, arena_cap;
    uint64_t record;    /* its record number; lines: its first line */
    uint64_t last_line; /* text: the line of its last finding */
    bool has_record;
    /* Files. */
    struct file *files;
    size_t nfiles, cap_files;
    const char *path;
    uint32_t next_id; /* pass 2: the id the next person mention gets */
    /* --find-*. */
    uint64_t find_key;
    const char *find_what;
    uint32_t *targets; /* pass 1: ids of mentions holding find_key; then their people */
    size_t ntargets;
    size_t places; /* pass 2: places printed */
    FILE *out;
};

static uint64_t key64(const unsigned char fp[PIISCAN_FINGERPRINT_BYTES])
{
    uint64_t k = 0;
    for (int i = 0; i < 8; i++)
        k = k << 8 | fp[i];
    return k;
}

/* The fingerprint prefix of a value, 0 when it has none (nothing of it identifies anyone). */
static uint64_t value_key(const struct people *p, piiscan_type type, const char *text, size_t len)
{
    unsigned char fp[PIISCAN_FINGERPRINT_BYTES];
    if (piiscan_fingerprint(p->key.bytes, p->key.len, type, text, len, fp) != PIISCAN_OK)
        return 0;
    uint64_t k = key64(fp);
    return k != 0 ? k : 1;
}

static bool has_kanji(const char *s, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        /* U+3400..U+9FFF and 々 (U+3005): lead bytes E3 90.. to E9 BF, and E3 80 85. */
        if ((c >= 0xE4 && c <= 0xE9) || (c == 0xE3 && (unsigned char)s[i + 1] >= 0x90) ||
            (c == 0xE3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x85))
            return true;
    }
    return false;
}

static bool has_non_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return true;
    }
    return false;
}

static enum kind kind_of(piiscan_type type, const char *text, size_t len)
{
    switch (type) {
    case PIISCAN_TYPE_NAME:
        /* Kana alone is a reading; kanji (or romaji) is the written name. */
        return has_non_ascii(text, len) && !has_kanji(text, len) ? K_READING : K_NAME;
    case PIISCAN_TYPE_ADDRESS:
        return K_ADDRESS;
    case PIISCAN_TYPE_PHONE:
        return K_PHONE;
    case PIISCAN_TYPE_EMAIL:
        return K_EMAIL;
    case PIISCAN_TYPE_MY_NUMBER:
        return K_MY_NUMBER;
    default:
        return K_OTHER;
    }
}

/* The column of an xlsx cell reference ("C12" is 3); 0 for comments and properties. */
static uint32_t cell_column(const char *cell)
{
    uint32_t col = 0;
    for (; *cell >= 'A' && *cell <= 'Z'; cell++)
        col = col * 26 + (uint32_t)(*cell - 'A' + 1);
    return *cell >= '0' && *cell <= '9' ? col : 0;
}

static size_t arena_put(struct people *p, const char *s, size_t n)
{
    if (p->arena_len + n + 1 > p->arena_cap) {
        size_t cap = p->arena_cap < 4096 ? 4096 : p->arena_cap;
        while (cap < p->arena_len + n + 1)
            cap *= 2;
        char *a = realloc(p->arena, cap);
        if (a == NULL) {
            p->is_out_of_memory = true;
            return SIZE_MAX;
        }
        p->arena = a;
        p->arena_cap = cap;
    }
    size_t at = p->arena_len;
    memcpy(p->arena + at, s, n);
    p->arena[at + n] = '\0';
    p->arena_len += n + 1;
    return at;
}

/* ------------------------------------------------------------------------------------------ */
/* Mentions                                                                                   */

static bool is_target(const struct people *p, uint32_t person)
{
    for (size_t i = 0; i < p->ntargets; i++) {
        if (p->targets[i] == person)
            return true;
    }
    return false;
}

/* A mention made of items [a, b) of the current record, whose joined values are vals. */
struct value {
    size_t first, last; /* items */
    enum kind kind;
    char *text; /* the joined text of its items, allocated */
    size_t len;
};

/* One value of a found person: where it starts (and, joined over columns, the last field),
 * its type, its masked form (the joined value masked as one: a given name alone in its
 * column would keep its first character, which may be all of it) and its fingerprint. */
static void print_value(struct people *p, const struct value *v)
{
    const struct item *it = &p->items[v->first];
    const struct item *last = &p->items[v->last];
    char fp[FINGERPRINT_HEX_CHARS + 1] = "-";
    if (fingerprint_hex(&p->key, it->type, v->text, v->len, fp) != PIISCAN_OK)
        strcpy(fp, "-");
    bool is_split = it->is_split_part && v->first == v->last;
    char *masked =
        is_split ? mask_split_part(v->text, v->len) : mask_value(it->type, v->text, v->len);
    if (masked == NULL) {
        p->is_out_of_memory = true;
        return;
    }
    const char *sheet = it->sheet != SIZE_MAX ? p->arena + it->sheet : NULL;
    const char *cell = it->cell != SIZE_MAX ? p->arena + it->cell : NULL;
    if (p->is_json) {
        fputs(p->places++ == 0 ? "\n    {" : ",\n    {", p->out);
        fputs("\"path\": ", p->out);
        json_write_string(p->out, p->path, strlen(p->path));
        if (sheet != NULL) {
            fputs(", \"sheet\": ", p->out);
            json_write_string(p->out, sheet, strlen(sheet));
            fputs(", \"cell\": ", p->out);
            json_write_string(p->out, cell, strlen(cell));
        } else {
            fprintf(p->out, ", \"line\": %" PRIu64, it->line);
            if (it->field > 0)
                fprintf(p->out, ", \"field\": %" PRIu32, it->field);
            if (last->field > it->field)
                fprintf(p->out, ", \"last_field\": %" PRIu32, last->field);
        }
        fprintf(p->out, ", \"type\": \"%s\", \"fingerprint\": \"%s\", \"masked\": ",
                piiscan_type_name(it->type), fp);
        json_write_string(p->out, masked, strlen(masked));
        fputc('}', p->out);
    } else {
        if (sheet != NULL)
            fprintf(p->out, "  %s:%s!%s: ", p->path, sheet, cell);
        else if (last->field > it->field)
            fprintf(p->out, "  %s:%" PRIu64 ":%" PRIu32 "-%" PRIu32 ": ", p->path, it->line,
                    it->field, last->field);
        else if (it->field > 0)
            fprintf(p->out, "  %s:%" PRIu64 ":%" PRIu32 ": ", p->path, it->line, it->field);
        else
            fprintf(p->out, "  %s:%" PRIu64 ": ", p->path, it->line);
        fprintf(p->out, "%s %s %s\n", piiscan_type_name(it->type), masked, fp);
        p->places++;
    }
    free(masked);
}

static void mention_done(struct people *p, const struct value *v, size_t nv)
{
    struct mention m = {0};
    bool is_found = false;
    for (size_t i = 0; i < nv; i++) {
        const struct item *it = &p->items[v[i].first];
        if (v[i].kind == K_OTHER)
            continue;
        uint64_t k = value_key(p, it->type, v[i].text, v[i].len);
        if (k == 0)
            continue;
        is_found = is_found || k == p->find_key;
        switch (v[i].kind) {
        case K_NAME:
            m.name = k;
            break;
        case K_READING:
            m.reading = k;
            break;
        case K_ADDRESS:
            m.address = k;
            break;
        default:
            if (m.nstrong < LINK_MAX_STRONG)
                m.strong[m.nstrong++] = k;
            break;
        }
    }
    if (m.nstrong == 0 && m.name == 0 && m.reading == 0)
        return; /* an address or postal code alone: no one's, as linker_add says */
    uint32_t id;
    if (!p->is_second_pass) {
        int rc = linker_add(p->lk, &m, &id);
        if (rc < 0) {
            p->is_out_of_memory = true;
            return;
        }
        if (rc > 0 && is_found && p->find_key != 0 && p->ntargets < MAX_TARGETS)
            p->targets[p->ntargets++] = id;
        return;
    }
    id = p->next_id++;
    if (id >= linker_records(p->lk))
        return;
    if (p->is_listing) {
        const struct item *it = &p->items[v[0].first];
        fputs(p->path, p->out);
        if (it->cell != SIZE_MAX)
            fprintf(p->out, "\t%s!%s\t0", p->arena + it->sheet, p->arena + it->cell);
        else
            fprintf(p->out, "\t%" PRIu64 "\t%" PRIu32, it->line, it->field);
        fprintf(p->out, "\t%" PRIu32 "\n", linker_find(p->lk, id) + 1);
        return;
    }
    if (!is_target(p, linker_find(p->lk, id)))
        return;
    for (size_t i = 0; i < nv; i++)
        print_value(p, &v[i]);
}

/* Whether item b is in the column right after item a, with the same type. */
static bool is_next_column(const struct item *a, const struct item *b)
{
    return a->type == b->type && a->column > 0 && b->column == a->column + 1;
}

/* Which items join the item after them into one value (is_joined[i]: i joins i + 1). A
 * number split over columns joins all its parts (電話番号1-3, 郵便番号1-2). Names in a run of
 * adjacent columns: four are surname, given name and their readings (竹内 あおい タケウチ アオイ:
 * a hiragana given name is still part of the written name), paired; otherwise two adjacent
 * names of one kind (written, reading) are one name, and a written name beside a reading
 * (山田 太郎, ﾔﾏﾀﾞ ﾀﾛｳ) stays two. Addresses are joined by record_done. */
static void mark_joins(const struct item *v, size_t n, bool *is_joined)
{
    for (size_t i = 0; i < n; i++)
        is_joined[i] = i + 1 < n && is_next_column(&v[i], &v[i + 1]) &&
                       v[i].type != PIISCAN_TYPE_NAME && v[i].is_split_part &&
                       v[i + 1].is_split_part;
    for (size_t i = 0; i < n;) {
        size_t e = i + 1;
        while (v[i].type == PIISCAN_TYPE_NAME && e < n && is_next_column(&v[e - 1], &v[e]))
            e++;
        if (v[i].type == PIISCAN_TYPE_NAME && e - i == 4) {
            is_joined[i] = is_joined[i + 2] = true;
        } else if (v[i].type == PIISCAN_TYPE_NAME) {
            for (size_t k = i; k + 1 < e; k++) {
                bool is_pair = v[k].kind == v[k + 1].kind && (k == i || !is_joined[k - 1]);
                is_joined[k] = is_pair;
            }
        }
        i = e;
    }
}

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((s[i] >= '0' && s[i] <= '9') ||
            (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
             (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99))
            return true;
    }
    return false;
}

/* Appends (or, for a part without a number before one with, prepends) text to a value. */
static int value_add(struct value *v, const char *text, size_t len, bool is_address)
{
    char *t = realloc(v->text, v->len + len + 1);
    if (t == NULL)
        return -1;
    v->text = t;
    /* An address split over columns in another order (Amazon's ship-address-1 before
     * ship-city) is put back in the written order: the place name without a number first. */
    if (is_address && v->len > 0 && !has_digit(text, len) && has_digit(t, v->len)) {
        memmove(t + len, t, v->len);
        memcpy(t, text, len);
    } else {
        memcpy(t + v->len, text, len);
    }
    v->len += len;
    return 0;
}

static void record_done(struct people *p)
{
    if (!p->has_record || p->nitems == 0) {
        p->has_record = false;
        return;
    }
    struct value *vals = calloc(p->nitems, sizeof *vals);
    bool *is_joined = calloc(p->nitems, sizeof *is_joined);
    size_t nv = 0;
    if (vals == NULL || is_joined == NULL) {
        p->is_out_of_memory = true;
        goto done;
    }
    mark_joins(p->items, p->nitems, is_joined);
    for (size_t i = 0; i < p->nitems; i++) {
        const struct item *it = &p->items[i];
        const char *text = p->arena + it->text;
        /* The value this item continues: the last one for a split name or number; for an
         * address, the last value other than postal codes and the like, if an address. */
        struct value *to = NULL;
        if (nv > 0 && i > 0 && is_joined[i - 1] && vals[nv - 1].last == i - 1)
            to = &vals[nv - 1];
        for (size_t k = nv; to == NULL && it->kind == K_ADDRESS && k > 0; k--) {
            if (vals[k - 1].kind == K_ADDRESS)
                to = &vals[k - 1];
            if (vals[k - 1].kind != K_OTHER)
                break;
        }
        if (to == NULL) {
            to = &vals[nv++];
            *to = (struct value){.first = i, .kind = it->kind};
        }
        to->last = i;
        if (value_add(to, text, it->text_len, it->kind == K_ADDRESS) != 0) {
            p->is_out_of_memory = true;
            goto done;
        }
        if (it->type == PIISCAN_TYPE_NAME)
            to->kind = kind_of(it->type, to->text, to->len); /* 竹内 + あおい is written */
    }
    /* A kind of value seen again starts the next person's mention. */
    size_t start = 0;
    unsigned seen = 0;
    for (size_t i = 0; i < nv; i++) {
        unsigned bit = vals[i].kind == K_OTHER ? 0 : 1u << vals[i].kind;
        if (seen & bit) {
            mention_done(p, vals + start, i - start);
            start = i;
            seen = 0;
        }
        seen |= bit;
    }
    mention_done(p, vals + start, nv - start);
done:
    for (size_t i = 0; i < nv; i++)
        free(vals[i].text);
    free(vals);
    free(is_joined);
    p->nitems = 0;
    p->arena_len = 0;
    p->has_record = false;
}

static int on_finding(const piiscan_finding *f, void *user)
{
    struct people *p = user;
    const piiscan_stats *stats = piiscan_stream_stats(p->st);
    bool is_text = stats != NULL && stats->format == PIISCAN_FORMAT_TEXT;
    bool is_same;
    if (is_text)
        is_same = p->has_record && f->record <= p->last_line + TEXT_GAP_LINES &&
                  f->record < p->record + TEXT_SPAN_LINES;
    else
        is_same = p->has_record && f->record == p->record && f->record != 0;
    if (!is_same) {
        record_done(p);
        p->record = f->record;
        p->has_record = true;
    }
    p->last_line = f->record;
    if (p->nitems == p->cap_items) {
        size_t cap = p->cap_items < 32 ? 32 : p->cap_items * 2;
        struct item *v = realloc(p->items, cap * sizeof *v);
        if (v == NULL) {
            p->is_out_of_memory = true;
            return 1;
        }
        p->items = v;
        p->cap_items = cap;
    }
    struct item *it = &p->items[p->nitems];
    *it = (struct item){
        .type = f->type,
        .kind = kind_of(f->type, f->text, f->text_len),
        .column = f->cell != NULL ? cell_column(f->cell) : f->field,
        .is_split_part = f->detector != NULL && strstr(f->detector, "/split") != NULL,
        .line = f->line,
        .field = f->field,
        .text_len = f->text_len,
        .sheet = SIZE_MAX,
        .cell = SIZE_MAX,
    };
    it->text = arena_put(p, f->text, f->text_len);
    if (f->sheet != NULL)
        it->sheet = arena_put(p, f->sheet, strlen(f->sheet));
    if (f->cell != NULL)
        it->cell = arena_put(p, f->cell, strlen(f->cell));
    if (p->is_out_of_memory)
        return 1;
    p->nitems++;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The sweep                                                                                  */

static int on_walk_error(void *user, const char *path, int errnum)
{
    struct people *p = user;
    cli_message(path, "%s", strerror(errnum));
    p->is_trouble = true;
    return 0;
}

static int on_skip(void *user, const char *path, const char *reason)
{
    const struct people *p = user;
    if (p->is_verbose && !p->is_second_pass)
        cli_message(path, "skipped: %s", reason);
    return 0;
}

static int on_file(void *user, const char *path, bool is_named)
{
    struct people *p = user;
    bool is_stdin = is_named && strcmp(path, "-") == 0;
    int fd = 0;
    if (!is_stdin) {
        int flags = O_RDONLY | O_NOCTTY | O_CLOEXEC | (is_named ? 0 : O_NOFOLLOW);
        fd = open(path, flags);
        if (fd < 0 && errno == ELOOP && !is_named)
            return on_skip(p, path, "symbolic link");
        if (fd < 0) {
            if (!p->is_second_pass) {
                cli_message(path, "%s", strerror(errno));
                p->is_trouble = true;
            }
            return 0;
        }
    }
    if (!p->is_second_pass) {
        if (p->nfiles == p->cap_files) {
            size_t cap = p->cap_files < 64 ? 64 : p->cap_files * 2;
            struct file *v = realloc(p->files, cap * sizeof *v);
            if (v == NULL) {
                p->is_out_of_memory = true;
                goto done;
            }
            p->files = v;
            p->cap_files = cap;
        }
        struct file *fl = &p->files[p->nfiles];
        fl->path = strdup(path);
        fl->first_id = linker_records(p->lk);
        fl->people = 0;
        if (fl->path == NULL) {
            p->is_out_of_memory = true;
            goto done;
        }
        p->nfiles++;
    }
    const piiscan_source src = {.name = path, .encoding = p->scanner.encoding};
    p->path = path;
    int rc = piiscan_stream_scan_fd(p->st, fd, &src);
    record_done(p);
    if (p->is_out_of_memory)
        goto done;
    if (rc < 0 && !p->is_second_pass) {
        const piiscan_error *e = piiscan_stream_error(p->st);
        cli_message(path, "%s", e->text[0] != '\0' ? e->text : piiscan_strerror(rc));
        p->is_trouble = true;
    }
    const piiscan_stats *stats = piiscan_stream_stats(p->st);
    if (rc >= 0 && stats != NULL && stats->skip_reason != NULL)
        on_skip(p, path, stats->skip_reason);
done:
    if (!is_stdin)
        close(fd);
    return p->is_out_of_memory ? -1 : 0;
}

static const struct walk_ops walk_ops = {
    .file = on_file,
    .error = on_walk_error,
    .skip = on_skip,
};

/* The walk of scan without its file selection options: every file under the PATHs. */
static int sweep(struct people *p, char **paths, int npaths)
{
    const struct walk_options every_file = {0};
    if (walk_paths(&every_file, &walk_ops, p, paths, (size_t)npaths) != 0) {
        p->is_out_of_memory = true;
        return -1;
    }
    return 0;
}

/* The paths of a sweep's state that hold personal data, after the given ones. */
struct path_list {
    char **v;
    size_t n, cap;
};

static int path_list_add(struct path_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap != 0 ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(path);
    if (l->v[l->n] == NULL)
        return -1;
    l->n++;
    return 0;
}

static int add_holding(void *user, const struct state_entry *e)
{
    if (e->state != STATE_FILE_HOLDS)
        return 0;
    return path_list_add(user, e->path) != 0 ? 1 : 0;
}

/* Reads the state without taking the sweep lock: it works while a sweep runs. */
static int paths_of_state(const char *state_path, char **given, int ngiven, struct path_list *out)
{
    for (int i = 0; i < ngiven; i++) {
        if (path_list_add(out, given[i]) != 0)
            goto nomem;
    }
    struct state *st = NULL;
    if (state_open(state_path, STATE_READ, &st) != 0)
        return -1; /* said */
    int rc = state_each_file(st, add_holding, out);
    state_close(st);
    if (rc > 0)
        goto nomem;
    if (rc < 0) {
        cli_message(state_path, "cannot read the state");
        return -1;
    }
    return 0;
nomem:
    cli_message(NULL, "%s", strerror(ENOMEM));
    return -1;
}

static void path_list_free(struct path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* ------------------------------------------------------------------------------------------ */
/* Counting and the report                                                                    */

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int count_files(struct people *p)
{
    uint32_t total = linker_records(p->lk);
    uint32_t *roots = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < p->nfiles; i++) {
        uint32_t a = p->files[i].first_id;
        uint32_t b = i + 1 < p->nfiles ? p->files[i + 1].first_id : total;
        if (b - a > cap) {
            uint32_t *r = realloc(roots, (size_t)(b - a) * sizeof *r);
            if (r == NULL) {
                free(roots);
                return -1;
            }
            roots = r;
            cap = b - a;
        }
        for (uint32_t id = a; id < b; id++)
            roots[id - a] = linker_find(p->lk, id);
        qsort(roots, b - a, sizeof *roots, compare_u32);
        uint32_t n = 0;
        for (uint32_t k = 0; k < b - a; k++)
            n += k == 0 || roots[k] != roots[k - 1];
        p->files[i].people = n;
    }
    free(roots);
    return 0;
}

static int by_people(const void *a, const void *b)
{
    const struct file *x = *(const struct file *const *)a;
    const struct file *y = *(const struct file *const *)b;
    if (x->people != y->people)
        return x->people < y->people ? 1 : -1;
    return strcmp(x->path, y->path);
}

static void report(struct people *p, uint32_t people)
{
    size_t nwith = 0;
    const struct file **top = malloc((p->nfiles + 1) * sizeof *top);
    if (top == NULL) {
        p->is_out_of_memory = true;
        return;
    }
    for (size_t i = 0; i < p->nfiles; i++) {
        if (p->files[i].people > 0)
            top[nwith++] = &p->files[i];
    }
    qsort(top, nwith, sizeof *top, by_people);
    if (p->is_json) {
        fprintf(p->out, "{\"people\": %" PRIu32 ", \"records\": %" PRIu32 ", \"files\": [", people,
                linker_records(p->lk));
        size_t k = 0;
        for (size_t i = 0; i < p->nfiles; i++) {
            if (p->files[i].people == 0)
                continue;
            fputs(k++ == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ", p->out);
            json_write_string(p->out, p->files[i].path, strlen(p->files[i].path));
            fprintf(p->out, ", \"people\": %" PRIu32 "}", p->files[i].people);
        }
        fputs(k > 0 ? "\n], \"top_files\": [" : "], \"top_files\": [", p->out);
        for (size_t i = 0; i < nwith && i < TOP_FILES; i++) {
            fputs(i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ", p->out);
            json_write_string(p->out, top[i]->path, strlen(top[i]->path));
            fprintf(p->out, ", \"people\": %" PRIu32 "}", top[i]->people);
        }
        fputs(nwith > 0 ? "\n]" : "]", p->out);
    } else {
        fprintf(p->out, "%" PRIu32 " %s in %" PRIu32 " record%s of %zu file%s\n", people,
                people == 1 ? "person" : "people", linker_records(p->lk),
                linker_records(p->lk) == 1 ? "" : "s", nwith, nwith == 1 ? "" : "s");
        for (size_t i = 0; i < nwith; i++)
            fprintf(p->out, "%8" PRIu32 "  %s\n", top[i]->people, top[i]->path);
    }
    free(top);
}

static int parse_format(const char *arg, bool *is_json)
{
    if (strcmp(arg, "text") == 0 || strcmp(arg, "json") == 0) {
        *is_json = arg[0] == 'j';
        return 0;
    }
    cli_message(NULL, "--format: unknown format '%s' (expected text or json)", arg);
    return -1;
}

int cmd_people(int argc, char **argv)
{
    struct people p = {.out = stdout};
    piiscan_options *opt = NULL;
    piiscan_scanner *sc = NULL;
    const char *key_file = NULL;
    const char *state_path = NULL;
    struct path_list from_state = {0};
    const char *find = NULL;
    piiscan_type find_type = PIISCAN_TYPE_PHONE;
    int status = EXIT_TROUBLE;
    if (piiscan_options_new(&opt) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    int c;
    while ((c = getopt_long(argc, argv, "qvh", long_options, NULL)) != -1) {
        int rc = 0;
        switch (c) {
        case OPT_FORMAT:
            rc = parse_format(optarg, &p.is_json);
            break;
        case OPT_FIND_PHONE:
        case OPT_FIND_EMAIL:
        case OPT_FIND_NAME:
            if (find != NULL) {
                cli_message(NULL, "one --find-* at a time");
                rc = -1;
            }
            find = optarg;
            find_type = c == OPT_FIND_PHONE   ? PIISCAN_TYPE_PHONE
                        : c == OPT_FIND_EMAIL ? PIISCAN_TYPE_EMAIL
                                              : PIISCAN_TYPE_NAME;
            p.find_what = piiscan_type_name(find_type);
            break;
        case OPT_KEY_FILE:
            key_file = optarg;
            break;
        SCANNER_OPTION_CASES:
            rc = scanner_option_parse(&p.scanner, opt, c, optarg);
            break;
        case OPT_STATE:
            state_path = optarg;
            break;
        case OPT_LIST_RECORDS:
            p.is_listing = true;
            break;
        case 'q':
            p.is_quiet = true;
            break;
        case 'v':
            p.is_verbose = true;
            break;
        case 'h':
            status = print_help(usage_text, help_text);
            goto done;
        default:
            status = print_usage_error(usage_text, "people");
            goto done;
        }
        if (rc != 0)
            goto done;
    }
    char **paths = argv + optind;
    int npaths = argc - optind;
    if (npaths == 0 && state_path == NULL) {
        cli_message(NULL, "no PATH to count (use . for the current directory, or --state)");
        status = print_usage_error(usage_text, "people");
        goto done;
    }
    if (state_path != NULL) {
        if (paths_of_state(state_path, argv + optind, argc - optind, &from_state) != 0)
            goto done;
        paths = from_state.v; /* the PATHs, then the state's files */
        npaths = (int)from_state.n;
    }
    if (p.is_listing && find != NULL) {
        cli_message(NULL, "--list-records and --find-%s: one at a time", p.find_what);
        status = print_usage_error(usage_text, "people");
        goto done;
    }
    for (int i = optind; (find != NULL || p.is_listing) && i < argc; i++) {
        if (strcmp(argv[i], "-") == 0) {
            cli_message(NULL, "--%s%s reads the files twice: standard input cannot be",
                        p.is_listing ? "list-records" : "find-", p.is_listing ? "" : p.find_what);
            goto done;
        }
    }
    if (site_key_load(key_file, &p.key) != 0)
        goto done;
    if (find != NULL) {
        p.find_key = value_key(&p, find_type, find, strlen(find));
        if (p.find_key == 0) {
            cli_message(NULL, "--find-%s: the value holds nothing to look for", p.find_what);
            goto done;
        }
        p.targets = malloc(MAX_TARGETS * sizeof *p.targets);
        if (p.targets == NULL) {
            cli_message(NULL, "%s", strerror(ENOMEM));
            goto done;
        }
    }
    piiscan_error err = {0};
    int rc = piiscan_scanner_new(opt, &sc, &err);
    if (rc != PIISCAN_OK) {
        cli_message(NULL, "cannot prepare the scanner: %s",
                    err.text[0] != '\0' ? err.text : piiscan_strerror(rc));
        goto done;
    }
    p.lk = linker_new();
    if (p.lk == NULL || piiscan_stream_new(sc, on_finding, &p, &p.st) != PIISCAN_OK) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    if (sweep(&p, paths, npaths) != 0 || p.is_out_of_memory || linker_finish(p.lk) != 0 ||
        count_files(&p) != 0) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    uint32_t people = linker_people(p.lk);
    if (p.is_listing && !p.is_quiet) {
        p.is_second_pass = true;
        if (sweep(&p, paths, npaths) != 0 || p.is_out_of_memory) {
            cli_message(NULL, "%s", strerror(ENOMEM));
            goto done;
        }
        if (fflush(p.out) == EOF || ferror(p.out)) {
            cli_message(NULL, "error writing to standard output: %s", strerror(errno));
            goto done;
        }
    } else if (!p.is_quiet) {
        report(&p, people);
        if (find != NULL) {
            /* The people of the mentions that held the value. */
            for (size_t i = 0; i < p.ntargets; i++)
                p.targets[i] = linker_find(p.lk, p.targets[i]);
            qsort(p.targets, p.ntargets, sizeof *p.targets, compare_u32);
            size_t n = 0;
            for (size_t i = 0; i < p.ntargets; i++) {
                if (n == 0 || p.targets[i] != p.targets[n - 1])
                    p.targets[n++] = p.targets[i];
            }
            p.ntargets = n;
            if (p.is_json)
                fputs(", \"found\": {\"people\": ", p.out);
            else
                fprintf(p.out, "found by %s: ", p.find_what);
            fprintf(p.out, "%zu", n);
            fputs(p.is_json ? ", \"places\": [" : (n == 1 ? " person\n" : " people\n"), p.out);
            p.is_second_pass = true;
            p.next_id = 0;
            if (sweep(&p, paths, npaths) != 0 || p.is_out_of_memory) {
                cli_message(NULL, "%s", strerror(ENOMEM));
                goto done;
            }
            if (p.next_id != linker_records(p.lk))
                cli_message(NULL, "warning: the files changed while they were read: the "
                                  "places found may be incomplete");
            if (p.is_json)
                fputs(p.places > 0 ? "\n  ]}" : "]}", p.out);
        }
        if (p.is_json)
            fputs("}\n", p.out);
        if (fflush(p.out) == EOF || ferror(p.out)) {
            cli_message(NULL, "error writing to standard output: %s", strerror(errno));
            goto done;
        }
    }
    if (p.is_verbose)
        cli_message(NULL, "%" PRIu32 " records, %zu bytes for linking (%.1f per record)",
                    linker_records(p.lk), linker_bytes(p.lk),
                    linker_records(p.lk) > 0 ? (double)linker_bytes(p.lk) / linker_records(p.lk)
                                             : 0.0);
    status = p.is_trouble ? EXIT_TROUBLE : people > 0 ? EXIT_FOUND : EXIT_CLEAN;
done:
    path_list_free(&from_state);
    site_key_wipe(&p.key);
    piiscan_stream_free(p.st);
    piiscan_scanner_free(sc);
    piiscan_options_free(opt);
    linker_free(p.lk);
    for (size_t i = 0; i < p.nfiles; i++)
        free(p.files[i].path);
    free(p.files);
    free(p.items);
    free(p.arena);
    free(p.targets);
    return status;
}
