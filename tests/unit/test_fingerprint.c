/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_fingerprint.c - keyed fingerprints: one canonical value gives one fingerprint under a
 * key, another key or value another one, and the construction is the one the header
 * documents (recomputed here with libsodium directly, so a change of it is caught).
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <string.h>

#include "internal.h"

static const unsigned char key[32] = "a site key of thirty-two bytes!";

static void fp(const unsigned char *k, size_t klen, piiscan_type type, const char *value,
               unsigned char out[PIISCAN_FINGERPRINT_BYTES])
{
    int rc = piiscan_fingerprint(k, klen, type, value, strlen(value), out);
    cr_assert_eq(rc, PIISCAN_OK, "fingerprint of \"%s\": %s", value, piiscan_strerror(rc));
}

Test(fingerprint, spellings_of_one_value_share_a_fingerprint)
{
    unsigned char a[PIISCAN_FINGERPRINT_BYTES];
    unsigned char b[PIISCAN_FINGERPRINT_BYTES];
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "03-1234-5678", a);
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "０３（１２３４）５６７８", b);
    cr_expect(memcmp(a, b, sizeof a) == 0, "full-width phone, same fingerprint");
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "+81 3 1234 5678", b);
    cr_expect(memcmp(a, b, sizeof a) == 0, "+81 phone, same fingerprint");
    fp(key, sizeof key, PIISCAN_TYPE_ADDRESS, "東京都港区六本木一丁目二番三号", a);
    fp(key, sizeof key, PIISCAN_TYPE_ADDRESS, "港区六本木1-2-3", b);
    cr_expect(memcmp(a, b, sizeof a) == 0, "kanji numerals and hyphens, same fingerprint");
}

Test(fingerprint, another_key_value_or_type_gives_another_fingerprint)
{
    unsigned char a[PIISCAN_FINGERPRINT_BYTES];
    unsigned char b[PIISCAN_FINGERPRINT_BYTES];
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "090-1234-5678", a);
    unsigned char other[sizeof key];
    memcpy(other, key, sizeof key);
    other[5] ^= 1;
    fp(other, sizeof other, PIISCAN_TYPE_PHONE, "090-1234-5678", b);
    cr_expect(memcmp(a, b, sizeof a) != 0, "another site key, another fingerprint");
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "090-1234-5679", b);
    cr_expect(memcmp(a, b, sizeof a) != 0, "another number, another fingerprint");
    fp(key, sizeof key, PIISCAN_TYPE_MY_NUMBER, "09012345678", b);
    cr_expect(memcmp(a, b, sizeof a) != 0, "the same digits as another type");
}

Test(fingerprint, construction_is_personalised_keyed_blake2b_over_type_and_canonical_value)
{
    unsigned char want[16];
    unsigned char personal[16] = "piiscan-fp-v1";
    const char msg[] = "phone:09012345678";
    cr_assert_eq(sodium_init() < 0, 0);
    crypto_generichash_blake2b_salt_personal(want, sizeof want, (const unsigned char *)msg,
                                             strlen(msg), key, sizeof key, NULL, personal);
    unsigned char got[PIISCAN_FINGERPRINT_BYTES];
    fp(key, sizeof key, PIISCAN_TYPE_PHONE, "+81-90-1234-5678", got);
    cr_expect(memcmp(got, want, sizeof want) == 0, "the documented construction");
    /* An unkeyed hash of the same message is not it: without the key nothing can be tested. */
    unsigned char plain[16];
    crypto_generichash(plain, sizeof plain, (const unsigned char *)msg, strlen(msg), NULL, 0);
    cr_expect(memcmp(got, plain, sizeof plain) != 0, "the key takes part");
}

Test(fingerprint, bad_keys_and_empty_values_are_refused)
{
    unsigned char out[PIISCAN_FINGERPRINT_BYTES];
    cr_expect_eq(piiscan_fingerprint(key, 15, PIISCAN_TYPE_PHONE, "0312345678", 10, out),
                 PIISCAN_ERR_INVALID, "a key shorter than 16 bytes");
    unsigned char long_key[65] = {0};
    cr_expect_eq(
        piiscan_fingerprint(long_key, sizeof long_key, PIISCAN_TYPE_PHONE, "0312345678", 10, out),
        PIISCAN_ERR_INVALID, "a key longer than 64 bytes");
    cr_expect_eq(piiscan_fingerprint(NULL, 32, PIISCAN_TYPE_PHONE, "0312345678", 10, out),
                 PIISCAN_ERR_INVALID, "no key");
    cr_expect_eq(piiscan_fingerprint(key, sizeof key, PIISCAN_TYPE_NAME, " 　", 4, out),
                 PIISCAN_ERR_INVALID, "spaces alone identify no one");
    cr_expect_eq(piiscan_fingerprint(key, sizeof key, PIISCAN_TYPE_PHONE, "-", 1, out),
                 PIISCAN_ERR_INVALID, "a phone without digits");
}
