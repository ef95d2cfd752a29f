/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * line.c - JSON pieces built in a buffer (line.h), and the finding object that jsonl and
 * json share. Numbers and ASCII strings are copied straight into the buffer; anything that
 * needs escaping or UTF-8 validation goes through json_write_string, the one place that
 * knows the rules.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "line.h"

void line_flush(struct line *ln)
{
    if (ln->len > 0)
        fwrite(ln->buf, 1, ln->len, ln->fp);
    ln->len = 0;
}

void line_put_slow(struct line *ln, const char *s, size_t n)
{
    line_flush(ln);
    if (n > LINE_BYTES) {
        fwrite(s, 1, n, ln->fp);
        return;
    }
    memcpy(ln->buf, s, n);
    ln->len = n;
}

static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

/* Writes v in decimal at o (20 bytes of room) and returns the end: two digits at a time from
 * the right, as offsets have eight or nine digits and a copy of a variable length would be a
 * call. The digits are counted by comparison, which is cheaper than the divisions that make
 * them, and a number that fits in 32 bits, as nearly all do, is divided in 32 bits. */
static char *put_u64_at(char *o, uint64_t v)
{
    size_t n = 1;
    for (uint64_t power = 10; n < 20 && v >= power; power *= 10)
        n++;
    char *end = o + n;
    char *at = end;
    while (v > UINT32_MAX) {
        unsigned pair = (unsigned)(v % 100);
        v /= 100;
        at -= 2;
        memcpy(at, digit_pairs + 2 * pair, 2);
    }
    uint32_t w = (uint32_t)v;
    while (w >= 100) {
        unsigned pair = w % 100;
        w /= 100;
        at -= 2;
        memcpy(at, digit_pairs + 2 * pair, 2);
    }
    if (w >= 10) {
        at -= 2;
        memcpy(at, digit_pairs + 2 * w, 2);
    } else {
        at[-1] = (char)('0' + w);
    }
    return end;
}

void line_put_u64(struct line *ln, uint64_t v)
{
    if (LINE_BYTES - ln->len < 20)
        line_flush(ln);
    ln->len = (size_t)(put_u64_at(ln->buf + ln->len, v) - ln->buf);
}

/* Escaped straight into the line (json.c's rules), flushed when it fills up: a masked name
 * or address is UTF-8, and a stdio call per character cost more than the rest of the line. */
void line_put_string(struct line *ln, const char *s, size_t n)
{
    if (LINE_BYTES - ln->len < JSON_ESCAPE_MAX + 2)
        line_flush(ln);
    ln->buf[ln->len++] = '"';
    for (;;) {
        size_t used;
        /* One byte of room stays for the closing quote. */
        ln->len += json_escape(ln->buf + ln->len, LINE_BYTES - ln->len - 1, s, n, &used);
        s += used;
        n -= used;
        if (n == 0)
            break;
        line_flush(ln);
    }
    ln->buf[ln->len++] = '"';
}

void line_put_member(struct line *ln, const char *key, const char *s)
{
    LINE_PUT_LITERAL(ln, ",\"");
    line_put(ln, key, strlen(key));
    LINE_PUT_LITERAL(ln, "\":");
    line_put_string(ln, s, strlen(s));
}

/* What printf's "%.2f" writes, without printf's cost, at o (HUNDREDTHS_BYTES of room); returns
 * the end. The double is taken apart into an integer mantissa and a power of two so that the
 * hundredths are rounded exactly as glibc rounds them (to nearest, ties to even, on the exact
 * binary value). Values outside the confidence range, which never occur, are left to printf. */
#define HUNDREDTHS_BYTES 64
static char *put_hundredths_at(char *o, double x)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    unsigned exp = (unsigned)(bits >> 52) & 0x7FF;
    uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
    if ((bits >> 63) != 0 || !(x < 1000.0)) {
        /* Negative, huge, infinite or NaN: not a confidence; keep printf's form. */
        int n = snprintf(o, HUNDREDTHS_BYTES, "%.2f", x);
        return o + (n <= 0 ? 0 : n < HUNDREDTHS_BYTES ? n : HUNDREDTHS_BYTES - 1);
    }
    /* x = mant * 2^-shift exactly, with mant < 2^53 (so mant * 100 < 2^60 fits) and, as
     * x < 1000 < 2^10, shift > 42. */
    unsigned shift;
    if (exp == 0) {
        shift = 1074;
    } else {
        mant |= UINT64_C(1) << 52;
        shift = 1075 - exp;
    }
    uint64_t hundredths = 0;
    if (shift < 64) {
        uint64_t scaled = mant * 100;
        hundredths = scaled >> shift;
        uint64_t rest = scaled & ((UINT64_C(1) << shift) - 1);
        uint64_t half = UINT64_C(1) << (shift - 1);
        if (rest > half || (rest == half && (hundredths & 1) != 0))
            hundredths++;
    }
    /* With shift >= 64, x * 100 < 2^60 / 2^64: it rounds to 0.00. */
    o = put_u64_at(o, hundredths / 100);
    o[0] = '.';
    o[1] = (char)('0' + hundredths / 10 % 10);
    o[2] = (char)('0' + hundredths % 10);
    return o + 3;
}

