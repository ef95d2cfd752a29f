/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fingerprint.c - keyed fingerprints of values: the same person's phone number, e-mail
 * address, name or address gives the same 16 bytes in every file, whatever its spelling, and
 * nobody without the site key can tell which value a fingerprint stands for, nor test guesses
 * (a phone number has about 10^10 values: an unkeyed hash of it is undone in minutes).
 *
 * fingerprint = BLAKE2b-128 (libsodium) keyed by the site key, personalised "piiscan-fp-v1",
 * over "TYPE:CANONICAL" (piiscan_type_name() and canonical.c). The personalisation keeps a
 * fingerprint apart from a redaction token made from the same key material (token.c hashes
 * under a key derived with another label). Leaves out: where the key comes from (the CLI's
 * key file) and what fingerprints are used for (linking, in the CLI).
 */
#include <sodium.h>
#include <string.h>

#include "internal.h"

/* crypto_generichash_blake2b_PERSONALBYTES (16), zero-padded. */
static const unsigned char personal[16] = "piiscan-fp-v1";

int piiscan_fingerprint(const unsigned char *key, size_t key_len, piiscan_type type,
                        const char *text, size_t len, unsigned char out[PIISCAN_FINGERPRINT_BYTES])
{
    if (key == NULL || key_len < PIISCAN_FINGERPRINT_KEY_MIN_BYTES ||
        key_len > PIISCAN_FINGERPRINT_KEY_MAX_BYTES || (text == NULL && len > 0) || out == NULL ||
        type < PIISCAN_TYPE_NAME || type > PIISCAN_TYPE_MAX)
        return PIISCAN_ERR_INVALID;
    if (sodium_init() < 0)
        return PIISCAN_ERR_INTERNAL;
    const char *name = piiscan_type_name(type);
    size_t name_len = strlen(name);
    pii_text scratch = {0};
    pii_bytes value = {0};
    int rc = pii_canonical(type, text != NULL ? text : "", len, &scratch, &value);
    if (rc == PIISCAN_OK && value.len == 0)
        rc = PIISCAN_ERR_INVALID; /* nothing of the value is left: it identifies no one */
    if (rc == PIISCAN_OK)
        rc = pii_bytes_reserve(&value, name_len + 1);
    if (rc != PIISCAN_OK)
        goto done;
    /* "TYPE:" before the value, in place: one hash call over one buffer. */
    memmove(value.data + name_len + 1, value.data, value.len);
    memcpy(value.data, name, name_len);
    value.data[name_len] = ':';
    value.len += name_len + 1;
    if (crypto_generichash_blake2b_salt_personal(out, PIISCAN_FINGERPRINT_BYTES, value.data,
                                                 value.len, key, key_len, NULL, personal) != 0)
        rc = PIISCAN_ERR_INTERNAL;
done:
    if (value.data != NULL)
        sodium_memzero(value.data, value.cap);
    if (scratch.data != NULL)
        sodium_memzero(scratch.data, scratch.cap);
    pii_text_free(&scratch);
    pii_bytes_free(&value);
    return rc;
}
