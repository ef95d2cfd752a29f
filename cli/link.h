/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link.h - record linking: mentions of people (the values of one record) become people by
 * union-find over the 64-bit prefixes of their fingerprints. Used by `piiscan people`.
 */
#ifndef PIISCAN_LINK_H
#define PIISCAN_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A strong identifier (phone, e-mail, My Number) seen with more distinct names than this is
 * no one person's: a shop's own number in every row of a carrier export, a company's
 * switchboard, a shared mailbox. A household's landline has a handful of names. */
#define LINK_SHARED_NAMES 8

/* Identifiers of one mention, as 64-bit fingerprint prefixes; 0 means none. */
#define LINK_MAX_STRONG 8
struct mention {
    uint64_t strong[LINK_MAX_STRONG]; /* phone, e-mail, My Number */
    size_t nstrong;
    uint64_t name;    /* the name as written in kanji (or romaji) */
    uint64_t reading; /* the name's kana reading */
    uint64_t address; /* the canonical address */
};

struct linker;

/** A new, empty linker, or NULL when out of memory. */
struct linker *linker_new(void);
void linker_free(struct linker *lk);

/** Adds a mention. It is a person's when it holds a strong identifier or a name; then *id is
 *  its record id (0, 1, 2 ... in the order added) and true is returned. A mention with
 *  neither (an address or postal code alone) is no one's: false, nothing kept. -1 when out
 *  of memory (then *id is not set). Links: a shared strong identifier, or the same name (or
 *  the same reading) together with the same address; never a name alone or an address alone. */
int linker_add(struct linker *lk, const struct mention *m, uint32_t *id);

/** Ends the adding: unites the records that share an identifier, except strong identifiers
 *  seen with more than LINK_SHARED_NAMES distinct names. 0, or -1 when out of memory. */
int linker_finish(struct linker *lk);

/** The person (a representative record id) of record id; after linker_finish. */
uint32_t linker_find(struct linker *lk, uint32_t id);
/** The records added, and the distinct people among them (after linker_finish). */
uint32_t linker_records(const struct linker *lk);
uint32_t linker_people(struct linker *lk);
/** Whether a strong identifier was left out of linking as shared (after linker_finish). */
bool linker_is_shared(const struct linker *lk, uint64_t key);
/** Bytes the linker holds now. */
size_t linker_bytes(const struct linker *lk);

#endif /* PIISCAN_LINK_H */
