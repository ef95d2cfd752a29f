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

#endif /* PIISCAN_REDACT_H */