void line_put_hundredths(struct line *ln, double x)
{
    if (LINE_BYTES - ln->len < HUNDREDTHS_BYTES)
        line_flush(ln);
    ln->len = (size_t)(put_hundredths_at(ln->buf + ln->len, x) - ln->buf);
}

/* Copies a string literal to o and returns the end. */
#define PUT_LITERAL_AT(o, lit) ((char *)memcpy((o), (lit), sizeof(lit) - 1) + sizeof(lit) - 1)
/* Room for the numbers of a finding: four of 20 digits, the confidence and their keys. */
#define NUMBERS_BYTES (4 * (20 + 16) + HUNDREDTHS_BYTES + 16)

void line_put_finding(struct line *ln, const struct output_finding *of)
{
    LINE_PUT_LITERAL(ln, "{\"path\":");
    line_put_string(ln, of->path, strlen(of->path));
    line_put_finding_rest(ln, of);
}

void line_put_finding_rest(struct line *ln, const struct output_finding *of)
{
    line_put_finding_rest_cached(ln, of, NULL);
}

/* Appends ,"key":"value" from the cache, where it is made on first use; a value whose JSON
 * does not fit in a slot, or no cache, is written the usual way. key is short ASCII. */
static void put_cached_member(struct line *ln, struct line_cache *cache, const char *key,
                              const char *value)
{
    if (cache != NULL) {
        size_t h = (((uintptr_t)value >> 3) + ((uintptr_t)key >> 3)) % LINE_CACHE_SLOTS;
        if (cache->slot[h].value == value && cache->slot[h].key == key) {
            /* The whole slot is copied: a copy of a fixed size is a few moves, not a call. */
            if (LINE_BYTES - ln->len < LINE_MEMBER_BYTES)
                line_flush(ln);
            memcpy(ln->buf + ln->len, cache->slot[h].json, LINE_MEMBER_BYTES);
            ln->len += cache->slot[h].len;
            return;
        }
        size_t klen = strlen(key);
        size_t vlen = strlen(value);
        char o[LINE_MEMBER_BYTES];
        if (klen + vlen + 6 <= LINE_MEMBER_BYTES) { /* ,"key":"value" unescaped fits */
            size_t n = 0;
            memcpy(o, ",\"", 2);
            n += 2;
            memcpy(o + n, key, klen);
            n += klen;
            memcpy(o + n, "\":\"", 3);
            n += 3;
            size_t used;
            n += json_escape(o + n, LINE_MEMBER_BYTES - n - 1, value, vlen, &used);
            o[n++] = '"';
            if (used == vlen) { /* else the escapes did not fit */
                memcpy(cache->slot[h].json, o, n);
                cache->slot[h].key = key;
                cache->slot[h].value = value;
                cache->slot[h].len = (unsigned char)n;
                line_put(ln, o, n);
                return;
            }
        }
    }
    line_put_member(ln, key, value);
}

void line_put_finding_rest_cached(struct line *ln, const struct output_finding *of,
                                  struct line_cache *cache)
{
    put_cached_member(ln, cache, "type", piiscan_type_name(of->type));
    if (of->sheet != NULL) {
        line_put_member(ln, "sheet", of->sheet);
        line_put_member(ln, "cell", of->cell != NULL ? of->cell : "");
    }
    /* The numbers are written through a cursor of their own, with room made once: a store
     * through the line's char buffer may alias its length, which would be read again after
     * each of them. */
    if (LINE_BYTES - ln->len < NUMBERS_BYTES)
        line_flush(ln);
    char *o = ln->buf + ln->len;
    o = PUT_LITERAL_AT(o, ",\"start\":");
    o = put_u64_at(o, of->start);
    o = PUT_LITERAL_AT(o, ",\"end\":");
    o = put_u64_at(o, of->end);
    if (of->sheet == NULL) {
        o = PUT_LITERAL_AT(o, ",\"line\":");
        o = put_u64_at(o, of->line);
        if (of->field > 0) {
            o = PUT_LITERAL_AT(o, ",\"field\":");
            o = put_u64_at(o, of->field);
        }
    }
    o = PUT_LITERAL_AT(o, ",\"confidence\":");
    o = put_hundredths_at(o, of->confidence);
    ln->len = (size_t)(o - ln->buf);
    put_cached_member(ln, cache, "detector", of->detector != NULL ? of->detector : "");
    if (of->is_masked_plain) {
        LINE_PUT_LITERAL(ln, ",\"masked\":\"");
        line_put(ln, of->masked, of->masked_len != 0 ? of->masked_len : strlen(of->masked));
        LINE_PUT_LITERAL(ln, "\"");
    } else {
        line_put_member(ln, "masked", of->masked);
    }
    if (of->value != NULL) {
        LINE_PUT_LITERAL(ln, ",\"value\":");
        line_put_string(ln, of->value, of->value_len);
    }
    if (of->fingerprint != NULL)
        line_put_member(ln, "fingerprint", of->fingerprint);
    LINE_PUT_LITERAL(ln, "}");
}
