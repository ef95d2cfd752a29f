/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cfb.c - what an OLE2 compound file (CFB, [MS-CFB]) holds, told by its directory.
 *
 * Two kinds of workbook come in this container, and neither may pass as clean: a password-
 * protected xlsx (the zip, encrypted, in a stream named EncryptedPackage, [MS-OFFCRYPTO]
 * 2.3.4.4) and a legacy .xls (a stream named Workbook, or Book for Excel 5). The names are
 * read from the directory, whose sectors are followed through the FAT; nothing else of the
 * container is read. A directory that cannot be followed is reported, not guessed at.
 * Leaves out: reading .xls cells (libfreexl could), DIFAT sectors beyond the header's 109.
 */
#include <string.h>

#include "internal.h"

#define HEADER_BYTES       512
#define ENTRY_BYTES        128
#define HEADER_FAT_SECTORS 109
#define END_OF_CHAIN       0xFFFFFFFEu
/* Directory sectors followed at most: 4096 sectors of 4 KiB hold 131072 entries. */
#define MAX_DIRECTORY_SECTORS 4096

enum kind { KIND_OTHER, KIND_ENCRYPTED, KIND_XLS };

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Compares a directory entry's UTF-16LE name with an ASCII one; CFB names compare without
 * case ([MS-CFB] 2.6.4). */
static bool name_is(const unsigned char *entry, const char *ascii)
{
    size_t bytes = le16(entry + 0x40);
    size_t n = strlen(ascii);
    if (bytes != 2 * (n + 1))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned c = entry[2 * i];
        if (entry[2 * i + 1] != 0)
            return false;
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        unsigned a = (unsigned char)ascii[i];
        if (a >= 'a' && a <= 'z')
            a -= 'a' - 'A';
        if (c != a)
            return false;
    }
    return true;
}

static int damaged(piiscan_error *err, const char *why)
{
    return pii_error_set(err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                         "OLE2 container (legacy .xls or encrypted workbook?): cannot read "
                         "its directory: %s",
                         why);
}

int pii_cfb_classify(const pii_package *pkg, const char **skip_reason, piiscan_error *err)
{
    *skip_reason = NULL;
    unsigned char header[HEADER_BYTES];
    int64_t got = pii_package_read(pkg, 0, header, sizeof header);
    if (got < 0)
        return pii_error_set(err, PIISCAN_ERR_IO, UINT64_MAX, 0, "read error");
    if (got < (int64_t)sizeof header)
        return damaged(err, "truncated header");
    unsigned shift = le16(header + 0x1E);
    if (shift != 9 && shift != 12)
        return damaged(err, "bad sector size");
    size_t sector = (size_t)1 << shift;
    uint32_t per_fat_sector = (uint32_t)(sector / 4);
    uint32_t next = le32(header + 0x30);
    enum kind kind = KIND_OTHER;
    unsigned char buf[4096];
    for (unsigned count = 0; next != END_OF_CHAIN; count++) {
        if (count >= MAX_DIRECTORY_SECTORS)
            return damaged(err, "directory chain too long or looping");
        uint64_t at = ((uint64_t)next + 1) << shift;
        got = pii_package_read(pkg, at, buf, sector);
        if (got < 0)
            return pii_error_set(err, PIISCAN_ERR_IO, UINT64_MAX, 0, "read error");
        if ((size_t)got < sector)
            return damaged(err, "directory sector past the end");
        for (size_t e = 0; e + ENTRY_BYTES <= sector; e += ENTRY_BYTES) {
            const unsigned char *entry = buf + e;
            if (entry[0x42] != 2) /* a stream */
                continue;
            if (name_is(entry, "EncryptedPackage"))
                kind = KIND_ENCRYPTED;
            else if (kind == KIND_OTHER && (name_is(entry, "Workbook") || name_is(entry, "Book")))
                kind = KIND_XLS;
        }
        if (kind == KIND_ENCRYPTED)
            break;
        /* The next directory sector is the FAT's entry for this one. */
        uint32_t fat_index = next / per_fat_sector;
        if (fat_index >= HEADER_FAT_SECTORS)
            return damaged(err, "directory beyond the header's FAT sectors");
        uint32_t fat_sector = le32(header + 0x4C + 4 * fat_index);
        unsigned char entry[4];
        uint64_t fat_at = (((uint64_t)fat_sector + 1) << shift) + 4u * (next % per_fat_sector);
        if (pii_package_read(pkg, fat_at, entry, 4) != 4)
            return damaged(err, "FAT sector past the end");
        next = le32(entry);
    }
    if (kind == KIND_ENCRYPTED)
        return pii_error_set(err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                             "encrypted workbook: cannot scan");
    if (kind == KIND_XLS)
        return pii_error_set(err, PIISCAN_ERR_UNSUPPORTED, UINT64_MAX, 0,
                             "legacy .xls workbook: not supported");
    *skip_reason = "binary file (OLE2 container without a workbook)";
    return PIISCAN_OK;
}
