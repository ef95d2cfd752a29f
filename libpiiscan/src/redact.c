/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * redact.c - span edits on the original bytes: findings -> edits -> an output callback.
 *
 * Two passes over the input. Pass 1 scans it with the redactor's private stream and keeps
 * each finding as an edit (its original byte range and type; memory O(findings)). Pass 2
 * copies the input to the caller's write callback, replacing each edit's bytes by a mask or
 * token written in the input's encoding. Invariant: every byte outside the edits is copied
 * as it was. The verification checks that promise on the result (the bytes, a new scan, the
 * records and fields), so that a caller replaces a file only with an output that holds it.
 * A workbook's findings are places in its parts, not byte ranges of the file: its edits,
 * pass 2 and verification are redact_xlsx.c's, reached from the same functions.
 * Leaves out: files, directories and renames (the CLI's).
 */
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "redact.h"

#define IO_CHUNK_BYTES PII_REDACT_IO_BYTES
/* Output is gathered to this size before a write call: few large writes. */
#define OUT_FLUSH_BYTES (256u << 10)
#define MAX_KEY_BYTES   (1u << 20)

/* ------------------------------------------------------------------------------------------ */
/* Byte buffers                                                                               */

int pii_bytes_reserve(pii_bytes *b, size_t extra)
{
    if (extra > SIZE_MAX / 4 - b->len)
        return PIISCAN_ERR_NOMEM;
    size_t need = b->len + extra;
    if (need <= b->cap)
        return PIISCAN_OK;
    size_t cap = b->cap < 256 ? 256 : b->cap;
    while (cap < need)
        cap *= 2;
    unsigned char *data = realloc(b->data, cap);
    if (data == NULL)
        return PIISCAN_ERR_NOMEM;
    b->data = data;
    b->cap = cap;
    return PIISCAN_OK;
}

int pii_bytes_put(pii_bytes *b, const void *p, size_t n)
{
    if (n == 0)
        return PIISCAN_OK;
    int rc = pii_bytes_reserve(b, n);
    if (rc != PIISCAN_OK)
        return rc;
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return PIISCAN_OK;
}

void pii_bytes_free(pii_bytes *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                    */

struct piiscan_redact_options {
    piiscan_mask mask;
    char narrow[8]; /* one UTF-8 character, NUL-terminated */
    char wide[8];
    unsigned char *key; /* key material, wiped when freed */
    size_t key_len;
};

int piiscan_redact_options_new(piiscan_redact_options **out)
{
    if (out == NULL)
        return PIISCAN_ERR_INVALID;
    piiscan_redact_options *ro = calloc(1, sizeof *ro);
    if (ro == NULL)
        return PIISCAN_ERR_NOMEM;
    ro->mask = PIISCAN_MASK_FULL;
    strcpy(ro->narrow, "*");
    strcpy(ro->wide, "\xEF\xBC\x8A"); /* U+FF0A FULLWIDTH ASTERISK */
    *out = ro;
    return PIISCAN_OK;
}

static void wipe_key(unsigned char *key, size_t len)
{
    if (key != NULL) {
        sodium_memzero(key, len);
        free(key);
    }
}

void piiscan_redact_options_free(piiscan_redact_options *ro)
{
    if (ro == NULL)
        return;
    wipe_key(ro->key, ro->key_len);
    free(ro);
}

int piiscan_redact_options_set_mask(piiscan_redact_options *ro, piiscan_mask mask)
{
    if (ro == NULL ||
        (mask != PIISCAN_MASK_FULL && mask != PIISCAN_MASK_PARTIAL && mask != PIISCAN_MASK_TOKEN))
        return PIISCAN_ERR_INVALID;
    ro->mask = mask;
    return PIISCAN_OK;
}

int piiscan_redact_options_set_mask_chars(piiscan_redact_options *ro, const char *narrow,
                                          const char *wide)
{
    if (ro == NULL)
        return PIISCAN_ERR_INVALID;
    if (narrow != NULL) {
        int rc = pii_mask_char_check(narrow, false, NULL);
        if (rc != PIISCAN_OK)
            return rc;
    }
    if (wide != NULL) {
        int rc = pii_mask_char_check(wide, true, NULL);
        if (rc != PIISCAN_OK)
            return rc;
    }
    /* Checked: one character of at most 4 bytes. */
    if (narrow != NULL)
        strcpy(ro->narrow, narrow);
    if (wide != NULL)
        strcpy(ro->wide, wide);
    return PIISCAN_OK;
}

int piiscan_redact_options_set_token_key(piiscan_redact_options *ro, const unsigned char *key,
                                         size_t len)
{
    if (ro == NULL || key == NULL || len < PII_TOKEN_KEY_BYTES || len > MAX_KEY_BYTES)
        return PIISCAN_ERR_INVALID;
    unsigned char *copy = malloc(len);
    if (copy == NULL)
        return PIISCAN_ERR_NOMEM;
    memcpy(copy, key, len);
    wipe_key(ro->key, ro->key_len);
    ro->key = copy;
    ro->key_len = len;
    return PIISCAN_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The redactor                                                                               */

/* Where bytes come from: a caller's buffer or a file descriptor read in chunks. */
typedef struct source {
    const unsigned char *mem;
    size_t mem_len;
    int fd;
    unsigned char *buf;
    size_t buf_len;
    size_t buf_at;
    uint64_t pos; /* bytes consumed */
    bool is_eof;
} source;

static int on_finding(const piiscan_finding *f, void *user);

int piiscan_redactor_new(const piiscan_scanner *sc, const piiscan_redact_options *ro,
                         piiscan_redactor **out, piiscan_error *err)
{
    pii_error_clear(err);
    if (sc == NULL || ro == NULL || out == NULL)
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0, "no scanner or options");
    if (ro->mask == PIISCAN_MASK_TOKEN && ro->key == NULL)
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0,
                             "token masks need a key (piiscan_redact_options_set_token_key)");
    int rc = pii_token_init();
    if (rc != PIISCAN_OK)
        return pii_error_set(err, rc, UINT64_MAX, 0, "the hash library failed to start");
    piiscan_redactor *rd = calloc(1, sizeof *rd);
    if (rd == NULL)
        return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    rd->sc = sc;
    rd->mask = ro->mask;
    rc = pii_masker_init(&rd->masker, ro->narrow, ro->wide, err);
    if (rc != PIISCAN_OK)
        goto fail;
    if (ro->key != NULL) {
        pii_token_key(ro->key, ro->key_len, rd->key);
        rd->has_key = true;
    }
    rd->buf_a = malloc(IO_CHUNK_BYTES);
    rd->buf_b = malloc(IO_CHUNK_BYTES);
    rc = rd->buf_a == NULL || rd->buf_b == NULL ? PIISCAN_ERR_NOMEM
                                                : piiscan_stream_new(sc, on_finding, rd, &rd->st);
    if (rc == PIISCAN_OK)
        rc = pii_workbook_new(&rd->wb);
    if (rc != PIISCAN_OK) {
        pii_error_set(err, rc, UINT64_MAX, 0, "out of memory");
        goto fail;
    }
    /* A workbook's units are seen with their place in the package (redact_xlsx.c). */
    pii_stream_set_units_hook(rd->st, pii_workbook_units, rd, true);
    pii_error_clear(&rd->err);
    *out = rd;
    return PIISCAN_OK;
fail:
    piiscan_redactor_free(rd);
    return rc;
}

void piiscan_redactor_free(piiscan_redactor *rd)
{
    if (rd == NULL)
        return;
    sodium_memzero(rd->key, sizeof rd->key);
    piiscan_stream_free(rd->st);
    pii_workbook_free(rd->wb);
    free(rd->edits);
    pii_bytes_free(&rd->out);
    pii_bytes_free(&rd->span);
    pii_bytes_free(&rd->value);
    pii_chars_free(&rd->chars);
    pii_text_free(&rd->decoded);
    pii_text_free(&rd->norm);
    free(rd->buf_a);
    free(rd->buf_b);
    free(rd);
}

const piiscan_redact_stats *piiscan_redactor_stats(const piiscan_redactor *rd)
{
    return &rd->stats;
}

const piiscan_error *piiscan_redactor_error(const piiscan_redactor *rd)
{
    return &rd->err;
}

/* ------------------------------------------------------------------------------------------ */
/* Pass 1                                                                                     */

static int add_edit(piiscan_redactor *rd, const piiscan_finding *f)
{
    if (rd->nedits == rd->cap) {
        size_t cap = rd->cap < 64 ? 64 : rd->cap * 2;
        pii_edit *v = realloc(rd->edits, cap * sizeof *v);
        if (v == NULL)
            return PIISCAN_ERR_NOMEM;
        rd->edits = v;
        rd->cap = cap;
    }
    rd->edits[rd->nedits++] = (pii_edit){.start = f->start, .end = f->end, .type = f->type};
    return PIISCAN_OK;
}

/* A finding of the output overlaps a replaced span: the mask or token still reads as data.
 * What a partial mask keeps on purpose at its start (an address's prefecture and
 * municipality) may be found again, as long as the finding stays inside it. */
static int check_output_finding(piiscan_redactor *rd, const piiscan_finding *f)
{
    /* The first edit that ends after the finding starts (edits are sorted and disjoint). */
    size_t lo = 0;
    size_t hi = rd->nedits;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rd->edits[mid].out_end <= f->start)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t i = lo;
    if (i < rd->nedits && rd->edits[i].out_start < f->end &&
        !(f->start >= rd->edits[i].out_start &&
          f->end <= rd->edits[i].out_start + rd->edits[i].out_kept)) {
        const pii_edit *e = &rd->edits[i];
        pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, e->start, f->line,
                      "the replacement of input bytes %llu-%llu still reads as %s (output bytes "
                      "%llu-%llu, line %llu)",
                      (unsigned long long)e->start, (unsigned long long)e->end,
                      piiscan_type_name(f->type), (unsigned long long)f->start,
                      (unsigned long long)f->end, (unsigned long long)f->line);
        return 1;
    }
    return 0;
}

