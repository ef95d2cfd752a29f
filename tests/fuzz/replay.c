/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay.c - a standalone main for fuzz targets: runs every file of the target's corpus
 * (tests/fuzz/corpus/<target>/, or the files and directories named on the command line)
 * through LLVMFuzzerTestOneInput, so make check replays what fuzzing found.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        perror(path);
        return 1;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    size_t cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            uint8_t *grown = realloc(data, cap);
            if (grown == NULL) {
                free(data);
                fclose(fp);
                return 1;
            }
            data = grown;
        }
        size_t n = fread(data + len, 1, cap - len, fp);
        if (n == 0)
            break;
        len += n;
    }
    fclose(fp);
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    return 0;
}

static int replay(const char *path, unsigned *count)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        perror(path);
        return 1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        (*count)++;
        return replay_file(path);
    }
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return 1;
    }
    int failed = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, names[i]->d_name);
            failed |= replay(child, count);
        }
        free(names[i]);
    }
    free(names);
    return failed;
}

int main(int argc, char **argv)
{
    unsigned count = 0;
    int failed = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            failed |= replay(argv[i], &count);
    } else {
        const char *src = getenv("PIISCAN_SRCDIR");
        const char *base = strrchr(argv[0], '/');
        base = base ? base + 1 : argv[0];
        if (strncmp(base, "fuzz_", 5) == 0)
            base += 5;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src ? src : ".", base);
        failed |= replay(dir, &count);
    }
    printf("%u inputs replayed, %s\n", count, failed ? "with errors" : "no crash");
    return failed || count == 0;
}
