/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * options.c - the mutable options builder. Values are checked when set, so a scanner is
 * never compiled from options out of range.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Large enough for any real order row; small enough that a runaway quote is caught early. */
#define DEFAULT_MAX_RECORD_BYTES (4u << 20)
#define MIN_RECORD_BYTES         4096u

int piiscan_options_new(piiscan_options **out)
{
    if (out == NULL)
        return PIISCAN_ERR_INVALID;
    piiscan_options *opt = calloc(1, sizeof *opt);
    if (opt == NULL)
        return PIISCAN_ERR_NOMEM;
    opt->types = PIISCAN_TYPES_ALL;
    opt->threshold = 0.5;
    opt->max_record_bytes = DEFAULT_MAX_RECORD_BYTES;
    opt->is_marker_honoured = true;
    *out = opt;
    return PIISCAN_OK;
}

void piiscan_options_free(piiscan_options *opt)
{
    free(opt);
}

int piiscan_options_set_types(piiscan_options *opt, unsigned types)
{
    if (opt == NULL || types == 0 || (types & ~PIISCAN_TYPES_ALL) != 0)
        return PIISCAN_ERR_INVALID;
    opt->types = types;
    return PIISCAN_OK;
}

int piiscan_options_set_threshold(piiscan_options *opt, double threshold)
{
    /* Written so that NaN fails too. */
    if (opt == NULL || !(threshold >= 0.0 && threshold <= 1.0))
        return PIISCAN_ERR_INVALID;
    opt->threshold = threshold;
    return PIISCAN_OK;
}

int piiscan_options_set_max_record_bytes(piiscan_options *opt, size_t bytes)
{
    /* Map entries are 32-bit offsets relative to the window start: 1 GiB leaves room. */
    if (opt == NULL || bytes < MIN_RECORD_BYTES || bytes > ((size_t)1 << 30))
        return PIISCAN_ERR_INVALID;
    opt->max_record_bytes = bytes;
    return PIISCAN_OK;
}

int piiscan_options_set_allow_marker(piiscan_options *opt, bool is_honoured)
{
    if (opt == NULL)
        return PIISCAN_ERR_INVALID;
    opt->is_marker_honoured = is_honoured;
    return PIISCAN_OK;
}

static const char *const type_names[] = {
    [PIISCAN_TYPE_NAME] = "name",
    [PIISCAN_TYPE_ADDRESS] = "address",
    [PIISCAN_TYPE_PHONE] = "phone",
    [PIISCAN_TYPE_EMAIL] = "email",
    [PIISCAN_TYPE_POSTAL_CODE] = "postal_code",
    [PIISCAN_TYPE_MY_NUMBER] = "my_number",
    [PIISCAN_TYPE_CREDIT_CARD] = "credit_card",
};

const char *piiscan_type_name(piiscan_type type)
{
    if ((unsigned)type == 0 || (unsigned)type > PIISCAN_TYPE_MAX)
        return "unknown";
    return type_names[type];
}

int piiscan_type_from_name(const char *name, piiscan_type *out)
{
    if (name == NULL || out == NULL)
        return PIISCAN_ERR_INVALID;
    for (unsigned t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        if (strcmp(name, type_names[t]) == 0) {
            *out = (piiscan_type)t;
            return PIISCAN_OK;
        }
    }
    return PIISCAN_ERR_INVALID;
}
