/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * token.c - keyed pseudonyms: the same value gives the same token in every file and every
 * encoding, and nobody without the key can tell which value a token stands for.
 *
 * token = TAG "_" 16 letters, the first 64 bits of keyed BLAKE2b (libsodium's
 * crypto_generichash) over "type:canonical value" (canonical.c: the same person gives the
 * same token whatever the spelling, so redacted exports still join), four bits a letter. A
 * token holds no digit, so a later scan never reads one as a phone number or postal code,
 * and no character that a delimiter, quote or formula could be made of. Nor does it hold a
 * word that the column headers or context keywords of dict/ know (phone, mail, postal, card, tel,
 * zip, name ...): the tags are such abbreviations and the letters are consonants without c, v, x,
 * y, z, so a token cannot make a header of a data row or a keyword for a value beside it.
 * Leaves out: where tokens go (redact.c). 64 bits keep accidental collisions unlikely below
 * a few hundred million distinct values.
 */
#include <sodium.h>
#include <string.h>

#include "redact.h"

#define TOKEN_HASH_BYTES   16 /* crypto_generichash_BYTES_MIN; the first 8 are used */
#define TOKEN_BODY_LETTERS 16

/* Sixteen consonants: no dictionary term is spelt with these alone (jcb and cvv need c). */
static const char letters[] = "bdfghjklmnpqrstw";

/* Separates piiscan's key derivation from any other use of the same key material. */
static const unsigned char key_label[] = "piiscan token key v1";

int pii_token_init(void)
{
    return sodium_init() < 0 ? PIISCAN_ERR_INTERNAL : PIISCAN_OK;
}

void pii_token_key(const unsigned char *material, size_t len,
                   unsigned char key[PII_TOKEN_KEY_BYTES])
{
    crypto_generichash(key, PII_TOKEN_KEY_BYTES, material, len, key_label, sizeof key_label - 1);
}

static const char *tag(piiscan_type type)
{
    switch (type) {
    case PIISCAN_TYPE_NAME:
        return "NM";
    case PIISCAN_TYPE_ADDRESS:
        return "ADR";
    case PIISCAN_TYPE_PHONE:
        return "PHN";
    case PIISCAN_TYPE_EMAIL:
        return "EML";
    case PIISCAN_TYPE_POSTAL_CODE:
        return "PSTL";
    case PIISCAN_TYPE_MY_NUMBER:
        return "MNB";
    case PIISCAN_TYPE_CREDIT_CARD:
        return "CRD";
    default:
        return "PRS";
    }
}

size_t pii_token_text(const unsigned char key[PII_TOKEN_KEY_BYTES], piiscan_type type,
                      const unsigned char *v, size_t n, char *out)
{
    const char *name = piiscan_type_name(type);
    unsigned char hash[TOKEN_HASH_BYTES];
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, PII_TOKEN_KEY_BYTES, sizeof hash);
    crypto_generichash_update(&state, (const unsigned char *)name, strlen(name));
    crypto_generichash_update(&state, (const unsigned char *)":", 1);
    crypto_generichash_update(&state, v, n);
    crypto_generichash_final(&state, hash, sizeof hash);
    const char *t = tag(type);
    size_t len = strlen(t);
    memcpy(out, t, len);
    out[len++] = '_';
    for (size_t i = 0; i < TOKEN_BODY_LETTERS / 2; i++) {
        out[len++] = letters[hash[i] >> 4];
        out[len++] = letters[hash[i] & 0x0F];
    }
    sodium_memzero(&state, sizeof state);
    return len;
}

int pii_ascii_encode(piiscan_encoding enc, const char *text, size_t n, pii_bytes *out)
{
    if (enc != PIISCAN_ENCODING_UTF16LE && enc != PIISCAN_ENCODING_UTF16BE)
        return pii_bytes_put(out, text, n); /* ASCII is itself in UTF-8, CP932 and EUC-JP */
    int rc = pii_bytes_reserve(out, 2 * n);
    if (rc != PIISCAN_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        unsigned char *p = out->data + out->len;
        p[enc == PIISCAN_ENCODING_UTF16LE ? 0 : 1] = (unsigned char)text[i];
        p[enc == PIISCAN_ENCODING_UTF16LE ? 1 : 0] = 0;
        out->len += 2;
    }
    return PIISCAN_OK;
}
