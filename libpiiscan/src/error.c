/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * error.c - status codes and their messages.
 * The table is indexed by -code with designated initialisers, so a code without a message
 * shows up as a NULL entry that the error test catches.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const messages[] = {
    [-PIISCAN_OK] = "success",
    [-PIISCAN_ERR_NOMEM] = "out of memory",
    [-PIISCAN_ERR_INVALID] = "invalid argument",
    [-PIISCAN_ERR_STATE] = "call out of order or on a failed stream",
    [-PIISCAN_ERR_IO] = "read error",
    [-PIISCAN_ERR_LIMIT] = "input exceeds a configured limit",
    [-PIISCAN_ERR_ABORTED] = "stopped by the finding callback",
    [-PIISCAN_ERR_ENCODING] = "unknown or unconvertible encoding",
    [-PIISCAN_ERR_FORMAT] = "malformed input",
    [-PIISCAN_ERR_UNSUPPORTED] = "unsupported kind of input",
    [-PIISCAN_ERR_INTERNAL] = "internal error",
    [-PIISCAN_ERR_VERIFY] = "redacted output did not verify",
};

const char *piiscan_strerror(int code)
{
    if (code > 0 || code < PIISCAN_ERR_MIN || messages[-code] == NULL)
        return "unknown error";
    return messages[-code];
}

int pii_error_set(piiscan_error *err, int code, uint64_t offset, uint64_t line, const char *fmt,
                  ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    err->offset = offset;
    err->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->text, sizeof err->text, fmt, ap);
    va_end(ap);
    return code;
}

void pii_error_clear(piiscan_error *err)
{
    if (err == NULL)
        return;
    err->code = PIISCAN_OK;
    err->offset = UINT64_MAX;
    err->line = 0;
    err->text[0] = '\0';
}