static int on_finding(const piiscan_finding *f, void *user)
{
    piiscan_redactor *rd = user;
    if (f->sheet != NULL) /* a cell's text is not a byte range of the file */
        return pii_workbook_finding(rd, f);
    if (rd->is_verifying)
        return check_output_finding(rd, f);
    if (f->end <= f->start)
        return 0;
    if (add_edit(rd, f) != PIISCAN_OK) {
        rd->is_out_of_memory = true;
        return 1;
    }
    return 0;
}

static int by_start(const void *pa, const void *pb)
{
    const pii_edit *a = pa;
    const pii_edit *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return a->end < b->end ? 1 : a->end > b->end ? -1 : 0;
}

/* Findings arrive in input order and do not overlap; sorting and merging make that a fact
 * pass 2 can rely on, whatever a future detector does. */
static void settle_edits(piiscan_redactor *rd)
{
    if (rd->nedits > 1)
        qsort(rd->edits, rd->nedits, sizeof *rd->edits, by_start);
    size_t n = 0;
    for (size_t i = 0; i < rd->nedits; i++) {
        if (n > 0 && rd->edits[i].start < rd->edits[n - 1].end) {
            if (rd->edits[i].end > rd->edits[n - 1].end)
                rd->edits[n - 1].end = rd->edits[i].end;
            continue;
        }
        rd->edits[n++] = rd->edits[i];
    }
    rd->nedits = n;
    for (size_t i = 0; i < n; i++) {
        rd->stats.spans++;
        if ((unsigned)rd->edits[i].type < 16)
            rd->stats.spans_by_type[rd->edits[i].type]++;
    }
}

