/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * dict.c - look-ups in the tables that dict/compile.sh generates (dict_data.c).
 *
 * The tables are sorted const arrays built into the library, so a look-up is a binary search
 * with no set-up, no allocation and nothing to lock. What a hit means is for the detectors to
 * weigh: a postal code that exists or an area code that fits is evidence, not proof.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Japanese area codes, with their 0, are 2 to 5 digits long (03, 011, 0467, 01564). */
#define AREA_CODE_MIN_DIGITS 2
#define AREA_CODE_MAX_DIGITS 5

static int compare_postal(const void *key, const void *elem)
{
    uint32_t a = *(const uint32_t *)key;
    uint32_t b = *(const uint32_t *)elem;
    return (a > b) - (a < b);
}

bool pii_postal_code_exists(uint32_t code)
{
    return bsearch(&code, pii_postal_codes, pii_postal_codes_count, sizeof pii_postal_codes[0],
                   compare_postal) != NULL;
}

static int compare_area(const void *key, const void *elem)
{
    return strcmp(key, ((const struct pii_area_code *)elem)->code);
}

/* Area codes nest (015 < 0156 < 01564), so the longest one that fits is the right one. The
 * table holds geographic codes only: mobile, IP and pager numbers (070/080/090, 050, 020) and
 * 0120/0570/0800 find nothing, but 060 fits Osaka's 06 and 0990 (premium rate) Kagoshima's
 * 099; a caller that cares checks the non-geographic prefixes first. */
const struct pii_area_code *pii_area_code_find(const char *digits, size_t n)
{
    char key[AREA_CODE_MAX_DIGITS + 1];
    size_t len = 0;
    while (len < n && len < AREA_CODE_MAX_DIGITS && digits[len] >= '0' && digits[len] <= '9')
        len++;
    for (; len >= AREA_CODE_MIN_DIGITS; len--) {
        memcpy(key, digits, len);
        key[len] = '\0';
        const struct pii_area_code *a = bsearch(key, pii_area_codes, pii_area_codes_count,
                                                sizeof pii_area_codes[0], compare_area);
        if (a != NULL)
            return a;
    }
    return NULL;
}
