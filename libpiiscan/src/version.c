/* SPDX-License-Identifier: BSD-3-Clause */
/* version.c - the version of the library linked at run time (compare with the header's). */
#include "internal.h"

#define STR_(x) #x
#define STR(x)  STR_(x)

unsigned piiscan_version_number(void)
{
    return PIISCAN_VERSION_NUMBER;
}

const char *piiscan_version_string(void)
{
    return STR(PIISCAN_VERSION_MAJOR) "." STR(PIISCAN_VERSION_MINOR) "." STR(PIISCAN_VERSION_PATCH);
}
