/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect_email.c - e-mail addresses, including the ones RFC 5322 forbids but Japanese mobile
 * carriers handed out for years (taro..yamada.@docomo.ne.jp: consecutive dots, a dot before
 * the @, a leading dot). Full-width ＠ and ． are ASCII after normalisation.
 *
 * The local part is the practical set (letters, digits, . _ % + -); the domain has at least
 * two labels and an alphabetic top-level label of two letters or more (or an IDN xn--
 * label). File names that look like addresses (icon@2x.png) are rejected by their
 * extension and by the retina suffix "@2x".
 *
 * Leaves out: quoted local parts ("john doe"@example.com), IP-literal domains, and domains
 * written in Japanese (例え.jp).
 */
#include <string.h>

#include "internal.h"

#define LOCAL_CHAR "[A-Za-z0-9._%+-]"
#define LABEL      "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#define TOP_LABEL  "[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}"

/* The local part may not start inside a longer run of local-part characters, so a run longer
 * than 64 is not matched from its middle; the domain must end where its text ends.
 * Group 1: the domain; group 2: its top-level label. */
static const char pattern[] = "(?<!" LOCAL_CHAR ")" LOCAL_CHAR "{1,64}"
                              "@((?:" LABEL "\\.)+(" TOP_LABEL "))"
                              "(?![A-Za-z0-9_-])(?!\\.[A-Za-z0-9-])";

#define CONF_EMAIL 0.95

/* Extensions of files that get named name@2x.png and the like. None is a top-level domain
 * that Japanese addresses use (zip and mov are gTLDs, but hardly anyone's mail). */
static const char *const file_extensions[] = {
    "png",  "jpg", "jpeg", "gif", "bmp",  "svg",  "webp", "ico",  "tif",   "tiff", "heic", "pdf",
    "psd",  "eps", "css",  "js",  "mjs",  "json", "xml",  "html", "htm",   "txt",  "csv",  "tsv",
    "zip",  "gz",  "tgz",  "rar", "mp3",  "mp4",  "m4a",  "wav",  "mov",   "avi",  "webm", "doc",
    "docx", "xls", "xlsx", "ppt", "pptx", "exe",  "dll",  "woff", "woff2", "ttf",  "otf",
};

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

static bool equals_nocase(const char *s, size_t n, const char *t)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\0' || lower(s[i]) != t[i])
            return false;
    }
    return t[n] == '\0';
}

/* icon@2x.png, logo@3x.webp: an image name, not an address. */
static bool is_file_name(const char *domain, size_t domain_len, const char *tld, size_t tld_len)
{
    /* Every extension is 2 to 5 letters: the common top-level labels (jp, com) are told
     * apart by their first letter before any comparison. */
    char first = tld_len >= 2 && tld_len <= 5 ? lower(tld[0]) : '\0';
    for (size_t i = 0; first != '\0' && i < sizeof file_extensions / sizeof file_extensions[0];
         i++) {
        if (file_extensions[i][0] == first && equals_nocase(tld, tld_len, file_extensions[i]))
            return true;
    }
    /* The retina suffix: a first label of digits and an x. */
    size_t i = 0;
    while (i < domain_len && domain[i] >= '0' && domain[i] <= '9')
        i++;
    return i > 0 && i + 1 < domain_len && lower(domain[i]) == 'x' && domain[i + 1] == '.';
}

static int email_scan(const void *state, pcre2_match_data *md, const pii_unit *u,
                      pii_candidates *out)
{
    const pcre2_code *re = state;
    if (u->len < 6 || memchr(u->text, '@', u->len) == NULL)
        return PIISCAN_OK;
    pii_match m;
    int rc;
    for (size_t pos = 0; (rc = pii_pattern_find(re, md, u, pos, &m)) == 1;) {
        const PCRE2_SIZE *ov = m.ov;
        if (!is_file_name(u->text + ov[2], ov[3] - ov[2], u->text + ov[4], ov[5] - ov[4])) {
            rc = pii_candidates_push(out, PIISCAN_TYPE_EMAIL, m.start, m.end, CONF_EMAIL, "email");
            if (rc != PIISCAN_OK)
                return rc;
        }
        pos = m.end;
    }
    return rc < 0 ? rc : PIISCAN_OK;
}

static int email_compile(void **state, piiscan_error *err)
{
    return pii_pattern_state_new(pattern, state, err);
}

const struct pii_detector pii_detector_email = {
    .name = "email",
    .type = PIISCAN_TYPE_EMAIL,
    .needs_digit_or_at = true,
    .compile = email_compile,
    .free = pii_pattern_state_free,
    .scan = email_scan,
};
