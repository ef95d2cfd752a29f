/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_redact.c - the redaction round trip. Property checked on every input, in each mask
 * style: an input that scans can be redacted, the output passes the library's own
 * verification on its bytes (every byte outside the findings unchanged; the new scan may
 * object, see below), its length is what the stats say, and no input crashes, leaks or trips
 * a sanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "piiscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const piiscan_mask masks[] = {PIISCAN_MASK_FULL, PIISCAN_MASK_PARTIAL,
                                         PIISCAN_MASK_TOKEN};
    for (size_t m = 0; m < sizeof masks / sizeof masks[0]; m++) {
        piiscan_redactor *rd = fuzz_redactor(masks[m]);
        if (piiscan_redactor_scan_buffer(rd, data, size, NULL) != PIISCAN_OK)
            return 0; /* not scannable (a limit, a broken package): nothing to redact */
        struct fuzz_output o = {0};
        int wrc = piiscan_redactor_write_buffer(rd, data, size, fuzz_put, &o);
        if (wrc != PIISCAN_OK) {
            /* Only a workbook may be refused, for what fuzz_xlsx lists. */
            if (piiscan_redactor_stats(rd)->format != PIISCAN_FORMAT_XLSX ||
                (wrc != PIISCAN_ERR_UNSUPPORTED && wrc != PIISCAN_ERR_LIMIT))
                abort();
            free(o.data);
            continue;
        }
        if (piiscan_redactor_stats(rd)->bytes_out != o.len)
            abort();
        /* The bytes outside the findings must always compare equal. A new scan of the
         * output may still object, and then the caller keeps the original: a replacement
         * right after a broken CP932/EUC-JP lead byte pairs with it, or masking one of two
         * overlapping candidates lets the other win the new scan. Line ends are kept inside
         * every replacement, so the lines always stay as they were. */
        int rc = piiscan_redactor_verify_buffer(rd, data, size, o.data, o.len);
        const char *why = piiscan_redactor_error(rd)->text;
        if (rc != PIISCAN_OK &&
            (rc != PIISCAN_ERR_VERIFY ||
             (strstr(why, "still reads as") == NULL && strstr(why, "the output has") == NULL &&
              strstr(why, "does not scan") == NULL) ||
             strstr(why, "lines where the input has") != NULL)) {
            fprintf(stderr, "mask %d: %s\n", (int)masks[m], why);
            abort();
        }
        free(o.data);
    }
    return 0;
}
