/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fingerprint.c - the site key and the fingerprints of found values. A key file is read only
 * when only its owner can read it (redact's token key and the site key alike); the site key
 * is made on first use, 32 random bytes in a file created 0600 in a directory created 0700,
 * put in place atomically so that two runs started together end with one key. No key is ever
 * printed. Fingerprints are piiscan_fingerprint() under the site key, in lower-case hex.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define SITE_KEY_BYTES     32
#define KEY_FILE_MAX_BYTES (1 << 20)

int key_file_read(const char *path, size_t min_bytes, const char *risk, unsigned char **out,
                  size_t *out_len)
{
    int fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        cli_message(path, "cannot open the key file: %s", strerror(errno));
        return -1;
    }
    int status = -1;
    unsigned char *key = NULL;
    size_t len = 0;
    struct stat sb;
    if (fstat(fd, &sb) < 0) {
        cli_message(path, "%s", strerror(errno));
        goto done;
    }
    if (!S_ISREG(sb.st_mode)) {
        cli_message(path, "the key file is not a regular file");
        goto done;
    }
    if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        cli_message(path, "the key file is open to group or others (mode %04o): %s; chmod 600 %s",
                    (unsigned)(sb.st_mode & 07777), risk, path);
        goto done;
    }
    if (sb.st_size < (off_t)min_bytes || sb.st_size > KEY_FILE_MAX_BYTES) {
        cli_message(path,
                    "the key file must hold %zu bytes to 1 MiB, it holds %lld; make one with "
                    "head -c 32 /dev/urandom > KEY && chmod 600 KEY",
                    min_bytes, (long long)sb.st_size);
        goto done;
    }
    len = (size_t)sb.st_size;
    key = malloc(len);
    if (key == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        goto done;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, key + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            cli_message(path, "cannot read the key file: %s",
                        n < 0 ? strerror(errno) : "it became shorter");
            goto done;
        }
        got += (size_t)n;
    }
    *out = key;
    *out_len = len;
    key = NULL;
    status = 0;
done:
    key_free(key, len);
    close(fd);
    return status;
}

void key_free(unsigned char *key, size_t len)
{
    if (key == NULL)
        return;
    sodium_memzero(key, len);
    free(key);
}

/* ------------------------------------------------------------------------------------------ */
/* The site key                                                                               */

/* The default place: ${XDG_CONFIG_HOME:-$HOME/.config}/piiscan/site.key, for root too (a
 * site whose sweeps run under several accounts points PIISCAN_KEY_FILE at one key). */
static char *default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    const char *base = xdg != NULL && xdg[0] == '/' ? xdg : home;
    const char *sub = base == xdg ? "/piiscan/site.key" : "/.config/piiscan/site.key";
    if (base == NULL || base[0] != '/') {
        cli_message(NULL, "no place for the site key: set HOME, PIISCAN_KEY_FILE or --key-file");
        return NULL;
    }
    size_t n = strlen(base) + strlen(sub) + 1;
    char *path = malloc(n);
    if (path == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return NULL;
    }
    snprintf(path, n, "%s%s", base, sub);
    return path;
}

/* mkdir -p of the directories above path, each new one 0700. */
static int make_parents(const char *path)
{
    char *dir = strdup(path);
    if (dir == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return -1;
    }
    int status = 0;
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
            cli_message(dir, "cannot make the site key's directory: %s", strerror(errno));
            status = -1;
            break;
        }
        *p = '/';
    }
    free(dir);
    return status;
}

/* Writes a new key to a temporary file beside path and links it to path: link() never
 * replaces, so when another run made the key first, theirs is kept and read. */
static int create_site_key(const char *path)
{
    if (make_parents(path) != 0)
        return -1;
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    char *tmp = malloc(n);
    if (tmp == NULL) {
        cli_message(NULL, "%s", strerror(ENOMEM));
        return -1;
    }
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int status = -1;
    int fd = mkstemp(tmp); /* 0600 */
    if (fd < 0) {
        cli_message(path, "cannot create the site key: %s", strerror(errno));
        free(tmp);
        return -1;
    }
    unsigned char key[SITE_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    size_t put = 0;
    while (put < sizeof key) {
        ssize_t w = write(fd, key + put, sizeof key - put);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        put += (size_t)w;
    }
    sodium_memzero(key, sizeof key);
    if (put != sizeof key || fchmod(fd, 0600) < 0 || fsync(fd) < 0) {
        cli_message(path, "cannot write the site key: %s", strerror(errno != 0 ? errno : EIO));
        goto done;
    }
    if (link(tmp, path) < 0 && errno != EEXIST) {
        cli_message(path, "cannot create the site key: %s", strerror(errno));
        goto done;
    }
    status = 0;
done:
    close(fd);
    unlink(tmp);
    free(tmp);
    return status;
}

int site_key_load(const char *option_path, struct site_key *out)
{
    memset(out, 0, sizeof *out);
    if (sodium_init() < 0) {
        cli_message(NULL, "cannot start libsodium");
        return -1;
    }
    const char *env = getenv("PIISCAN_KEY_FILE");
    char *owned = NULL;
    const char *path = option_path;
    if (path == NULL && env != NULL && env[0] != '\0')
        path = env;
    if (path == NULL && (path = owned = default_path()) == NULL)
        return -1;
    /* Only a key named by the option must exist: a mistyped --key-file must not quietly
     * make a new key, under which no fingerprint matches the earlier ones. */
    struct stat sb;
    if (option_path == NULL && lstat(path, &sb) < 0 && errno == ENOENT) {
        if (create_site_key(path) != 0) {
            free(owned);
            return -1;
        }
        cli_message(path, "created a new site key (keep it: fingerprints made under another "
                          "key do not match)");
    }
    unsigned char *material = NULL;
    size_t len = 0;
    int rc = key_file_read(path, SITE_KEY_BYTES,
                           "whoever reads it can test guesses of values against fingerprints",
                           &material, &len);
    free(owned);
    if (rc != 0)
        return -1;
    /* A key file of 32 to 64 bytes is the key; a longer one (redact accepts up to 1 MiB) is
     * hashed down to 32 bytes, which keeps all its strength. */
    if (len <= sizeof out->bytes) {
        memcpy(out->bytes, material, len);
        out->len = len;
    } else {
        crypto_generichash(out->bytes, SITE_KEY_BYTES, material, len, NULL, 0);
        out->len = SITE_KEY_BYTES;
    }
    key_free(material, len);
    return 0;
}

void site_key_wipe(struct site_key *k)
{
    sodium_memzero(k, sizeof *k);
}

int fingerprint_hex(const struct site_key *k, piiscan_type type, const char *text, size_t len,
                    char out[FINGERPRINT_HEX_CHARS + 1])
{
    unsigned char fp[PIISCAN_FINGERPRINT_BYTES];
    int rc = piiscan_fingerprint(k->bytes, k->len, type, text, len, fp);
    if (rc != PIISCAN_OK)
        return rc;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof fp; i++) {
        out[2 * i] = hex[fp[i] >> 4];
        out[2 * i + 1] = hex[fp[i] & 15];
    }
    out[FINGERPRINT_HEX_CHARS] = '\0';
    return PIISCAN_OK;
}
