/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * link.c - record linking by union-find over fingerprint prefixes, in memory that grows with
 * the records and never with the values: a record is a 4-byte parent; an identifier is a slot
 * of an open-addressing table (8-byte key, 4-byte first record, 2-byte name count) kept at
 * most half full; each strong identifier of a record is a 12-byte edge until the end, since
 * whether it links (it is no shared number) is known only when every name it came with has
 * been seen. Distinct (identifier, name) pairs are counted in a set of 8-byte hashes.
 * Leaves out: what a record is and where values come from (cmd_people.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>

#include "link.h"

/* A table of 64-bit keys (0 = empty slot) with a first record and a name count each. */
struct table {
    uint64_t *key;
    uint32_t *first;
    uint16_t *names;
    size_t cap; /* a power of two */
    size_t len;
    bool has_values;
};

struct linker {
    uint32_t *parent;
    uint32_t nrecords;
    uint32_t cap_records;
    struct table ids;   /* identifiers: strong ones and name-with-address pairs */
    struct table pairs; /* (strong identifier, name) pairs seen, for the name counts */
    uint64_t *edge_key; /* strong identifiers of records, linked at the end */
    uint32_t *edge_id;
    size_t nedges;
    size_t cap_edges;
    bool is_finished;
};

/* splitmix64's finaliser: combinations of keys spread over the table like the keys do. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9u;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebu;
    x ^= x >> 31;
    return x != 0 ? x : 1; /* 0 marks an empty slot */
}

static uint64_t combine(uint64_t a, uint64_t b, uint64_t tag)
{
    return mix(mix(a ^ tag) + b);
}

static void table_free(struct table *t)
{
    free(t->key);
    free(t->first);
    free(t->names);
    memset(t, 0, sizeof *t);
}

static int table_init(struct table *t, size_t cap, bool has_values)
{
    t->key = calloc(cap, sizeof *t->key);
    t->first = has_values ? calloc(cap, sizeof *t->first) : NULL;
    t->names = has_values ? calloc(cap, sizeof *t->names) : NULL;
    t->cap = cap;
    t->len = 0;
    t->has_values = has_values;
    if (t->key == NULL || (has_values && (t->first == NULL || t->names == NULL))) {
        table_free(t);
        return -1;
    }
    return 0;
}

static size_t table_slot(const struct table *t, uint64_t key)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)key & mask;
    while (t->key[i] != 0 && t->key[i] != key)
        i = (i + 1) & mask;
    return i;
}

static int table_grow(struct table *t)
{
    struct table bigger;
    if (table_init(&bigger, t->cap * 2, t->has_values) != 0)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        if (t->key[i] == 0)
            continue;
        size_t j = table_slot(&bigger, t->key[i]);
        bigger.key[j] = t->key[i];
        if (t->has_values) {
            bigger.first[j] = t->first[i];
            bigger.names[j] = t->names[i];
        }
    }
    bigger.len = t->len;
    table_free(t);
    *t = bigger;
    return 0;
}

/* The slot of key, added when new (*is_new). -1 when out of memory. */
static int table_put(struct table *t, uint64_t key, size_t *slot, bool *is_new)
{
    if (2 * (t->len + 1) > t->cap && table_grow(t) != 0)
        return -1;
    size_t i = table_slot(t, key);
    *is_new = t->key[i] == 0;
    if (*is_new) {
        t->key[i] = key;
        t->len++;
    }
    *slot = i;
    return 0;
}

struct linker *linker_new(void)
{
    struct linker *lk = calloc(1, sizeof *lk);
    if (lk == NULL)
        return NULL;
    if (table_init(&lk->ids, 1024, true) != 0 || table_init(&lk->pairs, 1024, false) != 0) {
        linker_free(lk);
        return NULL;
    }
    return lk;
}

void linker_free(struct linker *lk)
{
    if (lk == NULL)
        return;
    free(lk->parent);
    table_free(&lk->ids);
    table_free(&lk->pairs);
    free(lk->edge_key);
    free(lk->edge_id);
    free(lk);
}

uint32_t linker_find(struct linker *lk, uint32_t id)
{
    uint32_t *p = lk->parent;
    while (p[id] != id) {
        p[id] = p[p[id]]; /* path halving */
        id = p[id];
    }
    return id;
}

static void unite(struct linker *lk, uint32_t a, uint32_t b)
{
    a = linker_find(lk, a);
    b = linker_find(lk, b);
    /* The older record stays the root: a person is named by its first mention. */
    if (a < b)
        lk->parent[b] = a;
    else if (b < a)
        lk->parent[a] = b;
}

