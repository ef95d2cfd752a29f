/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * temp.c - the temporary files piiscan writes before a rename puts them in place: redacted
 * outputs and -o reports. One name shape, ".NAME.piiscan-XXXXXX.tmp", which the walk never
 * reads (walk_is_temp_name) and redact's cleaner recognises; created exclusively, mode 0600,
 * so that no one else can open what is being written.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"

#define TEMP_TRIES 64

int temp_create(int dirfd, const char *name, char *tmp, size_t size)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /* NAME is shortened when the whole would pass NAME_MAX; the suffix is what is matched. */
    int keep = (int)strlen(name);
    if (keep > 200)
        keep = 200;
    for (int tries = 0; tries < TEMP_TRIES; tries++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
            return -1;
        char x[7];
        for (size_t i = 0; i < 6; i++)
            x[i] = alphabet[rnd[i] % (sizeof alphabet - 1)];
        x[6] = '\0';
        snprintf(tmp, size, ".%.*s.piiscan-%s.tmp", keep, name, x);
        int fd = openat(dirfd, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            /* Held until the file is renamed or removed: a cleaner leaves locked files alone. */
            flock(fd, LOCK_EX | LOCK_NB);
            return fd;
        }
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}
