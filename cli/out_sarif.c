/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_sarif.c - SARIF 2.1.0 (OASIS), the format code-scanning dashboards and editors read.
 * One run; its driver names one rule per type of personal data (the rule id is the type
 * name, as in the other formats); each finding is a result, written as the sweep goes:
 *   ruleId, ruleIndex, level ("error" for My Number and card numbers, whose handling the law
 *   or PCI DSS restricts; "warning" for the rest), message (the masked value, never the value
 *   itself), locations, partialFingerprints (when fingerprints are on) and properties
 *   (confidence, detector, field, and value only with --show-values).
 * A location is the file as a URI reference (uri.c) and, in text files, a region: startLine,
 * startColumn in characters (the run's columnKind says unicodeCodePoints: SARIF's default
 * counts UTF-16 code units, which differ beyond the BMP), and byteOffset/byteLength in the
 * file as stored. No endColumn: the region is known by its bytes. A workbook has no text
 * region; its cell is a logical location, "Sheet!C12".
 * Files that could not be scanned become error notifications of the invocation, which then
 * is not "executionSuccessful"; they are kept in memory until the end, since SARIF puts the
 * invocation beside the results, not among them. The sweep's totals go in the run's
 * properties. SARIF has no place for per-file counts: --summary is refused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "line.h"
#include "output.h"

#define SARIF_SCHEMA \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

struct rule {
    const char *name;  /* PascalCase, as SARIF's examples name rules */
    const char *title; /* shortDescription, and the start of each message */
    const char *level;
    const char *help;
};

/* The advice that ends the help of names, addresses, phone numbers and e-mail addresses,
 * which a file may have good reason to hold. */
#define REMOVE_OR_MASK                                                                            \
    "Remove it, or mask it with `piiscan redact`, unless the file must hold it and is protected " \
    "accordingly."

static const struct rule rules[OUTPUT_TYPES] = {
    [PIISCAN_TYPE_NAME] =
        {"PersonName", "Person's name", "warning",
         "A person's name (surname, given name or both), found with a "
         "dictionary of Japanese names and the context around it. " REMOVE_OR_MASK},
    [PIISCAN_TYPE_ADDRESS] = {"PostalAddress", "Postal address", "warning",
                              "A Japanese postal address: prefecture, municipality and what "
                              "follows. " REMOVE_OR_MASK},
    [PIISCAN_TYPE_PHONE] =
        {"PhoneNumber", "Phone number", "warning",
         "A Japanese phone number (fixed line, mobile, IP or toll-free). " REMOVE_OR_MASK},
    [PIISCAN_TYPE_EMAIL] = {"EmailAddress", "E-mail address", "warning",
                            "An e-mail address. " REMOVE_OR_MASK},
    [PIISCAN_TYPE_POSTAL_CODE] = {"PostalCode", "Postal code", "warning",
                                  "A Japanese postal code (郵便番号) that exists. With other "
                                  "data of a row it narrows down where a person lives; mask "
                                  "it with the rest of the row."},
    [PIISCAN_TYPE_MY_NUMBER] = {"MyNumber", "My Number", "error",
                                "An Individual Number (マイナンバー), check digit verified. The "
                                "My Number Act allows keeping it only for the purposes it "
                                "lists: remove it from exports and shared files."},
    [PIISCAN_TYPE_CREDIT_CARD] = {"CreditCardNumber", "Credit card number", "error",
                                  "A payment card number (Luhn checked). PCI DSS forbids "
                                  "storing it in clear: remove it, or mask all but the last "
                                  "four digits."},
};

struct sarif_state {
    bool is_first_result;
    char *last_path; /* the path whose URI is in last_uri: findings come file by file */
    char *last_uri;
    FILE *notes; /* tool execution notifications, kept until the end */
    char *notes_buf;
    size_t notes_len;
    bool has_notes;
    bool is_out_of_memory;
};

static const struct rule *rule_of(piiscan_type type)
{
    static const struct rule unknown = {NULL, NULL, "warning", NULL};
    if ((unsigned)type < OUTPUT_TYPES && rules[type].name != NULL)
        return &rules[type];
    return &unknown;
}

static void put_string(struct line *ln, const char *s)
{
    line_put_string(ln, s, strlen(s));
}

static void put_rule(struct line *ln, piiscan_type type)
{
    const struct rule *r = rule_of(type);
    const char *id = piiscan_type_name(type);
    LINE_PUT_LITERAL(ln, "{\"id\":");
    put_string(ln, id);
    LINE_PUT_LITERAL(ln, ",\"name\":");
    put_string(ln, r->name != NULL ? r->name : id);
    LINE_PUT_LITERAL(ln, ",\"shortDescription\":{\"text\":");
    put_string(ln, r->title != NULL ? r->title : id);
    LINE_PUT_LITERAL(ln, "},\"help\":{\"text\":");
    put_string(ln, r->help != NULL ? r->help : id);
    LINE_PUT_LITERAL(ln, "},\"defaultConfiguration\":{\"level\":");
    put_string(ln, r->level);
    LINE_PUT_LITERAL(ln, "},\"properties\":{\"tags\":[\"privacy\",\"personal-data\"]}}");
}

