/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * option_values.c - the values of the options that several commands share: the scanner's
 * (--types, --min-confidence, --encoding, --max-record-bytes), which scan, redact and people
 * take alike, and -j. Parsed in one place, so that every command takes the same values and
 * refuses a bad one with the same message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int parse_types(const char *arg, piiscan_options *opt)
{
    unsigned types = 0;
    const char *p = arg;
    for (;;) {
        size_t len = strcspn(p, ",");
        char name[32];
        piiscan_type type;
        if (len == 0) {
            cli_message(NULL, "--types: empty type name in '%s'", arg);
            return -1;
        }
        if (len >= sizeof name) {
            cli_message(NULL, "--types: unknown type '%.*s'", (int)len, p);
            return -1;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (piiscan_type_from_name(name, &type) != PIISCAN_OK) {
            cli_message(NULL,
                        "--types: unknown type '%s' (expected name, address, phone, email, "
                        "postal_code, my_number or credit_card)",
                        name);
            return -1;
        }
        types |= PIISCAN_TYPE_BIT(type);
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    if (piiscan_options_set_types(opt, types) != PIISCAN_OK) {
        cli_message(NULL, "--types: '%s' is not a usable set of types", arg);
        return -1;
    }
    return 0;
}

static int parse_confidence(const char *arg, piiscan_options *opt)
{
    char *end;
    errno = 0;
    double x = strtod(arg, &end);
    if (end == arg || *end != '\0' || errno != 0 || !isfinite(x) || x < 0.0 || x > 1.0 ||
        piiscan_options_set_threshold(opt, x) != PIISCAN_OK) {
        cli_message(NULL, "--min-confidence: '%s' is not a number from 0 to 1", arg);
        return -1;
    }
    return 0;
}

static int parse_encoding(const char *arg, piiscan_encoding *out)
{
    if (piiscan_encoding_from_name(arg, out) != PIISCAN_OK) {
        cli_message(NULL,
                    "--encoding: unknown encoding '%s' (expected UTF-8, CP932, EUC-JP, "
                    "UTF-16LE or UTF-16BE)",
                    arg);
        return -1;
    }
    return 0;
}

/* A byte count with an optional binary suffix (65536, 64K, 4M, 1G), as walk_parse_size reads
 * --max-filesize. */
static int parse_record_bytes(const char *arg, piiscan_options *opt)
{
    uint64_t n;
    if (walk_parse_size(arg, &n) != 0) {
        cli_message(NULL, "--max-record-bytes: '%s' is not a size in bytes", arg);
        return -1;
    }
    /* The library keeps offsets in a record as 32-bit numbers: it refuses more than 1G. */
    if (n > SIZE_MAX || piiscan_options_set_max_record_bytes(opt, (size_t)n) != PIISCAN_OK) {
        cli_message(NULL, "--max-record-bytes: '%s' is out of range (4096 bytes to 1G)", arg);
        return -1;
    }
    return 0;
}

int scanner_option_parse(struct scanner_option_values *v, piiscan_options *opt, int c,
                         const char *arg)
{
    switch (c) {
    case SCANNER_OPT_TYPES:
        v->types = arg;
        return parse_types(arg, opt);
    case SCANNER_OPT_MIN_CONFIDENCE:
        v->min_confidence = arg;
        return parse_confidence(arg, opt);
    case SCANNER_OPT_ENCODING:
        return parse_encoding(arg, &v->encoding);
    case SCANNER_OPT_MAX_RECORD_BYTES:
        v->max_record_bytes = arg;
        return parse_record_bytes(arg, opt);
    default:
        cli_message(NULL, "option code %d is not one of the scanner's", c);
        return -1;
    }
}

int parse_jobs(const char *arg, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(arg, &end, 10);
    if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || n < 1 || n > 256) {
        cli_message(NULL, "--jobs: '%s' is not a number of workers from 1 to 256", arg);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}
