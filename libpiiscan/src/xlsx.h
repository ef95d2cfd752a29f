/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * xlsx.h - what read_xlsx.c and redact_xlsx.c share inside libpiiscan/src; never installed.
 * The package opened as a zip over a pii_package (a file read in place, or a buffer), and the
 * rules that turn a cell's XML into the cell text findings count in, so that the redactor
 * rewrites exactly the text the reader scanned.
 */
#ifndef PIISCAN_XLSX_H
#define PIISCAN_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include <zip.h>

#include "internal.h"

/** The read half of a zip source over a package: libzip's commands OPEN, READ, CLOSE, STAT,
 *  ERROR, FREE, SEEK, TELL and SUPPORTS answered from pkg (pread on a descriptor, memcpy
 *  from a buffer). A source that also writes (redact_xlsx.c) hands these commands here. */
typedef struct pii_package_source {
    const pii_package *pkg;
    uint64_t pos;
    zip_error_t error;
} pii_package_source;

zip_int64_t pii_package_source_cmd(pii_package_source *s, void *data, zip_uint64_t len,
                                   zip_source_cmd_t cmd);

/** Opens a package as a zip, read-only, over src (which must outlive *out), and checks the
 *  limits on its number of parts and their total size. Errors go to *err:
 *  PIISCAN_ERR_FORMAT (not a zip, truncated), PIISCAN_ERR_LIMIT, PIISCAN_ERR_NOMEM. */
int pii_package_zip_open(const pii_package *pkg, pii_package_source *src, zip_t **out,
                         piiscan_error *err);

/** Room for `need` elements of `size` bytes in the array v of capacity *cap (counted in
 *  elements; doubled, from 16): returns the array, moved or not, with *cap updated; NULL when
 *  out of memory, v then still valid and *cap unchanged. */
void *pii_xlsx_grow(void *v, size_t *cap, size_t need, size_t size);

/** The local part of an element or attribute name ("x:c" -> "c"): parts are read without
 *  expat's namespace processing (see read_xlsx.c). */
const char *pii_xlsx_local_name(const char *name);

/** Why a part that declares a document type is refused, by the reader and the redactor
 *  alike: refusing it keeps entity expansion (the "billion laughs") out altogether. */
#define PII_XLSX_DOCTYPE_REFUSED "a document type declaration is not allowed in a package part"

/** Decodes ECMA-376's _xHHHH_ escapes of s[0..n) in place; returns the new length. */
size_t pii_xlsx_unescape(char *s, size_t n);

/** A number as Excel stores it ("9.012345678E9") written as a plain decimal ("9012345678")
 *  into out; returns its length, or 0 when s[0..n) is no such number. */
size_t pii_xlsx_plain_decimal(const char *s, size_t n, char *out, size_t cap);

#endif /* PIISCAN_XLSX_H */
