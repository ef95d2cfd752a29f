/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * trie_gen.c - compiles the keys printed by dict/trie_keys.sh into the character trie that
 * libpiiscan embeds (libpiiscan/src/trie.c walks it). Runs on the build machine.
 *
 * Input on stdin: "key <TAB> kinds <TAB> tier <TAB> reading" lines in any order; repeated keys
 * are merged (kinds OR-ed, the highest tier, readings joined by ','). Output on stdout: C
 * arrays for the "dict_trie.c" section of internal.h. Nodes are laid out breadth first, so
 * the children of a node are contiguous and sorted by code point: a look-up is a binary
 * search per character and the tables need no pointers. Deterministic: the same keys give
 * the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct key {
    char *text;
    unsigned kinds;
    unsigned tier;
    char *reading;
};

struct node {
    uint32_t label;
    uint32_t first; /* first child, during the build a linked list through `next` */
    uint32_t last;
    uint32_t next;
    uint32_t entry;  /* 1 + index of its key, 0 for none */
    uint32_t order;  /* breadth-first index */
    uint32_t nchild; /* set by the breadth-first pass */
};

static struct node *nodes;
static size_t nnodes;
static size_t capnodes;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d == NULL) {
        fprintf(stderr, "trie_gen: out of memory\n");
        exit(1);
    }
    return memcpy(d, s, n);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "trie_gen: out of memory\n");
        exit(1);
    }
    return q;
}

static uint32_t node_new(uint32_t label)
{
    if (nnodes == capnodes) {
        capnodes = capnodes ? capnodes * 2 : 1 << 16;
        nodes = xrealloc(nodes, capnodes * sizeof *nodes);
    }
    nodes[nnodes] = (struct node){.label = label};
    return (uint32_t)nnodes++;
}

/* One UTF-8 character of s; the keys are valid UTF-8 made by trie_keys.sh. */
static size_t utf8_get(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] < 0xE0 && s[1] != 0) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] < 0xF0 && s[1] != 0 && s[2] != 0) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (s[1] != 0 && s[2] != 0 && s[3] != 0) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    fprintf(stderr, "trie_gen: invalid UTF-8 in a key\n");
    exit(1);
}

static int by_text(const void *a, const void *b)
{
    const struct key *x = a;
    const struct key *y = b;
    int c = strcmp(x->text, y->text);
    if (c != 0)
        return c;
    return strcmp(x->reading, y->reading);
}

static int by_label(const void *a, const void *b)
{
    uint32_t x = nodes[*(const uint32_t *)a].label;
    uint32_t y = nodes[*(const uint32_t *)b].label;
    return x < y ? -1 : x > y;
}

static const struct key *sorted_keys;

static int by_reading(const void *a, const void *b)
{
    size_t x = *(const size_t *)a;
    size_t y = *(const size_t *)b;
    int c = strcmp(sorted_keys[x].reading, sorted_keys[y].reading);
    if (c != 0)
        return c;
    return x < y ? -1 : x > y;
}

/* Appends reading r to the comma-separated list *list unless it is there. */
static void add_reading(char **list, const char *r)
{
    if (r[0] == '\0')
        return;
    size_t n = strlen(*list);
    size_t rn = strlen(r);
    for (const char *p = *list; *p != '\0';) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == rn && memcmp(p, r, rn) == 0)
            return;
        p += len + (e != NULL);
    }
    *list = xrealloc(*list, n + rn + 2);
    if (n > 0)
        (*list)[n++] = ',';
    memcpy(*list + n, r, rn + 1);
}