static int sarif_begin(struct output *out)
{
    struct sarif_state *ss = calloc(1, sizeof *ss);
    if (ss == NULL)
        return -1;
    ss->is_first_result = true;
    out->state = ss;
    struct line ln; /* not zeroed: its buffer is written before it is read */
    ln.fp = out->fp;
    ln.len = 0;
    LINE_PUT_LITERAL(&ln, "{\"$schema\":\"" SARIF_SCHEMA "\",\"version\":\"2.1.0\",\"runs\":[{\n"
                          "\"tool\":{\"driver\":{\"name\":\"piiscan\",\"version\":");
    put_string(&ln, PACKAGE_VERSION);
    LINE_PUT_LITERAL(&ln, ",\"semanticVersion\":");
    put_string(&ln, PACKAGE_VERSION);
    LINE_PUT_LITERAL(&ln, ",\"rules\":[");
    for (int t = 1; t <= PIISCAN_TYPE_MAX; t++) {
        LINE_PUT_LITERAL(&ln, "\n");
        put_rule(&ln, (piiscan_type)t);
        if (t < PIISCAN_TYPE_MAX)
            LINE_PUT_LITERAL(&ln, ",");
    }
    LINE_PUT_LITERAL(&ln, "]}},\n\"columnKind\":\"unicodeCodePoints\",\n\"results\":[");
    line_flush(&ln);
    return 0;
}

static void sarif_file_begin(struct output *out, const char *path)
{
    (void)out;
    (void)path;
}

/* The file's URI, computed once per file. NULL when out of memory. */
static const char *uri_for(struct sarif_state *ss, const char *path)
{
    if (ss->last_path != NULL && strcmp(ss->last_path, path) == 0)
        return ss->last_uri;
    free(ss->last_path);
    free(ss->last_uri);
    ss->last_path = strdup(path);
    ss->last_uri = uri_of_path(path);
    if (ss->last_path == NULL || ss->last_uri == NULL) {
        free(ss->last_path);
        free(ss->last_uri);
        ss->last_path = NULL;
        ss->last_uri = NULL;
        ss->is_out_of_memory = true;
    }
    return ss->last_uri;
}

/* {"uri":"..."}, or a description for standard input, which has no name. */
static bool put_artifact(struct line *ln, struct sarif_state *ss, const char *path)
{
    if (strcmp(path, "-") == 0) {
        LINE_PUT_LITERAL(ln, "{\"description\":{\"text\":\"standard input\"}}");
        return true;
    }
    const char *uri = uri_for(ss, path);
    if (uri == NULL)
        return false;
    LINE_PUT_LITERAL(ln, "{\"uri\":");
    put_string(ln, uri);
    LINE_PUT_LITERAL(ln, "}");
    return true;
}

