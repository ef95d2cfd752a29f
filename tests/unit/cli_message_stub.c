/* SPDX-License-Identifier: BSD-3-Clause */
/* cli_message_stub.c - cli_message() for the suites of CLI modules (cli_message_stub.h). */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "cli_message_stub.h"

char test_cli_message[512];

void cli_message(const char *path, const char *fmt, ...)
{
    int n = path != NULL ? snprintf(test_cli_message, sizeof test_cli_message, "%s: ", path) : 0;
    if (n < 0 || (size_t)n >= sizeof test_cli_message)
        n = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(test_cli_message + n, sizeof test_cli_message - (size_t)n, fmt, ap);
    va_end(ap);
}
