/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * redact.h - what mask.c, token.c and redact.c share inside libpiiscan/src; never installed.
 * A replacement is made from the original bytes of one span: they are decoded character by
 * character with the library's own decoder (so each character keeps its original bytes and
 * display width), then masked or turned into a token, and written in the span's encoding.
 */
#ifndef PIISCAN_REDACT_H
#define PIISCAN_REDACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* The encodings a replacement is written in, indexed by piiscan_encoding (AUTO unused). */
#define PII_ENCODINGS (PIISCAN_ENCODING_UTF16BE + 1)
/* Bytes of one mask character in the widest encoding (UTF-16 surrogate pair, EUC-JP 3). */
#define PII_MASK_CHAR_BYTES 4
/* "PSTL_" and 16 letters, with room to spare. */
#define PII_TOKEN_MAX_CHARS 32
/* Reads of an input or output are this size; the redactor's two buffers (buf_a, buf_b) too. */
#define PII_REDACT_IO_BYTES (256u << 10)

/** One character of a span: where its original bytes are and what it decodes to. */
typedef struct pii_char {
    size_t at; /* offset of its first byte in the span */
    size_t len;
    uint32_t cp; /* U+FFFD for an invalid sequence */
    bool is_invalid;
} pii_char;

typedef struct pii_chars {
    pii_char *v;
    size_t len;
    size_t cap;
} pii_chars;

/** Splits the original bytes s[0..n) in `enc` into characters (chars is cleared first). */
int pii_chars_decode(const pii_codec_tables *t, piiscan_encoding enc, const unsigned char *s,
                     size_t n, pii_chars *chars);
void pii_chars_free(pii_chars *chars);

/* ------------------------------------------------------------------------------------------ */
/* mask.c: full and partial masks                                                              */

/** Display width 2 (zenkaku): everything beyond ASCII except half-width katakana
 *  (U+FF61-FF9F) and the Latin, IPA and combining blocks below U+0370 (but for the Latin-1
 *  signs JIS X 0208 holds). This is the rule of Japanese fixed-width layouts: the characters
 *  that take two bytes in CP932, and East Asian Wide and Fullwidth in Unicode. */
bool pii_is_wide(uint32_t cp);
/** A valid CR, LF or double quote: what makes lines and quoted fields for the readers, kept
 *  inside a replaced span so that the file keeps its lines and records however it quotes. */
static inline bool pii_is_structure(const pii_char *c)
{
    return !c->is_invalid && (c->cp == '\r' || c->cp == '\n' || c->cp == '"');
}

/** Checks one mask character (NUL-terminated UTF-8) for its slot, narrow or wide, as
 *  piiscan_redact_options_set_mask_chars() documents; sets *err. */
int pii_mask_char_check(const char *utf8, bool is_wide, piiscan_error *err);

/** The two mask characters, encoded once for every encoding. Immutable once made. */
typedef struct pii_masker {
    unsigned char narrow[PII_ENCODINGS][PII_MASK_CHAR_BYTES];
    unsigned char wide[PII_ENCODINGS][PII_MASK_CHAR_BYTES];
    uint8_t narrow_len[PII_ENCODINGS];
    uint8_t wide_len[PII_ENCODINGS];
} pii_masker;

/** Encodes the (already checked) mask characters with iconv. PIISCAN_ERR_ENCODING. */
int pii_masker_init(pii_masker *m, const char *narrow, const char *wide, piiscan_error *err);

/** Appends to out the mask of a span of `type` whose characters are `chars`, taken from the
 *  original bytes s (in `enc`). mask is PIISCAN_MASK_FULL or PIISCAN_MASK_PARTIAL; kept
 *  characters are copied from s. is_after_lead_byte: the span follows a CP932/EUC-JP lead
 *  byte that decoded as invalid, so the mask must not start with a byte that could complete
 *  it. *kept_lead (when not NULL) is set to the bytes of the run of kept characters the mask
 *  starts with (an address's prefecture and municipality), which a later scan may still find
 *  on purpose. PIISCAN_ERR_NOMEM. */
int pii_mask_span(const pii_masker *m, piiscan_mask mask, piiscan_type type, piiscan_encoding enc,
                  const unsigned char *s, const pii_chars *chars, bool is_after_lead_byte,
                  pii_bytes *out, size_t *kept_lead);

/* ------------------------------------------------------------------------------------------ */
/* token.c: keyed pseudonyms                                                                   */

#define PII_TOKEN_KEY_BYTES 32

/** Starts the hash library (idempotent, thread-safe). PIISCAN_ERR_INTERNAL if it cannot. */
int pii_token_init(void);
/** The token key derived from the caller's key material. */
void pii_token_key(const unsigned char *material, size_t len,
                   unsigned char key[PII_TOKEN_KEY_BYTES]);