static void begin_scan(piiscan_redactor *rd)
{
    rd->phase = PII_REDACT_IDLE;
    rd->is_verifying = false;
    rd->is_out_of_memory = false;
    rd->is_workbook = false;
    rd->nedits = 0;
    pii_workbook_clear(rd->wb);
    memset(&rd->stats, 0, sizeof rd->stats);
    pii_error_clear(&rd->err);
}

/* The stream's verdict becomes the redactor's. */
static int finish_scan(piiscan_redactor *rd, int rc)
{
    const piiscan_stats *stats = piiscan_stream_stats(rd->st);
    if (rd->is_out_of_memory)
        rc = pii_error_set(&rd->err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    else if (rc != PIISCAN_OK && rd->err.code != PIISCAN_OK)
        rc = rd->err.code; /* said by the workbook's finding or units hook */
    else if (rc != PIISCAN_OK)
        rd->err = *piiscan_stream_error(rd->st);
    if (rc != PIISCAN_OK)
        return rc;
    rd->scanned = *stats;
    rd->stats.bytes_in = rd->scanned.bytes;
    rd->stats.encoding = rd->scanned.encoding;
    rd->stats.format = rd->scanned.format;
    rd->stats.has_bom = rd->scanned.has_bom;
    rd->stats.skip_reason = rd->scanned.skip_reason;
    rd->stats.decode_errors = rd->scanned.decode_errors;
    rd->is_workbook = stats->format == PIISCAN_FORMAT_XLSX;
    if (rd->is_workbook)
        pii_workbook_settle(rd);
    else
        settle_edits(rd);
    rd->phase = PII_REDACT_SCANNED;
    return PIISCAN_OK;
}

int piiscan_redactor_scan_fd(piiscan_redactor *rd, int fd, const piiscan_source *src)
{
    if (rd == NULL)
        return PIISCAN_ERR_INVALID;
    begin_scan(rd);
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (at < 0) {
        if (errno == ESPIPE)
            return pii_error_set(&rd->err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                                 "not seekable (a pipe or terminal): redaction reads its input "
                                 "twice");
        return pii_error_set(&rd->err, PIISCAN_ERR_IO, UINT64_MAX, 0, "cannot seek: %s",
                             strerror(errno));
    }
    rd->input_offset = at;
    int rc = finish_scan(rd, piiscan_stream_scan_fd(rd->st, fd, src));
    if (lseek(fd, at, SEEK_SET) < 0 && rc == PIISCAN_OK) {
        rd->phase = PII_REDACT_IDLE;
        return pii_error_set(&rd->err, PIISCAN_ERR_IO, UINT64_MAX, 0, "cannot seek back: %s",
                             strerror(errno));
    }
    return rc;
}

int piiscan_redactor_scan_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                 const piiscan_source *src)
{
    if (rd == NULL || (buf == NULL && len > 0))
        return PIISCAN_ERR_INVALID;
    begin_scan(rd);
    rd->input_offset = -1;
    static const unsigned char empty[1];
    return finish_scan(rd, piiscan_stream_scan_buffer(rd->st, buf != NULL ? buf : empty, len, src));
}

/* ------------------------------------------------------------------------------------------ */
/* Sources                                                                                    */

static void source_mem(source *s, const void *p, size_t n)
{
    *s = (source){.mem = p, .mem_len = n, .fd = -1};
}

static void source_fd(source *s, int fd, unsigned char *buf)
{
    *s = (source){.fd = fd, .buf = buf};
}

/* The next bytes available: *n == 0 at the end. PIISCAN_ERR_IO (errno kept) on a read error. */
static int source_peek(source *s, const unsigned char **p, size_t *n)
{
    if (s->fd < 0) {
        *n = s->mem_len - (size_t)s->pos;
        *p = *n > 0 ? s->mem + s->pos : s->mem; /* an empty input may be a NULL buffer */
        return PIISCAN_OK;
    }
    if (s->buf_at == s->buf_len && !s->is_eof) {
        ssize_t got;
        do {
            got = read(s->fd, s->buf, IO_CHUNK_BYTES);
        } while (got < 0 && errno == EINTR);
        if (got < 0)
            return PIISCAN_ERR_IO;
        s->buf_len = (size_t)got;
        s->buf_at = 0;
        s->is_eof = got == 0;
    }
    *p = s->buf + s->buf_at;
    *n = s->buf_len - s->buf_at;
    return PIISCAN_OK;
}

static void source_skip(source *s, size_t n)
{
    s->pos += n;
    if (s->fd >= 0)
        s->buf_at += n;
}

/* ------------------------------------------------------------------------------------------ */
/* Pass 2                                                                                     */

struct sink {
    piiscan_write_fn write;
    void *user;
};