int main(void)
{
    struct key *keys = NULL;
    size_t nkeys = 0;
    size_t capkeys = 0;
    char line[4096];
    size_t lineno = 0;
    while (fgets(line, sizeof line, stdin) != NULL) {
        lineno++;
        line[strcspn(line, "\n")] = '\0';
        char *f[4];
        char *p = line;
        for (int i = 0; i < 4; i++) {
            f[i] = p;
            p = strchr(p, '\t');
            if (p == NULL && i < 3) {
                fprintf(stderr, "trie_gen: line %zu: expected 4 fields\n", lineno);
                return 1;
            }
            if (p != NULL)
                *p++ = '\0';
        }
        if (f[0][0] == '\0')
            continue;
        if (nkeys == capkeys) {
            capkeys = capkeys ? capkeys * 2 : 1 << 16;
            keys = xrealloc(keys, capkeys * sizeof *keys);
        }
        keys[nkeys].text = xstrdup(f[0]);
        keys[nkeys].reading = xstrdup(f[3]);
        keys[nkeys].kinds = (unsigned)strtoul(f[1], NULL, 10);
        keys[nkeys].tier = (unsigned)strtoul(f[2], NULL, 10);
        nkeys++;
    }
    if (nkeys == 0) {
        fprintf(stderr, "trie_gen: no keys\n");
        return 1;
    }
    qsort(keys, nkeys, sizeof *keys, by_text);

    /* Merge repeated keys into the first of each run. */
    size_t n = 0;
    for (size_t i = 0; i < nkeys; i++) {
        if (n > 0 && strcmp(keys[n - 1].text, keys[i].text) == 0) {
            struct key *k = &keys[n - 1];
            k->kinds |= keys[i].kinds;
            if (keys[i].tier > k->tier)
                k->tier = keys[i].tier;
            add_reading(&k->reading, keys[i].reading);
            free(keys[i].text);
            free(keys[i].reading);
            continue;
        }
        keys[n] = keys[i];
        char *r = keys[n].reading;
        keys[n].reading = xstrdup("");
        add_reading(&keys[n].reading, r);
        free(r);
        n++;
    }
    nkeys = n;

    /* Sorted keys add children in increasing order of code point (UTF-8 byte order is code
     * point order), so appending keeps every child list sorted. */
    node_new(0);
    for (size_t i = 0; i < nkeys; i++) {
        const unsigned char *s = (const unsigned char *)keys[i].text;
        uint32_t at = 0;
        uint32_t low = 0;
        while (*s != '\0' || low != 0) {
            uint32_t cp;
            if (low != 0) {
                cp = low;
                low = 0;
            } else {
                s += utf8_get(s, &cp);
            }
            if (cp > 0xFFFF) {
                /* Labels are 16 bits: a character outside the BMP is two UTF-16 units. */
                low = 0xDC00 + ((cp - 0x10000) & 0x3FF);
                cp = 0xD800 + ((cp - 0x10000) >> 10);
            }
            uint32_t last = nodes[at].last;
            if (last != 0 && nodes[last].label == cp) {
                at = last;
                continue;
            }
            uint32_t child = node_new(cp);
            if (nodes[at].first == 0)
                nodes[at].first = child;
            else
                nodes[last].next = child;
            nodes[at].last = child;
            at = child;
        }
        nodes[at].entry = (uint32_t)i + 1;
    }

    /* Breadth-first order. */
    uint32_t *queue = xrealloc(NULL, nnodes * sizeof *queue);
    size_t head = 0;
    size_t tail = 0;
    queue[tail++] = 0;
    nodes[0].order = 0;
    while (head < tail) {
        uint32_t at = queue[head++];
        size_t from = tail;
        for (uint32_t c = nodes[at].first; c != 0; c = nodes[c].next)
            queue[tail++] = c;
        /* Code point order is not UTF-16 order when a character outside the BMP (a
         * surrogate pair) has siblings from U+E000 on: sort the labels as units. */
        qsort(queue + from, tail - from, sizeof *queue, by_label);
        for (size_t k = from; k < tail; k++)
            nodes[queue[k]].order = (uint32_t)k;
        if (tail > from)
            nodes[at].first = queue[from];
        nodes[at].nchild = (uint32_t)(tail - from);
    }

    /* Readings, each distinct list stored once: sort the keys' indexes by reading. */
    char *blob = NULL;
    size_t blob_len = 0;
    uint32_t *reading_at = xrealloc(NULL, nkeys * sizeof *reading_at);
    size_t *by_r = xrealloc(NULL, nkeys * sizeof *by_r);
    for (size_t i = 0; i < nkeys; i++)
        by_r[i] = i;
    sorted_keys = keys;
    qsort(by_r, nkeys, sizeof *by_r, by_reading);
    for (size_t j = 0; j < nkeys; j++) {
        size_t i = by_r[j];
        const char *r = keys[i].reading;
        size_t rn = strlen(r);
        reading_at[i] = 0;
        if (rn == 0)
            continue;
        if (j > 0 && strcmp(keys[by_r[j - 1]].reading, r) == 0) {
            reading_at[i] = reading_at[by_r[j - 1]];
            continue;
        }
        blob = xrealloc(blob, blob_len + rn + 2);
        if (blob_len == 0)
            blob[blob_len++] = '\0'; /* offset 0 means "no reading" */
        reading_at[i] = (uint32_t)blob_len;
        memcpy(blob + blob_len, r, rn + 1);
        blob_len += rn + 1;
    }
    free(by_r);

    printf("/* clang-format off */\n"
           "/* Generated by dict/trie_gen from the keys of dict/trie_keys.sh. Do not edit:\n"
           " * change the tables and rebuild. Sources and licences: dict/SOURCES.md,\n"
           " * dict/NOTICE. Laid out by the generator. */\n"
           "#include \"internal.h\"\n\n");
    printf("const size_t pii_trie_node_count = %zu;\n", nnodes);
    printf("const size_t pii_trie_key_count = %zu;\n", nkeys);

    printf("\nconst uint16_t pii_trie_label[] = {\n");
    for (size_t i = 0; i < nnodes; i++)
        printf("%u,%s", nodes[queue[i]].label, i % 16 == 15 ? "\n" : "");
    /* One record per node, so that a step touches one cache line: first child, number of
     * children, and the kinds and tier of the key that ends here (0: none; trie_keys.sh keeps
     * kinds below bit 13). */
    printf("\n};\n\nconst struct pii_trie_node pii_trie_nodes[] = {\n");
    for (size_t i = 0; i < nnodes; i++) {
        const struct node *nd = &nodes[queue[i]];
        if (nd->nchild > 0xFFFF) {
            fprintf(stderr, "trie_gen: a node has more than 65535 children\n");
            return 1;
        }
        unsigned w = 0;
        if (nd->entry != 0) {
            const struct key *k = &keys[nd->entry - 1];
            if (k->kinds == 0 || k->kinds >= 1u << 13 || k->tier > 3) {
                fprintf(stderr, "trie_gen: key %s: kinds or tier out of range\n", k->text);
                return 1;
            }
            w = k->kinds | k->tier << 13;
        }
        printf("{%u,%u,%u},%s", nd->first ? nodes[nd->first].order : 0, nd->nchild, w,
               i % 8 == 7 ? "\n" : "");
    }
    /* The root's children by label, for a look-up without a search: the first character of
     * every key is where most walks end. Entry: 1 + the child's rank, 0 for none. */
    if (nodes[0].nchild >= 0xFFFF) {
        fprintf(stderr, "trie_gen: the root has too many children\n");
        return 1;
    }
    uint16_t *root = calloc(65536, sizeof *root);
    if (root == NULL) {
        fprintf(stderr, "trie_gen: out of memory\n");
        return 1;
    }
    for (uint32_t k = 0; k < nodes[0].nchild; k++)
        root[nodes[queue[1 + k]].label] = (uint16_t)(k + 1);
    printf("\n};\n\nconst uint16_t pii_trie_root[65536] = {\n");
    for (size_t i = 0; i < 65536; i++)
        printf("%u,%s", root[i], i % 32 == 31 ? "\n" : "");
    /* The kinds of every key that starts with a given first unit, so that a detector skips
     * a look-up no key of the kinds it wants can answer (most characters start no honorific,
     * no place word). Children come after their parent in breadth-first order: OR the kinds
     * up from the last node. */
    uint16_t *below = calloc(nnodes, sizeof *below);
    uint32_t *parent = calloc(nnodes, sizeof *parent);
    if (below == NULL || parent == NULL) {
        fprintf(stderr, "trie_gen: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < nnodes; i++) {
        const struct node *nd = &nodes[queue[i]];
        if (nd->entry != 0)
            below[i] = (uint16_t)keys[nd->entry - 1].kinds;
        for (uint32_t k = 0; k < nd->nchild; k++)
            parent[nodes[nd->first].order + k] = (uint32_t)i;
    }
    for (size_t i = nnodes - 1; i > 0; i--)
        below[parent[i]] |= below[i];
    memset(root, 0, 65536 * sizeof *root);
    for (uint32_t k = 0; k < nodes[0].nchild; k++)
        root[nodes[queue[1 + k]].label] = below[1 + k];
    printf("\n};\n\nconst uint16_t pii_trie_root_kinds[65536] = {\n");
    for (size_t i = 0; i < 65536; i++)
        printf("%u,%s", root[i], i % 32 == 31 ? "\n" : "");
    free(below);
    free(parent);
    free(root);

    /* Readings of the nodes that have one, by node: looked up by binary search, which only
     * reports and tests do. */
    size_t nread = 0;
    printf("\n};\n\nconst uint32_t pii_trie_reading_node[] = {\n");
    for (size_t i = 0; i < nnodes; i++) {
        const struct node *nd = &nodes[queue[i]];
        if (nd->entry != 0 && reading_at[nd->entry - 1] != 0) {
            printf("%zu,%s", i, nread % 16 == 15 ? "\n" : "");
            nread++;
        }
    }
    printf("\n};\n\nconst uint32_t pii_trie_reading_at[] = {\n");
    for (size_t i = 0, k = 0; i < nnodes; i++) {
        const struct node *nd = &nodes[queue[i]];
        if (nd->entry != 0 && reading_at[nd->entry - 1] != 0) {
            printf("%u,%s", reading_at[nd->entry - 1], k % 16 == 15 ? "\n" : "");
            k++;
        }
    }
    printf("\n};\nconst size_t pii_trie_reading_count = %zu;\n", nread);
    printf("\nconst char pii_trie_readings[] =\n");
    if (blob_len == 0)
        printf("\"\"");
    for (size_t i = 0; i < blob_len;) {
        size_t e = i;
        while (e < blob_len && blob[e] != '\0')
            e++;
        printf("    \"%.*s\\0\"\n", (int)(e - i), blob + i);
        i = e + 1;
    }
    printf(";\nconst size_t pii_trie_readings_size = %zu;\n/* clang-format on */\n",
           blob_len ? blob_len : 1);

    for (size_t i = 0; i < nkeys; i++) {
        free(keys[i].text);
        free(keys[i].reading);
    }
    free(keys);
    free(nodes);
    free(queue);
    free(reading_at);
    free(blob);
    return 0;
}