/** Writes the token of canonical value v[0..n) (pii_canonical) as ASCII to out
 *  (PII_TOKEN_MAX_CHARS room); returns its length. */
size_t pii_token_text(const unsigned char key[PII_TOKEN_KEY_BYTES], piiscan_type type,
                      const unsigned char *v, size_t n, char *out);
/** Appends ASCII text[0..n) in `enc`. */
int pii_ascii_encode(piiscan_encoding enc, const char *text, size_t n, pii_bytes *out);

/* ------------------------------------------------------------------------------------------ */
/* redact.c: the redactor                                                                      */

/** One replaced span of a text input. */
typedef struct pii_edit {
    uint64_t start; /* original bytes, end exclusive */
    uint64_t end;
    uint64_t out_start; /* where its replacement went in the output */
    uint64_t out_end;
    uint32_t out_kept; /* bytes of original text the replacement starts with (partial) */
    piiscan_type type;
} pii_edit;

enum pii_redact_phase {
    PII_REDACT_IDLE,
    PII_REDACT_SCANNED, /* pass 1 done: edits known */
    PII_REDACT_WRITTEN, /* pass 2 done: output offsets known */
};

/** A workbook's edits, kept by redact_xlsx.c. */
typedef struct pii_workbook pii_workbook;

struct piiscan_redactor {
    const piiscan_scanner *sc;
    piiscan_stream *st;
    piiscan_mask mask;
    pii_masker masker;
    unsigned char key[PII_TOKEN_KEY_BYTES];
    bool has_key;

    enum pii_redact_phase phase;
    bool is_verifying;
    bool is_workbook; /* the input scanned last is a workbook: its edits are in wb */
    pii_edit *edits;
    size_t nedits;
    size_t cap;
    pii_workbook *wb;
    int64_t input_offset; /* fd offset of the input's first byte; -1 for a buffer */
    piiscan_stats scanned;
    piiscan_redact_stats stats;
    piiscan_error err;
    bool is_out_of_memory;

    /* Pass 2 and verification scratch. */
    pii_bytes out;
    pii_bytes span;
    pii_bytes value;
    pii_chars chars;
    pii_text decoded;
    pii_text norm;
    /* Pass 2 of a CP932/EUC-JP input with invalid bytes decodes the bytes it copies, to know
     * whether a span follows a lead byte that decoded as invalid (see pii_mask_span). */
    bool is_tracking;
    bool is_after_lead_byte;
    /* Invalid byte sequences inside the spans replaced: the output has that many fewer. */
    uint64_t replaced_invalid;
    unsigned char carry[8]; /* a character cut by the end of a chunk */
    size_t carry_len;
    unsigned char *buf_a;
    unsigned char *buf_b;
};

/** Appends to out the replacement of the original bytes s[0..n) in `enc`, a span of `type`:
 *  the redactor's mask or token. *kept as pii_mask_span's kept_lead (0 for a token).
 *  PIISCAN_ERR_NOMEM. */
int pii_redact_replacement(piiscan_redactor *rd, piiscan_type type, piiscan_encoding enc,
                           const unsigned char *s, size_t n, bool is_after_lead_byte,
                           pii_bytes *out, size_t *kept);

/* ------------------------------------------------------------------------------------------ */
/* redact_xlsx.c: workbooks                                                                    */

/** Where a redacted workbook goes: a descriptor written at `offset` on (pwrite), or memory. */
typedef struct pii_output {
    int fd; /* -1 for memory */
    uint64_t offset;
    pii_bytes *mem;
} pii_output;

/** The workbook state of a redactor, made with it and kept across inputs. */
int pii_workbook_new(pii_workbook **out);
void pii_workbook_free(pii_workbook *wb);
/** Forgets the edits of the last input (the start of pass 1). */
void pii_workbook_clear(pii_workbook *wb);
/** The stream's units hook (pii_units_fn); user is the redactor. */
int pii_workbook_units(void *user, const char *sheet, const pii_cell *cells, size_t n);
/** A finding of a workbook during pass 1 (becomes an edit) or verification (must not touch
 *  a replacement). The return is the finding callback's: non-zero stops, with rd->err set. */
int pii_workbook_finding(piiscan_redactor *rd, const piiscan_finding *f);
/** The end of pass 1: edits sorted and merged, counted in rd->stats. */
void pii_workbook_settle(piiscan_redactor *rd);
/** Pass 2: writes the package `in` with the parts that hold edits rewritten, every other part
 *  copied as it was. Errors in rd->err. */
int pii_workbook_write(piiscan_redactor *rd, const pii_package *in, const pii_output *out);
/** Verification of a workbook written by pii_workbook_write. Errors in rd->err. */
int pii_workbook_verify(piiscan_redactor *rd, const pii_package *original,
                        const pii_package *output);

#endif /* PIISCAN_REDACT_H */