static int flush(piiscan_redactor *rd, const struct sink *k)
{
    if (rd->out.len == 0)
        return PIISCAN_OK;
    errno = 0;
    if (k->write(rd->out.data, rd->out.len, k->user) != 0)
        return pii_error_set(&rd->err, PIISCAN_ERR_IO, rd->stats.bytes_out, 0,
                             "the output refused %zu bytes%s%s", rd->out.len,
                             errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
    rd->stats.bytes_out += rd->out.len;
    rd->out.len = 0;
    return PIISCAN_OK;
}

/* Copies input bytes to the output: through the buffer when small, directly when large. */
static int emit(piiscan_redactor *rd, const struct sink *k, const unsigned char *p, size_t n)
{
    if (n >= OUT_FLUSH_BYTES) {
        int rc = flush(rd, k);
        if (rc != PIISCAN_OK)
            return rc;
        rd->out.len = 0;
        errno = 0;
        if (k->write(p, n, k->user) != 0)
            return pii_error_set(&rd->err, PIISCAN_ERR_IO, rd->stats.bytes_out, 0,
                                 "the output refused %zu bytes%s%s", n, errno != 0 ? ": " : "",
                                 errno != 0 ? strerror(errno) : "");
        rd->stats.bytes_out += n;
        return PIISCAN_OK;
    }
    int rc = pii_bytes_put(&rd->out, p, n);
    if (rc != PIISCAN_OK)
        return pii_error_set(&rd->err, rc, UINT64_MAX, 0, "out of memory");
    return rd->out.len >= OUT_FLUSH_BYTES ? flush(rd, k) : PIISCAN_OK;
}

static bool is_lead_byte(piiscan_encoding enc, unsigned char b)
{
    if (enc == PIISCAN_ENCODING_CP932)
        return (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC);
    return b == 0x8E || b == 0x8F || (b >= 0xA1 && b <= 0xFE); /* EUC-JP */
}

/* Decodes copied bytes as the stream did, from the last span's end (a character boundary),
 * remembering whether the last character was a lone lead byte. */
static void track(piiscan_redactor *rd, const unsigned char *p, size_t n, bool is_final)
{
    piiscan_encoding enc = rd->stats.encoding;
    while (n > 0 || (is_final && rd->carry_len > 0)) {
        const unsigned char *s = p;
        size_t len = n;
        unsigned char tmp[sizeof rd->carry];
        size_t from_p = 0;
        if (rd->carry_len > 0) {
            from_p = n < sizeof tmp - rd->carry_len ? n : sizeof tmp - rd->carry_len;
            memcpy(tmp, rd->carry, rd->carry_len);
            if (from_p > 0)
                memcpy(tmp + rd->carry_len, p, from_p);
            s = tmp;
            len = rd->carry_len + from_p;
        }
        uint32_t cp;
        bool is_invalid;
        size_t used = s[0] < 0x80 ? 1
                                  : pii_decode_char(rd->sc->tables, enc, s, len,
                                                    is_final && from_p == n, &cp, &is_invalid);
        if (used == 0) { /* cut by the end of the chunk: keep it for the next one */
            memcpy(rd->carry, s, len);
            rd->carry_len = len;
            return;
        }
        rd->is_after_lead_byte = s[0] >= 0x80 && is_invalid && used == 1 && is_lead_byte(enc, s[0]);
        size_t from_carry = rd->carry_len < used ? rd->carry_len : used;
        if (rd->carry_len > 0) {
            memmove(rd->carry, rd->carry + from_carry, rd->carry_len - from_carry);
            rd->carry_len -= from_carry;
        }
        if (used > from_carry) { /* p is NULL at a span's start, where all comes from carry */
            p += used - from_carry;
            n -= used - from_carry;
        }
    }
}

/* Appends rd->chars.v[i], a line end or quote, in `enc`. */
static int put_structure_char(const piiscan_redactor *rd, size_t i, piiscan_encoding enc,
                              pii_bytes *out)
{
    uint32_t cp = rd->chars.v[i].cp;
    return pii_ascii_encode(enc, cp == '"' ? "\"" : cp == '\r' ? "\r" : "\n", 1, out);
}

/* The token `token` of the value in rd->chars, with the value's line ends and quotes, so that
 * the file keeps its lines and records (see pii_mask_span). They come in order, a run of them
 * that starts the value before the token, the others after it; runs that other characters
 * kept apart are kept apart by a space, or a lone CR and a later LF would read as one CRLF,
 * and a closing quote and a later one as an escaped quote. A space, not a mask character: the
 * claims of a column trim it, and the token stays the whole value. */
static int put_token(piiscan_redactor *rd, const char *token, size_t token_len,
                     piiscan_encoding enc, pii_bytes *out)
{
    int rc = PIISCAN_OK;
    size_t i = 0;
    for (; i < rd->chars.len && pii_is_structure(&rd->chars.v[i]) && rc == PIISCAN_OK; i++)
        rc = put_structure_char(rd, i, enc, out);
    if (rc == PIISCAN_OK)
        rc = pii_ascii_encode(enc, token, token_len, out);
    bool is_apart = false;          /* other characters since the last structure character */
    bool is_last_structure = false; /* what was written last is a structure character */
    for (; i < rd->chars.len && rc == PIISCAN_OK; i++) {
        if (!pii_is_structure(&rd->chars.v[i])) {
            is_apart = true;
            continue;
        }
        if (is_apart && is_last_structure)
            rc = pii_ascii_encode(enc, " ", 1, out);
        if (rc == PIISCAN_OK)
            rc = put_structure_char(rd, i, enc, out);
        is_apart = false;
        is_last_structure = true;
    }
    if (rc == PIISCAN_OK && is_apart && is_last_structure)
        rc = pii_ascii_encode(enc, " ", 1, out);
    return rc;
}

int pii_redact_replacement(piiscan_redactor *rd, piiscan_type type, piiscan_encoding enc,
                           const unsigned char *s, size_t n, bool is_after_lead_byte,
                           pii_bytes *out, size_t *kept)
{
    *kept = 0;
    int rc = pii_chars_decode(rd->sc->tables, enc, s, n, &rd->chars);
    if (rc != PIISCAN_OK)
        return rc;
    if (rd->mask != PIISCAN_MASK_TOKEN)
        return pii_mask_span(&rd->masker, rd->mask, type, enc, s, &rd->chars, is_after_lead_byte,
                             out, kept);
    pii_text_clear(&rd->decoded);
    for (size_t i = 0; i < rd->chars.len; i++) {
        char u[4];
        size_t k = pii_utf8_put(rd->chars.v[i].cp, u);
        rc = pii_text_append(&rd->decoded, u, k, 0, 0);
        if (rc != PIISCAN_OK)
            return rc;
    }
    rc = pii_canonical(type, rd->decoded.data, rd->decoded.len, &rd->norm, &rd->value);
    if (rc != PIISCAN_OK)
        return rc;
    char token[PII_TOKEN_MAX_CHARS];
    size_t k = pii_token_text(rd->key, type, rd->value.data, rd->value.len, token);
    return put_token(rd, token, k, enc, out);
}

/* The replacement of one span, whose original bytes are rd->span, appended to rd->out. */
static int replace(piiscan_redactor *rd, pii_edit *e)
{
    size_t kept = 0;
    int rc = pii_redact_replacement(rd, e->type, rd->stats.encoding, rd->span.data, rd->span.len,
                                    rd->is_after_lead_byte, &rd->out, &kept);
    e->out_kept = kept <= UINT32_MAX ? (uint32_t)kept : 0;
    for (size_t i = 0; i < rd->chars.len; i++)
        rd->replaced_invalid += rd->chars.v[i].is_invalid;
    return rc;
}

static int write_pass(piiscan_redactor *rd, source *in, const struct sink *k)
{
    if (rd->phase != PII_REDACT_SCANNED && rd->phase != PII_REDACT_WRITTEN)
        return pii_error_set(&rd->err, PIISCAN_ERR_STATE, UINT64_MAX, 0,
                             "no successful scan to write from");
    if (k->write == NULL)
        return pii_error_set(&rd->err, PIISCAN_ERR_INVALID, UINT64_MAX, 0, "no write callback");
    rd->phase = PII_REDACT_SCANNED;
    rd->stats.bytes_out = 0;
    rd->out.len = 0;
    rd->is_tracking =
        rd->stats.decode_errors > 0 && (rd->stats.encoding == PIISCAN_ENCODING_CP932 ||
                                        rd->stats.encoding == PIISCAN_ENCODING_EUCJP);
    rd->is_after_lead_byte = false;
    rd->carry_len = 0;
    rd->replaced_invalid = 0;
    pii_error_clear(&rd->err);
    size_t next = 0; /* the next edit */
    bool is_in_span = false;
    int rc = PIISCAN_OK;
    for (;;) {
        const unsigned char *p;
        size_t n;
        if (source_peek(in, &p, &n) != PIISCAN_OK)
            return pii_error_set(&rd->err, PIISCAN_ERR_IO, in->pos, 0, "read error: %s",
                                 strerror(errno));
        if (n == 0)
            break;
        while (n > 0) {
            pii_edit *e = next < rd->nedits ? &rd->edits[next] : NULL;
            if (is_in_span) {
                size_t take = (size_t)(e->end - in->pos) < n ? (size_t)(e->end - in->pos) : n;
                if (pii_bytes_put(&rd->span, p, take) != PIISCAN_OK)
                    return pii_error_set(&rd->err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0,
                                         "out of memory");
                source_skip(in, take);
                p += take;
                n -= take;
                if (in->pos < e->end)
                    continue;
                e->out_start = rd->stats.bytes_out + rd->out.len;
                rc = replace(rd, e);
                if (rc != PIISCAN_OK)
                    return pii_error_set(&rd->err, rc, e->start, 0, "%s", piiscan_strerror(rc));
                e->out_end = rd->stats.bytes_out + rd->out.len;
                is_in_span = false;
                rd->is_after_lead_byte = false; /* a replacement ends with a whole character */
                next++;
                if (rd->out.len >= OUT_FLUSH_BYTES && (rc = flush(rd, k)) != PIISCAN_OK)
                    return rc;
                continue;
            }
            uint64_t until = e != NULL ? e->start : UINT64_MAX;
            size_t take = until - in->pos < n ? (size_t)(until - in->pos) : n;
            if (take > 0 && (rc = emit(rd, k, p, take)) != PIISCAN_OK)
                return rc;
            if (rd->is_tracking)
                track(rd, p, take, false);
            source_skip(in, take);
            p += take;
            n -= take;
            if (e != NULL && in->pos == e->start) {
                is_in_span = true;
                rd->span.len = 0;
                if (rd->is_tracking)
                    track(rd, NULL, 0, true); /* a span starts at a character boundary */
            }
        }
    }
    if ((rc = flush(rd, k)) != PIISCAN_OK)
        return rc;
    /* A skipped (binary) input was not read to its end in pass 1: its length is known now. */
    if (rd->stats.skip_reason != NULL)
        rd->stats.bytes_in = in->pos;
    if (in->pos != rd->stats.bytes_in || next < rd->nedits)
        return pii_error_set(&rd->err, PIISCAN_ERR_IO, in->pos, 0,
                             "the input is %llu bytes now but was %llu when scanned: it changed",
                             (unsigned long long)in->pos, (unsigned long long)rd->stats.bytes_in);
    rd->phase = PII_REDACT_WRITTEN;
    return PIISCAN_OK;
}

/* A workbook's pass 2 (redact_xlsx.c) writes a zip, which needs random access: to out_fd in
 * place, or (out_fd < 0) to memory, then handed to the sink. */
static int write_workbook(piiscan_redactor *rd, const pii_package *in, int out_fd,
                          const struct sink *k)
{
    if (rd->phase != PII_REDACT_SCANNED && rd->phase != PII_REDACT_WRITTEN)
        return pii_error_set(&rd->err, PIISCAN_ERR_STATE, UINT64_MAX, 0,
                             "no successful scan to write from");
    if (k != NULL && k->write == NULL)
        return pii_error_set(&rd->err, PIISCAN_ERR_INVALID, UINT64_MAX, 0, "no write callback");
    rd->phase = PII_REDACT_SCANNED;
    pii_error_clear(&rd->err);
    if (in->len != rd->stats.bytes_in)
        return pii_error_set(&rd->err, PIISCAN_ERR_IO, UINT64_MAX, 0,
                             "the input is %llu bytes now but was %llu when scanned: it changed",
                             (unsigned long long)in->len, (unsigned long long)rd->stats.bytes_in);
    pii_bytes mem = {0};
    pii_output out = {.fd = out_fd, .mem = &mem};
    if (out_fd >= 0) {
        off_t at = lseek(out_fd, 0, SEEK_CUR);
        if (at < 0)
            return pii_error_set(&rd->err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                                 "the output cannot seek, and a workbook is written with "
                                 "random access: %s",
                                 strerror(errno));
        out.offset = (uint64_t)at;
    }
    int rc = pii_workbook_write(rd, in, &out);
    if (rc == PIISCAN_OK && out_fd >= 0 &&
        lseek(out_fd, (off_t)(out.offset + rd->stats.bytes_out), SEEK_SET) < 0)
        rc = pii_error_set(&rd->err, PIISCAN_ERR_IO, UINT64_MAX, 0, "cannot seek the output: %s",
                           strerror(errno));
    for (size_t at = 0; rc == PIISCAN_OK && k != NULL && at < mem.len;) {
        size_t n = mem.len - at < OUT_FLUSH_BYTES ? mem.len - at : OUT_FLUSH_BYTES;
        errno = 0;
        if (k->write(mem.data + at, n, k->user) != 0)
            rc = pii_error_set(&rd->err, PIISCAN_ERR_IO, at, 0, "the output refused %zu bytes%s%s",
                               n, errno != 0 ? ": " : "", errno != 0 ? strerror(errno) : "");
        at += n;
    }
    pii_bytes_free(&mem);
    if (rc == PIISCAN_OK)
        rd->phase = PII_REDACT_WRITTEN;
    return rc;
}

/* The input scanned from fd, as a package read in place. */
static int scanned_package(piiscan_redactor *rd, int fd, pii_package *pkg)
{
    struct stat sb;
    if (rd->input_offset < 0 || fstat(fd, &sb) < 0 || sb.st_size < rd->input_offset)
        return pii_error_set(&rd->err, PIISCAN_ERR_STATE, UINT64_MAX, 0,
                             "the input was not scanned from this descriptor");
    *pkg = (pii_package){.fd = fd,
                         .offset = (uint64_t)rd->input_offset,
                         .len = (uint64_t)(sb.st_size - rd->input_offset)};
    return PIISCAN_OK;
}

int piiscan_redactor_write_fd(piiscan_redactor *rd, int fd, piiscan_write_fn write, void *user)
{
    if (rd == NULL)
        return PIISCAN_ERR_INVALID;
    if (rd->is_workbook) {
        pii_package pkg;
        const struct sink k = {write, user};
        int rc = scanned_package(rd, fd, &pkg);
        return rc != PIISCAN_OK ? rc : write_workbook(rd, &pkg, -1, &k);
    }
    if (rd->input_offset < 0 || lseek(fd, rd->input_offset, SEEK_SET) < 0)
        return pii_error_set(&rd->err, PIISCAN_ERR_STATE, UINT64_MAX, 0,
                             "the input was not scanned from this descriptor");
    source in;
    source_fd(&in, fd, rd->buf_a);
    const struct sink k = {write, user};
    int rc = write_pass(rd, &in, &k);
    lseek(fd, rd->input_offset, SEEK_SET);
    return rc;
}

int piiscan_redactor_write_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                  piiscan_write_fn write, void *user)
{
    if (rd == NULL || (buf == NULL && len > 0))
        return PIISCAN_ERR_INVALID;
    const struct sink k = {write, user};
    if (rd->is_workbook) {
        static const unsigned char empty[1];
        const pii_package pkg = {.buf = buf != NULL ? buf : empty, .fd = -1, .len = len};
        return write_workbook(rd, &pkg, -1, &k);
    }
    source in;
    source_mem(&in, buf, len);
    return write_pass(rd, &in, &k);
}

