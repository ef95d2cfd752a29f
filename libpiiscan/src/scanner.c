/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * scanner.c - options + tables + patterns -> one compiled scanner.
 * Everything here is built once and never written again, which is what lets any number of
 * streams on any number of threads share one scanner without locks.
 */
#include <stdlib.h>

#include "internal.h"

static const struct pii_detector *const all_detectors[PII_DETECTOR_COUNT] = {
    &pii_detector_phone, &pii_detector_postal, &pii_detector_email,   &pii_detector_mynumber,
    &pii_detector_card,  &pii_detector_name,   &pii_detector_address,
};

int piiscan_scanner_new(const piiscan_options *opt, piiscan_scanner **out, piiscan_error *err)
{
    pii_error_clear(err);
    if (opt == NULL || out == NULL)
        return pii_error_set(err, PIISCAN_ERR_INVALID, UINT64_MAX, 0, "no options or no output");
    piiscan_scanner *sc = calloc(1, sizeof *sc);
    if (sc == NULL)
        return pii_error_set(err, PIISCAN_ERR_NOMEM, UINT64_MAX, 0, "out of memory");
    sc->opt = *opt;
    int rc = pii_codec_tables_new(&sc->tables, err);
    if (rc != PIISCAN_OK)
        goto fail;
    sc->needs_digit_or_at = true;
    for (size_t i = 0; i < PII_DETECTOR_COUNT; i++) {
        const struct pii_detector *d = all_detectors[i];
        if ((opt->types & PIISCAN_TYPE_BIT(d->type)) == 0)
            continue;
        rc = d->compile(&sc->state[sc->ndetectors], err);
        if (rc != PIISCAN_OK)
            goto fail;
        sc->detectors[sc->ndetectors++] = d;
        sc->needs_digit_or_at = sc->needs_digit_or_at && d->needs_digit_or_at;
    }
    *out = sc;
    return PIISCAN_OK;
fail:
    piiscan_scanner_free(sc);
    return rc;
}

void piiscan_scanner_free(piiscan_scanner *sc)
{
    if (sc == NULL)
        return;
    for (size_t i = 0; i < sc->ndetectors; i++)
        sc->detectors[i]->free(sc->state[i]);
    pii_codec_tables_free(sc->tables);
    free(sc);
}