static void sarif_finding(struct output *out, const struct output_finding *of)
{
    struct sarif_state *ss = out->state;
    const struct rule *r = rule_of(of->type);
    struct line ln; /* not zeroed: its buffer is written before it is read */
    ln.fp = out->fp;
    ln.len = 0;
    if (!ss->is_first_result)
        LINE_PUT_LITERAL(&ln, ",");
    LINE_PUT_LITERAL(&ln, "\n{\"ruleId\":");
    put_string(&ln, piiscan_type_name(of->type));
    LINE_PUT_LITERAL(&ln, ",\"ruleIndex\":");
    line_put_u64(&ln, (uint64_t)of->type - 1);
    LINE_PUT_LITERAL(&ln, ",\"level\":");
    put_string(&ln, r->level);
    LINE_PUT_LITERAL(&ln, ",\"message\":{\"text\":");
    /* "Phone number: 090-****-5678", built whole so that it is one JSON string. */
    const char *title = r->title != NULL ? r->title : piiscan_type_name(of->type);
    size_t n = strlen(title) + 2 + strlen(of->masked);
    char *text = malloc(n + 1);
    if (text == NULL) {
        ss->is_out_of_memory = true;
        return;
    }
    snprintf(text, n + 1, "%s: %s", title, of->masked);
    line_put_string(&ln, text, n);
    free(text);
    LINE_PUT_LITERAL(&ln, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":");
    if (!put_artifact(&ln, ss, of->path))
        return;
    if (of->sheet == NULL && of->line > 0) {
        LINE_PUT_LITERAL(&ln, ",\"region\":{\"startLine\":");
        line_put_u64(&ln, of->line);
        if (of->column > 0) {
            LINE_PUT_LITERAL(&ln, ",\"startColumn\":");
            line_put_u64(&ln, of->column);
        }
        LINE_PUT_LITERAL(&ln, ",\"byteOffset\":");
        line_put_u64(&ln, of->start);
        LINE_PUT_LITERAL(&ln, ",\"byteLength\":");
        line_put_u64(&ln, of->end - of->start);
        LINE_PUT_LITERAL(&ln, "}");
    }
    LINE_PUT_LITERAL(&ln, "}");
    if (of->sheet != NULL) {
        const char *cell = of->cell != NULL ? of->cell : "";
        size_t m = strlen(of->sheet) + 1 + strlen(cell);
        char *qualified = malloc(m + 1);
        if (qualified == NULL) {
            ss->is_out_of_memory = true;
            return;
        }
        snprintf(qualified, m + 1, "%s!%s", of->sheet, cell);
        LINE_PUT_LITERAL(&ln, ",\"logicalLocations\":[{\"name\":");
        put_string(&ln, cell);
        LINE_PUT_LITERAL(&ln, ",\"fullyQualifiedName\":");
        line_put_string(&ln, qualified, m);
        LINE_PUT_LITERAL(&ln, "}]");
        free(qualified);
    }
    LINE_PUT_LITERAL(&ln, "}]");
    if (of->fingerprint != NULL) {
        LINE_PUT_LITERAL(&ln, ",\"partialFingerprints\":{\"piiscan/v1\":");
        put_string(&ln, of->fingerprint);
        LINE_PUT_LITERAL(&ln, "}");
    }
    LINE_PUT_LITERAL(&ln, ",\"properties\":{\"confidence\":");
    line_put_hundredths(&ln, of->confidence);
    line_put_member(&ln, "detector", of->detector != NULL ? of->detector : "");
    if (of->field > 0) {
        LINE_PUT_LITERAL(&ln, ",\"field\":");
        line_put_u64(&ln, of->field);
    }
    if (of->value != NULL) {
        LINE_PUT_LITERAL(&ln, ",\"value\":");
        line_put_string(&ln, of->value, of->value_len);
    }
    LINE_PUT_LITERAL(&ln, "}}");
    line_flush(&ln);
    ss->is_first_result = false;
}

/* A file that could not be scanned: an error notification, written at the end. */
static void sarif_file_end(struct output *out, const struct file_summary *fs)
{
    struct sarif_state *ss = out->state;
    if (fs->status != FILE_FAILED)
        return;
    if (ss->notes == NULL) {
        ss->notes = open_memstream(&ss->notes_buf, &ss->notes_len);
        if (ss->notes == NULL) {
            ss->is_out_of_memory = true;
            return;
        }
    }
    struct line ln; /* not zeroed: its buffer is written before it is read */
    ln.fp = ss->notes;
    ln.len = 0;
    if (ss->has_notes)
        LINE_PUT_LITERAL(&ln, ",");
    LINE_PUT_LITERAL(&ln, "\n{\"level\":\"error\",\"message\":{\"text\":");
    put_string(&ln, fs->reason != NULL ? fs->reason : "could not be scanned");
    LINE_PUT_LITERAL(&ln, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":");
    if (!put_artifact(&ln, ss, fs->path))
        return;
    LINE_PUT_LITERAL(&ln, "}}]}");
    line_flush(&ln);
    ss->has_notes = true;
}

static int sarif_end(struct output *out, const struct sweep_totals *totals)
{
    struct sarif_state *ss = out->state;
    FILE *fp = out->fp;
    int rc = 0;
    fputs(ss->is_first_result ? "],\n" : "\n],\n", fp);
    fprintf(fp, "\"invocations\":[{\"executionSuccessful\":%s",
            totals->failed == 0 ? "true" : "false");
    if (ss->notes != NULL) {
        if (fclose(ss->notes) != 0)
            ss->is_out_of_memory = true;
        else if (ss->has_notes) {
            fputs(",\"toolExecutionNotifications\":[", fp);
            fwrite(ss->notes_buf, 1, ss->notes_len, fp);
            fputs("\n]", fp);
        }
    }
    fputs("}],\n\"properties\":{\"totals\":", fp);
    json_write_totals(fp, totals);
    fputs("}}]}\n", fp);
    if (ss->is_out_of_memory) {
        errno = ENOMEM;
        rc = -1;
    }
    free(ss->notes_buf);
    free(ss->last_path);
    free(ss->last_uri);
    free(ss);
    out->state = NULL;
    return rc;
}

const struct output_ops output_sarif = {
    .name = "sarif",
    .refuses_summary = true,
    .begin = sarif_begin,
    .file_begin = sarif_file_begin,
    .finding = sarif_finding,
    .file_end = sarif_file_end,
    .end = sarif_end,
};