static int write_to(const void *buf, size_t len, void *user)
{
    int fd = *(const int *)user;
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 1; /* errno says why */
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int piiscan_redactor_write_to_fd(piiscan_redactor *rd, int fd, int out_fd)
{
    if (rd == NULL || out_fd < 0)
        return PIISCAN_ERR_INVALID;
    if (!rd->is_workbook)
        return piiscan_redactor_write_fd(rd, fd, write_to, &out_fd);
    pii_package pkg;
    int rc = scanned_package(rd, fd, &pkg);
    return rc != PIISCAN_OK ? rc : write_workbook(rd, &pkg, out_fd, NULL);
}

int piiscan_redactor_redact_fd(piiscan_redactor *rd, int fd, const piiscan_source *src,
                               piiscan_write_fn write, void *user)
{
    int rc = piiscan_redactor_scan_fd(rd, fd, src);
    return rc != PIISCAN_OK ? rc : piiscan_redactor_write_fd(rd, fd, write, user);
}

int piiscan_redactor_redact_buffer(piiscan_redactor *rd, const void *buf, size_t len,
                                   const piiscan_source *src, piiscan_write_fn write, void *user)
{
    int rc = piiscan_redactor_scan_buffer(rd, buf, len, src);
    return rc != PIISCAN_OK ? rc : piiscan_redactor_write_buffer(rd, buf, len, write, user);
}

/* ------------------------------------------------------------------------------------------ */
/* Verification                                                                               */

static int read_failed(piiscan_redactor *rd, const char *what)
{
    return pii_error_set(&rd->err, PIISCAN_ERR_IO, UINT64_MAX, 0, "read error on the %s: %s", what,
                         strerror(errno));
}

/* Skips n bytes of a source (inside a replaced span): false when it ends first. */
static int skip_bytes(source *s, uint64_t n, bool *is_short)
{
    *is_short = false;
    while (n > 0) {
        const unsigned char *p;
        size_t avail;
        int rc = source_peek(s, &p, &avail);
        if (rc != PIISCAN_OK)
            return rc;
        if (avail == 0) {
            *is_short = true;
            return PIISCAN_OK;
        }
        size_t take = avail < n ? avail : (size_t)n;
        source_skip(s, take);
        n -= take;
    }
    return PIISCAN_OK;
}

/* Every byte outside the edits is the same in both, and both end where they should. */
static int compare_outside(piiscan_redactor *rd, source *a, source *b)
{
    size_t next = 0;
    for (;;) {
        const pii_edit *e = next < rd->nedits ? &rd->edits[next] : NULL;
        uint64_t until = e != NULL ? e->start : UINT64_MAX;
        while (a->pos < until) {
            const unsigned char *pa;
            const unsigned char *pb;
            size_t na;
            size_t nb;
            if (source_peek(a, &pa, &na) != PIISCAN_OK)
                return read_failed(rd, "original");
            if (source_peek(b, &pb, &nb) != PIISCAN_OK)
                return read_failed(rd, "output");
            if (na == 0 || nb == 0) {
                if (na == 0 && nb == 0 && e == NULL)
                    return PIISCAN_OK;
                /* The output was written from bytes_in bytes: an original of another length
                 * changed after it was read. */
                if (na == 0 ? a->pos != rd->stats.bytes_in : a->pos >= rd->stats.bytes_in)
                    return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, a->pos, 0,
                                         "the original is %s than the %llu bytes redacted: it "
                                         "changed",
                                         na == 0 ? "shorter" : "longer",
                                         (unsigned long long)rd->stats.bytes_in);
                return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, a->pos, 0,
                                     "the %s ends early, at byte %llu",
                                     na == 0 ? "original" : "output",
                                     (unsigned long long)(na == 0 ? a->pos : b->pos));
            }
            size_t n = na < nb ? na : nb;
            if (until - a->pos < n)
                n = (size_t)(until - a->pos);
            if (memcmp(pa, pb, n) != 0) {
                size_t i = 0;
                while (pa[i] == pb[i])
                    i++;
                return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, a->pos + i, 0,
                                     "input byte %llu is not in a replaced span but differs "
                                     "in the output (byte %llu)",
                                     (unsigned long long)(a->pos + i),
                                     (unsigned long long)(b->pos + i));
            }
            source_skip(a, n);
            source_skip(b, n);
        }
        if (b->pos != e->out_start)
            return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, e->start, 0,
                                 "the replacement of input bytes %llu-%llu is not where it "
                                 "was written",
                                 (unsigned long long)e->start, (unsigned long long)e->end);
        bool is_short_a;
        bool is_short_b;
        if (skip_bytes(a, e->end - e->start, &is_short_a) != PIISCAN_OK)
            return read_failed(rd, "original");
        if (skip_bytes(b, e->out_end - e->out_start, &is_short_b) != PIISCAN_OK)
            return read_failed(rd, "output");
        if (is_short_a || is_short_b)
            return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, e->start, 0,
                                 "the %s ends inside a replaced span",
                                 is_short_a ? "original" : "output");
        next++;
    }
}