static int add_edge(struct linker *lk, uint64_t key, uint32_t id)
{
    if (lk->nedges == lk->cap_edges) {
        size_t cap = lk->cap_edges < 1024 ? 1024 : lk->cap_edges * 2;
        uint64_t *k = realloc(lk->edge_key, cap * sizeof *k);
        if (k == NULL)
            return -1;
        lk->edge_key = k;
        uint32_t *v = realloc(lk->edge_id, cap * sizeof *v);
        if (v == NULL)
            return -1;
        lk->edge_id = v;
        lk->cap_edges = cap;
    }
    lk->edge_key[lk->nedges] = key;
    lk->edge_id[lk->nedges] = id;
    lk->nedges++;
    return 0;
}

/* A strong identifier of record id, with the record's name (0 if none) counted. */
static int add_strong(struct linker *lk, uint64_t key, uint64_t name, uint32_t id)
{
    size_t slot;
    bool is_new;
    if (table_put(&lk->ids, key, &slot, &is_new) != 0)
        return -1;
    if (is_new)
        lk->ids.first[slot] = id;
    if (name != 0) {
        size_t pslot;
        bool is_new_pair;
        if (table_put(&lk->pairs, combine(key, name, 0x70616972), &pslot, &is_new_pair) != 0)
            return -1;
        if (is_new_pair && lk->ids.names[slot] < UINT16_MAX)
            lk->ids.names[slot]++;
    }
    return add_edge(lk, key, id);
}

/* A name-with-address identifier: linked at once, it is never shared by different people
 * but by namesakes in one building, whose rooms the canonical address keeps apart. */
static int add_pair(struct linker *lk, uint64_t key, uint32_t id)
{
    size_t slot;
    bool is_new;
    if (table_put(&lk->ids, key, &slot, &is_new) != 0)
        return -1;
    if (is_new)
        lk->ids.first[slot] = id;
    else
        unite(lk, id, lk->ids.first[slot]);
    return 0;
}

int linker_add(struct linker *lk, const struct mention *m, uint32_t *id)
{
    uint64_t name = m->name != 0 ? m->name : m->reading;
    if (m->nstrong == 0 && name == 0)
        return 0;
    if (lk->nrecords == UINT32_MAX)
        return -1;
    if (lk->nrecords == lk->cap_records) {
        uint32_t cap = lk->cap_records < 1024 ? 1024 : lk->cap_records * 2;
        if (cap < lk->cap_records)
            cap = UINT32_MAX;
        uint32_t *p = realloc(lk->parent, (size_t)cap * sizeof *p);
        if (p == NULL)
            return -1;
        lk->parent = p;
        lk->cap_records = cap;
    }
    uint32_t me = lk->nrecords++;
    lk->parent[me] = me;
    for (size_t i = 0; i < m->nstrong && i < LINK_MAX_STRONG; i++) {
        if (m->strong[i] != 0 && add_strong(lk, m->strong[i], name, me) != 0)
            return -1;
    }
    if (m->address != 0) {
        if (m->name != 0 && add_pair(lk, combine(m->name, m->address, 0x6e616d65), me) != 0)
            return -1;
        if (m->reading != 0 && add_pair(lk, combine(m->reading, m->address, 0x6b616e61), me) != 0)
            return -1;
    }
    *id = me;
    return 1;
}

bool linker_is_shared(const struct linker *lk, uint64_t key)
{
    size_t slot = table_slot(&lk->ids, key);
    return lk->ids.key[slot] == key && lk->ids.names[slot] > LINK_SHARED_NAMES;
}

int linker_finish(struct linker *lk)
{
    for (size_t i = 0; i < lk->nedges; i++) {
        size_t slot = table_slot(&lk->ids, lk->edge_key[i]);
        if (lk->ids.names[slot] <= LINK_SHARED_NAMES)
            unite(lk, lk->edge_id[i], lk->ids.first[slot]);
    }
    free(lk->edge_key);
    free(lk->edge_id);
    lk->edge_key = NULL;
    lk->edge_id = NULL;
    lk->nedges = lk->cap_edges = 0;
    table_free(&lk->pairs); /* the counts are in ids now */
    lk->is_finished = true;
    return 0;
}

uint32_t linker_records(const struct linker *lk)
{
    return lk->nrecords;
}

uint32_t linker_people(struct linker *lk)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < lk->nrecords; i++)
        n += linker_find(lk, i) == i;
    return n;
}

size_t linker_bytes(const struct linker *lk)
{
    size_t id_slot = sizeof(uint64_t) + sizeof(uint32_t) + sizeof(uint16_t);
    return (size_t)lk->cap_records * sizeof(uint32_t) + lk->ids.cap * id_slot +
           lk->pairs.cap * sizeof(uint64_t) + lk->cap_edges * (sizeof(uint64_t) + 4);
}