/* The output scanned again as the input was read: nothing at a replaced place, and the same
 * shape. Ragged rows are not compared: they count against the header row, which a header
 * search may find elsewhere once a value in the first rows is masked; the rows and fields
 * themselves are compared. */
static int rescan(piiscan_redactor *rd, int fd, const void *buf, size_t len)
{
    if (rd->stats.skip_reason != NULL)
        return PIISCAN_OK; /* nothing was scanned, nothing replaced: the bytes are the same */
    const piiscan_source src = {
        .encoding = rd->scanned.encoding,
        .format = rd->scanned.format,
    };
    rd->is_verifying = true;
    static const unsigned char empty[1];
    int rc = fd >= 0 ? piiscan_stream_scan_fd(rd->st, fd, &src)
                     : piiscan_stream_scan_buffer(rd->st, buf != NULL ? buf : empty, len, &src);
    rd->is_verifying = false;
    if (rc == PIISCAN_ERR_ABORTED && rd->err.code != PIISCAN_OK)
        return rd->err.code; /* a finding at a replaced place, said by check_output_finding */
    if (rc != PIISCAN_OK) {
        const piiscan_error *e = piiscan_stream_error(rd->st);
        return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, e->offset, e->line,
                             "the output does not scan as the input did: %s", e->text);
    }
    const piiscan_stats *o = piiscan_stream_stats(rd->st);
    const piiscan_stats *i = &rd->scanned;
    const char *what = NULL;
    unsigned long long was = 0;
    unsigned long long now = 0;
    if (o->records != i->records)
        what = "records", was = i->records, now = o->records;
    else if (o->fields != i->fields)
        what = "fields", was = i->fields, now = o->fields;
    else if (o->lines != i->lines)
        what = "lines", was = i->lines, now = o->lines;
    else if (o->decode_errors + rd->replaced_invalid != i->decode_errors)
        what = "invalid byte sequences outside the replaced values",
        was = i->decode_errors > rd->replaced_invalid ? i->decode_errors - rd->replaced_invalid : 0,
        now = o->decode_errors;
    else if (o->encoding != i->encoding)
        what = "encoding", was = i->encoding, now = o->encoding;
    else if (o->format != i->format)
        what = "format", was = i->format, now = o->format;
    else if (o->delimiter != i->delimiter)
        what = "delimiter", was = (unsigned char)i->delimiter, now = (unsigned char)o->delimiter;
    else if (o->has_bom != i->has_bom)
        what = "byte order mark", was = i->has_bom, now = o->has_bom;
    if (what != NULL)
        return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, UINT64_MAX, 0,
                             "the output has %llu %s where the input has %llu", now, what, was);
    return PIISCAN_OK;
}

static int verify_state(piiscan_redactor *rd)
{
    if (rd == NULL)
        return PIISCAN_ERR_INVALID;
    if (rd->phase != PII_REDACT_WRITTEN)
        return pii_error_set(&rd->err, PIISCAN_ERR_STATE, UINT64_MAX, 0,
                             "no output written to verify");
    pii_error_clear(&rd->err);
    return PIISCAN_OK;
}

/* A workbook is compared part by part and cell by cell (redact_xlsx.c). */
static int verify_workbook(piiscan_redactor *rd, const pii_package *a, const pii_package *b)
{
    if (a->len != rd->stats.bytes_in)
        return pii_error_set(&rd->err, PIISCAN_ERR_VERIFY, UINT64_MAX, 0,
                             "the original is %llu bytes, not the %llu redacted: it changed",
                             (unsigned long long)a->len, (unsigned long long)rd->stats.bytes_in);
    return pii_workbook_verify(rd, a, b);
}

int piiscan_redactor_verify_fd(piiscan_redactor *rd, int original_fd, int output_fd)
{
    int rc = verify_state(rd);
    if (rc != PIISCAN_OK)
        return rc;
    off_t at_a = lseek(original_fd, 0, SEEK_CUR);
    off_t at_b = lseek(output_fd, 0, SEEK_CUR);
    if (at_a < 0 || at_b < 0)
        return pii_error_set(&rd->err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                             "cannot verify what cannot be read twice: %s", strerror(errno));
    if (rd->is_workbook) {
        struct stat sa;
        struct stat sb;
        if (fstat(original_fd, &sa) < 0 || fstat(output_fd, &sb) < 0 || sa.st_size < at_a ||
            sb.st_size < at_b)
            return read_failed(rd, "output");
        const pii_package a = {
            .fd = original_fd, .offset = (uint64_t)at_a, .len = (uint64_t)(sa.st_size - at_a)};
        const pii_package b = {
            .fd = output_fd, .offset = (uint64_t)at_b, .len = (uint64_t)(sb.st_size - at_b)};
        rc = verify_workbook(rd, &a, &b);
        lseek(original_fd, at_a, SEEK_SET);
        lseek(output_fd, at_b, SEEK_SET);
        return rc;
    }
    source a;
    source b;
    source_fd(&a, original_fd, rd->buf_a);
    source_fd(&b, output_fd, rd->buf_b);
    rc = compare_outside(rd, &a, &b);
    if (rc == PIISCAN_OK && lseek(output_fd, at_b, SEEK_SET) < 0)
        rc = read_failed(rd, "output");
    if (rc == PIISCAN_OK)
        rc = rescan(rd, output_fd, NULL, 0);
    lseek(original_fd, at_a, SEEK_SET);
    lseek(output_fd, at_b, SEEK_SET);
    return rc;
}

int piiscan_redactor_verify_buffer(piiscan_redactor *rd, const void *original, size_t original_len,
                                   const void *output, size_t output_len)
{
    int rc = verify_state(rd);
    if (rc != PIISCAN_OK)
        return rc;
    if ((original == NULL && original_len > 0) || (output == NULL && output_len > 0))
        return PIISCAN_ERR_INVALID;
    if (rd->is_workbook) {
        static const unsigned char empty[1];
        const pii_package a = {
            .buf = original != NULL ? original : empty, .fd = -1, .len = original_len};
        const pii_package b = {.buf = output != NULL ? output : empty, .fd = -1, .len = output_len};
        return verify_workbook(rd, &a, &b);
    }
    source a;
    source b;
    source_mem(&a, original, original_len);
    source_mem(&b, output, output_len);
    rc = compare_outside(rd, &a, &b);
    return rc != PIISCAN_OK ? rc : rescan(rd, -1, output, output_len);
}
